//! Funds (经费, Jieyang art. 12–13; Shaanxi: an alliance's grant held by its lead studio's
//! union): a union grants; the holder studio's leader files expenses with receipts; the
//! granting union approves or returns them; the ledger keeps a running balance and goes out to
//! xlsx. Forbidden categories, overspending, wrong people and wrong files change nothing.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json};

use crate::naming::{Union, day, grant as staff_role, union};

async fn grant_to_poster(w: &World, u: &Union, yuan: i64) -> Value {
    w.app
        .expect_post(
            "/api/v1/grants",
            Some(&u.city),
            json!({"org_id": w.tree.city, "studio_id": w.poster_studio(),
                   "amount_fen": yuan * 100, "year": 2026, "purpose": "2026年度市级命名工作室资助"}),
            StatusCode::CREATED,
            "granting",
        )
        .await
}

fn expense(category: &str, yuan: i64, note: &str) -> Value {
    json!({"category": category, "amount_fen": yuan * 100, "spent_on": day(-3), "note": note})
}

async fn file(w: &World, grant: i64, token: &str, body: Value) -> (StatusCode, Value) {
    w.app
        .post_json(
            &format!("/api/v1/grants/{grant}/expenses"),
            Some(token),
            body,
        )
        .await
}

async fn decide(
    w: &World,
    expense: i64,
    action: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    w.app
        .post_json(
            &format!("/api/v1/expenses/{expense}/{action}"),
            Some(token),
            body,
        )
        .await
}

/// The subjects of `token`'s notifications.
async fn subjects(w: &World, token: &str) -> Vec<String> {
    w.notifications(token).await["items"]
        .as_array()
        .expect("notification items")
        .iter()
        .map(|i| i["subject"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn detail(w: &World, grant: i64, token: &str) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/grants/{grant}"),
            Some(token),
            StatusCode::OK,
            "reading the grant",
        )
        .await
}

#[tokio::test]
async fn a_city_grants_its_studio_the_leader_files_expenses_and_the_city_approves_or_returns_them()
{
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await;
    let u = union(&w).await;

    // Only staff over the recipient grant; bad input is 422 and writes nothing.
    let body = json!({"org_id": w.tree.city, "studio_id": w.poster_studio(), "amount_fen": 0,
                      "year": 26, "purpose": " "});
    let (status, p) = w.app.post_json("/api/v1/grants", Some(&u.city), body).await;
    for field in ["amount_fen", "year", "purpose"] {
        assert_invalid(status, &p, field);
    }
    let body = json!({"org_id": w.tree.city, "amount_fen": 100, "year": 2026, "purpose": "资助"});
    let (status, p) = w.app.post_json("/api/v1/grants", Some(&u.city), body).await;
    assert_invalid(status, &p, "studio_id");
    let ok = json!({"org_id": w.tree.city, "studio_id": w.poster_studio(),
                    "amount_fen": 3_000_000, "year": 2026, "purpose": "资助"});
    for token in [w.poster(), w.author()] {
        let (status, _) = w
            .app
            .post_json("/api/v1/grants", Some(token), ok.clone())
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = w.app.post_json("/api/v1/grants", Some(&u.unit), ok).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the unit's union holds the account but does not grant the city's money"
    );
    let list = w
        .app
        .expect_get("/api/v1/grants", Some(&u.city), StatusCode::OK, "listing")
        .await;
    assert_eq!(list["items"], json!([]), "nothing was written");

    let g = grant_to_poster(&w, &u, 30_000).await;
    let grant = id(&g);
    assert_eq!(g["balance_fen"], 3_000_000);
    assert_eq!(
        g["account_org_id"], w.tree.enterprise,
        "held by the unit's union (Jieyang art. 13: 由所在单位工会管理)"
    );
    let told = subjects(&w, w.poster()).await;
    assert!(
        told.iter().any(|s| s.contains("30,000.00")),
        "the leader is told, in yuan: {told:?}"
    );

    // Jieyang art. 13: 不得用于接待、餐费、职工福利和奖金发放.
    for forbidden in ["meals", "welfare"] {
        let (status, p) = file(&w, grant, w.poster(), expense(forbidden, 800, "年终聚餐")).await;
        assert_invalid(status, &p, "category");
        assert!(p.to_string().contains("第十三条"), "quotes the rule: {p}");
    }
    let (status, p) = file(&w, grant, w.poster(), expense("travel", 800, "")).await;
    assert_invalid(status, &p, "category");
    let body = json!({"category": "equipment", "amount_fen": 0, "spent_on": day(2)});
    let (status, p) = file(&w, grant, w.poster(), body).await;
    assert_invalid(status, &p, "amount_fen");
    assert_invalid(status, &p, "spent_on");
    let (status, p) = file(&w, grant, w.poster(), expense("equipment", 30_001, "")).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("over_balance")),
        "{p}"
    );
    let huge = json!({"category": "equipment", "amount_fen": i64::MAX, "spent_on": day(-1)});
    let (status, p) = file(&w, grant, w.poster(), huge).await;
    assert_invalid(status, &p, "amount_fen");
    for token in [w.author(), &u.city, &u.unit] {
        let (status, _) = file(&w, grant, token, expense("equipment", 100, "")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the leader files");
    }
    assert_eq!(detail(&w, grant, &u.city).await["ledger"], json!([]));

    let (status, e1) = file(
        &w,
        grant,
        w.poster(),
        expense("equipment", 12_800, "数控车床夹具两套"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{e1}");
    assert_eq!(e1["status"], "pending");
    let d = detail(&w, grant, w.poster()).await;
    assert_eq!(
        (d["balance_fen"].as_i64(), d["pending_fen"].as_i64()),
        (Some(1_720_000), Some(1_280_000))
    );

    // The granting union decides; not the filer, not the unit below it.
    for token in [w.poster(), &u.unit, w.author()] {
        let (status, _) = decide(&w, id(&e1), "approve", token, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, p) = decide(
        &w,
        id(&e1),
        "approve",
        &u.city,
        json!({"opinion": "票据齐全"}),
    )
    .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{p}"
    );
    let (status, p) = decide(&w, id(&e1), "return", &u.city_2, json!({"opinion": "重复"})).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("invalid_transition")),
        "{p}"
    );

    let (_, e2) = file(&w, grant, w.poster(), expense("training", 5_000, "培训")).await;
    let (status, p) = decide(&w, id(&e2), "return", &u.city, json!({"opinion": " "})).await;
    assert_invalid(status, &p, "opinion");
    let (status, p) = decide(
        &w,
        id(&e2),
        "return",
        &u.city,
        json!({"opinion": "缺少培训签到表"}),
    )
    .await;
    assert_eq!(
        (status, p["status"].as_str()),
        (StatusCode::OK, Some("returned")),
        "{p}"
    );
    let (_, e3) = file(&w, grant, w.poster(), expense("publicity", 2_600, "展板")).await;
    decide(&w, id(&e3), "approve", &u.city_2, json!({})).await;

    // The ledger: every line in order, the balance moved by approved lines only.
    let d = detail(&w, grant, &u.district).await;
    assert_eq!(d["spent_fen"], 1_540_000);
    assert_eq!(d["balance_fen"], 1_460_000, "the returned amount came back");
    let lines: Vec<(String, i64)> = d["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["expense"]["status"].as_str().unwrap().to_owned(),
                l["balance_after_fen"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("approved".to_owned(), 1_720_000),
            ("returned".to_owned(), 1_720_000),
            ("approved".to_owned(), 1_460_000)
        ]
    );
    let told = subjects(&w, w.poster()).await;
    assert!(told.iter().any(|s| s.contains("已退回")), "{told:?}");
}

#[tokio::test]
async fn two_expenses_filed_at_once_cannot_spend_the_same_balance() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let grant = id(&grant_to_poster(&w, &u, 10_000).await);
    let (one, two) = tokio::join!(
        file(&w, grant, w.poster(), expense("equipment", 6_000, "车床")),
        file(&w, grant, w.poster(), expense("materials", 6_000, "刀具")),
    );
    let mut statuses = [one.0, two.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{one:?} {two:?}"
    );
    let d = detail(&w, grant, w.poster()).await;
    assert_eq!(d["balance_fen"], 400_000);
    assert_eq!(d["ledger"].as_array().unwrap().len(), 1);
}

async fn upload(
    w: &World,
    expense: i64,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = reqwest::Client::new()
        .post(w.app.url(&format!("/api/v1/expenses/{expense}/receipts")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("answered");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn receipts_are_checked_by_content_size_and_name_and_read_only_by_the_ledgers_readers() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_outsider_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let grant = id(&grant_to_poster(&w, &u, 20_000).await);
    let (_, e) = file(&w, grant, w.poster(), expense("equipment", 1_000, "量具")).await;
    let e = id(&e);
    let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();

    let (status, p) = upload(&w, e, w.poster(), "发票.pdf", b"<html><script>".to_vec()).await;
    assert_invalid(status, &p, "file");
    let (status, p) = upload(&w, e, w.poster(), "../../发票.pdf", pdf.clone()).await;
    assert_invalid(status, &p, "file");
    let (status, _) = upload(&w, e, w.poster(), "大.pdf", vec![b'%'; 11 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = upload(&w, e, w.outsider(), "发票.pdf", pdf.clone()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a stranger does not learn the grant exists"
    );
    assert_eq!(
        detail(&w, grant, w.poster()).await["ledger"][0]["receipts"],
        json!([])
    );

    let (status, p) = upload(&w, e, w.poster(), "设备发票.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let d = detail(&w, grant, &u.city).await;
    let r = &d["ledger"][0]["receipts"][0];
    assert_eq!(r["name"], "设备发票.pdf");
    assert_eq!(r["mime"], "application/pdf");
    let url = r["url"].as_str().unwrap();
    for (token, expected) in [
        (w.poster(), StatusCode::OK),
        (u.unit.as_str(), StatusCode::OK),
        (w.outsider(), StatusCode::NOT_FOUND),
        (w.far_staff(), StatusCode::NOT_FOUND),
    ] {
        let res = reqwest::Client::new()
            .get(w.app.url(url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), expected, "{url}");
        if expected == StatusCode::OK {
            assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());
        }
    }
    // Decided: nothing more is added.
    decide(&w, e, "approve", &u.city, json!({})).await;
    let (status, _) = upload(&w, e, w.poster(), "补充.pdf", pdf).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn staff_of_another_city_never_see_the_ledger_and_an_alliances_grant_is_held_by_its_lead() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await;
    let u = union(&w).await;
    let baoji = w
        .app
        .create_org(&w.admin, "宝鸡市总工会", "city", Some(w.tree.province))
        .await;
    let (_, baoji_staff) = staff_role(&w, baoji, "staff", "宝鸡市总工会 刘洋", "").await;
    let (_, province) = staff_role(&w, w.tree.province, "staff", "省总工会 郑华", "").await;
    let grant = id(&grant_to_poster(&w, &u, 30_000).await);
    file(&w, grant, w.poster(), expense("equipment", 1_000, "量具")).await;

    let (status, _) = w
        .app
        .get_json(&format!("/api/v1/grants/{grant}"), Some(&baoji_staff))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let list = w
        .app
        .expect_get("/api/v1/grants", Some(&baoji_staff), StatusCode::OK, "list")
        .await;
    assert_eq!(list["items"], json!([]));
    let (status, _) = w
        .app
        .get_json(&format!("/api/v1/grants/{grant}"), Some(w.b()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another studio's leader");
    let (status, _) = w
        .app
        .post_json(
            "/api/v1/grants",
            Some(&baoji_staff),
            json!({"org_id": baoji, "studio_id": w.poster_studio(), "amount_fen": 100, "year": 2026, "purpose": "资助"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not under Baoji");
    let list = w
        .app
        .expect_get("/api/v1/grants", Some(&province), StatusCode::OK, "list")
        .await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "the province sees its cities"
    );
    let res = reqwest::Client::new()
        .get(w.app.url("/api/v1/exports/ledger.xlsx"))
        .bearer_auth(&baoji_staff)
        .send()
        .await
        .unwrap();
    let rows = sheet(res.bytes().await.unwrap().to_vec());
    assert_eq!(rows.len(), 1, "headings only: {rows:?}");

    // Shaanxi: an alliance's grant is held by its lead studio's enterprise union; the lead's
    // leader files.
    let alliance = crate::naming::found_alliance(&w).await;
    let g = w
        .app
        .expect_post(
            "/api/v1/grants",
            Some(&province),
            json!({"org_id": w.tree.province, "alliance_id": alliance, "amount_fen": 5_000_000,
                   "year": 2026, "purpose": "省级命名联盟一次性资助"}),
            StatusCode::CREATED,
            "granting an alliance",
        )
        .await;
    assert_eq!(g["holder_studio_id"], w.poster_studio());
    assert_eq!(g["account_org_id"], w.tree.enterprise);
    let (status, _) = file(
        &w,
        id(&g),
        w.poster(),
        expense("training", 8_000, "联盟技能培训"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = file(&w, id(&g), w.b(), expense("training", 8_000, "")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a member studio's leader does not hold it"
    );
}

/// The first sheet of an xlsx as rows of text.
fn sheet(bytes: Vec<u8>) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx workbook");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_ledger_goes_out_to_xlsx_with_a_running_balance() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let grant = id(&grant_to_poster(&w, &u, 30_000).await);
    let (_, a) = file(
        &w,
        grant,
        w.poster(),
        expense("equipment", 12_800, "数控车床夹具"),
    )
    .await;
    decide(&w, id(&a), "approve", &u.city, json!({})).await;
    let (_, b) = file(&w, grant, w.poster(), expense("training", 3_500, "培训")).await;
    decide(
        &w,
        id(&b),
        "return",
        &u.city,
        json!({"opinion": "缺签到表"}),
    )
    .await;
    let res = reqwest::Client::new()
        .get(
            w.app
                .url(&format!("/api/v1/exports/ledger.xlsx?grant_id={grant}")),
        )
        .bearer_auth(&u.city)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''%E7%BB%8F%E8%B4%B9%E5%8F%B0%E8%B4%A6.xlsx"),
        "named 经费台账"
    );
    let rows = sheet(res.bytes().await.unwrap().to_vec());
    assert_eq!(rows[0][0], "资助编号");
    assert_eq!(rows[0][10], "结余（元）");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        (rows[1][7].as_str(), rows[1][8].as_str()),
        ("拨入资助经费", "30000")
    );
    assert_eq!(
        (
            rows[2][7].as_str(),
            rows[2][9].as_str(),
            rows[2][10].as_str()
        ),
        ("设备购置", "12800", "17200")
    );
    assert_eq!(
        (rows[3][11].as_str(), rows[3][10].as_str()),
        ("已退回", "17200")
    );
    assert!(rows[3][13].contains("缺签到表"), "{:?}", rows[3]);
    let (status, _) = w
        .app
        .get_json(
            &format!("/api/v1/exports/ledger.xlsx?grant_id={grant}"),
            Some(w.poster()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the holder studio's people read their own ledger"
    );
}

#[tokio::test]
async fn the_funds_pages_grant_file_with_a_receipt_and_approve_without_script() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let city = w.app.browser_of(&u.city);
    let page = city
        .get(w.app.url("/funds"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("拨付资助经费") && page.contains(&format!("s:{}", w.poster_studio())),
        "the form offers the studio"
    );
    let form = [
        ("org_id", w.tree.city.to_string()),
        ("recipient", format!("s:{}", w.poster_studio())),
        ("amount", "2万".to_owned()),
        ("year", "2026".to_owned()),
        ("purpose", "2026年度市级命名工作室资助".to_owned()),
    ];
    let res = city
        .post(w.app.url("/funds"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "followed to the grant");
    assert!(res.url().path().starts_with("/funds/"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains("已拨付") && text.contains("20,000.00"),
        "a message and the amount in yuan"
    );
    let grant = w
        .app
        .expect_get("/api/v1/grants", Some(&u.city), StatusCode::OK, "list")
        .await["items"][0]["id"]
        .as_i64()
        .unwrap();

    let leader = w.app.browser_of(w.poster());
    let meals = reqwest::multipart::Form::new()
        .text("category", "meals")
        .text("amount", "800")
        .text("spent_on", day(-1));
    let res = leader
        .post(w.app.url(&format!("/funds/{grant}/expenses")))
        .multipart(meals)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("第十三条") && !text.contains("Jieyang"),
        "the rule, in one language"
    );
    let pdf =
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec()).file_name("夹具发票.pdf");
    let ok = reqwest::multipart::Form::new()
        .text("category", "equipment")
        .text("amount", "1,280.50")
        .text("spent_on", day(-1))
        .text("note", "数控车床夹具")
        .part("receipt", pdf);
    let res = leader
        .post(w.app.url(&format!("/funds/{grant}/expenses")))
        .multipart(ok)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("支出已提交") && text.contains("夹具发票.pdf"),
        "flash and receipt"
    );
    let d = detail(&w, grant, &u.city).await;
    let e = d["ledger"][0]["expense"].clone();
    assert_eq!(e["amount_fen"], 128_050);

    let res = city
        .post(w.app.url(&format!("/expenses/{}/approve", id(&e))))
        .form(&[("opinion", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("已核准，支出已记入台账"));
    assert_eq!(detail(&w, grant, &u.city).await["spent_fen"], 128_050);
}
