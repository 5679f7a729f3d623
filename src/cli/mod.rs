//! Subcommands of the `retex` binary kept out of `main.rs`.

pub mod token;
