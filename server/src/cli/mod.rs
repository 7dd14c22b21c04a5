//! The `lianmeng` commands other than `serve`: migrate, reindex, demo, admin, backup, restore.
//!
//! Every command here runs beside a server on the same data directory: it opens the search
//! index read-only (the server holds the writer), and what it writes reaches search through the
//! outbox. Errors come back as one line for the operator; `main` prints them.

mod backup;
mod restore;

use crate::config::{AdminCommand, Cli, Command, Config, DataArgs, ServeArgs};
use crate::state::{AppState, Role};

pub use backup::{BACKUP_FORMAT, Manifest};

/// Runs a command other than `serve` (which `main` runs itself).
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(_) => anyhow::bail!("serve is run by main"),
        Command::Migrate => {
            let state = connect(&cli.data).await?;
            state.db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Reindex => reindex(&cli.data).await,
        Command::Demo => {
            let state = connect(&cli.data).await?;
            let report = crate::demo::load(&state).await;
            state.db.close().await;
            println!("{}", report?);
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { username, password },
        } => {
            let state = connect(&cli.data).await?;
            let result =
                crate::service::accounts::create_admin(&state.db, &username, &password).await;
            state.db.close().await;
            match result {
                Ok(user) => {
                    println!("admin {} created (id {})", user.username, user.id);
                    Ok(())
                }
                Err(e) => anyhow::bail!("could not create the admin: {}", describe(&e)),
            }
        }
        Command::Backup { to } => {
            let manifest = backup::run(&config(&cli.data), &to).await?;
            println!(
                "backup written to {}: {} database, {} uploaded files",
                to.display(),
                manifest.database,
                manifest.uploads
            );
            Ok(())
        }
        Command::Restore { from } => {
            let manifest = restore::run(&config(&cli.data), &from).await?;
            println!(
                "restored the backup of {} into {}; the search index is rebuilt when the server starts",
                manifest.created_at,
                cli.data.data_dir.display()
            );
            Ok(())
        }
    }
}

fn config(data: &DataArgs) -> Config {
    Config::new(data, &ServeArgs::defaults())
}

/// Connects for a command that runs beside a server on the same data directory.
async fn connect(data: &DataArgs) -> anyhow::Result<AppState> {
    AppState::connect_as(config(data), Role::Command).await
}

async fn reindex(data: &DataArgs) -> anyhow::Result<()> {
    let state = connect(data).await?;
    let added = crate::jobs::indexer::rebuild(&state.db, &state.config.data_dir, |done, total| {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        let bar = "#".repeat(percent / 5);
        eprint!("\rreindexing [{bar:<20}] {percent:>3}% {done}/{total}");
    })
    .await;
    state.db.close().await;
    eprintln!();
    println!(
        "search index rebuilt: {} documents; a running server switches to it",
        added?
    );
    Ok(())
}

fn describe(e: &crate::error::AppError) -> String {
    let p = e.problem();
    let fields: Vec<String> = p
        .errors
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    format!("{} {}", p.detail.unwrap_or(p.code), fields.join("; "))
}
