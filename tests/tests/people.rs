//! People found by the names they use: the picker finds a person by Chinese name, username or
//! phone, with their studio and unit to tell two 王伟 apart, and shows a phone only to union
//! staff above them; a person signs in with a phone; a Chinese username registers; the forms
//! that name a person take a name and say whom it could mean when several share it.

use lianmeng_tests::{PASSWORD, StatusCode, Value, World, assert_invalid, json, unique};

use crate::naming::union;

async fn people(w: &World, token: &str, q: &str) -> Vec<Value> {
    let res = reqwest::Client::new()
        .get(w.app.url("/api/v1/people"))
        .query(&[("q", q)])
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    assert_eq!(res.status(), StatusCode::OK, "finding {q}");
    let list: Value = res.json().await.unwrap();
    list["items"].as_array().unwrap().clone()
}

/// Two people named 王伟, one in each studio, the first with a phone.
async fn two_wang_wei(w: &World) -> (i64, i64) {
    let mut ids = Vec::new();
    for (studio, leader) in [(w.poster_studio(), w.poster()), (w.b_studio(), w.b())] {
        let (id, token) = w.app.register_and_login_as(&unique("ww"), "王伟").await;
        w.app
            .join_studio(studio, leader, (id, &token), "member")
            .await;
        if ids.is_empty() {
            w.app
                .expect_patch(
                    "/api/v1/me",
                    Some(&token),
                    json!({"phone": "138-0013-8001"}),
                    StatusCode::OK,
                    "a phone",
                )
                .await;
        }
        ids.push(id);
    }
    (ids[0], ids[1])
}

#[tokio::test]
async fn the_picker_finds_people_by_name_username_or_phone_and_keeps_phones_for_the_staff_above() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let (first, _) = two_wang_wei(&w).await;

    let found = people(&w, w.poster(), "王伟").await;
    assert_eq!(found.len(), 2, "{found:?}");
    let studios: Vec<&str> = found
        .iter()
        .map(|p| p["studios"][0]["name"].as_str().unwrap())
        .collect();
    assert!(
        studios.contains(&"王建国劳模创新工作室") && studios.contains(&"李明焊接技能大师工作室")
    );
    assert!(
        found.iter().all(|p| p["phone"].is_null()),
        "a leader is not staff: {found:?}"
    );
    assert!(
        found
            .iter()
            .all(|p| p["studios"][0]["unit_name"].is_string())
    );

    let staff = people(&w, &u.city, "王伟").await;
    let with_phone = staff.iter().find(|p| p["id"] == first).unwrap();
    assert_eq!(
        with_phone["phone"], "138-0013-8001",
        "the city's staff are above them"
    );
    assert!(
        people(&w, w.far_staff(), "王伟")
            .await
            .iter()
            .all(|p| p["phone"].is_null())
    );

    // A whole phone number, typed as people type it, finds its owner (still without the
    // number for a reader who may not see it); part of a number finds nobody.
    let by_phone = people(&w, w.poster(), "138 0013 8001").await;
    assert_eq!(by_phone.len(), 1);
    assert_eq!(by_phone[0]["id"], first);
    assert!(by_phone[0]["phone"].is_null());
    assert!(people(&w, w.poster(), "1380013").await.is_empty());

    // A username by its start; LIKE wildcards are plain characters.
    let me = w.me(w.b()).await;
    let username = me["username"].as_str().unwrap();
    let by_name = people(&w, w.poster(), &username[..username.len() - 2]).await;
    assert!(by_name.iter().any(|p| p["username"] == username));
    assert!(people(&w, w.poster(), "%").await.is_empty());
    assert!(people(&w, w.poster(), "  ").await.is_empty());

    let (status, p) = w
        .app
        .get_json(
            &format!("/api/v1/people?q={}", "王".repeat(41)),
            Some(w.poster()),
        )
        .await;
    assert_invalid(status, &p, "q");
    let (status, _) = w.app.get_json("/api/v1/people?q=王伟", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_person_signs_in_with_a_phone_and_a_chinese_username_registers() {
    let w = World::start().await;
    let (status, user) = w.app.register("王小明", PASSWORD, "王小明").await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (status, session) = w.app.login("王小明", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let token = session["token"].as_str().unwrap().to_owned();
    w.app
        .expect_patch(
            "/api/v1/me",
            Some(&token),
            json!({"phone": "+86 139 0029 0001"}),
            StatusCode::OK,
            "a phone",
        )
        .await;
    let (status, session) = w.app.login("13900290001", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["user"]["username"], "王小明");
    let (status, _) = w.app.login("13900290001", "wrong password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A phone two people share signs in neither.
    let (_, other) = w.app.register_and_login_as(&unique("ph"), "王小明").await;
    w.app
        .expect_patch(
            "/api/v1/me",
            Some(&other),
            json!({"phone": "13900290001"}),
            StatusCode::OK,
            "the same phone",
        )
        .await;
    let (status, _) = w.app.login("13900290001", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    for bad in ["Wang Xiaoming", "王", "-王小明"] {
        let (status, p) = w.app.register(bad, PASSWORD, "王小明").await;
        assert_invalid(status, &p, "username");
    }
}

#[tokio::test]
async fn the_member_form_takes_a_name_and_says_whom_it_could_mean() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_union_people()
        .await;
    two_wang_wei(&w).await;
    let (newcomer, newcomer_token) = w.app.register_and_login_as(&unique("nm"), "赵红梅").await;
    let browser = w.app.browser_of(w.poster());
    let add = |text: &str| {
        browser
            .post(
                w.app
                    .url(&format!("/studios/{}/members", w.poster_studio())),
            )
            .form(&[("username", text), ("role", "apprentice")])
            .send()
    };

    // Several 王伟: the page names each with their studio and username; nothing changes.
    let res = add("王伟").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("找到 2 位") && page.contains("李明焊接技能大师工作室"),
        "{page}"
    );
    assert!(
        !page.contains("several people match"),
        "one language on the page"
    );
    let res = add("不存在的人").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("没有找到"));

    // A unique name invites the person; they join by accepting on their workbench.
    let res = add("赵红梅").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("邀请已发出") && page.contains("待接受的邀请"),
        "{page}"
    );
    let theirs = w.app.browser_of(&newcomer_token);
    let bench = theirs
        .get(w.app.url("/workbench"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        bench.contains("邀请你加入") && bench.contains("王建国劳模创新工作室"),
        "{bench}"
    );
    let (_, waiting) = w
        .app
        .get_json("/api/v1/me/invitations", Some(&newcomer_token))
        .await;
    let res = theirs
        .post(w.app.url(&format!(
            "/invitations/{}/accept",
            waiting["items"][0]["id"]
        )))
        .header("origin", w.app.base())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("你已加入工作室"));
    let members = w
        .app
        .expect_get(
            &format!("/api/v1/studios/{}/members", w.poster_studio()),
            Some(w.poster()),
            StatusCode::OK,
            "members",
        )
        .await;
    assert!(
        members
            .to_string()
            .contains(&format!("\"user_id\":{newcomer}")),
        "{members}"
    );
}
