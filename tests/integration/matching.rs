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
