//! The OpenAPI document tells the truth: real answers of the operations, the happy ones and the
//! refusals (400, 401, 404, 409, 415, 422), are declared for their operation and match the
//! declared schema.

use lianmeng_tests::openapi::Document;
use lianmeng_tests::{StatusCode, Value, World, json};
use reqwest::Method;

struct Call {
    method: Method,
    template: &'static str,
    path: String,
    token: Option<String>,
    body: Option<Value>,
}

fn call(
    method: Method,
    template: &'static str,
    path: impl Into<String>,
    token: Option<&str>,
) -> Call {
    Call {
        method,
        template,
        path: path.into(),
        token: token.map(str::to_owned),
        body: None,
    }
}

impl Call {
    fn with(mut self, body: Value) -> Call {
        self.body = Some(body);
        self
    }
}

#[tokio::test]
async fn real_answers_match_the_published_document() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_union_people()
        .await;
    let app = &w.app;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc = Document::new(doc);

    // Something of everything: a challenge through award and delivery, an outcome, an event,
    // a course, an alliance, an invitation, a report.
    let ch = w.open_challenge(json!({})).await;
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.claim(ch, w.c(), w.c_studio()).await;
    w.award(ch, claim).await;
    w.deliver(ch, w.b(), "探伤工艺已验证，漏检率降到 0.5%")
        .await;
    let (_, outcome) = w
        .post(
            "/api/v1/outcomes",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "title": "主轴温升控制操作法", "summary": "温升降低三成",
                   "body": "分段冷却", "kind": "method"}),
        )
        .await;
    let (_, event) = w
        .post(
            "/api/v1/events",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "kind": "site_visit", "title": "现场观摩会",
                   "location": "一号厂房", "starts_at": "2099-05-01T09:00", "ends_at": "2099-05-01T11:00",
                   "capacity": 20}),
        )
        .await;
    let (_, course) = w
        .post(
            "/api/v1/courses",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "title": "电力电缆附件安装",
                   "lessons": [{"title": "第一讲 安全规程", "body_or_url": "停电、验电", "minutes": 30}]}),
        )
        .await;
    let (_, alliance) = w
        .post(
            "/api/v1/alliances",
            w.poster(),
            json!({"name": "高端装备焊接创新联盟", "lead_studio_id": w.poster_studio(),
                   "description": "焊接与数控难题联合攻关", "scope": "cross_enterprise"}),
        )
        .await;
    let (o, e, c, a) = (&outcome["id"], &event["id"], &course["id"], &alliance["id"]);
    let (poster, b) = (Some(w.poster()), Some(w.b()));
    let s = w.poster_studio();
    let org = w.tree.city;
    let studio_org = w.org;

    let calls = vec![
        call(Method::GET, "/api/v1/studios", "/api/v1/studios", None),
        call(
            Method::GET,
            "/api/v1/studios/{id}",
            format!("/api/v1/studios/{s}"),
            None,
        ),
        call(
            Method::GET,
            "/api/v1/studios/{id}/members",
            format!("/api/v1/studios/{s}/members"),
            None,
        ),
        call(
            Method::GET,
            "/api/v1/studios/{id}/metrics",
            format!("/api/v1/studios/{s}/metrics"),
            None,
        ),
        call(
            Method::GET,
            "/api/v1/studios/{id}",
            "/api/v1/studios/999999",
            None,
        ),
        call(
            Method::GET,
            "/api/v1/studios/{id}",
            "/api/v1/studios/不是数字",
            None,
        ),
        call(
            Method::GET,
            "/api/v1/challenges",
            "/api/v1/challenges",
            None,
        ),
        call(
            Method::GET,
            "/api/v1/challenges/{id}",
            format!("/api/v1/challenges/{ch}"),
            poster,
        ),
        call(Method::GET, "/api/v1/outcomes", "/api/v1/outcomes", None),
        call(
            Method::GET,
            "/api/v1/outcomes/{id}",
            format!("/api/v1/outcomes/{o}"),
            None,
        ),
        call(Method::GET, "/api/v1/events", "/api/v1/events", None),
        call(
            Method::GET,
            "/api/v1/events/{id}",
            format!("/api/v1/events/{e}"),
            b,
        ),
        call(
            Method::POST,
            "/api/v1/events/{id}/registrations",
            format!("/api/v1/events/{e}/registrations"),
            b,
        ),
        call(
            Method::POST,
            "/api/v1/events/{id}/registrations",
            format!("/api/v1/events/{e}/registrations"),
            b,
        ),
        call(Method::GET, "/api/v1/courses", "/api/v1/courses", None),
        call(
            Method::GET,
            "/api/v1/courses/{id}",
            format!("/api/v1/courses/{c}"),
            b,
        ),
        call(Method::GET, "/api/v1/alliances", "/api/v1/alliances", None),
        call(
            Method::GET,
            "/api/v1/alliances/{id}",
            format!("/api/v1/alliances/{a}"),
            None,
        ),
        call(
            Method::GET,
            "/api/v1/orgs/{id}",
            format!("/api/v1/orgs/{org}"),
            None,
        ),
        call(
            Method::GET,
            "/api/v1/orgs/{id}/supervision",
            format!("/api/v1/orgs/{org}/supervision"),
            poster,
        ),
        call(
            Method::GET,
            "/api/v1/search",
            "/api/v1/search?q=%E6%8E%A2%E4%BC%A4",
            None,
        ),
        call(
            Method::GET,
            "/api/v1/search",
            "/api/v1/search?q=%22%E6%8E%A2",
            None,
        ),
        call(
            Method::GET,
            "/api/v1/people",
            "/api/v1/people?q=%E7%8E%8B",
            poster,
        ),
        call(Method::GET, "/api/v1/me", "/api/v1/me", poster),
        call(Method::GET, "/api/v1/me", "/api/v1/me", None),
        call(Method::GET, "/api/v1/me", "/api/v1/me", Some("not-a-token")),
        call(
            Method::GET,
            "/api/v1/me/invitations",
            "/api/v1/me/invitations",
            b,
        ),
        call(
            Method::GET,
            "/api/v1/notifications",
            "/api/v1/notifications",
            b,
        ),
        call(
            Method::GET,
            "/api/v1/mentorships",
            "/api/v1/mentorships",
            poster,
        ),
        call(Method::GET, "/api/v1/reports", "/api/v1/reports", poster),
        call(
            Method::GET,
            "/api/v1/rooms/{room}/messages",
            format!("/api/v1/rooms/studio:{s}/messages"),
            poster,
        ),
        call(
            Method::POST,
            "/api/v1/rooms/{room}/messages",
            format!("/api/v1/rooms/studio:{s}/messages"),
            poster,
        )
        .with(json!({"body": "明早检查主轴", "client_id": "doc-1"})),
        call(
            Method::POST,
            "/api/v1/challenges",
            "/api/v1/challenges",
            poster,
        )
        .with(json!({"studio_id": s, "title": ""})),
        call(
            Method::POST,
            "/api/v1/challenges/{id}/claims",
            format!("/api/v1/challenges/{ch}/claims"),
            b,
        )
        .with(json!({"studio_id": w.b_studio(), "proposal": "再来一次"})),
        call(Method::POST, "/api/v1/studios", "/api/v1/studios", b).with(
            json!({"name": "孙师傅模具创新工作室", "org_id": studio_org, "kind": "tech_tackling"}),
        ),
        call(
            Method::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login",
            None,
        )
        .with(json!({"username": "nobody", "password": "wrong-password"})),
    ];
    let mut problems = Vec::new();
    for c in &calls {
        let mut req = app.client.request(c.method.clone(), app.url(&c.path));
        if let Some(t) = &c.token {
            req = req.bearer_auth(t);
        }
        if let Some(body) = &c.body {
            req = req.json(body);
        } else if c.method == Method::POST {
            req = req.json(&json!({}));
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_ne!(status, 500, "{} {}: {body}", c.method, c.path);
        problems.extend(doc.check(c.method.as_str(), c.template, status, &body));
    }

    // A body that is not JSON, and one that is JSON of the wrong type.
    for (content_type, body, expect) in [
        ("application/json", "{", StatusCode::BAD_REQUEST),
        ("text/plain", "标题", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/challenges"))
            .bearer_auth(w.poster())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), expect);
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        problems.extend(doc.check("post", "/api/v1/challenges", status, &body));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    app_cleanup(w).await;
}

async fn app_cleanup(w: World) {
    w.app.cleanup().await;
}
