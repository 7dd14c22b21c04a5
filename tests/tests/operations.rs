//! Operations and the web edge: health, metrics, request ids, security headers, the OpenAPI
//! document, the same-origin check for cookie sessions, and the pages in both languages.

use lianmeng_tests::{PASSWORD, StatusCode, TestApp, Value, json};

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/readyz"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    app.expect_get(
        "/api/v1/studios/42",
        None,
        StatusCode::NOT_FOUND,
        "asking for a studio that does not exist",
    )
    .await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("lianmeng_http_requests_total"), "{text}");
    assert!(
        text.contains(r#"route="/api/v1/studios/{id}",status="404""#),
        "requests are counted by route template, not raw path: {text}"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    for path in [
        "/healthz",
        "/",
        "/api/v1/studios",
        "/api/v1/studios/999",
        "/no/such/page",
        "/api/v1/openapi.json",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let rid = res
            .headers()
            .get("x-request-id")
            .unwrap_or_else(|| panic!("no x-request-id on {path}"));
        assert!(!rid.is_empty(), "{path}");
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().contains_key("x-request-id"),
        "errors carry one too"
    );
    let res = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-hj-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["x-request-id"],
        "trace-hj-1",
        "a caller's request id is kept"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn pages_carry_a_strict_content_security_policy() {
    let app = TestApp::spawn().await;
    for path in ["/", "/studios", "/login", "/api/v1/studios"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let script = csp
            .split(';')
            .map(str::trim)
            .find(|d| d.starts_with("script-src"))
            .unwrap_or_else(|| panic!("no script-src in {csp}"));
        assert_eq!(script, "script-src 'self'", "{path}: {csp}");
        assert!(!script.contains("unsafe-inline") && !script.contains("unsafe-eval"));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_openapi_document_lists_the_api_and_the_docs_are_served() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.expect("valid JSON");
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/studios/{id}/onboard",
        "/api/v1/studios",
        "/api/v1/auth/login",
        "/api/v1/orgs/{id}/onboarding",
        "/api/v1/rooms/{room}/messages",
        "/api/v1/ws",
    ] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
    // Each answer type has a schema of its own: a challenge's timeline is not an offline event.
    let schemas = &doc["components"]["schemas"];
    let timeline = &schemas["ChallengeDetail"]["allOf"][1]["properties"]["timeline"]["items"];
    assert_eq!(timeline["$ref"], "#/components/schemas/TimelineEntry");
    assert!(schemas["TimelineEntry"]["properties"]["percent"].is_object());
    assert!(schemas["Event"]["properties"]["starts_at"].is_object());
    for hidden in [
        "org_path",
        "last_activity_ms",
        "starts_ms",
        "is_admin",
        "path",
    ] {
        let leaked: Vec<&String> = schemas
            .as_object()
            .expect("schemas")
            .iter()
            .filter(|(_, s)| s["properties"][hidden].is_object())
            .map(|(name, _)| name)
            .collect();
        assert!(leaked.is_empty(), "{hidden} is on the wire in {leaked:?}");
    }
    let res = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ctype.starts_with("text/html"), "{ctype}");
    let html = res.text().await.unwrap();
    assert!(html.to_lowercase().contains("<html"), "{html:.200}");
    app.cleanup().await;
}

#[tokio::test]
async fn a_cookie_post_from_a_foreign_origin_is_refused() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, token) = app.register_and_login("csrfvictim").await;
    let body = json!({"name": "被伪造的工作室", "org_id": org, "kind": "other"});
    let res = app
        .client
        .post(app.url("/api/v1/studios"))
        .header("cookie", format!("lm_session={token}"))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        res.headers()["x-content-type-options"],
        "nosniff",
        "a refusal carries the security headers too"
    );
    assert!(res.headers().contains_key("content-security-policy"));
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "cross_origin");
    let mine = app
        .expect_get(
            "/api/v1/studios?online=false",
            Some(&token),
            StatusCode::OK,
            "listing my offline studios",
        )
        .await;
    assert_eq!(mine["items"], json!([]), "nothing was created");
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", format!("lm_session={token}"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a cross-site fetch without Origin is refused too"
    );
    let (status, _) = app.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "the session survived");

    let res = app
        .client
        .post(app.url("/api/v1/studios"))
        .bearer_auth(&token)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "a bearer token is no CSRF vector"
    );
    let res = app
        .client
        .post(app.url("/api/v1/studios"))
        .header("cookie", format!("lm_session={token}"))
        .header("origin", app.url(""))
        .json(&json!({"name": "同源创建的工作室", "org_id": org, "kind": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "our own origin passes");
    app.cleanup().await;
}

/// The `lang` attribute of a page's `<html>` element.
fn html_lang(html: &str) -> &str {
    let start = html
        .find("<html lang=\"")
        .unwrap_or_else(|| panic!("no <html lang> in {html:.300}"))
        + 12;
    let len = html[start..].find('"').unwrap();
    &html[start..start + len]
}

#[tokio::test]
async fn pages_are_chinese_first_and_switch_to_english() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("pagesleader").await;
    let studio = app
        .online_studio(&leader, org, "李明焊接技能大师工作室", json!({}))
        .await;
    let paths = [
        "/".to_owned(),
        "/studios".to_owned(),
        format!("/studios/{studio}"),
    ];
    let browser = app.browser();
    for path in &paths {
        let res = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = res.text().await.unwrap();
        assert_eq!(html_lang(&html), "zh-CN", "{path}");
        if path.starts_with("/studios") {
            assert!(
                html.contains("李明焊接技能大师工作室"),
                "{path} shows the studio"
            );
        }
    }
    let res = browser
        .get(app.url("/lang?to=en&next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.url().path(), "/", "the switch goes back to `next`");
    assert_eq!(html_lang(&res.text().await.unwrap()), "en");
    for path in &paths {
        let html = browser
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(html_lang(&html), "en", "{path}");
    }
    let res = browser
        .get(app.url("/lang?to=zh&next=//evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.url().host_str(),
        Some("127.0.0.1"),
        "never redirected off the site"
    );
    assert_eq!(html_lang(&res.text().await.unwrap()), "zh-CN");
    let res = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        html_lang(&res.text().await.unwrap()),
        "zh-CN",
        "the 404 page is a page too"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn an_authorization_header_that_is_not_a_bearer_token_does_not_lift_the_origin_check() {
    let app = TestApp::spawn().await;
    let (_, token) = app.register_and_login("basicvictim").await;
    for auth in ["Basic dXNlcjpwYXNz", "Token abc", "bearer"] {
        let res = app
            .client
            .post(app.url("/api/v1/auth/logout"))
            .header("cookie", format!("lm_session={token}"))
            .header("authorization", auth)
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{auth} with the cookie"
        );
    }
    let (status, _) = app.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "the session survived");
    app.cleanup().await;
}

#[tokio::test]
async fn a_foreign_page_cannot_sign_a_browser_in_or_up() {
    let app = TestApp::spawn().await;
    app.registered("logincsrf", PASSWORD, "攻击者").await;
    let res = app
        .client
        .post(app.url("/login"))
        .header("origin", "https://evil.example")
        .form(&[("username", "logincsrf"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.headers().get("set-cookie").is_none(),
        "no session was handed out"
    );
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"username": "logincsrf", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .client
        .post(app.url("/register"))
        .header("origin", "https://evil.example")
        .form(&[
            ("username", "planted"),
            ("password", PASSWORD),
            ("display_name", "冒名"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.login("planted", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "nobody was registered");
    // Our own page and a client without a browser's headers still sign in.
    let (status, _) = app.login("logincsrf", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let host = app.base().trim_end_matches('/').to_owned();
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("origin", host)
        .json(&json!({"username": "logincsrf", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    app.cleanup().await;
}
