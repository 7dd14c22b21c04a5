//! The two migration sets (SQLite and PostgreSQL) make the same schema: the same tables and
//! columns, each column of the same kind of type and nullability, the same primary keys, unique
//! constraints and indexes.
//! Needs `LIANMENG_TEST_DATABASE_URL`; without it the test says so loudly (and fails under
//! `LIANMENG_REQUIRE_SERVICES=1`).

use std::collections::{BTreeMap, BTreeSet};

use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use lianmeng_tests::{TestDatabase, postgres_for};
use sqlx::{AnyPool, Row};

/// A column as both databases can describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    /// One word of a small shared vocabulary (see [`sqlite_type`], [`postgres_type`]).
    kind: String,
    nullable: bool,
}

/// An index other than the primary key's; names differ between the databases and are left
/// out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    /// Made by a `UNIQUE` constraint rather than by `CREATE INDEX`.
    constraint: bool,
    /// Has a `WHERE` clause (the clause itself is printed differently by each database).
    partial: bool,
}

#[derive(Debug, Default)]
struct Schema {
    /// table → column → description
    columns: BTreeMap<String, BTreeMap<String, Column>>,
    /// table → primary key columns, in key order
    primary_keys: BTreeMap<String, Vec<String>>,
    indexes: BTreeSet<Index>,
}

/// SQLite's declared type in the shared vocabulary, by SQLite's own affinity rules.
fn sqlite_type(declared: &str) -> String {
    let t = declared.to_ascii_uppercase();
    let kind = if t.contains("BOOL") {
        "boolean"
    } else if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.contains("BLOB") || t.is_empty() {
        "blob"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "real"
    } else {
        "numeric"
    };
    kind.to_owned()
}

/// PostgreSQL's `information_schema` data type in the shared vocabulary.
fn postgres_type(data_type: &str) -> String {
    match data_type {
        "smallint" | "integer" | "bigint" => "integer",
        "text" | "character varying" | "character" => "text",
        "real" | "double precision" => "real",
        "numeric" => "numeric",
        "bytea" => "blob",
        "boolean" => "boolean",
        // Anything else has no SQLite twin: keep its name so that the comparison shows it.
        other => other,
    }
    .to_owned()
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("listing SQLite tables");
    let mut schema = Schema::default();
    for t in tables {
        let table: String = t.get(0);
        let columns = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .expect("reading table_info");
        let mut key = Vec::new();
        let mut cols = BTreeMap::new();
        for c in &columns {
            let name: String = c.get(0);
            let not_null: i64 = c.get(2);
            let pk: i64 = c.get(3);
            if pk > 0 {
                key.push((pk, name.clone()));
            }
            // SQLite lets a primary key column hold NULL unless told otherwise; PostgreSQL
            // never does. Treat key columns as NOT NULL on both sides.
            let nullable = not_null == 0 && pk == 0;
            let kind = sqlite_type(&c.get::<String, _>(1));
            cols.insert(name, Column { kind, nullable });
        }
        key.sort();
        schema
            .primary_keys
            .insert(table.clone(), key.into_iter().map(|(_, n)| n).collect());
        schema.columns.insert(table.clone(), cols);

        let indexes =
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("reading index_list");
        for i in indexes {
            let origin: String = i.get(2);
            if origin == "pk" {
                continue; // compared as the primary key
            }
            let name: String = i.get(0);
            let columns = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&name)
                .fetch_all(pool)
                .await
                .expect("reading index_info")
                .iter()
                .map(|c| {
                    c.get::<Option<String>, _>(0)
                        .unwrap_or_else(|| "<expression>".to_owned())
                })
                .collect();
            schema.indexes.insert(Index {
                table: table.clone(),
                columns,
                unique: i.get::<i64, _>(1) == 1,
                constraint: origin == "u",
                partial: i.get::<i64, _>(3) == 1,
            });
        }
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let rows = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.is_nullable::text, c.data_type::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '_sqlx_migrations' \
         ORDER BY 1, c.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .expect("reading information_schema");
    let mut schema = Schema::default();
    for r in rows {
        let nullable: String = r.get(2);
        let column = Column {
            kind: postgres_type(&r.get::<String, _>(3)),
            nullable: nullable == "YES",
        };
        schema
            .columns
            .entry(r.get(0))
            .or_default()
            .insert(r.get(1), column);
    }
    // Every index of the schema's tables, with its columns in index order and whether a
    // primary key or unique constraint owns it.
    let indexes = sqlx::query(
        "SELECT t.relname::text, \
           array_to_string(ARRAY( \
             SELECT COALESCE(a.attname::text, '<expression>') \
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
             ORDER BY k.ord), ','), \
           CASE WHEN ix.indisunique THEN 1 ELSE 0 END::bigint, \
           CASE WHEN ix.indpred IS NOT NULL THEN 1 ELSE 0 END::bigint, \
           COALESCE((SELECT con.contype::text FROM pg_constraint con \
                     WHERE con.conindid = ix.indexrelid AND con.conrelid = t.oid \
                       AND con.contype IN ('p', 'u') LIMIT 1), 'i') \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("reading pg_index");
    for i in indexes {
        let table: String = i.get(0);
        let columns: Vec<String> = i
            .get::<String, _>(1)
            .split(',')
            .map(str::to_owned)
            .collect();
        let owner: String = i.get(4);
        if owner == "p" {
            schema.primary_keys.insert(table, columns);
            continue;
        }
        schema.indexes.insert(Index {
            table,
            columns,
            unique: i.get::<i64, _>(2) == 1,
            constraint: owner == "u",
            partial: i.get::<i64, _>(3) == 1,
        });
    }
    // A table without a primary key has no entry on SQLite either (an empty list there).
    for table in schema.columns.keys() {
        schema.primary_keys.entry(table.clone()).or_default();
    }
    schema
}

/// What one side has and the other lacks, for a readable failure.
fn one_sided<T: Ord + Clone + std::fmt::Debug>(
    lite: &BTreeSet<T>,
    post: &BTreeSet<T>,
) -> (Vec<T>, Vec<T>) {
    (
        lite.difference(post).cloned().collect(),
        post.difference(lite).cloned().collect(),
    )
}

#[tokio::test]
async fn both_migration_sets_make_the_same_tables_and_columns() {
    let Some(admin_url) = postgres_for("both_migration_sets_make_the_same_tables_and_columns")
    else {
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
        lite.columns.contains_key("studios") && lite.columns.contains_key("outbox"),
        "{lite:?}"
    );
    assert!(
        !lite.indexes.is_empty() && lite.indexes.iter().any(|i| i.constraint),
        "the SQLite indexes and unique constraints were read: {lite:?}"
    );
    let names = |s: &Schema| -> Vec<(String, Vec<String>)> {
        s.columns
            .iter()
            .map(|(t, cols)| (t.clone(), cols.keys().cloned().collect()))
            .collect()
    };
    assert_eq!(
        lite.columns.keys().collect::<Vec<_>>(),
        post.columns.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    assert_eq!(names(&lite), names(&post), "the same columns in each table");
    for (table, cols) in &lite.columns {
        for (col, on_sqlite) in cols {
            let on_postgres = &post.columns[table][col];
            assert_eq!(
                on_sqlite.nullable,
                on_postgres.nullable,
                "{table}.{col} is {} on SQLite",
                if on_sqlite.nullable {
                    "nullable"
                } else {
                    "NOT NULL"
                }
            );
            assert_eq!(
                on_sqlite.kind, on_postgres.kind,
                "{table}.{col}: the same kind of type"
            );
        }
    }
    assert_eq!(
        lite.primary_keys, post.primary_keys,
        "the same primary keys"
    );
    let (only_sqlite, only_postgres) = one_sided(&lite.indexes, &post.indexes);
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the same unique constraints and indexes; only on SQLite: {only_sqlite:#?}; only on \
         PostgreSQL: {only_postgres:#?}"
    );
    sqlite.db.close().await;
    pg.db.close().await;
    pg_db.drop_now().await;
}

#[test]
fn both_vocabularies_agree_on_the_types_the_migrations_use() {
    for (sqlite, postgres) in [
        ("INTEGER", "bigint"),
        ("BIGINT", "bigint"),
        ("BIGINT", "integer"),
        ("TEXT", "text"),
        ("VARCHAR(40)", "character varying"),
        ("REAL", "double precision"),
        ("BLOB", "bytea"),
        ("BOOLEAN", "boolean"),
    ] {
        assert_eq!(
            sqlite_type(sqlite),
            postgres_type(postgres),
            "{sqlite} vs {postgres}"
        );
    }
    assert_ne!(sqlite_type("TEXT"), postgres_type("bigint"));
}
