//! The index as the server sees it: one open [`Podium`] shared by all requests, replaced when
//! `podium index` changes it (an update in place, or a `--rebuild` swapped in).
//!
//! **An index on disk.** Each request asks [`Live::get`]; that costs one `stat` of `meta.json`.
//! tantivy replaces `meta.json` atomically at every commit, and a rebuild renames a whole new
//! directory into place, so a new inode or modification time means a new commit. Requests in
//! flight keep the `Podium` they started with: its files stay readable (mapped) even after a
//! rebuild deletes them, so no request fails during a swap. While the index directory is
//! missing or cannot be opened (between the two renames of a swap), the previous commit goes on
//! serving.
//!
//! **A search cluster.** Every search asks the cluster itself, so new passages are found at
//! once; what a `podium index --engine` run also changes is the cluster's metadata row (roots,
//! speakers, time), which the open [`crate::engine::Cluster`] holds. At most once per
//! [`CLUSTER_CHECK`], a request reads that row (one lookup by id) and the cluster is opened
//! again when it changed. When the cluster cannot be reached, the current one is kept: its
//! searches fail with the engine's error by themselves, so nothing stale is ever shown.
//! `get` may then wait on the network, so it runs on the blocking pool with the search.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::ops::Podium;
use crate::Result;

/// How often a cluster's metadata is read, at most.
pub const CLUSTER_CHECK: Duration = Duration::from_secs(1);

/// What identifies one commit of the index on disk, and the identity table written just after
/// it (`podium index` renames it into place once the commit is visible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    modified: Option<SystemTime>,
    len: u64,
    identities: Option<(u64, Option<SystemTime>)>,
}

fn stamp(index: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(index.join("meta.json")).ok()?;
    let identities = std::fs::metadata(index.join(crate::index::identity::IDENTITY_FILE)).ok();
    Some(Stamp {
        inode: inode(&meta),
        modified: meta.modified().ok(),
        len: meta.len(),
        identities: identities.map(|m| (inode(&m), m.modified().ok())),
    })
}

fn inode(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    return std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    return 0;
}

/// Where the passages are, and how to tell that they changed.
enum Source {
    Index(PathBuf),
    Cluster {
        url: String,
        /// When the metadata was last read; held while it is read, so one request at a time
        /// does it.
        checked: Mutex<Instant>,
    },
}

struct Current {
    /// Of an index on disk only.
    stamp: Option<Stamp>,
    podium: Arc<Podium>,
}

/// The index at a path (or the cluster at a URL), reopened when it changes.
pub struct Live {
    source: Source,
    current: RwLock<Current>,
    /// One reopening at a time; the others go on with the current commit meanwhile.
    reopening: Mutex<()>,
}

impl Live {
    /// Opens the index at `path`; it must exist now.
    pub fn open(path: &Path) -> Result<Live> {
        let stamp = stamp(path);
        let podium = Podium::open(path)?;
        Ok(Live::new(Source::Index(path.to_path_buf()), stamp, podium))
    }

    /// Connects to the search cluster at `url`; it must answer now.
    pub fn open_cluster(url: &str) -> Result<Live> {
        let podium = Podium::open_cluster(url)?;
        let source = Source::Cluster {
            url: url.to_string(),
            checked: Mutex::new(Instant::now()),
        };
        Ok(Live::new(source, None, podium))
    }

    fn new(source: Source, stamp: Option<Stamp>, podium: Podium) -> Live {
        Live {
            source,
            current: RwLock::new(Current {
                stamp,
                podium: Arc::new(podium),
            }),
            reopening: Mutex::new(()),
        }
    }

    /// The newest commit (or cluster metadata) that can be opened.
    pub fn get(&self) -> Arc<Podium> {
        match &self.source {
            Source::Index(path) => self.newest_commit(path),
            Source::Cluster { url, checked } => self.newest_cluster(url, checked),
        }
    }

    fn newest_commit(&self, path: &Path) -> Arc<Podium> {
        let now = stamp(path);
        {
            let current = self.current();
            if now.is_none() || current.stamp == now {
                return current.podium.clone();
            }
        }
        let Ok(_one) = self.reopening.try_lock() else {
            return self.current().podium.clone();
        };
        match Podium::open(path) {
            Ok(podium) => self.replace(now, podium),
            // Half-way through a swap: the previous commit is still whole.
            Err(_) => self.current().podium.clone(),
        }
    }

    fn newest_cluster(&self, url: &str, checked: &Mutex<Instant>) -> Arc<Podium> {
        let podium = self.current().podium.clone();
        // Another request is reading the metadata: go on with the cluster as it was opened.
        let Ok(mut last) = checked.try_lock() else {
            return podium;
        };
        if last.elapsed() < CLUSTER_CHECK {
            return podium;
        }
        let changed = podium
            .cluster()
            .map(|c| matches!(c.is_current(), Ok(false)));
        *last = Instant::now();
        if changed != Some(true) {
            return podium;
        }
        match Podium::open_cluster(url) {
            Ok(podium) => self.replace(None, podium),
            // Mid-run (the metadata row is rewritten last), or the node just went down: the
            // searches themselves say so.
            Err(_) => podium,
        }
    }

    fn replace(&self, stamp: Option<Stamp>, podium: Podium) -> Arc<Podium> {
        let podium = Arc::new(podium);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        *current = Current {
            stamp,
            podium: podium.clone(),
        };
        podium
    }

    fn current(&self) -> std::sync::RwLockReadGuard<'_, Current> {
        self.current.read().unwrap_or_else(|e| e.into_inner())
    }
}
