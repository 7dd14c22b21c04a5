//! The studio list in and out of a union's spreadsheet: the city imports its sheet (columns by
//! their Chinese headings, in any order, under a title row); a dry run reports every row; the
//! real import is all or nothing and idempotent; the exported list imports back unchanged;
//! sheets that are not sheets, too big or too long, or without their headings are refused.

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use lianmeng_tests::{StatusCode, Value, World, json, unique};
use rust_xlsxwriter::Workbook;

use crate::naming::union;

/// An xlsx workbook of these rows (the first sheet).
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

async fn send(
    w: &World,
    token: &str,
    dry_run: bool,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = reqwest::Client::new()
        .post(w.app.url(&format!(
            "/api/v1/orgs/{}/studios/import?dry_run={dry_run}",
            w.tree.city
        )))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("answered");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn outcomes(report: &Value) -> Vec<(i64, String)> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn studio_count(w: &World) -> usize {
    let list = w
        .app
        .expect_get(
            &format!("/api/v1/studios?org_id={}&limit=100", w.tree.city),
            Some(&w.admin),
            StatusCode::OK,
            "listing studios",
        )
        .await;
    list["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_city_imports_its_studio_list_checked_first_all_or_nothing_and_exports_it_back() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let leader = unique("lm");
    w.app
        .registered(&leader, lianmeng_tests::PASSWORD, "李明")
        .await;
    let poster = w.me(w.poster()).await;
    let poster_name = w
        .app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "studio",
        )
        .await["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let unit = "西安机床厂工会";
    let title = row(&["西安市劳模和工匠人才创新工作室名单（2026年）"]);
    let headings = row(&[
        "地区",
        "工作室名称",
        "领衔人",
        "所在单位",
        "行业",
        "类型",
        "专业领域",
        "成立时间",
    ]);
    let new = row(&[
        "西安",
        "李明数控创新工作室",
        &leader,
        unit,
        "机械制造",
        "技术攻关",
        "数控加工",
        "2019年3月1日",
    ]);
    let poster_row = row(&[
        "西安市",
        &poster_name,
        poster["username"].as_str().unwrap(),
        unit,
        "机械制造",
        "技术攻关",
        "精密加工",
        "",
    ]);
    let bad_unit = row(&[
        "西安",
        "张华工作室",
        &leader,
        "宝鸡某厂工会",
        "机械制造",
        "技术攻关",
        "焊接",
        "",
    ]);
    let bad_industry = row(&[
        "西安",
        "赵刚工作室",
        &leader,
        unit,
        "航天",
        "技术攻关",
        "装配",
        "去年",
    ]);
    let duplicate = new.clone();
    let faulty = xlsx(&[
        title.clone(),
        headings.clone(),
        new.clone(),
        poster_row.clone(),
        bad_unit,
        bad_industry,
        duplicate,
    ]);

    // Only the city's staff import into the city.
    for token in [w.poster(), &u.district] {
        let (status, _) = send(&w, token, true, "名单.xlsx", faulty.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let before = studio_count(&w).await;

    // The dry run reports every row by its number in the sheet; nothing is written.
    let (status, report) = send(&w, &u.city, true, "名单.xlsx", faulty.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        outcomes(&report),
        [
            (3, "created".to_owned()),
            (4, "updated".to_owned()),
            (5, "error".to_owned()),
            (6, "error".to_owned()),
            (7, "error".to_owned())
        ]
    );
    let faults = report["rows"][3]["faults"].to_string();
    assert!(
        faults.contains("行业") && faults.contains("成立时间"),
        "{faults}"
    );
    assert!(report["rows"][2]["faults"].to_string().contains("所在单位"));
    assert!(
        report["rows"][4]["faults"].to_string().contains("第 3 行"),
        "the duplicate names its twin"
    );
    assert_eq!(report["rows"][1]["changes"], json!(["专业领域", "地区"]));
    assert_eq!(studio_count(&w).await, before);

    // The real import of a faulty sheet writes nothing.
    let (status, p) = send(&w, &u.city, false, "名单.xlsx", faulty).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("row 5"), "{p}");
    assert_eq!(studio_count(&w).await, before);

    // The corrected sheet goes in at once; the same sheet again changes nothing.
    let good = xlsx(&[title, headings, new, poster_row]);
    let (status, report) = send(&w, &u.city, false, "名单.xlsx", good.clone()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        (
            report["applied"].as_bool(),
            report["created"].as_i64(),
            report["updated"].as_i64()
        ),
        (Some(true), Some(1), Some(1))
    );
    let (status, again) = send(&w, &u.city, false, "名单.xlsx", good).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            again["created"].as_i64(),
            again["updated"].as_i64(),
            again["unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(2))
    );
    let studio = w
        .app
        .expect_get(
            &format!("/api/v1/studios/{}", w.poster_studio()),
            None,
            StatusCode::OK,
            "studio",
        )
        .await;
    assert_eq!(
        (studio["region"].as_str(), studio["field"].as_str()),
        (Some("西安市"), Some("精密加工"))
    );

    // Out and back: the exported list imports back unchanged.
    let res = reqwest::Client::new()
        .get(w.app.url(&format!(
            "/api/v1/exports/studios.xlsx?org_id={}",
            w.tree.city
        )))
        .bearer_auth(&u.city)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..3],
        [
            "工作室名称".to_owned(),
            "所在单位".to_owned(),
            "领衔人".to_owned()
        ]
    );
    let draft = rows
        .iter()
        .find(|r| r[0] == "李明数控创新工作室")
        .expect("the new studio is listed for staff");
    assert_eq!(
        (draft[7].as_str(), draft[12].as_str()),
        ("2019-03-01", "否")
    );
    let (status, back) = send(&w, &u.city, true, "工作室名单.xlsx", bytes).await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(
        (
            back["errors"].as_i64(),
            back["created"].as_i64(),
            back["updated"].as_i64()
        ),
        (Some(0), Some(0), Some(0)),
        "{back}"
    );
}

#[tokio::test]
async fn sheets_that_are_not_sheets_too_big_too_long_or_without_headings_are_refused() {
    let w = World::start().await.with_poster_studio().await;
    let u = union(&w).await;
    let (status, p) = send(
        &w,
        &u.city,
        true,
        "photo.xlsx",
        b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
    )
    .await;
    assert_eq!(
        (status, p["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file")),
        "{p}"
    );
    let (status, _) = send(&w, &u.city, true, "big.csv", vec![b'a'; 11 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let merged = xlsx(&[
        row(&["工作室名称", "", ""]),
        row(&["李明数控创新工作室", "", ""]),
    ]);
    let (status, p) = send(&w, &u.city, true, "merged.xlsx", merged).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.to_string().contains("所在单位"),
        "names the missing headings: {p}"
    );
    let mut long = String::from("\u{feff}工作室名称,所在单位,领衔人,类型,行业,专业领域,地区\n");
    for i in 0..10_001 {
        long.push_str(&format!(
            "工作室{i},西安机床厂工会,nobody,技术攻关,机械制造,数控,西安\n"
        ));
    }
    let (status, p) = send(&w, &u.city, true, "long.csv", long.into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.to_string().contains("10000"), "{p}");
    // A CSV with a byte-order mark, as Excel saves it, is read like the xlsx.
    let csv = "\u{feff}工作室名称,所在单位,领衔人,类型,行业,专业领域,地区\n李明工作室,西安机床厂工会,nobody,技术攻关,机械制造,数控,西安\n";
    let (status, report) = send(&w, &u.city, true, "名单.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(
        report["rows"][0]["faults"].to_string().contains("nobody"),
        "{report}"
    );
}
