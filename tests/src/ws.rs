//! A chat WebSocket client for the tests (tokio-tungstenite), with waits that time out instead
//! of hanging.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for one frame.
pub const WAIT: Duration = Duration::from_secs(15);

/// A connected chat client.
pub struct WsClient {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How a socket ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// A close frame with this code.
    Code(u16),
    /// The connection dropped without a close frame.
    Dropped,
}

/// The `ws://` URL of an app's `http://` base plus a path.
pub fn ws_url(http_base: &str, path: &str) -> String {
    format!("{}{path}", http_base.replacen("http://", "ws://", 1))
}

impl WsClient {
    /// Connects to `/api/v1/ws` with a bearer token.
    pub async fn connect(http_base: &str, token: &str) -> WsClient {
        Self::connect_with(
            http_base,
            "/api/v1/ws",
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await
        .expect("the socket opens")
    }

    /// Connects with extra headers; the handshake's HTTP status on refusal.
    pub async fn connect_with(
        http_base: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<WsClient, u16> {
        let mut req = ws_url(http_base, path)
            .into_client_request()
            .expect("a ws request");
        for (k, v) in headers {
            req.headers_mut().insert(
                tungstenite::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        match tokio_tungstenite::connect_async(req).await {
            Ok((ws, _)) => Ok(WsClient { ws }),
            Err(tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
            Err(e) => panic!("the handshake failed: {e}"),
        }
    }

    pub async fn send_json(&mut self, v: Value) {
        self.ws
            .send(Message::text(v.to_string()))
            .await
            .expect("sending a frame");
    }

    pub async fn subscribe(&mut self, room: &str, after: Option<i64>) {
        let mut f = json!({"type": "subscribe", "room": room});
        if let Some(a) = after {
            f["after"] = json!(a);
        }
        self.send_json(f).await;
    }

    pub async fn send_message(&mut self, room: &str, body: &str, client_id: &str) {
        self.send_json(json!({"type": "send", "room": room, "body": body, "client_id": client_id}))
            .await;
    }

    /// The next JSON frame (pings are answered by the library and skipped).
    pub async fn next_json(&mut self) -> Value {
        match self.next_frame().await {
            Ok(v) => v,
            Err(end) => panic!("the socket ended ({end:?}) while a frame was expected"),
        }
    }

    /// The next JSON frame, or how the socket ended.
    pub async fn next_frame(&mut self) -> Result<Value, Ended> {
        loop {
            let next = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a frame within the wait");
            match next {
                Some(Ok(Message::Text(t))) => {
                    return Ok(serde_json::from_str(t.as_str()).expect("a JSON frame"));
                }
                Some(Ok(Message::Close(Some(CloseFrame { code, .. })))) => {
                    return Err(Ended::Code(code.into()));
                }
                Some(Ok(Message::Close(None))) | None | Some(Err(_)) => return Err(Ended::Dropped),
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The next frame of `kind`, skipping others (presence, typing, …).
    pub async fn next_of(&mut self, kind: &str) -> Value {
        loop {
            let v = self.next_json().await;
            if v["type"] == kind {
                return v;
            }
        }
    }

    /// The next `n` message frames of `room`, skipping other frames.
    pub async fn messages(&mut self, room: &str, n: usize) -> Vec<Value> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let v = self.next_json().await;
            if v["type"] == "message" && v["room"] == room {
                out.push(v);
            }
        }
        out
    }

    /// Reads until the socket ends; the frames seen on the way and how it ended.
    pub async fn until_end(&mut self) -> (Vec<Value>, Ended) {
        let mut seen = Vec::new();
        loop {
            match self.next_frame().await {
                Ok(v) => seen.push(v),
                Err(end) => return (seen, end),
            }
        }
    }

    /// Sends a ping frame and waits for the pong: every frame before it has been handled.
    pub async fn sync(&mut self) -> Vec<Value> {
        self.send_json(json!({"type": "ping"})).await;
        let mut seen = Vec::new();
        loop {
            let v = self.next_json().await;
            if v["type"] == "pong" {
                return seen;
            }
            seen.push(v);
        }
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// The ids of message frames, in order.
pub fn ids(frames: &[Value]) -> Vec<i64> {
    frames
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["id"].as_i64().expect("a message id"))
        .collect()
}
