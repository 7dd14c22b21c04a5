//! Onboarding supervision (上线进网督导): union staff see, for their subtree, each registered
//! studio still offline with what it lacks, its leader's phone and the deadline that applies;
//! the leader is reminded some days before the deadline (as the union chose) and once after
//! it, each once, and staff see who was reminded.

use lianmeng_tests::{StatusCode, Value, World, assert_invalid, json, unique};

use crate::naming::{day, union};

const DAY_MS: i64 = 86_400_000;

async fn offline(w: &World, token: &str) -> Value {
    w.app
        .expect_get(
            &format!("/api/v1/orgs/{}/offline-studios", w.tree.city),
            Some(token),
            StatusCode::OK,
            "reading the offline studios",
        )
        .await
}

#[tokio::test]
async fn staff_see_what_each_offline_studio_lacks_and_its_leader_is_reminded_before_and_after() {
    let w = World::start()
        .await
        .with_poster_studio()
        .await
        .with_union_people()
        .await;
    let u = union(&w).await;
    let (_, leader) = w.app.register_and_login_as(&unique("sv"), "刘芳").await;
    w.app
        .expect_patch(
            "/api/v1/me",
            Some(&leader),
            json!({"phone": "13800138000"}),
            StatusCode::OK,
            "giving a phone",
        )
        .await;
    let draft = w
        .app
        .create_studio(&leader, w.tree.enterprise, "刘芳数控创新工作室")
        .await;

    // The city sets its deadline and chooses five days' notice; bad input changes nothing.
    let path = format!("/api/v1/orgs/{}/deadlines", w.tree.city);
    let (status, p) = w
        .app
        .put_json(
            &path,
            Some(&u.city),
            json!({"deadline_all": day(3), "remind_days": 0}),
        )
        .await;
    assert_invalid(status, &p, "remind_days");
    let org = w
        .app
        .expect_put(
            &path,
            Some(&u.city),
            json!({"deadline_all": day(3), "remind_days": 5}),
            StatusCode::OK,
            "setting the deadline",
        )
        .await;
    assert_eq!(org["remind_days"], 5);

    let list = offline(&w, &u.city).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the online studio is not listed: {list}");
    let s = &items[0];
    assert_eq!(s["studio_id"], draft);
    assert_eq!(s["leader_name"], "刘芳");
    assert_eq!(s["leader_phone"], "13800138000", "staff above may call");
    assert_eq!(s["deadline"], day(3));
    assert_eq!(
        (s["days_left"].as_i64(), s["late"].as_bool()),
        (Some(3), Some(false))
    );
    let missing: Vec<&str> = s["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        missing.contains(&"goals") && missing.contains(&"intro"),
        "{missing:?}"
    );
    assert_eq!(s["reminders"], json!([]));
    for token in [w.poster(), &leader, w.far_staff()] {
        let (status, _) = w
            .app
            .get_json(
                &format!("/api/v1/orgs/{}/offline-studios", w.tree.city),
                Some(token),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // Five days' notice: due now, once; after the deadline, once more.
    let now = lianmeng_server::store::now_ms();
    assert_eq!(w.sweep_at(now).await.reminded, 1);
    assert_eq!(w.sweep_at(now + 60_000).await.reminded, 0, "once");
    assert_eq!(w.count(&leader, "onboarding").await, 1);
    assert_eq!(w.sweep_at(now + 2 * DAY_MS).await.reminded, 0);
    assert_eq!(
        w.sweep_at(now + 4 * DAY_MS).await.reminded,
        1,
        "the day after"
    );
    assert_eq!(w.sweep_at(now + 9 * DAY_MS).await.reminded, 0);
    assert_eq!(w.count(&leader, "onboarding").await, 2);
    let kinds: Vec<Value> = offline(&w, &u.city).await["items"][0]["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("before"), json!("after")]);

    // The org page lists it for staff, in their words.
    let page = w
        .app
        .browser_of(&u.city)
        .get(w.app.url(&format!("/orgs/{}", w.tree.city)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for text in [
        "尚未上线的工作室",
        "刘芳数控创新工作室",
        "还缺",
        "期限前提醒",
        "tel:13800138000",
    ] {
        assert!(page.contains(text), "{text}");
    }
}
