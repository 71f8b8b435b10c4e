//! JSON for programs. The shapes are documented in the README; keep them stable.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::index::identity::Person;
use crate::search::{Hit, SearchResults};

fn write_json(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

pub fn search(w: &mut dyn Write, r: &SearchResults) -> io::Result<()> {
    write_json(w, &search_value(r))
}

/// The object `podium search --json` prints.
pub fn search_value(r: &SearchResults) -> Value {
    let count = |pairs: Vec<Value>| Value::Array(pairs);
    json!({
        "query": r.query,
        "total": r.total,
        "hits": r.hits,
        "facets": {
            "speaker": count(r.facets.speaker.iter().map(|(v, n)| json!({"value": v, "count": n})).collect()),
            "year": count(r.facets.year.iter().map(|(v, n)| json!({"value": v, "count": n})).collect()),
            "undated": r.facets.undated,
            "no_speaker": r.facets.no_speaker,
        },
    })
}

/// One line of `podium search --queries`: the object a separate search would print (`value`),
/// with the query's `id` first.
pub fn batch_line(w: &mut dyn Write, id: &str, value: Value) -> io::Result<()> {
    let mut line = Map::new();
    line.insert("id".into(), Value::from(id));
    match value {
        Value::Object(fields) => line.extend(fields),
        other => {
            line.insert("value".into(), other);
        }
    }
    write_json(w, &line)
}

/// The line for a query of `podium search --queries` that failed: its id, its text when it was
/// readable, and why.
pub fn batch_error(
    w: &mut dyn Write,
    id: &str,
    query: Option<&str>,
    error: &str,
) -> io::Result<()> {
    write_json(w, &json!({"id": id, "query": query, "error": error}))
}

/// One hit as a line of JSON Lines (`--jsonl`): the object `--json` lists under `hits`, with
/// the score written the same way (as a JSON number of double precision).
pub fn hit_line(w: &mut dyn Write, hit: &Hit) -> io::Result<()> {
    write_json(w, &serde_json::to_value(hit)?)
}

/// One object per person: `speaker` (the name shown), `passages`, and `variants`, each with its
/// `value`, `passages`, `link` and the transcript step's `attribution` and `labels`.
pub fn speakers(w: &mut dyn Write, persons: &[Person]) -> io::Result<()> {
    let list: Vec<_> = persons
        .iter()
        .map(|p| json!({"speaker": p.name, "passages": p.passages, "variants": p.variants}))
        .collect();
    write_json(w, &list)
}

pub fn value(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    write_json(w, value)
}
