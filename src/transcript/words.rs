//! The word lists that speaker labels are read with ([`words.toml`](words.toml)), loaded once.
//!
//! Entries and the text compared with them are folded the same way
//! ([`super::aliases::key`]: case, width, Traditional -> Simplified), so each word is written
//! once, in either script.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::aliases::key;

/// One list: folded entries.
#[derive(Debug, Default)]
pub struct List(HashSet<String>);

impl List {
    /// Whether `text`, folded, is an entry.
    pub fn has(&self, text: &str) -> bool {
        self.0.contains(&key(text))
    }

    /// Whether an already folded `key` is an entry.
    pub fn has_key(&self, key: &str) -> bool {
        self.0.contains(key)
    }

    /// Whether `text`, folded, ends with an entry.
    pub fn ends(&self, text: &str) -> bool {
        let k = key(text);
        self.0.iter().any(|e| k.ends_with(e.as_str()))
    }

    /// Whether `text`, folded, ends with an entry of at least `min_chars` characters.
    pub fn ends_with_word(&self, text: &str, min_chars: usize) -> bool {
        let k = key(text);
        self.0
            .iter()
            .any(|e| e.chars().count() >= min_chars && k.ends_with(e.as_str()))
    }

    /// Whether `text`, folded, contains an entry.
    pub fn within(&self, text: &str) -> bool {
        let k = key(text);
        self.0.iter().any(|e| k.contains(e.as_str()))
    }

    /// Whether `text`, folded, starts with an entry.
    pub fn starts(&self, text: &str) -> bool {
        let k = key(text);
        self.0.iter().any(|e| k.starts_with(e.as_str()))
    }
}

/// Every list of `words.toml`; see the file for what each one means.
#[derive(Debug, Default)]
pub struct Words {
    pub question: List,
    pub answer: List,
    pub anonymous: List,
    pub anonymous_asking: List,
    pub chair: List,
    pub honorifics: List,
    pub outlet_words: List,
    pub role_words: List,
    pub title_words: List,
    pub role_suffixes: List,
    pub headings: List,
    pub attendance: List,
    pub not_speakers: List,
    pub phrase_openers: List,
    pub reported_speech: List,
    pub not_in_chinese_names: List,
    pub header_people: List,
    pub header_fields: List,
}

/// The lists, parsed on first use.
pub fn words() -> &'static Words {
    static WORDS: LazyLock<Words> = LazyLock::new(|| parse(include_str!("words.toml")));
    &WORDS
}

fn parse(text: &str) -> Words {
    let table: toml::Table = text.parse().expect("words.toml is valid TOML");
    let list = |name: &str| {
        let entries = table
            .get(name)
            .and_then(toml::Value::as_array)
            .unwrap_or_else(|| panic!("words.toml has a list `{name}`"));
        List(
            entries
                .iter()
                .map(|e| key(e.as_str().expect("words.toml lists strings")))
                .collect(),
        )
    };
    Words {
        question: list("question"),
        answer: list("answer"),
        anonymous: list("anonymous"),
        anonymous_asking: list("anonymous_asking"),
        chair: list("chair"),
        honorifics: list("honorifics"),
        outlet_words: list("outlet_words"),
        role_words: list("role_words"),
        title_words: list("title_words"),
        role_suffixes: list("role_suffixes"),
        headings: list("headings"),
        attendance: list("attendance"),
        not_speakers: list("not_speakers"),
        phrase_openers: list("phrase_openers"),
        reported_speech: list("reported_speech"),
        not_in_chinese_names: list("not_in_chinese_names"),
        header_people: list("header_people"),
        header_fields: list("header_fields"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_and_compare_after_folding() {
        let w = words();
        assert!(w.question.has("Q"));
        assert!(
            w.question.has("問"),
            "Traditional matches the Simplified entry"
        );
        assert!(w.headings.has("程序委員會意見"));
        assert!(w.role_suffixes.ends("梁國雄議員"));
        assert!(w.reported_speech.ends("他提醒我"));
        assert!(!w.question.has("Zhao Lijian"));
    }
}
