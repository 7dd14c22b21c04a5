//! The studio list in and out of a spreadsheet: importing a sheet of N rows into a union's
//! subtree (a dry run, then the real import in one transaction, then the same sheet again,
//! which changes nothing), and exporting the list back to xlsx; rows per second and the
//! process's peak memory after each phase. The baseline in the same run is calamine reading the
//! same workbook alone, the floor under any import.

use std::io::Cursor;
use std::time::Instant;

use calamine::{Reader, Xlsx};
use lianmeng_server::auth::Actor;
use lianmeng_server::config::Config;
use lianmeng_server::service::studio_sheet;
use lianmeng_server::state::AppState;
use lianmeng_server::store::{orgs, users};

#[derive(clap::Args)]
pub struct Args {
    /// Rows of the sheet.
    #[arg(long, default_value_t = 10_000)]
    rows: usize,
}

/// Peak and current resident memory of this process, in MiB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmHWM:") / 1024.0, kib("VmRSS:") / 1024.0)
}

fn report(phase: &str, rows: usize, seconds: f64) {
    let (peak, now) = memory();
    println!(
        "{phase:<44} {rows:>6} rows in {seconds:>6.2} s = {:>8.0} rows/s   peak {peak:>6.1} MiB, now {now:>6.1} MiB",
        rows as f64 / seconds
    );
}

/// A workbook of `n` studios of the demo's first unit, led by the demo's first leader.
fn workbook(n: usize) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headings = [
        "工作室名称",
        "所在单位",
        "领衔人",
        "类型",
        "行业",
        "专业领域",
        "地区",
        "成立时间",
        "简介",
    ];
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    for i in 0..n {
        let r = i as u32 + 1;
        let cells = [
            format!("测试数控创新工作室{i:05}"),
            "秦川精密机床装备有限公司".to_owned(),
            "wangjianguo".to_owned(),
            "技术攻关".to_owned(),
            "机械制造".to_owned(),
            "数控加工".to_owned(),
            "西安".to_owned(),
            format!("20{:02}年{}月1日", 10 + i % 15, 1 + i % 12),
            "以全国劳动模范领衔，长期承担重点设备抢修和工艺改进任务。".to_owned(),
        ];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(r, c as u16, v)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let mut config = Config::for_data_dir(dir.path().to_path_buf(), None);
        config.sweep_every = None;
        let state = AppState::connect(config).await?;
        lianmeng_server::demo::load(&state).await?;
        let db = &state.db;
        let staff = users::find_by_username(db.reader(), "malijuan")
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo's city staff"))?;
        let actor = Actor::load(db.reader(), staff, 0, false).await?;
        let city = actor
            .staff
            .first()
            .ok_or_else(|| anyhow::anyhow!("a staff role"))?
            .org_id;
        let bytes = workbook(args.rows)?;
        println!(
            "studio list of {} rows: {:.1} MiB of xlsx; the process starts at {:.1} MiB",
            args.rows,
            bytes.len() as f64 / 1_048_576.0,
            memory().1
        );

        let t = Instant::now();
        let mut book = Xlsx::new(Cursor::new(bytes.clone()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| anyhow::anyhow!("a sheet"))??;
        let cells = range.rows().count() - 1;
        report(
            "baseline: calamine reads the workbook alone",
            cells,
            t.elapsed().as_secs_f64(),
        );

        let fail = |e: lianmeng_server::error::AppError| anyhow::anyhow!("{e}");
        let t = Instant::now();
        let r = studio_sheet::import(db, &actor, city, &bytes, true)
            .await
            .map_err(fail)?;
        anyhow::ensure!(r.created == args.rows, "dry run: {} to create", r.created);
        report(
            "import, dry run (report only)",
            args.rows,
            t.elapsed().as_secs_f64(),
        );
        let t = Instant::now();
        let r = studio_sheet::import(db, &actor, city, &bytes, false)
            .await
            .map_err(fail)?;
        anyhow::ensure!(
            r.applied && r.created == args.rows,
            "import: {} created",
            r.created
        );
        report(
            "import, written in one transaction",
            args.rows,
            t.elapsed().as_secs_f64(),
        );
        let t = Instant::now();
        let r = studio_sheet::import(db, &actor, city, &bytes, false)
            .await
            .map_err(fail)?;
        anyhow::ensure!(r.unchanged == args.rows, "again: {} unchanged", r.unchanged);
        report(
            "the same sheet again (nothing changes)",
            args.rows,
            t.elapsed().as_secs_f64(),
        );
        // The export's own peak: the high-water mark is reset first (Linux `clear_refs` 5).
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let before = memory().1;
        let t = Instant::now();
        let sheet = lianmeng_server::service::studio_export::export(db, Some(&actor), city)
            .await
            .map_err(fail)?;
        report(
            if reset {
                "export to xlsx (peak of the export alone)"
            } else {
                "export to xlsx"
            },
            args.rows,
            t.elapsed().as_secs_f64(),
        );
        if reset {
            println!(
                "the export grew the process by {:.1} MiB at its peak",
                memory().0 - before
            );
        }
        let out = sheet.into_bytes()?;
        let exported = Xlsx::new(Cursor::new(out.clone()))?
            .worksheet_range_at(0)
            .ok_or_else(|| anyhow::anyhow!("a sheet"))??
            .rows()
            .count()
            - 1;
        println!("read back: {exported} rows");
        let org = orgs::find(db.reader(), city)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        println!(
            "exported {exported} studios of {org}: {:.1} MiB of xlsx",
            out.len() as f64 / 1_048_576.0
        );
        anyhow::Ok(())
    })
}
