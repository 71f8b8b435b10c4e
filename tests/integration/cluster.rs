//! A Sphinx cluster for tests: nodes started with `searchd` from the configs `podium engine
//! config` writes into a temporary folder, on free loopback ports, and stopped by their pids when
//! the cluster is dropped (also when a test fails).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Run;

pub struct TestCluster {
    pub dir: tempfile::TempDir,
    pub nodes: usize,
    pub port: u16,
    pub url: String,
}

/// Whether `searchd` can run here; when not, says why on stderr (the test is then skipped).
pub fn searchd_available(test: &str) -> bool {
    let found = Command::new("searchd")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        eprintln!(
            "skipping {test}: searchd is not installed (apt-get install sphinxsearch; .ci/run does)"
        );
    }
    found
}

/// A port `p` such that `p..p + 2 * nodes` are all free on the loopback.
fn free_ports(nodes: usize) -> u16 {
    for _ in 0..200 {
        let Ok(first) = TcpListener::bind("127.0.0.1:0") else {
            continue;
        };
        let p = first.local_addr().unwrap().port();
        if u32::from(p) + 2 * nodes as u32 >= 65_535 {
            continue;
        }
        let rest: Vec<_> = (1..2 * nodes as u16)
            .map(|i| TcpListener::bind(("127.0.0.1", p + i)))
            .collect();
        if rest.iter().all(Result::is_ok) {
            return p;
        }
    }
    panic!("no free loopback ports for a test cluster");
}

impl TestCluster {
    /// `nodes` nodes, started, with empty tables; `None` when searchd is missing. The ports are
    /// free when chosen, but another process may take one before searchd binds it: then the
    /// nodes are stopped and started again on other ports.
    pub fn start(test: &str, nodes: usize) -> Option<TestCluster> {
        if !searchd_available(test) {
            return None;
        }
        let mut failures = Vec::new();
        for _ in 0..3 {
            let cluster = TestCluster::configure(nodes);
            // Agents first: node 0 asks them.
            match (0..nodes).rev().try_for_each(|i| cluster.start_node(i)) {
                Ok(()) => return Some(cluster),
                Err(why) => failures.push(why),
            }
        }
        panic!("a test cluster did not start: {failures:?}");
    }

    /// Configs for `nodes` nodes on free ports, in a new temporary folder.
    fn configure(nodes: usize) -> TestCluster {
        let dir = tempfile::tempdir().unwrap();
        let port = free_ports(nodes);
        let run = podium(
            dir.path(),
            &[
                "engine",
                "config",
                "--nodes",
                &nodes.to_string(),
                "--data",
                "cluster",
                "--port",
                &port.to_string(),
            ],
            None,
        );
        assert_eq!(run.code, 0, "engine config failed: {}", run.stderr);
        let hosts: Vec<String> = (0..nodes)
            .map(|i| format!("127.0.0.1:{}", port + 2 * i as u16))
            .collect();
        let url = format!("sphinxql://{}/podium", hosts.join(","));
        assert!(run.stdout.contains(&url), "{}", run.stdout);
        TestCluster {
            dir,
            nodes,
            port,
            url,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("cluster")
    }

    fn pid_file(&self, node: usize) -> PathBuf {
        self.data().join(format!("node{node}/searchd.pid"))
    }

    pub fn query_log(&self, node: usize) -> PathBuf {
        self.data().join(format!("node{node}/query.log"))
    }

    /// Starts a node (again) and waits until it listens; the reason if it does not.
    pub fn start_node(&self, node: usize) -> Result<(), String> {
        let conf = self.data().join(format!("node{node}.conf"));
        let out = Command::new("searchd")
            .arg("--config")
            .arg(&conf)
            .output()
            .expect("searchd runs");
        if !out.status.success() {
            return Err(format!(
                "searchd --config {} failed: {}",
                conf.display(),
                String::from_utf8_lossy(&out.stdout)
            ));
        }
        let port = self.port + 2 * node as u16;
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() || !self.pid_file(node).exists() {
            if started.elapsed() > Duration::from_secs(20) {
                let log =
                    std::fs::read_to_string(self.data().join(format!("node{node}/searchd.log")));
                return Err(format!(
                    "node {node} did not start listening on {port}: {}",
                    log.unwrap_or_default()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// Stops a node by the pid in its pid file, and waits until it is gone.
    pub fn stop_node(&self, node: usize) {
        let Ok(pid) = std::fs::read_to_string(self.pid_file(node)) else {
            return;
        };
        let pid = pid.trim().to_string();
        let alive = || {
            Command::new("kill")
                .args(["-0", &pid])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        let _ = Command::new("kill").arg(&pid).status();
        let started = Instant::now();
        while alive() {
            if started.elapsed() > Duration::from_secs(10) {
                let _ = Command::new("kill").args(["-9", &pid]).status();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = std::fs::remove_file(self.pid_file(node));
    }

    /// Runs one SphinxQL statement on a node, as text rows (a statement without rows: none).
    pub fn sql(&self, node: usize, statement: &str) -> Vec<Vec<String>> {
        use mysql::prelude::Queryable;
        let opts = mysql::OptsBuilder::new()
            .ip_or_hostname(Some("127.0.0.1"))
            .tcp_port(self.port + 2 * node as u16)
            .prefer_socket(false)
            .stmt_cache_size(Some(0));
        let mut conn = mysql::Conn::new(opts).expect("a SphinxQL connection");
        let rows: Vec<mysql::Row> = conn
            .query(statement)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        rows.into_iter()
            .map(|r| {
                r.unwrap()
                    .into_iter()
                    .map(|v| match v {
                        mysql::Value::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
                        mysql::Value::NULL => String::new(),
                        other => other.as_sql(true),
                    })
                    .collect()
            })
            .collect()
    }

    /// podium with `PODIUM_ENGINE` set to this cluster.
    pub fn podium(&self, dir: &Path, args: &[&str]) -> Run {
        podium(dir, args, Some(&self.url))
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        for node in 0..self.nodes {
            self.stop_node(node);
        }
    }
}

/// Runs podium in `dir` with a clean environment (and `PODIUM_ENGINE` if given).
pub fn podium(dir: &Path, args: &[&str], engine: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podium"));
    cmd.env_clear().current_dir(dir).args(args);
    if let Some(url) = engine {
        cmd.env("PODIUM_ENGINE", url);
    }
    let out = cmd.output().expect("podium runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
