//! A temporary corpus and index, and a way to run `podium` on them with a clean environment.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A corpus of `(relative path, contents)` pairs under `<tmp>/corpus`.
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        for (path, contents) in files {
            f.write(path, contents.as_bytes());
        }
        f
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.corpus().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index_path(&self) -> PathBuf {
        self.dir.path().join("idx")
    }

    /// Runs podium in the fixture directory with `--index` pointing at the fixture's index.
    pub fn podium(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args, &self.index_path())
    }

    /// `podium index corpus`, asserting success.
    pub fn indexed(self) -> Fixture {
        let run = self.podium(&["index", "corpus"]);
        assert_eq!(run.code, 0, "index failed:\n{}\n{}", run.stdout, run.stderr);
        self
    }

    /// `podium search ARGS --json`, returning the JSON.
    pub fn search(&self, args: &[&str]) -> Value {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        let run = self.podium(&all);
        assert!(
            run.code == 0 || run.code == 1,
            "search {args:?} failed ({}): {}",
            run.code,
            run.stderr
        );
        run.json()
    }

    /// The hits of a search as `(path, paragraph)` pairs, in rank order.
    pub fn hits(&self, args: &[&str]) -> Vec<(String, u64)> {
        hit_keys(&self.search(args))
    }

    /// The speakers of a search's hits, in rank order.
    pub fn speakers(&self, args: &[&str]) -> Vec<String> {
        self.search(args)["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["speaker"].as_str().unwrap_or("-").to_string())
            .collect()
    }
}

/// The hits of `podium search --json` output as `(path, paragraph)` pairs, in rank order.
pub fn hit_keys(results: &Value) -> Vec<(String, u64)> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["paragraph"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn run_in(dir: &Path, args: &[&str], index: &Path) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podium"));
    cmd.env_clear().current_dir(dir).args(args);
    // Subcommands that take an index get it through the environment, as users may set it.
    cmd.env("PODIUM_INDEX", index);
    let out = cmd.output().expect("podium runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Fails with a readable diff of two lists.
#[track_caller]
pub fn assert_same<T: std::fmt::Debug + PartialEq>(got: &[T], want: &[T], context: &str) {
    if got != want {
        let missing: Vec<&T> = want.iter().filter(|w| !got.contains(w)).collect();
        let extra: Vec<&T> = got.iter().filter(|g| !want.contains(g)).collect();
        panic!("{context}\n  missing: {missing:?}\n  extra:   {extra:?}\n  got:  {got:?}\n  want: {want:?}");
    }
}

/// `podium serve` on a free loopback port over a fixture's index; stopped (by its PID) when
/// dropped.
pub struct Server {
    child: Option<std::process::Child>,
    pub addr: String,
}

impl Server {
    pub fn start(f: &Fixture) -> Server {
        Server::start_with(f, &["--addr", "127.0.0.1:0"])
    }

    /// Starts `podium serve ARGS` and waits for the line that says where it listens.
    pub fn start_with(f: &Fixture, args: &[&str]) -> Server {
        use std::io::BufRead;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_podium"));
        cmd.env_clear()
            .current_dir(f.dir.path())
            .arg("serve")
            .args(args)
            .env("PODIUM_INDEX", f.index_path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("podium serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reading the server's first line");
        let Some((_, addr)) = line.trim().rsplit_once("http://") else {
            let _ = child.kill();
            let out = child.wait_with_output().expect("server output");
            panic!(
                "podium serve did not say where it listens: {line:?}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        };
        Server {
            addr: addr.trim_end_matches('/').to_string(),
            child: Some(child),
        }
    }

    pub fn client(&self) -> Client {
        Client {
            addr: self.addr.clone(),
        }
    }

    /// `GET path` (with its query string).
    pub fn get(&self, path: &str) -> Response {
        self.client().get(path)
    }

    pub fn request(&self, method: &str, path: &str) -> Response {
        self.client().request(method, path)
    }

    /// Stops the server (by its PID) and returns what it wrote on stderr.
    pub fn stop(mut self) -> String {
        let mut child = self.child.take().expect("a running server");
        let _ = child.kill();
        let out = child.wait_with_output().expect("server output");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Requests to a server, from any thread.
#[derive(Clone)]
pub struct Client {
    pub addr: String,
}

impl Client {
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// One HTTP/1.1 request on a fresh connection, read to the end.
    pub fn request(&self, method: &str, path: &str) -> Response {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.addr).expect("connecting to podium");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("reading the answer");
        Response::parse(&raw)
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]);
        let body = raw.get(split + 4..).unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            dechunk(body)
        } else {
            body.to_vec()
        };
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&body[..eol]);
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let rest = &body[eol + 2..];
        if n == 0 || rest.len() < n {
            break;
        }
        out.extend_from_slice(&rest[..n]);
        body = rest[n..].strip_prefix(b"\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// A small deterministic generator: generated cases are the same on every run.
pub struct Lcg(pub u64);

impl Lcg {
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}
