//! Bulletins (简报, Zhengzhou 001 三（三）): the city union sends one down its subtree; the
//! studios' people and the staff below are told and read it; the city sees who read it and
//! which studios have not; another province's staff never see it.

use lianmeng_tests::{StatusCode, World, assert_invalid, json};

use crate::naming::union;

#[tokio::test]
async fn the_city_sends_a_bulletin_down_and_sees_who_read_it() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let body = json!({"org_id": w.tree.city, "title": "第 3 期 劳模工匠创新工作室联盟建设简报",
                      "body": "## 典型经验\n\n- 王建国劳模创新工作室攻克主轴振动难题\n- 联盟内共享检测设备"});

    // Only the city's staff (or above) send; bad input changes nothing.
    for token in [w.poster(), &u.district] {
        let (status, _) = w
            .app
            .post_json("/api/v1/bulletins", Some(token), body.clone())
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, p) = w
        .app
        .post_json(
            "/api/v1/bulletins",
            Some(&u.city),
            json!({"org_id": w.tree.city, "title": " ", "body": ""}),
        )
        .await;
    assert_invalid(status, &p, "title");
    assert_invalid(status, &p, "body");

    let b = w
        .app
        .expect_post(
            "/api/v1/bulletins",
            Some(&u.city),
            body,
            StatusCode::CREATED,
            "sending",
        )
        .await;
    let id = b["id"].as_i64().unwrap();
    for token in [w.poster(), w.b(), &u.unit, &u.district] {
        assert_eq!(
            w.count(token, "bulletin").await,
            1,
            "everyone below is told"
        );
    }
    assert_eq!(w.count(w.far_staff(), "bulletin").await, 0);
    let (status, _) = w
        .app
        .get_json(&format!("/api/v1/bulletins/{id}"), Some(w.far_staff()))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another province does not see it"
    );
    let far = w
        .app
        .expect_get(
            "/api/v1/bulletins",
            Some(w.far_staff()),
            StatusCode::OK,
            "far",
        )
        .await;
    assert_eq!(far["items"], json!([]));
    let mine = w
        .app
        .expect_get("/api/v1/bulletins", Some(w.b()), StatusCode::OK, "mine")
        .await;
    assert_eq!(mine["items"][0]["id"], id);

    // The poster reads it twice through the API, B's leader opens the page: two readers.
    for _ in 0..2 {
        w.app
            .expect_post_empty(
                &format!("/api/v1/bulletins/{id}/read"),
                Some(w.poster()),
                StatusCode::NO_CONTENT,
                "reading",
            )
            .await;
    }
    let page = w
        .app
        .browser_of(w.b())
        .get(w.app.url(&format!("/bulletins/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.unwrap();
    assert!(
        text.contains("<h2>典型经验</h2>") && !text.contains("阅读情况"),
        "rendered; reads are for the senders"
    );

    let (status, _) = w
        .app
        .get_json(&format!("/api/v1/bulletins/{id}/reads"), Some(w.poster()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let reads = w
        .app
        .expect_get(
            &format!("/api/v1/bulletins/{id}/reads"),
            Some(&u.city),
            StatusCode::OK,
            "reads",
        )
        .await;
    assert_eq!(reads["readers"].as_array().unwrap().len(), 2, "{reads}");
    let studios = reads["studios"].as_array().unwrap();
    let read = |sid: i64| {
        studios
            .iter()
            .find(|s| s["studio_id"] == sid)
            .map(|s| s["read"].clone())
    };
    assert_eq!(read(w.poster_studio()), Some(json!(true)));
    assert_eq!(read(w.b_studio()), Some(json!(true)));
    assert_eq!(
        read(w.c_studio()),
        Some(json!(false)),
        "C has not read it yet"
    );
    let shown = w
        .app
        .expect_get(
            &format!("/api/v1/bulletins/{id}"),
            Some(&u.city),
            StatusCode::OK,
            "show",
        )
        .await;
    assert_eq!(shown["read_count"], 2);
    let page = w
        .app
        .browser_of(&u.city)
        .get(w.app.url(&format!("/bulletins/{id}")))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("阅读情况"));
}
