//! Live chat: the WebSocket protocol, the room hub of this node and the fan-out bus (in-process
//! or Redis). Messages are committed first (see `service::chat`), then fanned out.

pub mod acks;
pub mod bus;
pub mod frames;
pub mod hub;
pub mod order;
pub mod presence;
pub mod rate;
pub mod socket;
pub mod wire;
pub mod writer;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::config::Config;
pub use hub::Hub;
pub use writer::Writer;

/// How often presence changes are broadcast (coalesced: a room of thousands joining at once
/// gets one frame per interval, not one per join).
const PRESENCE_EVERY: Duration = Duration::from_secs(1);
/// How often this node renews its presence entries in Redis.
const PRESENCE_REFRESH_EVERY: Duration = Duration::from_secs(20);

/// This node's hub: in-process fan-out, or Redis pub/sub when `redis_url` is set.
pub async fn connect(config: &Config) -> anyhow::Result<Arc<Hub>> {
    let node = uuid::Uuid::new_v4().simple().to_string();
    let (closing, stop) = watch::channel(false);
    let Some(url) = &config.redis_url else {
        return Ok(Arc::new(Hub::new(
            node,
            config.chat,
            Box::new(bus::LocalBus),
            presence::Presence::in_memory(),
            rate::SendRate::in_memory(),
            closing,
        )));
    };
    let client = redis::Client::open(url.as_str())?;
    let conn_config = redis::aio::ConnectionManagerConfig::new()
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_connection_timeout(Some(Duration::from_secs(2)));
    let conn = redis::aio::ConnectionManager::new_with_config(client.clone(), conn_config).await?;
    let prefix = config.redis_prefix.clone();
    let limits = config.chat;
    let hub = Arc::new_cyclic(|weak| {
        let bus = bus::RedisBus::start(client, conn.clone(), &prefix, &node, weak.clone(), stop);
        Hub::new(
            node.clone(),
            limits,
            Box::new(bus),
            presence::Presence::redis(conn.clone(), &prefix, &node),
            rate::SendRate::redis(conn, &prefix),
            closing,
        )
    });
    Ok(hub)
}

/// Broadcasts presence changes, keeps this node's presence alive and releases messages held
/// for order until `stop`.
pub async fn run(hub: Arc<Hub>, mut stop: watch::Receiver<bool>) {
    let mut flush = tokio::time::interval(PRESENCE_EVERY);
    let mut refresh = tokio::time::interval(PRESENCE_REFRESH_EVERY);
    let mut release = tokio::time::interval(order::HOLD);
    flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = flush.tick() => hub.flush_presence().await,
            _ = refresh.tick() => hub.refresh_presence().await,
            _ = release.tick() => hub.release_overdue(),
            _ = stop.changed() => break,
        }
    }
    hub.close_all();
}
