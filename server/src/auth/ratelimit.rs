//! Failed-login limits that keep guessing expensive without letting anyone lock anyone out:
//! an account is refused only to the address that failed on it too often; failures across
//! addresses, or across accounts from one address (a factory behind one NAT), slow attempts
//! down instead of refusing them, and the account's owner is told. In memory on one node, in
//! Redis when several nodes share the load.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::AsyncCommands;

use crate::config::LoginLimits;

/// How long an attempt waits once its account or address is over its limit.
pub const SLOW_DOWN: Duration = Duration::from_secs(2);

/// Counts failures in fixed windows.
pub struct LoginLimiter {
    limits: LoginLimits,
    prefix: String,
    backend: Backend,
}

enum Backend {
    Memory(Mutex<HashMap<String, (u32, Instant)>>),
    Redis(redis::aio::ConnectionManager),
}

/// The counters one attempt touches.
struct Keys {
    /// This account from this address: refused at its limit.
    pair: String,
    /// This account from anywhere: slowed, and its owner told.
    account: String,
    /// Any account from this address: slowed.
    address: String,
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

    fn keys(&self, username: &str, address: &str) -> Keys {
        let p = &self.prefix;
        let account = username.to_lowercase();
        Keys {
            pair: format!("{p}:login:pair:{account}:{address}"),
            account: format!("{p}:login:acct:{account}"),
            address: format!("{p}:login:addr:{address}"),
        }
    }

    /// The count of a key in its window, and the seconds left of the window.
    async fn count(&self, key: &str) -> anyhow::Result<(u32, u64)> {
        Ok(match &self.backend {
            Backend::Memory(map) => {
                let map = map.lock().expect("limiter lock");
                map.get(key)
                    .and_then(|(n, start)| {
                        let left = self.limits.window.checked_sub(start.elapsed())?;
                        Some((*n, left.as_secs().max(1)))
                    })
                    .unwrap_or((0, 0))
            }
            Backend::Redis(conn) => {
                let mut conn = conn.clone();
                let n: Option<u32> = conn.get(key).await?;
                match n {
                    Some(n) => {
                        let ttl: i64 = conn.ttl(key).await?;
                        (n, ttl.max(1) as u64)
                    }
                    None => (0, 0),
                }
            }
        })
    }

    /// `Some(seconds to wait)` if this account is locked to this address now.
    pub async fn blocked(&self, username: &str, address: &str) -> anyhow::Result<Option<u64>> {
        let (n, left) = self.count(&self.keys(username, address).pair).await?;
        Ok((n >= self.limits.per_account).then_some(left))
    }

    /// How long this attempt waits first: [`SLOW_DOWN`] once the account (from anywhere) or
    /// the address (for any account) is over its limit, nothing otherwise.
    pub async fn delay(&self, username: &str, address: &str) -> anyhow::Result<Duration> {
        let k = self.keys(username, address);
        let (account, _) = self.count(&k.account).await?;
        let (addr, _) = self.count(&k.address).await?;
        let over = account >= self.limits.per_account || addr >= self.limits.per_address;
        Ok(if over { SLOW_DOWN } else { Duration::ZERO })
    }

    /// Counts one failed attempt; `true` when the account has just reached its limit across
    /// addresses in this window (the moment to tell its owner, once).
    pub async fn failed(&self, username: &str, address: &str) -> anyhow::Result<bool> {
        let window = self.limits.window;
        let k = self.keys(username, address);
        let mut account_count = 0;
        for key in [&k.pair, &k.account, &k.address] {
            let n = match &self.backend {
                Backend::Memory(map) => {
                    let mut map = map.lock().expect("limiter lock");
                    if map.len() > 100_000 {
                        map.retain(|_, (_, start)| start.elapsed() < window);
                    }
                    let entry = map.entry(key.clone()).or_insert((0, Instant::now()));
                    if entry.1.elapsed() >= window {
                        *entry = (0, Instant::now());
                    }
                    entry.0 += 1;
                    entry.0
                }
                Backend::Redis(conn) => {
                    let mut conn = conn.clone();
                    let n: u32 = conn.incr(key, 1).await?;
                    if n == 1 {
                        let _: () = conn.expire(key, window.as_secs().max(1) as i64).await?;
                    }
                    n
                }
            };
            if *key == k.account {
                account_count = n;
            }
        }
        Ok(account_count == self.limits.per_account)
    }

    /// A successful login clears this account's count from this address (not the others).
    pub async fn succeeded(&self, username: &str, address: &str) -> anyhow::Result<()> {
        let key = self.keys(username, address).pair;
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

    fn limiter(per_account: u32, per_address: u32) -> LoginLimiter {
        LoginLimiter::in_memory(LoginLimits {
            per_account,
            per_address,
            window: Duration::from_secs(60),
        })
    }

    #[tokio::test]
    async fn an_account_is_refused_only_to_the_address_that_failed_on_it() {
        let l = limiter(3, 10);
        for i in 0..3 {
            assert_eq!(l.blocked("li", "1.2.3.4").await.unwrap(), None);
            let told = l.failed("li", "1.2.3.4").await.unwrap();
            assert_eq!(told, i == 2, "the owner is told once, at the limit");
        }
        let wait = l.blocked("li", "1.2.3.4").await.unwrap().unwrap();
        assert!((1..=60).contains(&wait));
        // The owner, elsewhere, is slowed down but not refused.
        assert_eq!(l.blocked("li", "9.9.9.9").await.unwrap(), None);
        assert_eq!(l.delay("li", "9.9.9.9").await.unwrap(), SLOW_DOWN);
        assert_eq!(l.delay("wang", "5.6.7.8").await.unwrap(), Duration::ZERO);
        l.succeeded("li", "1.2.3.4").await.unwrap();
        assert_eq!(l.blocked("li", "1.2.3.4").await.unwrap(), None);
    }

    #[tokio::test]
    async fn many_failures_from_one_address_slow_it_down_without_locking_anyone_out() {
        let l = limiter(100, 2);
        l.failed("a", "1.1.1.1").await.unwrap();
        l.failed("b", "1.1.1.1").await.unwrap();
        assert_eq!(l.blocked("c", "1.1.1.1").await.unwrap(), None);
        assert_eq!(l.delay("c", "1.1.1.1").await.unwrap(), SLOW_DOWN);
        assert_eq!(l.delay("c", "2.2.2.2").await.unwrap(), Duration::ZERO);
    }
}
