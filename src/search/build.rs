//! Query tree -> tantivy query, plus what to highlight.
//!
//! Matching is decided on the `exact` field (letter runs and single Han characters with
//! positions), so a phrase or a bare Chinese word matches exactly where its characters appear in
//! order, whatever jieba did with the passage. Ranking adds BM25 over the `words` field (stemmed
//! English, jieba words) as optional clauses that never change the match set.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query,
    RegexQuery, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::query::{FieldName, Node};
use crate::analysis::{self, is_han};
use crate::index::Fields;
use crate::transcript::{aliases, Lang, Role};
use crate::QueryError;

/// What the highlighter looks for in a passage: the positive parts of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// Exact tokens at these relative positions (phrases, Chinese words, `COVID-19`): consecutive
    /// within a clause, one position apart across a clause boundary.
    Sequence(Vec<(usize, String)>),
    /// Exact tokens within a few positions of each other: each is highlighted.
    Near(Vec<String>),
    /// A stemmed English word (`sanctions` for the keyword `sanction`).
    Stem(String),
    /// Exact tokens starting with this.
    Prefix(String),
}

pub struct Built {
    pub query: Box<dyn Query>,
    pub matchers: Vec<Matcher>,
}

/// Boost for all the query's keywords standing together (and again for standing in order and
/// adjacent), over the keywords scattered.
const PROXIMITY_BOOST: f32 = 1.5;
/// The longest Chinese word looked up for ranking.
const MAX_WORD_CHARS: usize = 6;

pub fn build(node: &Node, fields: &Fields, searcher: &Searcher) -> Result<Built, QueryError> {
    let b = Builder { fields, searcher };
    let query = b.node(node)?.ok_or_else(|| QueryError {
        column: 1,
        message: "the query has no searchable words (only punctuation?)".into(),
    })?;
    let query = match proximity_clause(node, fields) {
        Some(near) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::Should, near),
        ])) as Box<dyn Query>,
        None => query,
    };
    Ok(Built {
        query,
        matchers: matchers(node),
    })
}

/// What to highlight for a query: its positive parts (not those under a `-`), as the query
/// builder matches them. Needs no index, so every backend highlights the same way.
pub fn matchers(node: &Node) -> Vec<Matcher> {
    let mut out = Vec::new();
    collect_matchers(node, true, &mut out);
    out
}

fn collect_matchers(node: &Node, positive: bool, out: &mut Vec<Matcher>) {
    match node {
        Node::Term { text, prefix: true } if positive => {
            out.push(Matcher::Prefix(prefix_text(text)));
        }
        Node::Term {
            text,
            prefix: false,
        } if positive => match term_match(text) {
            None => {}
            Some(TermMatch::Keyword(stem)) => out.push(Matcher::Stem(stem)),
            Some(TermMatch::Sequence(exact)) => out.push(Matcher::Sequence(exact)),
        },
        Node::Phrase { text, slop } if positive => {
            let exact = analysis::exact_sequence(text);
            if !exact.is_empty() {
                out.push(match slop {
                    0 => Matcher::Sequence(exact),
                    _ => Matcher::Near(exact.into_iter().map(|(_, t)| t).collect()),
                });
            }
        }
        Node::Term { .. } | Node::Phrase { .. } | Node::Field { .. } => {}
        Node::Not(_) => collect_matchers(&Node::And(vec![node.clone()]), positive, out),
        Node::Or(alternatives) => {
            for alt in alternatives {
                collect_matchers(alt, positive, out);
            }
        }
        Node::And(items) => {
            for item in items {
                match item {
                    Node::Not(inner) => collect_matchers(inner, false, out),
                    other => collect_matchers(other, positive, out),
                }
            }
        }
    }
}

/// The folded letters and digits of a prefix term (`Sanct*` -> `sanct`).
pub fn prefix_text(text: &str) -> String {
    text.chars()
        .map(analysis::fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// What a bare word of a query (not a phrase, not a prefix) matches: every backend and the
/// highlighter decide it here.
pub enum TermMatch {
    /// One English word: a keyword, matched through its stem.
    Keyword(String),
    /// Anything else (Chinese, `COVID-19`): its exact tokens in order.
    Sequence(Vec<(usize, String)>),
}

/// How the bare word `text` matches; `None` when it has nothing to search (punctuation).
pub fn term_match(text: &str) -> Option<TermMatch> {
    let exact = analysis::exact_sequence(text);
    match exact.len() {
        0 => None,
        1 if !text.chars().any(is_han) => Some(TermMatch::Keyword(keyword_stem(text))),
        _ => Some(TermMatch::Sequence(exact)),
    }
}

/// The stem an English keyword matches through (`sanctions` -> `sanction`).
pub fn keyword_stem(text: &str) -> String {
    match analysis::latin_words(text).into_iter().next() {
        Some(t) => t.text,
        None => analysis::exact_terms(text).concat(),
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
}

impl Builder<'_> {
    fn node(&self, node: &Node) -> Result<Option<Box<dyn Query>>, QueryError> {
        Ok(match node {
            Node::Term { text, prefix: true } => {
                let folded = prefix_text(text);
                let pattern = format!("{}.*", regex_escape(&folded));
                let q = RegexQuery::from_pattern(&pattern, self.fields.exact).map_err(|e| {
                    QueryError {
                        column: 1,
                        message: format!("bad prefix `{text}*`: {e}"),
                    }
                })?;
                Some(Box::new(q))
            }
            Node::Term {
                text,
                prefix: false,
            } => match term_match(text) {
                None => None,
                Some(TermMatch::Keyword(stem)) => Some(self.term(self.fields.words, &stem)),
                Some(TermMatch::Sequence(exact)) => Some(self.sequence(text, exact, 0)),
            },
            Node::Phrase { text, slop } => {
                let exact = analysis::exact_sequence(text);
                match exact.len() {
                    0 => None,
                    _ => Some(self.sequence(text, exact, *slop)),
                }
            }
            Node::Field { field, value } => Some(field_query(self.fields, *field, value)?),
            // A `-` outside a list of clauses (`-trade`, `(-a) OR b`): the same rule as in one.
            Node::Not(_) => self.node(&Node::And(vec![node.clone()]))?,
            Node::Or(alternatives) => {
                let mut clauses = Vec::new();
                for alt in alternatives {
                    if let Some(q) = self.node(alt)? {
                        clauses.push((Occur::Should, q));
                    }
                }
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::And(items) => {
                let mut clauses = Vec::new();
                let mut required = 0;
                for item in items {
                    let (occur, inner) = match item {
                        Node::Not(inner) => (Occur::MustNot, inner.as_ref()),
                        other => (Occur::Must, other),
                    };
                    if let Some(q) = self.node(inner)? {
                        required += usize::from(occur == Occur::Must);
                        clauses.push((occur, q));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if required == 0 {
                    return Err(QueryError {
                        column: 1,
                        message: "a query needs at least one word or phrase to match, not only exclusions".into(),
                    });
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
        })
    }

    fn term(&self, field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// Exact tokens at their relative positions (within `slop`), required; the words inside, for
    /// ranking. The positions carry the query's own clause boundaries, so `"合作、共赢"` matches
    /// a boundary between 作 and 共 and `"合作共赢"` does not.
    fn sequence(&self, text: &str, exact: Vec<(usize, String)>, slop: u32) -> Box<dyn Query> {
        let matching: Box<dyn Query> = if exact.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(self.fields.exact, &exact[0].1),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            // The query's own clause boundaries are gaps in its positions: each is filled with
            // the mark the index has there, so that only a boundary matches it.
            let mut terms = Vec::new();
            for (i, (p, t)) in exact.iter().enumerate() {
                if i > 0 && *p > exact[i - 1].0 + 1 {
                    let mark = Term::from_field_text(self.fields.exact, analysis::CLAUSE_MARK);
                    terms.push((p - 1, mark));
                }
                terms.push((*p, Term::from_field_text(self.fields.exact, t)));
            }
            match slop {
                0 => Box::new(PhraseQuery::new_with_offset_and_slop(terms, 0)),
                _ => Box::new(Slack(PhraseQuery::new_with_offset_and_slop(terms, slop))),
            }
        };
        let ranking = self.ranking_terms(text);
        if ranking.is_empty() {
            return matching;
        }
        let mut clauses = vec![(Occur::Must, matching)];
        clauses.extend(
            ranking
                .into_iter()
                .map(|t| (Occur::Should, self.term(self.fields.words, &t))),
        );
        Box::new(BooleanQuery::new(clauses))
    }

    /// Words of `text` as the `words` field has them: English stems, and Chinese words found by
    /// longest match against the index's own vocabulary (so a query never loads the jieba
    /// dictionary, and its words are ones jieba actually produced for the passages).
    fn ranking_terms(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = analysis::latin_words(text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        for run in analysis::runs(text) {
            if run.class != analysis::CharClass::Han {
                continue;
            }
            let chars: Vec<char> = run.folded.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let longest = (1..=MAX_WORD_CHARS.min(chars.len() - i))
                    .rev()
                    .find_map(|len| {
                        let word: String = chars[i..i + len].iter().collect();
                        let term = Term::from_field_text(self.fields.words, &word);
                        (self.searcher.doc_freq(&term).unwrap_or(0) > 0).then_some((word, len))
                    });
                match longest {
                    Some((word, len)) => {
                        out.push(word);
                        i += len;
                    }
                    None => i += 1,
                }
            }
        }
        out
    }
}

/// A phrase with slack, matched the same way whether scores are wanted or not. For phrases of
/// three terms or more, tantivy 0.27 spends the slack as one budget over all the terms when it
/// scores, but forgets what the earlier terms spent when it only tests for a match (a count, a
/// sort by date, `first`, `trend`), so the same query matched different passages by relevance
/// and by date. The budget is podium's meaning of `~N`: this always asks for it.
#[derive(Clone, Debug)]
struct Slack(PhraseQuery);

impl Query for Slack {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        match scoring.searcher() {
            Some(searcher) if !scoring.is_scoring_enabled() => self
                .0
                .weight(EnableScoring::enabled_from_searcher(searcher)),
            _ => self.0.weight(scoring),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

/// A filter: restricts the matches without changing scores.
pub fn field_query(
    fields: &Fields,
    field: FieldName,
    value: &str,
) -> Result<Box<dyn Query>, QueryError> {
    let f = match field {
        FieldName::Speaker => fields.speaker_key,
        FieldName::Lang => fields.lang,
        FieldName::Role => fields.role,
    };
    Ok(filter(Box::new(TermQuery::new(
        Term::from_field_text(f, &field_key(field, value)?),
        IndexRecordOption::Basic,
    ))))
}

/// The value a field filter looks up: a speaker's key, `en`/`zh`, `question`/`answer`.
pub fn field_key(field: FieldName, value: &str) -> Result<String, QueryError> {
    Ok(match field {
        FieldName::Speaker => aliases::key(value),
        FieldName::Lang => {
            let lang = Lang::parse(value).ok_or_else(|| QueryError {
                column: 1,
                message: format!("lang: takes en or zh, not `{value}`"),
            })?;
            lang.as_str().to_string()
        }
        FieldName::Role => {
            let role = match value.to_lowercase().as_str() {
                "question" | "q" => Role::Question,
                "answer" | "a" => Role::Answer,
                _ => {
                    return Err(QueryError {
                        column: 1,
                        message: format!("role: takes question or answer, not `{value}`"),
                    })
                }
            };
            role.as_str().to_string()
        }
    })
}

/// Wraps a query so that it filters without scoring.
pub fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// For two or more bare English keywords, a passage where they stand together (within two
/// positions) ranks above one where they are scattered.
fn proximity_clause(node: &Node, fields: &Fields) -> Option<Box<dyn Query>> {
    let Node::And(items) = node else { return None };
    let words: Vec<String> = items
        .iter()
        .filter_map(|n| match n {
            Node::Term {
                text,
                prefix: false,
            } if !text.chars().any(is_han) => Some(analysis::exact_terms(text)),
            _ => None,
        })
        .flatten()
        .collect();
    if words.len() < 2 {
        return None;
    }
    let terms: Vec<(usize, Term)> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (i, Term::from_field_text(fields.exact, w)))
        .collect();
    // Near each other counts; in the query's exact order and adjacent counts more.
    let near = PhraseQuery::new_with_offset_and_slop(terms.clone(), 2);
    let exact = PhraseQuery::new_with_offset_and_slop(terms, 0);
    Some(Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(near), PROXIMITY_BOOST)) as Box<dyn Query>,
        ),
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(exact), PROXIMITY_BOOST)),
        ),
    ])))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
