//! Adoptions (成果推广) are recorded by the adopting unit and count once the outcome's studio
//! confirms them; a transfer enquiry (意向洽谈) opens a direct conversation with the studio's
//! leader.

use lianmeng_tests::{StatusCode, World, id, json, unique};

#[tokio::test]
async fn an_adoption_is_recorded_by_the_unit_and_counts_once_the_studio_confirms_it() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await
        .with_union_people()
        .await;
    let o = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "title": "王建国高精度主轴车削操作法",
                   "summary": "主轴径向圆跳动稳定控制在 0.002 mm 以内", "kind": "operating_method"}),
            StatusCode::CREATED,
            "entering the outcome",
        )
        .await;
    let oid = id(&o);
    // Another enterprise under the same district, with a studio of its own.
    let works = w
        .app
        .create_org(
            &w.admin,
            "草堂数控装备有限公司",
            "enterprise",
            Some(w.tree.district),
        )
        .await;
    let (_, adopter) = w
        .app
        .register_and_login_as(&unique("adopter"), "孙志刚")
        .await;
    w.app
        .online_studio(&adopter, works, "孙志刚工匠人才创新工作室", json!({}))
        .await;
    let adoptions = format!("/api/v1/outcomes/{oid}/adoptions");
    let record =
        json!({"org_id": works, "place": "二车间", "effect": "一次交检合格率由 93% 提升到 99%"});

    // Not a person of the unit, nor staff above it: refused.
    let (_, stranger) = w
        .app
        .register_and_login_as(&unique("stranger"), "赵卫东")
        .await;
    for token in [stranger.as_str(), w.far_staff()] {
        let (status, _) = w.post(&adoptions, token, record.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = w
        .post(
            &adoptions,
            w.poster(),
            json!({"org_id": w.org, "place": "一车间"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the outcome's own studio answers records, it does not make them"
    );
    let (status, p) = w
        .post(&adoptions, &adopter, json!({"org_id": 999_999}))
        .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("org_id"))
    );
    let (status, _) = w
        .post(
            &adoptions,
            &adopter,
            json!({"org_id": works, "place": "车".repeat(101)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let first = w
        .app
        .expect_post(
            &adoptions,
            Some(&adopter),
            record.clone(),
            StatusCode::CREATED,
            "the unit's own person records it",
        )
        .await;
    let (status, p) = w.post(&adoptions, w.city_staff(), record.clone()).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_recorded")),
        "one waiting record a unit"
    );
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading",
        )
        .await;
    assert_eq!(
        detail["adoption_count"], 0,
        "waiting: it does not count yet"
    );
    assert_eq!(detail["adoptions"][0]["status"], "pending");
    assert_eq!(detail["adoptions"][0]["unit"], "草堂数控装备有限公司");
    assert_eq!(detail["adoptions"][0]["recorded_by_name"], "孙志刚");

    // The studio's leader answers, once; a member may not.
    let confirm = format!("/api/v1/outcomes/{oid}/adoptions/{}/confirm", id(&first));
    let (status, _) = w.post(&confirm, w.author(), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w.post(&confirm, &adopter, json!({})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the adopter does not confirm its own record"
    );
    let answered = w
        .app
        .expect_post(
            &confirm,
            Some(w.poster()),
            json!({}),
            StatusCode::OK,
            "the leader confirms",
        )
        .await;
    assert_eq!(answered["status"], "confirmed");
    let (status, p) = w.post(&confirm, w.poster(), json!({})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("answered"))
    );
    let (status, _) = w
        .post(
            &format!("/api/v1/outcomes/{oid}/adoptions/999999/confirm"),
            w.poster(),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Staff above the unit record another one; declined, it never counts.
    let second = w
        .app
        .expect_post(
            &adoptions,
            Some(w.city_staff()),
            record.clone(),
            StatusCode::CREATED,
            "staff above record one",
        )
        .await;
    let declined = w
        .app
        .expect_post(
            &format!("/api/v1/outcomes/{oid}/adoptions/{}/decline", id(&second)),
            Some(w.poster()),
            json!({}),
            StatusCode::OK,
            "the leader declines it",
        )
        .await;
    assert_eq!(declined["status"], "declined");
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading",
        )
        .await;
    assert_eq!(
        detail["adoption_count"], 1,
        "only the confirmed adoption counts"
    );
    let mine = w
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(&adopter),
            StatusCode::OK,
            "the adopter's notifications",
        )
        .await;
    assert!(
        mine.to_string().contains("推广应用已确认"),
        "the adopter hears the answer: {mine}"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_transfer_enquiry_opens_a_conversation_with_the_studios_leader() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_outsider_studio()
        .await;
    let make = |transferable: bool| {
        let w = &w;
        async move {
            let o = w
                .app
                .expect_post(
                    "/api/v1/outcomes",
                    Some(w.poster()),
                    json!({"studio_id": w.poster_studio(), "title": "数控机床主轴热误差补偿软件",
                           "summary": "补偿后精度波动由 12μm 降至 3μm", "kind": "software",
                           "transferable": transferable}),
                    StatusCode::CREATED,
                    "entering an outcome",
                )
                .await;
            id(&o)
        }
    };
    let (kept, offered) = (make(false).await, make(true).await);
    let ask = json!({"message": "我厂有 12 台同型号机床，想了解授权费用和实施周期。", "client_id": "enquiry-1"});
    let (status, p) = w
        .post(
            &format!("/api/v1/outcomes/{kept}/enquiries"),
            w.outsider(),
            ask.clone(),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_transferable"))
    );
    let (status, p) = w
        .post(
            &format!("/api/v1/outcomes/{offered}/enquiries"),
            w.poster(),
            ask.clone(),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("own_outcome"))
    );
    let (status, _) = w
        .post(
            &format!("/api/v1/outcomes/{offered}/enquiries"),
            w.outsider(),
            json!({"message": " "}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let e = w
        .app
        .expect_post(
            &format!("/api/v1/outcomes/{offered}/enquiries"),
            Some(w.outsider()),
            ask.clone(),
            StatusCode::CREATED,
            "an enquiry",
        )
        .await;
    let again = w
        .app
        .expect_post(
            &format!("/api/v1/outcomes/{offered}/enquiries"),
            Some(w.outsider()),
            ask,
            StatusCode::CREATED,
            "the same enquiry sent twice",
        )
        .await;
    assert_eq!(e["message_id"], again["message_id"], "sent once");
    let room = e["room"].as_str().unwrap();
    assert!(room.starts_with("dm:"), "{e}");
    let history = w
        .app
        .expect_get(
            &format!("/api/v1/rooms/{room}/messages"),
            Some(w.poster()),
            StatusCode::OK,
            "the leader reads the conversation",
        )
        .await;
    let items = history["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let body = items[0]["body"].as_str().unwrap();
    assert!(
        body.contains("数控机床主轴热误差补偿软件") && body.contains("授权费用"),
        "{body}"
    );
    w.app.cleanup().await;
}
