//! The load side of the chat benchmark: many tokio-tungstenite sockets (spread over source
//! addresses in 127.0.0.0/8 so ports never run out), readers that count deliveries and record
//! publish-to-delivery latency, and publishers for both servers.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

pub type Ws = WebSocketStream<TcpStream>;

/// Which server a client talks to.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    /// `Some(token)` for Lianmeng, `None` for the bare loop.
    pub token: Option<String>,
}

impl Target {
    pub fn ours(&self) -> bool {
        self.token.is_some()
    }
}

/// Sockets per source address before moving to the next one: a port bound before connecting
/// stays taken per address (closed sockets linger in TIME_WAIT), so every socket of the run
/// gets a new slot.
const PER_SOURCE: usize = 20_000;
static OPENED: AtomicUsize = AtomicUsize::new(0);

/// Opens a socket from the next source address slot.
pub async fn connect(target: &Target) -> anyhow::Result<Ws> {
    let i = OPENED.fetch_add(1, Ordering::Relaxed);
    // Each run starts at a slot of its own: an earlier run's sockets may still hold ports.
    let slot = i / PER_SOURCE + (std::process::id() as usize % 1000) * 8;
    let source = Ipv4Addr::new(127, 1 + (slot / 250 % 250) as u8, 1 + (slot % 250) as u8, 1);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(source), 0))?;
    let stream = socket.connect(target.addr).await?;
    let mut req = format!("ws://{}/api/v1/ws", target.addr).into_client_request()?;
    if let Some(token) = &target.token {
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse()?);
    }
    let mut config = WebSocketConfig::default();
    config.read_buffer_size = 4096;
    let (ws, _) = tokio_tungstenite::client_async_with_config(req, stream, Some(config)).await?;
    Ok(ws)
}

/// Joins `room`: Lianmeng's subscribe (waiting for the presence frame that confirms it), or
/// the bare loop's first frame.
pub async fn join(target: &Target, ws: &mut Ws, room: &str) -> anyhow::Result<()> {
    if !target.ours() {
        ws.send(Message::text(room.to_owned())).await?;
        return Ok(());
    }
    let frame = serde_json::json!({"type": "subscribe", "room": room}).to_string();
    ws.send(Message::text(frame)).await?;
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await? {
            Some(Ok(Message::Text(t))) if t.as_str().contains("\"presence\"") => return Ok(()),
            Some(Ok(Message::Text(t))) if t.as_str().contains("\"error\"") => {
                anyhow::bail!("subscribe refused: {t}")
            }
            Some(Ok(_)) => continue,
            _ => anyhow::bail!("socket closed while subscribing"),
        }
    }
}

/// Opens `n` sockets (200 handshakes at a time) and joins socket `i` to `room_of(i)`.
pub async fn open_many(
    target: &Target,
    n: usize,
    room_of: impl Fn(usize) -> String,
) -> anyhow::Result<Vec<Ws>> {
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let batch: Vec<_> = (i..(i + 200).min(n))
            .map(|k| {
                let target = target.clone();
                let room = room_of(k);
                tokio::spawn(async move {
                    let mut ws = connect(&target).await?;
                    if !room.is_empty() {
                        join(&target, &mut ws, &room).await?;
                    }
                    anyhow::Ok(ws)
                })
            })
            .collect();
        for t in batch {
            out.push(t.await??);
        }
        i += 200;
    }
    Ok(out)
}

/// The body of a warm-up message: delivered before the clock starts, and not counted.
pub const WARM_UP: &str = "预热";

/// What the readers saw.
pub struct Stats {
    pub base: Instant,
    pub delivered: AtomicU64,
    /// Warm-up messages delivered.
    pub warmed: AtomicU64,
    /// Per message index: the latest delivery's latency in µs (publish to last subscriber).
    pub last_latency: Vec<AtomicU64>,
    /// Sockets that ended during the run, by the server's close code (0: no close frame).
    /// The bench does not resume them, so what they missed counts as lost.
    pub ended: std::sync::Mutex<std::collections::BTreeMap<u16, u64>>,
}

impl Stats {
    pub fn new(messages: usize) -> Arc<Stats> {
        Arc::new(Stats {
            base: Instant::now(),
            delivered: AtomicU64::new(0),
            warmed: AtomicU64::new(0),
            last_latency: (0..messages).map(|_| AtomicU64::new(0)).collect(),
            ended: Default::default(),
        })
    }

    /// The body of message `i`, stamped with now.
    pub fn marker(&self, i: usize) -> String {
        format!("#{i}@{}#", self.base.elapsed().as_micros())
    }

    fn record(&self, text: &str) {
        let Some(start) = text.find('#') else {
            if text.contains(WARM_UP) {
                self.warmed.fetch_add(1, Ordering::Relaxed);
            }
            return;
        };
        let rest = &text[start + 1..];
        let Some((i, rest)) = rest.split_once('@') else {
            return;
        };
        let Some((t0, _)) = rest.split_once('#') else {
            return;
        };
        let (Ok(i), Ok(t0)) = (i.parse::<usize>(), t0.parse::<u64>()) else {
            return;
        };
        let now = self.base.elapsed().as_micros() as u64;
        if let Some(slot) = self.last_latency.get(i) {
            slot.fetch_max(now.saturating_sub(t0), Ordering::Relaxed);
            self.delivered.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Reads every socket until it closes, counting marked messages into `stats`.
pub fn spawn_readers(sockets: Vec<Ws>, stats: &Arc<Stats>) -> Vec<tokio::task::JoinHandle<()>> {
    sockets
        .into_iter()
        .map(|ws| {
            let stats = stats.clone();
            tokio::spawn(async move {
                let mut ws = ws;
                let code = loop {
                    match ws.next().await {
                        Some(Ok(Message::Text(t))) => stats.record(t.as_str()),
                        Some(Ok(Message::Close(frame))) => {
                            break frame.map_or(0, |f| u16::from(f.code));
                        }
                        Some(Ok(_)) => {}
                        _ => break 0,
                    }
                };
                *stats
                    .ended
                    .lock()
                    .expect("stats lock")
                    .entry(code)
                    .or_default() += 1;
            })
        })
        .collect()
}

/// Client ids must never repeat within a room, across runs of one process.
static SENT: AtomicU64 = AtomicU64::new(0);

/// Sends messages into rooms; for Lianmeng its acks are drained alongside.
pub struct Publisher {
    sink: SplitSink<Ws, Message>,
    ours: bool,
    drain: tokio::task::JoinHandle<()>,
}

impl Publisher {
    pub async fn open(target: &Target) -> anyhow::Result<Publisher> {
        let mut ws = connect(target).await?;
        if !target.ours() {
            join(target, &mut ws, "publisher").await?;
        }
        let (sink, stream) = ws.split();
        Ok(Publisher {
            sink,
            ours: target.ours(),
            drain: tokio::spawn(drain(stream)),
        })
    }

    pub async fn publish(&mut self, room: &str, body: &str, n: usize) -> anyhow::Result<()> {
        let frame = if self.ours {
            let id = SENT.fetch_add(1, Ordering::Relaxed);
            serde_json::json!({"type": "send", "room": room, "body": body, "client_id": format!("b{n}-{id}")})
                .to_string()
        } else {
            format!("{room}\n{body}")
        };
        self.sink.send(Message::text(frame)).await?;
        Ok(())
    }
}

impl Drop for Publisher {
    fn drop(&mut self) {
        self.drain.abort();
    }
}

async fn drain(mut stream: SplitStream<Ws>) {
    while let Some(Ok(_)) = stream.next().await {}
}
