//! A read of the hot paths: its SQL (placeholders `$1`, `$2`, …), its arguments and what each
//! row becomes, written once for both databases. [`Db::fetch_all`] runs it on the direct
//! readers on SQLite (see [`super::direct`]) and through the read pool on PostgreSQL; a row of
//! either driver is read through [`ReadRow`].

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::Db;

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::Int(i) => ValueRef::Integer(*i),
            Arg::Text(t) => ValueRef::Text(t.as_bytes()),
        }))
    }
}

/// One read: its SQL (placeholders `$1`, `$2`, …), its arguments and what each row becomes.
pub struct Read<T> {
    pub sql: String,
    pub args: Vec<Arg>,
    pub map: fn(&dyn ReadRow) -> sqlx::Result<T>,
}

/// A row of either driver, read by column name. Integers, texts and their `NULL`able forms
/// are all the hot reads need; a flag is an integer.
pub trait ReadRow {
    fn int(&self, col: &str) -> sqlx::Result<i64>;
    fn opt_int(&self, col: &str) -> sqlx::Result<Option<i64>>;
    fn text(&self, col: &str) -> sqlx::Result<String>;
    fn opt_text(&self, col: &str) -> sqlx::Result<Option<String>>;
    fn flag(&self, col: &str) -> sqlx::Result<bool> {
        Ok(self.int(col)? != 0)
    }
}

impl ReadRow for sqlx::any::AnyRow {
    fn int(&self, col: &str) -> sqlx::Result<i64> {
        sqlx::Row::try_get(self, col)
    }
    fn opt_int(&self, col: &str) -> sqlx::Result<Option<i64>> {
        sqlx::Row::try_get(self, col)
    }
    fn text(&self, col: &str) -> sqlx::Result<String> {
        sqlx::Row::try_get(self, col)
    }
    fn opt_text(&self, col: &str) -> sqlx::Result<Option<String>> {
        sqlx::Row::try_get(self, col)
    }
}

impl Db {
    /// A read of the hot paths. On SQLite it runs on the direct readers, elsewhere on the read
    /// pool; the SQL text is the same.
    pub async fn fetch_all<T: Send + 'static>(&self, read: Read<T>) -> sqlx::Result<Vec<T>> {
        match &self.direct {
            Some(direct) => direct.fetch_all(read).await,
            None => fetch_on(&self.read, read).await,
        }
    }

    /// The same for at most one row.
    pub async fn fetch_optional<T: Send + 'static>(
        &self,
        read: Read<T>,
    ) -> sqlx::Result<Option<T>> {
        Ok(self.fetch_all(read).await?.into_iter().next())
    }

    /// Two reads a page needs together: one trip on SQLite, side by side on PostgreSQL.
    pub async fn fetch_both<A, B>(&self, a: Read<A>, b: Read<B>) -> sqlx::Result<(Vec<A>, Vec<B>)>
    where
        A: Send + 'static,
        B: Send + 'static,
    {
        match &self.direct {
            Some(direct) => direct.fetch_both(a, b).await,
            None => tokio::try_join!(fetch_on(&self.read, a), fetch_on(&self.read, b)),
        }
    }
}

/// Runs a read through sqlx on `executor`: the read pool, or a transaction that must see its
/// own changes.
pub(super) async fn fetch_on<'c, T, E>(executor: E, read: Read<T>) -> sqlx::Result<Vec<T>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let mut q = sqlx::query(sqlx::AssertSqlSafe(read.sql));
    for arg in read.args {
        q = match arg {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    let rows = q.fetch_all(executor).await?;
    rows.iter().map(|r| (read.map)(r)).collect()
}
