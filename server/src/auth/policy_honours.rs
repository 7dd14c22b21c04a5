//! Who may recommend for honours and record their results: the staff of the recommending union
//! or of a union above it (the giving body's result comes down through them).

use super::{Decision, allow, covers};
use crate::auth::Actor;
use crate::store::honours::{HonourRecord, Scope};
use crate::store::orgs::Org;

/// Recommending someone of the org's subtree: its staff or staff above it.
pub fn recommend(actor: &Actor, org: &Org) -> Decision {
    super::manage_org(actor, org)
}

/// Recording whether a recommendation was awarded: staff of the recommending union or above.
pub fn decide(actor: &Actor, h: &HonourRecord) -> Decision {
    allow(actor.user.is_admin || covers(actor, &h.org_path))
}

/// Reading one: staff over the recommending union, its subject, and its studio's people.
pub fn view(actor: &Actor, h: &HonourRecord, outcome_studio: Option<i64>) -> bool {
    actor.user.is_admin
        || covers(actor, &h.org_path)
        || h.user_id == Some(actor.id())
        || h.studio_id
            .or(outcome_studio)
            .is_some_and(|s| actor.role_in(s).is_some())
}

/// The paths and studios a reader's list covers (see [`Scope`]).
pub fn scope<'a>(actor: &Actor, paths: &'a [String], studios: &'a [i64]) -> Scope<'a> {
    Scope {
        all: actor.user.is_admin,
        paths,
        user_id: actor.id(),
        studios,
    }
}
