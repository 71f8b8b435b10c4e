//! Transcripts -> index. Walks the roots, reads and splits files on worker threads while tantivy
//! indexes on its own threads, and commits once at the end.
//!
//! Nothing is lost on failure: until the final commit the previous index stays the visible one,
//! and tantivy's commit (with our metadata as its payload) is atomic. A killed run leaves only
//! unreferenced segment files, which the next run's garbage collection removes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{identity, map_open_error, schema, Fields, IndexMeta, PodiumIndex, FORMAT_VERSION};
use crate::corpus::{self, SourceFile};
use crate::transcript::aliases::Aliases;
use crate::transcript::{self, Transcript};
use crate::{Error, FileError, Result};

/// How to index.
#[derive(Clone)]
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
    /// Called after each file is read (the binary draws a progress bar with it).
    pub progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

/// How far an index run is.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub bytes_done: u64,
}

impl IndexOptions {
    pub fn new(index_path: impl Into<PathBuf>) -> IndexOptions {
        IndexOptions {
            index_path: index_path.into(),
            threads: 0,
            memory_budget: 256 << 20,
            speakers_file: None,
            rebuild: false,
            progress: None,
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
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    pub index: PathBuf,
    /// The roots indexed by this run.
    pub roots: Vec<PathBuf>,
    /// Files in the index after the run (all roots).
    pub files: usize,
    /// Files read and indexed by this run (added or updated).
    pub files_indexed: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// Files left as they were (same size and time, or same content).
    pub unchanged: usize,
    /// Passages in the index after the run.
    pub passages: usize,
    /// Passages added by this run.
    pub passages_added: usize,
    /// Distinct speakers in the index after the run.
    pub speakers: usize,
    /// Bytes read by this run.
    pub bytes: u64,
    /// Files indexed by this run without a date.
    pub undated: Vec<String>,
    pub skipped: Vec<SkippedFile>,
    /// Problems inside files that were indexed (a malformed line of a `.jsonl` file).
    pub warnings: Vec<SkippedFile>,
    /// The index was rebuilt from scratch beside the old one (`--rebuild`, or a format change).
    pub rebuilt: bool,
    /// What the run found and set right before it began (a search cluster's lock taken over
    /// from a run that is gone, files such a run left half-written).
    pub notes: Vec<String>,
    pub seconds: f64,
}

/// Indexes the transcripts under `roots` into the index at `options.index_path`.
///
/// Incremental: a file whose size and modification time are unchanged since the last run is
/// not read again; a changed file (or one whose content hash differs) replaces its passages; a
/// file that disappeared from a root is removed. Roots indexed earlier and not named now are left
/// as they are. A new index, an index of another format and `--rebuild` start from scratch.
pub fn index_roots(roots: &[PathBuf], options: &IndexOptions) -> Result<IndexReport> {
    let started = Instant::now();
    check_roots(roots)?;
    let aliases = load_aliases(roots, options)?;
    // A compatible index is updated in place: one atomic commit. An index of another format (or
    // `--rebuild`) is built beside it and swapped in once complete.
    let opened = match options.rebuild {
        // A rebuild does not need the old index to be readable at all.
        true => Err(Error::IncompatibleIndex {
            path: options.index_path.clone(),
            found: 0,
            expected: FORMAT_VERSION,
        }),
        false => PodiumIndex::open_or_create(&options.index_path),
    };
    let (target, staging) = match opened {
        Ok(index) => (index, None),
        Err(Error::IncompatibleIndex { .. }) => {
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
    let fields = target.fields;

    // The roots: those of the index so far, then new ones.
    let mut all_roots: Vec<PathBuf> = target
        .meta
        .as_ref()
        .map(|m| m.roots.clone())
        .unwrap_or_default();
    let root_ids = assign_roots(&mut all_roots, roots)?;
    let manifest = read_manifest(&target)?;

    let mut report = IndexReport {
        index: options.index_path.clone(),
        roots: root_ids.iter().map(|&i| all_roots[i].clone()).collect(),
        rebuilt: staging.is_some(),
        ..IndexReport::default()
    };

    // What changed: compare the walk with the manifest.
    let (to_read, seen) = walk_changes(roots, &root_ids, &mut report, |key| {
        manifest.get(key).map(|r| (r.size, r.mtime))
    });
    for (key, record) in &manifest {
        if root_ids.contains(&record.root) && !seen.contains(key) {
            writer.delete_term(Term::from_field_text(fields.file, key));
            report.removed += 1;
        }
    }

    let files: Vec<SourceFile> = to_read.iter().map(|(f, _)| f.clone()).collect();
    let mut speakers_added: HashSet<String> = HashSet::new();
    let (total_files, mut done) = (files.len(), 0usize);
    parse_in_parallel(&files, threads, |i, parsed| {
        let (source, key) = &to_read[i];
        let previous = manifest.get(&key.key);
        done += 1;
        match parsed {
            Ok(read) => {
                report.count_read(read.bytes, (done, total_files), options);
                let stat = std::fs::metadata(&source.path).ok();
                let (size, mtime) = stat
                    .as_ref()
                    .map_or((read.bytes, 0), |m| (m.len(), mtime_nanos(m)));
                let record = FileRecord {
                    root: key.root,
                    size,
                    mtime,
                    hash: read.hash,
                };
                if previous.is_some_and(|p| p.hash == read.hash) {
                    // Touched, not changed: only the record is new.
                    writer.delete_term(Term::from_field_text(fields.record, &key.key));
                    add_record(&writer, &fields, &key.key, &record)?;
                    report.unchanged += 1;
                    return Ok(());
                }
                writer.delete_term(Term::from_field_text(fields.file, &key.key));
                match previous {
                    Some(_) => report.updated += 1,
                    None => report.added += 1,
                }
                report.count_indexed(read.warnings, &read.transcripts);
                for transcript in &read.transcripts {
                    for p in &transcript.passages {
                        if let Some(s) = &p.speaker {
                            let s = aliases.canonical(s);
                            if !speakers_added.contains(s) {
                                speakers_added.insert(s.to_string());
                            }
                        }
                    }
                    add_transcript(&writer, &fields, &aliases, key, transcript)?;
                }
                add_record(&writer, &fields, &key.key, &record)?;
            }
            Err(e) => {
                // An unreadable file loses its old passages too: the index follows the files.
                if previous.is_some() {
                    writer.delete_term(Term::from_field_text(fields.file, &key.key));
                    report.removed += 1;
                }
                report.skipped.push(e.into())
            }
        }
        Ok(())
    })?;
    report.undated.sort();
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));

    let meta = IndexMeta {
        kind: "podium".into(),
        format: FORMAT_VERSION,
        roots: all_roots,
        updated: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&serde_json::to_string(&meta).expect("metadata serializes"));
    let opstamp = commit.commit()?;
    writer.wait_merging_threads()?;
    totals(&target, &aliases, opstamp, &mut report)?;
    drop(target);
    if let Some(staging) = staging {
        swap_in(&staging, &options.index_path)?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Files, passages and persons in the whole index after the commit; writes the identity table
/// of the commit ([`identity`]) into the index directory, before a rebuild is swapped in.
fn totals(
    target: &PodiumIndex,
    aliases: &Aliases,
    opstamp: u64,
    report: &mut IndexReport,
) -> Result<()> {
    let reader = target
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher: tantivy::Searcher = tantivy::IndexReader::searcher(&reader);
    let records = TermQuery::new(
        Term::from_field_text(target.fields.kind, schema::FILE_RECORD),
        IndexRecordOption::Basic,
    );
    report.files = searcher.search(&records, &Count)?;
    report.passages = searcher.num_docs() as usize - report.files;
    let persons = identity::link(&identity::gather(&searcher)?, aliases);
    report.speakers = persons.len();
    identity::write(&target.path, opstamp, persons).map_err(|source| Error::Io {
        path: target.path.join(identity::IDENTITY_FILE),
        source,
    })?;
    Ok(())
}

/// Refuses roots that do not exist, before anything is changed.
pub(crate) fn check_roots(roots: &[PathBuf]) -> Result<()> {
    for root in roots {
        if !root.exists() {
            return Err(Error::Usage(format!(
                "{}: no such file or directory",
                root.display()
            )));
        }
    }
    Ok(())
}

/// The number of each root among `all_roots` (those of the index so far), adding new ones.
pub(crate) fn assign_roots(all_roots: &mut Vec<PathBuf>, roots: &[PathBuf]) -> Result<Vec<usize>> {
    let mut root_ids = Vec::new();
    for root in roots {
        let absolute = root.canonicalize().map_err(|source| Error::Io {
            path: root.clone(),
            source,
        })?;
        let id = match all_roots.iter().position(|r| *r == absolute) {
            Some(id) => id,
            None => {
                all_roots.push(absolute);
                all_roots.len() - 1
            }
        };
        root_ids.push(id);
    }
    Ok(root_ids)
}

/// Walks the roots and compares each file with what the index remembers of it (`known`: size
/// and modification time by file key): the files to read, and the keys of all files found.
/// Unchanged files and walk errors go into `report`.
pub(crate) fn walk_changes(
    roots: &[PathBuf],
    root_ids: &[usize],
    report: &mut IndexReport,
    known: impl Fn(&str) -> Option<(u64, u64)>,
) -> (Vec<(SourceFile, FileKey)>, HashSet<String>) {
    let mut to_read = Vec::new();
    let mut seen = HashSet::new();
    for (root, &id) in roots.iter().zip(root_ids) {
        let walk = corpus::walk(root);
        report
            .skipped
            .extend(walk.errors.into_iter().map(SkippedFile::from));
        for file in walk.files {
            let key = FileKey::new(id, &file.rel);
            seen.insert(key.key.clone());
            let stat = std::fs::metadata(&file.path)
                .ok()
                .map(|m| (m.len(), mtime_nanos(&m)));
            match (known(&key.key), stat) {
                (Some(k), Some(s)) if k == s => report.unchanged += 1,
                _ => to_read.push((file, key)),
            }
        }
    }
    (to_read, seen)
}

/// Where a file sits: its root and its path under it, and the key that names it in the index.
#[derive(Debug, Clone)]
pub(crate) struct FileKey {
    pub root: usize,
    pub key: String,
}

impl FileKey {
    fn new(root: usize, rel: &str) -> FileKey {
        FileKey {
            root,
            key: format!("{root}/{rel}"),
        }
    }
}

/// What the index remembers of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRecord {
    root: usize,
    size: u64,
    mtime: u64,
    hash: u64,
}

pub(crate) fn mtime_nanos(m: &std::fs::Metadata) -> u64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The file records of the index, by file key, read from fast fields.
fn read_manifest(target: &PodiumIndex) -> Result<HashMap<String, FileRecord>> {
    let mut out = HashMap::new();
    if target.meta.is_none() {
        return Ok(out);
    }
    let reader: tantivy::IndexReader = target
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let records = TermQuery::new(
        Term::from_field_text(target.fields.kind, schema::FILE_RECORD),
        IndexRecordOption::Basic,
    );
    let docs = searcher.search(&records, &tantivy::collector::DocSetCollector)?;
    let mut by_segment: HashMap<u32, Vec<u32>> = HashMap::new();
    for d in docs {
        by_segment.entry(d.segment_ord).or_default().push(d.doc_id);
    }
    for (segment, ids) in by_segment {
        let reader = searcher.segment_reader(segment);
        let fast = reader.fast_fields();
        let (file, root, size, mtime, hash) = (
            fast.str(schema::FILE)?,
            fast.u64(schema::ROOT)?,
            fast.u64(schema::SIZE)?,
            fast.u64(schema::MTIME)?,
            fast.u64(schema::HASH)?,
        );
        let Some(file) = file else { continue };
        let mut key = String::new();
        for id in ids {
            let Some(ord) = file.term_ords(id).next() else {
                continue;
            };
            if !file.ord_to_str(ord, &mut key).unwrap_or(false) {
                continue;
            }
            let record = FileRecord {
                root: root.first(id).unwrap_or(0) as usize,
                size: size.first(id).unwrap_or(0),
                mtime: mtime.first(id).unwrap_or(0),
                hash: hash.first(id).unwrap_or(0),
            };
            out.insert(key.clone(), record);
        }
    }
    Ok(out)
}

fn add_record(writer: &IndexWriter, f: &Fields, key: &str, r: &FileRecord) -> Result<()> {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.kind, schema::FILE_RECORD);
    doc.add_text(f.file, key);
    doc.add_text(f.record, key);
    doc.add_u64(f.root, r.root as u64);
    doc.add_u64(f.size, r.size);
    doc.add_u64(f.mtime, r.mtime);
    doc.add_u64(f.hash, r.hash);
    writer.add_document(doc)?;
    Ok(())
}

/// A file read and split into transcripts.
pub(crate) struct Parsed {
    pub transcripts: Vec<Transcript>,
    pub warnings: Vec<FileError>,
    pub bytes: u64,
    pub hash: u64,
}

impl IndexReport {
    /// Counts the bytes of a file read (the `done`-th of `total`), and tells `options.progress`.
    pub(crate) fn count_read(
        &mut self,
        bytes: u64,
        (done, total): (usize, usize),
        options: &IndexOptions,
    ) {
        self.bytes += bytes;
        if let Some(progress) = &options.progress {
            progress(Progress {
                files_done: done,
                files_total: total,
                bytes_done: self.bytes,
            });
        }
    }

    /// Counts a file this run indexes: its warnings, its passages and its undated transcripts.
    pub(crate) fn count_indexed(&mut self, warnings: Vec<FileError>, transcripts: &[Transcript]) {
        self.files_indexed += 1;
        self.warnings
            .extend(warnings.into_iter().map(SkippedFile::from));
        for t in transcripts {
            self.passages_added += t.passages.len();
            if t.date.is_none() {
                self.undated.push(t.path.clone());
            }
        }
    }
}

/// Reads and splits files on `threads` workers, handing each result to `sink` on this thread
/// (in no particular order). Memory stays bounded: at most a few parsed files wait at a time.
pub(crate) fn parse_in_parallel(
    files: &[SourceFile],
    threads: usize,
    sink: impl FnMut(usize, Result<Parsed, FileError>) -> Result<()>,
) -> Result<()> {
    parse_and_prepare_in_parallel(files, threads, |_, parsed| parsed, sink)
}

/// [`parse_in_parallel`], with the workers also turning each parsed file into what `sink`
/// needs: work that depends on nothing but the file (tokenizing, formatting) belongs in
/// `prepare`, since `sink` runs on one thread.
pub(crate) fn parse_and_prepare_in_parallel<T: Send>(
    files: &[SourceFile],
    threads: usize,
    prepare: impl Fn(usize, Parsed) -> T + Sync,
    mut sink: impl FnMut(usize, Result<T, FileError>) -> Result<()>,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel(threads * 4);
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (next, prepare) = (&next, &prepare);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                let parsed = corpus::read(file).map(|read| {
                    let parsed = Parsed {
                        transcripts: read.documents.iter().map(transcript::split).collect(),
                        warnings: read.warnings,
                        bytes: read.bytes,
                        hash: read.hash,
                    };
                    prepare(i, parsed)
                });
                if tx.send((i, parsed)).is_err() {
                    break; // the sink failed; stop early
                }
            });
        }
        drop(tx);
        for (i, parsed) in rx {
            sink(i, parsed)?;
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
pub(crate) fn load_aliases(roots: &[PathBuf], options: &IndexOptions) -> Result<Aliases> {
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
    key: &FileKey,
    t: &Transcript,
) -> Result<()> {
    // A transcript has a handful of speakers and hundreds of passages.
    let mut speakers: HashMap<&str, (&str, Vec<String>)> = HashMap::new();
    for (paragraph, p) in t.passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.text, &p.text);
        doc.add_text(f.exact, &p.text);
        doc.add_text(f.words, &p.text);
        doc.add_u64(f.text_hash, super::text_hash(&p.text));
        if let Some(speaker) = &p.speaker {
            let (canonical, keys) = speakers.entry(speaker).or_insert_with(|| {
                let canonical = aliases.canonical(speaker);
                (canonical, aliases.keys(canonical))
            });
            doc.add_text(f.speaker, *canonical);
            for key in keys.iter() {
                doc.add_text(f.speaker_key, key);
            }
            doc.add_text(f.attribution, p.attribution.as_str());
        }
        if let Some(label) = &p.label {
            doc.add_text(f.label, label);
        }
        doc.add_text(f.role, p.role.as_str());
        doc.add_text(f.lang, p.lang.as_str());
        if let Some(date) = t.date {
            doc.add_u64(f.day, date.to_number());
        }
        doc.add_text(f.path, &t.path);
        doc.add_text(f.file, &key.key);
        doc.add_u64(f.root, key.root as u64);
        doc.add_text(f.title, &t.title);
        doc.add_u64(f.paragraph, paragraph as u64);
        writer.add_document(doc)?;
    }
    Ok(())
}
