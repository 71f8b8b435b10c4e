//! Keyword in context: one line per occurrence, the match aligned in a column, with as much
//! left and right context as fits. Widths are terminal columns, so Chinese characters (two
//! columns each) and English text line up.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthChar;

use super::text::Style;
use crate::search::SearchResults;

/// One occurrence of the query in a passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    pub path: String,
    pub paragraph: u64,
    pub date: Option<String>,
    pub speaker: Option<String>,
    /// Byte offsets of the match in the passage text.
    pub start: usize,
    pub end: usize,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
}

/// Every occurrence in the hits, with `width` columns of context on each side.
pub fn occurrences(results: &SearchResults, width: usize) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for hit in &results.hits {
        for &[start, end] in &hit.highlights {
            out.push(Occurrence {
                path: hit.path.clone(),
                paragraph: hit.paragraph,
                date: hit.date.map(|d| d.to_string()),
                speaker: hit.speaker.clone(),
                start,
                end,
                left: take_right(hit.text[..start].trim_end(), width),
                matched: flatten(&hit.text[start..end]),
                right: take_left(hit.text[end..].trim_start(), width),
            });
        }
    }
    out
}

fn flatten(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

fn col(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The last `width` columns of `s`.
fn take_right(s: &str, width: usize) -> String {
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        if used + col(c) > width {
            break;
        }
        used += col(c);
        start = i;
    }
    flatten(&s[start..])
}

/// The first `width` columns of `s`.
fn take_left(s: &str, width: usize) -> String {
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if used + col(c) > width {
            break;
        }
        used += col(c);
        end = i + c.len_utf8();
    }
    flatten(&s[..end])
}

pub fn columns(s: &str) -> usize {
    s.chars().map(col).sum()
}

pub fn render(
    w: &mut dyn Write,
    style: Style,
    results: &SearchResults,
    width: usize,
) -> io::Result<()> {
    let occurrences = occurrences(results, width);
    let speaker_width = occurrences
        .iter()
        .map(|o| columns(o.speaker.as_deref().unwrap_or("-")))
        .max()
        .unwrap_or(0)
        .min(24);
    for o in &occurrences {
        let date = o.date.as_deref().unwrap_or("undated   ");
        let speaker = o.speaker.as_deref().unwrap_or("-");
        let speaker = take_left(speaker, speaker_width);
        let pad = " ".repeat(speaker_width - columns(&speaker));
        let left_pad = " ".repeat(width - columns(&o.left));
        writeln!(
            w,
            "{}  {}{pad}  {left_pad}{} {} {}",
            style.date(date),
            style.speaker(&speaker),
            o.left,
            style.matched(&o.matched),
            o.right
        )?;
    }
    let noun = if occurrences.len() == 1 {
        "occurrence"
    } else {
        "occurrences"
    };
    let folded: u64 = results.hits.iter().map(|h| h.duplicates).sum();
    let folded = if folded > 0 {
        format!(" ({folded} more with the same texts; --duplicates lists them)")
    } else {
        String::new()
    };
    writeln!(
        w,
        "{} {noun} in {} of {} matching passages{folded}",
        occurrences.len(),
        results.hits.len(),
        results.total
    )
}

#[derive(Serialize)]
struct KwicJson<'a> {
    query: &'a str,
    total: usize,
    occurrences: Vec<Occurrence>,
}

pub fn render_json(w: &mut dyn Write, results: &SearchResults, width: usize) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &json_value(results, width))?;
    writeln!(w)
}

/// The object `--kwic --json` prints.
pub fn json_value(results: &SearchResults, width: usize) -> serde_json::Value {
    let value = KwicJson {
        query: &results.query,
        total: results.total,
        occurrences: occurrences(results, width),
    };
    serde_json::to_value(value).expect("occurrences are plain strings and numbers")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_cut_by_columns_not_bytes() {
        assert_eq!(take_right("abc中美关系", 5), "关系");
        assert_eq!(take_right("abc中美关系", 6), "美关系");
        assert_eq!(take_right("abc中美", 5), "c中美");
        assert_eq!(take_left("中美关系abc", 5), "中美");
        assert_eq!(columns("中美ab"), 6);
        assert_eq!(take_right("line\nbreak", 20), "line break");
    }
}
