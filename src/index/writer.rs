//! Transcripts -> index. Walks the roots, reads and splits files on worker threads while tantivy
//! indexes on its own threads, and commits once at the end.
//!
//! Nothing is lost on failure: until the final commit the previous index stays the visible one,
//! and tantivy's commit (with our metadata as its payload) is atomic. A killed run leaves only
//! unreferenced segment files, which the next run's garbage collection removes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument};

use super::{map_open_error, Fields, IndexMeta, PodiumIndex, FORMAT_VERSION};
use crate::corpus::{self, SourceFile};
use crate::transcript::aliases::Aliases;
use crate::transcript::{self, Transcript};
use crate::{Error, FileError, Result};

/// How to index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub index_path: PathBuf,
    /// Worker threads for reading and parsing, and for tantivy's indexing (0: one per core).
    pub threads: usize,
    /// tantivy's total indexing memory budget, in bytes (split between its threads).
    pub memory_budget: usize,
    /// Build a new index beside the old one and swap it in, instead of replacing the old one's
    /// contents in place.
    pub rebuild: bool,
    /// A speakers file mapping name variants to one name; each root's `speakers.toml` is read
    /// too.
    pub speakers_file: Option<PathBuf>,
}

impl IndexOptions {
    pub fn new(index_path: impl Into<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_path: index_path.into(),
            threads: 0,
            memory_budget: 256 << 20,
            speakers_file: None,
            rebuild: false,
        }
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

impl From<FileError> for SkippedFile {
    fn from(e: FileError) -> Self {
        SkippedFile {
            path: e.path.to_string_lossy().into_owned(),
            reason: e.kind.to_string(),
        }
    }
}

/// What an index run did.
#[derive(Debug, Clone, Serialize)]
pub struct IndexReport {
    pub index: PathBuf,
    pub roots: Vec<PathBuf>,
    pub files_indexed: usize,
    pub passages: usize,
    pub speakers: usize,
    pub bytes: u64,
    /// Files indexed without a date.
    pub undated: Vec<String>,
    pub skipped: Vec<SkippedFile>,
    /// Problems inside files that were indexed (a malformed line of a `.jsonl` file).
    pub warnings: Vec<SkippedFile>,
    /// The index was rebuilt from scratch beside the old one (`--rebuild`, or a format change).
    pub rebuilt: bool,
    pub seconds: f64,
}

/// Indexes every transcript under `roots` into the index at `options.index_path`, replacing
/// what it held.
pub fn index_roots(roots: &[PathBuf], options: &IndexOptions) -> Result<IndexReport> {
    let started = Instant::now();
    for root in roots {
        if !root.exists() {
            return Err(Error::Usage(format!(
                "{}: no such file or directory",
                root.display()
            )));
        }
    }
    let aliases = load_aliases(roots, options)?;
    // A compatible index is replaced in place: one atomic commit. An index of another format (or
    // `--rebuild`) is built beside it and swapped in once complete.
    let (target, staging) = match PodiumIndex::open_or_create(&options.index_path) {
        Ok(index) if !options.rebuild => (index, None),
        Ok(_) | Err(Error::IncompatibleIndex { .. }) => {
            let staging = staging_path(&options.index_path);
            if staging.exists() {
                // Left by a rebuild that was killed before it finished.
                std::fs::remove_dir_all(&staging).map_err(|source| Error::Io {
                    path: staging.clone(),
                    source,
                })?;
            }
            (PodiumIndex::open_or_create(&staging)?, Some(staging))
        }
        Err(e) => return Err(e),
    };
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let tantivy_threads = threads.clamp(1, 8);
    let budget = options.memory_budget.max(tantivy_threads * 20_000_000);
    let mut writer: IndexWriter = target
        .index
        .writer_with_num_threads(tantivy_threads, budget)
        .map_err(|e| map_open_error(&options.index_path, e))?;
    writer.delete_all_documents()?;

    let mut files: Vec<SourceFile> = Vec::new();
    let mut skipped: Vec<SkippedFile> = Vec::new();
    let prefix_roots = roots.len() > 1;
    for root in roots {
        let walk = corpus::walk(root);
        skipped.extend(walk.errors.into_iter().map(SkippedFile::from));
        let prefix = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .filter(|_| prefix_roots);
        files.extend(walk.files.into_iter().map(|mut f| {
            if let Some(prefix) = &prefix {
                f.rel = format!("{prefix}/{}", f.rel);
            }
            f
        }));
    }

    let mut report = IndexReport {
        index: options.index_path.clone(),
        roots: roots
            .iter()
            .map(|r| r.canonicalize().unwrap_or_else(|_| r.clone()))
            .collect(),
        files_indexed: 0,
        passages: 0,
        speakers: 0,
        bytes: 0,
        undated: Vec::new(),
        skipped,
        warnings: Vec::new(),
        rebuilt: false,
        seconds: 0.0,
    };
    let mut speakers: HashSet<String> = HashSet::new();
    let fields = target.fields;
    parse_in_parallel(&files, threads, |parsed| {
        match parsed {
            Ok(read) => {
                report.files_indexed += 1;
                report.bytes += read.bytes;
                report
                    .warnings
                    .extend(read.warnings.into_iter().map(SkippedFile::from));
                for transcript in &read.transcripts {
                    report.passages += transcript.passages.len();
                    if transcript.date.is_none() {
                        report.undated.push(transcript.path.clone());
                    }
                    for p in &transcript.passages {
                        if let Some(s) = &p.speaker {
                            let s = aliases.canonical(s);
                            if !speakers.contains(s) {
                                speakers.insert(s.to_string());
                            }
                        }
                    }
                    add_transcript(&writer, &fields, &aliases, transcript)?;
                }
            }
            Err(e) => report.skipped.push(e.into()),
        }
        Ok(())
    })?;
    report.speakers = speakers.len();
    report.undated.sort();
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));

    let meta = IndexMeta {
        kind: "podium".into(),
        format: FORMAT_VERSION,
        roots: report.roots.clone(),
        updated: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&serde_json::to_string(&meta).expect("metadata serializes"));
    commit.commit()?;
    writer.wait_merging_threads()?;
    drop(target);
    if let Some(staging) = staging {
        swap_in(&staging, &options.index_path)?;
        report.rebuilt = true;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A file read and split into transcripts.
struct Parsed {
    transcripts: Vec<Transcript>,
    warnings: Vec<FileError>,
    bytes: u64,
}

/// Reads and splits files on `threads` workers, handing each result to `sink` on this thread
/// (in no particular order). Memory stays bounded: at most a few parsed files wait at a time.
fn parse_in_parallel(
    files: &[SourceFile],
    threads: usize,
    mut sink: impl FnMut(Result<Parsed, FileError>) -> Result<()>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(threads * 4);
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let parsed = corpus::read(file).map(|read| Parsed {
                    transcripts: read.documents.iter().map(transcript::split).collect(),
                    warnings: read.warnings,
                    bytes: read.bytes,
                });
                if tx.send(parsed).is_err() {
                    break; // the sink failed; stop early
                }
            });
        }
        drop(tx);
        for parsed in rx {
            sink(parsed)?;
        }
        Ok(())
    })
}

/// Where a rebuild builds the new index: beside the old one, on the same file system.
fn staging_path(index: &Path) -> PathBuf {
    let name = index
        .file_name()
        .map_or("index".into(), |n| n.to_string_lossy().into_owned());
    index.with_file_name(format!(".{name}.podium-rebuild"))
}

/// Replaces the index at `index` with the complete one at `staging`. The user's own files in
/// the index directory (a README) move along; the old index is removed last.
fn swap_in(staging: &Path, index: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if index.exists() {
        for entry in std::fs::read_dir(index).map_err(io(index))?.flatten() {
            if matches!(
                entry.file_name().to_str(),
                Some("README.md" | ".gitkeep" | ".gitignore")
            ) {
                std::fs::rename(entry.path(), staging.join(entry.file_name()))
                    .map_err(io(&entry.path()))?;
            }
        }
        let old = index.with_file_name(format!(
            ".{}.podium-old",
            index
                .file_name()
                .map_or("index".into(), |n| n.to_string_lossy().into_owned())
        ));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        std::fs::rename(index, &old).map_err(io(index))?;
        std::fs::rename(staging, index).map_err(io(staging))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(staging, index).map_err(io(staging))?;
    }
    Ok(())
}

/// The speakers file given with `--speakers`, plus every root's `speakers.toml`.
fn load_aliases(roots: &[PathBuf], options: &IndexOptions) -> Result<Aliases> {
    let mut files: Vec<PathBuf> = options.speakers_file.iter().cloned().collect();
    files.extend(
        roots
            .iter()
            .map(|r| r.join(SPEAKERS_FILE))
            .filter(|p| p.is_file()),
    );
    let mut aliases = Aliases::default();
    for file in files {
        let loaded = Aliases::load(&file).and_then(|a| aliases.merge(a));
        loaded.map_err(|message| Error::Usage(format!("{}: {message}", file.display())))?;
    }
    Ok(aliases)
}

/// The speakers file podium looks for at the root of an indexed directory.
pub const SPEAKERS_FILE: &str = "speakers.toml";

fn add_transcript(
    writer: &IndexWriter,
    f: &Fields,
    aliases: &Aliases,
    t: &Transcript,
) -> Result<()> {
    for (paragraph, p) in t.passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.text, &p.text);
        doc.add_text(f.exact, &p.text);
        doc.add_text(f.words, &p.text);
        if let Some(speaker) = &p.speaker {
            let speaker = aliases.canonical(speaker);
            doc.add_text(f.speaker, speaker);
            for key in aliases.keys(speaker) {
                doc.add_text(f.speaker_key, key);
            }
        }
        doc.add_text(f.role, p.role.as_str());
        doc.add_text(f.lang, p.lang.as_str());
        if let Some(date) = t.date {
            doc.add_u64(f.day, date.to_number());
        }
        doc.add_text(f.path, &t.path);
        doc.add_text(f.title, &t.title);
        doc.add_u64(f.paragraph, paragraph as u64);
        writer.add_document(doc)?;
    }
    Ok(())
}
