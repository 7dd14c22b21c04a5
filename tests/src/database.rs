//! Throwaway PostgreSQL databases for the tests, one per app, made on the server named by
//! `LIANMENG_TEST_DATABASE_URL` and dropped afterwards.

use std::time::Duration;

use sqlx::{Connection, Executor};

/// The environment variable naming a PostgreSQL server for the tests.
pub const DATABASE_ENV: &str = "LIANMENG_TEST_DATABASE_URL";

/// The PostgreSQL server URL the suite should use, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var(DATABASE_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A throwaway PostgreSQL database, made on the server at `LIANMENG_TEST_DATABASE_URL`.
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
    dropped: bool,
}

impl TestDatabase {
    /// Creates `lm_test_<uuid>`; panics with a clear message if the server is unreachable.
    pub async fn create(admin_url: &str) -> TestDatabase {
        let name = format!("lm_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(admin_url).await.unwrap_or_else(|e| {
            panic!(
                "{DATABASE_ENV} is set ({}) but PostgreSQL is unreachable: {e}. Start PostgreSQL \
                 or unset {DATABASE_ENV} to test on SQLite.",
                redact(admin_url)
            )
        });
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await
            .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
        let _ = conn.close().await;
        TestDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_owned(),
            name,
            dropped: false,
        }
    }

    /// Drops the database, ending any connection still open to it.
    pub async fn drop_now(&mut self) {
        if self.dropped {
            return;
        }
        self.dropped = true;
        drop_database(&self.admin_url, &self.name).await;
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        self.dropped = true;
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Our own runtime on our own thread: this may run inside (or after) the test's runtime.
        let done = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_database(&admin_url, &name));
            }
        });
        let _ = done.join();
    }
}

async fn drop_database(admin_url: &str, name: &str) {
    let dropped = async {
        let mut conn = sqlx::PgConnection::connect(admin_url).await?;
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .await?;
        conn.close().await
    };
    match tokio::time::timeout(Duration::from_secs(20), dropped).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("warning: could not drop test database {name}: {e}"),
        Err(_) => eprintln!("warning: timed out dropping test database {name}"),
    }
}

/// `postgres://u@h:p/db?x` with `db` replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if url[s + 3..at].contains(':') => {
            let colon = s + 3 + url[s + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..colon], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_replaces_the_path() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "lm_test_x"),
            "postgres://postgres@127.0.0.1:5432/lm_test_x"
        );
        assert_eq!(
            super::with_database("postgres://u:p@h/db?sslmode=disable", "t"),
            "postgres://u:p@h/t?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://h:5432", "t"),
            "postgres://h:5432/t"
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
