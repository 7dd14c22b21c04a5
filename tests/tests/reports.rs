//! Progress reports (信息报送, Zhengzhou 001 三（三）): the city sets a monthly schedule; studios
//! report each period once; an urgent report goes to every union above at once; a missing
//! report stands out on the staff's list and brings the leader one reminder; staff of another
//! province read none of it.

use lianmeng_tests::{StatusCode, Value, World, assert_invalid, json};

use crate::naming::union;

fn report(studio: i64, urgent: bool) -> Value {
    json!({"studio_id": studio, "progress": "完成数控车床主轴振动攻关，带徒 3 人。",
           "problems": "检测设备不足", "suggestions": "申请购置三坐标测量仪", "urgent": urgent})
}

async fn file(w: &World, token: &str, body: Value) -> (StatusCode, Value) {
    w.app.post_json("/api/v1/reports", Some(token), body).await
}

fn keys(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["period_key"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn studios_report_each_period_once_and_an_urgent_report_goes_up_at_once() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let studio = w.poster_studio();

    // No schedule yet: a regular report has nowhere to go; an urgent one goes up at once.
    let (status, p) = file(&w, w.poster(), report(studio, false)).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_schedule")),
        "{p}"
    );
    let (status, urgent) = file(&w, w.author(), report(studio, true)).await;
    assert_eq!(status, StatusCode::CREATED, "{urgent}");
    assert_eq!(
        (urgent["urgent"].as_bool(), urgent["period_key"].as_str()),
        (Some(true), Some(""))
    );
    for token in [&u.unit, &u.district, &u.city] {
        assert_eq!(
            w.count(token, "report").await,
            1,
            "every union above is told"
        );
    }
    assert_eq!(w.count(w.far_staff(), "report").await, 0);

    // The city sets the schedule; only its staff may, and bad input changes nothing.
    let path = format!("/api/v1/orgs/{}/report-schedule", w.tree.city);
    let (status, _) = w
        .app
        .put_json(
            &path,
            Some(w.poster()),
            json!({"period": "monthly", "due_day": 10}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, p) = w
        .app
        .put_json(
            &path,
            Some(&u.city),
            json!({"period": "weekly", "due_day": 31}),
        )
        .await;
    assert_invalid(status, &p, "period");
    assert_invalid(status, &p, "due_day");
    let s = w
        .app
        .expect_put(
            &path,
            Some(&u.city),
            json!({"period": "monthly", "due_day": 10}),
            StatusCode::OK,
            "schedule",
        )
        .await;
    assert_eq!(
        (s["period"].as_str(), s["due_day"].as_i64()),
        (Some("monthly"), Some(10))
    );

    // Each open period once, then 409; bad input and outsiders change nothing.
    let (status, p) = file(
        &w,
        w.poster(),
        json!({"studio_id": studio, "progress": "  "}),
    )
    .await;
    assert_invalid(status, &p, "progress");
    let (status, _) = file(&w, w.far_staff(), report(studio, false)).await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
    let mut filed = Vec::new();
    loop {
        let (status, p) = file(&w, w.poster(), report(studio, false)).await;
        if status == StatusCode::CONFLICT {
            assert_eq!(p["code"], "already_reported", "{p}");
            break;
        }
        assert_eq!(status, StatusCode::CREATED, "{p}");
        filed.push(p["period_key"].as_str().unwrap().to_owned());
        assert!(
            filed.len() <= 2,
            "at most the month before (until it is due) and this month"
        );
    }
    assert!(!filed.is_empty());
    let mut sorted = filed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, filed, "each period once, earliest first");

    let city = w
        .app
        .expect_get(
            "/api/v1/reports",
            Some(&u.city),
            StatusCode::OK,
            "city list",
        )
        .await;
    assert_eq!(city["items"].as_array().unwrap().len(), filed.len() + 1);
    let member = w
        .app
        .expect_get(
            "/api/v1/reports",
            Some(w.author()),
            StatusCode::OK,
            "member list",
        )
        .await;
    assert_eq!(
        keys(&member),
        keys(&city),
        "the studio's people read their own"
    );
    let far = w
        .app
        .expect_get(
            "/api/v1/reports",
            Some(w.far_staff()),
            StatusCode::OK,
            "far list",
        )
        .await;
    assert_eq!(far["items"], json!([]), "another province reads none of it");
}

#[tokio::test]
async fn a_missing_report_stands_out_and_brings_the_leader_one_reminder() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    w.app
        .expect_put(
            &format!("/api/v1/orgs/{}/report-schedule", w.tree.city),
            Some(&u.city),
            json!({"period": "monthly", "due_day": 1}),
            StatusCode::OK,
            "schedule",
        )
        .await;
    // The schedule was set long ago, so last month's report is chased.
    let db = &w.app.state.db;
    let mut tx = db.begin().await.unwrap();
    sqlx::query("UPDATE report_schedules SET set_on = '2000-01-01'")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let path = format!("/api/v1/orgs/{}/overdue-reports", w.tree.city);
    let overdue = w
        .app
        .expect_get(&path, Some(&u.city), StatusCode::OK, "overdue")
        .await;
    let items = overdue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{overdue}");
    assert_eq!(items[0]["studio_id"], w.poster_studio());
    assert_eq!(items[0]["reminded"], false);
    let period = items[0]["period_key"].as_str().unwrap().to_owned();
    let (status, _) = w.app.get_json(&path, Some(w.poster())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let now = lianmeng_server::store::now_ms();
    assert_eq!(w.sweep_at(now).await.reminded, 1);
    assert_eq!(w.sweep_at(now).await.reminded, 0, "once");
    assert_eq!(w.count(w.poster(), "report").await, 1);
    let overdue = w
        .app
        .expect_get(&path, Some(&u.city), StatusCode::OK, "overdue")
        .await;
    assert_eq!(overdue["items"][0]["reminded"], true);

    let bench = w
        .app
        .browser_of(w.poster())
        .get(w.app.url("/workbench"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        bench.contains("信息报送逾期"),
        "the leader's workbench says so"
    );

    // A late report goes to the missing period and the studio no longer stands out.
    let (status, p) = file(&w, w.poster(), report(w.poster_studio(), false)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["period_key"], period);
    let overdue = w
        .app
        .expect_get(&path, Some(&u.city), StatusCode::OK, "overdue")
        .await;
    assert_eq!(overdue["items"], json!([]));

    // The page shows the staff what is missing and takes a report without script.
    let page = w
        .app
        .browser_of(&u.city)
        .get(w.app.url("/reports"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("未按期报送") && page.contains("完成数控车床主轴振动攻关"),
        "the page lists it"
    );
    let res = w
        .app
        .browser_of(w.poster())
        .post(w.app.url("/reports"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("subject", format!("s:{}", w.poster_studio()))
                .text("progress", "新成果：主轴温升控制操作法")
                .text("urgent", "1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("已随时上报"));
}
