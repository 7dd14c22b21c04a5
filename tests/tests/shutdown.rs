//! A graceful shutdown answers every request it accepted: for its grace period the server keeps
//! answering, each answer closing its connection, and `/readyz` turns 503; keep-alive
//! connections that were idle when the signal came are not cut under a request.

use std::time::Duration;

use lianmeng_server::app::Running;
use lianmeng_server::state::AppState;
use lianmeng_tests::ws::{Ended, WsClient};
use lianmeng_tests::{TestApp, unique};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `GET path` on `stream` and reads one whole answer; `None` when the server closed the
/// connection without answering.
async fn exchange(stream: &mut TcpStream, path: &str) -> Option<String> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Some(head);
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn requests_on_idle_keep_alive_connections_are_answered_during_shutdown() {
    let (_dir, _database, mut config) = TestApp::new_place().await;
    config.shutdown_grace = Duration::from_millis(600);
    let state = AppState::connect(config).await.expect("connect");
    let running = Running::start(state, "127.0.0.1:0").await.expect("bind");
    let addr = running.addr;

    // Twenty keep-alive connections, each answered once and now idle.
    let mut idle = Vec::new();
    for _ in 0..20 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = exchange(&mut stream, "/healthz").await.expect("answered");
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(!head.contains("connection: close"), "kept alive: {head}");
        idle.push(stream);
    }

    let stopping = tokio::spawn(running.stop());
    tokio::time::sleep(Duration::from_millis(30)).await;

    // The signal has come: a request on each idle connection is still answered, and the answer
    // closes the connection.
    for (n, stream) in idle.iter_mut().enumerate() {
        let head = exchange(stream, "/healthz")
            .await
            .unwrap_or_else(|| panic!("connection {n} was cut without an answer"));
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("connection: close"), "{head}");
    }
    // A load balancer asking now is told to go elsewhere.
    let mut fresh = TcpStream::connect(addr).await.expect("still accepting");
    let head = exchange(&mut fresh, "/readyz").await.expect("answered");
    assert!(head.starts_with("http/1.1 503"), "{head}");

    stopping
        .await
        .unwrap()
        .expect("stops cleanly after the grace");
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn a_websocket_opened_while_draining_is_upgraded_then_told_to_resume_elsewhere() {
    let mut app = TestApp::spawn_with(|c| c.shutdown_grace = Duration::from_millis(600)).await;
    let (_, token) = app.register_and_login(&unique("drain")).await;
    let base = app.base().to_owned();
    let opened = async {
        // Once the server is draining (it says so on /readyz), the handshake still succeeds
        // (its 101 keeps `Connection: upgrade`), and when the grace ends the socket is closed
        // with 1012 (restart).
        let client = reqwest::Client::new();
        for _ in 0..100 {
            let ready = client.get(format!("{base}/readyz")).send().await;
            if ready.is_ok_and(|r| r.status() == 503) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let mut ws = WsClient::connect(&base, &token).await;
        ws.until_end().await.1
    };
    let ((), ended) = tokio::join!(app.stop_server(), opened);
    assert_eq!(ended, Ended::Code(1012));
    app.cleanup().await;
}
