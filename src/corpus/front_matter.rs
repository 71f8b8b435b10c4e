//! The optional front-matter block at the top of a file:
//!
//! ```text
//! ---
//! title: "Press Briefing by Press Secretary Jen\_Psaki, January 20,\_2021"
//! date: '2021-01-20'
//! ---
//! ```
//!
//! A small reader for the subset of YAML that transcripts use: `key: value` lines with plain,
//! single-quoted or double-quoted values (which may wrap over several lines, with `\`
//! continuations and escapes such as `\_` for a no-break space), list items (kept as
//! comma-joined text), and comments. A block that opens and never closes, or a line that is not
//! `key: value`, is an error with its line number.

use crate::FileErrorKind;

/// Front-matter fields in file order, keys lower-cased, values unquoted. Empty when the file has
/// no front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub fields: Vec<(String, String)>,
}

impl FrontMatter {
    /// The value of `key` (lower case), if present and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn error(line: usize, message: impl Into<String>) -> FileErrorKind {
    FileErrorKind::FrontMatter {
        line,
        message: message.into(),
    }
}

/// Splits `text` into its front matter and the body after it.
pub fn split(text: &str) -> Result<(FrontMatter, &str), FileErrorKind> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok((FrontMatter::default(), text));
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = first_line_end + 1;
    let mut close = None;
    for (i, line) in text
        .get(offset..)
        .unwrap_or("")
        .split_inclusive('\n')
        .enumerate()
    {
        let trimmed = line.trim_end();
        offset += line.len();
        if trimmed == "---" || trimmed == "..." {
            close = Some(offset);
            break;
        }
        lines.push((i + 2, line.trim_end_matches(['\n', '\r'])));
    }
    let Some(body_start) = close else {
        return Err(error(
            1,
            "the block opened with `---` never closes (add a `---` line after the last field)",
        ));
    };
    let front = parse_fields(&lines)?;
    Ok((front, &text[body_start.min(text.len())..]))
}

fn parse_fields(lines: &[(usize, &str)]) -> Result<FrontMatter, FileErrorKind> {
    // First group lines into (line number, key, raw value lines), then unquote each value.
    let mut raw: Vec<(usize, String, Vec<&str>)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (number, line) = lines[i];
        i += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let continues =
            line.starts_with([' ', '\t']) || trimmed.starts_with("- ") || trimmed == "-";
        if continues {
            match raw.last_mut() {
                Some((_, _, value)) => value.push(line),
                None => return Err(error(number, "indented line before any `key: value`")),
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(error(
                number,
                format!("expected `key: value`, found `{}`", clip(trimmed)),
            ));
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(error(
                number,
                format!("expected `key: value`, found `{}`", clip(trimmed)),
            ));
        }
        let mut value_lines = vec![value.trim_start()];
        // A quoted value runs until its closing quote, whatever the indentation.
        if let Some(q) = value
            .trim_start()
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        {
            while !quote_closed(&value_lines.join("\n"), q) {
                if i >= lines.len() {
                    return Err(error(
                        number,
                        format!("the value of `{key}` opens a {q} quote that never closes"),
                    ));
                }
                value_lines.push(lines[i].1);
                i += 1;
            }
        }
        raw.push((number, key.to_lowercase(), value_lines));
    }
    let mut fields = Vec::new();
    for (number, key, value_lines) in raw {
        let value = unquote(&value_lines).map_err(|m| error(number, format!("`{key}`: {m}")))?;
        fields.push((key, value));
    }
    Ok(FrontMatter { fields })
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Whether a value starting with quote `q` has its closing quote.
fn quote_closed(value: &str, q: char) -> bool {
    let mut chars = value.chars().skip(1).peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            '\'' if q == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == q => return true,
            _ => {}
        }
    }
    false
}

/// Turns raw value lines into the value: quotes and escapes resolved, line breaks folded to
/// spaces as YAML does, list items joined with `, `.
fn unquote(lines: &[&str]) -> Result<String, String> {
    let first = lines[0].trim();
    if first.starts_with('"') {
        return Ok(unescape_double(&fold_lines(lines)));
    }
    if first.starts_with('\'') {
        let folded = fold_lines(lines);
        let inner = folded.trim();
        let inner = &inner[1..inner.rfind('\'').unwrap_or(inner.len()).max(1)];
        return Ok(inner.replace("''", "'"));
    }
    // Plain scalar, possibly continued on indented lines, or a block list.
    let items: Vec<&str> = lines[1..]
        .iter()
        .filter_map(|l| l.trim().strip_prefix('-').map(str::trim))
        .collect();
    if !items.is_empty() && first.is_empty() {
        return Ok(items
            .iter()
            .map(|i| strip_quotes(i))
            .collect::<Vec<_>>()
            .join(", "));
    }
    let value = fold_lines(lines);
    let value = match value.find(" #") {
        Some(comment) => value[..comment].trim_end().to_string(),
        None => value,
    };
    Ok(value.trim().to_string())
}

fn strip_quotes(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// Joins continuation lines: a line ending in `\` (inside double quotes) joins the next with
/// nothing; other breaks become one space; leading indentation is dropped.
fn fold_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut tight = true; // nothing goes before the first line
    for (i, line) in lines.iter().enumerate() {
        let line = if i == 0 { line.trim_end() } else { line.trim() };
        if !tight {
            out.push(' ');
        }
        match line.strip_suffix('\\').filter(|s| !s.ends_with('\\')) {
            Some(stripped) => {
                out.push_str(stripped);
                tight = true;
            }
            None => {
                out.push_str(line);
                tight = false;
            }
        }
    }
    out
}

fn unescape_double(s: &str) -> String {
    let s = s.trim();
    let inner = s.strip_prefix('"').unwrap_or(s);
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('_') => out.push('\u{a0}'),
                Some('0') => {}
                // YAML's code point escapes: \xXX, \uXXXX, \UXXXXXXXX.
                Some(kind @ ('x' | 'u' | 'U')) => {
                    let digits = match kind {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.clone().take(digits).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(c) if hex.len() == digits => {
                            out.push(c);
                            chars.nth(digits - 1);
                        }
                        _ => out.push(kind), // not an escape after all: keep the letter
                    }
                }
                Some(other) => out.push(other),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(String, String)> {
        split(text).expect("front matter parses").0.fields
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn double_quoted_values_resolve_code_point_escapes() {
        let text = "---\ntitle: \"Debate on \\u201CCounterterrorism\\u201D \\u2013 \\x41\\U0001F600 \\uZZZZ \\u12\"\n---\n";
        assert_eq!(
            fields(text),
            kv(&[("title", "Debate on “Counterterrorism” – A😀 uZZZZ u12")])
        );
    }

    #[test]
    fn reads_plain_and_quoted_values() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("---\ntitle: A plain title\ndate: 2021-11-19\n---\nbody", &[("title", "A plain title"), ("date", "2021-11-19")]),
            ("---\ndate: '2021-01-20'\nTitle: 'It''s here'\n---\n", &[("date", "2021-01-20"), ("title", "It's here")]),
            ("---\ntitle: \"Say \\\"hi\\\"\"\n---\n", &[("title", "Say \"hi\"")]),
            (
                "---\ntitle: \"Press Briefing by Press Secretary Jen\\_Psaki, January 20,\\_2021\"\n---\n",
                &[("title", "Press Briefing by Press Secretary Jen\u{a0}Psaki, January 20,\u{a0}2021")],
            ),
            // Wrapped over lines: `\` joins without a space, a bare break folds to a space.
            (
                "---\ntitle: \"Remarks by President Biden on the\\\n  \\ Economy and\n  Jobs\"\ndate: '2021-01-20'\n---\n",
                &[("title", "Remarks by President Biden on the Economy and Jobs"), ("date", "2021-01-20")],
            ),
            ("---\ntags:\n  - press-briefings\n  - 'china'\nlang: zh # comment\n---\n", &[("tags", "press-briefings, china"), ("lang", "zh")]),
            ("---\nurl: https://example.org/a:b\n---\n", &[("url", "https://example.org/a:b")]),
        ];
        for (text, want) in cases {
            assert_eq!(fields(text), kv(want), "{text:?}");
        }
    }

    #[test]
    fn body_starts_after_the_block() {
        let (_, body) = split("---\ntitle: x\n---\nFirst line\n").unwrap();
        assert_eq!(body, "First line\n");
        let (front, body) = split("No front matter\n---\n").unwrap();
        assert!(front.fields.is_empty());
        assert_eq!(body, "No front matter\n---\n");
    }

    #[test]
    fn broken_blocks_report_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("---\ntitle: x\nbody without end\n", 1, "never closes"),
            (
                "---\ntitle: x\nthis is not a field\n---\n",
                3,
                "expected `key: value`",
            ),
            ("---\ntitle: \"open quote\n---\n", 2, "never closes"),
        ];
        for (text, line, message) in cases {
            match split(text) {
                Err(FileErrorKind::FrontMatter {
                    line: l,
                    message: m,
                }) => {
                    assert_eq!(l, *line, "{text:?}");
                    assert!(m.contains(message), "{m:?} lacks {message:?}");
                }
                other => panic!("{text:?}: expected an error, got {other:?}"),
            }
        }
    }
}
