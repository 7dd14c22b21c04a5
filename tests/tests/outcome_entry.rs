//! Outcomes entered by hand (专利、先进操作法、绝招绝技): the studio's people enter and change
//! them with their files (checked by content, size and name), the change reaches search, and a
//! removed outcome's files go with it. Adoptions (成果推广) are recorded by the adopting unit
//! and count once the outcome's studio confirms them; a transfer enquiry (意向洽谈) opens a
//! direct conversation with the studio's leader.

use lianmeng_tests::{BACKGROUND, StatusCode, Value, World, eventually, id, json, unique};
use reqwest::Method;

use crate::attachments::{pdf, png, upload};

async fn found(w: &World, q: &str) -> Value {
    let q: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
    w.app
        .expect_get(
            &format!("/api/v1/search?q={q}&kind=outcome"),
            None,
            StatusCode::OK,
            "searching outcomes",
        )
        .await
}

fn hits(found: &Value, outcome: i64) -> bool {
    found["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == outcome)
}

#[tokio::test]
async fn a_studio_enters_an_outcome_with_its_certificate_and_changes_it_later() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await
        .with_outsider_studio()
        .await;
    let created = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.author()),
            json!({"studio_id": w.poster_studio(), "title": "一种大型铸件焊缝相控阵检测工装",
                   "summary": "一次装夹完成环焊缝全覆盖扫查", "kind": "patent",
                   "patent_no": "ZL202310456789.1", "industry": "machinery", "benefit_yuan": 860000}),
            StatusCode::CREATED,
            "a member enters a patent",
        )
        .await;
    let oid = id(&created);
    let files = format!("/api/v1/outcomes/{oid}/attachments");

    // Refused, and nothing stored: not an image or PDF by content, a path in the name, too
    // big, someone outside the studio.
    let (status, _) = upload(&w, &files, w.author(), "证书.pdf", b"<html>".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "typed by content");
    let (status, _) = upload(&w, &files, w.author(), "../../证书.png", png()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a path in the name"
    );
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b'x');
    let (status, _) = upload(&w, &files, w.author(), "方法.pdf", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = upload(&w, &files, w.outsider(), "证书.png", png()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading",
        )
        .await;
    assert!(detail["attachments"].as_array().unwrap().is_empty());

    let (status, _) = upload(&w, &files, w.author(), "专利证书.png", png()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = upload(&w, &files, w.poster(), "检测方法.pdf", pdf()).await;
    assert_eq!(status, StatusCode::CREATED);
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading",
        )
        .await;
    let names: Vec<&str> = detail["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["专利证书.png", "检测方法.pdf"]);
    let url = detail["attachments"][0]["url"].as_str().unwrap().to_owned();
    let res = w.app.client.get(w.app.url(&url)).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "an outcome's files are public"
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), png());

    eventually("the new outcome is searchable", BACKGROUND, || async {
        hits(&found(&w, "相控阵检测工装").await, oid).then_some(())
    })
    .await;

    // Changed by the studio's people; bad input changes nothing.
    let (status, p) = w
        .app
        .patch_json(
            &format!("/api/v1/outcomes/{oid}"),
            Some(w.author()),
            json!({"title": "", "benefit_yuan": -1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (status, _) = w
        .app
        .patch_json(
            &format!("/api/v1/outcomes/{oid}"),
            Some(w.outsider()),
            json!({"title": "冒名修改"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let changed = w
        .app
        .expect_patch(
            &format!("/api/v1/outcomes/{oid}"),
            Some(w.poster()),
            json!({"title": "一种环焊缝相控阵超声检测夹具", "benefit_yuan": null, "transferable": true}),
            StatusCode::OK,
            "the leader changes the title",
        )
        .await;
    assert_eq!(changed["title"], "一种环焊缝相控阵超声检测夹具");
    assert_eq!(changed["benefit_yuan"], Value::Null, "null clears it");
    assert_eq!(
        changed["patent_no"], "ZL202310456789.1",
        "what is left out stays"
    );
    assert!(changed["updated_at"].is_string());
    eventually("the change reaches search", BACKGROUND, || async {
        hits(&found(&w, "超声检测夹具").await, oid).then_some(())
    })
    .await;

    // Removed by the leader only; its files and its search entry go with it.
    let dir = w
        .app
        .state
        .config
        .data_dir
        .join("uploads")
        .join("outcomes")
        .join(oid.to_string());
    assert!(dir.exists(), "the files are on disk");
    let (status, _) = w
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/outcomes/{oid}"),
            Some(w.author()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member does not remove it");
    let (status, _) = w
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/outcomes/{oid}"),
            Some(w.poster()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/outcomes/{oid}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert!(!dir.exists(), "a removed outcome's files are removed too");
    let res = w.app.client.get(w.app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    eventually("the removed outcome leaves search", BACKGROUND, || async {
        (!hits(&found(&w, "超声检测夹具").await, oid)).then_some(())
    })
    .await;
    w.app.cleanup().await;
}

#[tokio::test]
async fn an_outcome_of_a_challenge_stays_on_record() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let ch = w.open_challenge(json!({})).await;
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, claim).await;
    w.deliver(ch, w.b(), "漏检率降至 0.3%").await;
    w.app
        .expect_post(
            &format!("/api/v1/challenges/{ch}/accept"),
            Some(w.poster()),
            json!({"rating": 5}),
            StatusCode::OK,
            "accepting",
        )
        .await;
    let o = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.b()),
            json!({"studio_id": w.b_studio(), "challenge_id": ch, "title": "焊缝探伤工艺",
                   "summary": "漏检率降至 0.3%", "kind": "operating_method"}),
            StatusCode::CREATED,
            "recording the challenge's outcome",
        )
        .await;
    let (status, p) = w
        .app
        .send(
            Method::DELETE,
            &format!("/api/v1/outcomes/{}", id(&o)),
            Some(w.b()),
            None,
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("from_challenge"))
    );
    w.app.cleanup().await;
}

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

#[tokio::test]
async fn the_pages_enter_change_adopt_and_remove_an_outcome_without_script() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let leader = w.app.browser_of(w.poster());
    let form = |title: &str, patent_no: &str| {
        reqwest::multipart::Form::new()
            .text("studio_id", w.poster_studio().to_string())
            .text("title", title.to_owned())
            .text("summary", "一次装夹完成环焊缝全覆盖扫查")
            .text("kind", "patent")
            .text("patent_no", patent_no.to_owned())
            .text("benefit_yuan", "860000")
            .text("transferable", "on")
            .part(
                "attachment",
                reqwest::multipart::Part::bytes(png()).file_name("专利证书.png"),
            )
    };
    // A patent without its number comes back with the field marked; nothing is stored.
    let res = leader
        .post(w.app.url("/outcomes/new"))
        .multipart(form("一种焊缝相控阵检测工装", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("aria-invalid=\"true\"") && page.contains("一种焊缝相控阵检测工装"));
    let none = w
        .app
        .expect_get("/api/v1/outcomes", None, StatusCode::OK, "the showcase")
        .await;
    assert!(none["items"].as_array().unwrap().is_empty(), "{none}");

    let res = leader
        .post(w.app.url("/outcomes/new"))
        .multipart(form("一种焊缝相控阵检测工装", "ZL202310456789.1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let oid: i64 = res
        .url()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(
        page.contains("成果已登记") && page.contains("alt=\"专利证书.png\""),
        "{page}"
    );

    let edit = reqwest::multipart::Form::new()
        .text("title", "一种环焊缝相控阵超声检测夹具")
        .text("summary", "一次装夹完成环焊缝全覆盖扫查")
        .text("kind", "patent")
        .text("patent_no", "ZL202310456789.1")
        .text("benefit_yuan", "");
    let res = leader
        .post(w.app.url(&format!("/outcomes/{oid}/edit")))
        .multipart(edit)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("修改已保存") && page.contains("一种环焊缝相控阵超声检测夹具"));
    assert!(
        !page.contains("可转让</span>"),
        "unticked: no longer offered"
    );

    // The city's staff record an adoption for a unit below; the leader confirms it.
    let staff = w.app.browser_of(w.city_staff());
    let res = staff
        .post(w.app.url(&format!("/outcomes/{oid}/adoptions")))
        .form(&[("org_id", w.org.to_string()), ("place", "二车间".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("等待工作室确认"));
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/outcomes/{oid}"),
            None,
            StatusCode::OK,
            "reading",
        )
        .await;
    let aid = detail["adoptions"][0]["id"].as_i64().unwrap();
    let res = leader
        .post(
            w.app
                .url(&format!("/outcomes/{oid}/adoptions/{aid}/confirm")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("已确认这条推广应用"));

    let res = leader
        .post(w.app.url(&format!("/outcomes/{oid}/remove")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("成果已删除"));
    assert_eq!(
        w.app
            .get_json(&format!("/api/v1/outcomes/{oid}"), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    w.app.cleanup().await;
}
