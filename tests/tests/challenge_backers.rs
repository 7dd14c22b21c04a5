//! A union or an enterprise backs a studio's challenge (挂帅): its staff add to the reward for
//! it and follow the work; the poster is told, the timeline shows it, and the backer hears of
//! each later step.

use lianmeng_tests::{StatusCode, World, json};

#[tokio::test]
async fn a_union_backs_a_challenge_adds_to_its_reward_and_follows_it() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_union_people()
        .await;
    let ch = w.open_challenge(json!({})).await;
    let backers = format!("/api/v1/challenges/{ch}/backers");
    let backing = json!({"org_id": w.org, "amount_yuan": 20_000});

    // Not staff of the org or above, no such org, no amount: refused, nothing added.
    for token in [w.far_staff(), w.poster(), w.b()] {
        let (status, _) = w.post(&backers, token, backing.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, p) = w
        .post(
            &backers,
            w.city_staff(),
            json!({"org_id": 999_999, "amount_yuan": 1}),
        )
        .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("org_id"))
    );
    let (status, p) = w
        .post(
            &backers,
            w.city_staff(),
            json!({"org_id": w.org, "amount_yuan": 0}),
        )
        .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("amount_yuan"))
    );

    let added = w
        .app
        .expect_post(
            &backers,
            Some(w.city_staff()),
            backing.clone(),
            StatusCode::CREATED,
            "the city backs it for the enterprise",
        )
        .await;
    assert_eq!(added["items"][0]["amount_yuan"], 20_000);
    let (status, p) = w.post(&backers, w.city_staff(), backing.clone()).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_backing"))
    );
    w.app
        .expect_post(
            &backers,
            Some(w.city_staff()),
            json!({"org_id": w.tree.city, "amount_yuan": 30_000}),
            StatusCode::CREATED,
            "and for the city union itself",
        )
        .await;

    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/challenges/{ch}"),
            None,
            StatusCode::OK,
            "reading it",
        )
        .await;
    assert_eq!(
        detail["reward_yuan"], 50_000,
        "the poster's own reward stays as it was"
    );
    assert_eq!(detail["total_reward_yuan"], 100_000);
    let names: Vec<&str> = detail["backers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["org_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["西安机床厂工会", "西安市总工会"]);
    assert!(
        detail["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "back")
    );
    let told = w
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(w.poster()),
            StatusCode::OK,
            "the poster's notifications",
        )
        .await;
    assert!(told.to_string().contains("挂帅"), "{told}");

    // The backer follows the work: the award is news to them.
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, claim).await;
    let news = w
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(w.city_staff()),
            StatusCode::OK,
            "the backer's notifications",
        )
        .await;
    assert!(news.to_string().contains("有新进展"), "{news}");

    // A cancelled challenge takes no backers.
    let other = w
        .open_challenge(json!({"title": "高炉冷却壁漏水在线检测"}))
        .await;
    w.app
        .expect_post(
            &format!("/api/v1/challenges/{other}/cancel"),
            Some(w.poster()),
            json!({"reason": "已另行立项"}),
            StatusCode::OK,
            "the poster cancels it",
        )
        .await;
    let (status, p) = w
        .post(
            &format!("/api/v1/challenges/{other}/backers"),
            w.city_staff(),
            backing,
        )
        .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("challenge"))
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_challenge_page_backs_it_with_a_plain_form() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let ch = w.open_challenge(json!({})).await;
    let staff = w.app.browser_of(w.city_staff());
    let page = staff
        .get(w.app.url(&format!("/challenges/{ch}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("action=\"/challenges/{ch}/backers\"")),
        "staff are offered the form"
    );
    let res = staff
        .post(w.app.url(&format!("/challenges/{ch}/backers")))
        .form(&[
            ("org_id", w.tree.city.to_string()),
            ("amount_yuan", "0".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the amount is marked"
    );
    let res = staff
        .post(w.app.url(&format!("/challenges/{ch}/backers")))
        .form(&[
            ("org_id", w.tree.city.to_string()),
            ("amount_yuan", "30000".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("已挂帅") && page.contains("西安市总工会") && page.contains("80,000"),
        "{page}"
    );
    let poster = w
        .app
        .browser_of(w.poster())
        .get(w.app.url(&format!("/challenges/{ch}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !poster.contains(&format!("action=\"/challenges/{ch}/backers\"")),
        "a studio leader is not offered it"
    );
    w.app.cleanup().await;
}
