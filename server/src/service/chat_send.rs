//! Sending a chat message, in two halves. Where the message arrives (a socket or the API) it is
//! checked: its text, the room, the sender's rate and whom it mentions. The node's chat writer
//! (`chat::writer`) then commits it, many messages to a transaction, before anyone is told of
//! it. A client id sent again is answered with the first message, not stored twice.

use crate::app::AppState;
use crate::auth::{Actor, actor_for_user};
use crate::domain::chat::{self as rules, Room};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::chat::{self as store, Message};
use crate::store::{self as db, Db, Tx, notifications, users};

use super::chat::allowed;

/// A checked message on its way to the writer.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub room: String,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub client_id: String,
    /// People `@named` in the body who may read the room: notified in the same transaction.
    pub mentioned: Vec<i64>,
}

/// One message after its commit.
#[derive(Debug, Clone)]
pub struct Committed {
    pub message: Message,
    /// False when the client id had been sent before: the first message is answered and
    /// nothing is fanned out again.
    pub new: bool,
}

/// Checks a message for a room the actor may use (the caller asked the policy): its text, the
/// sender's rate (a refused send is a `rate_limited` error) and its mentions.
pub async fn prepare(
    state: &AppState,
    actor: &Actor,
    room: Room,
    body: &str,
    client_id: &str,
) -> AppResult<Outgoing> {
    let mut c = Checks::new();
    rules::check_message(body, client_id, &mut c);
    c.finish()?;
    if !state.chat.allow_send(actor.id()).await {
        return Err(AppError::rate_limited(1));
    }
    Ok(Outgoing {
        room: room.to_string(),
        author_id: actor.id(),
        author_name: actor.user.display_name.clone(),
        body: body.to_owned(),
        client_id: client_id.to_owned(),
        mentioned: mentioned_readers(state, actor, room, body).await?,
    })
}

/// The people `@named` in a body who may read the room (never the author).
async fn mentioned_readers(
    state: &AppState,
    actor: &Actor,
    room: Room,
    body: &str,
) -> AppResult<Vec<i64>> {
    let mut out = Vec::new();
    for username in rules::mentions(body) {
        let Some(user) = users::find_by_username(state.db.reader(), &username).await? else {
            continue;
        };
        if user.id == actor.id() {
            continue;
        }
        let them = actor_for_user(state, user).await?;
        if allowed(state, &them, room).await.is_ok() {
            out.push(them.id());
        }
    }
    Ok(out)
}

/// Commits a batch in one transaction; the results are in the batch's order. Rooms are
/// written in name order, so two nodes' batches lock rooms' counters in the same order. If the
/// transaction fails, each message is tried again on its own, so one bad message cannot take
/// the others with it.
pub async fn commit_batch(db: &Db, batch: &[&Outgoing]) -> Vec<AppResult<Committed>> {
    match try_batch(db, batch).await {
        Ok(done) => done.into_iter().map(Ok).collect(),
        Err(e) => {
            if batch.len() > 1 {
                tracing::warn!(error = %e, size = batch.len(), "chat: a batch failed; committing its messages one by one");
            }
            let mut out = Vec::with_capacity(batch.len());
            for m in batch {
                out.push(commit_one(db, m).await);
            }
            out
        }
    }
}

async fn try_batch(db: &Db, batch: &[&Outgoing]) -> sqlx::Result<Vec<Committed>> {
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by(|&a, &b| batch[a].room.cmp(&batch[b].room));
    let now = db::now_ms();
    let mut tx = db.begin().await?;
    let mut done: Vec<Option<Committed>> = vec![None; batch.len()];
    for i in order {
        done[i] = Some(write(&mut tx, batch[i], now).await?);
    }
    tx.commit().await?;
    Ok(done.into_iter().flatten().collect())
}

async fn commit_one(db: &Db, m: &Outgoing) -> AppResult<Committed> {
    match try_batch(db, &[m]).await {
        Ok(mut one) => one.pop().ok_or_else(|| AppError::Internal(anyhow::anyhow!("no commit"))),
        // The same client id committed on another node meanwhile: answer with that one.
        Err(e) if db::is_unique_violation(&e) => {
            let first = store::sent(db.reader(), &m.room, m.author_id, &m.client_id).await?;
            first
                .map(|message| Committed {
                    message,
                    new: false,
                })
                .ok_or_else(|| AppError::Internal(e.into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// One message inside the batch's transaction: the first one if the client id was sent
/// before, else the room's next id and the mentions' notifications.
async fn write(tx: &mut Tx, m: &Outgoing, now: i64) -> sqlx::Result<Committed> {
    if let Some(first) = store::sent(&mut **tx, &m.room, m.author_id, &m.client_id).await? {
        return Ok(Committed {
            message: first,
            new: false,
        });
    }
    let id = store::insert(tx, &m.room, m.author_id, &m.body, &m.client_id, now).await?;
    if !m.mentioned.is_empty() {
        let subject = format!(
            "{} 在交流中提到了你 / mentioned you: {}",
            m.author_name,
            rules::excerpt(&m.body)
        );
        let link = format!("/chat/{}#m{id}", m.room);
        for &user_id in &m.mentioned {
            notifications::push(tx, user_id, "chat_mention", &subject, &link).await?;
        }
    }
    Ok(Committed {
        message: Message {
            id,
            room: m.room.clone(),
            author_id: m.author_id,
            author_name: m.author_name.clone(),
            body: m.body.clone(),
            client_id: m.client_id.clone(),
            created_at: db::rfc3339(now),
            edited_at: None,
            deleted_at: None,
        },
        new: true,
    })
}
