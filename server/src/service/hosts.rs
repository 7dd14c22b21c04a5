//! Who hosts an event or a course: exactly one studio (its leader or a member acts for it), one
//! alliance (its lead studio's leader acts for it) or one union (its staff and the staff above
//! act for it: 现场推进会, 观摩会, 素质提升大讲堂).

use crate::auth::{Actor, policy};
use crate::domain::text::Checks;
use crate::error::AppResult;
use crate::store::hosts::HostIds;
use crate::store::{Db, orgs};
use crate::store::{alliances, studios};

/// Checks the host named by `studio_id` / `alliance_id` / `org_id`: an unknown or missing
/// host, or more than one, is a field problem in `c`, an actor who may not act for it a 403.
pub async fn check(db: &Db, actor: &Actor, host: HostIds, c: &mut Checks) -> AppResult<()> {
    let pool = db.reader();
    match (host.studio_id, host.alliance_id, host.org_id) {
        (Some(s), None, None) => match studios::find(pool, s).await? {
            Some(_) => policy::host_for_studio(actor, s)?,
            None => c.fail("studio_id", "没有这个工作室 / no such studio"),
        },
        (None, Some(a), None) => match alliances::find(pool, a).await? {
            Some(alliance) => policy::lead_alliance(actor, &alliance)?,
            None => c.fail("alliance_id", "没有这个联盟 / no such alliance"),
        },
        (None, None, Some(o)) => match orgs::find(pool, o).await? {
            Some(org) => policy::host_for_org(actor, &org)?,
            None => c.fail("org_id", "没有这个工会组织 / no such union"),
        },
        _ => c.fail(
            "studio_id",
            "须由一个工作室、一个联盟或一个工会组织主办 / give one of studio_id, alliance_id or org_id",
        ),
    }
    Ok(())
}

/// Whether the actor is a person of the union's subtree at `path`: a member of a studio hosted
/// in it, or staff of one of its unions.
pub async fn in_subtree(db: &Db, actor: &Actor, path: &str) -> AppResult<bool> {
    if actor
        .staff
        .iter()
        .any(|r| crate::domain::org::in_subtree(&r.org_path, path))
    {
        return Ok(true);
    }
    for (studio_id, _) in &actor.studios {
        if let Some(s) = studios::find(db.reader(), *studio_id).await?
            && crate::domain::org::in_subtree(&s.org_path, path)
        {
            return Ok(true);
        }
    }
    Ok(false)
}
