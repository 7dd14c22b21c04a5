//! Sending a chat message, in two halves. Where the message arrives (a socket or the API) it is
//! checked: its text, the room, the sender's rate and whom it mentions. The node's chat writer
//! (`chat::writer`) then commits it, many messages to a transaction, before anyone is told of
//! it. A client id sent again is answered with the first message, not stored twice.

use std::collections::{BTreeMap, HashMap};

use crate::auth::{Actor, actor_for_user};
use crate::chat::Hub;
use crate::domain::chat::{self as rules, Room};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::chat::{self as store, Message};
use crate::store::chat_batch::{self, NewMessage};
use crate::store::{Db, Tx, is_unique_violation, notifications, now_ms, rfc3339, users};

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
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    room: Room,
    body: &str,
    client_id: &str,
) -> AppResult<Outgoing> {
    let mut c = Checks::new();
    rules::check_message(body, client_id, &mut c);
    c.finish()?;
    if !hub.allow_send(actor.id()).await {
        return Err(AppError::rate_limited(1));
    }
    Ok(Outgoing {
        room: room.to_string(),
        author_id: actor.id(),
        author_name: actor.user.display_name.clone(),
        body: body.to_owned(),
        client_id: client_id.to_owned(),
        mentioned: mentioned_readers(db, actor, room, body).await?,
    })
}

/// The people `@named` in a body who may read the room (never the author). A name is a
/// username, or the longest display name the mention starts with (`@王建国请看` names 王建国);
/// when several readers share that name, each is told.
async fn mentioned_readers(db: &Db, actor: &Actor, room: Room, body: &str) -> AppResult<Vec<i64>> {
    let mut out = Vec::new();
    for name in rules::mentions(body) {
        let mut best = 0;
        let mut chosen = Vec::new();
        let starts = rules::name_starts(&name);
        for user in users::named_by(db.reader(), &name, &starts).await? {
            if user.id == actor.id() || out.contains(&user.id) {
                continue;
            }
            let matched = if user.username == name {
                usize::MAX
            } else {
                user.display_name.chars().count()
            };
            if matched < best {
                continue;
            }
            let them = actor_for_user(db, user).await?;
            if allowed(db, &them, room).await.is_err() {
                continue;
            }
            if matched > best {
                best = matched;
                chosen.clear();
            }
            chosen.push(them.id());
        }
        out.extend(chosen);
    }
    Ok(out)
}

/// Commits a batch in one transaction; the results are in the batch's order. If the
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

async fn commit_one(db: &Db, m: &Outgoing) -> AppResult<Committed> {
    match try_batch(db, &[m]).await {
        Ok(mut one) => one
            .pop()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a commit without its message"))),
        // The same client id committed on another node meanwhile: answer with that one.
        Err(e) if is_unique_violation(&e) => {
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

/// What became of one message of a batch.
enum Fate {
    /// Sent before this batch: that message is the answer.
    Before(Message),
    /// Sent earlier in this batch (the index of the first).
    Repeat(usize),
    /// New, with its id.
    New(i64),
}

/// The batch in one transaction: which messages were sent before, the rooms' next ids (rooms
/// in name order, so that two nodes' batches lock their counters in the same order), the rows,
/// and the mentions' notifications.
async fn try_batch(db: &Db, batch: &[&Outgoing]) -> sqlx::Result<Vec<Committed>> {
    let now = now_ms();
    let backend = db.backend();
    let rows: Vec<NewMessage> = batch
        .iter()
        .map(|m| NewMessage {
            room: &m.room,
            author_id: m.author_id,
            body: &m.body,
            client_id: &m.client_id,
        })
        .collect();
    let mut tx = db.begin().await?;
    let before = chat_batch::sent_before(&mut tx, backend, &rows).await?;
    let mut first_in_batch: HashMap<(&str, i64, &str), usize> = HashMap::new();
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    let mut fates = Vec::with_capacity(rows.len());
    for (i, m) in rows.iter().enumerate() {
        let key = (m.room, m.author_id, m.client_id);
        let sent = before
            .iter()
            .find(|s| (s.room.as_str(), s.author_id, s.client_id.as_str()) == key);
        if let Some(sent) = sent {
            fates.push(Fate::Before(sent.clone()));
        } else if let Some(&first) = first_in_batch.get(&key) {
            fates.push(Fate::Repeat(first));
        } else {
            first_in_batch.insert(key, i);
            *counts.entry(m.room).or_default() += 1;
            fates.push(Fate::New(0));
        }
    }
    let counts: Vec<(&str, i64)> = counts.into_iter().collect();
    let mut next = chat_batch::take_ids(&mut tx, backend, &counts, now).await?;
    let mut new_rows = Vec::with_capacity(rows.len());
    for (fate, m) in fates.iter_mut().zip(&rows) {
        if let Fate::New(id) = fate {
            let next = next.get_mut(m.room).ok_or(sqlx::Error::RowNotFound)?;
            *id = *next;
            *next += 1;
            new_rows.push((*id, *m));
        }
    }
    chat_batch::insert(&mut tx, backend, &new_rows, now).await?;
    for (fate, m) in fates.iter().zip(batch) {
        if let Fate::New(id) = fate {
            notify_mentions(&mut tx, m, *id).await?;
        }
    }
    tx.commit().await?;
    let mut out: Vec<Committed> = Vec::with_capacity(batch.len());
    for (fate, m) in fates.into_iter().zip(batch) {
        let done = match fate {
            Fate::Before(message) => Committed {
                message,
                new: false,
            },
            Fate::Repeat(first) => Committed {
                message: out[first].message.clone(),
                new: false,
            },
            Fate::New(id) => Committed {
                message: Message {
                    id,
                    room: m.room.clone(),
                    author_id: m.author_id,
                    author_name: m.author_name.clone(),
                    body: m.body.clone(),
                    client_id: m.client_id.clone(),
                    created_at: rfc3339(now),
                    edited_at: None,
                    deleted_at: None,
                },
                new: true,
            },
        };
        out.push(done);
    }
    Ok(out)
}

/// Notifies the people a new message mentions, in its transaction.
async fn notify_mentions(tx: &mut Tx, m: &Outgoing, id: i64) -> sqlx::Result<()> {
    if m.mentioned.is_empty() {
        return Ok(());
    }
    let subject = format!(
        "{}在交流中提到了你：{}",
        m.author_name,
        rules::excerpt(&m.body)
    );
    let link = format!("/chat/{}#m{id}", m.room);
    for &user_id in &m.mentioned {
        notifications::push(tx, user_id, "chat_mention", &subject, &link).await?;
    }
    Ok(())
}
