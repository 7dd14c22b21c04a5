//! Benchmarks for Lianmeng: each one measures the platform next to a bare baseline in the same
//! run and prints the figures. Not tests: nothing here asserts on time.

mod baseline;
mod http;
mod load;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "lianmeng-bench", about = "Lianmeng benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// HTTP reads (studio directory and studio page) against a bare axum + rusqlite handler.
    Http(http::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Http(args) => http::run(args),
    }
}
