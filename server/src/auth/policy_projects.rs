//! Who sees and runs a studio's own projects (课题): the studio's people and the union staff
//! above its host unit see them (anyone else gets 404: a project does not leak); the leader,
//! its members and the project's author run them; the team reports progress.

use super::{Decision, allow, covers, post_challenge};
use crate::auth::Actor;
use crate::domain::studio::MemberRole;
use crate::error::AppError;
use crate::store::projects::Project;

/// Whether the actor is of the studio or above it (the projects' readers).
pub fn insider(actor: &Actor, studio_id: i64, studio_org_path: &str) -> bool {
    actor.user.is_admin || actor.role_in(studio_id).is_some() || covers(actor, studio_org_path)
}

/// Reading a studio's projects: its people and the staff above; 404 for anyone else.
pub fn view(actor: &Actor, studio_id: i64, studio_org_path: &str) -> Decision {
    if insider(actor, studio_id, studio_org_path) {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Registering a project (课题立项) for a studio: its leader and members.
pub fn register(actor: &Actor, studio_id: i64) -> Decision {
    post_challenge(actor, studio_id)
}

/// Changing, delivering, opening as a challenge and recording the outcome: the studio's
/// leader and the project's author.
pub fn manage(actor: &Actor, p: &Project) -> Decision {
    allow(
        actor.user.is_admin
            || p.author_id == actor.id()
            || actor.role_in(p.studio_id) == Some(MemberRole::Leader),
    )
}

/// Reporting progress: the team, and whoever manages the project.
pub fn report(actor: &Actor, p: &Project, team: &[i64]) -> Decision {
    allow(team.contains(&actor.id()) || manage(actor, p).is_ok())
}
