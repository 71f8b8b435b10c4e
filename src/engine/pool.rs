//! The connections a [`Cluster`] searches through: a small pool of SphinxQL connections to the
//! node that holds the distributed table, so that the requests of a server run side by side
//! instead of one at a time, and a connection that a node restart broke is replaced.
//!
//! A query takes an idle connection or opens a new one, and gives it back when the node
//! answered (rows, an error of its own, or a warning that some shard did not answer: the
//! connection is fine). A connection that broke (lost mid-query, or never made) is dropped.
//! When a connection that had been idle turns out broken, the node has most likely restarted
//! and every idle connection is as dead: they are all dropped and the query runs once more on a
//! new connection (searches only read, so running one again is safe).

use std::sync::Mutex;

use super::sql::{Conn, SqlError, SqlResult};
use super::{Cluster, ClusterMeta, NodeAddr};
use crate::Result;

/// Idle connections kept at most; more are closed when given back.
const MAX_IDLE: usize = 32;

pub(crate) struct Pool {
    node: NodeAddr,
    idle: Mutex<Vec<Conn>>,
}

impl Pool {
    /// A pool for `node`, starting with `first` (already connected) idle.
    pub fn new(node: &NodeAddr, first: Conn) -> Pool {
        Pool {
            node: node.clone(),
            idle: Mutex::new(vec![first]),
        }
    }

    /// Runs `f` on a connection of the pool.
    pub fn run<T>(&self, mut f: impl FnMut(&mut Conn) -> SqlResult<T>) -> SqlResult<T> {
        let idle = self.idle().pop();
        let reused = idle.is_some();
        let mut conn = match idle {
            Some(conn) => conn,
            None => Conn::open(&self.node)?,
        };
        match f(&mut conn) {
            Err(SqlError::Lost { .. }) if reused => {
                self.idle().clear();
                let mut conn = Conn::open(&self.node)?;
                let out = f(&mut conn);
                self.give_back(conn, &out);
                out
            }
            out => {
                self.give_back(conn, &out);
                out
            }
        }
    }

    fn give_back<T>(&self, conn: Conn, out: &SqlResult<T>) {
        if matches!(out, Err(SqlError::Lost { .. } | SqlError::Connect { .. })) {
            return;
        }
        let mut idle = self.idle();
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        // A panic while the list was held leaves it whole (a push or a pop).
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many connections are idle now.
    #[cfg(test)]
    fn idle_count(&self) -> usize {
        self.idle().len()
    }
}

impl Cluster {
    /// Whether the cluster's metadata row is still the one this `Cluster` was opened with: one
    /// lookup by id on the first node. A new `podium index` run rewrites the row (its time,
    /// roots, speakers), so `false` means the cluster should be opened again.
    pub fn is_current(&self) -> Result<bool> {
        let table = self.url.shard_table(0);
        let rows = self.with_conn(|conn| {
            conn.rows(&format!(
                "SELECT id, text FROM {table} WHERE id = {}",
                super::ingest::META_ID
            ))
        })?;
        let now: Option<ClusterMeta> = rows
            .first()
            .and_then(|row| row.get(1))
            .and_then(|json| serde_json::from_str(json).ok());
        Ok(now.as_ref() == Some(&self.meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A fake node that speaks just enough of the MySQL protocol for the client to connect and
    /// run one query answered by an OK packet, then closes the connection: every connection
    /// answers once and then breaks, as after a node restart.
    fn one_answer_per_connection() -> (NodeAddr, std::thread::JoinHandle<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let mut accepted = 0;
            for stream in listener.incoming().take(3) {
                let mut s = stream.unwrap();
                accepted += 1;
                // Handshake v10: version, connection id, scramble (8 bytes, a filler), the
                // capabilities LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION,
                // character set, status, no upper capabilities, scramble length, 10 reserved
                // bytes, the rest of the scramble.
                let mut hs = vec![10u8];
                hs.extend(b"2.2.11\0");
                hs.extend(1u32.to_le_bytes());
                hs.extend(b"abcdefgh\0");
                hs.extend(0xa201u16.to_le_bytes());
                hs.push(33);
                hs.extend(2u16.to_le_bytes());
                hs.extend(0u16.to_le_bytes());
                hs.push(21);
                hs.extend([0u8; 10]);
                hs.extend(b"ijklmnopqrst\0");
                packet(&mut s, 0, &hs);
                let _ = read_packet(&mut s); // the client's handshake response
                packet(&mut s, 2, &[0, 0, 0, 2, 0, 0, 0]); // OK
                let _ = read_packet(&mut s); // the query
                packet(&mut s, 1, &[0, 0, 0, 2, 0, 0, 0]); // OK
                                                           // Then the connection breaks.
            }
            accepted
        });
        let node = NodeAddr {
            host: "127.0.0.1".into(),
            port,
        };
        (node, handle)
    }

    fn packet(s: &mut std::net::TcpStream, seq: u8, body: &[u8]) {
        let len = body.len() as u32;
        let mut out = len.to_le_bytes()[..3].to_vec();
        out.push(seq);
        out.extend(body);
        s.write_all(&out).unwrap();
    }

    fn read_packet(s: &mut std::net::TcpStream) -> std::io::Result<Vec<u8>> {
        let mut head = [0u8; 4];
        s.read_exact(&mut head)?;
        let len = u32::from_le_bytes([head[0], head[1], head[2], 0]) as usize;
        let mut body = vec![0u8; len];
        s.read_exact(&mut body)?;
        Ok(body)
    }

    #[test]
    fn a_broken_idle_connection_is_replaced_and_the_query_runs_again() {
        let (node, server) = one_answer_per_connection();
        let pool = Pool::new(&node, Conn::open(&node).unwrap());
        // The first connection answers once, then the node drops it.
        pool.run(|c| c.exec("SELECT 1")).unwrap();
        assert_eq!(pool.idle_count(), 1);
        // Its next query is lost: the pool reconnects and runs it again, on the second
        // connection, which is kept.
        pool.run(|c| c.exec("SELECT 2")).unwrap();
        assert_eq!(pool.idle_count(), 1);
        // The second connection is broken in turn; the third answers.
        pool.run(|c| c.exec("SELECT 3")).unwrap();
        drop(pool);
        assert_eq!(server.join().unwrap(), 3);
    }

    #[test]
    fn a_node_that_is_down_is_an_error_and_keeps_nothing() {
        let (node, server) = one_answer_per_connection();
        let pool = Pool::new(&node, Conn::open(&node).unwrap());
        pool.run(|c| c.exec("SELECT 1")).unwrap();
        // Two more connections are accepted, then nothing listens.
        pool.run(|c| c.exec("SELECT 2")).unwrap();
        pool.run(|c| c.exec("SELECT 3")).unwrap();
        assert_eq!(server.join().unwrap(), 3);
        let err = pool.run(|c| c.exec("SELECT 4")).unwrap_err();
        assert!(
            matches!(err, SqlError::Connect { .. }),
            "{err:?} is not a connection error"
        );
        assert_eq!(pool.idle_count(), 0);
    }
}
