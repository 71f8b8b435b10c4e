//! The index as the server sees it: one open [`Podium`] shared by all requests, replaced when
//! `podium index` commits (an update in place, or a `--rebuild` swapped in).
//!
//! Each request asks [`Live::get`]; that costs one `stat` of `meta.json`. tantivy replaces
//! `meta.json` atomically at every commit, and a rebuild renames a whole new directory into
//! place, so a new inode or modification time means a new commit. Requests in flight keep the
//! `Podium` they started with: its files stay readable (mapped) even after a rebuild deletes
//! them, so no request fails during a swap. While the index directory is missing or cannot be
//! opened (between the two renames of a swap), the previous commit goes on serving.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use crate::ops::Podium;
use crate::Result;

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

struct Current {
    stamp: Option<Stamp>,
    podium: Arc<Podium>,
}

/// The index at a path, reopened when it changes.
pub struct Live {
    path: PathBuf,
    current: RwLock<Current>,
    /// One reopening at a time; the others go on with the current commit meanwhile.
    reopening: Mutex<()>,
}

impl Live {
    /// Opens the index at `path`; it must exist now.
    pub fn open(path: &Path) -> Result<Live> {
        let stamp = stamp(path);
        let podium = Arc::new(Podium::open(path)?);
        Ok(Live {
            path: path.to_path_buf(),
            current: RwLock::new(Current { stamp, podium }),
            reopening: Mutex::new(()),
        })
    }

    /// The newest commit that can be opened.
    pub fn get(&self) -> Arc<Podium> {
        let now = stamp(&self.path);
        {
            let current = self.current.read().unwrap_or_else(|e| e.into_inner());
            if now.is_none() || current.stamp == now {
                return current.podium.clone();
            }
        }
        let Ok(_one) = self.reopening.try_lock() else {
            return self.current().podium.clone();
        };
        match Podium::open(&self.path) {
            Ok(podium) => {
                let podium = Arc::new(podium);
                let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
                *current = Current {
                    stamp: now,
                    podium: podium.clone(),
                };
                podium
            }
            // Half-way through a swap: the previous commit is still whole.
            Err(_) => self.current().podium.clone(),
        }
    }

    fn current(&self) -> std::sync::RwLockReadGuard<'_, Current> {
        self.current.read().unwrap_or_else(|e| e.into_inner())
    }
}
