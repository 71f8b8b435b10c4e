//! The cluster's identity table: which speaker values are one person, as
//! [`crate::index::identity`] links them for the embedded index.
//!
//! After a run that changed something, [`gather`] asks the distributed table for the same
//! evidence the embedded index reads from its fast fields (passages, questions, dates, files,
//! attributions and labels per value), [`crate::index::identity::link`] links it, and [`write`]
//! stores the table on shard 0 as rows of JSON, tagged with the run's generation. The metadata
//! row, written after it, names the same generation; a reader that finds a table of another
//! generation (a run that died between the two writes) uses none, one person per value, as the
//! embedded index does with a stale table.

use std::collections::HashMap;

use super::ingest::{IDENTITY, PASSAGE};
use super::search::grouped;
use super::sql::{literal, num, Conn, SqlResult};
use super::EngineUrl;
use crate::index::identity::{self, Identities, Person, ValueStats};

/// The id of the first row of the table; chunk `i` is at `FIRST_ID + i`. Ids below 2^16 are
/// never a file's.
const FIRST_ID: u64 = 1024;
/// The most rows the table may take.
const MAX_CHUNKS: usize = (1 << 16) - FIRST_ID as usize;
/// Bytes of JSON per row: well under the engine's packet limit.
const CHUNK_BYTES: usize = 256 << 10;

/// What the distributed table `table` knows of every speaker value.
pub(crate) fn gather(conn: &mut Conn, table: &str) -> SqlResult<Vec<ValueStats>> {
    let mut stats: HashMap<String, ValueStats> = HashMap::new();
    let by = |columns: &str, filter: &str, group: &str| {
        format!(
            "SELECT speaker, {columns} FROM {table} WHERE kind = {PASSAGE}{filter} GROUP BY speaker{group}"
        )
    };
    for row in grouped(conn, &by("COUNT(*) AS n, SUM(question) AS q", "", ""))? {
        if let Some(s) = value(&mut stats, &row) {
            s.passages = num(&row, 1);
            s.questions = num(&row, 2);
        }
    }
    for row in grouped(
        conn,
        &by("MIN(day) AS lo, MAX(day) AS hi", " AND day > 0", ""),
    )? {
        if let Some(s) = value(&mut stats, &row) {
            s.days = Some((num(&row, 1), num(&row, 2)));
        }
    }
    let mut file_ids: HashMap<String, u32> = HashMap::new();
    for row in grouped(conn, &by("file, COUNT(*) AS n", "", ", file"))? {
        let file = row.get(1).cloned().unwrap_or_default();
        let next = file_ids.len() as u32;
        let id = *file_ids.entry(file.clone()).or_insert(next);
        if let Some(s) = value(&mut stats, &row) {
            s.families.insert(identity::family(&file));
            s.files.insert(id);
        }
    }
    for (column, of) in [
        ("attribution", Evidence::Attribution),
        ("label", Evidence::Label),
    ] {
        let sql = by(
            &format!("{column}, COUNT(*) AS n"),
            "",
            &format!(", {column}"),
        );
        for row in grouped(conn, &sql)? {
            let written = row.get(1).filter(|w| !w.is_empty()).cloned();
            if let (Some(s), Some(written)) = (value(&mut stats, &row), written) {
                let counts = match of {
                    Evidence::Attribution => &mut s.attributions,
                    Evidence::Label => &mut s.labels,
                };
                *counts.entry(written).or_default() += num::<u64>(&row, 2);
            }
        }
    }
    let mut out: Vec<ValueStats> = stats.into_values().collect();
    out.sort_by(|a, b| a.value.cmp(&b.value));
    Ok(out)
}

/// The stats of the row's speaker value (none for passages without a speaker).
fn value<'a>(
    stats: &'a mut HashMap<String, ValueStats>,
    row: &[String],
) -> Option<&'a mut ValueStats> {
    let v = row.first().filter(|v| !v.is_empty())?;
    Some(stats.entry(v.clone()).or_insert_with(|| ValueStats {
        value: v.clone(),
        ..ValueStats::default()
    }))
}

enum Evidence {
    Attribution,
    Label,
}

/// Stores `persons` as the table of `generation` on shard 0, replacing the rows of the table
/// before (`previous_chunks` of them).
pub(crate) fn write(
    conn: &mut Conn,
    url: &EngineUrl,
    generation: u64,
    persons: Vec<Person>,
    previous_chunks: usize,
) -> SqlResult<usize> {
    let json = identity::to_json(generation, persons);
    let json = String::from_utf8(json).expect("JSON is UTF-8");
    let chunks = split(&json, CHUNK_BYTES);
    let table = url.shard_table(0);
    // A table too large for its rows is not stored: searches then show values as they are.
    let chunks = match chunks.len() <= MAX_CHUNKS {
        true => chunks,
        false => Vec::new(),
    };
    for (i, chunk) in chunks.iter().enumerate() {
        conn.exec(&format!(
            "REPLACE INTO {table} (id, kind, paragraph, text) VALUES ({}, {IDENTITY}, {i}, {})",
            FIRST_ID + i as u64,
            literal(chunk)
        ))?;
    }
    let stale: Vec<String> = (chunks.len()..previous_chunks)
        .map(|i| (FIRST_ID + i as u64).to_string())
        .collect();
    for ids in stale.chunks(5_000) {
        conn.exec(&format!(
            "DELETE FROM {table} WHERE id IN ({})",
            ids.join(",")
        ))?;
    }
    Ok(chunks.len())
}

/// The table stored for `generation`, or an empty one (each value its own person) when it is
/// missing, incomplete or of another generation.
pub(crate) fn read(
    conn: &mut Conn,
    url: &EngineUrl,
    generation: u64,
    chunks: usize,
) -> SqlResult<Identities> {
    if chunks == 0 {
        return Ok(Identities::default());
    }
    let rows = conn.rows(&format!(
        "SELECT id, text FROM {} WHERE kind = {IDENTITY} AND id >= {FIRST_ID} AND id < {} ORDER BY id ASC LIMIT {chunks} OPTION max_matches = {chunks}",
        url.shard_table(0),
        FIRST_ID + chunks as u64
    ))?;
    if rows.len() != chunks {
        return Ok(Identities::default());
    }
    let json: String = rows
        .iter()
        .map(|r| r.get(1).map_or("", String::as_str))
        .collect();
    Ok(Identities::from_json(json.as_bytes(), generation))
}

/// `s` in pieces of at most `max` bytes, cut at character boundaries.
fn split(s: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let mut end = rest.len().min(max);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            // `max` is smaller than the first character: take it whole.
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (chunk, tail) = rest.split_at(end);
        out.push(chunk);
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_at_character_boundaries_and_join_back() {
        let s = "命运共同体 and more 命运";
        for max in [4, 5, 7, 100] {
            let pieces = split(s, max);
            assert!(pieces.iter().all(|p| p.len() <= max && !p.is_empty()));
            assert_eq!(pieces.concat(), s);
        }
        assert!(split("", 4).is_empty());
    }
}
