//! The API tells a reader what they may do with a thing (`viewer`), with the same answers the
//! pages show: who may claim, withdraw or record an outcome; who leads or may join an
//! alliance; who may edit a studio or manage an org.

use lianmeng_tests::{StatusCode, Value, World, json, unique};

async fn get(w: &World, path: &str, token: Option<&str>) -> Value {
    w.app
        .expect_get(path, token, StatusCode::OK, &format!("reading {path}"))
        .await
}

fn studio_ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("a list of studios")
        .iter()
        .map(|s| s["id"].as_i64().expect("a studio id"))
        .collect()
}

#[tokio::test]
async fn a_challenge_tells_poster_claimant_and_stranger_what_each_may_do() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_claimant_studios()
        .await
        .with_outsider_studio()
        .await;
    let ch = w.open_challenge(json!({})).await;
    let path = format!("/api/v1/challenges/{ch}");

    let poster = get(&w, &path, Some(w.poster())).await;
    assert_eq!(poster["viewer"]["poster"], true);
    assert_eq!(
        studio_ids(&poster["viewer"]["may_claim_as"]),
        Vec::<i64>::new()
    );

    let b = get(&w, &path, Some(w.b())).await;
    assert_eq!(b["viewer"]["poster"], false);
    assert_eq!(studio_ids(&b["viewer"]["may_claim_as"]), vec![w.b_studio()]);

    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    let b = get(&w, &path, Some(w.b())).await;
    assert_eq!(b["viewer"]["may_withdraw"], json!([claim]));
    assert_eq!(
        studio_ids(&b["viewer"]["may_claim_as"]),
        Vec::<i64>::new(),
        "one claim a studio"
    );
    let c = get(&w, &path, Some(w.c())).await;
    assert_eq!(c["viewer"]["may_withdraw"], json!([]));

    w.award(ch, claim).await;
    let b = get(&w, &path, Some(w.b())).await;
    assert_eq!(b["viewer"]["may_work"], true);
    let stranger = get(&w, &path, None).await;
    assert_eq!(stranger["viewer"]["may_work"], false);
    assert_eq!(stranger["viewer"]["may_record_outcome_for"], json!([]));
    w.app.cleanup().await;
}

#[tokio::test]
async fn an_alliance_tells_its_lead_and_a_studio_outside_what_each_may_do() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_outsider_studio()
        .await;
    let a = w
        .app
        .expect_post(
            "/api/v1/alliances",
            Some(w.poster()),
            json!({"name": unique("电力检修联盟"), "lead_studio_id": w.poster_studio(),
                   "description": "围绕电力检修难题联合攻关", "scope": "cross_enterprise"}),
            StatusCode::CREATED,
            "founding an alliance",
        )
        .await;
    let path = format!("/api/v1/alliances/{}", a["id"]);

    let lead = get(&w, &path, Some(w.poster())).await;
    assert_eq!(lead["viewer"]["lead"], true);
    assert_eq!(lead["viewer"]["member"], true);
    assert_eq!(
        lead["viewer"]["may_leave"],
        json!([]),
        "the lead studio cannot leave"
    );

    let outside = get(&w, &path, Some(w.outsider())).await;
    assert_eq!(outside["viewer"]["lead"], false);
    assert_eq!(
        studio_ids(&outside["viewer"]["may_join"]),
        vec![w.outsider_studio()]
    );

    let anonymous = get(&w, &path, None).await;
    assert_eq!(anonymous["viewer"]["may_join"], json!([]));
    assert_eq!(anonymous["viewer"]["lead"], false);
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_studio_and_an_org_tell_who_may_edit_and_manage_them() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_outsider_studio()
        .await;
    let path = format!("/api/v1/studios/{}", w.poster_studio());
    let own = get(&w, &path, Some(w.poster())).await;
    assert_eq!(
        (
            own["viewer"]["may_edit"].clone(),
            own["viewer"]["may_see_contact"].clone()
        ),
        (json!(true), json!(true))
    );
    let other = get(&w, &path, Some(w.outsider())).await;
    assert_eq!(
        (
            other["viewer"]["may_edit"].clone(),
            other["viewer"]["may_see_contact"].clone()
        ),
        (json!(false), json!(false))
    );

    let org = format!("/api/v1/orgs/{}", w.tree.city);
    assert_eq!(
        get(&w, &org, Some(&w.admin)).await["viewer"]["may_manage"],
        true
    );
    assert_eq!(
        get(&w, &org, Some(w.poster())).await["viewer"]["may_manage"],
        false
    );
    assert_eq!(get(&w, &org, None).await["viewer"]["may_manage"], false);
    w.app.cleanup().await;
}
