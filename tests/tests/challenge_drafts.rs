//! Writing a challenge: the similar check (已有相似榜单) shows only work really close to the
//! draft, with its studio's name, and works without script (查重 saves nothing); a draft stays
//! editable until it is published; the steps on a challenge page each end with a message, and
//! a claim's team is picked by the names people use.

use lianmeng_tests::{BACKGROUND, StatusCode, World, eventually, id, json};

fn q(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn a_draft_stays_editable_by_its_poster_until_it_is_published() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let (status, draft) = w
        .post(
            "/api/v1/challenges",
            w.poster(),
            json!({"studio_id": w.poster_studio(), "title": "焊缝探伤漏检", "description": "返修率上升",
                   "reward_yuan": 20000, "deadline": "2099-06-30"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let ch = id(&draft);
    let path = format!("/api/v1/challenges/{ch}");
    let changed = w
        .app
        .expect_patch(
            &path,
            Some(w.poster()),
            json!({"title": "大型铸件焊缝超声波探伤漏检率高", "tags": ["焊缝", "探伤"], "reward_yuan": null}),
            StatusCode::OK,
            "rewriting the draft",
        )
        .await;
    assert_eq!(changed["title"], "大型铸件焊缝超声波探伤漏检率高");
    assert_eq!(changed["tags"], json!(["焊缝", "探伤"]));
    assert!(changed["reward_yuan"].is_null(), "null clears the reward");
    assert_eq!(changed["deadline"], "2099-06-30", "fields left out stay");

    // Bad input is refused field by field and changes nothing.
    let (status, problem) = w
        .app
        .patch_json(
            &path,
            Some(w.poster()),
            json!({"title": "不该保存的标题", "deadline": "2020-01-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "deadline", "{problem}");
    // Another studio's leader does not even see the draft.
    let (status, _) = w
        .app
        .patch_json(&path, Some(w.b()), json!({"title": "别人的改动"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, shown) = w.app.get_json(&path, Some(w.poster())).await;
    assert_eq!(shown["title"], "大型铸件焊缝超声波探伤漏检率高");

    // Published, it no longer changes under its claimants.
    w.app
        .expect_post_empty(
            &format!("{path}/publish"),
            Some(w.poster()),
            StatusCode::OK,
            "publishing",
        )
        .await;
    let (status, problem) = w
        .app
        .patch_json(&path, Some(w.poster()), json!({"title": "发榜后再改"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["code"], "not_draft");
}

#[tokio::test]
async fn the_similar_check_shows_only_close_work_with_its_studio_name() {
    let w = World::start().await.with_poster_studio().await;
    let ch = w
        .open_challenge(json!({"title": "数控机床主轴热变形导致加工精度下降",
            "description": "连续加工 3 小时后主轴热伸长，Z 向尺寸漂移 0.03 mm，需要热变形补偿方法。",
            "tags": ["主轴", "热变形"]}))
        .await;
    let close = format!(
        "/api/v1/challenges/similar?text={}",
        q("主轴热变形补偿，加工精度漂移")
    );
    let found = eventually("the challenge is indexed", BACKGROUND, || async {
        let (_, found) = w.app.get_json(&close, Some(w.poster())).await;
        (found["items"][0]["id"] == ch).then_some(found)
    })
    .await;
    let item = &found["items"][0];
    assert_eq!(item["studio_id"], w.poster_studio());
    assert_eq!(item["studio_name"], "王建国劳模创新工作室");
    assert!(item["closeness"].as_f64().unwrap() >= 0.5, "{found}");
    // An unrelated draft is close to nothing, although 职工 and 时间 are common words.
    let far = format!(
        "/api/v1/challenges/similar?text={}",
        q("职工食堂午餐排队时间过长")
    );
    let (status, none) = w.app.get_json(&far, Some(w.poster())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(none["items"], json!([]), "{none}");

    // Without script: 查重 on the form shows the same, keeps what was typed and saves nothing.
    let before = w.app.outbox().await.len();
    let page = w.app.browser_of(w.poster());
    let res = page
        .post(w.app.url("/challenges/new"))
        .form(&[
            ("studio_id", w.poster_studio().to_string()),
            ("title", "主轴热变形补偿".to_owned()),
            ("description", "加工精度漂移".to_owned()),
            ("check", "1".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.url().path(), "/challenges/new");
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"/challenges/{ch}\""))
            && html.contains("王建国劳模创新工作室"),
        "{html}"
    );
    assert!(
        html.contains("value=\"主轴热变形补偿\""),
        "the title is kept"
    );
    let res = page
        .post(w.app.url("/challenges/new"))
        .form(&[("title", "职工食堂午餐排队时间过长"), ("check", "1")])
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("没有发现相似的榜单或成果")
    );
    assert_eq!(w.app.outbox().await.len(), before, "查重 saves nothing");
}

#[tokio::test]
async fn the_draft_form_rewrites_and_every_step_says_what_it_did() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_member_in_c()
        .await;
    let leader = w.app.browser_of(w.poster());
    let res = leader
        .post(w.app.url("/challenges/new"))
        .form(&[
            ("studio_id", w.poster_studio().to_string()),
            ("title", "变速箱壳体渗漏检测".to_owned()),
            ("description", "人工水检耗时".to_owned()),
            ("reward_yuan", "30000".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().query(), Some("done=posted"));
    let ch: i64 = res
        .url()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("草稿已保存") && html.contains(&format!("/challenges/{ch}/edit")));
    // The edit form is filled in; a bad reward is refused beside the field and nothing changes.
    let form = leader
        .get(w.app.url(&format!("/challenges/{ch}/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"变速箱壳体渗漏检测\""), "{form}");
    let res = leader
        .post(w.app.url(&format!("/challenges/{ch}/edit")))
        .form(&[
            ("title", "新标题"),
            ("description", "新描述"),
            ("reward_yuan", "-5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().await.unwrap().contains("value=\"新标题\""),
        "the typing is kept"
    );
    let draft = format!("/api/v1/challenges/{ch}");
    assert_eq!(
        w.app.get_json(&draft, Some(w.poster())).await.1["title"],
        "变速箱壳体渗漏检测"
    );
    let res = leader
        .post(w.app.url(&format!("/challenges/{ch}/edit")))
        .form(&[
            ("title", "变速箱壳体渗漏快速检测"),
            ("description", "人工水检单件 15 分钟"),
            ("reward_yuan", "40000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().query(), Some("done=saved"));
    assert!(res.text().await.unwrap().contains("草稿已保存"));
    assert_eq!(
        w.app.get_json(&draft, Some(w.poster())).await.1["reward_yuan"],
        40000
    );
    // 发榜 is asked first on the page, then says what it did.
    let page = leader
        .get(w.app.url(&format!("/challenges/{ch}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("发榜后所有人都能看到并揭榜") && page.contains("确认发榜"));
    let res = leader
        .post(w.app.url(&format!("/challenges/{ch}/publish")))
        .form(&[("x", "")])
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("已发榜，所有人都能看到并揭榜")
    );

    // A claim's team is named by Chinese name. Two people called 刘宇轩: the page lists both
    // with their studio and keeps the proposal; the username then settles it.
    let (_, _other) = w
        .app
        .register_and_login_as(&lianmeng_tests::unique("namesake"), "刘宇轩")
        .await;
    let claimant = w.app.browser_of(w.c());
    let claim = |member: String| {
        let claimant = claimant.clone();
        let url = w.app.url(&format!("/challenges/{ch}/claims"));
        let studio = w.c_studio().to_string();
        async move {
            claimant
                .post(url)
                .form(&[
                    ("studio_id", studio),
                    ("proposal", "差压式气密检测替代水检".to_owned()),
                    ("member1", member),
                    ("share1", "40".to_owned()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = claim("刘宇轩".to_owned()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("找到 2 位")
            && html.contains("张雅琴计量创新工作室")
            && html.contains("差压式气密检测替代水检"),
        "{html}"
    );
    let member = w.me(w.c_member()).await;
    let res = claim(member["username"].as_str().unwrap().to_owned()).await;
    assert_eq!(res.url().query(), Some("done=claimed"));
    assert!(res.text().await.unwrap().contains("已揭榜"));
    let claims = w.detail(ch).await["claims"].clone();
    let team = claims[0]["team"].as_array().unwrap();
    assert!(
        team.iter().any(|m| m["user_id"] == w.c_member_id()),
        "{claims}"
    );
}
