//! Ranking with identical passages folded together.
//!
//! Transcripts repeat themselves: a legislature's record says 「決定：退回程序委員會重新提出。」
//! a thousand times, a briefing is published twice, a spokesperson reads the same statement on
//! three days. Listing each copy buries every other text, so by default a text is listed once,
//! at the rank of its best-scoring copy, with the number of matching passages that hold it.
//!
//! Every passage carries the hash of its text, indexed and in a fast field. The folded ranking is
//! the full ranking with later copies of a text dropped, so its first N texts are found among
//! the top K passages for some K >= N: [`fold`] dedups tantivy's top K and asks for more only
//! when the top is crowded with copies. The copies of the texts shown are counted by one query
//! for their hashes. (A map from every matching text to its best passage, built while collecting, costs
//! three times the search itself on a common word; the number of distinct texts among all
//! matches would need it, so podium does not give that number.)

use std::ops::RangeInclusive;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::order::{self, Ranked, Sort};
use crate::index::schema;

/// How much a question's score counts against an answer's.
pub const QUESTION_WEIGHT: f32 = 0.6;

/// Questions repeat the words of the answers they ask for, in fewer words, and BM25 favours short
/// passages: weigh them down so the answer ranks first. The same for every way of ranking.
#[derive(Clone)]
pub struct QuestionWeight {
    role: Option<StrColumn>,
    question: Option<u64>,
}

impl QuestionWeight {
    pub fn for_segment(segment: &SegmentReader) -> QuestionWeight {
        let role = segment.fast_fields().str(schema::ROLE).ok().flatten();
        let question = role
            .as_ref()
            .and_then(|c| c.dictionary().term_ord("question").ok().flatten());
        QuestionWeight { role, question }
    }

    pub fn apply(&self, doc: DocId, score: Score) -> Score {
        match (&self.role, self.question) {
            (Some(column), Some(q)) if column.term_ords(doc).next() == Some(q) => {
                score * QUESTION_WEIGHT
            }
            _ => score,
        }
    }
}

/// The passages ranked `offset + 1 ..= offset + limit` by score, questions weighed down, ties to
/// the passage indexed first.
pub fn top_docs(
    limit: usize,
    offset: usize,
) -> impl Collector<Fruit = Vec<(Score, DocAddress)>> + 'static {
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    top.tweak_score(|segment: &SegmentReader| {
        let weight = QuestionWeight::for_segment(segment);
        move |doc: DocId, score: Score| weight.apply(doc, score)
    })
}

/// One distinct text: its first passage in the order asked for and how many other matching
/// passages hold it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Group {
    /// The relevance score, when ranked by relevance.
    pub score: Option<Score>,
    pub address: DocAddress,
    pub duplicates: u64,
}

/// The page `offset..offset + limit` of the folded order. `top` is the start of the full order
/// (`sort`) of the `total` passages matching `query`, which is `but_days` restricted to the
/// range of `YYYYMMDD` days, if any. In date order a text is listed at its earliest copy, in
/// relevance order at its best-ranked one.
pub fn fold(
    searcher: &Searcher,
    query: &dyn Query,
    (but_days, days): (&dyn Query, Option<&RangeInclusive<u64>>),
    (mut top, sort): (Ranked, Sort),
    total: usize,
    (offset, limit): (usize, usize),
) -> tantivy::Result<Vec<Group>> {
    let need = offset + limit;
    let mut columns: FxHashMap<SegmentOrdinal, Column<u64>> = FxHashMap::default();
    let mut hash_of = |address: DocAddress| -> tantivy::Result<u64> {
        let column = match columns.get(&address.segment_ord) {
            Some(column) => column,
            None => {
                let segment = searcher.segment_reader(address.segment_ord);
                let column = segment.fast_fields().u64(schema::TEXT_HASH)?;
                columns.entry(address.segment_ord).or_insert(column)
            }
        };
        Ok(column.first(address.doc_id).unwrap_or_default())
    };
    // With every match in hand (a short list, or an export of all hits), the copies are
    // counted right here; otherwise by one search for the hashes of the page.
    let all = top.len() >= total;
    let mut counts: FxHashMap<u64, u64> = FxHashMap::default();
    let firsts = loop {
        let mut seen = FxHashSet::default();
        let mut firsts = Vec::new();
        for &(score, address) in &top {
            let hash = hash_of(address)?;
            if all {
                *counts.entry(hash).or_insert(0) += 1;
            }
            if seen.insert(hash) && firsts.len() < need {
                firsts.push((hash, score, address));
                if firsts.len() == need && !all {
                    break;
                }
            }
        }
        if firsts.len() >= need || top.len() >= total {
            break firsts;
        }
        // The top was crowded with copies: look deeper.
        let deeper = (top.len() * 4).min(total);
        top = order::ranked(searcher, query, sort, (0, deeper))?;
    };
    let page: Vec<(u64, Option<Score>, DocAddress)> = firsts.into_iter().skip(offset).collect();
    let copies = if all {
        counts
    } else {
        let hashes = page.iter().map(|&(hash, _, _)| hash);
        count_copies(searcher, but_days, days, hashes)?
    };
    let groups = page
        .into_iter()
        .map(|(hash, score, address)| Group {
            score,
            address,
            duplicates: copies.get(&hash).map_or(0, |n| n.saturating_sub(1)),
        })
        .collect();
    Ok(groups)
}

/// How many passages matching `query` and dated within `days` hold each of these texts, in one
/// search: the few postings of the hashes lead the intersection, so it costs next to nothing
/// however many passages match. The date range is checked on those few passages' fast field: a
/// range filter would scan the whole date column again.
fn count_copies(
    searcher: &Searcher,
    query: &dyn Query,
    days: Option<&RangeInclusive<u64>>,
    hashes: impl Iterator<Item = u64>,
) -> tantivy::Result<FxHashMap<u64, u64>> {
    let field = searcher.schema().get_field(schema::TEXT_HASH)?;
    // Most texts are in one passage of the whole index: nothing to count for them.
    let mut wanted = FxHashSet::default();
    for hash in hashes {
        if searcher.doc_freq(&Term::from_field_u64(field, hash))? > 1 {
            wanted.insert(hash);
        }
    }
    if wanted.is_empty() {
        return Ok(FxHashMap::default());
    }
    let any_of: Vec<(Occur, Box<dyn Query>)> = wanted
        .iter()
        .map(|&hash| {
            let term = Term::from_field_u64(field, hash);
            let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, q)
        })
        .collect();
    let copies = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(BooleanQuery::new(any_of))),
    ]);
    searcher.search(
        &copies,
        &CountByHash {
            days: days.cloned(),
        },
    )
}

/// Matching passages per text hash, among those dated within `days` if given.
struct CountByHash {
    days: Option<RangeInclusive<u64>>,
}

struct SegmentCountByHash {
    hash: Column<u64>,
    day: Column<u64>,
    days: Option<RangeInclusive<u64>>,
    counts: FxHashMap<u64, u64>,
}

impl Collector for CountByHash {
    type Fruit = FxHashMap<u64, u64>;
    type Child = SegmentCountByHash;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCountByHash> {
        Ok(SegmentCountByHash {
            hash: segment.fast_fields().u64(schema::TEXT_HASH)?,
            day: segment.fast_fields().u64(schema::DAY)?,
            days: self.days.clone(),
            counts: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<FxHashMap<u64, u64>>,
    ) -> tantivy::Result<FxHashMap<u64, u64>> {
        let mut total = FxHashMap::default();
        for (hash, n) in fruits.into_iter().flatten() {
            *total.entry(hash).or_insert(0) += n;
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentCountByHash {
    type Fruit = FxHashMap<u64, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(days) = &self.days {
            if !self.day.first(doc).is_some_and(|day| days.contains(&day)) {
                return;
            }
        }
        if let Some(hash) = self.hash.first(doc) {
            *self.counts.entry(hash).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> FxHashMap<u64, u64> {
        self.counts
    }
}
