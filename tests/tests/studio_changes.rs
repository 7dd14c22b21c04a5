//! Changes to a named studio (动态管理, Jieyang art. 7): the unit's union requests a new leader,
//! a new name or the title's cancellation; the union between reviews it, the naming union
//! approves it, and only then does the studio change. An unnamed studio's leader hands over
//! directly instead.

use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json};

use crate::naming::{name_studio, union};

async fn decide(
    w: &World,
    change: i64,
    action: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    w.app
        .post_json(
            &format!("/api/v1/studio-changes/{change}/{action}"),
            Some(token),
            body,
        )
        .await
}

async fn studio(w: &World) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "reading the studio",
        )
        .await
}

#[tokio::test]
async fn a_named_studios_new_leader_is_requested_by_its_unit_reviewed_and_approved_up_the_tree() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await;
    let u = union(&w).await;
    let path = format!("/api/v1/studios/{}/changes", w.poster_studio());
    let author = w.me(w.author()).await["id"].as_i64().unwrap();
    let body =
        json!({"kind": "leader_change", "new_leader_id": author, "reason": "原领衔人王建国退休。"});

    // Not named yet: the leader hands over directly, nothing goes up.
    let (status, p) = w.app.post_json(&path, Some(&u.unit), body.clone()).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_named")),
        "{p}"
    );
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let before = studio(&w).await;

    // Only the unions over the unit ask; bad input changes nothing.
    for token in [w.poster(), w.author(), &u.experts[0].1] {
        let (status, _) = w.app.post_json(&path, Some(token), body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, p) = w
        .app
        .post_json(&path, Some(&u.unit), json!({"kind": "merge", "reason": ""}))
        .await;
    assert_invalid(status, &p, "kind");
    assert_invalid(status, &p, "reason");
    let (status, p) = w
        .app
        .post_json(
            &path,
            Some(&u.unit),
            json!({"kind": "leader_change", "new_leader_id": 999_999, "reason": "退休"}),
        )
        .await;
    assert_invalid(status, &p, "new_leader_id");
    let history = w
        .app
        .expect_get(&path, None, StatusCode::OK, "history")
        .await;
    assert_eq!(history["items"], json!([]), "nothing was written");

    let c = w
        .app
        .expect_post(
            &path,
            Some(&u.unit),
            body.clone(),
            StatusCode::CREATED,
            "requesting",
        )
        .await;
    assert_eq!(c["status"], "pending");
    assert_eq!(
        c["new_name"], "赵敏劳模和工匠人才创新工作室",
        "the name follows the leader"
    );
    let change = id(&c);
    let (status, p) = w.app.post_json(&path, Some(&u.unit), body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("change_open"))
    );

    // The district reviews (审核), then the city approves (审批); each only at its turn.
    let (status, _) = decide(&w, change, "approve", &u.city, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the district reviews first");
    let (status, p) = decide(&w, change, "reject", &u.district, json!({"opinion": " "})).await;
    assert_invalid(status, &p, "opinion");
    let (status, p) = decide(
        &w,
        change,
        "approve",
        &u.district,
        json!({"opinion": "同意"}),
    )
    .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("reviewed")),
        "{p}"
    );
    assert_eq!(
        studio(&w).await["leader_id"],
        before["leader_id"],
        "not yet"
    );
    let (status, _) = decide(&w, change, "approve", &u.district, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (one, two) = tokio::join!(
        decide(
            &w,
            change,
            "approve",
            &u.city,
            json!({"opinion": "同意更换"})
        ),
        decide(
            &w,
            change,
            "approve",
            &u.city_2,
            json!({"opinion": "同意更换"})
        )
    );
    let mut statuses = [one.0, two.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{one:?} {two:?}"
    );

    let after = studio(&w).await;
    assert_eq!(after["leader_id"], author);
    assert_eq!(after["name"], "赵敏劳模和工匠人才创新工作室");
    assert_eq!(after["status"], "named", "it keeps its title");
    let history = w
        .app
        .expect_get(&path, None, StatusCode::OK, "history")
        .await;
    assert_eq!(history["items"][0]["status"], "approved");
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_cancellation_approved_by_the_naming_union_takes_the_title_and_a_rejection_changes_nothing()
 {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let path = format!("/api/v1/studios/{}/changes", w.poster_studio());
    let rename = json!({"kind": "rename", "new_name": "", "reason": "单位更名"});
    let (status, p) = w.app.post_json(&path, Some(&u.unit), rename).await;
    assert_invalid(status, &p, "new_name");
    let c = w
        .app
        .expect_post(
            &path,
            Some(&u.unit),
            json!({"kind": "rename", "new_name": "王建国数控机床创新工作室", "reason": "单位更名"}),
            StatusCode::CREATED,
            "a rename",
        )
        .await;
    let (status, _) = decide(
        &w,
        id(&c),
        "reject",
        &u.district,
        json!({"opinion": "名称不符合命名规则。"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(studio(&w).await["name"], "王建国劳模和工匠人才创新工作室");
    let (status, p) = decide(&w, id(&c), "approve", &u.city, json!({})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );

    let c = w
        .app
        .expect_post(
            &path,
            Some(&u.unit),
            json!({"kind": "cancel", "reason": "工作室所在车间撤并，申请取消命名。"}),
            StatusCode::CREATED,
            "a cancellation",
        )
        .await;
    let (status, _) = decide(&w, id(&c), "approve", &u.district, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, p) = decide(
        &w,
        id(&c),
        "approve",
        &u.city,
        json!({"opinion": "同意取消。"}),
    )
    .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
    let s = studio(&w).await;
    assert_eq!(s["status"], "delisted");
    let history = w
        .app
        .expect_get(&path, None, StatusCode::OK, "history")
        .await;
    let kinds: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["cancel", "rename"], "the history keeps both");
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_studio_page_requests_and_approves_a_rename_with_plain_forms() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let page = w.app.url(&format!("/studios/{}", w.poster_studio()));
    let unit = w.app.browser_of(&u.unit);
    let html = unit.get(&page).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("id=\"changes\"") && html.contains("申请变更"),
        "the unit may ask"
    );
    let leader_html = w
        .app
        .browser_of(w.poster())
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !leader_html.contains("申请变更"),
        "the leader does not ask up the tree"
    );

    let form_url = w
        .app
        .url(&format!("/studios/{}/changes", w.poster_studio()));
    let refused = unit
        .post(&form_url)
        .form(&[
            ("kind", "rename"),
            ("new_name", "王建国数控创新工作室"),
            ("reason", " "),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("aria-invalid"));
    let sent = unit
        .post(&form_url)
        .form(&[
            ("kind", "rename"),
            ("new_name", "王建国数控创新工作室"),
            ("reason", "单位更名。"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::OK, "back on the studio's page");
    let html = sent.text().await.unwrap();
    assert!(
        html.contains("更改名称") && html.contains("待审核"),
        "the request is listed"
    );

    let history = w
        .app
        .expect_get(
            &format!("/api/v1/studios/{}/changes", w.poster_studio()),
            None,
            StatusCode::OK,
            "history",
        )
        .await;
    let change = id(&history["items"][0]);
    for (token, button) in [(&u.district, "审核通过"), (&u.city, "批准变更")] {
        let b = w.app.browser_of(token);
        let html = b.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(button), "{button} is offered");
        let done = b
            .post(w.app.url(&format!("/studio-changes/{change}/approve")))
            .form(&[("opinion", "同意。")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::OK);
    }
    assert_eq!(studio(&w).await["name"], "王建国数控创新工作室");
    w.app.cleanup().await;
}
