//! Unions host events and courses too (现场推进会, 观摩会, 素质提升大讲堂): their staff and the
//! staff above hold them for the union's subtree (`audience: "members"`) or for everyone, and
//! run them as a studio's leader would.

use lianmeng_tests::{StatusCode, World, id, json, unique};

fn at(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

#[tokio::test]
async fn a_city_union_holds_an_event_for_its_subtree_and_a_course_for_everyone() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let event = |host: serde_json::Value| {
        let mut body = json!({
            "kind": "site_visit", "title": "劳模和工匠人才创新工作室联盟现场推进会",
            "location": "秦川精密机床装备有限公司会议中心", "starts_at": at(60), "ends_at": at(240),
            "capacity": 80, "audience": "members"
        });
        for (k, v) in host.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    // Not the union's staff, no such union, two hosts at once: refused, nothing made.
    for (token, host, expected) in [
        (
            w.far_staff(),
            json!({"org_id": w.tree.city}),
            StatusCode::FORBIDDEN,
        ),
        (
            w.poster(),
            json!({"org_id": w.tree.city}),
            StatusCode::FORBIDDEN,
        ),
        (
            w.city_staff(),
            json!({"org_id": 999_999}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            w.city_staff(),
            json!({"org_id": w.tree.city, "studio_id": w.poster_studio()}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, p) = w.post("/api/v1/events", token, event(host)).await;
        assert_eq!(status, expected, "{p}");
    }
    let e = w
        .app
        .expect_post(
            "/api/v1/events",
            Some(w.city_staff()),
            event(json!({"org_id": w.tree.city})),
            StatusCode::CREATED,
            "the city's staff hold the event",
        )
        .await;
    let e = id(&e);
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/events/{e}"),
            None,
            StatusCode::OK,
            "reading it",
        )
        .await;
    assert_eq!(
        (&detail["org_id"], &detail["host_name"]),
        (&json!(w.tree.city), &json!("西安市总工会"))
    );
    let listed = w
        .app
        .expect_get(
            &format!("/api/v1/events?org_id={}", w.tree.city),
            None,
            StatusCode::OK,
            "the union's events",
        )
        .await;
    assert_eq!(listed["items"][0]["id"], e);

    // The subtree's people register; others may not.
    let path = format!("/api/v1/events/{e}/registrations");
    w.app
        .expect_post_empty(
            &path,
            Some(w.poster()),
            StatusCode::CREATED,
            "a leader of a studio below registers",
        )
        .await;
    let (_, stranger) = w
        .app
        .register_and_login_as(&unique("stranger"), "赵卫东")
        .await;
    for token in [stranger.as_str(), w.far_staff()] {
        assert_eq!(
            w.app.post_empty(&path, Some(token)).await.0,
            StatusCode::FORBIDDEN
        );
    }
    // The union's staff run it: the door code.
    w.app
        .expect_post_empty(
            &format!("/api/v1/events/{e}/checkin-code"),
            Some(w.city_staff()),
            StatusCode::OK,
            "the staff show the door code",
        )
        .await;
    assert_eq!(
        w.app
            .post_empty(
                &format!("/api/v1/events/{e}/checkin-code"),
                Some(w.poster())
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    // A course of the union, open to all.
    let c = w
        .app
        .expect_post(
            "/api/v1/courses",
            Some(w.city_staff()),
            json!({"org_id": w.tree.city, "title": "素质提升大讲堂：数控机床精度诊断",
                   "lessons": [{"title": "第一讲 激光干涉仪的使用", "body_or_url": "测量原理与操作步骤", "minutes": 45}]}),
            StatusCode::CREATED,
            "the union publishes a course",
        )
        .await;
    let (status, _) = w
        .post(
            "/api/v1/courses",
            w.far_staff(),
            json!({"org_id": w.tree.city, "title": "冒名课程", "lessons": [{"title": "一", "body_or_url": "二", "minutes": 5}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let courses = w
        .app
        .expect_get(
            &format!("/api/v1/courses?org_id={}", w.tree.city),
            None,
            StatusCode::OK,
            "the union's courses",
        )
        .await;
    assert_eq!(courses["items"][0]["id"], id(&c));
    assert_eq!(courses["items"][0]["host_name"], "西安市总工会");
    w.app
        .expect_post_empty(
            &format!("/api/v1/courses/{}/enrolments", id(&c)),
            Some(&stranger),
            StatusCode::CREATED,
            "anyone enrols",
        )
        .await;
    w.app.cleanup().await;
}
