//! The order of results: by relevance (BM25, questions weighed down) or by date.
//!
//! Sorting by date uses tantivy's order-by collector on fast fields, so sorting a hundred
//! thousand hits costs what ranking them does: the key is `(day, path, paragraph)`, which makes
//! the order total and stable (a transcript's passages share its day). Undated passages have no
//! `day` and come last both ways: tantivy puts a missing value last in an ascending sort and
//! ranks it lowest in a descending one.

use std::str::FromStr;

use std::sync::Mutex;

use tantivy::collector::sort_key::{NaturalComparator, SortByStaticFastValue};
use tantivy::collector::{Collector, SegmentSortKeyComputer, SortKeyComputer, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentReader};

use super::collapse;
use crate::index::schema;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (the default).
    #[default]
    Relevance,
    /// Oldest first (`date`).
    Oldest,
    /// Newest first (`-date`).
    Newest,
}

impl Sort {
    /// The name the command line and the JSON use.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Oldest => "date",
            Sort::Newest => "-date",
        }
    }
}

impl FromStr for Sort {
    type Err = String;

    fn from_str(s: &str) -> Result<Sort, String> {
        match s {
            "relevance" => Ok(Sort::Relevance),
            "date" => Ok(Sort::Oldest),
            "-date" => Ok(Sort::Newest),
            _ => Err(format!(
                "unknown sort order {s:?}: expected relevance, date (oldest first) or -date (newest first)"
            )),
        }
    }
}

/// Passages in order with their relevance score (none when sorted by date: the score is not
/// computed).
pub type Ranked = Vec<(Option<Score>, DocAddress)>;

/// Runs `query` once with the passages ranked `offset + 1 ..= offset + limit` in `sort` order
/// and `extra` collected beside them (counts, facets).
pub fn search_with<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
    extra: C,
) -> tantivy::Result<(Ranked, C::Fruit)> {
    let by_date = |order: Order| {
        TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .order_by((
                (SortByStaticFastValue::<u64>::for_field(schema::DAY), order),
                (SortByPath, Order::Asc),
                (
                    SortByStaticFastValue::<u64>::for_field(schema::PARAGRAPH),
                    Order::Asc,
                ),
            ))
    };
    let without_keys =
        |top: Vec<(_, DocAddress)>| top.into_iter().map(|(_, a)| (None, a)).collect();
    Ok(match sort {
        Sort::Relevance => {
            let (top, fruit) =
                searcher.search(query, &(collapse::top_docs(limit, offset), extra))?;
            (top.into_iter().map(|(s, a)| (Some(s), a)).collect(), fruit)
        }
        Sort::Oldest => {
            let (top, fruit) = searcher.search(query, &(by_date(Order::Asc), extra))?;
            (without_keys(top), fruit)
        }
        Sort::Newest => {
            let (top, fruit) = searcher.search(query, &(by_date(Order::Desc), extra))?;
            (without_keys(top), fruit)
        }
    })
}

/// The passages ranked `offset + 1 ..= offset + limit` in `sort` order.
pub fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    (offset, limit): (usize, usize),
) -> tantivy::Result<Ranked> {
    let (top, _) = search_with(
        searcher,
        query,
        sort,
        (offset, limit),
        tantivy::collector::Count,
    )?;
    Ok(top)
}

/// The path, as tantivy's `SortByString` gives it, with the last name looked up kept: in date
/// order a transcript's passages come together, and looking each one's path up again in the
/// dictionary (a block decompressed per passage) made exporting 20,000 hits by date five times
/// slower than by relevance.
struct SortByPath;

struct SegmentSortByPath {
    column: Option<StrColumn>,
    last: Mutex<Option<(u64, Option<String>)>>,
}

impl SortKeyComputer for SortByPath {
    type SortKey = Option<String>;
    type Child = SegmentSortByPath;
    type Comparator = NaturalComparator;

    fn segment_sort_key_computer(&self, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SegmentSortByPath {
            column: segment.fast_fields().str(schema::PATH)?,
            last: Mutex::new(None),
        })
    }
}

impl SegmentSortKeyComputer for SegmentSortByPath {
    type SortKey = Option<String>;
    /// The term ordinal: within a segment, ordinals follow the terms' order.
    type SegmentSortKey = Option<u64>;
    type SegmentComparator = NaturalComparator;

    fn segment_sort_key(&mut self, doc: DocId, _: Score) -> Option<u64> {
        self.column.as_ref()?.ords().first(doc)
    }

    fn convert_segment_sort_key(&self, ord: Option<u64>) -> Option<String> {
        let ord = ord?;
        let column = self.column.as_ref()?;
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((kept, name)) = last.as_ref() {
            if *kept == ord {
                return name.clone();
            }
        }
        let mut bytes = Vec::new();
        let name = match column.dictionary().ord_to_term(ord, &mut bytes) {
            Ok(true) => String::from_utf8(bytes).ok(),
            _ => None,
        };
        *last = Some((ord, name.clone()));
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_names_round_trip_and_bad_names_say_what_is_expected() {
        for sort in [Sort::Relevance, Sort::Oldest, Sort::Newest] {
            assert_eq!(sort.as_str().parse::<Sort>(), Ok(sort));
        }
        let err = "newest".parse::<Sort>().unwrap_err();
        assert!(err.contains("-date"), "{err}");
    }
}
