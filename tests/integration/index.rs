//! `podium index`: the summary, skipped files, undated files, and the index location.

use crate::harness::Fixture;

const PRESS: &str = "---\ntitle: Regular Press Conference on May 4, 2020\ndate: 2020-05-04\n---\nZhao Lijian: Good afternoon.\nAFP: A question on trade?\nZhao Lijian: Trade is important.\nIt matters to both sides.\n";

#[test]
fn index_summary_counts_files_passages_speakers_and_undated() {
    let f = Fixture::new(&[
        ("a/2020-05-04.txt", PRESS),
        (
            "b/notes.txt",
            "Notes\n\nQ: When?\n\nSenior Official: Soon.\n",
        ),
        ("b/ignored.pdf", "not a transcript"),
    ]);
    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["files_indexed"], 2);
    assert_eq!(r["passages"], 4 + 3);
    assert_eq!(
        r["speakers"], 2,
        "Zhao Lijian, AFP (Q and a Senior Official are anonymous)"
    );
    assert_eq!(r["undated"], serde_json::json!(["b/notes.txt"]));
    assert_eq!(r["skipped"], serde_json::json!([]));

    assert_eq!(
        (r["added"].as_u64(), r["files"].as_u64()),
        (Some(2), Some(2))
    );

    // Nothing changed: nothing is read again.
    let text = f.podium(&["index", "corpus"]);
    assert!(
        text.stdout
            .starts_with("indexed 0 files (0 passages, 0 B) from "),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains(": 0 added, 0 updated, 0 removed, 2 unchanged\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(": 2 files, 7 passages, 2 speakers\n"),
        "{}",
        text.stdout
    );
}

#[test]
fn reindexing_reads_only_what_changed() {
    let f = Fixture::new(&[
        ("keep.txt", "Zhao Lijian: Keep this passage.\n"),
        ("change.txt", "Zhao Lijian: Old words here.\n"),
        ("remove.txt", "Zhao Lijian: Remove this passage.\n"),
        ("touch.txt", "Zhao Lijian: Touched but the same.\n"),
    ])
    .indexed();
    f.write(
        "change.txt",
        b"Zhao Lijian: New words here.\nAFP: And a question?\n",
    );
    std::fs::remove_file(f.corpus().join("remove.txt")).unwrap();
    f.write("add.txt", b"Hua Chunying: A new file.\n");
    // Same content, new modification time: the hash says it is unchanged.
    let touched = f.corpus().join("touch.txt");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options()
        .write(true)
        .open(&touched)
        .unwrap()
        .set_modified(later)
        .unwrap();

    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r = run.json();
    let counts: Vec<u64> = [
        "added",
        "updated",
        "removed",
        "unchanged",
        "files",
        "passages",
        "passages_added",
    ]
    .iter()
    .map(|k| r[k].as_u64().unwrap())
    .collect();
    assert_eq!(counts, [1, 1, 1, 2, 4, 5, 3], "{r}");
    assert!(f.hits(&["remove"]).is_empty());
    assert!(f.hits(&["old"]).is_empty());
    assert_eq!(f.speakers(&["new words"]), ["Zhao Lijian"]);
    assert_eq!(f.speakers(&["keep"]), ["Zhao Lijian"]);
    assert_eq!(f.speakers(&["touched"]), ["Zhao Lijian"]);
    // And again: all unchanged, the touched file included.
    let again = f.podium(&["index", "corpus", "--json"]).json();
    assert_eq!(
        (again["unchanged"].as_u64(), again["files_indexed"].as_u64()),
        (Some(4), Some(0))
    );
}

#[test]
fn two_roots_live_in_one_index_with_unambiguous_paths() {
    let f = Fixture::new(&[
        ("a/x.txt", "Zhao Lijian: From the first root.\n"),
        ("b/x.txt", "Hua Chunying: From the second root.\n"),
    ]);
    let run = f.podium(&["index", "corpus/a"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        f.hits(&["root"]),
        [("x.txt".to_string(), 0)],
        "one root: paths relative to it"
    );
    let run = f.podium(&["index", "corpus/b", "--json"]);
    assert_eq!(run.json()["files"], 2, "the first root stays");
    let mut both = f.hits(&["root"]);
    both.sort();
    assert_eq!(
        both,
        [("a/x.txt".to_string(), 0), ("b/x.txt".to_string(), 0)]
    );
    // Re-indexing one root does not remove the other's files.
    std::fs::remove_file(f.corpus().join("b/x.txt")).unwrap();
    let run = f.podium(&["index", "corpus/b", "--json"]).json();
    assert_eq!(
        (run["removed"].as_u64(), run["files"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(f.hits(&["root"]), [("a/x.txt".to_string(), 0)]);
}

#[test]
fn index_skips_binary_file_and_reports_it() {
    let f = Fixture::new(&[("good.txt", PRESS)]);
    f.write("bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    f.write("broken.md", b"---\ntitle: never closed\nZhao Lijian: hi\n");
    let run = f.podium(&["index", "corpus"]);
    assert_eq!(run.code, 1, "skipped files give exit 1: {}", run.stderr);
    assert!(
        run.stderr
            .contains("podium: bad.txt: binary file (NUL byte at offset 8)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "podium: broken.md: front matter, line 1: the block opened with `---` never closes"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("skipped: 2 files"), "{}", run.stdout);
    assert!(run.stdout.starts_with("indexed 1 file ("), "{}", run.stdout);
    // The good file is searchable.
    assert_eq!(f.hits(&["trade"]).len(), 2);
}

#[test]
fn index_reads_legacy_chinese_encodings_and_utf16() {
    let f = Fixture::new(&[]);
    let gb = encoding_rs::GB18030
        .encode("赵立坚：中美关系保持稳定发展，符合两国人民利益。\n")
        .0;
    let big5 = encoding_rs::BIG5
        .encode("林委員志明：立法院今天討論氣候變化與能源轉型的預算。\n")
        .0;
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "华春莹：多边主义是正道。\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    f.write("gb.txt", &gb);
    f.write("big5.txt", &big5);
    f.write("utf16.txt", &utf16);
    let f = f.indexed();
    assert_eq!(f.speakers(&["中美关系"]), ["赵立坚"]);
    assert_eq!(f.speakers(&["能源轉型"]), ["林志明"]);
    assert_eq!(f.speakers(&["多边主义"]), ["华春莹"]);
}

#[test]
fn reindexing_replaces_the_previous_contents() {
    let f = Fixture::new(&[("a.txt", PRESS)]).indexed();
    assert_eq!(f.hits(&["trade"]).len(), 2);
    std::fs::remove_file(f.corpus().join("a.txt")).unwrap();
    f.write("b.txt", b"Hua Chunying: Climate matters.\n");
    let f = f.indexed();
    assert!(f.hits(&["trade"]).is_empty());
    assert_eq!(f.speakers(&["climate"]), ["Hua Chunying"]);
}

#[test]
fn index_refuses_a_directory_that_is_not_an_index() {
    let f = Fixture::new(&[("a.txt", PRESS)]);
    std::fs::create_dir_all(f.index_path()).unwrap();
    std::fs::write(f.index_path().join("thesis.docx"), "mine").unwrap();
    let run = f.podium(&["index", "corpus"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("is not a podium index (it holds other files)"),
        "{}",
        run.stderr
    );
    assert!(
        f.index_path().join("thesis.docx").exists(),
        "nothing of the user's is touched"
    );
}

#[test]
fn index_of_a_missing_directory_is_an_error() {
    let f = Fixture::new(&[]);
    let run = f.podium(&["index", "nowhere"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "podium: nowhere: no such file or directory"
    );
}

#[test]
fn speakers_file_gives_one_person_one_name_across_languages() {
    let f = Fixture::new(&[
        (
            "en.txt",
            "Zhao Lijian: We oppose sanctions.\nBloomberg News: A question on sanctions?\n",
        ),
        ("zh.txt", "赵立坚：我们反对制裁。\n"),
        (
            "speakers.toml",
            "\"Zhao Lijian\" = [\"赵立坚\"]\n\"Bloomberg\" = [\"Bloomberg News\"]\n",
        ),
    ])
    .indexed();
    let mut found = f.hits(&["sanction OR 制裁", "--speaker", "赵立坚"]);
    found.sort();
    assert_eq!(
        found,
        [("en.txt".to_string(), 0), ("zh.txt".to_string(), 0)]
    );
    assert_eq!(f.speakers(&["制裁"]), ["Zhao Lijian"]);
    assert_eq!(f.speakers(&["question"]), ["Bloomberg"]);
    assert_eq!(
        f.speakers(&["制裁", "--speaker", "趙立堅"]),
        ["Zhao Lijian"],
        "Traditional spelling of a variant"
    );
}

#[test]
fn a_bad_speakers_file_is_an_error_with_its_line() {
    let f = Fixture::new(&[("en.txt", PRESS)]);
    f.write(
        "../names.toml",
        b"\"Zhao Lijian\" = [\"x\"]\n\"Zhao\" = 3\n",
    );
    let run = f.podium(&["index", "corpus", "--speakers", "names.toml"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "podium: names.toml: `Zhao`: expected a list of names, as in \"Zhao\" = [\"…\"], found integer"
    );
}

#[test]
fn an_index_of_an_older_format_is_rebuilt_beside_the_old_one() {
    let f = Fixture::new(&[("a.txt", PRESS)]).indexed();
    // Pretend an older podium wrote it.
    let meta_path = f.index_path().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let format = format!("\\\"format\\\":{}", podium::index::FORMAT_VERSION);
    assert!(meta.contains(&format), "{meta}");
    std::fs::write(&meta_path, meta.replace(&format, "\\\"format\\\":0")).unwrap();
    std::fs::write(f.index_path().join("README.md"), "mine").unwrap();

    let search = f.podium(&["search", "trade"]);
    assert_eq!(search.code, 2);
    assert!(
        search
            .stderr
            .contains("incompatible version of podium (format 0, this version reads"),
        "{}",
        search.stderr
    );

    let run = f.podium(&["index", "corpus", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["rebuilt"], true);
    assert_eq!(f.hits(&["trade"]).len(), 2);
    assert_eq!(
        std::fs::read_to_string(f.index_path().join("README.md")).unwrap(),
        "mine"
    );
    let leftovers: Vec<_> = std::fs::read_dir(f.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "only corpus/ and idx/ remain: {leftovers:?}"
    );
}
