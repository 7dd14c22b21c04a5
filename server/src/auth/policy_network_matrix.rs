//! The network's part of the policy as a matrix: alliances, mentoring and events × every role.

use super::tests::{Check, ROLES, Role, challenge, studio, walk};
use super::*;

/// Alliance 5, led by studio 7 (whose leader is user 10), under org /1/2/3/.
fn alliance() -> Alliance {
    Alliance {
        id: 5,
        name: "西安高端装备制造工匠创新联盟".into(),
        description: String::new(),
        scope: "cross_enterprise".into(),
        org_id: 3,
        org_name: "org3".into(),
        lead_studio_id: 7,
        lead_studio_name: String::new(),
        status: crate::domain::alliance::AllianceStatus::Active,
        member_count: 2,
        created_at: String::new(),
        org_path: "/1/2/3/".into(),
    }
}

/// A pending request (or invitation) concerning studio 8, led by the outsider (user 13).
fn join_request(kind: &str) -> JoinRequest {
    JoinRequest {
        id: 1,
        alliance_id: 5,
        studio_id: 8,
        studio_name: String::new(),
        kind: kind.into(),
        status: crate::domain::alliance::RequestStatus::Pending,
        message: String::new(),
        author_id: 13,
        created_at: String::new(),
    }
}

/// Mentor: the member (user 11); apprentice: the apprentice (user 12); in studio 7.
fn mentorship() -> Mentorship {
    Mentorship {
        id: 1,
        studio_id: 7,
        studio_name: String::new(),
        mentor_id: 11,
        mentor_name: String::new(),
        apprentice_id: 12,
        apprentice_name: String::new(),
        skill: "焊缝超声探伤".into(),
        goals: String::new(),
        plan: String::new(),
        starts_on: "2026-01-01".into(),
        ends_on: "2026-12-31".into(),
        status: crate::domain::mentorship::MentorshipStatus::Active,
        evaluation: String::new(),
        grade: String::new(),
        hours: 0.0,
        created_at: String::new(),
    }
}

/// An event of studio 7 scheduled by its member (user 11).
fn event(audience: &str) -> Event {
    Event {
        id: 1,
        studio_id: Some(7),
        alliance_id: None,
        org_id: None,
        org_path: None,
        host_name: String::new(),
        author_id: 11,
        kind: "lecture".into(),
        title: "素质提升大讲堂".into(),
        description: String::new(),
        location: "职工服务中心".into(),
        starts_at: String::new(),
        ends_at: String::new(),
        capacity: 10,
        registered: 0,
        checked_in: 0,
        audience: audience.into(),
        summary: String::new(),
        cancel_reason: String::new(),
        cancelled: false,
        waitlist: false,
        waitlisted: 0,
        starts_ms: 0,
        ends_ms: 0,
    }
}

#[test]
fn network_policy_matrix() {
    use Role::*;
    let private = Challenge {
        visibility: "alliance".into(),
        alliance_id: Some(5),
        ..challenge("open")
    };
    let online = studio(true);
    let actions: Vec<(&str, Check, Vec<Role>)> = vec![
        (
            "found an alliance led by the studio",
            Box::new({
                let s = online.clone();
                move |a| found_alliance(a, &s).is_ok()
            }),
            vec![Admin, Leader],
        ),
        (
            "lead the alliance",
            Box::new(|a| lead_alliance(a, &alliance()).is_ok()),
            vec![Admin, Leader],
        ),
        (
            "act for the studio towards an alliance",
            Box::new({
                let s = online.clone();
                move |a| act_for_studio(a, &s).is_ok()
            }),
            vec![Admin, Leader],
        ),
        (
            "decide a request to join",
            Box::new(|a| decide_join(a, &alliance(), &join_request("request")).is_ok()),
            vec![Admin, Leader],
        ),
        (
            "answer an invitation",
            Box::new(|a| decide_join(a, &alliance(), &join_request("invite")).is_ok()),
            vec![Outsider],
        ),
        (
            "withdraw a request to join",
            Box::new(|a| withdraw_join(a, &alliance(), &join_request("request")).is_ok()),
            vec![Outsider],
        ),
        (
            "withdraw an invitation",
            Box::new(|a| withdraw_join(a, &alliance(), &join_request("invite")).is_ok()),
            vec![Admin, Leader],
        ),
        (
            "use the alliance's room",
            Box::new(|a| use_alliance_room(a, 5).is_ok()),
            vec![Outsider],
        ),
        (
            "view an alliance-only challenge",
            Box::new(move |a| view_challenge(Some(a), &private).is_ok()),
            vec![Admin, Leader, Member, Apprentice, Outsider],
        ),
        (
            "record a mentorship with the member as mentor",
            Box::new(|a| record_mentorship(a, 7, 11).is_ok()),
            vec![Admin, Leader, Member],
        ),
        (
            "record a mentorship with the leader as mentor",
            Box::new(|a| record_mentorship(a, 7, 10).is_ok()),
            vec![Admin, Leader],
        ),
        (
            "log a mentorship session",
            Box::new(|a| log_mentorship(a, &mentorship()).is_ok()),
            vec![Member, Apprentice],
        ),
        (
            "complete a mentorship",
            Box::new(|a| complete_mentorship(a, &mentorship()).is_ok()),
            vec![Leader, Member],
        ),
        (
            "host for the studio",
            Box::new(|a| host_for_studio(a, 7).is_ok()),
            vec![Leader, Member],
        ),
        (
            "run the studio's event",
            Box::new(|a| manage_event(a, &event("public"), None).is_ok()),
            vec![Admin, Leader, Member],
        ),
        (
            "register for a public event",
            Box::new(|a| register_event(a, &event("public"), false).is_ok()),
            ROLES.to_vec(),
        ),
        (
            "register for a members-only event",
            Box::new(|a| register_event(a, &event("members"), false).is_ok()),
            vec![Admin, Leader, Member, Apprentice],
        ),
    ];
    walk(&actions);
}
