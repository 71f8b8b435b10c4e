//! Shared by the benchmark programs (`benches/exactness.rs`, `benches/known_item.rs`, and a
//! helper or two for `benches/index.rs` and `benches/latency.rs`):
//! command-line arguments, a deterministic PRNG, the corpus read into memory the way the indexer
//! reads it, the index (reused or built), the reference tokenizer, and printing helpers.
//!
//! Each benchmark uses only part of this module.
#![allow(dead_code)]

pub mod queries;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use podium::analysis::{fold_char, is_han};
use podium::corpus::{self, SourceFile};
use podium::transcript::{self, Lang};
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

// ---------------------------------------------------------------------------------------------
// Arguments

/// `CORPUS_DIR [--index PATH] [--cases N] [--seed S]`.
pub struct Args {
    pub corpus: PathBuf,
    pub index: Option<PathBuf>,
    pub cases: usize,
    pub seed: u64,
}

impl Args {
    /// Parses `std::env::args`; prints the usage and exits with status 2 on bad arguments.
    /// `cargo bench` adds a `--bench` argument of its own: flags starting with `--bench` are
    /// ignored.
    pub fn parse(bench: &str, default_cases: usize) -> Args {
        let usage = format!(
            "usage: cargo bench --bench {bench} -- CORPUS_DIR [--index PATH] [--cases N] [--seed S]\n\
             \n  CORPUS_DIR    directory of transcripts (as given to `podium index`)\
             \n  --index PATH  reuse the podium index at PATH (built there if missing or of\
             \n                another podium version);\
             \n                without it, the corpus is indexed into a temporary directory\
             \n  --cases N     number of test cases (default {default_cases})\
             \n  --seed S      seed of the random draw (default 1)"
        );
        let fail = |message: &str| -> ! {
            eprintln!("{bench}: {message}\n\n{usage}");
            std::process::exit(2)
        };
        let mut corpus: Option<PathBuf> = None;
        let mut index = None;
        let mut cases = default_cases;
        let mut seed = 1u64;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            // `--flag=value` or `--flag value`.
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> String {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .unwrap_or_else(|| fail(&format!("{name} needs a value")))
            };
            match flag.as_str() {
                "-h" | "--help" => {
                    println!("{usage}");
                    std::process::exit(0);
                }
                "--index" => index = Some(PathBuf::from(value("--index"))),
                "--cases" => {
                    cases = value("--cases")
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .unwrap_or_else(|| fail("--cases takes a positive number"))
                }
                "--seed" => {
                    seed = value("--seed")
                        .parse()
                        .unwrap_or_else(|_| fail("--seed takes a non-negative integer"))
                }
                f if f.starts_with("--bench") => {}
                f if f.starts_with('-') && f.len() > 1 => fail(&format!("unknown option {f}")),
                _ if corpus.is_some() => fail(&format!("unexpected argument {arg}")),
                _ => corpus = Some(PathBuf::from(arg)),
            }
        }
        let Some(corpus) = corpus else {
            fail("no CORPUS_DIR given")
        };
        if !corpus.is_dir() {
            eprintln!(
                "{bench}: {}: not a directory (give the directory of transcripts to index)",
                corpus.display()
            );
            std::process::exit(2);
        }
        Args {
            corpus,
            index,
            cases,
            seed,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// xorshift64*, seeded through splitmix64: tiny, deterministic on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(z.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus

/// What a passage is written in, for reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    English,
    /// Chinese in Simplified script.
    Simplified,
    /// Chinese in Traditional script: some of its Han characters change when folded.
    Traditional,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::English, Class::Simplified, Class::Traditional];

    pub fn name(self) -> &'static str {
        match self {
            Class::English => "English",
            Class::Simplified => "Chinese Simplified",
            Class::Traditional => "Chinese Traditional",
        }
    }

    /// The passage's language as podium detected it, and for Chinese the script: Traditional
    /// when at least 5% of its Han characters are changed by `fold_char` (Traditional ->
    /// Simplified). Simplified text only has the odd variant character that folds.
    pub fn of(lang: Lang, text: &str) -> Class {
        if lang == Lang::En {
            return Class::English;
        }
        let (mut han, mut changed) = (0usize, 0usize);
        for c in text.chars().filter(|&c| is_han(c)) {
            han += 1;
            changed += usize::from(fold_char(c) != c);
        }
        if changed > 0 && changed * 20 >= han {
            Class::Traditional
        } else {
            Class::Simplified
        }
    }
}

/// One passage as the indexer sees it: passage `paragraph` of file `path`.
pub struct CorpusPassage {
    /// Relative to the corpus directory, as in search results.
    pub path: String,
    pub paragraph: u64,
    pub text: String,
    pub class: Class,
}

pub struct Corpus {
    pub passages: Vec<CorpusPassage>,
    pub files: usize,
    /// Size of the files read, on disk.
    pub bytes: u64,
    /// Files that could not be read, as `path: reason`.
    pub skipped: Vec<String>,
    pub seconds: f64,
}

impl Corpus {
    /// Reads every transcript under `root` with podium's own walk, read and split, on all
    /// cores, in walk order.
    pub fn load(root: &Path) -> Corpus {
        let started = Instant::now();
        let walk = corpus::walk(root);
        let mut skipped: Vec<String> = walk
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.path.display(), e.kind))
            .collect();
        let files: &[SourceFile] = &walk.files;
        let next = AtomicUsize::new(0);
        type Parsed = (usize, Result<(u64, Vec<CorpusPassage>), String>);
        let parsed: Mutex<Vec<Parsed>> = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads() {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    // A file may hold several transcripts (JSON records): each is split as
                    // the indexer splits it, and its passages carry the transcript's path.
                    let result = corpus::read(file)
                        .map(|read| {
                            let passages = read
                                .documents
                                .iter()
                                .map(transcript::split)
                                .flat_map(|t| {
                                    let path = t.path;
                                    t.passages.into_iter().enumerate().map(move |(n, p)| {
                                        CorpusPassage {
                                            class: Class::of(p.lang, &p.text),
                                            path: path.clone(),
                                            paragraph: n as u64,
                                            text: p.text,
                                        }
                                    })
                                })
                                .collect();
                            (read.bytes, passages)
                        })
                        .map_err(|e| format!("{}: {}", e.path.display(), e.kind));
                    parsed.lock().unwrap().push((i, result));
                });
            }
        });
        let mut parsed = parsed.into_inner().unwrap();
        parsed.sort_by_key(|(i, _)| *i);
        let mut corpus = Corpus {
            passages: Vec::new(),
            files: 0,
            bytes: 0,
            skipped: Vec::new(),
            seconds: 0.0,
        };
        for (_, result) in parsed {
            match result {
                Ok((bytes, passages)) => {
                    corpus.files += 1;
                    corpus.bytes += bytes;
                    corpus.passages.extend(passages);
                }
                Err(reason) => skipped.push(reason),
            }
        }
        corpus.skipped = skipped;
        corpus.seconds = started.elapsed().as_secs_f64();
        corpus
    }

    pub fn count(&self, class: Class) -> usize {
        self.passages.iter().filter(|p| p.class == class).count()
    }

    /// `(path, paragraph)` -> index into `passages`.
    pub fn by_key(&self) -> HashMap<(&str, u64), usize> {
        self.passages
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.path.as_str(), p.paragraph), i))
            .collect()
    }
}

/// Worker threads: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ---------------------------------------------------------------------------------------------
// The index

/// An index to search; a temporary one is deleted on drop.
pub struct BenchIndex {
    pub path: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

/// Reuses the index at `--index PATH` when there is one that this podium can read; otherwise
/// indexes the corpus (at PATH when given, else in a temporary directory) and says how long it
/// took.
pub fn open_or_build(args: &Args) -> BenchIndex {
    if let Some(path) = &args.index {
        if path.join("meta.json").is_file() {
            match podium::index::PodiumIndex::open(path) {
                Ok(opened) => {
                    println!("index:   {} (reused, not rebuilt)", path.display());
                    check_roots(opened.meta.map(|m| m.roots), &args.corpus);
                    return BenchIndex {
                        path: path.clone(),
                        _temp: None,
                    };
                }
                Err(e) => println!("index:   cannot reuse it: {e}; indexing again"),
            }
        }
    }
    let (path, temp) = match &args.index {
        Some(path) => (path.clone(), None),
        None => {
            let temp = tempfile::tempdir().unwrap_or_else(|e| {
                eprintln!("cannot create a temporary directory: {e}");
                std::process::exit(2)
            });
            (temp.path().join("index"), Some(temp))
        }
    };
    let options = podium::index::IndexOptions::new(&path);
    match podium::index::index_roots(std::slice::from_ref(&args.corpus), &options) {
        Ok(report) => println!(
            "index:   built in {:.1} s at {} ({} files, {} passages, {} skipped)",
            report.seconds,
            path.display(),
            report.files_indexed,
            report.passages,
            report.skipped.len()
        ),
        Err(e) => {
            eprintln!("indexing {} failed: {e}", args.corpus.display());
            std::process::exit(2);
        }
    }
    BenchIndex { path, _temp: temp }
}

/// Warns when a reused index was built from another directory (or from several): the paths of
/// its results would not be the corpus's.
fn check_roots(roots: Option<Vec<PathBuf>>, corpus: &Path) {
    let roots = roots.unwrap_or_default();
    let corpus = corpus
        .canonicalize()
        .unwrap_or_else(|_| corpus.to_path_buf());
    if roots != [corpus.clone()] {
        println!(
            "WARNING: the index was built from {:?}, not from {} alone: figures are meaningless",
            roots,
            corpus.display()
        );
    }
}

/// Opens the index for searching, and warns when it does not hold the passages just read (an
/// index built from another version of the corpus, or by another version of podium).
pub fn open_searcher(index: &BenchIndex, corpus: &Corpus) -> podium::search::Searcher {
    let searcher = podium::search::Searcher::open(&index.path).unwrap_or_else(|e| {
        eprintln!("cannot open the index at {}: {e}", index.path.display());
        std::process::exit(2)
    });
    // Every passage has a language (the index may hold other documents, such as file records).
    let fields = searcher.fields();
    let any_lang: Vec<(Occur, Box<dyn Query>)> = ["en", "zh"]
        .into_iter()
        .map(|lang| {
            let term = Term::from_field_text(fields.lang, lang);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            (Occur::Should, Box::new(query) as Box<dyn Query>)
        })
        .collect();
    let docs = searcher
        .searcher()
        .search(&BooleanQuery::new(any_lang), &Count)
        .unwrap_or(0);
    if docs != corpus.passages.len() {
        println!(
            "WARNING: the index holds {} passages, the corpus as read now {}: rebuild the index",
            thousands(docs),
            thousands(corpus.passages.len())
        );
    }
    searcher
}

// ---------------------------------------------------------------------------------------------
// Reference tokenizer (independent of podium's analysis, except for folding one character)

/// A token of the exact-matching definition, with byte offsets into the original text.
#[derive(Debug, Clone)]
pub struct Tok {
    /// Folded text.
    pub text: String,
    pub from: usize,
    pub to: usize,
    pub han: bool,
    /// A clause boundary stands between the previous token and this one.
    pub boundary: bool,
}

/// The clause boundary marks of issue 12, written out here rather than taken from podium.
const CJK_MARKS: &str = "。，、；：？！…「」『』《》〈〉【】〔〕（）";
const ASCII_MARKS: &str = ",;:.?!()";

/// A token is a maximal run of letters and digits that are not Han, or a single Han character,
/// after folding each character with [`fold`]; everything else separates tokens. A separator is
/// a clause boundary when it is one of the CJK marks, or one of the ASCII marks followed by
/// whitespace, the end of the text or a Han character, or preceded by a Han character.
pub fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut word: Option<Tok> = None;
    let mut boundary = false;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let f = fold(c);
        let end = i + c.len_utf8();
        if is_han(f) {
            out.extend(word.take());
            out.push(Tok {
                text: f.to_string(),
                from: i,
                to: end,
                han: true,
                boundary: boundary && !out.is_empty(),
            });
            boundary = false;
        } else if f.is_alphanumeric() {
            match &mut word {
                Some(w) => {
                    w.text.push(f);
                    w.to = end;
                }
                None => {
                    word = Some(Tok {
                        text: f.to_string(),
                        from: i,
                        to: end,
                        han: false,
                        boundary: boundary && !out.is_empty(),
                    });
                    boundary = false;
                }
            }
        } else {
            out.extend(word.take());
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            let next = chars.get(k + 1).map(|n| n.1);
            boundary |= CJK_MARKS.contains(c)
                || ASCII_MARKS.contains(c)
                    && (next.is_none_or(|n| n.is_whitespace() || is_han(n))
                        || prev.is_some_and(is_han));
        }
    }
    out.extend(word);
    out
}

/// The reference folding of one character: CJK compatibility ideographs (U+F900–U+FAFF,
/// U+2F800–U+2FA1F) to their NFC form by Unicode's own data (the `unicode-normalization` crate,
/// not podium's table), then podium's `fold_char` for case, width and Traditional -> Simplified.
pub fn fold(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let c = match c as u32 {
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => std::iter::once(c).nfc().next().unwrap_or(c),
        _ => c,
    };
    fold_char(c)
}

/// Separates tokens in [`key`] strings; no token contains it.
pub const SEP: char = '\u{1}';
/// Marks a clause boundary in [`key`] strings, between two [`SEP`]s.
pub const BOUNDARY: char = '\u{2}';

/// Tokens as one string, `SEP tok SEP tok SEP BOUNDARY SEP tok SEP`: a token sequence occurs in
/// a passage, consecutively within a clause and across the boundaries the sequence itself has,
/// exactly when its key is a substring of the passage's key.
pub fn key<'a>(tokens: impl IntoIterator<Item = &'a Tok>) -> String {
    let mut out = String::from(SEP);
    for (i, t) in tokens.into_iter().enumerate() {
        if t.boundary && i > 0 {
            out.push(BOUNDARY);
            out.push(SEP);
        }
        out.push_str(&t.text);
        out.push(SEP);
    }
    out
}

/// Byte range in `text` of the first occurrence of the token sequence `needle`.
pub fn locate(text: &str, needle: &[String]) -> Option<Range<usize>> {
    let toks = tokens(text);
    if needle.is_empty() || toks.len() < needle.len() {
        return None;
    }
    (0..=toks.len() - needle.len())
        .find(|&s| needle.iter().zip(&toks[s..]).all(|(n, t)| *n == t.text))
        .map(|s| toks[s].from..toks[s + needle.len() - 1].to)
}

// ---------------------------------------------------------------------------------------------
// Queries

/// Characters with a meaning in podium's query language.
pub const SYNTAX: &[char] = &['"', '“', '”', '「', '」', '(', ')', '*', ':', '：', '~'];

/// A whitespace-separated word made query-safe, as bare keywords: characters of the query
/// language become spaces (`00:00` is the two tokens `00 00` either way), a leading `-` is
/// dropped, the operators `OR`/`AND` are lowercased (keywords are case-insensitive), and pieces
/// with nothing searchable are left out.
pub fn clean_word(word: &str) -> Vec<String> {
    let spaced: String = word
        .chars()
        .map(|c| if SYNTAX.contains(&c) { ' ' } else { c })
        .collect();
    spaced
        .split_whitespace()
        .map(|w| w.trim_start_matches(['-', '－']))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| match w {
            "OR" | "AND" => w.to_lowercase(),
            _ => w.to_string(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Printing

/// The median of some durations, in milliseconds.
pub fn median_ms(times: &[Duration]) -> f64 {
    if times.is_empty() {
        return f64::NAN;
    }
    let mut sorted = times.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    };
    median.as_secs_f64() * 1000.0
}

/// At most `max` characters of `text` around `focus` (a byte range), on one line, with `…`
/// where it was cut.
pub fn excerpt(text: &str, focus: Option<Range<usize>>, max: usize) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let focus = focus.unwrap_or(0..0);
    let first = chars.iter().position(|&(i, _)| i >= focus.start);
    let first = first.unwrap_or(chars.len());
    let focus_len = chars[first..]
        .iter()
        .take_while(|&&(i, _)| i < focus.end)
        .count();
    // Centre the focus in the window.
    let start = first.saturating_sub(max.saturating_sub(focus_len) / 2);
    let start = start.min(chars.len().saturating_sub(max));
    let end = (start + max).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(chars[start..end].iter().map(|&(_, c)| match c {
        '\n' | '\r' | '\t' => ' ',
        c => c,
    }));
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The header both benchmarks print: what, where, on what.
pub fn print_header(title: &str, args: &Args, corpus: &Corpus) {
    println!("{title}");
    println!(
        "machine: {} threads available ({} {}); podium {}",
        threads(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("CARGO_PKG_VERSION")
    );
    let counts: Vec<String> = Class::ALL
        .iter()
        .map(|&c| format!("{} {}", c.name(), thousands(corpus.count(c))))
        .collect();
    println!(
        "corpus:  {}: {} files, {:.2} MB, {} passages ({}), read in {:.1} s",
        args.corpus.display(),
        thousands(corpus.files),
        corpus.bytes as f64 / 1e6,
        thousands(corpus.passages.len()),
        counts.join(", "),
        corpus.seconds
    );
    if !corpus.skipped.is_empty() {
        println!(
            "         {} files skipped, e.g. {}",
            corpus.skipped.len(),
            corpus.skipped[0]
        );
    }
    println!("draw:    {} cases, seed {}", args.cases, args.seed);
}

/// `1234567` -> `1,234,567`.
pub fn thousands(n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
