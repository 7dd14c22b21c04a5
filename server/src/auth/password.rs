//! Password hashing with argon2id (OWASP minimum parameters), off the async threads.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

fn hash_sync(password: &[u8]) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// A hash to verify against when the username does not exist, so that a login for an unknown
/// user costs the same time as one with a wrong password.
static DUMMY: LazyLock<String> =
    LazyLock::new(|| hash_sync(b"lianmeng-no-such-user").unwrap_or_default());

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_sync(password.as_bytes())).await?
}

/// Checks a password against a stored PHC string; with no stored hash, spends the same time
/// and answers false.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY.clone());
        let ok = PasswordHash::new(&phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && known
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = super::hash("焊缝探伤2026".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("焊缝探伤2026".into(), Some(h.clone())).await);
        assert!(!super::verify("焊缝探伤2025".into(), Some(h)).await);
        assert!(!super::verify("lianmeng-no-such-user".into(), None).await);
    }
}
