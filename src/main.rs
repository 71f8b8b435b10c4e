//! The `podium` binary: parse arguments, call the library, print, exit. Nothing else.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use cli::{Cli, Color, Command, Filters, LangArg, PeriodArg, RoleArg};
use podium::render::{self, json, text};
use podium::search::views::Period;
use podium::search::{SearchRequest, Searcher};
use podium::transcript::{Lang, Role};
use podium::{corpus, index, transcript};

/// grep's convention: 0 found, 1 nothing found, 2 trouble.
const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const TROUBLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(FOUND),
        Err(err) => {
            eprintln!("podium: {err:#}");
            ExitCode::from(TROUBLE)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Files, throughput and time left, on stderr; only on a terminal.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} indexing [{bar:30}] {pos}/{len} files, {msg} ({per_sec}, {eta} left)",
    )
    .expect("a valid progress template")
    .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// The query and filters shared by `search` and `trend`.
fn request(query: Vec<String>, filters: Filters) -> SearchRequest {
    let mut request = SearchRequest::new(query.join(" "));
    request.speakers = filters.speaker;
    request.from = filters.from;
    request.to = filters.to;
    request.lang = filters.lang.map(|l| match l {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    });
    request.role = filters.role.map(|r| match r {
        RoleArg::Question => Role::Question,
        RoleArg::Answer => Role::Answer,
    });
    request
}

fn style(color: Color) -> text::Style {
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    text::Style { color: on }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Index {
            dirs,
            location,
            json,
            quiet,
            speakers,
            rebuild,
            threads,
        } => {
            let mut options = index::IndexOptions::new(&location.index);
            options.threads = threads;
            options.speakers_file = speakers;
            options.rebuild = rebuild;
            let bar = (!quiet && !json && io::stderr().is_terminal()).then(progress_bar);
            if let Some(bar) = bar.clone() {
                options.progress = Some(std::sync::Arc::new(move |p: index::Progress| {
                    bar.set_length(p.files_total as u64);
                    bar.set_position(p.files_done as u64);
                    bar.set_message(format!("{:.1} MB", p.bytes_done as f64 / 1e6));
                }));
            }
            let report = index::index_roots(&dirs, &options);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            let report = report?;
            for s in report.skipped.iter().chain(&report.warnings) {
                eprintln!("podium: {}: {}", s.path, s.reason);
            }
            if json {
                json::value(&mut out, &report)?;
            } else if !quiet {
                text::index_report(&mut out, &report)?;
            }
            if report.skipped.is_empty() && report.warnings.is_empty() {
                FOUND
            } else {
                NOT_FOUND
            }
        }
        Command::Search {
            query,
            location,
            filters,
            limit,
            offset,
            facets,
            snippet,
            context,
            duplicates,
            kwic,
            width,
            json,
            color,
        } => {
            let searcher = Searcher::open(&location.index)?;
            let mut request = request(query, filters);
            request.limit = limit;
            request.offset = offset;
            request.snippet_chars = snippet.max(10);
            request.collapse = !duplicates;
            let mut results = searcher.search(&request)?;
            if context > 0 {
                searcher.add_context(&mut results, context)?;
            }
            match (kwic, json) {
                (true, true) => render::kwic::render_json(&mut out, &results, width)?,
                (true, false) => render::kwic::render(&mut out, style(color), &results, width)?,
                (false, true) => json::search(&mut out, &results)?,
                (false, false) => text::search(&mut out, style(color), &results, facets)?,
            }
            if results.total > 0 {
                FOUND
            } else {
                NOT_FOUND
            }
        }
        Command::Trend {
            query,
            location,
            by,
            split_by,
            top,
            filters,
            json,
            csv,
            color,
        } => {
            let searcher = Searcher::open(&location.index)?;
            let request = request(query, filters);
            let by = match by {
                PeriodArg::Year => Period::Year,
                PeriodArg::Month => Period::Month,
                PeriodArg::Week => Period::Week,
            };
            let split = if split_by.is_some() { top } else { 0 };
            let trend = searcher.trend(&request, by, split)?;
            if json {
                json::value(&mut out, &trend)?;
            } else if csv {
                render::views::trend_csv(&mut out, &trend)?;
            } else {
                render::views::trend(&mut out, style(color), &trend, 50)?;
            }
            if trend.total > 0 {
                FOUND
            } else {
                NOT_FOUND
            }
        }
        Command::Show {
            target,
            location,
            context,
            json,
            color,
        } => {
            let searcher = Searcher::open(&location.index)?;
            let (path, paragraph) = match target.rsplit_once(':') {
                Some((path, n)) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => {
                    (path.to_string(), n.parse::<u64>().ok())
                }
                _ => (target.clone(), None),
            };
            let mut passages = searcher.transcript(&path)?;
            if passages.is_empty() {
                anyhow::bail!(
                    "{path}: no such transcript in the index (paths are shown by `podium search`)"
                );
            }
            if let Some(p) = paragraph {
                if !passages.iter().any(|n| n.paragraph == p) {
                    anyhow::bail!("{path} has paragraphs 0 to {}, not {p}", passages.len() - 1);
                }
                passages.retain(|n| n.paragraph + context >= p && n.paragraph <= p + context);
            }
            if json {
                json::value(&mut out, &passages)?;
            } else {
                render::views::passages(&mut out, style(color), &passages, paragraph, "")?;
            }
            FOUND
        }
        Command::Stats { location, json } => {
            let searcher = Searcher::open(&location.index)?;
            let stats = searcher.stats()?;
            if json {
                json::value(&mut out, &stats)?;
            } else {
                render::views::stats(&mut out, &stats)?;
            }
            FOUND
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "podium", &mut out);
            FOUND
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            FOUND
        }
        Command::Speakers {
            location,
            json,
            color,
        } => {
            let searcher = Searcher::open(&location.index)?;
            let speakers = searcher.speakers()?;
            if json {
                json::speakers(&mut out, &speakers)?;
            } else {
                text::speakers(&mut out, style(color), &speakers)?;
            }
            if speakers.is_empty() {
                NOT_FOUND
            } else {
                FOUND
            }
        }
        Command::Inspect { files, json, color } => {
            let style = style(color);
            let mut parsed = Vec::new();
            let mut failed = false;
            for path in &files {
                let source = corpus::SourceFile {
                    path: path.clone(),
                    rel: path.display().to_string(),
                };
                match corpus::read(&source) {
                    Ok(read) => {
                        for w in &read.warnings {
                            eprintln!("podium: {w}");
                        }
                        parsed.extend(read.documents.iter().map(transcript::split));
                    }
                    Err(e) => {
                        eprintln!("podium: {e}");
                        failed = true;
                    }
                }
            }
            if json {
                json::value(&mut out, &parsed)?;
            } else {
                for (i, t) in parsed.iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    text::transcript(&mut out, style, t).context("writing output")?;
                }
            }
            if failed {
                TROUBLE
            } else {
                FOUND
            }
        }
    };
    out.flush()?;
    Ok(code)
}
