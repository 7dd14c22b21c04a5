//! The `lianmeng` command: serve, migrate, reindex, demo, admin.

use clap::Parser;
use lianmeng_server::app;
use lianmeng_server::config::{AdminCommand, Cli, Command, Config, DataArgs, ServeArgs};
use lianmeng_server::demo;
use lianmeng_server::state::AppState;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Serve(serve) => run_serve(&cli.data, serve).await,
        Command::Migrate => {
            let state = connect(&cli.data).await?;
            state.db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Reindex => {
            let state = connect(&cli.data).await?;
            let added = lianmeng_server::jobs::indexer::rebuild(
                &state.db,
                &state.config.data_dir,
                |done, total| {
                    let percent = (done * 100).checked_div(total).unwrap_or(100);
                    let bar = "#".repeat(percent / 5);
                    eprint!("\rreindexing [{bar:<20}] {percent:>3}% {done}/{total}");
                },
            )
            .await?;
            eprintln!();
            println!("search index rebuilt: {added} documents; a running server switches to it");
            state.db.close().await;
            Ok(())
        }
        Command::Demo => {
            let state = connect(&cli.data).await?;
            let report = demo::load(&state).await?;
            println!("{report}");
            state.db.close().await;
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { username, password },
        } => {
            let state = connect(&cli.data).await?;
            let result =
                lianmeng_server::service::accounts::create_admin(&state.db, &username, &password)
                    .await;
            state.db.close().await;
            match result {
                Ok(user) => {
                    println!("admin {} created (id {})", user.username, user.id);
                    Ok(())
                }
                Err(e) => anyhow::bail!("could not create the admin: {}", describe(&e)),
            }
        }
    }
}

async fn connect(data: &DataArgs) -> anyhow::Result<AppState> {
    let serve = ServeArgs::defaults();
    AppState::connect(Config::new(data, &serve)).await
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

fn describe(e: &lianmeng_server::error::AppError) -> String {
    let p = e.problem();
    let fields: Vec<String> = p
        .errors
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    format!("{} {}", p.detail.unwrap_or(p.code), fields.join("; "))
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
