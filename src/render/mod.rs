//! Results -> output: text for people ([`text`]) and JSON for programs ([`json`]).
//!
//! Renderers take plain result structs and a writer; they never see tantivy, and an I/O error
//! (a closed pipe) is returned to the caller, which decides to exit quietly.

pub mod csv;
pub mod json;
pub mod kwic;
pub mod text;
pub mod views;
