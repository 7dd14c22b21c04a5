//! The crash soak (`lianmeng-bench crash --rounds N`): writers of every kind against a server
//! killed with SIGKILL at random moments; prints what was acknowledged and checked, how long
//! each restart took, and every problem found (none, when all held).

use lianmeng_tests::crash::{self, NodeCommand, Soak};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Kills and restarts.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// PostgreSQL (an empty database); SQLite in a temp dir when left out.
    #[arg(long)]
    database_url: Option<String>,
}

/// The child server: `lianmeng-bench crash-node` (not by hand).
pub fn node() -> anyhow::Result<()> {
    let dir = std::env::var_os("LIANMENG_CRASH_DATA_DIR")
        .ok_or_else(|| anyhow::anyhow!("LIANMENG_CRASH_DATA_DIR is not set"))?;
    let url = std::env::var("LIANMENG_CRASH_DATABASE_URL").ok();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(crash::node(dir.into(), url))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let soak = Soak {
        rounds: args.rounds,
        data_dir: crash::data_dir(dir.path()),
        database_url: args.database_url.clone(),
        node: NodeCommand {
            program: std::env::current_exe()?,
            args: vec!["crash-node".to_owned()],
            envs: Vec::new(),
        },
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = rt.block_on(crash::run(&soak))?;
    let database = if args.database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "crash soak on {database}: {} rounds of SIGKILL and restart",
        report.rounds
    );
    for (kind, n) in &report.acknowledged {
        println!("  acknowledged {kind:<14} {n:>6}, all checked after the kills");
    }
    let ms = |d: &std::time::Duration| d.as_secs_f64() * 1000.0;
    let mut restarts: Vec<f64> = report.restarts.iter().map(ms).collect();
    restarts.sort_by(f64::total_cmp);
    let mut searchable: Vec<f64> = report.searchable.iter().map(ms).collect();
    searchable.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(0.0);
    let max = |v: &[f64]| v.last().copied().unwrap_or(0.0);
    println!(
        "  kill to serving again: median {:.0} ms, max {:.0} ms",
        median(&restarts),
        max(&restarts)
    );
    println!(
        "  every acknowledged challenge found in search again after a restart: median {:.0} ms, max {:.0} ms",
        median(&searchable),
        max(&searchable)
    );
    if report.failures.is_empty() {
        println!(
            "  problems: none (acknowledged writes kept, nothing twice, integrity ok, capacity and single awards held, index agrees)"
        );
        Ok(())
    } else {
        for f in &report.failures {
            println!("  PROBLEM: {f}");
        }
        anyhow::bail!("{} problems", report.failures.len())
    }
}
