//! One indexer at a time: a lock held in the cluster itself, as rows of shard 0, so that two
//! `podium index --engine` runs on any machines never interleave their writes.
//!
//! Sphinx 2.2 has no transaction and no atomic test-and-set: `INSERT` refuses an id that is
//! already there, but two INSERTs of the same id at the same moment may both succeed (the check
//! and the write are separate steps in the engine; several winners out of eight concurrent
//! INSERTs were seen on 2.2.11). So the lock is taken by *announce, then look*:
//! each indexer writes a row of its own (its own id) and then reads all lock rows. Every write
//! and read is atomic on its own, so of two indexers that overlap, the later reader sees the
//! other's row; an indexer that sees any row but its own withdraws its row and stops. At most
//! one goes on (two that start at the same moment may both stop; running again settles it).
//!
//! A lock left behind is taken over: one of a process that is gone (same host, its pid no
//! longer running: a crash, Ctrl-C, a kill) at once, and any other once it has shown no sign of
//! life for [`STALE_AFTER`] (the holder renews its row every [`HEARTBEAT`] while it runs). The
//! lock is released when the run ends, also on errors.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::sql::{literal, num, Conn, SqlResult};
use super::{engine_error, EngineUrl};
use crate::date::Date;
use crate::{Error, Result};

/// The `kind` of lock rows.
pub const LOCK: u32 = 4;
/// Lock rows have ids above every file's (file bases stay below 2^62; see `ingest`).
const FIRST_ID: u64 = (1 << 62) + (1 << 32);
/// How often the holder renews its row.
pub const HEARTBEAT: Duration = Duration::from_secs(60);
/// A lock not renewed for this long belongs to a run that is gone.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// Who holds a lock: what its row says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Holder {
    host: String,
    pid: u32,
    /// When the run took the lock, and when it last renewed it (seconds since 1970, UTC).
    since: u64,
    seen: u64,
}

impl Holder {
    fn describe(&self) -> String {
        format!(
            "pid {} on {}, since {} UTC",
            self.pid,
            self.host,
            utc(self.since)
        )
    }

    /// Why the lock may be taken over, if it may.
    fn stale(&self, host: &str, now: u64) -> Option<String> {
        if self.host == host && !process_alive(self.pid) {
            return Some(format!(
                "took over the cluster's index lock of a run that is gone ({}): files it left half-written are repaired",
                self.describe()
            ));
        }
        let silent = now.saturating_sub(self.seen);
        (silent >= STALE_AFTER.as_secs()).then(|| {
            format!(
                "took over the cluster's index lock of a run that gave no sign of life for {} minutes ({}): files it left half-written are repaired",
                silent / 60,
                self.describe()
            )
        })
    }
}

/// The cluster's index lock, held until dropped.
pub struct ClusterLock {
    conn: Conn,
    table: String,
    id: u64,
    holder: Holder,
    renewed: Instant,
}

impl ClusterLock {
    /// Takes the lock of the cluster at `url` (through its own connection to node 0), taking
    /// over stale locks; `notes` gets a line for each lock taken over.
    pub fn acquire(url: &EngineUrl, notes: &mut Vec<String>) -> Result<ClusterLock> {
        let err = |e| engine_error(url, e);
        let mut conn = Conn::open(&url.nodes[0]).map_err(err)?;
        let table = url.shard_table(0);
        let now = now();
        let host = host_name();
        let holder = Holder {
            host: host.clone(),
            pid: std::process::id(),
            since: now,
            seen: now,
        };
        for (id, other) in read(&mut conn, &table).map_err(err)? {
            match other.as_ref().and_then(|h| h.stale(&host, now)) {
                Some(note) => {
                    conn.exec(&format!("DELETE FROM {table} WHERE id = {id}"))
                        .map_err(err)?;
                    notes.push(note);
                }
                None => return Err(busy(url, id, other.as_ref())),
            }
        }
        let nonce = format!("{host} {} {:?}", holder.pid, SystemTime::now());
        let id = FIRST_ID + crate::corpus::content_hash(nonce.as_bytes()) % (1 << 60);
        let mut lock = ClusterLock {
            conn,
            table,
            id,
            holder,
            renewed: Instant::now(),
        };
        lock.announce(url)?;
        Ok(lock)
    }

    /// Writes this run's row, then looks: any other row means another indexer overlaps this
    /// one, and this one stops (dropping the lock withdraws its row).
    fn announce(&mut self, url: &EngineUrl) -> Result<()> {
        let err = |e| engine_error(url, e);
        self.write().map_err(err)?;
        let rows = read(&mut self.conn, &self.table).map_err(err)?;
        match rows.iter().find(|(row, _)| *row != self.id) {
            Some((id, other)) => Err(busy(url, *id, other.as_ref())),
            None => Ok(()),
        }
    }

    /// Renews the lock's row if [`HEARTBEAT`] has passed, so that other indexers see it is
    /// alive, and looks again: a run that stalled so long that another took its lock over stops.
    pub fn renew(&mut self, url: &EngineUrl) -> Result<()> {
        if self.renewed.elapsed() < HEARTBEAT {
            return Ok(());
        }
        self.holder.seen = now();
        self.renewed = Instant::now();
        self.announce(url)
    }

    /// Takes the lock again after `--rebuild` emptied shard 0 and its row with it: another
    /// indexer may have come in meanwhile.
    pub fn restore(&mut self, url: &EngineUrl) -> Result<()> {
        self.announce(url)
    }

    fn write(&mut self) -> SqlResult<()> {
        let json = serde_json::to_string(&self.holder).expect("a lock holder serializes");
        self.conn.exec(&format!(
            "REPLACE INTO {} (id, kind, text) VALUES ({}, {LOCK}, {})",
            self.table,
            self.id,
            literal(&json)
        ))
    }
}

impl Drop for ClusterLock {
    fn drop(&mut self) {
        // A failure here (the node gone) leaves the row, which the next run takes over.
        let _ = self.conn.exec(&format!(
            "DELETE FROM {} WHERE id = {}",
            self.table, self.id
        ));
    }
}

/// The lock rows of shard 0: id and holder (`None`: a row podium cannot read, which is
/// never taken over).
fn read(conn: &mut Conn, table: &str) -> SqlResult<Vec<(u64, Option<Holder>)>> {
    let rows = conn.rows(&format!(
        "SELECT id, text FROM {table} WHERE kind = {LOCK} LIMIT 100"
    ))?;
    Ok(rows
        .iter()
        .map(|row| {
            let holder = row.get(1).and_then(|t| serde_json::from_str(t).ok());
            (num(row, 0), holder)
        })
        .collect())
}

fn busy(url: &EngineUrl, id: u64, holder: Option<&Holder>) -> Error {
    let who = holder.map_or_else(
        || {
            format!(
                "a lock row podium cannot read; if no indexer runs, remove it with `DELETE FROM {} WHERE id = {id}` on {}",
                url.shard_table(0),
                url.nodes[0]
            )
        },
        Holder::describe,
    );
    Error::Engine(format!(
        "another `podium index` is writing to the cluster at {url} ({who}); wait for it to finish. A lock whose run is gone is taken over: at once on the same host, after {} minutes without a sign of life from another host",
        STALE_AFTER.as_secs() / 60
    ))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970 (UTC).
fn utc(secs: u64) -> String {
    let day = Date::from_days((secs / 86_400) as i64).map_or_else(|| "?".into(), |d| d.to_string());
    let s = secs % 86_400;
    format!("{day} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// This machine's name, as other indexers will see it in the lock.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "an unnamed host".into())
}

/// Whether a process of this host is running. Where that cannot be told (no `/proc`), it is
/// taken to be, and only [`STALE_AFTER`] frees its lock.
fn process_alive(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_stale_when_its_process_is_gone_or_silent() {
        let now = 1_800_000_000;
        let me = Holder {
            host: "here".into(),
            pid: std::process::id(),
            since: now - 100,
            seen: now - 10,
        };
        assert_eq!(me.stale("here", now), None);
        // Another host's pid says nothing here.
        let far = Holder {
            host: "there".into(),
            pid: u32::MAX,
            ..me.clone()
        };
        assert_eq!(far.stale("here", now), None);
        let gone = Holder {
            pid: u32::MAX,
            ..me.clone()
        };
        assert!(gone.stale("here", now).unwrap().contains("gone"));
        let silent = Holder {
            seen: now - STALE_AFTER.as_secs(),
            ..far
        };
        assert!(silent.stale("here", now).unwrap().contains("15 minutes"));
    }

    #[test]
    fn times_are_written_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(1_796_000_000), "2026-11-30 00:53:20");
    }
}
