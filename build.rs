//! Links the `podium` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at every start: about
//! 43,000 relative relocations written over 1 MB of `.data.rel.ro`, each page copied on write.
//! That was half the page faults of a whole `podium search` call and a fixed cost of every call
//! (issue 12, part 2). Linked at a fixed address, those pages are read from the page cache as
//! they are, and only when touched. Only the binary's final link changes: no crate is compiled
//! differently, and the tests link as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
