//! Alliances (工作室联盟): founding, joining by request and invitation, the alliance-only
//! board, leaving, the lead, naming; wrong steps, wrong actors and bad input change nothing.

use lianmeng_tests::{StatusCode, TestApp, Value, World, assert_invalid, id, json, unique};

/// 王建国's studio (the world's poster studio) founds the alliances, 李明's (studio B) joins
/// them, 赵铁军's stays outside.
async fn world() -> World {
    World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_outsider_studio()
        .await
}

async fn found(w: &World, name: &str) -> i64 {
    let (status, a) = w
        .app
        .post_json(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": name, "lead_studio_id": w.poster_studio(),
                   "description": "围绕高端装备制造的焊接与数控难题联合攻关", "scope": "cross_enterprise"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["status"], "forming");
    id(&a)
}

#[tokio::test]
async fn a_second_studio_joining_makes_the_alliance_active() {
    let w = world().await;
    let app = &w.app;
    let a = found(&w, &unique("西安高端装备工匠联盟")).await;
    let page = app
        .expect_get(
            &format!("/api/v1/alliances/{a}"),
            None,
            StatusCode::OK,
            "reading the alliance",
        )
        .await;
    assert_eq!(page["members"].as_array().unwrap().len(), 1);

    // Only the joining studio's leader asks; only the lead approves.
    let body = json!({"studio_id": w.b_studio(), "message": "希望共同攻关焊缝探伤"});
    let path = format!("/api/v1/alliances/{a}/join-requests");
    let (status, _) = app.post_json(&path, Some(w.outsider()), body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, r) = app.post_json(&path, Some(w.b()), body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "pending");
    let (status, again) = app.post_json(&path, Some(w.b()), body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let rid = id(&r);
    let approve = format!("/api/v1/alliances/{a}/join-requests/{rid}/approve");
    let (status, _) = app.post_empty(&approve, Some(w.b())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, done) = app.post_empty(&approve, Some(w.poster())).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "active");
    let (status, twice) = app.post_empty(&approve, Some(w.poster())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
    assert_eq!(twice["current_status"], "approved");

    let page = app
        .expect_get(
            &format!("/api/v1/alliances/{a}"),
            None,
            StatusCode::OK,
            "reading the alliance",
        )
        .await;
    assert_eq!(page["status"], "active");
    let members: Vec<i64> = page["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["studio_id"].as_i64().unwrap())
        .collect();
    assert_eq!(members, [w.poster_studio(), w.b_studio()]);

    // A member twice is refused and writes nothing.
    let (status, p) = app
        .post_json(&path, Some(w.b()), json!({"studio_id": w.b_studio()}))
        .await;
    assert_invalid(status, &p, "studio_id");

    // The lead invites; the invited studio's leader accepts.
    let (status, inv) = app
        .post_json(
            &format!("/api/v1/alliances/{a}/invitations"),
            Some(w.poster()),
            json!({"studio_id": w.outsider_studio()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{inv}");
    let accept = format!("/api/v1/alliances/{a}/join-requests/{}/approve", id(&inv));
    let (status, _) = app.post_empty(&accept, Some(w.poster())).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the lead cannot accept its own invitation"
    );
    let (status, _) = app.post_empty(&accept, Some(w.outsider())).await;
    assert_eq!(status, StatusCode::OK);

    // Leaving, handing over, and the lead's own departure.
    let leave = format!("/api/v1/alliances/{a}/leave");
    let (status, p) = app
        .post_json(
            &leave,
            Some(w.poster()),
            json!({"studio_id": w.poster_studio()}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    let (status, left) = app
        .post_json(
            &leave,
            Some(w.outsider()),
            json!({"studio_id": w.outsider_studio()}),
        )
        .await;
    assert_eq!(
        (status, left["status"].as_str()),
        (StatusCode::OK, Some("active"))
    );
    let (status, _) = app
        .post_json(
            &format!("/api/v1/alliances/{a}/lead"),
            Some(w.poster()),
            json!({"studio_id": w.b_studio()}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = app
        .expect_get(
            &format!("/api/v1/alliances/{a}"),
            None,
            StatusCode::OK,
            "reading the alliance",
        )
        .await;
    assert_eq!(page["lead_studio_id"], w.b_studio());
    let (status, left) = app
        .post_json(
            &leave,
            Some(w.poster()),
            json!({"studio_id": w.poster_studio()}),
        )
        .await;
    assert_eq!(
        (status, left["status"].as_str()),
        (StatusCode::OK, Some("forming"))
    );

    // The outbox names the alliance for the indexer.
    let outbox = app.outbox().await;
    assert!(
        outbox
            .iter()
            .any(|e| e.kind == "alliance" && e.entity_id == a)
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn alliance_only_challenges_are_invisible_to_outsiders() {
    let w = world().await;
    let app = &w.app;
    let a = found(&w, &unique("电力检修联盟")).await;
    let r = app
        .expect_post(
            &format!("/api/v1/alliances/{a}/join-requests"),
            Some(w.b()),
            json!({"studio_id": w.b_studio()}),
            StatusCode::CREATED,
            "B asks to join",
        )
        .await;
    app.expect_post_empty(
        &format!("/api/v1/alliances/{a}/join-requests/{}/approve", id(&r)),
        Some(w.poster()),
        StatusCode::OK,
        "the lead approves B",
    )
    .await;

    // Outsiders cannot post for an alliance they are not in.
    let body = |studio: i64| {
        json!({"studio_id": studio, "title": "GIS 局放在线监测误报", "description": "联盟内部攻关，暂不公开",
               "visibility": "alliance", "alliance_id": a})
    };
    let (status, p) = app
        .post_json(
            "/api/v1/challenges",
            Some(w.outsider()),
            body(w.outsider_studio()),
        )
        .await;
    assert_invalid(status, &p, "alliance_id");
    let (status, ch) = app
        .post_json(
            "/api/v1/challenges",
            Some(w.poster()),
            body(w.poster_studio()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ch}");
    let ch = id(&ch);
    let (status, _) = app
        .post_empty(
            &format!("/api/v1/challenges/{ch}/publish"),
            Some(w.poster()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let path = format!("/api/v1/challenges/{ch}");
    assert_eq!(app.get_json(&path, Some(w.b())).await.0, StatusCode::OK);
    assert_eq!(
        app.get_json(&path, Some(w.outsider())).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get_json(&path, None).await.0, StatusCode::NOT_FOUND);
    let board = format!("/api/v1/alliances/{a}/challenges");
    let mine = app
        .expect_get(
            &board,
            Some(w.b()),
            StatusCode::OK,
            "reading the alliance board as a member",
        )
        .await;
    assert!(
        mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == ch)
    );
    let theirs = app
        .expect_get(
            &board,
            Some(w.outsider()),
            StatusCode::OK,
            "reading the alliance board as an outsider",
        )
        .await;
    assert!(
        !theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == ch)
    );
    let public = app
        .expect_get(
            "/api/v1/challenges",
            None,
            StatusCode::OK,
            "reading the public board",
        )
        .await;
    assert!(
        !public["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == ch)
    );
    // The alliance's room: its members talk, outsiders are refused.
    let room = format!("/api/v1/rooms/alliance:{a}/messages");
    let msg = json!({"body": "本周五联盟例会讨论 GIS 误报", "client_id": "al-1"});
    let (status, m) = app.post_json(&room, Some(w.b()), msg.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (status, _) = app.post_json(&room, Some(w.outsider()), msg).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_json(&room, Some(w.outsider())).await.0,
        StatusCode::FORBIDDEN
    );
    // Only member studios claim it.
    let (status, p) = app
        .post_json(
            &format!("/api/v1/challenges/{ch}/claims"),
            Some(w.b()),
            json!({"studio_id": w.b_studio(), "proposal": "改进滤波算法"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");

    // The alliance page in HTML: members see the private challenge, outsiders do not.
    let page = |token: &str| {
        app.client
            .get(app.url(&format!("/alliances/{a}")))
            .bearer_auth(token)
            .send()
    };
    let html = page(w.b()).await.unwrap().text().await.unwrap();
    assert!(html.contains("GIS 局放在线监测误报"));
    let html = page(w.outsider()).await.unwrap().text().await.unwrap();
    assert!(!html.contains("GIS 局放在线监测误报"));
    w.app.cleanup().await;
}

#[tokio::test]
async fn bad_founding_input_is_refused_and_writes_nothing() {
    let w = world().await;
    let app = &w.app;
    let (status, p) = app
        .post_json(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": "", "lead_studio_id": w.poster_studio(), "scope": "everywhere"}),
        )
        .await;
    assert_invalid(status, &p, "name");
    assert_invalid(status, &p, "scope");
    let (status, _) = app
        .post_json(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": "冒名联盟", "lead_studio_id": w.b_studio(), "scope": "cross_region"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let name = unique("重名联盟");
    found(&w, &name).await;
    let (status, p) = app
        .post_json(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": name, "lead_studio_id": w.poster_studio(), "scope": "cross_region"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    let list = app
        .expect_get(
            "/api/v1/alliances",
            None,
            StatusCode::OK,
            "listing alliances",
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // An alliance is named only through the naming flow (its lead studio applies in a batch);
    // dissolving is for the lead.
    let a = list["items"][0]["id"].as_i64().unwrap();
    let admin = app.admin_token().await;
    let (status, _) = app
        .post_empty(&format!("/api/v1/alliances/{a}/name"), Some(&admin))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no shortcut around the flow");
    let (status, d) = app
        .post_empty(&format!("/api/v1/alliances/{a}/dissolve"), Some(w.poster()))
        .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("dissolved"))
    );
    w.app.cleanup().await;
}

/// Searches for `q` as `token` until `want` holds (the indexer runs in the background).
async fn search_as(
    app: &TestApp,
    token: Option<&str>,
    q: &str,
    want: impl Fn(&Value) -> bool,
) -> Value {
    app.search_until(token, &format!("q={q}"), want).await
}

fn hit(body: &Value, kind: &str, id: i64) -> bool {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == kind && i["id"] == id)
}

#[tokio::test]
async fn alliances_are_searchable_and_private_challenges_only_for_members() {
    let w = world().await;
    let app = &w.app;
    let a = found(&w, &unique("秦岭智能制造工匠联盟")).await;
    search_as(app, None, "%E6%99%BA%E8%83%BD%E5%88%B6%E9%80%A0", |b| {
        hit(b, "alliance", a)
    })
    .await;
    let ch = app
        .expect_post("/api/v1/challenges", Some(w.poster()), json!({
            "studio_id": w.poster_studio(), "title": "盾构机主轴承密封失效", "description": "联盟内部攻关",
            "visibility": "alliance", "alliance_id": a}), StatusCode::CREATED, "posting an alliance-only challenge")
        .await;
    let ch = id(&ch);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(w.poster()),
        StatusCode::OK,
        "publishing it",
    )
    .await;
    // 主轴承 (URL-encoded): the member finds it; outsiders see neither the hit nor a count.
    let q = "%E4%B8%BB%E8%BD%B4%E6%89%BF";
    search_as(app, Some(w.poster()), q, |b| hit(b, "challenge", ch)).await;
    let theirs = search_as(app, Some(w.outsider()), q, |_| true).await;
    assert!(!hit(&theirs, "challenge", ch));
    assert_eq!(theirs["facets"]["kind"].get("challenge"), None, "{theirs}");
    let anon = search_as(app, None, q, |_| true).await;
    assert_eq!(anon["total"], 0, "{anon}");
    w.app.cleanup().await;
}
