//! Command-line definitions (clap derive). Arguments become the library's option structs here;
//! the library never sees clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use podium::search::first::FirstBy;
use podium::search::views::Period;
use podium::search::{SearchRequest, Sort};
use podium::transcript::{Lang, Role};

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
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Oldest first.
    Date,
    /// Newest first.
    #[value(name = "-date")]
    NewestFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FirstByArg {
    Speaker,
    Year,
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

impl Filters {
    /// The request for `query` (its words joined with spaces) with these filters.
    pub fn request(self, query: &[String]) -> SearchRequest {
        let mut request = SearchRequest::new(query.join(" "));
        request.speakers = self.speaker;
        request.from = self.from;
        request.to = self.to;
        request.lang = self.lang.map(Lang::from);
        request.role = self.role.map(Role::from);
        request
    }
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Question => Role::Question,
            RoleArg::Answer => Role::Answer,
        }
    }
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Oldest,
            SortArg::NewestFirst => Sort::Newest,
        }
    }
}

impl From<FirstByArg> for FirstBy {
    fn from(b: FirstByArg) -> FirstBy {
        match b {
            FirstByArg::Speaker => FirstBy::Speaker,
            FirstByArg::Year => FirstBy::Year,
        }
    }
}

impl From<PeriodArg> for Period {
    fn from(p: PeriodArg) -> Period {
        match p {
            PeriodArg::Year => Period::Year,
            PeriodArg::Month => Period::Month,
            PeriodArg::Week => Period::Week,
        }
    }
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
    /// A search cluster instead of the index: sphinxql://HOST:PORT[,HOST:PORT…]/TABLE (see
    /// `podium engine config`).
    #[arg(long, value_name = "URL", env = "PODIUM_ENGINE")]
    pub engine: Option<String>,
}

impl IndexLocation {
    /// The cluster if `--engine` (or `PODIUM_ENGINE`) names one, else the index.
    pub fn open(&self) -> podium::Result<podium::ops::Podium> {
        podium::ops::Podium::open_either(&self.index, self.engine.as_deref())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read every transcript (.txt, .md) under DIR and build the search index.
    #[command(
        after_help = "Examples:\n  podium index sample-corpus\n  podium index ~/transcripts --index ~/podium-index\n  podium index sample-corpus --json\n\nExit status: 0 when every file was indexed, 1 when some files were skipped (the index is\nstill written; the summary lists them), 2 on error."
    )]
    Index(IndexArgs),
    /// Search the index: ranked passages with snippets, speaker and year counts.
    #[command(
        after_help = "Query language:\n  trade war              passages with both words (inflections match: sanction finds sanctions)\n  \"trade war\"            the exact phrase (\"a b\"~3: within three positions)\n  命运共同体              Chinese: every passage containing these characters in this order\n  tariffs OR sanctions   either word\n  -taiwan                exclude a word or \"a phrase\"\n  sanct*                 words starting with sanct\n  speaker:赵立坚 lang:zh role:answer   filters inside the query\n\nExamples:\n  podium search '\"shared future\"' --speaker 'Zhao Lijian' --from 2020-01 --to 2021\n  podium search 中美 关系 --lang zh --limit 5\n  podium search sanctions --json | jq '.hits[].speaker'\n  podium search '\"trade war\"' --kwic --limit 50 --width 30\n  podium search 命运共同体 --sort date --limit 5\n  podium search sanctions --csv > sanctions.csv\n  podium search --queries claims.txt --limit 3 > answers.jsonl\n\nExit status: 0 when something matched, 1 when nothing did, 2 on error (with --queries:\n2 when a line was bad, after answering every line)."
    )]
    Search(SearchArgs),
    /// The earliest passages that match: who said it first, overall or per speaker or year.
    #[command(
        after_help = "Rows are in date order (undated last), each with the number of matching passages that\ncame later (of the same speaker or year with --by).\n\nExamples:\n  podium first 人类命运共同体 --by speaker\n  podium first '\"shared future\"' --by year --lang en\n  podium first '\"trade war\"' --limit 5 --json\n\nExit status: 0 when something matched, 1 when nothing did, 2 on error."
    )]
    First(FirstArgs),
    /// Matches per year, month or week, as a bar chart (or JSON, or CSV).
    #[command(
        after_help = "Examples:\n  podium trend '\"community with a shared future\"' --by year\n  podium trend 命运共同体 --by month --split-by speaker\n  podium trend sanctions --from 2020 --by week --csv > sanctions.csv\n\nExit status: 0 when something matched, 1 when nothing did, 2 on error."
    )]
    Trend(TrendArgs),
    /// Print a transcript from the index with its speakers, or the passages around one paragraph.
    #[command(
        after_help = "Examples:\n  podium show mfa-en/2020-04-22.txt\n  podium show mfa-en/2020-04-22.txt:10 --context 3"
    )]
    Show(ShowArgs),
    /// Files, passages, speakers, languages, date range, size and age of the index.
    #[command(after_help = "Examples:\n  podium stats\n  podium stats --json")]
    Stats(StatsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  podium completions bash > ~/.local/share/bash-completion/completions/podium\n  podium completions zsh > ~/.zfunc/_podium"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from the same definitions as --help.
    #[command(after_help = "Examples:\n  podium man > podium.1 && man ./podium.1")]
    Man,
    /// List every person in the index with the number of passages: one row per person, the
    /// speaker values folded into them (`Dr. Jha`, `Ashish Jha`) counted together.
    #[command(
        after_help = "Examples:\n  podium speakers | head\n  podium speakers --variants | head -30\n  podium speakers --json | jq '.[0].variants'"
    )]
    Speakers(SpeakersArgs),
    /// Run podium on a Sphinx / Manticore Search cluster: configs for its nodes.
    #[command(subcommand)]
    Engine(EngineCommand),
    /// Show how files are parsed: title, date (and where it came from), language, passages.
    #[command(
        after_help = "Examples:\n  podium inspect sample-corpus/en/2021-03-02-briefing.txt\n  podium inspect sample-corpus/web/*.txt --json"
    )]
    Inspect(InspectArgs),
    /// Serve the index (or a search cluster) to browsers: a search page and a JSON API
    /// (read-only).
    #[command(
        after_help = "Examples:\n  podium serve                      then open http://127.0.0.1:7700/\n  podium serve --index ~/podium-index --addr 127.0.0.1:8080\n  podium serve --engine sphinxql://10.0.0.1:9306,10.0.0.2:9306/podium --addr 0.0.0.0:7700\n  curl 'http://127.0.0.1:7700/api/search?q=tariffs&speaker=Zhao+Lijian'\n\nThe server listens on 127.0.0.1 (this machine only) unless --addr says otherwise.\nIt picks up new `podium index` runs without a restart (on a cluster within a second or so).\nErrors are JSON `{\"error\": …}`: 400 for a bad request, 404 for an unknown transcript,\n502 when a cluster refuses a request, 503 when it (or one of its nodes) does not answer."
    )]
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Directories (or files) to index.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no summary (problems with files are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// A speakers file mapping name variants to one name (see the README); a
    /// `speakers.toml` at the root of DIR is read as well.
    #[arg(long, value_name = "FILE")]
    pub speakers: Option<PathBuf>,
    /// Build a new index beside the old one and swap it in (done automatically when the
    /// index was written by an incompatible version).
    #[arg(long)]
    pub rebuild: bool,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0, hide_default_value = true)]
    pub threads: usize,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query (several arguments are joined with spaces; quote a query that starts with `-`).
    #[arg(
        required_unless_present = "queries",
        conflicts_with = "queries",
        value_name = "QUERY"
    )]
    pub query: Vec<String>,
    /// Run every query of FILE (one per line, or ID<TAB>QUERY; `-` reads stdin) over one open
    /// index and print JSON Lines: one object per query (id, query, total, hits, facets, as
    /// --json prints them), or an error object for a bad line. Every other option applies to
    /// every query.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["csv", "jsonl"])]
    pub queries: Option<PathBuf>,
    /// The order of the hits: relevance, date (oldest first) or -date (newest first); ties go
    /// by path and paragraph, undated passages come last either way.
    #[arg(
        long,
        value_enum,
        default_value_t = SortArg::Relevance,
        allow_hyphen_values = true
    )]
    pub sort: SortArg,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub filters: Filters,
    /// How many hits to show (default 10; with --csv or --jsonl, every hit).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// How many speakers to list under the hits.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub facets: usize,
    /// Snippet length in characters.
    #[arg(long, default_value_t = 160, value_name = "CHARS")]
    pub snippet: usize,
    /// Show N passages of the same transcript before and after each hit.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub context: u64,
    /// List every matching passage: by default a text that several passages share (a
    /// statement read twice, a record's boilerplate) is listed once, at its best rank, with
    /// the number of others.
    #[arg(long)]
    pub duplicates: bool,
    /// Concordance: one line per occurrence, aligned on the match, with date and speaker.
    #[arg(long)]
    pub kwic: bool,
    /// Columns of context on each side of the match with --kwic.
    #[arg(long, default_value_t = 40, value_name = "COLUMNS")]
    pub width: usize,
    /// Print one JSON object (see the README for its shape).
    #[arg(long, conflicts_with_all = ["csv", "jsonl"])]
    pub json: bool,
    /// Comma-separated values for spreadsheets (RFC 4180), one row per hit: rank, date,
    /// speaker, label, role, lang, title, path, paragraph, text, duplicates.
    #[arg(long, conflicts_with_all = ["jsonl", "kwic"])]
    pub csv: bool,
    /// Start the CSV with a byte order mark, for Excel.
    #[arg(long, requires = "csv")]
    pub csv_bom: bool,
    /// JSON Lines, one hit per line (the objects of --json's `hits`).
    #[arg(long, conflicts_with = "kwic")]
    pub jsonl: bool,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct FirstArgs {
    /// The query (as for `podium search`).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub filters: Filters,
    /// The first passage of each speaker (passages without one are left out) or of each year
    /// (undated passages are left out).
    #[arg(long, value_enum)]
    pub by: Option<FirstByArg>,
    /// How many rows (default: 1, or 20 with --by).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Snippet length in characters.
    #[arg(long, default_value_t = 80, value_name = "CHARS")]
    pub snippet: usize,
    /// Print one JSON object: query, by, total, groups, rows.
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// The query (as for `podium search`).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// The width of a period.
    #[arg(long, value_enum, default_value_t = PeriodArg::Year)]
    pub by: PeriodArg,
    /// One series per top speaker.
    #[arg(long, value_enum)]
    pub split_by: Option<SplitArg>,
    /// How many speakers with --split-by speaker.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub top: usize,
    #[command(flatten)]
    pub filters: Filters,
    /// Print one JSON object: query, by, total, undated, periods, counts, series.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Comma-separated values: period, count (and one column per speaker).
    #[arg(long)]
    pub csv: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// PATH as search results show it, optionally with :PARAGRAPH.
    #[arg(value_name = "PATH[:PARAGRAPH]")]
    pub target: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// With :PARAGRAPH, how many passages to show on each side.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub context: u64,
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct SpeakersArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Under each person, the values folded into it and where each link came from.
    #[arg(long)]
    pub variants: bool,
    /// Persons with their variants, links and labels as JSON.
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Subcommand)]
pub enum EngineCommand {
    /// Write a config per node (real-time shards, the distributed table, a tokenizer that
    /// splits on spaces only) into DIR, and print how to start the nodes.
    #[command(
        after_help = "Examples:\n  podium engine config --nodes 2 --data /srv/podium-cluster\n  podium engine config --nodes 3 --data cluster --host 10.0.0.1 --host 10.0.0.2 --host 10.0.0.3\n  podium engine config --nodes 2 --data cluster --manticore"
    )]
    Config(EngineConfigArgs),
}

#[derive(Debug, clap::Args)]
pub struct EngineConfigArgs {
    /// How many nodes (one shard each; node 0 also holds the distributed table).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub nodes: usize,
    /// Where the configs, tables, logs and pid files go.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The distributed table's name (shards are TABLE_0, TABLE_1, …).
    #[arg(long, default_value = "podium")]
    pub table: String,
    /// The nodes' host: once for all nodes, or once per node in order.
    #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
    pub host: Vec<String>,
    /// Node i listens for SphinxQL on PORT + 2i and for the other nodes on PORT + 2i + 1.
    #[arg(long, default_value_t = 9306)]
    pub port: u16,
    /// Configs for Manticore Search instead of Sphinx 2.2.
    #[arg(long)]
    pub manticore: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// The address and port to listen on; another address than 127.0.0.1 lets other machines
    /// connect.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
}
