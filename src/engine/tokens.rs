//! Pre-tokenized text: podium's token streams as the space-separated strings the engine indexes,
//! and the tags that filters match.
//!
//! The engine splits on spaces only (its `charset_table` holds every other character podium puts
//! in a token), so each podium token is one engine token. Two limits of Sphinx 2.2 are worked
//! around here, the same way for passages and for queries:
//! - characters above U+2FFFF cannot be in its `charset_table`: they are written as
//!   [`ESCAPE`] and six hex digits;
//! - it cuts tokens after 42 characters: a longer token is written as its first
//!   [`KEPT_CHARS`] characters, [`LONG`] and a hash of the whole token, so that two long tokens
//!   with the same beginning stay apart.
//!
//! Both markers are Unicode noncharacters, which never occur in podium's tokens (they are not
//! letters or digits), so an encoded token cannot be mistaken for a real one.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::analysis;

/// Marks a character above U+2FFFF, written as six hex digits.
pub const ESCAPE: char = '\u{2FFFE}';
/// Marks a long token cut short, followed by a hash of the whole token.
pub const LONG: char = '\u{2FFFF}';
/// The longest token Sphinx 2.2 keeps whole, in characters.
pub const MAX_TOKEN_CHARS: usize = 42;
/// Characters of a long token kept before its hash.
pub const KEPT_CHARS: usize = 24;
/// The highest character a Sphinx 2.2 `charset_table` can hold.
pub const MAX_CHARSET_CHAR: u32 = 0x2FFFF;

/// One podium token as the engine indexes it.
pub fn token(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if c as u32 > MAX_CHARSET_CHAR {
            out.push(ESCAPE);
            out.push_str(&format!("{:06x}", c as u32));
        } else {
            out.push(c);
        }
    }
    if out.chars().count() <= MAX_TOKEN_CHARS {
        return out;
    }
    let mut short: String = out.chars().take(KEPT_CHARS).collect();
    short.push(LONG);
    short.push_str(&format!(
        "{:016x}",
        crate::corpus::content_hash(out.as_bytes())
    ));
    short
}

/// The `exact` field: podium's exact tokens, one engine token each, with the clause mark where
/// the exact stream skips a position (as podium's own index has it there).
pub fn exact(text: &str) -> String {
    sequence(&analysis::exact_sequence(text)).join(" ")
}

/// Tokens at their positions as engine tokens, each skipped position filled with
/// [`analysis::CLAUSE_MARK`]: for the indexed text and for phrases alike, so that a phrase
/// crosses a clause boundary only where the query has one.
pub fn sequence(tokens: &[(usize, String)]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut next = 0;
    for (i, (position, text)) in tokens.iter().enumerate() {
        if i > 0 {
            for _ in next..*position {
                out.push(analysis::CLAUSE_MARK.to_string());
            }
        }
        out.push(token(text));
        next = position + 1;
    }
    out
}

/// The `words` field: stems and jieba words, one engine token each.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> String {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(token(&stream.token().text));
    }
    join(out.into_iter())
}

fn join(tokens: impl Iterator<Item = String>) -> String {
    tokens.collect::<Vec<_>>().join(" ")
}

/// The tag a `speaker:` filter matches, for one of the speaker's keys
/// ([`crate::transcript::aliases::key`]): keys have spaces, tags cannot.
pub fn speaker_tag(key: &str) -> String {
    format!("sk{:016x}", crate::corpus::content_hash(key.as_bytes()))
}

pub fn lang_tag(lang: &str) -> String {
    format!("lang{lang}")
}

pub fn role_tag(role: &str) -> String {
    format!("role{role}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_podium_tokens_joined_by_spaces() {
        assert_eq!(exact("命運共同體, COVID-19!"), "命 运 共 同 体 。 covid 19");
        assert_eq!(exact("，中国。"), "中 国");
        let mut analyzer = analysis::words_analyzer();
        assert_eq!(
            words(&mut analyzer, "Sanctions were imposed"),
            "sanction were impos"
        );
    }

    #[test]
    fn characters_beyond_the_charset_and_long_tokens_stay_one_distinct_token() {
        let rare = "\u{30000}";
        assert_eq!(token(rare), "\u{2FFFE}030000");
        let a = "a".repeat(60);
        let b = format!("{}b", "a".repeat(59));
        let (ta, tb) = (token(&a), token(&b));
        assert_ne!(ta, tb);
        for t in [&ta, &tb] {
            assert!(t.chars().count() <= MAX_TOKEN_CHARS, "{t}");
            assert!(!t.contains(' '));
        }
        assert_eq!(token("short"), "short");
    }
}
