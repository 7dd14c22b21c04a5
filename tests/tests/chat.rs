//! Live chat over the real server: tokio-tungstenite clients subscribe, send, get acks and
//! messages in order, resume after a dropped socket, and meet every limit; plus the HTTP side
//! (history, idempotent sends, edits, deletions, read positions, mentions).

use lianmeng_tests::chat_room::{busy_room, room};
use lianmeng_tests::ws::ids;
use lianmeng_tests::{StatusCode, Value, id, json, unique};

#[tokio::test]
async fn subscribers_get_acks_and_every_message_in_order() {
    let r = busy_room().await;
    let mut a = r.ws(&r.leader).await;
    let mut b = r.ws(&r.member).await;
    a.subscribe(&r.name, None).await;
    b.subscribe(&r.name, None).await;
    assert_eq!(a.next_of("presence").await["room"], r.name.as_str());
    b.next_of("presence").await;
    for i in 1..=20 {
        a.send_message(
            &r.name,
            &format!("第{i}条：主轴热变形补偿参数已更新"),
            &format!("c{i}"),
        )
        .await;
    }
    let mut acks = Vec::new();
    while acks.len() < 20 {
        let v = a.next_json().await;
        if v["type"] == "ack" {
            acks.push((
                v["client_id"].as_str().unwrap().to_owned(),
                v["id"].as_i64().unwrap(),
            ));
        }
    }
    let expected: Vec<(String, i64)> = (1..=20).map(|i| (format!("c{i}"), i)).collect();
    assert_eq!(acks, expected, "acks in order, ids 1..20");
    let got = b.messages(&r.name, 20).await;
    assert_eq!(ids(&got), (1..=20).collect::<Vec<_>>());
    assert_eq!(got[0]["body"], "第1条：主轴热变形补偿参数已更新");
    assert_eq!(got[0]["author_name"], "王建国");
    a.close().await;
    b.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn the_same_client_id_twice_makes_one_message() {
    let r = room().await;
    let (s1, m1) = r.post(&r.member, "弱网重发测试", "retry-1").await;
    let (s2, m2) = r.post(&r.member, "弱网重发测试", "retry-1").await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(m1, m2, "the same message both times");
    let mut ws = r.ws(&r.member).await;
    ws.send_message(&r.name, "弱网重发测试", "retry-1").await;
    let ack = ws.next_of("ack").await;
    assert_eq!(ack["id"], m1["id"]);
    let h = r.read_history(&r.leader, "").await;
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "{h}");
    ws.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_dropped_socket_resumes_after_its_last_id_with_nothing_lost_or_repeated() {
    let r = busy_room().await;
    let mut b = r.ws(&r.member).await;
    b.subscribe(&r.name, None).await;
    b.sync().await;
    for i in 1..=5 {
        r.say(&r.leader, &format!("断线前 {i}"), &format!("before{i}"))
            .await;
    }
    let seen = b.messages(&r.name, 5).await;
    let last = seen.last().unwrap()["id"].as_i64().unwrap();
    drop(b);
    for i in 6..=15 {
        r.say(&r.leader, &format!("断线中 {i}"), &format!("during{i}"))
            .await;
    }
    let mut b = r.ws(&r.member).await;
    b.subscribe(&r.name, Some(last)).await;
    let resumed = b.messages(&r.name, 10).await;
    assert_eq!(ids(&resumed), (6..=15).collect::<Vec<_>>());
    r.say(&r.leader, "恢复后", "after").await;
    let live = b.messages(&r.name, 1).await;
    assert_eq!(ids(&live), [16]);
    assert!(ids(&b.sync().await).is_empty(), "no duplicates");
    b.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn rooms_a_user_may_not_read_are_refused() {
    let r = room().await;
    r.say(&r.leader, "内部讨论", "secret").await;
    let mut ws = r.ws(&r.outsider).await;
    ws.subscribe(&r.name, Some(0)).await;
    let err = ws.next_json().await;
    assert_eq!(err["type"], "error", "{err}");
    assert_eq!(err["code"], "forbidden");
    ws.send_message(&r.name, "我能发吗", "x1").await;
    assert_eq!(ws.next_json().await["code"], "forbidden");
    for room in ["alliance:1", "dm:1:2", "challenge:999999", "studio:999999"] {
        ws.subscribe(room, Some(0)).await;
        let v = ws.next_json().await;
        assert_eq!(
            (v["type"].as_str(), v["code"].as_str()),
            (Some("error"), Some("forbidden")),
            "{room}: {v}"
        );
    }
    ws.subscribe("lobby", None).await;
    assert_eq!(ws.next_json().await["code"], "invalid_room");
    let (status, problem) = r.history(&r.outsider, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, _) = r.post(&r.outsider, "越权", "x2").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = r
        .app
        .get_json("/api/v1/rooms/lobby/messages", Some(&r.outsider))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = r
        .app
        .get_json(&format!("/api/v1/rooms/{}/messages", r.name), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    ws.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn direct_messages_are_for_their_two_people() {
    let r = room().await;
    let (outsider_id, outsider) = r.app.register_and_login_as(&unique("dm"), "钱师傅").await;
    let (a, b) = (r.member_id.min(outsider_id), r.member_id.max(outsider_id));
    let dm = format!("/api/v1/rooms/dm:{a}:{b}/messages");
    let (status, m) = r
        .app
        .post_json(
            &dm,
            Some(&r.member),
            json!({"body": "钱师傅，请教一个数控问题", "client_id": "d1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (status, h) = r.app.get_json(&dm, Some(&outsider)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["items"][0]["body"], "钱师傅，请教一个数控问题");
    let (status, _) = r.app.get_json(&dm, Some(&r.leader)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = r
        .app
        .get_json(
            &format!("/api/v1/rooms/dm:{b}:{a}/messages"),
            Some(&r.member),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "dm names put the smaller id first"
    );
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_public_challenge_room_is_open_to_everyone_signed_in_and_a_draft_is_not() {
    let r = room().await;
    let studio: i64 = r.name.trim_start_matches("studio:").parse().unwrap();
    let body = json!({"studio_id": studio, "title": "焊缝探伤漏检", "description": "需要可靠的探伤工艺。",
        "industry": "machinery", "tags": ["焊缝"]});
    let (status, ch) = r
        .app
        .post_json("/api/v1/challenges", Some(&r.leader), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ch}");
    let room = format!("/api/v1/rooms/challenge:{}/messages", id(&ch));
    let (status, _) = r.app.get_json(&room, Some(&r.outsider)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a draft is the poster's");
    let (status, _) = r.app.get_json(&room, Some(&r.member)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = r
        .app
        .post_empty(
            &format!("/api/v1/challenges/{}/publish", id(&ch)),
            Some(&r.leader),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, m) = r
        .app
        .post_json(
            &room,
            Some(&r.outsider),
            json!({"body": "我们有相控阵设备", "client_id": "p1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    r.app.cleanup().await;
}

#[tokio::test]
async fn mentions_notify_the_person_mentioned() {
    let r = room().await;
    let body = format!("@{} 请看一下新的焊接参数", r.member_username);
    let (status, _) = r.post(&r.leader, &body, "m1").await;
    assert_eq!(status, StatusCode::CREATED);
    let n = r
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(&r.member),
            StatusCode::OK,
            "reading notifications",
        )
        .await;
    let item = &n["items"][0];
    assert_eq!(item["kind"], "chat_mention", "{n}");
    assert!(
        item["link"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/chat/{}", r.name))
    );
    let n = r
        .app
        .expect_get(
            "/api/v1/notifications",
            Some(&r.outsider),
            StatusCode::OK,
            "reading notifications",
        )
        .await;
    assert_eq!(n["unread"], 0);
    r.app.cleanup().await;
}

#[tokio::test]
async fn people_are_mentioned_by_their_chinese_names_and_only_readers_hear_of_it() {
    let r = room().await;
    let unread = |token: String| {
        let app = &r.app;
        async move {
            let (_, n) = app.get_json("/api/v1/notifications", Some(&token)).await;
            n["unread"].as_i64().unwrap()
        }
    };
    let (member_before, outsider_before) = (
        unread(r.member.clone()).await,
        unread(r.outsider.clone()).await,
    );
    // The picker writes "@李明 "; typed without a space, the longest name it starts with counts.
    let (status, _) = r.post(&r.leader, "@李明 请看一下新的焊接参数", "c1").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(unread(r.member.clone()).await, member_before + 1);
    let (status, _) = r.post(&r.leader, "@李明请再确认", "c2").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(unread(r.member.clone()).await, member_before + 2);
    // 赵路人 cannot read the room: mentioning him tells him nothing.
    let (status, _) = r.post(&r.leader, "@赵路人 你好", "c3").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(unread(r.outsider.clone()).await, outsider_before);
    r.app.cleanup().await;
}

#[tokio::test]
async fn edits_and_deletions_by_the_author_are_shown_as_such() {
    let r = room().await;
    let mut ws = r.ws(&r.member).await;
    ws.subscribe(&r.name, None).await;
    ws.sync().await;
    let m = r.say(&r.leader, "初稿", "e1").await;
    let path = format!("/api/v1/rooms/{}/messages/{}", r.name, m["id"]);
    let (status, _) = r
        .app
        .patch_json(&path, Some(&r.member), json!({"body": "改别人的"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, edited) = r
        .app
        .patch_json(&path, Some(&r.leader), json!({"body": "定稿"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert!(edited["edited_at"].is_string());
    let update = ws.next_of("update").await;
    assert_eq!(
        (update["id"].clone(), update["body"].clone()),
        (m["id"].clone(), json!("定稿"))
    );
    let (status, deleted) = r
        .app
        .send(reqwest::Method::DELETE, &path, Some(&r.leader), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["body"], "");
    assert!(deleted["deleted_at"].is_string());
    let h = r.read_history(&r.member, "").await;
    assert!(h["items"][0]["deleted_at"].is_string());
    ws.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn history_pages_back_and_forward_by_id() {
    let r = busy_room().await;
    for i in 1..=12 {
        r.say(&r.leader, &format!("记录 {i}"), &format!("h{i}"))
            .await;
    }
    let page = |v: &Value| {
        ids(&v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let mut m = m.clone();
                m["type"] = json!("message");
                m
            })
            .collect::<Vec<_>>())
    };
    let newest = r.read_history(&r.member, "?limit=5").await;
    assert_eq!(page(&newest), [8, 9, 10, 11, 12]);
    let older = r.read_history(&r.member, "?limit=5&before=8").await;
    assert_eq!(page(&older), [3, 4, 5, 6, 7]);
    let after = r.read_history(&r.member, "?after=10").await;
    assert_eq!(page(&after), [11, 12]);
    let (status, p) = r.history(&r.member, "?limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (status, _) = r.history(&r.member, "?after=x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    r.app.cleanup().await;
}

#[tokio::test]
async fn unread_counts_follow_the_read_position() {
    let r = room().await;
    for i in 1..=4 {
        r.say(&r.leader, &format!("通知 {i}"), &format!("u{i}"))
            .await;
    }
    let unread = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["room"] == r.name.as_str())
            .map(|x| x["unread"].as_i64().unwrap())
    };
    let rooms = r
        .app
        .expect_get(
            "/api/v1/rooms",
            Some(&r.member),
            StatusCode::OK,
            "listing rooms",
        )
        .await;
    assert_eq!(unread(&rooms), Some(4), "{rooms}");
    let (status, _) = r
        .app
        .post_json(
            &format!("/api/v1/rooms/{}/read", r.name),
            Some(&r.member),
            json!({"id": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let rooms = r
        .app
        .expect_get(
            "/api/v1/rooms",
            Some(&r.member),
            StatusCode::OK,
            "listing rooms",
        )
        .await;
    assert_eq!(unread(&rooms), Some(1));
    let rooms = r
        .app
        .expect_get(
            "/api/v1/rooms",
            Some(&r.leader),
            StatusCode::OK,
            "listing rooms",
        )
        .await;
    assert_eq!(unread(&rooms), Some(0), "one's own messages are read");
    r.app.cleanup().await;
}

#[tokio::test]
async fn presence_and_typing_reach_the_room() {
    let r = room().await;
    let mut a = r.ws(&r.leader).await;
    let mut b = r.ws(&r.member).await;
    a.subscribe(&r.name, None).await;
    a.next_of("presence").await;
    b.subscribe(&r.name, None).await;
    let p = b.next_of("presence").await;
    assert_eq!(p["online"].as_array().unwrap().len(), 2, "{p}");
    b.send_json(json!({"type": "typing", "room": r.name})).await;
    let t = a.next_of("typing").await;
    assert_eq!(t["user_id"], r.member_id);
    a.close().await;
    b.close().await;
    r.app.cleanup().await;
}
