//! The studio directory (filters and keyset paging), the outbox, and lengths in characters.

use std::collections::HashSet;

use lianmeng_tests::{StatusCode, TestApp, Value, assert_invalid, full_profile, id, json};

/// The ids of a list answer.
fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {page}"))
        .iter()
        .map(id)
        .collect()
}

#[tokio::test]
async fn the_directory_filters_by_industry_region_kind_and_online() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("director").await;
    let power_xian = app
        .online_studio(
            &leader,
            org,
            "电网带电作业创新工作室",
            json!({"industry": "power", "region": "西安市"}),
        )
        .await;
    let power_baoji = app
        .online_studio(
            &leader,
            org,
            "变电运维劳模工作室",
            json!({"industry": "power", "region": "宝鸡市", "kind": "research"}),
        )
        .await;
    let rail_xian = app
        .online_studio(
            &leader,
            org,
            "高铁转向架检修工作室",
            json!({"industry": "rail", "region": "西安市"}),
        )
        .await;
    let draft = app
        .create_studio(&leader, org, "尚未上线的草稿工作室")
        .await;

    let get = |q: &'static str, token: Option<String>| {
        let app = &app;
        async move {
            let (status, page) = app
                .get_json(&format!("/api/v1/studios{q}"), token.as_deref())
                .await;
            assert_eq!(status, StatusCode::OK, "{q}: {page}");
            assert_eq!(page["next_cursor"], Value::Null, "{q}: one page");
            ids(&page)
        }
    };
    assert_eq!(
        get("", None).await,
        [power_xian, power_baoji, rail_xian],
        "anonymous readers see online studios"
    );
    assert_eq!(
        get("?industry=power", None).await,
        [power_xian, power_baoji]
    );
    assert_eq!(
        get("?region=%E8%A5%BF%E5%AE%89%E5%B8%82", None).await,
        [power_xian, rail_xian]
    );
    assert_eq!(
        get("?industry=power&region=%E8%A5%BF%E5%AE%89%E5%B8%82", None).await,
        [power_xian]
    );
    assert_eq!(get("?kind=research", None).await, [power_baoji]);
    assert_eq!(get("?industry=textiles", None).await, Vec::<i64>::new());
    assert_eq!(
        get("?online=true", None).await,
        [power_xian, power_baoji, rail_xian]
    );
    assert_eq!(
        get("?online=false", None).await,
        Vec::<i64>::new(),
        "nobody else's drafts"
    );
    assert_eq!(
        get("?online=false", Some(leader.clone())).await,
        [draft],
        "one's own drafts"
    );
    assert_eq!(
        get("?industry=&region=", None).await.len(),
        3,
        "empty filters mean any"
    );
    let (_, outsider) = app.register_and_login("nosy").await;
    assert_eq!(
        get("?online=false", Some(outsider)).await,
        Vec::<i64>::new()
    );

    let (status, problem) = app.get_json("/api/v1/studios?online=maybe", None).await;
    assert_invalid(status, &problem, "online");
    app.cleanup().await;
}

#[tokio::test]
async fn paging_walks_every_studio_once_in_order() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("pager").await;
    let mut expected = Vec::new();
    for i in 1..=7 {
        expected.push(
            app.online_studio(&leader, org, &format!("第{i}号技能大师工作室"), json!({}))
                .await,
        );
        if i % 3 == 0 {
            app.create_studio(&leader, org, &format!("草稿工作室{i}"))
                .await;
        }
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/studios?limit=3&online=true&cursor={c}"),
            None => "/api/v1/studios?limit=3&online=true".to_owned(),
        };
        let (status, page) = app.get_json(&path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        let got = ids(&page);
        assert!(got.len() <= 3);
        seen.extend(got);
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10, "paging must end");
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        seen.len(),
        "no duplicates: {seen:?}"
    );
    assert_eq!(seen, expected, "no gaps, in id order");

    let all = app
        .expect_get(
            "/api/v1/studios?limit=100",
            None,
            StatusCode::OK,
            "listing up to 100 studios",
        )
        .await;
    assert_eq!(ids(&all), expected);
    let default = app
        .expect_get(
            "/api/v1/studios",
            None,
            StatusCode::OK,
            "listing studios with the default limit",
        )
        .await;
    assert_eq!(ids(&default).len(), 7, "the default limit is 20");
    app.cleanup().await;
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_rejected() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=c", "cursor"),
        ("cursor=cffffffffffffffffffff", "cursor"),
        ("limit=1000", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=abc", "limit"),
    ] {
        let (status, problem) = app
            .get_json(&format!("/api/v1/studios?{query}"), None)
            .await;
        assert_invalid(status, &problem, field);
    }
    let (status, _) = app.get_json("/api/v1/studios?limit=100", None).await;
    assert_eq!(status, StatusCode::OK);
    app.cleanup().await;
}

#[tokio::test]
async fn every_studio_change_writes_an_outbox_row() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("outboxer").await;
    let (member_id, member) = app.register_and_login("helper").await;
    let before = app.outbox().await.len();
    let studio = app
        .create_studio(&leader, org, "孙师傅模具创新工作室")
        .await;
    let path = format!("/api/v1/studios/{studio}");
    let mut fill = full_profile("孙师傅模具创新工作室", org);
    fill.as_object_mut().unwrap().remove("org_id");
    app.expect_patch(
        &path,
        Some(&leader),
        fill,
        StatusCode::OK,
        "filling in the profile",
    )
    .await;
    app.join_studio(studio, &leader, (member_id, &member), "apprentice")
        .await;
    app.expect_post_empty(
        &format!("{path}/onboard"),
        Some(&leader),
        StatusCode::OK,
        "taking the studio online",
    )
    .await;
    let (status, _) = app
        .patch_json(&path, Some(&leader), json!({"founded_on": "bad"}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejected change writes nothing"
    );

    let rows = app.outbox().await;
    assert_eq!(before, 0, "making orgs and accounts is not in the outbox");
    let ops: Vec<(&str, i64, &str)> = rows
        .iter()
        .map(|r| (r.kind.as_str(), r.entity_id, r.op.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("studio", studio, "create"),
            ("studio", studio, "update"),
            ("studio", studio, "members"),
            ("studio", studio, "online")
        ]
    );
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    app.cleanup().await;
}

#[tokio::test]
async fn lengths_are_counted_in_characters() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("counter").await;
    let sixty = "焊".repeat(53) + "技能大师工作室";
    assert_eq!(sixty.chars().count(), 60);
    assert_eq!(sixty.len(), 180, "three bytes a character");
    let body = json!({"name": sixty, "org_id": org, "kind": "other"});
    let (status, studio) = app.post_json("/api/v1/studios", Some(&leader), body).await;
    assert_eq!(status, StatusCode::CREATED, "{studio}");
    assert_eq!(studio["name"].as_str().unwrap().chars().count(), 60);

    let sixty_one = format!("{sixty}室");
    let body = json!({"name": sixty_one, "org_id": org, "kind": "other"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&leader), body).await;
    assert_invalid(status, &problem, "name");
    let (status, problem) = app
        .patch_json(
            &format!("/api/v1/studios/{}", id(&studio)),
            Some(&leader),
            json!({"name": sixty_one}),
        )
        .await;
    assert_invalid(status, &problem, "name");

    let region = "区".repeat(60);
    let (status, _) = app
        .patch_json(
            &format!("/api/v1/studios/{}", id(&studio)),
            Some(&leader),
            json!({"region": region}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app
        .patch_json(
            &format!("/api/v1/studios/{}", id(&studio)),
            Some(&leader),
            json!({"region": format!("{region}区")}),
        )
        .await;
    assert_invalid(status, &problem, "region");
    let (status, problem) = app
        .patch_json(
            &format!("/api/v1/studios/{}", id(&studio)),
            Some(&leader),
            json!({"intro": "第一行\u{0}第二行"}),
        )
        .await;
    assert_invalid(status, &problem, "intro");
    app.cleanup().await;
}
