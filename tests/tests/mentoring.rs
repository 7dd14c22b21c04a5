//! Mentoring (师带徒): recording a pair (apprentices may come from a fellow alliance studio),
//! logging sessions, the apprentice's challenge work, completion, and the talent record.

use lianmeng_tests::{StatusCode, TestApp, assert_invalid, full_profile, id, json, unique};

#[tokio::test]
async fn a_mentorship_is_logged_and_completed_into_the_talent_record() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app
        .register_and_login_as(&unique("ms-lead"), "王建国")
        .await;
    let studio = app
        .online_studio(&leader, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (mentor_id, mentor) = app
        .register_and_login_as(&unique("ms-mentor"), "李师傅")
        .await;
    let (apprentice_id, apprentice) = app.register_and_login_as(&unique("ms-app"), "小周").await;
    let (_, stranger) = app.register_and_login_as(&unique("ms-x"), "路人").await;
    for (user, role) in [
        ((mentor_id, mentor.as_str()), "member"),
        ((apprentice_id, apprentice.as_str()), "apprentice"),
    ] {
        app.join_studio(studio, &leader, user, role).await;
    }
    let body = |mentor: i64, apprentice: i64, ends: &str| {
        json!({"studio_id": studio, "mentor_id": mentor, "apprentice_id": apprentice,
               "skill": "高压电缆终端制作", "goals": "独立完成 110kV 终端", "starts_on": "2026-01-05", "ends_on": ends})
    };
    // An apprentice who is their own mentor, or an end before the start: 422, nothing written.
    let (status, p) = app
        .post_json(
            "/api/v1/mentorships",
            Some(&leader),
            body(mentor_id, mentor_id, "2026-12-31"),
        )
        .await;
    assert_invalid(status, &p, "apprentice_id");
    let (status, p) = app
        .post_json(
            "/api/v1/mentorships",
            Some(&leader),
            body(mentor_id, apprentice_id, "2025-12-31"),
        )
        .await;
    assert_invalid(status, &p, "ends_on");
    let (status, _) = app
        .post_json(
            "/api/v1/mentorships",
            Some(&stranger),
            body(mentor_id, apprentice_id, "2026-12-31"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let record = app
        .expect_get(
            &format!("/api/v1/talent?studio_id={studio}"),
            None,
            StatusCode::OK,
            "reading the talent record",
        )
        .await;
    assert_eq!(record["pairs"], 0);

    let (status, m) = app
        .post_json(
            "/api/v1/mentorships",
            Some(&leader),
            body(mentor_id, apprentice_id, "2026-12-31"),
        )
        .await;
    assert_eq!(
        (status, m["status"].as_str()),
        (StatusCode::CREATED, Some("active")),
        "{m}"
    );
    let m = id(&m);

    // Sessions: mentor and apprentice log; others may not; a day holds at most 24 hours.
    let logs = format!("/api/v1/mentorships/{m}/logs");
    let entry = |hours: f64| json!({"on": "2026-03-02", "hours": hours, "content": "讲解应力锥安装与绝缘处理"});
    let (status, p) = app.post_json(&logs, Some(&mentor), entry(25.0)).await;
    assert_invalid(status, &p, "hours");
    let (status, _) = app.post_json(&logs, Some(&stranger), entry(2.0)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_json(&logs, Some(&mentor), entry(2.5)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_json(&logs, Some(&apprentice), entry(1.5)).await.0,
        StatusCode::CREATED
    );

    // The apprentice on a challenge team shows in the mentorship.
    let (_, other) = app
        .register_and_login_as(&unique("ms-poster"), "张雅琴")
        .await;
    let other_studio = app
        .online_studio(&other, org, &unique("张雅琴计量创新工作室"), json!({}))
        .await;
    let ch = app.expect_post("/api/v1/challenges", Some(&other), json!({
            "studio_id": other_studio, "title": "电缆终端局放超标", "description": "交接试验局放 30pC"}), StatusCode::CREATED, "posting a challenge").await;
    let ch = id(&ch);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(&other),
        StatusCode::OK,
        "publishing the challenge",
    )
    .await;
    let (status, claim) = app
        .post_json(&format!("/api/v1/challenges/{ch}/claims"), Some(&leader), json!({
            "studio_id": studio, "proposal": "师徒共同攻关",
            "members": [{"user_id": mentor_id, "share_percent": 70}, {"user_id": apprentice_id, "share_percent": 30}]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    let detail = app
        .expect_get(
            &format!("/api/v1/mentorships/{m}"),
            None,
            StatusCode::OK,
            "reading the detail",
        )
        .await;
    assert_eq!(detail["logs"].as_array().unwrap().len(), 2);
    assert_eq!(detail["hours"], 4.0);
    assert_eq!(detail["challenge_work"][0]["challenge_id"], ch);
    assert_eq!(detail["challenge_work"][0]["share_percent"], 30);

    // Completion: the apprentice may not grade themselves; a bad grade is a 422.
    let complete = format!("/api/v1/mentorships/{m}/complete");
    let verdict =
        |grade: &str| json!({"evaluation": "已能独立完成终端制作，工艺规范", "grade": grade});
    assert_eq!(
        app.post_json(&complete, Some(&apprentice), verdict("excellent"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, p) = app.post_json(&complete, Some(&mentor), verdict("A+")).await;
    assert_invalid(status, &p, "grade");
    let (status, done) = app
        .post_json(&complete, Some(&mentor), verdict("excellent"))
        .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (StatusCode::OK, Some("completed"))
    );
    let (status, p) = app
        .post_json(&complete, Some(&leader), verdict("good"))
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("completed"))
    );
    let (status, p) = app.post_json(&logs, Some(&mentor), entry(1.0)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");

    let record = app
        .expect_get(
            &format!("/api/v1/talent?studio_id={studio}"),
            None,
            StatusCode::OK,
            "reading the talent record",
        )
        .await;
    assert_eq!(record["pairs"], 1);
    assert_eq!(record["completed"], 1);
    assert_eq!(record["excellent"], 1);
    assert_eq!(record["hours"], 4.0);
    app.cleanup().await;
}

#[tokio::test]
async fn an_apprentice_may_come_from_a_fellow_alliance_studio_only() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (mentor_id, leader) = app.register_and_login_as(&unique("ms-a"), "王建国").await;
    let studio = app
        .online_studio(&leader, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (fellow_id, fellow) = app.register_and_login_as(&unique("ms-b"), "李明").await;
    let fellow_studio = app
        .online_studio(&fellow, org, &unique("李明焊接技能大师工作室"), json!({}))
        .await;
    let body = json!({"studio_id": studio, "mentor_id": mentor_id, "apprentice_id": fellow_id,
                      "skill": "焊缝超声探伤", "starts_on": "2026-02-01", "ends_on": "2026-08-01"});
    let (status, p) = app
        .post_json("/api/v1/mentorships", Some(&leader), body.clone())
        .await;
    assert_invalid(status, &p, "apprentice_id");
    let a = app
        .expect_post(
            "/api/v1/alliances",
            Some(&leader),
            json!({
            "name": unique("焊接工匠联盟"), "lead_studio_id": studio, "scope": "cross_enterprise"}),
            StatusCode::CREATED,
            "founding an alliance",
        )
        .await;
    let a = id(&a);
    let r = app
        .expect_post(
            &format!("/api/v1/alliances/{a}/join-requests"),
            Some(&fellow),
            json!({"studio_id": fellow_studio}),
            StatusCode::CREATED,
            "the fellow studio asks to join",
        )
        .await;
    app.expect_post_empty(
        &format!("/api/v1/alliances/{a}/join-requests/{}/approve", id(&r)),
        Some(&leader),
        StatusCode::OK,
        "approving the request",
    )
    .await;
    let (status, m) = app
        .post_json("/api/v1/mentorships", Some(&leader), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let record = app
        .expect_get(
            &format!("/api/v1/talent?alliance_id={a}"),
            None,
            StatusCode::OK,
            "reading the talent record",
        )
        .await;
    assert_eq!(record["pairs"], 1);
    app.cleanup().await;
}

#[tokio::test]
async fn my_mentorships_page_lists_the_pairs_of_my_studios() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app
        .register_and_login_as(&unique("ms-lead"), "王建国")
        .await;
    let studio = app
        .online_studio(&leader, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (apprentice_id, apprentice) = app.register_and_login_as(&unique("ms-app"), "周小满").await;
    app.join_studio(studio, &leader, (apprentice_id, &apprentice), "apprentice")
        .await;
    let me = app
        .expect_get("/api/v1/me", Some(&leader), StatusCode::OK, "reading /me")
        .await;
    app.expect_post(
        "/api/v1/mentorships",
        Some(&leader),
        json!({"studio_id": studio, "mentor_id": me["id"], "apprentice_id": apprentice_id,
               "skill": "数控编程", "goals": "独立编制五轴程序", "starts_on": "2026-01-05",
               "ends_on": "2026-12-31"}),
        StatusCode::CREATED,
        "recording the pair",
    )
    .await;
    for token in [&leader, &apprentice] {
        let res = app
            .browser_of(token)
            .get(app.url("/mentorships"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "a page, not a 405");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("王建国 → 周小满") && html.contains("数控编程"),
            "{html}"
        );
    }
    app.cleanup().await;
}

#[tokio::test]
async fn a_draft_studios_pairs_stay_hidden_and_a_grade_is_for_the_pair_their_studio_and_unions() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login_as(&unique("dr-lead"), "孙丽").await;
    let draft = app.create_studio(&leader, org, &unique("孙丽工作室")).await;
    let (apprentice_id, apprentice) = app.register_and_login_as(&unique("dr-app"), "小钱").await;
    let leader_id = app
        .expect_get("/api/v1/me", Some(&leader), StatusCode::OK, "me")
        .await["id"]
        .as_i64()
        .unwrap();
    app.join_studio(draft, &leader, (apprentice_id, &apprentice), "apprentice")
        .await;
    let m = app
        .expect_post(
            "/api/v1/mentorships",
            Some(&leader),
            json!({"studio_id": draft, "mentor_id": leader_id, "apprentice_id": apprentice_id,
                   "skill": "钳工装配", "starts_on": "2026-01-05", "ends_on": "2026-12-31"}),
            StatusCode::CREATED,
            "pairing in a draft studio",
        )
        .await;
    let m = id(&m);
    let (_, stranger) = app.register_and_login_as(&unique("dr-x"), "路人").await;
    for token in [None, Some(stranger.as_str())] {
        let (status, body) = app
            .get_json(&format!("/api/v1/mentorships/{m}"), token)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _) = app
            .get_json(&format!("/api/v1/talent?studio_id={draft}"), token)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = app
        .get_json(&format!("/api/v1/mentorships/{m}"), Some(&apprentice))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the apprentice reads their own pair"
    );

    // Once graded, the evaluation is the pair's, their studio's and the unions' above.
    app.expect_post(
        &format!("/api/v1/mentorships/{m}/complete"),
        Some(&leader),
        json!({"evaluation": "装配精度尚需提高", "grade": "fail"}),
        StatusCode::OK,
        "grading",
    )
    .await;
    let own = app
        .expect_get(
            &format!("/api/v1/mentorships/{m}"),
            Some(&apprentice),
            StatusCode::OK,
            "own",
        )
        .await;
    assert_eq!(own["grade"], "fail");
    assert_eq!(own["evaluation"], "装配精度尚需提高");

    // The studio goes online: the pair is public, its verdict is not.
    let mut fill = full_profile(&unique("孙丽工作室"), org);
    fill.as_object_mut().unwrap().remove("org_id");
    app.expect_patch(
        &format!("/api/v1/studios/{draft}"),
        Some(&leader),
        fill,
        StatusCode::OK,
        "completing the profile",
    )
    .await;
    app.expect_post_empty(
        &format!("/api/v1/studios/{draft}/onboard"),
        Some(&leader),
        StatusCode::OK,
        "going online",
    )
    .await;
    for token in [None, Some(stranger.as_str())] {
        let (status, public) = app
            .get_json(&format!("/api/v1/mentorships/{m}"), token)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(public["grade"], "", "{public}");
        assert_eq!(public["evaluation"], "");
        let (_, list) = app
            .get_json(&format!("/api/v1/mentorships?studio_id={draft}"), token)
            .await;
        assert!(!list.to_string().contains("装配精度"), "{list}");
    }
}

#[tokio::test]
async fn a_pairing_ends_early_with_a_reason_and_the_other_side_is_told() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app
        .register_and_login_as(&unique("me-lead"), "王建国")
        .await;
    let studio = app
        .online_studio(&leader, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (mentor_id, mentor) = app.register_and_login_as(&unique("me-m"), "李师傅").await;
    let (apprentice_id, apprentice) = app.register_and_login_as(&unique("me-a"), "小周").await;
    let (_, stranger) = app.register_and_login_as(&unique("me-x"), "路人").await;
    app.join_studio(studio, &leader, (mentor_id, &mentor), "member")
        .await;
    app.join_studio(studio, &leader, (apprentice_id, &apprentice), "apprentice")
        .await;
    let m = app
        .expect_post(
            "/api/v1/mentorships",
            Some(&leader),
            json!({"studio_id": studio, "mentor_id": mentor_id, "apprentice_id": apprentice_id,
                   "skill": "数控编程", "starts_on": "2026-01-05", "ends_on": "2026-12-31"}),
            StatusCode::CREATED,
            "pairing",
        )
        .await;
    let end = format!("/api/v1/mentorships/{}/end", m["id"]);
    let (status, p) = app
        .post_json(&end, Some(&apprentice), json!({"reason": "  "}))
        .await;
    assert_invalid(status, &p, "reason");
    let (status, _) = app
        .post_json(&end, Some(&stranger), json!({"reason": "不相干"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, ended) = app
        .post_json(&end, Some(&apprentice), json!({"reason": "调岗到装配车间"}))
        .await;
    assert_eq!(
        (status, ended["status"].as_str()),
        (StatusCode::OK, Some("ended"))
    );
    let (status, p) = app
        .post_json(&end, Some(&mentor), json!({"reason": "再结束一次"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    // No more sessions; the mentor hears of it; the reason is kept for the pair.
    let (status, _) = app
        .post_json(
            &format!("/api/v1/mentorships/{}/logs", m["id"]),
            Some(&mentor),
            json!({"on": "2026-03-01", "hours": 2, "content": "补课"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, notes) = app.get_json("/api/v1/notifications", Some(&mentor)).await;
    assert!(notes.to_string().contains("已提前结束"), "{notes}");
    let (_, detail) = app
        .get_json(&format!("/api/v1/mentorships/{}", m["id"]), Some(&mentor))
        .await;
    assert_eq!(detail["evaluation"], "调岗到装配车间", "{detail}");
    app.cleanup().await;
}
