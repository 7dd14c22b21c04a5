//! The outside services a test may need (PostgreSQL, Redis) and what happens when one is not
//! configured: a loud note and an early return, or, under `LIANMENG_REQUIRE_SERVICES=1` (CI), a
//! failure, so that a green run never hides a test that did not run.

use crate::{DATABASE_ENV, postgres_url, redis_url};

/// The environment variable that turns a missing service into a failure.
const REQUIRE_SERVICES_ENV: &str = "LIANMENG_REQUIRE_SERVICES";

/// Whether a missing service must fail the test instead of skipping it.
fn services_required() -> bool {
    std::env::var(REQUIRE_SERVICES_ENV).is_ok_and(|v| v == "1")
}

/// The PostgreSQL server for a test that needs one; `None` (after a loud note) when none is
/// configured. Panics instead when services are required.
pub fn postgres_for(test: &str) -> Option<String> {
    let url = postgres_url();
    if url.is_none() {
        missing(
            test,
            &format!(
                "PostgreSQL: set {DATABASE_ENV} (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
            ),
        );
    }
    url
}

/// Whether PostgreSQL and Redis are both configured for a test that needs them; `false` (after
/// a loud note) otherwise. Panics instead when services are required.
pub fn postgres_and_redis_for(test: &str) -> bool {
    if postgres_url().is_some() && redis_url().is_some() {
        return true;
    }
    missing(
        test,
        &format!("PostgreSQL and Redis: set {DATABASE_ENV} and LIANMENG_TEST_REDIS_URL"),
    );
    false
}

fn missing(test: &str, what: &str) {
    let msg = format!("{test} needs {what}");
    assert!(
        !services_required(),
        "{msg} ({REQUIRE_SERVICES_ENV}=1 makes this a failure)"
    );
    eprintln!("\n*** NOTE: {msg}; it did not run. ***\n");
}
