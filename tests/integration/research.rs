//! Research workflows: `--sort`, `podium first`, batch queries (`--queries`), `--csv` and
//! `--jsonl`.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::harness::{hit_keys, Fixture, Run};

/// Files with the dates their names give (or none), every one with passages about climate,
/// two dated files on one day, two undated files, and one text read on two days.
const DATED: &[(&str, Option<&str>, &str)] = &[
    (
        "a/2021-05-01.txt",
        Some("2021-05-01"),
        "Li Ming: The climate plan matters.\nLi Ming: Climate finance matters too.\nQ: What about climate targets?\nLi Ming: Next question.\n",
    ),
    (
        "c/2020-01-15.txt",
        Some("2020-01-15"),
        "Wang Fang: We discussed climate in January.\nWang Fang: Nothing else.\n",
    ),
    (
        "b/2020-01-15.txt",
        Some("2020-01-15"),
        "Wang Fang: The climate statement is read again.\nWang Fang: Climate, once more.\n",
    ),
    (
        "d/2022-09-09.txt",
        Some("2022-09-09"),
        "Chen Jun: The climate statement is read again.\nChen Jun: A new climate deal.\n",
    ),
    (
        "notes/zeta.txt",
        None,
        "Background notes\n\nClimate talks went on without a date.\n",
    ),
    (
        "notes/alpha.txt",
        None,
        "Background notes\n\nMore climate notes, undated as well.\n",
    ),
    (
        "e/2019-11-30.txt",
        Some("2019-11-30"),
        "Zhao Lijian: Climate change is a shared challenge.\nZhao Lijian: Thank you.\n",
    ),
];

fn dated() -> Fixture {
    let files: Vec<(&str, &str)> = DATED.iter().map(|(p, _, t)| (*p, *t)).collect();
    Fixture::new(&files).indexed()
}

/// Every passage matching `climate`, in the date order the fixture's dates give: by day
/// (`newest` reverses it), then path, then paragraph; undated passages last.
fn expected_order(f: &Fixture, newest: bool) -> Vec<(String, u64)> {
    let day: HashMap<&str, &str> = DATED
        .iter()
        .filter_map(|(p, d, _)| d.map(|d| (*p, d)))
        .collect();
    let mut all = f.hits(&["climate", "--duplicates", "--limit", "100"]);
    assert_eq!(all.len(), 11, "the fixture has 11 passages about climate");
    all.sort_by(|a, b| {
        let (da, db) = (day.get(a.0.as_str()), day.get(b.0.as_str()));
        let by_day = match (da, db) {
            (Some(x), Some(y)) if newest => y.cmp(x),
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_day.then_with(|| a.cmp(b))
    });
    all
}

#[test]
fn sort_by_date_follows_the_fixture_dates_with_undated_last_both_ways() {
    let f = dated();
    for (sort, newest) in [("date", false), ("-date", true)] {
        let want = expected_order(&f, newest);
        let got = f.hits(&["climate", "--sort", sort, "--duplicates", "--limit", "100"]);
        assert_eq!(got, want, "--sort {sort}");
        // Pages of 3 put together are the whole list.
        let mut paged = Vec::new();
        for offset in (0..12).step_by(3) {
            let offset = offset.to_string();
            paged.extend(f.hits(&[
                "climate",
                "--sort",
                sort,
                "--duplicates",
                "--limit",
                "3",
                "--offset",
                &offset,
            ]));
        }
        assert_eq!(paged, want, "--sort {sort}, paged");
        // Dates in the output agree with the order.
        let results = f.search(&["climate", "--sort", sort, "--duplicates", "--limit", "100"]);
        let dates: Vec<Option<&str>> = results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["date"].as_str())
            .collect();
        let dated: Vec<&str> = dates.iter().flatten().copied().collect();
        let mut sorted = dated.clone();
        sorted.sort();
        if newest {
            sorted.reverse();
        }
        assert_eq!(dated, sorted);
        assert_eq!(dates[9..], [None, None], "undated last with --sort {sort}");
        assert!(
            results["hits"][0]["score"].is_null(),
            "no score in date order"
        );
    }
    let relevance = f.hits(&["climate", "--duplicates", "--limit", "100"]);
    let explicit = f.hits(&[
        "climate",
        "--sort",
        "relevance",
        "--duplicates",
        "--limit",
        "100",
    ]);
    assert_eq!(relevance, explicit, "relevance is the default");
    let bad = f.podium(&["search", "climate", "--sort", "newest"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("-date"), "{}", bad.stderr);
}

#[test]
fn sort_by_date_folds_a_repeated_text_into_its_earliest_copy() {
    let f = dated();
    let oldest = f.search(&["climate", "--sort", "date", "--limit", "100"]);
    let keys = hit_keys(&oldest);
    let statement = |path: &str| (path.to_string(), 0);
    assert!(keys.contains(&statement("b/2020-01-15.txt")));
    assert!(!keys.contains(&statement("d/2022-09-09.txt")), "{keys:?}");
    assert_eq!(keys.len(), 10, "one of 11 passages folded");
    let hit = oldest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"] == "b/2020-01-15.txt" && h["paragraph"] == 0)
        .unwrap();
    assert_eq!(hit["duplicates"], 1);
    // Newest first lists the text at its latest copy.
    let newest = hit_keys(&f.search(&["climate", "--sort", "-date", "--limit", "100"]));
    assert!(newest.contains(&statement("d/2022-09-09.txt")));
    assert!(!newest.contains(&statement("b/2020-01-15.txt")));
    // Folding and paging together: pages of 4 are the whole folded list.
    let mut paged = Vec::new();
    for offset in ["0", "4", "8"] {
        paged.extend(f.hits(&[
            "climate", "--sort", "date", "--limit", "4", "--offset", offset,
        ]));
    }
    assert_eq!(paged, keys);
}

#[test]
fn kwic_lines_follow_the_date_order() {
    let f = dated();
    let run = f.podium(&[
        "search", "climate", "--sort", "date", "--kwic", "--json", "--limit", "100",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let occurrences = run.json()["occurrences"].as_array().unwrap().clone();
    let dates: Vec<Option<String>> = occurrences
        .iter()
        .map(|o| o["date"].as_str().map(str::to_string))
        .collect();
    let mut want = dates.clone();
    want.sort_by(|a, b| match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    assert_eq!(dates, want);
    assert_eq!(
        dates.first().cloned().flatten().as_deref(),
        Some("2019-11-30")
    );
}

/// A phrase introduced by one speaker and picked up by others; an anonymous question before
/// them all, a speaker who never says it, and one whose only use is undated.
fn phrase_corpus() -> Fixture {
    Fixture::new(&[
        (
            "2016-06-06.txt",
            "Q: Is a shared future possible?\nLu Kang: We will see.\nQ: Anything else?\nLu Kang: No.\n",
        ),
        (
            "2017-01-01.txt",
            "Lu Kang: Nothing about it today.\nLu Kang: Thank you.\n",
        ),
        (
            "2018-05-02.txt",
            "Geng Shuang: A community with a shared future is our goal.\nGeng Shuang: Nothing else.\n",
        ),
        (
            "2019-01-10.txt",
            "Hua Chunying: The shared future matters.\nGeng Shuang: Again, a shared future.\nHua Chunying: Thank you.\nGeng Shuang: Next question.\n",
        ),
        (
            "2020-07-07.txt",
            "Zhao Lijian: A shared future once more.\nHua Chunying: A shared future for Asia.\nZhao Lijian: Thank you.\n",
        ),
        (
            "talk.txt",
            "Wang Yi: A shared future for all.\nWang Yi: That is all.\n",
        ),
    ])
    .indexed()
}

fn first(f: &Fixture, args: &[&str]) -> Value {
    let mut all = vec!["first", "\"shared future\""];
    all.extend_from_slice(args);
    all.push("--json");
    let run = f.podium(&all);
    assert_eq!(run.code, 0, "first {args:?}: {}", run.stderr);
    run.json()
}

/// `(speaker or year, date, path, paragraph, later)` per row.
fn rows(v: &Value) -> Vec<(String, Option<String>, String, u64, u64)> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let who = r["year"]
                .as_i64()
                .map(|y| y.to_string())
                .or_else(|| r["speaker"].as_str().map(str::to_string))
                .unwrap_or_else(|| "-".into());
            (
                who,
                r["date"].as_str().map(str::to_string),
                r["path"].as_str().unwrap().to_string(),
                r["paragraph"].as_u64().unwrap(),
                r["later"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(
    who: &str,
    date: Option<&str>,
    path: &str,
    paragraph: u64,
    later: u64,
) -> (String, Option<String>, String, u64, u64) {
    (
        who.into(),
        date.map(str::to_string),
        path.into(),
        paragraph,
        later,
    )
}

#[test]
fn first_by_speaker_names_who_introduced_a_phrase_and_who_picked_it_up() {
    let f = phrase_corpus();
    let by_speaker = first(&f, &["--by", "speaker"]);
    assert_eq!(
        rows(&by_speaker),
        [
            row("Geng Shuang", Some("2018-05-02"), "2018-05-02.txt", 0, 1),
            row("Hua Chunying", Some("2019-01-10"), "2019-01-10.txt", 0, 1),
            row("Zhao Lijian", Some("2020-07-07"), "2020-07-07.txt", 0, 0),
            row("Wang Yi", None, "talk.txt", 0, 0),
        ]
    );
    assert_eq!(by_speaker["total"], 7);
    assert_eq!(by_speaker["groups"], 4);
    let two = first(&f, &["--by", "speaker", "--limit", "2"]);
    assert_eq!(rows(&two), rows(&by_speaker)[..2]);
    assert_eq!(two["groups"], 4);
    // Filters apply: from 2019 on, Geng Shuang's first use is in 2019.
    let later = first(&f, &["--by", "speaker", "--from", "2019"]);
    assert_eq!(
        rows(&later)[0],
        row("Hua Chunying", Some("2019-01-10"), "2019-01-10.txt", 0, 1)
    );
    assert_eq!(
        rows(&later)[1],
        row("Geng Shuang", Some("2019-01-10"), "2019-01-10.txt", 1, 0)
    );

    // Overall, the anonymous question came first.
    let overall = first(&f, &[]);
    assert_eq!(
        rows(&overall),
        [row("-", Some("2016-06-06"), "2016-06-06.txt", 0, 6)]
    );
    let by_year = first(&f, &["--by", "year"]);
    assert_eq!(
        rows(&by_year),
        [
            row("2016", Some("2016-06-06"), "2016-06-06.txt", 0, 0),
            row("2018", Some("2018-05-02"), "2018-05-02.txt", 0, 0),
            row("2019", Some("2019-01-10"), "2019-01-10.txt", 0, 1),
            row("2020", Some("2020-07-07"), "2020-07-07.txt", 0, 1),
        ]
    );

    let text = f.podium(&["first", "\"shared future\"", "--by", "speaker"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert!(lines[0].starts_with("date "), "{}", text.stdout);
    assert!(
        lines[1].starts_with("2018-05-02  Geng Shuang ") && lines[1].contains("2018-05-02.txt ¶0"),
        "{}",
        text.stdout
    );
    assert!(
        lines[4].starts_with("undated     Wang Yi "),
        "{}",
        text.stdout
    );
    assert_eq!(lines[5], "4 speakers, 7 matches");
    assert_eq!(f.podium(&["first", "zebra"]).code, 1);
}

/// `podium ARGS` with `input` on stdin.
fn with_stdin(f: &Fixture, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .env_clear()
        .env("PODIUM_INDEX", f.index_path())
        .current_dir(f.dir.path())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podium runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("writing queries");
    let out = child.wait_with_output().expect("podium ends");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// 50 queries made from the fixture's words by a fixed generator: words, phrases, OR,
/// exclusions, field filters, Chinese, and some that cannot parse.
fn generated_queries() -> Vec<String> {
    const PARTS: &[&str] = &[
        "climate",
        "\"climate statement\"",
        "statement OR deal",
        "matters",
        "-finance climate",
        "speaker:\"Wang Fang\"",
        "role:question",
        "notes",
        "气候",
        "clim*",
        "zebra",
        "(plan OR deal) climate",
    ];
    const BAD: &[&str] = &["\"climate", "(climate", "-climate", "climate)", "speaker:"];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..50)
        .map(|i| {
            if i % 9 == 4 {
                return BAD[next(BAD.len())].to_string();
            }
            let words = 1 + next(2);
            (0..words)
                .map(|_| PARTS[next(PARTS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn batch_queries_equal_separate_searches_bad_lines_included() {
    let f = dated();
    let queries = generated_queries();
    let flags = ["--limit", "3", "--sort", "date", "--snippet", "40"];
    let mut input = String::new();
    for (i, q) in queries.iter().enumerate() {
        if i % 2 == 0 {
            input += &format!("q{i}\t{q}\n");
        } else {
            input += &format!("{q}\n");
        }
    }
    input += "\n   \n";
    let mut args = vec!["search", "--queries", "-"];
    args.extend(flags);
    let batch = with_stdin(&f, &args, input.as_bytes());
    assert_eq!(batch.code, 2, "some lines are bad: {}", batch.stderr);
    let lines: Vec<Value> = batch
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(
        lines.len(),
        50,
        "one object per query, none for blank lines"
    );
    let mut bad = 0;
    for (i, (q, line)) in queries.iter().zip(&lines).enumerate() {
        let id = if i % 2 == 0 {
            format!("q{i}")
        } else {
            (i + 1).to_string()
        };
        assert_eq!(line["id"], Value::from(id.as_str()), "line {i}");
        let mut single = vec!["search"];
        single.extend(flags);
        single.extend(["--json", "--", q.as_str()]);
        let alone = f.podium(&single);
        if alone.code == 2 {
            bad += 1;
            let message = alone.stderr.trim().trim_start_matches("podium: ");
            assert_eq!(line["error"], Value::from(message), "query {q:?}");
            assert_eq!(line["query"], Value::from(q.as_str()));
        } else {
            let mut line = line.clone();
            line.as_object_mut().unwrap().remove("id");
            assert_eq!(line, alone.json(), "query {q:?}");
        }
    }
    assert!(bad >= 4, "the generated set has bad lines ({bad})");

    // From a file too, and a line that is not UTF-8 is an error object like the others.
    f.write("../queries.txt", b"climate\n\xff\xfe\nnotes\n");
    let file = f.podium(&["search", "--queries", "queries.txt", "--limit", "1"]);
    let lines: Vec<Value> = file
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["error"], "line 2 is not valid UTF-8");
    assert_eq!(lines[2]["id"], "3");
    assert_eq!(
        lines[2]["total"], 3,
        "two title lines and one passage say notes"
    );
    let missing = f.podium(&["search", "--queries", "nowhere.txt"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nowhere.txt"), "{}", missing.stderr);
}

/// Passages whose text has commas, quotes and Chinese, and a title with a comma and quotes.
fn awkward() -> Fixture {
    Fixture::new(&[
        (
            "2021-02-03.json",
            r#"{"title": "Briefing, \"special\" edition", "date": "2021-02-03", "paragraphs": [
                {"speaker": "Li Ming", "text": "Climate, he said, is \"urgent\"."},
                {"speaker": "赵立坚", "text": "气候变化是共同挑战，climate 也是。"},
                {"text": "climate; no speaker here"}
            ]}"#,
        ),
        (
            "2020-01-01.txt",
            "Wang Fang: Climate first, \"quoted\", and plain.\nWang Fang: Climate first, \"quoted\", and plain.\n",
        ),
    ])
    .indexed()
}

#[test]
fn csv_reads_back_into_the_fields_of_json() {
    let f = awkward();
    for extra in [
        &[][..],
        &["--sort", "date"][..],
        &["--limit", "2", "--offset", "1"][..],
    ] {
        let mut args = vec!["search", "climate"];
        args.extend_from_slice(extra);
        let mut csv_args = args.clone();
        csv_args.push("--csv");
        let run = f.podium(&csv_args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.starts_with(
            "rank,date,speaker,label,role,lang,title,path,paragraph,text,duplicates\r\n"
        ));
        let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<HashMap<String, String>> = reader
            .records()
            .map(|r| {
                let r = r.expect("a CSV record");
                header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(String::from))
                    .collect()
            })
            .collect();
        // Every hit of the page, not only the first ten: the JSON asks for them all.
        let mut json_args = args.clone();
        if !extra.contains(&"--limit") {
            json_args.extend(["--limit", "100"]);
        }
        let json = f.search(&json_args[1..]);
        let hits = json["hits"].as_array().unwrap();
        assert_eq!(rows.len(), hits.len(), "{extra:?}");
        assert!(!rows.is_empty());
        for (row, hit) in rows.iter().zip(hits) {
            let text = |v: &Value| match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            for column in [
                "rank",
                "date",
                "speaker",
                "label",
                "role",
                "lang",
                "title",
                "path",
                "paragraph",
                "text",
                "duplicates",
            ] {
                assert_eq!(row[column], text(&hit[column]), "{column} of {hit}");
            }
        }
    }
    // A passage never holds a line break (the reader splits paragraphs on them); the CSV
    // writer's quoting of line breaks is tested in `render::csv`.
    let texts = f.podium(&["search", "climate", "--csv"]).stdout;
    assert!(
        texts.contains(",\"Climate, he said, is \"\"urgent\"\".\","),
        "{texts}"
    );
    assert!(texts.contains("赵立坚"));
    assert!(!texts.starts_with('\u{feff}'));
    let bom = f
        .podium(&["search", "climate", "--csv", "--csv-bom"])
        .stdout;
    assert!(bom.starts_with("\u{feff}rank,"));
}

#[test]
fn jsonl_streams_the_hits_of_json_one_per_line() {
    let f = awkward();
    for extra in [
        &[][..],
        &["--duplicates", "--sort", "-date"][..],
        &["--limit", "1", "--offset", "2"][..],
    ] {
        let mut args = vec!["search", "climate", "--jsonl"];
        args.extend_from_slice(extra);
        let run = f.podium(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines: Vec<Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let mut json_args = vec!["climate"];
        json_args.extend_from_slice(extra);
        if !extra.contains(&"--limit") {
            json_args.extend(["--limit", "100"]);
        }
        let json = f.search(&json_args);
        assert_eq!(&lines, json["hits"].as_array().unwrap(), "{extra:?}");
    }
    let none = f.podium(&["search", "zebra", "--jsonl"]);
    assert_eq!((none.code, none.stdout.as_str()), (1, ""));
}
