//! Lists answer `{items, next_cursor}`: following the cursor visits every row once, in the
//! list's order, and a bad cursor or limit is a 422 that names the field.

use chrono::{Duration, Utc};
use lianmeng_tests::{StatusCode, TestApp, Value, assert_invalid, id, json, unique};

/// Follows `path` (which has a `?`) page by page; the ids in the order they came.
async fn walk(app: &TestApp, path: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor = String::new();
    for page in 1.. {
        assert!(page < 50, "{path}: the cursor never ends");
        let body = app
            .expect_get(
                &format!("{path}&limit=2{cursor}"),
                None,
                StatusCode::OK,
                "reading a page",
            )
            .await;
        let items = body["items"].as_array().expect("items").clone();
        assert!(items.len() <= 2, "{path}: a page longer than its limit");
        ids.extend(items.iter().map(id));
        match body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    ids
}

fn starts(v: &Value) -> String {
    v["starts_at"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn following_the_cursor_visits_every_event_course_and_mentorship_once() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("pg-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;

    // Events soonest first; three share a start, so the cursor must carry the id as well.
    let at = |minutes: i64| (Utc::now() + Duration::minutes(minutes)).to_rfc3339();
    let same = at(60);
    let mut events = Vec::new();
    for (n, start) in [same.clone(), at(30), same.clone(), at(90), same]
        .iter()
        .enumerate()
    {
        let body = json!({"studio_id": studio, "kind": "lecture",
            "title": format!("素质提升大讲堂 第{}讲", n + 1), "location": "西安市总工会职工服务中心",
            "starts_at": start, "ends_at": at(180), "capacity": 30});
        let e = app
            .expect_post(
                "/api/v1/events",
                Some(&host),
                body,
                StatusCode::CREATED,
                "hosting an event",
            )
            .await;
        events.push(id(&e));
    }
    let walked = walk(&app, &format!("/api/v1/events?studio_id={studio}")).await;
    let mut expected = Vec::new();
    for e in &events {
        let detail = app
            .expect_get(
                &format!("/api/v1/events/{e}"),
                None,
                StatusCode::OK,
                "reading an event",
            )
            .await;
        expected.push((starts(&detail), *e));
    }
    expected.sort();
    let expected: Vec<i64> = expected.into_iter().map(|(_, e)| e).collect();
    assert_eq!(walked, expected, "events by start, then id");

    // Courses newest first.
    let mut courses = Vec::new();
    for title in ["电力电缆附件安装", "数控机床精度诊断", "高压开关柜检修"] {
        let body = json!({"studio_id": studio, "title": title,
            "lessons": [{"title": "第一讲 安全规程", "body_or_url": "停电、验电、挂接地线", "minutes": 30}]});
        let c = app
            .expect_post(
                "/api/v1/courses",
                Some(&host),
                body,
                StatusCode::CREATED,
                "publishing a course",
            )
            .await;
        courses.push(id(&c));
    }
    courses.reverse();
    assert_eq!(
        walk(&app, &format!("/api/v1/courses?studio_id={studio}")).await,
        courses
    );

    // Mentorships newest first.
    let (mentor_id, mentor) = app
        .register_and_login_as(&unique("pg-mentor"), "李师傅")
        .await;
    app.join_studio(studio, &host, (mentor_id, &mentor), "member")
        .await;
    let mut pairs = Vec::new();
    for name in ["小周", "小吴", "小郑"] {
        let (apprentice, token) = app.register_and_login_as(&unique("pg-app"), name).await;
        app.join_studio(studio, &host, (apprentice, &token), "apprentice")
            .await;
        let body = json!({"studio_id": studio, "mentor_id": mentor_id, "apprentice_id": apprentice,
            "skill": "高压电缆终端制作", "goals": "独立完成 110kV 终端",
            "starts_on": "2026-01-05", "ends_on": "2026-12-31"});
        let m = app
            .expect_post(
                "/api/v1/mentorships",
                Some(&host),
                body,
                StatusCode::CREATED,
                "recording a pair",
            )
            .await;
        pairs.push(id(&m));
    }
    pairs.reverse();
    assert_eq!(
        walk(&app, &format!("/api/v1/mentorships?studio_id={studio}")).await,
        pairs
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_bad_cursor_or_limit_on_a_list_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    for list in [
        "/api/v1/events?",
        "/api/v1/courses?",
        "/api/v1/mentorships?studio_id=1&",
        "/api/v1/studios?",
        "/api/v1/challenges?",
    ] {
        let (status, p) = app.get_json(&format!("{list}cursor=第二页"), None).await;
        assert_invalid(status, &p, "cursor");
        let (status, p) = app.get_json(&format!("{list}limit=0"), None).await;
        assert_invalid(status, &p, "limit");
        let (status, p) = app.get_json(&format!("{list}limit=101"), None).await;
        assert_invalid(status, &p, "limit");
    }
    // An id cursor is not an events cursor, which also holds the start.
    let (status, p) = app.get_json("/api/v1/events?cursor=c2a", None).await;
    assert_invalid(status, &p, "cursor");
    app.cleanup().await;
}
