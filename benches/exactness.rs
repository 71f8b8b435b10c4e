//! Exactness benchmark: does podium return exactly the passages that contain a phrase?
//!
//! podium promises that a quoted phrase, and any bare run of Chinese, matches exactly the
//! passages whose tokens contain the query's tokens consecutively within a clause, crossing a
//! clause boundary only where the query has one (a token is a run of letters and digits, or one
//! Han character, after folding case, full-width forms, compatibility ideographs and Traditional
//! Chinese; a clause boundary is `。，、` and the other CJK marks, or `.,;:?!()` followed by a
//! space or next to a Han character). This program checks that promise on a real corpus
//! against a brute-force scan, whose tokenizer and folding of compatibility ideographs (Unicode
//! NFC) are its own:
//!
//! 1. reads every passage of the corpus with podium's own `corpus::walk`, `corpus::read` and
//!    `transcript::split` (so passage `i` of file `P` is the index's `(P, i)`);
//! 2. draws phrases at random (deterministic seed) from the passages, in three classes of equal
//!    size: English (2–5 word tokens), Chinese Simplified and Chinese Traditional (2–8 Han
//!    characters). The query is the passage's own text from the phrase's first token to its last,
//!    punctuation inside included, with the punctuation just before and after it (quote marks
//!    replaced by spaces);
//! 3. runs each phrase quoted, each Chinese phrase also bare (when it has no whitespace), and
//!    each phrase with punctuation inside also *unpunctuated* (its tokens joined by spaces, which
//!    must not match across the punctuation);
//! 4. compares the set of `(path, paragraph)` podium returns (all of them, not a page) with the
//!    passages whose folded token string contains the query's, found by scanning them all.
//!
//! It prints, per class and form, the recall and precision over all (query, passage) pairs, the
//! number of queries with any difference, and examples of differences.
//!
//! ```sh
//! cargo bench --bench exactness -- CORPUS_DIR [--index PATH] [--cases N] [--seed S]
//! cargo bench --bench exactness -- sample-corpus --cases 200
//! cargo bench --bench exactness -- /work/shared/corpus --index /tmp/bench-idx
//! ```
//!
//! With `--index PATH` an existing index is reused (it must have been built from CORPUS_DIR
//! alone); otherwise the corpus is indexed first.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Args, Class, Corpus, Rng};
use podium::search::{SearchRequest, Searcher};

/// Examples of differences printed per row.
const EXAMPLES: usize = 5;
/// Passages tried before a class is given up as having no phrase of the wanted kind.
const MAX_TRIES: usize = 100_000;

/// A phrase drawn from a passage.
struct Case {
    class: Class,
    /// The passage it was drawn from.
    source: usize,
    /// The passage's text from the first token to the last, with the punctuation around.
    text: String,
    /// The tokens as written.
    originals: Vec<String>,
    /// Its folded tokens.
    tokens: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Quoted,
    Bare,
    Unpunctuated,
}

impl Form {
    const ALL: [Form; 3] = [Form::Quoted, Form::Bare, Form::Unpunctuated];

    fn name(self) -> &'static str {
        match self {
            Form::Quoted => "quoted",
            Form::Bare => "bare",
            Form::Unpunctuated => "unpunctuated",
        }
    }
}

/// Figures for one class and form.
#[derive(Default)]
struct Row {
    /// Phrases drawn in this class (a bare row runs those without whitespace, an unpunctuated
    /// row those with punctuation inside).
    cases: usize,
    queries: usize,
    /// (query, passage) pairs: in the truth, returned by podium, both.
    truth: usize,
    found: usize,
    correct: usize,
    mismatched: usize,
    errors: usize,
    /// Queries with a Han character that folding changes (Traditional -> Simplified).
    folded: usize,
    examples: Vec<String>,
    first_page: Vec<Duration>,
    all_hits: Vec<Duration>,
}

impl Row {
    fn add(&mut self, other: &Row) {
        self.queries += other.queries;
        self.truth += other.truth;
        self.found += other.found;
        self.correct += other.correct;
        self.mismatched += other.mismatched;
        self.errors += other.errors;
        self.folded += other.folded;
        self.first_page.extend(&other.first_page);
        self.all_hits.extend(&other.all_hits);
    }

    fn print(&self, label: &str) {
        let pct = |a: usize, b: usize| match b {
            0 => "      -".to_string(),
            _ => format!("{:7.3}%", 100.0 * a as f64 / b as f64),
        };
        println!(
            "{label:<33} {:>5} {:>7} {:>11} {:>11} {:>8} {:>8} {:>10} {:>6}",
            self.cases,
            self.queries,
            common::thousands(self.truth),
            common::thousands(self.found),
            pct(self.correct, self.truth),
            pct(self.correct, self.found),
            self.mismatched,
            self.errors,
        );
    }
}

fn main() {
    let started = Instant::now();
    let args = Args::parse("exactness", 1000);
    let corpus = Corpus::load(&args.corpus);
    common::print_header(
        "podium exactness benchmark: phrase results vs a brute-force scan",
        &args,
        &corpus,
    );
    if corpus.passages.is_empty() {
        eprintln!("exactness: no passages in {}", args.corpus.display());
        std::process::exit(2);
    }
    let index = common::open_or_build(&args);
    let searcher = common::open_searcher(&index, &corpus);

    // Each passage's folded tokens as one string, for the brute-force scan.
    let t = Instant::now();
    let keys = passage_keys(&corpus);
    println!(
        "truth:   folded token strings of all passages in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let cases = draw_cases(&corpus, &args);
    let by_key = corpus.by_key();
    let mut rows: Vec<((Class, Form), Row)> = Vec::new();
    for class in Class::ALL {
        for form in Form::ALL {
            if form != Form::Bare || class != Class::English {
                rows.push(((class, form), Row::default()));
            }
        }
    }
    for case in &cases {
        for ((class, _), row) in rows.iter_mut() {
            row.cases += usize::from(*class == case.class);
        }
    }
    let mut scan_time = Duration::ZERO;
    for case in &cases {
        for (form, query, inner) in queries(case) {
            // The truth of the query as sent: its own tokens and clause boundaries.
            let t = Instant::now();
            let truth = brute_force(&keys, &common::key(&common::tokens(&inner)));
            scan_time += t.elapsed();
            let truth: HashSet<(&str, u64)> = truth
                .into_iter()
                .map(|i| {
                    (
                        corpus.passages[i].path.as_str(),
                        corpus.passages[i].paragraph,
                    )
                })
                .collect();
            let row = &mut rows
                .iter_mut()
                .find(|(k, _)| *k == (case.class, form))
                .expect("a row per class and form")
                .1;
            row.queries += 1;
            row.folded += usize::from(
                case.text
                    .chars()
                    .any(|c| podium::analysis::is_han(c) && podium::analysis::fold_char(c) != c),
            );
            row.truth += truth.len();
            let found = match run(&searcher, &query, row) {
                Ok(found) => found,
                Err(e) => {
                    row.errors += 1;
                    row.mismatched += 1;
                    if row.examples.len() < EXAMPLES {
                        row.examples.push(format!("  {query}\n      error: {e}"));
                    }
                    continue;
                }
            };
            row.found += found.len();
            let found: HashSet<(&str, u64)> = found.iter().map(|(p, n)| (p.as_str(), *n)).collect();
            let correct = found.intersection(&truth).count();
            row.correct += correct;
            if correct != truth.len() || correct != found.len() {
                row.mismatched += 1;
                if row.examples.len() < EXAMPLES {
                    let mut missing: Vec<_> = truth.difference(&found).copied().collect();
                    let mut extra: Vec<_> = found.difference(&truth).copied().collect();
                    missing.sort();
                    extra.sort();
                    row.examples.push(describe(
                        case, &query, &corpus, &by_key, &truth, &found, &missing, &extra,
                    ));
                }
            }
        }
    }

    println!();
    println!(
        "{:<33} {:>5} {:>7} {:>11} {:>11} {:>8} {:>8} {:>10} {:>6}",
        "class / form",
        "cases",
        "queries",
        "truth pairs",
        "podium",
        "recall",
        "precis.",
        "mismatched",
        "errors"
    );
    let mut total = Row {
        cases: cases.len(),
        ..Row::default()
    };
    for ((class, form), row) in &rows {
        row.print(&format!("{} {}", class.name(), form.name()));
        total.add(row);
    }
    total.print("all");
    println!();
    for class in [Class::Simplified, Class::Traditional] {
        let n = cases.iter().filter(|c| c.class == class).count();
        let folded = rows
            .iter()
            .find(|(k, _)| *k == (class, Form::Quoted))
            .map_or(0, |(_, r)| r.folded);
        println!(
            "{}: {folded} of {n} phrases have Traditional characters (changed by folding)",
            class.name()
        );
    }
    for ((class, form), row) in &rows {
        if row.examples.is_empty() {
            continue;
        }
        println!();
        println!(
            "{} {}: {} of {} queries differ; examples:",
            class.name(),
            form.name(),
            row.mismatched,
            row.queries
        );
        for e in &row.examples {
            println!("{e}");
        }
    }
    println!();
    println!(
        "median podium query time: {:.2} ms for the first 10 hits, {:.2} ms for all hits \
         ({} queries, in-process)",
        common::median_ms(&total.first_page),
        common::median_ms(&total.all_hits),
        total.queries
    );
    println!(
        "brute-force scans: {:.1} s in all; total wall time {:.1} s",
        scan_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// `SEP tok SEP tok SEP` for every passage, on all cores.
fn passage_keys(corpus: &Corpus) -> Vec<String> {
    let chunk = corpus.passages.len().div_ceil(common::threads()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = corpus
            .passages
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| common::key(&common::tokens(&p.text)))
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("key worker"))
            .collect()
    })
}

/// Indexes of the passages whose key contains `needle`, on all cores.
fn brute_force(keys: &[String], needle: &str) -> Vec<usize> {
    let chunk = keys.len().div_ceil(common::threads()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = keys
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .filter(|(_, k)| k.contains(needle))
                        .map(|(i, _)| c * chunk + i)
                        .collect::<Vec<usize>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("scan worker"))
            .collect()
    })
}

/// The phrases: the same number from each class that has passages.
fn draw_cases(corpus: &Corpus, args: &Args) -> Vec<Case> {
    let mut rng = Rng::new(args.seed);
    let mut cases = Vec::new();
    let pools: Vec<(Class, Vec<usize>)> = Class::ALL
        .iter()
        .map(|&class| {
            let pool = (0..corpus.passages.len())
                .filter(|&i| corpus.passages[i].class == class)
                .collect();
            (class, pool)
        })
        .filter(|(_, pool): &(Class, Vec<usize>)| !pool.is_empty())
        .collect();
    let per_class = args.cases.div_ceil(pools.len().max(1));
    for (class, pool) in &pools {
        let mut drawn = 0;
        let mut tries = 0;
        while drawn < per_class && tries < MAX_TRIES {
            tries += 1;
            let source = *rng.pick(pool);
            if let Some(case) = draw_phrase(corpus, source, *class, &mut rng) {
                cases.push(case);
                drawn += 1;
            }
        }
        if drawn < per_class {
            println!(
                "WARNING: only {drawn} {} phrases found in {tries} passages",
                class.name()
            );
        }
    }
    cases
}

/// A random phrase of the passage: 2–5 word tokens for English, 2–8 Han characters for Chinese
/// (fewer when the passage has no run that long); `None` when it has no run of two.
fn draw_phrase(corpus: &Corpus, source: usize, class: Class, rng: &mut Rng) -> Option<Case> {
    let passage = &corpus.passages[source];
    let toks = common::tokens(&passage.text);
    let want_han = class != Class::English;
    let (lo, hi) = if want_han { (2, 8) } else { (2, 5) };
    // Longest run of tokens of the wanted kind.
    let (mut longest, mut run) = (0, 0);
    for t in &toks {
        run = if t.han == want_han { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    if longest < lo {
        return None;
    }
    let len = rng.between(lo, hi).min(longest);
    let starts: Vec<usize> = (0..=toks.len() - len)
        .filter(|&s| toks[s..s + len].iter().all(|t| t.han == want_han))
        .collect();
    let start = *rng.pick(&starts);
    let span = &toks[start..start + len];
    // The punctuation right before and after the phrase, up to the next space or token.
    let text = &passage.text;
    let before = start.checked_sub(1).map_or(0, |p| toks[p].to);
    let after = toks.get(start + len).map_or(text.len(), |t| t.from);
    let from = text[before..span[0].from]
        .rfind(char::is_whitespace)
        .map_or(before, |i| before + i + 1);
    let to = text[span[len - 1].to..after]
        .find(char::is_whitespace)
        .map_or(after, |i| span[len - 1].to + i);
    Some(Case {
        class,
        source,
        text: text[from..to].to_string(),
        originals: span
            .iter()
            .map(|t| text[t.from..t.to].to_string())
            .collect(),
        tokens: span.iter().map(|t| t.text.clone()).collect(),
    })
}

/// The queries for a case, each with the text its truth is computed from: quoted; for Chinese
/// also bare (without whitespace; characters of the query language dropped); and, when the phrase
/// has punctuation inside, its tokens as written joined by spaces.
fn queries(case: &Case) -> Vec<(Form, String, String)> {
    let quoted: String = case
        .text
        .chars()
        .map(|c| {
            if ['"', '“', '”'].contains(&c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut out = vec![(Form::Quoted, format!("\"{quoted}\""), quoted)];
    let inside = common::locate(&case.text, &case.tokens).map_or("", |r| &case.text[r]);
    if case.class != Class::English && !inside.chars().any(char::is_whitespace) {
        let bare: String = inside
            .chars()
            .filter(|c| !common::SYNTAX.contains(c))
            .collect();
        out.push((Form::Bare, bare.clone(), bare));
    }
    let joined = case.originals.join(" ");
    let punctuated = inside
        .chars()
        .any(|c| !c.is_whitespace() && !c.is_alphanumeric() && !podium::analysis::is_han(c));
    if punctuated {
        out.push((Form::Unpunctuated, format!("\"{joined}\""), joined));
    }
    out
}

/// Runs a query and returns every `(path, paragraph)` it matches, timing the first page (10
/// hits, what a person sees) and the whole list.
fn run(searcher: &Searcher, query: &str, row: &mut Row) -> podium::Result<Vec<(String, u64)>> {
    let mut request = SearchRequest::new(query);
    request.limit = 10;
    let t = Instant::now();
    let mut results = searcher.search(&request)?;
    row.first_page.push(t.elapsed());
    if results.total > results.hits.len() {
        // Every passage, identical ones included.
        request.collapse = false;
        request.limit = results.total;
        let t = Instant::now();
        results = searcher.search(&request)?;
        row.all_hits.push(t.elapsed());
    } else {
        row.all_hits.push(t.elapsed());
    }
    Ok(results
        .hits
        .into_iter()
        .map(|h| (h.path, h.paragraph))
        .collect())
}

/// One example of a difference: the query, the counts, a missing and an extra passage with the
/// text around the phrase, and podium's own tokens where they disagree with the reference.
#[allow(clippy::too_many_arguments)]
fn describe(
    case: &Case,
    query: &str,
    corpus: &Corpus,
    by_key: &std::collections::HashMap<(&str, u64), usize>,
    truth: &HashSet<(&str, u64)>,
    found: &HashSet<(&str, u64)>,
    missing: &[(&str, u64)],
    extra: &[(&str, u64)],
) -> String {
    let source = &corpus.passages[case.source];
    let mut out = format!(
        "  {query}    (from {} ¶{})\n      truth {} passages, podium {}: {} missing, {} extra",
        source.path,
        source.paragraph,
        truth.len(),
        found.len(),
        missing.len(),
        extra.len()
    );
    let reference = case.tokens.join(" ");
    let theirs = podium::analysis::exact_terms(query).join(" ");
    if theirs != reference {
        out += &format!("\n      reference tokens: {reference}\n      podium tokens:    {theirs}");
    }
    if let Some(&(path, paragraph)) = missing.first() {
        let text = &corpus.passages[by_key[&(path, paragraph)]].text;
        let at = common::locate(text, &case.tokens);
        out += &format!(
            "\n      missing {path} ¶{paragraph}: {}",
            common::excerpt(text, at.clone(), 120)
        );
        // Does podium's exact stream of the passage hold the phrase?
        let exact = podium::analysis::exact_terms(text);
        let held = exact.windows(case.tokens.len()).any(|w| w == case.tokens);
        if !held {
            out += "\n        (podium's exact tokens of this passage do not contain the phrase)";
        }
    }
    if let Some(&(path, paragraph)) = extra.first() {
        let text = by_key
            .get(&(path, paragraph))
            .map_or("(not in the corpus as read)", |&i| {
                corpus.passages[i].text.as_str()
            });
        out += &format!(
            "\n      extra   {path} ¶{paragraph}: {}",
            common::excerpt(text, None, 120)
        );
    }
    out
}
