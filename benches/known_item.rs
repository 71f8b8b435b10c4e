//! Known-item benchmark: when someone types a few words they remember from a passage, how high
//! does podium rank that passage?
//!
//! The program draws passages at random (deterministic seed), half English and half Chinese (the
//! Chinese half split evenly between Simplified and Traditional script), and turns each into the
//! query a person would type:
//!
//! - English: 6–10 consecutive words of the passage (split at whitespace), unquoted, with the
//!   characters of the query language replaced by spaces: AND-ed keywords, ranked by BM25;
//! - Chinese: 8–12 consecutive Han characters of the passage (spans with anything else inside
//!   are not used), bare: an exact match, ranked by BM25 over jieba words.
//!
//! It searches as `podium search` does, with a limit of 100, and takes as the passage's rank the
//! first hit that is the passage itself (same path and paragraph) or has exactly its text
//! (transcripts repeat themselves: the same answer in two files is as good a find). podium lists
//! a text once, at its best-ranked passage, so ranks count distinct texts. It prints, per
//! language and overall, the mean reciprocal rank (MRR; 0 when not in the top 100), hits@1,
//! hits@10, the cases not in the top 100, and the median query time, then the worst cases with
//! the passage expected and the one ranked first instead, to help improve ranking.
//!
//! A query is *ambiguous* when its words, as a phrase, are in passages with k > 1 different
//! texts: the words the user remembers are in all of them, and only chance or a guess can put
//! the one they copied first. The benchmark prints the MRR that ranking those k texts in random
//! order would give (the mean of H(k)/k, H the harmonic number) next to podium's, so that the
//! figure can be read against what the queries allow.
//!
//! ```sh
//! cargo bench --bench known_item -- CORPUS_DIR [--index PATH] [--cases N] [--seed S]
//! cargo bench --bench known_item -- sample-corpus --cases 50
//! cargo bench --bench known_item -- /work/shared/corpus --index /tmp/bench-idx
//! ```
//!
//! With `--index PATH` an existing index is reused (it must have been built from CORPUS_DIR
//! alone); otherwise the corpus is indexed first.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use common::{Args, Class, Corpus, CorpusPassage, Rng};
use podium::analysis::is_han;
use podium::search::{Hit, SearchRequest, Searcher};

/// Hits looked at: a passage below this is "not found".
const LIMIT: usize = 100;
/// Worst cases printed.
const WORST: usize = 10;
/// When a passage is not in the top 100, how deep to look for it (for the report only).
const DEEP: usize = 100_000;
/// Passages tried per class before giving up on finding enough long ones.
const MAX_TRIES: usize = 100_000;
/// Worst unambiguous cases printed besides.
const WORST_UNAMBIGUOUS: usize = 5;

/// A passage and the query drawn from it.
struct Case {
    class: Class,
    source: usize,
    query: String,
}

/// What a search gave for a case.
struct Outcome {
    /// 1-based rank in the top [`LIMIT`], if there.
    rank: Option<usize>,
    /// Where the passage was found when it was not in the top [`LIMIT`], if it matched at all.
    deep_rank: Option<usize>,
    total: usize,
    time: Duration,
    /// The first hit, and the passage's own hit when found.
    first: Option<Hit>,
    own: Option<Hit>,
    error: Option<String>,
    /// Passages holding the query's words as a phrase (the quoted query), and how many distinct
    /// texts they have: above 1, other passages hold the very words copied, and no ranking can
    /// be sure to put the source first.
    phrase_total: usize,
    phrase_texts: usize,
}

impl Outcome {
    /// No passage with another text holds the query's words as a phrase.
    fn unambiguous(&self) -> bool {
        self.phrase_texts <= 1
    }

    /// The reciprocal rank expected when the texts holding the phrase are ranked at random.
    fn chance(&self) -> f64 {
        let k = self.phrase_texts.max(1);
        (1..=k).map(|i| 1.0 / i as f64).sum::<f64>() / k as f64
    }
}

/// Figures for a group of cases.
#[derive(Default)]
struct Stats {
    cases: usize,
    reciprocal: f64,
    at1: usize,
    at10: usize,
    missed: usize,
    times: Vec<Duration>,
}

impl Stats {
    fn add(&mut self, outcome: &Outcome) {
        self.cases += 1;
        self.times.push(outcome.time);
        match outcome.rank {
            Some(rank) => {
                self.reciprocal += 1.0 / rank as f64;
                self.at1 += usize::from(rank == 1);
                self.at10 += usize::from(rank <= 10);
            }
            None => self.missed += 1,
        }
    }

    fn print(&self, label: &str) {
        let pct = |n: usize| 100.0 * n as f64 / self.cases.max(1) as f64;
        println!(
            "{label:<22} {:>5} {:>6.3} {:>6.1}% {:>6.1}% {:>5} {:>9.2}",
            self.cases,
            self.reciprocal / self.cases.max(1) as f64,
            pct(self.at1),
            pct(self.at10),
            self.missed,
            common::median_ms(&self.times),
        );
    }
}

fn main() {
    let started = Instant::now();
    let args = Args::parse("known_item", 500);
    let corpus = Corpus::load(&args.corpus);
    common::print_header(
        "podium known-item benchmark: the rank of the passage a query was copied from",
        &args,
        &corpus,
    );
    if corpus.passages.is_empty() {
        eprintln!("known_item: no passages in {}", args.corpus.display());
        std::process::exit(2);
    }
    let index = common::open_or_build(&args);
    let searcher = common::open_searcher(&index, &corpus);

    let cases = draw_cases(&corpus, &args);
    let outcomes: Vec<Outcome> = cases
        .iter()
        .map(|case| search(&searcher, case, &corpus.passages[case.source]))
        .collect();

    println!();
    println!(
        "{:<22} {:>5} {:>6} {:>7} {:>7} {:>5} {:>9}",
        "language", "cases", "MRR", "hits@1", "hits@10", ">100", "median ms"
    );
    let mut english = Stats::default();
    let mut chinese = Stats::default();
    let mut by_script = [Stats::default(), Stats::default()];
    let mut all = Stats::default();
    let mut unambiguous = Stats::default();
    for (case, outcome) in cases.iter().zip(&outcomes) {
        all.add(outcome);
        if outcome.unambiguous() {
            unambiguous.add(outcome);
        }
        match case.class {
            Class::English => english.add(outcome),
            Class::Simplified => {
                chinese.add(outcome);
                by_script[0].add(outcome);
            }
            Class::Traditional => {
                chinese.add(outcome);
                by_script[1].add(outcome);
            }
        }
    }
    english.print("English");
    chinese.print("Chinese");
    by_script[0].print("  Simplified");
    by_script[1].print("  Traditional");
    all.print("all");
    unambiguous.print("all, unambiguous");
    println!(
        "(unambiguous: no passage with another text holds the query's words as a phrase; \
         {} of {} queries)",
        unambiguous.cases, all.cases
    );
    let ambiguous: Vec<&Outcome> = outcomes.iter().filter(|o| !o.unambiguous()).collect();
    if !ambiguous.is_empty() {
        let mrr = |os: &[&Outcome]| {
            os.iter()
                .map(|o| o.rank.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / os.len() as f64
        };
        let chance = ambiguous.iter().map(|o| o.chance()).sum::<f64>() / ambiguous.len() as f64;
        let n = outcomes.len() as f64;
        let rest = (n - ambiguous.len() as f64) / n;
        let share = ambiguous.len() as f64 / n;
        println!(
            "ambiguous queries: {} of {}; MRR {:.3}, where ranking their texts by chance gives \
             {:.3}",
            ambiguous.len(),
            outcomes.len(),
            mrr(&ambiguous),
            chance
        );
        println!(
            "with every unambiguous query first, MRR is {:.3} at chance on the ambiguous ones; \
             0.95 needs {:.3} on them",
            rest + share * chance,
            ((0.95 - rest) / share).max(0.0)
        );
    }
    let errors = outcomes.iter().filter(|o| o.error.is_some()).count();
    if errors > 0 {
        println!("{errors} queries failed (counted as not found)");
    }

    // Worst first: not found (and not matching at all before matching deep down), then by rank.
    let mut order: Vec<usize> = (0..cases.len())
        .filter(|&i| outcomes[i].rank != Some(1))
        .collect();
    let badness = |o: &Outcome| match (o.rank, o.deep_rank) {
        (Some(r), _) => r,
        (None, Some(r)) => LIMIT + r,
        (None, None) => usize::MAX,
    };
    order.sort_by_key(|&i| std::cmp::Reverse(badness(&outcomes[i])));
    if !order.is_empty() {
        println!();
        println!(
            "worst cases ({} of {} not ranked first):",
            order.len().min(WORST),
            order.len()
        );
    }
    for &i in order.iter().take(WORST) {
        print_case(&cases[i], &outcomes[i], &corpus);
    }
    // The worst of those that a ranking could have got right, when not shown above.
    let ambiguous = order
        .iter()
        .filter(|&&i| !outcomes[i].unambiguous())
        .count();
    let rest: Vec<usize> = order
        .iter()
        .skip(WORST)
        .copied()
        .filter(|&i| outcomes[i].unambiguous())
        .take(WORST_UNAMBIGUOUS)
        .collect();
    if !order.is_empty() {
        println!();
        println!(
            "{ambiguous} of the {} cases not ranked first are ambiguous (their words, as a \
             phrase, are also in passages with another text)",
            order.len()
        );
    }
    if !rest.is_empty() {
        println!("next worst unambiguous cases:");
    }
    for &i in &rest {
        print_case(&cases[i], &outcomes[i], &corpus);
    }
    println!();
    println!(
        "total wall time {:.1} s ({} queries, limit {LIMIT}, in-process)",
        started.elapsed().as_secs_f64(),
        cases.len()
    );
}

/// Half English, a quarter each Chinese Simplified and Traditional (classes without passages
/// give their share to the others).
fn draw_cases(corpus: &Corpus, args: &Args) -> Vec<Case> {
    let mut rng = Rng::new(args.seed);
    let pool = |class: Class| -> Vec<usize> {
        (0..corpus.passages.len())
            .filter(|&i| corpus.passages[i].class == class)
            .collect()
    };
    let pools = [
        (Class::English, pool(Class::English), 2),
        (Class::Simplified, pool(Class::Simplified), 1),
        (Class::Traditional, pool(Class::Traditional), 1),
    ];
    let weight: usize = pools
        .iter()
        .filter(|(_, p, _)| !p.is_empty())
        .map(|(_, _, w)| w)
        .sum();
    let mut cases = Vec::new();
    let mut left = args.cases;
    let mut weight_left = weight;
    for (class, pool, w) in &pools {
        if pool.is_empty() {
            continue;
        }
        let want = (left * w).div_ceil(weight_left.max(1));
        left -= want.min(left);
        weight_left -= w;
        let (mut drawn, mut tries) = (0, 0);
        while drawn < want && tries < MAX_TRIES {
            tries += 1;
            let source = *rng.pick(pool);
            let query = match class {
                Class::English => english_query(&corpus.passages[source].text, &mut rng),
                _ => chinese_query(&corpus.passages[source].text, &mut rng),
            };
            if let Some(query) = query {
                cases.push(Case {
                    class: *class,
                    source,
                    query,
                });
                drawn += 1;
            }
        }
        if drawn < want {
            println!(
                "WARNING: only {drawn} of {want} {} passages long enough",
                class.name()
            );
        }
    }
    cases
}

/// 6–10 consecutive words (fewer than 10 when the passage is short), cleaned of query syntax;
/// `None` for a passage of fewer than 6 words. Words are split at whitespace; those without a
/// letter or digit (a dash, `…`) are not counted.
fn english_query(text: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect();
    if words.len() < 6 {
        return None;
    }
    let len = rng.between(6, 10).min(words.len());
    let start = rng.below(words.len() - len + 1);
    let cleaned: Vec<String> = words[start..start + len]
        .iter()
        .flat_map(|w| common::clean_word(w))
        .collect();
    Some(cleaned.join(" "))
}

/// 8–12 consecutive Han characters of the text (nothing else between them); `None` when the
/// passage has no run of 8.
fn chinese_query(text: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs: Vec<(usize, usize)> = Vec::new(); // (start, length) of Han runs of 8 or more
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && is_han(chars[i]) {
            i += 1;
        }
        if i - start >= 8 {
            runs.push((start, i - start));
        }
        i = i.max(start + 1);
    }
    if runs.is_empty() {
        return None;
    }
    let len = rng.between(8, 12);
    // Every start of a span of `len` inside a run (or of the whole run, when shorter).
    let spans: Vec<(usize, usize)> = runs
        .iter()
        .flat_map(|&(s, n)| {
            let l = len.min(n);
            (s..=s + n - l).map(move |p| (p, l))
        })
        .collect();
    let &(start, len) = rng.pick(&spans);
    Some(chars[start..start + len].iter().collect())
}

fn search(searcher: &Searcher, case: &Case, passage: &CorpusPassage) -> Outcome {
    let is_it = |h: &Hit| {
        (h.path == passage.path && h.paragraph == passage.paragraph) || h.text == passage.text
    };
    let mut request = SearchRequest::new(case.query.clone());
    request.limit = LIMIT;
    let t = Instant::now();
    let results = searcher.search(&request);
    let time = t.elapsed();
    let results = match results {
        Ok(r) => r,
        Err(e) => {
            return Outcome {
                rank: None,
                deep_rank: None,
                total: 0,
                time,
                first: None,
                own: None,
                error: Some(e.to_string()),
                phrase_total: 0,
                phrase_texts: 0,
            }
        }
    };
    let found = results.hits.iter().position(is_it);
    let mut outcome = Outcome {
        rank: found.map(|i| i + 1),
        deep_rank: None,
        total: results.total,
        time,
        first: results.hits.first().cloned(),
        own: found.map(|i| results.hits[i].clone()),
        error: None,
        phrase_total: 0,
        phrase_texts: 0,
    };
    // How many passages hold these very words (not timed).
    let mut phrase = SearchRequest::new(format!("\"{}\"", case.query));
    phrase.limit = usize::MAX;
    phrase.collapse = false;
    if let Ok(r) = searcher.search(&phrase) {
        let texts: HashSet<&str> = r.hits.iter().map(|h| h.text.as_str()).collect();
        outcome.phrase_total = r.total;
        outcome.phrase_texts = texts.len();
    }
    // Not in the top 100: look further down, to tell bad ranking from no match.
    if found.is_none() && results.total > results.hits.len() {
        request.limit = results.total.min(DEEP);
        if let Ok(deep) = searcher.search(&request) {
            if let Some(i) = deep.hits.iter().position(is_it) {
                outcome.deep_rank = Some(i + 1);
                outcome.own = Some(deep.hits[i].clone());
            }
        }
    }
    outcome
}

fn print_case(case: &Case, outcome: &Outcome, corpus: &Corpus) {
    let passage = &corpus.passages[case.source];
    let rank = match (outcome.rank, outcome.deep_rank) {
        (Some(r), _) => format!("rank {r}"),
        (None, Some(r)) => format!("not in the top {LIMIT}: rank {r}"),
        (None, None) if outcome.total > DEEP => {
            format!("not in the top {LIMIT}, nor in the top {DEEP}")
        }
        (None, None) => "not matched at all".to_string(),
    };
    println!();
    println!(
        "  [{}] {}  ->  {rank}, {} passages matched; as a phrase in {} passages, {} texts",
        case.class.name(),
        case.query,
        outcome.total,
        outcome.phrase_total,
        outcome.phrase_texts,
    );
    if let Some(e) = &outcome.error {
        println!("      error: {e}");
    }
    let needle: Vec<String> = common::tokens(&case.query)
        .into_iter()
        .map(|t| t.text)
        .collect();
    let at = common::locate(&passage.text, &needle);
    let score = outcome.own.as_ref().map_or(String::new(), |h| {
        format!(", score {:.2}", h.score.unwrap_or_default())
    });
    println!(
        "      expected {} ¶{} ({} chars{score}): {}",
        passage.path,
        passage.paragraph,
        passage.text.chars().count(),
        common::excerpt(&passage.text, at, 160)
    );
    if let Some(first) = &outcome.first {
        println!(
            "      first    {} ¶{} ({} chars, score {:.2}): {}",
            first.path,
            first.paragraph,
            first.text.chars().count(),
            first.score.unwrap_or_default(),
            common::excerpt(
                &first.text,
                first.highlights.first().map(|h| h[0]..h[1]),
                160
            )
        );
    }
}
