//! Waiting for something the server does in the background, with a deadline instead of a
//! fixed sleep.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

/// How long a background effect (indexing, a sweep) may take before a test gives up.
pub const BACKGROUND: Duration = Duration::from_secs(20);

/// Calls `check` until it returns `Some`, every few milliseconds; panics naming `what` if the
/// deadline `within` passes first.
pub async fn eventually<T, F, Fut>(what: &str, within: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(Instant::now() < deadline, "{what}: not so after {within:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
