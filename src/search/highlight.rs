//! Where the query matched inside a passage, and a snippet around the best match.
//!
//! Ranges are computed from the same analysis that indexed the passage, so a phrase is one
//! highlighted span from its first to its last character, and offsets always fall on character
//! boundaries of the original text.

use std::ops::Range;

use super::build::Matcher;
use crate::analysis::{self, classify, fold_char, CharClass};

/// Byte ranges of `text` that match, sorted, overlapping ranges merged.
pub fn ranges(text: &str, matchers: &[Matcher]) -> Vec<Range<usize>> {
    let exact = analysis::exact_tokens(text);
    let stems = if matchers.iter().any(|m| matches!(m, Matcher::Stem(_))) {
        analysis::latin_words(text)
    } else {
        Vec::new()
    };
    let mut out: Vec<Range<usize>> = Vec::new();
    for m in matchers {
        match m {
            Matcher::Sequence(seq) if !seq.is_empty() && seq.len() <= exact.len() => {
                // The same tokens at the same relative positions: a phrase is highlighted only
                // where it matched, never across a clause boundary it does not have.
                for window in exact.windows(seq.len()) {
                    let start = window[0].position;
                    let same = window
                        .iter()
                        .zip(seq)
                        .all(|(t, (p, s))| &t.text == s && t.position - start == p - seq[0].0);
                    if same {
                        out.push(window[0].offset_from..window[seq.len() - 1].offset_to);
                    }
                }
            }
            Matcher::Sequence(_) => {}
            Matcher::Near(words) => out.extend(
                exact
                    .iter()
                    .filter(|t| words.contains(&t.text))
                    .map(|t| t.offset_from..t.offset_to),
            ),
            Matcher::Prefix(p) => out.extend(
                exact
                    .iter()
                    .filter(|t| t.text.starts_with(p.as_str()))
                    .map(|t| t.offset_from..t.offset_to),
            ),
            Matcher::Stem(s) => out.extend(
                stems
                    .iter()
                    .filter(|t| &t.text == s)
                    .map(|t| t.offset_from..t.offset_to),
            ),
        }
    }
    out.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// A window of a passage around its best match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The window's text, with `…` where the passage was cut.
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
    /// Byte range of the passage the window covers.
    pub range: Range<usize>,
}

/// Cuts a window of about `max_chars` characters (not bytes) from `text`, placed where it covers
/// the most highlights and centred on them, never cutting inside a word.
pub fn snippet(text: &str, highlights: &[Range<usize>], max_chars: usize) -> Snippet {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let char_at = |byte: usize| chars.partition_point(|(b, _)| *b < byte);
    let (mut start, mut end) = if n <= max_chars {
        (0, n)
    } else if highlights.is_empty() {
        (0, max_chars)
    } else {
        // The highlight whose window [start, start + max) holds the most highlights.
        let spans: Vec<(usize, usize)> = highlights
            .iter()
            .map(|r| (char_at(r.start), char_at(r.end)))
            .collect();
        let (best, _) = spans
            .iter()
            .enumerate()
            .map(|(i, (s, _))| {
                (
                    i,
                    spans[i..]
                        .iter()
                        .take_while(|(_, e)| *e <= s + max_chars)
                        .count(),
                )
            })
            .max_by_key(|(i, count)| (*count, std::cmp::Reverse(*i)))
            .expect("highlights are not empty");
        let first = spans[best].0;
        let last = spans[best..]
            .iter()
            .take_while(|(_, e)| *e <= first + max_chars)
            .map(|(_, e)| *e)
            .max()
            .unwrap_or(spans[best].1);
        let slack = max_chars.saturating_sub(last - first);
        let start = first.saturating_sub(slack / 2);
        let end = (start + max_chars).min(n);
        (end.saturating_sub(max_chars), end)
    };
    // Never cut a word: move the start forward and the end back to a word boundary.
    let in_word = |i: usize| i > 0 && i < n && is_word(chars[i - 1].1) && is_word(chars[i].1);
    let hl_start = highlights.first().map_or(n, |r| char_at(r.start));
    while start > 0 && in_word(start) && start < hl_start {
        start += 1;
    }
    while end < n && in_word(end) && end > start {
        end -= 1;
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let range = byte(start)..byte(end);
    let body = text[range.clone()].trim();
    let lead = text[range.clone()].len() - text[range.clone()].trim_start().len();
    let mut out = String::new();
    let prefix = if range.start > 0 { "…" } else { "" };
    out.push_str(prefix);
    out.push_str(body);
    let body_start = range.start + lead;
    let body_end = body_start + body.len();
    if body_end < text.len() {
        out.push('…');
    }
    let shift = prefix.len();
    let highlights = highlights
        .iter()
        .filter(|r| r.start >= body_start && r.end <= body_end)
        .map(|r| r.start - body_start + shift..r.end - body_start + shift)
        .collect();
    Snippet {
        text: out,
        highlights,
        range,
    }
}

fn is_word(c: char) -> bool {
    classify(fold_char(c)) == CharClass::Word
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // one highlight is a list of one range
mod tests {
    use super::*;

    fn marked(text: &str, ranges: &[Range<usize>]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            out.push_str(&text[at..r.start]);
            out.push('[');
            out.push_str(&text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn phrases_are_one_span_and_stems_match_inflections() {
        let text = "The trade war, said the trade minister, hurts Trade-War talks on sanctions.";
        let m = vec![
            Matcher::Sequence(vec![(0, "trade".into()), (1, "war".into())]),
            Matcher::Stem("sanction".into()),
        ];
        assert_eq!(
            marked(text, &ranges(text, &m)),
            "The [trade war], said the trade minister, hurts [Trade-War] talks on [sanctions]."
        );
    }

    #[test]
    fn chinese_sequences_highlight_across_word_boundaries() {
        let text = "中美关系，中美经贸。";
        let m = vec![Matcher::Sequence(vec![(0, "美".into()), (1, "关".into())])];
        assert_eq!(marked(text, &ranges(text, &m)), "中[美关]系，中美经贸。");
    }

    #[test]
    fn sequences_highlight_only_within_a_clause_or_across_their_own_boundary() {
        let text = "访华，为两国合作、共赢。华为";
        let seq = |q: &str| vec![Matcher::Sequence(analysis::exact_sequence(q))];
        assert_eq!(
            marked(text, &ranges(text, &seq("华为"))),
            "访华，为两国合作、共赢。[华为]"
        );
        assert_eq!(
            marked(text, &ranges(text, &seq("合作，共赢"))),
            "访华，为两国[合作、共赢]。华为"
        );
        assert!(ranges(text, &seq("合作共赢")).is_empty());
    }

    #[test]
    fn snippet_windows_count_characters_and_keep_words_whole() {
        let text =
            "一二三四五六七八九十".repeat(10) + "命运共同体" + &"甲乙丙丁戊己庚辛壬癸".repeat(10);
        let start = text.find("命运").unwrap();
        let hl = vec![start..start + "命运共同体".len()];
        let s = snippet(&text, &hl, 21);
        assert_eq!(s.text.chars().filter(|c| *c != '…').count(), 21);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(&s.text[s.highlights[0].clone()], "命运共同体");

        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda";
        let at = text.find("eta theta").unwrap();
        let s = snippet(text, &[at..at + 3], 20);
        assert!(
            !s.text.contains("lph") && !s.text.ends_with("lambd…"),
            "{:?}",
            s.text
        );
        assert_eq!(&s.text[s.highlights[0].clone()], "eta");
    }

    #[test]
    fn short_passages_are_whole() {
        let s = snippet("Short text.", &[0..5], 100);
        assert_eq!(s.text, "Short text.");
        assert_eq!(s.highlights, [0..5]);
    }
}
