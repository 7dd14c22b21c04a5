//! A chat room to test in: a studio's room with its leader and a member, and an outsider.

use lianmeng_server::config::Config;

use crate::ws::WsClient;
use crate::{StatusCode, TestApp, Value, json, unique};

/// A studio with its leader and one member, and an outsider.
pub struct Room {
    pub app: TestApp,
    pub name: String,
    pub leader: String,
    pub member_id: i64,
    pub member: String,
    pub member_username: String,
    pub outsider: String,
}

pub async fn room_with(app: TestApp) -> Room {
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login_as(&unique("lead"), "王建国").await;
    let studio = app
        .online_studio(&leader, org, "王建国劳模创新工作室", json!({}))
        .await;
    let member_username = unique("member");
    let (member_id, member) = app.register_and_login_as(&member_username, "李明").await;
    app.join_studio(studio, &leader, (member_id, &member), "member")
        .await;
    let (_, outsider) = app.register_and_login_as(&unique("out"), "赵路人").await;
    Room {
        app,
        name: format!("studio:{studio}"),
        leader,
        member_id,
        member,
        member_username,
        outsider,
    }
}

pub async fn room() -> Room {
    room_with(TestApp::spawn().await).await
}

/// A room whose users may send as fast as the test likes.
pub async fn busy_room() -> Room {
    busy_room_with(|_| {}).await
}

/// A busy room on a server whose other settings `adjust` may change.
pub async fn busy_room_with(adjust: impl FnOnce(&mut Config)) -> Room {
    let app = TestApp::spawn_with(|c| {
        c.chat.rate_per_sec = 100_000;
        adjust(c);
    })
    .await;
    room_with(app).await
}

impl Room {
    pub async fn ws(&self, token: &str) -> WsClient {
        WsClient::connect(self.app.base(), token).await
    }

    pub async fn post(&self, token: &str, body: &str, client_id: &str) -> (StatusCode, Value) {
        self.app
            .post_json(
                &format!("/api/v1/rooms/{}/messages", self.name),
                Some(token),
                json!({"body": body, "client_id": client_id}),
            )
            .await
    }

    /// A setup step: `token` posts a message over HTTP, which must be accepted; the message.
    pub async fn say(&self, token: &str, body: &str, client_id: &str) -> Value {
        self.app
            .expect_post(
                &format!("/api/v1/rooms/{}/messages", self.name),
                Some(token),
                json!({"body": body, "client_id": client_id}),
                StatusCode::CREATED,
                &format!("posting message {client_id}"),
            )
            .await
    }

    /// A setup step: a page of history (`query` as in [`Room::history`]) that must be served.
    pub async fn read_history(&self, token: &str, query: &str) -> Value {
        self.app
            .expect_get(
                &format!("/api/v1/rooms/{}/messages{query}", self.name),
                Some(token),
                StatusCode::OK,
                &format!("reading history{query}"),
            )
            .await
    }

    /// A browser (cookies, redirects) signed in as the member.
    pub async fn member_browser(&self) -> reqwest::Client {
        let browser = self.app.browser();
        let login = browser
            .post(self.app.url("/api/v1/auth/login"))
            .json(&json!({"username": self.member_username, "password": crate::PASSWORD}))
            .send()
            .await
            .expect("login is answered");
        assert_eq!(login.status(), StatusCode::OK);
        browser
    }

    pub async fn history(&self, token: &str, query: &str) -> (StatusCode, Value) {
        self.app
            .get_json(
                &format!("/api/v1/rooms/{}/messages{query}", self.name),
                Some(token),
            )
            .await
    }
}
