//! The query layer: one sqlx `Any` pool type over SQLite and PostgreSQL. All SQL lives here.

pub mod adoptions;
pub mod alliance_requests;
pub mod alliances;
pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bulletins;
pub mod challenge_backers;
pub mod challenges;
pub mod chat;
pub mod chat_batch;
pub mod claims;
pub mod courses;
pub mod direct;
pub mod escalations;
pub mod event_registrations;
pub mod events;
pub mod funds;
pub mod honours;
pub mod hosts;
pub mod invitations;
pub mod mentorships;
pub mod metrics;
pub mod naming;
pub mod notifications;
pub mod onboarding;
pub mod org_requests;
pub mod orgs;
pub mod outbox;
pub mod outcomes;
pub mod people;
pub mod personal_data;
pub mod projects;
pub mod read;
pub mod reports;
pub mod sessions;
pub mod studio_changes;
pub mod studio_members;
pub mod studios;
pub mod subtree_figures;
pub mod talent;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

use direct::Direct;

/// A write transaction; on SQLite it was opened with `BEGIN IMMEDIATE`.
pub type Tx = Transaction<'static, Any>;

/// Which database is behind the pool; only DDL and transaction start differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connection pools: readers, and the writer (a single connection on SQLite, so writes queue
/// in the pool instead of spinning on `SQLITE_BUSY`).
#[derive(Clone, Debug)]
pub struct Db {
    read: AnyPool,
    write: AnyPool,
    backend: Backend,
    /// Kept to open pools of its own for other runtimes; shared, as every socket clones a `Db`.
    options: std::sync::Arc<AnyConnectOptions>,
    /// On SQLite with a file, the direct readers of the hottest reads (see `direct`).
    direct: Option<Direct>,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("unsupported database URL (expected sqlite:// or postgres://)")
        }
    }
}

impl Db {
    /// Connect to `url` (`sqlite://…` or `postgres://…`) and tune the connection.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let options = AnyConnectOptions::from_str(url).context("parsing the database URL")?;
        match backend {
            Backend::Sqlite => {
                let write = sqlite_pool(1, SqliteRole::Writer)
                    .connect_with(options.clone())
                    .await?;
                let read = sqlite_pool(8, SqliteRole::Reader)
                    .connect_with(options.clone())
                    .await?;
                Ok(Db {
                    read,
                    write,
                    backend,
                    options: options.into(),
                    direct: sqlite_path(url).map(|path| Direct::new(&path)),
                })
            }
            Backend::Postgres => {
                let pool = postgres_pool(16, &options).await?;
                Ok(Db {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    options: options.into(),
                    direct: None,
                })
            }
        }
    }

    /// A small pool of its own for a task that runs on another runtime, where the database
    /// needs one: a PostgreSQL connection is driven by the runtime that opened it, so a pool
    /// shared across runtimes would stall when either is busy or gone. `None` for SQLite,
    /// whose connections run on threads of their own and are shared (there is one writer).
    pub async fn for_this_runtime(&self) -> anyhow::Result<Option<Db>> {
        match self.backend {
            Backend::Sqlite => Ok(None),
            Backend::Postgres => {
                let pool = postgres_pool(4, &self.options).await?;
                Ok(Some(Db {
                    read: pool.clone(),
                    write: pool,
                    backend: self.backend,
                    options: self.options.clone(),
                    direct: None,
                }))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads outside a transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Start a write transaction. SQLite: `BEGIN IMMEDIATE`, so a transaction that reads then
    /// writes takes the write lock up front and waits on `busy_timeout` instead of failing.
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    /// Apply the embedded migrations for this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        migrator
            .run(&self.write)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map(|_| ())
    }

    pub async fn close(&self) {
        if let Some(direct) = &self.direct {
            direct.close();
        }
        self.write.close().await;
        self.read.close().await;
    }
}

async fn postgres_pool(max: u32, options: &AnyConnectOptions) -> anyhow::Result<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options.clone())
        .await
        .context("connecting to PostgreSQL")
}

/// Which of the two SQLite pools a connection serves.
#[derive(Clone, Copy)]
enum SqliteRole {
    Reader,
    Writer,
}

/// What the writer's connection sets beyond the rest:
/// - a page cache of 32 MiB. Every other connection's commit empties a connection's cache, and
///   only the writer commits, so its cache stays warm: a busy room's index pages are read from
///   memory, not from the file;
/// - a WAL checkpoint (pages copied back into the database file, which is then synced) every
///   16,384 pages. SQLite's default is 1,000: with many rooms a commit writes hundreds of index
///   pages, so the default would checkpoint after nearly every commit. Between checkpoints, a
///   page written by many commits is copied back once.
const WRITER_PRAGMAS: [&str; 2] = [
    "PRAGMA cache_size = -32768",
    "PRAGMA wal_autocheckpoint = 16384",
];

/// SQLite pool: WAL (readers never block the writer), `synchronous = NORMAL` (in WAL a process
/// crash loses nothing; a power cut may lose the last commits, which we accept for the embedded
/// default), a 5 s busy timeout and enforced foreign keys.
fn sqlite_pool(max: u32, role: SqliteRole) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        // A local file cannot drop the connection under us: skip the ping on every acquire.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                // Statement journals (a statement of many rows inside a transaction keeps
                // one, to undo just itself) in memory rather than in a temporary file.
                conn.execute("PRAGMA temp_store = MEMORY").await?;
                if let SqliteRole::Writer = role {
                    for pragma in WRITER_PRAGMAS {
                        conn.execute(pragma).await?;
                    }
                }
                Ok(())
            })
        })
}

/// The file a `sqlite://PATH?…` URL names, as sqlx reads it (percent-decoded); `None` for an
/// in-memory database or any other URL.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let in_memory =
        path.is_empty() || path == ":memory:" || query.split('&').any(|pair| pair == "mode=memory");
    if in_memory {
        return None;
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

/// Milliseconds since the Unix epoch, the stored form of every instant.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Whether a database error is a unique-constraint violation (both backends).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db
                    .code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// Keyset cursor: an opaque string holding the last id of the previous page.
pub fn encode_cursor(last_id: i64) -> String {
    format!("c{last_id:x}")
}

/// Reads a cursor made by [`encode_cursor`]; `None` for anything else.
pub fn decode_cursor(cursor: &str) -> Option<i64> {
    cursor
        .strip_prefix('c')
        .and_then(|hex| i64::from_str_radix(hex, 16).ok())
        .filter(|id| *id >= 0)
}

/// Keyset cursor for a list ordered by a second key before the id (events by their start):
/// the last row's key and id.
pub fn encode_key_cursor(key: i64, last_id: i64) -> String {
    format!("k{key:x}.{last_id:x}")
}

/// Reads a cursor made by [`encode_key_cursor`]; `None` for anything else.
pub fn decode_key_cursor(cursor: &str) -> Option<(i64, i64)> {
    let (key, id) = cursor.strip_prefix('k')?.split_once('.')?;
    let key = i64::from_str_radix(key, 16).ok().filter(|k| *k >= 0)?;
    let id = i64::from_str_radix(id, 16).ok().filter(|id| *id >= 0)?;
    Some((key, id))
}

/// A stored instant as an RFC 3339 UTC string.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a lifecycle column into its enum. A value the code does not know is a decode error
/// (a loud 500 with its cause logged), never a silent default.
pub(crate) fn lifecycle<T>(code: String, parse: fn(&str) -> Option<T>) -> sqlx::Result<T> {
    parse(&code)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown lifecycle status {code:?}").into()))
}

#[cfg(test)]
mod tests {
    use super::{decode_cursor, decode_key_cursor, encode_key_cursor, lifecycle, sqlite_path};
    use std::path::PathBuf;

    #[test]
    fn the_sqlite_file_is_read_off_the_url_as_sqlx_reads_it() {
        assert_eq!(
            sqlite_path("sqlite:///srv/lm/data/lianmeng.db?mode=rwc"),
            Some(PathBuf::from("/srv/lm/data/lianmeng.db"))
        );
        assert_eq!(
            sqlite_path("sqlite://data/lianmeng.db"),
            Some(PathBuf::from("data/lianmeng.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///srv/%E8%81%94%E7%9B%9F/lianmeng.db?mode=rwc"),
            Some(PathBuf::from("/srv/联盟/lianmeng.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://x.db?mode=memory"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
    use crate::domain::challenge::ChallengeStatus;

    #[test]
    fn a_key_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let c = encode_key_cursor(1_767_225_600_000, 42);
        assert_eq!(decode_key_cursor(&c), Some((1_767_225_600_000, 42)));
        for bad in [
            "", "k", "k1", "k1.", "k.1", "kx.1", "k-1.2", "c2a", "k1.2.3",
        ] {
            assert_eq!(decode_key_cursor(bad), None, "{bad}");
        }
        assert_eq!(decode_cursor(&c), None);
    }

    #[test]
    fn a_known_status_is_decoded_into_its_enum() {
        let status = lifecycle("in_progress".to_owned(), ChallengeStatus::parse).unwrap();
        assert_eq!(status, ChallengeStatus::InProgress);
    }

    #[test]
    fn an_unknown_status_is_a_decode_error_not_a_default() {
        let err = lifecycle("进行中".to_owned(), ChallengeStatus::parse).unwrap_err();
        assert!(matches!(err, sqlx::Error::Decode(_)), "{err}");
        assert!(err.to_string().contains("进行中"), "{err}");
    }
}
