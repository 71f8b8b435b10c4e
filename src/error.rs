//! Error types shared by the library. Per-file problems are data ([`FileError`]), recorded in the
//! index report; [`Error`] aborts an operation.

use std::path::PathBuf;

/// A problem with one input file. The indexer records it, skips the file and goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    pub kind: FileErrorKind,
}

/// Why a file could not be read as a transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("binary file (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("not valid text in any supported encoding (UTF-8, UTF-16, GB18030, Big5)")]
    Encoding,
    #[error("front matter, line {line}: {message}")]
    FrontMatter { line: usize, message: String },
    #[error("JSON, line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// One record of a structured file (a `.jsonl` line); the message says which.
    #[error("{0}")]
    Record(String),
    #[error("file is empty")]
    Empty,
    #[error("no text found in the page")]
    NoText,
}

/// A query that cannot be parsed: what is wrong and where (a 1-based character column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

/// Errors that stop an operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {}: build one with `podium index DIR --index {}`", path.display(), path.display())]
    NoIndex { path: PathBuf },
    #[error("{} is not a podium index (it holds other files); choose another --index path", path.display())]
    NotAnIndex { path: PathBuf },
    #[error("the index at {} was written by an incompatible version of podium (format {found}, this version reads {expected}); rebuild it with `podium index DIR --rebuild`", path.display())]
    IncompatibleIndex {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("another `podium index` is writing to {}; wait for it to finish", path.display())]
    IndexBusy { path: PathBuf },
    #[error("the index at {} cannot be read ({message}); rebuild it with `podium index DIR --rebuild`", path.display())]
    CorruptIndex { path: PathBuf, message: String },
    #[error("bad query")]
    Query(#[from] QueryError),
    #[error("{path}: no such transcript in the index (paths are shown by `podium search`)")]
    NoTranscript { path: String },
    #[error("{path} has paragraphs 0 to {last}, not {asked}")]
    NoParagraph { path: String, last: u64, asked: u64 },
    #[error("{0}")]
    Usage(String),
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("index error")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A search cluster (`--engine`) could not do what was asked; the message says why.
    #[error("{0}")]
    Engine(String),
    /// A search cluster did not answer, or not all of it did (a node down, a connection
    /// lost): nothing is wrong with the request, and it may succeed later.
    #[error("{0}")]
    EngineDown(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
