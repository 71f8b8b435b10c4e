//! First use: the earliest passages that match a query, overall or per speaker or year
//! ([`Searcher::first`]): who introduced a phrase, and who picked it up when.
//!
//! "Earliest" is the date order of `--sort date`: by day, then path, then paragraph; undated
//! passages come after every dated one. Per speaker (or year) one pass over the matches keeps,
//! per segment, each group's earliest passage by fast fields and its count; the segments' bests
//! are compared by their path strings at the end, so only one passage per group is ever read.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::{order, Hit, SearchRequest, Searcher, Sort};
use crate::index::schema;
use crate::Result;

/// What `first` finds the first passage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FirstBy {
    /// Each speaker (passages without a speaker are left out).
    Speaker,
    /// Each year (undated passages are left out).
    Year,
}

/// The earliest matching passages, in date order.
#[derive(Debug, Clone, Serialize)]
pub struct FirstUse {
    pub query: String,
    pub by: Option<FirstBy>,
    /// All matching passages.
    pub total: usize,
    /// How many speakers or years have a match (with `by`); otherwise `total`.
    pub groups: usize,
    pub rows: Vec<FirstRow>,
}

/// One earliest passage and how many matching passages (of its speaker or year, with `by`)
/// come after it.
#[derive(Debug, Clone, Serialize)]
pub struct FirstRow {
    /// The year this row is the first of (with [`FirstBy::Year`]; a speaker's row is the
    /// hit's speaker).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(flatten)]
    pub hit: Hit,
    pub later: u64,
}

impl Searcher {
    /// The `limit` earliest passages matching `request` (its query and filters; its sort,
    /// paging and folding do not apply), or with `by` the earliest passage of each speaker or
    /// year, the `limit` earliest of those.
    pub fn first(
        &self,
        request: &SearchRequest,
        by: Option<FirstBy>,
        limit: usize,
    ) -> Result<FirstUse> {
        let searcher = self.reader.searcher();
        let (query, matchers) = self.matching(request, &searcher)?;
        let snippet = request.snippet_chars;
        let limit = limit.min(searcher.num_docs() as usize);
        let mut rows = Vec::new();
        let (total, groups) = match by {
            None => {
                let (top, total) =
                    order::search_with(&searcher, &query, Sort::Oldest, (0, limit), Count)?;
                for (i, (score, address)) in top.into_iter().enumerate() {
                    let hit =
                        self.hit(&searcher, (score, address, 0), &matchers, (i + 1, snippet))?;
                    let later = total.saturating_sub(i + 1) as u64;
                    rows.push(FirstRow {
                        year: None,
                        hit,
                        later,
                    });
                }
                (total, total)
            }
            Some(by) => {
                let (mut firsts, total) = searcher.search(&query, &(GroupFirsts { by }, Count))?;
                if by == FirstBy::Speaker {
                    firsts = merge(firsts, |name| self.identities().name(name).to_string());
                }
                let groups = firsts.len();
                for (i, first) in firsts.into_iter().take(limit).enumerate() {
                    let entry = (None, first.address, 0);
                    let hit = self.hit(&searcher, entry, &matchers, (i + 1, snippet))?;
                    rows.push(FirstRow {
                        year: (by == FirstBy::Year).then_some(first.group as i32),
                        hit,
                        later: first.count - 1,
                    });
                }
                (total, groups)
            }
        };
        Ok(FirstUse {
            query: request.query.clone(),
            by,
            total,
            groups,
            rows,
        })
    }
}

/// Undated passages sort after every day.
const UNDATED: u64 = u64::MAX;

/// The earliest passage of one group (a speaker, a year) and the group's number of matches.
#[derive(Debug, Clone)]
struct GroupFirst {
    /// The speaker's name or the year, to merge segments by.
    name: String,
    /// The year (with [`FirstBy::Year`]).
    group: u64,
    day: u64,
    path: String,
    paragraph: u64,
    address: DocAddress,
    count: u64,
}

impl GroupFirst {
    fn key(&self) -> (u64, &str, u64, DocAddress) {
        (self.day, &self.path, self.paragraph, self.address)
    }
}

struct GroupFirsts {
    by: FirstBy,
}

/// Per segment: each group's earliest passage by `(day, path ordinal, paragraph, doc)`, which
/// is the date order within a segment (a dictionary's ordinals follow its terms' order).
struct SegmentGroupFirsts {
    by: FirstBy,
    segment: SegmentOrdinal,
    speaker: Option<StrColumn>,
    path: Option<StrColumn>,
    day: Column<u64>,
    paragraph: Column<u64>,
    /// Per group: the earliest passage's key and the group's count.
    best: HashMap<u64, (SegmentKey, u64)>,
}

/// `(day, path ordinal, paragraph, doc)`: the date order within one segment.
type SegmentKey = (u64, u64, u64, DocId);

impl Collector for GroupFirsts {
    type Fruit = Vec<GroupFirst>;
    type Child = SegmentGroupFirsts;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentGroupFirsts> {
        let fast = segment.fast_fields();
        Ok(SegmentGroupFirsts {
            by: self.by,
            segment: segment_ord,
            speaker: fast.str(schema::SPEAKER)?,
            path: fast.str(schema::PATH)?,
            day: fast.u64(schema::DAY)?,
            paragraph: fast.u64(schema::PARAGRAPH)?,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<GroupFirst>>) -> tantivy::Result<Vec<GroupFirst>> {
        Ok(merge(fruits.into_iter().flatten(), |name| name.to_string()))
    }
}

/// One earliest passage per `group_of(name)` (segments of one group; speaker values of one
/// person), with the counts summed, in date order.
fn merge(
    firsts: impl IntoIterator<Item = GroupFirst>,
    group_of: impl Fn(&str) -> String,
) -> Vec<GroupFirst> {
    let mut merged: HashMap<String, GroupFirst> = HashMap::new();
    for mut first in firsts {
        first.name = group_of(&first.name);
        match merged.get_mut(&first.name) {
            Some(kept) => {
                let count = kept.count + first.count;
                if first.key() < kept.key() {
                    *kept = first;
                }
                kept.count = count;
            }
            None => {
                merged.insert(first.name.clone(), first);
            }
        }
    }
    let mut out: Vec<GroupFirst> = merged.into_values().collect();
    out.sort_by(|a, b| a.key().cmp(&b.key()));
    out
}

impl SegmentCollector for SegmentGroupFirsts {
    type Fruit = Vec<GroupFirst>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let day = self.day.first(doc);
        let group = match self.by {
            FirstBy::Speaker => self.speaker.as_ref().and_then(|s| s.term_ords(doc).next()),
            FirstBy::Year => day,
        };
        let Some(group) = group else {
            return;
        };
        let group = match self.by {
            FirstBy::Speaker => group,
            FirstBy::Year => group / 10_000,
        };
        let path = self
            .path
            .as_ref()
            .and_then(|p| p.term_ords(doc).next())
            .unwrap_or(0);
        let key = (
            day.unwrap_or(UNDATED),
            path,
            self.paragraph.first(doc).unwrap_or(0),
            doc,
        );
        let entry = self.best.entry(group).or_insert((key, 0));
        if key < entry.0 {
            entry.0 = key;
        }
        entry.1 += 1;
    }

    fn harvest(self) -> Vec<GroupFirst> {
        let term = |column: &Option<StrColumn>, ord: u64| -> String {
            let mut bytes = Vec::new();
            if let Some(column) = column {
                let _ = column.dictionary().ord_to_term(ord, &mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        self.best
            .into_iter()
            .map(|(group, ((day, path, paragraph, doc), count))| GroupFirst {
                name: match self.by {
                    FirstBy::Speaker => term(&self.speaker, group),
                    FirstBy::Year => group.to_string(),
                },
                group,
                day,
                path: term(&self.path, path),
                paragraph,
                address: DocAddress::new(self.segment, doc),
                count,
            })
            .collect()
    }
}
