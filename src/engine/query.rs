//! Query tree -> the engine's full-text expression (`MATCH('…')`), with the same match set as
//! [`crate::search::build`]'s tantivy query.
//!
//! | podium                 | engine                               |
//! |------------------------|--------------------------------------|
//! | `sanctions` (English)  | `(@words sanction)`: the stem        |
//! | `命运`, `COVID-19`     | `(@exact "命 运")`: exact tokens in order |
//! | `"trade war"`          | `(@exact "trade war")`               |
//! | `sanct*`               | `(@exact sanct*)`                    |
//! | `a OR b`, `a -b`       | `(a \| b)`, `(a -b)`                  |
//! | `speaker:X`, `lang:zh` | `(@tags sk…)`, `(@tags langzh)`      |
//!
//! Ranking is the engine's; podium's ranking-only clauses (jieba words, proximity) are not sent.
//! A phrase with slack (`"a b"~3`) cannot be sent as it is: tantivy's slop and the engine's
//! proximity operator count differently, so their match sets would differ. At the top of a
//! query ([`translate_top`]) it is sent as its words, in any order and place, and podium checks
//! the passages that match ([`crate::search::verify`]); inside `OR` or after `-` it is refused.

use super::tokens;
use crate::analysis;
use crate::search::build::{field_key, prefix_text, term_match, TermMatch};
use crate::search::query::{FieldName, Node};
use crate::QueryError;

/// The expression for `node`, or `None` when it has nothing to search (only punctuation).
pub fn translate(node: &Node) -> Result<Option<String>, QueryError> {
    Ok(match node {
        Node::Term { text, prefix: true } => {
            Some(format!("(@exact {}*)", tokens::token(&prefix_text(text))))
        }
        Node::Term {
            text,
            prefix: false,
        } => match term_match(text) {
            None => None,
            Some(TermMatch::Keyword(stem)) => Some(format!("(@words {})", tokens::token(&stem))),
            Some(TermMatch::Sequence(exact)) => Some(sequence(&exact)),
        },
        Node::Phrase { text, slop } => {
            if *slop > 0 {
                return Err(QueryError {
                    column: 1,
                    message: format!(
                        "\"{text}\"~{slop}: on a search cluster (--engine), a phrase with slack must stand on its own or beside other words, not inside OR or after -"
                    ),
                });
            }
            let exact = analysis::exact_sequence(text);
            (!exact.is_empty()).then(|| sequence(&exact))
        }
        Node::Field { field, value } => Some(field_tag(*field, value)?),
        Node::Not(_) => translate(&Node::And(vec![node.clone()]))?,
        Node::Or(alternatives) => {
            let mut parts = Vec::new();
            for alt in alternatives {
                parts.extend(translate(alt)?);
            }
            (!parts.is_empty()).then(|| format!("({})", parts.join(" | ")))
        }
        Node::And(items) => {
            let mut parts = Vec::new();
            let mut required = 0;
            for item in items {
                match item {
                    Node::Not(inner) => parts.extend(translate(inner)?.map(|q| format!("-{q}"))),
                    other => {
                        if let Some(q) = translate(other)? {
                            required += 1;
                            parts.push(q);
                        }
                    }
                }
            }
            if parts.is_empty() {
                return Ok(None);
            }
            if required == 0 {
                return Err(QueryError {
                    column: 1,
                    message:
                        "a query needs at least one word or phrase to match, not only exclusions"
                            .into(),
                });
            }
            Some(format!("({})", parts.join(" ")))
        }
    })
}

/// [`translate`] for a whole query, whose phrases with slack may stand at its top (alone or
/// beside other items): each is sent as its words, all required, and returned for the caller to
/// check on the passages that match.
pub fn translate_top(node: &Node) -> Result<(Option<String>, Vec<Node>), QueryError> {
    let items = match node {
        Node::And(items) => items.clone(),
        other => vec![other.clone()],
    };
    let slack = |n: &Node| matches!(n, Node::Phrase { slop, .. } if *slop > 0);
    if !items.iter().any(slack) {
        return Ok((translate(node)?, Vec::new()));
    }
    let (mut parts, mut required, mut phrases) = (Vec::new(), 0, Vec::new());
    for item in items {
        match &item {
            Node::Phrase { text, .. } if slack(&item) => {
                let words: Vec<String> = analysis::exact_sequence(text)
                    .iter()
                    .map(|(_, t)| tokens::token(t))
                    .collect();
                if !words.is_empty() {
                    parts.push(format!("(@exact {})", words.join(" ")));
                    required += 1;
                    phrases.push(item.clone());
                }
            }
            Node::Not(inner) => parts.extend(translate(inner)?.map(|q| format!("-{q}"))),
            other => {
                if let Some(q) = translate(other)? {
                    required += 1;
                    parts.push(q);
                }
            }
        }
    }
    if required == 0 {
        return Ok((None, Vec::new()));
    }
    Ok((Some(format!("({})", parts.join(" "))), phrases))
}

/// Exact tokens at their relative positions (clause marks in the gaps).
fn sequence(exact: &[(usize, String)]) -> String {
    let engine = tokens::sequence(exact);
    match engine.len() {
        1 => format!("(@exact {})", engine[0]),
        _ => format!("(@exact \"{}\")", engine.join(" ")),
    }
}

/// A field filter as the tag the passages carry.
pub fn field_tag(field: FieldName, value: &str) -> Result<String, QueryError> {
    let key = field_key(field, value)?;
    Ok(match field {
        FieldName::Speaker => format!("(@tags {})", tokens::speaker_tag(&key)),
        FieldName::Lang => format!("(@tags {})", tokens::lang_tag(&key)),
        FieldName::Role => format!("(@tags {})", tokens::role_tag(&key)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn t(q: &str) -> String {
        translate(&parse(q).unwrap()).unwrap().unwrap()
    }

    #[test]
    fn queries_become_engine_expressions() {
        assert_eq!(t("sanctions"), "(@words sanction)");
        assert_eq!(t("命運共同體"), "(@exact \"命 运 共 同 体\")");
        assert_eq!(t("\"Trade War\""), "(@exact \"trade war\")");
        assert_eq!(t("中"), "(@exact 中)");
        assert_eq!(t("\"合作、共赢\""), "(@exact \"合 作 。 共 赢\")");
        assert_eq!(t("sanct*"), "(@exact sanct*)");
        assert_eq!(
            t("tariffs OR sanctions -taiwan"),
            "(((@words tariff) | (@words sanction)) -(@words taiwan))"
        );
        assert_eq!(t("lang:zh 中美"), "((@tags langzh) (@exact \"中 美\"))");
        assert!(t("speaker:\"Zhao Lijian\" x").starts_with("((@tags sk"));
    }

    #[test]
    fn phrases_with_slack_are_sent_as_their_words_and_handed_back() {
        let (expr, phrases) =
            translate_top(&parse("\"Trade War\"~2 china -taiwan").unwrap()).unwrap();
        assert_eq!(
            expr.unwrap(),
            "((@exact trade war) (@words china) -(@words taiwan))"
        );
        assert_eq!(phrases.len(), 1);
        let (expr, phrases) = translate_top(&parse("\"命運 共同\"~1").unwrap()).unwrap();
        assert_eq!(expr.unwrap(), "((@exact 命 运 共 同))");
        assert_eq!(phrases.len(), 1);
        assert_eq!(translate_top(&parse("china").unwrap()).unwrap().1.len(), 0);
    }

    #[test]
    fn what_the_index_refuses_the_engine_refuses() {
        for q in ["-taiwan", "\"a b\"~2", "lang:xx a"] {
            assert!(translate(&parse(q).unwrap()).is_err(), "{q}");
        }
        for q in ["x OR \"a b\"~2", "x -\"a b\"~2"] {
            let e = translate_top(&parse(q).unwrap()).unwrap_err().message;
            assert!(e.contains("not inside OR or after -"), "{q}: {e}");
        }
        assert_eq!(translate(&parse("!!").unwrap()).unwrap(), None);
    }
}
