//! Command-line definitions (clap derive). Arguments become the library's option structs here;
//! the library never sees clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "podium",
    version,
    about = "Search what public figures said: speaker-attributed passages from transcripts in English and Chinese.",
    after_help = "Examples:\n  podium index sample-corpus\n  podium search '\"community with a shared future\"' --speaker 'Zhao Lijian'\n  podium search 命运共同体 --from 2020 --json"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Year,
    Month,
    Week,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    Speaker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Question,
    Answer,
}

/// The filters `search` and `trend` share.
#[derive(Debug, clap::Args)]
pub struct Filters {
    /// Only passages by this speaker (repeatable: any of them; case-insensitive).
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only transcripts dated on or after this day: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only transcripts dated on or before this day: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only passages in this language.
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Only questions, or only answers and statements.
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
}

#[derive(Debug, clap::Args)]
pub struct IndexLocation {
    /// Where the index lives.
    #[arg(
        long,
        value_name = "PATH",
        env = "PODIUM_INDEX",
        default_value = "index"
    )]
    pub index: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read every transcript (.txt, .md) under DIR and build the search index.
    #[command(
        after_help = "Examples:\n  podium index sample-corpus\n  podium index ~/transcripts --index ~/podium-index\n  podium index sample-corpus --json\n\nExit status: 0 when every file was indexed, 1 when some files were skipped (the index is\nstill written; the summary lists them), 2 on error."
    )]
    Index {
        /// Directories (or files) to index.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        location: IndexLocation,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// No progress bar and no summary (problems with files are still reported).
        #[arg(long, short)]
        quiet: bool,
        /// A speakers file mapping name variants to one name (see the README); a
        /// `speakers.toml` at the root of DIR is read as well.
        #[arg(long, value_name = "FILE")]
        speakers: Option<PathBuf>,
        /// Build a new index beside the old one and swap it in (done automatically when the
        /// index was written by an incompatible version).
        #[arg(long)]
        rebuild: bool,
        /// Worker threads (default: one per core).
        #[arg(long, default_value_t = 0, hide_default_value = true)]
        threads: usize,
    },
    /// Search the index: ranked passages with snippets, speaker and year counts.
    #[command(
        after_help = "Query language:\n  trade war              passages with both words (inflections match: sanction finds sanctions)\n  \"trade war\"            the exact phrase (\"a b\"~3: within three positions)\n  命运共同体              Chinese: every passage containing these characters in this order\n  tariffs OR sanctions   either word\n  -taiwan                exclude a word or \"a phrase\"\n  sanct*                 words starting with sanct\n  speaker:赵立坚 lang:zh role:answer   filters inside the query\n\nExamples:\n  podium search '\"shared future\"' --speaker 'Zhao Lijian' --from 2020-01 --to 2021\n  podium search 中美 关系 --lang zh --limit 5\n  podium search sanctions --json | jq '.hits[].speaker'\n  podium search '\"trade war\"' --kwic --limit 50 --width 30\n\nExit status: 0 when something matched, 1 when nothing did, 2 on error."
    )]
    Search {
        /// The query (several arguments are joined with spaces; quote a query that starts with `-`).
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        #[command(flatten)]
        location: IndexLocation,
        #[command(flatten)]
        filters: Filters,
        /// How many hits to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Skip this many hits first (for paging).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// How many speakers to list under the hits.
        #[arg(long, default_value_t = 10, value_name = "N")]
        facets: usize,
        /// Snippet length in characters.
        #[arg(long, default_value_t = 160, value_name = "CHARS")]
        snippet: usize,
        /// Show N passages of the same transcript before and after each hit.
        #[arg(long, default_value_t = 0, value_name = "N")]
        context: u64,
        /// List every matching passage: by default a text that several passages share (a
        /// statement read twice, a record's boilerplate) is listed once, at its best rank, with
        /// the number of others.
        #[arg(long)]
        duplicates: bool,
        /// Concordance: one line per occurrence, aligned on the match, with date and speaker.
        #[arg(long)]
        kwic: bool,
        /// Columns of context on each side of the match with --kwic.
        #[arg(long, default_value_t = 40, value_name = "COLUMNS")]
        width: usize,
        /// Print one JSON object (see the README for its shape).
        #[arg(long)]
        json: bool,
        /// Colour: auto (on a terminal, unless NO_COLOR is set), always, never.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Matches per year, month or week, as a bar chart (or JSON, or CSV).
    #[command(
        after_help = "Examples:\n  podium trend '\"community with a shared future\"' --by year\n  podium trend 命运共同体 --by month --split-by speaker\n  podium trend sanctions --from 2020 --by week --csv > sanctions.csv\n\nExit status: 0 when something matched, 1 when nothing did, 2 on error."
    )]
    Trend {
        /// The query (as for `podium search`).
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        #[command(flatten)]
        location: IndexLocation,
        /// The width of a period.
        #[arg(long, value_enum, default_value_t = PeriodArg::Year)]
        by: PeriodArg,
        /// One series per top speaker.
        #[arg(long, value_enum)]
        split_by: Option<SplitArg>,
        /// How many speakers with --split-by speaker.
        #[arg(long, default_value_t = 5, value_name = "N")]
        top: usize,
        #[command(flatten)]
        filters: Filters,
        /// Print one JSON object: query, by, total, undated, periods, counts, series.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Comma-separated values: period, count (and one column per speaker).
        #[arg(long)]
        csv: bool,
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Print a transcript from the index with its speakers, or the passages around one paragraph.
    #[command(
        after_help = "Examples:\n  podium show mfa-en/2020-04-22.txt\n  podium show mfa-en/2020-04-22.txt:10 --context 3"
    )]
    Show {
        /// PATH as search results show it, optionally with :PARAGRAPH.
        #[arg(value_name = "PATH[:PARAGRAPH]")]
        target: String,
        #[command(flatten)]
        location: IndexLocation,
        /// With :PARAGRAPH, how many passages to show on each side.
        #[arg(long, default_value_t = 5, value_name = "N")]
        context: u64,
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Files, passages, speakers, languages, date range, size and age of the index.
    #[command(after_help = "Examples:\n  podium stats\n  podium stats --json")]
    Stats {
        #[command(flatten)]
        location: IndexLocation,
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  podium completions bash > ~/.local/share/bash-completion/completions/podium\n  podium completions zsh > ~/.zfunc/_podium"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from the same definitions as --help.
    #[command(after_help = "Examples:\n  podium man > podium.1 && man ./podium.1")]
    Man,
    /// List every speaker in the index with the number of passages.
    #[command(after_help = "Examples:\n  podium speakers | head\n  podium speakers --json")]
    Speakers {
        #[command(flatten)]
        location: IndexLocation,
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Show how files are parsed: title, date (and where it came from), language, passages.
    #[command(
        after_help = "Examples:\n  podium inspect sample-corpus/en/2021-03-02-briefing.txt\n  podium inspect sample-corpus/web/*.txt --json"
    )]
    Inspect {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
}
