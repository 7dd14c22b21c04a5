//! A user's notifications: the newest with the unread count, and marking them read.

use crate::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::notifications::{self, Notification};

/// How many ids one mark-read call may name.
pub const MAX_IDS: usize = 500;

/// The newest 100 and the number unread.
/// How many notifications the reader has not read.
pub async fn unread(db: &Db, actor: &Actor) -> AppResult<i64> {
    Ok(notifications::unread(db.reader(), actor.id()).await?)
}

pub async fn list(db: &Db, actor: &Actor) -> AppResult<(i64, Vec<Notification>)> {
    Ok(notifications::of_user(db.reader(), actor.id(), 100).await?)
}

/// Marks the given ones read (others' ids are ignored); `None` marks all.
pub async fn mark_read(db: &Db, actor: &Actor, ids: Option<&[i64]>) -> AppResult<()> {
    if ids.is_some_and(|ids| ids.len() > MAX_IDS) {
        return Err(AppError::invalid_field(
            "ids",
            "一次最多 500 条 / at most 500 at once",
        ));
    }
    let mut tx = db.begin().await?;
    match ids {
        Some(ids) => notifications::mark_read(&mut tx, actor.id(), ids).await?,
        None => notifications::mark_all_read(&mut tx, actor.id()).await?,
    };
    tx.commit().await?;
    Ok(())
}
