//! Unions post challenges for their org (发榜单位): their staff (and the staff above) post,
//! publish, award, follow and accept as a studio's leader would; studios claim them as any
//! other. Nobody else acts for the union.

use lianmeng_tests::{StatusCode, World, id, json};

#[tokio::test]
async fn a_union_posts_a_challenge_and_runs_it_to_acceptance() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_union_people()
        .await;
    let body = |extra: serde_json::Value| {
        let mut b = json!({"title": "全市公交车辆空调夏季制冷不足", "industry": "automotive",
                           "description": "夏季高峰时段车厢温度超过 30℃，征集低成本改造方案。",
                           "reward_yuan": 80000, "deadline": "2099-08-31"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // Only the union's staff (or above) post for it; one poster only; a union's challenge is public.
    for (token, extra, expected) in [
        (
            w.far_staff(),
            json!({"org_id": w.tree.city}),
            StatusCode::FORBIDDEN,
        ),
        (
            w.poster(),
            json!({"org_id": w.tree.city}),
            StatusCode::FORBIDDEN,
        ),
        (
            w.city_staff(),
            json!({"org_id": 999_999}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (w.city_staff(), json!({}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            w.poster(),
            json!({"org_id": w.tree.city, "studio_id": w.poster_studio()}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            w.city_staff(),
            json!({"org_id": w.tree.city, "visibility": "alliance", "alliance_id": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, p) = w.post("/api/v1/challenges", token, body(extra)).await;
        assert_eq!(status, expected, "{p}");
    }
    let ch = w
        .app
        .expect_post(
            "/api/v1/challenges",
            Some(w.city_staff()),
            body(json!({"org_id": w.tree.city})),
            StatusCode::CREATED,
            "the city's staff post for the city union",
        )
        .await;
    assert_eq!(
        (&ch["org_id"], &ch["studio_id"], &ch["studio_name"]),
        (&json!(w.tree.city), &json!(null), &json!("西安市总工会"))
    );
    let ch = id(&ch);
    // A draft is the union's own business.
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/challenges/{ch}"), Some(w.b()))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    w.app
        .expect_post_empty(
            &format!("/api/v1/challenges/{ch}/publish"),
            Some(w.city_staff()),
            StatusCode::OK,
            "publishing",
        )
        .await;
    let board = w
        .app
        .expect_get("/api/v1/challenges", None, StatusCode::OK, "the board")
        .await;
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == ch)
    );

    // A studio claims; another union's staff cannot award; the city's staff award and accept.
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    let award = format!("/api/v1/challenges/{ch}/claims/{claim}/award");
    assert_eq!(
        w.post(&award, w.far_staff(), json!({})).await.0,
        StatusCode::FORBIDDEN
    );
    w.app
        .expect_post(
            &award,
            Some(w.city_staff()),
            json!({}),
            StatusCode::OK,
            "the union awards (挂帅)",
        )
        .await;
    let told = w
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(w.b()),
            StatusCode::OK,
            "the claimant hears",
        )
        .await;
    assert!(told.to_string().contains("全市公交车辆空调"), "{told}");
    w.deliver(
        ch,
        w.b(),
        "加装导风罩并优化压缩机启停策略，车厢温度降到 26℃",
    )
    .await;
    let news = w
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(w.city_staff()),
            StatusCode::OK,
            "the poster hears",
        )
        .await;
    assert!(news.to_string().contains("全市公交车辆空调"), "{news}");
    w.app
        .expect_post(
            &format!("/api/v1/challenges/{ch}/accept"),
            Some(w.city_staff()),
            json!({"rating": 5}),
            StatusCode::OK,
            "the union accepts",
        )
        .await;
    let o = w
        .app
        .expect_post("/api/v1/outcomes", Some(w.city_staff()), json!({"studio_id": w.b_studio(), "challenge_id": ch,
              "title": "公交空调导风改造法", "summary": "车厢温度降到 26℃", "kind": "technical_innovation"}),
              StatusCode::CREATED, "the union records the outcome for the awarded studio")
        .await;
    let outcome = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{}", id(&o)),
            None,
            StatusCode::OK,
            "the outcome",
        )
        .await;
    assert_eq!(outcome["studio_id"], w.b_studio());
    let claimed = w
        .app
        .browser_of(w.b())
        .get(w.app.url(&format!("/studios/{}/work", w.b_studio())))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        claimed.contains("全市公交车辆空调夏季制冷不足") && claimed.contains("西安市总工会"),
        "the claimant's work lists it"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_challenge_form_offers_the_staffs_union_as_poster() {
    let w = World::start().await.with_union_people().await;
    let staff = w.app.browser_of(w.city_staff());
    let form = staff
        .get(w.app.url("/challenges/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(&format!("value=\"o:{}\"", w.tree.city)),
        "{form}"
    );
    let res = staff
        .post(w.app.url("/challenges/new"))
        .form(&[
            ("studio_id", format!("o:{}", w.tree.city)),
            ("title", "职工食堂高峰排队时间过长".to_owned()),
            ("description", "午餐高峰排队超过 20 分钟。".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("职工食堂高峰排队时间过长") && page.contains("工会发榜"),
        "{page}"
    );
    w.app.cleanup().await;
}
