//! Messages per user per second: counted in memory on one node, in Redis across nodes. When
//! Redis does not answer in time the send is allowed: the limit protects the rooms, it must not
//! take chat down with it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// A socket's subscribe budget: a full bucket lets a client join all its rooms at once, then
/// subscribes come back at [`SUBSCRIBES_PER_SEC`]. Each subscribe asks the policy and the
/// database, so a client looping on them must not take a core.
#[derive(Debug, Clone, Copy)]
pub struct SubscribeBudget {
    tokens: f32,
    at: Option<Instant>,
}

/// Subscribes a socket may make at once (as many as the rooms it may listen to).
pub const SUBSCRIBE_BURST: f32 = 100.0;
/// Subscribes a socket gets back each second.
pub const SUBSCRIBES_PER_SEC: f32 = 10.0;

impl Default for SubscribeBudget {
    fn default() -> Self {
        SubscribeBudget {
            tokens: SUBSCRIBE_BURST,
            at: None,
        }
    }
}

impl SubscribeBudget {
    /// Takes one subscribe at `now`; `false` when the budget is spent.
    pub fn take(&mut self, now: Instant) -> bool {
        if let Some(at) = self.at {
            let earned = now.saturating_duration_since(at).as_secs_f32() * SUBSCRIBES_PER_SEC;
            self.tokens = (self.tokens + earned).min(SUBSCRIBE_BURST);
        }
        self.at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod subscribe_tests {
    use std::time::{Duration, Instant};

    use super::{SUBSCRIBE_BURST, SubscribeBudget};

    #[test]
    fn a_full_budget_joins_every_room_then_refills_at_its_rate() {
        let start = Instant::now();
        let mut b = SubscribeBudget::default();
        let allowed = (0..300).filter(|_| b.take(start)).count();
        assert_eq!(allowed, SUBSCRIBE_BURST as usize);
        assert!(!b.take(start));
        // A second later ten more.
        let later = start + Duration::from_secs(1);
        let again = (0..50).filter(|_| b.take(later)).count();
        assert_eq!(again, 10);
    }
}
