//! Live chat at its limits over the real server: oversized frames (1009), bad UTF-8 (1007),
//! unknown frames, the send rate, a foreign Origin, a silent peer, a reader too slow (1013),
//! and many writers at once, whose messages the node's writer commits in batches.

use futures_util::SinkExt;
use lianmeng_tests::chat_room::{busy_room, room, room_with};
use lianmeng_tests::ws::{Ended, WsClient, ids};
use lianmeng_tests::{StatusCode, TestApp, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

#[tokio::test]
async fn a_message_over_64_kib_closes_the_socket_with_1009() {
    let r = room().await;
    let mut ws = r.ws(&r.member).await;
    let body = "焊".repeat(25_000);
    ws.send_message(&r.name, &body, "big").await;
    let (_, end) = ws.until_end().await;
    assert_eq!(end, Ended::Code(1009));
    r.app.cleanup().await;
}

#[tokio::test]
async fn invalid_utf8_closes_the_socket_with_1007() {
    let r = room().await;
    let mut ws = r.ws(&r.member).await;
    let bad = vec![b'{', 0xff, 0xfe, b'}'];
    let frame = Frame::message(bad, OpCode::Data(Data::Text), true);
    ws.ws.send(Message::Frame(frame)).await.unwrap();
    let (_, end) = ws.until_end().await;
    assert_eq!(end, Ended::Code(1007));
    r.app.cleanup().await;
}

#[tokio::test]
async fn unknown_and_malformed_frames_get_an_error_frame_and_the_socket_stays() {
    let r = room().await;
    let mut ws = r.ws(&r.member).await;
    ws.send_json(json!({"type": "dance", "room": r.name})).await;
    assert_eq!(ws.next_json().await["code"], "unknown_type");
    ws.ws.send(Message::text("不是 JSON")).await.unwrap();
    assert_eq!(ws.next_json().await["code"], "malformed");
    ws.send_json(json!({"type": "send", "room": r.name})).await;
    assert_eq!(ws.next_json().await["code"], "invalid_field");
    ws.send_message(&r.name, "   ", "empty").await;
    let v = ws.next_json().await;
    assert_eq!(
        (v["code"].as_str(), v["client_id"].as_str()),
        (Some("invalid_field"), Some("empty"))
    );
    ws.send_json(json!({"type": "ping"})).await;
    assert_eq!(ws.next_json().await["type"], "pong");
    ws.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn sending_faster_than_the_limit_gets_rate_limited_errors() {
    let app = TestApp::spawn_with(|c| c.chat.rate_per_sec = 3).await;
    let r = room_with(app).await;
    let mut ws = r.ws(&r.member).await;
    for i in 0..12 {
        ws.send_message(&r.name, &format!("刷屏 {i}"), &format!("f{i}"))
            .await;
    }
    let replies = ws.sync().await;
    let limited = replies
        .iter()
        .filter(|v| v["code"] == "rate_limited")
        .count();
    let acked = replies.iter().filter(|v| v["type"] == "ack").count();
    assert_eq!(limited + acked, 12, "{replies:?}");
    assert!(
        limited >= 6 && acked >= 3,
        "acked {acked}, limited {limited}"
    );
    ws.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_foreign_origin_and_a_missing_session_are_refused_at_the_upgrade() {
    let r = room().await;
    let auth = format!("Bearer {}", r.member);
    let foreign = WsClient::connect_with(
        r.app.base(),
        "/api/v1/ws",
        &[("authorization", &auth), ("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(foreign.err(), Some(403));
    assert_eq!(
        WsClient::connect_with(r.app.base(), "/api/v1/ws", &[])
            .await
            .err(),
        Some(401)
    );
    let bad = WsClient::connect_with(r.app.base(), "/api/v1/ws?token=nope", &[]).await;
    assert_eq!(bad.err(), Some(401));
    let own = r.app.base().to_owned();
    let mut ok = WsClient::connect_with(
        r.app.base(),
        "/api/v1/ws",
        &[("authorization", &auth), ("origin", &own)],
    )
    .await
    .expect("our own origin is welcome");
    ok.send_json(json!({"type": "ping"})).await;
    assert_eq!(ok.next_json().await["type"], "pong");
    let path = format!("/api/v1/ws?token={}", r.member);
    let mut by_query = WsClient::connect_with(r.app.base(), &path, &[])
        .await
        .expect("?token= works");
    by_query.subscribe(&r.name, None).await;
    assert_eq!(by_query.next_json().await["type"], "presence");
    let cookie = format!("lm_session={}", r.member);
    let mut by_cookie = WsClient::connect_with(r.app.base(), "/api/v1/ws", &[("cookie", &cookie)])
        .await
        .expect("the session cookie works");
    by_cookie.subscribe(&r.name, None).await;
    assert_eq!(by_cookie.next_json().await["type"], "presence");
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_silent_peer_is_dropped_by_the_heartbeat() {
    let app =
        TestApp::spawn_with(|c| c.chat.ping_every = std::time::Duration::from_millis(300)).await;
    let r = room_with(app).await;
    let mut ws = r.ws(&r.member).await;
    ws.subscribe(&r.name, None).await;
    ws.sync().await;
    // Not reading means not answering pings. A sleep: the client must stay silent through
    // several ping intervals, and reading to wait would answer them.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (_, end) = ws.until_end().await;
    assert_eq!(end, Ended::Dropped);
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_reader_too_slow_is_closed_with_1013_and_resumes_without_loss() {
    let app = TestApp::spawn_with(|c| {
        c.chat.queue = 4;
        c.chat.rate_per_sec = 100_000;
    })
    .await;
    let r = room_with(app).await;
    let mut slow = slow_reader(&r).await;
    let mut writer = r.ws(&r.leader).await;
    let body = "铣床主轴热变形补偿".repeat(300);
    let total = 300;
    for i in 1..=total {
        writer.send_message(&r.name, &body, &format!("s{i}")).await;
    }
    let mut acked = 0;
    while acked < total {
        if writer.next_json().await["type"] == "ack" {
            acked += 1;
        }
    }
    let (seen, end) = slow.until_end().await;
    assert_eq!(end, Ended::Code(1013), "a slow reader is closed with 1013");
    let got = ids(&seen);
    assert_eq!(
        got,
        (1..=got.len() as i64).collect::<Vec<_>>(),
        "in order, no gap"
    );
    let last = got.last().copied().unwrap_or(0);
    assert!(last < total as i64, "it was closed before the end");
    let mut again = r.ws(&r.member).await;
    again.subscribe(&r.name, Some(last)).await;
    let rest = again
        .messages(&r.name, (total as i64 - last) as usize)
        .await;
    assert_eq!(ids(&rest), ((last + 1)..=total as i64).collect::<Vec<_>>());
    r.app.cleanup().await;
}

#[tokio::test]
async fn concurrent_writers_make_gapless_ids_that_a_reader_sees_in_order() {
    let r = busy_room().await;
    let mut reader = r.ws(&r.member).await;
    reader.subscribe(&r.name, Some(0)).await;
    reader.sync().await;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (client, url, token) = (
                r.app.client.clone(),
                r.app.url(&format!("/api/v1/rooms/{}/messages", r.name)),
                r.leader.clone(),
            );
            tokio::spawn(async move {
                for i in 0..10 {
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"body": format!("并发 {w}-{i}"), "client_id": format!("w{w}-{i}")}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), StatusCode::CREATED);
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let got = reader.messages(&r.name, 80).await;
    assert_eq!(ids(&got), (1..=80).collect::<Vec<_>>());
    reader.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn a_burst_over_several_rooms_with_resent_client_ids_commits_each_message_once() {
    let r = busy_room().await;
    // A second room: the studio's leader and the member talk directly too.
    let leader_id = lianmeng_tests::id(
        &r.app
            .expect_get("/api/v1/me", Some(&r.leader), StatusCode::OK, "reading /me")
            .await,
    );
    let (a, b) = (leader_id.min(r.member_id), leader_id.max(r.member_id));
    let dm = format!("dm:{a}:{b}");
    let mut reader = r.ws(&r.member).await;
    for room in [&r.name, &dm] {
        reader.subscribe(room, Some(0)).await;
    }
    reader.sync().await;
    // One socket pipelines 60 sends over two rooms without waiting, every third one a resend
    // of the one before; its answers come back in the order sent.
    let mut writer = r.ws(&r.leader).await;
    let mut sent = Vec::new();
    for i in 0..60 {
        let room = if i % 2 == 0 { &r.name } else { &dm };
        let client_id = if i % 3 == 2 {
            format!("b{}", i - 2)
        } else {
            format!("b{i}")
        };
        writer
            .send_message(room, &format!("批量 {i}"), &client_id)
            .await;
        sent.push((room.clone(), client_id));
    }
    let answers = writer.sync().await;
    let acks: Vec<_> = answers.iter().filter(|v| v["type"] == "ack").collect();
    assert_eq!(acks.len(), 60, "one answer per send: {answers:?}");
    for (ack, (room, client_id)) in acks.iter().zip(&sent) {
        assert_eq!(
            ack["client_id"],
            client_id.as_str(),
            "answers in the order sent"
        );
        assert_eq!(ack["room"], room.as_str());
    }
    // A resend into the other room is a new message there (client ids are per room).
    let distinct: std::collections::BTreeSet<_> = sent.iter().collect();
    let per_room = |room: &str| distinct.iter().filter(|(r, _)| r == room).count();
    let (n_studio, n_dm) = (per_room(&r.name), per_room(&dm));
    assert_eq!(n_studio + n_dm, distinct.len());
    let mut got = Vec::new();
    while got.len() < distinct.len() {
        let v = reader.next_json().await;
        if v["type"] == "message" {
            got.push(v);
        }
    }
    for (room, n) in [(&r.name, n_studio), (&dm, n_dm)] {
        let in_room: Vec<_> = got
            .iter()
            .filter(|v| v["room"] == room.as_str())
            .cloned()
            .collect();
        assert_eq!(ids(&in_room), (1..=n as i64).collect::<Vec<_>>(), "{room}");
    }
    // The same key answers with the same id.
    for (ack, (room, client_id)) in acks.iter().zip(&sent) {
        let first = sent
            .iter()
            .position(|(r2, c2)| r2 == room && c2 == client_id)
            .unwrap();
        assert_eq!(ack["id"], acks[first]["id"], "{room} {client_id}");
    }
    let (status, history) = r.history(&r.member, "?after=0&limit=200").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history["items"].as_array().map(Vec::len), Some(n_studio));
    reader.close().await;
    writer.close().await;
    r.app.cleanup().await;
}

#[tokio::test]
async fn subscribing_in_a_loop_is_rate_limited_and_the_socket_stays() {
    let r = room().await;
    let mut ws = r.ws(&r.member).await;
    for _ in 0..300 {
        ws.subscribe(&r.name, Some(0)).await;
    }
    let replies = ws.sync().await;
    let limited = replies
        .iter()
        .filter(|v| v["code"] == "rate_limited")
        .count();
    assert!(
        limited >= 150,
        "{limited} of 300 subscribes were limited: a loop must not take a core"
    );
    // The socket still listens and sends.
    ws.send_message(&r.name, "还在线", "still-1").await;
    let replies = ws.sync().await;
    assert!(replies.iter().any(|v| v["type"] == "ack"), "{replies:?}");
    ws.close().await;
    r.app.cleanup().await;
}

/// A reader with a tiny receive window, so the server's writes to it back up quickly.
async fn slow_reader(r: &lianmeng_tests::chat_room::Room) -> WsClient {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(2048).unwrap();
    let stream = socket.connect(r.app.state_addr()).await.unwrap();
    let req = {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = lianmeng_tests::ws::ws_url(r.app.base(), "/api/v1/ws")
            .into_client_request()
            .unwrap();
        req.headers_mut().insert(
            "authorization",
            format!("Bearer {}", r.member).parse().unwrap(),
        );
        req
    };
    let (ws, _) =
        tokio_tungstenite::client_async(req, tokio_tungstenite::MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    let mut slow = WsClient { ws };
    slow.subscribe(&r.name, None).await;
    slow.sync().await;
    slow
}

#[tokio::test]
async fn every_slow_reader_gets_a_clean_1013_not_a_frame_cut_in_half() {
    // The default queue: a socket overflows it only once its writes have backed up.
    let app = TestApp::spawn_with(|c| c.chat.rate_per_sec = 100_000).await;
    let r = room_with(app).await;
    let mut slow = Vec::new();
    for _ in 0..5 {
        slow.push(slow_reader(&r).await);
    }
    // The room floods while none of the five reads.
    let mut writer = r.ws(&r.leader).await;
    // More than the kernel's buffers and the queue hold: about 10 MB for each reader.
    let body = "数控车床刀具磨损在线监测".repeat(330);
    let total = 800;
    for i in 1..=total {
        writer.send_message(&r.name, &body, &format!("f{i}")).await;
    }
    let mut acked = 0;
    while acked < total {
        if writer.next_json().await["type"] == "ack" {
            acked += 1;
        }
    }
    // They come back to read later than a write may take (a phone on a poor network, a
    // paused tab): by then each has been closed, and the close waits for them.
    tokio::time::sleep(
        lianmeng_server::chat::wire::WRITE_TIMEOUT + std::time::Duration::from_secs(2),
    )
    .await;
    for (n, mut reader) in slow.into_iter().enumerate() {
        let (seen, end) = reader.until_end().await;
        assert_eq!(
            end,
            Ended::Code(1013),
            "slow reader {n} is closed with 1013 after whole frames"
        );
        let got = ids(&seen);
        assert_eq!(
            got,
            (1..=got.len() as i64).collect::<Vec<_>>(),
            "reader {n}: in order"
        );
    }
    r.app.cleanup().await;
}
