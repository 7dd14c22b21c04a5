//! Accounts: registering, signing in and out, sessions, and the failed-login limits.

use std::time::Duration;

use lianmeng_tests::{PASSWORD, StatusCode, TestApp, assert_invalid, id, json};

#[tokio::test]
async fn registering_answers_the_new_account() {
    let app = TestApp::spawn().await;
    let (status, user) = app.register("liming", PASSWORD, "李明").await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let keys: Vec<&str> = user
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        3,
        "exactly id, username and display_name: {user}"
    );
    assert!(user["id"].as_i64().is_some_and(|i| i > 0));
    assert_eq!(user["username"], "liming");
    assert_eq!(user["display_name"], "李明");
    app.cleanup().await;
}

#[tokio::test]
async fn a_taken_username_is_a_conflict() {
    let app = TestApp::spawn().await;
    let (status, _) = app.register("wangjianguo", PASSWORD, "王建国").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) = app.register("wangjianguo", PASSWORD, "王建国二").await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "username_taken");
    app.cleanup().await;
}

#[tokio::test]
async fn passwords_need_eight_characters_counted_as_characters() {
    let app = TestApp::spawn().await;
    let (status, problem) = app.register("zhanghua", "1234567", "张华").await;
    assert_invalid(status, &problem, "password");
    // Seven Chinese characters are 21 bytes but still too short.
    let (status, problem) = app.register("zhanghua", "焊工焊工焊工焊", "张华").await;
    assert_invalid(status, &problem, "password");
    let (status, user) = app.register("zhanghua", "焊工焊工焊工焊工", "张华").await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "eight Chinese characters are enough: {user}"
    );
    let (status, _) = app.login("zhanghua", "焊工焊工焊工焊工").await;
    assert_eq!(status, StatusCode::OK);
    app.cleanup().await;
}

#[tokio::test]
async fn logging_in_returns_a_token_and_sets_an_http_only_cookie() {
    let app = TestApp::spawn().await;
    let (status, user) = app.register("chenjing", PASSWORD, "陈静").await;
    assert_eq!(status, StatusCode::CREATED);
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "chenjing", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("lm_session="))
        .expect("a lm_session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let body: serde_json::Value = res.json().await.unwrap();
    let token = body["token"].as_str().expect("a token");
    assert!(token.len() >= 43, "a long random token: {token}");
    assert_eq!(body["user"]["id"], user["id"]);
    assert_eq!(body["user"]["username"], "chenjing");
    assert_eq!(body["user"]["display_name"], "陈静");
    assert!(
        cookie.starts_with(&format!("lm_session={token}")),
        "the cookie carries the same session"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_is_unauthorized() {
    let app = TestApp::spawn().await;
    app.registered("liuyang", PASSWORD, "刘洋").await;
    let (status, problem) = app.login("liuyang", "不是这个密码abc").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _) = app.login("nobody", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

#[tokio::test]
async fn me_answers_the_user_with_roles() {
    let app = TestApp::spawn().await;
    let (uid, token) = app.register_and_login_as("zhaolei", "赵磊").await;
    let (status, me) = app.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["id"], uid);
    assert_eq!(me["display_name"], "赵磊");
    assert_eq!(me["roles"], json!([]));

    let org = app.enterprise_org().await;
    let studio = app
        .create_studio(&token, org, "赵磊数控技能大师工作室")
        .await;
    let me = app
        .expect_get("/api/v1/me", Some(&token), StatusCode::OK, "reading /me")
        .await;
    assert_eq!(me["roles"], json!([format!("leader:{studio}")]));

    let admin = app.admin_token().await;
    let me = app
        .expect_get("/api/v1/me", Some(&admin), StatusCode::OK, "reading /me")
        .await;
    assert!(
        me["roles"].as_array().unwrap().contains(&json!("admin")),
        "{me}"
    );
    let (status, _) = app.get_json("/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let (_, token) = app.register_and_login("sunli").await;
    let (status, other) = app.login("sunli", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "a second sign-in: {other}");
    let other = other["token"].as_str().unwrap().to_owned();
    let (status, _) = app.post_empty("/api/v1/auth/logout", Some(&token)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, problem) = app.get_json("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _) = app.post_empty("/api/v1/auth/logout", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.get_json("/api/v1/me", Some(&other)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another session of the same user lives on"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn the_session_cookie_alone_authenticates() {
    let app = TestApp::spawn().await;
    let (uid, token) = app.register_and_login("zhoumin").await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", format!("lang=zh; lm_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: serde_json::Value = res.json().await.unwrap();
    assert_eq!(me["id"], uid);
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", "lm_session=0000")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

#[tokio::test]
async fn repeated_failures_lock_an_account_with_retry_after() {
    let app = TestApp::spawn_with(|cfg| cfg.login_limits.per_account = 3).await;
    app.registered("wuqiang", PASSWORD, "吴强").await;
    for _ in 0..3 {
        let (status, _) = app.login("wuqiang", "错误的密码wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "wuqiang", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1, "Retry-After is a positive number of seconds");
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");
    // Another account from the same address is not affected.
    let (_, token) = app.register_and_login("zhengyu").await;
    assert!(!token.is_empty());
    // The owner, from another address, still signs in (slowed, not refused) and is told.
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let res = elsewhere
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "wuqiang", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "guessing locks no one out");
    let session: serde_json::Value = res.json().await.unwrap();
    let token = session["token"].as_str().unwrap();
    let notes = app
        .expect_get(
            "/api/v1/notifications",
            Some(token),
            StatusCode::OK,
            "notes",
        )
        .await;
    assert!(
        notes.to_string().contains("login_failures"),
        "the owner is told: {notes}"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn many_failures_from_one_address_slow_it_down_but_lock_no_one_out() {
    // A factory behind one address: strangers' wrong guesses must not keep its people out.
    let app = TestApp::spawn_with(|cfg| {
        cfg.login_limits.per_account = 100;
        cfg.login_limits.per_address = 4;
    })
    .await;
    app.registered("fengxia", PASSWORD, "冯霞").await;
    for name in ["guess1", "guess2", "guess3", "guess4", "guess5"] {
        let (status, _) = app.login(name, "随便猜的密码123").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "slowed, still answered");
    }
    let (status, session) = app.login("fengxia", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    app.cleanup().await;
}

#[tokio::test]
async fn an_expired_session_is_unauthorized() {
    let app = TestApp::spawn_with(|cfg| cfg.session_ttl = Duration::from_millis(1)).await;
    let (status, user) = app.register("hanmei", PASSWORD, "韩梅").await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(id(&user) > 0);
    let (status, session) = app.login("hanmei", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    // A sleep, not a poll: the session must outlive its 1 ms lifetime before the one request
    // that checks it.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let token = session["token"].as_str().unwrap();
    let (status, _) = app.get_json("/api/v1/me", Some(token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}
