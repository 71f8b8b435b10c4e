//! Integration tests: the built `podium` binary on small corpora written by each test, plus a
//! differential test of phrase search against a brute-force scan.

mod differential;
mod formats;
mod harness;
mod index;
mod labels;
mod matching;
mod research;
mod safety;
mod search;
mod views;
