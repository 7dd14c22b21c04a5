//! Supervision with figures (督导, Zhengzhou 001): a city union reads, for a year, its own
//! totals and each district's, every row the sum of that district's subtree: onboarding,
//! challenges posted and solved, outcomes and adoptions, mentoring, events, missing reports,
//! grants and spending. The page draws each figure as a chart and a table.

use chrono::{Datelike, Duration, Utc};
use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json, unique};

use crate::naming::union;

fn china_year() -> i64 {
    i64::from((Utc::now() + Duration::hours(8)).year())
}

async fn figures(w: &World, org: i64, token: &str, query: &str) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/orgs/{org}/supervision{query}"),
            Some(token),
            StatusCode::OK,
            "reading the supervision figures",
        )
        .await
}

fn row<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name} in {s}"))
}

#[tokio::test]
async fn a_city_reads_each_districts_year_as_the_total_of_its_subtree() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let year = china_year();

    // A second district with one studio online and one still a draft.
    let beilin = w
        .app
        .create_org(&w.admin, "碑林区总工会", "district", Some(w.tree.city))
        .await;
    let works = w
        .app
        .create_org(&w.admin, "陕西重型机械厂工会", "enterprise", Some(beilin))
        .await;
    let (_, lead) = w.app.register_and_login_as(&unique("sf"), "韩冬梅").await;
    w.app
        .online_studio(&lead, works, "韩冬梅电气创新工作室", json!({}))
        .await;
    let (_, drafter) = w.app.register_and_login_as(&unique("sf"), "魏东").await;
    w.app.create_studio(&drafter, works, "魏东机修工作室").await;

    // In 雁塔: a challenge solved by studio B, an outcome adopted once, a grant partly spent.
    let ch = w.open_challenge(json!({})).await;
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    w.award(ch, claim).await;
    w.deliver(ch, w.b(), "漏检率降至 0.3%").await;
    w.app
        .expect_post(
            &format!("/api/v1/challenges/{ch}/accept"),
            Some(w.poster()),
            json!({"rating": 5, "comment": "效果显著"}),
            StatusCode::OK,
            "accepting",
        )
        .await;
    let outcome = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "title": "主轴热变形误差补偿操作法",
                   "summary": "用温度测点建模补偿数控机床主轴热变形", "kind": "operating_method"}),
            StatusCode::CREATED,
            "recording an outcome",
        )
        .await;
    let adoption = w
        .app
        .expect_post(
            &format!("/api/v1/outcomes/{}/adoptions", id(&outcome)),
            Some(&lead),
            json!({"org_id": works, "place": "二车间", "effect": "废品率下降 40%"}),
            StatusCode::CREATED,
            "a person of the adopting unit records the adoption",
        )
        .await;
    let unconfirmed = figures(&w, w.tree.city, &u.city, "").await;
    assert_eq!(
        row(&unconfirmed, "雁塔区总工会")["adoptions"],
        0,
        "an adoption counts once the outcome's studio confirms it"
    );
    w.app
        .expect_post(
            &format!(
                "/api/v1/outcomes/{}/adoptions/{}/confirm",
                id(&outcome),
                id(&adoption)
            ),
            Some(w.poster()),
            json!({}),
            StatusCode::OK,
            "the outcome's studio confirms it",
        )
        .await;
    let grant = w
        .app
        .expect_post(
            "/api/v1/grants",
            Some(&u.city),
            json!({"org_id": w.tree.city, "studio_id": w.poster_studio(),
                   "amount_fen": 2_000_000, "year": year, "purpose": "市级命名工作室资助"}),
            StatusCode::CREATED,
            "granting",
        )
        .await;
    let expense = w
        .app
        .expect_post(
            &format!("/api/v1/grants/{}/expenses", id(&grant)),
            Some(w.poster()),
            json!({"category": "equipment", "amount_fen": 120_000, "note": "超声探伤仪探头",
                   "spent_on": format!("{year}-01-15")}),
            StatusCode::CREATED,
            "filing an expense",
        )
        .await;
    w.app
        .expect_post(
            &format!("/api/v1/expenses/{}/approve", id(&expense)),
            Some(&u.city),
            json!({}),
            StatusCode::OK,
            "approving",
        )
        .await;

    let s = figures(&w, w.tree.city, &u.city, "").await;
    assert_eq!(s["year"], year, "this year by default");
    let rows = s["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "the city, then its two districts: {s}");
    assert_eq!(rows[0]["org_id"], w.tree.city);

    let yanta = row(&s, "雁塔区总工会");
    assert_eq!(
        (
            &yanta["registered"],
            &yanta["online"],
            &yanta["percent_online"]
        ),
        (&json!(2), &json!(2), &json!(100))
    );
    assert_eq!(yanta["challenges_posted"], 1);
    assert_eq!(yanta["challenges_solved"], 1);
    assert_eq!(yanta["outcomes"], 1);
    assert_eq!(yanta["adoptions"], 1, "counted with the outcome's studio");
    assert_eq!(yanta["granted_fen"], 2_000_000);
    assert_eq!(yanta["spent_fen"], 120_000);

    let beilin_row = row(&s, "碑林区总工会");
    assert_eq!(
        (
            &beilin_row["registered"],
            &beilin_row["online"],
            &beilin_row["percent_online"]
        ),
        (&json!(2), &json!(1), &json!(50))
    );
    assert_eq!(beilin_row["challenges_posted"], 0);
    assert_eq!(beilin_row["granted_fen"], 0);

    let city = &rows[0];
    assert_eq!(city["registered"], 4);
    assert_eq!(city["challenges_posted"], 1);
    assert_eq!(city["granted_fen"], 2_000_000);

    // Another year has the onboarding of today but none of this year's work.
    let before = figures(&w, w.tree.city, &u.city, &format!("?year={}", year - 3)).await;
    let yanta_before = row(&before, "雁塔区总工会");
    assert_eq!(yanta_before["challenges_posted"], 0);
    assert_eq!(yanta_before["granted_fen"], 0);
    assert_eq!(yanta_before["online"], 2);

    // A district's own page goes one level down.
    let district = figures(&w, w.tree.district, &u.district, "").await;
    let names: Vec<&str> = district["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["雁塔区总工会", "西安机床厂工会"]);
}

#[tokio::test]
async fn only_staff_of_the_union_or_above_read_its_figures_and_a_bad_year_is_refused() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let path = format!("/api/v1/orgs/{}/supervision", w.tree.city);

    for token in [w.poster(), w.far_staff(), u.district.as_str()] {
        let (status, p) = w.app.get_json(&path, Some(token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    }
    let (status, _) = w.app.get_json(&path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = w
        .app
        .get_json("/api/v1/orgs/999999/supervision", Some(&u.city))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, p) = w
        .app
        .get_json(&format!("{path}?year=1999"), Some(&u.city))
        .await;
    assert_invalid(status, &p, "year");
    let (status, p) = w
        .app
        .get_json(&format!("{path}?year=去年"), Some(&u.city))
        .await;
    assert!(status.is_client_error(), "{status} {p}");
    assert!(p["title"].is_string(), "a problem document: {p}");
    // The province above reads it too.
    let (_, province) =
        crate::naming::grant(&w, w.tree.province, "staff", "省总工会 刘洋", "").await;
    let (status, _) = w.app.get_json(&path, Some(&province)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_supervision_page_draws_each_figure_as_a_chart_and_a_table() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    w.open_challenge(json!({})).await;
    let browser = w.app.browser_of(&u.city);
    let page = browser
        .get(w.app.url(&format!("/orgs/{}/supervision", w.tree.city)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for part in [
        "督导",
        "<svg class=\"chart\" role=\"img\" aria-label=\"揭榜攻关\"",
        "雁塔区总工会",
        "id=\"funds\"",
        "<table class=\"figure-table\">",
    ] {
        assert!(html.contains(part), "the page has {part}");
    }
    assert!(!html.contains("Supervision"), "one language on the page");
    // The org page links to it for its staff.
    let org = browser
        .get(w.app.url(&format!("/orgs/{}", w.tree.city)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(org.contains(&format!("/orgs/{}/supervision", w.tree.city)));

    // A year out of range is said on the page; a studio leader may not read it.
    let page = browser
        .get(
            w.app
                .url(&format!("/orgs/{}/supervision?year=1999", w.tree.city)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().await.unwrap().contains("年份应在"));
    let page = w
        .app
        .browser_of(w.poster())
        .get(w.app.url(&format!("/orgs/{}/supervision", w.tree.city)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
}
