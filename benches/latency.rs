//! Query latency benchmark: `podium search` run the way people use a CLI (a new process per
//! query, page cache warm) and called as a library, over a built-in query set, with `rg` over
//! the raw files as the no-index reference.
//!
//! ```text
//! cargo build --release && ./target/release/podium index CORPUS --index INDEX
//! cargo bench --bench latency -- --index INDEX --corpus CORPUS [--runs N] [--iterations M]
//! ```
//!
//! `cargo bench` builds the release `podium` binary with this benchmark; a copy of it is run, so
//! that a `cargo build` during the benchmark changes nothing measured. The index is not built
//! here: a missing index is an error that says how to build it.
//!
//! # What is measured
//!
//! The query set (`QUERIES`, about 40 queries) has classes: English keywords (common and rare),
//! several English keywords (AND), English phrases, Chinese words, Chinese phrases and
//! multi-word queries, Traditional Chinese, mixed English and Chinese, and queries with
//! `--speaker` and `--from`/`--to` filters. Each query is first run in-process; a query that
//! matches nothing in this index is dropped (and said so).
//!
//! - **Whole process**: `podium search QUERY --index INDEX --json --limit 10 [filters]`, 2 warm-up
//!   runs then N timed runs (default 20) per query, wall clock from spawn to exit with stdout
//!   drained through a pipe. Facets are always computed. The total printed in the JSON is
//!   checked against the in-process total. CPU per run is user + system time of the children
//!   (`/proc/self/stat`), summed over the N runs and divided by N.
//! - **rg reference**: `rg -c --no-messages -F [-i] PATTERN CORPUS` (count of matching lines per
//!   file, `-i` when the pattern has ASCII letters, rg's default threads), 2 warm-up runs then N
//!   timed runs. A phrase is searched as its literal text; a query of several words is searched
//!   by its rarest word alone (fewest podium matches); filters are ignored. This is only a
//!   reference for what a scan of the raw files costs, not the same answer (rg counts lines of
//!   any file under CORPUS; it neither stems nor folds Traditional to Simplified).
//! - **In-process**: `Searcher::open` once, then `Searcher::search` M times per query (default
//!   200) after 5 warm-up searches, as given, with a date filter (`--from 2020 --to 2021`) and
//!   with a speaker filter (the speaker with most passages). The queries of the filtered class
//!   are run with their own filters only. The "fresh Searcher" columns open a new `Searcher`
//!   for each of N searches and time the open and the first search on it apart: what a new
//!   process pays inside the library.
//! - **Baselines**: `podium --version` (process start, no index), `podium search` for a word
//!   that is in no passage (process start, opening the index, an empty search), and
//!   `podium stats --json` (opens the index and counts over all of it: not a no-op).
//!
//! Without `rg` on the `PATH` the reference is skipped and said so (`apt-get install ripgrep`).
//!
//! # Reading the output
//!
//! Times are milliseconds. The per-query table comes first, then the tables by class: `median`
//! is the median of all timed runs of all queries of a class; `p99` is the nearest-rank 99th
//! percentile (with fewer than 100 runs, the slowest one). `rg/podium` is rg's median divided by
//! podium's whole-process median. "Where whole-process time goes" splits a process into start
//! and exit, opening the index, and the search with rendering, from the fastest runs (the least
//! disturbed by other work) and from CPU time. The targets at the end come from the users'
//! issue: English median under 10 ms, Chinese median at most 1.5x the English one, rg at least
//! 10x slower than podium.
//!
//! Wall-clock times include whatever else the machine is doing: compare the CPU per run, check
//! the load averages printed at start and end, and rerun when figures disagree.

mod common;

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use podium::search::{SearchRequest, Searcher};
use unicode_width::UnicodeWidthStr;

use common::queries::{Class, Group, Spec, QUERIES};
use common::thousands;

const USAGE: &str = "\
usage: cargo bench --bench latency -- --index PATH --corpus DIR [--runs N] [--iterations M]

  --index PATH      a podium index of DIR (build it with `podium index DIR --index PATH`)
  --corpus DIR      the raw transcripts: what rg searches as the no-index reference
  --runs N          whole-process and rg runs per query, after 2 warm-up runs (default 20)
  --iterations M    in-process searches per query and filter, after warm-up (default 200)";

const DEFAULT_RUNS: usize = 20;
const DEFAULT_ITERATIONS: usize = 200;
/// Untimed runs of a command before the timed ones.
const WARM_UP_RUNS: usize = 2;
/// Untimed in-process searches before the timed ones.
const WARM_UP_SEARCHES: usize = 5;
/// `--limit` of every search.
const LIMIT: usize = 10;
/// The date filter added to every query in-process.
const DATE_FILTER: (&str, &str) = ("2020", "2021");
/// Candidates for a word in no passage (the first that matches nothing is used).
const ABSENT_WORDS: [&str; 3] = ["zqxjvkwbq", "qqzzxxjjvv", "xkcdzqwvbn"];

// ---------------------------------------------------------------------------------------------
// The query set: `common::queries`, shared with the batch benchmark.

impl Spec {
    /// The query as one would type it: `china --speaker "Zhao Lijian"`.
    fn label(&self) -> String {
        let mut out = self.query.to_string();
        let quote = |s: &str| match s.contains(' ') {
            true => format!("\"{s}\""),
            false => s.to_string(),
        };
        for s in self.speakers {
            out += &format!(" --speaker {}", quote(s));
        }
        if let Some(from) = self.from {
            out += &format!(" --from {from}");
        }
        if let Some(to) = self.to {
            out += &format!(" --to {to}");
        }
        out
    }

    fn request(&self) -> SearchRequest {
        let mut request = SearchRequest::new(self.query);
        request.limit = LIMIT;
        request.speakers = self.speakers.iter().map(|s| s.to_string()).collect();
        request.from = self.from.map(str::to_string);
        request.to = self.to.map(str::to_string);
        request
    }

    /// `search QUERY --index PATH --json --limit 10 [filters]`.
    fn podium_args(&self, index: &Path) -> Vec<String> {
        let mut args = vec![
            "search".to_string(),
            self.query.to_string(),
            "--index".to_string(),
            index.display().to_string(),
            "--json".to_string(),
            "--limit".to_string(),
            LIMIT.to_string(),
        ];
        for s in self.speakers {
            args.extend(["--speaker".to_string(), s.to_string()]);
        }
        if let Some(from) = self.from {
            args.extend(["--from".to_string(), from.to_string()]);
        }
        if let Some(to) = self.to {
            args.extend(["--to".to_string(), to.to_string()]);
        }
        args
    }

    fn has_filters(&self) -> bool {
        !self.speakers.is_empty() || self.from.is_some() || self.to.is_some()
    }
}

/// What rg searches for a query, and how it differs from the query.
struct RgPattern {
    pattern: String,
    note: String,
}

/// A phrase is its text; several words are the rarest of them by podium's count.
fn rg_pattern(spec: &Spec, searcher: &Searcher) -> Result<RgPattern> {
    let query = spec.query.trim();
    let mut notes = Vec::new();
    let pattern = if let Some(phrase) = query
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .filter(|p| !p.contains('"'))
    {
        phrase.to_string()
    } else {
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.len() > 1 {
            let mut counted = Vec::new();
            for word in &words {
                counted.push((count(searcher, &SearchRequest::new(*word))?, *word));
            }
            counted.sort();
            notes.push(format!("rarest of {} words", words.len()));
            counted[0].1.to_string()
        } else {
            query.to_string()
        }
    };
    if spec.has_filters() {
        notes.push("filters ignored".to_string());
    }
    Ok(RgPattern {
        pattern,
        note: notes.join(", "),
    })
}

fn count(searcher: &Searcher, request: &SearchRequest) -> Result<usize> {
    let mut request = request.clone();
    request.limit = 1;
    Ok(searcher.search(&request)?.total)
}

// ---------------------------------------------------------------------------------------------
// Arguments

struct Args {
    index: PathBuf,
    corpus: PathBuf,
    runs: usize,
    iterations: usize,
}

impl Args {
    /// Parses the arguments after the program name; `Err` is the message to print before the
    /// usage. `--help` prints the usage and exits.
    fn parse(args: impl IntoIterator<Item = String>) -> std::result::Result<Args, String> {
        let mut index = None;
        let mut corpus = None;
        let mut runs = DEFAULT_RUNS;
        let mut iterations = DEFAULT_ITERATIONS;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            // `--flag=value` or `--flag value`.
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let positive = |v: String| {
                v.parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{flag} takes a positive number, not {v:?}"))
            };
            match flag.as_str() {
                "-h" | "--help" => {
                    println!("{USAGE}");
                    std::process::exit(0);
                }
                // `cargo bench` passes `--bench` to every benchmark.
                "--bench" => {}
                "--index" => index = Some(PathBuf::from(value()?)),
                "--corpus" => corpus = Some(PathBuf::from(value()?)),
                "--runs" => runs = positive(value()?)?,
                "--iterations" => iterations = positive(value()?)?,
                _ => return Err(format!("unexpected argument {arg:?}")),
            }
        }
        let index = index.ok_or("--index PATH is required")?;
        let corpus = corpus.ok_or("--corpus DIR is required")?;
        if !corpus.is_dir() {
            return Err(format!("--corpus {}: not a directory", corpus.display()));
        }
        Ok(Args {
            index,
            corpus,
            runs,
            iterations,
        })
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("bench latency: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match benchmark(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench latency: {err:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The benchmark

/// A query of the set that matches something, with what was measured for it.
struct Case {
    spec: &'static Spec,
    total: usize,
    rg: RgPattern,
    whole: Batch,
    rg_runs: Option<Batch>,
    /// rg's count of matching lines (summed over files).
    rg_lines: u64,
    inproc: Vec<f64>,
    inproc_date: Vec<f64>,
    inproc_speaker: Vec<f64>,
    fresh_open: Vec<f64>,
    fresh_search: Vec<f64>,
}

fn benchmark(args: &Args) -> Result<()> {
    let index = &args.index;
    if !index.join("meta.json").is_file() {
        bail!(
            "no podium index at {idx}: build it first with\n  \
             cargo build --release && ./target/release/podium index {corpus} --index {idx}",
            idx = index.display(),
            corpus = args.corpus.display()
        );
    }
    let built = Path::new(env!("CARGO_BIN_EXE_podium"));
    ensure!(
        built.is_file(),
        "{} not found: run `cargo build --release` first",
        built.display()
    );
    let work = tempfile::Builder::new()
        .prefix("podium-latency-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let podium_bin = work.path().join("podium");
    fs::copy(built, &podium_bin).context("cannot copy the podium binary")?;
    let podium = |args: &[String]| command(&podium_bin, args);
    let rg_version = tool_version("rg");
    let clock_ticks = clock_ticks_per_second();
    let load_at_start = load_average();

    println!("podium query latency benchmark");
    println!(
        "  machine   {} cores available, {} memory, {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        mem_total(),
        cpu_model().unwrap_or_else(|| std::env::consts::ARCH.to_string())
    );
    println!("  load      {load_at_start} at start (1, 5, 15 min averages)");
    println!(
        "  podium    {} {} (release build, run from a copy)",
        built.display(),
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "  rg        {}",
        rg_version
            .as_deref()
            .unwrap_or("not found: install ripgrep (apt-get install ripgrep) for the reference")
    );

    // Index facts, from the command itself.
    let stats_args: Vec<String> = vec![
        "stats".into(),
        "--index".into(),
        path_arg(index),
        "--json".into(),
    ];
    let stats = podium(&stats_args)
        .output()
        .context("cannot run podium stats")?;
    ensure!(
        stats.status.success(),
        "podium stats --index {} failed: {}",
        index.display(),
        String::from_utf8_lossy(&stats.stderr).trim()
    );
    let stats: serde_json::Value =
        serde_json::from_slice(&stats.stdout).context("podium stats --json printed no JSON")?;
    let searcher = Searcher::open(index)
        .with_context(|| format!("cannot open the index at {}", index.display()))?;
    let segments = searcher.searcher().segment_readers().len();
    println!(
        "  index     {}: {} passages, {} files, {} speakers, {} segments, {:.1} MB, roots {}",
        index.display(),
        thousands(stats["passages"].as_u64().unwrap_or(0)),
        thousands(stats["files"].as_u64().unwrap_or(0)),
        thousands(stats["speakers"].as_u64().unwrap_or(0)),
        segments,
        stats["index_bytes"].as_f64().unwrap_or(0.0) / 1e6,
        stats["roots"]
    );
    println!(
        "  corpus    {} ({:.1} MB under it, every file, for rg)",
        args.corpus.display(),
        dir_size(&args.corpus) as f64 / 1e6
    );
    println!(
        "  runs      whole process and rg: {WARM_UP_RUNS} warm-up + {} timed per query; \
         in-process: {WARM_UP_SEARCHES} warm-up + {} timed per query and filter",
        args.runs, args.iterations
    );
    println!(
        "  note      wall-clock times on a machine that may be running other work (2-core \
         machines especially): compare CPU per run and the load at start and end, rerun when \
         in doubt"
    );
    println!();

    // The query set, checked against this index.
    let mut cases = Vec::new();
    let mut dropped = Vec::new();
    for spec in QUERIES {
        let total = count(&searcher, &spec.request())
            .with_context(|| format!("query {} failed", spec.label()))?;
        if total == 0 {
            dropped.push(spec.label());
            continue;
        }
        cases.push(Case {
            spec,
            total,
            rg: rg_pattern(spec, &searcher)?,
            whole: Batch::default(),
            rg_runs: None,
            rg_lines: 0,
            inproc: Vec::new(),
            inproc_date: Vec::new(),
            inproc_speaker: Vec::new(),
            fresh_open: Vec::new(),
            fresh_search: Vec::new(),
        });
    }
    println!(
        "Query set: {} queries in {} classes",
        cases.len(),
        Class::ALL.len()
    );
    if !dropped.is_empty() {
        println!(
            "  dropped (match nothing in this index): {}",
            dropped.join("; ")
        );
    }
    println!();

    // Baselines: what a process costs before and around the search itself.
    let absent = ABSENT_WORDS
        .iter()
        .copied()
        .find(|w| count(&searcher, &SearchRequest::new(*w)).is_ok_and(|n| n == 0))
        .context("every candidate absent word matches something")?;
    let absent_args: Vec<String> = vec![
        "search".into(),
        absent.into(),
        "--index".into(),
        path_arg(index),
        "--json".into(),
    ];
    let baselines = Baselines {
        version: Batch::run(
            &mut podium(&["--version".into()]),
            args.runs,
            &[0],
            clock_ticks,
        )?,
        absent_label: format!("podium search {absent} --index I --json (open, no match)"),
        absent: Batch::run(&mut podium(&absent_args), args.runs, &[1], clock_ticks)?,
        stats: Batch::run(
            &mut podium(&stats_args),
            args.runs.min(5),
            &[0],
            clock_ticks,
        )?,
    };

    let rg = rg_version.is_some();
    measure_whole_process(&mut cases, &podium_bin, args, rg, clock_ticks)?;

    let top_speaker = searcher
        .speakers()?
        .into_iter()
        .next()
        .map(|(name, _)| name)
        .context("the index has no speakers")?;
    measure_in_process(&mut cases, &searcher, &top_speaker, args)?;

    print_whole_process(&cases, args.runs);
    print_in_process(&cases, &top_speaker, args.iterations, args.runs);
    print_baselines(&baselines, &cases);
    print_targets(&cases);
    println!();
    println!(
        "load {} at end (was {load_at_start} at start)",
        load_average()
    );
    Ok(())
}

/// Whole process and rg, query by query, printing a line per query.
fn measure_whole_process(
    cases: &mut [Case],
    podium_bin: &Path,
    args: &Args,
    rg: bool,
    clock_ticks: f64,
) -> Result<()> {
    println!(
        "Per query: whole process (podium search QUERY --index I --json --limit {LIMIT}) and \
         rg -c --no-messages -F over the corpus; ms"
    );
    println!(
        "{:<9}  {:>9}  {:>7} {:>7} {:>7}  {:>8} {:>7}  {:>9}  query",
        "class", "matches", "median", "p99", "cpu/run", "rg med", "rg/pod", "rg lines"
    );
    for case in cases.iter_mut() {
        let podium_args = case.spec.podium_args(&args.index);
        let mut search = command(podium_bin, &podium_args);
        case.whole = Batch::run(&mut search, args.runs, &[0], clock_ticks)?;
        let printed: serde_json::Value = serde_json::from_slice(&case.whole.last_stdout)
            .with_context(|| format!("podium search {} printed no JSON", case.spec.label()))?;
        let printed_total = printed["total"].as_u64().unwrap_or(u64::MAX);
        if rg {
            let mut rg = rg_command(&case.rg.pattern, &args.corpus);
            let batch = Batch::run(&mut rg, args.runs, &[0, 1], clock_ticks)?;
            case.rg_lines = rg_line_count(&batch.last_stdout);
            case.rg_runs = Some(batch);
        }
        let (rg_median, ratio, rg_lines) = match &case.rg_runs {
            Some(rg) => (
                format!("{:.1}", median(&rg.ms)),
                format!("{:.1}x", median(&rg.ms) / median(&case.whole.ms)),
                thousands(case.rg_lines),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        // What rg searched, when it is not simply the query.
        let rg_note = match case.rg.note.is_empty() {
            true => String::new(),
            false => format!("   [rg: {} ({})]", case.rg.pattern, case.rg.note),
        };
        println!(
            "{:<9}  {:>9}  {:>7.1} {:>7.1} {:>7}  {:>8} {:>7}  {:>9}  {}{rg_note}",
            short(case.spec.class),
            thousands(case.total as u64),
            median(&case.whole.ms),
            percentile(&case.whole.ms, 99.0),
            opt_ms(case.whole.cpu_ms_per_run),
            rg_median,
            ratio,
            rg_lines,
            case.spec.label(),
        );
        if printed_total != case.total as u64 {
            println!(
                "  WARNING: the process printed total {printed_total}, the library {}",
                case.total
            );
        }
    }
    println!();
    Ok(())
}

/// Searches with the library: warm (as given, with a date filter, with a speaker filter) and
/// on a freshly opened `Searcher`.
fn measure_in_process(
    cases: &mut [Case],
    searcher: &Searcher,
    top_speaker: &str,
    args: &Args,
) -> Result<()> {
    eprintln!(
        "in-process runs ({} searches per query)...",
        args.iterations
    );
    for case in cases.iter_mut() {
        let request = case.spec.request();
        case.inproc = time_searches(searcher, &request, args.iterations)?;
        if !case.spec.has_filters() {
            let mut dated = request.clone();
            dated.from = Some(DATE_FILTER.0.to_string());
            dated.to = Some(DATE_FILTER.1.to_string());
            case.inproc_date = time_searches(searcher, &dated, args.iterations)?;
            let mut by_speaker = request.clone();
            by_speaker.speakers = vec![top_speaker.to_string()];
            case.inproc_speaker = time_searches(searcher, &by_speaker, args.iterations)?;
        }
        for _ in 0..args.runs {
            let started = Instant::now();
            let fresh = Searcher::open(&args.index)?;
            let opened = Instant::now();
            black_box(fresh.search(&request)?);
            case.fresh_open.push(ms_since(started, opened));
            case.fresh_search.push(ms_since(opened, Instant::now()));
        }
    }
    Ok(())
}

fn time_searches(searcher: &Searcher, request: &SearchRequest, n: usize) -> Result<Vec<f64>> {
    for _ in 0..WARM_UP_SEARCHES {
        black_box(searcher.search(request)?);
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        black_box(searcher.search(request)?);
        out.push(ms_since(started, Instant::now()));
    }
    Ok(out)
}

fn rg_command(pattern: &str, corpus: &Path) -> Command {
    let mut rg = Command::new("rg");
    rg.args(["-c", "--no-messages", "-F"]);
    if pattern.chars().any(|c| c.is_ascii_alphabetic()) {
        rg.arg("-i");
    }
    rg.arg("--").arg(pattern).arg(corpus);
    rg
}

/// Sums `path:count` lines.
fn rg_line_count(stdout: &[u8]) -> u64 {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| l.rsplit_once(':')?.1.parse::<u64>().ok())
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Timing commands

/// Timed runs of one command.
#[derive(Default)]
struct Batch {
    /// Wall clock of each timed run, spawn to exit, in ms.
    ms: Vec<f64>,
    /// User + system CPU of the timed runs, divided by their number; `None` without `/proc`.
    cpu_ms_per_run: Option<f64>,
    /// What the last run printed on stdout.
    last_stdout: Vec<u8>,
}

impl Batch {
    /// `WARM_UP_RUNS` untimed runs, then `runs` timed ones; each must exit with one of `codes`.
    /// CPU time is read before and after all timed runs: per run, it is exact to a clock tick
    /// divided by `runs`.
    fn run(command: &mut Command, runs: usize, codes: &[i32], clock_ticks: f64) -> Result<Batch> {
        let mut last = Vec::new();
        for _ in 0..WARM_UP_RUNS {
            last = run_once(command, codes)?.1.stdout;
        }
        let cpu_before = children_cpu_seconds(clock_ticks);
        let mut ms = Vec::with_capacity(runs);
        for _ in 0..runs {
            let (t, output) = run_once(command, codes)?;
            ms.push(t);
            last = output.stdout;
        }
        let cpu_ms_per_run = match (cpu_before, children_cpu_seconds(clock_ticks)) {
            (Some(before), Some(after)) => Some((after - before) * 1000.0 / runs as f64),
            _ => None,
        };
        Ok(Batch {
            ms,
            cpu_ms_per_run,
            last_stdout: last,
        })
    }
}

/// Runs a command once: spawn, drain stdout and stderr through pipes, wait. Returns the wall
/// clock in ms; an exit status not in `codes` is an error.
fn run_once(command: &mut Command, codes: &[i32]) -> Result<(f64, Output)> {
    command.stdin(Stdio::null());
    let started = Instant::now();
    let output = command
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    let ms = ms_since(started, Instant::now());
    ensure!(
        output.status.code().is_some_and(|c| codes.contains(&c)),
        "{command:?} exited with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok((ms, output))
}

/// User + system CPU seconds of this process's waited-for children, from `/proc/self/stat`
/// (`cutime` and `cstime`, fields 16 and 17, in clock ticks).
fn children_cpu_seconds(clock_ticks: f64) -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<f64>().ok();
    Some((ticks(16)? + ticks(17)?) / clock_ticks)
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The first line of `TOOL --version`, or `None` when it cannot be run.
fn tool_version(tool: &str) -> Option<String> {
    let output = Command::new(tool).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or(tool).to_string())
}

// ---------------------------------------------------------------------------------------------
// Reports

/// Every sample of `field` of the cases of `row`.
fn pooled(cases: &[Case], row: Row, field: fn(&Case) -> &[f64]) -> Vec<f64> {
    cases
        .iter()
        .filter(|c| row.keeps(c))
        .flat_map(|c| field(c).iter().copied())
        .collect()
}

/// A row of the per-class tables: one class, a group the targets compare, or every query.
#[derive(Clone, Copy)]
enum Row {
    Class(Class),
    Group(Group),
    All,
}

impl Row {
    /// Each class, then the groups, then all.
    fn all() -> Vec<Row> {
        let mut rows: Vec<Row> = Class::ALL.into_iter().map(Row::Class).collect();
        rows.extend([
            Row::Group(Group::English),
            Row::Group(Group::Chinese),
            Row::All,
        ]);
        rows
    }

    fn name(self) -> &'static str {
        match self {
            Row::Class(class) => class.name(),
            Row::Group(Group::English) => "English (4 classes above)",
            Row::Group(Group::Chinese) => "Chinese (3 classes above)",
            Row::All => "all",
        }
    }

    fn keeps(self, case: &Case) -> bool {
        match self {
            Row::Class(class) => case.spec.class == class,
            Row::Group(group) => case.spec.class.group() == Some(group),
            Row::All => true,
        }
    }
}

fn print_whole_process(cases: &[Case], runs: usize) {
    println!(
        "Whole process by class: median and p99 of all {runs} timed runs of every query of the \
         class; ms"
    );
    println!(
        "{}  {:>7}  {:>7} {:>7} {:>7}  | {:>8} {:>10}  {:>9}",
        pad("class", 28),
        "queries",
        "median",
        "p99",
        "cpu/run",
        "rg med",
        "rg cpu/run",
        "rg/podium"
    );
    for row in Row::all() {
        let selected: Vec<&Case> = cases.iter().filter(|c| row.keeps(c)).collect();
        if selected.is_empty() {
            continue;
        }
        let whole = pooled(cases, row, whole_ms);
        let rg = pooled(cases, row, rg_ms);
        let cpu = mean_opt(selected.iter().map(|c| c.whole.cpu_ms_per_run));
        let rg_cpu = mean_opt(
            selected
                .iter()
                .map(|c| c.rg_runs.as_ref().and_then(|b| b.cpu_ms_per_run)),
        );
        let (rg_median, ratio) = match rg.is_empty() {
            true => ("-".to_string(), "-".to_string()),
            false => (
                format!("{:.1}", median(&rg)),
                format!("{:.1}x", median(&rg) / median(&whole)),
            ),
        };
        println!(
            "{}  {:>7}  {:>7.1} {:>7.1} {:>7}  | {:>8} {:>10}  {:>9}",
            pad(row.name(), 28),
            selected.len(),
            median(&whole),
            percentile(&whole, 99.0),
            opt_ms(cpu),
            rg_median,
            opt_ms(rg_cpu),
            ratio
        );
    }
    println!(
        "cpu/run: user + system time of the process (rg: of all its threads) per run. rg searches \
         a phrase as its text and several words by the rarest alone, ignoring filters."
    );
    println!();
}

fn print_in_process(cases: &[Case], top_speaker: &str, iterations: usize, runs: usize) {
    println!(
        "In-process by class: Searcher::search with facets, {iterations} searches per query and \
         filter; p50 and p99 over all searches of the class; ms"
    );
    println!(
        "{}  {:>7}  {:>15}  {:>15}  {:>15}  {:>15}",
        pad("", 28),
        "",
        "as given",
        format!("+ {}..{}", DATE_FILTER.0, DATE_FILTER.1),
        "+ --speaker",
        "fresh Searcher"
    );
    println!(
        "{}  {:>7}  {:>7} {:>7}  {:>7} {:>7}  {:>7} {:>7}  {:>7} {:>7}",
        pad("class", 28),
        "queries",
        "p50",
        "p99",
        "p50",
        "p99",
        "p50",
        "p99",
        "open",
        "search"
    );
    let cell = |samples: &[f64]| match samples.is_empty() {
        true => format!("{:>7} {:>7}", "-", "-"),
        false => format!(
            "{:>7.2} {:>7.2}",
            median(samples),
            percentile(samples, 99.0)
        ),
    };
    for row in Row::all() {
        let n = cases.iter().filter(|c| row.keeps(c)).count();
        if n == 0 {
            continue;
        }
        let open = pooled(cases, row, |c| &c.fresh_open);
        let first = pooled(cases, row, |c| &c.fresh_search);
        println!(
            "{}  {:>7}  {}  {}  {}  {:>7.2} {:>7.2}",
            pad(row.name(), 28),
            n,
            cell(&pooled(cases, row, |c| &c.inproc)),
            cell(&pooled(cases, row, |c| &c.inproc_date)),
            cell(&pooled(cases, row, |c| &c.inproc_speaker)),
            median(&open),
            median(&first),
        );
    }
    println!(
        "+ {}..{}: the query with --from {} --to {}; + --speaker: with --speaker {:?} (most \
         passages); the filtered class runs with its own filters only.",
        DATE_FILTER.0, DATE_FILTER.1, DATE_FILTER.0, DATE_FILTER.1, top_speaker
    );
    println!(
        "fresh Searcher: medians of Searcher::open and of the first search on it, {runs} times \
         per query: what a new process pays inside the library."
    );
    println!();
}

/// Whole-process runs that do less than a search.
struct Baselines {
    /// `podium --version`.
    version: Batch,
    absent_label: String,
    /// `podium search WORD` for a word in no passage.
    absent: Batch,
    /// `podium stats --json`.
    stats: Batch,
}

fn print_baselines(baselines: &Baselines, cases: &[Case]) {
    println!(
        "{}  {:>7} {:>7} {:>7} {:>7}",
        pad("Where whole-process time goes; ms", 64),
        "median",
        "p99",
        "fastest",
        "cpu/run"
    );
    let whole = pooled(cases, Row::All, whole_ms);
    // Each query's fastest run, for the typical query's.
    let fastest: Vec<f64> = cases.iter().map(|c| minimum(&c.whole.ms)).collect();
    let whole_cpu = mean_opt(cases.iter().map(|c| c.whole.cpu_ms_per_run));
    let batch = |b: &Batch| {
        (
            median(&b.ms),
            percentile(&b.ms, 99.0),
            minimum(&b.ms),
            b.cpu_ms_per_run,
        )
    };
    let rows = [
        (
            "podium --version (process start, no index)",
            batch(&baselines.version),
        ),
        (baselines.absent_label.as_str(), batch(&baselines.absent)),
        (
            "podium stats --index I --json (open, count over all)",
            batch(&baselines.stats),
        ),
        (
            "podium search, every query of the set",
            (
                median(&whole),
                percentile(&whole, 99.0),
                median(&fastest),
                whole_cpu,
            ),
        ),
    ];
    for (name, (med, p99, best, cpu)) in rows {
        println!(
            "  {}  {med:>7.1} {p99:>7.1} {best:>7.1} {:>7}",
            pad(name, 62),
            opt_ms(cpu)
        );
    }
    let in_process = [
        (
            "in-process: Searcher::open (fresh)",
            pooled(cases, Row::All, |c| &c.fresh_open),
        ),
        (
            "in-process: first search on a fresh Searcher",
            pooled(cases, Row::All, |c| &c.fresh_search),
        ),
        (
            "in-process: search on a warm Searcher",
            pooled(cases, Row::All, |c| &c.inproc),
        ),
    ];
    for (name, ms) in &in_process {
        println!(
            "  {}  {:>7.2} {:>7.2} {:>7.2}",
            pad(name, 62),
            median(ms),
            percentile(ms, 99.0),
            minimum(ms)
        );
    }
    let version = minimum(&baselines.version.ms);
    let absent = minimum(&baselines.absent.ms);
    println!(
        "  => fastest runs: process start and exit ~{version:.1}, opening the index ~{:.1} \
         (no-match search minus --version), searching, rendering and printing ~{:.1} (typical \
         query minus no-match search)",
        absent - version,
        median(&fastest) - absent
    );
    if let (Some(v), Some(a), Some(w)) = (
        baselines.version.cpu_ms_per_run,
        baselines.absent.cpu_ms_per_run,
        whole_cpu,
    ) {
        println!(
            "     cpu per run: start and exit ~{v:.1}, opening ~{:.1}, searching, rendering and \
             printing ~{:.1} (mean over the queries)",
            a - v,
            w - a
        );
    }
    println!(
        "     fastest: the least disturbed run (for every query: the median of each query's \
         fastest run). podium stats is no empty baseline: it counts over every passage and file."
    );
    println!();
}

fn print_targets(cases: &[Case]) {
    let english = median(&pooled(cases, Row::Group(Group::English), whole_ms));
    let chinese = median(&pooled(cases, Row::Group(Group::Chinese), whole_ms));
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    println!("Targets from the users' issue (whole process, medians)");
    println!(
        "  English queries with facets under 10 ms:       {english:6.1} ms          {}",
        verdict(english < 10.0)
    );
    println!(
        "  Chinese at most 1.5x English:                  {chinese:6.1} ms = {:.2}x   {}",
        chinese / english,
        verdict(chinese <= 1.5 * english)
    );
    // rg median / podium median, for a row.
    let ratio = |row: Row| {
        let rg = pooled(cases, row, rg_ms);
        (!rg.is_empty()).then(|| median(&rg) / median(&pooled(cases, row, whole_ms)))
    };
    let Some(overall) = ratio(Row::All) else {
        println!("  rg at least 10x slower than podium:            not measured (no rg)");
        return;
    };
    println!(
        "  rg at least 10x slower than podium:            {overall:6.1}x overall    {}",
        verdict(overall >= 10.0)
    );
    let lowest = Class::ALL
        .into_iter()
        .filter_map(|class| Some((ratio(Row::Class(class))?, class)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((lowest, class)) = lowest {
        println!(
            "                                                 {lowest:6.1}x lowest class  {} ({})",
            verdict(lowest >= 10.0),
            class.name()
        );
    }
}

fn whole_ms(case: &Case) -> &[f64] {
    &case.whole.ms
}

/// rg's timed runs; none without rg.
fn rg_ms(case: &Case) -> &[f64] {
    case.rg_runs.as_ref().map_or(&[], |b| &b.ms)
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn median(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    match v.len() % 2 {
        0 => (v[mid - 1] + v[mid]) / 2.0,
        _ => v[mid],
    }
}

/// Nearest rank: the smallest sample at least `p` percent of the samples are at or below.
fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn minimum(samples: &[f64]) -> f64 {
    samples.iter().copied().fold(f64::NAN, f64::min)
}

fn mean_opt(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let values: Option<Vec<f64>> = values.collect();
    values
        .filter(|v| !v.is_empty())
        .map(|v| v.iter().sum::<f64>() / v.len() as f64)
}

fn ms_since(start: Instant, end: Instant) -> f64 {
    end.duration_since(start).as_secs_f64() * 1000.0
}

fn opt_ms(value: Option<f64>) -> String {
    value.map_or("-".into(), |v| format!("{v:.1}"))
}

/// Pads to `width` terminal columns (Chinese characters count two).
fn pad(text: &str, width: usize) -> String {
    let used = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// The class tag of the per-query lines.
fn short(class: Class) -> &'static str {
    match class {
        Class::EnCommon => "en-common",
        Class::EnRare => "en-rare",
        Class::EnKeywords => "en-and",
        Class::EnPhrase => "en-phrase",
        Class::ZhWord => "zh-word",
        Class::ZhPhrase => "zh-phrase",
        Class::ZhTraditional => "zh-hant",
        Class::Mixed => "mixed",
        Class::Filtered => "filtered",
    }
}

fn command(program: &Path, args: &[String]) -> Command {
    let mut command = Command::new(program);
    command.args(args);
    command
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// Total size of the files under `dir`.
fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn mem_total() -> String {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GB", kb * 1024.0 / 1e9))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn cpu_model() -> Option<String> {
    let info = fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}
