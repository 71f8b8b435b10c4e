//! Many queries over one open index (`podium search --queries FILE`): lines in, one outcome
//! per query out.
//!
//! A queries file has one query per line, or `ID<TAB>QUERY`; blank lines are skipped. Each
//! query is the template request with its query replaced, so every flag applies to every query
//! and a query's results are those of a separate search. A bad line (a query that does not
//! parse, bytes that are not UTF-8) is an outcome like any other: the run never stops at it.
//! Only reading the input itself can fail the run. The searches of a chunk of lines run on
//! every core, and the answers come out in input order.

use std::io::{self, BufRead};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{SearchRequest, SearchResults};
use crate::Result;

/// One query of a batch: its id (given, or the 1-based line number) and its text, or why the
/// line cannot be a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLine {
    pub id: String,
    pub query: std::result::Result<String, String>,
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Lines that were queries (blank lines are not).
    pub queries: usize,
    /// Of those, how many failed (a bad query, a line that is not UTF-8).
    pub errors: usize,
    /// Of those, how many matched something.
    pub matched: usize,
}

/// Parses one line (without its line ending) as a query: `QUERY` or `ID<TAB>QUERY`. `None`
/// for a blank line.
pub fn parse_line(number: usize, bytes: &[u8]) -> Option<BatchLine> {
    let Ok(line) = std::str::from_utf8(bytes) else {
        return Some(BatchLine {
            id: number.to_string(),
            query: Err(format!("line {number} is not valid UTF-8")),
        });
    };
    if line.trim().is_empty() {
        return None;
    }
    let (id, query) = match line.split_once('\t') {
        Some((id, query)) if !id.trim().is_empty() => (id.trim().to_string(), query),
        Some((_, query)) => (number.to_string(), query),
        None => (number.to_string(), line),
    };
    Some(BatchLine {
        id,
        query: Ok(query.trim().to_string()),
    })
}

/// How many lines are read and answered together: enough to keep every core busy, few enough
/// that answers come out steadily and memory stays small.
const CHUNK_PER_THREAD: usize = 16;

/// Reads queries from `input` and runs each with `search` on `template` with its query
/// replaced, on `threads` threads (at least one), handing every outcome to `emit` in input
/// order. Lines are answered a chunk at a time, so a long input streams.
pub fn run(
    input: impl BufRead,
    template: &SearchRequest,
    threads: usize,
    search: impl Fn(&SearchRequest) -> Result<SearchResults> + Sync,
    mut emit: impl FnMut(&BatchLine, std::result::Result<&SearchResults, String>) -> io::Result<()>,
) -> io::Result<BatchSummary> {
    let threads = threads.max(1);
    let mut summary = BatchSummary::default();
    let mut input = input;
    let mut buf = Vec::new();
    let mut number = 0;
    let mut ended = false;
    while !ended {
        let mut chunk = Vec::new();
        while chunk.len() < threads * CHUNK_PER_THREAD {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                ended = true;
                break;
            }
            number += 1;
            let bytes = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            chunk.extend(parse_line(number, bytes));
        }
        let outcomes = answer(&chunk, template, threads, &search);
        for (line, outcome) in chunk.iter().zip(&outcomes) {
            summary.queries += 1;
            match outcome {
                Ok(results) if results.total > 0 => summary.matched += 1,
                Ok(_) => {}
                Err(_) => summary.errors += 1,
            }
            emit(line, outcome.as_ref().map_err(String::clone))?;
        }
    }
    Ok(summary)
}

/// The outcome of each line, in order, the searches shared among `threads` threads.
fn answer(
    lines: &[BatchLine],
    template: &SearchRequest,
    threads: usize,
    search: &(impl Fn(&SearchRequest) -> Result<SearchResults> + Sync),
) -> Vec<std::result::Result<SearchResults, String>> {
    let one = |line: &BatchLine| match &line.query {
        Ok(query) => {
            let mut request = template.clone();
            request.query = query.clone();
            search(&request).map_err(|e| message(&e))
        }
        Err(e) => Err(e.clone()),
    };
    if threads == 1 || lines.len() < 2 {
        return lines.iter().map(one).collect();
    }
    // Each thread takes the next unanswered line, so a slow query does not hold a share back.
    let next = AtomicUsize::new(0);
    let mut answered: Vec<(usize, std::result::Result<SearchResults, String>)> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(lines.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(line) = lines.get(i) else {
                                break mine;
                            };
                            mine.push((i, one(line)));
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("a batch search does not panic"))
                .collect()
        });
    answered.sort_by_key(|(i, _)| *i);
    answered.into_iter().map(|(_, outcome)| outcome).collect()
}

/// An error and its causes, as the command line prints them (`bad query: column 3: …`).
pub fn message(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, query: &str) -> Option<BatchLine> {
        Some(BatchLine {
            id: id.into(),
            query: Ok(query.into()),
        })
    }

    #[test]
    fn lines_are_queries_with_an_optional_id() {
        let table: &[(&[u8], Option<BatchLine>)] = &[
            (b"trade war", line("7", "trade war")),
            (b"q1\t\"trade war\"", line("q1", "\"trade war\"")),
            (b"\ttrade", line("7", "trade")),
            (
                b" claim 12 \t \xe5\x91\xbd\xe8\xbf\x90 ",
                line("claim 12", "命运"),
            ),
            (b"   ", None),
            (b"", None),
        ];
        for (bytes, expected) in table {
            assert_eq!(
                &parse_line(7, bytes),
                expected,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
        let bad = parse_line(3, b"caf\xe9").expect("a line");
        assert_eq!(bad.id, "3");
        assert_eq!(bad.query, Err("line 3 is not valid UTF-8".to_string()));
    }

    #[test]
    fn every_line_is_answered_in_order_and_errors_do_not_stop_the_run() {
        let input: &[u8] = b"a\n\nbad\r\nid9\tc\n\xff\n";
        for threads in [1, 3] {
            let mut seen = Vec::new();
            let summary = run(
                input,
                &SearchRequest::new(""),
                threads,
                |request| {
                    if request.query == "bad" {
                        return Err(crate::Error::Usage("no good".into()));
                    }
                    Ok(SearchResults {
                        query: request.query.clone(),
                        total: usize::from(request.query == "a"),
                        hits: Vec::new(),
                        facets: Default::default(),
                    })
                },
                |line, outcome| {
                    seen.push((line.id.clone(), outcome.map(|r| r.total)));
                    Ok(())
                },
            )
            .expect("reading a slice cannot fail");
            assert_eq!(
                seen,
                vec![
                    ("1".into(), Ok(1)),
                    ("3".into(), Err("no good".into())),
                    ("id9".into(), Ok(0)),
                    ("5".into(), Err("line 5 is not valid UTF-8".into())),
                ]
            );
            assert_eq!(
                summary,
                BatchSummary {
                    queries: 4,
                    errors: 2,
                    matched: 1
                }
            );
        }
    }

    #[test]
    fn answers_keep_input_order_across_chunks_and_threads() {
        let input: String = (0..150)
            .map(|i| format!("{}\n", "x".repeat(i % 37 + 1)))
            .collect();
        let mut totals = Vec::new();
        let summary = run(
            input.as_bytes(),
            &SearchRequest::new(""),
            4,
            |request| {
                Ok(SearchResults {
                    query: request.query.clone(),
                    total: request.query.len(),
                    hits: Vec::new(),
                    facets: Default::default(),
                })
            },
            |line, outcome| {
                totals.push((line.id.clone(), outcome.map(|r| r.total)));
                Ok(())
            },
        )
        .expect("reading a slice cannot fail");
        let want: Vec<_> = (0..150)
            .map(|i| ((i + 1).to_string(), Ok(i % 37 + 1)))
            .collect();
        assert_eq!(totals, want);
        assert_eq!(summary.queries, 150);
    }
}
