//! Transcripts -> index. Walks the roots, reads and splits files on worker threads while tantivy
//! indexes on its own threads, and commits once at the end.
//!
//! Nothing is lost on failure: until the final commit the previous index stays the visible one,
//! and tantivy's commit (with our metadata as its payload) is atomic. A killed run leaves only
//! unreferenced segment files, which the next run's garbage collection removes.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument};

use super::{map_open_error, schema, Fields, IndexMeta, PodiumIndex, FORMAT_VERSION};
use crate::corpus::{self, SourceFile};
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
}

impl IndexOptions {
    pub fn new(index_path: impl Into<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_path: index_path.into(),
            threads: 0,
            memory_budget: 256 << 20,
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
    let target = PodiumIndex::open_or_create(&options.index_path)?;
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
        seconds: 0.0,
    };
    let mut speakers: HashSet<String> = HashSet::new();
    let fields = target.fields;
    parse_in_parallel(&files, threads, |parsed| {
        match parsed {
            Ok((transcript, bytes)) => {
                report.files_indexed += 1;
                report.bytes += bytes;
                report.passages += transcript.passages.len();
                if transcript.date.is_none() {
                    report.undated.push(transcript.path.clone());
                }
                for p in &transcript.passages {
                    if let Some(s) = &p.speaker {
                        if !speakers.contains(s) {
                            speakers.insert(s.clone());
                        }
                    }
                }
                add_transcript(&writer, &fields, &transcript)?;
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
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Reads and splits files on `threads` workers, handing each result to `sink` on this thread
/// (in no particular order). Memory stays bounded: at most a few parsed files wait at a time.
fn parse_in_parallel(
    files: &[SourceFile],
    threads: usize,
    mut sink: impl FnMut(Result<(Transcript, u64), FileError>) -> Result<()>,
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
                let parsed = corpus::read(file).map(|doc| {
                    let bytes = doc.body.len() as u64;
                    (transcript::split(&doc), bytes)
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

fn add_transcript(writer: &IndexWriter, f: &Fields, t: &Transcript) -> Result<()> {
    for (paragraph, p) in t.passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.text, &p.text);
        doc.add_text(f.exact, &p.text);
        doc.add_text(f.words, &p.text);
        if let Some(speaker) = &p.speaker {
            doc.add_text(f.speaker, speaker);
            doc.add_text(f.speaker_key, schema::speaker_key(speaker));
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
