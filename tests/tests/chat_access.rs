//! An open socket follows what its user may do now: it checks its session and roles again
//! (here every second), leaves the rooms its user lost, and closes when the session ends.

use std::time::Duration;

use lianmeng_tests::ws::{Ended, WsClient};
use lianmeng_tests::{StatusCode, TestApp, id, json, unique};

async fn rechecking_app() -> TestApp {
    TestApp::spawn_with(|c| {
        c.chat.ping_every = Duration::from_secs(1);
        c.chat.recheck_every = Duration::from_secs(1);
    })
    .await
}

#[tokio::test]
async fn signing_out_closes_the_open_socket_with_1008() {
    let app = rechecking_app().await;
    let (_, token) = app.register_and_login_as(&unique("bye"), "孙师傅").await;
    let mut ws = WsClient::connect(app.base(), &token).await;
    ws.sync().await;
    let (status, _) = app.post_empty("/api/v1/auth/logout", Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, ended) = ws.until_end().await;
    assert_eq!(ended, Ended::Code(1008));
    app.cleanup().await;
}

#[tokio::test]
async fn a_studio_leaving_the_alliance_takes_its_people_out_of_the_alliance_room() {
    let app = rechecking_app().await;
    let org = app.enterprise_org().await;
    let (_, lead) = app.register_and_login_as(&unique("lead"), "王建国").await;
    let lead_studio = app
        .online_studio(&lead, org, &unique("王建国劳模创新工作室"), json!({}))
        .await;
    let (_, second) = app.register_and_login_as(&unique("second"), "李明").await;
    let second_studio = app
        .online_studio(&second, org, &unique("李明焊接技能大师工作室"), json!({}))
        .await;
    let (status, a) = app
        .post_json(
            "/api/v1/alliances",
            Some(&lead),
            json!({"name": unique("西安高端装备工匠联盟"), "lead_studio_id": lead_studio,
                   "description": "围绕焊接与数控难题联合攻关", "scope": "cross_enterprise"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let a = id(&a);
    let (status, r) = app
        .post_json(
            &format!("/api/v1/alliances/{a}/join-requests"),
            Some(&second),
            json!({"studio_id": second_studio, "message": "希望共同攻关焊缝探伤"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let approve = format!("/api/v1/alliances/{a}/join-requests/{}/approve", id(&r));
    assert_eq!(
        app.post_empty(&approve, Some(&lead)).await.0,
        StatusCode::OK
    );

    // A fresh sign-in carries the alliance; the socket subscribes while it may.
    let room = format!("alliance:{a}");
    let mut ws = WsClient::connect(app.base(), &second).await;
    ws.subscribe(&room, None).await;
    let seen = ws.sync().await;
    assert!(
        !seen.iter().any(|f| f["type"] == "error"),
        "subscribed: {seen:?}"
    );

    let (status, left) = app
        .post_json(
            &format!("/api/v1/alliances/{a}/leave"),
            Some(&second),
            json!({"studio_id": second_studio}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{left}");
    let refused = ws.next_of("error").await;
    assert_eq!(refused["room"], room.as_str());
    assert_eq!(refused["code"], "forbidden");

    // Out of the room: subscribing again is refused, and the socket stays open for the rest.
    ws.subscribe(&room, None).await;
    let again = ws.next_of("error").await;
    assert_eq!(
        (again["room"].as_str(), again["code"].as_str()),
        (Some(room.as_str()), Some("forbidden"))
    );
    ws.sync().await;
    ws.close().await;
    app.cleanup().await;
}
