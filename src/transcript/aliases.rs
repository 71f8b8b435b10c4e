//! One person, one name: a speakers file maps the ways sources write a name to the one podium
//! shows, across languages and spellings.
//!
//! ```toml
//! # the name to show = [other ways sources write it]
//! "Zhao Lijian" = ["赵立坚", "趙立堅"]
//! "Bloomberg" = ["Bloomberg News"]
//! ```
//!
//! Matching ignores case, spacing, full-width forms and Traditional/Simplified differences
//! ([`key`]), so `Hua chunying` and `HUA CHUNYING` need no entry of their own.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::fold_char;

/// The form of a name that matching uses: folded (case, width, Traditional -> Simplified) and
/// with whitespace collapsed.
pub fn key(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.chars().map(fold_char).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The speakers file, loaded.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// key of any variant (or of the canonical name) -> canonical name
    canonical: HashMap<String, String>,
    /// canonical name -> keys of all its variants, the canonical one included
    keys: HashMap<String, Vec<String>>,
}

impl Aliases {
    /// Parses a speakers file. Errors name the line and what is wrong.
    pub fn parse(text: &str) -> Result<Aliases, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1));
            match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            }
        })?;
        let mut aliases = Aliases::default();
        for (name, variants) in table {
            let list = match variants {
                toml::Value::String(s) => vec![s],
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|v| match v {
                        toml::Value::String(s) => Ok(s),
                        other => Err(format!(
                            "`{name}`: variants must be strings, found {}",
                            other.type_str()
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                other => {
                    return Err(format!(
                        "`{name}`: expected a list of names, as in \"{name}\" = [\"…\"], found {}",
                        other.type_str()
                    ))
                }
            };
            aliases.add(&name, &list)?;
        }
        Ok(aliases)
    }

    pub fn load(path: &Path) -> Result<Aliases, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string().to_lowercase())?;
        Aliases::parse(&text)
    }

    fn add(&mut self, name: &str, variants: &[String]) -> Result<(), String> {
        let mut keys = vec![key(name)];
        keys.extend(variants.iter().map(|v| key(v)));
        for k in &keys {
            if let Some(other) = self.canonical.get(k).filter(|o| o.as_str() != name) {
                return Err(format!("`{k}` is listed under both `{other}` and `{name}`"));
            }
            self.canonical.insert(k.clone(), name.to_string());
        }
        keys.dedup();
        self.keys.entry(name.to_string()).or_default().extend(keys);
        Ok(())
    }

    /// Adds another file's entries (a root's `speakers.toml` next to `--speakers`).
    pub fn merge(&mut self, other: Aliases) -> Result<(), String> {
        for (name, keys) in other.keys {
            for k in keys {
                if let Some(existing) = self.canonical.get(&k).filter(|o| **o != name) {
                    return Err(format!(
                        "`{k}` is listed under both `{existing}` and `{name}`"
                    ));
                }
                self.canonical.insert(k.clone(), name.clone());
                self.keys.entry(name.clone()).or_default().push(k);
            }
        }
        Ok(())
    }

    /// The name to show for `name`.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.canonical.get(&key(name)).map_or(name, String::as_str)
    }

    /// Every key a `--speaker` filter may use to find this (canonical) speaker.
    pub fn keys(&self, canonical: &str) -> Vec<String> {
        let mut keys = self.keys.get(canonical).cloned().unwrap_or_default();
        keys.push(key(canonical));
        keys.sort();
        keys.dedup();
        keys
    }

    pub fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_map_to_one_name() {
        let a = Aliases::parse(
            "\"Zhao Lijian\" = [\"赵立坚\"]\n\"Bloomberg\" = [\"Bloomberg News\"]\n",
        )
        .unwrap();
        assert_eq!(a.canonical("赵立坚"), "Zhao Lijian");
        assert_eq!(
            a.canonical("趙立堅"),
            "Zhao Lijian",
            "Traditional folds to Simplified"
        );
        assert_eq!(a.canonical("bloomberg  news"), "Bloomberg");
        assert_eq!(a.canonical("Reuters"), "Reuters");
        assert_eq!(a.keys("Zhao Lijian"), ["zhao lijian", "赵立坚"]);
        assert_eq!(key("Hua chunying"), key("HUA CHUNYING"));
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let cases = [
            ("\"Zhao Lijian\" = [\"赵立坚\"\n", "line 1"),
            ("a = 3\n", "expected a list of names"),
            ("a = [\"x\"]\nb = [\"X\"]\n", "listed under both"),
            ("a = [1]\n", "variants must be strings"),
        ];
        for (text, want) in cases {
            let err = Aliases::parse(text).unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }
}
