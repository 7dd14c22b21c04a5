//! Direct reads on the embedded database: a few rusqlite connections to the same SQLite file,
//! each query run on a blocking thread with its statement prepared once per connection.
//!
//! Why beside sqlx: a query through sqlx's SQLite pool is two hops to the connection's own
//! thread and back (the query, then the ping sqlx sends when a connection returns to its pool),
//! and every row is copied twice (SQLite's values, then the `Any` row). For the hottest reads
//! (the directory, a studio's page) that was most of a request's cost. Here a read is one hop
//! to a blocking thread, like any file read. Writes never come here: the connections are
//! opened with `query_only`, and the single writer stays sqlx's.
//!
//! The store's functions do not see the difference: [`super::Db::fetch_all`] runs a [`Read`]
//! (see [`super::read`]), the same SQL text, here on SQLite and through the pool on PostgreSQL.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use super::read::{Read, ReadRow};

/// Connections open at most; a read that finds all busy waits for one.
const CONNECTIONS: usize = 8;
/// Prepared statements kept per connection.
const STATEMENTS: usize = 128;

/// A rusqlite row with its statement's column names, read once per query: rusqlite's own
/// lookup by name asks SQLite for every column's name and compares it, for every value read.
struct Named<'a> {
    row: &'a rusqlite::Row<'a>,
    columns: &'a Columns,
    /// Where the last column read was found: a mapping reads columns mostly in order, so the
    /// next one is usually just after it.
    last: Cell<usize>,
}

/// A statement's column names, in one buffer.
#[derive(Default)]
struct Columns {
    names: String,
    ends: Vec<usize>,
    /// Whether a name comes twice: then every lookup starts at the first column, so that the
    /// first of them is read, as rusqlite reads it.
    repeated: bool,
}

impl Columns {
    fn read(stmt: &rusqlite::Statement<'_>) -> Columns {
        let mut c = Columns::default();
        for name in stmt.column_names() {
            c.repeated |= (0..c.ends.len()).any(|i| c.name(i) == name);
            c.names.push_str(name);
            c.ends.push(c.names.len());
        }
        c
    }

    fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.names[start..self.ends[i]]
    }
}

impl Named<'_> {
    fn index(&self, col: &str) -> sqlx::Result<usize> {
        let n = self.columns.ends.len();
        let start = if self.columns.repeated {
            0
        } else {
            self.last.get()
        };
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.columns.name(i) == col)
            .inspect(|&i| self.last.set(i + 1))
            .ok_or_else(|| sqlx::Error::ColumnNotFound(col.to_owned()))
    }

    fn get<T: rusqlite::types::FromSql>(&self, col: &str) -> sqlx::Result<T> {
        self.row.get(self.index(col)?).map_err(decode)
    }
}

impl ReadRow for Named<'_> {
    fn int(&self, col: &str) -> sqlx::Result<i64> {
        self.get(col)
    }
    fn opt_int(&self, col: &str) -> sqlx::Result<Option<i64>> {
        self.get(col)
    }
    fn text(&self, col: &str) -> sqlx::Result<String> {
        self.get(col)
    }
    fn opt_text(&self, col: &str) -> sqlx::Result<Option<String>> {
        self.get(col)
    }
}

fn decode(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

fn driver(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(e))
}

/// The direct readers of one SQLite file.
#[derive(Debug, Clone)]
pub struct Direct {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    /// Idle connections; a read takes one (or opens one) and puts it back.
    idle: Mutex<Vec<Connection>>,
    /// Bounds the connections open at once; closed with the database.
    slots: Arc<Semaphore>,
}

impl Direct {
    /// Readers of the file at `path` (opened as they are first needed).
    pub fn new(path: &Path) -> Direct {
        Direct {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
                slots: Arc::new(Semaphore::new(CONNECTIONS)),
            }),
        }
    }

    /// Runs one read.
    pub async fn fetch_all<T: Send + 'static>(&self, read: Read<T>) -> sqlx::Result<Vec<T>> {
        self.with(move |conn| run(conn, &read)).await
    }

    /// Runs two reads on one connection, in one trip to a blocking thread and one read
    /// transaction: both see the same moment.
    pub async fn fetch_both<A, B>(&self, a: Read<A>, b: Read<B>) -> sqlx::Result<(Vec<A>, Vec<B>)>
    where
        A: Send + 'static,
        B: Send + 'static,
    {
        self.with(move |conn| {
            let snapshot = conn.unchecked_transaction().map_err(driver)?;
            let both = (run(&snapshot, &a)?, run(&snapshot, &b)?);
            snapshot.commit().map_err(driver)?;
            Ok(both)
        })
        .await
    }

    /// Closes the idle connections; later reads answer `PoolClosed`, as the pools do.
    pub fn close(&self) {
        self.inner.slots.close();
        if let Ok(mut idle) = self.inner.idle.lock() {
            idle.clear();
        }
    }

    /// Runs `f` on an idle connection, on a blocking thread.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> sqlx::Result<T> + Send + 'static,
    ) -> sqlx::Result<T> {
        let slot = self
            .inner
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let inner = self.inner.clone();
        // The slot goes with the work: a request dropped while its read runs still holds it
        // until the connection is back.
        tokio::task::spawn_blocking(move || {
            let conn = match inner.idle.lock().map(|mut idle| idle.pop()) {
                Ok(Some(conn)) => conn,
                _ => open(&inner.path).map_err(driver)?,
            };
            let result = f(&conn);
            if let Ok(mut idle) = inner.idle.lock()
                && idle.len() < CONNECTIONS
                && !inner.slots.is_closed()
            {
                idle.push(conn);
            }
            drop(slot);
            result
        })
        .await
        .map_err(|_| sqlx::Error::WorkerCrashed)?
    }
}

fn run<T>(conn: &Connection, read: &Read<T>) -> sqlx::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(&translate(&read.sql)).map_err(driver)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(&read.args))
        .map_err(driver)?;
    let mut out = Vec::new();
    // Read at the first row, after the first step: a statement prepared again then (the
    // schema changed) may name its columns anew.
    let mut columns: Option<Columns> = None;
    while let Some(row) = rows.next().map_err(driver)? {
        let columns = columns.get_or_insert_with(|| Columns::read(row.as_ref()));
        let row = Named {
            row,
            columns,
            last: Cell::new(0),
        };
        out.push((read.map)(&row)?);
    }
    Ok(out)
}

/// A reader: the file's WAL lets it read while the writer writes; `query_only` keeps it one.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "query_only", true)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS);
    Ok(conn)
}

/// The store writes placeholders as `$1`, `$2`, … for both databases; SQLite reads `$1` as a
/// named parameter, which rusqlite binds by position only when written `?1`.
fn translate(sql: &str) -> String {
    // Byte by byte: the characters it looks for are ASCII, which never occur inside another
    // character's UTF-8 bytes, so every slice copied starts and ends on a character.
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\'' {
            quoted = !quoted;
        } else if b == b'$' && !quoted && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push_str(&sql[copied..i]);
            out.push('?');
            copied = i + 1;
        }
    }
    out.push_str(&sql[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::read::Arg;

    #[test]
    fn placeholders_become_numbered_question_marks_outside_quotes() {
        assert_eq!(
            translate("SELECT '$1' FROM t WHERE a = $1 AND b LIKE $12 || '%'"),
            "SELECT '$1' FROM t WHERE a = ?1 AND b LIKE ?12 || '%'"
        );
        assert_eq!(
            translate("SELECT '王$1' AS 名, $2 FROM t WHERE a = '劳模' AND b = $1$"),
            "SELECT '王$1' AS 名, ?2 FROM t WHERE a = '劳模' AND b = ?1$"
        );
    }

    #[tokio::test]
    async fn reads_see_what_the_file_holds_and_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER); \
             INSERT INTO t VALUES (1, '王建国', NULL), (2, '李明', 7);",
        )
        .unwrap();
        let direct = Direct::new(&path);
        let rows = direct
            .fetch_all(Read {
                sql: "SELECT id, name, n FROM t WHERE id >= $1 AND name <> $2 ORDER BY id".into(),
                args: vec![Arg::Int(1), Arg::Text("张雅琴".into())],
                map: |r| Ok((r.int("id")?, r.text("name")?, r.opt_int("n")?)),
            })
            .await
            .unwrap();
        assert_eq!(
            rows,
            [
                (1, "王建国".to_owned(), None),
                (2, "李明".to_owned(), Some(7))
            ]
        );
        let (one, two) = direct
            .fetch_both(
                Read {
                    sql: "SELECT name FROM t WHERE id = $1".into(),
                    args: vec![Arg::Int(2)],
                    map: |r| r.text("name"),
                },
                Read {
                    sql: "SELECT COUNT(*) AS n FROM t".into(),
                    args: vec![],
                    map: |r| r.int("n"),
                },
            )
            .await
            .unwrap();
        assert_eq!((one, two), (vec!["李明".to_owned()], vec![2]));
        // Columns read out of order, named in Chinese, and one the query does not have.
        let rows = direct
            .fetch_all(Read {
                sql: "SELECT id, name AS 姓名, n FROM t WHERE id = $1".into(),
                args: vec![Arg::Int(2)],
                map: |r| Ok((r.opt_int("n")?, r.int("id")?, r.text("姓名")?)),
            })
            .await
            .unwrap();
        assert_eq!(rows, [(Some(7), 2, "李明".to_owned())]);
        let missing = direct
            .fetch_all(Read {
                sql: "SELECT id FROM t".into(),
                args: vec![],
                map: |r| r.text("name"),
            })
            .await;
        assert!(
            matches!(missing, Err(sqlx::Error::ColumnNotFound(ref c)) if c == "name"),
            "{missing:?}"
        );
        // A name that comes twice reads the first of them, wherever the last read was.
        let rows = direct
            .fetch_all(Read {
                sql: "SELECT id, name, n AS id FROM t WHERE id = $1".into(),
                args: vec![Arg::Int(2)],
                map: |r| Ok((r.text("name")?, r.int("id")?)),
            })
            .await
            .unwrap();
        assert_eq!(rows, [("李明".to_owned(), 2)]);
        let refused = direct
            .fetch_all(Read {
                sql: "DELETE FROM t RETURNING id".into(),
                args: vec![],
                map: |r| r.int("id"),
            })
            .await;
        assert!(refused.is_err());
        direct.close();
        let closed = direct
            .fetch_all(Read {
                sql: "SELECT id FROM t".into(),
                args: vec![],
                map: |r| r.int("id"),
            })
            .await;
        assert!(matches!(closed, Err(sqlx::Error::PoolClosed)), "{closed:?}");
        let left: i64 = c
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 2);
    }
}
