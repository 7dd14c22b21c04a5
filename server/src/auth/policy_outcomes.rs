//! Who may publish, change and remove outcomes (成果), add their files, record adoptions
//! (成果推广) and answer them.

use super::{Decision, allow, covers, is_poster, post_challenge};
use crate::auth::Actor;
use crate::domain::challenge::ClaimStatus;
use crate::domain::studio::MemberRole;
use crate::store::challenges::Challenge;
use crate::store::claims::Claim;
use crate::store::orgs::Org;
use crate::store::outcomes::Outcome;

/// Publishing an outcome for a studio: its leader and members.
pub fn publish(actor: &Actor, studio_id: i64) -> Decision {
    post_challenge(actor, studio_id)
}

/// Recording an accepted challenge's result as an outcome (成果转化): the poster's side, or
/// the leader of an awarded studio.
pub fn record_from_challenge(actor: &Actor, ch: &Challenge, claims: &[Claim]) -> Decision {
    let awarded_leader = claims.iter().any(|c| {
        c.status == ClaimStatus::Awarded && actor.role_in(c.studio_id) == Some(MemberRole::Leader)
    });
    allow(is_poster(actor, ch) || awarded_leader)
}

/// Changing an outcome and adding its files: the studio's people (not apprentices) and the
/// person who entered it.
pub fn edit(actor: &Actor, o: &Outcome) -> Decision {
    allow(
        actor.user.is_admin
            || o.author_id == actor.id()
            || matches!(
                actor.role_in(o.studio_id),
                Some(MemberRole::Leader | MemberRole::Member)
            ),
    )
}

/// Removing an outcome: the studio's leader.
pub fn remove(actor: &Actor, o: &Outcome) -> Decision {
    allow(actor.user.is_admin || actor.role_in(o.studio_id) == Some(MemberRole::Leader))
}

/// Recording that a unit adopted an outcome: a person of that unit (a member of a studio it
/// hosts, `hosts` being the host units of the actor's studios) or union staff above it; never
/// the outcome's own studio, which answers the record instead.
pub fn record_adoption(actor: &Actor, o: &Outcome, unit: &Org, hosts: &[i64]) -> Decision {
    let own = actor.role_in(o.studio_id).is_some();
    allow(!own && (actor.user.is_admin || covers(actor, &unit.path) || hosts.contains(&unit.id)))
}

/// Whether the actor may record adoptions of the outcome at all (for some unit).
pub fn may_record_adoptions(actor: &Actor, o: &Outcome) -> bool {
    actor.role_in(o.studio_id).is_none()
}

/// Confirming or declining a recorded adoption: the leader of the outcome's studio.
pub fn answer_adoption(actor: &Actor, o: &Outcome) -> Decision {
    remove(actor, o)
}
