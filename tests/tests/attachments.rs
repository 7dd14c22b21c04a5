//! Files attached to records: a bulletin's pictures (简报配图), added by the sending union's
//! staff and seen by everyone it reached; a progress report's attachments (报送附件), added by
//! the person who filed it and read by the staff above. Checked by content, size and name;
//! nothing is stored when refused.

use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json};

use crate::naming::union;

pub(crate) fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend(std::iter::repeat_n(7u8, 2048));
    b
}

pub(crate) fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n".to_vec();
    b.extend(std::iter::repeat_n(b'x', 4096));
    b
}

pub(crate) async fn upload(
    w: &World,
    path: &str,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = reqwest::Client::new()
        .post(w.app.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("answered");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn fetch(w: &World, url: &str, token: &str) -> (StatusCode, String) {
    let res = reqwest::Client::new()
        .get(w.app.url(url))
        .bearer_auth(token)
        .send()
        .await
        .expect("answered");
    let status = res.status();
    let mime = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    (status, mime)
}

#[tokio::test]
async fn a_bulletins_pictures_are_checked_and_seen_by_those_it_reached() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let b = w
        .app
        .expect_post(
            "/api/v1/bulletins",
            Some(&u.city),
            json!({"org_id": w.tree.city, "title": "第 4 期 联盟建设简报", "body": "现场观摩会照片见下。"}),
            StatusCode::CREATED,
            "sending",
        )
        .await;
    let path = format!("/api/v1/bulletins/{}/images", id(&b));

    // Refused: not an image, a path in the name, too big, not staff of the union.
    let (status, p) = upload(&w, &path, &u.city, "说明.txt", b"just text".to_vec()).await;
    assert_invalid(status, &p, "file");
    let (status, p) = upload(&w, &path, &u.city, "../../现场.png", png()).await;
    assert_invalid(status, &p, "file");
    let (status, _) = upload(&w, &path, &u.city, "大图.png", vec![0x89; 6 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = upload(&w, &path, w.poster(), "现场.png", png()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a reader is not a sender");
    let (status, _) = upload(&w, &path, w.far_staff(), "现场.png", png()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/bulletins/{}", id(&b)),
            Some(&u.city),
            StatusCode::OK,
            "detail",
        )
        .await;
    assert_eq!(detail["images"], json!([]), "nothing was stored");

    let (status, p) = upload(&w, &path, &u.city, "现场观摩会.png", png()).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let detail = w
        .app
        .expect_get(
            &format!("/api/v1/bulletins/{}", id(&b)),
            Some(w.poster()),
            StatusCode::OK,
            "detail",
        )
        .await;
    let image = &detail["images"][0];
    assert_eq!(image["name"], "现场观摩会.png");
    let url = image["url"].as_str().unwrap();
    assert_eq!(
        fetch(&w, url, w.poster()).await,
        (StatusCode::OK, "image/png".to_owned())
    );
    assert_eq!(fetch(&w, url, w.far_staff()).await.0, StatusCode::NOT_FOUND);

    // The bulletin's page shows it, and its staff add more from there.
    let page = w
        .app
        .browser_of(w.poster())
        .get(w.app.url(&format!("/bulletins/{}", id(&b))))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(url) && page.contains("alt=\"现场观摩会.png\""));
}

#[tokio::test]
async fn a_report_carries_attachments_read_by_the_staff_above_and_no_one_else() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let report = w
        .app
        .expect_post(
            "/api/v1/reports",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "progress": "主轴温升控制操作法通过验收",
                   "urgent": true}),
            StatusCode::CREATED,
            "filing",
        )
        .await;
    let path = format!("/api/v1/reports/{}/attachments", id(&report));
    let (status, p) = upload(&w, &path, w.poster(), "验收报告.pdf", pdf()).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (status, _) = upload(&w, &path, w.b(), "验收报告.pdf", pdf()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another studio cannot see the report"
    );
    let (status, _) = upload(&w, &path, &u.city, "批示.pdf", pdf()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "staff read, the studio attaches"
    );

    let list = w
        .app
        .expect_get("/api/v1/reports", Some(&u.city), StatusCode::OK, "reports")
        .await;
    let files = &list["items"][0]["attachments"];
    assert_eq!(files[0]["name"], "验收报告.pdf");
    let url = files[0]["url"].as_str().unwrap();
    assert_eq!(
        fetch(&w, url, &u.city).await,
        (StatusCode::OK, "application/pdf".to_owned())
    );
    assert_eq!(fetch(&w, url, w.far_staff()).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&w, url, w.b()).await.0, StatusCode::NOT_FOUND);

    // At most five a report.
    for n in 2..=5 {
        let (status, _) = upload(&w, &path, w.poster(), &format!("照片{n}.png"), png()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, p) = upload(&w, &path, w.poster(), "照片6.png", png()).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("too_many_files"))
    );
}

#[tokio::test]
async fn the_pages_send_a_bulletin_and_file_a_report_with_their_files_without_script() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let image = reqwest::multipart::Part::bytes(png()).file_name("观摩会.png");
    let form = reqwest::multipart::Form::new()
        .text("org_id", w.tree.city.to_string())
        .text("title", "第 5 期 联盟建设简报")
        .text("body", "各工作室开展岗位练兵。")
        .part("image", image);
    let res = w
        .app
        .browser_of(&u.city)
        .post(w.app.url("/bulletins"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("第 5 期 联盟建设简报") && page.contains("alt=\"观摩会.png\""));

    // A refused picture sends nothing.
    let bad = reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("动图.gif");
    let form = reqwest::multipart::Form::new()
        .text("org_id", w.tree.city.to_string())
        .text("title", "第 6 期")
        .text("body", "正文")
        .part("image", bad);
    let res = w
        .app
        .browser_of(&u.city)
        .post(w.app.url("/bulletins"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list = w
        .app
        .expect_get("/api/v1/bulletins", Some(&u.city), StatusCode::OK, "list")
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let file = reqwest::multipart::Part::bytes(pdf()).file_name("进展材料.pdf");
    let form = reqwest::multipart::Form::new()
        .text("subject", format!("s:{}", w.poster_studio()))
        .text("progress", "新成果：主轴温升控制操作法")
        .text("urgent", "1")
        .part("attachment", file);
    let res = w
        .app
        .browser_of(w.poster())
        .post(w.app.url("/reports"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("已随时上报") && page.contains("进展材料.pdf"));
}
