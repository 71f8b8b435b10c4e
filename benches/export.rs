//! Memory of exporting every hit (`podium search --csv` / `--jsonl`): flat, however many hits.
//!
//! ```text
//! cargo bench --bench export -- [--passages N] [--keep DIR]
//! ```
//!
//! Generates a corpus of N passages (default 200,000) that all match the word `alpha` (one text
//! in fifty is a refrain repeated across files, so folding has work to do; one file in twenty
//! is undated), indexes it, then exports the first 1,000, 20,000 and all hits of `alpha` in
//! each way, each in a fresh process (this program run again with `--child`), writing to a
//! byte counter. A child reports its peak resident set (`VmHWM` from `/proc/self/status`) after
//! opening the index and at the end, and the time the export took.
//!
//! - `csv`, `jsonl`: what `--csv` and `--jsonl` do: the page's addresses in order
//!   ([`Searcher::page`]), then each hit read, rendered and written before the next.
//! - `csv by date`: the same with `--sort date`.
//! - `json (collected)`: what `--json --limit N` does: every hit read into memory, then one
//!   JSON object written. The contrast shows what streaming saves.
//!
//! Flat means the peak grows with the number of hits by the ordered addresses and the folding
//! table (tens of bytes a hit), not by the text of the hits.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use podium::render::{csv::HitRows, json};
use podium::search::{SearchRequest, Searcher, Sort};

const USAGE: &str = "usage: cargo bench --bench export -- [--passages N] [--keep DIR]";
const PASSAGES_PER_FILE: usize = 200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--bench"))
        .collect();
    let outcome = if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..])
    } else {
        benchmark(&args)
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn benchmark(args: &[String]) -> Result<()> {
    let mut passages = 200_000usize;
    let mut keep: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--passages" => {
                passages = it.next().context(USAGE)?.parse().context(USAGE)?;
            }
            "--keep" => keep = Some(PathBuf::from(it.next().context(USAGE)?)),
            _ => bail!("unknown argument {arg}\n{USAGE}"),
        }
    }
    let temp = tempfile::tempdir()?;
    let work = keep.unwrap_or_else(|| temp.path().to_path_buf());
    let corpus = work.join("corpus");
    let index = work.join("index");
    println!("load:    {}", load_average());
    if !index.join("meta.json").is_file() {
        let started = Instant::now();
        let bytes = generate(&corpus, passages)?;
        println!(
            "corpus:  {passages} passages, {:.1} MB, written in {:.1} s",
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        let options = podium::index::IndexOptions::new(&index);
        let report = podium::index::index_roots(std::slice::from_ref(&corpus), &options)?;
        println!(
            "index:   {} passages in {:.1} s",
            report.passages, report.seconds
        );
    } else {
        println!("index:   {} (reused)", index.display());
    }
    let me = std::env::current_exe()?;
    println!();
    println!(
        "{:<18} {:>8} {:>10} {:>12} {:>12} {:>8}",
        "export", "hits", "MB out", "RSS open MB", "RSS peak MB", "seconds"
    );
    for mode in ["csv", "jsonl", "csv-date", "json"] {
        for limit in ["1000", "20000", "all"] {
            let out = Command::new(&me)
                .args(["--child", mode, limit])
                .arg(&index)
                .output()?;
            if !out.status.success() {
                bail!(
                    "child {mode} {limit} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let report = String::from_utf8_lossy(&out.stdout);
            let f: Vec<f64> = report
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            let [hits, bytes, open_kb, peak_kb, seconds] = f[..] else {
                bail!("child {mode} {limit} said {report:?}");
            };
            let name = match mode {
                "csv-date" => "csv by date",
                "json" => "json (collected)",
                other => other,
            };
            println!(
                "{name:<18} {:>8} {:>10.1} {:>12.1} {:>12.1} {:>8.2}",
                hits as u64,
                bytes / 1e6,
                open_kb / 1024.0,
                peak_kb / 1024.0,
                seconds
            );
        }
    }
    println!();
    println!("load:    {}", load_average());
    Ok(())
}

/// `--child MODE LIMIT INDEX`: one export, reported as `hits bytes open_kb peak_kb seconds`.
fn child(args: &[String]) -> Result<()> {
    let [mode, limit, index] = args else {
        bail!("--child MODE LIMIT INDEX");
    };
    let searcher = Searcher::open(Path::new(index))?;
    let open_kb = status_kb("VmHWM").unwrap_or(0.0);
    let mut request = SearchRequest::new("alpha");
    request.limit = if limit == "all" {
        usize::MAX
    } else {
        limit.parse()?
    };
    if mode == "csv-date" {
        request.sort = Sort::Oldest;
    }
    let mut out = Counter(0);
    let started = Instant::now();
    let hits = match mode.as_str() {
        "json" => {
            let results = searcher.search(&request)?;
            json::search(&mut out, &results)?;
            results.hits.len()
        }
        _ => {
            let page = searcher.page(&request)?;
            if mode == "jsonl" {
                for hit in page.hits() {
                    json::hit_line(&mut out, &hit?)?;
                }
            } else {
                let mut rows = HitRows::new(&mut out, false)?;
                for hit in page.hits() {
                    rows.row(&hit?)?;
                }
                rows.finish()?;
            }
            page.len()
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak_kb = status_kb("VmHWM").unwrap_or(0.0);
    println!("{hits} {} {open_kb} {peak_kb} {seconds:.3}", out.0);
    Ok(())
}

/// Counts what is written and throws it away.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Files of 200 passages by four speakers, all with `alpha`; returns the bytes written.
fn generate(dir: &Path, passages: usize) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let speakers = ["Li Ming", "Wang Fang", "Chen Jun", "Zhao Lei"];
    let mut bytes = 0u64;
    let files = passages.div_ceil(PASSAGES_PER_FILE);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for f in 0..files {
        let name = if f % 20 == 7 {
            format!("undated-{f:05}.txt")
        } else {
            let day = f % 3650;
            let (year, month, dom) = (2012 + day / 365, 1 + (day % 365) / 31 % 12, 1 + day % 28);
            format!("{year}-{month:02}-{dom:02}-{f:05}.txt")
        };
        let mut text = String::new();
        let count = PASSAGES_PER_FILE.min(passages - f * PASSAGES_PER_FILE);
        for p in 0..count {
            let speaker = speakers[(f + p) % speakers.len()];
            if p % 50 == 10 {
                text +=
                    &format!("{speaker}: alpha is the refrain everyone repeats, word for word.\n");
                continue;
            }
            text += &format!("{speaker}: On item {p} of file {f}, alpha");
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text += &format!(" w{}", seed % 5000);
            }
            text += ", \"quoted\", and done.\n";
        }
        bytes += text.len() as u64;
        std::fs::write(dir.join(name), text)?;
    }
    Ok(bytes)
}

fn status_kb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
