//! Searching the cluster: the same requests and result types as [`crate::search`], answered by
//! the distributed table on the first node.
//!
//! A search is a few queries, each with the same `MATCH()` and filters: speaker counts and year
//! counts (whose sum is the total), the top passages by the engine's weight (questions weighed
//! down as in the embedded index), and for duplicate folding the copies of the texts shown.
//! Group counts are exact: each asks for room for every group, and asks again with more room
//! when they fill it.

use std::collections::HashMap;

use rustc_hash::FxHashSet;

use super::ingest::{PASSAGE, RECORD};
use super::sql::{literal, num, Conn, Row, SqlResult};
use super::{query, Cluster};
use crate::date::Date;
use crate::search::build::{self, Matcher};
use crate::search::collapse::QUESTION_WEIGHT;
use crate::search::order::Sort;
use crate::search::query::{parse, FieldName, Node};
use crate::search::views::{split_display_path, Neighbor, Period, Stats, Trend};
use crate::search::{
    day_range, display_path, highlight, Facets, Hit, SearchRequest, SearchResults,
};
use crate::{Error, QueryError, Result};

/// Room for groups in the first try; ten times more on each further try.
const FIRST_GROUPS: usize = 10_000;
/// The most passages one transcript has on a cluster.
const MAX_TRANSCRIPT: usize = super::ingest::MAX_PASSAGES + 1;

/// The `WHERE` of a request's matches, and what to highlight.
fn matching(request: &SearchRequest) -> Result<(String, Vec<Matcher>)> {
    let node = parse(&request.query)?;
    let matchers = build::matchers(&node);
    let mut expr = query::translate(&node)?.ok_or_else(|| QueryError {
        column: 1,
        message: "the query has no searchable words (only punctuation?)".into(),
    })?;
    if !request.speakers.is_empty() {
        let any: Vec<Node> = request
            .speakers
            .iter()
            .map(|s| Node::Field {
                field: FieldName::Speaker,
                value: s.clone(),
            })
            .collect();
        if let Some(q) = query::translate(&Node::Or(any))? {
            expr = format!("{expr} {q}");
        }
    }
    if let Some(lang) = request.lang {
        expr = format!(
            "{expr} {}",
            query::field_tag(FieldName::Lang, lang.as_str())?
        );
    }
    if let Some(role) = request.role {
        expr = format!(
            "{expr} {}",
            query::field_tag(FieldName::Role, role.as_str())?
        );
    }
    let mut clause = format!("MATCH({})", literal(&expr));
    if let Some(days) = day_range(request)? {
        // Undated passages have day 0 and never fall in a range, as in the embedded index.
        let hi = (*days.end()).min(u64::from(u32::MAX));
        clause.push_str(&format!(
            " AND day >= {} AND day <= {hi}",
            (*days.start()).max(1)
        ));
    }
    Ok((clause, matchers))
}

/// The rows of a grouped query, however many groups there are. `sql` ends before `LIMIT`.
fn grouped(conn: &mut Conn, sql: &str) -> SqlResult<Vec<Row>> {
    let mut room = FIRST_GROUPS;
    loop {
        let rows = conn.rows(&format!("{sql} LIMIT {room} OPTION max_matches = {room}"))?;
        if rows.len() < room {
            return Ok(rows);
        }
        room *= 10;
    }
}

/// Passages per speaker (`""`: no speaker) among the rows `filter` selects.
pub(crate) fn speaker_counts(
    conn: &mut Conn,
    table: &str,
    filter: &str,
) -> SqlResult<Vec<(String, u64)>> {
    let filter = match filter {
        "" => format!("kind = {PASSAGE}"),
        f => f.to_string(),
    };
    let rows = grouped(
        conn,
        &format!("SELECT speaker, COUNT(*) AS n FROM {table} WHERE {filter} GROUP BY speaker"),
    )?;
    Ok(rows
        .iter()
        .map(|r| (r.first().cloned().unwrap_or_default(), num(r, 1)))
        .collect())
}

/// (file records, passages) in the whole cluster.
pub(crate) fn kind_counts(conn: &mut Conn, table: &str) -> SqlResult<(usize, usize)> {
    let rows = conn.rows(&format!(
        "SELECT kind, COUNT(*) AS n FROM {table} GROUP BY kind LIMIT 10"
    ))?;
    let count = |kind: u32| {
        rows.iter()
            .find(|r| num::<u32>(r, 0) == kind)
            .map_or(0, |r| num(r, 1))
    };
    Ok((count(RECORD), count(PASSAGE)))
}

/// Most first, then by name, as the embedded facets are.
fn sort_counts(counts: &mut [(String, u64)]) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

impl Cluster {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        if request.sort != Sort::Relevance {
            return Err(Error::Engine(format!(
                "--sort {} is not available on a search cluster (--engine) yet; use the index",
                request.sort.as_str()
            )));
        }
        let (clause, matchers) = matching(request)?;
        let table = &self.url.table;
        let (facets, total) = self.with_conn(|conn| {
            let mut facets = Facets::default();
            for (speaker, n) in speaker_counts(conn, table, &clause)? {
                match speaker.is_empty() {
                    true => facets.no_speaker += n,
                    false => facets.speaker.push((speaker, n)),
                }
            }
            sort_counts(&mut facets.speaker);
            let years = grouped(
                conn,
                &format!("SELECT year, COUNT(*) AS n FROM {table} WHERE {clause} GROUP BY year"),
            )?;
            let mut total = 0;
            for r in &years {
                let (year, n): (i32, u64) = (num(r, 0), num(r, 1));
                total += n;
                match year {
                    0 => facets.undated += n,
                    y => facets.year.push((y, n)),
                }
            }
            facets.year.sort();
            Ok((facets, total as usize))
        })?;
        let (offset, limit) = (request.offset.min(total), request.limit.min(total));
        let ranked: Vec<(Row, u64)> = if total == 0 || limit == 0 {
            Vec::new()
        } else if request.collapse {
            self.folded(&clause, total, offset, limit)?
        } else {
            self.ranked(&clause, offset, limit)?
                .into_iter()
                .map(|r| (r, 0))
                .collect()
        };
        let hits = ranked
            .into_iter()
            .enumerate()
            .map(|(i, (row, duplicates))| {
                self.hit(row, offset + i + 1, duplicates, request, &matchers)
            })
            .collect();
        Ok(SearchResults {
            query: request.query.clone(),
            total,
            hits,
            facets,
        })
    }

    /// Passages `offset + 1 ..= offset + limit` of the ranking.
    fn ranked(&self, clause: &str, offset: usize, limit: usize) -> Result<Vec<Row>> {
        let table = &self.url.table;
        self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT id, WEIGHT() * IF(question = 1, {QUESTION_WEIGHT}, 1) AS r, text, title, speaker, role, lang, path, root, paragraph, day, text_hash FROM {table} WHERE {clause} ORDER BY r DESC, id ASC LIMIT {offset}, {limit} OPTION max_matches = {}",
                offset + limit
            ))
        })
    }

    /// The page of the ranking with later copies of a text left out, each with its number of
    /// copies: [`crate::search::collapse::fold`] on the engine's ranking.
    fn folded(
        &self,
        clause: &str,
        total: usize,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<(Row, u64)>> {
        let need = offset + limit;
        let mut top = ((offset + limit) * 2 + 16).min(total);
        let firsts = loop {
            let rows = self.ranked(clause, 0, top)?;
            let mut seen = FxHashSet::default();
            let mut firsts = Vec::new();
            for row in rows {
                if seen.insert(num::<i64>(&row, 11)) {
                    firsts.push(row);
                    if firsts.len() == need {
                        break;
                    }
                }
            }
            if firsts.len() >= need || top >= total {
                break firsts;
            }
            top = (top * 4).min(total);
        };
        let page: Vec<Row> = firsts.into_iter().skip(offset).collect();
        let hashes: Vec<String> = page.iter().map(|r| num::<i64>(r, 11).to_string()).collect();
        let table = &self.url.table;
        let copies: HashMap<i64, u64> = match hashes.is_empty() {
            true => HashMap::new(),
            false => self
                .with_conn(|conn| {
                    conn.rows(&format!(
                        "SELECT text_hash, COUNT(*) AS n FROM {table} WHERE {clause} AND text_hash IN ({}) GROUP BY text_hash LIMIT {n} OPTION max_matches = {n}",
                        hashes.join(","),
                        n = hashes.len()
                    ))
                })?
                .iter()
                .map(|r| (num(r, 0), num(r, 1)))
                .collect(),
        };
        Ok(page
            .into_iter()
            .map(|row| {
                let n = copies.get(&num::<i64>(&row, 11)).copied().unwrap_or(1);
                (row, n.saturating_sub(1))
            })
            .collect())
    }

    fn hit(
        &self,
        row: Row,
        rank: usize,
        duplicates: u64,
        request: &SearchRequest,
        matchers: &[Matcher],
    ) -> Hit {
        let text = row.get(2).cloned().unwrap_or_default();
        let ranges = highlight::ranges(&text, matchers);
        let snippet = highlight::snippet(&text, &ranges, request.snippet_chars);
        let opt = |i: usize| row.get(i).filter(|s| !s.is_empty()).cloned();
        let day: u64 = num(&row, 10);
        Hit {
            rank,
            score: Some(num(&row, 1)),
            speaker: opt(4),
            // A cluster stores the speaker only, not the label as written.
            label: None,
            role: opt(5),
            lang: opt(6),
            date: (day > 0).then(|| Date::from_number(day)).flatten(),
            title: row.get(3).cloned().unwrap_or_default(),
            path: display_path(
                &self.root_prefixes,
                num(&row, 8),
                row.get(7).map_or("", String::as_str),
            ),
            paragraph: num(&row, 9),
            snippet: snippet.text,
            snippet_highlights: snippet.highlights,
            highlights: ranges.iter().map(|r| [r.start, r.end]).collect(),
            duplicates,
            context: Vec::new(),
            text,
        }
    }

    /// Fills each hit's `context` with the `n` passages before and after it.
    pub fn add_context(&self, results: &mut SearchResults, n: u64) -> Result<()> {
        for hit in &mut results.hits {
            hit.context = self
                .transcript(&hit.path)?
                .into_iter()
                .filter(|p| {
                    p.paragraph != hit.paragraph
                        && p.paragraph + n >= hit.paragraph
                        && p.paragraph <= hit.paragraph + n
                })
                .collect();
        }
        Ok(())
    }

    /// Every passage of the transcript at `path` (as results show it), in order.
    pub fn transcript(&self, path: &str) -> Result<Vec<Neighbor>> {
        let (root, rel) = split_display_path(&self.root_prefixes, path);
        let root = root.map_or(String::new(), |r| format!(" AND root = {r}"));
        let table = &self.url.table;
        let rows = self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT paragraph, speaker, role, text FROM {table} WHERE kind = {PASSAGE} AND path = {}{root} ORDER BY paragraph ASC LIMIT {MAX_TRANSCRIPT} OPTION max_matches = {MAX_TRANSCRIPT}",
                literal(rel)
            ))
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Neighbor {
                paragraph: num(&r, 0),
                speaker: r.get(1).filter(|s| !s.is_empty()).cloned(),
                role: r.get(2).filter(|s| !s.is_empty()).cloned(),
                text: r.get(3).cloned().unwrap_or_default(),
            })
            .collect())
    }

    /// How many passages match per period (`split_by_speaker`: also per top speaker).
    pub fn trend(
        &self,
        request: &SearchRequest,
        by: Period,
        split_by_speaker: usize,
    ) -> Result<Trend> {
        let (clause, _) = matching(request)?;
        let table = &self.url.table;
        let rows = self.with_conn(|conn| {
            grouped(
                conn,
                &format!(
                    "SELECT day, speaker, COUNT(*) AS n FROM {table} WHERE {clause} GROUP BY day, speaker"
                ),
            )
        })?;
        let mut days: HashMap<(u64, Option<String>), u64> = HashMap::new();
        let mut total = 0;
        for r in &rows {
            let speaker = r.get(1).filter(|s| !s.is_empty()).cloned();
            let n: u64 = num(r, 2);
            total += n;
            *days.entry((num(r, 0), speaker)).or_default() += n;
        }
        Ok(Trend::from_counts(
            request,
            by,
            split_by_speaker,
            total as usize,
            days,
        ))
    }

    /// Every speaker with the number of passages attributed to them, most first.
    pub fn speakers(&self) -> Result<Vec<(String, u64)>> {
        let table = &self.url.table;
        let mut counts = self.with_conn(|conn| speaker_counts(conn, table, ""))?;
        counts.retain(|(s, _)| !s.is_empty());
        sort_counts(&mut counts);
        Ok(counts)
    }

    /// The index's figures; `index_bytes` is the size the shards report (on disk and in memory).
    pub fn stats(&self) -> Result<Stats> {
        let table = &self.url.table;
        let (files, passages, speakers, languages, days, transcripts, undated) =
            self.with_conn(|conn| {
                let (files, passages) = kind_counts(conn, table)?;
                let speakers = speaker_counts(conn, table, "")?
                    .iter()
                    .filter(|(s, _)| !s.is_empty())
                    .count();
                let langs = conn.rows(&format!(
                    "SELECT lang, COUNT(*) AS n FROM {table} WHERE kind = {PASSAGE} GROUP BY lang LIMIT 100"
                ))?;
                let languages: Vec<(String, usize)> = ["en", "zh"]
                    .iter()
                    .map(|l| {
                        let n = langs.iter().find(|r| r.first().is_some_and(|v| v == l)).map_or(0, |r| num(r, 1));
                        (l.to_string(), n)
                    })
                    .collect();
                let days = conn.rows(&format!(
                    "SELECT MIN(day) AS lo, MAX(day) AS hi FROM {table} WHERE kind = {PASSAGE} AND day > 0"
                ))?;
                let days = days
                    .first()
                    .map_or((0, 0), |r| (num::<u64>(r, 0), num::<u64>(r, 1)));
                let transcripts = grouped(
                    conn,
                    &format!(
                        "SELECT path, COUNT(*) AS n FROM {table} WHERE kind = {PASSAGE} GROUP BY path"
                    ),
                )?
                .len();
                let undated = conn.rows(&format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE kind = {PASSAGE} AND day = 0"
                ))?;
                let undated = undated.first().map_or(0, |r| num::<u64>(r, 0));
                Ok((files, passages, speakers, languages, days, transcripts, undated))
            })?;
        let mut index_bytes = 0;
        for (i, node) in self.url.nodes.iter().enumerate() {
            let status = Conn::open(node)
                .and_then(|mut c| c.rows(&format!("SHOW INDEX {} STATUS", self.url.shard_table(i))))
                .map_err(|e| super::engine_error(&self.url, e))?;
            for r in status {
                if matches!(
                    r.first().map(String::as_str),
                    Some("disk_bytes" | "ram_bytes")
                ) {
                    index_bytes += num::<u64>(&r, 1);
                }
            }
        }
        Ok(Stats {
            files,
            transcripts,
            passages,
            speakers,
            languages,
            first_date: Date::from_number(days.0),
            last_date: Date::from_number(days.1),
            undated_passages: undated,
            index_bytes,
            updated: self.meta.updated,
            roots: self.meta.roots.clone(),
        })
    }
}
