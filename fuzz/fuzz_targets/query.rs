//! The query language parser, and highlighting + snippets driven by the parsed query.
//!
//! Input: byte 0 = snippet size in characters; the rest (lossy UTF-8) is `QUERY\nPASSAGE` (no
//! newline: the query is also the passage).
//! Checks: no panic; a parse error's column is in 1..=chars+1; highlight ranges are sorted,
//! disjoint, in bounds and on char boundaries of the passage; the snippet's range is on char
//! boundaries of the passage, and its highlights are ranges of the snippet text on char
//! boundaries that show the same text as the passage ranges they come from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use podium::analysis;
use podium::search::build::Matcher;
use podium::search::highlight;
use podium::search::query::{self, Node};

#[path = "common.rs"]
mod common;

/// The highlight matchers of a query, as `search::build` derives them (positive clauses only).
fn matchers(node: &Node, positive: bool, out: &mut Vec<Matcher>) {
    match node {
        Node::Term { text, prefix: true } => {
            let folded: String = text
                .chars()
                .map(analysis::fold_char)
                .filter(|c| c.is_alphanumeric())
                .collect();
            if positive {
                out.push(Matcher::Prefix(folded));
            }
        }
        Node::Term {
            text,
            prefix: false,
        } => {
            let exact = analysis::exact_terms(text);
            match exact.len() {
                0 => {}
                1 if !text.chars().any(analysis::is_han) => {
                    let stems = analysis::latin_words(text);
                    let stem = stems.first().map_or(exact[0].clone(), |t| t.text.clone());
                    if positive {
                        out.push(Matcher::Stem(stem));
                    }
                }
                _ if positive => out.push(Matcher::Sequence(exact)),
                _ => {}
            }
        }
        Node::Phrase { text, slop } => {
            let exact = analysis::exact_terms(text);
            if !exact.is_empty() && positive {
                out.push(if *slop == 0 {
                    Matcher::Sequence(exact)
                } else {
                    Matcher::Near(exact)
                });
            }
        }
        Node::Field { .. } => {}
        Node::Not(inner) => matchers(inner, false, out),
        Node::Or(items) | Node::And(items) => {
            for item in items {
                matchers(item, positive, out);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&size, rest)) = data.split_first() else {
        return;
    };
    let input = String::from_utf8_lossy(rest);
    let (q, passage) = input.split_once('\n').unwrap_or((&input, &input));

    let mut ms = Vec::new();
    match query::parse(q) {
        Ok(node) => matchers(&node, true, &mut ms),
        Err(e) => {
            let chars = q.chars().count();
            assert!(
                (1..=chars + 1).contains(&e.column),
                "error column {} outside 1..={} for {q:?}: {}",
                e.column,
                chars + 1,
                e.message
            );
        }
    }
    // Matchers straight from the query's words too, so that highlighting is exercised
    // whatever the parser thinks of the query.
    for word in q.split_whitespace().take(8) {
        let exact = analysis::exact_terms(word);
        if let Some(first) = exact.first() {
            ms.push(Matcher::Prefix(first.chars().take(3).collect()));
        }
        if let Some(stem) = analysis::latin_words(word).first() {
            ms.push(Matcher::Stem(stem.text.clone()));
        }
        ms.push(Matcher::Near(exact.clone()));
        ms.push(Matcher::Sequence(exact));
    }

    let ranges = highlight::ranges(passage, &ms);
    let mut last_end = None;
    for r in &ranges {
        common::assert_range(passage, r, "highlight range");
        if let Some(end) = last_end {
            assert!(r.start > end, "ranges not sorted and merged: {ranges:?}");
        }
        last_end = Some(r.end);
    }

    let snip = highlight::snippet(passage, &ranges, size as usize);
    common::assert_range(passage, &snip.range, "snippet range");
    for h in &snip.highlights {
        common::assert_range(&snip.text, h, "snippet highlight");
        let shown = &snip.text[h.clone()];
        assert!(
            ranges.iter().any(|r| &passage[r.clone()] == shown),
            "snippet highlight {h:?} = {shown:?} is none of the passage's highlights"
        );
    }
});
