//! The open-challenge loop (揭榜攻关): post, publish, claim with a cross-studio team, award,
//! progress, deliver, accept; wrong steps, wrong actors, bad input and concurrent awards.

use lianmeng_tests::{StatusCode, TestApp, World, field_names, id, json};

/// A poster studio and two claimant studios, each with its leader; C also has a plain member.
async fn world_with(app: TestApp) -> World {
    World::new(app)
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_member_in_c()
        .await
}

async fn world() -> World {
    world_with(TestApp::spawn().await).await
}

#[tokio::test]
async fn the_whole_loop_runs_from_posting_to_acceptance() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    // A two-studio team: B's leader and C's member, with declared shares.
    let me = w.me(w.b()).await;
    let body = json!({
        "studio_id": w.b_studio(),
        "proposal": "联合攻关：相控阵超声 + 焊缝图像识别",
        "plan": "第一阶段：工艺试验；第二阶段：现场验证",
        "members": [{"user_id": me["id"], "share_percent": 60}, {"user_id": w.c_member_id(), "share_percent": 40}]
    });
    let (status, claim) = w
        .post(&format!("/api/v1/challenges/{ch}/claims"), w.b(), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    let claim = id(&claim);
    let detail = w.detail(ch).await;
    let team = &detail["claims"][0]["team"];
    assert_eq!(team.as_array().unwrap().len(), 2);
    assert_eq!(
        team[1]["studio_id"],
        w.c_studio(),
        "the member works for their own studio"
    );
    assert!(
        w.unread(w.poster())
            .await
            .1
            .contains(&"new_claim".to_owned())
    );

    let (status, awarded) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims/{claim}/award"),
            w.poster(),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, awarded["status"].as_str()),
        (StatusCode::OK, Some("awarded"))
    );
    assert!(
        w.unread(w.c_member())
            .await
            .1
            .contains(&"claim_awarded".to_owned()),
        "the whole team hears of the award"
    );

    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/progress"),
            w.c_member(),
            json!({"note": "完成试块制备", "percent": 30}),
        )
        .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::CREATED, Some("in_progress"))
    );
    let (status, d) = w
        .post(
            &format!("/api/v1/challenges/{ch}/deliver"),
            w.b(),
            json!({"summary": "漏检率降至 0.3%"}),
        )
        .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("delivered"))
    );
    let (status, a) = w
        .post(
            &format!("/api/v1/challenges/{ch}/accept"),
            w.poster(),
            json!({"rating": 5, "comment": "效果显著"}),
        )
        .await;
    assert_eq!(
        (status, a["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );

    let detail = w.detail(ch).await;
    assert_eq!(detail["rating"], 5);
    assert_eq!(detail["summary"], "漏检率降至 0.3%");
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["publish", "claim", "award", "progress", "deliver", "accept"]
    );
    let page = w
        .app
        .client
        .get(w.app.url(&format!("/studios/{}/work", w.b_studio())))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("大型铸件焊缝超声波探伤漏检率高"),
        "the claiming studio's work lists the challenge"
    );
    let page = w
        .app
        .client
        .get(w.app.url(&format!("/challenges/{ch}")))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<strong>3.2%</strong>"),
        "the description is rendered as Markdown"
    );
    assert!(html.contains("已验收"));
    let outbox = w.app.outbox().await;
    assert!(
        outbox
            .iter()
            .filter(|o| o.kind == "challenge" && o.entity_id == ch)
            .count()
            >= 6
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_wrong_step_is_a_conflict_naming_the_current_status() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/deliver"),
            w.b(),
            json!({"summary": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the awarded team: {p}");
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/accept"),
            w.poster(),
            json!({"rating": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["current_status"], "open");
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/publish"),
            w.poster(),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("open"))
    );
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, claim).await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims"),
            w.c(),
            json!({"studio_id": w.c_studio(), "proposal": "晚到的方案"}),
        )
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("awarded"))
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn wrong_actors_are_refused() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    let (status, _) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims"),
            w.poster(),
            json!({"studio_id": w.poster_studio(), "proposal": "自己揭自己的榜"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a studio cannot claim its own challenge"
    );
    let (status, _) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims"),
            w.c_member(),
            json!({"studio_id": w.c_studio(), "proposal": "成员不能代表工作室揭榜"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the leader claims for a studio"
    );
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims"),
            w.b(),
            json!({"studio_id": w.b_studio(), "proposal": "再揭一次"}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_claimed"))
    );
    let (status, _) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims/{claim}/award"),
            w.b(),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the poster awards");
    let (status, _) = w
        .post(
            &format!("/api/v1/challenges/{ch}/cancel"),
            w.c(),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    w.app.cleanup().await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let w = world().await;
    let base = json!({"studio_id": w.poster_studio(), "title": "主轴热变形", "description": "说明", "deadline": "2099-01-01"});
    let cases = [
        ("title", json!({"title": ""})),
        ("description", json!({"description": "长".repeat(100_000)})),
        ("reward_yuan", json!({"reward_yuan": -1})),
        ("deadline", json!({"deadline": "2020-01-01"})),
        ("claim_mode", json!({"claim_mode": "horse_race"})),
        ("tags", json!({"tags": ["焊缝", ""]})),
    ];
    for (field, change) in cases {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, p) = w.post("/api/v1/challenges", w.poster(), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {p}");
        assert!(field_names(&p).contains(&field.to_owned()), "{field}: {p}");
    }
    let board = w
        .app
        .expect_get(
            &format!("/api/v1/challenges?studio_id={}", w.poster_studio()),
            Some(w.poster()),
            StatusCode::OK,
            "listing the poster studio's challenges",
        )
        .await;
    assert_eq!(
        board["items"].as_array().unwrap().len(),
        0,
        "nothing was written"
    );

    let ch = w.open_challenge(json!({})).await;
    let (status, p) = w.post(&format!("/api/v1/challenges/{ch}/claims"), w.b(), json!({
        "studio_id": w.b_studio(), "proposal": "方案",
        "members": [{"user_id": w.c_member_id(), "share_percent": 70}, {"user_id": 1, "share_percent": 40}]
    })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(field_names(&p).contains(&"members".to_owned()));
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, claim).await;
    w.deliver(ch, w.b(), "完成").await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/accept"),
            w.poster(),
            json!({"rating": 7}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&p), ["rating"]);
    let detail = w.detail(ch).await;
    assert_eq!(
        detail["status"], "delivered",
        "a refused acceptance changes nothing"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn of_two_concurrent_awards_of_an_exclusive_challenge_exactly_one_wins() {
    let w = world().await;
    for _ in 0..3 {
        let ch = w.open_challenge(json!({})).await;
        let kb = w.claim(ch, w.b(), w.b_studio()).await;
        let kc = w.claim(ch, w.c(), w.c_studio()).await;
        let (pb, pc) = (
            format!("/api/v1/challenges/{ch}/claims/{kb}/award"),
            format!("/api/v1/challenges/{ch}/claims/{kc}/award"),
        );
        let (ra, rb) = tokio::join!(
            w.post(&pb, w.poster(), json!({})),
            w.post(&pc, w.poster(), json!({})),
        );
        let mut statuses = [ra.0, rb.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{ra:?} {rb:?}"
        );
        let detail = w.detail(ch).await;
        let mut claim_statuses: Vec<&str> = detail["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        claim_statuses.sort();
        assert_eq!(claim_statuses, ["awarded", "declined"]);
    }
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_parallel_challenge_awards_several_claims() {
    let w = world().await;
    let ch = w.open_challenge(json!({"claim_mode": "parallel"})).await;
    let kb = w.claim(ch, w.b(), w.b_studio()).await;
    let kc = w.claim(ch, w.c(), w.c_studio()).await;
    for k in [kb, kc] {
        let (status, p) = w
            .post(
                &format!("/api/v1/challenges/{ch}/claims/{k}/award"),
                w.poster(),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");
    }
    let (status, _) = w
        .post(
            &format!("/api/v1/challenges/{ch}/progress"),
            w.c(),
            json!({"note": "赛马：C 组进展", "percent": 10}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_delivery_is_sent_back_at_most_the_configured_number_of_times() {
    let app = TestApp::spawn_with(|c| c.max_send_backs = 1).await;
    let w = world_with(app).await;
    let ch = w.open_challenge(json!({})).await;
    let k = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, k).await;
    w.deliver(ch, w.b(), "第一版").await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/send-back"),
            w.poster(),
            json!({"reason": "数据不全"}),
        )
        .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("in_progress"))
    );
    assert!(w.unread(w.b()).await.1.contains(&"sent_back".to_owned()));
    w.deliver(ch, w.b(), "第二版").await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/send-back"),
            w.poster(),
            json!({"reason": "仍不全"}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("send_back_limit"))
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn cancelling_tells_every_claimant_and_is_refused_after_delivery() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    w.claim(ch, w.b(), w.b_studio()).await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/cancel"),
            w.poster(),
            json!({"reason": ""}),
        )
        .await;
    assert_eq!(
        (status, field_names(&p)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_owned()])
    );
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/cancel"),
            w.poster(),
            json!({"reason": "工艺路线调整"}),
        )
        .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    assert!(
        w.unread(w.b())
            .await
            .1
            .contains(&"challenge_cancelled".to_owned())
    );

    let ch = w.open_challenge(json!({})).await;
    let k = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, k).await;
    w.deliver(ch, w.b(), "已交付").await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/cancel"),
            w.poster(),
            json!({"reason": "太晚了"}),
        )
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("delivered"))
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_withdrawn_claim_cannot_be_awarded_and_notifications_can_be_read() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    let k = w.claim(ch, w.b(), w.b_studio()).await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims/{k}/withdraw"),
            w.b(),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("withdrawn"))
    );
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{ch}/claims/{k}/award"),
            w.poster(),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("withdrawn"))
    );
    let detail = w.detail(ch).await;
    assert_eq!(detail["status"], "open", "the failed award rolled back");

    let (unread, _) = w.unread(w.poster()).await;
    assert!(unread >= 1);
    let n = w.notifications(w.poster()).await;
    let ids: Vec<i64> = n["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let (status, _) = w
        .post(
            "/api/v1/notifications/read",
            w.poster(),
            json!({"ids": ids}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(w.unread(w.poster()).await.0, 0);
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_draft_is_invisible_outside_its_studio() {
    let w = world().await;
    let body =
        json!({"studio_id": w.poster_studio(), "title": "未发布的榜", "description": "草稿"});
    let ch = w
        .app
        .expect_post(
            "/api/v1/challenges",
            Some(w.poster()),
            body,
            StatusCode::CREATED,
            "posting a draft",
        )
        .await;
    let ch = id(&ch);
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/challenges/{ch}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/challenges/{ch}"), Some(w.b()))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/challenges/{ch}"), Some(w.poster()))
            .await
            .0,
        StatusCode::OK
    );
    let board = w
        .app
        .expect_get(
            "/api/v1/challenges",
            None,
            StatusCode::OK,
            "reading the board",
        )
        .await;
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != ch)
    );
    let (status, _) = w
        .post(
            "/api/v1/challenges",
            w.b(),
            json!({"studio_id": w.poster_studio(), "title": "冒名", "description": "x"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the studio's people post for it"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_notifications_page_marks_everything_read() {
    let w = world().await;
    let ch = w.open_challenge(json!({})).await;
    w.claim(ch, w.b(), w.b_studio()).await;
    assert!(w.unread(w.poster()).await.0 >= 1);
    let me = w.me(w.poster()).await;
    let browser = w.app.browser();
    let login = json!({"username": me["username"], "password": lianmeng_tests::PASSWORD});
    let res = browser
        .post(w.app.url("/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the world's users share one password"
    );
    let page = browser
        .get(w.app.url("/notifications"))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("收到新的揭榜申请"));
    let res = browser
        .post(w.app.url("/notifications/read"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(w.unread(w.poster()).await.0, 0);
    w.app.cleanup().await;
}
