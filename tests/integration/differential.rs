//! Phrase search against a brute-force scan: for phrases drawn from the sample corpus (English
//! runs of 2-4 words, Chinese runs of 2-6 characters, many crossing jieba word boundaries), the
//! passages podium returns must be exactly the passages whose tokens contain the phrase's tokens
//! consecutively.
//!
//! The brute force tokenizes with its own few lines of code, straight from the definition: a
//! token is a run of letters/digits or one Han character, after folding case, full-width forms,
//! compatibility ideographs (by Unicode normalization, not podium's table) and Traditional
//! characters (podium's character table, tested on its own); everything else separates tokens.

use std::collections::BTreeSet;
use std::path::PathBuf;

use podium::search::{SearchRequest, Searcher};
use podium::{corpus, index, transcript};

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0x3005 | 0x3007 | 0x20000..=0x3134F)
}

fn fold(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap(),
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => std::iter::once(c).nfc().next().unwrap(),
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

/// sample-corpus indexed in a temporary directory, and its passages as the indexer splits them:
/// `((path, paragraph), text)`.
#[allow(clippy::type_complexity)]
fn sample_corpus() -> (tempfile::TempDir, Searcher, Vec<((String, u64), String)>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    let tmp = tempfile::tempdir().unwrap();
    index::index_roots(
        std::slice::from_ref(&root),
        &index::IndexOptions::new(tmp.path().join("idx")),
    )
    .unwrap();
    let searcher = Searcher::open(&tmp.path().join("idx")).unwrap();
    let mut passages = Vec::new();
    for file in corpus::walk(&root).files {
        for doc in corpus::read(&file).unwrap().documents {
            let t = transcript::split(&doc);
            for (i, p) in t.passages.into_iter().enumerate() {
                passages.push(((t.path.clone(), i as u64), p.text));
            }
        }
    }
    (tmp, searcher, passages)
}

#[test]
fn phrase_search_equals_brute_force_scan() {
    let (_tmp, searcher, passages) = sample_corpus();
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
            request.collapse = false;
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

/// Folding identical passages is the full ranking with later copies of a text removed: the same
/// order, each text at its best copy, the copies counted, and pages that tile the list.
#[test]
fn folded_results_are_the_full_ranking_without_repeats() {
    let (_tmp, searcher, passages) = sample_corpus();
    // Every distinct word and Han character of the corpus, as a query, and pairs of them.
    let words: BTreeSet<String> = passages
        .iter()
        .flat_map(|(_, text)| tokens(text).into_iter().map(|t| t.0))
        .collect();
    let words: Vec<String> = words.into_iter().collect();
    let mut queries: Vec<String> = words.clone();
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let (a, b) = (rng.below(words.len()), rng.below(words.len()));
        queries.push(format!("{} OR {}", words[a], words[b]));
    }
    let mut folded_some = 0;
    // Half the queries restricted to a date range, whose copies outside it must not count.
    for (i, q) in queries.iter().enumerate() {
        let mut request = SearchRequest::new(q);
        if i % 2 == 1 {
            request.from = Some("2020-04".into());
            request.to = Some("2021-12".into());
        }
        request.limit = 10_000;
        request.collapse = false;
        let full = match searcher.search(&request) {
            Ok(r) => r,
            Err(_) => continue, // a word that is query syntax on its own ("or")
        };
        // The brute force: walk the full ranking, keep the first passage of each text.
        let mut want: Vec<((String, u64), u64)> = Vec::new();
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        for hit in &full.hits {
            match seen.get(hit.text.as_str()) {
                Some(&i) => want[i].1 += 1,
                None => {
                    seen.insert(&hit.text, want.len());
                    want.push(((hit.path.clone(), hit.paragraph), 0));
                }
            }
        }
        request.collapse = true;
        let folded = searcher.search(&request).unwrap();
        let got: Vec<((String, u64), u64)> = folded
            .hits
            .iter()
            .map(|h| ((h.path.clone(), h.paragraph), h.duplicates))
            .collect();
        assert_eq!(got, want, "query {q:?}");
        assert_eq!(folded.total, full.total, "{q:?}");
        folded_some += usize::from(want.len() < full.hits.len());

        // Pages of three tile the folded list.
        let mut paged = Vec::new();
        request.limit = 3;
        while request.offset < want.len() + 3 {
            let page = searcher.search(&request).unwrap();
            paged.extend(page.hits.iter().map(|h| (h.path.clone(), h.paragraph)));
            request.offset += 3;
        }
        let firsts: Vec<(String, u64)> = want.into_iter().map(|(k, _)| k).collect();
        assert_eq!(paged, firsts, "pages of {q:?}");
    }
    assert!(
        folded_some >= 20,
        "only {folded_some} queries had repeated texts"
    );
}
