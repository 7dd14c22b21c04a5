//! Benchmarks for Lianmeng: each one measures the platform next to a bare baseline in the same
//! run and prints the figures. Not tests: nothing here asserts on time.

mod baseline;
mod board;
mod chat;
mod chat_commit;
mod crash;
mod http;
mod load;
mod search;
mod searchable;
mod sheet;

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
    /// The challenge board and a challenge page with 20 claims, against the bare baseline.
    Board(board::Args),
    /// Chinese search: relevance (nDCG@10) against substring and FTS5-trigram baselines, then
    /// indexing speed, query latency and index size.
    Search(search::Args),
    /// The similar check's cut-off on the CSL corpus: how often a draft's own record is shown,
    /// and how often another is, at each cut-off.
    Similar(search::SimilarArgs),
    /// Write-to-searchable through the running server, idle and under concurrent writes.
    Searchable(searchable::Args),
    /// The chat commit alone, per message, against rusqlite with prepared statements on the
    /// same file: what a commit costs before any socket is involved.
    ChatCommit(chat_commit::Args),
    /// Chat fan-out against a bare tokio-tungstenite broadcast loop: deliveries/s, latency,
    /// memory per idle socket, two nodes through Redis.
    Chat(chat::Args),
    /// The studio list in and out of a spreadsheet: import (dry run, real, again) and export of
    /// N rows, rows/s and peak memory, against calamine reading the sheet alone.
    Sheet(sheet::Args),
    /// The crash soak: writers of every kind against a server killed with SIGKILL at random
    /// moments and restarted; checks every acknowledged write after each restart.
    Crash(crash::Args),
    /// The server of the crash soak (started by `crash`, not by hand).
    #[command(hide = true)]
    CrashNode,
    /// A server for the chat benchmark (started by `chat`, not by hand).
    #[command(hide = true)]
    ChatNode(chat::node::NodeArgs),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Http(args) => http::run(args),
        Command::Board(args) => board::run(args),
        Command::Search(args) => search::run(args),
        Command::Similar(args) => search::run_similar(args),
        Command::Searchable(args) => searchable::run(args),
        Command::Chat(args) => chat::run(args),
        Command::ChatCommit(args) => chat_commit::run(args),
        Command::Sheet(args) => sheet::run(args),
        Command::ChatNode(args) => chat::node::run(args),
        Command::Crash(args) => crash::run(args),
        Command::CrashNode => crash::node(),
    }
}
