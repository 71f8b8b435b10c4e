//! Indexing benchmark: podium against a plain-tantivy baseline, on the same passages, in one run.
//!
//! ```text
//! cargo bench --bench index -- DIR [--runs N]
//! ```
//!
//! `cargo bench` builds the release `podium` binary together with this benchmark, so the binary
//! measured is always the current source. Each of the N runs (default 3) indexes DIR twice, each
//! time into a fresh directory under the system temporary directory (`TMPDIR`), each time in a
//! child process so that its peak memory is its own:
//!
//! - **podium**: `podium index DIR --index TMP --json`, timed from outside (wall clock, so process
//!   start, opening the index and loading jieba count).
//! - **baseline**: this program again (hidden mode `--baseline-child DIR OUT`). It reads every file
//!   with podium's own library (`corpus::walk`, `corpus::read`, `transcript::split`, one thread
//!   per core), timed as *reading*; then indexes one tantivy document per passage, timed as
//!   *indexing*: `text` with tantivy's default English tokenizer (`TEXT | STORED`) and `path`
//!   (`STRING | STORED`), with podium's writer settings (one thread per core up to 8, 256 MiB),
//!   one commit, then waiting for merges.
//!
//! Peak RSS is the child's maximum resident set size from `/usr/bin/time -f %M`; without GNU
//! time, `/proc/PID/status` (`VmHWM`) is polled every 10 ms instead. CPU seconds (user + system)
//! come from the same source. Index size is the total size of the files in the index directory.
//!
//! # Reading the output
//!
//! The table shows medians over the runs; "all runs" lists every value. The baseline's
//! *seconds* are its indexing time alone: what plain tantivy costs for the same passages, with
//! the reading and parsing that podium also does left out (shown separately, and summed below
//! the table). MB/s is input bytes per second, where input bytes are the on-disk sizes of the
//! files podium reads (what `corpus::walk` finds: `.txt`, `.md`, `.json`, `.html`, …); MB is
//! 10^6 bytes. The baseline holds every passage in memory before indexing, so its peak RSS
//! includes them ("RSS after reading"), while podium streams passages from reader threads into
//! the writer.
//!
//! The second scenario runs `podium index` again into the last run's index with nothing changed:
//! a podium that rebuilds everything takes about as long as the first time, an incremental one
//! much less.
//!
//! Times are wall clock on whatever machine runs this, other processes included: compare the CPU
//! seconds, check the load averages printed before and after, and rerun when figures disagree.

mod common;

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use podium::{corpus, transcript};
use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument};

use common::thousands;

const USAGE: &str = "usage: cargo bench --bench index -- DIR [--runs N]";
/// podium's writer budget (`IndexOptions::new`), used for the baseline too.
const MEMORY_BUDGET: usize = 256 << 20;
const GNU_TIME: &str = "/usr/bin/time";
const MB: f64 = 1e6;

fn main() -> ExitCode {
    // `cargo bench` appends `--bench`; it means nothing here.
    let args: Vec<OsString> = std::env::args_os()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let result = if args.first().is_some_and(|a| a == "--baseline-child") {
        baseline_child(&args[1..])
    } else {
        parse_args(&args).and_then(|(dir, runs)| benchmark(&dir, runs))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench index: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[OsString]) -> Result<(PathBuf, usize)> {
    let mut dir = None;
    let mut runs = 3;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            let n = args.next().and_then(|n| n.to_str()?.parse().ok());
            runs = n
                .filter(|&n| n > 0)
                .context("--runs needs a positive number")?;
        } else if arg.to_string_lossy().starts_with('-') || dir.is_some() {
            bail!("unexpected argument {arg:?}\n{USAGE}");
        } else {
            dir = Some(PathBuf::from(arg));
        }
    }
    let dir = dir.context(USAGE)?;
    ensure!(dir.is_dir(), "{}: not a directory", dir.display());
    Ok((dir, runs))
}

// ---------------------------------------------------------------------------------------------
// The benchmark (parent process)

/// One podium run.
struct PodiumRun {
    child: Measured,
    passages: u64,
    /// `bytes` from `podium index --json`: the sizes of the files it read.
    bytes: u64,
    skipped: usize,
    index_bytes: u64,
}

/// One baseline run.
struct BaselineRun {
    child: Measured,
    report: ChildReport,
    index_bytes: u64,
}

fn benchmark(dir: &Path, runs: usize) -> Result<()> {
    let built = Path::new(env!("CARGO_BIN_EXE_podium"));
    ensure!(
        built.is_file(),
        "{} not found: run `cargo build --release` first",
        built.display()
    );
    let walk = corpus::walk(dir);
    let extensions = corpus::EXTENSIONS
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(" ");
    let input_bytes: u64 = walk
        .files
        .iter()
        .filter_map(|f| fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    ensure!(
        !walk.files.is_empty(),
        "{}: no files podium reads ({extensions})",
        dir.display()
    );
    let work = tempfile::Builder::new()
        .prefix("podium-bench-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let gnu_time = gnu_time_works(work.path());
    // Run copies, so that a `cargo build` during the benchmark changes nothing measured.
    let podium_bin = work.path().join("podium");
    fs::copy(built, &podium_bin).context("cannot copy the podium binary")?;
    let me = work.path().join("bench-index");
    let this = std::env::current_exe().context("cannot locate the benchmark's own executable")?;
    fs::copy(this, &me).context("cannot copy the benchmark's executable")?;
    let podium_bin = podium_bin.as_path();

    println!("podium index benchmark");
    println!(
        "  corpus    {}: {} files podium reads ({extensions}), {:.2} MB on disk",
        dir.display(),
        thousands(walk.files.len() as u64),
        input_bytes as f64 / MB
    );
    println!("  machine   {}", machine_facts());
    println!(
        "  load      {} at start (1, 5, 15 min averages)",
        load_average()
    );
    println!("  podium    {} (run from a copy)", built.display());
    println!(
        "  baseline  tantivy, one document per passage: text TEXT|STORED (default tokenizer), \
         path STRING|STORED; {} threads, {} MiB",
        writer_threads(),
        MEMORY_BUDGET >> 20
    );
    println!("  indexes   {}", work.path().display());
    println!(
        "  peak RSS  {}",
        if gnu_time {
            "/usr/bin/time -f %M (maximum resident set size of the child)"
        } else {
            "VmHWM from /proc/PID/status, polled every 10 ms (no GNU /usr/bin/time)"
        }
    );
    println!(
        "  note      wall-clock times on a machine that may be running other work: \
         compare CPU seconds and load, rerun when in doubt"
    );
    println!();

    let mut podium_runs = Vec::new();
    let mut baseline_runs = Vec::new();
    let mut last_podium_index = None;
    let mut baseline_tokens = Vec::new();
    for run in 1..=runs {
        // podium
        let index_dir = work.path().join(format!("podium-{run}"));
        let mut args: Vec<OsString> = vec!["index".into(), dir.into(), "--index".into()];
        args.extend([index_dir.clone().into(), "--json".into()]);
        let p = run_podium(podium_bin, &args, &index_dir, gnu_time, work.path())?;
        println!(
            "run {run}/{runs}  podium    {:7.2} s  cpu {:>7}  {:7.1} MB RSS  {:8.2} MB index  \
             {} passages",
            p.child.wall,
            cpu_text(p.child.cpu),
            rss_mb(p.child.peak_rss_kb),
            p.index_bytes as f64 / MB,
            thousands(p.passages)
        );
        if let Some(previous) = last_podium_index.replace(index_dir) {
            fs::remove_dir_all(previous).ok();
        }
        podium_runs.push(p);

        // baseline
        let index_dir = work.path().join(format!("baseline-{run}"));
        let args: Vec<OsString> = vec![
            "--baseline-child".into(),
            dir.into(),
            index_dir.clone().into(),
        ];
        let child = measure(&me, &args, gnu_time, work.path())?;
        ensure!(
            child.success,
            "the baseline failed:\n{}{}",
            child.stdout,
            child.stderr
        );
        let report = ChildReport::parse(&child.stdout)?;
        let index_bytes = dir_size(&index_dir);
        if run == runs {
            baseline_tokens = indexed_tokens(&index_dir)?;
        }
        fs::remove_dir_all(&index_dir).ok();
        println!(
            "run {run}/{runs}  baseline  {:7.2} s  cpu {:>7}  {:7.1} MB RSS  {:8.2} MB index  \
             {} passages  (+ reading {:.2} s, cpu {})",
            report.index_s,
            cpu_text(child.cpu.map(|c| c - report.read_cpu_s)),
            rss_mb(child.peak_rss_kb),
            index_bytes as f64 / MB,
            thousands(report.passages),
            report.read_s,
            cpu_text(Some(report.read_cpu_s)),
        );
        baseline_runs.push(BaselineRun {
            child,
            report,
            index_bytes,
        });
    }
    println!();
    print_results(input_bytes, &podium_runs, &baseline_runs);
    // What each side had to index: tokens per analyzed field (positions included for
    // `exact` and the baseline's `text`; `words` keeps frequencies only).
    let podium_tokens = indexed_tokens(last_podium_index.as_ref().expect("at least one run"))?;
    let sum = |tokens: &[(String, u64)]| tokens.iter().map(|(_, n)| n).sum::<u64>();
    let list = |tokens: &[(String, u64)]| {
        tokens
            .iter()
            .map(|(field, n)| format!("{field} {:.1} M", *n as f64 / 1e6))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    println!(
        "tokens indexed: podium {} = {:.1} M; baseline {} = {:.1} M; podium/baseline {:.2}",
        list(&podium_tokens),
        sum(&podium_tokens) as f64 / 1e6,
        list(&baseline_tokens),
        sum(&baseline_tokens) as f64 / 1e6,
        sum(&podium_tokens) as f64 / sum(&baseline_tokens).max(1) as f64
    );

    // Second scenario: the same command again, nothing changed.
    let index_dir = last_podium_index.expect("at least one run");
    let mut args: Vec<OsString> = vec!["index".into(), dir.into(), "--index".into()];
    args.extend([index_dir.clone().into(), "--json".into()]);
    println!();
    println!(
        "Re-index with nothing changed: podium index DIR --index SAME ({})",
        plural(runs, "run")
    );
    let mut reruns = Vec::new();
    for run in 1..=runs {
        let p = run_podium(podium_bin, &args, &index_dir, gnu_time, work.path())?;
        println!(
            "run {run}/{runs}  podium    {:7.2} s  cpu {:>7}  {:7.1} MB RSS  {:8.2} MB index",
            p.child.wall,
            cpu_text(p.child.cpu),
            rss_mb(p.child.peak_rss_kb),
            p.index_bytes as f64 / MB,
        );
        reruns.push(p);
    }
    let first = median(podium_runs.iter().map(|p| p.child.wall));
    let again = median(reruns.iter().map(|p| p.child.wall));
    println!(
        "median {again:.2} s ({:.2} MB/s), {:.2}x the first-time index",
        input_bytes as f64 / MB / again,
        again / first
    );
    println!();
    println!("load {} at end", load_average());
    Ok(())
}

/// Tokens indexed per analyzed text field of the index in `dir` (not the raw keyword fields),
/// summed over segments.
fn indexed_tokens(dir: &Path) -> Result<Vec<(String, u64)>> {
    let index =
        Index::open_in_dir(dir).with_context(|| format!("cannot open {}", dir.display()))?;
    let searcher = index.reader()?.searcher();
    let schema = index.schema();
    let mut out = Vec::new();
    for (field, entry) in schema.fields() {
        let tokenized = matches!(
            entry.field_type(),
            tantivy::schema::FieldType::Str(options)
                if options
                    .get_indexing_options()
                    .is_some_and(|i| i.fieldnorms() && i.tokenizer() != "raw")
        );
        if !tokenized {
            continue;
        }
        let mut tokens = 0;
        for segment in searcher.segment_readers() {
            tokens += segment.inverted_index(field)?.total_num_tokens();
        }
        out.push((entry.name().to_string(), tokens));
    }
    Ok(out)
}

fn run_podium(
    podium_bin: &Path,
    args: &[OsString],
    index_dir: &Path,
    gnu_time: bool,
    work: &Path,
) -> Result<PodiumRun> {
    let child = measure(podium_bin, args, gnu_time, work)?;
    // Exit status 1 means some files were skipped; the index is still written.
    ensure!(
        matches!(child.code, Some(0 | 1)),
        "podium index failed ({:?}):\n{}",
        child.code,
        child.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&child.stdout)
        .with_context(|| format!("podium index --json printed {:?}", child.stdout))?;
    let number = |key: &str| {
        report[key]
            .as_u64()
            .with_context(|| format!("no `{key}` in podium's report"))
    };
    Ok(PodiumRun {
        passages: number("passages")?,
        bytes: number("bytes")?,
        skipped: report["skipped"].as_array().map_or(0, Vec::len),
        index_bytes: dir_size(index_dir),
        child,
    })
}

fn print_results(input_bytes: u64, podium: &[PodiumRun], baseline: &[BaselineRun]) {
    let input_mb = input_bytes as f64 / MB;
    let p_secs = median(podium.iter().map(|r| r.child.wall));
    let b_secs = median(baseline.iter().map(|r| r.report.index_s));
    let p_passages = podium[0].passages as f64;
    let b_passages = baseline[0].report.passages as f64;
    let p_cpu = median_opt(podium.iter().map(|r| r.child.cpu));
    let b_cpu = median_opt(
        baseline
            .iter()
            .map(|r| r.child.cpu.map(|c| c - r.report.read_cpu_s)),
    );
    let p_rss = median_opt(podium.iter().map(|r| r.child.peak_rss_kb.map(kb_to_mb)));
    let b_rss = median_opt(baseline.iter().map(|r| r.child.peak_rss_kb.map(kb_to_mb)));
    let p_size = median(podium.iter().map(|r| r.index_bytes as f64 / MB));
    let b_size = median(baseline.iter().map(|r| r.index_bytes as f64 / MB));

    println!(
        "Results: median of {}; MB = 10^6 bytes; input = {input_mb:.2} MB on disk",
        plural(podium.len(), "run")
    );
    println!(
        "{:<22} {:>12} {:>12} {:>16}",
        "", "podium", "baseline", "podium/baseline"
    );
    let row = |name: &str, p: Option<f64>, b: Option<f64>, decimals: usize| {
        let cell = |v: Option<f64>| match v {
            Some(v) if decimals == 0 => thousands(v.round() as u64),
            Some(v) => format!("{v:.decimals$}"),
            None => "-".into(),
        };
        let ratio = match (p, b) {
            (Some(p), Some(b)) if b > 0.0 => format!("{:.2}", p / b),
            _ => "-".into(),
        };
        println!("{name:<22} {:>12} {:>12} {ratio:>16}", cell(p), cell(b));
    };
    row("seconds", Some(p_secs), Some(b_secs), 2);
    row("MB/s", Some(input_mb / p_secs), Some(input_mb / b_secs), 2);
    row(
        "passages/s",
        Some(p_passages / p_secs),
        Some(b_passages / b_secs),
        0,
    );
    row("CPU seconds", p_cpu, b_cpu, 2);
    row("peak RSS (MB)", p_rss, b_rss, 1);
    row("index size (MB)", Some(p_size), Some(b_size), 2);
    row(
        "index size / input",
        Some(p_size / input_mb),
        Some(b_size / input_mb),
        2,
    );

    let read_secs = median(baseline.iter().map(|r| r.report.read_s));
    let read_cpu = median(baseline.iter().map(|r| r.report.read_cpu_s));
    let both = median(baseline.iter().map(|r| r.report.read_s + r.report.index_s));
    let after_read = median(
        baseline
            .iter()
            .map(|r| kb_to_mb(r.report.rss_after_read_kb)),
    );
    println!();
    println!(
        "baseline seconds are tantivy indexing alone (create, add documents, commit, merges)."
    );
    println!(
        "reading and parsing with podium's library ({} threads): {read_secs:.2} s, cpu \
         {read_cpu:.1} s ({:.2} MB/s)",
        writer_threads(),
        input_mb / read_secs
    );
    println!(
        "baseline reading + indexing: {both:.2} s ({:.2} MB/s); podium / that: {:.2}",
        input_mb / both,
        p_secs / both
    );
    println!(
        "baseline peak RSS includes all passages held in memory before indexing: \
         {after_read:.1} MB RSS after reading"
    );
    println!(
        "podium's `bytes` (sizes of the files it read): {:.2} MB; files skipped: podium {}, \
         baseline {}",
        podium[0].bytes as f64 / MB,
        podium[0].skipped,
        baseline[0].report.skipped
    );
    if podium[0].passages != baseline[0].report.passages {
        println!(
            "WARNING: podium indexed {} passages, the baseline {}",
            podium[0].passages, baseline[0].report.passages
        );
    }

    println!();
    println!("All runs");
    let list = |name: &str, values: Vec<Option<f64>>, decimals: usize| {
        let cells: Vec<String> = values
            .into_iter()
            .map(|v| v.map_or("-".into(), |v| format!("{v:.decimals$}")))
            .collect();
        println!("  {name:<30} {}", cells.join("  "));
    };
    list(
        "podium seconds",
        podium.iter().map(|r| Some(r.child.wall)).collect(),
        2,
    );
    list(
        "baseline indexing seconds",
        baseline.iter().map(|r| Some(r.report.index_s)).collect(),
        2,
    );
    list(
        "baseline reading seconds",
        baseline.iter().map(|r| Some(r.report.read_s)).collect(),
        2,
    );
    list(
        "podium CPU seconds",
        podium.iter().map(|r| r.child.cpu).collect(),
        1,
    );
    list(
        "baseline CPU seconds (all)",
        baseline.iter().map(|r| r.child.cpu).collect(),
        1,
    );
    list(
        "podium peak RSS (MB)",
        podium
            .iter()
            .map(|r| r.child.peak_rss_kb.map(kb_to_mb))
            .collect(),
        1,
    );
    list(
        "baseline peak RSS (MB)",
        baseline
            .iter()
            .map(|r| r.child.peak_rss_kb.map(kb_to_mb))
            .collect(),
        1,
    );
    list(
        "podium index size (MB)",
        podium
            .iter()
            .map(|r| Some(r.index_bytes as f64 / MB))
            .collect(),
        2,
    );
    list(
        "baseline index size (MB)",
        baseline
            .iter()
            .map(|r| Some(r.index_bytes as f64 / MB))
            .collect(),
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// Measuring a child process

/// What a child process did and cost.
struct Measured {
    /// Wall-clock seconds from spawn to exit.
    wall: f64,
    peak_rss_kb: Option<u64>,
    /// User + system CPU seconds.
    cpu: Option<f64>,
    success: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Whether `/usr/bin/time` is GNU time (`-f`, `-o`).
fn gnu_time_works(work: &Path) -> bool {
    let out = work.join("time-probe");
    let ok = Command::new(GNU_TIME)
        .args(["-f", "%M %U %S", "-o"])
        .arg(&out)
        .arg("true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok && parse_time_output(&fs::read_to_string(out).unwrap_or_default()).is_some()
}

/// `%M %U %S`: peak RSS in KB, user and system seconds.
fn parse_time_output(text: &str) -> Option<(u64, f64)> {
    // GNU time prints "Command exited with non-zero status N" first when the status is not 0.
    let line = text.lines().last()?;
    let mut fields = line.split_whitespace();
    let rss = fields.next()?.parse().ok()?;
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((rss, user + system))
}

fn measure(program: &Path, args: &[OsString], gnu_time: bool, work: &Path) -> Result<Measured> {
    if gnu_time {
        let time_file = work.join("time.txt");
        let started = Instant::now();
        let out = Command::new(GNU_TIME)
            .args(["-f", "%M %U %S", "-o"])
            .arg(&time_file)
            .arg(program)
            .args(args)
            .output()
            .with_context(|| format!("cannot run {}", program.display()))?;
        let wall = started.elapsed().as_secs_f64();
        let time = parse_time_output(&fs::read_to_string(&time_file).unwrap_or_default());
        Ok(Measured {
            wall,
            peak_rss_kb: time.map(|t| t.0),
            cpu: time.map(|t| t.1),
            success: out.status.success(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    } else {
        measure_by_polling(program, args)
    }
}

/// Without GNU time: poll `/proc/PID` until the child exits. `VmHWM` is a high-water mark, so
/// only growth in the last polling interval can be missed; CPU is the last value seen.
fn measure_by_polling(program: &Path, args: &[OsString]) -> Result<Measured> {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).ok();
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped")));
    let pid = child.id().to_string();
    let (mut peak_rss_kb, mut cpu) = (None, None);
    let status = loop {
        peak_rss_kb = status_kb(&pid, "VmHWM").or(peak_rss_kb);
        cpu = cpu_seconds(&pid).or(cpu);
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let wall = started.elapsed().as_secs_f64();
    Ok(Measured {
        wall,
        peak_rss_kb,
        cpu,
        success: status.success(),
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// A `kB` line of `/proc/PID/status` (`pid` may be `self`).
fn status_kb(pid: &str, key: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of a process so far, from `/proc/PID/stat` (`pid` may be `self`).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses; utime and stime are fields 14
    // and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

// ---------------------------------------------------------------------------------------------
// The baseline (child process)

/// What the baseline child prints, as one line of `key=value` pairs.
struct ChildReport {
    files: u64,
    skipped: u64,
    passages: u64,
    read_s: f64,
    read_cpu_s: f64,
    rss_after_read_kb: u64,
    index_s: f64,
}

impl ChildReport {
    fn line(&self) -> String {
        format!(
            "baseline files={} skipped={} passages={} read_s={:.4} read_cpu_s={:.2} \
             rss_after_read_kb={} index_s={:.4}",
            self.files,
            self.skipped,
            self.passages,
            self.read_s,
            self.read_cpu_s,
            self.rss_after_read_kb,
            self.index_s
        )
    }

    fn parse(stdout: &str) -> Result<ChildReport> {
        let line = stdout
            .lines()
            .find(|l| l.starts_with("baseline "))
            .with_context(|| format!("the baseline printed no report: {stdout:?}"))?;
        let pairs: HashMap<&str, &str> = line
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .collect();
        let get = |key: &str| {
            pairs
                .get(key)
                .with_context(|| format!("no {key} in the baseline's report {line:?}"))
        };
        Ok(ChildReport {
            files: get("files")?.parse()?,
            skipped: get("skipped")?.parse()?,
            passages: get("passages")?.parse()?,
            read_s: get("read_s")?.parse()?,
            read_cpu_s: get("read_cpu_s")?.parse()?,
            rss_after_read_kb: get("rss_after_read_kb")?.parse()?,
            index_s: get("index_s")?.parse()?,
        })
    }
}

/// `--baseline-child DIR OUT`: read DIR's passages with podium's library, index them with plain
/// tantivy into OUT, print a [`ChildReport`].
fn baseline_child(args: &[OsString]) -> Result<()> {
    let [dir, out] = args else {
        bail!("usage: --baseline-child DIR OUT_INDEX_DIR");
    };
    let threads = writer_threads();

    let started = Instant::now();
    let files = read_passages(Path::new(dir), threads);
    let read_s = started.elapsed().as_secs_f64();
    let read_cpu_s = cpu_seconds("self").unwrap_or(0.0);
    let rss_after_read_kb = status_kb("self", "VmRSS").unwrap_or(0);

    let started = Instant::now();
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT | STORED);
    let path = builder.add_text_field("path", STRING | STORED);
    fs::create_dir_all(out)?;
    let index = Index::create_in_dir(out, builder.build())?;
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, MEMORY_BUDGET)?;
    let mut passages = 0;
    for transcript in files.iter().flatten().flatten() {
        for passage in &transcript.passages {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, passage);
            doc.add_text(path, &transcript.path);
            writer.add_document(doc)?;
            passages += 1;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let index_s = started.elapsed().as_secs_f64();

    let report = ChildReport {
        files: files.iter().flatten().count() as u64,
        skipped: files.iter().filter(|f| f.is_none()).count() as u64,
        passages,
        read_s,
        read_cpu_s,
        rss_after_read_kb,
        index_s,
    };
    println!("{}", report.line());
    Ok(())
}

/// One transcript's passages (a file holds one transcript, or several in `.json`/`.jsonl`).
struct TranscriptPassages {
    path: String,
    passages: Vec<String>,
}

/// Reads and splits every file under `dir` as podium does, on `threads` threads: per file, in
/// walk order, its transcripts, or `None` for a file podium would skip.
fn read_passages(dir: &Path, threads: usize) -> Vec<Option<Vec<TranscriptPassages>>> {
    let files = corpus::walk(dir).files;
    let next = AtomicUsize::new(0);
    let mut parsed: Vec<(usize, Option<Vec<_>>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        let transcripts = corpus::read(file).ok().map(|read| {
                            let split = read.documents.iter().map(transcript::split);
                            split
                                .map(|t| TranscriptPassages {
                                    passages: t.passages.into_iter().map(|p| p.text).collect(),
                                    path: t.path,
                                })
                                .collect()
                        });
                        mine.push((i, transcripts));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a reader thread panicked"))
            .collect()
    });
    parsed.sort_by_key(|(i, _)| *i);
    parsed.into_iter().map(|(_, p)| p).collect()
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/// podium's indexing threads: one per core, at most 8 (`index::writer`).
fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
}

fn machine_facts() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or("unknown memory".into(), |kb| {
            format!("{:.1} GB memory (MemTotal)", kb as f64 * 1024.0 / 1e9)
        });
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            let line = c.lines().find(|l| l.starts_with("model name"))?;
            Some(line.split_once(':')?.1.trim().to_string())
        })
        .unwrap_or_default();
    format!("{cores} cores (available_parallelism), {memory}, {cpu}")
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Total size of the files under `dir`.
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The median, or `None` when any value is missing.
fn median_opt(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Option<Vec<f64>> = values.collect();
    v.map(|v| median(v.into_iter()))
}

fn kb_to_mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / MB
}

fn rss_mb(kb: Option<u64>) -> f64 {
    kb.map_or(f64::NAN, kb_to_mb)
}

fn cpu_text(cpu: Option<f64>) -> String {
    cpu.map_or("-".into(), |c| format!("{c:.1} s"))
}

/// `3 runs`, `1 run`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
