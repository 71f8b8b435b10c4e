//! JSON for programs. The shapes are documented in the README; keep them stable.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use crate::search::SearchResults;

fn write_json(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

pub fn search(w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
    let count = |pairs: Vec<serde_json::Value>| serde_json::Value::Array(pairs);
    let value = json!({
        "query": r.query,
        "total": r.total,
        "hits": r.hits,
        "facets": {
            "speaker": count(r.facets.speaker.iter().map(|(v, n)| json!({"value": v, "count": n})).collect()),
            "year": count(r.facets.year.iter().map(|(v, n)| json!({"value": v, "count": n})).collect()),
            "undated": r.facets.undated,
            "no_speaker": r.facets.no_speaker,
        },
    });
    write_json(w, &value)
}

pub fn speakers(w: &mut dyn Write, speakers: &[(String, u64)]) -> io::Result<()> {
    let list: Vec<_> = speakers
        .iter()
        .map(|(s, n)| json!({"speaker": s, "passages": n}))
        .collect();
    write_json(w, &list)
}

pub fn value(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    write_json(w, value)
}
