//! Files -> text. Finds transcript files under a root ([`walk`]) and reads each one into
//! [`Document`]s ([`read`]): bytes decoded to text, then one reader per format: text and
//! markdown with optional front matter, JSON and JSON Lines ([`json`]), HTML ([`html`]).
//!
//! It knows nothing of speakers, passages or dates in the text; that is [`crate::transcript`].
//! A file that cannot be read is a [`FileError`], never a panic or an abort.

mod decode;
mod front_matter;
pub mod html;
pub mod json;

use std::path::{Path, PathBuf};

pub use decode::decode;
pub use front_matter::FrontMatter;

use crate::{FileError, FileErrorKind};

/// File extensions podium reads, lower case.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "json", "jsonl", "html", "htm"];

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where to read it.
    pub path: PathBuf,
    /// The path relative to the walked root, with `/` separators: how results name the file.
    /// A name that is not valid UTF-8 is shown with replacement characters.
    pub rel: String,
}

/// One transcript's text, split into front matter and body.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file; `rel` gets a `#N` or `#id` suffix when a file holds several transcripts.
    pub source: SourceFile,
    pub front: FrontMatter,
    pub body: Body,
    /// The encoding the bytes were decoded from (`UTF-8`, `GB18030`, …).
    pub encoding: &'static str,
}

/// A transcript's body: running text, or turns whose speakers a structured format names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Turns(Vec<Turn>),
}

/// Text said by a named speaker (or by whoever its own labels say, when `speaker` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub speaker: Option<String>,
    pub text: String,
}

impl Document {
    /// All the text of the body, for finding dates and detecting the language.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.body {
            Body::Text(t) => t.into(),
            Body::Turns(turns) => turns
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
                .into(),
        }
    }
}

/// What reading one file gave.
#[derive(Debug, Clone)]
pub struct Read {
    pub documents: Vec<Document>,
    /// Problems with parts of the file (a bad line of a `.jsonl` file); the rest was read.
    pub warnings: Vec<FileError>,
    /// The file's size.
    pub bytes: u64,
    /// A hash of the file's bytes, to tell a changed file from a touched one.
    pub hash: u64,
}

/// A 64-bit hash of a file's content. SipHash with fixed keys: stable from run to run (a
/// different Rust version may change it, which costs one re-read of each file, nothing more).
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    #[allow(deprecated)] // SipHasher is deprecated only in favour of DefaultHasher, same algorithm
    let mut hasher = std::hash::SipHasher::new();
    hasher.write(bytes);
    hasher.finish()
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
                let full = err.path().unwrap_or(root);
                let path = full.strip_prefix(root).unwrap_or(full).to_path_buf();
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

/// Reads and decodes one file into its documents.
pub fn read(source: &SourceFile) -> Result<Read, FileError> {
    let bytes = std::fs::read(&source.path).map_err(|e| FileError {
        path: PathBuf::from(&source.rel),
        kind: FileErrorKind::Io(io_reason(&e)),
    })?;
    parse(source, &bytes)
}

/// Reads a file's bytes already in memory into its documents, by the format its extension
/// names (what [`read`] does after reading the file; the fuzz targets call it directly).
pub fn parse(source: &SourceFile, bytes: &[u8]) -> Result<Read, FileError> {
    let fail = |kind| FileError {
        path: PathBuf::from(&source.rel),
        kind,
    };
    let (text, encoding) = decode(bytes).map_err(fail)?;
    if text.trim().is_empty() {
        return Err(fail(FileErrorKind::Empty));
    }
    let extension = source
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let document = |rel: String, front: FrontMatter, body: Body| Document {
        source: SourceFile {
            path: source.path.clone(),
            rel,
        },
        front,
        body,
        encoding,
    };
    let mut warnings = Vec::new();
    let documents = match extension.as_deref() {
        Some("json") | Some("jsonl") => {
            let (records, problems) = if extension.as_deref() == Some("json") {
                json::parse_json(&text).map_err(fail)?
            } else {
                json::parse_jsonl(&text)
            };
            warnings.extend(
                problems
                    .into_iter()
                    .map(|p| fail(FileErrorKind::Record(p.message))),
            );
            if records.is_empty() {
                return Err(match warnings.pop() {
                    Some(w) => w,
                    None => fail(FileErrorKind::NoText),
                });
            }
            let several = records.len() > 1;
            records
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let rel = match (&r.id, several) {
                        (Some(id), _) => format!("{}#{id}", source.rel),
                        (None, true) => format!("{}#{}", source.rel, i + 1),
                        (None, false) => source.rel.clone(),
                    };
                    document(rel, r.front, r.body)
                })
                .collect()
        }
        Some("html") | Some("htm") => {
            let page = html::parse(&text);
            if page.paragraphs.is_empty() {
                return Err(fail(FileErrorKind::NoText));
            }
            let mut front = FrontMatter::default();
            front
                .fields
                .extend(page.title.map(|t| ("title".to_string(), t)));
            front
                .fields
                .extend(page.date.map(|d| ("date".to_string(), d)));
            let turns = page
                .paragraphs
                .into_iter()
                .map(|text| Turn {
                    speaker: None,
                    text,
                })
                .collect();
            vec![document(source.rel.clone(), front, Body::Turns(turns))]
        }
        _ => {
            let (front, body) = front_matter::split(&text).map_err(fail)?;
            vec![document(
                source.rel.clone(),
                front,
                Body::Text(body.to_string()),
            )]
        }
    };
    Ok(Read {
        documents,
        warnings,
        bytes: bytes.len() as u64,
        hash: content_hash(bytes),
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
        body: Body::Text(body.to_string()),
        encoding: "UTF-8",
    })
}
