//! The permission policy: one function per action, deciding from the actor and the target.
//! Handlers ask here and nowhere else.

use super::Actor;
use crate::domain::alliance::RequestKind;
use crate::domain::challenge::{ChallengeStatus, ClaimStatus};
use crate::domain::naming::Stage;
use crate::domain::org::in_subtree;
use crate::domain::studio::MemberRole;
use crate::error::AppError;
use crate::store::alliance_requests::JoinRequest;
use crate::store::alliances::Alliance;
use crate::store::assessment::Assessment;
use crate::store::challenges::Challenge;
use crate::store::claims::Claim;
use crate::store::events::Event;
use crate::store::mentorships::Mentorship;
use crate::store::naming::Application;
use crate::store::studio_changes::StudioChange;
use crate::store::{orgs::Org, studios::Studio};

pub type Decision = Result<(), AppError>;

fn allow(yes: bool) -> Decision {
    if yes {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Union staff at `path` or at one of its ancestors. An expert's role is not staff: it lets
/// them score the naming applications they are assigned, nothing else.
fn covers(actor: &Actor, path: &str) -> bool {
    actor
        .staff
        .iter()
        .any(|r| r.role == "staff" && in_subtree(path, &r.org_path))
}

/// Union staff at exactly this org.
fn staff_at(actor: &Actor, org_id: i64) -> bool {
    actor
        .staff
        .iter()
        .any(|r| r.role == "staff" && r.org_id == org_id)
}

/// A new org: platform admins anywhere; staff under an org they cover. Roots: admins only.
pub fn create_org(actor: &Actor, parent: Option<&Org>) -> Decision {
    allow(actor.user.is_admin || parent.is_some_and(|p| covers(actor, &p.path)))
}

/// Setting deadlines and granting staff roles at an org.
pub fn manage_org(actor: &Actor, org: &Org) -> Decision {
    allow(actor.user.is_admin || covers(actor, &org.path))
}

/// Seeing a person's phone and e-mail: the person, and union staff above one of their places
/// (their studios' units and the unions where they are staff).
pub fn sees_contact<'a>(
    actor: &Actor,
    person_id: i64,
    mut places: impl Iterator<Item = &'a str>,
) -> bool {
    actor.user.is_admin || actor.id() == person_id || places.any(|p| covers(actor, p))
}

/// Reading a mentorship's evaluation and grade: the pair, their studio's people and the union
/// staff above the studio.
pub fn read_mentorship_verdict(actor: &Actor, m: &Mentorship, studio_path: &str) -> bool {
    actor.user.is_admin
        || actor.id() == m.mentor_id
        || actor.id() == m.apprentice_id
        || actor.role_in(m.studio_id).is_some()
        || covers(actor, studio_path)
}

/// Reading a progress report: staff over the studio's unit and the studio's people.
pub fn view_report(actor: &Actor, unit_path: &str, studio_id: i64) -> bool {
    actor.user.is_admin || covers(actor, unit_path) || actor.role_in(studio_id).is_some()
}

/// Attaching files to a report: the person who filed it, or the studio's leader.
pub fn attach_to_report(actor: &Actor, filed_by: i64, studio_id: i64) -> Decision {
    allow(filed_by == actor.id() || actor.role_in(studio_id) == Some(MemberRole::Leader))
}

/// Adding pictures to a bulletin: staff of the sending union or above it.
pub fn illustrate_bulletin(actor: &Actor, org_path: &str) -> Decision {
    allow(actor.user.is_admin || covers(actor, org_path))
}

/// Reading the onboarding dashboard of an org's subtree.
pub fn view_onboarding(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// Registering a studio: any signed-in user may, and becomes its leader. Designating it a
/// demonstration studio at once is for platform admins only (staff do it afterwards).
pub fn create_studio(actor: &Actor, designated: bool) -> Decision {
    allow(!designated || actor.user.is_admin)
}

fn is_leader(actor: &Actor, studio: &Studio) -> bool {
    studio.leader_id == actor.id()
}

/// Changing the profile: the leader (and platform admins).
pub fn edit_studio(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, studio))
}

/// Designating a demonstration studio (示范工作室): the union staff above its host unit.
pub fn designate_studio(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || covers(actor, &studio.org_path))
}

/// Adding members and apprentices: the leader.
pub fn manage_members(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, studio))
}

/// Answering an invitation to join a studio: only the person invited.
pub fn answer_invitation(actor: &Actor, invited: i64) -> Decision {
    allow(actor.id() == invited)
}

/// Taking a person off the studio: the leader, or the person leaving of their own accord.
pub fn remove_member(actor: &Actor, studio: &Studio, user_id: i64) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, studio) || actor.id() == user_id)
}

/// Taking the studio online (上线进网): the leader.
pub fn onboard_studio(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, studio))
}

/// Reading a studio: online ones are public; until then its people, the staff above its host
/// unit and admins. Others get 404 so that a draft's existence does not leak.
pub fn view_studio(actor: Option<&Actor>, studio: &Studio) -> Decision {
    if studio.online {
        return Ok(());
    }
    let Some(actor) = actor else {
        return Err(AppError::not_found());
    };
    let insider = actor.user.is_admin
        || actor.role_in(studio.id).is_some()
        || covers(actor, &studio.org_path);
    if insider {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Staff above a studio's host unit (they see its contact details and drafts).
pub fn view_onboarding_of_studio(actor: &Actor, studio: &Studio) -> bool {
    actor.user.is_admin || covers(actor, &studio.org_path)
}

/// Whether the actor may see every studio in lists (drafts included).
pub fn see_all_studios(actor: Option<&Actor>) -> bool {
    actor.is_some_and(|a| a.user.is_admin)
}

/// Draft studios besides online ones that an actor sees in lists: their own.
pub fn own_studio_ids(actor: Option<&Actor>) -> Vec<i64> {
    actor
        .map(|a| a.studios.iter().map(|(id, _)| *id).collect())
        .unwrap_or_default()
}

/// Posting a challenge for a studio: its leader and members (not apprentices).
pub fn post_challenge(actor: &Actor, studio_id: i64) -> Decision {
    allow(matches!(
        actor.role_in(studio_id),
        Some(MemberRole::Leader | MemberRole::Member)
    ))
}

/// Posting a challenge for a union (发榜单位): its staff and the staff above.
pub fn post_challenge_for_org(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// The poster's side of a challenge: its author and the leader of the posting studio; for a
/// union's challenge, its staff and the staff above.
pub fn is_poster(actor: &Actor, ch: &Challenge) -> bool {
    ch.author_id == actor.id()
        || ch
            .studio_id
            .is_some_and(|s| actor.role_in(s) == Some(MemberRole::Leader))
        || ch.org_path.as_deref().is_some_and(|p| covers(actor, p))
}

/// The posting studio's people, or the posting union's staff and those above.
fn of_poster(actor: &Actor, ch: &Challenge) -> bool {
    ch.studio_id.is_some_and(|s| actor.role_in(s).is_some())
        || ch.org_path.as_deref().is_some_and(|p| covers(actor, p))
}

/// Publishing, awarding, declining, accepting, sending back and cancelling.
pub fn manage_challenge(actor: &Actor, ch: &Challenge) -> Decision {
    allow(is_poster(actor, ch))
}

/// Reading a challenge: published public ones are open to all, published alliance-only ones to
/// the alliance's members, drafts to the posting studio's people. Others get 404: no leak.
pub fn view_challenge(actor: Option<&Actor>, ch: &Challenge) -> Decision {
    if ch.status != ChallengeStatus::Draft && ch.visibility == "public" {
        return Ok(());
    }
    let member = |a: &Actor| {
        ch.status != ChallengeStatus::Draft
            && ch.visibility == "alliance"
            && ch.alliance_id.is_some_and(|id| a.in_alliance(id))
    };
    let insider = actor.is_some_and(|a| of_poster(a, ch) || a.user.is_admin || member(a));
    if insider {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Claiming (揭榜) for a studio: its leader, never for the posting studio.
pub fn claim_challenge(actor: &Actor, ch: &Challenge, studio_id: i64) -> Decision {
    allow(Some(studio_id) != ch.studio_id && actor.role_in(studio_id) == Some(MemberRole::Leader))
}

/// Withdrawing a claim: its author or the claiming studio's leader.
pub fn withdraw_claim(actor: &Actor, claim: &Claim) -> Decision {
    allow(
        claim.author_id == actor.id() || actor.role_in(claim.studio_id) == Some(MemberRole::Leader),
    )
}

/// Working on an awarded challenge (progress, delivery): a member of an awarded team or the
/// leader of an awarded studio.
pub fn work_on_challenge(actor: &Actor, claims: &[Claim]) -> Decision {
    allow(
        claims
            .iter()
            .filter(|c| c.status == ClaimStatus::Awarded)
            .any(|c| {
                c.team.iter().any(|m| m.user_id == actor.id())
                    || actor.role_in(c.studio_id) == Some(MemberRole::Leader)
            }),
    )
}

/// Discussing on the challenge page: the poster's side and the claimants' teams.
pub fn discuss_challenge(actor: &Actor, ch: &Challenge, claims: &[Claim]) -> Decision {
    let claimant = claims.iter().any(|c| {
        c.author_id == actor.id()
            || c.team.iter().any(|m| m.user_id == actor.id())
            || actor.role_in(c.studio_id).is_some()
    });
    allow(is_poster(actor, ch) || of_poster(actor, ch) || claimant)
}

/// What a chat room belongs to, loaded for the room policy.
#[derive(Debug)]
pub enum RoomTarget<'a> {
    /// A studio's room; `None` when there is no such studio.
    Studio(Option<&'a Studio>),
    /// A challenge's room with its claims; `None` when there is no such challenge.
    Challenge(Option<(&'a Challenge, &'a [Claim])>),
    Alliance(i64),
    Dm(i64, i64),
}

/// Reading and writing a chat room: a studio's people; for a challenge everyone signed in
/// when it is published and public, otherwise the poster's studio and the claimants; the two
/// people of a direct-message room. A missing studio or challenge is refused like a closed one.
pub fn use_room(actor: &Actor, target: &RoomTarget<'_>) -> Decision {
    match target {
        RoomTarget::Studio(studio) => allow(studio.is_some_and(|s| actor.role_in(s.id).is_some())),
        RoomTarget::Challenge(None) => Err(AppError::forbidden()),
        RoomTarget::Challenge(Some((ch, claims))) => {
            if ch.status != ChallengeStatus::Draft && ch.visibility == "public" {
                return Ok(());
            }
            discuss_challenge(actor, ch, claims)
        }
        RoomTarget::Alliance(alliance_id) => use_alliance_room(actor, *alliance_id),
        RoomTarget::Dm(a, b) => allow(actor.id() == *a || actor.id() == *b),
    }
}

/// An alliance's room: the people of its member studios.
pub fn use_alliance_room(actor: &Actor, alliance_id: i64) -> Decision {
    allow(actor.in_alliance(alliance_id))
}

/// Editing or deleting a chat message: its author only.
pub fn change_message(actor: &Actor, author_id: i64) -> Decision {
    allow(actor.id() == author_id)
}

/// Founding an alliance: the leader of its lead studio.
pub fn found_alliance(actor: &Actor, lead: &Studio) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, lead))
}

/// The lead's side of an alliance (deciding requests, inviting, handing over, dissolving,
/// hosting for it): the leader of the lead studio.
pub fn lead_alliance(actor: &Actor, alliance: &Alliance) -> Decision {
    allow(actor.user.is_admin || actor.role_in(alliance.lead_studio_id) == Some(MemberRole::Leader))
}

/// Acting for a studio towards an alliance (asking to join, answering an invitation, leaving):
/// the studio's leader.
pub fn act_for_studio(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || is_leader(actor, studio))
}

/// Deciding a join request or invitation: requests are for the lead, invitations for the
/// invited studio's leader.
pub fn decide_join(actor: &Actor, alliance: &Alliance, req: &JoinRequest) -> Decision {
    match RequestKind::parse(&req.kind) {
        Some(RequestKind::Invite) => {
            allow(actor.role_in(req.studio_id) == Some(MemberRole::Leader))
        }
        _ => lead_alliance(actor, alliance),
    }
}

/// Withdrawing a join request or invitation: whoever made it.
pub fn withdraw_join(actor: &Actor, alliance: &Alliance, req: &JoinRequest) -> Decision {
    match RequestKind::parse(&req.kind) {
        Some(RequestKind::Invite) => lead_alliance(actor, alliance),
        _ => allow(actor.role_in(req.studio_id) == Some(MemberRole::Leader)),
    }
}

/// Recording a mentorship for a studio: its leader, or a member recording their own apprentice.
pub fn record_mentorship(actor: &Actor, studio_id: i64, mentor_id: i64) -> Decision {
    allow(match actor.role_in(studio_id) {
        Some(MemberRole::Leader) => true,
        Some(MemberRole::Member) => actor.id() == mentor_id,
        _ => actor.user.is_admin,
    })
}

/// Logging a session: the mentor or the apprentice.
pub fn log_mentorship(actor: &Actor, m: &Mentorship) -> Decision {
    allow(actor.id() == m.mentor_id || actor.id() == m.apprentice_id)
}

/// Completing with an evaluation: the mentor or the studio's leader.
pub fn complete_mentorship(actor: &Actor, m: &Mentorship) -> Decision {
    allow(actor.id() == m.mentor_id || actor.role_in(m.studio_id) == Some(MemberRole::Leader))
}

/// Ending a pairing early, with a reason: either of the pair or the studio's leader.
pub fn end_mentorship(actor: &Actor, m: &Mentorship) -> Decision {
    allow(
        actor.id() == m.mentor_id
            || actor.id() == m.apprentice_id
            || actor.role_in(m.studio_id) == Some(MemberRole::Leader),
    )
}

/// Hosting an event or publishing a course for a studio: its leader and members.
pub fn host_for_studio(actor: &Actor, studio_id: i64) -> Decision {
    post_challenge(actor, studio_id)
}

/// Backing a challenge (挂帅) for a union or an enterprise: its staff and the staff above.
pub fn back_challenge(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// Hosting an event or publishing a course for a union: its staff and the staff above.
pub fn host_for_org(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// Running an event (door code, summary, photos): its author or the host's leader or lead;
/// for a union's event, its staff and the staff above.
pub fn manage_event(actor: &Actor, event: &Event, alliance: Option<&Alliance>) -> Decision {
    let host_leader = event
        .studio_id
        .is_some_and(|s| actor.role_in(s) == Some(MemberRole::Leader))
        || alliance.is_some_and(|a| lead_alliance(actor, a).is_ok())
        || event.org_path.as_deref().is_some_and(|p| covers(actor, p));
    allow(actor.user.is_admin || event.author_id == actor.id() || host_leader)
}

/// Registering for an event: anyone signed in for a public one; the host's people for a
/// members-only one (for a union's, the people of its subtree: `in_union_subtree`).
pub fn register_event(actor: &Actor, event: &Event, in_union_subtree: bool) -> Decision {
    let member = event.studio_id.is_some_and(|s| actor.role_in(s).is_some())
        || event.alliance_id.is_some_and(|a| actor.in_alliance(a))
        || (event.org_id.is_some() && in_union_subtree);
    allow(event.audience == "public" || member || actor.user.is_admin)
}

/// Editing a personal profile: only oneself.
pub fn edit_profile(actor: &Actor, user_id: i64) -> Decision {
    allow(actor.id() == user_id)
}

/// Whether a member role may be granted through the members endpoint.
pub fn grantable_member_role(role: MemberRole) -> bool {
    matches!(role, MemberRole::Member | MemberRole::Apprentice)
}

#[path = "policy_funds.rs"]
pub mod funds;

#[path = "policy_honours.rs"]
pub mod honours;

#[path = "policy_outcomes.rs"]
pub mod outcomes;

#[path = "policy_projects.rs"]
pub mod projects;

#[cfg(test)]
#[path = "policy_matrix.rs"]
mod tests;

#[cfg(test)]
#[path = "policy_network_matrix.rs"]
mod network_tests;

/// The orgs where the actor is union staff (not an expert): where the naming page offers to
/// open a batch.
pub fn staff_orgs(actor: &Actor) -> Vec<crate::store::orgs::StaffRole> {
    actor
        .staff
        .iter()
        .filter(|r| r.role == "staff")
        .cloned()
        .collect()
}

/// Reading the audit log: platform admins, and union staff (for the people under them).
pub fn view_audit(actor: &Actor) -> Decision {
    allow(actor.user.is_admin || actor.staff.iter().any(|r| r.role == "staff"))
}

/// Importing a union's studio list (名单): its staff, or staff above it. The union keeps that
/// list: an import registers studios under it with the leader the sheet names (who is told),
/// and updates the listed columns of its studios (kind, industry, field, region, founding day,
/// introduction, goals, honours); a studio's leader and name change only by the leader or the
/// change flow, and its naming state by the naming flow.
pub fn import_studios(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// Opening a naming batch at an org: union staff of the org or above it.
pub fn open_naming_batch(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// Applying for naming in a batch: the studio's leader.
pub fn apply_for_naming(actor: &Actor, studio: &Studio) -> Decision {
    allow(is_leader(actor, studio))
}

/// A step on a naming application by the stage it belongs to (Jieyang art. 6, bottom-up):
/// the studio's leader; the union of its own unit; a union between the unit and the naming
/// union (the naming union itself when there is none between); the naming union. Experts'
/// scores are decided by their seat on the panel, not here.
pub fn naming_step(actor: &Actor, stage: Stage, app: &Application) -> Decision {
    let admin = actor.user.is_admin;
    allow(match stage {
        Stage::Applicant => actor.role_in(app.studio_id) == Some(MemberRole::Leader),
        Stage::Unit => admin || staff_at(actor, app.unit_id),
        Stage::Review => admin || reviews_between(actor, app.org_id, &app.org_path, &app.unit_path),
        Stage::NamingOrg => admin || staff_at(actor, app.org_id),
        Stage::Expert => false,
    })
}

/// The initial review (初审): staff of an org strictly between the unit and the union above
/// (the naming union, or the union assessing), or that union's own staff when the unit hangs
/// right under it.
fn reviews_between(actor: &Actor, top_id: i64, top_path: &str, unit_path: &str) -> bool {
    let between = |path: &str| {
        path.len() > top_path.len()
            && in_subtree(path, top_path)
            && in_subtree(unit_path, path)
            && path.len() < unit_path.len()
    };
    let unit_depth = unit_path.matches('/').count();
    let top_depth = top_path.matches('/').count();
    if unit_depth <= top_depth + 1 {
        return staff_at(actor, top_id);
    }
    actor
        .staff
        .iter()
        .any(|r| r.role == "staff" && between(&r.org_path))
}

/// Reading an application: its studio's people, the staff on its way up, its experts (the
/// service adds those), and everyone once it is in public notice or named.
pub fn view_naming_application(actor: Option<&Actor>, app: &Application) -> bool {
    use crate::domain::naming::ApplicationStatus as S;
    if matches!(app.status, S::Notice | S::Named) {
        return true;
    }
    actor.is_some_and(|a| {
        a.user.is_admin || a.role_in(app.studio_id).is_some() || covers(a, &app.unit_path)
    })
}

/// Seeing the experts' scores: the naming union's staff; everyone who may read the
/// application once the decision is taken.
pub fn see_naming_scores(actor: Option<&Actor>, app: &Application) -> bool {
    use crate::domain::naming::ApplicationStatus as S;
    let decided = matches!(app.status, S::Decided | S::Notice | S::Named | S::Rejected);
    decided || actor.is_some_and(|a| a.user.is_admin || staff_at(a, app.org_id))
}

/// Answering an objection in the public notice: the naming union's staff.
pub fn answer_objection(actor: &Actor, app: &Application) -> Decision {
    allow(actor.user.is_admin || staff_at(actor, app.org_id))
}

/// Delisting a named studio (摘牌, Jieyang art. 8): the staff of the union that named it.
pub fn delist_studio(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || studio.naming_org_id.is_some_and(|o| staff_at(actor, o)))
}

/// Opening an assessment round for the studios an org named: union staff of the org or above.
pub fn open_assessment_round(actor: &Actor, org: &Org) -> Decision {
    manage_org(actor, org)
}

/// A step of an assessment by its stage: the studio's leader evaluates itself; "who recommends
/// assesses" (Jieyang art. 9: 谁推荐谁考核): the unit's union, then a union between it and the
/// round's union; the round's union decides, orders rectification and rechecks.
pub fn assessment_step(actor: &Actor, stage: Stage, a: &Assessment) -> Decision {
    let admin = actor.user.is_admin;
    allow(match stage {
        Stage::Applicant => actor.role_in(a.studio_id) == Some(MemberRole::Leader),
        Stage::Unit => admin || staff_at(actor, a.unit_id),
        Stage::Review => admin || reviews_between(actor, a.org_id, &a.org_path, &a.unit_path),
        Stage::NamingOrg => admin || staff_at(actor, a.org_id),
        Stage::Expert => false,
    })
}

/// The actor sits in the org's expert pool (granted the `expert` role there).
fn in_expert_pool(actor: &Actor, org_id: i64) -> bool {
    actor
        .staff
        .iter()
        .any(|r| r.role == "expert" && r.org_id == org_id)
}

/// Scoring an assessment (art. 10: 专家评审): the round's union staff, or an expert of its
/// pool.
pub fn score_assessment(actor: &Actor, a: &Assessment) -> Decision {
    allow(actor.user.is_admin || staff_at(actor, a.org_id) || in_expert_pool(actor, a.org_id))
}

/// Reading an assessment: its studio's people (an alliance's: its member studios' people), the
/// staff over its unit, the experts of the round's pool.
pub fn view_assessment(actor: &Actor, a: &Assessment) -> bool {
    actor.user.is_admin
        || actor.role_in(a.studio_id).is_some()
        || a.alliance_id.is_some_and(|al| actor.in_alliance(al))
        || covers(actor, &a.unit_path)
        || in_expert_pool(actor, a.org_id)
}

/// Seeing each scorer's score: the round's union staff, and everyone who may read the
/// assessment once the grade is given.
pub fn see_assessment_scores(actor: &Actor, a: &Assessment) -> bool {
    a.status.decided() || actor.user.is_admin || staff_at(actor, a.org_id)
}

/// Requesting a change of a named studio (Jieyang art. 7: 由其原申报单位工会逐级上报): the union
/// of its unit, or a union above it.
pub fn request_studio_change(actor: &Actor, studio: &Studio) -> Decision {
    allow(actor.user.is_admin || covers(actor, &studio.org_path))
}

/// Deciding a change of a named studio: a union between the unit and the naming union reviews
/// (审核; the naming union when none lies between), the naming union approves (审批).
pub fn decide_studio_change(actor: &Actor, stage: Stage, c: &StudioChange) -> Decision {
    let admin = actor.user.is_admin;
    let Some(naming) = c.naming_org_id else {
        return allow(admin);
    };
    allow(match stage {
        Stage::Review => admin || reviews_between(actor, naming, &c.naming_org_path, &c.unit_path),
        Stage::NamingOrg => admin || staff_at(actor, naming),
        Stage::Applicant | Stage::Unit | Stage::Expert => false,
    })
}
