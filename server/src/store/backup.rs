//! What backup and restore ask of the database: a consistent snapshot of a SQLite file, the
//! schema version, an integrity check, and whether a database is still empty.

use std::path::Path;

use super::{Backend, Db};

/// Writes a consistent copy of the whole SQLite database to `to` (`VACUUM INTO`): one read
/// transaction, so it sees every commit before it began and none after, while the server keeps
/// writing. The copy is compact and needs no WAL file beside it.
pub async fn snapshot_sqlite(db: &Db, to: &Path) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO ?")
        .bind(to.to_string_lossy().into_owned())
        .execute(db.reader())
        .await
        .map(|_| ())
}

/// The newest migration applied to this database, if any.
pub async fn applied_migration(db: &Db) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
        .fetch_one(db.reader())
        .await
}

/// The newest migration this build knows for `backend`.
pub fn known_migration(backend: Backend) -> i64 {
    let migrator = match backend {
        Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// SQLite's `PRAGMA integrity_check`: `"ok"` when the file is sound.
pub async fn integrity_check(db: &Db) -> sqlx::Result<String> {
    match db.backend() {
        Backend::Sqlite => {
            sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(db.reader())
                .await
        }
        Backend::Postgres => Ok("ok".to_owned()),
    }
}

/// Whether the database holds any table yet (a restore goes only into an empty one).
pub async fn has_tables(db: &Db) -> sqlx::Result<bool> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    let n: i64 = sqlx::query_scalar(sql).fetch_one(db.reader()).await?;
    Ok(n > 0)
}
