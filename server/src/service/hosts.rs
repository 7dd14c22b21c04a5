//! Who hosts an event or a course: exactly one studio (its leader or a member acts for it) or one
//! alliance (its lead studio's leader acts for it).

use crate::auth::{Actor, policy};
use crate::domain::text::Checks;
use crate::error::AppResult;
use crate::store::Db;
use crate::store::{alliances, studios};

/// Checks the host named by `studio_id` / `alliance_id`: an unknown or missing host is a field
/// problem in `c`, an actor who may not act for it a 403.
pub async fn check(
    db: &Db,
    actor: &Actor,
    studio_id: Option<i64>,
    alliance_id: Option<i64>,
    c: &mut Checks,
) -> AppResult<()> {
    let pool = db.reader();
    match (studio_id, alliance_id) {
        (Some(s), None) => match studios::find(pool, s).await? {
            Some(_) => policy::host_for_studio(actor, s)?,
            None => c.fail("studio_id", "没有这个工作室 / no such studio"),
        },
        (None, Some(a)) => match alliances::find(pool, a).await? {
            Some(alliance) => policy::lead_alliance(actor, &alliance)?,
            None => c.fail("alliance_id", "没有这个联盟 / no such alliance"),
        },
        _ => c.fail(
            "studio_id",
            "须由一个工作室或一个联盟主办 / give either studio_id or alliance_id",
        ),
    }
    Ok(())
}
