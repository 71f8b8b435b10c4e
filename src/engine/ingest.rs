//! Transcripts -> the cluster. Each file's passages go to one shard, chosen by a hash of its file
//! key, through that node's real-time table; a file record per file (size, modification time,
//! content hash, passage count) makes a re-run read only new and changed files, as the embedded
//! index does. With nothing changed, a re-run costs one query per shard.
//!
//! Row ids: a file owns the ids `base ..= base + passages`, the record at `base` and passage `p`
//! at `base + 1 + p`, with `base` a multiple of 2^16 derived from a hash of its file key (the
//! next free one if two keys collide). Sphinx 2.2 deletes by id only, so the record's id and
//! passage count are all it takes to delete a file's rows.
//!
//! The engine has no transaction across statements, so unlike the embedded index a run is not
//! one atomic commit, and a search during a run may see a file half-written. What makes a killed
//! run (a crash, Ctrl-C) harmless is the order of the writes:
//! - A file whose rows fit in one statement (one statement is one commit) is written with its
//!   record in that statement. Otherwise, and whenever old passages must be deleted, a
//!   *pending* record (kind [`PENDING`]) that spans every id the file may hold, old or new, is
//!   written first; the final record replaces it with the last passages. A re-run reads a file
//!   with a pending record again and clears its whole span, so nothing is left over or missing.
//! - A file is deleted passages first, record last: a record always spans the file's rows.
//! - The metadata row (roots, format) is written before any file, so the roots' numbers in the
//!   records are always known.
//!
//! One run writes at a time: [`lock`](super::lock) keeps a second indexer out.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tantivy::tokenizer::TextAnalyzer;

use super::lock::ClusterLock;
use super::sql::{literal, num, Conn, SqlError};
use super::{engine_error, shard_of, tokens, ClusterMeta, EngineUrl};
use crate::corpus::{self, SourceFile};
use crate::index::writer::{
    assign_roots, check_roots, load_aliases, mtime_nanos, parse_and_prepare_in_parallel,
    walk_changes, FileKey, IndexOptions, IndexReport, Parsed, SkippedFile,
};
use crate::index::FORMAT_VERSION;
use crate::transcript::aliases::Aliases;
use crate::transcript::{Role, Transcript};
use crate::{Error, Result};

/// Row kinds (the `kind` attribute).
pub const PASSAGE: u32 = 0;
pub const RECORD: u32 = 1;
pub const META: u32 = 2;
/// A file record written before a file's rows are touched, replaced by its [`RECORD`] once they
/// are all written; `paragraph` holds the span of ids the file may hold (old and new passages).
pub const PENDING: u32 = 3;
/// A piece of the identity table ([`super::identity`]); kind 4 is [`super::lock`]'s.
pub const IDENTITY: u32 = 5;

/// The id of the metadata row, on shard 0 (file ids are multiples of 2^16, never 1).
pub(crate) const META_ID: u64 = 1;
/// The passages one file may have: the ids between two files' bases.
pub const MAX_PASSAGES: usize = (1 << 16) - 2;
/// Statements are cut at about this size (the engine's packet limit is 8 MB).
const BATCH_BYTES: usize = 2 << 20;
/// File records read per query.
const RECORDS_PER_QUERY: usize = 20_000;

/// Every column a row has, in the order statements list them.
const COLUMNS: &str = "id, exact, words, tags, kind, text, title, speaker, label, attribution, role, lang, path, file, root, paragraph, day, year, text_hash, question, size, mtime, hash";

/// What the cluster remembers of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRecord {
    shard: usize,
    base: u64,
    root: usize,
    size: u64,
    mtime: u64,
    hash: u64,
    passages: usize,
    /// Written before the file's rows and not yet replaced: a run stopped in the middle of it.
    pending: bool,
}

/// Indexes the transcripts under `roots` into the cluster at `url` (`options.index_path` is
/// not used; speakers file, threads and progress are). Incremental as [`crate::index::index_roots`]:
/// only new and changed files are read, and files gone from a root are removed. `--rebuild`
/// empties every shard first.
pub fn index_roots(
    roots: &[PathBuf],
    url: &EngineUrl,
    options: &IndexOptions,
) -> Result<IndexReport> {
    let started = Instant::now();
    check_roots(roots)?;
    let aliases = load_aliases(roots, options)?;
    let mut conns = Vec::new();
    for node in &url.nodes {
        conns.push(Conn::open(node).map_err(|e| engine_error(url, e))?);
    }
    let err = |e: SqlError| engine_error(url, e);
    let shards = conns.len();
    let mut notes = Vec::new();
    // Held until this function returns, whichever way: dropping it releases it.
    let mut lock = ClusterLock::acquire(url, &mut notes)?;

    let mut meta = read_meta(&mut conns[0], url)?;
    if let Some(m) = &meta {
        if m.format != FORMAT_VERSION && !options.rebuild {
            return Err(Error::Engine(format!(
                "the cluster at {url} was written by an incompatible version of podium (format {}, this version writes {FORMAT_VERSION}); run again with --rebuild to empty it and index from scratch",
                m.format
            )));
        }
        if m.schema != super::SCHEMA && !options.rebuild {
            return Err(Error::Engine(super::old_schema(url)));
        }
        if m.shards != shards && !options.rebuild {
            return Err(Error::Engine(format!(
                "the cluster was filled over {} shards but the URL names {shards} nodes; name the same nodes in the same order, or run with --rebuild to spread the files anew",
                m.shards
            )));
        }
    }
    let rebuilt = options.rebuild && meta.is_some();
    if options.rebuild {
        // Shard 0 last: its lock row goes with it until written again, and an indexer that
        // comes in then finds every shard empty already; one of the two stops.
        for (i, conn) in conns.iter_mut().enumerate().rev() {
            conn.exec(&format!("TRUNCATE RTINDEX {}", url.shard_table(i)))
                .map_err(err)?;
        }
        lock.restore(url)?;
        meta = None;
    }

    let mut all_roots: Vec<PathBuf> = meta.as_ref().map(|m| m.roots.clone()).unwrap_or_default();
    let root_ids = assign_roots(&mut all_roots, roots)?;

    let mut manifest: HashMap<String, FileRecord> = HashMap::new();
    for (i, conn) in conns.iter_mut().enumerate() {
        read_records(conn, &url.shard_table(i), i, &mut manifest).map_err(err)?;
    }
    let mut bases: HashSet<u64> = manifest.values().map(|r| r.base).collect();
    let pending = manifest
        .values()
        .filter(|r| r.pending && root_ids.contains(&r.root))
        .count();
    if pending > 0 {
        notes.push(format!(
            "an earlier run stopped while writing {pending} {}; {} written again",
            if pending == 1 { "file" } else { "files" },
            if pending == 1 { "it is" } else { "they are" },
        ));
    }

    let mut report = IndexReport {
        index: PathBuf::from(url.to_string()),
        roots: root_ids.iter().map(|&i| all_roots[i].clone()).collect(),
        rebuilt,
        ..IndexReport::default()
    };
    // A pending record matches no file: its file is read again.
    let (to_read, seen) = walk_changes(roots, &root_ids, &mut report, |key| {
        manifest
            .get(key)
            .filter(|r| !r.pending)
            .map(|r| (r.size, r.mtime))
    });
    let gone: Vec<(String, FileRecord)> = manifest
        .iter()
        .filter(|(key, r)| root_ids.contains(&r.root) && !seen.contains(*key))
        .map(|(k, r)| (k.clone(), r.clone()))
        .collect();
    // Before the first change (and before any file's record names a new root by its number),
    // the metadata says a run is under way: a new generation, whose identity table is not
    // written yet. A run that dies leaves it so, and the next run links the persons again even
    // if it finds nothing else to do.
    let will_change = !to_read.is_empty() || !gone.is_empty();
    let mut next_meta = ClusterMeta {
        kind: "podium".into(),
        format: FORMAT_VERSION,
        schema: super::SCHEMA,
        shards,
        roots: all_roots,
        updated: now(),
        speakers: meta.as_ref().map_or(0, |m| m.speakers),
        generation: meta.as_ref().map_or(0, |m| m.generation) + u64::from(will_change),
        identity_chunks: meta
            .as_ref()
            .and_then(|m| m.identity_chunks)
            .filter(|_| !will_change),
    };
    if will_change || meta.is_none() {
        write_meta(&mut conns[0], url, &next_meta)?;
    }
    for (key, record) in gone {
        delete_file(&mut conns[record.shard], url, &record).map_err(err)?;
        bases.remove(&record.base);
        manifest.remove(&key);
        report.removed += 1;
    }

    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let files: Vec<SourceFile> = to_read.iter().map(|(f, _)| f.clone()).collect();
    let (total_files, mut done) = (files.len(), 0usize);
    // What the workers need to know: a file whose content is as recorded needs no rows.
    let recorded: HashMap<String, u64> = manifest
        .iter()
        .filter(|(_, r)| !r.pending)
        .map(|(k, r)| (k.clone(), r.hash))
        .collect();
    let prepare = |i: usize, parsed: Parsed| {
        let FileKey { root, key } = &to_read[i].1;
        let rows = match recorded.get(key) == Some(&parsed.hash) {
            true => Vec::new(),
            false => parsed
                .transcripts
                .iter()
                .flat_map(|t| passage_rows(&aliases, (*root, key), t))
                .collect(),
        };
        (parsed, rows)
    };
    // One writer per shard, so that the nodes index at the same time; a file's statements go
    // to one writer, in order.
    let mut failed: Option<SqlError> = None;
    let parsed = std::thread::scope(|scope| {
        let mut writers = Vec::new();
        let mut handles = Vec::new();
        for (shard, conn) in conns.iter_mut().enumerate() {
            let (tx, rx) = mpsc::sync_channel::<Job>(4);
            writers.push(tx);
            handles.push(scope.spawn(move || {
                let mut writer = ShardWriter::new(conn, url, shard);
                rx.into_iter().try_for_each(|job| writer.run(job))?;
                writer.flush()
            }));
        }
        let send = |shard: usize, job: Job| {
            writers[shard].send(job).map_err(|_| {
                // The writer stopped at an error, which is reported below.
                Error::Engine(format!("shard {shard} stopped taking writes"))
            })
        };
        let parsed = parse_and_prepare_in_parallel(&files, threads, prepare, |i, parsed| {
            let (source, FileKey { root, key }) = &to_read[i];
            let previous = manifest.get(key).cloned();
            done += 1;
            lock.renew(url)?;
            let (read, rows) = match parsed {
                Ok(read) => read,
                Err(e) => {
                    if let Some(previous) = previous {
                        bases.remove(&previous.base);
                        manifest.remove(key);
                        report.removed += 1;
                        send(previous.shard, Job::Delete(previous))?;
                    }
                    report.skipped.push(e.into());
                    return Ok(());
                }
            };
            report.count_read(read.bytes, (done, total_files), options);
            let (size, mtime) = std::fs::metadata(&source.path)
                .ok()
                .map_or((read.bytes, 0), |m| (m.len(), mtime_nanos(&m)));
            let passages: usize = read.transcripts.iter().map(|t| t.passages.len()).sum();
            if passages > MAX_PASSAGES {
                report.skipped.push(SkippedFile {
                    path: source.path.to_string_lossy().into_owned(),
                    reason: format!(
                        "{passages} passages; a search cluster takes at most {MAX_PASSAGES} per file (split the file)"
                    ),
                });
                return Ok(());
            }
            let shard = shard_of(key, shards);
            if let Some(p) = previous
                .as_ref()
                .filter(|p| !p.pending && p.hash == read.hash)
            {
                // Touched, not changed: only the record is new.
                let record = FileRecord {
                    size,
                    mtime,
                    ..p.clone()
                };
                manifest.insert(key.clone(), record.clone());
                report.unchanged += 1;
                return send(
                    record.shard,
                    Job::Write {
                        key: key.clone(),
                        record,
                        old: 0,
                        rows: Vec::new(),
                    },
                );
            }
            // The rows a file held before: replaced in place on its shard, else deleted.
            let mut old = 0;
            if let Some(p) = previous.clone() {
                if p.shard == shard {
                    old = p.passages;
                } else {
                    bases.remove(&p.base);
                    send(p.shard, Job::Delete(p))?;
                }
                report.updated += 1;
            } else {
                report.added += 1;
            }
            let base = match &previous {
                Some(p) if p.shard == shard => p.base,
                _ => free_base(key, &bases),
            };
            let record = FileRecord {
                shard,
                base,
                root: *root,
                size,
                mtime,
                hash: read.hash,
                passages,
                pending: false,
            };
            report.count_indexed(read.warnings, &read.transcripts);
            bases.insert(base);
            manifest.insert(key.clone(), record.clone());
            send(
                shard,
                Job::Write {
                    key: key.clone(),
                    record,
                    old,
                    rows,
                },
            )
        });
        drop(writers);
        for handle in handles {
            if let Err(e) = handle.join().expect("a shard writer does not panic") {
                failed.get_or_insert(e);
            }
        }
        parsed
    });
    if let Some(e) = failed {
        return Err(err(e));
    }
    parsed?;
    report.undated.sort();
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));

    // The totals: files and passages from the records; persons linked anew only when something
    // changed (or the last table was never finished), so that a run with nothing to do costs
    // one query per shard.
    report.files = manifest.len();
    report.passages = manifest.values().map(|r| r.passages).sum();
    let changed = report.files_indexed > 0 || report.removed > 0 || pending > 0;
    if changed || next_meta.identity_chunks.is_none() {
        let stats = super::identity::gather(&mut conns[0], &url.table).map_err(err)?;
        let persons = crate::index::identity::link(&stats, &aliases);
        next_meta.speakers = persons.len();
        let previous = meta.as_ref().and_then(|m| m.identity_chunks).unwrap_or(0);
        let chunks =
            super::identity::write(&mut conns[0], url, next_meta.generation, persons, previous)
                .map_err(err)?;
        next_meta.identity_chunks = Some(chunks);
    }
    report.speakers = next_meta.speakers;
    next_meta.updated = now();
    write_meta(&mut conns[0], url, &next_meta)?;
    drop(lock);
    report.notes = notes;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Writes the cluster's metadata row (on shard 0).
fn write_meta(conn: &mut Conn, url: &EngineUrl, meta: &ClusterMeta) -> Result<()> {
    let json = serde_json::to_string(meta).expect("metadata serializes");
    conn.exec(&format!(
        "REPLACE INTO {} (id, kind, text) VALUES ({META_ID}, {META}, {})",
        url.shard_table(0),
        literal(&json)
    ))
    .map_err(|e| engine_error(url, e))
}

/// The cluster's metadata row, if it has one.
pub(crate) fn read_meta(conn: &mut Conn, url: &EngineUrl) -> Result<Option<ClusterMeta>> {
    let rows = conn
        .rows(&format!(
            "SELECT id, text FROM {} WHERE id = {META_ID}",
            url.shard_table(0)
        ))
        .map_err(|e| engine_error(url, e))?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    // The first column is the id.
    let json = row.get(1).map_or("", String::as_str);
    serde_json::from_str(json).map(Some).map_err(|_| {
        Error::Engine(format!(
            "the table `{}` at {} holds rows that podium did not write",
            url.shard_table(0),
            url.nodes[0]
        ))
    })
}

/// Reads the file records of one shard into `out`, a page at a time (one query for up to
/// [`RECORDS_PER_QUERY`] files).
fn read_records(
    conn: &mut Conn,
    table: &str,
    shard: usize,
    out: &mut HashMap<String, FileRecord>,
) -> Result<(), SqlError> {
    let mut after = 0u64;
    loop {
        let rows = conn.rows(&format!(
            "SELECT id, file, root, size, mtime, hash, paragraph, kind FROM {table} WHERE kind IN ({RECORD}, {PENDING}) AND id > {after} ORDER BY id ASC LIMIT {RECORDS_PER_QUERY} OPTION max_matches = {RECORDS_PER_QUERY}"
        ))?;
        for row in &rows {
            let base: u64 = num(row, 0);
            after = after.max(base);
            out.insert(
                row.get(1).cloned().unwrap_or_default(),
                FileRecord {
                    shard,
                    base,
                    root: num(row, 2),
                    size: num::<i64>(row, 3) as u64,
                    mtime: num::<i64>(row, 4) as u64,
                    hash: num::<i64>(row, 5) as u64,
                    passages: num(row, 6),
                    pending: num::<u32>(row, 7) == PENDING,
                },
            );
        }
        if rows.len() < RECORDS_PER_QUERY {
            return Ok(());
        }
    }
}

/// Deletes a file's rows: its passages, then its record, so that a run stopped in between
/// leaves a record that still spans what is left.
fn delete_file(conn: &mut Conn, url: &EngineUrl, r: &FileRecord) -> Result<(), SqlError> {
    let table = url.shard_table(r.shard);
    delete_ids(conn, &table, r.base + 1..=r.base + r.passages as u64)?;
    delete_ids(conn, &table, r.base..=r.base)
}

fn delete_ids(
    conn: &mut Conn,
    table: &str,
    ids: std::ops::RangeInclusive<u64>,
) -> Result<(), SqlError> {
    let ids: Vec<u64> = ids.collect();
    for chunk in ids.chunks(5_000) {
        let list: Vec<String> = chunk.iter().map(u64::to_string).collect();
        conn.exec(&format!(
            "DELETE FROM {table} WHERE id IN ({})",
            list.join(",")
        ))?;
    }
    Ok(())
}

/// What a shard's writer does, in the order it is asked.
enum Job {
    /// Write a file's rows ([`passage_rows`]) and its record, over `old` passages.
    Write {
        key: String,
        record: FileRecord,
        old: usize,
        rows: Vec<String>,
    },
    /// Delete a file's rows.
    Delete(FileRecord),
}

/// One shard's writes, in the order they are asked. Files that fit one statement with their
/// record and leave nothing to delete are gathered into statements of about [`BATCH_BYTES`]:
/// the engine indexes each statement as a new segment that it merges later, so fewer, larger
/// statements cost it less. A statement is one commit either way.
struct ShardWriter<'a> {
    conn: &'a mut Conn,
    url: &'a EngineUrl,
    table: String,
    head: String,
    /// Rows of whole files, not yet sent.
    values: String,
}

impl<'a> ShardWriter<'a> {
    fn new(conn: &'a mut Conn, url: &'a EngineUrl, shard: usize) -> ShardWriter<'a> {
        let table = url.shard_table(shard);
        ShardWriter {
            conn,
            url,
            head: format!("REPLACE INTO {table} ({COLUMNS}) VALUES "),
            table,
            values: String::new(),
        }
    }

    fn run(&mut self, job: Job) -> Result<(), SqlError> {
        match job {
            Job::Write {
                key,
                record,
                old,
                rows,
            } => self.write_file(&key, &record, old, &rows),
            Job::Delete(record) => {
                self.flush()?;
                delete_file(self.conn, self.url, &record)
            }
        }
    }

    /// Sends the gathered rows.
    fn flush(&mut self) -> Result<(), SqlError> {
        if !self.values.is_empty() {
            self.conn.exec(&format!("{}{}", self.head, self.values))?;
            self.values.clear();
        }
        Ok(())
    }

    /// Writes a file's passage rows (ids from `record.base + 1`) and its record over the `old`
    /// passages it had (its span, for a pending record), deleting those beyond the new ones.
    ///
    /// A statement is one commit, so a file that fits one statement and leaves nothing to
    /// delete goes with its record in one (gathered with other files). Otherwise a pending
    /// record spanning old and new ids goes first: a run stopped before the last statement
    /// leaves a record that says so.
    fn write_file(
        &mut self,
        key: &str,
        record: &FileRecord,
        old: usize,
        rows: &[String],
    ) -> Result<(), SqlError> {
        let mut groups = Vec::new();
        let mut values = String::new();
        let mut start = |values: &mut String, len: usize| {
            if !values.is_empty() {
                if values.len() + len > BATCH_BYTES {
                    groups.push(std::mem::take(values));
                } else {
                    values.push(',');
                }
            }
        };
        for (i, row) in rows.iter().enumerate() {
            start(&mut values, row.len() + 24);
            let _ = write!(values, "({}, {row}", record.base + 1 + i as u64);
        }
        let last = record_row(key, record);
        start(&mut values, last.len());
        values.push_str(&last);
        groups.push(values);
        let new = record.passages;
        if groups.len() == 1 && old <= new {
            let values = &groups[0];
            if !self.values.is_empty() && self.values.len() + values.len() > BATCH_BYTES {
                self.flush()?;
            }
            if !self.values.is_empty() {
                self.values.push(',');
            }
            self.values.push_str(values);
            return Ok(());
        }
        self.flush()?;
        let pending = FileRecord {
            passages: old.max(new),
            pending: true,
            ..record.clone()
        };
        let head = &self.head;
        self.conn
            .exec(&format!("{head}{}", record_row(key, &pending)))?;
        let base = record.base;
        delete_ids(
            self.conn,
            &self.table,
            base + 1 + new as u64..=base + old as u64,
        )?;
        for values in &groups {
            self.conn.exec(&format!("{}{values}", self.head))?;
        }
        Ok(())
    }
}

/// The base id for a new file: from a hash of its key, the next free one if taken.
fn free_base(key: &str, taken: &HashSet<u64>) -> u64 {
    const SLOTS: u64 = (1 << 46) - 1;
    let mut slot = corpus::content_hash(key.as_bytes()) % SLOTS;
    loop {
        let base = (slot + 1) << 16;
        if !taken.contains(&base) {
            return base;
        }
        slot = (slot + 1) % SLOTS;
    }
}

/// `(values…)` of a file record.
fn record_row(key: &str, r: &FileRecord) -> String {
    format!(
        "({}, '', '', '', {}, '', '', '', '', '', '', '', '', {}, {}, {}, 0, 0, 0, 0, {}, {}, {})",
        r.base,
        if r.pending { PENDING } else { RECORD },
        literal(key),
        r.root,
        r.passages,
        r.size as i64,
        r.mtime as i64,
        r.hash as i64
    )
}

thread_local! {
    /// Each worker's analyzer of the `words` stream.
    static WORDS: RefCell<TextAnalyzer> = RefCell::new(crate::analysis::words_analyzer());
}

/// The values of each passage of a transcript after the id (`exact, …)`): rows are made on
/// the workers, before the file's ids are known.
fn passage_rows(aliases: &Aliases, (root, file_key): (usize, &str), t: &Transcript) -> Vec<String> {
    let mut speakers: HashMap<&str, (String, String)> = HashMap::new();
    let day = t.date.map_or(0, |d| d.to_number());
    let (path, title, file) = (literal(&t.path), literal(&t.title), literal(file_key));
    t.passages
        .iter()
        .enumerate()
        .map(|(paragraph, p)| {
            let (speaker, speaker_tags) = match &p.speaker {
                Some(s) => speakers
                    .entry(s)
                    .or_insert_with(|| {
                        let canonical = aliases.canonical(s);
                        let tags: Vec<String> = aliases
                            .keys(canonical)
                            .iter()
                            .map(|k| tokens::speaker_tag(k))
                            .collect();
                        (literal(canonical), tags.join(" "))
                    })
                    .clone(),
                None => ("''".to_string(), String::new()),
            };
            let tags = format!(
                "{} {} {speaker_tags}",
                tokens::lang_tag(p.lang.as_str()),
                tokens::role_tag(p.role.as_str())
            );
            format!(
                "{}, {}, {}, {PASSAGE}, {}, {title}, {speaker}, {}, {}, {}, {}, {path}, {file}, {root}, {paragraph}, {day}, {}, {}, {}, 0, 0, 0)",
                literal(&tokens::exact(&p.text)),
                WORDS.with(|a| literal(&tokens::words(&mut a.borrow_mut(), &p.text))),
                literal(tags.trim_end()),
                literal(&p.text),
                literal(p.label.as_deref().unwrap_or_default()),
                literal(p.attribution.as_str()),
                literal(p.role.as_str()),
                literal(p.lang.as_str()),
                day / 10_000,
                crate::index::text_hash(&p.text) as i64,
                u8::from(p.role == Role::Question),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_keys_get_distinct_bases() {
        let mut taken = HashSet::new();
        let a = free_base("0/a.txt", &taken);
        assert_eq!(a % (1 << 16), 0);
        assert!(a > META_ID);
        taken.insert(a);
        let again = free_base("0/a.txt", &taken);
        assert_ne!(a, again);
        assert_eq!(again, a + (1 << 16));
    }
}
