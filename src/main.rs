//! The `podium` binary: parse arguments, call one operation ([`podium::ops`]), print, exit.
//! One short function per command; nothing else.

mod cli;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use cli::{Cli, Color, Command};
use podium::index;
use podium::ops::{self, Podium, Target};
use podium::render::{self, json, text};

/// grep's convention: 0 found, 1 nothing found, 2 trouble.
const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const TROUBLE: u8 = 2;

/// Where commands print: stdout, buffered.
type Out<'a> = io::BufWriter<io::StdoutLock<'a>>;

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

fn run(cli: Cli) -> anyhow::Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Index(args) => index(args, &mut out)?,
        Command::Search(args) => search(args, &mut out)?,
        Command::First(args) => first(args, &mut out)?,
        Command::Trend(args) => trend(args, &mut out)?,
        Command::Show(args) => show(args, &mut out)?,
        Command::Stats(args) => stats(args, &mut out)?,
        Command::Speakers(args) => speakers(args, &mut out)?,
        Command::Inspect(args) => inspect(args, &mut out)?,
        Command::Engine(cli::EngineCommand::Config(args)) => engine_config(args, &mut out)?,
        Command::Serve(args) => {
            drop(out);
            return serve(args);
        }
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "podium", &mut out);
            FOUND
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            FOUND
        }
    };
    out.flush()?;
    Ok(code)
}

fn found(any: bool) -> u8 {
    if any {
        FOUND
    } else {
        NOT_FOUND
    }
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

fn index(args: cli::IndexArgs, out: &mut Out) -> anyhow::Result<u8> {
    let mut options = index::IndexOptions::new(&args.location.index);
    options.threads = args.threads;
    options.speakers_file = args.speakers;
    options.rebuild = args.rebuild;
    let bar = (!args.quiet && !args.json && io::stderr().is_terminal()).then(progress_bar);
    if let Some(bar) = bar.clone() {
        options.progress = Some(std::sync::Arc::new(move |p: index::Progress| {
            bar.set_length(p.files_total as u64);
            bar.set_position(p.files_done as u64);
            bar.set_message(format!("{:.1} MB", p.bytes_done as f64 / 1e6));
        }));
    }
    let report = match &args.location.engine {
        Some(url) => ops::index_cluster(&args.dirs, url, &options),
        None => ops::index(&args.dirs, &options),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    for note in &report.notes {
        eprintln!("podium: {note}");
    }
    for s in report.skipped.iter().chain(&report.warnings) {
        eprintln!("podium: {}: {}", s.path, s.reason);
    }
    if args.json {
        json::value(out, &report)?;
    } else if !args.quiet {
        text::index_report(out, &report)?;
    }
    Ok(found(
        report.skipped.is_empty() && report.warnings.is_empty(),
    ))
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

fn search(args: cli::SearchArgs, out: &mut Out) -> anyhow::Result<u8> {
    let podium = args.location.open()?;
    let mut request = args.filters.request(&args.query);
    let export = args.csv || args.jsonl;
    request.limit = args.limit.unwrap_or(if export { usize::MAX } else { 10 });
    request.offset = args.offset;
    request.snippet_chars = args.snippet.max(10);
    request.collapse = !args.duplicates;
    request.sort = args.sort.into();
    if let Some(file) = &args.queries {
        let kwic = args.kwic.then_some(args.width);
        return batch(&podium, &request, file, (args.context, kwic), out);
    }
    if export {
        let page = podium.page(&request, args.context)?;
        if args.csv {
            let mut rows = render::csv::HitRows::new(&mut *out, args.csv_bom)?;
            for hit in page.hits() {
                rows.row(&hit?)?;
            }
            rows.finish()?;
        } else {
            for hit in page.hits() {
                json::hit_line(out, &hit?)?;
            }
        }
        return Ok(found(page.total() > 0));
    }
    let results = podium.search(&request, args.context)?;
    let style = style(args.color);
    match (args.kwic, args.json) {
        (true, true) => render::kwic::render_json(out, &results, args.width)?,
        (true, false) => render::kwic::render(out, style, &results, args.width)?,
        (false, true) => json::search(out, &results)?,
        (false, false) => text::search(out, style, &results, args.facets)?,
    }
    let code = found(results.total > 0);
    // The process ends next: leave the index mapped and the results allocated for the kernel
    // to reclaim at once, rather than unmapping and freeing them one by one (issue 12).
    std::mem::forget((podium, results));
    Ok(code)
}

/// `search --queries FILE`: one JSON line per query of FILE (`-`: stdin), as `--json` (or
/// `--kwic --json`) would print it alone, with its id first.
fn batch(
    podium: &Podium,
    template: &podium::search::SearchRequest,
    file: &std::path::Path,
    (context, kwic): (u64, Option<usize>),
    out: &mut Out,
) -> anyhow::Result<u8> {
    let input: Box<dyn io::BufRead> = if file.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        let opened = std::fs::File::open(file)
            .with_context(|| format!("reading queries from {}", file.display()))?;
        Box::new(io::BufReader::new(opened))
    };
    let summary = podium
        .batch(input, template, context, |line, outcome| {
            match (outcome, kwic) {
                (Ok(results), Some(width)) => {
                    json::batch_line(out, &line.id, render::kwic::json_value(results, width))
                }
                (Ok(results), None) => json::batch_line(out, &line.id, json::search_value(results)),
                (Err(error), _) => {
                    json::batch_error(out, &line.id, line.query.as_deref().ok(), &error)
                }
            }
        })
        .with_context(|| format!("reading queries from {}", file.display()))?;
    Ok(if summary.errors > 0 {
        TROUBLE
    } else {
        found(summary.matched > 0)
    })
}

fn first(args: cli::FirstArgs, out: &mut Out) -> anyhow::Result<u8> {
    let podium = args.location.open()?;
    let mut request = args.filters.request(&args.query);
    request.snippet_chars = args.snippet.max(10);
    let by = args.by.map(Into::into);
    let limit = args.limit.unwrap_or(if by.is_some() { 20 } else { 1 });
    let first = podium.first(&request, by, limit)?;
    if args.json {
        json::value(out, &first)?;
    } else {
        render::views::first(out, style(args.color), &first)?;
    }
    Ok(found(first.total > 0))
}

fn trend(args: cli::TrendArgs, out: &mut Out) -> anyhow::Result<u8> {
    let podium = args.location.open()?;
    let request = args.filters.request(&args.query);
    let top = if args.split_by.is_some() { args.top } else { 0 };
    let trend = podium.trend(&request, args.by.into(), top)?;
    if args.json {
        json::value(out, &trend)?;
    } else if args.csv {
        render::views::trend_csv(out, &trend)?;
    } else {
        render::views::trend(out, style(args.color), &trend, 50)?;
    }
    Ok(found(trend.total > 0))
}

fn show(args: cli::ShowArgs, out: &mut Out) -> anyhow::Result<u8> {
    let podium = args.location.open()?;
    let shown = podium.show(&Target::parse(&args.target), args.context)?;
    if args.json {
        json::value(out, &shown.passages)?;
    } else {
        let style = style(args.color);
        render::views::passages(out, style, &shown.passages, shown.paragraph, "")?;
    }
    Ok(FOUND)
}

fn stats(args: cli::StatsArgs, out: &mut Out) -> anyhow::Result<u8> {
    let stats = args.location.open()?.stats()?;
    if args.json {
        json::value(out, &stats)?;
    } else {
        render::views::stats(out, &stats)?;
    }
    Ok(FOUND)
}

fn speakers(args: cli::SpeakersArgs, out: &mut Out) -> anyhow::Result<u8> {
    let speakers = args.location.open()?.speakers()?;
    if args.json {
        json::speakers(out, &speakers)?;
    } else {
        text::speakers(out, style(args.color), &speakers, args.variants)?;
    }
    Ok(found(!speakers.is_empty()))
}

fn engine_config(args: cli::EngineConfigArgs, out: &mut Out) -> anyhow::Result<u8> {
    use podium::engine::config;
    let options = config::ConfigOptions {
        nodes: args.nodes,
        data: config::absolute(&args.data)?,
        table: args.table,
        hosts: args.host,
        port: args.port,
        flavor: match args.manticore {
            true => config::Flavor::Manticore,
            false => config::Flavor::Sphinx,
        },
    };
    let nodes = config::generate(&options)?;
    config::write(&nodes)?;
    write!(out, "{}", config::instructions(&options, &nodes))?;
    Ok(FOUND)
}

fn inspect(args: cli::InspectArgs, out: &mut Out) -> anyhow::Result<u8> {
    let inspection = ops::inspect(&args.files);
    for problem in &inspection.problems {
        eprintln!("podium: {problem}");
    }
    if args.json {
        json::value(out, &inspection.transcripts)?;
    } else {
        text::transcripts(out, style(args.color), &inspection.transcripts)
            .context("writing output")?;
    }
    Ok(if inspection.failed { TROUBLE } else { FOUND })
}

fn serve(args: cli::ServeArgs) -> anyhow::Result<u8> {
    let mut options = podium::serve::Options::new(args.location.index, args.addr);
    options.engine = args.location.engine;
    podium::serve::run(options)?;
    Ok(FOUND)
}
