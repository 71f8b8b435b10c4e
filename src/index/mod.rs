//! The index on disk: opening and creating it ([`PodiumIndex`]), and writing transcripts into it
//! ([`writer`]).
//!
//! A podium index is a tantivy index whose commit payload carries podium's own metadata
//! ([`IndexMeta`]): the format version and the indexed roots. The payload is written atomically
//! with each commit, so the metadata always describes the documents that are visible.

pub mod identity;
pub mod schema;
pub mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::{Index, TantivyError};

use crate::{Error, Result};
pub use identity::Identities;
pub use schema::Fields;
pub use writer::{index_roots, IndexOptions, IndexReport, Progress};

/// The hash that tells identical passages apart: stable across runs and platforms (SipHash with
/// fixed keys, as for file contents).
pub fn text_hash(text: &str) -> u64 {
    crate::corpus::content_hash(text.as_bytes())
}

/// Bump when parsing or analysis changes what gets indexed: an index of another format is
/// refused with a message to rebuild, never silently mixed.
pub const FORMAT_VERSION: u32 = 10;

/// Metadata committed with every commit, as the commit payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexMeta {
    /// Always `podium`: tells our index from any other tantivy index.
    pub kind: String,
    pub format: u32,
    /// The directories that were indexed, as given on the command line and made absolute.
    pub roots: Vec<PathBuf>,
    /// Seconds since the Unix epoch of the last commit.
    pub updated: u64,
}

/// An open podium index.
pub struct PodiumIndex {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
    pub meta: Option<IndexMeta>,
}

/// Files that may sit in an index directory before there is an index (the repository keeps a
/// README in `index/`).
fn is_placeholder(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case("README.md")
}

impl PodiumIndex {
    /// Opens an existing index for reading.
    pub fn open(path: &Path) -> Result<PodiumIndex> {
        if !path.join("meta.json").is_file() {
            return Err(match has_foreign_files(path) {
                true => Error::NotAnIndex { path: path.into() },
                false => Error::NoIndex { path: path.into() },
            });
        }
        let opened = Self::open_existing(path)?;
        if opened.meta.is_none() {
            // Created but never committed (a first run was interrupted): nothing to search.
            return Err(Error::NoIndex { path: path.into() });
        }
        Ok(opened)
    }

    /// Opens the index at `path` for writing, creating it if there is none.
    pub fn open_or_create(path: &Path) -> Result<PodiumIndex> {
        if path.join("meta.json").is_file() {
            return Self::open_existing(path);
        }
        if has_foreign_files(path) {
            return Err(Error::NotAnIndex { path: path.into() });
        }
        std::fs::create_dir_all(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        let index =
            Index::create_in_dir(path, schema::build()).map_err(|e| map_open_error(path, e))?;
        schema::register_analyzers(&index);
        let fields = Fields::new(&index.schema())?;
        Ok(PodiumIndex {
            index,
            fields,
            path: path.into(),
            meta: None,
        })
    }

    fn open_existing(path: &Path) -> Result<PodiumIndex> {
        let index = Index::open_in_dir(path).map_err(|e| map_open_error(path, e))?;
        let metas = index.load_metas().map_err(|e| map_open_error(path, e))?;
        let meta = match metas.payload.as_deref() {
            None if metas.segments.is_empty() => None,
            None => return Err(Error::NotAnIndex { path: path.into() }),
            Some(payload) => {
                let meta: IndexMeta = serde_json::from_str(payload)
                    .ok()
                    .filter(|m: &IndexMeta| m.kind == "podium")
                    .ok_or_else(|| Error::NotAnIndex { path: path.into() })?;
                if meta.format != FORMAT_VERSION {
                    return Err(Error::IncompatibleIndex {
                        path: path.into(),
                        found: meta.format,
                        expected: FORMAT_VERSION,
                    });
                }
                Some(meta)
            }
        };
        schema::register_analyzers(&index);
        let fields =
            Fields::new(&index.schema()).map_err(|_| Error::NotAnIndex { path: path.into() })?;
        Ok(PodiumIndex {
            index,
            fields,
            path: path.into(),
            meta,
        })
    }
}

fn has_foreign_files(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| !is_placeholder(&e.file_name().to_string_lossy()))
    })
}

/// Replaces tantivy's developer-facing texts with ours.
pub(crate) fn map_open_error(path: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexBusy { path: path.into() },
        TantivyError::DataCorruption(c) => Error::CorruptIndex {
            path: path.into(),
            // tantivy only offers a Debug form: "Data corruption: <comment>".
            message: format!("{c:?}").to_lowercase(),
        },
        TantivyError::OpenReadError(e) => Error::CorruptIndex {
            path: path.into(),
            message: format!("missing or unreadable file: {e}"),
        },
        TantivyError::DeserializeError(e) => Error::CorruptIndex {
            path: path.into(),
            message: e.to_string(),
        },
        TantivyError::IoError(e) => Error::Io {
            path: path.into(),
            source: std::io::Error::new(e.kind(), e.to_string()),
        },
        other => Error::CorruptIndex {
            path: path.into(),
            message: other.to_string(),
        },
    }
}
