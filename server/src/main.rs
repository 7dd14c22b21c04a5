//! The `lianmeng` command: `serve` here, the others in `lianmeng_server::cli`.

use clap::Parser;
use lianmeng_server::app;
use lianmeng_server::config::{Cli, Command, Config, DataArgs, ServeArgs};
use lianmeng_server::demo;
use lianmeng_server::state::AppState;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line for the operator, never a backtrace: the causes joined with ": ".
            eprintln!("lianmeng: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(serve) => run_serve(&cli.data, serve).await,
        _ => lianmeng_server::cli::run(cli).await,
    }
}

async fn run_serve(data: &DataArgs, serve: ServeArgs) -> anyhow::Result<()> {
    let state = AppState::connect(Config::new(data, &serve)).await?;
    if serve.demo {
        match demo::load_if_empty(&state).await? {
            Some(report) => println!("{report}"),
            None => println!("database not empty: demo data not loaded"),
        }
    }
    let listener = TcpListener::bind(serve.listen).await?;
    app::serve(listener, state, app::shutdown_signal()).await
}

fn init_tracing() {
    let filter = EnvFilter::try_from_env("LIANMENG_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let json = std::env::var("LIANMENG_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
