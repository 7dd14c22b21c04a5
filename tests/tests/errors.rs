//! Errors are problem documents with stable codes.

use lianmeng_tests::{StatusCode, TestApp, Value, json};
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

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = TestApp::spawn().await;
    let (status, ctype, problem) = raw(
        &app,
        Method::POST,
        "/api/v1/auth/register",
        None,
        r#"{"username": "li"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    assert_eq!(problem["code"], "malformed_json");
    assert_eq!(problem["status"], 400);
    assert!(
        problem["type"].is_string() && problem["title"].is_string(),
        "{problem}"
    );
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body(r#"{"username":"a","password":"b"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "JSON calls need a JSON content type"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_wrong_type_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let body = r#"{"username": 42, "password": "longenough1", "display_name": "李明"}"#;
    let (status, ctype, problem) =
        raw(&app, Method::POST, "/api/v1/auth/register", None, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(ctype.starts_with("application/problem+json"));
    assert_eq!(problem["errors"][0]["field"], "username");
    let (status, _, problem) = raw(
        &app,
        Method::POST,
        "/api/v1/auth/register",
        None,
        r#"{"username": "liming"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem["errors"][0]["field"], "password",
        "a missing field is named too"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn unknown_ids_and_paths_are_404_problems() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/studios/999999",
        "/api/v1/studios/abc",
        "/api/v1/studios/-1",
        "/api/v1/orgs/abc",
        "/api/v1/nothing-here",
        "/api/v2/studios",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(
            ctype.starts_with("application/problem+json"),
            "{path}: {ctype}"
        );
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["code"], "not_found", "{path}");
    }
    let (status, problem) = app
        .send(Method::DELETE, "/api/v1/studios", None, None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{problem}");
    app.cleanup().await;
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = TestApp::spawn().await;
    let body =
        json!({"username": "big", "password": "x".repeat(2 * 1024 * 1024), "display_name": "大"})
            .to_string();
    let (status, _, problem) = raw(&app, Method::POST, "/api/v1/auth/register", None, &body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{problem}");
    assert_eq!(problem["code"], "payload_too_large");
    let (status, _) = app.register("small", "longenough1", "小").await;
    assert_eq!(status, StatusCode::CREATED, "the server carries on");
    app.cleanup().await;
}

#[tokio::test]
async fn a_malformed_page_path_is_an_html_404_in_the_readers_language() {
    let app = TestApp::spawn().await;
    for (path, cookie, words) in [
        ("/studios/abc", "", "出错了"),
        ("/challenges/12x", "lang=en", "Something went wrong"),
        ("/mentorships/%E7%8E%8B", "lang=zh", "出错了"),
    ] {
        let res = app
            .client
            .get(app.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("an answer");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
        let body = res.text().await.unwrap();
        assert!(body.contains(words), "{path}: {body}");
    }
    // The API keeps answering problem documents for the same mistake.
    let (status, ctype, problem) = raw(&app, Method::GET, "/api/v1/studios/abc", None, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(ctype.starts_with("application/problem+json"), "{ctype}");
    assert_eq!(problem["code"], "not_found");
    app.cleanup().await;
}

#[tokio::test]
async fn an_unknown_step_on_a_challenge_page_is_an_html_404() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/challenges/1/frobnicate"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("reason=x")
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ctype.starts_with("text/html"), "{ctype}");
    app.cleanup().await;
}
