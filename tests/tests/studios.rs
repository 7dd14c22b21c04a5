//! Studios: registering, the profile, going online (上线进网), who sees a draft, and members.

use lianmeng_tests::{
    StatusCode, TestApp, Value, assert_invalid, field_names, full_profile, id, json, unique,
};

#[tokio::test]
async fn a_new_studio_is_an_offline_draft_led_by_its_creator() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (uid, token) = app.register_and_login_as("liming", "李明").await;
    let body = json!({"name": "李明焊接技能大师工作室", "org_id": org, "kind": "skill_teaching", "field": "特种焊接"});
    let (status, studio) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{studio}");
    assert_eq!(studio["status"], "draft");
    assert_eq!(studio["online"], false);
    assert_eq!(studio["leader_id"], uid);
    assert_eq!(studio["name"], "李明焊接技能大师工作室");
    assert_eq!(
        studio["field"], "特种焊接",
        "optional fields are kept on create"
    );
    let (status, shown) = app
        .get_json(&format!("/api/v1/studios/{}", id(&studio)), Some(&token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["members"][0]["user_id"], uid);
    assert_eq!(shown["members"][0]["role"], "leader");
    let (status, _) = app
        .post_json("/api/v1/studios", None, json!({"name": "匿名工作室"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

#[tokio::test]
async fn creating_names_each_missing_or_invalid_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let (_, token) = app.register_and_login("wangqiang").await;
    let (status, problem) = app
        .post_json("/api/v1/studios", Some(&token), json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(field_names(&problem), ["name", "org_id", "kind"]);
    let body = json!({"name": "   ", "org_id": tree.enterprise, "kind": "tech_tackling"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_invalid(status, &problem, "name");

    let body = json!({"name": "王强工作室", "org_id": tree.city, "kind": "tech_tackling"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_invalid(status, &problem, "org_id");
    let body = json!({"name": "王强工作室", "org_id": 999999, "kind": "tech_tackling"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_invalid(status, &problem, "org_id");
    let body = json!({"name": "王强工作室", "org_id": tree.enterprise, "kind": "welding"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_invalid(status, &problem, "kind");
    let body = json!({"name": "王强工作室", "org_id": tree.enterprise, "kind": "other", "industry": "mining"});
    let (status, problem) = app.post_json("/api/v1/studios", Some(&token), body).await;
    assert_invalid(status, &problem, "industry");
    let page = app
        .expect_get(
            "/api/v1/studios?online=false",
            Some(&token),
            StatusCode::OK,
            "listing offline studios",
        )
        .await;
    assert_eq!(page["items"], json!([]), "no rejected studio was stored");
    app.cleanup().await;
}

#[tokio::test]
async fn only_the_leader_edits_the_profile() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("zhangwei").await;
    let (member_id, member) = app.register_and_login("lina").await;
    let studio = app.create_studio(&leader, org, "张伟电工创新工作室").await;
    app.join_studio(studio, &leader, (member_id, &member), "member")
        .await;
    let path = format!("/api/v1/studios/{studio}");

    let (status, updated) = app
        .patch_json(
            &path,
            Some(&leader),
            json!({"region": "西安市碑林区", "founded_on": "2019-05-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["region"], "西安市碑林区");
    assert_eq!(
        updated["name"], "张伟电工创新工作室",
        "fields not sent stay as they were"
    );
    let (status, problem) = app
        .patch_json(&path, Some(&leader), json!({"founded_on": "2019-13-01"}))
        .await;
    assert_invalid(status, &problem, "founded_on");

    let (status, problem) = app
        .patch_json(&path, Some(&member), json!({"region": "别处"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (_, outsider) = app.register_and_login("outsider").await;
    let (status, _) = app
        .patch_json(&path, Some(&outsider), json!({"region": "别处"}))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an outsider does not learn the draft exists"
    );

    let online = app
        .online_studio(&leader, org, "张伟第二工作室", json!({}))
        .await;
    let (status, _) = app
        .patch_json(
            &format!("/api/v1/studios/{online}"),
            Some(&outsider),
            json!({"region": "别处"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app
        .patch_json(
            &format!("/api/v1/studios/{online}"),
            Some(&leader),
            json!({"intro": ""}),
        )
        .await;
    assert_invalid(status, &problem, "intro");
    let shown = app
        .expect_get(&path, Some(&leader), StatusCode::OK, "reading the studio")
        .await;
    assert_eq!(shown["region"], "西安市碑林区");
    app.cleanup().await;
}

#[tokio::test]
async fn onboarding_names_the_missing_fields() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("huangwei").await;
    let body = json!({"name": "黄伟数控技能大师工作室", "org_id": org, "kind": "tech_development", "field": "数控编程", "region": "宝鸡市"});
    let studio = app
        .expect_post(
            "/api/v1/studios",
            Some(&leader),
            body,
            StatusCode::CREATED,
            "registering a studio",
        )
        .await;
    let path = format!("/api/v1/studios/{}", id(&studio));

    let (status, problem) = app
        .post_empty(&format!("{path}/onboard"), Some(&leader))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(field_names(&problem), ["industry", "goals", "intro"]);
    let shown = app
        .expect_get(&path, Some(&leader), StatusCode::OK, "reading the studio")
        .await;
    assert_eq!(
        shown["missing_for_onboarding"],
        json!(["industry", "goals", "intro"])
    );

    app.expect_patch(
        &path,
        Some(&leader),
        json!({"field": "", "region": "  "}),
        StatusCode::OK,
        "blanking the field and the region",
    )
    .await;
    let problem = app
        .expect_post_empty(
            &format!("{path}/onboard"),
            Some(&leader),
            StatusCode::UNPROCESSABLE_ENTITY,
            "trying to take the incomplete studio online",
        )
        .await;
    assert_eq!(
        field_names(&problem),
        ["field", "industry", "region", "goals", "intro"]
    );

    let mut fill = full_profile("黄伟数控技能大师工作室", org);
    fill.as_object_mut().unwrap().remove("org_id");
    let (status, _) = app.patch_json(&path, Some(&leader), fill).await;
    assert_eq!(status, StatusCode::OK);
    let (status, done) = app
        .post_empty(&format!("{path}/onboard"), Some(&leader))
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["online"], true);
    let at = done["onboarded_at"].as_str().expect("onboarded_at");
    assert!(at.ends_with('Z') && at.contains('T'), "RFC 3339 UTC: {at}");
    let shown = app
        .expect_get(&path, None, StatusCode::OK, "reading the studio")
        .await;
    assert_eq!(shown["online"], true);
    assert_eq!(shown["onboarded_at"], at);
    assert_eq!(shown["missing_for_onboarding"], json!([]));
    let (status, again) = app
        .post_empty(&format!("{path}/onboard"), Some(&leader))
        .await;
    assert_eq!(
        (status, &again["onboarded_at"]),
        (StatusCode::OK, &json!(at)),
        "going online twice keeps the first instant"
    );
    app.cleanup().await;
}

#[tokio::test]
async fn a_draft_is_hidden_from_all_but_its_people_and_the_staff_above() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let elsewhere = app
        .create_org(&admin, "四川省总工会", "province", None)
        .await;
    let (_, leader) = app.register_and_login("liujun").await;
    let (_, outsider) = app.register_and_login("passerby").await;
    let (_, city_staff) = app.register_and_login("citystaff").await;
    let (_, far_staff) = app.register_and_login("farstaff").await;
    app.expect_post(
        &format!("/api/v1/orgs/{}/staff", tree.city),
        Some(&admin),
        json!({"username": "citystaff"}),
        StatusCode::NO_CONTENT,
        "giving a union role",
    )
    .await;
    app.expect_post(
        &format!("/api/v1/orgs/{elsewhere}/staff"),
        Some(&admin),
        json!({"username": "farstaff"}),
        StatusCode::NO_CONTENT,
        "giving a union role",
    )
    .await;

    let mut body = full_profile("刘军电焊创新工作室", tree.enterprise);
    body["kind"] = json!("tech_tackling");
    let studio = app
        .expect_post(
            "/api/v1/studios",
            Some(&leader),
            body,
            StatusCode::CREATED,
            "registering a studio",
        )
        .await;
    let path = format!("/api/v1/studios/{}", id(&studio));
    for (who, token) in [
        ("anonymous", None),
        ("an outsider", Some(&outsider)),
        ("staff elsewhere", Some(&far_staff)),
    ] {
        let (status, body) = app.get_json(&path, token.map(String::as_str)).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{who} must not see the draft: {body}"
        );
        let (status, _) = app
            .get_json(&format!("{path}/members"), token.map(String::as_str))
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{who} must not see the members"
        );
    }
    for (who, token) in [
        ("the leader", &leader),
        ("staff above", &city_staff),
        ("an admin", &admin),
    ] {
        let (status, _) = app.get_json(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{who} sees the draft");
    }
    let (status, _) = app
        .post_empty(&format!("{path}/onboard"), Some(&city_staff))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff see a draft but do not take it online"
    );

    app.expect_post_empty(
        &format!("{path}/onboard"),
        Some(&leader),
        StatusCode::OK,
        "taking the studio online",
    )
    .await;
    for token in [None, Some(outsider.as_str()), Some(far_staff.as_str())] {
        let (status, shown) = app.get_json(&path, token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(shown["online"], true);
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_leader_invites_members_and_apprentices_who_join_by_accepting() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login_as("xuming", "徐明").await;
    let (member_id, member) = app.register_and_login_as("xiaozhang", "小张").await;
    let (apprentice_id, apprentice) = app.register_and_login_as("xiaowang", "小王").await;
    let (_, outsider) = app.register_and_login("bystander").await;
    let studio = app
        .online_studio(&leader, org, "徐明钳工技能大师工作室", json!({}))
        .await;
    let path = format!("/api/v1/studios/{studio}/members");

    let (status, added) = app
        .post_json(
            &path,
            Some(&leader),
            json!({"user_id": member_id, "role": "member"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(
        (added["user_id"].as_i64(), added["role"].as_str()),
        (Some(member_id), Some("member"))
    );
    assert_eq!(added["display_name"], "小张");
    assert_eq!(added["status"], "pending");
    let member_invitation = added["id"].clone();
    let (status, added) = app
        .post_json(
            &path,
            Some(&leader),
            json!({"username": "xiaowang", "role": "apprentice"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["user_id"], apprentice_id);
    let apprentice_invitation = added["id"].clone();

    let (status, problem) = app
        .post_json(
            &path,
            Some(&leader),
            json!({"username": "xiaowang", "role": "member"}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_invited"))
    );
    // Invited is not joined: until they answer, the studio is the leader alone.
    let (_, list) = app.get_json(&path, None).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let (_, waiting) = app.get_json("/api/v1/me/invitations", Some(&member)).await;
    assert_eq!(waiting["items"][0]["studio_name"], "徐明钳工技能大师工作室");
    assert_eq!(waiting["items"][0]["invited_by_name"], "徐明");
    // Nobody answers for someone else.
    let accept = |id: &Value| format!("/api/v1/invitations/{id}/accept");
    let (status, _) = app
        .post_json(&accept(&member_invitation), Some(&apprentice), json!({}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .post_json(&accept(&member_invitation), Some(&member), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app
        .post_json(&accept(&member_invitation), Some(&member), json!({}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_answered"))
    );
    // The apprentice declines first, then says yes to a second invitation.
    let (status, declined) = app
        .post_json(
            &format!("/api/v1/invitations/{apprentice_invitation}/decline"),
            Some(&apprentice),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, declined["status"].as_str()),
        (StatusCode::OK, Some("declined"))
    );
    app.join_studio(studio, &leader, (apprentice_id, &apprentice), "apprentice")
        .await;
    let (status, _) = app
        .post_json(
            &path,
            Some(&member),
            json!({"username": "bystander", "role": "member"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a member does not add members"
    );
    let (status, _) = app
        .post_json(
            &path,
            Some(&outsider),
            json!({"username": "bystander", "role": "member"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = app
        .post_json(
            &path,
            Some(&leader),
            json!({"username": "bystander", "role": "leader"}),
        )
        .await;
    assert_invalid(status, &problem, "role");
    let (status, problem) = app
        .post_json(
            &path,
            Some(&leader),
            json!({"username": "ghost", "role": "member"}),
        )
        .await;
    assert_invalid(status, &problem, "user_id");

    let (status, list) = app.get_json(&path, None).await;
    assert_eq!(status, StatusCode::OK);
    let roles: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["leader", "member", "apprentice"]);
    let shown = app
        .expect_get(
            &format!("/api/v1/studios/{studio}"),
            None,
            StatusCode::OK,
            "reading the studio",
        )
        .await;
    assert_eq!(shown["member_count"], 3);
    let me = app
        .expect_get("/api/v1/me", Some(&member), StatusCode::OK, "reading /me")
        .await;
    assert_eq!(me["roles"], json!([format!("member:{studio}")]));

    // A member leaves of their own accord; the leader cannot.
    let (status, _) = app
        .send(
            reqwest::Method::DELETE,
            &format!("{path}/{member_id}"),
            Some(&member),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let shown = app
        .expect_get(
            &format!("/api/v1/studios/{studio}"),
            None,
            StatusCode::OK,
            "studio",
        )
        .await;
    assert_eq!(shown["member_count"], 2);
    app.cleanup().await;
}

/// A leader who retires or changes jobs hands the studio over; people leave. A studio that is
/// applying for a name keeps its team (its changes go up the tree, Jieyang art. 7).
#[tokio::test]
async fn the_leader_hands_over_and_takes_people_off_until_the_studio_applies_for_a_name() {
    let w = lianmeng_tests::World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await;
    let app = &w.app;
    let s = w.poster_studio();
    let (apprentice, apprentice_token) = app.register_and_login_as(&unique("ho-app"), "小周").await;
    app.join_studio(s, w.poster(), (apprentice, &apprentice_token), "apprentice")
        .await;
    let remove = |user: i64| format!("/api/v1/studios/{s}/members/{user}");
    let (status, _) = app
        .send(
            reqwest::Method::DELETE,
            &remove(apprentice),
            Some(w.author()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the leader");
    let me = w.me(w.poster()).await;
    let leader_id = me["id"].as_i64().unwrap();
    let (status, p) = app
        .send(
            reqwest::Method::DELETE,
            &remove(leader_id),
            Some(w.poster()),
            None,
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("leader_stays"))
    );
    let (status, _) = app
        .send(
            reqwest::Method::DELETE,
            &remove(apprentice),
            Some(w.poster()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .send(
            reqwest::Method::DELETE,
            &remove(apprentice),
            Some(w.poster()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already gone");

    // Hand over to the author (a member); the old leader stays as a member.
    let author_id = w.me(w.author()).await["id"].as_i64().unwrap();
    let leader = format!("/api/v1/studios/{s}/leader");
    let (status, p) = app
        .post_json(&leader, Some(w.poster()), json!({"user_id": apprentice}))
        .await;
    assert_invalid(status, &p, "user_id");
    let studio = app
        .expect_post(
            &leader,
            Some(w.poster()),
            json!({"user_id": author_id}),
            StatusCode::OK,
            "handing over",
        )
        .await;
    assert_eq!(studio["leader_id"], author_id);
    let (status, _) = app
        .post_json(&leader, Some(w.poster()), json!({"user_id": leader_id}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the old leader no longer leads"
    );
    let members = app
        .expect_get(
            &format!("/api/v1/studios/{s}/members"),
            None,
            StatusCode::OK,
            "the people",
        )
        .await;
    let role_of = |id: i64| {
        members["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == id)
            .map(|m| m["role"].clone())
    };
    assert_eq!(role_of(author_id), Some(json!("leader")));
    assert_eq!(role_of(leader_id), Some(json!("member")));

    // Once the studio applies for a name, its team is frozen.
    let batch = app
        .expect_post(
            "/api/v1/naming/batches",
            Some(&w.admin),
            json!({"org_id": w.tree.city, "year": 2026, "quota": 5, "opens_on": "2000-01-01",
                   "closes_on": "2099-12-31", "notice_days": 5}),
            StatusCode::CREATED,
            "opening a batch",
        )
        .await;
    let a = app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.author()),
            json!({"batch_id": batch["id"], "studio_id": s}),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    app.expect_post(
        &format!("/api/v1/naming/applications/{}/submit", a["id"]),
        Some(w.author()),
        json!({"confirmed": (0..9).collect::<Vec<usize>>()}),
        StatusCode::OK,
        "submitting",
    )
    .await;
    let (status, p) = app
        .post_json(&leader, Some(w.author()), json!({"user_id": leader_id}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("change_needs_approval"))
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_changchun_form_takes_the_units_type_premises_and_equipment_and_refuses_bad_ones() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, leader) = app.register_and_login("songguodong").await;
    let studio = app
        .create_studio(&leader, org, "宋国栋劳模创新工作室")
        .await;
    let path = format!("/api/v1/studios/{studio}");
    let (status, p) = app
        .patch_json(
            &path,
            Some(&leader),
            json!({"unit_type": "国企", "premises_m2": 0, "premises_address": "住院部三楼"}),
        )
        .await;
    assert_invalid(status, &p, "unit_type");
    assert_invalid(status, &p, "premises_m2");
    let (_, s) = app.get_json(&path, Some(&leader)).await;
    assert_eq!(
        (s["unit_type"].as_str(), s["premises_address"].as_str()),
        (Some("enterprise"), Some("")),
        "nothing changed"
    );
    let s = app
        .expect_patch(
            &path,
            Some(&leader),
            json!({"unit_type": "public_institution", "premises_m2": 86,
                   "premises_address": "西安雁南中心医院住院部三楼",
                   "equipment": "腹腔镜模拟训练系统 1 套\n超声刀 2 台"}),
            StatusCode::OK,
            "completing the form",
        )
        .await;
    assert_eq!(s["unit_type"], "public_institution");
    assert_eq!(s["premises_m2"], 86);
    let html = app
        .browser_of(&leader)
        .get(app.url(&format!("/studios/{studio}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("事业单位") && html.contains("86 平方米") && html.contains("超声刀"));
    app.cleanup().await;
}
