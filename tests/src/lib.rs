//! Black-box test harness: the real Lianmeng server on a random port, over HTTP.
//!
//! Each [`TestApp`] gets its own temp data dir and its own database: SQLite in the temp dir by
//! default, or, when `LIANMENG_TEST_DATABASE_URL` is set, a fresh PostgreSQL database made on
//! that server for this app alone and dropped again by [`TestApp::cleanup`] (or, if a test
//! panics first, best-effort on drop).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use lianmeng_server::app::Running;
use lianmeng_server::config::Config;
use lianmeng_server::state::AppState;
use lianmeng_server::store::outbox::{self, OutboxEntry};
use reqwest::Method;

pub mod chat_room;
pub mod crash;
mod database;
mod fixtures;
pub mod openapi;
pub mod redis_server;
mod services;
pub mod tcp_proxy;
mod wait;
mod world;
pub mod ws;

pub use database::{DATABASE_ENV, TestDatabase, postgres_url};
pub use fixtures::{OrgTree, full_profile, merge};
pub use reqwest::StatusCode;
pub use serde_json::{Value, json};
pub use services::{postgres_and_redis_for, postgres_for};
pub use wait::{BACKGROUND, eventually};
pub use world::World;

/// A password every test account uses: eight Chinese characters and four digits.
pub const PASSWORD: &str = "百炼成钢精益求精2026";

/// A running server with its own data dir and database, and an HTTP client for it.
pub struct TestApp {
    running: Option<Running>,
    pub state: AppState,
    /// No cookie store: each request carries only what the test gives it.
    pub client: reqwest::Client,
    database: Option<TestDatabase>,
    base: String,
    _dir: tempfile::TempDir,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name no other account in this process has.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The Redis to use when `LIANMENG_TEST_REDIS_URL` is set (login limits then live in Redis).
pub fn redis_url() -> Option<String> {
    std::env::var("LIANMENG_TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server whose settings `adjust` may change first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("a temp dir");
        let database = match postgres_url() {
            Some(url) => Some(TestDatabase::create(&url).await),
            None => None,
        };
        Self::spawn_in(dir, database, adjust).await
    }

    /// A fresh place for an app: a temp dir and, on PostgreSQL, a new empty database. The
    /// settings an app started there with [`spawn_in`](Self::spawn_in) would have.
    pub async fn new_place() -> (tempfile::TempDir, Option<TestDatabase>, Config) {
        let dir = tempfile::tempdir().expect("a temp dir");
        let database = match postgres_url() {
            Some(url) => Some(TestDatabase::create(&url).await),
            None => None,
        };
        let config = Config::for_tests(
            dir.path().join("data"),
            database.as_ref().map(|d| d.url.clone()),
        );
        (dir, database, config)
    }

    /// Starts a server on `dir/data` and `database` (both may hold data already, say from a
    /// restore); the app owns both from now on.
    pub async fn spawn_in(
        dir: tempfile::TempDir,
        database: Option<TestDatabase>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let mut config = Config::for_tests(
            dir.path().join("data"),
            database.as_ref().map(|d| d.url.clone()),
        );
        if let Some(url) = redis_url() {
            // Shared Redis: a key prefix of its own keeps parallel tests apart.
            config.redis_url = Some(url);
            config.redis_prefix = format!("lmtest-{}", uuid::Uuid::new_v4().simple());
        }
        adjust(&mut config);
        let state = AppState::connect(config)
            .await
            .expect("connecting and migrating the test database");
        let running = Running::start(state.clone(), "127.0.0.1:0")
            .await
            .expect("binding the test server");
        let base = running.url("");
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        TestApp {
            running: Some(running),
            state,
            client,
            database,
            base,
            _dir: dir,
        }
    }

    /// A second node of the same deployment: the same database and Redis (and key prefix), its
    /// own data dir. The first app owns the database; drop the peer first.
    pub async fn spawn_peer(&self) -> TestApp {
        self.spawn_peer_with(|_| {}).await
    }

    /// A second node whose settings `adjust` may change first (its own way to Redis, say).
    pub async fn spawn_peer_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut config = (*self.state.config).clone();
        config.data_dir = dir.path().join("data");
        adjust(&mut config);
        let state = AppState::connect(config)
            .await
            .expect("connecting the second node");
        let running = Running::start(state.clone(), "127.0.0.1:0")
            .await
            .expect("binding the second node");
        let base = running.url("");
        TestApp {
            running: Some(running),
            state,
            client: self.client.clone(),
            database: None,
            base,
            _dir: dir,
        }
    }

    /// Stops the server and drops its PostgreSQL database. Call at the end of every test.
    pub async fn cleanup(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("the server stops cleanly");
        }
        if let Some(db) = self.database.as_mut() {
            db.drop_now().await;
        }
    }

    /// The server's socket address.
    pub fn state_addr(&self) -> std::net::SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("the base is ip:port")
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Stops the server (its chat sockets close with 1012) but keeps the database for others.
    pub async fn stop_server(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.expect("the server stops cleanly");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Whether this app runs on PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database.is_some()
    }

    /// A client that keeps cookies and follows redirects, like a browser.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client")
    }

    /// A browser without script signed in with `token`'s session (the token a login answers is
    /// the session cookie's value).
    pub fn browser_of(&self, token: &str) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        let cookie = format!("lm_session={token}");
        headers.insert(reqwest::header::COOKIE, cookie.parse().expect("a cookie"));
        reqwest::Client::builder()
            .default_headers(headers)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client")
    }

    /// Sends `body` (if any) as JSON with an optional bearer token; the answer as JSON
    /// (`Value::Null` when the body is empty or not JSON).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("the request is answered");
        let status = res.status();
        let text = res.text().await.expect("a readable body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        self.send(Method::POST, path, token, Some(&body)).await
    }

    /// A POST with no body.
    pub async fn post_empty(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.send(Method::POST, path, token, None).await
    }

    pub async fn patch_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, token, Some(&body)).await
    }

    pub async fn put_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> (StatusCode, Value) {
        self.send(Method::PUT, path, token, Some(&body)).await
    }

    /// A setup step: sends the request and returns the answer's body, or panics naming `step`,
    /// the status and the body when the status is not `expected`, so a broken step fails where
    /// it breaks and not at a later assertion.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        let (status, answer) = self.send(method.clone(), path, token, body).await;
        assert_eq!(
            status, expected,
            "setup step \"{step}\" ({method} {path}) answered {status}: {answer}"
        );
        answer
    }

    /// A GET setup step (see [`TestApp::expect`]).
    pub async fn expect_get(
        &self,
        path: &str,
        token: Option<&str>,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        self.expect(Method::GET, path, token, None, expected, step)
            .await
    }

    /// A POST setup step with a JSON body (see [`TestApp::expect`]).
    pub async fn expect_post(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        self.expect(Method::POST, path, token, Some(&body), expected, step)
            .await
    }

    /// A POST setup step with no body (see [`TestApp::expect`]).
    pub async fn expect_post_empty(
        &self,
        path: &str,
        token: Option<&str>,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        self.expect(Method::POST, path, token, None, expected, step)
            .await
    }

    /// Searches (`/api/v1/search?{query}`) as `token` until the answer satisfies `want`: the
    /// indexer follows the outbox in the background.
    pub async fn search_until(
        &self,
        token: Option<&str>,
        query: &str,
        want: impl Fn(&Value) -> bool,
    ) -> Value {
        let path = format!("/api/v1/search?{query}");
        let (path, want) = (path.as_str(), &want);
        eventually(
            &format!("search {query} as wanted"),
            BACKGROUND,
            || async move {
                let (status, body) = self.get_json(path, token).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                want(&body).then_some(body)
            },
        )
        .await
    }

    /// A PATCH setup step with a JSON body (see [`TestApp::expect`]).
    pub async fn expect_patch(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        self.expect(Method::PATCH, path, token, Some(&body), expected, step)
            .await
    }

    /// A PUT setup step with a JSON body (see [`TestApp::expect`]).
    pub async fn expect_put(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
        expected: StatusCode,
        step: &str,
    ) -> Value {
        self.expect(Method::PUT, path, token, Some(&body), expected, step)
            .await
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxEntry> {
        let mut all = Vec::new();
        loop {
            let after = all.last().map_or(0, |e: &OutboxEntry| e.id);
            let page = outbox::after(self.state.db.reader(), after, 100)
                .await
                .expect("reading the outbox");
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Dropping `Running` drops its stop sender, which shuts the server down; the database
        // (if any) is dropped by `TestDatabase`'s own Drop.
        self.running.take();
    }
}

/// The `id` of an answer.
pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// The field names of a 422 problem, in order.
pub fn field_names(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts a 422 that names `field`.
#[track_caller]
pub fn assert_invalid(status: StatusCode, problem: &Value, field: &str) {
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "expected 422 naming {field}: {problem}"
    );
    assert!(
        field_names(problem).iter().any(|f| f == field),
        "expected the 422 to name {field}: {problem}"
    );
}
