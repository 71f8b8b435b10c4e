//! What a query matches, character by character: compatibility ideographs fold to the unified
//! ideographs they stand for, in passages, queries, speaker names and dates.

use crate::harness::Fixture;

/// Byte ranges of the first hit's highlights, as the text they cover.
fn highlighted(results: &serde_json::Value) -> Vec<String> {
    let hit = &results["hits"][0];
    let text = hit["text"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize].to_string())
        .collect()
}

#[test]
fn compatibility_ideographs_and_unified_ones_find_each_other() {
    // 林 as U+F9F4, 年 as U+F98E, 度 as U+FA01, 數 as U+F969, 報 as U+2F857 (four bytes in UTF-8,
    // three for the unified 報), as records converted from Big5/HKSCS write them.
    let f = Fixture::new(&[
        (
            "compat.txt",
            "立法會 ─ 2013\u{F98E}4月17日\n\n\u{F9F4}委員志明：本\u{F98E}\u{FA01}\u{2F857}告的\u{F969}字清楚。\n",
        ),
        ("unified.txt", "陳委員偉業：上年度報告的數字不清楚。\n"),
    ])
    .indexed();
    let mut both = f.hits(&["度報"]);
    both.sort();
    assert_eq!(
        both,
        [
            ("compat.txt".to_string(), 1),
            ("unified.txt".to_string(), 0)
        ]
    );
    // Queries typed with compatibility ideographs find the unified text too.
    let mut again = f.hits(&["\"\u{FA01}\u{2F857}告\""]);
    again.sort();
    assert_eq!(again, both);
    assert_eq!(f.hits(&["数字清楚"]), [("compat.txt".to_string(), 1)]);
    // Highlights cover the original characters.
    assert_eq!(
        highlighted(&f.search(&["本年度報告"])),
        ["本\u{F98E}\u{FA01}\u{2F857}告"]
    );
    // The speaker's name and the date are read through the same folding.
    assert_eq!(
        f.hits(&["度報", "--speaker", "林志明"]),
        [("compat.txt".to_string(), 1)]
    );
    assert_eq!(
        f.hits(&["度報", "--speaker", "陳偉業"]),
        [("unified.txt".to_string(), 0)]
    );
    assert_eq!(
        f.hits(&["度報", "--from", "2013-04-17", "--to", "2013-04-17"]),
        [("compat.txt".to_string(), 1)]
    );
}

#[test]
fn phrases_stop_at_clause_boundaries() {
    let f = Fixture::new(&[
        (
            "zh.txt",
            "王毅：习近平主席访华，为两国关系指明方向。\n\n华春莹：华为代表访华，为两国合作出力。\n\n王毅：双方要合作、共赢。\n\n赵立坚：中美应当合作共赢。\n",
        ),
        (
            "hant.txt",
            "主席：我們要修改立法，會令市民受惠。\n\n主席：立法會今日開會。\n\n林委員：行政，院會通過。\n\n林委員：行政院今天回應。\n",
        ),
        (
            "en.txt",
            "Zhao Lijian: The Cold War ended the war. Mentality aside, we moved on.\n\nZhao Lijian: They still have a war mentality.\n",
        ),
    ])
    .indexed();
    assert_eq!(f.hits(&["华为"]), [("zh.txt".to_string(), 1)]);
    assert_eq!(f.hits(&["\"合作共赢\""]), [("zh.txt".to_string(), 3)]);
    assert_eq!(f.hits(&["立法會"]), [("hant.txt".to_string(), 1)]);
    assert_eq!(f.hits(&["行政院"]), [("hant.txt".to_string(), 3)]);
    assert_eq!(f.hits(&["\"war mentality\""]), [("en.txt".to_string(), 1)]);
    // A query with a boundary matches a boundary there, whichever mark it is.
    assert_eq!(f.hits(&["\"合作、共赢\""]), [("zh.txt".to_string(), 2)]);
    assert_eq!(f.hits(&["合作，共赢"]), [("zh.txt".to_string(), 2)]);
    assert_eq!(
        f.hits(&["\"the war; mentality\""]),
        [("en.txt".to_string(), 0)]
    );
    // Proximity may cross a boundary, which counts as one position.
    let mut near = f.hits(&["\"war mentality\"~1"]);
    near.sort();
    assert_eq!(near, [("en.txt".to_string(), 0), ("en.txt".to_string(), 1)]);
    // Highlights and KWIC lines mark only the match within a clause.
    assert_eq!(highlighted(&f.search(&["华为"])), ["华为"]);
    let kwic = f.search(&["华为", "--kwic"]);
    let occurrences = kwic["occurrences"].as_array().unwrap();
    assert_eq!(occurrences.len(), 1, "{kwic}");
    assert_eq!(
        occurrences[0]["right"].as_str().unwrap().chars().next(),
        Some('代')
    );
}

/// A phrase with slack spends its slack once over all its terms, whatever the order of the
/// results: by relevance, by date, in `first` and in `trend` alike.
#[test]
fn slack_is_one_budget_in_every_order() {
    let f = Fixture::new(&[(
        "zh.txt",
        "2020-01-02\n\n中美经贸关系很重要。\n\n中美经贸关的系统。\n\n中美关系。\n",
    )])
    .indexed();
    // 关 moves two places and spends the slack; 系 one more place would need a third.
    let want = [("zh.txt".to_string(), 1), ("zh.txt".to_string(), 3)];
    for sort in ["relevance", "date", "-date"] {
        let mut hits = f.hits(&["\"中美 关系\"~2", "--sort", sort]);
        hits.sort();
        assert_eq!(hits, want, "--sort {sort}");
    }
    let first = f.podium(&["first", "\"中美 关系\"~2", "--json"]);
    assert_eq!(first.json()["total"], 2, "{}", first.stdout);
    let trend = f.podium(&["trend", "\"中美 关系\"~2", "--json"]);
    assert_eq!(trend.json()["total"], 2, "{}", trend.stdout);
}
