//! Honours (荣誉推荐; the defence-post-telecom union's opinion (二十二), Jieyang art. 14): union
//! staff recommend a person, a studio or an outcome of their subtree for the honours the
//! policies name, then record whether it was awarded; the subject is told; lists are scoped by
//! the reader's place in the union tree.

use chrono::{Datelike, Duration, Utc};
use lianmeng_tests::{StatusCode, Value, World, assert_invalid, id, json, unique};

use crate::naming::union;

fn year() -> i64 {
    i64::from((Utc::now() + Duration::hours(8)).year())
}

async fn items(w: &World, token: &str, query: &str) -> Vec<Value> {
    let list = w
        .app
        .expect_get(
            &format!("/api/v1/honours{query}"),
            Some(token),
            StatusCode::OK,
            "listing honours",
        )
        .await;
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_city_recommends_a_person_a_studio_and_an_outcome_and_records_the_result() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_studio_b()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let poster = w.me(w.poster()).await;
    let poster_id = poster["id"].as_i64().unwrap();
    let outcome = w
        .app
        .expect_post(
            "/api/v1/outcomes",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "title": "大型铸件焊缝相控阵超声检测法",
                   "summary": "以相控阵超声替代常规探伤", "kind": "operating_method"}),
            StatusCode::CREATED,
            "recording an outcome",
        )
        .await;
    let body = |extra: Value| {
        let mut b = json!({"org_id": w.tree.city, "honour": "may_day_medal", "level": "city",
                           "year": year(), "reason": "带领团队攻克焊缝探伤难题，年创效益 300 万元"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };

    // Bad input changes nothing and names its field.
    let cases = [
        (json!({"user_id": poster_id, "honour": "bonus"}), "honour"),
        (json!({"user_id": poster_id, "level": "galaxy"}), "level"),
        (json!({"user_id": poster_id, "year": 1999}), "year"),
        (json!({"user_id": poster_id, "reason": "  "}), "reason"),
        // 五一劳动奖章 is for a person, 工人先锋号 for a studio.
        (json!({"studio_id": w.poster_studio()}), "user_id"),
        (
            json!({"honour": "pioneer_team", "user_id": poster_id}),
            "studio_id",
        ),
        (
            json!({"user_id": poster_id, "studio_id": w.poster_studio()}),
            "user_id",
        ),
    ];
    for (extra, field) in cases {
        let (status, p) = w
            .app
            .post_json("/api/v1/honours", Some(&u.city), body(extra))
            .await;
        assert_invalid(status, &p, field);
    }
    // Someone in no studio under the city is not the city's to recommend.
    let (stranger, _) = w.app.register_and_login_as(&unique("ho"), "路人甲").await;
    let (status, p) = w
        .app
        .post_json(
            "/api/v1/honours",
            Some(&u.city),
            body(json!({"user_id": stranger})),
        )
        .await;
    assert_invalid(status, &p, "user_id");
    // A studio leader is not union staff; another province's staff cannot recommend for it.
    for token in [w.poster(), w.far_staff()] {
        let (status, _) = w
            .app
            .post_json(
                "/api/v1/honours",
                Some(token),
                body(json!({"user_id": poster_id})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert!(
        items(&w, &u.city, "").await.is_empty(),
        "nothing was written"
    );

    let medal = w
        .app
        .expect_post(
            "/api/v1/honours",
            Some(&u.city),
            body(json!({"user_id": poster_id})),
            StatusCode::CREATED,
            "recommending a person",
        )
        .await;
    assert_eq!(medal["status"], "recommended");
    assert_eq!(medal["user_name"], "王建国");
    assert_eq!(medal["org_name"], "西安市总工会");
    let (status, p) = w
        .app
        .post_json(
            "/api/v1/honours",
            Some(&u.city),
            body(json!({"user_id": poster_id})),
        )
        .await;
    assert_eq!(
        (status, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_recommended"))
    );
    w.app
        .expect_post(
            "/api/v1/honours",
            Some(&u.city),
            body(json!({"honour": "pioneer_team", "studio_id": w.poster_studio()})),
            StatusCode::CREATED,
            "recommending a studio",
        )
        .await;
    w.app
        .expect_post(
            "/api/v1/honours",
            Some(&u.district),
            body(
                json!({"org_id": w.tree.district, "honour": "innovation_outcome",
                        "level": "province", "outcome_id": id(&outcome)}),
            ),
            StatusCode::CREATED,
            "the district recommends an outcome",
        )
        .await;
    assert!(
        w.count(w.poster(), "honour").await >= 1,
        "the person is told"
    );

    // Who reads what: the city all three, the leader his own three, the district its one,
    // another province and another studio's leader none.
    assert_eq!(items(&w, &u.city, "").await.len(), 3);
    assert_eq!(items(&w, w.poster(), "").await.len(), 3);
    assert_eq!(items(&w, &u.district, "").await.len(), 1);
    assert!(items(&w, w.far_staff(), "").await.is_empty());
    assert!(items(&w, w.b(), "").await.is_empty());
    let (status, _) = w
        .app
        .get_json(
            &format!("/api/v1/honours/{}", id(&medal)),
            Some(w.far_staff()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        items(&w, &u.city, &format!("?studio_id={}", w.poster_studio()))
            .await
            .len(),
        2,
        "the studio and its outcome"
    );
    let (status, p) = w
        .app
        .get_json("/api/v1/honours?status=famous", Some(&u.city))
        .await;
    assert_invalid(status, &p, "status");

    // The result: not by the leader, once by the city.
    let path = format!("/api/v1/honours/{}/decision", id(&medal));
    let decision = json!({"awarded": true, "note": "西工发〔2026〕15号"});
    let (status, _) = w
        .app
        .post_json(&path, Some(w.poster()), decision.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let before = w.count(w.poster(), "honour").await;
    let awarded = w
        .app
        .expect_post(
            &path,
            Some(&u.city),
            decision.clone(),
            StatusCode::OK,
            "awarding",
        )
        .await;
    assert_eq!(awarded["status"], "awarded");
    assert_eq!(awarded["note"], "西工发〔2026〕15号");
    assert_eq!(w.count(w.poster(), "honour").await, before + 1);
    let (status, _) = w
        .app
        .post_json(&path, Some(&u.city), json!({"awarded": false}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(items(&w, &u.city, "?status=awarded").await.len(), 1);

    let audit = w
        .app
        .expect_get(
            "/api/v1/audit?entity_kind=honour",
            Some(&u.city),
            StatusCode::OK,
            "the audit of honours",
        )
        .await;
    assert!(audit["items"].as_array().unwrap().len() >= 3, "{audit}");
}

#[tokio::test]
async fn the_honours_page_picks_a_studio_then_whom_and_records_without_script() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let poster_id = w.me(w.poster()).await["id"].as_i64().unwrap();
    let browser = w.app.browser_of(&u.city);
    let html = browser
        .get(w.app.url(&format!(
            "/honours?org_id={}&studio_id={}",
            w.tree.city,
            w.poster_studio()
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("value=\"u:{poster_id}\"")),
        "the leader can be picked"
    );
    assert!(html.contains("五一劳动奖章"));

    // A missing subject comes back with the form and a sentence, in one language.
    let form = [
        ("org_id", w.tree.city.to_string()),
        ("honour", "may_day_medal".to_owned()),
        ("level", "city".to_owned()),
        ("year", year().to_string()),
        ("reason", "带领团队完成焊缝探伤工艺攻关".to_owned()),
    ];
    let res = browser
        .post(w.app.url("/honours"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("请选择推荐对象") && !page.contains("choose whom"));

    let mut with_subject = form.to_vec();
    with_subject.push(("subject", format!("u:{poster_id}")));
    let res = browser
        .post(w.app.url("/honours"))
        .form(&with_subject)
        .send()
        .await
        .unwrap();
    // The browser follows the redirect to the list with a message.
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.url()
            .query()
            .unwrap_or_default()
            .contains("done=recommended")
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("已推荐，已通知"));
    assert!(page.contains("王建国"));

    let h = &items(&w, &u.city, "").await[0];
    let res = browser
        .post(w.app.url(&format!("/honours/{}/decision", id(h))))
        .form(&[("result", "awarded"), ("note", "西工发〔2026〕15号")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("已记录：获评"));
    assert_eq!(items(&w, &u.city, "?status=awarded").await.len(), 1);
}

#[tokio::test]
async fn the_talent_database_lists_the_peoples_honours_and_mentoring_for_the_unions_staff() {
    use calamine::{Reader, Xlsx};
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let poster_id = w.me(w.poster()).await["id"].as_i64().unwrap();
    w.app
        .expect_patch(
            "/api/v1/me",
            Some(w.poster()),
            json!({"phone": "13900139000", "trade": "车工", "title": "高级技师"}),
            StatusCode::OK,
            "the leader's profile",
        )
        .await;
    let (apprentice_id, apprentice) = w.app.register_and_login_as(&unique("ho"), "小周").await;
    w.app
        .join_studio(
            w.poster_studio(),
            w.poster(),
            (apprentice_id, &apprentice),
            "apprentice",
        )
        .await;
    w.app
        .expect_post(
            "/api/v1/mentorships",
            Some(w.poster()),
            json!({"studio_id": w.poster_studio(), "mentor_id": poster_id,
                   "apprentice_id": apprentice_id, "skill": "数控车削",
                   "starts_on": "2026-01-05", "ends_on": "2026-12-31"}),
            StatusCode::CREATED,
            "pairing",
        )
        .await;
    w.app
        .expect_post(
            "/api/v1/honours",
            Some(&u.city),
            json!({"org_id": w.tree.city, "honour": "may_day_medal", "level": "city",
                   "year": 2026, "user_id": poster_id, "reason": "主轴振动攻关"}),
            StatusCode::CREATED,
            "recommending",
        )
        .await;

    let path = format!("/api/v1/exports/talent.xlsx?org_id={}", w.tree.city);
    for token in [w.poster(), w.far_staff()] {
        let (status, _) = w.app.get_json(&path, Some(token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the sheet carries phones");
    }
    let res = reqwest::Client::new()
        .get(w.app.url(&path))
        .bearer_auth(&u.city)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("%E4%BA%BA%E6%89%8D%E5%BA%93.xlsx")
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][..5], ["姓名", "性别", "所在单位", "工作室", "角色"]);
    let leader = rows.iter().find(|r| r[0] == "王建国").expect("the leader");
    assert_eq!(leader[4], "领衔人");
    assert_eq!(leader[5], "车工");
    assert_eq!(leader[8], "13900139000");
    assert!(
        leader[9].contains("市级五一劳动奖章（推荐中）"),
        "{leader:?}"
    );
    assert_eq!((leader[10].as_str(), leader[11].as_str()), ("1", "0"));
    let apprentice = rows
        .iter()
        .find(|r| r[0] == "小周")
        .expect("the apprentice");
    assert_eq!(apprentice[4], "学徒");
    assert_eq!(
        (apprentice[10].as_str(), apprentice[11].as_str()),
        ("0", "1")
    );
}
