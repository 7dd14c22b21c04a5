//! The `lianmeng` command line, run as a real process: admin create, demo, and serve (its
//! address line, health, the demo data set, and a clean stop on SIGTERM).
//!
//! On SQLite in a temp data dir by default; when `LIANMENG_TEST_DATABASE_URL` is set, each test
//! runs against a fresh PostgreSQL database made on that server and dropped afterwards.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

const BIN: &str = env!("CARGO_BIN_EXE_lianmeng");

/// Where a test's data lives: a temp dir, and on PostgreSQL a database of its own.
struct Data {
    dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Data {
    fn new() -> Data {
        let dir = tempfile::tempdir().expect("a temp dir");
        let pg = std::env::var("LIANMENG_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .map(|admin| {
                let name = format!("lm_test_{}", uuid::Uuid::new_v4().simple());
                block_on(async {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                        panic!("LIANMENG_TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}")
                    });
                    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                        .await
                        .expect("creating the test database");
                });
                (admin, name)
            });
        Data { dir, pg }
    }

    /// `lianmeng` with this data dir (and database), and a clean environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("LIANMENG_LOG", "warn")
            .arg("--data-dir")
            .arg(self.dir.path().join("data"));
        if let Some((admin, name)) = &self.pg {
            cmd.arg("--database-url").arg(with_database(admin, name));
        }
        cmd.args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("running lianmeng")
    }

    fn data_dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                }
            });
        }
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    match query {
        Some(q) => format!("{}/{name}?{q}", &base[..end]),
        None => format!("{}/{name}", &base[..end]),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `lianmeng serve` process and the address it printed.
struct Server {
    child: Child,
    addr: String,
    stdout: Vec<String>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(data: &Data, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = data
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting lianmeng serve");
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&text(&buf[..n]));
            }
        });
        let mut stdout = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    let addr = line.strip_prefix("listening on http://").map(str::to_owned);
                    stdout.push(line);
                    if let Some(addr) = addr {
                        return Server {
                            child,
                            addr,
                            stdout,
                            stderr,
                        };
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "no `listening on` line; stdout: {stdout:?}; stderr: {}",
                        stderr.lock().unwrap()
                    );
                }
            }
        }
    }

    /// A GET over a plain TCP connection: (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let mut conn = TcpStream::connect(&self.addr).expect("connecting to the server");
        conn.set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            conn,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).expect("reading the answer");
        let raw = text(&raw);
        let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        (
            status,
            if chunked {
                dechunk(body)
            } else {
                body.to_owned()
            },
        )
    }

    /// A JSON request over a plain TCP connection: (status, body).
    fn send(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
        request(&self.addr, method, path, token, body)
    }

    /// Sends SIGTERM and waits (at most 10 s) for the exit.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop within 10 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn admin_create_makes_an_admin_once() {
    let data = Data::new();
    let out = data.run(&[
        "admin",
        "create",
        "--username",
        "root",
        "--password",
        "longenough1",
    ]);
    assert!(
        out.status.success(),
        "stdout: {} stderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("admin root created"),
        "{}",
        text(&out.stdout)
    );
    let again = data.run(&[
        "admin",
        "create",
        "--username",
        "root",
        "--password",
        "longenough1",
    ]);
    assert!(!again.status.success(), "a taken username fails");
    let weak = data.run(&[
        "admin",
        "create",
        "--username",
        "root2",
        "--password",
        "short",
    ]);
    assert!(!weak.status.success(), "a weak password fails");
    assert!(
        text(&weak.stderr).contains("password"),
        "{}",
        text(&weak.stderr)
    );
}

#[test]
fn demo_loads_into_an_empty_database_only() {
    let data = Data::new();
    let out = data.run(&["demo"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("demo data loaded"),
        "{}",
        text(&out.stdout)
    );
    let again = data.run(&["demo"]);
    assert!(!again.status.success(), "a second demo load must fail");
    assert!(!text(&again.stdout).contains("demo data loaded"));
    let reindex = data.run(&["reindex"]);
    assert!(
        reindex.status.success(),
        "stderr: {}",
        text(&reindex.stderr)
    );
    assert!(
        text(&reindex.stdout).contains("search index rebuilt"),
        "{}",
        text(&reindex.stdout)
    );
    assert!(
        text(&reindex.stderr).contains("100%"),
        "a progress bar ends at 100%"
    );
}

#[test]
fn serve_prints_its_address_and_stops_cleanly_on_sigterm() {
    let data = Data::new();
    let server = Server::start(&data, &[]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    assert_ne!(server.addr, "127.0.0.1:0", "the real port is printed");
    let (status, body) = server.get("/healthz");
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, _) = server.get("/readyz");
    assert_eq!(status, 200);
    let sqlite_file = data.data_dir().join("data").join("lianmeng.db");
    assert_eq!(
        sqlite_file.exists(),
        data.pg.is_none(),
        "SQLite in the data dir unless PostgreSQL is given"
    );
    let stderr = server.stderr.clone();
    let status = server.terminate();
    assert!(
        status.success(),
        "exit status {status:?}; stderr: {}",
        stderr.lock().unwrap()
    );
}

#[test]
fn serve_with_demo_loads_and_serves_online_studios() {
    let data = Data::new();
    let server = Server::start(&data, &["--demo"]);
    assert!(
        server.stdout.iter().any(|l| l.contains("demo data loaded")),
        "{:?}",
        server.stdout
    );
    let (status, body) = server.get("/api/v1/studios?limit=100");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let items = page["items"].as_array().expect("items");
    assert!(
        items.len() >= 20,
        "at least 20 online studios, got {}",
        items.len()
    );
    assert!(items.iter().all(|s| s["online"] == true));
    let (status, _) = server.get("/");
    assert_eq!(status, 200);
    let status = server.terminate();
    assert!(status.success(), "{status:?}");

    // A second start finds data and leaves it alone.
    let server = Server::start(&data, &["--demo"]);
    assert!(
        server.stdout.iter().any(|l| l.contains("not loaded")),
        "{:?}",
        server.stdout
    );
    assert!(server.terminate().success());
}

/// A JSON request over a plain TCP connection: (status, body); status 0 when the server
/// could not be reached or hung up before answering.
fn request(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let Ok(mut conn) = TcpStream::connect(addr) else {
        return (0, String::new());
    };
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let sent = write!(
        conn,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut raw = Vec::new();
    if sent.is_err() || conn.read_to_end(&mut raw).is_err() {
        return (0, String::new());
    }
    let raw = text(&raw);
    let Some((head, body)) = raw.split_once("\r\n\r\n") else {
        return (0, String::new());
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    (
        status,
        if chunked {
            dechunk(body)
        } else {
            body.to_owned()
        },
    )
}

/// Open challenges titled 断电续传…, counted page by page on the board.
fn published_in_database(server: &Server) -> usize {
    let (mut count, mut cursor) = (0, String::new());
    loop {
        let (status, body) =
            server.get(&format!("/api/v1/challenges?status=open&limit=100{cursor}"));
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        count += page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|c| {
                c["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("断电续传"))
            })
            .count();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return count,
        }
    }
}

/// The value of a top-level JSON field in `body` (enough for ids and tokens).
fn field(body: &str, name: &str) -> String {
    let key = format!("\"{name}\":");
    let rest = body.split_once(&key).map(|(_, r)| r).unwrap_or("");
    rest.trim_start_matches('"')
        .split(['"', ',', '}'])
        .next()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn a_killed_server_loses_nothing_from_the_search_index() {
    let data = Data::new();
    assert!(data.run(&["demo"]).status.success());
    let server = Server::start(&data, &[]);
    let (status, login) = server.send(
        "POST",
        "/api/v1/auth/login",
        None,
        r#"{"username":"wangjianguo","password":"lianmeng2026"}"#,
    );
    assert_eq!(status, 200, "{login}");
    let token = field(&login, "token");
    // Heavy writes from two writers, and the kill lands while their requests are in flight.
    const WRITERS: usize = 2;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (addr, token) = (server.addr.clone(), token.clone());
            std::thread::spawn(move || {
                let mut acknowledged = 0;
                for n in 0.. {
                    let body = format!(
                        r#"{{"studio_id":1,"title":"断电续传测试榜单{w}-{n}","description":"重启后仍须能搜到"}}"#
                    );
                    let (status, created) =
                        request(&addr, "POST", "/api/v1/challenges", Some(&token), &body);
                    if status != 201 {
                        break;
                    }
                    let path = format!("/api/v1/challenges/{}/publish", field(&created, "id"));
                    if request(&addr, "POST", &path, Some(&token), "").0 != 200 {
                        break;
                    }
                    acknowledged += 1;
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let mut server = server;
    server.child.kill().expect("kill -9");
    server.child.wait().unwrap();
    drop(server);
    let acknowledged: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(acknowledged > 0, "the writers got nothing published");
    let server = Server::start(&data, &[]);
    let query = "/api/v1/search?q=%E6%96%AD%E7%94%B5%E7%BB%AD%E4%BC%A0&kind=challenge&limit=1"; // 断电续传
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = server.get(query);
        assert_eq!(status, 200, "{body}");
        // Every published challenge in the database is in the index: each acknowledged one, and
        // any whose publication committed before the kill cut its answer off.
        let total: usize = field(&body, "total").parse().unwrap_or(0);
        let in_database = published_in_database(&server);
        assert!(
            in_database >= acknowledged,
            "{in_database} < {acknowledged}"
        );
        if total == in_database {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "after the restart the index has {total} of {in_database} published ({acknowledged} acknowledged)"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(server.terminate().success());
}
