//! Messages per user per second: counted in memory on one node, in Redis across nodes. When
//! Redis does not answer in time the send is allowed: the limit protects the rooms, it must not
//! take chat down with it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use redis::aio::ConnectionManager;

const REDIS_TIMEOUT: Duration = Duration::from_millis(300);

/// A fixed one-second window per user.
pub enum SendRate {
    Memory(Mutex<HashMap<i64, (i64, u32)>>),
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
}

impl SendRate {
    pub fn in_memory() -> SendRate {
        SendRate::Memory(Mutex::new(HashMap::new()))
    }

    pub fn redis(conn: ConnectionManager, prefix: &str) -> SendRate {
        SendRate::Redis {
            conn,
            prefix: prefix.to_owned(),
        }
    }

    /// Counts one send; `false` when the user is over `per_sec` this second.
    pub async fn allow(&self, user_id: i64, per_sec: u32) -> bool {
        let second = crate::store::now_ms() / 1000;
        match self {
            SendRate::Memory(map) => {
                let mut map = map.lock().expect("rate lock");
                if map.len() > 100_000 {
                    map.retain(|_, (s, _)| *s == second);
                }
                let entry = map.entry(user_id).or_insert((second, 0));
                if entry.0 != second {
                    *entry = (second, 0);
                }
                entry.1 += 1;
                entry.1 <= per_sec
            }
            SendRate::Redis { conn, prefix } => {
                let key = format!("{prefix}:chat:rate:{user_id}:{second}");
                let mut conn = conn.clone();
                let mut pipe = redis::pipe();
                pipe.incr(&key, 1).expire(&key, 2).ignore();
                match tokio::time::timeout(REDIS_TIMEOUT, pipe.query_async::<(u32,)>(&mut conn))
                    .await
                {
                    Ok(Ok((n,))) => n <= per_sec,
                    _ => {
                        tracing::warn!("chat rate limit: Redis did not answer in time; allowing");
                        true
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_user_over_the_limit_is_refused_and_others_are_not() {
        let r = SendRate::in_memory();
        let mut allowed = 0;
        for _ in 0..20 {
            if r.allow(1, 5).await {
                allowed += 1;
            }
        }
        // A second boundary may fall inside the loop: at most two windows' worth.
        assert!((5..=10).contains(&allowed), "{allowed}");
        assert!(r.allow(2, 5).await);
    }
}
