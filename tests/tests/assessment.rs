//! Assessment (考核, Jieyang art. 9–11, Changchun 5): a city union's rounds for the studios it
//! named; each studio's self-evaluation prefilled from its figures, the unit's evaluation, the
//! initial review, the experts' scores of a cycle, the grade; rectification and recheck; three
//! failing years in a row flag the naming for withdrawal. Wrong steps are 409, wrong people
//! 403, bad input 422 and changes nothing.

use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json};

use crate::naming::{Union, day, grant, name_studio, named_alliance, union};

async fn open_round(w: &World, token: &str, kind: &str, year: i64) -> (StatusCode, Value) {
    w.app
        .post_json(
            "/api/v1/assessment-rounds",
            Some(token),
            json!({"org_id": w.tree.city, "kind": kind, "year": year}),
        )
        .await
}

async fn board(w: &World, round: i64, token: &str) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/assessment-rounds/{round}"),
            Some(token),
            StatusCode::OK,
            "reading the board",
        )
        .await
}

async fn step(w: &World, a: i64, code: &str, token: &str, body: Value) -> (StatusCode, Value) {
    w.app
        .post_json(
            &format!("/api/v1/assessments/{a}/{code}"),
            Some(token),
            body,
        )
        .await
}

async fn expect_step(w: &World, a: i64, code: &str, token: &str, body: Value, to: &str) -> Value {
    let (status, answer) = step(w, a, code, token, body).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some(to)),
        "{code}: {answer}"
    );
    answer
}

async fn detail(w: &World, a: i64, token: &str) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/assessments/{a}"),
            Some(token),
            StatusCode::OK,
            "reading the assessment",
        )
        .await
}

/// Opens a round and answers the one assessment in it (the city named one studio).
async fn round_of_one(w: &World, u: &Union, kind: &str, year: i64) -> (i64, i64) {
    let (status, r) = open_round(w, &u.city, kind, year).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let round = id(&r);
    let b = board(w, round, &u.city).await;
    assert_eq!(b["items"].as_array().unwrap().len(), 1, "{b}");
    (round, id(&b["items"][0]))
}

/// Self-evaluation, the unit's evaluation and the initial review, each by its own people.
async fn up_to_review(w: &World, u: &Union, a: i64) {
    let say = |t: &str| json!({"opinion": t});
    expect_step(
        w,
        a,
        "self",
        w.poster(),
        say("制度健全，按计划开展攻关。"),
        "self_evaluated",
    )
    .await;
    expect_step(
        w,
        a,
        "unit",
        &u.unit,
        say("同意，运行良好。"),
        "unit_evaluated",
    )
    .await;
    expect_step(w, a, "review", &u.district, say("初审通过。"), "reviewed").await;
}

async fn studio_status(w: &World) -> String {
    let s = w
        .app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "reading the studio",
        )
        .await;
    s["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_named_studio_is_assessed_up_the_tree_fails_rectifies_and_passes_the_recheck() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let app = &w.app;

    // Nothing named yet: nothing to assess.
    let (status, p) = open_round(&w, &u.city, "annual", 2026).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("nothing_to_assess")),
        "{p}"
    );
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;

    // Bad input and the wrong people change nothing.
    let (status, p) = app
        .post_json(
            "/api/v1/assessment-rounds",
            Some(&u.city),
            json!({"org_id": w.tree.city, "kind": "monthly", "year": 2026}),
        )
        .await;
    assert_invalid(status, &p, "kind");
    let (status, p) = app
        .post_json(
            "/api/v1/assessment-rounds",
            Some(&u.city),
            json!({"org_id": w.tree.city, "kind": "annual", "year": 1900, "due_on": "年底"}),
        )
        .await;
    assert_invalid(status, &p, "year");
    assert_invalid(status, &p, "due_on");
    for token in [w.poster(), &u.experts[0].1] {
        let (status, _) = open_round(&w, token, "annual", 2026).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let list = app
        .expect_get(
            "/api/v1/assessment-rounds",
            Some(&u.city),
            StatusCode::OK,
            "listing rounds",
        )
        .await;
    assert_eq!(list["items"], json!([]), "nothing was written");

    let (round, a) = round_of_one(&w, &u, "annual", 2026).await;
    let (status, p) = open_round(&w, &u.city, "annual", 2026).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("round_exists"))
    );
    assert!(
        w.count(w.poster(), "assessment").await >= 1,
        "the leader is asked to self-evaluate"
    );

    // The self-evaluation is prefilled from the studio's figures.
    let d = detail(&w, a, w.poster()).await;
    assert_eq!(d["status"], "pending");
    assert_eq!(d["figures"]["years"], "2026");
    assert!(d["figures"]["members"].as_i64().unwrap() >= 1, "{d}");
    assert!(
        d["draft"].as_str().unwrap().contains("攻关榜单"),
        "{}",
        d["draft"]
    );
    assert_eq!(d["viewer"]["may"], json!(["self"]));
    let queue = app
        .expect_get(
            "/api/v1/assessments",
            Some(w.poster()),
            StatusCode::OK,
            "queue",
        )
        .await;
    assert_eq!(queue["items"][0]["id"], a);

    // Out of turn: 409; not theirs: 403; an empty self-evaluation: 422.
    let (status, p) = step(&w, a, "unit", &u.unit, json!({"opinion": "同意"})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition")),
        "{p}"
    );
    let (status, _) = step(&w, a, "self", &u.district, json!({"opinion": "代填"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, p) = step(&w, a, "self", w.poster(), json!({"opinion": "  "})).await;
    assert_invalid(status, &p, "opinion");
    let (status, _) = step(&w, a, "launch", w.poster(), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    expect_step(
        &w,
        a,
        "self",
        w.poster(),
        json!({"opinion": "全年完成攻关项目三项。"}),
        "self_evaluated",
    )
    .await;
    let d = detail(&w, a, &u.city).await;
    assert_eq!(d["self_evaluation"], "全年完成攻关项目三项。");
    assert_eq!(d["draft"], "", "the figures are frozen with it");
    let (status, _) = step(&w, a, "unit", &u.city, json!({"opinion": "同意"})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "谁推荐谁考核: the unit first"
    );
    let (status, p) = step(&w, a, "unit", &u.unit, json!({})).await;
    assert_invalid(status, &p, "opinion");
    expect_step(
        &w,
        a,
        "unit",
        &u.unit,
        json!({"opinion": "同意上报。"}),
        "unit_evaluated",
    )
    .await;
    let (status, _) = step(&w, a, "review", &u.unit, json!({"opinion": "通过"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    expect_step(
        &w,
        a,
        "review",
        &u.district,
        json!({"opinion": "初审通过。"}),
        "reviewed",
    )
    .await;

    // An annual round has no expert scores; the grade is the city's.
    let (status, _) = step(&w, a, "score", &u.city, json!({"score": 80})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, p) = step(
        &w,
        a,
        "decide",
        &u.city,
        json!({"grade": "良好", "opinion": "x"}),
    )
    .await;
    assert_invalid(status, &p, "grade");
    let (status, _) = step(
        &w,
        a,
        "decide",
        &u.district,
        json!({"grade": "pass", "opinion": "合格"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let decided = expect_step(
        &w,
        a,
        "decide",
        &u.city,
        json!({"grade": "fail", "opinion": "成果转化不足，经费未落实。"}),
        "failed",
    )
    .await;
    assert_eq!(decided["grade"], "fail");

    // Rectification: a deadline ahead and the requirements; the studio is in rectification.
    let (status, p) = step(
        &w,
        a,
        "rectify",
        &u.city,
        json!({"deadline": day(-1), "requirements": ""}),
    )
    .await;
    assert_invalid(status, &p, "deadline");
    assert_invalid(status, &p, "requirements");
    assert_eq!(
        studio_status(&w).await,
        "named",
        "bad input changed nothing"
    );
    expect_step(
        &w,
        a,
        "rectify",
        &u.city,
        json!({"deadline": day(60), "requirements": "落实专项经费，完成两项成果转化。"}),
        "rectifying",
    )
    .await;
    assert_eq!(studio_status(&w).await, "rectification");
    let b = board(&w, round, &u.city).await;
    assert_eq!(
        (
            b["counts"]["fail"].as_i64(),
            b["counts"]["rectifying"].as_i64()
        ),
        (Some(1), Some(1)),
        "{b}"
    );
    assert_eq!(b["items"][0]["rectify_by"], day(60));

    let (status, p) = step(&w, a, "recheck", &u.city, json!({"opinion": "已整改"})).await;
    assert_invalid(status, &p, "passed");
    expect_step(
        &w,
        a,
        "recheck",
        &u.city,
        json!({"passed": true, "opinion": "整改到位。"}),
        "rectified",
    )
    .await;
    assert_eq!(studio_status(&w).await, "named");
    let trail: Vec<String> = detail(&w, a, w.poster()).await["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        trail,
        ["self", "unit", "review", "decide", "rectify", "recheck"]
    );

    // The studio's page shows its latest grade.
    let html = app
        .browser()
        .get(app.url(&format!("/studios/{}", w.poster_studio())))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("不合格"), "the latest grade is on the page");
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_cycle_is_scored_without_conflict_of_interest_and_decided_once() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let (_, a) = round_of_one(&w, &u, "cycle", 2026).await;
    assert_eq!(
        detail(&w, a, w.poster()).await["figures"]["years"],
        "2025–2026"
    );
    up_to_review(&w, &u, a).await;

    let decide = json!({"grade": "excellent", "opinion": "经集体研究，评为优秀。"});
    let (status, p) = step(&w, a, "decide", &u.city, decide.clone()).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("scores_missing"))
    );
    let (expert, token) = &u.experts[0];
    let (status, p) = step(&w, a, "score", token, json!({"score": 101})).await;
    assert_invalid(status, &p, "score");
    let (status, p) = step(&w, a, "score", token, json!({"score": "九十"})).await;
    assert_invalid(status, &p, "score");
    expect_step(
        &w,
        a,
        "score",
        token,
        json!({"score": 91, "comment": "成果展示充分"}),
        "reviewed",
    )
    .await;

    // An expert who belongs to the studio's own unit cannot score it.
    let (insider_id, insider) = grant(&w, w.tree.city, "expert", "本单位专家 何平", "机械").await;
    w.app
        .join_studio(
            w.poster_studio(),
            w.poster(),
            (insider_id, &insider),
            "member",
        )
        .await;
    let (status, p) = step(&w, a, "score", &insider, json!({"score": 100})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict_of_interest")),
        "{p}"
    );

    // Scores stay with the staff until the grade is given.
    let seen = detail(&w, a, w.poster()).await;
    assert_eq!(
        (seen["scores"].clone(), seen["score_avg"].clone()),
        (json!([]), Value::Null)
    );
    let staff = detail(&w, a, &u.city).await;
    assert_eq!(staff["scores"][0]["scorer_id"], *expert);
    assert_eq!(staff["score_avg"], 91.0);

    // Two staff deciding at once: exactly one wins.
    let (one, two) = tokio::join!(
        step(&w, a, "decide", &u.city, decide.clone()),
        step(&w, a, "decide", &u.city_2, decide.clone())
    );
    let mut statuses = [one.0, two.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{one:?} {two:?}"
    );
    let d = detail(&w, a, w.poster()).await;
    assert_eq!(
        (d["status"].as_str(), d["grade"].as_str()),
        (Some("graded"), Some("excellent"))
    );
    assert_eq!(
        d["scores"].as_array().unwrap().len(),
        1,
        "shown once graded"
    );
    let decides = d["trail"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["action"] == "decide")
        .count();
    assert_eq!(decides, 1);
    let html = w
        .app
        .browser()
        .get(w.app.url(&format!("/studios/{}", w.poster_studio())))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("优先推荐申报上一级"), "art. 11: recommended");
    w.app.cleanup().await;
}

#[tokio::test]
async fn changchun_third_failing_year_in_a_row_flags_the_naming_and_a_failed_recheck_proposes_delisting()
 {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let fail = json!({"grade": "fail", "opinion": "不合格。"});
    let mut last = (0, 0);
    for year in [2024, 2025, 2026] {
        let (round, a) = round_of_one(&w, &u, "annual", year).await;
        up_to_review(&w, &u, a).await;
        expect_step(&w, a, "decide", &u.city, fail.clone(), "failed").await;
        let flagged = detail(&w, a, &u.city).await["withdrawal_flagged"].clone();
        assert_eq!(flagged, json!(year == 2026), "year {year}");
        last = (round, a);
    }
    let (round, a) = last;
    let b = board(&w, round, &u.city).await;
    assert_eq!(b["counts"]["withdrawal_flagged"], 1);
    let n = w.notifications(&u.city).await;
    assert!(
        n["items"].as_array().unwrap().iter().any(|i| i["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("连续三年")),
        "the naming union is told: {n}"
    );

    expect_step(
        &w,
        a,
        "rectify",
        &u.city,
        json!({"deadline": day(30), "requirements": "重新制定工作制度。"}),
        "rectifying",
    )
    .await;
    expect_step(
        &w,
        a,
        "recheck",
        &u.city,
        json!({"passed": false, "opinion": "整改不力。"}),
        "delist_proposed",
    )
    .await;
    assert_eq!(studio_status(&w).await, "rectification");
    // Art. 8 (四): failed checks not remedied after rectification.
    let delisted = w
        .app
        .expect_post(
            &format!("/api/v1/studios/{}/delist", w.poster_studio()),
            Some(&u.city),
            json!({"reason": "failed_assessment", "note": "连续三年考核不合格，整改不力。"}),
            StatusCode::OK,
            "delisting",
        )
        .await;
    assert_eq!(delisted["status"], "delisted");
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_assessment_pages_take_the_self_evaluation_and_the_units_opinion_without_script() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    name_studio(&w, &u, w.poster_studio(), w.poster()).await;
    let (round, a) = round_of_one(&w, &u, "annual", 2026).await;
    let page = w.app.url(&format!("/assessment/{a}"));
    let leader = w.app.browser_of(w.poster());
    let html = leader
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("攻关榜单") && html.contains("提交自评"),
        "the form is prefilled from the figures"
    );
    let sent = leader
        .post(w.app.url(&format!("/assessment/{a}/self")))
        .form(&[("opinion", "全年攻关三项，带徒五人。")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(
        sent.text().await.unwrap().contains("自评已提交"),
        "a message after the step"
    );

    let unit = w.app.browser_of(&u.unit);
    let refused = unit
        .post(w.app.url(&format!("/assessment/{a}/unit")))
        .form(&[("opinion", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("aria-invalid"));
    assert_eq!(detail(&w, a, &u.unit).await["status"], "self_evaluated");
    let done = unit
        .post(w.app.url(&format!("/assessment/{a}/unit")))
        .form(&[("opinion", "情况属实。")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let board_html = w
        .app
        .browser_of(&u.city)
        .get(w.app.url(&format!("/assessment/rounds/{round}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        board_html.contains("王建国") && board_html.contains("待初审"),
        "the board shows where the studio is"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_named_alliance_is_assessed_through_its_lead_studio_on_its_members_figures() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await;
    let u = union(&w).await;
    let alliance = named_alliance(&w, &u).await;
    let (_, a) = round_of_one(&w, &u, "annual", 2026).await;
    let d = detail(&w, a, w.poster()).await;
    assert_eq!(
        (d["alliance_id"].as_i64(), d["studio_name"].as_str()),
        (Some(alliance), Some("西安高端装备工匠创新联盟"))
    );
    let members = |studio: i64| {
        let app = &w.app;
        async move {
            app.expect_get(
                &format!("/api/v1/studios/{studio}"),
                None,
                StatusCode::OK,
                "a member studio",
            )
            .await["member_count"]
                .as_i64()
                .unwrap()
        }
    };
    let both = members(w.poster_studio()).await + members(w.b_studio()).await;
    assert_eq!(d["figures"]["members"], both, "the members' figures add up");
    let (status, _) = step(&w, a, "self", w.b(), json!({"opinion": "自评"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the lead studio evaluates");
    up_to_review(&w, &u, a).await;
    expect_step(
        &w,
        a,
        "decide",
        &u.city,
        json!({"grade": "fail", "opinion": "联盟活动不足。"}),
        "failed",
    )
    .await;
    expect_step(
        &w,
        a,
        "rectify",
        &u.city,
        json!({"deadline": day(30), "requirements": "每季度至少组织一次联合攻关。"}),
        "rectifying",
    )
    .await;
    assert_eq!(
        studio_status(&w).await,
        "draft",
        "the lead studio's own status is not the alliance's"
    );
    w.app.cleanup().await;
}
