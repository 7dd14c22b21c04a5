//! No input makes a 500: odd bodies to every write endpoint, odd paths and queries, and text
//! that PostgreSQL cannot store.

use lianmeng_tests::{StatusCode, TestApp, Value, full_profile, json};
use reqwest::Method;

/// Sends a raw body as JSON; the status, the content type and the body as JSON.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> (StatusCode, String, Value) {
    let mut req = app
        .client
        .request(method, app.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("an answer");
    let status = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = res.text().await.unwrap_or_default();
    (
        status,
        ctype,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

/// Odd values for any field.
fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(""),
        json!("   "),
        json!("🔧🔥👷‍♀️焊接"),
        json!("字".repeat(10_000)),
        json!("a\u{0}b"),
        json!("\u{202e}\u{200b}\u{feff}"),
        json!("'; DROP TABLE studios; --"),
        json!("<script>alert(1)</script>"),
        json!(0),
        json!(-1),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1.5e300),
        json!(true),
        json!([]),
        json!(["机械", 1]),
        json!({"nested": {"deeper": []}}),
    ]
}

const STRING_FIELDS: [&str; 26] = [
    "username",
    "password",
    "display_name",
    "name",
    "level",
    "kind",
    "field",
    "industry",
    "region",
    "founded_on",
    "goals",
    "intro",
    "outcomes_summary",
    "honours",
    "role",
    "deadline_demo",
    "deadline_all",
    "real_name",
    "gender",
    "birth_month",
    "education",
    "trade",
    "title",
    "phone",
    "email",
    "political_status",
];
const INT_FIELDS: [&str; 4] = ["parent_id", "org_id", "naming_org_id", "user_id"];

/// Bodies that fill every field with the same odd value, and bodies that are no object at all.
fn odd_bodies() -> Vec<String> {
    let mut out: Vec<String> = [
        "null",
        "[]",
        "[1,2,3]",
        "\"工作室\"",
        "42",
        "{}",
        "true",
        "1e400",
        "{\"org_id\": 1e400}",
        "{\"org_id\": 99999999999999999999999}",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    out.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)));
    for v in odd_values() {
        let mut all = serde_json::Map::new();
        let mut typed = serde_json::Map::new();
        for f in STRING_FIELDS.iter().chain(INT_FIELDS.iter()) {
            all.insert((*f).to_owned(), v.clone());
            let fitting = match (&v, INT_FIELDS.contains(f)) {
                (Value::Number(_), true) | (Value::String(_), false) => v.clone(),
                (_, true) => json!(1),
                (_, false) => json!("tech_tackling"),
            };
            typed.insert((*f).to_owned(), fitting);
        }
        out.push(Value::Object(all).to_string());
        out.push(Value::Object(typed).to_string());
    }
    out
}

/// Sends `body` to every endpoint and collects the answers that are server errors.
async fn server_errors(
    app: &TestApp,
    endpoints: &[(Method, String, Value)],
    tokens: &[Option<&str>],
    bodies: impl Fn(&Value) -> Vec<String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (method, path, base) in endpoints {
        for token in tokens {
            if path.ends_with("/logout") && token.is_some() {
                continue; // keep the sessions this test uses
            }
            for body in bodies(base) {
                let (status, _, problem) = raw(app, method.clone(), path, *token, &body).await;
                if status.is_server_error() {
                    failures.push(format!("{method} {path} {body:.160} → {status} {problem}"));
                }
            }
        }
    }
    failures
}

#[tokio::test]
async fn no_odd_input_makes_a_server_error() {
    let app = TestApp::spawn_with(|cfg| {
        cfg.login_limits.per_account = 1_000_000;
        cfg.login_limits.per_address = 1_000_000;
    })
    .await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (_, leader) = app.register_and_login("fuzzleader").await;
    app.register_and_login("someone").await;
    let studio = app
        .create_studio(&leader, tree.enterprise, "模糊测试工作室")
        .await;
    let endpoints = [
        (
            Method::POST,
            "/api/v1/auth/register".to_owned(),
            json!({"username": "fuzzuser", "password": "longenough1", "display_name": "李明"}),
        ),
        (
            Method::POST,
            "/api/v1/auth/login".to_owned(),
            json!({"username": "fuzzleader", "password": "wrong-password"}),
        ),
        (Method::PATCH, "/api/v1/me".to_owned(), json!({})),
        (
            Method::POST,
            "/api/v1/orgs".to_owned(),
            json!({"name": "某某市总工会", "level": "city", "parent_id": tree.province}),
        ),
        (
            Method::POST,
            format!("/api/v1/orgs/{}/staff", tree.city),
            json!({"username": "someone", "role": "staff"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/orgs/{}/deadlines", tree.city),
            json!({"deadline_demo": "2026-01-01", "deadline_all": "2026-12-31"}),
        ),
        (
            Method::POST,
            "/api/v1/studios".to_owned(),
            full_profile("模糊测试二号工作室", tree.enterprise),
        ),
        (
            Method::PATCH,
            format!("/api/v1/studios/{studio}"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/studios/{studio}/members"),
            json!({"username": "someone", "role": "member"}),
        ),
        (
            Method::POST,
            format!("/api/v1/studios/{studio}/onboard"),
            json!({}),
        ),
        (Method::POST, "/api/v1/auth/logout".to_owned(), json!({})),
    ];
    let whole = odd_bodies();
    let mut failures = server_errors(
        &app,
        &endpoints,
        &[Some(&admin), Some(&leader), None],
        |_| whole.clone(),
    )
    .await;
    // One odd field at a time in an otherwise sensible body, so that it reaches the handler.
    let sharp = [
        json!("a\u{0}b"),
        json!("li\u{0}@example.cn"),
        json!("字".repeat(10_000)),
        json!("🔧🔥"),
        json!(i64::MAX),
        json!(u64::MAX),
        Value::Null,
    ];
    let one_at_a_time = |base: &Value| {
        let mut out = Vec::new();
        for field in STRING_FIELDS.iter().chain(INT_FIELDS.iter()) {
            for v in &sharp {
                let mut body = base.clone();
                body[*field] = v.clone();
                out.push(body.to_string());
            }
        }
        out
    };
    failures.extend(server_errors(&app, &endpoints, &[Some(&admin)], one_at_a_time).await);
    assert!(
        failures.is_empty(),
        "server errors:\n{}",
        failures.join("\n")
    );
    app.cleanup().await;
}

#[tokio::test]
async fn no_odd_path_or_query_makes_a_server_error() {
    let app = TestApp::spawn().await;
    let (_, token) = app.register_and_login("fuzzreader").await;
    let long = "x".repeat(10_000);
    let paths = [
        "/api/v1/studios/9223372036854775807".to_owned(),
        "/api/v1/studios/99999999999999999999999".to_owned(),
        "/api/v1/studios/-9223372036854775808/members".to_owned(),
        "/api/v1/studios/%F0%9F%94%A7".to_owned(),
        "/api/v1/studios/0/onboard".to_owned(),
        "/api/v1/orgs/abc/onboarding".to_owned(),
        "/api/v1/orgs/-1/onboarding".to_owned(),
        "/api/v1/orgs/9223372036854775807".to_owned(),
        "/api/v1/studios?org_id=9223372036854775807".to_owned(),
        "/api/v1/studios?org_id=-1".to_owned(),
        "/api/v1/studios?org_id=abc".to_owned(),
        "/api/v1/studios?region=%00".to_owned(),
        "/api/v1/studios?status=%F0%9F%94%A7&kind=%27%3B--".to_owned(),
        format!("/api/v1/studios?industry={long}"),
        "/api/v1/studios?cursor=c7fffffffffffffff".to_owned(),
        "/api/v1/studios?cursor=%00&limit=99999999999999999999".to_owned(),
        "/studios/abc".to_owned(),
        "/studios/99999999".to_owned(),
        "/studios?online=maybe&limit=1000".to_owned(),
        "/orgs/0".to_owned(),
        "/lang?to=xx&next=//evil.example".to_owned(),
        "/static/../../etc/passwd".to_owned(),
        "/static/%2e%2e/Cargo.toml".to_owned(),
        format!("/{long}"),
    ];
    for path in &paths {
        for t in [None, Some(token.as_str())] {
            let (status, body) = app.get_json(path, t).await;
            assert!(
                !status.is_server_error(),
                "GET {:.100} → {status} {body}",
                path
            );
        }
    }
    let (status, _) = app.get_json("/static/../../etc/passwd", None).await;
    assert_ne!(status, StatusCode::OK);
    app.cleanup().await;
}

#[tokio::test]
async fn text_holding_nul_is_refused_and_never_reaches_the_database() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (_, leader) = app.register_and_login("nulleader").await;
    let studio = app
        .create_studio(&leader, tree.enterprise, "空字符测试工作室")
        .await;
    let body = json!({"username": "nulmail", "password": "longenough1", "display_name": "李明", "email": "li\u{0}@example.cn"});
    let (status, problem) = app.post_json("/api/v1/auth/register", None, body).await;
    lianmeng_tests::assert_invalid(status, &problem, "email");
    let (status, problem) = app
        .patch_json(
            "/api/v1/me",
            Some(&leader),
            json!({"email": "li\u{0}@example.cn"}),
        )
        .await;
    lianmeng_tests::assert_invalid(status, &problem, "email");
    let (status, _) = app.login("nul\u{0}leader", "longenough1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, problem) = app
        .post_json(
            &format!("/api/v1/orgs/{}/staff", tree.city),
            Some(&admin),
            json!({"username": "nul\u{0}leader"}),
        )
        .await;
    lianmeng_tests::assert_invalid(status, &problem, "user_id");
    let body = json!({"username": "nul\u{0}leader", "role": "member"});
    let (status, problem) = app
        .post_json(
            &format!("/api/v1/studios/{studio}/members"),
            Some(&leader),
            body,
        )
        .await;
    lianmeng_tests::assert_invalid(status, &problem, "user_id");
    app.cleanup().await;
}
