//! Accounts and their personal profiles.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, is_unique_violation, now_ms};

/// A user as others may see it.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

/// The personal profile (the leader section of the application form).
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub real_name: String,
    pub gender: String,
    pub birth_month: String,
    pub education: String,
    pub ethnicity: String,
    pub political_status: String,
    pub trade: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub honours: String,
    /// Their portrait (a picture's name).
    pub portrait: Option<String>,
}

/// Profile columns in form order; `update_person` writes them by these names only.
pub const PERSON_FIELDS: [&str; 12] = [
    "display_name",
    "real_name",
    "gender",
    "birth_month",
    "education",
    "ethnicity",
    "political_status",
    "trade",
    "title",
    "phone",
    "email",
    "honours",
];

/// The columns `id, username, display_name, is_admin` as a user.
pub(super) fn user(r: &AnyRow) -> sqlx::Result<User> {
    Ok(User {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        is_admin: r.try_get::<i64, _>("is_admin")? != 0,
    })
}

fn person(r: &AnyRow) -> sqlx::Result<Person> {
    Ok(Person {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        real_name: r.try_get("real_name")?,
        gender: r.try_get("gender")?,
        birth_month: r.try_get("birth_month")?,
        education: r.try_get("education")?,
        ethnicity: r.try_get("ethnicity")?,
        political_status: r.try_get("political_status")?,
        trade: r.try_get("trade")?,
        title: r.try_get("title")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        honours: r.try_get("honours")?,
        portrait: r.try_get("portrait")?,
    })
}

/// Whether a name could be a stored username at all: PostgreSQL refuses text holding NUL, so
/// such a lookup (from untrusted input) is answered "no such user" instead of a database error.
fn storable(username: &str) -> bool {
    !username.contains('\0')
}

/// Inserts a user; `Ok(None)` when the username is taken.
#[tracing::instrument(skip(tx, password_hash))]
pub async fn insert(
    tx: &mut Tx,
    username: &str,
    password_hash: &str,
    display_name: &str,
    is_admin: bool,
) -> sqlx::Result<Option<User>> {
    let res = sqlx::query(
        "INSERT INTO users (username, password_hash, display_name, is_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id, username, display_name, is_admin",
    )
    .bind(username)
    .bind(password_hash)
    .bind(display_name)
    .bind(i64::from(is_admin))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await;
    match res {
        Ok(row) => Ok(Some(user(&row)?)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The user and password hash for a login attempt.
#[tracing::instrument(skip(pool))]
pub async fn credentials(pool: &AnyPool, username: &str) -> sqlx::Result<Option<(User, String)>> {
    if !storable(username) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT id, username, display_name, is_admin, password_hash FROM users WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((user(&r)?, r.try_get("password_hash")?)))
        .transpose()
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query("SELECT id, username, display_name, is_admin FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| user(&r))
        .transpose()
}

pub async fn find_by_username(pool: &AnyPool, username: &str) -> sqlx::Result<Option<User>> {
    if !storable(username) {
        return Ok(None);
    }
    sqlx::query("SELECT id, username, display_name, is_admin FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(pool)
        .await?
        .map(|r| user(&r))
        .transpose()
}

/// The people a mention may name: the username `name`, or a display name among `starts`;
/// longest display names first, at most 50.
pub async fn named_by(pool: &AnyPool, name: &str, starts: &[String]) -> sqlx::Result<Vec<User>> {
    let marks: Vec<String> = (0..starts.len()).map(|i| format!("${}", i + 2)).collect();
    let in_names = if marks.is_empty() {
        "FALSE".to_owned()
    } else {
        format!("display_name IN ({})", marks.join(", "))
    };
    let sql = format!(
        "SELECT id, username, display_name, is_admin FROM users \
         WHERE username = $1 OR {in_names} ORDER BY LENGTH(display_name) DESC, id LIMIT 50"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name);
    for s in starts {
        q = q.bind(s);
    }
    q.fetch_all(pool).await?.iter().map(user).collect()
}

/// Points the person to a new portrait (or none); answers the one they had.
pub async fn set_portrait(
    tx: &mut Tx,
    id: i64,
    portrait: Option<&str>,
) -> sqlx::Result<Option<String>> {
    // Locks the row while the old name is read (see `studios::set_picture`).
    let old: Option<Option<String>> =
        sqlx::query_scalar("UPDATE users SET portrait = portrait WHERE id = $1 RETURNING portrait")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query("UPDATE users SET portrait = $1 WHERE id = $2")
        .bind(portrait)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(old.flatten())
}

pub async fn person_by_id(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Person>> {
    sqlx::query(
        "SELECT id, username, display_name, real_name, gender, birth_month, education, \
         ethnicity, political_status, trade, title, phone, email, honours, portrait FROM users \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .map(|r| person(&r))
    .transpose()
}

/// Writes the given profile fields (names from [`PERSON_FIELDS`] only).
#[tracing::instrument(skip(tx, values))]
pub async fn update_person(
    tx: &mut Tx,
    id: i64,
    values: &[(&'static str, String)],
) -> sqlx::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("UPDATE users SET ");
    for (i, (field, _)) in values.iter().enumerate() {
        assert!(
            PERSON_FIELDS.contains(field),
            "not a profile column: {field}"
        );
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("{field} = ${}", i + 1));
    }
    sql.push_str(&format!(" WHERE id = ${}", values.len() + 1));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, v) in values {
        q = q.bind(v.clone());
    }
    q.bind(id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn count(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// The phones of these people, for union staff following up on them.
pub async fn phones(pool: &AnyPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers: safe to inline.
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT id, phone FROM users WHERE id IN ({})",
        list.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("phone")?)))
        .collect()
}

/// The ids of these usernames (those that exist), in chunks of 500 binds.
pub async fn ids_by_username(pool: &AnyPool, names: &[String]) -> sqlx::Result<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for chunk in names.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT username, id FROM users WHERE username IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for n in chunk {
            q = q.bind(n.clone());
        }
        for r in q.fetch_all(pool).await? {
            out.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(out)
}

/// The usernames of these people.
pub async fn usernames(pool: &AnyPool, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        // Ids are integers: safe to inline.
        let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT id, username FROM users WHERE id IN ({})",
            list.join(", ")
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await?
        {
            out.push((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(out)
}
