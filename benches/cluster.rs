//! The cost of the search-cluster path: a two-node Sphinx cluster against the embedded index,
//! over the same corpus.
//!
//! ```text
//! cargo bench --bench cluster -- CORPUS [--runs N]
//! ```
//!
//! Starts two `searchd` nodes on free loopback ports from `podium engine config` configs in a
//! temporary folder (stopped by pid at the end), then measures:
//! - **ingest**: `index_roots` into a fresh embedded index and `engine::index_roots` into the
//!   empty cluster, wall clock;
//! - **queries**: each query of a small set per class (English keywords and phrases, Chinese
//!   words and phrases, Traditional, OR, exclusion, speaker and date filters) run N times
//!   (default 20) after two warm-up runs, in-process, through `Searcher::search` and
//!   `Cluster::search` (top 10, facets, folding of repeated texts): p50 and p99 per class;
//! - **ranking**: how alike the two orders are, per class: of each query's top [`TOP`] on
//!   both sides, the share of hits both have, and Spearman's rank correlation over those shared
//!   hits (1: same order; the engine ranks with its own BM25 and IDF per shard);
//! - **size**: the embedded index folder and the cluster's data folder after its nodes stop
//!   (they save their tables then).
//!
//! Both nodes share the machine's cores with podium, so this shows what the path costs, not
//! what a cluster of real machines gains.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use podium::engine::{self, config, Cluster};
use podium::index::{self, IndexOptions};
use podium::search::{SearchRequest, SearchResults, Searcher};

/// Hits per query compared for the rank correlation.
const TOP: usize = 100;

const CLASSES: &[(&str, &[&str])] = &[
    ("en keyword", &["china", "president", "methane", "tariffs"]),
    ("en phrase", &["\"trade war\"", "\"one china principle\""]),
    ("zh word", &["中美", "命运共同体", "中国"]),
    ("zh phrase", &["\"人类命运共同体\"", "\"一带一路\""]),
    ("zh traditional", &["立法會", "臺灣"]),
    ("or", &["tariffs OR sanctions", "中美 OR 美中"]),
    ("exclusion", &["china -taiwan", "中国 -美国"]),
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(corpus) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench cluster -- CORPUS [--runs N]");
        std::process::exit(2);
    };
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    if Command::new("searchd").arg("--help").output().is_err() {
        eprintln!("searchd is not installed (apt-get install sphinxsearch)");
        std::process::exit(2);
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let nodes = Nodes::start(tmp.path());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "cluster benchmark: {} ({} runs per query)",
        corpus.display(),
        runs
    );
    println!("load average at start: {}", load.trim());

    let idx = tmp.path().join("idx");
    let started = Instant::now();
    let report = index::index_roots(std::slice::from_ref(&corpus), &IndexOptions::new(&idx))
        .expect("embedded index");
    let embedded_ingest = started.elapsed();
    let started = Instant::now();
    let cluster_report = engine::index_roots(
        std::slice::from_ref(&corpus),
        &nodes.url,
        &IndexOptions::new(&idx),
    )
    .expect("cluster ingest");
    let cluster_ingest = started.elapsed();
    assert_eq!(report.passages, cluster_report.passages, "same passages");
    println!(
        "\ningest ({} files, {} passages): embedded {:.1} s, 2-node cluster {:.1} s ({:.1}x)",
        report.files,
        report.passages,
        embedded_ingest.as_secs_f64(),
        cluster_ingest.as_secs_f64(),
        cluster_ingest.as_secs_f64() / embedded_ingest.as_secs_f64()
    );

    let searcher = Searcher::open(&idx).expect("open index");
    let cluster = Cluster::open(&nodes.url).expect("open cluster");
    let top_speaker = searcher.speakers().expect("speakers")[0].0.clone();
    let mut classes: Vec<(String, Vec<SearchRequest>)> = CLASSES
        .iter()
        .map(|(c, qs)| {
            (
                c.to_string(),
                qs.iter().map(|q| SearchRequest::new(*q)).collect(),
            )
        })
        .collect();
    let with = |q: &str, f: &dyn Fn(&mut SearchRequest)| {
        let mut r = SearchRequest::new(q);
        f(&mut r);
        r
    };
    classes.push((
        "speaker filter".into(),
        vec![
            with("china", &|r| r.speakers = vec![top_speaker.clone()]),
            with("中国", &|r| r.speakers = vec![top_speaker.clone()]),
        ],
    ));
    classes.push((
        "date filter".into(),
        vec![
            with("china", &|r| {
                (r.from, r.to) = (Some("2021".into()), Some("2021".into()))
            }),
            with("命运共同体", &|r| r.from = Some("2020-01".into())),
        ],
    ));
    println!(
        "\n{:<16} {:>12} {:>12} {:>12} {:>12} {:>7} {:>9}   totals",
        "class", "index p50", "index p99", "cluster p50", "cluster p99", "shared", "spearman"
    );
    for (class, requests) in &classes {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut totals = Vec::new();
        let (mut shared, mut rhos) = (Vec::new(), Vec::new());
        for r in requests {
            let want = searcher.search(r).expect("embedded search");
            let got = cluster.search(r).expect("cluster search");
            assert_eq!(want.total, got.total, "{}: same total", r.query);
            totals.push(want.total);
            let mut deep = r.clone();
            deep.limit = TOP;
            let (share, rho) = rank_agreement(
                &order(&searcher.search(&deep).expect("embedded search")),
                &order(&cluster.search(&deep).expect("cluster search")),
            );
            shared.extend(share);
            rhos.extend(rho);
            for _ in 0..2 {
                let _ = cluster.search(r);
            }
            for _ in 0..runs {
                let t = Instant::now();
                let _ = searcher.search(r);
                a.push(t.elapsed());
                let t = Instant::now();
                let _ = cluster.search(r);
                b.push(t.elapsed());
            }
        }
        let mean = |v: &[f64], scale: f64, digits: usize| match v.is_empty() {
            true => "-".to_string(),
            false => format!(
                "{:.digits$}",
                scale * v.iter().sum::<f64>() / v.len() as f64
            ),
        };
        println!(
            "{class:<16} {:>9.1} ms {:>9.1} ms {:>9.1} ms {:>9.1} ms {:>6}% {:>9}   {totals:?}",
            ms(percentile(&mut a, 50)),
            ms(percentile(&mut a, 99)),
            ms(percentile(&mut b, 50)),
            ms(percentile(&mut b, 99)),
            mean(&shared, 100.0, 0),
            mean(&rhos, 1.0, 2),
        );
    }
    drop(cluster);
    nodes.stop();
    println!(
        "\nsize: embedded index {:.1} MB, cluster data (2 nodes, tables, binlogs, logs) {:.1} MB",
        du(&idx) as f64 / 1e6,
        du(&tmp.path().join("cluster")) as f64 / 1e6
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average at end: {}", load.trim());
}

fn order(r: &SearchResults) -> Vec<(String, u64)> {
    r.hits
        .iter()
        .map(|h| (h.path.clone(), h.paragraph))
        .collect()
}

/// The share of hits two top lists have in common (none when both are empty), and Spearman's
/// rank correlation of the two orders over those hits (none below three shared hits).
fn rank_agreement(a: &[(String, u64)], b: &[(String, u64)]) -> (Option<f64>, Option<f64>) {
    let in_b: HashMap<&(String, u64), usize> = b.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let common: Vec<&(String, u64)> = a.iter().filter(|k| in_b.contains_key(k)).collect();
    let share = match a.len().max(b.len()) {
        0 => None,
        n => Some(common.len() as f64 / n as f64),
    };
    let n = common.len();
    if n < 3 {
        return (share, None);
    }
    // Ranks among the shared hits: their order in `a` is 0..n; their order in `b` by position.
    let mut by_b: Vec<(usize, usize)> = common
        .iter()
        .enumerate()
        .map(|(i, k)| (in_b[k], i))
        .collect();
    by_b.sort();
    let d2: f64 = by_b
        .iter()
        .enumerate()
        .map(|(rank_b, &(_, rank_a))| (rank_a as f64 - rank_b as f64).powi(2))
        .sum();
    let n = n as f64;
    (share, Some(1.0 - 6.0 * d2 / (n * (n * n - 1.0))))
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[((times.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn du(path: &Path) -> u64 {
    let mut total = 0;
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        if let Ok(m) = entry.metadata() {
            if m.is_file() {
                total += m.len();
            }
        }
    }
    total
}

/// Two nodes started from `podium engine config` configs, stopped by pid on drop.
struct Nodes {
    configs: Vec<config::NodeConfig>,
    url: engine::EngineUrl,
}

impl Nodes {
    fn start(dir: &Path) -> Nodes {
        let port = (0..200)
            .find_map(|_| {
                let p = TcpListener::bind("127.0.0.1:0")
                    .ok()?
                    .local_addr()
                    .ok()?
                    .port();
                let free = (p..p + 4).all(|q| TcpListener::bind(("127.0.0.1", q)).is_ok());
                (free && p < 65_000).then_some(p)
            })
            .expect("free loopback ports");
        let options = config::ConfigOptions {
            nodes: 2,
            data: config::absolute(&dir.join("cluster")).expect("data folder"),
            table: "podium".into(),
            hosts: vec!["127.0.0.1".into()],
            port,
            flavor: config::Flavor::Sphinx,
        };
        let configs = config::generate(&options).expect("configs");
        config::write(&configs).expect("write configs");
        let url = config::url(&options, &configs);
        let nodes = Nodes { configs, url };
        for c in nodes.configs.iter().rev() {
            let ok = Command::new("searchd")
                .arg("--config")
                .arg(&c.file)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "searchd --config {} failed", c.file.display());
            let started = Instant::now();
            while std::net::TcpStream::connect(("127.0.0.1", c.sql.port)).is_err() {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "node did not start"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        nodes
    }

    fn stop(&self) {
        for c in &self.configs {
            let pid_file = c.dir.join("searchd.pid");
            let Ok(pid) = std::fs::read_to_string(&pid_file) else {
                continue;
            };
            let pid = pid.trim();
            let _ = Command::new("kill").arg(pid).status();
            while Command::new("kill")
                .args(["-0", pid])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
            {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

impl Drop for Nodes {
    fn drop(&mut self) {
        self.stop();
    }
}
