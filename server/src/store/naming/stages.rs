//! The union staff who take a stage of an application.

use sqlx::Row;

use crate::store::Tx;

/// Union staff who take a stage of an application: those of one org, or (for the initial
/// review) of every org strictly between the unit and the naming union.
pub async fn staff_of_org(tx: &mut Tx, org_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query("SELECT user_id FROM staff_roles WHERE org_id = $1 AND role = 'staff'")
        .bind(org_id)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

pub async fn staff_between(tx: &mut Tx, org_path: &str, unit_path: &str) -> sqlx::Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT r.user_id FROM staff_roles r JOIN orgs o ON o.id = r.org_id \
         WHERE r.role = 'staff' AND o.path <> $1 AND o.path <> $2 \
         AND substr($2, 1, length(o.path)) = o.path AND substr(o.path, 1, length($1)) = $1",
    )
    .bind(org_path)
    .bind(unit_path)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
