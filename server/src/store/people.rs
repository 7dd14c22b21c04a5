//! Finding people by the names they use: a Chinese display name (any part of it), the start of
//! a username, or a whole phone number; with the studios and unions that tell two 王伟 apart.

use sqlx::{AnyPool, Row};

/// A person found, with their places.
#[derive(Debug, Clone)]
pub struct PersonHit {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub phone: String,
    pub email: String,
    /// (studio id, studio name, unit name, unit path).
    pub studios: Vec<(i64, String, String, String)>,
    /// The unions where they are staff: (org name, org path).
    pub unions: Vec<(String, String)>,
}

/// A stored phone as its digits (people type `138-0013-8000` or `+86 138 0013 8000`).
const PHONE_DIGITS: &str =
    "REPLACE(REPLACE(REPLACE(REPLACE(phone, '-', ''), ' ', ''), '+86', ''), '+', '')";

/// `text` with `%`, `_` and `\` escaped for a LIKE pattern (escape character `\`).
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// People whose display name contains `q`, whose username starts with it, or whose phone is
/// `phone`; exact matches first, then by name. At most `limit`.
pub async fn search(
    pool: &AnyPool,
    q: &str,
    phone: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<PersonHit>> {
    let escaped = like_escaped(q);
    let sql = format!(
        "SELECT id, username, display_name, phone, email FROM users \
         WHERE closed_at IS NULL AND (display_name LIKE $1 ESCAPE '\\' \
            OR username LIKE $2 ESCAPE '\\' OR {PHONE_DIGITS} = $3) \
         ORDER BY CASE WHEN display_name = $4 OR username = $4 OR {PHONE_DIGITS} = $3 \
                  THEN 0 ELSE 1 END, display_name, id LIMIT $5",
    );
    // The phone expression is a constant above, never input.
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(format!("%{escaped}%"))
        .bind(format!("{}%", escaped.to_lowercase()))
        // An impossible phone when none was given: phones are digits.
        .bind(phone.unwrap_or("-"))
        .bind(q)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    let mut hits: Vec<PersonHit> = rows
        .iter()
        .map(|r| {
            Ok(PersonHit {
                id: r.try_get(0)?,
                username: r.try_get(1)?,
                display_name: r.try_get(2)?,
                phone: r.try_get(3)?,
                email: r.try_get(4)?,
                studios: Vec::new(),
                unions: Vec::new(),
            })
        })
        .collect::<sqlx::Result<_>>()?;
    if hits.is_empty() {
        return Ok(hits);
    }
    // Ids are integers: safe to inline.
    let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
    let ids = ids.join(", ");
    let sql = format!(
        "SELECT m.user_id, s.id, s.name, o.name, o.path FROM studio_members m \
         JOIN studios s ON s.id = m.studio_id JOIN orgs o ON o.id = s.org_id \
         WHERE m.user_id IN ({ids}) ORDER BY m.user_id, s.name"
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?
    {
        let user: i64 = r.try_get(0)?;
        if let Some(h) = hits.iter_mut().find(|h| h.id == user) {
            h.studios
                .push((r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?));
        }
    }
    let sql = format!(
        "SELECT r.user_id, o.name, o.path FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE r.user_id IN ({ids}) AND r.role = 'staff' ORDER BY r.user_id, o.path"
    );
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?
    {
        let user: i64 = r.try_get(0)?;
        if let Some(h) = hits.iter_mut().find(|h| h.id == user) {
            h.unions.push((r.try_get(1)?, r.try_get(2)?));
        }
    }
    Ok(hits)
}

/// The one person with this phone number, if exactly one has it.
pub async fn by_phone(pool: &AnyPool, phone: &str) -> sqlx::Result<Option<String>> {
    let sql = format!("SELECT username FROM users WHERE {PHONE_DIGITS} = $1 LIMIT 2");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(phone)
        .fetch_all(pool)
        .await?;
    match rows.as_slice() {
        [one] => Ok(Some(one.try_get(0)?)),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::like_escaped;

    #[test]
    fn like_wildcards_in_a_query_are_taken_literally() {
        assert_eq!(like_escaped("王_伟%"), "王\\_伟\\%");
        assert_eq!(like_escaped("a\\b"), "a\\\\b");
    }
}
