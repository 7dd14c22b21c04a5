//! An event's waiting list (候补): past the capacity a registration waits in line (201
//! `waitlisted` with its place), moves up in order when a place frees (a cancellation or more
//! places), and holds under concurrent registrations and cancellations: the capacity is never
//! passed and nobody is skipped.

use lianmeng_tests::{StatusCode, TestApp, Value, id, json, unique};
use reqwest::Method;

fn at(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// A host, an event for `capacity` with a waiting list, and its registrations path.
async fn event(app: &TestApp, capacity: i64, waitlist: bool) -> (String, i64) {
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("wl-host"), "王建国")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let e = app
        .expect_post("/api/v1/events", Some(&host), json!({
            "studio_id": studio, "kind": "training", "title": "主轴精车绝技现场传授（小班）",
            "location": "秦川精密机床装备有限公司数控车间", "starts_at": at(600), "ends_at": at(780),
            "capacity": capacity, "waitlist": waitlist}),
            StatusCode::CREATED, "the host posts an event")
        .await;
    (host, id(&e))
}

async fn people(app: &TestApp, n: usize) -> Vec<String> {
    let mut tokens = Vec::new();
    for i in 0..n {
        let name = format!("职工{i}");
        tokens.push(app.register_and_login_as(&unique("wl"), &name).await.1);
    }
    tokens
}

async fn mine(app: &TestApp, e: i64, token: &str) -> Value {
    app.expect_get(
        &format!("/api/v1/events/{e}"),
        Some(token),
        StatusCode::OK,
        "reading the event",
    )
    .await
}

#[tokio::test]
async fn a_waiting_list_moves_up_in_order_when_a_place_frees() {
    let app = TestApp::spawn().await;
    let (host, e) = event(&app, 2, true).await;
    let path = format!("/api/v1/events/{e}/registrations");
    let p = people(&app, 5).await;
    let mut answers = Vec::new();
    for t in &p {
        answers.push(
            app.expect(
                Method::POST,
                &path,
                Some(t),
                None,
                StatusCode::CREATED,
                "registering",
            )
            .await,
        );
    }
    let statuses: Vec<&str> = answers
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "registered",
            "registered",
            "waitlisted",
            "waitlisted",
            "waitlisted"
        ]
    );
    let positions: Vec<&Value> = answers.iter().map(|a| &a["position"]).collect();
    assert_eq!(
        positions,
        [&Value::Null, &Value::Null, &json!(1), &json!(2), &json!(3)]
    );
    let (status, body) = app.post_empty(&path, Some(&p[3])).await;
    assert_eq!(status, StatusCode::CONFLICT, "waiting already: {body}");
    let detail = mine(&app, e, &p[3]).await;
    assert_eq!(
        (&detail["registered"], &detail["waitlisted"]),
        (&json!(2), &json!(3))
    );
    assert_eq!(
        (&detail["my_status"], &detail["my_position"]),
        (&json!("waitlisted"), &json!(2))
    );

    // A registrant cancels: the first in line takes the place and is told.
    app.expect(
        Method::DELETE,
        &path,
        Some(&p[0]),
        None,
        StatusCode::NO_CONTENT,
        "the first registrant cancels",
    )
    .await;
    assert_eq!(mine(&app, e, &p[2]).await["my_status"], "registered");
    let told = app
        .expect_get(
            "/api/v1/notifications",
            Some(&p[2]),
            StatusCode::OK,
            "the moved-up person's notifications",
        )
        .await;
    assert!(told.to_string().contains("候补成功"), "{told}");
    assert_eq!(mine(&app, e, &p[3]).await["my_position"], 1);

    // Leaving the line frees no place; the line closes up.
    app.expect(
        Method::DELETE,
        &path,
        Some(&p[3]),
        None,
        StatusCode::NO_CONTENT,
        "leaving the line",
    )
    .await;
    let detail = mine(&app, e, &p[4]).await;
    assert_eq!(
        (&detail["registered"], &detail["my_position"]),
        (&json!(2), &json!(1))
    );

    // More places: the line moves up into them.
    app.expect(
        Method::PATCH,
        &format!("/api/v1/events/{e}"),
        Some(&host),
        Some(&json!({"capacity": 4})),
        StatusCode::OK,
        "the host adds places",
    )
    .await;
    let detail = mine(&app, e, &p[4]).await;
    assert_eq!(
        (
            &detail["registered"],
            &detail["waitlisted"],
            &detail["my_status"]
        ),
        (&json!(3), &json!(0), &json!("registered"))
    );

    // Without a waiting list a full event still answers 409 full.
    let (_, closed) = event(&app, 1, false).await;
    let closed_path = format!("/api/v1/events/{closed}/registrations");
    app.expect(
        Method::POST,
        &closed_path,
        Some(&p[0]),
        None,
        StatusCode::CREATED,
        "the one place",
    )
    .await;
    let (status, body) = app.post_empty(&closed_path, Some(&p[1])).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("full"))
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_line_holds_under_concurrent_registrations_and_cancellations() {
    let app = TestApp::spawn().await;
    let (_, e) = event(&app, 5, true).await;
    let path = format!("/api/v1/events/{e}/registrations");
    let p = people(&app, 15).await;
    let first: Vec<(StatusCode, Value)> =
        futures_util::future::join_all(p[..12].iter().map(|t| app.post_empty(&path, Some(t))))
            .await;
    assert!(
        first.iter().all(|(s, _)| *s == StatusCode::CREATED),
        "{first:?}"
    );
    let registered: Vec<usize> = (0..12)
        .filter(|i| first[*i].1["status"] == "registered")
        .collect();
    let mut line: Vec<(i64, usize)> = Vec::new();
    for i in (0..12).filter(|i| first[*i].1["status"] == "waitlisted") {
        line.push((mine_position(&app, e, &p[i]).await, i));
    }
    line.sort();
    assert_eq!(registered.len(), 5, "{first:?}");
    assert_eq!(
        line.iter().map(|(pos, _)| *pos).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<i64>>(),
        "seven in line, numbered 1 to 7 without gaps"
    );

    // Four registrants cancel while three newcomers register, all at once.
    let cancels = registered[..4]
        .iter()
        .map(|i| app.send(Method::DELETE, &path, Some(&p[*i]), None));
    let joins = p[12..].iter().map(|t| app.post_empty(&path, Some(t)));
    let (cancelled, joined) = tokio::join!(
        futures_util::future::join_all(cancels),
        futures_util::future::join_all(joins)
    );
    assert!(
        cancelled.iter().all(|(s, _)| *s == StatusCode::NO_CONTENT),
        "{cancelled:?}"
    );
    assert!(
        joined
            .iter()
            .all(|(s, b)| *s == StatusCode::CREATED && b["status"] == "waitlisted"),
        "newcomers join the end of the line: {joined:?}"
    );

    let detail = mine(&app, e, &p[0]).await;
    assert_eq!(
        (&detail["registered"], &detail["waitlisted"]),
        (&json!(5), &json!(6)),
        "{detail}"
    );
    // The first four in line took the places; the rest moved up, in the same order.
    for (k, (_, i)) in line.iter().enumerate() {
        let d = mine(&app, e, &p[*i]).await;
        if k < 4 {
            assert_eq!(
                d["my_status"],
                "registered",
                "number {} in line moved up",
                k + 1
            );
        } else {
            assert_eq!(
                d["my_position"],
                json!(k as i64 - 3),
                "number {} in line",
                k + 1
            );
        }
    }
    app.cleanup().await;
}

async fn mine_position(app: &TestApp, e: i64, token: &str) -> i64 {
    mine(app, e, token).await["my_position"]
        .as_i64()
        .expect("waiting")
}

#[tokio::test]
async fn the_event_page_offers_the_line_when_full_and_says_what_happened() {
    let app = TestApp::spawn().await;
    let (_, e) = event(&app, 1, true).await;
    let p = people(&app, 2).await;
    let page = |t: &str| {
        let client = app.browser_of(t);
        let url = app.url(&format!("/events/{e}/register"));
        async move { client.post(url).send().await.unwrap() }
    };
    let res = page(&p[0]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("报名成功"));
    let before = app
        .browser_of(&p[1])
        .get(app.url(&format!("/events/{e}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        before.contains("排队候补") && !before.contains("我要报名"),
        "a full event offers the line"
    );
    let res = page(&p[1]).await;
    let after = res.text().await.unwrap();
    assert!(
        after.contains("已进入候补名单") && after.contains("排第 1"),
        "{after}"
    );
    app.cleanup().await;
}
