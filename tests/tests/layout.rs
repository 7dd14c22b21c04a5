//! The frame of every page on a phone: a one-row header whose sections fold into a menu that
//! works without script, and a tab bar with the current tab marked and the unread count.

use lianmeng_tests::{StatusCode, World, json};

use crate::naming::found_alliance;

async fn page(w: &World, path: &str, token: Option<&str>) -> String {
    let client = match token {
        Some(t) => w.app.browser_of(t),
        None => w.app.browser(),
    };
    let res = client.get(w.app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

/// The tab bar's link to `href`, as written.
fn tab<'a>(html: &'a str, href: &str) -> &'a str {
    let bar = &html[html.find("class=\"tabbar\"").expect("a tab bar")..];
    let start = bar.find(&format!("<a href=\"{href}\"")).expect("the tab");
    let end = start + bar[start..].find("</a>").unwrap();
    &bar[start..end]
}

#[tokio::test]
async fn every_page_has_a_folding_menu_and_a_tab_bar_that_knows_where_it_is_and_what_is_unread() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await;
    let anonymous = page(&w, "/challenges", None).await;
    assert!(
        anonymous.contains("<details class=\"menu\">"),
        "the sections fold"
    );
    assert!(tab(&anonymous, "/challenges").contains("aria-current=\"page\""));
    assert!(!tab(&anonymous, "/").contains("aria-current"));
    assert!(tab(&anonymous, "/login").contains("登录"));

    // B asks to join the poster's alliance: its lead has one unread notification.
    let alliance = found_alliance(&w).await;
    w.app
        .expect_post(
            &format!("/api/v1/alliances/{alliance}/join-requests"),
            Some(w.b()),
            json!({"studio_id": w.b_studio()}),
            StatusCode::CREATED,
            "asking to join",
        )
        .await;
    let (unread, _) = w.unread(w.poster()).await;
    assert!(unread >= 1);
    let lead = page(&w, "/chat", Some(w.poster())).await;
    let alerts = tab(&lead, "/notifications");
    assert!(
        alerts.contains(&format!("<span class=\"badge\">{unread}</span>")),
        "{alerts}"
    );
    assert!(tab(&lead, "/chat").contains("aria-current=\"page\""));
    assert!(tab(&lead, "/me").contains("我的"));

    // A missing page still knows who reads it.
    let res = w
        .app
        .browser_of(w.poster())
        .get(w.app.url("/studios/99999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("退出") && !html.contains("href=\"/login\""),
        "no 登录 for a signed-in reader"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_404_page_knows_a_signed_in_reader() {
    let w = World::start().await.with_poster_studio().await;
    let res = w
        .app
        .browser_of(w.poster())
        .get(w.app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("退出"),
        "signed in: the header offers to sign out"
    );
    assert!(
        !html.contains("href=\"/register\""),
        "no 注册 for a signed-in reader"
    );
    let res = w
        .app
        .browser()
        .get(w.app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("href=\"/register\""));
}
