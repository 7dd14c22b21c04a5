//! The fan-out bus between nodes. The embedded default has one node, so its bus does nothing
//! (the hub delivers locally). With Redis each node subscribes once per room it serves to the
//! room's channel and publishes each committed message there once. Redis pub/sub is at most
//! once: whatever it loses, the sockets fill from the database (gap detection, resync after a
//! reconnect, a resync marker from a node whose publish failed, and the client's resume by id).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};

use super::hub::Hub;

/// How frames reach the other nodes serving a room.
pub trait Bus: Send + Sync + 'static {
    /// Hands a frame for `room` to the other nodes (`id` > 0 for a message). Never waits.
    fn publish(&self, room: &str, id: i64, frame: &Utf8Bytes);
    /// This node serves `room` from now on (its first local listener arrived).
    fn join(&self, room: &str);
    /// This node no longer serves `room`.
    fn leave(&self, room: &str);
}

/// One node: nothing to hand on.
#[derive(Debug, Default)]
pub struct LocalBus;

impl Bus for LocalBus {
    fn publish(&self, _room: &str, _id: i64, _frame: &Utf8Bytes) {}
    fn join(&self, _room: &str) {}
    fn leave(&self, _room: &str) {}
}

/// How long a Redis call may take before the connection counts as broken.
const REDIS_TIMEOUT: Duration = Duration::from_secs(2);
/// Publishes waiting for Redis beyond this are dropped (the database still has them).
const PUBLISH_QUEUE: usize = 65_536;
/// How often a node whose publishes failed tries to tell the other nodes to resync.
const RESYNC_RETRY: Duration = Duration::from_millis(500);
/// The id of a resync marker: "frames of this room may have been lost, read the database".
pub const RESYNC: i64 = -1;

/// Channels whose new messages may not have reached the other nodes (a publish failed or the
/// queue was full). Once Redis answers again, each gets one resync marker, so that a socket
/// on another node does not wait for the room's next message to notice what it missed. (A
/// lost edit or typing frame is not recovered this way; the history has the edit.)
type Unsent = Arc<Mutex<HashSet<String>>>;

/// A frame waiting for Redis.
struct Pending {
    channel: String,
    payload: String,
    /// A new message, which a resync marker recovers.
    message: bool,
}

enum Membership {
    Join(String),
    Leave(String),
}

/// Redis pub/sub: one subscriber connection per node, one publishing connection.
pub struct RedisBus {
    prefix: String,
    node: String,
    membership: mpsc::UnboundedSender<Membership>,
    publish: mpsc::Sender<Pending>,
    unsent: Unsent,
}

impl RedisBus {
    /// Starts the subscriber and publisher tasks; they deliver into `hub` until `stop`.
    pub fn start(
        client: redis::Client,
        publisher: redis::aio::ConnectionManager,
        prefix: &str,
        node: &str,
        hub: Weak<Hub>,
        stop: watch::Receiver<bool>,
    ) -> RedisBus {
        let (membership, membership_rx) = mpsc::unbounded_channel();
        let (publish, publish_rx) = mpsc::channel(PUBLISH_QUEUE);
        let channel_prefix = format!("{prefix}:chat:");
        tokio::spawn(subscriber(
            client,
            channel_prefix,
            node.to_owned(),
            hub,
            membership_rx,
            stop.clone(),
        ));
        let unsent = Unsent::default();
        tokio::spawn(publisher_task(
            publisher,
            node.to_owned(),
            publish_rx,
            unsent.clone(),
            stop,
        ));
        RedisBus {
            prefix: prefix.to_owned(),
            node: node.to_owned(),
            membership,
            publish,
            unsent,
        }
    }

    fn channel(&self, room: &str) -> String {
        format!("{}:chat:{room}", self.prefix)
    }
}

impl Bus for RedisBus {
    fn publish(&self, room: &str, id: i64, frame: &Utf8Bytes) {
        let pending = Pending {
            channel: self.channel(room),
            payload: format!("{}\n{id}\n{}", self.node, frame.as_str()),
            message: id > 0,
        };
        if let Err(full) = self.publish.try_send(pending) {
            tracing::warn!(
                room,
                "chat bus: publish queue full; other nodes resync from the database"
            );
            let pending = full.into_inner();
            if pending.message {
                self.unsent
                    .lock()
                    .expect("unsent lock")
                    .insert(pending.channel);
            }
        }
    }

    fn join(&self, room: &str) {
        let _ = self.membership.send(Membership::Join(room.to_owned()));
    }

    fn leave(&self, room: &str) {
        let _ = self.membership.send(Membership::Leave(room.to_owned()));
    }
}

async fn publisher_task(
    mut conn: redis::aio::ConnectionManager,
    node: String,
    mut rx: mpsc::Receiver<Pending>,
    unsent: Unsent,
    mut stop: watch::Receiver<bool>,
) {
    let marker = format!("{node}\n{RESYNC}\n");
    let mut retry = tokio::time::interval(RESYNC_RETRY);
    retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let next = tokio::select! {
            next = rx.recv() => match next {
                Some(pending) => Some(pending),
                None => return,
            },
            _ = retry.tick() => None,
            _ = stop.changed() => return,
        };
        if let Some(p) = next
            && !publish(&mut conn, &p.channel, &p.payload).await
        {
            tracing::warn!(channel = %p.channel, "chat bus: a publish failed; other nodes will be told to resync");
            // What waits behind it would wait for Redis in turn, and is all in the database:
            // one marker per room replaces it.
            let mut unsent = unsent.lock().expect("unsent lock");
            let mut failed = Some(p);
            while let Some(p) = failed.take().or_else(|| rx.try_recv().ok()) {
                if p.message {
                    unsent.insert(p.channel);
                }
            }
            continue;
        }
        // Redis answers (or it is time to ask again): tell the other nodes what they missed.
        let missed: Vec<String> = std::mem::take(&mut *unsent.lock().expect("unsent lock"))
            .into_iter()
            .collect();
        for (i, channel) in missed.iter().enumerate() {
            if !publish(&mut conn, channel, &marker).await {
                let mut unsent = unsent.lock().expect("unsent lock");
                unsent.extend(missed[i..].iter().cloned());
                break;
            }
        }
    }
}

/// One PUBLISH; whether Redis took it in time.
async fn publish(conn: &mut redis::aio::ConnectionManager, channel: &str, payload: &str) -> bool {
    let sent = tokio::time::timeout(
        REDIS_TIMEOUT,
        redis::cmd("PUBLISH")
            .arg(channel)
            .arg(payload)
            .query_async::<i64>(conn),
    )
    .await;
    matches!(sent, Ok(Ok(_)))
}

/// Splits `node\nid\nframe`.
fn parse_payload(payload: &str) -> Option<(&str, i64, &str)> {
    let (node, rest) = payload.split_once('\n')?;
    let (id, frame) = rest.split_once('\n')?;
    Some((node, id.parse().ok()?, frame))
}

async fn subscriber(
    client: redis::Client,
    channel_prefix: String,
    node: String,
    hub: Weak<Hub>,
    mut membership: mpsc::UnboundedReceiver<Membership>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            return;
        }
        let connected = tokio::time::timeout(REDIS_TIMEOUT, client.get_async_pubsub()).await;
        let Ok(Ok(pubsub)) = connected else {
            tracing::warn!("chat bus: cannot reach Redis; retrying");
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(500)) => continue,
                _ = stop.changed() => return,
            }
        };
        let (mut sink, mut stream) = pubsub.split();
        let Some(h) = hub.upgrade() else { return };
        let rooms = h.served_rooms();
        drop(h);
        let channels: Vec<String> = rooms
            .iter()
            .map(|r| format!("{channel_prefix}{r}"))
            .collect();
        if !channels.is_empty()
            && !matches!(
                tokio::time::timeout(REDIS_TIMEOUT, sink.subscribe(&channels)).await,
                Ok(Ok(()))
            )
        {
            continue;
        }
        // Whatever was published while this node was not subscribed is in the database.
        if let Some(h) = hub.upgrade() {
            h.resync_all();
        }
        loop {
            tokio::select! {
                _ = stop.changed() => return,
                change = membership.recv() => {
                    let Some(change) = change else { return };
                    let ok = match &change {
                        Membership::Join(room) => {
                            let ch = format!("{channel_prefix}{room}");
                            let ok = matches!(
                                tokio::time::timeout(REDIS_TIMEOUT, sink.subscribe(&ch)).await,
                                Ok(Ok(()))
                            );
                            // A message published before the subscription took effect.
                            if ok && let Some(h) = hub.upgrade() {
                                h.deliver(room, super::hub::Out::Resync(h.room_key(room)));
                            }
                            ok
                        }
                        Membership::Leave(room) => {
                            let ch = format!("{channel_prefix}{room}");
                            matches!(
                                tokio::time::timeout(REDIS_TIMEOUT, sink.unsubscribe(&ch)).await,
                                Ok(Ok(()))
                            )
                        }
                    };
                    if !ok {
                        tracing::warn!("chat bus: Redis stopped answering; reconnecting");
                        break;
                    }
                }
                msg = stream.next() => {
                    let Some(msg) = msg else {
                        tracing::warn!("chat bus: the Redis subscription ended; reconnecting");
                        break;
                    };
                    let Some(h) = hub.upgrade() else { return };
                    let channel = msg.get_channel_name();
                    let Some(room) = channel.strip_prefix(&channel_prefix) else { continue };
                    let Ok(payload) = msg.get_payload::<String>() else { continue };
                    if let Some((from, id, frame)) = parse_payload(&payload)
                        && from != node
                    {
                        h.deliver_remote(room, id, Utf8Bytes::from(frame.to_owned()));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn payloads_carry_node_id_and_frame() {
        assert_eq!(
            super::parse_payload("n1\n7\n{\"a\":\"x\\ny\"}"),
            Some(("n1", 7, "{\"a\":\"x\\ny\"}"))
        );
        assert_eq!(
            super::parse_payload("n1\n-1\n"),
            Some(("n1", super::RESYNC, ""))
        );
        assert_eq!(super::parse_payload("garbage"), None);
    }
}
