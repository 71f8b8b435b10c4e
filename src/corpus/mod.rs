//! Files -> text. Finds transcript files under a root ([`walk`]) and reads each one into a
//! [`Document`] ([`read`]): bytes decoded to text, front matter split from the body.
//!
//! It knows nothing of speakers, passages or dates in the text; that is [`crate::transcript`].
//! A file that cannot be read is a [`FileError`], never a panic or an abort.

mod decode;
mod front_matter;

use std::path::{Path, PathBuf};

pub use decode::decode;
pub use front_matter::FrontMatter;

use crate::{FileError, FileErrorKind};

/// File extensions podium reads, lower case.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The path relative to the walked root, with `/` separators: how results name the file.
    /// A name that is not valid UTF-8 is shown with replacement characters.
    pub rel: String,
}

/// A file's text, split into front matter and body.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: SourceFile,
    pub front: FrontMatter,
    pub body: String,
    /// The encoding the bytes were decoded from (`UTF-8`, `GB18030`, …).
    pub encoding: &'static str,
}

/// What a walk found: files to read, and entries that could not be walked (a symlink loop, a
/// directory without permission).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<SourceFile>,
    pub errors: Vec<FileError>,
}

/// Finds transcript files under `root` in a stable order (sorted by name). Follows symbolic
/// links, reporting loops instead of looping; skips hidden files and directories, and any
/// directory that holds a tantivy index (so indexing `.` does not read podium's own index).
pub fn walk(root: &Path) -> Walk {
    let mut out = Walk::default();
    if root.is_file() {
        let rel = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.files.push(SourceFile {
            path: root.to_path_buf(),
            rel,
        });
        return out;
    }
    let entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let index_dir = e.file_type().is_dir() && e.path().join("meta.json").is_file();
            !hidden && !index_dir
        });
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() && has_transcript_extension(e.path()) => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.files.push(SourceFile {
                    path: e.into_path(),
                    rel,
                });
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    err.io_error()
                        .map(io_reason)
                        .unwrap_or_else(|| err.to_string())
                };
                out.errors.push(FileError {
                    path,
                    kind: FileErrorKind::Io(reason),
                });
            }
        }
    }
    out
}

fn has_transcript_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// An I/O error as a short lower-case reason, without Rust's `(os error N)` suffix.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => "file not found (was it removed during indexing?)".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "is a directory".into(),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            text.to_lowercase()
        }
    }
}

/// Reads and decodes one file and splits off its front matter.
pub fn read(source: &SourceFile) -> Result<Document, FileError> {
    let fail = |kind| FileError {
        path: PathBuf::from(&source.rel),
        kind,
    };
    let bytes = std::fs::read(&source.path).map_err(|e| fail(FileErrorKind::Io(io_reason(&e))))?;
    let (text, encoding) = decode(&bytes).map_err(fail)?;
    if text.trim().is_empty() {
        return Err(fail(FileErrorKind::Empty));
    }
    let (front, body) = front_matter::split(&text).map_err(fail)?;
    Ok(Document {
        source: source.clone(),
        front,
        body: body.to_string(),
        encoding,
    })
}

/// Reads a document from text already in memory (for `inspect` on stdin and for tests).
pub fn from_text(rel: &str, text: &str) -> Result<Document, FileError> {
    let (front, body) = front_matter::split(text).map_err(|kind| FileError {
        path: PathBuf::from(rel),
        kind,
    })?;
    Ok(Document {
        source: SourceFile {
            path: PathBuf::from(rel),
            rel: rel.to_string(),
        },
        front,
        body: body.to_string(),
        encoding: "UTF-8",
    })
}
