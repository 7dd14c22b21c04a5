//! Stale work (催办) and expiry: the sweep, driven with a "now" in the future, escalates an
//! unclaimed challenge, an unanswered claim and awarded work without progress to the poster and
//! the union staff above the posting studio, once each; and expires an open challenge whose
//! deadline passed, telling its claimants and refusing further claims.

use lianmeng_server::domain::staleness::{DAY_MS, china_date};
use lianmeng_server::jobs::sweeper::{Report, sweep, thresholds};
use lianmeng_server::store::now_ms;
use lianmeng_tests::{StatusCode, TestApp, Value, id, json, unique};

/// A poster studio whose member posts (so author and leader differ), two claimant studios, and
/// union people: staff at the city above the host enterprise (told), staff of another province
/// and an expert at the district (not told).
struct World {
    app: TestApp,
    /// The enterprise hosting every studio.
    org: i64,
    author: String,
    poster_lead: String,
    poster_studio: i64,
    b: String,
    b_studio: i64,
    c: String,
    c_studio: i64,
    city_staff: String,
    far_staff: String,
    expert: String,
}

async fn world() -> World {
    world_with(TestApp::spawn().await).await
}

async fn world_with(app: TestApp) -> World {
    let admin = app.admin_token().await;
    let tree = app.org_tree(&admin).await;
    let far = app
        .create_org(&admin, "甘肃省总工会", "province", None)
        .await;
    let mut union_people = Vec::new();
    for (org, role, name) in [
        (tree.city, "staff", "周国"),
        (far, "staff", "马军"),
        (tree.district, "expert", "陈工"),
    ] {
        let username = unique("union");
        let (_, token) = app.register_and_login_as(&username, name).await;
        let (status, body) = app
            .post_json(
                &format!("/api/v1/orgs/{org}/staff"),
                Some(&admin),
                json!({"username": username, "role": role}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        union_people.push(token);
    }
    let org = tree.enterprise;
    let (_, poster_lead) = app.register_and_login_as(&unique("poster"), "王建国").await;
    let poster_studio = app
        .online_studio(&poster_lead, org, "王建国劳模创新工作室", json!({}))
        .await;
    let (author_id, author) = app.register_and_login_as(&unique("author"), "赵敏").await;
    let (status, body) = app
        .post_json(
            &format!("/api/v1/studios/{poster_studio}/members"),
            Some(&poster_lead),
            json!({"user_id": author_id, "role": "member"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, b) = app.register_and_login_as(&unique("lead-b"), "李明").await;
    let b_studio = app
        .online_studio(&b, org, "李明焊接技能大师工作室", json!({}))
        .await;
    let (_, c) = app.register_and_login_as(&unique("lead-c"), "张雅琴").await;
    let c_studio = app
        .online_studio(&c, org, "张雅琴计量创新工作室", json!({}))
        .await;
    let [city_staff, far_staff, expert] = <[String; 3]>::try_from(union_people).unwrap();
    World {
        app,
        org,
        author,
        poster_lead,
        poster_studio,
        b,
        b_studio,
        c,
        c_studio,
        city_staff,
        far_staff,
        expert,
    }
}

impl World {
    async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.app.post_json(path, Some(token), body).await
    }

    /// A challenge posted by the member and published, due on `deadline`.
    async fn open_challenge(&self, deadline: &str) -> i64 {
        let body = json!({
            "studio_id": self.poster_studio,
            "title": "大型铸件焊缝超声波探伤漏检率高",
            "description": "近半年焊缝返修率上升到 **3.2%**，需要一套可靠的探伤工艺。",
            "industry": "machinery",
            "deadline": deadline,
            "reward_yuan": 50000
        });
        let (status, ch) = self.post("/api/v1/challenges", &self.author, body).await;
        assert_eq!(status, StatusCode::CREATED, "{ch}");
        let ch = id(&ch);
        let path = format!("/api/v1/challenges/{ch}/publish");
        let (status, body) = self.post(&path, &self.author, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        ch
    }

    async fn claim(&self, ch: i64, token: &str, studio: i64) -> (StatusCode, Value) {
        let body = json!({"studio_id": studio, "proposal": "采用相控阵超声检测替代常规探伤，三个月内完成工艺验证。"});
        self.post(&format!("/api/v1/challenges/{ch}/claims"), token, body)
            .await
    }

    /// How many notifications of `kind` this person has.
    async fn count(&self, token: &str, kind: &str) -> usize {
        let (status, n) = self
            .app
            .get_json("/api/v1/notifications", Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{n}");
        n["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["kind"] == kind)
            .count()
    }

    /// (author, studio leader, city staff, other province's staff, district expert).
    async fn counts(&self, kind: &str) -> [usize; 5] {
        [
            self.count(&self.author, kind).await,
            self.count(&self.poster_lead, kind).await,
            self.count(&self.city_staff, kind).await,
            self.count(&self.far_staff, kind).await,
            self.count(&self.expert, kind).await,
        ]
    }

    async fn sweep_at(&self, now: i64) -> Report {
        sweep(&self.app.state.db, thresholds(&self.app.state.config), now)
            .await
            .expect("a sweep pass")
    }

    async fn detail(&self, ch: i64) -> Value {
        let (status, d) = self
            .app
            .get_json(&format!("/api/v1/challenges/{ch}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{d}");
        d
    }
}

fn report(expired: usize, escalated: usize) -> Report {
    Report { expired, escalated }
}

#[tokio::test]
async fn an_unclaimed_challenge_is_escalated_to_the_poster_and_the_staff_above_once() {
    let w = world().await;
    let ch = w.open_challenge("2099-12-31").await;
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
    let ch = w.open_challenge("2099-12-31").await;
    let (status, claim) = w.claim(ch, &w.b, w.b_studio).await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    let start = now_ms();
    assert_eq!(w.sweep_at(start + 6 * DAY_MS).await, report(0, 0));
    assert_eq!(w.sweep_at(start + 8 * DAY_MS).await, report(0, 1));
    assert_eq!(w.counts("stale_claim").await, [1, 1, 1, 0, 0]);
    // A claim in play means the challenge is not unclaimed.
    assert_eq!(w.counts("stale_open").await, [0; 5]);
    assert_eq!(w.sweep_at(start + 9 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_claim").await, [1, 1, 1, 0, 0]);
    let (_, subject) = w
        .app
        .get_json("/api/v1/notifications", Some(&w.city_staff))
        .await;
    let subject = subject["items"][0]["subject"].as_str().unwrap().to_owned();
    assert!(subject.contains("未答复"), "{subject}");
    assert_eq!(
        w.count(&w.b, "stale_claim").await,
        0,
        "the claimant is not chased"
    );
    w.app.cleanup().await;
}

#[tokio::test]
async fn awarded_work_without_progress_is_escalated_once_per_stall() {
    let w = world().await;
    let ch = w.open_challenge("2099-12-31").await;
    let (_, claim) = w.claim(ch, &w.b, w.b_studio).await;
    let claim = id(&claim);
    let path = format!("/api/v1/challenges/{ch}/claims/{claim}/award");
    let (status, body) = w.post(&path, &w.poster_lead, json!({})).await;
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
    let (status, p) = w.post(&path, &w.b, body).await;
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
    let ch = w.open_challenge(&tomorrow).await;
    let (status, b_claim) = w.claim(ch, &w.b, w.b_studio).await;
    assert_eq!(status, StatusCode::CREATED, "{b_claim}");
    let (status, c_claim) = w.claim(ch, &w.c, w.c_studio).await;
    assert_eq!(status, StatusCode::CREATED, "{c_claim}");
    // C withdraws: a closed claim is not told again.
    let path = format!("/api/v1/challenges/{ch}/claims/{}/withdraw", id(&c_claim));
    let (status, body) = w.post(&path, &w.c, json!({})).await;
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

    assert_eq!(w.count(&w.author, "challenge_expired").await, 1);
    assert_eq!(w.count(&w.poster_lead, "challenge_expired").await, 1);
    assert_eq!(w.count(&w.b, "challenge_expired").await, 1);
    assert_eq!(w.count(&w.c, "challenge_expired").await, 0);
    // Expiry wins over escalation: nothing stale about a finished challenge.
    assert_eq!(w.sweep_at(start + 30 * DAY_MS).await, report(0, 0));
    assert_eq!(w.counts("stale_claim").await, [0; 5]);

    // A studio that never claimed cannot claim now.
    let (_, d) = w.app.register_and_login_as(&unique("lead-d"), "孙立").await;
    let d_studio = w
        .app
        .online_studio(&d, w.org, "孙立数控技能大师工作室", json!({}))
        .await;
    let (status, problem) = w.claim(ch, &d, d_studio).await;
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
    let ch = w.open_challenge("2099-12-31").await;
    // Published 15 days ago, as far as the sweep can tell.
    sqlx::query("UPDATE challenges SET published_at = published_at - $1 WHERE id = $2")
        .bind(15 * DAY_MS)
        .bind(ch)
        .execute(w.app.state.db.reader())
        .await
        .expect("backdating the challenge");
    let mut told = 0;
    for _ in 0..200 {
        told = w.count(&w.city_staff, "stale_open").await;
        if told > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(told, 1, "the background sweep escalated the challenge");
    // Later passes keep quiet about the same spell.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(w.counts("stale_open").await, [1, 1, 1, 0, 0]);
    w.app.cleanup().await;
}
