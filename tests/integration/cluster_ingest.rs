//! Indexing into a search cluster when runs go wrong: a run stopped in the middle of a file is
//! repaired by the next one, and a second indexer is kept out by the cluster's lock (a lock of a
//! run that is gone is taken over). The states a stopped run leaves are written by SQL, then
//! the cluster is compared with the embedded index. Skipped where `searchd` is not installed.

use std::path::Path;

use mysql::prelude::Queryable;
use podium::engine::{self, Cluster, EngineUrl};
use podium::index;
use podium::search::{SearchRequest, Searcher};

use crate::cluster::{podium, TestCluster};
use crate::harness::Fixture;

/// Lock rows: `kind` 4 on shard 0, ids from 2^62 + 2^32 (above every file's).
const LOCK_ID: u64 = (1 << 62) + (1 << 32) + 7;

/// A SphinxQL connection to node `node` of the cluster.
fn node(cluster: &TestCluster, node: usize) -> mysql::Conn {
    let opts = mysql::OptsBuilder::new()
        .ip_or_hostname(Some("127.0.0.1"))
        .tcp_port(cluster.port + 2 * node as u16)
        .prefer_socket(false)
        .max_allowed_packet(Some(8 << 20))
        .stmt_cache_size(Some(0));
    mysql::Conn::new(opts).expect("a connection to the test cluster")
}

fn corpus() -> Fixture {
    let files: Vec<(String, String)> = (0..8)
        .map(|i| {
            (
                format!("f{i}.txt"),
                format!("Date: 2022-05-{:02}\n\nWANG WENBIN: Remarks {i} on trade and 中美关系.\n\nQ: Question {i} on tariffs and 命运共同体?\n\nWANG WENBIN: The answer {i} on sanctions.\n\nQ: A follow-up {i}.\n", i + 1),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    Fixture::new(&pairs)
}

fn index_cluster(root: &Path, url: &EngineUrl, idx: &Path) -> index::IndexReport {
    engine::index_roots(&[root.to_path_buf()], url, &index::IndexOptions::new(idx))
        .unwrap_or_else(|e| panic!("indexing into the cluster: {e}"))
}

/// Totals, hits and facets of a few searches, and the file and passage counts, must be those of
/// the embedded index.
fn assert_same_as_embedded(url: &EngineUrl, idx: &Path) {
    let searcher = Searcher::open(idx).unwrap();
    let engine = Cluster::open(url).unwrap();
    for q in [
        "trade",
        "tariffs",
        "命运共同体",
        "answer OR remarks",
        "\"follow up\"",
        "stray",
    ] {
        let mut r = SearchRequest::new(q);
        r.limit = 1000;
        r.collapse = false;
        let (got, want) = (engine.search(&r).unwrap(), searcher.search(&r).unwrap());
        let keys = |r: &podium::search::SearchResults| {
            let mut k: Vec<(String, u64)> = r
                .hits
                .iter()
                .map(|h| (h.path.clone(), h.paragraph))
                .collect();
            k.sort();
            k
        };
        assert_eq!((got.total, keys(&got)), (want.total, keys(&want)), "{q}");
        assert_eq!(
            format!("{:?}", got.facets),
            format!("{:?}", want.facets),
            "{q}"
        );
    }
    let (got, want) = (engine.stats().unwrap(), searcher.stats().unwrap());
    assert_eq!((got.files, got.passages), (want.files, want.passages));
}

/// The base id and passage count of a file's record, and its shard.
fn record(cluster: &TestCluster, key: &str) -> (usize, u64, u64) {
    for shard in 0..cluster.nodes {
        let rows: Vec<(u64, u64)> = node(cluster, shard)
            .query(format!(
                "SELECT id, paragraph FROM podium_{shard} WHERE kind = 1 AND file = '{key}'"
            ))
            .unwrap();
        if let Some(&(base, passages)) = rows.first() {
            return (shard, base, passages);
        }
    }
    panic!("no record of {key}");
}

#[test]
fn a_run_stopped_inside_files_is_repaired_by_the_next_run() {
    let Some(cluster) = TestCluster::start("a_run_stopped_inside_files", 2) else {
        return;
    };
    let f = corpus();
    let (root, idx) = (f.corpus(), f.dir.path().join("idx"));
    let url = EngineUrl::parse(&cluster.url).unwrap();
    index::index_roots(std::slice::from_ref(&root), &index::IndexOptions::new(&idx)).unwrap();
    index_cluster(&root, &url, &idx);
    assert_same_as_embedded(&url, &idx);

    // f2.txt changes to fewer passages, and a run stops while writing it: its pending record
    // spans the old ids, its first new passage is written, an old one is deleted and an old one
    // is left. f5.txt stops earlier: pending record written, a stray passage beyond it, one
    // passage deleted, the rest as they were.
    f.write(
        "f2.txt",
        "Date: 2022-05-03\n\nWANG WENBIN: A shorter text on stray tariffs.\n".as_bytes(),
    );
    for (key, stray_at) in [("0/f2.txt", 1), ("0/f5.txt", 6)] {
        let (shard, base, passages) = record(&cluster, key);
        assert_eq!(passages, 4);
        let mut conn = node(&cluster, shard);
        let table = format!("podium_{shard}");
        conn.query_drop(format!(
            "REPLACE INTO {table} (id, kind, file, root, paragraph, size, mtime, hash) VALUES ({base}, 3, '{key}', 0, 6, 1, 1, 1)"
        ))
        .unwrap();
        conn.query_drop(format!(
            "REPLACE INTO {table} (id, exact, words, tags, kind, text, speaker, role, lang, path, paragraph, day, year) VALUES ({}, 'stray', 'stray', 'langen roleanswer', 0, 'Stray.', 'WANG WENBIN', 'answer', 'en', '{}', {}, 20220503, 2022)",
            base + stray_at,
            key.trim_start_matches("0/"),
            stray_at - 1
        ))
        .unwrap();
        conn.query_drop(format!("DELETE FROM {table} WHERE id = {}", base + 3))
            .unwrap();
    }
    // What a reader sees in between is wrong, and the check below can tell.
    let engine = Cluster::open(&url).unwrap();
    let stray = engine.search(&SearchRequest::new("stray")).unwrap();
    assert_eq!(stray.total, 2, "{:?}", stray.hits);
    drop(engine);

    index::index_roots(std::slice::from_ref(&root), &index::IndexOptions::new(&idx)).unwrap();
    let report = index_cluster(&root, &url, &idx);
    assert_eq!(
        (report.files_indexed, report.unchanged),
        (2, 6),
        "{report:?}"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("stopped while writing 2 files")),
        "{:?}",
        report.notes
    );
    assert_same_as_embedded(&url, &idx);
    assert_eq!(record(&cluster, "0/f2.txt").2, 1);

    // Repaired for good: the next run has nothing to do.
    let report = index_cluster(&root, &url, &idx);
    assert_eq!(
        (report.files_indexed, report.unchanged),
        (0, 8),
        "{report:?}"
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn hold_lock(cluster: &TestCluster, host: &str, pid: u32, seen: u64) {
    node(cluster, 0)
        .query_drop(format!(
            r#"REPLACE INTO podium_0 (id, kind, text) VALUES ({LOCK_ID}, 4, '{{"host":"{host}","pid":{pid},"since":{seen},"seen":{seen}}}')"#
        ))
        .unwrap();
}

fn lock_rows(cluster: &TestCluster) -> Vec<(u64, String)> {
    node(cluster, 0)
        .query("SELECT id, text FROM podium_0 WHERE kind = 4")
        .unwrap()
}

#[test]
fn a_second_indexer_is_turned_away_while_the_first_holds_the_lock() {
    if !cfg!(target_os = "linux") {
        return; // a live pid of this host is told from /proc
    }
    let Some(cluster) = TestCluster::start("a_second_indexer_is_turned_away", 2) else {
        return;
    };
    let f = corpus();
    let dir = f.dir.path();
    let root = f.corpus();
    let index = |dir: &Path| {
        podium(
            dir,
            &[
                "index",
                root.to_str().unwrap(),
                "--engine",
                &cluster.url,
                "--quiet",
            ],
            None,
        )
    };
    let first = index(dir);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        lock_rows(&cluster).is_empty(),
        "the lock is released at the end"
    );

    // This test process stands for a live indexer of this host.
    let me = std::process::id();
    hold_lock(&cluster, &host(), me, now());
    f.write("f1.txt", b"Date: 2022-06-01\n\nQ: A changed question?\n");
    let second = index(dir);
    assert_eq!(second.code, 2, "{}", second.stdout);
    for words in [
        "another `podium index` is writing to the cluster",
        &format!("pid {me} on {}", host()),
        "since ",
        "wait for it to finish",
    ] {
        assert!(second.stderr.contains(words), "{words}: {}", second.stderr);
    }
    // It wrote nothing, and withdrew from the lock.
    assert_eq!(lock_rows(&cluster).len(), 1);
    let got = Cluster::open(&EngineUrl::parse(&cluster.url).unwrap())
        .unwrap()
        .search(&SearchRequest::new("changed"))
        .unwrap();
    assert_eq!(got.total, 0);

    // A lock whose process is gone is taken over, and the run says so.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    hold_lock(&cluster, &host(), dead, now());
    let third = index(dir);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(
        third.stderr.contains("took over the cluster's index lock")
            && third.stderr.contains(&format!("pid {dead}")),
        "{}",
        third.stderr
    );
    assert!(lock_rows(&cluster).is_empty());

    // So is a lock of another host that has shown no sign of life for a long time; one that
    // has is not.
    hold_lock(&cluster, "elsewhere", me, now() - 16 * 60);
    let fourth = index(dir);
    assert_eq!(fourth.code, 0, "{}", fourth.stderr);
    assert!(
        fourth.stderr.contains("no sign of life for 16 minutes"),
        "{}",
        fourth.stderr
    );
    hold_lock(&cluster, "elsewhere", me, now() - 60);
    let fifth = index(dir);
    assert_eq!(fifth.code, 2, "{}", fifth.stderr);
    assert!(fifth.stderr.contains("on elsewhere"), "{}", fifth.stderr);

    // A row podium cannot read is never taken over; the message says how to remove it.
    node(&cluster, 0)
        .query_drop(format!(
            "REPLACE INTO podium_0 (id, kind, text) VALUES ({LOCK_ID}, 4, 'not a holder')"
        ))
        .unwrap();
    let sixth = index(dir);
    assert_eq!(sixth.code, 2, "{}", sixth.stderr);
    assert!(
        sixth
            .stderr
            .contains(&format!("DELETE FROM podium_0 WHERE id = {LOCK_ID}")),
        "{}",
        sixth.stderr
    );
}
