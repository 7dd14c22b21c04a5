//! HTTP reads: the studio directory and a studio page, Lianmeng against the bare baseline.

use std::time::Duration;

use lianmeng_server::app::Running;
use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use lianmeng_server::store::studios::{self, NewStudio, Value};

use crate::load::{Case, compare, uris};

#[derive(clap::Args)]
pub struct Args {
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent connections in the throughput runs.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Requests per second in the fixed-rate runs.
    #[arg(long, default_value_t = 2000)]
    rate: u32,
    /// Extra generated studios on top of the demo data set.
    #[arg(long, default_value_t = 5000)]
    studios: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let servers = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (lianmeng_addr, baseline_addr, ids) = servers.block_on(async {
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await?;
        lianmeng_server::demo::load(&state).await?;
        let ids = generate(&state, args.studios).await?;
        let running = Running::start(state, "127.0.0.1:0").await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let baseline_addr = listener.local_addr()?;
        tokio::spawn(crate::baseline::serve(
            listener,
            dir.path().join("lianmeng.db"),
        ));
        let addr = running.addr;
        std::mem::forget(running);
        anyhow::Ok((addr, baseline_addr, ids))
    })?;

    let page_paths: Vec<String> = ids.iter().map(|id| format!("/{id}")).collect();
    println!(
        "HTTP reads on the embedded default (SQLite), {} studios, {} cores; {} s per run",
        ids.len() + 35,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        args.seconds
    );
    let cases = vec![
        Case {
            name: "studio directory",
            ours: uris(
                format!("http://{lianmeng_addr}/api/v1/studios"),
                &["?limit=20".to_owned()],
            ),
            bare: uris(format!("http://{baseline_addr}/studios"), &[String::new()]),
        },
        Case {
            name: "studio page",
            ours: uris(
                format!("http://{lianmeng_addr}/api/v1/studios"),
                &page_paths,
            ),
            bare: uris(format!("http://{baseline_addr}/studios"), &page_paths),
        },
    ];
    compare(
        cases,
        args.connections,
        args.rate,
        Duration::from_secs(args.seconds),
    )
}

/// Adds `n` online studios (copies of the demo profiles under new names) and returns the ids
/// of all online studios.
async fn generate(state: &AppState, n: usize) -> anyhow::Result<Vec<i64>> {
    let pool = state.db.reader();
    let template = studios::find(pool, 1)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo studio"))?;
    let mut tx = state.db.begin().await?;
    for i in 0..n {
        let name = format!("{}（第{}分室）", template.name, i + 1);
        let id = studios::insert(
            &mut tx,
            &NewStudio {
                name: &name,
                org_id: template.org_id,
                kind: &template.kind,
                leader_id: template.leader_id,
            },
        )
        .await?;
        let text = |s: &str| Value::Text(s.to_owned());
        studios::update(
            &mut tx,
            id,
            &[
                ("field", text(&template.field)),
                ("industry", text(&template.industry)),
                ("region", text(&template.region)),
                ("goals", text(&template.goals)),
                ("intro", text(&template.intro)),
            ],
        )
        .await?;
        studios::set_online(&mut tx, id).await?;
    }
    tx.commit().await?;
    let filter = studios::Filter {
        online: Some(true),
        see_all: true,
        ..Default::default()
    };
    let rows = studios::list(&state.db, &filter, None, 100_000).await?;
    Ok(rows.into_iter().map(|s| s.id).collect())
}
