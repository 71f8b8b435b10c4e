//! Which of a few passages a query matches, decided by tantivy itself: for a backend that can
//! find candidates but cannot count as podium's index does (a search cluster's engine and
//! phrases with slack, `"a b"~3`).
//!
//! The candidates go into a small index in memory with podium's schema and analyzers, and the
//! query is built by [`super::build`], so the answer is the one the embedded index would give
//! for those passages.

use std::collections::HashSet;

use tantivy::collector::DocSetCollector;
use tantivy::{doc, Index};

use super::build;
use super::query::Node;
use crate::index::schema::{self, Fields};
use crate::Result;

/// Memory for the in-memory index's writer (tantivy's least for one thread).
const WRITER_BYTES: usize = 15_000_000;

/// The ids of the `(id, text)` passages that `node` matches.
pub fn matching_ids(passages: &[(u64, String)], node: &Node) -> Result<HashSet<u64>> {
    let index = Index::create_in_ram(schema::build());
    schema::register_analyzers(&index);
    let fields = Fields::new(&index.schema())?;
    let mut writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
    for (id, text) in passages {
        writer.add_document(doc!(
            fields.text => text.as_str(),
            fields.exact => text.as_str(),
            fields.words => text.as_str(),
            // The id where a passage's number would be: a fast field to read it back by.
            fields.paragraph => *id,
        ))?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let built = build::build(node, &fields, &searcher)?;
    let mut ids = HashSet::new();
    for address in searcher.search(&built.query, &DocSetCollector)? {
        let segment = searcher.segment_reader(address.segment_ord);
        let column = segment.fast_fields().u64(schema::PARAGRAPH)?;
        ids.extend(column.first(address.doc_id));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    #[test]
    fn slack_counts_as_the_index_does() {
        let passages: Vec<(u64, String)> = [
            "trade war",
            "trade and war",
            "a trade of words about a long war",
            "war trade",
            "命运与共同体",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u64 + 10, t.to_string()))
        .collect();
        let ids = |q: &str| {
            let mut ids: Vec<u64> = matching_ids(&passages, &parse(q).unwrap())
                .unwrap()
                .into_iter()
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ids("\"trade war\""), [10]);
        assert_eq!(ids("\"trade war\"~1"), [10, 11]);
        assert_eq!(ids("\"trade war\"~2"), [10, 11, 13]);
        assert_eq!(ids("\"命运共同\"~1"), [14]);
    }
}
