//! `lianmeng backup --to FILE`: one zip archive holding a manifest, a consistent copy of the
//! database and every uploaded file, made while the server keeps serving and writing.
//!
//! The database is copied first and the uploads after it. A file is saved before the row that
//! names it is committed, so every file the copied database names is already on disk when the
//! uploads are copied; a file saved after the copy began may come along unnamed, which is
//! harmless. The archive is written under a temporary name and renamed when complete, so a
//! backup cut short never looks like a finished one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;

use crate::config::Config;
use crate::store::{self, Backend, Db};

/// The `format` every manifest carries.
pub const BACKUP_FORMAT: &str = "lianmeng-backup";
/// The layout version of the archive; a restore refuses layouts it does not know.
pub const LAYOUT_VERSION: u32 = 1;
pub(super) const MANIFEST: &str = "manifest.json";
pub(super) const SQLITE_ENTRY: &str = "database.sqlite3";
pub(super) const POSTGRES_ENTRY: &str = "database.pgdump";
pub(super) const UPLOADS: &str = "uploads";

/// What an archive holds, written first into it as `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub layout: u32,
    /// The version of Lianmeng that wrote it.
    pub app_version: String,
    /// When the database copy began (UTC, RFC 3339).
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// The newest migration applied to the copied database.
    pub migration: i64,
    /// Uploaded files in the archive, and their bytes.
    pub uploads: u64,
    pub upload_bytes: u64,
}

/// Writes the backup of the data directory and database `config` names to `to`.
pub async fn run(config: &Config, to: &Path) -> anyhow::Result<Manifest> {
    if to.exists() {
        anyhow::bail!(
            "备份文件已存在 / the backup file already exists: {}",
            to.display()
        );
    }
    let dir = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let db = Db::connect(&config.database_url).await?;
    let result = write(config, &db, dir, to).await;
    db.close().await;
    result
}

async fn write(config: &Config, db: &Db, dir: &Path, to: &Path) -> anyhow::Result<Manifest> {
    let created_at = chrono::Utc::now().to_rfc3339();
    let migration = store::backup::applied_migration(db)
        .await?
        .context("the database has no schema yet: nothing to back up")?;
    // The database copy lands beside the archive, then goes into it and away.
    let scratch = tempfile::Builder::new()
        .prefix(".lianmeng-backup-")
        .tempdir_in(dir)
        .with_context(|| format!("making a scratch directory in {}", dir.display()))?;
    let (entry, copy) = match db.backend() {
        Backend::Sqlite => {
            let copy = scratch.path().join(SQLITE_ENTRY);
            store::backup::snapshot_sqlite(db, &copy)
                .await
                .context("copying the SQLite database")?;
            (SQLITE_ENTRY, copy)
        }
        Backend::Postgres => {
            let copy = scratch.path().join(POSTGRES_ENTRY);
            pg_dump(&config.database_url, &copy).await?;
            (POSTGRES_ENTRY, copy)
        }
    };
    let database = match db.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let uploads_root = config.data_dir.join(UPLOADS);
    let partial = scratch.path().join("archive.partial");
    let to_owned = to.to_path_buf();
    let manifest = Manifest {
        format: BACKUP_FORMAT.to_owned(),
        layout: LAYOUT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at,
        database: database.to_owned(),
        migration,
        uploads: 0,
        upload_bytes: 0,
    };
    let manifest = tokio::task::spawn_blocking(move || {
        let manifest = pack(&partial, manifest, entry, &copy, &uploads_root)?;
        std::fs::rename(&partial, &to_owned)
            .with_context(|| format!("moving the archive to {}", to_owned.display()))?;
        Ok::<_, anyhow::Error>(manifest)
    })
    .await??;
    Ok(manifest)
}

/// Writes the archive: the database copy, the uploads, then the manifest that counts them.
fn pack(
    archive: &Path,
    mut manifest: Manifest,
    entry: &str,
    copy: &Path,
    uploads_root: &Path,
) -> anyhow::Result<Manifest> {
    let file = File::create(archive).with_context(|| format!("creating {}", archive.display()))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(file));
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file(entry, deflated)?;
    std::io::copy(&mut File::open(copy)?, &mut zip)?;
    for (relative, path) in files_under(uploads_root)? {
        let name = format!("{UPLOADS}/{relative}");
        // Pictures and PDFs are compressed already.
        zip.start_file(
            name,
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
        )?;
        manifest.upload_bytes += std::io::copy(&mut File::open(&path)?, &mut zip)?;
        manifest.uploads += 1;
    }
    zip.start_file(MANIFEST, deflated)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let mut out = zip.finish()?;
    out.flush()?;
    out.into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()
        .context("syncing the archive")?;
    Ok(manifest)
}

/// Every regular file under `root`, with its path relative to `root` in `/` form, sorted.
fn files_under(root: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(root)?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `pg_dump` in its custom format: one consistent snapshot of the database.
async fn pg_dump(url: &str, to: &Path) -> anyhow::Result<()> {
    let status = tokio::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges"])
        .arg(format!("--dbname={url}"))
        .arg(format!("--file={}", to.display()))
        .status()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "pg_dump 无法运行，请安装 PostgreSQL 客户端 / pg_dump could not run ({e}): install the PostgreSQL client tools"
            )
        })?;
    if !status.success() {
        anyhow::bail!("pg_dump failed ({status})");
    }
    Ok(())
}
