//! The fan-out bus between nodes. The embedded default has one node, so its bus does nothing
//! (the hub delivers locally). With Redis each node subscribes once per room it serves to the
//! room's channel and publishes each committed message there once. Redis pub/sub is at most
//! once: whatever it loses, the sockets fill from the database (gap detection, resync after a
//! reconnect, and the client's resume by id).

use std::sync::Weak;
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

enum Membership {
    Join(String),
    Leave(String),
}

/// Redis pub/sub: one subscriber connection per node, one publishing connection.
pub struct RedisBus {
    prefix: String,
    node: String,
    membership: mpsc::UnboundedSender<Membership>,
    publish: mpsc::Sender<(String, String)>,
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
        tokio::spawn(publisher_task(publisher, publish_rx, stop));
        RedisBus {
            prefix: prefix.to_owned(),
            node: node.to_owned(),
            membership,
            publish,
        }
    }

    fn channel(&self, room: &str) -> String {
        format!("{}:chat:{room}", self.prefix)
    }
}

impl Bus for RedisBus {
    fn publish(&self, room: &str, id: i64, frame: &Utf8Bytes) {
        let payload = format!("{}\n{id}\n{}", self.node, frame.as_str());
        if self
            .publish
            .try_send((self.channel(room), payload))
            .is_err()
        {
            tracing::warn!(
                room,
                "chat bus: publish queue full; other nodes resync from the database"
            );
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
    mut rx: mpsc::Receiver<(String, String)>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (channel, payload) = tokio::select! {
            next = rx.recv() => match next {
                Some(item) => item,
                None => return,
            },
            _ = stop.changed() => return,
        };
        let sent = tokio::time::timeout(
            REDIS_TIMEOUT,
            redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(&payload)
                .query_async::<i64>(&mut conn),
        )
        .await;
        if !matches!(sent, Ok(Ok(_))) {
            tracing::warn!(%channel, "chat bus: a publish failed; subscribers resync from the database");
        }
    }
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
        assert_eq!(super::parse_payload("garbage"), None);
    }
}
