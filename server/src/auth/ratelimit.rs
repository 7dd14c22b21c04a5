//! Failed-login limits per account and per client address: in memory on one node, in Redis
//! when several nodes share the load.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use redis::AsyncCommands;

use crate::config::LoginLimits;

/// Counts failures in fixed windows; a key at its limit is refused until the window ends.
pub struct LoginLimiter {
    limits: LoginLimits,
    prefix: String,
    backend: Backend,
}

enum Backend {
    Memory(Mutex<HashMap<String, (u32, Instant)>>),
    Redis(redis::aio::ConnectionManager),
}

impl LoginLimiter {
    pub fn in_memory(limits: LoginLimits) -> Self {
        LoginLimiter {
            limits,
            prefix: String::new(),
            backend: Backend::Memory(Mutex::new(HashMap::new())),
        }
    }

    /// Shared counters in Redis, under `prefix`.
    pub async fn redis(limits: LoginLimits, url: &str, prefix: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url)?;
        let conn = redis::aio::ConnectionManager::new(client).await?;
        Ok(LoginLimiter {
            limits,
            prefix: prefix.to_owned(),
            backend: Backend::Redis(conn),
        })
    }

    fn keys(&self, username: &str, address: &str) -> [(String, bool); 2] {
        let p = &self.prefix;
        [
            (format!("{p}:login:acct:{}", username.to_lowercase()), true),
            (format!("{p}:login:addr:{address}"), false),
        ]
    }

    fn limit(&self, per_account: bool) -> u32 {
        if per_account {
            self.limits.per_account
        } else {
            self.limits.per_address
        }
    }

    /// `Some(seconds to wait)` if this account or address is locked out now.
    pub async fn blocked(&self, username: &str, address: &str) -> anyhow::Result<Option<u64>> {
        let mut wait = None::<u64>;
        for (key, per_account) in self.keys(username, address) {
            let limit = self.limit(per_account);
            let remaining = match &self.backend {
                Backend::Memory(map) => {
                    let map = map.lock().expect("limiter lock");
                    map.get(&key).and_then(|(n, start)| {
                        let left = self.limits.window.checked_sub(start.elapsed())?;
                        (*n >= limit).then_some(left.as_secs().max(1))
                    })
                }
                Backend::Redis(conn) => {
                    let mut conn = conn.clone();
                    let n: Option<u32> = conn.get(&key).await?;
                    if n.unwrap_or(0) >= limit {
                        let ttl: i64 = conn.ttl(&key).await?;
                        Some(ttl.max(1) as u64)
                    } else {
                        None
                    }
                }
            };
            wait = wait.max(remaining);
        }
        Ok(wait)
    }

    /// Counts one failed attempt against both keys.
    pub async fn failed(&self, username: &str, address: &str) -> anyhow::Result<()> {
        let window = self.limits.window;
        for (key, _) in self.keys(username, address) {
            match &self.backend {
                Backend::Memory(map) => {
                    let mut map = map.lock().expect("limiter lock");
                    if map.len() > 100_000 {
                        map.retain(|_, (_, start)| start.elapsed() < window);
                    }
                    let entry = map.entry(key).or_insert((0, Instant::now()));
                    if entry.1.elapsed() >= window {
                        *entry = (0, Instant::now());
                    }
                    entry.0 += 1;
                }
                Backend::Redis(conn) => {
                    let mut conn = conn.clone();
                    let n: u32 = conn.incr(&key, 1).await?;
                    if n == 1 {
                        let _: () = conn.expire(&key, window.as_secs().max(1) as i64).await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// A successful login clears the account's count (not the address's).
    pub async fn succeeded(&self, username: &str, address: &str) -> anyhow::Result<()> {
        let [(key, _), _] = self.keys(username, address);
        match &self.backend {
            Backend::Memory(map) => {
                map.lock().expect("limiter lock").remove(&key);
            }
            Backend::Redis(conn) => {
                let _: () = conn.clone().del(&key).await?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for LoginLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.backend {
            Backend::Memory(_) => "memory",
            Backend::Redis(_) => "redis",
        };
        f.debug_struct("LoginLimiter")
            .field("backend", &kind)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn an_account_is_locked_after_its_limit_and_success_clears_it() {
        let l = LoginLimiter::in_memory(LoginLimits {
            per_account: 3,
            per_address: 10,
            window: Duration::from_secs(60),
        });
        for _ in 0..3 {
            assert_eq!(l.blocked("li", "1.2.3.4").await.unwrap(), None);
            l.failed("li", "1.2.3.4").await.unwrap();
        }
        let wait = l.blocked("li", "1.2.3.4").await.unwrap().unwrap();
        assert!((1..=60).contains(&wait));
        assert_eq!(l.blocked("wang", "5.6.7.8").await.unwrap(), None);
        l.succeeded("li", "1.2.3.4").await.unwrap();
        assert_eq!(l.blocked("li", "9.9.9.9").await.unwrap(), None);
    }

    #[tokio::test]
    async fn an_address_is_locked_across_accounts() {
        let l = LoginLimiter::in_memory(LoginLimits {
            per_account: 100,
            per_address: 2,
            window: Duration::from_secs(60),
        });
        l.failed("a", "1.1.1.1").await.unwrap();
        l.failed("b", "1.1.1.1").await.unwrap();
        assert!(l.blocked("c", "1.1.1.1").await.unwrap().is_some());
    }
}
