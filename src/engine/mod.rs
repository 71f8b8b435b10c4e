//! Scale-out: the same index and search on a cluster of Sphinx / Manticore Search nodes, through
//! SphinxQL (the MySQL wire protocol).
//!
//! ```text
//! index:  transcripts (as index::writer reads them) -> tokens::Row per passage
//!         -> REPLACE INTO each file's shard (chosen by a hash of its file key)
//! search: SearchRequest -> query::translate -> MATCH('…') + filters
//!         -> the distributed table on the first node -> SearchResults (same types as the index)
//! ```
//!
//! podium does the text analysis itself and sends the engine pre-tokenized text: the `exact`
//! field is podium's exact tokens and the `words` field its stems and jieba words, separated by
//! spaces, and the engine is configured ([`config`]) to split on spaces only. So the SphinxQL
//! phrase `"命 运 共 同 体"` means what the podium phrase `"命运共同体"` means, and the match set
//! of a query is the embedded index's. Highlights, snippets, KWIC and duplicate folding run in
//! podium on the stored text the engine returns. Ranking is the engine's own (BM25 with
//! proximity, per-shard IDF), so the order of hits may differ from the embedded index's.
//!
//! This module never starts or stops the engine; it writes configs and talks to running nodes.

pub mod config;
mod identity;
mod ingest;
mod lock;
mod pool;
mod query;
mod search;
mod sql;
mod tokens;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};
pub use ingest::index_roots;
pub use search::Page;

/// The layout of the cluster's tables ([`config`]): 2 added each passage's label as written,
/// its attribution and its file key.
pub(crate) const SCHEMA: u32 = 2;

/// The environment variable that names the cluster when `--engine` is not given.
pub const ENGINE_VAR: &str = "PODIUM_ENGINE";

/// One node: where its SphinxQL listener is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeAddr {
    pub host: String,
    pub port: u16,
}

impl fmt::Display for NodeAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// `sphinxql://HOST:PORT[,HOST:PORT…]/TABLE`: the nodes in shard order (the first one holds the
/// distributed table that searches go to) and the table's name. Shard `i` is the real-time
/// table `TABLE_i` on node `i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineUrl {
    pub nodes: Vec<NodeAddr>,
    pub table: String,
}

impl EngineUrl {
    pub fn parse(url: &str) -> Result<EngineUrl> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "engine URL `{url}`: {why} (expected sphinxql://HOST:PORT[,HOST:PORT…]/TABLE)"
            ))
        };
        let rest = url
            .strip_prefix("sphinxql://")
            .ok_or_else(|| bad("it must start with sphinxql://"))?;
        let (hosts, table) = rest
            .split_once('/')
            .ok_or_else(|| bad("the table name is missing"))?;
        if !is_table_name(table) {
            return Err(bad(
                "a table name is letters, digits and `_`, starting with a letter",
            ));
        }
        let mut nodes = Vec::new();
        for host in hosts.split(',') {
            let (name, port) = host
                .rsplit_once(':')
                .ok_or_else(|| bad(&format!("`{host}` has no port")))?;
            let port: u16 = port
                .parse()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad(&format!("`{port}` is not a port number")))?;
            if name.is_empty() {
                return Err(bad(&format!("`{host}` has no host name")));
            }
            nodes.push(NodeAddr {
                host: name.to_string(),
                port,
            });
        }
        Ok(EngineUrl {
            nodes,
            table: table.to_string(),
        })
    }

    /// The real-time table of shard `i`.
    pub fn shard_table(&self, i: usize) -> String {
        shard_table(&self.table, i)
    }
}

impl fmt::Display for EngineUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nodes: Vec<String> = self.nodes.iter().map(|n| n.to_string()).collect();
        write!(f, "sphinxql://{}/{}", nodes.join(","), self.table)
    }
}

pub(crate) fn shard_table(table: &str, i: usize) -> String {
    format!("{table}_{i}")
}

pub(crate) fn is_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What the cluster remembers of its index runs, as one row on shard 0 (the embedded index
/// keeps the same in its commit payload).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct ClusterMeta {
    /// Always `podium`.
    pub kind: String,
    /// [`crate::index::FORMAT_VERSION`] of the podium that wrote the passages.
    pub format: u32,
    /// [`SCHEMA`] of the tables (0: written before there was one).
    #[serde(default)]
    pub schema: u32,
    /// The number of shards the files were spread over.
    pub shards: usize,
    pub roots: Vec<std::path::PathBuf>,
    pub updated: u64,
    /// Distinct speakers after the run: a run that changes nothing reports it without asking
    /// every shard.
    #[serde(default)]
    pub speakers: usize,
    /// Counts the runs that changed something; the identity table is tagged with it.
    #[serde(default)]
    pub generation: u64,
    /// The rows of the identity table of this generation, or `None` while a run is under way
    /// (or died) and the table is not written yet.
    #[serde(default)]
    pub identity_chunks: Option<usize>,
}

/// A cluster opened for searching: connections to the node that holds the distributed table
/// (a pool, [`pool`]), and the cluster's metadata.
pub struct Cluster {
    url: EngineUrl,
    conn: pool::Pool,
    root_prefixes: Vec<String>,
    meta: ClusterMeta,
    /// Which speaker values are one person: the table of the run the metadata names.
    identities: crate::index::Identities,
}

impl Cluster {
    /// Connects to the first node and reads the cluster's metadata: the engine must be up,
    /// the table must exist, and it must hold a podium index of this version.
    pub fn open(url: &EngineUrl) -> Result<Cluster> {
        let mut conn = sql::Conn::open(&url.nodes[0]).map_err(|e| engine_error(url, e))?;
        let meta = ingest::read_meta(&mut conn, url)?.ok_or_else(|| {
            Error::Engine(format!(
                "the table `{}` at {} holds no podium index yet: fill it with `podium index DIR --engine {url}`",
                url.table, url.nodes[0]
            ))
        })?;
        check_meta(url, &meta)?;
        let identities = match meta.identity_chunks {
            Some(chunks) => identity::read(&mut conn, url, meta.generation, chunks)
                .map_err(|e| engine_error(url, e))?,
            None => crate::index::Identities::default(),
        };
        let root_prefixes = crate::search::root_prefixes(&meta.roots);
        Ok(Cluster {
            url: url.clone(),
            conn: pool::Pool::new(&url.nodes[0], conn),
            root_prefixes,
            meta,
            identities,
        })
    }

    pub fn url(&self) -> &EngineUrl {
        &self.url
    }

    /// Which speaker values are one person.
    pub fn identities(&self) -> &crate::index::Identities {
        &self.identities
    }

    /// Runs `f` on a connection of the pool (more than once if a connection turns out broken),
    /// turning engine errors into podium's: a node that cannot be reached or a shard that did
    /// not answer is [`Error::EngineDown`].
    fn with_conn<T>(
        &self,
        f: impl FnMut(&mut sql::Conn) -> std::result::Result<T, sql::SqlError>,
    ) -> Result<T> {
        self.conn.run(f).map_err(|e| match e {
            sql::SqlError::Server { .. } => engine_error(&self.url, e),
            down => Error::EngineDown(engine_error(&self.url, down).to_string()),
        })
    }
}

/// The metadata must describe an index this podium can search, spread over as many shards as
/// the URL names.
fn check_meta(url: &EngineUrl, meta: &ClusterMeta) -> Result<()> {
    if meta.kind != "podium" {
        return Err(Error::Engine(format!(
            "the table `{}` at {} is not a podium index",
            url.table, url.nodes[0]
        )));
    }
    if meta.format != crate::index::FORMAT_VERSION {
        return Err(Error::Engine(format!(
            "the cluster at {url} was written by an incompatible version of podium (format {}, this version reads {}); empty its tables (`TRUNCATE RTINDEX`) and run `podium index DIR --engine {url}` again",
            meta.format,
            crate::index::FORMAT_VERSION
        )));
    }
    if meta.schema != SCHEMA {
        return Err(Error::Engine(old_schema(url)));
    }
    if meta.shards != url.nodes.len() {
        return Err(Error::Engine(format!(
            "the cluster was filled over {} shards but the URL names {} nodes: files are placed by a hash over the number of shards, so name the same nodes in the same order",
            meta.shards,
            url.nodes.len()
        )));
    }
    Ok(())
}

/// Tables laid out by an older `podium engine config`.
pub(crate) fn old_schema(url: &EngineUrl) -> String {
    format!(
        "the cluster at {url} has tables of an older layout (without each passage's label and file): write new configs with `podium engine config`, restart the nodes on empty data folders, and run `podium index DIR --engine {url}`"
    )
}

/// Translates the engine's and the network's errors into messages that say what to do.
fn engine_error(url: &EngineUrl, e: sql::SqlError) -> Error {
    use sql::SqlError;
    Error::Engine(match e {
        SqlError::Connect { node, message } => format!(
            "cannot reach the search engine at {node} ({message}); is searchd running there? (`podium engine config` prints how to start the nodes)"
        ),
        SqlError::Server { node, message } if message.contains("unknown local index") => {
            let table = message
                .split('\'')
                .nth(1)
                .unwrap_or(url.table.as_str())
                .to_string();
            format!(
                "the engine at {node} has no table `{table}`: check the table name in {url}, and that the node was started with a config from `podium engine config`"
            )
        }
        SqlError::Server { message, .. } if message.contains("unknown column") => old_schema(url),
        SqlError::Server { node, message } => format!("the engine at {node} refused a query: {message}"),
        SqlError::Lost { node, message } => format!(
            "lost the connection to the search engine at {node} ({message}); is searchd still running?"
        ),
        SqlError::Partial { node, warning } => partial_message(url, &node, &warning),
    })
}

/// A search that some shard did not answer: say which shards answered and which did not, and
/// give no totals (they would look complete).
fn partial_message(url: &EngineUrl, node: &NodeAddr, warning: &str) -> String {
    let (mut answered, mut silent, mut unreachable) = (Vec::new(), Vec::new(), false);
    for (i, n) in url.nodes.iter().enumerate() {
        let label = format!("shard {i} ({n})");
        // The warning names an agent by its API address (the SQL port + 1 in the configs
        // `podium engine config` writes) or by its table.
        let named = i > 0
            && (mentions(warning, &format!("{}:{}", n.host, u32::from(n.port) + 1))
                || mentions(warning, &url.shard_table(i)));
        let reachable = n == node || sql::Conn::open(n).is_ok();
        unreachable |= !reachable;
        match named || !reachable {
            true => silent.push(label),
            false => answered.push(label),
        }
    }
    let silent = match silent.is_empty() {
        true => "a shard".to_string(),
        false => silent.join(", "),
    };
    let answered = match answered.is_empty() {
        true => "no shard".to_string(),
        false => answered.join(", "),
    };
    let what_to_do = match unreachable {
        true => "restart the node and search again",
        false => "every node is up, so it was busy: search again",
    };
    format!(
        "the results would be partial: {silent} did not answer ({warning}); only {answered} answered. Nothing is shown rather than incomplete totals: {what_to_do}"
    )
}

/// Whether `text` names `name`, not a longer name that starts with it (`podium_1` in
/// `podium_12`, port 9309 in 93090).
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        !text[at + name.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The shard a file goes to: a stable hash of its file key, so that a re-run finds a
/// file's passages where it left them.
pub(crate) fn shard_of(file_key: &str, shards: usize) -> usize {
    (crate::corpus::content_hash(file_key.as_bytes()) % shards.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_nodes_in_order_and_a_table() {
        let url = EngineUrl::parse("sphinxql://127.0.0.1:9306,node2:9306/podium").unwrap();
        assert_eq!(url.nodes.len(), 2);
        assert_eq!(url.nodes[1].to_string(), "node2:9306");
        assert_eq!(url.shard_table(1), "podium_1");
        assert_eq!(
            url.to_string(),
            "sphinxql://127.0.0.1:9306,node2:9306/podium"
        );
        for (bad, why) in [
            ("mysql://h:1/t", "sphinxql://"),
            ("sphinxql://h:1", "table name is missing"),
            ("sphinxql://h/t", "has no port"),
            ("sphinxql://h:x/t", "not a port"),
            ("sphinxql://h:1/t-x", "table name"),
            ("sphinxql://:1/t", "no host"),
        ] {
            let e = EngineUrl::parse(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn a_warning_names_a_shard_by_its_api_address_or_its_table() {
        assert!(mentions(
            "agent 127.0.0.1:9309: connect() timed out",
            "127.0.0.1:9309"
        ));
        assert!(!mentions(
            "agent 127.0.0.1:93090: timed out",
            "127.0.0.1:9309"
        ));
        assert!(mentions("index podium_1: agent error", "podium_1"));
        assert!(!mentions("index podium_12: agent error", "podium_1"));
    }

    #[test]
    fn shards_spread_files_and_stay_put() {
        let keys: Vec<String> = (0..200).map(|i| format!("0/file-{i}.txt")).collect();
        let mut counts = [0usize; 2];
        for k in &keys {
            counts[shard_of(k, 2)] += 1;
            assert_eq!(shard_of(k, 2), shard_of(k, 2));
        }
        assert!(counts[0] > 60 && counts[1] > 60, "{counts:?}");
    }
}
