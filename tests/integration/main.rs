//! Integration tests: the built `podium` binary on small corpora written by each test, a search
//! cluster against the embedded index (engine.rs, cluster.rs), served (serve_cluster.rs), and its
//! ingest when runs fail or overlap (cluster_ingest.rs), plus a
//! differential test of phrase search against a brute-force scan.

mod cluster;
mod cluster_ingest;
mod differential;
mod engine;
mod formats;
mod harness;
mod identity;
mod index;
mod labels;
mod matching;
mod research;
mod safety;
mod search;
mod serve;
mod serve_cluster;
mod views;
