//! The permission policy: one function per action, deciding from the actor and the target.
//! Handlers ask here and nowhere else.

use super::Actor;
use crate::domain::org::in_subtree;
use crate::domain::studio::MemberRole;
use crate::error::AppError;
use crate::store::challenges::Challenge;
use crate::store::claims::Claim;
use crate::store::{orgs::Org, studios::Studio};

pub type Decision = Result<(), AppError>;

fn allow(yes: bool) -> Decision {
    if yes {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Staff (of any staff role) at `path` or at one of its ancestors.
fn covers(actor: &Actor, path: &str) -> bool {
    actor.staff.iter().any(|r| in_subtree(path, &r.org_path))
}

/// A new org: platform admins anywhere; staff under an org they cover. Roots: admins only.
pub fn create_org(actor: &Actor, parent: Option<&Org>) -> Decision {
    allow(actor.user.is_admin || parent.is_some_and(|p| covers(actor, &p.path)))
}

/// Setting deadlines and granting staff roles at an org.
pub fn manage_org(actor: &Actor, org: &Org) -> Decision {
    allow(actor.user.is_admin || covers(actor, &org.path))
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

/// The poster's side of a challenge: its author and the leader of the posting studio.
pub fn is_poster(actor: &Actor, ch: &Challenge) -> bool {
    ch.author_id == actor.id() || actor.role_in(ch.studio_id) == Some(MemberRole::Leader)
}

/// Publishing, awarding, declining, accepting, sending back and cancelling.
pub fn manage_challenge(actor: &Actor, ch: &Challenge) -> Decision {
    allow(is_poster(actor, ch))
}

/// Reading a challenge: published public ones are open to all; drafts (and, until alliances
/// exist, alliance-only ones) to the posting studio's people. Others get 404: no leak.
pub fn view_challenge(actor: Option<&Actor>, ch: &Challenge) -> Decision {
    if ch.status != "draft" && ch.visibility == "public" {
        return Ok(());
    }
    let insider = actor.is_some_and(|a| a.role_in(ch.studio_id).is_some() || a.user.is_admin);
    if insider {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Claiming (揭榜) for a studio: its leader, never for the posting studio.
pub fn claim_challenge(actor: &Actor, ch: &Challenge, studio_id: i64) -> Decision {
    allow(studio_id != ch.studio_id && actor.role_in(studio_id) == Some(MemberRole::Leader))
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
    allow(claims.iter().filter(|c| c.status == "awarded").any(|c| {
        c.team.iter().any(|m| m.user_id == actor.id())
            || actor.role_in(c.studio_id) == Some(MemberRole::Leader)
    }))
}

/// Discussing on the challenge page: the poster's side and the claimants' teams.
pub fn discuss_challenge(actor: &Actor, ch: &Challenge, claims: &[Claim]) -> Decision {
    let claimant = claims.iter().any(|c| {
        c.author_id == actor.id()
            || c.team.iter().any(|m| m.user_id == actor.id())
            || actor.role_in(c.studio_id).is_some()
    });
    allow(is_poster(actor, ch) || actor.role_in(ch.studio_id).is_some() || claimant)
}

/// Publishing an outcome for a studio: its leader and members.
pub fn publish_outcome(actor: &Actor, studio_id: i64) -> Decision {
    post_challenge(actor, studio_id)
}

/// Recording an accepted challenge's result as an outcome (成果转化): the poster's side, or
/// the leader of an awarded studio.
pub fn record_challenge_outcome(actor: &Actor, ch: &Challenge, claims: &[Claim]) -> Decision {
    let awarded_leader = claims
        .iter()
        .any(|c| c.status == "awarded" && actor.role_in(c.studio_id) == Some(MemberRole::Leader));
    allow(is_poster(actor, ch) || awarded_leader)
}

/// Recording an adoption (成果推广): any signed-in user, for the unit that applied it.
pub fn record_adoption(_actor: &Actor) -> Decision {
    Ok(())
}

/// Editing a personal profile: only oneself.
pub fn edit_profile(actor: &Actor, user_id: i64) -> Decision {
    allow(actor.id() == user_id)
}

/// Whether a member role may be granted through the members endpoint.
pub fn grantable_member_role(role: MemberRole) -> bool {
    matches!(role, MemberRole::Member | MemberRole::Apprentice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::orgs::StaffRole;
    use crate::store::users::User;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Role {
        Admin,
        StaffAbove,
        StaffElsewhere,
        Leader,
        Member,
        Apprentice,
        Outsider,
    }

    const ROLES: [Role; 7] = [
        Role::Admin,
        Role::StaffAbove,
        Role::StaffElsewhere,
        Role::Leader,
        Role::Member,
        Role::Apprentice,
        Role::Outsider,
    ];

    fn org(id: i64, path: &str) -> Org {
        Org {
            id,
            name: format!("org{id}"),
            level: "enterprise".into(),
            parent_id: None,
            path: path.into(),
            deadline_demo: None,
            deadline_all: None,
        }
    }

    fn studio(online: bool) -> Studio {
        Studio {
            id: 7,
            name: "李明焊接技能大师工作室".into(),
            org_id: 3,
            org_name: "org3".into(),
            naming_org_id: None,
            kind: "tech_tackling".into(),
            field: String::new(),
            industry: String::new(),
            region: String::new(),
            founded_on: String::new(),
            goals: String::new(),
            intro: String::new(),
            outcomes_summary: String::new(),
            honours: String::new(),
            demonstration: false,
            status: "draft".into(),
            online,
            onboarded_at: None,
            leader_id: 10,
            leader_name: "李明".into(),
            org_path: "/1/2/3/".into(),
            member_count: 3,
        }
    }

    /// A challenge of studio 7 written by its member (user 11).
    fn challenge(status: &str) -> Challenge {
        Challenge {
            id: 1,
            studio_id: 7,
            studio_name: String::new(),
            author_id: 11,
            title: "焊缝探伤".into(),
            description: String::new(),
            industry: String::new(),
            tags: vec![],
            deadline: None,
            reward_yuan: None,
            visibility: "public".into(),
            alliance_id: None,
            claim_mode: "exclusive".into(),
            status: status.into(),
            send_backs: 0,
            summary: String::new(),
            rating: None,
            review: String::new(),
            cancel_reason: String::new(),
            outcome_id: None,
            published_at: None,
            claim_count: 0,
            created_at: String::new(),
            last_activity_ms: 0,
        }
    }

    /// A claim by studio 8, led by user 13 who is on its team.
    fn claim(status: &str) -> Claim {
        Claim {
            id: 1,
            challenge_id: 1,
            studio_id: 8,
            studio_name: String::new(),
            author_id: 13,
            proposal: String::new(),
            plan: String::new(),
            status: status.into(),
            created_at: String::new(),
            team: vec![],
        }
    }

    fn actor(role: Role) -> Actor {
        let (id, is_admin, staff, studios) = match role {
            Role::Admin => (1, true, vec![], vec![]),
            Role::StaffAbove => (2, false, vec![(2, "/1/2/")], vec![]),
            Role::StaffElsewhere => (3, false, vec![(9, "/1/9/")], vec![]),
            Role::Leader => (10, false, vec![], vec![(7, MemberRole::Leader)]),
            Role::Member => (11, false, vec![], vec![(7, MemberRole::Member)]),
            Role::Apprentice => (12, false, vec![], vec![(7, MemberRole::Apprentice)]),
            Role::Outsider => (13, false, vec![], vec![(8, MemberRole::Leader)]),
        };
        Actor {
            user: User {
                id,
                username: format!("u{id}"),
                display_name: format!("用户{id}"),
                is_admin,
            },
            session_id: 1,
            staff: staff
                .into_iter()
                .map(|(org_id, path)| StaffRole {
                    org_id,
                    org_name: String::new(),
                    role: "staff".into(),
                    org_path: path.into(),
                })
                .collect(),
            studios,
            via_cookie: false,
        }
    }

    /// Every action × every role, against the expected table.
    #[test]
    fn policy_matrix() {
        use Role::*;
        let enterprise = org(3, "/1/2/3/");
        let draft = studio(false);
        let online = studio(true);
        type Check = Box<dyn Fn(&Actor) -> bool>;
        let actions: Vec<(&str, Check, Vec<Role>)> = vec![
            (
                "create root org",
                Box::new(|a| create_org(a, None).is_ok()),
                vec![Admin],
            ),
            (
                "create child org",
                Box::new({
                    let o = enterprise.clone();
                    move |a| create_org(a, Some(&o)).is_ok()
                }),
                vec![Admin, StaffAbove],
            ),
            (
                "manage org",
                Box::new({
                    let o = enterprise.clone();
                    move |a| manage_org(a, &o).is_ok()
                }),
                vec![Admin, StaffAbove],
            ),
            (
                "view onboarding",
                Box::new({
                    let o = enterprise.clone();
                    move |a| view_onboarding(a, &o).is_ok()
                }),
                vec![Admin, StaffAbove],
            ),
            (
                "create studio",
                Box::new(|a| create_studio(a, false).is_ok()),
                ROLES.to_vec(),
            ),
            (
                "create a demonstration studio",
                Box::new(|a| create_studio(a, true).is_ok()),
                vec![Admin],
            ),
            (
                "edit studio",
                Box::new({
                    let s = draft.clone();
                    move |a| edit_studio(a, &s).is_ok()
                }),
                vec![Admin, Leader],
            ),
            (
                "designate demonstration studio",
                Box::new({
                    let s = draft.clone();
                    move |a| designate_studio(a, &s).is_ok()
                }),
                vec![Admin, StaffAbove],
            ),
            (
                "manage members",
                Box::new({
                    let s = draft.clone();
                    move |a| manage_members(a, &s).is_ok()
                }),
                vec![Admin, Leader],
            ),
            (
                "onboard studio",
                Box::new({
                    let s = draft.clone();
                    move |a| onboard_studio(a, &s).is_ok()
                }),
                vec![Admin, Leader],
            ),
            (
                "view draft studio",
                Box::new({
                    let s = draft.clone();
                    move |a| view_studio(Some(a), &s).is_ok()
                }),
                vec![Admin, StaffAbove, Leader, Member, Apprentice],
            ),
            (
                "view online studio",
                Box::new({
                    let s = online.clone();
                    move |a| view_studio(Some(a), &s).is_ok()
                }),
                ROLES.to_vec(),
            ),
            (
                "post a challenge for the studio",
                Box::new(|a| post_challenge(a, 7).is_ok()),
                vec![Leader, Member],
            ),
            (
                "manage the studio's challenge",
                Box::new({
                    let c = challenge("open");
                    move |a| manage_challenge(a, &c).is_ok()
                }),
                vec![Leader, Member],
            ),
            (
                "view a draft challenge",
                Box::new({
                    let c = challenge("draft");
                    move |a| view_challenge(Some(a), &c).is_ok()
                }),
                vec![Admin, Leader, Member, Apprentice],
            ),
            (
                "claim for one's own studio",
                Box::new({
                    let c = challenge("open");
                    move |a| claim_challenge(a, &c, 8).is_ok()
                }),
                vec![Outsider],
            ),
            (
                "claim the posting studio's own challenge",
                Box::new({
                    let c = challenge("open");
                    move |a| claim_challenge(a, &c, 7).is_ok()
                }),
                vec![],
            ),
            (
                "work on an awarded challenge",
                Box::new({
                    let k = vec![claim("awarded")];
                    move |a| work_on_challenge(a, &k).is_ok()
                }),
                vec![Outsider],
            ),
            (
                "work while the claim is pending",
                Box::new({
                    let k = vec![claim("pending")];
                    move |a| work_on_challenge(a, &k).is_ok()
                }),
                vec![],
            ),
            (
                "withdraw a claim",
                Box::new({
                    let k = claim("pending");
                    move |a| withdraw_claim(a, &k).is_ok()
                }),
                vec![Outsider],
            ),
            (
                "edit own profile",
                Box::new(|a| edit_profile(a, 10).is_ok()),
                vec![Leader],
            ),
        ];
        for (name, check, allowed) in &actions {
            for role in ROLES {
                let a = actor(role);
                assert_eq!(
                    check(&a),
                    allowed.contains(&role),
                    "action {name:?} for role {role:?}"
                );
            }
        }
        assert!(view_studio(None, &online).is_ok());
        assert_eq!(view_studio(None, &draft).unwrap_err().status(), 404);
    }

    #[test]
    fn only_members_and_apprentices_are_granted_through_the_members_call() {
        assert!(grantable_member_role(MemberRole::Member));
        assert!(grantable_member_role(MemberRole::Apprentice));
        assert!(!grantable_member_role(MemberRole::Leader));
    }
}
