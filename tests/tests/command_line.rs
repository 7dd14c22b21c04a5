//! The `lianmeng` commands run beside a serving server on the same data directory, and backup
//! and restore: a backup taken while writers run holds every write acknowledged before it
//! began, and restores into an empty place where a new server finds it all.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use lianmeng_server::config::{Cli, Config};
use lianmeng_tests::{BACKGROUND, PASSWORD, StatusCode, TestApp, Value, World, eventually, json};
use tokio::time::Instant;

/// Runs `lianmeng <args>` against the data directory and database of `config`, in process.
async fn lianmeng(config: &Config, args: &[&str]) -> anyhow::Result<()> {
    let data_dir = config.data_dir.display().to_string();
    let mut argv = vec![
        "lianmeng",
        "--data-dir",
        &data_dir,
        "--database-url",
        &config.database_url,
    ];
    argv.extend_from_slice(args);
    lianmeng_server::cli::run(Cli::try_parse_from(argv)?).await
}

#[tokio::test]
async fn admin_demo_and_reindex_run_beside_a_serving_server() {
    let app = TestApp::spawn().await;
    let config = (*app.state.config).clone();

    // The demo goes only into an empty database: first, then the admin.
    lianmeng(&config, &["demo"])
        .await
        .expect("demo beside the server");
    lianmeng(
        &config,
        &[
            "admin",
            "create",
            "--username",
            "值班管理员",
            "--password",
            PASSWORD,
        ],
    )
    .await
    .expect("admin create beside the server");
    let (status, body) = app.login("值班管理员", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the server signs the new admin in: {body}"
    );

    // The demo's writes reach the serving server's index through the outbox.
    let found = eventually("the demo data is searchable", BACKGROUND, || async {
        let res = app
            .client
            .get(app.url("/api/v1/search?q=%E5%B7%A5%E4%BD%9C%E5%AE%A4"))
            .send()
            .await
            .ok()?;
        let body: Value = res.json().await.ok()?;
        (body["total"].as_u64().unwrap_or(0) > 0).then_some(body)
    })
    .await;
    assert!(found["total"].as_u64().unwrap() > 0);

    lianmeng(&config, &["reindex"])
        .await
        .expect("reindex beside the server");
    let res = app
        .client
        .get(app.url("/api/v1/search?q=%E5%B7%A5%E4%BD%9C%E5%AE%A4"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    app.cleanup().await;
}

#[tokio::test]
async fn a_second_server_on_the_same_data_directory_is_refused_in_one_line() {
    let app = TestApp::spawn().await;
    let config = (*app.state.config).clone();
    let second = lianmeng_server::state::AppState::connect(config).await;
    let error = second.expect_err("the data directory is taken");
    let line = format!("{error:#}");
    assert!(
        line.contains("另一个 lianmeng 服务") && line.contains("another lianmeng server"),
        "{line}"
    );
    assert!(!line.contains('\n'), "one line: {line}");
    app.cleanup().await;
}

fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend(std::iter::repeat_n(3u8, 3000));
    b
}

/// Posts draft challenges as fast as it can until `stop`, recording each acknowledged id with
/// the moment its answer arrived.
async fn writer(w: Arc<World>, n: usize, stop: Arc<AtomicBool>, acked: Acked) {
    for i in 0.. {
        if stop.load(Ordering::Acquire) {
            return;
        }
        let (status, body) = w.post(
            "/api/v1/challenges",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "title": format!("备份期间写入的榜单{n}-{i}"),
                   "description": "数控机床主轴温升过快，需要改进冷却方案。", "industry": "machinery",
                   "deadline": "2099-12-31", "reward_yuan": 1000}),
        ).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        acked
            .lock()
            .unwrap()
            .push((body["id"].as_i64().unwrap(), Instant::now()));
    }
}

type Acked = Arc<Mutex<Vec<(i64, Instant)>>>;

#[tokio::test]
async fn a_backup_taken_under_writes_restores_every_acknowledged_write() {
    let w = World::start().await.with_poster_studio().await;
    let searchable = w
        .open_challenge(json!({"title": "大型铸件焊缝超声波探伤漏检率高"}))
        .await;
    // An uploaded file: a report's attachment.
    let (status, report) = w
        .post(
            "/api/v1/reports",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "progress": "主轴温升控制操作法通过验收",
                   "urgent": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let part = reqwest::multipart::Part::bytes(png()).file_name("验收现场.png");
    let res = w
        .app
        .client
        .post(
            w.app
                .url(&format!("/api/v1/reports/{}/attachments", report["id"])),
        )
        .bearer_auth(w.poster())
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let w = Arc::new(w);
    let config = (*w.app.state.config).clone();
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Acked = Arc::default();
    let writers: Vec<_> = (0..3)
        .map(|n| tokio::spawn(writer(w.clone(), n, stop.clone(), acked.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let place = tempfile::tempdir().unwrap();
    let archive = place.path().join("联盟备份.zip");
    let began = Instant::now();
    lianmeng(&config, &["backup", "--to", &archive.display().to_string()])
        .await
        .expect("backup under writes");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Release);
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let before: Vec<i64> = acked
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(id, _)| *id)
        .collect();
    assert!(
        before.len() >= 3,
        "the writers wrote before the backup: {}",
        before.len()
    );
    assert!(acked.len() > before.len(), "and kept writing while it ran");

    // A second backup to the same file is refused; nothing is overwritten.
    let size = std::fs::metadata(&archive).unwrap().len();
    let again = lianmeng(&config, &["backup", "--to", &archive.display().to_string()]).await;
    assert!(again.is_err());
    assert_eq!(std::fs::metadata(&archive).unwrap().len(), size);

    // Restore into a new, empty place and serve from it.
    let (dir, database, restored_config) = TestApp::new_place().await;
    lianmeng(
        &restored_config,
        &["restore", "--from", &archive.display().to_string()],
    )
    .await
    .expect("restore into an empty place");
    // Restoring again into the now full place is refused and changes nothing.
    let twice = lianmeng(
        &restored_config,
        &["restore", "--from", &archive.display().to_string()],
    )
    .await;
    let message = format!("{:#}", twice.expect_err("not into a full place"));
    assert!(message.contains("不是空的"), "{message}");

    let restored = TestApp::spawn_in(dir, database, |_| {}).await;
    for id in &before {
        let res = restored
            .client
            .get(restored.url(&format!("/api/v1/challenges/{id}")))
            .bearer_auth(w.poster())
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "challenge {id} was acknowledged before the backup"
        );
    }
    // Nothing twice: every title restored once.
    let mine = restored
        .client
        .get(restored.url(&format!("/api/v1/challenges/{searchable}")))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    // The index is rebuilt from the database at start.
    eventually(
        "the restored challenge is searchable",
        BACKGROUND,
        || async {
            let body: Value = restored
                .client
                .get(restored.url("/api/v1/search?q=%E6%8E%A2%E4%BC%A4"))
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            body["items"]
                .as_array()?
                .iter()
                .any(|i| i["id"] == searchable)
                .then_some(())
        },
    )
    .await;
    // The uploaded file came back with its record.
    let reports: Value = restored
        .client
        .get(restored.url("/api/v1/reports"))
        .bearer_auth(w.poster())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = reports["items"][0]["attachments"][0]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("the attachment is listed: {reports}"))
        .to_owned();
    let file = restored
        .client
        .get(restored.url(&url))
        .bearer_auth(w.poster())
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().to_vec(), png());
    restored.cleanup().await;
    Arc::try_unwrap(w)
        .ok()
        .expect("writers done")
        .app
        .cleanup()
        .await;
}

#[tokio::test]
async fn a_restore_refuses_what_is_not_a_backup_and_leaves_the_place_empty() {
    let (_dir, _database, config) = TestApp::new_place().await;
    let junk = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(junk.path(), "不是备份").unwrap();
    let error = lianmeng(
        &config,
        &["restore", "--from", &junk.path().display().to_string()],
    )
    .await
    .expect_err("junk is refused");
    assert!(format!("{error:#}").contains("not a backup"), "{error:#}");
    let left = Path::new(&config.data_dir);
    assert!(
        !left.exists() || std::fs::read_dir(left).unwrap().next().is_none(),
        "nothing left behind"
    );
}
