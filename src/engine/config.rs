//! `podium engine config`: ready configs for N nodes of Sphinx 2.2 or Manticore Search.
//!
//! Node `i` holds shard `TABLE_i`, a real-time table; node 0 also holds the distributed table
//! `TABLE`, which searches the local shard and asks the other nodes (agents) for theirs. Each
//! node listens twice: the API protocol (between nodes) and SphinxQL (for podium).
//!
//! The tokenizer settings make the engine split on spaces only: podium sends text it has
//! tokenized ([`super::tokens`]), so every character it can put in a token is an ordinary
//! character here (`charset_table` maps each to itself: podium has folded case and script
//! already), there is no stemming, no stop word and no minimum length, and prefix queries
//! (`sanct*`) are expanded from the dictionary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{shard_table, EngineUrl, NodeAddr};
use crate::{Error, Result};

/// Which engine the configs are for. They differ in little: see [`Flavor::Manticore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Sphinx 2.2.11 (Debian's `sphinxsearch`).
    Sphinx,
    /// Manticore Search: the SphinxQL listener is `:mysql` (Sphinx says `:mysql41`), and the
    /// rest of the config is the same plain-mode config (no `data_dir`).
    Manticore,
}

#[derive(Debug, Clone)]
pub struct ConfigOptions {
    pub nodes: usize,
    /// Where the nodes keep their tables, logs and pid files (one folder per node).
    pub data: PathBuf,
    pub table: String,
    /// One host for all nodes, or one per node.
    pub hosts: Vec<String>,
    /// Node `i` listens for SphinxQL on `port + 2i` and for the API on `port + 2i + 1`.
    pub port: u16,
    pub flavor: Flavor,
}

/// One node's config and where it goes.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub file: PathBuf,
    pub dir: PathBuf,
    pub sql: NodeAddr,
    pub api_port: u16,
    pub text: String,
}

/// Every full-text field, in the order the config lists them.
pub const FIELDS: &[&str] = &["exact", "words", "tags"];
/// Attributes by type.
const UINTS: &[&str] = &["kind", "root", "paragraph", "day", "year", "question"];
const STRINGS: &[&str] = &[
    "text",
    "title",
    "speaker",
    "label",
    "attribution",
    "role",
    "lang",
    "path",
    "file",
];
const BIGINTS: &[&str] = &["text_hash", "size", "mtime", "hash"];

/// The configs for `options.nodes` nodes (nothing is written).
pub fn generate(options: &ConfigOptions) -> Result<Vec<NodeConfig>> {
    let n = options.nodes;
    if n == 0 {
        return Err(Error::Usage(
            "--nodes: a cluster has at least one node".into(),
        ));
    }
    if !super::is_table_name(&options.table) {
        return Err(Error::Usage(format!(
            "--table {}: a table name is letters, digits and `_`, starting with a letter",
            options.table
        )));
    }
    if options.hosts.len() != 1 && options.hosts.len() != n {
        return Err(Error::Usage(format!(
            "--host: give one host for all nodes or one per node ({n}), not {}",
            options.hosts.len()
        )));
    }
    if u32::from(options.port) + 2 * n as u32 > u32::from(u16::MAX) {
        return Err(Error::Usage(format!(
            "--port {}: {n} nodes need two ports each above it",
            options.port
        )));
    }
    let host = |i: usize| options.hosts.get(i).unwrap_or(&options.hosts[0]).clone();
    let ports = |i: usize| (options.port + 2 * i as u16, options.port + 2 * i as u16 + 1);
    let mut out = Vec::new();
    for i in 0..n {
        let dir = options.data.join(format!("node{i}"));
        let (sql, api) = ports(i);
        let mut text = String::new();
        let flavor = match options.flavor {
            Flavor::Sphinx => "Sphinx 2.2",
            Flavor::Manticore => "Manticore Search",
        };
        let _ = writeln!(
            text,
            "# podium cluster node {i} of {n} ({flavor}), written by `podium engine config`.\n# Shard {}{}.\n",
            shard_table(&options.table, i),
            if i == 0 {
                format!(", and the distributed table `{}` that podium searches", options.table)
            } else {
                String::new()
            }
        );
        let _ = writeln!(text, "index {}\n{{", shard_table(&options.table, i));
        let _ = writeln!(text, "    type = rt");
        let _ = writeln!(
            text,
            "    path = {}",
            dir.join(shard_table(&options.table, i)).display()
        );
        for f in FIELDS {
            let _ = writeln!(text, "    rt_field = {f}");
        }
        for (kind, names) in [
            ("rt_attr_uint", UINTS),
            ("rt_attr_string", STRINGS),
            ("rt_attr_bigint", BIGINTS),
        ] {
            for a in names {
                let _ = writeln!(text, "    {kind} = {a}");
            }
        }
        text.push_str(TOKENIZER);
        let _ = writeln!(text, "}}\n");
        if i == 0 {
            let _ = writeln!(text, "index {}\n{{", options.table);
            let _ = writeln!(text, "    type = distributed");
            let _ = writeln!(text, "    local = {}", shard_table(&options.table, 0));
            for j in 1..n {
                let _ = writeln!(
                    text,
                    "    agent = {}:{}:{}",
                    host(j),
                    ports(j).1,
                    shard_table(&options.table, j)
                );
            }
            // A node whose searchd is down refuses the connection at once, and podium then
            // reports the shard as missing rather than show partial totals. The timeout is for
            // a host that does not answer at all; a busy node may take over a second to accept.
            let _ = writeln!(text, "    agent_connect_timeout = 5000");
            let _ = writeln!(text, "    agent_query_timeout = 60000");
            let _ = writeln!(text, "}}\n");
        }
        let protocol = match options.flavor {
            Flavor::Sphinx => "mysql41",
            Flavor::Manticore => "mysql",
        };
        let _ = writeln!(text, "searchd\n{{");
        let _ = writeln!(text, "    listen = {}:{api}", host(i));
        let _ = writeln!(text, "    listen = {}:{sql}:{protocol}", host(i));
        for (key, file) in [
            ("log", "searchd.log"),
            ("query_log", "query.log"),
            ("pid_file", "searchd.pid"),
        ] {
            let _ = writeln!(text, "    {key} = {}", dir.join(file).display());
        }
        let _ = writeln!(text, "    binlog_path = {}", dir.display());
        // Strings compare byte by byte, as podium's own index orders paths (`--sort date`).
        let _ = writeln!(text, "    collation_server = binary");
        let _ = writeln!(text, "}}");
        out.push(NodeConfig {
            file: options.data.join(format!("node{i}.conf")),
            dir,
            sql: NodeAddr {
                host: host(i),
                port: sql,
            },
            api_port: api,
            text,
        });
    }
    Ok(out)
}

/// Settings that make the engine split on spaces only (see the module documentation).
/// Sphinx 2.2 cuts `charset_table` at U+2FFFF and tokens at 42 characters; podium's tokens are
/// encoded to fit both ([`super::tokens`]).
const TOKENIZER: &str = "    charset_table = 0..9, a..z, U+80..U+2FFFF
    dict = keywords
    min_word_len = 1
    min_prefix_len = 1
    rt_mem_limit = 256M
";

/// The engine URL of the nodes.
pub fn url(options: &ConfigOptions, nodes: &[NodeConfig]) -> EngineUrl {
    EngineUrl {
        nodes: nodes.iter().map(|n| n.sql.clone()).collect(),
        table: options.table.clone(),
    }
}

/// Writes each node's config and creates its folder.
pub fn write(nodes: &[NodeConfig]) -> Result<()> {
    for node in nodes {
        std::fs::create_dir_all(&node.dir).map_err(|source| Error::Io {
            path: node.dir.clone(),
            source,
        })?;
        std::fs::write(&node.file, &node.text).map_err(|source| Error::Io {
            path: node.file.clone(),
            source,
        })?;
    }
    Ok(())
}

/// How to start and stop the nodes and point podium at them.
pub fn instructions(options: &ConfigOptions, nodes: &[NodeConfig]) -> String {
    let url = url(options, nodes);
    let mut s = String::new();
    for (i, n) in nodes.iter().enumerate() {
        let _ = writeln!(
            s,
            "node {i}: {} (SphinxQL {}, API port {}{})",
            n.file.display(),
            n.sql,
            n.api_port,
            if i == 0 { ", distributed table" } else { "" }
        );
    }
    let searchd = match options.flavor {
        Flavor::Sphinx => "searchd",
        Flavor::Manticore => "searchd   # Manticore's searchd",
    };
    let _ = writeln!(s, "\nStart each node (on its host), node 0 last:");
    for n in nodes.iter().rev() {
        let _ = writeln!(s, "  {searchd} --config {}", n.file.display());
    }
    let _ = writeln!(s, "\nStop a node by its pid:");
    for n in nodes {
        let _ = writeln!(s, "  kill $(cat {})", n.dir.join("searchd.pid").display());
    }
    let _ = writeln!(
        s,
        "\nThen index and search through the cluster:\n  podium index DIR --engine {url}\n  export {}={url}\n  podium search 命运共同体",
        super::ENGINE_VAR
    );
    s
}

/// `data` made absolute (the engine resolves relative paths against its own working folder).
pub fn absolute(data: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(data).map_err(|source| Error::Io {
        path: data.into(),
        source,
    })?;
    data.canonicalize().map_err(|source| Error::Io {
        path: data.into(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(nodes: usize) -> ConfigOptions {
        ConfigOptions {
            nodes,
            data: PathBuf::from("/data"),
            table: "podium".into(),
            hosts: vec!["127.0.0.1".into()],
            port: 9306,
            flavor: Flavor::Sphinx,
        }
    }

    #[test]
    fn node_zero_holds_the_distributed_table_with_the_others_as_agents() {
        let nodes = generate(&options(3)).unwrap();
        assert_eq!(nodes.len(), 3);
        let zero = &nodes[0].text;
        assert!(zero.contains("index podium_0\n{"));
        assert!(zero.contains("index podium\n{\n    type = distributed\n    local = podium_0"));
        assert!(zero.contains("agent = 127.0.0.1:9309:podium_1"));
        assert!(zero.contains("agent = 127.0.0.1:9311:podium_2"));
        assert!(zero.contains("listen = 127.0.0.1:9306:mysql41"));
        assert!(!nodes[1].text.contains("distributed"));
        assert!(nodes[2].text.contains("listen = 127.0.0.1:9310:mysql41"));
        assert!(nodes[1].text.contains("pid_file = /data/node1/searchd.pid"));
        let url = url(&options(3), &nodes);
        assert_eq!(
            url.to_string(),
            "sphinxql://127.0.0.1:9306,127.0.0.1:9308,127.0.0.1:9310/podium"
        );
    }

    #[test]
    fn manticore_configs_differ_in_the_listener() {
        let mut o = options(1);
        o.flavor = Flavor::Manticore;
        let nodes = generate(&o).unwrap();
        assert!(nodes[0].text.contains("listen = 127.0.0.1:9306:mysql\n"));
    }

    #[test]
    fn bad_options_are_refused() {
        let mut o = options(2);
        o.hosts = vec!["a".into(), "b".into(), "c".into()];
        assert!(generate(&o).is_err());
        assert!(generate(&options(0)).is_err());
        let mut o = options(2);
        o.table = "bad-name".into();
        assert!(generate(&o).is_err());
    }
}
