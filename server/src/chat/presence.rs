//! Who is online in a room. This node counts its own sockets; in cluster mode each node also
//! keeps its users in a Redis sorted set per room, scored by an expiry that the node refreshes,
//! so the users of a node that died drop out on their own.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use redis::AsyncCommands;
use redis::aio::ConnectionManager;

/// How long a node's presence entry lives without a refresh.
const TTL: Duration = Duration::from_secs(60);
/// How long a Redis call may take before presence falls back to this node's view.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// Presence of one node, optionally shared through Redis.
pub struct Presence {
    local: Mutex<Local>,
    shared: Option<Shared>,
}

#[derive(Default)]
struct Local {
    /// room → user → local sockets.
    rooms: HashMap<String, HashMap<i64, u32>>,
    dirty: HashSet<String>,
    /// (room, user) that left this node since the last flush (cluster mode only).
    gone: Vec<(String, i64)>,
}

struct Shared {
    conn: ConnectionManager,
    prefix: String,
    node: String,
}

impl Presence {
    /// This node's sockets only.
    pub fn in_memory() -> Presence {
        Presence {
            local: Mutex::new(Local::default()),
            shared: None,
        }
    }

    /// Shared with the other nodes through Redis.
    pub fn redis(conn: ConnectionManager, prefix: &str, node: &str) -> Presence {
        Presence {
            local: Mutex::new(Local::default()),
            shared: Some(Shared {
                conn,
                prefix: prefix.to_owned(),
                node: node.to_owned(),
            }),
        }
    }

    pub fn joined(&self, room: &str, user: i64) {
        let mut l = self.local.lock().expect("presence lock");
        let n = l
            .rooms
            .entry(room.to_owned())
            .or_default()
            .entry(user)
            .or_insert(0);
        *n += 1;
        if *n == 1 {
            l.dirty.insert(room.to_owned());
        }
    }

    pub fn left(&self, room: &str, user: i64) {
        let shared = self.shared.is_some();
        let mut l = self.local.lock().expect("presence lock");
        let Some(users) = l.rooms.get_mut(room) else {
            return;
        };
        users.remove(&user);
        if users.is_empty() {
            l.rooms.remove(room);
        }
        l.dirty.insert(room.to_owned());
        if shared {
            l.gone.push((room.to_owned(), user));
        }
    }

    fn local_users(&self, room: &str) -> Vec<i64> {
        let l = self.local.lock().expect("presence lock");
        l.rooms
            .get(room)
            .map(|u| u.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The rooms whose presence changed since the last call.
    pub fn take_dirty(&self) -> Vec<String> {
        let mut l = self.local.lock().expect("presence lock");
        l.dirty.drain().collect()
    }

    /// Everyone online in the room, sorted.
    pub async fn online(&self, room: &str) -> Vec<i64> {
        let mut users = self.local_users(room);
        if let Some(shared) = &self.shared {
            self.write_room(shared, room).await;
            let key = shared.key(room);
            let now = crate::store::now_ms();
            let mut conn = shared.conn.clone();
            let read = tokio::time::timeout(
                REDIS_TIMEOUT,
                conn.zrangebyscore::<_, _, _, Vec<String>>(&key, now, "+inf"),
            )
            .await;
            if let Ok(Ok(members)) = read {
                users.extend(
                    members
                        .iter()
                        .filter_map(|m| m.split_once('@').and_then(|(u, _)| u.parse::<i64>().ok())),
                );
            }
        }
        users.sort_unstable();
        users.dedup();
        users
    }

    /// Writes this node's users of `room` (and removes those who left).
    async fn write_room(&self, shared: &Shared, room: &str) {
        let users = self.local_users(room);
        let gone: Vec<i64> = {
            let mut l = self.local.lock().expect("presence lock");
            let (mine, rest): (Vec<_>, Vec<_>) = l.gone.drain(..).partition(|(r, _)| r == room);
            l.gone = rest;
            mine.into_iter().map(|(_, u)| u).collect()
        };
        let key = shared.key(room);
        let expiry = crate::store::now_ms() + TTL.as_millis() as i64;
        let mut pipe = redis::pipe();
        for u in gone.iter().filter(|u| !users.contains(u)) {
            pipe.zrem(&key, shared.member(*u)).ignore();
        }
        for u in &users {
            pipe.zadd(&key, shared.member(*u), expiry).ignore();
        }
        pipe.zrembyscore(&key, 0, crate::store::now_ms()).ignore();
        pipe.expire(&key, TTL.as_secs() as i64 * 2).ignore();
        let mut conn = shared.conn.clone();
        let done = tokio::time::timeout(REDIS_TIMEOUT, pipe.query_async::<()>(&mut conn)).await;
        if !matches!(done, Ok(Ok(()))) {
            tracing::warn!(room, "presence: Redis did not answer in time");
        }
    }

    /// Renews this node's entries in every room it serves (cluster mode).
    pub async fn refresh(&self) {
        let Some(shared) = &self.shared else {
            return;
        };
        let rooms: Vec<String> = {
            let l = self.local.lock().expect("presence lock");
            l.rooms.keys().cloned().collect()
        };
        for room in rooms {
            self.write_room(shared, &room).await;
        }
    }
}

impl Shared {
    fn key(&self, room: &str) -> String {
        format!("{}:chat:online:{room}", self.prefix)
    }

    fn member(&self, user: i64) -> String {
        format!("{user}@{}", self.node)
    }
}
