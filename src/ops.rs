//! Operations: what each command does, written once for every front end (the command line,
//! `podium serve`'s API and web page).
//!
//! Open an index once with [`Podium::open`], then ask it any number of times:
//!
//! ```text
//! let podium = Podium::open(Path::new("index"))?;
//! let results = podium.search(&SearchRequest::new("sanctions"), 0)?;   // podium search
//! let trend = podium.trend(&request, Period::Year, 5)?;                // podium trend
//! let shown = podium.show(&Target::parse("a.txt:10"), 5)?;            // podium show
//! let stats = podium.stats()?;                                          // podium stats
//! let first = podium.first(&request, Some(FirstBy::Speaker), 20)?;      // podium first
//! for hit in podium.page(&request, 0)?.hits() { /* one row */ }         // --csv, --jsonl
//! podium.batch(lines, &request, 0, |line, outcome| { /* one line */ })?; // --queries
//! ```
//!
//! Each operation returns a plain result struct that [`crate::render`] (text, JSON) and the web
//! page take. Operations never print and never see command-line types; front ends turn their
//! input (clap flags, URL parameters) into the request types here and in [`crate::search`].
//! Operations that need no index ([`index`], [`inspect`]) are free functions.
//!
//! [`Podium::open_cluster`] opens a search cluster ([`crate::engine`]) instead of the index: the
//! same operations, answered by the cluster.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use crate::engine::{self, Cluster, EngineUrl};
use crate::index::identity::Person;
use crate::index::{self, IndexOptions, IndexReport};
use crate::search::batch::{self, BatchLine, BatchSummary};
use crate::search::first::{FirstBy, FirstUse};
use crate::search::views::{Neighbor, Period, Stats, Trend};
use crate::search::{self, Hit, SearchRequest, SearchResults, Searcher};
use crate::transcript::{self, Transcript};
use crate::{corpus, Error, Result};

/// An open index (or search cluster): the one reader a process needs for all its queries.
pub struct Podium {
    backend: Backend,
}

/// Where the passages are: the embedded index, or a search cluster. There is one per process,
/// so the size of the larger variant (the searcher with its identity table) does not matter.
#[allow(clippy::large_enum_variant)]
enum Backend {
    Index(Searcher),
    Cluster(Cluster),
}

/// The same call on either backend.
macro_rules! on_backend {
    ($self:expr, $b:ident => $call:expr) => {
        match &$self.backend {
            Backend::Index($b) => $call,
            Backend::Cluster($b) => $call,
        }
    };
}

/// A page of results, its passages read one at a time as [`Page::hits`] is walked.
pub enum Page<'a> {
    Index(search::Page<'a>),
    Cluster(engine::Page<'a>),
}

impl Page<'_> {
    /// All matches, not just this page.
    pub fn total(&self) -> usize {
        match self {
            Page::Index(p) => p.total,
            Page::Cluster(p) => p.total,
        }
    }

    /// The hits in order, each read when its turn comes.
    pub fn hits(&self) -> Box<dyn Iterator<Item = Result<Hit>> + '_> {
        match self {
            Page::Index(p) => Box::new(p.hits()),
            Page::Cluster(p) => Box::new(p.hits()),
        }
    }
}

/// `PATH[:PARAGRAPH]` as `podium show` takes it: a transcript by its index key (the path search
/// results show), optionally one paragraph of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub paragraph: Option<u64>,
}

impl Target {
    /// `a.txt:10` is paragraph 10 of `a.txt`; `a.txt` (or `a:b.txt`) is the whole transcript.
    pub fn parse(target: &str) -> Target {
        match target.rsplit_once(':') {
            Some((path, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => Target {
                path: path.to_string(),
                paragraph: n.parse().ok(),
            },
            _ => Target {
                path: target.to_string(),
                paragraph: None,
            },
        }
    }
}

/// A transcript, or the passages around one of its paragraphs.
#[derive(Debug, Clone)]
pub struct Shown {
    pub path: String,
    /// The paragraph asked for, if any (it is among `passages`).
    pub paragraph: Option<u64>,
    /// In paragraph order.
    pub passages: Vec<Neighbor>,
}

/// What `inspect` found in some files.
#[derive(Debug, Default)]
pub struct Inspection {
    pub transcripts: Vec<Transcript>,
    /// Problems, in file order: parts of a file that could not be read, and unreadable files.
    pub problems: Vec<String>,
    /// Some file could not be read at all.
    pub failed: bool,
}

impl Podium {
    /// Opens the index at `path` for reading.
    pub fn open(path: &Path) -> Result<Podium> {
        Ok(Podium {
            backend: Backend::Index(Searcher::open(path)?),
        })
    }

    /// Connects to the search cluster at `url` (`sphinxql://HOST:PORT[,…]/TABLE`).
    pub fn open_cluster(url: &str) -> Result<Podium> {
        Ok(Podium {
            backend: Backend::Cluster(Cluster::open(&EngineUrl::parse(url)?)?),
        })
    }

    /// The cluster at `engine` if given, else the index at `index`.
    pub fn open_either(index: &Path, engine: Option<&str>) -> Result<Podium> {
        match engine {
            Some(url) => Podium::open_cluster(url),
            None => Podium::open(index),
        }
    }

    /// Ranked passages with facets; with `context > 0`, each hit also carries the passages
    /// around it. The hits are also what KWIC lines are cut from ([`crate::render::kwic`]).
    pub fn search(&self, request: &SearchRequest, context: u64) -> Result<SearchResults> {
        let mut results = on_backend!(self, b => b.search(request))?;
        if context > 0 {
            on_backend!(self, b => b.add_context(&mut results, context))?;
        }
        Ok(results)
    }

    /// The page of results a request asks for, its passages read one at a time as
    /// [`Page::hits`] is walked: what exports of every hit (`--csv`, `--jsonl`, a download)
    /// stream without holding them. With `context > 0`, each hit carries the passages around it.
    pub fn page(&self, request: &SearchRequest, context: u64) -> Result<Page<'_>> {
        Ok(match &self.backend {
            Backend::Index(s) => Page::Index(s.page(request)?.with_context(context)),
            Backend::Cluster(c) => Page::Cluster(c.page(request)?.with_context(context)),
        })
    }

    /// The earliest passages matching `request`'s query and filters: the `limit` first, or with
    /// `by` the first of each speaker or year (the `limit` earliest of those).
    pub fn first(
        &self,
        request: &SearchRequest,
        by: Option<FirstBy>,
        limit: usize,
    ) -> Result<FirstUse> {
        on_backend!(self, b => b.first(request, by, limit))
    }

    /// One search per line of `input` (`QUERY` or `ID<TAB>QUERY`), each `template` with its
    /// query replaced, exactly as [`Podium::search`] would answer it alone, on every core; every
    /// outcome, a bad line's error included, goes to `emit` in input order. Only reading `input`
    /// or `emit` failing stops it.
    pub fn batch(
        &self,
        input: impl BufRead,
        template: &SearchRequest,
        context: u64,
        emit: impl FnMut(&BatchLine, std::result::Result<&SearchResults, String>) -> io::Result<()>,
    ) -> io::Result<BatchSummary> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        batch::run(
            input,
            template,
            threads,
            |request| self.search(request, context),
            emit,
        )
    }

    /// Matches per period; `top_speakers > 0` also splits them by the top speakers.
    pub fn trend(&self, request: &SearchRequest, by: Period, top_speakers: usize) -> Result<Trend> {
        on_backend!(self, b => b.trend(request, by, top_speakers))
    }

    /// Every person with the number of their passages, most first, and the speaker values
    /// folded into them.
    pub fn speakers(&self) -> Result<Vec<Person>> {
        on_backend!(self, b => b.persons())
    }

    pub fn stats(&self) -> Result<Stats> {
        on_backend!(self, b => b.stats())
    }

    /// The transcript `target` names, looked up by its index key only (never opened as a file),
    /// or with a paragraph, the passages within `context` paragraphs of it.
    pub fn show(&self, target: &Target, context: u64) -> Result<Shown> {
        let mut passages = on_backend!(self, b => b.transcript(&target.path))?;
        if passages.is_empty() {
            return Err(Error::NoTranscript {
                path: target.path.clone(),
            });
        }
        if let Some(p) = target.paragraph {
            if !passages.iter().any(|n| n.paragraph == p) {
                return Err(Error::NoParagraph {
                    path: target.path.clone(),
                    last: passages.len() as u64 - 1,
                    asked: p,
                });
            }
            passages.retain(|n| n.paragraph + context >= p && n.paragraph <= p + context);
        }
        Ok(Shown {
            path: target.path.clone(),
            paragraph: target.paragraph,
            passages,
        })
    }

    /// The search cluster underneath, if that is what was opened.
    pub fn cluster(&self) -> Option<&Cluster> {
        match &self.backend {
            Backend::Cluster(c) => Some(c),
            Backend::Index(_) => None,
        }
    }

    /// The index's searcher underneath, for views not listed here (none on a cluster).
    pub fn searcher(&self) -> Option<&Searcher> {
        match &self.backend {
            Backend::Index(s) => Some(s),
            Backend::Cluster(_) => None,
        }
    }
}

/// Reads the transcripts under `dirs` into the index `options` names (creating, updating or
/// rebuilding it).
pub fn index(dirs: &[PathBuf], options: &IndexOptions) -> Result<IndexReport> {
    index::index_roots(dirs, options)
}

/// Reads the transcripts under `dirs` into the search cluster at `url`, incrementally as
/// [`index`] does.
pub fn index_cluster(dirs: &[PathBuf], url: &str, options: &IndexOptions) -> Result<IndexReport> {
    engine::index_roots(dirs, &EngineUrl::parse(url)?, options)
}

/// How each file parses: title, date, language and passages, without an index.
pub fn inspect(files: &[PathBuf]) -> Inspection {
    let mut out = Inspection::default();
    for path in files {
        let source = corpus::SourceFile {
            path: path.clone(),
            rel: path.display().to_string(),
        };
        match corpus::read(&source) {
            Ok(read) => {
                out.problems
                    .extend(read.warnings.iter().map(|w| w.to_string()));
                out.transcripts
                    .extend(read.documents.iter().map(transcript::split));
            }
            Err(e) => {
                out.problems.push(e.to_string());
                out.failed = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_takes_a_trailing_paragraph_number_only() {
        let t = |s: &str| Target::parse(s);
        assert_eq!(t("a.txt:10").paragraph, Some(10));
        assert_eq!(t("a.txt:10").path, "a.txt");
        assert_eq!(t("a.txt").paragraph, None);
        assert_eq!(t("a:b.txt").path, "a:b.txt");
        assert_eq!(t("a.txt:").path, "a.txt:");
        assert_eq!(t("a.txt:1x").paragraph, None);
        // A number too large for a paragraph is no paragraph, not a crash.
        assert_eq!(t("a.txt:99999999999999999999999").paragraph, None);
    }
}
