//! The union tree: building it, staff roles, deadlines and the onboarding dashboard.

use lianmeng_tests::{StatusCode, TestApp, Value, assert_invalid, id, json};

#[tokio::test]
async fn an_admin_builds_the_tree_from_province_to_enterprise() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (status, city) = app
        .get_json(&format!("/api/v1/orgs/{}", tree.city), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{city}");
    assert_eq!(city["name"], "西安市总工会");
    assert_eq!(city["level"], "city");
    assert_eq!(city["parent_id"], tree.province);
    let children = city["children"].as_array().expect("children");
    assert_eq!(children.len(), 1);
    assert_eq!(children[0]["id"], tree.district);
    assert_eq!(children[0]["name"], "雁塔区总工会");

    let second = app
        .create_org(&admin, "莲湖区总工会", "district", Some(tree.city))
        .await;
    let city = app
        .expect_get(
            &format!("/api/v1/orgs/{}", tree.city),
            None,
            StatusCode::OK,
            "reading the city org",
        )
        .await;
    let ids: Vec<i64> = city["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(ids, [tree.district, second]);

    let enterprise = app
        .expect_get(
            &format!("/api/v1/orgs/{}", tree.enterprise),
            None,
            StatusCode::OK,
            "reading the enterprise org",
        )
        .await;
    assert_eq!(enterprise["level"], "enterprise");
    assert_eq!(enterprise["children"], json!([]));
    let (status, _) = app.get_json("/api/v1/orgs/999999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

#[tokio::test]
async fn only_an_admin_creates_a_root() {
    let app = TestApp::spawn().await;
    let (_, user) = app.register_and_login("qianfeng").await;
    let body = json!({"name": "江苏省总工会", "level": "province"});
    let (status, problem) = app
        .post_json("/api/v1/orgs", Some(&user), body.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "forbidden");
    let (status, _) = app.post_json("/api/v1/orgs", None, body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let roots = app
        .expect_get(
            "/api/v1/orgs",
            None,
            StatusCode::OK,
            "listing the root orgs",
        )
        .await;
    assert_eq!(roots["items"], json!([]), "nothing was created");
    app.cleanup().await;
}

#[tokio::test]
async fn levels_must_nest_downwards() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let body = json!({"name": "某厂工会", "level": "enterprise"});
    let (status, problem) = app.post_json("/api/v1/orgs", Some(&admin), body).await;
    assert_invalid(status, &problem, "level");

    let tree = app.org_tree(&admin).await;
    let body = json!({"name": "另一个省总工会", "level": "province", "parent_id": tree.city});
    let (status, problem) = app.post_json("/api/v1/orgs", Some(&admin), body).await;
    assert_invalid(status, &problem, "level");

    let body = json!({"name": "村工会", "level": "village", "parent_id": tree.city});
    let (status, problem) = app.post_json("/api/v1/orgs", Some(&admin), body).await;
    assert_invalid(status, &problem, "level");

    let body = json!({"name": "不存在的上级", "level": "city", "parent_id": 999999});
    let (status, problem) = app.post_json("/api/v1/orgs", Some(&admin), body).await;
    assert_invalid(status, &problem, "parent_id");
    app.cleanup().await;
}

#[tokio::test]
async fn city_staff_manage_their_subtree_only() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let other_province = app
        .create_org(&admin, "甘肃省总工会", "province", None)
        .await;
    let (staff_id, staff) = app.register_and_login_as("zhouguo", "周国").await;

    let grant = json!({"username": "zhouguo"});
    let path = format!("/api/v1/orgs/{}/staff", tree.city);
    let (status, _) = app.post_json(&path, Some(&staff), grant.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "nobody grants themselves a role"
    );
    let (status, body) = app.post_json(&path, Some(&admin), grant).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let me = app
        .expect_get("/api/v1/me", Some(&staff), StatusCode::OK, "reading /me")
        .await;
    assert_eq!(me["id"], staff_id);
    assert!(
        me["roles"]
            .as_array()
            .unwrap()
            .contains(&json!(format!("staff:{}", tree.city))),
        "{me}"
    );

    let body = json!({"name": "陕西重型汽车有限公司工会", "level": "enterprise", "parent_id": tree.district});
    let (status, org) = app.post_json("/api/v1/orgs", Some(&staff), body).await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    assert_eq!(org["parent_id"], tree.district);

    let body = json!({"name": "兰州市总工会", "level": "city", "parent_id": other_province});
    let (status, _) = app.post_json("/api/v1/orgs", Some(&staff), body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json!({"name": "咸阳市总工会", "level": "city", "parent_id": tree.province});
    let (status, _) = app.post_json("/api/v1/orgs", Some(&staff), body).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the province is above the staff's city"
    );

    let body = json!({"username": "no_such_user"});
    let (status, problem) = app.post_json(&path, Some(&admin), body).await;
    assert_invalid(status, &problem, "user_id");
    app.cleanup().await;
}

#[tokio::test]
async fn staff_set_deadlines_and_bad_dates_are_rejected() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (_, staff) = app.register_and_login("majun").await;
    let grant = json!({"username": "majun"});
    app.expect_post(
        &format!("/api/v1/orgs/{}/staff", tree.city),
        Some(&admin),
        grant,
        StatusCode::NO_CONTENT,
        "giving a union role",
    )
    .await;

    let path = format!("/api/v1/orgs/{}/deadlines", tree.district);
    let body = json!({"deadline_demo": "2026-07-31", "deadline_all": "2026-12-31"});
    let (status, org) = app.put_json(&path, Some(&staff), body).await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["deadline_demo"], "2026-07-31");
    assert_eq!(org["deadline_all"], "2026-12-31");

    let (status, problem) = app
        .put_json(&path, Some(&staff), json!({"deadline_all": "2026-02-30"}))
        .await;
    assert_invalid(status, &problem, "deadline_all");
    let (status, problem) = app
        .put_json(&path, Some(&staff), json!({"deadline_demo": "明年七月"}))
        .await;
    assert_invalid(status, &problem, "deadline_demo");
    let org = app
        .expect_get(
            &format!("/api/v1/orgs/{}", tree.district),
            None,
            StatusCode::OK,
            "reading the org",
        )
        .await;
    assert_eq!(
        org["deadline_all"], "2026-12-31",
        "a rejected change changes nothing"
    );

    let (_, outsider) = app.register_and_login("yangfan").await;
    let (status, _) = app
        .put_json(
            &path,
            Some(&outsider),
            json!({"deadline_all": "2026-12-31"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.cleanup().await;
}

/// The dashboard row of `org` in a report.
fn row(report: &Value, org: i64) -> Value {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["org_id"] == org)
        .unwrap_or_else(|| panic!("no row for org {org}: {report}"))
        .clone()
}

#[tokio::test]
async fn the_onboarding_dashboard_rolls_up_counts_and_flags_late_orgs() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let second_ent = app
        .create_org(
            &admin,
            "西安电力机械厂工会",
            "enterprise",
            Some(tree.district),
        )
        .await;
    let lianhu = app
        .create_org(&admin, "莲湖区总工会", "district", Some(tree.city))
        .await;
    let lianhu_ent = app
        .create_org(&admin, "西安铁路局工会", "enterprise", Some(lianhu))
        .await;

    let (_, leader) = app.register_and_login("gaofei").await;
    app.create_studio(&leader, tree.enterprise, "高飞钳工创新工作室")
        .await;
    app.online_studio(&leader, second_ent, "电力设备检修劳模创新工作室", json!({}))
        .await;
    app.create_studio(&leader, lianhu_ent, "铁路信号工匠工作室")
        .await;

    let deadlines = json!({"deadline_all": "2020-07-31"});
    let (status, _) = app
        .put_json(
            &format!("/api/v1/orgs/{}/deadlines", tree.district),
            Some(&admin),
            deadlines,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let deadlines = json!({"deadline_all": "2999-12-31"});
    app.expect_put(
        &format!("/api/v1/orgs/{lianhu}/deadlines"),
        Some(&admin),
        deadlines,
        StatusCode::OK,
        "a later deadline for 莲湖区",
    )
    .await;

    let (status, report) = app
        .get_json(
            &format!("/api/v1/orgs/{}/onboarding", tree.city),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(
        report["today"].as_str().is_some_and(|d| d.len() == 10),
        "{report}"
    );
    let ids: Vec<i64> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["org_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        6,
        "the city and its subtree, nothing above: {ids:?}"
    );
    assert!(!ids.contains(&tree.province));
    let counts = |org| {
        let r = row(&report, org);
        (
            r["registered"].as_i64().unwrap(),
            r["online"].as_i64().unwrap(),
            r["late"].as_bool().unwrap(),
        )
    };
    assert_eq!(
        counts(tree.city),
        (3, 1, false),
        "the city has no deadline of its own"
    );
    assert_eq!(
        counts(tree.district),
        (2, 1, true),
        "2020-07-31 has passed with a studio offline"
    );
    assert_eq!(
        counts(tree.enterprise),
        (1, 0, true),
        "the enterprise inherits the deadline"
    );
    assert_eq!(
        counts(second_ent),
        (1, 1, false),
        "everything there is online"
    );
    assert_eq!(counts(lianhu), (1, 0, false), "its deadline is far away");
    assert_eq!(counts(lianhu_ent), (1, 0, false));
    assert_eq!(row(&report, tree.enterprise)["deadline_all"], "2020-07-31");
    assert_eq!(row(&report, tree.city)["depth"], 0);
    assert_eq!(row(&report, tree.enterprise)["depth"], 2);
    assert_eq!(row(&report, tree.district)["percent_online"], 50);

    let (status, report) = app
        .get_json(
            &format!("/api/v1/orgs/{}/onboarding", tree.province),
            Some(&admin),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let province = row(&report, tree.province);
    assert_eq!(
        (province["registered"].as_i64(), province["online"].as_i64()),
        (Some(3), Some(1))
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_plain_user_may_not_read_the_dashboard() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (_, user) = app.register_and_login("tangli").await;
    let path = format!("/api/v1/orgs/{}/onboarding", tree.city);
    let (status, problem) = app.get_json(&path, Some(&user)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _) = app.get_json(&path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let grant = json!({"username": "tangli"});
    app.expect_post(
        &format!("/api/v1/orgs/{}/staff", tree.district),
        Some(&admin),
        grant,
        StatusCode::NO_CONTENT,
        "giving a union role",
    )
    .await;
    let (status, _) = app.get_json(&path, Some(&user)).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "district staff do not see the city"
    );
    let path = format!("/api/v1/orgs/{}/onboarding", tree.district);
    let (status, _) = app.get_json(&path, Some(&user)).await;
    assert_eq!(status, StatusCode::OK);
    app.cleanup().await;
}

#[tokio::test]
async fn adding_a_child_org_offers_the_levels_below_with_the_next_one_chosen() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let html = app
        .browser_of(&admin)
        .get(app.url(&format!("/orgs/{}", tree.province)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let select = &html[html.find("id=\"f-level\"").expect("the level select")..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(
        select.contains("<option value=\"city\" selected>"),
        "{select}"
    );
    assert!(
        !select.contains("national_industry"),
        "a root level is not offered under a province"
    );
    app.cleanup().await;
}
