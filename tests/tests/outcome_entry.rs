//! Outcomes entered by hand (专利、先进操作法、绝招绝技): the studio's people enter and change
//! them with their files (checked by content, size and name), the change reaches search, and a
//! removed outcome's files go with it; the pages do it all without script.

use lianmeng_tests::{BACKGROUND, StatusCode, Value, World, eventually, id, json};
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
