//! The workbench (工作台): a person signs in to what waits for them, gathered from every area:
//! claims to decide on their studio's challenges, and the naming steps their union takes.

use lianmeng_tests::{PASSWORD, StatusCode, World, id, json, unique};

use crate::naming::{all_conditions, expect_step, open_batch, union};

async fn workbench(w: &World, token: &str) -> String {
    let res = w
        .app
        .browser_of(token)
        .get(w.app.url("/workbench"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_leader_and_union_staff_find_what_waits_for_them_on_the_workbench() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await;
    let u = union(&w).await;

    // Nothing yet.
    assert!(
        workbench(&w, w.poster())
            .await
            .contains("眼下没有需要您处理的事项")
    );

    // A claim on the poster's open challenge waits for the leader's award (挂帅).
    let challenge = w
        .open_challenge(json!({"title": "主轴温升过高导致精度漂移"}))
        .await;
    w.claim(challenge, w.b(), w.b_studio()).await;
    let leader = workbench(&w, w.poster()).await;
    assert!(leader.contains("待挂帅") && leader.contains("主轴温升过高导致精度漂移"));
    assert!(leader.contains(&format!("/challenges/{challenge}")));

    // A submitted application waits for the unit's union.
    let batch = open_batch(&w, &u.city, 3).await;
    let a = id(&w
        .app
        .expect_post(
            "/api/v1/naming/applications",
            Some(w.poster()),
            json!({"batch_id": batch, "studio_id": w.poster_studio()}),
            StatusCode::CREATED,
            "applying",
        )
        .await);
    expect_step(&w, a, "submit", w.poster(), all_conditions(), "submitted").await;
    let unit = workbench(&w, &u.unit).await;
    assert!(unit.contains("待单位推荐") && unit.contains(&format!("/naming/applications/{a}")));
    assert!(
        !workbench(&w, &u.city)
            .await
            .contains(&format!("/naming/applications/{a}")),
        "not the city's turn"
    );

    // A deadline passed with a studio still offline: the district's staff see the unit to call.
    assert!(
        !workbench(&w, &u.district).await.contains("上线逾期"),
        "no deadline yet"
    );
    let (_, offline) = w
        .app
        .register_and_login_as(&unique("wb-off"), "赵立新")
        .await;
    w.app
        .create_studio(&offline, w.tree.enterprise, "赵立新职工创新工作室")
        .await;
    w.app
        .expect_put(
            &format!("/api/v1/orgs/{}/deadlines", w.tree.district),
            Some(&u.district),
            json!({"deadline_all": "2026-01-31"}),
            StatusCode::OK,
            "setting a deadline that has passed",
        )
        .await;
    let district = workbench(&w, &u.district).await;
    assert!(
        district.contains("上线逾期"),
        "the late unit waits for a call"
    );
    assert!(district.contains(&format!("/orgs/{}", w.tree.enterprise)));

    // Signing in through the page lands on the workbench.
    let name = unique("wb");
    w.app.registered(&name, PASSWORD, "刘晓军").await;
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(w.app.url("/login"))
        .form(&[("username", name.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/workbench");
    w.app.cleanup().await;
}
