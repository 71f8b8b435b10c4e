//! `podium trend`, `search --context`, `show`, `stats`, `completions` and `man`.

use serde_json::json;

use crate::harness::Fixture;

fn corpus() -> Fixture {
    Fixture::new(&[
        (
            "2019-12-30.txt",
            "Zhao Lijian: Climate first.\nAFP: Climate question?\n",
        ),
        (
            "2020-01-06.txt",
            "Zhao Lijian: Climate again.\nHua Chunying: Climate too.\n",
        ),
        (
            "2020-03-02.txt",
            "Zhao Lijian: Nothing here.\nHua Chunying: Climate in March.\n",
        ),
        ("undated.txt", "Hua Chunying: Climate without a date.\n"),
    ])
    .indexed()
}

#[test]
fn trend_counts_matches_per_period_with_empty_periods() {
    let f = corpus();
    let run = f.podium(&["trend", "climate", "--by", "month", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let t = run.json();
    assert_eq!(
        t["periods"],
        json!(["2019-12", "2020-01", "2020-02", "2020-03"])
    );
    assert_eq!(t["counts"], json!([2, 2, 0, 1]));
    assert_eq!(t["total"], 6);
    assert_eq!(t["undated"], 1);
    let weeks = f
        .podium(&["trend", "climate", "--by", "week", "--json"])
        .json();
    assert_eq!(
        weeks["periods"][0], "2020-W01",
        "2019-12-30 is in ISO week 1 of 2020"
    );
    assert_eq!(weeks["counts"][0], 2);
    assert_eq!(weeks["counts"][1], 2);
    assert_eq!(weeks["periods"].as_array().unwrap().len(), 10);

    let split = f.podium(&[
        "trend",
        "climate",
        "--by",
        "year",
        "--split-by",
        "speaker",
        "--csv",
    ]);
    assert_eq!(
        split.stdout,
        "period,count,Hua Chunying,Zhao Lijian,AFP\r\n2019,2,0,1,1\r\n2020,3,2,1,0\r\n"
    );
    let chart = f.podium(&["trend", "climate", "--by", "year"]);
    let lines: Vec<&str> = chart.stdout.lines().collect();
    assert!(
        lines[0].starts_with("2019  2 ") && lines[1].starts_with("2020  3 "),
        "{}",
        chart.stdout
    );
    assert_eq!(
        lines[1].matches('█').count(),
        50,
        "the largest period fills the width"
    );
    assert_eq!(lines[2], "6 matches in all (1 undated)");
    assert_eq!(f.podium(&["trend", "zebra"]).code, 1);
}

#[test]
fn context_and_show_print_neighbouring_passages() {
    let f = Fixture::new(&[(
        "a.txt",
        "Q: What about trade?\nZhao Lijian: Trade matters.\nQ: And climate?\nZhao Lijian: Climate matters.\n",
    )])
    .indexed();
    let r = f.search(&["climate matters", "--context", "1"]);
    let hit = &r["hits"][0];
    assert_eq!(hit["paragraph"], 3);
    assert_eq!(
        hit["context"],
        json!([{"paragraph": 2, "speaker": null, "role": "question", "text": "And climate?"}])
    );
    let text = f.podium(&["search", "climate matters", "--context", "2"]);
    assert!(text.stdout.contains("    ¶1 Zhao Lijian: Trade matters.\n    ¶2 Q: And climate?\n    ¶3 Zhao Lijian: Climate matters.\n"), "{}", text.stdout);

    let show = f.podium(&["show", "a.txt"]);
    assert_eq!(show.stdout, "¶0 Q: What about trade?\n¶1 Zhao Lijian: Trade matters.\n¶2 Q: And climate?\n¶3 Zhao Lijian: Climate matters.\n");
    let around = f
        .podium(&["show", "a.txt:1", "--context", "1", "--json"])
        .json();
    let paragraphs: Vec<u64> = around
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paragraph"].as_u64().unwrap())
        .collect();
    assert_eq!(paragraphs, [0, 1, 2]);
    let missing = f.podium(&["show", "b.txt"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr.trim(),
        "podium: b.txt: no such transcript in the index (paths are shown by `podium search`)"
    );
    let beyond = f.podium(&["show", "a.txt:9"]);
    assert_eq!(
        beyond.stderr.trim(),
        "podium: a.txt has paragraphs 0 to 3, not 9"
    );
}

#[test]
fn stats_describe_the_index() {
    let f = corpus();
    let s = f.podium(&["stats", "--json"]).json();
    assert_eq!(s["files"], 4);
    assert_eq!(s["passages"], 7);
    assert_eq!(s["speakers"], 3);
    assert_eq!(s["languages"], json!([["en", 7], ["zh", 0]]));
    assert_eq!(s["first_date"], "2019-12-30");
    assert_eq!(s["last_date"], "2020-03-02");
    assert_eq!(s["undated_passages"], 1);
    assert!(s["index_bytes"].as_u64().unwrap() > 1000);
    let text = f.podium(&["stats"]);
    assert!(
        text.stdout
            .contains("dates:       2019-12-30 to 2020-03-02 (1 undated passages)\n"),
        "{}",
        text.stdout
    );
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    let f = Fixture::new(&[]);
    for shell in ["bash", "zsh", "fish"] {
        let run = f.podium(&["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("speaker"), "{shell}");
        assert!(run.stdout.contains("trend"), "{shell}");
    }
    let man = f.podium(&["man"]);
    assert!(
        man.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq") || man.stdout.contains(".TH podium"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("search"));
}

#[test]
fn piped_output_is_plain_and_head_exits_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let f = corpus();
    let run = f.podium(&["search", "climate", "--color", "auto"]);
    assert!(!run.stdout.contains('\x1b'), "no colour in a pipe");
    // A reader that stops after one line, like `| head -1`.
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .env_clear()
        .env("PODIUM_INDEX", f.index_path())
        .args(["trend", "climate", "--by", "week"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 4];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0),
        "{:?}",
        out.status
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "no broken-pipe message"
    );
}

#[test]
fn podium_index_environment_variable_sets_the_default_and_flags_override_it() {
    let f = corpus();
    let elsewhere = f.dir.path().join("other");
    let run = f.podium(&["search", "climate", "--index", elsewhere.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    assert_eq!(
        f.podium(&["search", "climate"]).code,
        0,
        "PODIUM_INDEX points at the fixture's index"
    );
}
