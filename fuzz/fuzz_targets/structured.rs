//! JSON (`parse_json`), JSON Lines (`parse_jsonl`) and HTML (`html::parse`) readers; every record
//! or page read is then split into passages; whole files go through `corpus::parse` as the
//! indexer reads them.
//! Checks: no panic; `.jsonl` problems name a line of the file; passages as in the `transcript` target.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podium::corpus::{json, SourceFile};

#[path = "common.rs"]
mod common;

fn split_records(records: Vec<json::Record>) {
    for r in records {
        if let Some(id) = &r.id {
            common::check_tokens(id);
        }
        let doc = common::document("fuzz.json", r.front, r.body);
        common::check_transcript(&podium::transcript::split(&doc));
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    if let Ok((records, _problems)) = json::parse_json(&text) {
        split_records(records);
    }

    let (records, problems) = json::parse_jsonl(&text);
    let lines = text.lines().count();
    for p in &problems {
        assert!(
            p.line >= 1 && p.line <= lines.max(1),
            "bad line {} of {lines}",
            p.line
        );
    }
    split_records(records);

    // Whole files of each format, as the indexer reads them.
    for name in ["fuzz.json", "fuzz.jsonl", "fuzz.html"] {
        let source = SourceFile {
            path: name.into(),
            rel: name.into(),
        };
        if let Ok(read) = podium::corpus::parse(&source, data) {
            for doc in &read.documents {
                common::check_transcript(&podium::transcript::split(doc));
            }
        }
    }
});
