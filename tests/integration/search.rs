//! `podium search`, `speakers` and `inspect`: queries, filters, facets, JSON, exit codes, errors.

use serde_json::json;

use crate::harness::{assert_same, hit_keys, Fixture};

fn corpus() -> Fixture {
    Fixture::new(&[
        (
            "en/2019-07-08.txt",
            "---\ntitle: Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on July 8, 2019\n---\nQ: Will there be new sanctions?\nA: China opposes unilateral sanctions. The trade war has no winner.\nQ: And the trade talks?\nA: The talks continue. A sanction is never the answer.\n",
        ),
        (
            "en/2020-04-22.txt",
            "Zhao Lijian: Humanity is a community with a shared future.\nAFP: Does China accept an inquiry into the trade war?\nZhao Lijian: The trade war is not the topic today. We talk about climate change.\n",
        ),
        (
            "zh/2020-04-22.txt",
            "---\ntitle: 2020年4月22日外交部发言人赵立坚主持例行记者会\n---\n　　赵立坚：人类是命运共同体。中美关系健康发展符合两国利益。\n　　法新社记者：中方如何看待网络空间的命运？\n　　赵立坚：中美经贸合作互利共赢，WTO规则应当遵守。\n",
        ),
        (
            "zh/2021-03-01.txt",
            "华春莹：美国的制裁没有道理。中美之间应当对话。\n",
        ),
        ("notes.txt", "Background notes\n\nClimate change talks went on. Sanctions were not discussed.\n"),
    ])
    .indexed()
}

#[test]
fn search_keyword_matches_inflections_and_ranks_passages() {
    let f = corpus();
    let mut hits = f.hits(&["sanction"]);
    hits.sort();
    let want: Vec<(String, u64)> = [
        ("en/2019-07-08.txt", 0),
        ("en/2019-07-08.txt", 1),
        ("en/2019-07-08.txt", 3),
        ("notes.txt", 1),
    ]
    .iter()
    .map(|(p, n)| (p.to_string(), *n))
    .collect();
    assert_same(&hits, &want, "sanction finds sanction and sanctions");
}

#[test]
fn quoted_phrase_is_exact_and_does_not_stem() {
    let f = corpus();
    assert_eq!(
        f.hits(&["\"sanction\""]),
        [("en/2019-07-08.txt".to_string(), 3)]
    );
    let mut war = f.hits(&["\"trade war\""]);
    war.sort();
    assert_eq!(
        war,
        [
            ("en/2019-07-08.txt".to_string(), 1),
            ("en/2020-04-22.txt".to_string(), 1),
            ("en/2020-04-22.txt".to_string(), 2)
        ]
    );
    // Punctuation inside a clause is ignored; word order and clause boundaries are not.
    assert_eq!(f.hits(&["\"shared-future\""]).len(), 1);
    assert!(f.hits(&["\"shared, future\""]).is_empty());
    assert!(f.hits(&["\"war trade\""]).is_empty());
    assert!(f.hits(&["\"sanctions the trade\""]).is_empty());
    assert_eq!(
        f.hits(&["\"sanctions; the trade\""]),
        [("en/2019-07-08.txt".to_string(), 1)]
    );
}

#[test]
fn chinese_query_finds_substrings_across_word_boundaries() {
    let f = corpus();
    // jieba makes 中美关系 / 中美 / 经贸 words; 美关 crosses a word boundary and still matches.
    let mut hits = f.hits(&["中美"]);
    hits.sort();
    assert_eq!(
        hits,
        [
            ("zh/2020-04-22.txt".to_string(), 0),
            ("zh/2020-04-22.txt".to_string(), 2),
            ("zh/2021-03-01.txt".to_string(), 0)
        ]
    );
    assert_eq!(f.hits(&["美关"]), [("zh/2020-04-22.txt".to_string(), 0)]);
    assert_eq!(
        f.hits(&["\"命运共同体\""]),
        [("zh/2020-04-22.txt".to_string(), 0)]
    );
    assert!(f.hits(&["关中"]).is_empty());
}

#[test]
fn traditional_and_simplified_find_each_other_and_highlight_the_original() {
    let f = Fixture::new(&[
        (
            "hant.txt",
            "林委員志明：我們是人類命運共同體，氣候變化是共同挑戰。\n",
        ),
        ("hans.txt", "赵立坚：人类是命运共同体。\n"),
    ])
    .indexed();
    let mut both = f.speakers(&["命运共同体"]);
    both.sort();
    assert_eq!(both, ["林志明", "赵立坚"]);
    let mut again = f.speakers(&["\"命運共同體\""]);
    again.sort();
    assert_eq!(again, ["林志明", "赵立坚"]);
    assert_eq!(f.speakers(&["气候变化"]), ["林志明"]);
    let r = f.search(&["气候变化"]);
    let text = r["hits"][0]["text"].as_str().unwrap();
    let h = &r["hits"][0]["highlights"][0];
    assert_eq!(
        &text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize],
        "氣候變化"
    );
}

#[test]
fn mixed_boolean_queries() {
    let f = corpus();
    assert_eq!(
        f.hits(&["wto 互利"]),
        [("zh/2020-04-22.txt".to_string(), 2)]
    );
    let mut either = f.hits(&["climate OR 制裁"]);
    either.sort();
    assert_eq!(
        either,
        [
            ("en/2020-04-22.txt".to_string(), 2),
            ("notes.txt".to_string(), 1),
            ("zh/2021-03-01.txt".to_string(), 0)
        ]
    );
    // 命运 -网络: the exclusion works on characters too.
    assert_eq!(
        f.hits(&["命运 -网络"]),
        [("zh/2020-04-22.txt".to_string(), 0)]
    );
    assert_eq!(
        f.hits(&["trade -\"trade war\""]),
        [("en/2019-07-08.txt".to_string(), 2)]
    );
}

#[test]
fn search_filters_by_speaker_date_and_language() {
    let f = corpus();
    assert_eq!(
        f.speakers(&["trade", "--speaker", "zhao lijian"]),
        ["Zhao Lijian"]
    );
    let mut both = f.speakers(&["trade", "--speaker", "Zhao Lijian", "--speaker", "AFP"]);
    both.sort();
    assert_eq!(both, ["AFP", "Zhao Lijian"]);
    assert!(f
        .hits(&["trade", "--from", "2020"])
        .iter()
        .all(|(p, _)| p == "en/2020-04-22.txt"));
    assert_eq!(f.hits(&["trade", "--to", "2019-07"]).len(), 2);
    assert_eq!(
        f.hits(&["trade", "--from", "2019-07-09", "--to", "2020-04-21"])
            .len(),
        0
    );
    assert_eq!(
        f.hits(&["中美", "--from", "2021-03-01", "--to", "2021-03-01"])
            .len(),
        1
    );
    assert_eq!(f.hits(&["wto", "--lang", "en"]).len(), 0);
    assert_eq!(f.hits(&["wto", "--lang", "zh"]).len(), 1);
    let mut askers = f.speakers(&["trade", "--role", "question"]);
    askers.sort();
    assert_eq!(askers, ["-", "AFP"], "an anonymous Q has no speaker");
    let mut answers = f.speakers(&["trade", "role:answer"]);
    answers.sort();
    assert_eq!(answers, ["Geng Shuang", "Zhao Lijian"]);
}

#[test]
fn facets_count_all_matches_not_just_the_page() {
    let f = corpus();
    let page = f.search(&["trade", "--limit", "1"]);
    assert_eq!(page["hits"].as_array().unwrap().len(), 1);
    assert_eq!(page["total"], 4);
    assert_eq!(
        page["facets"]["speaker"],
        json!([{"value": "AFP", "count": 1}, {"value": "Geng Shuang", "count": 1}, {"value": "Zhao Lijian", "count": 1}]),
        "A: is the spokesperson of the title; Q: is nobody"
    );
    assert_eq!(page["facets"]["no_speaker"], 1);
    assert_eq!(
        page["facets"]["year"],
        json!([{"value": 2019, "count": 2}, {"value": 2020, "count": 2}])
    );
    let all = f.hits(&["trade", "--limit", "4"]);
    let next = f.search(&["trade", "--limit", "2", "--offset", "1"]);
    assert_eq!(next["hits"][0]["rank"], 2);
    assert_eq!(next["total"], 4);
    let paged = hit_keys(&next);
    assert_eq!(paged, all[1..3]);
}

#[test]
fn json_hits_carry_text_highlights_and_metadata() {
    let f = corpus();
    let r = f.search(&["\"community with a shared future\""]);
    assert_eq!(r["query"], "\"community with a shared future\"");
    assert_eq!(r["total"], 1);
    let hit = &r["hits"][0];
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["speaker"], "Zhao Lijian");
    assert_eq!(hit["date"], "2020-04-22");
    assert_eq!(
        hit["title"], "2020-04-22",
        "no front matter and a labelled first line: the file name"
    );
    assert_eq!(hit["path"], "en/2020-04-22.txt");
    assert_eq!(hit["paragraph"], 0);
    let text = hit["text"].as_str().unwrap();
    assert_eq!(text, "Humanity is a community with a shared future.");
    let spans: Vec<&str> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(spans, ["community with a shared future"]);
    assert_eq!(hit["snippet"], text);

    let zh = f.search(&["中美关系"]);
    let hit = &zh["hits"][0];
    let text = hit["text"].as_str().unwrap();
    let r = &hit["highlights"][0];
    assert_eq!(
        &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize],
        "中美关系"
    );
    assert_eq!(hit["date"], "2020-04-22");
    assert_eq!(
        hit["title"],
        "2020年4月22日外交部发言人赵立坚主持例行记者会"
    );
}

#[test]
fn exit_codes_follow_grep() {
    let f = corpus();
    assert_eq!(f.podium(&["search", "trade"]).code, 0);
    let none = f.podium(&["search", "zebra"]);
    assert_eq!(none.code, 1);
    assert_eq!(none.stdout.trim(), "0 matches");
    assert_eq!(f.podium(&["search", "\"trade"]).code, 2);
}

#[test]
fn errors_are_one_clear_line() {
    let f = corpus();
    let cases: &[(&[&str], &str)] = &[
        (&["search", "\"trade war"], "podium: bad query: column 1: unclosed quote: add a closing \""),
        (&["search", "trade)"], "podium: bad query: column 6: unmatched `)`"),
        (&["search", "foo:bar"], "podium: bad query: column 1: unknown field `foo:` (podium knows speaker:, lang:, role:)"),
        (&["search", "--", "-trade"], "podium: bad query: column 1: a query needs at least one word or phrase to match, not only exclusions"),
        (&["search", "trade", "--from", "last week"], "podium: --from last week: expected a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        (&["search", "trade", "--from", "2021", "--to", "2020"], "podium: --from 2021 is after --to 2020: nothing can match"),
    ];
    for (args, message) in cases {
        let run = f.podium(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stderr.trim(), *message, "{args:?}");
    }
}

#[test]
fn missing_index_says_how_to_build_one() {
    let f = Fixture::new(&[]);
    let run = f.podium(&["search", "trade"]);
    assert_eq!(run.code, 2);
    let idx = f.index_path();
    assert_eq!(
        run.stderr.trim(),
        format!(
            "podium: no index at {}: build one with `podium index DIR --index {}`",
            idx.display(),
            idx.display()
        )
    );
}

#[test]
fn text_output_shows_rank_date_speaker_title_path_and_snippet() {
    let f = corpus();
    let run = f.podium(&["search", "\"shared future\""]);
    assert_eq!(
        run.stdout,
        " 1. 2020-04-22  Zhao Lijian\n    2020-04-22\n    en/2020-04-22.txt ¶0\n    Humanity is a community with a shared future.\n\n1-1 of 1 match\nspeakers: Zhao Lijian 1\nyears: 2020 1\n"
    );
    let colored = f.podium(&["search", "\"shared future\"", "--color", "always"]);
    assert!(
        colored.stdout.contains("\x1b[1;31mshared future\x1b[0m"),
        "{}",
        colored.stdout
    );
}

#[test]
fn speakers_lists_every_speaker_with_counts() {
    let f = corpus();
    let run = f.podium(&["speakers", "--json"]);
    assert_eq!(run.code, 0);
    let list: Vec<(String, u64)> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["speaker"].as_str().unwrap().to_string(),
                p["passages"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("Zhao Lijian", 4),
        ("Geng Shuang", 2),
        ("AFP", 1),
        ("华春莹", 1),
        ("法新社记者", 1),
    ];
    let want: Vec<(String, u64)> = want.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(list, want, "赵立坚 is Zhao Lijian, by pinyin");
    let text = f.podium(&["speakers"]);
    assert!(
        text.stdout.starts_with("4  Zhao Lijian\n2  Geng Shuang\n"),
        "{}",
        text.stdout
    );
}

#[test]
fn inspect_shows_how_a_file_is_parsed() {
    let f = corpus();
    let run = f.podium(&["inspect", "corpus/zh/2020-04-22.txt", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parsed = run.json();
    let t = &parsed[0];
    assert_eq!(t["path"], "corpus/zh/2020-04-22.txt");
    assert_eq!(t["date"], "2020-04-22");
    assert_eq!(t["date_source"], "file-name");
    assert_eq!(t["lang"], "zh");
    assert_eq!(t["passages"][1]["speaker"], "法新社记者");
    assert_eq!(t["passages"][1]["role"], "question");
    assert_eq!(t["passages"][1]["text"], "中方如何看待网络空间的命运？");
    let missing = f.podium(&["inspect", "corpus/none.txt"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("corpus/none.txt: cannot read: file not found"),
        "{}",
        missing.stderr
    );
}

#[test]
fn kwic_aligns_matches_in_one_column_across_scripts() {
    let f = Fixture::new(&[
        (
            "a.txt",
            "Zhao Lijian: China and the WTO agree on climate finance today.\n",
        ),
        (
            "b.txt",
            "赵立坚：中方愿同各方加强应对气候变化合作，推动climate议程。\n",
        ),
    ])
    .indexed();
    let run = f.podium(&["search", "climate", "--kwic", "--width", "12"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    // The match starts at the same terminal column on every line (Chinese characters are two
    // columns wide).
    let column = |line: &str| {
        let at = line.find(" climate").expect("match on the line") + 1;
        let wide = |c: char| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ff60}');
        line[..at]
            .chars()
            .map(|c| if wide(c) { 2 } else { 1 })
            .sum::<usize>()
    };
    assert_eq!(column(lines[0]), column(lines[1]), "{}", run.stdout);
    assert_eq!(lines[2], "2 occurrences in 2 of 2 matching passages");

    let json = f.search(&["climate", "--kwic", "--width", "12"]);
    let occurrences = json["occurrences"].as_array().unwrap();
    assert_eq!(occurrences.len(), 2);
    for o in occurrences {
        assert_eq!(o["match"], "climate");
        let text = f.search(&["climate"])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["path"] == o["path"])
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string();
        let (start, end) = (
            o["start"].as_u64().unwrap() as usize,
            o["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], "climate");
    }
    let zh = occurrences.iter().find(|o| o["path"] == "b.txt").unwrap();
    assert_eq!(
        zh["left"], "化合作，推动",
        "12 columns of context: 6 wide characters"
    );
    assert_eq!(zh["right"], "议程。");
}

#[test]
fn proximity_prefix_and_quote_folding() {
    let f = Fixture::new(&[
        (
            "a.txt",
            "Hua Chunying: The trade and investment war hurts everyone.\n",
        ),
        ("b.txt", "Hua Chunying: A trade war hurts everyone.\n"),
        ("c.txt", "赵立坚：中美两国关系的发展符合利益。\n"),
        ("d.txt", "赵立坚：中美关系很重要。\n"),
        (
            "e.txt",
            "Geng Shuang: China’s position on sanctioning is clear.\n",
        ),
    ])
    .indexed();
    let mut near = f.hits(&["\"trade war\"~2"]);
    near.sort();
    assert_eq!(near, [("a.txt".to_string(), 0), ("b.txt".to_string(), 0)]);
    assert_eq!(f.hits(&["\"trade war\"~1"]), [("b.txt".to_string(), 0)]);
    let mut zh = f.hits(&["\"中美 关系\"~2"]);
    zh.sort();
    assert_eq!(zh, [("c.txt".to_string(), 0), ("d.txt".to_string(), 0)]);
    assert_eq!(f.hits(&["\"中美 关系\""]), [("d.txt".to_string(), 0)]);
    assert_eq!(f.hits(&["sanction*"]), [("e.txt".to_string(), 0)]);
    assert_eq!(f.hits(&["invest*", "hurts"]), [("a.txt".to_string(), 0)]);
    // Curly and straight apostrophes are the same.
    assert_eq!(
        f.hits(&["\"China's position\""]),
        [("e.txt".to_string(), 0)]
    );
    let r = f.search(&["sanction*"]);
    let text = r["hits"][0]["text"].as_str().unwrap();
    let h = &r["hits"][0]["highlights"][0];
    assert_eq!(
        &text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize],
        "sanctioning"
    );
}

#[test]
fn an_answer_ranks_above_the_short_question_that_repeats_it() {
    let f = Fixture::new(&[(
        "a.txt",
        "---\ntitle: Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference\n---\nQ: What about the trade war?\nA: The trade war has no winner. China does not want a trade war, but it is not afraid of one, and we hope the two sides will resolve their differences through consultation on an equal footing.\n",
    )])
    .indexed();
    assert_eq!(f.speakers(&["trade war"]), ["Geng Shuang", "-"]);
}

#[test]
fn identical_passages_are_listed_once_unless_asked() {
    let statement = "We have made our position clear on many occasions.";
    let f = Fixture::new(&[
        (
            "a/2020-01-02.txt",
            &format!("Geng Shuang: {statement}\nQ: Any position on the talks?\n"),
        ),
        ("b/2020-03-04.txt", &format!("Hua Chunying: {statement}\n")),
        (
            "c/2021-05-06.txt",
            &format!("Zhao Lijian: {statement} Our position on the talks is also clear.\n"),
        ),
    ])
    .indexed();
    let folded = f.search(&["position"]);
    assert_eq!(folded["total"], 4);
    let hits = folded["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    let copies: Vec<(&str, u64)> = hits
        .iter()
        .map(|h| {
            (
                h["text"].as_str().unwrap(),
                h["duplicates"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(copies.contains(&(statement, 1)), "{copies:?}");
    // Facets still count every passage.
    let speakers = folded["facets"]["speaker"].as_array().unwrap();
    assert_eq!(speakers.len(), 3, "{speakers:?}");

    // Copies outside the filters are not counted.
    let later = f.search(&["position", "--from", "2020-02"]);
    let statement_hit = later["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"] == statement)
        .expect("the statement is found");
    assert_eq!(statement_hit["duplicates"], 0, "{later}");
    let to = f.search(&["position", "--to", "2020-12-31", "--speaker", "Geng Shuang"]);
    assert_eq!(to["hits"][0]["duplicates"], 0, "{to}");
    let both = f.search(&["position", "--to", "2020-12-31"]);
    let copies: Vec<u64> = both["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["text"] == statement)
        .map(|h| h["duplicates"].as_u64().unwrap())
        .collect();
    assert_eq!(copies, [1], "{both}");

    let all = f.search(&["position", "--duplicates"]);
    assert_eq!(all["total"], 4);
    assert!(all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["duplicates"] == 0));
    assert_eq!(all["hits"].as_array().unwrap().len(), 4);

    let text = f.podium(&["search", "position", "--color", "never"]).stdout;
    assert!(
        text.contains("+ 1 more passage with this text (--duplicates lists them)"),
        "{text}"
    );
    // A limit or offset larger than the index asks for no memory.
    for flags in [&[][..], &["--duplicates"][..]] {
        let huge = usize::MAX.to_string();
        let mut args = vec!["search", "position", "--limit", &huge, "--json"];
        args.extend_from_slice(flags);
        let run = f.podium(&args);
        assert_eq!(run.code, 0, "{flags:?}: {}", run.stderr);
        args.extend_from_slice(&["--offset", &huge]);
        let run = f.podium(&args);
        assert_eq!(
            (run.code, &run.json()["hits"]),
            (0, &json!([])),
            "{}",
            run.stderr
        );
    }
    assert!(text.contains("1-3 of 4 matches\n"), "{text}");

    // A concordance folds the same way, and says so.
    let kwic = f
        .podium(&[
            "search",
            "\"made our position\"",
            "--kwic",
            "--color",
            "never",
        ])
        .stdout;
    let last = "2 occurrences in 2 of 3 matching passages (1 more with the same texts; \
                --duplicates lists them)";
    assert_eq!(kwic.lines().last(), Some(last), "{kwic}");
}
