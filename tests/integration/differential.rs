//! Phrase search against a brute-force scan: for phrases drawn from the sample corpus (English
//! runs of 2-4 words, Chinese runs of 2-6 characters, many crossing jieba word boundaries), the
//! passages podium returns must be exactly the passages whose tokens contain the phrase's tokens
//! consecutively.
//!
//! The brute force tokenizes with its own few lines of code, straight from the definition: a
//! token is a run of letters/digits or one Han character, after folding case, full-width forms
//! and Traditional characters (podium's character table, tested on its own); everything else
//! separates tokens.

use std::collections::BTreeSet;
use std::path::PathBuf;

use podium::search::{SearchRequest, Searcher};
use podium::{corpus, index, transcript};

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0x3005 | 0x3007 | 0x20000..=0x3134F)
}

fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap(),
        _ => c,
    };
    podium::analysis::fold_char(c.to_lowercase().next().unwrap())
}

/// Tokens with the byte range each covers in `text`.
fn tokens(text: &str) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    let mut word: Option<(String, usize, usize)> = None;
    for (i, c) in text.char_indices() {
        let f = fold(c);
        let end = i + c.len_utf8();
        if is_han(f) {
            out.extend(word.take());
            out.push((f.to_string(), i, end));
        } else if f.is_alphanumeric() {
            match &mut word {
                Some((w, _, e)) => {
                    w.push(f);
                    *e = end;
                }
                None => word = Some((f.to_string(), i, end)),
            }
        } else {
            out.extend(word.take());
        }
    }
    out.extend(word);
    out
}

fn contains(haystack: &[(String, usize, usize)], needle: &[String]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.iter().zip(needle).all(|(t, n)| &t.0 == n))
}

/// A small deterministic generator: the cases are the same on every run.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn phrase_search_equals_brute_force_scan() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    let tmp = tempfile::tempdir().unwrap();
    index::index_roots(
        std::slice::from_ref(&root),
        &index::IndexOptions::new(tmp.path().join("idx")),
    )
    .unwrap();
    let searcher = Searcher::open(&tmp.path().join("idx")).unwrap();

    let mut passages: Vec<((String, u64), String)> = Vec::new();
    for file in corpus::walk(&root).files {
        for doc in corpus::read(&file).unwrap().documents {
            let t = transcript::split(&doc);
            for (i, p) in t.passages.into_iter().enumerate() {
                passages.push(((t.path.clone(), i as u64), p.text));
            }
        }
    }
    let tokenized: Vec<Vec<(String, usize, usize)>> =
        passages.iter().map(|(_, t)| tokens(t)).collect();

    let mut rng = Lcg(20211119);
    let (mut english, mut chinese) = (0, 0);
    let mut attempts = 0;
    while (english < 150 || chinese < 150) && attempts < 20_000 {
        attempts += 1;
        let p = rng.below(passages.len());
        let toks = &tokenized[p];
        if toks.len() < 2 {
            continue;
        }
        let start = rng.below(toks.len() - 1);
        let han = is_han(toks[start].0.chars().next().unwrap());
        let len = if han {
            2 + rng.below(5)
        } else {
            2 + rng.below(3)
        };
        if start + len > toks.len() {
            continue;
        }
        let span = &toks[start..start + len];
        if han && !span.iter().all(|t| is_han(t.0.chars().next().unwrap())) {
            continue;
        }
        if han && chinese >= 150 || !han && english >= 150 {
            continue;
        }
        let text = &passages[p].1[span[0].1..span[len - 1].2];
        if text.contains(|c: char| "\"“”「」()*:：~".contains(c))
            || text
                .split_whitespace()
                .any(|w| w == "OR" || w == "AND" || w.starts_with('-'))
        {
            continue;
        }
        let needle: Vec<String> = span.iter().map(|t| t.0.clone()).collect();
        let want: BTreeSet<(String, u64)> = passages
            .iter()
            .zip(&tokenized)
            .filter(|(_, toks)| contains(toks, &needle))
            .map(|((key, _), _)| key.clone())
            .collect();
        let mut queries = vec![format!("\"{text}\"")];
        if han && !text.contains(char::is_whitespace) {
            queries.push(text.to_string()); // a bare Chinese query is as exact as a phrase
        }
        for q in queries {
            let mut request = SearchRequest::new(&q);
            request.limit = 10_000;
            let results = searcher
                .search(&request)
                .unwrap_or_else(|e| panic!("{q}: {e}"));
            let got: BTreeSet<(String, u64)> = results
                .hits
                .iter()
                .map(|h| (h.path.clone(), h.paragraph))
                .collect();
            assert_eq!(results.total, got.len(), "{q}");
            assert_eq!(got, want, "query {q:?}: podium vs brute force");
        }
        if han {
            chinese += 1;
        } else {
            english += 1;
        }
    }
    assert_eq!((english, chinese), (150, 150), "enough cases were drawn");
}
