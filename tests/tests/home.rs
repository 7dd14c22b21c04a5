//! The home page is alive for everyone: the newest open challenges, new outcomes, coming
//! events and alliances beside the network's figures; a reader with a studio is not asked to
//! register one.

use lianmeng_tests::{StatusCode, World, json};

#[tokio::test]
async fn the_home_page_shows_the_network_at_work() {
    let w = World::start().await.with_poster_studio().await;
    w.open_challenge(json!({"title": "大型铸件焊缝超声波探伤漏检率高"}))
        .await;
    w.app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "title": "主轴温升控制操作法",
                   "summary": "温升降低 30%", "kind": "operating_method"}),
            StatusCode::CREATED,
            "an outcome",
        )
        .await;
    let anonymous = w
        .app
        .browser()
        .get(w.app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        anonymous.contains("大型铸件焊缝超声波探伤漏检率高"),
        "the newest open challenge"
    );
    assert!(
        anonymous.contains("主轴温升控制操作法"),
        "the newest outcome"
    );
    assert!(
        anonymous.contains("href=\"/studios/new\""),
        "a newcomer is invited to register"
    );
    let leader = w
        .app
        .browser_of(w.poster())
        .get(w.app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !leader.contains("href=\"/studios/new\""),
        "a leader is not asked again"
    );
    w.app.cleanup().await;
}
