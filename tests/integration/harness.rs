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
