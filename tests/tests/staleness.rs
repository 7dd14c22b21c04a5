//! Stale work (催办) and expiry: the sweep, driven with a "now" in the future, escalates an
//! unclaimed challenge, an unanswered claim and awarded work without progress to the poster and
//! the union staff above the posting studio, once each; and expires an open challenge whose
//! deadline passed, telling its claimants and refusing further claims.

use lianmeng_server::domain::staleness::{DAY_MS, china_date};
use lianmeng_server::jobs::sweeper::{Report, sweep, thresholds};
use lianmeng_server::store::now_ms;
use lianmeng_tests::{BACKGROUND, StatusCode, TestApp, World, eventually, id, json, unique};

/// Union people (staff of the city above the enterprise, told; staff of another province and an
/// expert of the district, not told), a poster studio whose member posts (so author and leader
/// differ), and two claimant studios.
async fn world_with(app: TestApp) -> World {
    World::new(app)
        .await
        .with_union_people()
        .await
        .with_poster_studio()
        .await
        .with_author_in_poster_studio()
        .await
        .with_claimant_studios()
        .await
}

async fn world() -> World {
    world_with(TestApp::spawn().await).await
}

/// A challenge posted by the poster studio's member and published, due on `deadline`.
async fn open_challenge(w: &World, deadline: &str) -> i64 {
    w.open_challenge_as(w.author(), json!({"deadline": deadline}))
        .await
}

/// What a pass did to challenges (the studios of these tests are online: no reminders).
fn report(expired: usize, escalated: usize) -> Report {
    Report {
        expired,
        escalated,
        reminded: 0,
    }
}

#[tokio::test]
async fn an_unclaimed_challenge_is_escalated_to_the_poster_and_the_staff_above_once() {
    let w = world().await;
    let ch = open_challenge(&w, "2099-12-31").await;
    let start = now_ms();
    assert_eq!(w.sweep_at(start + 13 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_open").await, [0; 5]);

    // Two nodes sweeping at once: one of them sends.
    let later = start + 15 * DAY_MS;
    let (one, two) = tokio::join!(
        sweep(&w.app.state.db, thresholds(&w.app.state.config), later),
        sweep(&w.app.state.db, thresholds(&w.app.state.config), later + 1)
    );
    assert_eq!(one.unwrap().escalated + two.unwrap().escalated, 1);
    assert_eq!(
        w.counts("stale_open").await,
        [1, 1, 1, 0, 0],
        "author, leader and city staff; not another province's staff, not an expert"
    );
    // The same quiet spell is not escalated again, however long it lasts.
    assert_eq!(w.sweep_at(later).await, report(0, 0));
    assert_eq!(w.sweep_at(start + 40 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_open").await, [1, 1, 1, 0, 0]);
    assert_eq!(
        w.detail(ch).await["status"],
        "open",
        "escalation moves nothing"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn a_pending_claim_left_unanswered_is_escalated() {
    let w = world().await;
    let ch = open_challenge(&w, "2099-12-31").await;
    let (status, claim) = w.try_claim(ch, w.b(), w.b_studio()).await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    let start = now_ms();
    assert_eq!(w.sweep_at(start + 6 * DAY_MS).await, report(0, 0));
    assert_eq!(w.sweep_at(start + 8 * DAY_MS).await, report(0, 1));
    assert_eq!(w.counts("stale_claim").await, [1, 1, 1, 0, 0]);
    // A claim in play means the challenge is not unclaimed.
    assert_eq!(w.counts("stale_open").await, [0; 5]);
    assert_eq!(w.sweep_at(start + 9 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_claim").await, [1, 1, 1, 0, 0]);
    let subject = w.notifications(w.city_staff()).await;
    let subject = subject["items"][0]["subject"].as_str().unwrap().to_owned();
    assert!(subject.contains("未答复"), "{subject}");
    assert_eq!(
        w.count(w.b(), "stale_claim").await,
        0,
        "the claimant is not chased"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn awarded_work_without_progress_is_escalated_once_per_stall() {
    let w = world().await;
    let ch = open_challenge(&w, "2099-12-31").await;
    let claim = w.claim(ch, w.b(), w.b_studio()).await;
    let path = format!("/api/v1/challenges/{ch}/claims/{claim}/award");
    let (status, body) = w.post(&path, w.poster(), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let start = now_ms();
    assert_eq!(w.sweep_at(start + 13 * DAY_MS).await, report(0, 0));
    assert_eq!(w.sweep_at(start + 15 * DAY_MS).await, report(0, 1));
    assert_eq!(w.counts("stale_progress").await, [1, 1, 1, 0, 0]);
    assert_eq!(
        w.counts("stale_claim").await,
        [0; 5],
        "the claim was answered"
    );
    assert_eq!(w.sweep_at(start + 16 * DAY_MS).await, report(0, 0));

    // Progress ends the stall; a new stall after it is escalated anew, once.
    let path = format!("/api/v1/challenges/{ch}/progress");
    let body = json!({"note": "完成试块制备", "percent": 30});
    let (status, p) = w.post(&path, w.b(), body).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let resumed = now_ms();
    assert_eq!(w.sweep_at(resumed + 10 * DAY_MS).await, report(0, 0));
    assert_eq!(w.sweep_at(resumed + 15 * DAY_MS).await, report(0, 1));
    assert_eq!(w.sweep_at(resumed + 15 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_progress").await, [2, 2, 2, 0, 0]);
    w.app.cleanup().await;
}

#[tokio::test]
async fn an_open_challenge_past_its_deadline_expires_and_takes_no_more_claims() {
    let w = world().await;
    let start = now_ms();
    let tomorrow = china_date(start).succ_opt().unwrap().to_string();
    let ch = open_challenge(&w, &tomorrow).await;
    let (status, b_claim) = w.try_claim(ch, w.b(), w.b_studio()).await;
    assert_eq!(status, StatusCode::CREATED, "{b_claim}");
    let (status, c_claim) = w.try_claim(ch, w.c(), w.c_studio()).await;
    assert_eq!(status, StatusCode::CREATED, "{c_claim}");
    // C withdraws: a closed claim is not told again.
    let path = format!("/api/v1/challenges/{ch}/claims/{}/withdraw", id(&c_claim));
    let (status, body) = w.post(&path, w.c(), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // On the deadline itself (in China) it is still open.
    assert_eq!(w.sweep_at(start + DAY_MS).await, report(0, 0));
    let outbox_before = w.app.outbox().await.len();
    let (one, two) = tokio::join!(
        sweep(
            &w.app.state.db,
            thresholds(&w.app.state.config),
            start + 2 * DAY_MS
        ),
        sweep(
            &w.app.state.db,
            thresholds(&w.app.state.config),
            start + 2 * DAY_MS
        )
    );
    assert_eq!(one.unwrap().expired + two.unwrap().expired, 1);
    assert_eq!(w.sweep_at(start + 3 * DAY_MS).await, report(0, 0));

    let d = w.detail(ch).await;
    assert_eq!(d["status"], "expired");
    let statuses: Vec<&str> = d["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["declined", "withdrawn"]);
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "expire", "{last}");
    assert!(w.app.outbox().await.len() > outbox_before);

    assert_eq!(w.count(w.author(), "challenge_expired").await, 1);
    assert_eq!(w.count(w.poster(), "challenge_expired").await, 1);
    assert_eq!(w.count(w.b(), "challenge_expired").await, 1);
    assert_eq!(w.count(w.c(), "challenge_expired").await, 0);
    // Expiry wins over escalation: nothing stale about a finished challenge.
    assert_eq!(w.sweep_at(start + 30 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_claim").await, [0; 5]);

    // A studio that never claimed cannot claim now.
    let (_, d) = w.app.register_and_login_as(&unique("lead-d"), "孙立").await;
    let d_studio = w
        .app
        .online_studio(&d, w.org, "孙立数控技能大师工作室", json!({}))
        .await;
    let (status, problem) = w.try_claim(ch, &d, d_studio).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["current_status"], "expired");
    w.app.cleanup().await;
}

#[tokio::test]
async fn the_server_sweeps_in_the_background_and_stops_cleanly() {
    let app = TestApp::spawn_with(|cfg| {
        cfg.sweep_every = Some(std::time::Duration::from_millis(50));
    })
    .await;
    let w = world_with(app).await;
    let ch = open_challenge(&w, "2099-12-31").await;
    // Published 15 days ago, as far as the sweep can tell.
    sqlx::query("UPDATE challenges SET published_at = published_at - $1 WHERE id = $2")
        .bind(15 * DAY_MS)
        .bind(ch)
        .execute(w.app.state.db.reader())
        .await
        .expect("backdating the challenge");
    let told = eventually("the city staff is told", BACKGROUND, || async {
        let told = w.count(w.city_staff(), "stale_open").await;
        (told > 0).then_some(told)
    })
    .await;
    assert_eq!(told, 1, "the background sweep escalated the challenge");
    // Later passes keep quiet about the same spell. A sleep: it proves that nothing happens
    // over a few more 50 ms passes, which no condition can show.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(w.counts("stale_open").await, [1, 1, 1, 0, 0]);
    w.app.cleanup().await;
}
