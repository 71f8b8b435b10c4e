//! Bytes of a text/markdown file -> decode -> front matter -> transcript::split.
//! Checks: no panic; decoded text has no NUL when decode succeeds; every passage text is
//! non-empty; exact-token offsets of every passage slice its text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (text, encoding) = match podium::corpus::decode(data) {
        Ok(ok) => ok,
        Err(_) => return,
    };
    assert!(!encoding.is_empty());
    common::check_tokens(&text);
    // An undated file name, so that `split` looks for the date in the title and the text.
    let doc = match podium::corpus::from_text("fuzz.md", &text) {
        Ok(doc) => doc,
        Err(_) => return,
    };
    let transcript = podium::transcript::split(&doc);
    common::check_transcript(&transcript);
});
