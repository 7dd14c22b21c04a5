//! Outcomes (成果): from an accepted challenge to the showcase, with contributors by share and
//! the showcase's filters; and outcomes published on their own.

use lianmeng_tests::{
    BACKGROUND, StatusCode, TestApp, World, eventually, field_names, id, json, unique,
};

#[tokio::test]
async fn an_accepted_challenge_becomes_an_outcome_credited_by_share() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_member_in_c()
        .await;
    let app = &w.app;
    let (poster, poster_studio) = (w.poster(), w.poster_studio());
    let (b_id, b, b_studio) = (w.b_id(), w.b(), w.b_studio());
    let (c_studio, m_id) = (w.c_studio(), w.c_member_id());

    let ch = app.expect_post("/api/v1/challenges", Some(poster), json!({
        "studio_id": poster_studio, "title": "主轴热变形导致加工精度波动", "description": "连续加工 4 小时后精度下降", "industry": "machinery"
    }), StatusCode::CREATED, "posting the challenge").await;
    let ch = id(&ch);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(poster),
        StatusCode::OK,
        "publishing it",
    )
    .await;
    let k = app.expect_post(&format!("/api/v1/challenges/{ch}/claims"), Some(b), json!({
        "studio_id": b_studio, "proposal": "热误差补偿模型",
        "members": [{"user_id": b_id, "share_percent": 60}, {"user_id": m_id, "share_percent": 40}]
    }), StatusCode::CREATED, "B claims with C's member").await;
    let k = id(&k);
    let outcome = json!({
        "studio_id": b_studio, "challenge_id": ch, "title": "数控机床主轴热误差补偿法",
        "summary": "精度波动由 12μm 降至 3μm", "kind": "operating_method", "industry": "machinery",
        "benefit_yuan": 1_200_000, "transferable": true
    });
    let (status, p) = app
        .post_json("/api/v1/outcomes", Some(poster), outcome.clone())
        .await;
    assert_eq!(
        (status, p["current_status"].as_str()),
        (StatusCode::CONFLICT, Some("open")),
        "{p}"
    );
    w.award(ch, k).await;
    w.deliver(ch, b, "补偿后精度稳定").await;
    app.expect_post(
        &format!("/api/v1/challenges/{ch}/accept"),
        Some(poster),
        json!({"rating": 4}),
        StatusCode::OK,
        "the poster accepts the delivery",
    )
    .await;

    // Before recording, the page shows outcomes like this one (已有成果).
    let (status, earlier) = app
        .post_json("/api/v1/outcomes", Some(poster), json!({
            "studio_id": poster_studio, "title": "主轴热变形误差补偿操作法",
            "summary": "数控机床主轴热变形导致的加工精度波动，用温度测点建模补偿", "kind": "operating_method"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{earlier}");
    eventually(
        "the accepted challenge's page offers the similar-outcome check",
        BACKGROUND,
        || async {
            let page = app
                .client
                .get(app.url(&format!("/challenges/{ch}")))
                .bearer_auth(poster)
                .send()
                .await;
            let html = page.unwrap().text().await.unwrap();
            (html.contains("id=\"similar-outcomes\"") && html.contains("主轴热变形误差补偿操作法"))
                .then_some(())
        },
    )
    .await;

    let mut wrong = outcome.clone();
    wrong["studio_id"] = json!(poster_studio);
    let (status, p) = app.post_json("/api/v1/outcomes", Some(poster), wrong).await;
    assert_eq!(
        (status, field_names(&p)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["studio_id".to_owned()]
        )
    );

    let (status, created) = app
        .post_json("/api/v1/outcomes", Some(poster), outcome)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let oid = id(&created);
    let detail = app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading the outcome",
        )
        .await;
    assert_eq!(detail["challenge_id"], ch);
    let credits: Vec<(i64, i64)> = detail["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["studio_id"].as_i64().unwrap(),
                c["share_percent"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(credits, [(b_studio, 60), (c_studio, 40)]);
    let ch_now = app
        .expect_get(
            &format!("/api/v1/challenges/{ch}"),
            None,
            StatusCode::OK,
            "reading the challenge",
        )
        .await;
    assert_eq!(ch_now["status"], "closed");
    assert_eq!(ch_now["outcome_id"], oid);

    let (_, stranger) = app
        .register_and_login_as(&unique("stranger"), "赵卫东")
        .await;
    let (status, _) = app
        .post_json(
            &format!("/api/v1/outcomes/{oid}/adoptions"),
            Some(&stranger),
            json!({"org_id": w.org, "place": "二车间", "effect": "废品率下降 40%"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only a person of the adopting unit or staff above it records an adoption"
    );
    let detail = app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading the outcome",
        )
        .await;
    assert!(detail["adoptions"].as_array().unwrap().is_empty());

    let showcase = app
        .expect_get(
            &format!(
                "/api/v1/outcomes?kind=operating_method&transferable=true&studio_id={c_studio}"
            ),
            None,
            StatusCode::OK,
            "reading C's showcase",
        )
        .await;
    assert_eq!(
        showcase["items"][0]["id"], oid,
        "a contributing studio's showcase lists it"
    );
    let none = app
        .expect_get(
            "/api/v1/outcomes?kind=patent",
            None,
            StatusCode::OK,
            "listing patents",
        )
        .await;
    assert!(none["items"].as_array().unwrap().is_empty());
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_studio_publishes_an_outcome_of_its_own() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, lead) = app.register_and_login_as(&unique("lead"), "李明").await;
    let studio = app
        .online_studio(&lead, org, "李明焊接技能大师工作室", json!({}))
        .await;
    let (status, p) = app.post_json("/api/v1/outcomes", Some(&lead), json!({"studio_id": studio, "title": "一种焊缝检测工装", "summary": "提高检测效率", "kind": "patent"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&p), ["patent_no"]);
    let (status, created) = app.post_json("/api/v1/outcomes", Some(&lead), json!({"studio_id": studio, "title": "一种焊缝检测工装", "summary": "提高检测效率", "kind": "patent", "patent_no": "ZL202310000001.X"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, other) = app.register_and_login_as(&unique("other"), "外人").await;
    let (status, _) = app
        .post_json(
            "/api/v1/outcomes",
            Some(&other),
            json!({"studio_id": studio, "title": "冒名成果", "summary": "x", "kind": "other"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_json("/api/v1/outcomes/999999", None).await.0,
        StatusCode::NOT_FOUND
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_unions_outcomes_go_out_to_xlsx() {
    use calamine::{Reader, Xlsx};

    let w = World::start().await.with_poster_studio().await;
    w.app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "title": "一种主轴温升控制方法", "summary": "降低温升 30%",
                   "kind": "patent", "patent_no": "ZL202410000002.1", "benefit_yuan": 120000}),
            StatusCode::CREATED,
            "publishing an outcome",
        )
        .await;
    let far = w
        .app
        .create_org(&w.admin, "甘肃省总工会", "province", None)
        .await;
    let sheet = |org: i64| {
        let url = w
            .app
            .url(&format!("/api/v1/exports/outcomes.xlsx?org_id={org}"));
        async move {
            let res = reqwest::get(url).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let bytes = res.bytes().await.unwrap().to_vec();
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let range = book.worksheet_range_at(0).unwrap().unwrap();
            range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        }
    };
    let rows = sheet(w.tree.city).await;
    assert_eq!(rows[0][0], "成果名称");
    let line = rows
        .iter()
        .find(|r| r[0] == "一种主轴温升控制方法")
        .expect("the outcome");
    assert_eq!(
        (line[1].as_str(), line[6].as_str(), line[7].as_str()),
        ("专利", "ZL202410000002.1", "120000")
    );
    assert_eq!(
        sheet(far).await.len(),
        1,
        "another province's sheet has the headings only"
    );
    let (status, _) = w
        .app
        .get_json("/api/v1/exports/outcomes.xlsx?org_id=999999", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .app
        .get_json("/api/v1/exports/outcomes.xlsx?org_id=x", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
