//! Offline events (线下活动): capacity (also under concurrent registrations), the door code and
//! check-in, the summary; and courses (在线学习) with lesson progress.

use chrono::{Duration, Utc};
use lianmeng_tests::{StatusCode, TestApp, World, assert_invalid, id, json, unique};

fn at(minutes: i64) -> String {
    (Utc::now() + Duration::minutes(minutes)).to_rfc3339()
}

#[tokio::test]
async fn registration_respects_capacity_and_check_in_needs_the_live_code() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("ev-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let event = |starts: i64, ends: i64, capacity: i64| {
        json!({"studio_id": studio, "kind": "lecture", "title": "素质提升大讲堂：数控机床精度诊断",
               "location": "西安市总工会职工服务中心三楼", "starts_at": at(starts), "ends_at": at(ends),
               "capacity": capacity})
    };
    let (status, p) = app
        .post_json("/api/v1/events", Some(&host), event(120, 60, 0))
        .await;
    assert_invalid(status, &p, "ends_at");
    assert_invalid(status, &p, "capacity");
    let (status, p) = app
        .post_json("/api/v1/events", Some(&host), event(60, 120, -5))
        .await;
    assert_invalid(status, &p, "capacity");
    let list = app
        .expect_get("/api/v1/events", None, StatusCode::OK, "listing events")
        .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing was written"
    );

    let (status, e) = app
        .post_json("/api/v1/events", Some(&host), event(30, 150, 2))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let e = id(&e);
    let regs = format!("/api/v1/events/{e}/registrations");
    let (_, a) = app.register_and_login_as(&unique("ev-a"), "李明").await;
    let (_, b) = app.register_and_login_as(&unique("ev-b"), "赵铁军").await;
    let (_, c) = app.register_and_login_as(&unique("ev-c"), "张雅琴").await;
    assert_eq!(app.post_empty(&regs, Some(&a)).await.0, StatusCode::CREATED);
    let (status, p) = app.post_empty(&regs, Some(&a)).await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("registered"))
    );
    assert_eq!(app.post_empty(&regs, Some(&b)).await.0, StatusCode::CREATED);
    let (status, p) = app.post_empty(&regs, Some(&c)).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("full")),
        "{p}"
    );
    // A cancellation frees the place.
    let (status, _) = app
        .send(reqwest::Method::DELETE, &regs, Some(&b), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(app.post_empty(&regs, Some(&c)).await.0, StatusCode::CREATED);

    // The door code is the host's; a wrong code is a 422; the live one checks in once.
    let code_path = format!("/api/v1/events/{e}/checkin-code");
    assert_eq!(
        app.post_empty(&code_path, Some(&a)).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, door) = app.post_empty(&code_path, Some(&host)).await;
    assert_eq!(status, StatusCode::OK, "{door}");
    let code = door["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert!(
        door["checkin_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/events/{e}/checkin?code={code}"))
    );
    let checkins = format!("/api/v1/events/{e}/checkins");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, p) = app
        .post_json(&checkins, Some(&a), json!({"code": wrong}))
        .await;
    assert_invalid(status, &p, "code");
    let (status, p) = app
        .post_json(&checkins, Some(&b), json!({"code": code}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a cancelled registration cannot check in: {p}"
    );
    assert_eq!(
        app.post_json(&checkins, Some(&a), json!({"code": code}))
            .await
            .0,
        StatusCode::CREATED
    );
    let (status, p) = app
        .post_json(&checkins, Some(&a), json!({"code": code}))
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("checked_in"))
    );

    // The summary waits for the start.
    let (status, p) = app
        .post_json(
            &format!("/api/v1/events/{e}/summary"),
            Some(&host),
            json!({"summary": "到场 2 人"}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_started"))
    );
    let detail = app
        .expect_get(
            &format!("/api/v1/events/{e}"),
            Some(&host),
            StatusCode::OK,
            "reading the detail",
        )
        .await;
    assert_eq!(detail["registered"], 2);
    assert_eq!(detail["checked_in"], 1);
    assert_eq!(detail["attendees"].as_array().unwrap().len(), 2);
    let studio_page = app
        .client
        .get(app.url(&format!("/studios/{studio}")))
        .send()
        .await;
    let studio_page = studio_page.unwrap().text().await.unwrap();
    assert!(
        studio_page.contains("素质提升大讲堂"),
        "the studio page lists its events"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn concurrent_registrations_never_pass_the_capacity() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("cc-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let e = app
        .expect_post("/api/v1/events", Some(&host), json!({
            "studio_id": studio, "kind": "site_visit", "title": "智能产线现场观摩",
            "location": "陕鼓集团临潼基地", "starts_at": at(600), "ends_at": at(720), "capacity": 5}),
            StatusCode::CREATED, "the host posts an event for five")
        .await;
    let e = id(&e);
    let mut tokens = Vec::new();
    for i in 0..16 {
        tokens.push(
            app.register_and_login_as(&unique("cc"), &format!("职工{i}"))
                .await
                .1,
        );
    }
    let path = format!("/api/v1/events/{e}/registrations");
    let results =
        futures_util::future::join_all(tokens.iter().map(|t| app.post_empty(&path, Some(t)))).await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let full = results
        .iter()
        .filter(|(s, p)| *s == StatusCode::CONFLICT && p["code"] == "full")
        .count();
    assert_eq!((created, full), (5, 11), "{results:?}");
    let detail = app
        .expect_get(
            &format!("/api/v1/events/{e}"),
            None,
            StatusCode::OK,
            "reading the detail",
        )
        .await;
    assert_eq!(detail["registered"], 5);
    app.cleanup().await;
}

#[tokio::test]
async fn the_host_adds_photos_to_an_event_under_way() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("ph-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (status, e) = app
        .post_json(
            "/api/v1/events",
            Some(&host),
            json!({
            "studio_id": studio, "kind": "training", "title": "班组长安全培训",
            "location": "职工培训中心", "starts_at": at(-60), "ends_at": at(60), "capacity": 30}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let e = id(&e);
    let upload = |bytes: Vec<u8>, token: &str| {
        app.client
            .post(app.url(&format!("/api/v1/events/{e}/photos")))
            .bearer_auth(token)
            .header("content-type", "image/png")
            .body(bytes)
            .send()
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let (_, other) = app.register_and_login_as(&unique("ph-x"), "路人").await;
    assert_eq!(
        upload(png.clone(), &other).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let res = upload(b"<svg onload=alert(1)>".to_vec(), &host)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = upload(vec![0xFF; 6 * 1024 * 1024], &host).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        upload(png.clone(), &host).await.unwrap().status(),
        StatusCode::CREATED
    );
    let detail = app
        .expect_get(
            &format!("/api/v1/events/{e}"),
            None,
            StatusCode::OK,
            "reading the detail",
        )
        .await;
    let photos = detail["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 1, "{detail}");
    let name = photos[0]["file_name"].as_str().unwrap();
    let res = app
        .client
        .get(app.url(&format!("/uploads/events/{e}/{name}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().as_ref(), png.as_slice());
    let res = app
        .client
        .get(app.url(&format!("/uploads/events/{e}/..%2F..%2Flianmeng.db")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.cleanup().await;
}

#[tokio::test]
async fn a_course_is_followed_lesson_by_lesson() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("co-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (status, p) = app
        .post_json(
            "/api/v1/courses",
            Some(&host),
            json!({"studio_id": studio, "title": "空课程", "lessons": []}),
        )
        .await;
    assert_invalid(status, &p, "lessons");
    let (status, c) = app
        .post_json("/api/v1/courses", Some(&host), json!({
            "studio_id": studio, "title": "电力电缆附件安装", "description": "从剥切到绝缘处理",
            "lessons": [
                {"title": "第一讲 安全规程", "body_or_url": "**停电、验电、挂接地线**", "minutes": 30},
                {"title": "第二讲 终端制作", "body_or_url": "https://video.example.cn/lesson2.mp4", "minutes": 45}
            ]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let c = id(&c);
    let (_, learner) = app.register_and_login_as(&unique("co-l"), "小周").await;
    let lesson = |n: i64| format!("/api/v1/courses/{c}/lessons/{n}/complete");
    let (status, p) = app.post_empty(&lesson(1), Some(&learner)).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_enrolled"))
    );
    let enrol = format!("/api/v1/courses/{c}/enrolments");
    assert_eq!(
        app.post_empty(&enrol, Some(&learner)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post_empty(&enrol, Some(&learner)).await.0,
        StatusCode::CONFLICT
    );
    let (status, p) = app.post_empty(&lesson(1), Some(&learner)).await;
    assert_eq!(
        (status, p["progress_percent"].as_i64()),
        (StatusCode::OK, Some(50))
    );
    assert_eq!(
        app.post_empty(&lesson(3), Some(&learner)).await.0,
        StatusCode::NOT_FOUND
    );
    let p = app
        .expect_post_empty(
            &lesson(2),
            Some(&learner),
            StatusCode::OK,
            "finishing the second lesson",
        )
        .await;
    assert_eq!(p["progress_percent"], 100);
    let detail = app
        .expect_get(
            &format!("/api/v1/courses/{c}"),
            Some(&learner),
            StatusCode::OK,
            "reading the detail",
        )
        .await;
    assert_eq!(detail["completed"], json!([1, 2]));
    assert!(
        app.outbox()
            .await
            .iter()
            .any(|e| e.kind == "course" && e.entity_id == c)
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_host_cancels_an_event_with_a_reason_and_every_registrant_is_told() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let app = &w.app;
    let e = app
        .expect_post(
            "/api/v1/events",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "kind": "site_visit", "title": "主轴维修现场观摩会",
                   "location": "一号厂房", "starts_at": "2099-05-01T09:00", "ends_at": "2099-05-01T11:00",
                   "capacity": 10}),
            StatusCode::CREATED,
            "scheduling",
        )
        .await;
    let id = e["id"].as_i64().unwrap();
    for token in [w.b(), w.c()] {
        let (status, _) = app
            .post_json(
                &format!("/api/v1/events/{id}/registrations"),
                Some(token),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let cancel = format!("/api/v1/events/{id}/cancel");
    let (status, p) = app
        .post_json(&cancel, Some(w.poster()), json!({"reason": " "}))
        .await;
    assert_invalid(status, &p, "reason");
    let (status, _) = app
        .post_json(&cancel, Some(w.b()), json!({"reason": "不是主办方"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post_json(
            &cancel,
            Some(w.poster()),
            json!({"reason": "厂房检修，改期另行通知"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, p) = app
        .post_json(&cancel, Some(w.poster()), json!({"reason": "再取消一次"}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("cancelled"))
    );

    // Every registrant hears why; registration and check-in are closed.
    for token in [w.b(), w.c()] {
        let (_, notes) = app.get_json("/api/v1/notifications", Some(token)).await;
        assert!(
            notes.to_string().contains("厂房检修，改期另行通知"),
            "{notes}"
        );
    }
    let (_, latecomer) = app
        .register_and_login_as(&unique("ev-late"), "赵红梅")
        .await;
    let (status, p) = app
        .post_json(
            &format!("/api/v1/events/{id}/registrations"),
            Some(&latecomer),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("cancelled"))
    );
    let (status, p) = app
        .post_json(
            &format!("/api/v1/events/{id}/checkins"),
            Some(w.b()),
            json!({"code": "123456"}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("cancelled"))
    );
    let (_, shown) = app.get_json(&format!("/api/v1/events/{id}"), None).await;
    assert_eq!(shown["cancelled"], true, "{shown}");
    assert_eq!(shown["cancel_reason"], "厂房检修，改期另行通知");
    // The page says so and offers no registration.
    let page = app
        .browser_of(w.b())
        .get(app.url(&format!("/events/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("活动已取消") && page.contains("厂房检修"),
        "{page}"
    );
    assert!(!page.contains("我要报名"), "{page}");
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_host_moves_an_event_and_every_registrant_is_told_of_the_new_time() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let app = &w.app;
    let e = app
        .expect_post(
            "/api/v1/events",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "kind": "lecture", "title": "素质提升大讲堂",
                   "location": "职工服务中心", "starts_at": "2099-06-01T09:00", "ends_at": "2099-06-01T11:00",
                   "capacity": 3}),
            StatusCode::CREATED,
            "scheduling",
        )
        .await;
    let id = e["id"].as_i64().unwrap();
    for token in [w.b(), w.c()] {
        let (status, _) = app
            .post_json(
                &format!("/api/v1/events/{id}/registrations"),
                Some(token),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let path = format!("/api/v1/events/{id}");
    // Fewer places than taken, an end before the start, someone else: refused, nothing changes.
    let (status, p) = app
        .patch_json(&path, Some(w.poster()), json!({"capacity": 1}))
        .await;
    assert_invalid(status, &p, "capacity");
    let (status, p) = app
        .patch_json(
            &path,
            Some(w.poster()),
            json!({"ends_at": "2099-06-01T08:00"}),
        )
        .await;
    assert_invalid(status, &p, "ends_at");
    let (status, _) = app
        .patch_json(&path, Some(w.b()), json!({"location": "别处"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, unchanged) = app.get_json(&path, None).await;
    assert_eq!(unchanged["capacity"], 3);
    assert_eq!(unchanged["location"], "职工服务中心");

    // A new time and place: the answer shows it, every registrant is told.
    let (status, moved) = app
        .patch_json(
            &path,
            Some(w.poster()),
            json!({"location": "二号厂房会议室", "starts_at": "2099-06-02T14:00", "ends_at": "2099-06-02T16:00", "capacity": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["location"], "二号厂房会议室");
    assert_eq!(moved["capacity"], 5);
    assert_eq!(moved["starts_at"], "2099-06-02T06:00:00Z");
    for token in [w.b(), w.c()] {
        let (_, notes) = app.get_json("/api/v1/notifications", Some(token)).await;
        assert!(
            notes
                .to_string()
                .contains("2099-06-02 14:00 在 二号厂房会议室"),
            "{notes}"
        );
    }
    // The host's form on the page, without script; it shows China time in its fields.
    let page = app
        .browser_of(w.poster())
        .get(app.url(&format!("/events/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"2099-06-02T14:00\""), "{page}");
    let res = app
        .browser_of(w.poster())
        .post(app.url(&format!("/events/{id}/change")))
        .header("origin", app.base())
        .form(&[
            ("location", "三号厂房培训室"),
            ("starts_at", "2099-06-03T09:00"),
            ("ends_at", "2099-06-03T11:00"),
            ("capacity", "6"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("三号厂房培训室"));

    // A cancelled event no longer changes.
    app.post_json(
        &format!("/api/v1/events/{id}/cancel"),
        Some(w.poster()),
        json!({"reason": "改为线上"}),
    )
    .await;
    let (status, p) = app
        .patch_json(&path, Some(w.poster()), json!({"capacity": 6}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("cancelled"))
    );
    w.app.cleanup().await;
}
