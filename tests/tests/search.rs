//! Search through the running server: a change becomes searchable from the outbox, Chinese and
//! mixed queries work, drafts and offline studios stay out, odd queries never make a 500, and
//! the similar check finds existing challenges.

use lianmeng_tests::{StatusCode, TestApp, Value, World, id, json, unique};

/// Searches anonymously until `want` holds (the indexer runs in the background).
async fn search_until(app: &TestApp, query: &str, want: impl Fn(&Value) -> bool) -> Value {
    app.search_until(None, query, want).await
}

fn has(body: &Value, kind: &str, id: i64) -> bool {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == kind && i["id"] == id)
}

#[tokio::test]
async fn published_challenges_and_online_studios_become_searchable() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, lead) = app.register_and_login_as(&unique("lead"), "李明").await;
    let studio = app
        .online_studio(
            &lead,
            org,
            "李明焊接技能大师工作室",
            json!({"field": "船体焊缝超声检测"}),
        )
        .await;
    let (_, draft_lead) = app.register_and_login_as(&unique("draft"), "王芳").await;
    let hidden = app
        .create_studio(&draft_lead, org, "王芳焊缝未上线工作室")
        .await;

    let body = json!({"studio_id": studio, "title": "PLC 故障导致焊接机器人停机", "description": "6kV 开关柜旁的焊缝检测工位，主轴轴承异响。", "industry": "machinery", "tags": ["焊缝"]});
    let ch = app
        .expect_post(
            "/api/v1/challenges",
            Some(&lead),
            body,
            StatusCode::CREATED,
            "posting a challenge",
        )
        .await;
    let ch = id(&ch);
    let draft = app
        .expect_post(
            "/api/v1/challenges",
            Some(&lead),
            json!({"studio_id": studio, "title": "焊缝草稿不应被搜到", "description": "草稿"}),
            StatusCode::CREATED,
            "posting a challenge",
        )
        .await;
    let draft = id(&draft);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(&lead),
        StatusCode::OK,
        "publishing the challenge",
    )
    .await;

    let found = search_until(&app, "q=%E7%84%8A%E7%BC%9D", |b| {
        has(b, "challenge", ch) && has(b, "studio", studio)
    })
    .await; // 焊缝
    assert!(
        !has(&found, "challenge", draft),
        "a draft is never searchable"
    );
    assert!(
        !has(&found, "studio", hidden),
        "a studio not yet online is never searchable"
    );
    let hit = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == ch && i["kind"] == "challenge")
        .unwrap();
    assert!(hit["snippet"].as_str().unwrap().contains("<em>"), "{hit}");
    assert!(found["facets"]["kind"]["challenge"].as_u64().unwrap() >= 1);

    for q in [
        "PLC%20%E6%95%85%E9%9A%9C",
        "6kV%20%E5%BC%80%E5%85%B3%E6%9F%9C",
        "%E8%BD%B4%E6%89%BF",
    ] {
        // PLC 故障, 6kV 开关柜, 轴承
        let (status, body) = app
            .get_json(&format!("/api/v1/search?q={q}&kind=challenge"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(has(&body, "challenge", ch), "{q}: {body}");
    }
    let studios_only = app
        .expect_get(
            "/api/v1/search?q=%E7%84%8A%E7%BC%9D&kind=studio",
            None,
            StatusCode::OK,
            "searching studios only",
        )
        .await;
    assert!(
        studios_only["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["kind"] == "studio")
    );

    let page = app
        .client
        .get(app.url("/search?q=%E7%84%8A%E7%BC%9D"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<em>焊缝</em>") && html.contains("PLC 故障导致焊接机器人停机"),
        "the search page shows highlighted hits"
    );

    // Cancelling changes its status facet; the index follows.
    app.expect_post(
        &format!("/api/v1/challenges/{ch}/cancel"),
        Some(&lead),
        json!({"reason": "重复"}),
        StatusCode::OK,
        "cancelling the challenge",
    )
    .await;
    search_until(&app, "q=%E7%84%8A%E7%BC%9D&status=cancelled", |b| {
        has(b, "challenge", ch)
    })
    .await;
    app.cleanup().await;
}

#[tokio::test]
async fn odd_queries_are_refused_or_empty_never_a_server_error() {
    let app = TestApp::spawn().await;
    let long = "焊".repeat(2_000); // far over the 200-character bound, still a valid URL
    for q in [
        long.as_str(),
        "\"\"\"",
        "***",
        "AND OR NOT",
        ":",
        "\"焊缝",
        "(((",
        "\u{0}",
    ] {
        let (status, body) = app
            .get_json(&format!("/api/v1/search?q={}", urlencode(q)), None)
            .await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q:?}: {status} {body}"
        );
        if status == StatusCode::OK {
            assert_eq!(body["total"], 0, "{q:?}");
        }
    }
    let (status, _) = app
        .get_json("/api/v1/search?q=%E7%84%8A%E7%BC%9D&cursor=garbage", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .get_json("/api/v1/search?q=%E7%84%8A%E7%BC%9D&limit=100000", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.cleanup().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_similar_check_finds_existing_challenges_for_a_draft() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, lead) = app.register_and_login_as(&unique("lead"), "李明").await;
    let studio = app
        .online_studio(&lead, org, "李明焊接技能大师工作室", json!({}))
        .await;
    let ch = app.expect_post("/api/v1/challenges", Some(&lead), json!({"studio_id": studio, "title": "大型铸件焊缝超声波探伤漏检率高", "description": "焊缝返修率上升，探伤漏检。"}), StatusCode::CREATED, "posting a challenge").await;
    let ch = id(&ch);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(&lead),
        StatusCode::OK,
        "publishing the challenge",
    )
    .await;
    search_until(&app, "q=%E6%8E%A2%E4%BC%A4", |b| has(b, "challenge", ch)).await; // 探伤
    let (status, similar) = app.get_json("/api/v1/challenges/similar?text=%E9%93%B8%E4%BB%B6%E7%84%8A%E7%BC%9D%E6%8E%A2%E4%BC%A4%E6%BC%8F%E6%A3%80", None).await; // 铸件焊缝探伤漏检
    assert_eq!(status, StatusCode::OK, "{similar}");
    assert_eq!(similar["items"][0]["id"], ch, "{similar}");
    assert_eq!(similar["items"][0]["studio_id"], studio);
    let (status, _) = app.get_json("/api/v1/challenges/similar?text=", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The index remembers how far it got: after catching up it stands at the newest outbox row.
    // (A row's document is loaded when it is applied, so a search can find the published
    // challenge while its publish row is still to be applied: wait for the catching up.)
    let newest = app.outbox().await.last().unwrap().id;
    let index = app.state.search.clone();
    lianmeng_tests::eventually("the index catches up", lianmeng_tests::BACKGROUND, || {
        let index = index.clone();
        async move {
            let applied = tokio::task::spawn_blocking(move || index.last_applied().unwrap())
                .await
                .unwrap();
            (applied == Some(newest)).then_some(())
        }
    })
    .await;
    app.cleanup().await;
}

#[tokio::test]
async fn studios_are_recommended_challenges_that_fit_them_and_posters_see_whom_to_invite() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, welder) = app.register_and_login_as(&unique("welder"), "李明").await;
    let fit = app
        .online_studio(
            &welder,
            org,
            "李明焊接技能大师工作室",
            json!({"field": "焊缝超声探伤", "intro": "专注厚板焊缝探伤与焊接质量控制。"}),
        )
        .await;
    let (_, poster) = app.register_and_login_as(&unique("poster"), "王建国").await;
    let own = app
        .online_studio(
            &poster,
            org,
            "王建国数控创新工作室",
            json!({"field": "数控加工"}),
        )
        .await;
    let ch = app.expect_post("/api/v1/challenges", Some(&poster), json!({"studio_id": own, "title": "厚板焊缝超声探伤漏检", "description": "焊缝探伤漏检率高，需要改进探伤工艺。"}), StatusCode::CREATED, "posting a challenge").await;
    let ch = id(&ch);
    app.expect_post_empty(
        &format!("/api/v1/challenges/{ch}/publish"),
        Some(&poster),
        StatusCode::OK,
        "publishing the challenge",
    )
    .await;
    search_until(&app, "q=%E6%8E%A2%E4%BC%A4", |b| {
        has(b, "challenge", ch) && has(b, "studio", fit)
    })
    .await; // 探伤

    let (status, rec) = app
        .get_json(
            &format!("/api/v1/studios/{fit}/recommendations"),
            Some(&welder),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rec}");
    assert!(
        rec["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == ch),
        "{rec}"
    );
    let own_rec = app
        .expect_get(
            &format!("/api/v1/studios/{own}/recommendations"),
            Some(&poster),
            StatusCode::OK,
            "reading the poster studio's recommendations",
        )
        .await;
    assert!(
        own_rec["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != ch),
        "never one's own challenge"
    );
    let (status, inv) = app
        .get_json(&format!("/api/v1/challenges/{ch}/invitees"), Some(&poster))
        .await;
    assert_eq!(status, StatusCode::OK, "{inv}");
    let ids: Vec<i64> = inv["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&fit) && !ids.contains(&own), "{inv}");
    app.cleanup().await;
}

#[tokio::test]
async fn snippets_show_the_text_people_read_not_its_markdown() {
    let w = World::start().await.with_poster_studio().await;
    // The world's challenge says "近半年焊缝返修率上升到 **3.2%**".
    w.open_challenge(json!({})).await;
    let found = w
        .app
        .search_until(None, "q=返修率", |b| {
            b["items"].as_array().is_some_and(|i| !i.is_empty())
        })
        .await;
    let snippet = found["items"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("3.2%"), "{snippet}");
    assert!(
        !snippet.contains("**"),
        "no Markdown marks in a snippet: {snippet}"
    );
}

#[tokio::test]
async fn a_snippet_from_the_middle_says_there_is_more_and_an_empty_search_helps() {
    let w = World::start().await.with_poster_studio().await;
    let long = format!(
        "{}主轴热变形补偿是这次攻关的关键。{}",
        "数控车床在连续加工三个小时以后，主轴前端温度明显上升，工件尺寸随之漂移，返工增多。"
            .repeat(3),
        "后续还要在二号线、三号线的同型号机床上验证，并形成操作法在全厂推广。".repeat(3)
    );
    w.open_challenge(json!({"title": "数控车床加工尺寸漂移", "description": long}))
        .await;
    let found = w
        .app
        .search_until(None, "q=热变形&kind=challenge", |b| {
            b["items"].as_array().is_some_and(|i| !i.is_empty())
        })
        .await;
    let snippet = found["items"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<em>"), "{snippet}");
    assert!(
        snippet.starts_with('…') && snippet.ends_with('…'),
        "cut inside the text, and says so: {snippet}"
    );

    // Nothing found: the page offers each word alone and places to browse.
    let page = w
        .app
        .client
        .get(
            w.app
                .url("/search?q=%E7%83%AD%E5%8F%98%E5%BD%A2+%E6%BD%9C%E6%B0%B4%E8%89%87"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("没有找到相关内容"), "{page}");
    assert!(
        page.contains("试试只搜其中一个词") && page.contains(">热变形</a>"),
        "{page}"
    );
    assert!(page.contains("href=\"/challenges\""));
    w.app.cleanup().await;
}
