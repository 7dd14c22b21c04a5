//! A course shows each learner the study time they have put in (学时) and a record of it they
//! can print (学习记录), which becomes a completion record (结业证明) once every lesson is done.

use lianmeng_tests::{StatusCode, TestApp, id, json, unique};

#[tokio::test]
async fn a_learner_sees_their_hours_and_prints_the_completion_record() {
    let app = TestApp::spawn().await;
    let org = app.enterprise_org().await;
    let (_, host) = app
        .register_and_login_as(&unique("cr-host"), "陈立新")
        .await;
    let studio = app
        .online_studio(&host, org, &unique("陈立新劳模创新工作室"), json!({}))
        .await;
    let c = app
        .expect_post("/api/v1/courses", Some(&host), json!({
            "studio_id": studio, "title": "GIS 设备局放检测入门", "description": "特高频与超声波局放检测",
            "lessons": [
                {"title": "第一讲 局放检测原理", "body_or_url": "特高频法与超声波法", "minutes": 30},
                {"title": "第二讲 典型图谱识别", "body_or_url": "https://video.example.cn/gis-2.mp4", "minutes": 45},
                {"title": "第三讲 现场检测流程", "body_or_url": "检测前准备、检测和记录", "minutes": 50}
            ]}), StatusCode::CREATED, "the host posts a course")
        .await;
    let c = id(&c);
    let (_, learner) = app.register_and_login_as(&unique("cr-l"), "郭子洋").await;
    let record = format!("/api/v1/courses/{c}/record");
    let (status, p) = app.get_json(&record, Some(&learner)).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_enrolled")),
        "no record before enrolling"
    );
    assert_eq!(
        app.get_json(&record, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.expect_post_empty(
        &format!("/api/v1/courses/{c}/enrolments"),
        Some(&learner),
        StatusCode::CREATED,
        "enrolling",
    )
    .await;
    for n in [1, 2] {
        app.expect_post_empty(
            &format!("/api/v1/courses/{c}/lessons/{n}/complete"),
            Some(&learner),
            StatusCode::OK,
            "a lesson done",
        )
        .await;
    }
    let detail = app
        .expect_get(
            &format!("/api/v1/courses/{c}"),
            Some(&learner),
            StatusCode::OK,
            "the course",
        )
        .await;
    assert_eq!(
        (&detail["minutes_done"], &detail["minutes_total"]),
        (&json!(75), &json!(125))
    );
    let r = app
        .expect_get(&record, Some(&learner), StatusCode::OK, "the record so far")
        .await;
    assert_eq!(r["learner_name"], "郭子洋");
    assert_eq!(r["minutes_done"], 75);
    assert_eq!(r["completed_on"], json!(null), "not finished yet");
    assert!(
        r["lessons"][0]["completed_on"].is_string() && r["lessons"][2]["completed_on"].is_null(),
        "{r}"
    );

    let page = app
        .browser_of(&learner)
        .get(app.url(&format!("/courses/{c}/record")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("学习记录") && !html.contains("结业证明") && html.contains("1 小时 15 分钟"),
        "{html}"
    );

    app.expect_post_empty(
        &format!("/api/v1/courses/{c}/lessons/3/complete"),
        Some(&learner),
        StatusCode::OK,
        "the last lesson",
    )
    .await;
    let r = app
        .expect_get(
            &record,
            Some(&learner),
            StatusCode::OK,
            "the finished record",
        )
        .await;
    assert_eq!(r["minutes_done"], 125);
    assert!(r["completed_on"].is_string(), "{r}");
    let html = app
        .browser_of(&learner)
        .get(app.url(&format!("/courses/{c}/record")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("结业证明") && html.contains("郭子洋") && html.contains("2 小时 5 分钟"),
        "{html}"
    );
    let course = app
        .browser_of(&learner)
        .get(app.url(&format!("/courses/{c}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        course.contains(&format!("/courses/{c}/record")),
        "the course page links the record"
    );
    app.cleanup().await;
}
