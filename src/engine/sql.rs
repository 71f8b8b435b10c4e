//! One SphinxQL connection: text-protocol queries, string literals, warnings and errors.
//!
//! Sphinx 2.2 speaks a subset of the MySQL protocol: no prepared statements (`exec` fails), no
//! COM_CHANGE_USER, and no session variables that clients like to read at start-up. The client
//! is the `mysql` crate with its start-up queries and statement cache turned off, and every
//! statement goes through the text protocol. Values come back as text and are parsed here.

use std::time::Duration;

use mysql::prelude::Queryable;

use super::NodeAddr;

/// What went wrong talking to one node, before it is put in words for people.
#[derive(Debug)]
pub enum SqlError {
    /// Nothing listens there, or it did not accept the connection in time.
    Connect { node: NodeAddr, message: String },
    /// The engine answered with an error.
    Server { node: NodeAddr, message: String },
    /// The connection broke or timed out mid-query.
    Lost { node: NodeAddr, message: String },
    /// The query ran but an agent (another shard) did not answer: the rows are partial.
    Partial { node: NodeAddr, warning: String },
}

pub type SqlResult<T> = std::result::Result<T, SqlError>;

/// How long a node may take to accept a connection, and to answer one query. A hung node must
/// not hang podium.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const QUERY_TIMEOUT: Duration = Duration::from_secs(120);

/// A row as text, one string per column (NULL as empty).
pub type Row = Vec<String>;

pub struct Conn {
    conn: mysql::Conn,
    node: NodeAddr,
}

impl Conn {
    pub fn open(node: &NodeAddr) -> SqlResult<Conn> {
        let opts = mysql::OptsBuilder::new()
            .ip_or_hostname(Some(node.host.clone()))
            .tcp_port(node.port)
            // Skips the client's `SELECT @@socket` and `@@max_allowed_packet` start-up queries,
            // which Sphinx does not answer the way MySQL does.
            .prefer_socket(false)
            .max_allowed_packet(Some(MAX_PACKET))
            .stmt_cache_size(Some(0))
            .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
            .read_timeout(Some(QUERY_TIMEOUT))
            .write_timeout(Some(QUERY_TIMEOUT));
        let conn = mysql::Conn::new(opts).map_err(|e| SqlError::Connect {
            node: node.clone(),
            message: short(&e),
        })?;
        Ok(Conn {
            conn,
            node: node.clone(),
        })
    }

    /// The rows of the first result set. A warning (an agent that did not answer) is an error:
    /// the rows would be partial.
    pub fn rows(&mut self, query: &str) -> SqlResult<Vec<Row>> {
        let mut out = Vec::new();
        let node = &self.node;
        let mut result = self.conn.query_iter(query).map_err(|e| error(node, e))?;
        let mut first = true;
        // Every result set must be read before the next query; an error may come after the first.
        while let Some(set) = result.iter() {
            for row in set {
                let row = row.map_err(|e| error(node, e))?;
                if first {
                    out.push(text_row(row));
                }
            }
            first = false;
        }
        drop(result);
        if self.conn.warnings() > 0 {
            return Err(SqlError::Partial {
                node: self.node.clone(),
                warning: self.warning()?,
            });
        }
        Ok(out)
    }

    /// A statement without rows (REPLACE, DELETE).
    pub fn exec(&mut self, statement: &str) -> SqlResult<()> {
        self.conn
            .query_drop(statement)
            .map_err(|e| error(&self.node, e))
    }

    /// The engine's warning for the last query (`SHOW META` lists it first).
    fn warning(&mut self) -> SqlResult<String> {
        let node = &self.node;
        let meta: Vec<Row> = {
            let mut result = self
                .conn
                .query_iter("SHOW META")
                .map_err(|e| error(node, e))?;
            let mut rows = Vec::new();
            while let Some(set) = result.iter() {
                for row in set {
                    rows.push(text_row(row.map_err(|e| error(node, e))?));
                }
            }
            rows
        };
        Ok(meta
            .into_iter()
            .find(|r| r.first().is_some_and(|k| k == "warning"))
            .and_then(|r| r.into_iter().nth(1))
            .map_or_else(|| "a warning without text".into(), |w| clean(&w)))
    }
}

/// The largest statement podium sends (a batch of passages); Sphinx's default limit is 8 MB.
pub const MAX_PACKET: usize = 8 << 20;

fn text_row(row: mysql::Row) -> Row {
    row.unwrap()
        .into_iter()
        .map(|v| match v {
            mysql::Value::NULL => String::new(),
            mysql::Value::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
            mysql::Value::Int(n) => n.to_string(),
            mysql::Value::UInt(n) => n.to_string(),
            mysql::Value::Float(f) => f.to_string(),
            mysql::Value::Double(f) => f.to_string(),
            other => other.as_sql(true),
        })
        .collect()
}

fn error(node: &NodeAddr, e: mysql::Error) -> SqlError {
    match e {
        mysql::Error::MySqlError(e) => SqlError::Server {
            node: node.clone(),
            message: clean(&e.message),
        },
        other => SqlError::Lost {
            node: node.clone(),
            message: short(&other),
        },
    }
}

/// Sphinx ends some messages with a NUL and a newline.
fn clean(message: &str) -> String {
    message.trim_end_matches(['\0', '\n', ' ']).to_string()
}

fn short(e: &mysql::Error) -> String {
    match e {
        mysql::Error::IoError(io) => io.to_string(),
        other => clean(&other.to_string()),
    }
}

/// A SphinxQL string literal. Sphinx reads `\\` and `\'` only (`''` is a syntax error), and
/// `\0` would mean the character `0`, so NULs are dropped.
pub fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A column as a number (absent or unparsable: 0, which Sphinx itself uses for "no value").
pub fn num<T: std::str::FromStr + Default>(row: &Row, i: usize) -> T {
    row.get(i).and_then(|v| v.parse().ok()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_backslashes_and_quotes_and_drop_nuls() {
        assert_eq!(literal("it's"), r"'it\'s'");
        assert_eq!(literal(r"a\b"), r"'a\\b'");
        assert_eq!(literal("a\0b"), "'ab'");
        assert_eq!(literal("命运"), "'命运'");
    }
}
