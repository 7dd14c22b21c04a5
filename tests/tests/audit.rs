//! The audit log (审计): union staff read what the people under their unions did (who, what,
//! on which entity, when, from which address), filter it, page through it and export it; staff
//! of another province see none of it, and people who are not staff are refused.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use lianmeng_tests::{StatusCode, Value, World, assert_invalid, json};

use crate::naming::{day, union};

fn actions(page: &Value) -> Vec<(String, String)> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap().to_owned(),
                l["entity_kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn staff_read_filter_page_and_export_the_lines_of_the_people_under_them() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let g = w
        .app
        .expect_post(
            "/api/v1/grants",
            Some(&u.city),
            json!({"org_id": w.tree.city, "studio_id": w.poster_studio(), "amount_fen": 2_000_000,
                   "year": 2026, "purpose": "资助"}),
            StatusCode::CREATED,
            "granting",
        )
        .await;
    w.app
        .expect_post(
            &format!("/api/v1/grants/{}/expenses", g["id"]),
            Some(w.poster()),
            json!({"category": "equipment", "amount_fen": 100_000, "spent_on": day(-1), "note": "量具"}),
            StatusCode::CREATED,
            "filing",
        )
        .await;
    let poster = w.me(w.poster()).await;
    let username = poster["username"].as_str().unwrap();

    let all = w
        .app
        .expect_get(
            "/api/v1/audit",
            Some(w.city_staff()),
            StatusCode::OK,
            "reading",
        )
        .await;
    let line = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["action"] == "file")
        .unwrap_or_else(|| panic!("the expense is in the log: {all}"));
    assert_eq!(line["entity_kind"], "expense");
    assert_eq!(line["actor_name"], poster["display_name"]);
    assert_eq!(line["address"], "127.0.0.1", "from which address");

    let mine = w
        .app
        .expect_get(
            &format!(
                "/api/v1/audit?actor={username}&entity_kind=expense&from={}&to={}",
                day(-1),
                day(0)
            ),
            Some(&u.city),
            StatusCode::OK,
            "filtering",
        )
        .await;
    assert_eq!(actions(&mine), [("file".to_owned(), "expense".to_owned())]);
    let (status, p) = w
        .app
        .get_json(
            "/api/v1/audit?from=2026-13-01&actor=nobody_here",
            Some(&u.city),
        )
        .await;
    assert_invalid(status, &p, "from");
    assert_invalid(status, &p, "actor");
    let tomorrow = w
        .app
        .expect_get(
            &format!("/api/v1/audit?from={}", day(1)),
            Some(&u.city),
            StatusCode::OK,
            "future",
        )
        .await;
    assert_eq!(tomorrow["items"], json!([]));

    // Paging: one line at a time, newest first, no line twice.
    let first = w
        .app
        .expect_get("/api/v1/audit?limit=1", Some(&u.city), StatusCode::OK, "p1")
        .await;
    let cursor = first["next_cursor"].as_str().expect("more lines");
    let second = w
        .app
        .expect_get(
            &format!("/api/v1/audit?limit=1&cursor={cursor}"),
            Some(&u.city),
            StatusCode::OK,
            "p2",
        )
        .await;
    assert!(first["items"][0]["id"].as_i64() > second["items"][0]["id"].as_i64());

    // What a person of the city's studio does elsewhere stays with the union it was done under:
    // another province's staff member, added to the poster's studio, creates an org at home.
    let far_me = w.me(w.far_staff()).await;
    let far_id = far_me["id"].as_i64().unwrap();
    w.app
        .join_studio(
            w.poster_studio(),
            w.poster(),
            (far_id, w.far_staff()),
            "member",
        )
        .await;
    let far_org: i64 = far_me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r.as_str()?.strip_prefix("staff:")?.parse().ok())
        .expect("a staff role");
    w.app
        .expect_post(
            "/api/v1/orgs",
            Some(w.far_staff()),
            json!({"name": "兰州市总工会", "level": "city", "parent_id": far_org}),
            StatusCode::CREATED,
            "creating an org in the far province",
        )
        .await;
    let city = w
        .app
        .expect_get(
            "/api/v1/audit?entity_kind=org",
            Some(&u.city),
            StatusCode::OK,
            "orgs",
        )
        .await;
    assert!(
        !city.to_string().contains("兰州"),
        "the far province's line is not the city's: {city}"
    );

    // Another province's staff see none of it; a leader is not staff.
    let far = w
        .app
        .expect_get("/api/v1/audit", Some(w.far_staff()), StatusCode::OK, "far")
        .await;
    assert!(
        !actions(&far)
            .iter()
            .any(|(a, _)| a == "file" || a == "grant"),
        "{far}"
    );
    let (status, _) = w.app.get_json("/api/v1/audit", Some(w.poster())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = w
        .app
        .get_json("/api/v1/exports/audit.xlsx", Some(w.poster()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let res = reqwest::Client::new()
        .get(
            w.app
                .url(&format!("/api/v1/exports/audit.xlsx?actor={username}")),
        )
        .bearer_auth(&u.city)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "时间");
    assert!(
        rows.iter()
            .skip(1)
            .all(|r| r[1] == poster["display_name"].as_str().unwrap()),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[2] == "file" && r[6] == "127.0.0.1"),
        "{rows:?}"
    );

    // The page, without script.
    let page = w
        .app
        .browser_of(&u.city)
        .get(w.app.url(&format!("/audit?actor={username}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.unwrap();
    assert!(
        text.contains("报销支出") && text.contains("经费支出"),
        "labels in the page's words"
    );
    let page = w
        .app
        .browser_of(w.poster())
        .get(w.app.url("/audit"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
}
