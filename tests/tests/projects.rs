//! A studio's own projects (课题立项 → 项目跟进 → 集中攻关 → 成果转化, the defence-post-telecom
//! union's opinion, art. 十二): registered with the studio's people as the team, followed,
//! delivered and recorded as an outcome, or opened as a challenge without retyping. Nobody
//! outside the studio and the unions above it sees a project: not its page, not its list, not
//! in search, facets or the similar check.

use lianmeng_tests::{BACKGROUND, StatusCode, World, eventually, id, json};

fn q(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn a_project_runs_from_registration_to_outcome_seen_only_inside() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await
        .with_outsider_studio()
        .await
        .with_union_people()
        .await;
    let projects = format!("/api/v1/studios/{}/projects", w.poster_studio());
    let body = json!({"title": "龙门铣床主轴箱热变形补偿", "description": "连续加工 3 小时后 Z 向尺寸漂移 0.03 mm",
                      "industry": "machinery", "plan": "3 月底完成温度场测试\n5 月底完成补偿模型"});
    // Outsiders may not register one; bad input changes nothing.
    let (status, _) = w.post(&projects, w.outsider(), body.clone()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an outsider does not learn of the list"
    );
    let (status, _) = w.post(&projects, w.city_staff(), body.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff above read projects, the studio registers them"
    );
    let (status, p) = w
        .post(
            &projects,
            w.poster(),
            json!({"title": "", "description": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (status, p) = w
        .post(
            &projects,
            w.poster(),
            json!({"title": "x", "description": "y", "member_ids": [999_999]}),
        )
        .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("member_ids"))
    );

    let mut with_team = body.clone();
    with_team["member_ids"] = json!([w.author_id()]);
    let p = w
        .app
        .expect_post(
            &projects,
            Some(w.poster()),
            with_team,
            StatusCode::CREATED,
            "the leader registers a project",
        )
        .await;
    let pid = id(&p);
    assert_eq!(p["status"], "active");

    // Seen inside and above; 404 for everyone else, and never in search.
    for token in [w.poster(), w.author(), w.city_staff()] {
        let (status, _) = w
            .app
            .get_json(&format!("/api/v1/projects/{pid}"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    for token in [w.outsider(), w.far_staff()] {
        assert_eq!(
            w.app
                .get_json(&format!("/api/v1/projects/{pid}"), Some(token))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            w.app.get_json(&projects, Some(token)).await.0,
            StatusCode::NOT_FOUND
        );
    }
    let listed = w
        .app
        .expect_get(
            &projects,
            Some(w.city_staff()),
            StatusCode::OK,
            "the city's list",
        )
        .await;
    assert_eq!(listed["items"][0]["id"], pid);
    // A published challenge with the same words becomes searchable; the project never does.
    let marker = w
        .open_challenge(json!({"title": "龙门铣床主轴箱热变形补偿（公开榜）"}))
        .await;
    eventually("the marker challenge is indexed", BACKGROUND, || async {
        let found = w
            .app
            .expect_get(
                &format!("/api/v1/search?q={}", q("主轴箱热变形")),
                Some(w.poster()),
                StatusCode::OK,
                "search",
            )
            .await;
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == marker)
            .then_some(found)
    })
    .await;
    for token in [Some(w.poster()), Some(w.outsider()), None] {
        let (_, found) = w
            .app
            .get_json(&format!("/api/v1/search?q={}", q("主轴箱热变形")), token)
            .await;
        assert!(
            found["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["kind"] != "project"),
            "{found}"
        );
        assert!(found["facets"]["kind"].get("project").is_none(), "{found}");
        let (_, similar) = w
            .app
            .get_json(
                &format!(
                    "/api/v1/challenges/similar?text={}",
                    q("龙门铣床主轴箱热变形补偿")
                ),
                token,
            )
            .await;
        assert!(
            similar.to_string().matches("\"kind\":\"project\"").count() == 0,
            "{similar}"
        );
    }

    // Followed by the team; delivered; recorded as an outcome.
    let progress = format!("/api/v1/projects/{pid}/progress");
    let (status, _) = w
        .post(&progress, w.outsider(), json!({"note": "x", "percent": 10}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = w
        .post(
            &progress,
            w.author(),
            json!({"note": "温度场测试完成", "percent": 140}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let now = w
        .app
        .expect_post(
            &progress,
            Some(w.author()),
            json!({"note": "温度场测试完成", "percent": 40}),
            StatusCode::OK,
            "the team reports",
        )
        .await;
    assert_eq!(now["percent"], 40);
    let (status, p) = w
        .post("/api/v1/outcomes", w.poster(), json!({"studio_id": w.poster_studio(), "project_id": pid,
              "title": "龙门铣床热变形补偿法", "summary": "漂移降到 0.005 mm", "kind": "operating_method"}))
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition")),
        "not delivered yet: {p}"
    );
    w.app
        .expect_post(
            &format!("/api/v1/projects/{pid}/deliver"),
            Some(w.poster()),
            json!({"summary": "漂移降到 0.005 mm"}),
            StatusCode::OK,
            "delivered",
        )
        .await;
    let o = w
        .app
        .expect_post("/api/v1/outcomes", Some(w.poster()), json!({"studio_id": w.poster_studio(), "project_id": pid,
              "title": "龙门铣床热变形补偿法", "summary": "漂移降到 0.005 mm", "kind": "operating_method"}),
              StatusCode::CREATED, "the outcome is recorded")
        .await;
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/projects/{pid}"),
            Some(w.poster()),
            StatusCode::OK,
            "the project",
        )
        .await;
    assert_eq!(
        (&detail["status"], &detail["outcome_id"]),
        (&json!("closed"), &json!(id(&o)))
    );
    let kinds: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["register", "progress", "deliver", "outcome"]);
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_project_opens_as_a_published_challenge_without_retyping() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let p = w
        .app
        .expect_post(
            &format!("/api/v1/studios/{}/projects", w.poster_studio()),
            Some(w.poster()),
            json!({"title": "5G 基站电源模块夏季温升过高", "description": "机房 40℃ 时模块降额运行，需要低成本散热改造方案",
                   "industry": "post_telecom"}),
            StatusCode::CREATED,
            "registering",
        )
        .await;
    let pid = id(&p);
    let (status, _) = w
        .post(&format!("/api/v1/projects/{pid}/open"), w.b(), json!({}))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another studio cannot see it, let alone open it"
    );
    let opened = w
        .app
        .expect_post(
            &format!("/api/v1/projects/{pid}/open"),
            Some(w.poster()),
            json!({"reward_yuan": 20000, "deadline": "2099-06-30"}),
            StatusCode::CREATED,
            "opening it",
        )
        .await;
    let ch = opened["challenge_id"].as_i64().unwrap();
    let challenge = w
        .app
        .expect_get(
            &format!("/api/v1/challenges/{ch}"),
            None,
            StatusCode::OK,
            "the challenge is public",
        )
        .await;
    assert_eq!(challenge["title"], "5G 基站电源模块夏季温升过高");
    assert_eq!(challenge["status"], "open");
    assert_eq!(challenge["industry"], "post_telecom");
    let project = w
        .app
        .expect_get(
            &format!("/api/v1/projects/{pid}"),
            Some(w.poster()),
            StatusCode::OK,
            "the project",
        )
        .await;
    assert_eq!(
        (&project["status"], &project["challenge_id"]),
        (&json!("opened"), &json!(ch))
    );
    let (status, p) = w
        .post(
            &format!("/api/v1/projects/{pid}/open"),
            w.poster(),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition"))
    );
    w.claim(ch, w.b(), w.b_studio()).await;
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_project_pages_register_report_and_deliver_without_script() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await;
    let leader = w.app.browser_of(w.poster());
    let res = leader
        .post(
            w.app
                .url(&format!("/studios/{}/projects", w.poster_studio())),
        )
        .form(&[
            ("title", "数控车床刀塔重复定位精度提升".to_owned()),
            (
                "description",
                "刀塔换刀后重复定位误差 0.01 mm，超出工艺要求".to_owned(),
            ),
            ("member", w.author_id().to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pid: i64 = res
        .url()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(
        page.contains("课题已立项") && page.contains("数控车床刀塔重复定位精度提升"),
        "{page}"
    );
    let member = w.app.browser_of(w.author());
    let res = member
        .post(w.app.url(&format!("/projects/{pid}/progress")))
        .form(&[("note", "完成误差测量"), ("percent", "30")])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("进展已填报"));
    let res = leader
        .post(w.app.url(&format!("/projects/{pid}/deliver")))
        .form(&[("summary", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the summary is needed"
    );
    let res = leader
        .post(w.app.url(&format!("/projects/{pid}/deliver")))
        .form(&[("summary", "重复定位误差降到 0.003 mm")])
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("可以登记成果"));
    let res = leader
        .post(w.app.url(&format!("/projects/{pid}/outcome")))
        .form(&[
            ("title", "刀塔重复定位精度调整法"),
            ("kind", "operating_method"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.url().path().starts_with("/outcomes/"));
    let studio = leader
        .get(w.app.url(&format!("/studios/{}", w.poster_studio())))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        studio.contains(&format!("/studios/{}/projects", w.poster_studio())),
        "the studio page links its projects"
    );
    w.app.cleanup().await;
}
