//! Batch queries against one process per query: `podium search --queries FILE` versus the same
//! queries as separate `podium search QUERY --json` runs.
//!
//! ```text
//! cargo build --release && ./target/release/podium index CORPUS --index INDEX
//! cargo bench --bench batch -- --index INDEX [--queries N] [--runs R]
//! ```
//!
//! The N queries (default 500) cycle through the latency benchmark's query set
//! (`common::queries`: English and Chinese keywords, phrases, Traditional, mixed, filtered), in
//! order. A query of the filtered class keeps its first speaker as `speaker:"NAME"` in the query
//! and drops its dates: in a batch, flags apply to every query. Every search uses `--limit 10`.
//!
//! - **Separate processes**: the N queries one after another, each a new
//!   `podium search QUERY --index INDEX --json --limit 10`, stdout drained through a pipe.
//! - **Batch**: one `podium search --queries FILE --index INDEX --limit 10`, R times (default 3).
//!
//! Both run the release binary `cargo bench` builds. Before timing, the batch's answers are
//! checked against the separate runs' (each line without its `id` equals that query's JSON).
//! Figures are wall-clock seconds in total and per query; the batch's is the median of its runs.
//! The machine's load averages are printed before and after.

mod common;

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use common::queries::{Class, QUERIES};

const USAGE: &str = "usage: cargo bench --bench batch -- --index PATH [--queries N] [--runs R]";

fn main() -> ExitCode {
    match benchmark() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("batch: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn benchmark() -> Result<()> {
    let mut index: Option<PathBuf> = None;
    let (mut n, mut runs) = (500usize, 3usize);
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--bench"))
        .collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().context(USAGE);
        match arg.as_str() {
            "--index" => index = Some(PathBuf::from(value()?)),
            "--queries" => n = value()?.parse().context(USAGE)?,
            "--runs" => runs = value()?.parse().context(USAGE)?,
            _ => bail!("unknown argument {arg}\n{USAGE}"),
        }
    }
    let index = index.context(USAGE)?;
    ensure!(
        index.join("meta.json").is_file(),
        "no index at {}: build one with `podium index CORPUS --index {}`",
        index.display(),
        index.display()
    );
    let podium = release_binary()?;
    let queries = query_set(n);
    let work = tempfile::tempdir()?;
    let file = work.path().join("queries.txt");
    std::fs::write(&file, queries.join("\n") + "\n")?;
    println!("load:     {}", load_average());
    println!(
        "queries:  {n}, cycling through {} of the latency set",
        QUERIES.len()
    );

    let started = Instant::now();
    let mut separate = Vec::with_capacity(n);
    for query in &queries {
        let out = Command::new(&podium)
            .args(["search", "--index"])
            .arg(&index)
            .args(["--json", "--limit", "10", "--", query])
            .stdin(Stdio::null())
            .output()?;
        ensure!(
            matches!(out.status.code(), Some(0 | 1)),
            "{query}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        separate.push(out.stdout);
    }
    let separate_seconds = started.elapsed().as_secs_f64();

    let mut batch_seconds = Vec::new();
    let mut batch_out = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let out = Command::new(&podium)
            .args(["search", "--index"])
            .arg(&index)
            .args(["--limit", "10", "--queries"])
            .arg(&file)
            .stdin(Stdio::null())
            .output()?;
        batch_seconds.push(started.elapsed().as_secs_f64());
        ensure!(
            matches!(out.status.code(), Some(0 | 1)),
            "batch: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        batch_out = out.stdout;
    }
    check_equal(&batch_out, &separate)?;
    batch_seconds.sort_by(f64::total_cmp);
    let batch = batch_seconds[batch_seconds.len() / 2];

    println!();
    println!("{:<22} {:>10} {:>14}", "", "total s", "ms per query");
    println!(
        "{:<22} {:>10.2} {:>14.2}",
        "separate processes",
        separate_seconds,
        separate_seconds * 1e3 / n as f64
    );
    println!(
        "{:<22} {:>10.2} {:>14.2}",
        format!("batch (median of {})", batch_seconds.len()),
        batch,
        batch * 1e3 / n as f64
    );
    println!(
        "ratio:    {:.1}x less total time in one batch (goal: at least 5x)",
        separate_seconds / batch
    );
    println!("answers:  the batch's {n} lines equal the separate runs' JSON");
    println!("load:     {}", load_average());
    Ok(())
}

/// `n` queries cycling through the latency set; filtered ones keep their first speaker in the
/// query and lose their dates.
fn query_set(n: usize) -> Vec<String> {
    QUERIES
        .iter()
        .map(|spec| match (spec.class, spec.speakers.first()) {
            (Class::Filtered, Some(speaker)) => format!("{} speaker:\"{speaker}\"", spec.query),
            _ => spec.query.to_string(),
        })
        .cycle()
        .take(n)
        .collect()
}

fn check_equal(batch: &[u8], separate: &[Vec<u8>]) -> Result<()> {
    let lines: Vec<&[u8]> = batch
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    ensure!(
        lines.len() == separate.len(),
        "{} batch lines for {} queries",
        lines.len(),
        separate.len()
    );
    for (i, (line, alone)) in lines.iter().zip(separate).enumerate() {
        let mut line: serde_json::Value = serde_json::from_slice(line)?;
        line.as_object_mut()
            .context("a batch line is an object")?
            .remove("id");
        let alone: serde_json::Value = serde_json::from_slice(alone)?;
        ensure!(
            line == alone,
            "query {} differs between batch and separate run",
            i + 1
        );
    }
    Ok(())
}

/// The release binary `cargo bench` built with this benchmark.
fn release_binary() -> Result<PathBuf> {
    let podium = PathBuf::from(env!("CARGO_BIN_EXE_podium"));
    ensure!(
        podium.is_file(),
        "{} is missing: run `cargo build --release` first",
        podium.display()
    );
    Ok(podium)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
