//! The chat room page without its script: history with links, a plain form post, and the
//! author's edit and delete forms. The script's side is in the browser test.

use lianmeng_tests::chat_room::room;
use lianmeng_tests::{StatusCode, Value};

#[tokio::test]
async fn the_room_page_shows_history_and_takes_a_plain_form_post() {
    let r = room().await;
    r.say(
        &r.leader,
        "见 https://example.cn/spec <b>不是标签</b>",
        "p1",
    )
    .await;
    let browser = r.member_browser().await;
    let page = browser
        .get(r.app.url(&format!("/chat/{}", r.name)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("href=\"https://example.cn/spec\""),
        "links are links"
    );
    assert!(html.contains("&lt;b&gt;不是标签"), "the rest is escaped");
    assert!(html.contains("/static/chat.js"));
    let sent = post_form(
        &browser,
        r.app.url(&format!("/chat/{}", r.name)),
        &[("body", "不用脚本也能发"), ("client_id", "form-1")],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::OK, "redirected back to the room");
    assert!(sent.text().await.unwrap().contains("不用脚本也能发"));
    // A message over the limit is refused, and what was typed is given back in the box.
    let long = format!("{}超", "焊".repeat(4000));
    let refused = post_form(
        &browser,
        r.app.url(&format!("/chat/{}", r.name)),
        &[("body", &long), ("client_id", "form-2")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains(&format!(">{long}</textarea>")),
        "the typed text is kept"
    );
    assert!(html.contains("role=\"alert\""), "the error is announced");
    let rooms = r
        .app
        .expect_get(
            "/api/v1/rooms",
            Some(&r.member),
            StatusCode::OK,
            "listing rooms",
        )
        .await;
    assert_eq!(
        rooms["items"][0]["unread"], 0,
        "viewing the room marks it read: {rooms}"
    );
    let outsider = browser
        .get(r.app.url("/chat/studio:999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(outsider.status(), StatusCode::FORBIDDEN);
    r.app.cleanup().await;
}

/// A plain form post, as a browser without the script makes it.
async fn post_form(
    browser: &reqwest::Client,
    url: String,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser
        .post(url)
        .form(form)
        .send()
        .await
        .expect("the post is answered")
}

#[tokio::test]
async fn the_author_edits_and_deletes_with_plain_forms_and_no_one_else_can() {
    let r = room().await;
    let mine = r.say(&r.member, "三号机床主轴温升过高，求助", "c1").await;
    let theirs = r.say(&r.leader, "先查润滑油路", "c2").await;
    let browser = r.member_browser().await;
    let page_url = r.app.url(&format!("/chat/{}", r.name));
    let html = browser
        .get(&page_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let edit_of = |m: &Value| format!("/chat/{}/messages/{}/edit", r.name, m["id"]);
    let delete_of = |m: &Value| format!("/chat/{}/messages/{}/delete", r.name, m["id"]);
    assert!(
        html.contains(&edit_of(&mine)),
        "the author's message has its forms"
    );
    assert!(
        !html.contains(&edit_of(&theirs)),
        "another's message has none"
    );

    let refused = post_form(
        &browser,
        r.app.url(&edit_of(&theirs)),
        &[("body", "改别人的")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let empty = post_form(&browser, r.app.url(&edit_of(&mine)), &[("body", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A refused edit is shown at its message, open, with what was typed.
    let long = format!("{}超", "油".repeat(4000));
    let refused = post_form(&browser, r.app.url(&edit_of(&mine)), &[("body", &long)]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    let at = html
        .find(&format!("id=\"e{}\"", mine["id"]))
        .expect("the message's edit box");
    let edit_box = &html[at..];
    assert!(
        edit_box.contains(&format!(">{long}</textarea>")),
        "the typed text is kept"
    );
    assert!(
        edit_box.contains(&format!("id=\"e{}-error\"", mine["id"])),
        "the error is at the message"
    );
    let details = html[..at].rfind("<details").unwrap();
    assert!(html[details..].starts_with("<details class=\"msg-tools\" open>"));
    let h = r.read_history(&r.leader, "").await;
    assert_eq!(h["items"][0]["body"], "三号机床主轴温升过高，求助");
    assert_eq!(h["items"][1]["body"], "先查润滑油路", "nothing changed");

    let edited = post_form(
        &browser,
        r.app.url(&edit_of(&mine)),
        &[("body", "三号机床主轴温升过高，已换润滑油，仍求助")],
    )
    .await;
    assert_eq!(
        edited.status(),
        StatusCode::OK,
        "redirected back to the room"
    );
    let html = edited.text().await.unwrap();
    assert!(html.contains("已换润滑油") && html.contains("已编辑"));

    let older = post_form(&browser, r.app.url(&delete_of(&mine)), &[("before", "999")]).await;
    assert!(
        older.url().as_str().contains("?before=999"),
        "back to the page it was deleted on: {}",
        older.url()
    );
    assert!(older.text().await.unwrap().contains("此消息已删除"));
    let again = post_form(
        &browser,
        r.app.url(&delete_of(&mine)),
        &[("before", "1000")],
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "deleted once only");
    let h = r.read_history(&r.leader, "").await;
    assert!(h["items"][0]["deleted_at"].is_string());
    assert_eq!(h["items"][0]["body"], "");
    r.app.cleanup().await;
}

#[tokio::test]
async fn mentions_stand_out_and_a_studio_page_opens_a_private_conversation_with_its_leader() {
    let r = room().await;
    let mention = format!("@{} 请看一下这个方案", r.member_username);
    r.say(&r.leader, &mention, "m1").await;
    let browser = r.member_browser().await;
    let html = browser
        .get(r.app.url(&format!("/chat/{}", r.name)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!(
            "<mark class=\"mention\">@{}</mark>",
            r.member_username
        )),
        "the mention is marked"
    );

    // The studio's page offers the outsider a private conversation with its leader.
    let studio = r.name.trim_start_matches("studio:");
    let outsider = r.app.browser_of(&r.outsider);
    let page = outsider
        .get(r.app.url(&format!("/studios/{studio}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page
        .find("href=\"/chat/dm:")
        .expect("a link to the private conversation");
    let href = &page[start + 6..];
    let href = &href[..href.find('"').unwrap()];
    let conversation = outsider.get(r.app.url(href)).send().await.unwrap();
    assert_eq!(conversation.status(), StatusCode::OK, "{href}");
    let leader_page = r
        .app
        .browser_of(&r.leader)
        .get(r.app.url(&format!("/studios/{studio}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!leader_page.contains("href=\"/chat/dm:"), "not to oneself");
    r.app.cleanup().await;
}
