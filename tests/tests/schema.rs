//! The two migration sets (SQLite and PostgreSQL) make the same tables and columns.

use std::collections::BTreeMap;

use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use lianmeng_tests::{TestDatabase, note_postgres_not_configured, postgres_url};
use sqlx::{AnyPool, Row};

/// table → column → nullable
type Schema = BTreeMap<String, BTreeMap<String, bool>>;

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("listing SQLite tables");
    let mut schema = Schema::new();
    for t in tables {
        let table: String = t.get(0);
        let columns = sqlx::query("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .expect("reading table_info");
        let cols = columns
            .iter()
            .map(|c| {
                let not_null: i64 = c.get(1);
                let pk: i64 = c.get(2);
                // SQLite lets a primary key column hold NULL unless told otherwise; PostgreSQL
                // never does. Treat key columns as NOT NULL on both sides.
                (c.get::<String, _>(0), not_null == 0 && pk == 0)
            })
            .collect();
        schema.insert(table, cols);
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let rows = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '_sqlx_migrations' \
         ORDER BY 1, c.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .expect("reading information_schema");
    let mut schema = Schema::new();
    for r in rows {
        let nullable: String = r.get(2);
        schema
            .entry(r.get(0))
            .or_default()
            .insert(r.get(1), nullable == "YES");
    }
    schema
}

#[tokio::test]
async fn both_migration_sets_make_the_same_tables_and_columns() {
    let Some(admin_url) = postgres_url() else {
        note_postgres_not_configured("both_migration_sets_make_the_same_tables_and_columns");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = AppState::connect(Config::for_tests(dir.path().join("data"), None))
        .await
        .expect("migrating SQLite");
    let mut pg_db = TestDatabase::create(&admin_url).await;
    let pg = AppState::connect(Config::for_tests(
        dir.path().join("pg"),
        Some(pg_db.url.clone()),
    ))
    .await
    .expect("migrating PostgreSQL");

    let lite = sqlite_schema(sqlite.db.reader()).await;
    let post = postgres_schema(pg.db.reader()).await;
    assert!(
        lite.contains_key("studios") && lite.contains_key("outbox"),
        "{lite:?}"
    );
    let names = |s: &Schema| -> Vec<(String, Vec<String>)> {
        s.iter()
            .map(|(t, cols)| (t.clone(), cols.keys().cloned().collect()))
            .collect()
    };
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        post.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    assert_eq!(names(&lite), names(&post), "the same columns in each table");
    for (table, cols) in &lite {
        for (col, nullable) in cols {
            assert_eq!(
                Some(nullable),
                post[table].get(col),
                "{table}.{col} is {} on SQLite",
                if *nullable { "nullable" } else { "NOT NULL" }
            );
        }
    }
    sqlite.db.close().await;
    pg.db.close().await;
    pg_db.drop_now().await;
}
