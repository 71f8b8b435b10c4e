//! Nothing is lost: a killed run, a second writer, a corrupted index, and hostile input files.

use std::process::{Command, Stdio};

use crate::harness::{run_in, Fixture};

/// English text that takes the indexer a while: `files` files of about 30 kB each.
fn big_corpus(f: &Fixture, files: usize, word: &str) {
    let paragraph = format!("Zhao Lijian: {word} cooperation on trade, climate and health benefits both sides, and the talks will continue next week in Geneva.\n");
    let text = paragraph.repeat(200);
    for i in 0..files {
        f.write(&format!("big/{i:04}.txt"), text.as_bytes());
    }
}

#[test]
fn a_killed_index_run_leaves_the_previous_index_searchable() {
    let f = Fixture::new(&[("a.txt", "Hua Chunying: Alpha is the first letter.\n")]).indexed();
    big_corpus(&f, 300, "bravo");
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .env_clear()
        .env("PODIUM_INDEX", f.index_path())
        .current_dir(f.dir.path())
        .args(["index", "corpus", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Search while the run is in progress (or just finished: either state is a whole one).
    let during = f.podium(&["search", "alpha", "--json"]);
    assert_eq!(during.code, 0, "{}", during.stderr);
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    let after = f.podium(&["search", "alpha", "--json"]);
    assert_eq!(
        after.code, 0,
        "the index stays readable after kill -9: {}",
        after.stderr
    );
    let bravo = f.search(&["bravo"])["total"].as_u64().unwrap();
    assert!(
        bravo == 0 || bravo == 300 * 200,
        "a whole old or new state, not {bravo} passages"
    );

    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(
        run.code, 0,
        "a lock left by the killed run does not block: {}",
        run.stderr
    );
    assert_eq!(f.search(&["bravo"])["total"], 300 * 200);
    assert_eq!(f.search(&["alpha"])["total"], 1);
}

#[test]
fn a_second_writer_gets_a_clear_message_and_searches_go_on() {
    let f = Fixture::new(&[("a.txt", "Hua Chunying: Alpha.\n")]).indexed();
    // Hold the writer lock as a running `podium index` would.
    let index = tantivy::Index::open_in_dir(f.index_path()).unwrap();
    let writer: tantivy::IndexWriter = index.writer(20_000_000).unwrap();
    let run = f.podium(&["index", "corpus"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        format!(
            "podium: another `podium index` is writing to {}; wait for it to finish",
            f.index_path().display()
        )
    );
    assert_eq!(f.podium(&["search", "alpha"]).code, 0);
    drop(writer);
    assert_eq!(f.podium(&["index", "corpus"]).code, 0);
}

#[test]
fn a_corrupted_index_says_what_to_do_and_rebuild_repairs_it() {
    let f = Fixture::new(&[("a.txt", "Hua Chunying: Alpha.\n")]).indexed();
    std::fs::write(f.index_path().join("meta.json"), "{ not json").unwrap();
    for args in [&["search", "alpha"][..], &["index", "corpus"][..]] {
        let run = f.podium(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.starts_with(&format!(
                "podium: the index at {} cannot be read (",
                f.index_path().display()
            )),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .trim_end()
                .ends_with("rebuild it with `podium index DIR --rebuild`"),
            "{}",
            run.stderr
        );
    }
    let run = f.podium(&["index", "corpus", "--rebuild"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(f.podium(&["search", "alpha"]).code, 0);
}

#[test]
fn hostile_files_are_reported_skipped_and_the_run_goes_on() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new(&[
        ("good.txt", "Hua Chunying: Alpha.\n"),
        ("empty.txt", ""),
        ("only-front-matter.md", "---\ntitle: Nothing else\n---\n"),
        ("unclosed.md", "---\ntitle: x\nHua Chunying: hi\n"),
        ("bad.json", "{\"text\": "),
        (
            "bad.jsonl",
            "not json\n{\"speaker\": \"Hua Chunying\", \"text\": \"Alpha from JSON Lines.\"}\n",
        ),
    ]);
    f.write("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00");
    // Not UTF-8: detected as a legacy single-byte encoding and read.
    f.write(
        "latin1.txt",
        b"Hua Chunying: Caf\xe9 na\xefve r\xe9sum\xe9, alpha.\n",
    );
    // A file name that is not UTF-8.
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(
        f.corpus().join(name),
        "Hua Chunying: Alpha from a strange name.\n",
    )
    .unwrap();
    // A symbolic link loop and a deep directory.
    std::os::unix::fs::symlink(f.corpus(), f.corpus().join("loop")).unwrap();
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect();
    f.write(
        &format!("{deep}deep.txt"),
        b"Hua Chunying: Alpha from deep down.\n",
    );
    // A 50 MB file of one line.
    f.write(
        "long.txt",
        format!("Hua Chunying: {}alpha\n", "word ".repeat(10_000_000)).as_bytes(),
    );

    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let skipped: Vec<(String, String)> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reasons: Vec<&str> = skipped.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        reasons,
        ["bad.json", "binary.txt", "empty.txt", "loop", "unclosed.md"],
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p == "loop" && r == "cannot read: symbolic link loop"),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p == "bad.json" && r.starts_with("JSON, line 1, column 9: ")),
        "{skipped:?}"
    );
    assert_eq!(
        r["warnings"][0]["reason"],
        "line 1, column 2: expected ident"
    );
    // Everything readable was indexed.
    let mut alpha: Vec<String> = f
        .hits(&["alpha", "--limit", "50"])
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    alpha.sort();
    assert_eq!(
        alpha,
        [
            "bad.jsonl",
            "caf\u{fffd}.txt",
            &format!("{deep}deep.txt"),
            "good.txt",
            "latin1.txt",
            "long.txt"
        ]
    );
    let latin1 = f.search(&["café"]);
    assert_eq!(latin1["hits"][0]["text"], "Café naïve résumé, alpha.");
    // Every problem is on stderr with its path.
    for (path, reason) in &skipped {
        assert!(
            run.stderr.contains(&format!("podium: {path}: {reason}")),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_file_removed_before_it_is_read_is_reported() {
    let source = podium::corpus::SourceFile {
        path: "/nonexistent/podium/gone.txt".into(),
        rel: "gone.txt".into(),
    };
    let err = podium::corpus::read(&source).unwrap_err();
    assert_eq!(
        err.to_string(),
        "gone.txt: cannot read: file not found (was it removed during indexing?)"
    );
}

#[test]
fn the_index_directory_of_the_repository_is_never_indexed() {
    // Indexing a folder that contains an index (as `podium index .` in the repository would).
    let f = Fixture::new(&[("a.txt", "Hua Chunying: Alpha.\n")]);
    let run = run_in(f.dir.path(), &["index", "corpus"], &f.corpus().join("idx"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = run_in(
        f.dir.path(),
        &["index", "corpus", "--json"],
        &f.corpus().join("idx"),
    );
    assert_eq!(again.json()["files"], 1, "{}", again.stdout);
}

#[test]
fn inputs_that_crashed_the_fuzzers_are_handled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let read =
        |name: &str| String::from_utf8_lossy(&std::fs::read(dir.join(name)).unwrap()).into_owned();
    assert_eq!(podium::date::chinese_number(&read("dates-1.bin")), None);
    let doc = podium::corpus::from_text("x.txt", &read("transcript-1.bin")).unwrap();
    assert_eq!(podium::transcript::split(&doc).date, None);
    let source = podium::corpus::SourceFile {
        path: "x.json".into(),
        rel: "x.json".into(),
    };
    let bytes = std::fs::read(dir.join("structured-1.bin")).unwrap();
    let doc = podium::corpus::parse(&source, &bytes)
        .unwrap()
        .documents
        .remove(0);
    assert_eq!(podium::transcript::split(&doc).passages.len(), 1);
}
