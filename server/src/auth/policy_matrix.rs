//! The policy walked as a matrix: every action × every role, against the expected table.

use super::*;
use crate::store::orgs::StaffRole;
use crate::store::users::User;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Role {
    Admin,
    StaffAbove,
    StaffElsewhere,
    Leader,
    Member,
    Apprentice,
    Outsider,
    /// An expert of the org above the enterprise: scores naming applications, nothing else.
    Expert,
}

/// One decision of the policy, asked of an actor.
pub(super) type Check = Box<dyn Fn(&Actor) -> bool>;

/// Asks every action of every role and compares with the roles it should allow.
pub(super) fn walk(actions: &[(&str, Check, Vec<Role>)]) {
    for (name, check, allowed) in actions {
        for role in ROLES {
            assert_eq!(
                check(&actor(role)),
                allowed.contains(&role),
                "action {name:?} for role {role:?}"
            );
        }
    }
}

pub(super) const ROLES: [Role; 8] = [
    Role::Admin,
    Role::StaffAbove,
    Role::StaffElsewhere,
    Role::Leader,
    Role::Member,
    Role::Apprentice,
    Role::Outsider,
    Role::Expert,
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
        remind_days: None,
    }
}

pub(super) fn studio(online: bool) -> Studio {
    Studio {
        id: 7,
        name: "李明焊接技能大师工作室".into(),
        org_id: 3,
        org_name: "org3".into(),
        naming_org_id: None,
        naming_org_name: None,
        naming_level: None,
        kind: "tech_tackling".into(),
        field: String::new(),
        industry: String::new(),
        region: String::new(),
        founded_on: String::new(),
        goals: String::new(),
        intro: String::new(),
        outcomes_summary: String::new(),
        honours: String::new(),
        unit_type: "enterprise".into(),
        premises_m2: None,
        premises_address: String::new(),
        equipment: String::new(),
        demonstration: false,
        status: crate::domain::studio::StudioStatus::Draft,
        online,
        onboarded_at: None,
        leader_id: 10,
        leader_name: "李明".into(),
        org_path: "/1/2/3/".into(),
        member_count: 3,
        picture: None,
    }
}

/// A challenge of studio 7 written by its member (user 11).
pub(super) fn challenge(status: &str) -> Challenge {
    Challenge {
        id: 1,
        studio_id: Some(7),
        org_id: None,
        org_path: None,
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
        status: crate::domain::challenge::ChallengeStatus::parse(status).expect("a known status"),
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
        status: crate::domain::challenge::ClaimStatus::parse(status).expect("a known status"),
        created_at: String::new(),
        team: vec![],
    }
}

/// Each role as an actor; the outsider (leader of studio 8) is in alliance 5.
pub(super) fn actor(role: Role) -> Actor {
    let (id, is_admin, staff, studios) = match role {
        Role::Admin => (1, true, vec![], vec![]),
        Role::StaffAbove => (2, false, vec![(2, "/1/2/", "staff")], vec![]),
        Role::StaffElsewhere => (3, false, vec![(9, "/1/9/", "staff")], vec![]),
        Role::Leader => (10, false, vec![], vec![(7, MemberRole::Leader)]),
        Role::Member => (11, false, vec![], vec![(7, MemberRole::Member)]),
        Role::Apprentice => (12, false, vec![], vec![(7, MemberRole::Apprentice)]),
        Role::Outsider => (13, false, vec![], vec![(8, MemberRole::Leader)]),
        Role::Expert => (14, false, vec![(2, "/1/2/", "expert")], vec![]),
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
            .map(|(org_id, path, role)| StaffRole {
                org_id,
                org_name: String::new(),
                role: role.into(),
                org_path: path.into(),
            })
            .collect(),
        studios,
        alliances: if role == Role::Outsider {
            vec![5]
        } else {
            vec![]
        },
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
        (
            "use a studio's chat room",
            Box::new({
                let s = online.clone();
                move |a| use_room(a, &RoomTarget::Studio(Some(&s))).is_ok()
            }),
            vec![Leader, Member, Apprentice],
        ),
        (
            "use the chat room of a missing studio",
            Box::new(|a| use_room(a, &RoomTarget::Studio(None)).is_ok()),
            vec![],
        ),
        (
            "use a public open challenge's chat room",
            Box::new({
                let c = challenge("open");
                move |a| use_room(a, &RoomTarget::Challenge(Some((&c, &[])))).is_ok()
            }),
            ROLES.to_vec(),
        ),
        (
            "use a draft challenge's chat room",
            Box::new({
                let (c, k) = (challenge("draft"), vec![claim("pending")]);
                move |a| use_room(a, &RoomTarget::Challenge(Some((&c, &k)))).is_ok()
            }),
            vec![Leader, Member, Apprentice, Outsider],
        ),
        (
            "use the room of an alliance one is not in",
            Box::new(|a| use_room(a, &RoomTarget::Alliance(1)).is_ok()),
            vec![],
        ),
        (
            "use a direct-message room",
            Box::new(|a| use_room(a, &RoomTarget::Dm(10, 13)).is_ok()),
            vec![Leader, Outsider],
        ),
        (
            "edit or delete a chat message of user 11",
            Box::new(|a| change_message(a, 11).is_ok()),
            vec![Member],
        ),
    ];
    walk(&actions);
    assert!(view_studio(None, &online).is_ok());
    assert_eq!(view_studio(None, &draft).unwrap_err().status(), 404);
}

#[test]
fn only_members_and_apprentices_are_granted_through_the_members_call() {
    assert!(grantable_member_role(MemberRole::Member));
    assert!(grantable_member_role(MemberRole::Apprentice));
    assert!(!grantable_member_role(MemberRole::Leader));
}

/// An application of studio 7 (unit: org 3, `/1/2/3/`) to the naming union at `naming_path`.
fn application(naming_id: i64, naming_path: &str) -> Application {
    Application {
        id: 1,
        batch_id: 1,
        batch_title: String::new(),
        org_id: naming_id,
        org_path: naming_path.into(),
        studio_id: 7,
        studio_name: String::new(),
        alliance_id: None,
        unit_id: 3,
        unit_path: "/1/2/3/".into(),
        leader_id: 10,
        leader_name: "李明".into(),
        applicant_id: 10,
        status: crate::domain::naming::ApplicationStatus::Submitted,
        snapshot: String::new(),
        proposed_name: String::new(),
        notice_ends_at: None,
        notice_ends_ms: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// Naming (Jieyang art. 6) × every role: each stage by its own people; an expert acts as no
/// staff at all.
#[test]
fn naming_matrix() {
    use Role::*;
    // Naming union org 1 (`/1/`): org 2 lies between it and the unit, so org 2 reviews.
    let city = application(1, "/1/");
    // Naming union org 2: the unit hangs right under it, so org 2 also does the review.
    let district = application(2, "/1/2/");
    let stage = |app: &Application, s: Stage| -> Check {
        let app = app.clone();
        Box::new(move |a| naming_step(a, s, &app).is_ok())
    };
    let actions: Vec<(&str, Check, Vec<Role>)> = vec![
        (
            "open a batch at the enterprise",
            Box::new(|a| open_naming_batch(a, &org(3, "/1/2/3/")).is_ok()),
            vec![Admin, StaffAbove],
        ),
        (
            "apply for the studio",
            Box::new(|a| apply_for_naming(a, &studio(true)).is_ok()),
            vec![Leader],
        ),
        (
            "submit or withdraw",
            stage(&city, Stage::Applicant),
            vec![Leader],
        ),
        (
            "recommend (the unit)",
            stage(&city, Stage::Unit),
            vec![Admin],
        ),
        (
            "initial review between",
            stage(&city, Stage::Review),
            vec![Admin, StaffAbove],
        ),
        (
            "naming union's steps",
            stage(&city, Stage::NamingOrg),
            vec![Admin],
        ),
        (
            "initial review, none between",
            stage(&district, Stage::Review),
            vec![Admin, StaffAbove],
        ),
        (
            "naming union's steps, org 2",
            stage(&district, Stage::NamingOrg),
            vec![Admin, StaffAbove],
        ),
        (
            "score (not by policy)",
            stage(&district, Stage::Expert),
            vec![],
        ),
        (
            "answer an objection",
            Box::new({
                let app = district.clone();
                move |a| answer_objection(a, &app).is_ok()
            }),
            vec![Admin, StaffAbove],
        ),
        (
            "read a submitted application",
            Box::new({
                let app = city.clone();
                move |a| view_naming_application(Some(a), &app)
            }),
            vec![Admin, StaffAbove, Leader, Member, Apprentice],
        ),
        (
            "see scores before the decision",
            Box::new({
                let app = district.clone();
                move |a| see_naming_scores(Some(a), &app)
            }),
            vec![Admin, StaffAbove],
        ),
    ];
    walk(&actions);
}

fn assessment(round_org: i64, round_path: &str) -> crate::store::assessment::Assessment {
    crate::store::assessment::Assessment {
        id: 1,
        round_id: 1,
        round_title: String::new(),
        round_kind: crate::domain::assessment::RoundKind::Cycle,
        round_year: 2026,
        due_on: "2026-12-31".into(),
        org_id: round_org,
        org_path: round_path.into(),
        studio_id: 7,
        studio_name: String::new(),
        alliance_id: None,
        unit_id: 3,
        unit_name: String::new(),
        unit_path: "/1/2/3/".into(),
        leader_id: 10,
        leader_name: "李明".into(),
        status: crate::domain::assessment::AssessmentStatus::Pending,
        grade: None,
        self_evaluation: String::new(),
        metrics: String::new(),
        rectify_by: String::new(),
        requirements: String::new(),
        withdrawal_flagged: false,
        scores: 0,
        score_avg: None,
        late: false,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// Assessment (Jieyang art. 9–10, 谁推荐谁考核) × every role: each stage by its own people;
/// an expert of the round's union scores and reads, nothing else.
#[test]
fn assessment_matrix() {
    use Role::*;
    // Round of org 1: org 2 lies between it and the unit. Round of org 2: the unit is right
    // under it, and org 2's expert sits in its pool.
    let city = assessment(1, "/1/");
    let district = assessment(2, "/1/2/");
    let stage = |a: &crate::store::assessment::Assessment, s: Stage| -> Check {
        let a = a.clone();
        Box::new(move |actor| assessment_step(actor, s, &a).is_ok())
    };
    let with = |a: &crate::store::assessment::Assessment,
                f: fn(&Actor, &crate::store::assessment::Assessment) -> bool|
     -> Check {
        let a = a.clone();
        Box::new(move |actor| f(actor, &a))
    };
    let actions: Vec<(&str, Check, Vec<Role>)> = vec![
        (
            "open a round at org 2",
            Box::new(|a| open_assessment_round(a, &org(2, "/1/2/")).is_ok()),
            vec![Admin, StaffAbove],
        ),
        (
            "self-evaluate",
            stage(&city, Stage::Applicant),
            vec![Leader],
        ),
        (
            "the unit's evaluation",
            stage(&city, Stage::Unit),
            vec![Admin],
        ),
        (
            "initial review between",
            stage(&city, Stage::Review),
            vec![Admin, StaffAbove],
        ),
        (
            "initial review, none between",
            stage(&district, Stage::Review),
            vec![Admin, StaffAbove],
        ),
        ("decide, org 1", stage(&city, Stage::NamingOrg), vec![Admin]),
        (
            "decide, rectify, recheck, org 2",
            stage(&district, Stage::NamingOrg),
            vec![Admin, StaffAbove],
        ),
        (
            "no step is an expert's by stage",
            stage(&district, Stage::Expert),
            vec![],
        ),
        (
            "score, org 2",
            with(&district, |a, x| score_assessment(a, x).is_ok()),
            vec![Admin, StaffAbove, Expert],
        ),
        (
            "score, org 1",
            with(&city, |a, x| score_assessment(a, x).is_ok()),
            vec![Admin],
        ),
        (
            "read, org 2",
            with(&district, view_assessment),
            vec![Admin, StaffAbove, Leader, Member, Apprentice, Expert],
        ),
        (
            "read, org 1",
            with(&city, view_assessment),
            vec![Admin, StaffAbove, Leader, Member, Apprentice],
        ),
        (
            "see scores before the grade",
            with(&district, see_assessment_scores),
            vec![Admin, StaffAbove],
        ),
    ];
    walk(&actions);
}

fn change(naming: i64, naming_path: &str) -> StudioChange {
    StudioChange {
        id: 1,
        studio_id: 7,
        studio_name: String::new(),
        unit_id: 3,
        unit_path: "/1/2/3/".into(),
        naming_org_id: Some(naming),
        naming_org_path: naming_path.into(),
        kind: crate::domain::studio_change::ChangeKind::LeaderChange,
        new_leader_id: Some(11),
        new_leader_name: None,
        new_name: String::new(),
        reason: String::new(),
        status: crate::domain::studio_change::ChangeStatus::Pending,
        requested_by: 2,
        requested_by_name: String::new(),
        opinion: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
    }
}

/// Changes of a named studio (Jieyang art. 7) × every role: asked by the unions over its unit,
/// reviewed by the union between, approved by the naming union; never by the studio itself.
#[test]
fn studio_change_matrix() {
    use Role::*;
    let city = change(1, "/1/");
    let district = change(2, "/1/2/");
    let stage = |c: &StudioChange, s: Stage| -> Check {
        let c = c.clone();
        Box::new(move |a| decide_studio_change(a, s, &c).is_ok())
    };
    let actions: Vec<(&str, Check, Vec<Role>)> = vec![
        (
            "request a change",
            Box::new(|a| request_studio_change(a, &studio(true)).is_ok()),
            vec![Admin, StaffAbove],
        ),
        (
            "review, a union between",
            stage(&city, Stage::Review),
            vec![Admin, StaffAbove],
        ),
        (
            "approve, org 1",
            stage(&city, Stage::NamingOrg),
            vec![Admin],
        ),
        (
            "review and approve, org 2",
            stage(&district, Stage::NamingOrg),
            vec![Admin, StaffAbove],
        ),
        (
            "the unit does not decide",
            stage(&district, Stage::Unit),
            vec![],
        ),
    ];
    walk(&actions);
}
