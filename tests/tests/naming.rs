//! Naming (命名, Jieyang art. 5–6): a city union's batch; a studio's application going up the
//! tree one step at a time, each by the right people and no one else; the expert panel with
//! its conflict-of-interest rule; the collective decision within the quota; the public notice
//! with objections; the official name. Wrong steps are 409, wrong people 403, bad input 422.

use chrono::{Duration, FixedOffset, Utc};
use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json, unique};

/// The union people of a naming: staff of the enterprise (the unit), of the district (初审) and
/// of the city (the naming union), and two experts of the city's pool.
pub(crate) struct Union {
    pub unit: String,
    pub district: String,
    pub city: String,
    pub city_2: String,
    pub experts: Vec<(i64, String)>,
}

pub(crate) async fn grant(
    w: &World,
    org: i64,
    role: &str,
    name: &str,
    field: &str,
) -> (i64, String) {
    let (user, token) = w.app.register_and_login_as(&unique("nm"), name).await;
    w.app
        .expect(
            reqwest::Method::POST,
            &format!("/api/v1/orgs/{org}/staff"),
            Some(&w.admin),
            Some(&json!({"user_id": user, "role": role, "field": field})),
            StatusCode::NO_CONTENT,
            &format!("making {name} {role} of org {org}"),
        )
        .await;
    (user, token)
}

pub(crate) async fn union(w: &World) -> Union {
    Union {
        unit: grant(w, w.tree.enterprise, "staff", "厂工会 张敏", "")
            .await
            .1,
        district: grant(w, w.tree.district, "staff", "区总工会 李强", "")
            .await
            .1,
        city: grant(w, w.tree.city, "staff", "市总工会 周红", "").await.1,
        city_2: grant(w, w.tree.city, "staff", "市总工会 吴刚", "").await.1,
        experts: vec![
            grant(w, w.tree.city, "expert", "高级工程师 孙立", "电力").await,
            grant(w, w.tree.city, "expert", "教授级高工 钱进", "机械制造").await,
        ],
    }
}

/// A submit body confirming each of the batch's default conditions (Jieyang art. 5, nine).
pub(crate) fn all_conditions() -> Value {
    json!({"confirmed": (0..9).collect::<Vec<usize>>()})
}

pub(crate) fn day(offset: i64) -> String {
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    (Utc::now().with_timezone(&china) + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

pub(crate) async fn open_batch(w: &World, token: &str, quota: i64) -> i64 {
    let b = w
        .app
        .expect_post(
            "/api/v1/naming/batches",
            Some(token),
            json!({"org_id": w.tree.city, "year": 2026, "quota": quota, "opens_on": day(-1),
                   "closes_on": day(30), "notice_days": 0}),
            StatusCode::CREATED,
            "opening a batch",
        )
        .await;
    assert!(
        b["conditions"].as_array().unwrap().len() >= 8,
        "Jieyang art. 5 by default: {b}"
    );
    id(&b)
}

async fn step(w: &World, app: i64, action: &str, token: &str, body: Value) -> (StatusCode, Value) {
    w.app
        .post_json(
            &format!("/api/v1/naming/applications/{app}/{action}"),
            Some(token),
            body,
        )
        .await
}

pub(crate) async fn expect_step(
    w: &World,
    app: i64,
    action: &str,
    token: &str,
    body: Value,
    to: &str,
) {
    let (status, answer) = step(w, app, action, token, body).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some(to)),
        "{action}: {answer}"
    );
}

async fn detail(w: &World, app: i64, token: Option<&str>) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/naming/applications/{app}"),
            token,
            StatusCode::OK,
            "reading the application",
        )
        .await
}

/// Takes an application from submitted to decided (two experts, scores 88 and 92).
pub(crate) async fn up_to_decision(w: &World, u: &Union, app: i64) -> (StatusCode, Value) {
    let ok = json!({"opinion": "同意"});
    expect_step(w, app, "recommend", &u.unit, ok.clone(), "recommended").await;
    expect_step(w, app, "review", &u.district, ok.clone(), "reviewed").await;
    expect_step(w, app, "approve", &u.city, ok.clone(), "approved").await;
    let ids: Vec<i64> = u.experts.iter().map(|(id, _)| *id).collect();
    expect_step(
        w,
        app,
        "assign-experts",
        &u.city,
        json!({"expert_ids": ids}),
        "expert_review",
    )
    .await;
    for ((_, token), score) in u.experts.iter().zip([88, 92]) {
        expect_step(
            w,
            app,
            "score",
            token,
            json!({"score": score, "comment": "团队稳定，成果突出"}),
            "expert_review",
        )
        .await;
    }
    step(
        w,
        app,
        "decide",
        &u.city,
        json!({"approved": true, "opinion": "经市总工会集体研究，同意命名"}),
    )
    .await
}

/// Takes a studio through a batch of the city to its name (for the assessment of named
/// studios).
pub(crate) async fn name_studio(w: &World, u: &Union, studio: i64, leader: &str) {
    let batch = open_batch(w, &u.city, 5).await;
    let a = w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(leader),
            json!({"batch_id": batch, "studio_id": studio}),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    let a = id(&a);
    expect_step(w, a, "submit", leader, all_conditions(), "submitted").await;
    assert_eq!(up_to_decision(w, u, a).await.0, StatusCode::OK);
    expect_step(w, a, "publish", &u.city, json!({}), "notice").await;
    expect_step(w, a, "name", &u.city, json!({}), "named").await;
}

#[tokio::test]
async fn a_studio_goes_up_the_tree_step_by_step_and_is_named() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_member_in_c()
        .await;
    let u = union(&w).await;
    let app = &w.app;

    // Only the naming union's staff open a batch; bad input changes nothing.
    let body = json!({"org_id": w.tree.city, "year": 2026, "quota": 5, "opens_on": day(3), "closes_on": day(1), "notice_days": 5});
    let (status, p) = app
        .post_json("/api/v1/naming/batches", Some(&u.city), body)
        .await;
    assert_invalid(status, &p, "closes_on");
    let body = json!({"org_id": w.tree.city, "year": 2026, "quota": 0, "opens_on": day(-1), "closes_on": day(1), "notice_days": 31});
    let (status, p) = app
        .post_json("/api/v1/naming/batches", Some(&u.city), body)
        .await;
    assert_invalid(status, &p, "quota");
    assert_invalid(status, &p, "notice_days");
    let body = json!({"org_id": w.tree.city, "year": 2026, "quota": 5, "opens_on": day(-1), "closes_on": day(1), "notice_days": 5});
    let (status, _) = app
        .post_json("/api/v1/naming/batches", Some(w.poster()), body.clone())
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a studio leader is not union staff"
    );
    let (status, _) = app
        .post_json("/api/v1/naming/batches", Some(&u.experts[0].1), body)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an expert is not union staff"
    );
    let list = app
        .expect_get(
            "/api/v1/naming/batches",
            None,
            StatusCode::OK,
            "listing batches",
        )
        .await;
    assert_eq!(list["items"], json!([]), "nothing was written");
    // The rest of the Changchun form: a hospital's studio, its premises and equipment.
    app.expect_patch(
        &format!("/api/v1/studios/{}", w.poster_studio()),
        Some(w.poster()),
        json!({"unit_type": "public_institution", "premises_m2": 120,
               "premises_address": "住院部三楼", "equipment": "数控车床 2 台\n三坐标测量仪 1 台"}),
        StatusCode::OK,
        "completing the form",
    )
    .await;
    let batch = open_batch(&w, &u.city, 1).await;

    // The leader applies; a second open application of the studio in the batch is refused.
    let apply = json!({"batch_id": batch, "studio_id": w.poster_studio()});
    let (status, _) = app
        .post_json("/api/v1/naming/applications", Some(w.b()), apply.clone())
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the studio's leader applies"
    );
    let a = app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            apply.clone(),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    let a = id(&a);
    let (status, p) = app
        .post_json("/api/v1/naming/applications", Some(w.poster()), apply)
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_applied"))
    );

    // The checklist comes with what the platform's data say (Jieyang art. 5).
    let draft = detail(&w, a, Some(w.poster())).await;
    let list = draft["checklist"].as_array().unwrap();
    assert_eq!(list.len(), 9);
    assert_eq!(list[1]["met"], true, "premises and equipment: {}", list[1]);
    assert!(
        list[1]["evidence"].as_str().unwrap().contains("120 平方米"),
        "{}",
        list[1]
    );
    assert!(
        list[2]["evidence"].is_null(),
        "the plan is the applicant's to confirm"
    );

    // Submitting freezes the profile and the platform's evidence.
    let (status, _) = step(&w, a, "submit", &u.unit, json!({})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the unit does not submit for the studio"
    );
    let (status, p) = step(&w, a, "submit", w.poster(), json!({"confirmed": [0, 1, 2]})).await;
    assert_invalid(status, &p, "confirmed");
    expect_step(&w, a, "submit", w.poster(), all_conditions(), "submitted").await;
    let d = detail(&w, a, Some(w.poster())).await;
    assert_eq!(
        d["snapshot"]["conditions_confirmed"]
            .as_array()
            .unwrap()
            .len(),
        9
    );
    assert_eq!(d["snapshot"]["leader_name"], "王建国");
    // The Changchun form's cover: the unit's type, the union recommending it, the day filed.
    assert_eq!(d["snapshot"]["unit_type"], "public_institution");
    assert_eq!(d["snapshot"]["recommending_org"], "雁塔区总工会");
    assert_eq!(d["snapshot"]["filed_on"], day(0));
    assert_eq!(d["snapshot"]["premises_m2"], 120);
    assert!(
        d["snapshot"]["conditions_evidence"][1]
            .as_str()
            .unwrap()
            .contains("120 平方米")
    );
    assert_eq!(d["checklist"], json!([]), "sent: nothing left to tick");
    assert_eq!(d["proposed_name"], "王建国劳模和工匠人才创新工作室");
    let studio = app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "reading the studio",
        )
        .await;
    assert_eq!(
        studio["status"], "submitted",
        "the studio's naming lifecycle follows"
    );

    // Each step by its own union, in order.
    let (status, _) = step(&w, a, "recommend", &u.district, json!({"opinion": "同意"})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the district does not recommend for the unit"
    );
    let (status, _) = step(&w, a, "review", &u.district, json!({"opinion": "同意"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "no step is skipped");
    expect_step(
        &w,
        a,
        "recommend",
        &u.unit,
        json!({"opinion": "同意推荐"}),
        "recommended",
    )
    .await;
    let (status, p) = step(&w, a, "recommend", &u.unit, json!({"opinion": "同意推荐"})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition")),
        "{p}"
    );
    let (status, _) = step(&w, a, "review", &u.city, json!({"opinion": "同意"})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the initial review is the district's"
    );
    expect_step(
        &w,
        a,
        "review",
        &u.district,
        json!({"opinion": "初审通过"}),
        "reviewed",
    )
    .await;
    let (status, _) = step(
        &w,
        a,
        "approve",
        &u.experts[0].1,
        json!({"opinion": "同意"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an expert is no staff: not even shown it"
    );
    expect_step(
        &w,
        a,
        "approve",
        &u.city,
        json!({"opinion": "审核通过"}),
        "approved",
    )
    .await;
    let (status, p) = step(&w, a, "approve", &u.city, json!({"opinion": "审核通过"})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );

    // The panel: from the pool only, never an expert of the studio's own unit.
    let (status, p) = step(
        &w,
        a,
        "assign-experts",
        &u.city,
        json!({"expert_ids": [w.b_id()]}),
    )
    .await;
    assert_invalid(status, &p, "expert_ids");
    let (insider, insider_token) = grant(&w, w.tree.city, "expert", "厂内专家 刘工", "电力").await;
    // The insider works in the same enterprise.
    app.join_studio(w.c_studio(), w.c(), (insider, &insider_token), "member")
        .await;
    let (status, p) = step(
        &w,
        a,
        "assign-experts",
        &u.city,
        json!({"expert_ids": [insider]}),
    )
    .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict_of_interest"))
    );
    let pool = app
        .expect_get(
            &format!("/api/v1/orgs/{}/experts", w.tree.city),
            Some(&u.city),
            StatusCode::OK,
            "the pool",
        )
        .await;
    assert!(
        pool["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "机械制造"),
        "{pool}"
    );
    let ids: Vec<i64> = u.experts.iter().map(|(id, _)| *id).collect();
    expect_step(
        &w,
        a,
        "assign-experts",
        &u.city,
        json!({"expert_ids": ids}),
        "expert_review",
    )
    .await;

    // Scores: 0–100, by the panel only; hidden from the applicant until the decision.
    let (status, _) = step(
        &w,
        a,
        "decide",
        &u.city,
        json!({"approved": true, "opinion": "同意"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "the panel has not scored");
    let (status, p) = step(&w, a, "score", &u.experts[0].1, json!({"score": 101})).await;
    assert_invalid(status, &p, "score");
    let (status, _) = step(&w, a, "score", &u.city, json!({"score": 90})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "staff do not score");
    for ((_, token), score) in u.experts.iter().zip([88, 92]) {
        expect_step(
            &w,
            a,
            "score",
            token,
            json!({"score": score, "comment": "团队稳定，成果突出"}),
            "expert_review",
        )
        .await;
    }
    let seen = detail(&w, a, Some(w.poster())).await;
    assert!(
        seen["panel"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["score"].is_null()),
        "{seen}"
    );
    let seen = detail(&w, a, Some(&u.city)).await;
    assert_eq!(seen["panel"][0]["score"], 88);
    let (status, p) = step(&w, a, "return", &u.city, json!({"opinion": "  "})).await;
    assert_invalid(status, &p, "opinion");

    // The decision, the notice, an objection that must be answered, the name.
    expect_step(
        &w,
        a,
        "decide",
        &u.city,
        json!({"approved": true, "opinion": "集体研究同意"}),
        "decided",
    )
    .await;
    expect_step(&w, a, "publish", &u.city, json!({}), "notice").await;
    let public = app
        .expect_get(
            &format!("/api/v1/naming/batches/{batch}"),
            None,
            StatusCode::OK,
            "the public notice",
        )
        .await;
    assert_eq!(public["candidates"][0]["id"], a);
    let (_, stranger) = app
        .register_and_login_as(&unique("nm-x"), "群众 赵六")
        .await;
    let objection = app
        .expect_post(
            &format!("/api/v1/naming/applications/{a}/objections"),
            Some(&stranger),
            json!({"text": "领衔人是否为市级以上劳模？请核实。"}),
            StatusCode::CREATED,
            "objecting",
        )
        .await;
    let (status, p) = step(&w, a, "name", &u.city, json!({})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("objections_open"))
    );
    let answer = format!(
        "/api/v1/naming/applications/{a}/objections/{}/answer",
        id(&objection)
    );
    let (status, _) = app
        .post_json(&answer, Some(&u.district), json!({"text": "已核实"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .post_json(
            &answer,
            Some(&u.city),
            json!({"text": "经核实，王建国为 2019 年陕西省劳动模范。"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, p) = app
        .post_json(&answer, Some(&u.city), json!({"text": "再答"}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_answered"))
    );
    expect_step(
        &w,
        a,
        "name",
        &u.city,
        json!({"opinion": "予以命名"}),
        "named",
    )
    .await;

    let studio = app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "the named studio",
        )
        .await;
    assert_eq!(studio["name"], "王建国劳模和工匠人才创新工作室");
    assert_eq!(studio["naming_org_id"], w.tree.city);
    assert_eq!(studio["status"], "named");
    assert_eq!(studio["naming_level"], "city");

    // The directory finds it by the level that named it, and not among the unnamed.
    let ids =
        |list: &Value| -> Vec<i64> { list["items"].as_array().unwrap().iter().map(id).collect() };
    let city_named = app
        .expect_get(
            "/api/v1/studios?named_level=city&limit=100",
            None,
            StatusCode::OK,
            "named by a city",
        )
        .await;
    assert!(
        ids(&city_named).contains(&w.poster_studio()),
        "{city_named}"
    );
    assert!(!ids(&city_named).contains(&w.b_studio()));
    let unnamed = app
        .expect_get(
            "/api/v1/studios?named_level=none&limit=100",
            None,
            StatusCode::OK,
            "not named",
        )
        .await;
    assert!(ids(&unnamed).contains(&w.b_studio()));
    assert!(!ids(&unnamed).contains(&w.poster_studio()));
    let (status, p) = app.get_json("/api/v1/studios?named_level=银河", None).await;
    assert_invalid(status, &p, "named_level");
    let trail: Vec<String> = detail(&w, a, None).await["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        trail,
        [
            "submit",
            "recommend",
            "review",
            "approve",
            "assign_experts",
            "score",
            "score",
            "decide",
            "publish",
            "name"
        ]
    );
    let seen = detail(&w, a, Some(w.poster())).await;
    assert_eq!(
        seen["panel"][1]["score"], 92,
        "scores are shown once decided"
    );

    // The quota of one is used: a second studio cannot be decided into the batch.
    let b_app = app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.b()),
            json!({"batch_id": batch, "studio_id": w.b_studio()}),
            StatusCode::CREATED,
            "B applies",
        )
        .await;
    let b_app = id(&b_app);
    expect_step(&w, b_app, "submit", w.b(), all_conditions(), "submitted").await;
    let (status, p) = up_to_decision(&w, &u, b_app).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("quota_full")),
        "{p}"
    );
    expect_step(
        &w,
        b_app,
        "reject",
        &u.city,
        json!({"opinion": "名额已满，择优未入选"}),
        "rejected",
    )
    .await;
    // The unit's queue is empty: nothing waits for it.
    let queue = app
        .expect_get(
            "/api/v1/naming/applications",
            Some(&u.unit),
            StatusCode::OK,
            "the unit's queue",
        )
        .await;
    assert_eq!(queue["items"], json!([]));
    w.app.cleanup().await;
}

#[tokio::test]
async fn two_staff_publishing_at_once_one_wins_and_a_withdrawn_studio_may_apply_again() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let batch = open_batch(&w, &u.city, 3).await;
    let apply = json!({"batch_id": batch, "studio_id": w.poster_studio()});
    let first = w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            apply.clone(),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    let first = id(&first);
    expect_step(
        &w,
        first,
        "submit",
        w.poster(),
        all_conditions(),
        "submitted",
    )
    .await;
    expect_step(&w, first, "withdraw", w.poster(), json!({}), "withdrawn").await;
    let a = w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            apply,
            StatusCode::CREATED,
            "applying again",
        )
        .await;
    let a = id(&a);
    expect_step(&w, a, "submit", w.poster(), all_conditions(), "submitted").await;
    let (status, _) = up_to_decision(&w, &u, a).await;
    assert_eq!(status, StatusCode::OK);

    let (one, two) = tokio::join!(
        step(&w, a, "publish", &u.city, json!({})),
        step(&w, a, "publish", &u.city_2, json!({}))
    );
    let mut statuses = [one.0, two.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{one:?} {two:?}"
    );
    let trail = detail(&w, a, None).await["trail"].clone();
    let publishes = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["action"] == "publish")
        .count();
    assert_eq!(publishes, 1);
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_named_studio_is_delisted_only_by_its_naming_union_for_a_case_of_art_8() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let path = format!("/api/v1/studios/{}/delist", w.poster_studio());
    let body = json!({"reason": "unit_request", "note": "领衔人调离，所在单位申请摘牌。"});
    let (status, p) = w.app.post_json(&path, Some(&u.city), body.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "not named by the city yet: {p}"
    );

    let batch = open_batch(&w, &u.city, 3).await;
    let a = w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            json!({"batch_id": batch, "studio_id": w.poster_studio()}),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    let a = id(&a);
    expect_step(&w, a, "submit", w.poster(), all_conditions(), "submitted").await;
    assert_eq!(up_to_decision(&w, &u, a).await.0, StatusCode::OK);
    expect_step(&w, a, "publish", &u.city, json!({}), "notice").await;
    expect_step(&w, a, "name", &u.city, json!({}), "named").await;

    for token in [&u.district, w.poster()] {
        let (status, _) = w.app.post_json(&path, Some(token), body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, p) = w
        .app
        .post_json(
            &path,
            Some(&u.city),
            json!({"reason": "不合格", "note": "  "}),
        )
        .await;
    assert_invalid(status, &p, "reason");
    assert_invalid(status, &p, "note");
    let studio = format!("/api/v1/studios/{}", w.poster_studio());
    let before = w
        .app
        .expect_get(&studio, None, StatusCode::OK, "the named studio")
        .await;
    assert_eq!(before["status"], "named", "bad input changed nothing");

    let delisted = w
        .app
        .expect_post(
            &path,
            Some(&u.city),
            body.clone(),
            StatusCode::OK,
            "delisting",
        )
        .await;
    assert_eq!(
        (delisted["status"].as_str(), delisted["reason"].as_str()),
        (Some("delisted"), Some("unit_request"))
    );
    let (status, p) = w.app.post_json(&path, Some(&u.city), body).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );
    let after = w
        .app
        .expect_get(&studio, None, StatusCode::OK, "the delisted studio")
        .await;
    assert_eq!(after["status"], "delisted");
    assert_eq!(after["members"], before["members"], "it keeps its people");
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_official_name_ends_with_the_kind_of_studio_the_batch_names() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let body = |category: &str| {
        json!({"org_id": w.tree.city, "year": 2026, "quota": 3, "opens_on": day(-1),
               "closes_on": day(30), "notice_days": 0, "category": category})
    };
    let (status, p) = w
        .app
        .post_json("/api/v1/naming/batches", Some(&u.city), body("银河"))
        .await;
    assert_invalid(status, &p, "category");
    let batch = w
        .app
        .expect_post(
            "/api/v1/naming/batches",
            Some(&u.city),
            body("women"),
            StatusCode::CREATED,
            "opening a batch of women workers' studios",
        )
        .await;
    assert_eq!(batch["category"], "women");
    assert!(
        batch["title"]
            .as_str()
            .unwrap()
            .ends_with("女职工创新工作室命名"),
        "{batch}"
    );
    let a = w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            json!({"batch_id": batch["id"], "studio_id": w.poster_studio()}),
            StatusCode::CREATED,
            "applying",
        )
        .await;
    let d = detail(&w, id(&a), Some(w.poster())).await;
    assert_eq!(d["proposed_name"], "王建国女职工创新工作室");
    w.app.cleanup().await;
}

/// The poster studio founds an alliance (西安高端装备工匠创新联盟); it is forming.
pub(crate) async fn found_alliance(w: &World) -> i64 {
    let a = w
        .app
        .expect_post(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": "西安高端装备工匠创新联盟", "lead_studio_id": w.poster_studio(),
                   "description": "围绕数控机床关键部件联合攻关", "scope": "cross_enterprise"}),
            StatusCode::CREATED,
            "founding an alliance",
        )
        .await;
    id(&a)
}

/// Studio B joins the alliance, which becomes active with two online studios.
pub(crate) async fn join_alliance(w: &World, alliance: i64) {
    let r = w
        .app
        .expect_post(
            &format!("/api/v1/alliances/{alliance}/join-requests"),
            Some(w.b()),
            json!({"studio_id": w.b_studio()}),
            StatusCode::CREATED,
            "asking to join",
        )
        .await;
    w.app
        .expect_post_empty(
            &format!(
                "/api/v1/alliances/{alliance}/join-requests/{}/approve",
                id(&r)
            ),
            Some(w.poster()),
            StatusCode::OK,
            "approving the join",
        )
        .await;
}

/// The alliance of the poster studio and B, named by the city through the whole flow.
pub(crate) async fn named_alliance(w: &World, u: &Union) -> i64 {
    let alliance = found_alliance(w).await;
    join_alliance(w, alliance).await;
    let batch = open_batch(w, &u.city, 3).await;
    let a = id(&w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            json!({"batch_id": batch, "alliance_id": alliance}),
            StatusCode::CREATED,
            "the alliance applies",
        )
        .await);
    expect_step(w, a, "submit", w.poster(), all_conditions(), "submitted").await;
    assert_eq!(up_to_decision(w, u, a).await.0, StatusCode::OK);
    expect_step(w, a, "publish", &u.city, json!({}), "notice").await;
    expect_step(w, a, "name", &u.city, json!({}), "named").await;
    alliance
}

#[tokio::test]
async fn an_alliance_applies_through_its_lead_studio_once_two_members_are_online_and_is_named() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await;
    let u = union(&w).await;
    let app = &w.app;
    let alliance = found_alliance(&w).await;
    let batch = open_batch(&w, &u.city, 3).await;
    let apply = json!({"batch_id": batch, "alliance_id": alliance});

    // One member studio: not yet (Shaanxi: an alliance of two or more online studios).
    let (status, p) = app
        .post_json(
            "/api/v1/naming/applications",
            Some(w.poster()),
            apply.clone(),
        )
        .await;
    assert_invalid(status, &p, "alliance_id");
    let (status, p) = app
        .post_json(
            "/api/v1/naming/applications",
            Some(w.poster()),
            json!({"batch_id": batch, "alliance_id": alliance, "studio_id": w.poster_studio()}),
        )
        .await;
    assert_invalid(status, &p, "studio_id");
    let r = app
        .expect_post(
            &format!("/api/v1/alliances/{alliance}/join-requests"),
            Some(w.b()),
            json!({"studio_id": w.b_studio()}),
            StatusCode::CREATED,
            "asking to join",
        )
        .await;
    app.expect_post_empty(
        &format!(
            "/api/v1/alliances/{alliance}/join-requests/{}/approve",
            id(&r)
        ),
        Some(w.poster()),
        StatusCode::OK,
        "approving the join",
    )
    .await;
    let (status, _) = app
        .post_json("/api/v1/naming/applications", Some(w.b()), apply.clone())
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the lead studio applies"
    );

    let app_id = id(&app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            apply,
            StatusCode::CREATED,
            "the alliance applies",
        )
        .await);
    // The lead studio may still apply on its own in the same batch.
    app.expect_post(
        "/api/v1/naming/applications",
        Some(w.poster()),
        json!({"batch_id": batch, "studio_id": w.poster_studio()}),
        StatusCode::CREATED,
        "the lead studio applies for itself",
    )
    .await;
    expect_step(
        &w,
        app_id,
        "submit",
        w.poster(),
        all_conditions(),
        "submitted",
    )
    .await;
    let d = detail(&w, app_id, Some(w.poster())).await;
    assert_eq!(d["studio_name"], "西安高端装备工匠创新联盟");
    assert_eq!(d["alliance_id"], alliance);
    assert_eq!(
        d["snapshot"]["alliance_members"].as_array().unwrap().len(),
        2
    );
    assert_eq!(up_to_decision(&w, &u, app_id).await.0, StatusCode::OK);
    expect_step(&w, app_id, "publish", &u.city, json!({}), "notice").await;
    expect_step(&w, app_id, "name", &u.city, json!({}), "named").await;
    let named = app
        .expect_get(
            &format!("/api/v1/alliances/{alliance}"),
            None,
            StatusCode::OK,
            "the named alliance",
        )
        .await;
    assert_eq!(named["status"], "named");
    let studio = app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "the lead studio",
        )
        .await;
    assert_eq!(
        studio["status"], "draft",
        "the alliance's steps leave the lead studio's own naming alone"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_named_studio_is_upgraded_by_a_naming_in_a_batch_of_the_next_kind_and_stays_named_meanwhile()
 {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let batch_of = |category: &str| {
        json!({"org_id": w.tree.city, "year": 2026, "quota": 3, "opens_on": day(-1),
               "closes_on": day(30), "notice_days": 0, "category": category})
    };
    let path = format!("/api/v1/studios/{}", w.poster_studio());
    let studio = || {
        w.app
            .expect_get(&path, None, StatusCode::OK, "reading the studio")
    };
    let mut names = Vec::new();
    for category in ["worker", "model_worker"] {
        let b = w
            .app
            .expect_post(
                "/api/v1/naming/batches",
                Some(&u.city),
                batch_of(category),
                StatusCode::CREATED,
                "opening a batch",
            )
            .await;
        let a = id(&w
            .app
            .expect_post(
                "/api/v1/naming/applications",
                Some(w.poster()),
                json!({"batch_id": id(&b), "studio_id": w.poster_studio()}),
                StatusCode::CREATED,
                "applying",
            )
            .await);
        expect_step(&w, a, "submit", w.poster(), all_conditions(), "submitted").await;
        assert_eq!(up_to_decision(&w, &u, a).await.0, StatusCode::OK);
        expect_step(&w, a, "publish", &u.city, json!({}), "notice").await;
        names.push((category, studio().await["status"].clone()));
        expect_step(&w, a, "name", &u.city, json!({}), "named").await;
        names.push((category, studio().await["name"].clone()));
    }
    assert_eq!(
        names,
        [
            ("worker", json!("public_notice")),
            ("worker", json!("王建国职工创新工作室")),
            ("model_worker", json!("named")),
            ("model_worker", json!("王建国劳模和工匠人才创新工作室")),
        ],
        "the upgrade keeps the title it has until the new one is given"
    );
    w.app.cleanup().await;
}
