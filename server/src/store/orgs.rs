//! The union tree, staff roles and onboarding deadlines.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, now_ms};
use crate::domain::onboarding::{Counts, OrgNode};
use crate::domain::org::child_path;

/// One org of the union tree.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub parent_id: Option<i64>,
    pub path: String,
    /// Own onboarding deadline for demonstration studios (`YYYY-MM-DD`), if set.
    pub deadline_demo: Option<String>,
    /// Own onboarding deadline for all studios, if set.
    pub deadline_all: Option<String>,
    /// Own choice of how many days before a deadline leaders are reminded, if set.
    pub remind_days: Option<i64>,
}

/// `SELECT <every org column> FROM orgs <rest>`, as one static string.
macro_rules! select_orgs {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, level, parent_id, path, deadline_demo, deadline_all, remind_days FROM orgs ",
            $rest
        )
    };
}

fn org(r: &AnyRow) -> sqlx::Result<Org> {
    Ok(Org {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level: r.try_get("level")?,
        parent_id: r.try_get("parent_id")?,
        path: r.try_get("path")?,
        deadline_demo: r.try_get("deadline_demo")?,
        deadline_all: r.try_get("deadline_all")?,
        remind_days: r.try_get("remind_days")?,
    })
}

#[tracing::instrument(skip(tx))]
pub async fn insert(
    tx: &mut Tx,
    name: &str,
    level: &str,
    parent: Option<&Org>,
) -> sqlx::Result<Org> {
    let id: i64 = sqlx::query(
        "INSERT INTO orgs (name, level, parent_id, path, created_at) VALUES ($1, $2, $3, '', $4) \
         RETURNING id",
    )
    .bind(name)
    .bind(level)
    .bind(parent.map(|p| p.id))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let path = child_path(parent.map(|p| p.path.as_str()), id);
    sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2")
        .bind(&path)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(Org {
        id,
        name: name.to_owned(),
        level: level.to_owned(),
        parent_id: parent.map(|p| p.id),
        path,
        deadline_demo: None,
        deadline_all: None,
        remind_days: None,
    })
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Org>> {
    sqlx::query(select_orgs!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| org(&r))
        .transpose()
}

pub async fn children(pool: &AnyPool, id: i64) -> sqlx::Result<Vec<Org>> {
    let rows = sqlx::query(select_orgs!("WHERE parent_id = $1 ORDER BY id"))
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(org).collect()
}

pub async fn roots(pool: &AnyPool) -> sqlx::Result<Vec<Org>> {
    let rows = sqlx::query(select_orgs!("WHERE parent_id IS NULL ORDER BY id"))
        .fetch_all(pool)
        .await?;
    rows.iter().map(org).collect()
}

/// Orgs by id, in the order of `ids` (ancestors of a path, for breadcrumbs).
pub async fn by_ids(pool: &AnyPool, ids: &[i64]) -> sqlx::Result<Vec<Org>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(o) = find(pool, *id).await? {
            out.push(o);
        }
    }
    Ok(out)
}

/// Enterprise orgs, for the host-unit choice of the studio form.
pub async fn enterprises(pool: &AnyPool) -> sqlx::Result<Vec<Org>> {
    let rows = sqlx::query(select_orgs!("WHERE level = 'enterprise' ORDER BY name"))
        .fetch_all(pool)
        .await?;
    rows.iter().map(org).collect()
}

#[tracing::instrument(skip(tx))]
pub async fn set_deadlines(
    tx: &mut Tx,
    id: i64,
    deadline_demo: Option<&str>,
    deadline_all: Option<&str>,
    remind_days: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE orgs SET deadline_demo = $1, deadline_all = $2, remind_days = $3 WHERE id = $4",
    )
    .bind(deadline_demo)
    .bind(deadline_all)
    .bind(remind_days)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Grants `role` at `org_id`; granting twice is a no-op.
#[tracing::instrument(skip(tx))]
/// Grants a role at an org (an expert with their field); a second grant changes the field.
pub async fn grant(
    tx: &mut Tx,
    user_id: i64,
    org_id: i64,
    role: &str,
    field: &str,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO staff_roles (user_id, org_id, role, field, created_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, org_id, role) DO UPDATE SET field = excluded.field \
         WHERE staff_roles.field <> excluded.field",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(role)
    .bind(field)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() > 0)
}

/// A staff role held by a user.
#[derive(Debug, Clone)]
pub struct StaffRole {
    pub org_id: i64,
    pub org_name: String,
    pub role: String,
    pub org_path: String,
}

pub async fn roles_of(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<StaffRole>> {
    let rows = sqlx::query(
        "SELECT r.org_id, o.name, r.role, o.path FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE r.user_id = $1 ORDER BY o.path",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StaffRole {
                org_id: r.try_get(0)?,
                org_name: r.try_get(1)?,
                role: r.try_get(2)?,
                org_path: r.try_get(3)?,
            })
        })
        .collect()
}

/// Staff of one org, as (user id, display name, role).
pub async fn staff_of(pool: &AnyPool, org_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, r.role FROM staff_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.org_id = $1 ORDER BY u.id",
    )
    .bind(org_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// The staff (role `staff`) of one org.
pub async fn staff_ids_of(tx: &mut Tx, org_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT user_id FROM staff_roles WHERE org_id = $1 AND role = 'staff' ORDER BY user_id",
    )
    .bind(org_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The staff of the nearest org above the one at `path` that has any.
pub async fn nearest_staff_above(tx: &mut Tx, path: &str) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT r.user_id, o.path FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE $1 LIKE o.path || '%' AND o.path <> $1 AND r.role = 'staff' \
         ORDER BY LENGTH(o.path) DESC, r.user_id",
    )
    .bind(path)
    .fetch_all(&mut **tx)
    .await?;
    let nearest: Option<String> = rows.first().map(|r| r.try_get(1)).transpose()?;
    rows.iter()
        .filter(|r| r.try_get::<String, _>(1).ok() == nearest)
        .map(|r| r.try_get(0))
        .collect()
}

/// The org named `name` right under `parent_id`, if there is one.
pub async fn child_named(tx: &mut Tx, parent_id: i64, name: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM orgs WHERE parent_id = $1 AND name = $2")
        .bind(parent_id)
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
}

/// Every org but enterprises, by place in the tree (at most `limit`).
pub async fn unions(pool: &AnyPool, limit: i64) -> sqlx::Result<Vec<Org>> {
    let rows = sqlx::query(select_orgs!(
        "WHERE level <> 'enterprise' ORDER BY path LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(org).collect()
}

/// Users holding `role` at the org at `path` or at any org above it, once each.
pub async fn staff_above(pool: &AnyPool, path: &str, role: &str) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT r.user_id FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE $1 LIKE o.path || '%' AND r.role = $2 ORDER BY r.user_id",
    )
    .bind(path)
    .bind(role)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The subtree under `root` plus its ancestors, each with its own studio counts, by path.
#[tracing::instrument(skip(pool))]
pub async fn tree_with_counts(pool: &AnyPool, root: &Org) -> sqlx::Result<Vec<OrgNode>> {
    let rows = sqlx::query(
        "SELECT o.id, o.parent_id, o.name, o.level, o.path, o.deadline_demo, o.deadline_all, \
           COUNT(s.id) AS registered, \
           COUNT(CASE WHEN s.online = 1 THEN 1 END) AS online_count, \
           COUNT(CASE WHEN s.demonstration = 1 THEN 1 END) AS demo_registered, \
           COUNT(CASE WHEN s.demonstration = 1 AND s.online = 1 THEN 1 END) AS demo_online \
         FROM orgs o LEFT JOIN studios s ON s.org_id = o.id \
         WHERE o.path LIKE $1 OR $2 LIKE o.path || '%' \
         GROUP BY o.id, o.parent_id, o.name, o.level, o.path, o.deadline_demo, o.deadline_all \
         ORDER BY o.path",
    )
    .bind(format!("{}%", root.path))
    .bind(&root.path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgNode {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                name: r.try_get("name")?,
                level: r.try_get("level")?,
                path: r.try_get("path")?,
                deadline_demo: r.try_get("deadline_demo")?,
                deadline_all: r.try_get("deadline_all")?,
                own: Counts {
                    registered: r.try_get("registered")?,
                    online: r.try_get("online_count")?,
                    demo_registered: r.try_get("demo_registered")?,
                    demo_online: r.try_get("demo_online")?,
                },
            })
        })
        .collect()
}

pub async fn count(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM orgs")
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// The orgs of the subtree at `path` (itself included), by path.
pub async fn under(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<Org>> {
    sqlx::query(select_orgs!("WHERE path LIKE $1 || '%' ORDER BY path"))
        .bind(path)
        .fetch_all(pool)
        .await?
        .iter()
        .map(org)
        .collect()
}
