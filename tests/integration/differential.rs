//! Phrase search against a brute-force scan: for phrases drawn from the sample corpus (English
//! runs of 2-4 words, Chinese runs of 2-6 characters, many crossing jieba word boundaries) and
//! from generated passages full of punctuation, the passages podium returns must be exactly the
//! passages whose tokens contain the phrase's tokens consecutively within a clause, crossing a
//! clause boundary only where the phrase has one.
//!
//! The brute force tokenizes with its own few lines of code, straight from the definition: a
//! token is a run of letters/digits or one Han character, after folding case, full-width forms,
//! compatibility ideographs (by Unicode normalization, not podium's table) and Traditional
//! characters (podium's character table, tested on its own); everything else separates tokens.
//! A clause boundary is one of the CJK marks `。，、；：？！…「」『』《》〈〉【】〔〕（）`, or one of
//! `, ; : . ? ! ( )` followed by whitespace, the end of the text or a Han character, or preceded
//! by a Han character.

use crate::harness::Lcg;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

fn is_boundary(prev: Option<char>, c: char, next: Option<char>) -> bool {
    "。，、；：？！…「」『』《》〈〉【】〔〕（）".contains(c)
        || ",;:.?!()".contains(c)
            && (next.is_none_or(|n| n.is_whitespace() || is_han(n)) || prev.is_some_and(is_han))
}

/// A token: its folded text, the byte range it covers, and whether a clause boundary stands
/// between it and the token before.
type Tok = (String, usize, usize, bool);

fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut word: Option<Tok> = None;
    let mut boundary = false;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let f = fold(c);
        let end = i + c.len_utf8();
        if is_han(f) {
            out.extend(word.take());
            out.push((f.to_string(), i, end, boundary && !out.is_empty()));
            boundary = false;
        } else if f.is_alphanumeric() {
            match &mut word {
                Some((w, _, e, _)) => {
                    w.push(f);
                    *e = end;
                }
                None => {
                    word = Some((f.to_string(), i, end, boundary && !out.is_empty()));
                    boundary = false;
                }
            }
        } else {
            out.extend(word.take());
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            boundary |= is_boundary(prev, c, chars.get(k + 1).map(|n| n.1));
        }
    }
    out.extend(word);
    out
}

/// The needle's tokens stand in the haystack in a row, with a boundary between two of them
/// exactly where the needle has one.
fn contains(haystack: &[Tok], needle: &[Tok]) -> bool {
    needle.len() <= haystack.len()
        && haystack.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .enumerate()
                .all(|(k, (t, n))| t.0 == n.0 && (k == 0 || t.3 == n.3))
        })
}

/// sample-corpus indexed in a temporary directory, and its passages as the indexer splits them:
/// `((path, paragraph), text)`.
#[allow(clippy::type_complexity)]
fn sample_corpus() -> (tempfile::TempDir, Searcher, Vec<((String, u64), String)>) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-corpus");
    let tmp = tempfile::tempdir().unwrap();
    let (searcher, passages) = indexed(&root, tmp.path());
    (tmp, searcher, passages)
}

/// `root` indexed under `tmp`, and its passages as the indexer splits them.
#[allow(clippy::type_complexity)]
fn indexed(root: &Path, tmp: &Path) -> (Searcher, Vec<((String, u64), String)>) {
    index::index_roots(
        &[root.to_path_buf()],
        &index::IndexOptions::new(tmp.join("idx")),
    )
    .unwrap();
    let searcher = Searcher::open(&tmp.join("idx")).unwrap();
    let mut passages = Vec::new();
    for file in corpus::walk(root).files {
        for doc in corpus::read(&file).unwrap().documents {
            let t = transcript::split(&doc);
            for (i, p) in t.passages.into_iter().enumerate() {
                passages.push(((t.path.clone(), i as u64), p.text));
            }
        }
    }
    (searcher, passages)
}

/// Every passage podium returns for `query`, checked against the brute force for `needle`.
fn check(
    searcher: &Searcher,
    passages: &[((String, u64), String)],
    tokenized: &[Vec<Tok>],
    query: &str,
    needle: &[Tok],
) {
    let want: BTreeSet<(String, u64)> = passages
        .iter()
        .zip(tokenized)
        .filter(|(_, toks)| contains(toks, needle))
        .map(|((key, _), _)| key.clone())
        .collect();
    let mut request = SearchRequest::new(query);
    request.limit = 10_000;
    request.collapse = false;
    let results = searcher
        .search(&request)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    let got: BTreeSet<(String, u64)> = results
        .hits
        .iter()
        .map(|h| (h.path.clone(), h.paragraph))
        .collect();
    assert_eq!(results.total, got.len(), "{query}");
    assert_eq!(got, want, "query {query:?}: podium vs brute force");
}

#[test]
fn phrase_search_equals_brute_force_scan() {
    let (_tmp, searcher, passages) = sample_corpus();
    let tokenized: Vec<Vec<Tok>> = passages.iter().map(|(_, t)| tokens(t)).collect();

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
        let needle = tokens(text);
        check(
            &searcher,
            &passages,
            &tokenized,
            &format!("\"{text}\""),
            &needle,
        );
        if han && !text.contains(char::is_whitespace) {
            // A bare Chinese query is as exact as a phrase.
            check(&searcher, &passages, &tokenized, text, &needle);
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

/// Generated passages in English, Simplified and Traditional Chinese, with every kind of
/// punctuation between a few recurring tokens; phrases drawn from them with the punctuation
/// inside and around, bare, and with the punctuation dropped. Each must return exactly the
/// brute force's passages: never across a clause boundary the query does not have.
#[test]
fn phrase_search_stops_at_clause_boundaries() {
    let languages: [(&str, Vec<&str>, &[&str]); 3] = [
        (
            "en.txt",
            "trade war Cold War mentality one China policy talks U S 3 000 10 30"
                .split(' ')
                .collect(),
            &[
                " ", " ", " ", ", ", ",", ". ", ".", "; ", ": ", "-", "'", "? ", "! ", " (", ") ",
                "...", "— ", ":",
            ],
        ),
        (
            "hans.txt",
            "合作共赢华为立法会行政院中美关系"
                .split("")
                .filter(|c| !c.is_empty())
                .collect(),
            &[
                "", "", "", "", "，", "、", "。", "；", "：", "？", "！", "…", "「", "」", "（",
                "）", ",", ".", " ", "《", "》", "·",
            ],
        ),
        (
            "hant.txt",
            "合作共贏華為立法會行政院中美關係\u{F98E}\u{FA01}"
                .split("")
                .filter(|c| !c.is_empty())
                .collect(),
            &[
                "", "", "", "", "，", "、", "。", "；", "：", "？", "！", "…", "『", "』", "〔",
                "〕", ", ", ".", " ", "〈", "〉", "—",
            ],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    let mut rng = Lcg(12);
    for (name, vocabulary, separators) in &languages {
        let mut text = String::new();
        for _ in 0..60 {
            let n = 6 + rng.below(9);
            for i in 0..n {
                if i > 0 {
                    text.push_str(separators[rng.below(separators.len())]);
                }
                text.push_str(vocabulary[rng.below(vocabulary.len())]);
            }
            text.push_str("\n\n");
        }
        std::fs::write(root.join(name), text).unwrap();
    }
    let (searcher, passages) = indexed(&root, tmp.path());
    let tokenized: Vec<Vec<Tok>> = passages.iter().map(|(_, t)| tokens(t)).collect();

    let (mut queries, mut differ) = (0, 0);
    for _ in 0..400 {
        let p = rng.below(passages.len());
        let (text, toks) = (&passages[p].1, &tokenized[p]);
        if toks.len() < 2 {
            continue;
        }
        let len = (2 + rng.below(4)).min(toks.len());
        let start = rng.below(toks.len() - len + 1);
        let span = &toks[start..start + len];
        // With the punctuation around the phrase, up to the neighbouring tokens.
        let from = start.checked_sub(1).map_or(0, |i| toks[i].2);
        let to = toks.get(start + len).map_or(text.len(), |t| t.1);
        let inside = &text[span[0].1..span[len - 1].2];
        let around = text[from..to].trim();
        let phrase = tokens(inside);
        check(
            &searcher,
            &passages,
            &tokenized,
            &format!("\"{around}\""),
            &tokens(around),
        );
        check(
            &searcher,
            &passages,
            &tokenized,
            &format!("\"{inside}\""),
            &phrase,
        );
        let bare_ok =
            !inside.contains(|c: char| c.is_whitespace() || "()（）「」『』:：-".contains(c));
        if span.iter().all(|t| is_han(t.0.chars().next().unwrap())) && bare_ok {
            check(&searcher, &passages, &tokenized, inside, &phrase);
        }
        let joined: Vec<&str> = span.iter().map(|t| &text[t.1..t.2]).collect();
        let joined = joined.join(" ");
        let plain = tokens(&joined);
        check(
            &searcher,
            &passages,
            &tokenized,
            &format!("\"{joined}\""),
            &plain,
        );
        queries += 1;
        let hits = |needle: &[Tok]| tokenized.iter().filter(|t| contains(t, needle)).count();
        differ += usize::from(hits(&phrase) != hits(&plain));
    }
    assert!(queries >= 300, "{queries} phrases drawn");
    // The punctuation changes the answer for many phrases: the test sees boundaries at work.
    assert!(
        differ >= 50,
        "only {differ} phrases differ with and without punctuation"
    );
}
