//! The query language: text -> [`Node`] tree, with errors that say what is wrong and where.
//!
//! ```text
//! trade war            both words (keywords match inflections: `sanction` finds `sanctions`)
//! "trade war"          the exact phrase; "a b"~3 allows three positions of slack
//! 命运共同体            Chinese: every passage containing the characters, in order
//! tariff OR sanction   either; OR binds tighter than the implicit AND
//! -exclusion           without this word or phrase; -(a OR b) too
//! sanct*               a word starting with `sanct`
//! (a OR b) c           grouping
//! speaker:赵立坚  lang:zh  role:answer     field filters; quote values with spaces
//! ```

use crate::QueryError;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A bare word (or a bare run of Chinese). `prefix`: it ended with `*`.
    Term {
        text: String,
        prefix: bool,
    },
    /// A quoted phrase, with the slack allowed between its tokens.
    Phrase {
        text: String,
        slop: u32,
    },
    /// `speaker:`, `lang:` or `role:` with its value.
    Field {
        field: FieldName,
        value: String,
    },
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldName {
    Speaker,
    Lang,
    Role,
}

const FIELDS: &[(&str, FieldName)] = &[
    ("speaker", FieldName::Speaker),
    ("lang", FieldName::Lang),
    ("role", FieldName::Role),
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Phrase(String, u32),
    Field(FieldName, String),
    Minus,
    Or,
    Open,
    Close,
}

/// A token and the 1-based character column where it starts.
type Spanned = (Tok, usize);

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError {
        column,
        message: message.into(),
    })
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}

fn lex(input: &str) -> Result<Vec<Spanned>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let is_break =
        |c: char| c.is_whitespace() || c == '(' || c == ')' || closing_quote(c).is_some();
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if let Some(close) = closing_quote(c) {
            let (text, end) = read_quoted(&chars, i, close)?;
            i = end;
            let slop = read_slop(&chars, &mut i)?;
            out.push((Tok::Phrase(text, slop), column));
            continue;
        }
        match c {
            '(' => {
                out.push((Tok::Open, column));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, column));
                i += 1;
            }
            '-' | '－' if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) => {
                out.push((Tok::Minus, column));
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !is_break(chars[i]) {
                    // A field name: `speaker:` followed by a value.
                    if (chars[i] == ':' || chars[i] == '：') && i > start {
                        let name: String = chars[start..i].iter().collect();
                        if name.chars().all(|c| c.is_ascii_alphabetic()) {
                            let field = FIELDS
                                .iter()
                                .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                                .map(|(_, f)| *f);
                            let Some(field) = field else {
                                let known: Vec<String> =
                                    FIELDS.iter().map(|(n, _)| format!("{n}:")).collect();
                                return err(
                                    column,
                                    format!(
                                        "unknown field `{name}:` (podium knows {})",
                                        known.join(", ")
                                    ),
                                );
                            };
                            i += 1;
                            let value = match chars.get(i).copied().and_then(closing_quote) {
                                Some(close) => {
                                    let (text, end) = read_quoted(&chars, i, close)?;
                                    i = end;
                                    text
                                }
                                None => {
                                    let vstart = i;
                                    while i < chars.len() && !is_break(chars[i]) {
                                        i += 1;
                                    }
                                    chars[vstart..i].iter().collect()
                                }
                            };
                            if value.trim().is_empty() {
                                return err(
                                    column,
                                    format!("`{name}:` needs a value, as in {name}:NAME"),
                                );
                            }
                            out.push((Tok::Field(field, value.trim().to_string()), column));
                            break;
                        }
                    }
                    i += 1;
                }
                if matches!(out.last(), Some((Tok::Field(..), c)) if *c == column) {
                    continue;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "OR" | "|" | "||" => out.push((Tok::Or, column)),
                    "AND" | "&&" => {}
                    _ => out.push((Tok::Word(word), column)),
                }
            }
        }
    }
    Ok(out)
}

/// Reads a quoted string starting at `chars[open]`; returns its text and the index after the
/// closing quote.
fn read_quoted(chars: &[char], open: usize, close: char) -> Result<(String, usize), QueryError> {
    let end = chars[open + 1..]
        .iter()
        .position(|&c| c == close || (close == '"' && c == '”'));
    match end {
        Some(len) => Ok((
            chars[open + 1..open + 1 + len].iter().collect(),
            open + len + 2,
        )),
        None => err(open + 1, format!("unclosed quote: add a closing {close}")),
    }
}

/// Reads `~N` right after a closing quote.
fn read_slop(chars: &[char], i: &mut usize) -> Result<u32, QueryError> {
    if chars.get(*i) != Some(&'~') {
        return Ok(0);
    }
    let column = *i + 1;
    *i += 1;
    let start = *i;
    while *i < chars.len() && chars[*i].is_ascii_digit() {
        *i += 1;
    }
    let digits: String = chars[start..*i].iter().collect();
    match digits.parse::<u32>() {
        Ok(n) if n <= 100 => Ok(n),
        _ => err(
            column,
            "`~` after a phrase takes a number of positions from 0 to 100, as in \"a b\"~3",
        ),
    }
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Node, QueryError> {
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return err(1, "empty query: give words or \"a phrase\" to search for");
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: input.chars().count() + 1,
    };
    let node = parser.sequence()?;
    if let Some((tok, column)) = parser.tokens.get(parser.pos) {
        debug_assert_eq!(*tok, Tok::Close);
        return err(*column, "unmatched `)`");
    }
    Ok(node)
}

struct Parser {
    tokens: Vec<Spanned>,
    pos: usize,
    /// Column just past the input, for errors at the end.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(_, c)| *c)
    }

    /// clause* up to the end or a `)`.
    fn sequence(&mut self) -> Result<Node, QueryError> {
        let mut clauses = Vec::new();
        while !matches!(self.peek(), None | Some(Tok::Close)) {
            clauses.push(self.clause()?);
        }
        Ok(match clauses.len() {
            1 => clauses.pop().expect("one clause"),
            _ => Node::And(clauses),
        })
    }

    fn clause(&mut self) -> Result<Node, QueryError> {
        if self.peek() == Some(&Tok::Minus) {
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                return err(
                    self.column(),
                    "`-` needs a word or phrase to exclude right after it",
                );
            }
            return Ok(Node::Not(Box::new(self.unit()?)));
        }
        self.unit()
    }

    fn unit(&mut self) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.atom()?];
        while self.peek() == Some(&Tok::Or) {
            let column = self.column();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::Close) | Some(Tok::Or)) {
                return err(column, "`OR` needs a word or phrase on both sides");
            }
            if self.peek() == Some(&Tok::Minus) {
                return err(
                    self.column(),
                    "`OR -word` is not supported: exclude with -word outside the OR",
                );
            }
            alternatives.push(self.atom()?);
        }
        Ok(match alternatives.len() {
            1 => alternatives.pop().expect("one alternative"),
            _ => Node::Or(alternatives),
        })
    }

    fn atom(&mut self) -> Result<Node, QueryError> {
        let column = self.column();
        let Some((tok, _)) = self.tokens.get(self.pos).cloned() else {
            return err(column, "the query ends where a word or phrase was expected");
        };
        self.pos += 1;
        match tok {
            Tok::Word(w) => {
                let (text, prefix) = match w.strip_suffix('*') {
                    Some(stem) => (stem.to_string(), true),
                    None => (w, false),
                };
                if prefix {
                    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
                    if text.contains('*')
                        || letters < 2
                        || text.chars().any(crate::analysis::is_han)
                    {
                        return err(column, "a prefix search needs at least two letters of an English word before `*`, as in sanct*");
                    }
                }
                Ok(Node::Term { text, prefix })
            }
            Tok::Phrase(text, slop) => Ok(Node::Phrase { text, slop }),
            Tok::Field(field, value) => Ok(Node::Field { field, value }),
            Tok::Open => {
                let inner = self.sequence()?;
                if self.peek() != Some(&Tok::Close) {
                    return err(column, "unclosed `(`: add a `)`");
                }
                self.pos += 1;
                if inner == Node::And(Vec::new()) {
                    return err(column, "empty `()`");
                }
                Ok(inner)
            }
            Tok::Close => err(column, "unmatched `)`"),
            Tok::Or => err(column, "`OR` needs a word or phrase on both sides"),
            Tok::Minus => err(
                column,
                "`-` needs a word or phrase to exclude right after it",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Node {
        Node::Term {
            text: t.into(),
            prefix: false,
        }
    }

    #[test]
    fn parses_the_query_language() {
        let cases: Vec<(&str, Node)> = vec![
            ("trade", term("trade")),
            ("trade war", Node::And(vec![term("trade"), term("war")])),
            (
                "\"trade war\"",
                Node::Phrase {
                    text: "trade war".into(),
                    slop: 0,
                },
            ),
            (
                "\"中美 关系\"~2",
                Node::Phrase {
                    text: "中美 关系".into(),
                    slop: 2,
                },
            ),
            (
                "“命运共同体”",
                Node::Phrase {
                    text: "命运共同体".into(),
                    slop: 0,
                },
            ),
            (
                "a OR b c",
                Node::And(vec![Node::Or(vec![term("a"), term("b")]), term("c")]),
            ),
            (
                "命运 -网络",
                Node::And(vec![term("命运"), Node::Not(Box::new(term("网络")))]),
            ),
            (
                "-(a OR b) c",
                Node::And(vec![
                    Node::Not(Box::new(Node::Or(vec![term("a"), term("b")]))),
                    term("c"),
                ]),
            ),
            (
                "sanct*",
                Node::Term {
                    text: "sanct".into(),
                    prefix: true,
                },
            ),
            (
                "speaker:\"Zhao Lijian\" trade",
                Node::And(vec![
                    Node::Field {
                        field: FieldName::Speaker,
                        value: "Zhao Lijian".into(),
                    },
                    term("trade"),
                ]),
            ),
            ("COVID-19", term("COVID-19")),
            ("trade AND war", Node::And(vec![term("trade"), term("war")])),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 1, "empty query"),
            ("   ", 1, "empty query"),
            ("\"trade war", 1, "unclosed quote"),
            ("trade \"war", 7, "unclosed quote"),
            ("(trade war", 1, "unclosed `(`"),
            ("trade war)", 10, "unmatched `)`"),
            ("OR trade", 1, "`OR` needs"),
            ("trade OR", 7, "`OR` needs"),
            ("foo:bar", 1, "unknown field `foo:`"),
            ("trade title:x", 7, "unknown field `title:`"),
            ("\"a b\"~x", 6, "`~`"),
            ("a*b*", 1, "prefix"),
            ("命*", 1, "prefix"),
            ("speaker:", 1, "needs a value"),
        ];
        for (input, column, message) in cases {
            let e = parse(input).expect_err(input);
            assert!(
                e.message.contains(message),
                "{input:?}: {:?} lacks {message:?}",
                e.message
            );
            assert_eq!(e.column, *column, "{input:?}: {e:?}");
        }
    }
}
