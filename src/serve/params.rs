//! URL parameters -> the operations' requests, with the server's bounds on cost.
//!
//! The names are the command line's flags without `--` (`q` is the query): `/api/search?q=…`
//! takes `speaker` (repeatable), `from`, `to`, `lang`, `role`, `limit`, `offset`, `snippet`,
//! `context`, `duplicates`, `sort`, `width`; `/api/trend` takes `by`, `split-by` and `top`; `/api/show`
//! takes `target` (`PATH[:PARAGRAPH]`) and `context`.

use crate::search::query::{self, Node};
use crate::search::views::Period;
use crate::search::{SearchRequest, Sort};
use crate::transcript::{Lang, Role};

/// The longest query the server runs, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most words, phrases and filters in one query.
pub const MAX_QUERY_TERMS: usize = 32;
/// The most `word*` prefixes in one query: each one reads every word it expands to.
pub const MAX_PREFIXES: usize = 4;
/// The most hits on one page.
pub const MAX_LIMIT: usize = 100;
/// How deep paging goes.
pub const MAX_OFFSET: usize = 10_000;
/// The most `speaker` filters in one request.
pub const MAX_SPEAKERS: usize = 50;

/// A request the server turns down, with the reason (and the query column, for a bad query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub column: Option<usize>,
}

impl Rejection {
    pub fn new(message: impl Into<String>) -> Rejection {
        Rejection {
            message: message.into(),
            column: None,
        }
    }
}

/// The decoded `key=value` pairs of a query string, in order.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn parse(query: Option<&str>) -> Params {
        Params {
            pairs: form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// The last non-empty value of `key` (a form sends empty fields; they mean "not given").
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Every non-empty value of `key`, in order, without repeats.
    pub fn all(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (k, v) in &self.pairs {
            let v = v.trim();
            if k == key && !v.is_empty() && !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        out
    }

    /// A number, `default` when absent, refused above `max`.
    pub fn number(&self, key: &str, default: usize, max: usize) -> Result<usize, Rejection> {
        let Some(v) = self.get(key) else {
            return Ok(default);
        };
        let n: usize = v
            .parse()
            .map_err(|_| Rejection::new(format!("{key}={v}: expected a whole number")))?;
        if n > max {
            return Err(Rejection::new(format!("{key}={v}: at most {max}")));
        }
        Ok(n)
    }

    /// A flag: present and not `0`/`false`/`no`/`off`.
    pub fn flag(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
            && !matches!(
                self.get(key).map(str::to_ascii_lowercase).as_deref(),
                Some("0" | "false" | "no" | "off")
            )
    }

    /// The query and filters that `search`, `kwic` and `trend` share; an empty query is
    /// refused here (the page shows a form instead).
    pub fn request(&self) -> Result<SearchRequest, Rejection> {
        let q = self
            .get("q")
            .ok_or_else(|| Rejection::new("q: the query is missing"))?;
        check_query(q)?;
        let mut request = SearchRequest::new(q);
        request.speakers = self.all("speaker");
        if request.speakers.len() > MAX_SPEAKERS {
            return Err(Rejection::new(format!(
                "speaker: at most {MAX_SPEAKERS} speakers at once"
            )));
        }
        request.from = self.get("from").map(str::to_string);
        request.to = self.get("to").map(str::to_string);
        request.lang = match self.get("lang") {
            None => None,
            Some(v) => Some(
                Lang::parse(v)
                    .ok_or_else(|| Rejection::new(format!("lang={v}: expected en or zh")))?,
            ),
        };
        request.role = match self.get("role") {
            None => None,
            Some("question") => Some(Role::Question),
            Some("answer") => Some(Role::Answer),
            Some(v) => {
                return Err(Rejection::new(format!(
                    "role={v}: expected question or answer"
                )))
            }
        };
        request.limit = self.number("limit", 10, MAX_LIMIT)?;
        request.offset = self.number("offset", 0, MAX_OFFSET)?;
        request.snippet_chars = self.number("snippet", 160, 2_000)?.max(10);
        request.collapse = !self.flag("duplicates");
        request.sort = match self.get("sort") {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Oldest,
            Some("-date") => Sort::Newest,
            Some(v) => {
                return Err(Rejection::new(format!(
                    "sort={v}: expected relevance, date or -date"
                )))
            }
        };
        Ok(request)
    }

    /// `context`: passages on each side of a hit or paragraph.
    pub fn context(&self, default: usize) -> Result<u64, Rejection> {
        Ok(self.number("context", default, 20)? as u64)
    }

    /// `width`: KWIC columns on each side of the match.
    pub fn width(&self) -> Result<usize, Rejection> {
        self.number("width", 40, 200)
    }

    /// `by`: the trend's period.
    pub fn period(&self) -> Result<Period, Rejection> {
        match self.get("by") {
            None | Some("year") => Ok(Period::Year),
            Some("month") => Ok(Period::Month),
            Some("week") => Ok(Period::Week),
            Some(v) => Err(Rejection::new(format!(
                "by={v}: expected year, month or week"
            ))),
        }
    }

    /// `split-by=speaker` with `top` (default 5): how many speakers' series a trend has.
    pub fn split(&self) -> Result<usize, Rejection> {
        match self.get("split-by") {
            None => Ok(0),
            Some("speaker") => self.number("top", 5, 20),
            Some(v) => Err(Rejection::new(format!("split-by={v}: expected speaker"))),
        }
    }
}

/// Refuses queries whose cost has no useful bound: too long, too many parts, too many prefixes.
/// A query that does not parse is refused with the parser's message and column.
pub fn check_query(q: &str) -> Result<(), Rejection> {
    let chars = q.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Rejection::new(format!(
            "the query is {chars} characters long; at most {MAX_QUERY_CHARS}"
        )));
    }
    let node = query::parse(q).map_err(|e| Rejection {
        message: format!("bad query: column {}: {}", e.column, e.message),
        column: Some(e.column),
    })?;
    let (mut terms, mut prefixes) = (0, 0);
    count(&node, &mut terms, &mut prefixes);
    if terms > MAX_QUERY_TERMS {
        return Err(Rejection::new(format!(
            "the query has {terms} words, phrases and filters; at most {MAX_QUERY_TERMS}"
        )));
    }
    if prefixes > MAX_PREFIXES {
        return Err(Rejection::new(format!(
            "the query has {prefixes} prefixes (word*); at most {MAX_PREFIXES}"
        )));
    }
    Ok(())
}

fn count(node: &Node, terms: &mut usize, prefixes: &mut usize) {
    match node {
        Node::Term { prefix, .. } => {
            *terms += 1;
            *prefixes += usize::from(*prefix);
        }
        Node::Phrase { .. } | Node::Field { .. } => *terms += 1,
        Node::Not(inner) => count(inner, terms, prefixes),
        Node::And(nodes) | Node::Or(nodes) => {
            for n in nodes {
                count(n, terms, prefixes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Params {
        Params::parse(Some(q))
    }

    #[test]
    fn repeated_speakers_are_all_kept_and_empty_fields_ignored() {
        let p = params("q=war&speaker=A&speaker=B%20C&speaker=&from=&lang=zh");
        let r = p.request().unwrap();
        assert_eq!(r.speakers, ["A", "B C"]);
        assert_eq!(r.from, None);
        assert_eq!(r.lang, Some(Lang::Zh));
        assert!(r.collapse);
        assert!(params("q=a&duplicates=0").request().unwrap().collapse);
        assert!(!params("q=a&duplicates").request().unwrap().collapse);
    }

    #[test]
    fn bounds_are_refused_with_the_parameter_named() {
        let err = params("q=a&limit=1000").request().unwrap_err();
        assert_eq!(err.message, "limit=1000: at most 100");
        let err = params("q=a&limit=x").request().unwrap_err();
        assert!(err.message.starts_with("limit=x"), "{}", err.message);
        let err = params("q=a&role=boss").request().unwrap_err();
        assert!(err.message.starts_with("role=boss"), "{}", err.message);
        assert!(params("limit=3").request().is_err());
    }

    #[test]
    fn pathological_queries_are_refused_before_they_run() {
        let long = "a".repeat(10_000);
        assert!(check_query(&long)
            .unwrap_err()
            .message
            .contains("at most 500"));
        assert!(check_query("ab* bc* cd* de* ef*")
            .unwrap_err()
            .message
            .contains("prefixes"));
        let huge_or: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        assert!(check_query(&huge_or.join(" OR "))
            .unwrap_err()
            .message
            .contains("words"));
        assert!(check_query("sanct* \"trade war\" -taiwan").is_ok());
    }

    #[test]
    fn a_bad_query_carries_the_parsers_column() {
        let err = check_query("\"unclosed").unwrap_err();
        assert!(err.column.is_some());
        assert!(
            err.message.starts_with("bad query: column"),
            "{}",
            err.message
        );
    }
}
