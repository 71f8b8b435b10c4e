//! Searching the cluster: the same requests and result types as [`crate::search`], answered by
//! the distributed table on the first node.
//!
//! A search is a few queries, each with the same `MATCH()` and filters: speaker counts and year
//! counts (whose sum is the total), the top passages by the engine's weight (questions weighed
//! down as in the embedded index), and for duplicate folding the copies of the texts shown.
//! Group counts are exact: each asks for room for every group, and asks again with more room
//! when they fill it.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use super::ingest::{PASSAGE, RECORD};
use super::sql::{literal, num, Conn, Row, SqlResult};
use super::{query, Cluster};
use crate::date::Date;
use crate::index::identity::{Identities, Person};
use crate::search::build::{self, Matcher};
use crate::search::collapse::QUESTION_WEIGHT;
use crate::search::first::{FirstBy, FirstRow, FirstUse};
use crate::search::order::Sort;
use crate::search::query::{parse, FieldName, Node};
use crate::search::verify;
use crate::search::views::{split_display_path, Neighbor, Period, Stats, Trend};
use crate::search::{
    day_range, display_path, resolve_speakers, Facets, Hit, SearchRequest, SearchResults, Stored,
};
use crate::{Error, QueryError, Result};

/// Room for groups in the first try; ten times more on each further try.
const FIRST_GROUPS: usize = 10_000;
/// The most passages one transcript has on a cluster.
const MAX_TRANSCRIPT: usize = super::ingest::MAX_PASSAGES + 1;

/// The `WHERE` of a request's matches, and what to highlight. A speaker, in the query or the
/// filter, names every value of their person.
fn matching(
    request: &SearchRequest,
    identities: &Identities,
) -> Result<(String, Vec<Matcher>, Vec<Node>)> {
    let node = resolve_speakers(parse(&request.query)?, identities);
    let matchers = build::matchers(&node);
    let (expr, slack) = query::translate_top(&node)?;
    let mut expr = expr.ok_or_else(|| QueryError {
        column: 1,
        message: "the query has no searchable words (only punctuation?)".into(),
    })?;
    if !request.speakers.is_empty() {
        let any: Vec<Node> = request
            .speakers
            .iter()
            .flat_map(|s| identities.filter_keys(s))
            .map(|s| Node::Field {
                field: FieldName::Speaker,
                value: s,
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
    Ok((clause, matchers, slack))
}

/// The rows of a grouped query, however many groups there are. `sql` ends before `LIMIT`.
pub(crate) fn grouped(conn: &mut Conn, sql: &str) -> SqlResult<Vec<Row>> {
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

/// The columns of a passage as a hit, in the order [`Cluster::hit`] reads them: the engine's
/// weight (questions weighed down as in the embedded index), the stored fields, and `d`, the
/// day with undated passages after every day.
const HIT_COLUMNS: &str = "id, WEIGHT() * IF(question = 1, {QW}, 1) AS r, text, title, speaker, role, lang, path, root, paragraph, day, text_hash, label, IF(day = 0, 4294967295, day) AS d";
const TEXT_HASH: usize = 11;
/// Where the columns after [`HIT_COLUMNS`] start.
const AFTER_HIT: usize = 14;

fn hit_columns() -> String {
    HIT_COLUMNS.replace("{QW}", &QUESTION_WEIGHT.to_string())
}

/// The order of `sort`, total as the embedded index's: by date, then path, then paragraph
/// (undated passages last both ways); by relevance, ties by id.
fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "r DESC, id ASC",
        Sort::Oldest => "d ASC, path ASC, paragraph ASC",
        Sort::Newest => "day DESC, path ASC, paragraph ASC",
    }
}

/// The most passages a phrase with slack is checked on.
const MAX_CANDIDATES: usize = 50_000;

/// Raw ranking rows read per query at most, when a long page (an export) is walked.
const MAX_BATCH: usize = 20_000;

impl Cluster {
    /// The `WHERE` of a request's matches, and what to highlight. Phrases with slack, which
    /// the engine matched as their words, are checked by podium on the passages it found
    /// ([`verify`]); the clause then names the ones that pass by id.
    fn matching(&self, request: &SearchRequest) -> Result<(String, Vec<Matcher>)> {
        let (mut clause, matchers, slack) = matching(request, &self.identities)?;
        if slack.is_empty() {
            return Ok((clause, matchers));
        }
        let table = &self.url.table;
        let n = MAX_CANDIDATES + 1;
        let rows = self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT id, text FROM {table} WHERE {clause} LIMIT {n} OPTION max_matches = {n}"
            ))
        })?;
        if rows.len() > MAX_CANDIDATES {
            return Err(Error::Engine(format!(
                "on a search cluster, a phrase with slack is checked by podium on every passage that has its words, and over {MAX_CANDIDATES} do here: add words or a filter (--speaker, --from, --lang), or search the phrase without slack"
            )));
        }
        let passages: Vec<(u64, String)> = rows
            .into_iter()
            .map(|r| (num(&r, 0), r.into_iter().nth(1).unwrap_or_default()))
            .collect();
        let mut keep: Option<HashSet<u64>> = None;
        for phrase in &slack {
            let ids = verify::matching_ids(&passages, phrase)?;
            keep = Some(match keep {
                None => ids,
                Some(kept) => kept.intersection(&ids).copied().collect(),
            });
        }
        let mut ids: Vec<u64> = keep.unwrap_or_default().into_iter().collect();
        ids.sort_unstable();
        // No passage has id 0.
        let ids: Vec<String> = match ids.is_empty() {
            true => vec!["0".into()],
            false => ids.iter().map(u64::to_string).collect(),
        };
        clause.push_str(&format!(" AND id IN ({})", ids.join(",")));
        Ok((clause, matchers))
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let mut page = self.page(request)?;
        let facets = std::mem::take(&mut page.facets);
        SearchResults::read(request, page.total, facets, page.hits())
    }

    /// The page of results a request asks for: totals and facets now, hits read from the engine
    /// a batch at a time as [`Page::hits`] is walked.
    pub fn page(&self, request: &SearchRequest) -> Result<Page<'_>> {
        let (clause, matchers) = self.matching(request)?;
        let table = &self.url.table;
        let (mut facets, total) = self.with_conn(|conn| {
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
        facets.speaker = self.identities.fold_counts(facets.speaker);
        Ok(Page {
            cluster: self,
            clause,
            matchers,
            total,
            facets,
            sort: request.sort,
            collapse: request.collapse,
            offset: request.offset.min(total),
            limit: request.limit.min(total),
            snippet_chars: request.snippet_chars,
            context: 0,
            batch: MAX_BATCH,
        })
    }

    /// Passages `offset + 1 ..= offset + limit` in `sort` order.
    fn ranked(&self, clause: &str, sort: Sort, offset: usize, limit: usize) -> Result<Vec<Row>> {
        let table = &self.url.table;
        self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT {} FROM {table} WHERE {clause} ORDER BY {} LIMIT {offset}, {limit} OPTION max_matches = {}",
                hit_columns(),
                order_by(sort),
                offset + limit
            ))
        })
    }

    /// How many copies of each text among the matches: for folded hits.
    fn copies(&self, clause: &str, rows: &[Row]) -> Result<HashMap<i64, u64>> {
        let hashes: Vec<String> = rows
            .iter()
            .map(|r| num::<i64>(r, TEXT_HASH).to_string())
            .collect();
        if hashes.is_empty() {
            return Ok(HashMap::new());
        }
        let table = &self.url.table;
        Ok(self
            .with_conn(|conn| {
                conn.rows(&format!(
                    "SELECT text_hash, COUNT(*) AS n FROM {table} WHERE {clause} AND text_hash IN ({}) GROUP BY text_hash LIMIT {n} OPTION max_matches = {n}",
                    hashes.join(","),
                    n = hashes.len()
                ))
            })?
            .iter()
            .map(|r| (num(r, 0), num(r, 1)))
            .collect())
    }

    /// All passages that match `clause`.
    fn count(&self, clause: &str) -> Result<usize> {
        let table = &self.url.table;
        let rows = self.with_conn(|conn| {
            conn.rows(&format!("SELECT COUNT(*) AS n FROM {table} WHERE {clause}"))
        })?;
        Ok(rows.first().map_or(0, |r| num(r, 0)))
    }

    /// The earliest passages matching `request`'s query and filters, as
    /// [`crate::search::Searcher::first`] finds them: the `limit` first, or with `by` the first
    /// of each person or year (the `limit` earliest of those). The engine keeps each group's
    /// earliest passage itself (`WITHIN GROUP ORDER BY`); groups of values of one person are
    /// merged here.
    pub fn first(
        &self,
        request: &SearchRequest,
        by: Option<FirstBy>,
        limit: usize,
    ) -> Result<FirstUse> {
        let (clause, matchers) = self.matching(request)?;
        let total = self.count(&clause)?;
        let limit = limit.min(total);
        let hit = |row: Row, rank: usize| {
            self.hit(
                row,
                rank,
                0,
                (Sort::Oldest, request.snippet_chars),
                &matchers,
            )
        };
        let Some(by) = by else {
            let rows = match limit {
                0 => Vec::new(),
                n => self.ranked(&clause, Sort::Oldest, 0, n)?,
            };
            let rows = rows
                .into_iter()
                .enumerate()
                .map(|(i, row)| FirstRow {
                    year: None,
                    hit: hit(row, i + 1),
                    later: total.saturating_sub(i + 1) as u64,
                })
                .collect();
            return Ok(FirstUse {
                query: request.query.clone(),
                by: None,
                total,
                groups: total,
                rows,
            });
        };
        let (group, skip) = match by {
            FirstBy::Speaker => ("speaker", ""),
            FirstBy::Year => ("year", " AND year > 0"),
        };
        let table = &self.url.table;
        let rows = self.with_conn(|conn| {
            grouped(
                conn,
                &format!(
                    "SELECT {}, COUNT(*) AS n, year FROM {table} WHERE {clause}{skip} GROUP BY {group} WITHIN GROUP ORDER BY {} ORDER BY d ASC",
                    hit_columns(),
                    order_by(Sort::Oldest)
                ),
            )
        })?;
        // Each group's earliest passage and its count, merged per person.
        let key = |r: &Row| {
            let path = r.get(7).cloned().unwrap_or_default();
            (num::<u64>(r, 13), path, num::<u64>(r, 9))
        };
        let mut groups: HashMap<String, (Row, u64)> = HashMap::new();
        for row in rows {
            let name = match by {
                FirstBy::Speaker => match row.get(4).filter(|s| !s.is_empty()) {
                    Some(v) => self.identities.name(v).to_string(),
                    None => continue,
                },
                FirstBy::Year => row.get(AFTER_HIT + 1).cloned().unwrap_or_default(),
            };
            let n: u64 = num(&row, AFTER_HIT);
            match groups.get_mut(&name) {
                Some((best, count)) => {
                    *count += n;
                    if key(&row) < key(best) {
                        *best = row;
                    }
                }
                None => {
                    groups.insert(name, (row, n));
                }
            }
        }
        let mut firsts: Vec<(Row, u64)> = groups.into_values().collect();
        firsts.sort_by_key(|(row, _)| key(row));
        let groups = firsts.len();
        let rows = firsts
            .into_iter()
            .take(limit)
            .enumerate()
            .map(|(i, (row, count))| FirstRow {
                year: (by == FirstBy::Year).then(|| num::<i32>(&row, AFTER_HIT + 1)),
                hit: hit(row, i + 1),
                later: count - 1,
            })
            .collect();
        Ok(FirstUse {
            query: request.query.clone(),
            by: Some(by),
            total,
            groups,
            rows,
        })
    }

    fn hit(
        &self,
        row: Row,
        rank: usize,
        duplicates: u64,
        (sort, snippet_chars): (Sort, usize),
        matchers: &[Matcher],
    ) -> Hit {
        let opt = |i: usize| row.get(i).filter(|s| !s.is_empty()).cloned();
        let day: u64 = num(&row, 10);
        let stored = Stored {
            speaker: opt(4).map(|v| self.identities.name(&v).to_string()),
            label: opt(12),
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
            text: row.get(2).cloned().unwrap_or_default(),
        };
        // Sorted by date, the weight is not a score (as in the embedded index).
        let score = (sort == Sort::Relevance).then(|| num(&row, 1));
        Hit::new(stored, (rank, score, duplicates), matchers, snippet_chars)
    }

    /// Fills each hit's `context` with the `n` passages before and after it.
    pub fn add_context(&self, results: &mut SearchResults, n: u64) -> Result<()> {
        for hit in &mut results.hits {
            hit.context = self.context(&hit.path, hit.paragraph, n)?;
        }
        Ok(())
    }

    /// The `n` passages before and after paragraph `paragraph` of the transcript at `path`.
    fn context(&self, path: &str, paragraph: u64, n: u64) -> Result<Vec<Neighbor>> {
        let (lo, hi) = (paragraph.saturating_sub(n), paragraph + n);
        Ok(self
            .transcript_rows(
                path,
                &format!(" AND paragraph >= {lo} AND paragraph <= {hi}"),
            )?
            .into_iter()
            .filter(|p| p.paragraph != paragraph)
            .collect())
    }

    /// Every passage of the transcript at `path` (as results show it), in order.
    pub fn transcript(&self, path: &str) -> Result<Vec<Neighbor>> {
        self.transcript_rows(path, "")
    }

    /// The passages of the transcript at `path` that `filter` (`AND …`) keeps, in order.
    fn transcript_rows(&self, path: &str, filter: &str) -> Result<Vec<Neighbor>> {
        let (root, rel) = split_display_path(&self.root_prefixes, path);
        let root = root.map_or(String::new(), |r| format!(" AND root = {r}"));
        let table = &self.url.table;
        let rows = self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT paragraph, speaker, role, text FROM {table} WHERE kind = {PASSAGE} AND path = {}{root}{filter} ORDER BY paragraph ASC LIMIT {MAX_TRANSCRIPT} OPTION max_matches = {MAX_TRANSCRIPT}",
                literal(rel)
            ))
        })?;
        Ok(rows
            .into_iter()
            .map(|r| Neighbor {
                paragraph: num(&r, 0),
                speaker: r
                    .get(1)
                    .filter(|s| !s.is_empty())
                    .map(|v| self.identities.name(v).to_string()),
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
        let (clause, _) = self.matching(request)?;
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
            let speaker = r
                .get(1)
                .filter(|s| !s.is_empty())
                .map(|v| self.identities.name(v).to_string());
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

    /// Every person with the values folded into them and how each was linked, most passages
    /// first. Without a table for this run, each value is its own person.
    pub fn persons(&self) -> Result<Vec<Person>> {
        let table = &self.url.table;
        self.identities
            .listed(|| self.with_conn(|conn| speaker_counts(conn, table, "")))
    }

    /// The index's figures; `index_bytes` is the size the shards report (on disk and in memory).
    pub fn stats(&self) -> Result<Stats> {
        let table = &self.url.table;
        let (files, passages, speakers, languages, days, transcripts, undated) =
            self.with_conn(|conn| {
                let (files, passages) = kind_counts(conn, table)?;
                let mut speakers = speaker_counts(conn, table, "")?;
                speakers.retain(|(s, _)| !s.is_empty());
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
            speakers: self.identities.fold_counts(speakers).len(),
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

/// A page of results in order, its passages read from the engine a batch at a time: what an
/// export of every hit walks without holding them all.
pub struct Page<'a> {
    cluster: &'a Cluster,
    clause: String,
    matchers: Vec<Matcher>,
    /// All matches, not just this page.
    pub total: usize,
    pub facets: Facets,
    sort: Sort,
    collapse: bool,
    offset: usize,
    limit: usize,
    snippet_chars: usize,
    context: u64,
    /// Raw ranking rows read per query at most.
    batch: usize,
}

impl Page<'_> {
    /// Reads at most `rows` rows of the ranking per query (at least 1).
    pub fn with_batch(mut self, rows: usize) -> Self {
        self.batch = rows.max(1);
        self
    }

    /// Reads the `n` passages before and after each hit with it.
    pub fn with_context(mut self, n: u64) -> Self {
        self.context = n;
        self
    }

    /// The hits in order.
    pub fn hits(&self) -> impl Iterator<Item = Result<Hit>> + '_ {
        let mut walk = Walk {
            page: self,
            position: if self.collapse { 0 } else { self.offset },
            firsts: 0,
            emitted: 0,
            ready: std::collections::VecDeque::new(),
            seen: FxHashSet::default(),
            failed: false,
        };
        std::iter::from_fn(move || walk.next())
    }
}

/// Where [`Page::hits`] is in the engine's ranking.
struct Walk<'p, 'a> {
    page: &'p Page<'a>,
    /// The next position of the raw ranking to read.
    position: usize,
    /// Texts met so far (folded pages count ranks in texts, not passages).
    firsts: usize,
    emitted: usize,
    ready: std::collections::VecDeque<(Row, u64)>,
    seen: FxHashSet<i64>,
    failed: bool,
}

impl Walk<'_, '_> {
    fn next(&mut self) -> Option<Result<Hit>> {
        let page = self.page;
        if self.failed || self.emitted >= page.limit {
            return None;
        }
        while self.ready.is_empty() {
            if self.position >= page.total {
                return None;
            }
            if let Err(e) = self.read_batch() {
                self.failed = true;
                return Some(Err(e));
            }
        }
        let (row, duplicates) = self.ready.pop_front()?;
        self.emitted += 1;
        let rank = page.offset + self.emitted;
        let mut hit = page.cluster.hit(
            row,
            rank,
            duplicates,
            (page.sort, page.snippet_chars),
            &page.matchers,
        );
        if page.context > 0 {
            match page.cluster.context(&hit.path, hit.paragraph, page.context) {
                Ok(context) => hit.context = context,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
        Some(Ok(hit))
    }

    /// The next rows of the ranking: all of the page's rows for a short page, at most
    /// [`Page::with_batch`] for a long one. Folded, later copies of a text are left out and each
    /// first one carries its number of copies.
    fn read_batch(&mut self) -> Result<()> {
        let page = self.page;
        let wanted = page.limit - self.emitted;
        let batch = match page.collapse {
            // Room for a few copies.
            true => (page.offset.saturating_sub(self.firsts) + wanted) * 2 + 16,
            false => wanted,
        };
        let batch = batch.clamp(1, page.batch);
        let rows = page
            .cluster
            .ranked(&page.clause, page.sort, self.position, batch)?;
        self.position = match rows.len() {
            0 => page.total,
            n => self.position + n,
        };
        if !page.collapse {
            self.ready.extend(rows.into_iter().map(|r| (r, 0)));
            return Ok(());
        }
        let mut firsts = Vec::new();
        for row in rows {
            if self.seen.insert(num::<i64>(&row, TEXT_HASH)) {
                self.firsts += 1;
                if self.firsts > page.offset {
                    firsts.push(row);
                }
            }
        }
        let copies = page.cluster.copies(&page.clause, &firsts)?;
        self.ready.extend(firsts.into_iter().map(|row| {
            let n = copies
                .get(&num::<i64>(&row, TEXT_HASH))
                .copied()
                .unwrap_or(1);
            (row, n.saturating_sub(1))
        }));
        Ok(())
    }
}
