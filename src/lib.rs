//! podium: a local search engine for what public figures said.
//!
//! Data flows forward through one module per step; a later step may use an earlier step's
//! types, never the reverse:
//!
//! ```text
//! index:  corpus::walk -> SourceFile -> corpus::read -> Document
//!         -> transcript::split -> Transcript { passages } -> index::Indexer::add -> commit
//! search: SearchRequest -> search::query::parse -> Query (our AST) -> tantivy Query
//!         -> collectors -> SearchResults { hits, facets } -> render::{text, json}
//! ```
//!
//! - [`corpus`] finds files and turns bytes into text (encodings, front matter).
//! - [`transcript`] turns text into speaker-attributed passages with a date and a title.
//! - [`analysis`] turns text into tokens (English words, Chinese words and characters); no I/O.
//! - [`index`] owns the tantivy schema, the writer and the index metadata.
//! - [`search`] turns a request into ranked hits, facets, highlights and snippets.
//! - [`engine`] runs the same index and search on a Sphinx / Manticore cluster (SphinxQL).
//! - [`ops`] is what each command does, once, for the command line and the web server.
//! - [`render`] turns results into text for people and JSON for programs; it never sees tantivy.
//! - [`serve`] is the HTTP API and web page over [`ops`] and [`render`].
//!
//! The library never prints; the binary (`src/main.rs`) does, one short function per command
//! over [`ops`].

pub mod analysis;
pub mod corpus;
pub mod date;
pub mod engine;
pub mod index;
pub mod ops;
pub mod render;
pub mod search;
pub mod serve;
pub mod transcript;

mod error;

pub use error::{Error, FileError, FileErrorKind, QueryError, Result};
