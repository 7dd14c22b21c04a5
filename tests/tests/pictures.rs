//! Pictures: a studio's photo or logo, a person's portrait and an outcome's first photo are
//! resized on upload, served with long cache lifetimes and shown in the directory, on the
//! studio's page and in the showcase. A file that is not a picture changes nothing.

use std::io::Cursor;

use lianmeng_tests::{StatusCode, World, id, json};

use crate::attachments::upload;

/// A real PNG of `w` × `h` pixels, with a transparent half.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([180, (y % 200) as u8, 40, if x < w / 2 { 255 } else { 0 }])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn fetch(w: &World, path: &str) -> reqwest::Response {
    reqwest::get(w.app.url(path)).await.expect("answered")
}

async fn size_of(w: &World, path: &str) -> (u32, u32) {
    let res = fetch(w, path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let bytes = res.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    (img.width(), img.height())
}

#[tokio::test]
async fn a_studio_picture_is_resized_cached_and_shown_in_the_directory() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_outsider_studio()
        .await;
    let path = format!("/api/v1/studios/{}/picture", w.poster_studio());
    // Not a picture, or not one's own studio: refused, nothing changes.
    let (status, p) = upload(&w, &path, w.poster(), "logo.png", crate::attachments::png()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "file");
    let (status, _) = upload(&w, &path, w.outsider(), "logo.png", png(64, 64)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let studio = format!("/api/v1/studios/{}", w.poster_studio());
    let (_, s) = w.app.get_json(&studio, None).await;
    assert!(s["picture"].is_null(), "{s}");

    let (status, first) = upload(&w, &path, w.poster(), "合影.png", png(2400, 1200)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let url = first["url"].as_str().unwrap().to_owned();
    let res = fetch(&w, &url).await;
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(
        res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(size_of(&w, &url).await, (1200, 600), "the page size");
    let list = first["list_url"].as_str().unwrap().to_owned();
    assert_eq!(size_of(&w, &list).await, (320, 160), "the list size");
    let (_, s) = w.app.get_json(&studio, None).await;
    assert_eq!(s["picture"], first["picture"]);
    let directory = fetch(&w, "/studios").await.text().await.unwrap();
    assert!(directory.contains(&list), "the directory card shows it");
    let page = fetch(&w, &format!("/studios/{}", w.poster_studio()))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&url), "the studio's page shows it");

    // A new picture replaces the old, whose files go; removing leaves none.
    let (status, second) = upload(&w, &path, w.poster(), "logo.png", png(200, 100)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        size_of(&w, second["url"].as_str().unwrap()).await,
        (200, 100),
        "never enlarged"
    );
    assert_eq!(fetch(&w, &url).await.status(), StatusCode::NOT_FOUND);
    let (status, gone) = w
        .app
        .send(reqwest::Method::DELETE, &path, Some(w.poster()), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert!(gone["picture"].is_null());
    assert_eq!(
        fetch(&w, second["url"].as_str().unwrap()).await.status(),
        StatusCode::NOT_FOUND
    );
    // Names that are not pictures' names serve nothing.
    for bad in ["/pictures/..%2Fsecret.jpg", "/pictures/abc.jpg"] {
        assert_eq!(
            fetch(&w, bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_portrait_shows_beside_the_name_and_an_outcomes_first_photo_in_the_showcase() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await;
    let (status, portrait) = upload(
        &w,
        "/api/v1/me/portrait",
        w.author(),
        "me.jpg",
        png(800, 800),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{portrait}");
    let me = w.me(w.author()).await;
    assert_eq!(me["profile"]["portrait"], portrait["picture"], "{me}");
    let page = fetch(&w, &format!("/studios/{}", w.poster_studio()))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(portrait["list_url"].as_str().unwrap()),
        "the member list shows it"
    );

    let outcome = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.author()),
            json!({"studio_id": w.poster_studio(), "title": "主轴热变形补偿操作法", "kind": "operating_method",
                   "summary": "连续加工三小时后补偿 Z 向漂移"}),
            StatusCode::CREATED,
            "recording an outcome",
        )
        .await;
    let files = format!("/api/v1/outcomes/{}/attachments", id(&outcome));
    let (status, _) = upload(&w, &files, w.author(), "现场.png", png(1600, 900)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, o) = w
        .app
        .get_json(&format!("/api/v1/outcomes/{}", id(&outcome)), None)
        .await;
    let picture = o["picture"]
        .as_str()
        .expect("the first photo is the picture")
        .to_owned();
    assert_eq!(
        size_of(&w, &format!("/pictures/{picture}-s.jpg")).await,
        (320, 180)
    );
    // A second photo leaves the showcase picture as it is.
    let (status, _) = upload(&w, &files, w.author(), "细节.png", png(300, 300)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, o) = w
        .app
        .get_json(&format!("/api/v1/outcomes/{}", id(&outcome)), None)
        .await;
    assert_eq!(o["picture"], picture.as_str());
    let showcase = fetch(&w, "/outcomes").await.text().await.unwrap();
    assert!(
        showcase.contains(&format!("/pictures/{picture}-s.jpg")),
        "the showcase shows it"
    );
}
