//! Load benchmark for `podium serve`: concurrent clients over loopback for a bounded time, a
//! mixed query set, then the same again while `podium index --rebuild` runs beside it.
//!
//! ```text
//! cargo build --release && ./target/release/podium index CORPUS --index INDEX
//! cargo bench --bench serve_load -- --index INDEX [--corpus CORPUS] [--seconds 20] [--clients 1,8,32,128]
//! cargo bench --bench serve_load -- --engine sphinxql://HOST:PORT,…/TABLE [--seconds 20] [--clients …]
//! ```
//!
//! With `--engine`, the server serves that search cluster (`podium serve --engine`, filled
//! beforehand with `podium index CORPUS --engine URL`) instead of an index; `--corpus` (the
//! rebuild loop) is for an index only.
//!
//! The server is the release binary built with this benchmark (`podium serve --addr
//! 127.0.0.1:0`), started here and stopped by its PID. Each client is a thread with one
//! keep-alive HTTP/1.1 connection sending `GET /api/search?q=…&limit=10` (facets included, as
//! the page asks for them) from the query set, round robin from its own starting point, and
//! waiting for each answer before the next. With `--corpus`, every run is repeated while a
//! `podium index CORPUS --index INDEX --rebuild` loop runs, to count errors during swaps.
//!
//! Printed per run: requests, requests/s, p50 and p99 latency (ms, nearest rank), errors
//! (anything but 200, and broken connections) and the server's peak RSS (VmHWM is not reset
//! between runs, so the RSS column samples VmRSS every 100 ms). The clients run on the same
//! 2 cores as the server: their CPU is part of what is measured.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The latency benchmark's query classes, one or more of each: common and rare English
/// words, several words, phrases, Chinese words and phrases, Traditional Chinese, mixed
/// scripts, and filters by speaker and date (URL-encoded query strings).
const QUERIES: &[&str] = &[
    "q=china",
    "q=president",
    "q=methane",
    "q=hypersonic",
    "q=climate+change",
    "q=supply+chain+resilience",
    "q=%22trade+war%22",
    "q=%22one+china+principle%22",
    "q=%E4%B8%AD%E7%BE%8E",                            // 中美
    "q=%E5%91%BD%E8%BF%90%E5%85%B1%E5%90%8C%E4%BD%93", // 命运共同体
    "q=%22%E4%B8%80%E5%B8%A6%E4%B8%80%E8%B7%AF%22",    // "一带一路"
    "q=%E4%B8%AD%E7%BE%8E+%E8%B4%B8%E6%98%93",         // 中美 贸易
    "q=%E7%AB%8B%E6%B3%95%E6%9C%83",                   // 立法會
    "q=WTO+%E8%A7%84%E5%88%99",                        // WTO 规则
    "q=china&speaker=Zhao+Lijian",
    "q=china&from=2021&to=2021",
    "q=%E5%91%BD%E8%BF%90%E5%85%B1%E5%90%8C%E4%BD%93&from=2019-01&to=2020-06",
    "q=%22climate+change%22&speaker=John+Kirby&from=2022",
];

struct Args {
    index: PathBuf,
    engine: Option<String>,
    corpus: Option<PathBuf>,
    seconds: u64,
    clients: Vec<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut out = Args {
        index: PathBuf::new(),
        engine: None,
        corpus: None,
        seconds: 20,
        clients: vec![1, 8, 32, 128],
    };
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--index" => out.index = PathBuf::from(value()?),
            "--engine" => out.engine = Some(value()?),
            "--corpus" => out.corpus = Some(PathBuf::from(value()?)),
            "--seconds" => out.seconds = value()?.parse().map_err(|_| "--seconds N")?,
            "--clients" => {
                out.clients = value()?
                    .split(',')
                    .map(|n| n.trim().parse().map_err(|_| "--clients N,N,…".to_string()))
                    .collect::<Result<_, _>>()?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if out.index.as_os_str().is_empty() && out.engine.is_none() {
        return Err(
            "--index PATH or --engine URL is required (build it with `podium index CORPUS --index PATH`)".into(),
        );
    }
    if out.engine.is_some() && out.corpus.is_some() {
        return Err("--corpus (rebuilds during the runs) is for --index only".into());
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("serve_load: {e}");
            return ExitCode::from(2);
        }
    };
    let podium = env!("CARGO_BIN_EXE_podium");
    println!("podium serve load benchmark");
    match &args.engine {
        Some(url) => println!("  cluster: {url}"),
        None => println!("  index: {}", args.index.display()),
    }
    println!("  load average at start: {}", load_average());
    println!(
        "  {} queries, {} s per run, clients {:?}",
        QUERIES.len(),
        args.seconds,
        args.clients
    );
    let server = Server::start(podium, &args.index, args.engine.as_deref());
    println!("  server: {} (pid {})", server.addr, server.child.id());
    // Warm the page cache and the server before measuring.
    run(&server, 2, Duration::from_secs(2));
    println!();
    println!(
        "{:<22} {:>9} {:>9} {:>8} {:>8} {:>7} {:>9}",
        "run", "requests", "req/s", "p50 ms", "p99 ms", "errors", "RSS MB"
    );
    for &clients in &args.clients {
        let r = run(&server, clients, Duration::from_secs(args.seconds));
        r.print(&format!("{clients} clients"));
    }
    if let Some(corpus) = &args.corpus {
        for &clients in &args.clients {
            let stop = Arc::new(AtomicBool::new(false));
            let rebuilds = rebuild_loop(podium, corpus, &args.index, stop.clone());
            let r = run(&server, clients, Duration::from_secs(args.seconds));
            stop.store(true, Ordering::Relaxed);
            let rebuilt = rebuilds.join().unwrap_or(0);
            r.print(&format!("{clients} clients+rebuild"));
            println!("{:<22} ({rebuilt} rebuilds finished during the run)", "");
        }
    }
    println!();
    println!("  load average at end: {}", load_average());
    ExitCode::SUCCESS
}

/// `podium index CORPUS --index INDEX --rebuild`, again and again until `stop`.
fn rebuild_loop(
    podium: &'static str,
    corpus: &std::path::Path,
    index: &std::path::Path,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u32> {
    let (corpus, index) = (corpus.to_path_buf(), index.to_path_buf());
    std::thread::spawn(move || {
        let mut done = 0;
        while !stop.load(Ordering::Relaxed) {
            let status = Command::new(podium)
                .args(["index", "--quiet", "--rebuild", "--index"])
                .arg(&index)
                .arg(&corpus)
                .stdout(Stdio::null())
                .status();
            if status.is_ok_and(|s| s.success() || s.code() == Some(1)) {
                done += 1;
            }
        }
        done
    })
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(podium: &str, index: &std::path::Path, engine: Option<&str>) -> Server {
        let mut command = Command::new(podium);
        command.args(["serve", "--addr", "127.0.0.1:0"]);
        match engine {
            Some(url) => command.args(["--engine", url]),
            None => command.arg("--index").arg(index),
        };
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("podium serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's first line");
        let addr = line
            .trim()
            .rsplit_once("http://")
            .map(|(_, a)| a.trim_end_matches('/').to_string())
            .unwrap_or_else(|| panic!("podium serve did not start: {line:?}"));
        Server { child, addr }
    }

    fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
    rss_mb: f64,
}

impl Outcome {
    fn print(&self, name: &str) {
        let mut l = self.latencies.clone();
        l.sort();
        let pct = |p: f64| {
            if l.is_empty() {
                return 0.0;
            }
            let i = ((p * l.len() as f64).ceil() as usize).clamp(1, l.len()) - 1;
            l[i].as_secs_f64() * 1e3
        };
        println!(
            "{name:<22} {:>9} {:>9.0} {:>8.1} {:>8.1} {:>7} {:>9.0}",
            l.len(),
            l.len() as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            self.errors,
            self.rss_mb
        );
    }
}

/// `clients` threads sending requests for `duration`.
fn run(server: &Server, clients: usize, duration: Duration) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let (addr, stop) = (server.addr.clone(), stop.clone());
            std::thread::spawn(move || client(&addr, i, &stop))
        })
        .collect();
    let mut rss: f64 = 0.0;
    while started.elapsed() < duration {
        rss = rss.max(server.rss_mb());
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    let mut out = Outcome {
        latencies: Vec::new(),
        errors: 0,
        elapsed: started.elapsed(),
        rss_mb: rss,
    };
    for h in handles {
        let (latencies, errors) = h.join().expect("a client thread");
        out.latencies.extend(latencies);
        out.errors += errors;
    }
    out
}

/// One connection, requests one after another; reconnects after an error.
fn client(addr: &str, first: usize, stop: &AtomicBool) -> (Vec<Duration>, usize) {
    let (mut latencies, mut errors) = (Vec::new(), 0);
    let mut conn: Option<BufReader<TcpStream>> = None;
    let mut i = first;
    while !stop.load(Ordering::Relaxed) {
        let query = QUERIES[i % QUERIES.len()];
        i += 1;
        let started = Instant::now();
        let stream = match conn.take() {
            Some(c) => c,
            None => match TcpStream::connect(addr) {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    BufReader::new(s)
                }
                Err(_) => {
                    errors += 1;
                    continue;
                }
            },
        };
        match get(stream, addr, query) {
            Ok((200, stream)) => {
                latencies.push(started.elapsed());
                conn = Some(stream);
            }
            Ok((_, stream)) => {
                errors += 1;
                conn = Some(stream);
            }
            Err(_) => errors += 1,
        }
    }
    (latencies, errors)
}

/// `GET /api/search?QUERY&limit=10` on a kept-alive connection: the status, and the
/// connection for the next request.
fn get(
    mut conn: BufReader<TcpStream>,
    addr: &str,
    query: &str,
) -> std::io::Result<(u16, BufReader<TcpStream>)> {
    write!(
        conn.get_mut(),
        "GET /api/search?{query}&limit=10 HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok((status, conn))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
