//! Two server nodes sharing PostgreSQL and Redis: messages cross nodes, a stopped node's
//! clients resume on the other, and neither Redis freezing for a few seconds nor one node's
//! link to it breaking loses anything.
//! Needs `LIANMENG_TEST_DATABASE_URL` and `LIANMENG_TEST_REDIS_URL`; without them each test
//! says so loudly (and fails under `LIANMENG_REQUIRE_SERVICES=1`).

use std::time::Duration;

use lianmeng_tests::chat_room::{Room, busy_room, busy_room_with};
use lianmeng_tests::redis_server::OwnRedis;
use lianmeng_tests::tcp_proxy::Proxy;
use lianmeng_tests::ws::{Ended, WsClient, ids};
use lianmeng_tests::{StatusCode, TestApp, json, postgres_and_redis_for};

/// Two nodes, a studio room with its leader and a member.
struct Cluster {
    one: TestApp,
    two: TestApp,
    room: String,
    leader: String,
    member: String,
}

async fn cluster() -> Cluster {
    cluster_of(busy_room().await).await
}

/// A second node beside the room's server.
async fn cluster_of(r: Room) -> Cluster {
    let two = r.app.spawn_peer().await;
    pair(r, two)
}

/// The room's server and `two`.
fn pair(r: Room, two: TestApp) -> Cluster {
    Cluster {
        one: r.app,
        two,
        room: r.name,
        leader: r.leader,
        member: r.member,
    }
}

impl Cluster {
    async fn post(&self, on: &TestApp, body: &str, client_id: &str) -> i64 {
        let (status, m) = on
            .post_json(
                &format!("/api/v1/rooms/{}/messages", self.room),
                Some(&self.leader),
                json!({"body": body, "client_id": client_id}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{m}");
        m["id"].as_i64().unwrap()
    }

    async fn finish(self) {
        self.two.cleanup().await;
        self.one.cleanup().await;
    }
}

#[tokio::test]
async fn a_message_sent_on_one_node_reaches_subscribers_on_the_other() {
    if !postgres_and_redis_for("a_message_sent_on_one_node_reaches_subscribers_on_the_other") {
        return;
    }
    let c = cluster().await;
    let mut far = WsClient::connect(c.two.base(), &c.member).await;
    far.subscribe(&c.room, None).await;
    far.sync().await;
    let mut near = WsClient::connect(c.one.base(), &c.leader).await;
    for i in 1..=10 {
        near.send_message(&c.room, &format!("跨节点 {i}"), &format!("x{i}"))
            .await;
    }
    let got = far.messages(&c.room, 10).await;
    assert_eq!(ids(&got), (1..=10).collect::<Vec<_>>());
    assert_eq!(got[9]["body"], "跨节点 10");
    // Presence spans both nodes.
    near.subscribe(&c.room, None).await;
    loop {
        let p = near.next_of("presence").await;
        if p["online"].as_array().unwrap().len() == 2 {
            break;
        }
    }
    near.close().await;
    far.close().await;
    c.finish().await;
}

#[tokio::test]
async fn when_a_node_stops_its_clients_resume_on_the_other_with_nothing_lost() {
    if !postgres_and_redis_for(
        "when_a_node_stops_its_clients_resume_on_the_other_with_nothing_lost",
    ) {
        return;
    }
    let mut c = cluster().await;
    let mut client = WsClient::connect(c.two.base(), &c.member).await;
    client.subscribe(&c.room, None).await;
    client.sync().await;
    for i in 1..=5 {
        c.post(&c.one, &format!("停机前 {i}"), &format!("a{i}"))
            .await;
    }
    let mut seen = ids(&client.messages(&c.room, 5).await);
    c.two.stop_server().await;
    let (tail, end) = client.until_end().await;
    assert_eq!(
        end,
        Ended::Code(1012),
        "a stopping node tells its clients to resume"
    );
    seen.extend(ids(&tail));
    for i in 6..=12 {
        c.post(&c.one, &format!("停机后 {i}"), &format!("b{i}"))
            .await;
    }
    let last = *seen.last().unwrap();
    let mut resumed = WsClient::connect(c.one.base(), &c.member).await;
    resumed.subscribe(&c.room, Some(last)).await;
    seen.extend(ids(&resumed.messages(&c.room, (12 - last) as usize).await));
    c.post(&c.one, "恢复后", "c13").await;
    seen.extend(ids(&resumed.messages(&c.room, 1).await));
    assert_eq!(
        seen,
        (1..=13).collect::<Vec<_>>(),
        "every message once, in order"
    );
    resumed.close().await;
    c.finish().await;
}

#[tokio::test]
async fn redis_frozen_for_a_few_seconds_loses_nothing() {
    if !postgres_and_redis_for("redis_frozen_for_a_few_seconds_loses_nothing") {
        return;
    }
    // A Redis of this test's own: freezing the shared one would freeze the tests beside it.
    let redis = OwnRedis::start();
    let url = redis.url();
    let c = cluster_of(busy_room_with(|c| c.redis_url = Some(url)).await).await;
    let mut far = WsClient::connect(c.two.base(), &c.member).await;
    far.subscribe(&c.room, None).await;
    far.sync().await;
    c.post(&c.one, "正常 1", "n1").await;
    let mut seen = ids(&far.messages(&c.room, 1).await);
    {
        let _frozen = redis.freeze();
        // Sends still commit while Redis is frozen (the rate limit gives way, the publish
        // waits or fails); the other node cannot hear of them yet.
        for i in 2..=6 {
            c.post(&c.one, &format!("Redis 停顿中 {i}"), &format!("n{i}"))
                .await;
        }
        // A sleep: Redis must stay frozen for a while; nothing observable ends the window.
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    // Once Redis answers, the open socket gets what it missed, with no later message to
    // reveal the gap and no resume by the client.
    seen.extend(ids(&far.messages(&c.room, 5).await));
    c.post(&c.one, "Redis 恢复后", "n7").await;
    seen.extend(ids(&far.messages(&c.room, 1).await));
    assert_eq!(
        seen,
        (1..=7).collect::<Vec<_>>(),
        "every message once, in order"
    );
    // A resume from the first message finds each of the others once.
    far.close().await;
    let mut again = WsClient::connect(c.two.base(), &c.member).await;
    again.subscribe(&c.room, Some(1)).await;
    assert_eq!(
        ids(&again.messages(&c.room, 6).await),
        (2..=7).collect::<Vec<_>>()
    );
    assert!(again.sync().await.iter().all(|f| f["type"] != "message"));
    again.close().await;
    c.finish().await;
}

#[tokio::test]
async fn a_node_cut_off_from_redis_tells_the_others_to_resync_once_it_is_back() {
    if !postgres_and_redis_for(
        "a_node_cut_off_from_redis_tells_the_others_to_resync_once_it_is_back",
    ) {
        return;
    }
    // Node one reaches Redis through a proxy that the test cuts; node two's subscription
    // stays up, so it hears of what node one could not publish only from node one.
    let redis = OwnRedis::start();
    let proxy = Proxy::start(redis.addr()).await;
    let via_proxy = format!("redis://{}", proxy.addr());
    let r = busy_room_with(|c| c.redis_url = Some(via_proxy)).await;
    let direct = redis.url();
    let two = r.app.spawn_peer_with(|c| c.redis_url = Some(direct)).await;
    let c = pair(r, two);
    let mut far = WsClient::connect(c.two.base(), &c.member).await;
    far.subscribe(&c.room, None).await;
    far.sync().await;
    c.post(&c.one, "连线正常", "p1").await;
    let mut seen = ids(&far.messages(&c.room, 1).await);
    proxy.cut();
    for i in 2..=4 {
        c.post(&c.one, &format!("断线中 {i}"), &format!("p{i}"))
            .await;
    }
    // Longer than a publish may wait: node one gives up on them. A sleep: giving up shows no
    // sign outside node one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    proxy.join();
    // No later message reveals the gap and the client does not resume: node one's marker
    // makes node two's socket catch up from the database.
    seen.extend(ids(&far.messages(&c.room, 3).await));
    assert_eq!(seen, [1, 2, 3, 4], "every message once, in order");
    far.close().await;
    c.finish().await;
}
