//! A studio's yearly figures (`GET /api/v1/studios/{id}/metrics?year=`), each checked against
//! what the test did on the platform: the facts behind a self-evaluation (Jieyang art. 9).

use chrono::{Datelike, Duration, FixedOffset, Utc};
use lianmeng_tests::{StatusCode, World, assert_invalid, id, json, unique};

#[tokio::test]
async fn every_figure_counts_what_the_studio_did_that_year() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_member_in_c()
        .await;
    let app = &w.app;
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    let year = Utc::now().with_timezone(&china).year();
    // Studio B (李明's) is the one measured.
    let b = w.b_studio();

    // It posts two challenges (published) and claims, solves one of the poster's.
    for n in 1..=2 {
        w.open_challenge_as(
            w.b(),
            json!({"studio_id": b, "title": format!("变压器油色谱在线监测误报 {n}")}),
        )
        .await;
    }
    let solved = w.open_challenge(json!({})).await;
    let claim = w.claim(solved, w.b(), b).await;
    w.award(solved, claim).await;
    w.deliver(solved, w.b(), "相控阵超声检测工艺已验证，漏检率降到 0.2%。")
        .await;
    app.expect_post(
        &format!("/api/v1/challenges/{solved}/accept"),
        Some(w.poster()),
        json!({"rating": 5, "comment": "效果显著"}),
        StatusCode::OK,
        "accepting the delivery",
    )
    .await;
    // A claim on another challenge that is still pending counts as claimed, not solved.
    let open = w
        .open_challenge(json!({"title": "焊接机器人轨迹漂移"}))
        .await;
    w.claim(open, w.b(), b).await;

    // Outcomes: a patent and an operating method, with their declared benefit.
    for (kind, patent, benefit) in [
        ("patent", "ZL202610001234.5", 120_000),
        ("operating_method", "", 30_000),
    ] {
        app.expect_post(
            "/api/v1/outcomes",
            Some(w.b()),
            json!({"studio_id": b, "title": unique("电缆终端快速制作法"), "summary": "缩短工时三成",
                   "body": "", "kind": kind, "patent_no": patent, "benefit_yuan": benefit}),
            StatusCode::CREATED,
            "publishing an outcome",
        )
        .await;
    }

    // Mentoring: two pairs of this year; one completed; 90 minutes logged in the year.
    let mut pairs = Vec::new();
    for name in ["小周", "小吴"] {
        let (apprentice, token) = app.register_and_login_as(&unique("mt-app"), name).await;
        app.join_studio(b, w.b(), (apprentice, &token), "apprentice")
            .await;
        let m = app
            .expect_post(
                "/api/v1/mentorships",
                Some(w.b()),
                json!({"studio_id": b, "mentor_id": w.b_id(), "apprentice_id": apprentice,
                       "skill": "高压电缆终端制作", "goals": "独立完成 110kV 终端",
                       "starts_on": format!("{year}-01-05"), "ends_on": format!("{year}-12-31")}),
                StatusCode::CREATED,
                "recording a pair",
            )
            .await;
        pairs.push(id(&m));
    }
    app.expect_post(
        &format!("/api/v1/mentorships/{}/logs", pairs[0]),
        Some(w.b()),
        json!({"on": format!("{year}-03-02"), "hours": 1.5, "content": "终端剥切与应力锥安装"}),
        StatusCode::CREATED,
        "logging a session",
    )
    .await;
    app.expect_post(
        &format!("/api/v1/mentorships/{}/complete", pairs[1]),
        Some(w.b()),
        json!({"evaluation": "能独立完成终端制作", "grade": "excellent"}),
        StatusCode::OK,
        "completing a pair",
    )
    .await;

    // An event it hosts, where one of its people checks in; an event elsewhere does not count.
    let at = |minutes: i64| (Utc::now() + Duration::minutes(minutes)).to_rfc3339();
    let event = app
        .expect_post(
            "/api/v1/events",
            Some(w.b()),
            json!({"studio_id": b, "kind": "lecture", "title": "素质提升大讲堂", "location": "职工服务中心",
                   "starts_at": at(5), "ends_at": at(120), "capacity": 30}),
            StatusCode::CREATED,
            "hosting an event",
        )
        .await;
    let e = id(&event);
    app.expect_post_empty(
        &format!("/api/v1/events/{e}/registrations"),
        Some(w.b()),
        StatusCode::CREATED,
        "registering",
    )
    .await;
    let door = app
        .expect_post_empty(
            &format!("/api/v1/events/{e}/checkin-code"),
            Some(w.b()),
            StatusCode::OK,
            "the door code",
        )
        .await;
    app.expect_post(
        &format!("/api/v1/events/{e}/checkins"),
        Some(w.b()),
        json!({"code": door["code"]}),
        StatusCode::CREATED,
        "checking in",
    )
    .await;

    // A course with two enrolments (one from another studio).
    let course = app
        .expect_post(
            "/api/v1/courses",
            Some(w.b()),
            json!({"studio_id": b, "title": "电力电缆附件安装",
                   "lessons": [{"title": "第一讲 安全规程", "body_or_url": "停电、验电、挂接地线", "minutes": 30}]}),
            StatusCode::CREATED,
            "publishing a course",
        )
        .await;
    for token in [w.b(), w.c_member()] {
        app.expect_post_empty(
            &format!("/api/v1/courses/{}/enrolments", id(&course)),
            Some(token),
            StatusCode::CREATED,
            "enrolling",
        )
        .await;
    }

    let figures = app
        .expect_get(
            &format!("/api/v1/studios/{b}/metrics?year={year}"),
            None,
            StatusCode::OK,
            "reading the figures",
        )
        .await;
    let expected = json!({
        "year": year, "outcomes": 2, "patents": 1, "benefit_yuan": 150_000,
        "challenges_posted": 2, "challenges_claimed": 2, "challenges_solved": 1,
        "mentorships_active": 1, "mentorships_completed": 1, "mentoring_hours": 1.5,
        "events_hosted": 1, "events_attended": 1, "courses": 1, "enrolments": 2,
        // The leader and two apprentices.
        "members": 3
    });
    assert_eq!(figures, expected);
    // The studio's page shows them, money in yuan with separators.
    let page = app
        .browser()
        .get(app.url(&format!("/studios/{b}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("年度数据") && page.contains("150,000 元"),
        "{page:.2000}"
    );
    // Without a year: this year.
    let this_year = app
        .expect_get(
            &format!("/api/v1/studios/{b}/metrics"),
            None,
            StatusCode::OK,
            "reading this year's figures",
        )
        .await;
    assert_eq!(this_year, expected);

    // The year before: nothing happened then; the size is today's.
    let before = app
        .expect_get(
            &format!("/api/v1/studios/{b}/metrics?year={}", year - 1),
            None,
            StatusCode::OK,
            "last year",
        )
        .await;
    for (k, v) in before.as_object().unwrap() {
        let want = match k.as_str() {
            "year" => json!(year - 1),
            "members" => json!(3),
            "mentoring_hours" => json!(0.0),
            _ => json!(0),
        };
        assert_eq!(v, &want, "{k} of {}", year - 1);
    }
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_year_out_of_range_is_a_422_and_an_unknown_studio_a_404() {
    let w = World::start().await.with_poster_studio().await;
    let s = w.poster_studio();
    for bad in ["1999", "2101", "今年"] {
        let (status, p) = w
            .app
            .get_json(&format!("/api/v1/studios/{s}/metrics?year={bad}"), None)
            .await;
        assert_invalid(status, &p, "year");
    }
    let (status, _) = w.app.get_json("/api/v1/studios/987654/metrics", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    w.app.cleanup().await;
}
