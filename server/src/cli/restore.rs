//! `lianmeng restore --from FILE`: a backup into an empty data directory (and, on PostgreSQL,
//! an empty database). The search index is not in the archive: the server rebuilds it from the
//! database when it starts, as it does after a lost index.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::Context;

use super::backup::{
    BACKUP_FORMAT, LAYOUT_VERSION, MANIFEST, Manifest, POSTGRES_ENTRY, SQLITE_ENTRY, UPLOADS,
};
use crate::config::Config;
use crate::store::{self, Backend, Db};

type Archive = zip::ZipArchive<BufReader<File>>;

/// Restores `from` into the data directory and database `config` names.
pub async fn run(config: &Config, from: &Path) -> anyhow::Result<Manifest> {
    let data_dir = config.data_dir.clone();
    if !is_empty_dir(&data_dir)? {
        anyhow::bail!(
            "数据目录不是空的，恢复只能写入空目录 / the data directory is not empty; restore only into an empty one: {}",
            data_dir.display()
        );
    }
    let from = from.to_path_buf();
    let (mut archive, manifest) = tokio::task::spawn_blocking(move || open(&from)).await??;
    let backend = Backend::of_url(&config.database_url)?;
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    if manifest.database != expected {
        anyhow::bail!(
            "备份来自 {} 数据库，而此处配置的是 {expected} / the backup is of a {} database and this one is {expected}; moving between the two is not supported",
            manifest.database,
            manifest.database
        );
    }
    let known = store::backup::known_migration(backend);
    if manifest.migration > known {
        anyhow::bail!(
            "备份来自更新的版本 {} / the backup was made by a newer Lianmeng ({}, schema {}); upgrade this one first",
            manifest.app_version,
            manifest.app_version,
            manifest.migration
        );
    }
    let result = restore(config, backend, &mut archive, &manifest).await;
    if result.is_err() {
        // The directory was empty: leave it so again, for the next attempt.
        clear_dir(&data_dir);
    }
    result.map(|()| manifest)
}

async fn restore(
    config: &Config,
    backend: Backend,
    archive: &mut Archive,
    manifest: &Manifest,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating {}", config.data_dir.display()))?;
    match backend {
        Backend::Sqlite => {
            let path = crate::store::sqlite_path(&config.database_url)
                .context("the SQLite URL names no file")?;
            if path.exists() {
                anyhow::bail!(
                    "数据库文件已存在 / the database file already exists: {}",
                    path.display()
                );
            }
            extract(archive, SQLITE_ENTRY, &path)?;
        }
        Backend::Postgres => {
            let db = Db::connect(&config.database_url).await?;
            let occupied = store::backup::has_tables(&db).await;
            db.close().await;
            if occupied? {
                anyhow::bail!(
                    "数据库不是空的，恢复只能写入空库 / the PostgreSQL database is not empty; restore only into an empty one"
                );
            }
            let dump = config.data_dir.join(".restore.pgdump");
            extract(archive, POSTGRES_ENTRY, &dump)?;
            let restored = pg_restore(&config.database_url, &dump).await;
            let _ = std::fs::remove_file(&dump);
            restored?;
        }
    }
    let uploads = extract_uploads(archive, &config.data_dir.join(UPLOADS))?;
    if uploads != manifest.uploads {
        anyhow::bail!(
            "the archive holds {uploads} uploaded files but its manifest counts {}",
            manifest.uploads
        );
    }
    // The copy must be sound and usable by this version: check it, then bring it up to date.
    let db = Db::connect(&config.database_url).await?;
    let checked = async {
        let integrity = store::backup::integrity_check(&db).await?;
        if integrity != "ok" {
            anyhow::bail!("the restored database fails its integrity check: {integrity}");
        }
        db.migrate().await
    }
    .await;
    db.close().await;
    checked
}

/// Opens the archive and reads its manifest.
fn open(from: &Path) -> anyhow::Result<(Archive, Manifest)> {
    let file = File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .with_context(|| format!("{} is not a backup archive", from.display()))?;
    let manifest: Manifest = {
        let entry = archive
            .by_name(MANIFEST)
            .with_context(|| format!("{} has no manifest", from.display()))?;
        serde_json::from_reader(entry).context("reading the manifest")?
    };
    if manifest.format != BACKUP_FORMAT || manifest.layout > LAYOUT_VERSION {
        anyhow::bail!(
            "{} is not a backup this version can read (format {} layout {})",
            from.display(),
            manifest.format,
            manifest.layout
        );
    }
    Ok((archive, manifest))
}

/// Copies one entry to `to`, checking its CRC on the way, and syncs it.
fn extract(archive: &mut Archive, name: &str, to: &Path) -> anyhow::Result<()> {
    let mut entry = archive
        .by_name(name)
        .with_context(|| format!("the archive has no {name}"))?;
    let mut out = File::create(to).with_context(|| format!("creating {}", to.display()))?;
    std::io::copy(&mut entry, &mut out).with_context(|| format!("extracting {name}"))?;
    out.sync_all()?;
    Ok(())
}

/// Extracts every `uploads/…` entry under `root`. Names are checked as the server's own are:
/// an entry that would land outside `root` (`..`, an absolute path) refuses the whole restore.
fn extract_uploads(archive: &mut Archive, root: &Path) -> anyhow::Result<u64> {
    let mut count = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.into_owned();
        let Some(relative) = name.strip_prefix(&format!("{UPLOADS}/")) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let safe = entry
            .enclosed_name()
            .filter(|p| p.starts_with(UPLOADS))
            .is_some();
        if !safe
            || relative
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
        {
            anyhow::bail!("the archive names a file outside the uploads: {name}");
        }
        let to = root.join(relative);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = File::create(&to).with_context(|| format!("creating {}", to.display()))?;
        std::io::copy(&mut entry, &mut out)?;
        count += 1;
    }
    Ok(count)
}

async fn pg_restore(url: &str, dump: &Path) -> anyhow::Result<()> {
    let status = tokio::process::Command::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ])
        .arg(format!("--dbname={url}"))
        .arg(dump)
        .status()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "pg_restore 无法运行，请安装 PostgreSQL 客户端 / pg_restore could not run ({e}): install the PostgreSQL client tools"
            )
        })?;
    if !status.success() {
        anyhow::bail!("pg_restore failed ({status})");
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

/// Removes what a failed restore left in a directory that was empty before it.
fn clear_dir(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}
