//! A studio whose host enterprise is not in the union tree asks for it to be added; the staff
//! of the union above (or higher) approve, which puts the enterprise in the tree so the studio
//! can register under it, or decline with a reason. Bad requests change nothing.

use lianmeng_tests::{StatusCode, World, id, json, unique};

#[tokio::test]
async fn a_missing_enterprise_is_asked_for_approved_above_and_then_hosts_the_studio() {
    let w = World::start().await.with_union_people().await;
    let (_, asker) = w
        .app
        .register_and_login_as(&unique("asker"), "孙立平")
        .await;
    let ask = |body| w.app.post_json("/api/v1/org-requests", Some(&asker), body);

    // Refused field by field, and nothing is recorded.
    let (status, p) = ask(json!({"parent_id": w.tree.district, "name": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "name");
    let (status, p) = ask(json!({"parent_id": w.tree.enterprise, "name": "西安重型机械厂"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an enterprise under an enterprise: {p}"
    );
    assert_eq!(p["errors"][0]["field"], "parent_id");
    let (status, p) = ask(json!({"parent_id": w.tree.district, "name": "西安机床厂工会"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["code"], "exists");
    let (_, lists) = w.app.get_json("/api/v1/org-requests", Some(&asker)).await;
    assert_eq!(lists["mine"], json!([]), "{lists}");

    let (status, r) = ask(
        json!({"parent_id": w.tree.district, "name": "西安重型机械厂",
        "note": "准备登记孙立平技能大师工作室"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "pending");
    assert_eq!(r["parent_name"], "雁塔区总工会");
    let rid = id(&r);
    let (status, p) = ask(json!({"parent_id": w.tree.district, "name": "西安重型机械厂"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(p["code"], "already_requested");

    // The district has no staff of its own: the city's staff hear of it and see it waiting.
    assert_eq!(w.count(w.city_staff(), "org_request").await, 1);
    let (_, lists) = w
        .app
        .get_json("/api/v1/org-requests", Some(w.city_staff()))
        .await;
    assert_eq!(lists["to_decide"][0]["id"], rid, "{lists}");
    let (_, far) = w
        .app
        .get_json("/api/v1/org-requests", Some(w.far_staff()))
        .await;
    assert_eq!(far["to_decide"], json!([]));

    // Neither the asker nor another province's staff may decide; the latter does not even
    // learn that the request exists.
    let approve = format!("/api/v1/org-requests/{rid}/approve");
    let (status, _) = w.app.post_empty(&approve, Some(&asker)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w.app.post_empty(&approve, Some(w.far_staff())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = w.app.post_empty(&approve, Some(w.city_staff())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"], "approved");
    let org = answer["org_id"].as_i64().unwrap();
    let (status, again) = w.app.post_empty(&approve, Some(w.city_staff())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["code"], "answered");
    let made = w
        .app
        .expect_get(
            &format!("/api/v1/orgs/{org}"),
            None,
            StatusCode::OK,
            "the new org",
        )
        .await;
    assert_eq!(made["name"], "西安重型机械厂", "{made}");
    assert_eq!(made["level"], "enterprise");
    assert_eq!(made["parent_id"], w.tree.district);

    // The asker is told where to register, and the studio is registered under the new unit.
    let notes = w.notifications(&asker).await;
    let note = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "org_request")
        .unwrap();
    assert_eq!(note["link"], format!("/studios/new?org_id={org}"), "{note}");
    let studio = w
        .app
        .create_studio(&asker, org, "孙立平技能大师工作室")
        .await;
    assert!(studio > 0);
}

#[tokio::test]
async fn a_decline_needs_a_reason_and_the_asker_reads_it() {
    let w = World::start().await.with_union_people().await;
    let (_, asker) = w.app.register_and_login_as(&unique("asker"), "钱进").await;
    let r = w
        .app
        .expect_post(
            "/api/v1/org-requests",
            Some(&asker),
            json!({"parent_id": w.tree.city, "name": "西安某某公司"}),
            StatusCode::CREATED,
            "asking",
        )
        .await;
    let decline = format!("/api/v1/org-requests/{}/decline", id(&r));
    let (status, p) = w
        .app
        .post_json(&decline, Some(w.city_staff()), json!({"reason": ""}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "reason");
    let answer = w
        .app
        .expect_post(
            &decline,
            Some(w.city_staff()),
            json!({"reason": "请写单位全称：西安某某机械有限公司"}),
            StatusCode::OK,
            "declining",
        )
        .await;
    assert_eq!(answer["status"], "declined");
    assert!(answer["org_id"].is_null());
    let (_, lists) = w.app.get_json("/api/v1/org-requests", Some(&asker)).await;
    assert_eq!(lists["mine"][0]["status"], "declined");
    assert_eq!(
        lists["mine"][0]["reason"],
        "请写单位全称：西安某某机械有限公司"
    );
    // Nobody else reads the request.
    let (_, stranger) = w
        .app
        .register_and_login_as(&unique("stranger"), "路人")
        .await;
    let (status, _) = w
        .app
        .get_json(&format!("/api/v1/org-requests/{}", id(&r)), Some(&stranger))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_request_pages_ask_decide_and_say_what_happened_without_script() {
    let w = World::start().await.with_union_people().await;
    let (_, asker) = w
        .app
        .register_and_login_as(&unique("asker"), "孙立平")
        .await;
    let leader = w.app.browser_of(&asker);
    let form = leader
        .get(w.app.url("/studios/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("href=\"/org-requests/new\""),
        "the studio form offers the request"
    );
    let res = leader
        .post(w.app.url("/org-requests"))
        .form(&[
            ("parent_id", w.tree.district.to_string()),
            ("name", "西安重型机械厂".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().query(), Some("done=asked"));
    let page = res.text().await.unwrap();
    assert!(
        page.contains("申请已提交") && page.contains("待审核"),
        "{page}"
    );
    // A refused form keeps what was typed.
    let res = leader
        .post(w.app.url("/org-requests"))
        .form(&[("parent_id", ""), ("name", "秦川机床厂")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("value=\"秦川机床厂\""));

    let staff = w.app.browser_of(w.city_staff());
    let page = staff
        .get(w.app.url("/org-requests"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("待我审核") && page.contains("西安重型机械厂"),
        "{page}"
    );
    let (_, lists) = w
        .app
        .get_json("/api/v1/org-requests", Some(w.city_staff()))
        .await;
    let rid = id(&lists["to_decide"][0]);
    let res = staff
        .post(w.app.url(&format!("/org-requests/{rid}/approve")))
        .form(&[("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().query(), Some("done=approved"));
    assert!(res.text().await.unwrap().contains("已添加到组织树"));
    let form = leader
        .get(w.app.url("/studios/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("西安重型机械厂"),
        "the new unit is offered on the studio form"
    );
}
