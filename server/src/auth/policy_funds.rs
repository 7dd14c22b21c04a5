//! Who may do what with funds. The granting union decides; the holder studio's leader spends;
//! the account is the unit union's (Jieyang art. 13: 由所在单位工会管理……接受审计), so its staff and
//! those above it read the ledger too, and no one else does.

use super::{Decision, allow, covers};
use crate::auth::Actor;
use crate::domain::studio::MemberRole;
use crate::store::funds::{Expense, Grant, Scope};
use crate::store::orgs::Org;

/// Granting funds from an org: its union staff or staff above it.
pub fn grant(actor: &Actor, org: &Org) -> Decision {
    super::manage_org(actor, org)
}

/// Reading a grant, its ledger and receipts: staff over the granting union or over the
/// account's union, and the people of the studio that holds it.
pub fn view(actor: &Actor, g: &Grant) -> bool {
    actor.user.is_admin
        || covers(actor, &g.org_path)
        || covers(actor, &g.account_org_path)
        || actor.role_in(g.holder_studio_id).is_some()
}

/// Filing an expense and its receipts: the leader of the studio that holds the grant (an
/// alliance's lead studio).
pub fn file_expense(actor: &Actor, g: &Grant) -> Decision {
    allow(actor.role_in(g.holder_studio_id) == Some(MemberRole::Leader))
}

/// Approving or returning an expense: staff of the granting union or above it, never the
/// person who filed it.
pub fn decide_expense(actor: &Actor, g: &Grant, e: &Expense) -> Decision {
    allow(e.filed_by != actor.id() && (actor.user.is_admin || covers(actor, &g.org_path)))
}

/// The grants a reader may list, as a condition for the store.
pub fn scope(actor: &Actor) -> Scope {
    Scope {
        all: actor.user.is_admin,
        paths: actor
            .staff
            .iter()
            .filter(|r| r.role == "staff")
            .map(|r| r.org_path.clone())
            .collect(),
        studios: actor.studios.iter().map(|(id, _)| *id).collect(),
    }
}
