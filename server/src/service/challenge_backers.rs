//! Backing a challenge (挂帅): the staff of a union or an enterprise add to a studio's challenge
//! reward for their org and follow it; the poster and the teams hear of it, and the backer is
//! told of each later step.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::challenge_rules::check_backing;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::challenge_backers::{self, Backer};
use crate::store::{Db, Tx, audit, challenges, notifications, orgs};

#[derive(Debug, Deserialize, ToSchema)]
pub struct BackingInput {
    /// The union or enterprise backing it (the actor is its staff or staff above it).
    pub org_id: i64,
    /// Added to the reward, in yuan.
    pub amount_yuan: i64,
}

pub async fn back(db: &Db, actor: &Actor, id: i64, input: BackingInput) -> AppResult<Vec<Backer>> {
    let ch = super::challenges::get(db, Some(actor), id).await?;
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "没有这个单位 / no such union or unit"))?;
    policy::back_challenge(actor, &org)?;
    let mut c = Checks::new();
    check_backing(ch.status, input.amount_yuan, &mut c);
    c.finish()?;
    let mut tx = db.begin().await?;
    if !challenge_backers::insert(&mut tx, id, org.id, input.amount_yuan, actor.id()).await? {
        return Err(AppError::conflict(
            "already_backing",
            "这个单位已为本榜单挂帅 / this org backs the challenge already",
        ));
    }
    let detail = format!("{}：{} 元", org.name, input.amount_yuan);
    challenges::add_event(&mut tx, id, actor.id(), "back", &detail, None).await?;
    let subject = format!(
        "{}为榜单“{}”挂帅，追加奖励 {} 元",
        org.name, ch.title, input.amount_yuan
    );
    notifications::push(
        &mut tx,
        ch.author_id,
        "challenge_backed",
        &subject,
        &format!("/challenges/{id}"),
    )
    .await?;
    audit::record(&mut tx, Some(actor.id()), "back", "challenge", id, &detail).await?;
    tx.commit().await?;
    Ok(challenge_backers::of_challenge(db.reader(), id).await?)
}

/// Tells the backers of a challenge that it moved on (called with each lifecycle step).
pub async fn tell_backers(tx: &mut Tx, id: i64, title: &str) -> AppResult<()> {
    for user in challenge_backers::followers(tx, id).await? {
        notifications::push(
            tx,
            user,
            "backed_challenge_moved",
            &format!("您挂帅的榜单“{title}”有新进展"),
            &format!("/challenges/{id}"),
        )
        .await?;
    }
    Ok(())
}
