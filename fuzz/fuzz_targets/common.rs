//! Invariant checks shared by the fuzz targets.
#![allow(dead_code)]

use std::ops::Range;

use podium::corpus::{Document, FrontMatter};
use podium::transcript::Transcript;

/// `range` is a non-empty-or-empty, in-bounds byte range of `text` on char boundaries.
#[track_caller]
pub fn assert_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what}: range {range:?} out of bounds for text of {} bytes: {text:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: range {range:?} not on char boundaries of {text:?}"
    );
    let _ = &text[range.clone()];
}

/// The exact tokens of `text` slice it on character boundaries, in order.
#[track_caller]
pub fn check_tokens(text: &str) {
    let tokens = podium::analysis::exact_tokens(text);
    let mut last_end = 0;
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(t.position, i, "token positions are 0, 1, 2…");
        assert!(t.offset_from < t.offset_to, "empty token {t:?} in {text:?}");
        assert_range(text, &(t.offset_from..t.offset_to), "exact token");
        assert!(
            t.offset_from >= last_end,
            "tokens overlap or go backwards: {t:?} in {text:?}"
        );
        assert!(!t.text.is_empty(), "token with empty text {t:?}");
        last_end = t.offset_to;
    }
}

/// Invariants of a split transcript.
#[track_caller]
pub fn check_transcript(t: &Transcript) {
    check_tokens(&t.title);
    for p in &t.passages {
        assert!(!p.text.is_empty(), "empty passage text in {t:#?}");
        check_tokens(&p.text);
        if let Some(s) = &p.speaker {
            check_tokens(s);
        }
    }
    if let Some(d) = t.date {
        assert_eq!(podium::date::Date::from_number(d.to_number()), Some(d));
    }
}

pub fn document(rel: &str, front: FrontMatter, body: podium::corpus::Body) -> Document {
    Document {
        source: podium::corpus::SourceFile {
            path: rel.into(),
            rel: rel.to_string(),
        },
        front,
        body,
        encoding: "UTF-8",
    }
}
