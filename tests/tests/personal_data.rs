//! A person's own data (个人信息保护法 arts. 45 and 47): they download a copy of what the
//! platform holds about them, and close their account; a closed account's name becomes
//! 已注销用户, its sessions end, its personal fields are erased, and what others rely on stays.

use lianmeng_tests::{PASSWORD, StatusCode, Value, World, json};

async fn download(w: &World, token: &str) -> Value {
    let res = w
        .app
        .client
        .get(w.app.url("/api/v1/me/data"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_person_downloads_their_own_data_and_only_theirs() {
    let w = World::start()
        .await
        .with_studio_c()
        .await
        .with_member_in_c()
        .await;
    let me = w.c_member();
    let (status, _) = w
        .app
        .patch_json(
            "/api/v1/me",
            Some(me),
            json!({"phone": "139 1234 5678", "email": "liuyuxuan@example.cn", "trade": "钳工"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let room = format!("/api/v1/rooms/studio:{}/messages", w.c_studio());
    let (status, m) = w
        .app
        .post_json(
            &room,
            Some(me),
            json!({"body": "明天早班检查三号机床主轴", "client_id": "pd-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");

    let data = download(&w, me).await;
    let s = &data["sections"];
    assert_eq!(s["account"][0]["phone"], "139 1234 5678");
    assert_eq!(s["account"][0]["display_name"], "刘宇轩");
    assert!(
        s["account"][0]["created_at"]
            .as_str()
            .unwrap()
            .contains('T'),
        "dates, not ms"
    );
    assert_eq!(s["studios"][0]["studio"], "张雅琴计量创新工作室");
    assert_eq!(s["chat_messages"][0]["body"], "明天早班检查三号机床主轴");
    assert!(s["activity"].is_array() && s["notifications"].is_array());

    // The leader's download holds the leader, not the member's phone or message.
    let theirs = download(&w, w.c()).await.to_string();
    assert!(!theirs.contains("139 1234 5678") && !theirs.contains("三号机床"));
    // Signed out: nothing.
    let res = w
        .app
        .client
        .get(w.app.url("/api/v1/me/data"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    w.app.cleanup().await;
}

#[tokio::test]
async fn closing_an_account_erases_the_person_and_keeps_what_others_rely_on() {
    let w = World::start()
        .await
        .with_studio_c()
        .await
        .with_member_in_c()
        .await;
    let me = w.c_member().to_owned();
    let my_id = w.c_member_id();
    let username = w.me(&me).await["username"].as_str().unwrap().to_owned();
    w.app
        .patch_json("/api/v1/me", Some(&me), json!({"phone": "139 1234 5678"}))
        .await;
    let room = format!("/api/v1/rooms/studio:{}/messages", w.c_studio());
    w.app
        .post_json(
            &room,
            Some(&me),
            json!({"body": "三号机床主轴已检查", "client_id": "pd-2"}),
        )
        .await;

    // A wrong password changes nothing.
    let (status, p) = w
        .app
        .post_json(
            "/api/v1/me/close",
            Some(&me),
            json!({"password": "不是这个密码123"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "password");
    assert_eq!(
        w.app.get_json("/api/v1/me", Some(&me)).await.0,
        StatusCode::OK
    );
    // A leader hands the studio over first.
    let (status, p) = w
        .app
        .post_json(
            "/api/v1/me/close",
            Some(w.c()),
            json!({"password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("hand_over_first"))
    );

    let (status, _) = w
        .app
        .post_json("/api/v1/me/close", Some(&me), json!({"password": PASSWORD}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Its sessions are over and it cannot sign in again, by name or by phone.
    assert_eq!(
        w.app.get_json("/api/v1/me", Some(&me)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        w.app.login(&username, PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        w.app.login("13912345678", PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    // It has left the studio; the picker no longer finds it.
    let (_, members) = w
        .app
        .get_json(&format!("/api/v1/studios/{}/members", w.c_studio()), None)
        .await;
    assert!(
        !members["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["user_id"] == my_id),
        "{members}"
    );
    let (_, found) = w
        .app
        .get_json("/api/v1/people?q=%E5%88%98%E5%AE%87%E8%BD%A9", Some(w.c()))
        .await;
    assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "{found}");
    // What it wrote stays for the others, under 已注销用户.
    let (status, history) = w.app.get_json(&room, Some(w.c())).await;
    assert_eq!(status, StatusCode::OK);
    let text = history.to_string();
    assert!(text.contains("三号机床主轴已检查"), "{text}");
    assert!(
        text.contains("已注销用户") && !text.contains("刘宇轩"),
        "{text}"
    );
    // Its personal fields are gone: no phone anywhere in what staff can export.
    assert!(!text.contains("139 1234 5678"));
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_account_page_downloads_and_closes_without_script() {
    let w = World::start()
        .await
        .with_studio_c()
        .await
        .with_member_in_c()
        .await;
    let browser = w.app.browser_of(w.c_member());
    let page = browser
        .get(w.app.url("/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("下载我的数据") && page.contains("注销账号"),
        "{page}"
    );
    assert!(page.contains("data-confirm"), "closing asks first");
    let origin = w.app.base().to_owned();

    let res = browser
        .post(w.app.url("/me/close"))
        .header("origin", &origin)
        .form(&[("password", "不是这个密码123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("密码不正确"), "said beside the form: {body}");

    let res = browser
        .post(w.app.url("/me/close"))
        .header("origin", &origin)
        .form(&[("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    // Followed like a browser: to the sign-in page, which says what happened.
    assert_eq!(res.url().path(), "/login");
    let page = res.text().await.unwrap();
    assert!(page.contains("账号已注销"), "{page}");
    w.app.cleanup().await;
}
