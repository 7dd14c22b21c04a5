//! Chat rooms, messages and read positions. A message's id is its room's sequence number,
//! taken from the room's counter row in the inserting transaction.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{Tx, rfc3339};

/// One chat message as the API, the socket and the page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The sequence number within the room: 1, 2, 3, … with no gaps.
    pub id: i64,
    pub room: String,
    pub author_id: i64,
    pub author_name: String,
    /// Plain text; empty once deleted.
    pub body: String,
    pub client_id: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub deleted_at: Option<String>,
}

/// `SELECT` of a message's columns followed by the given clause, as one static string.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT m.seq, m.room, m.author_id, u.display_name, m.body, m.client_id, ",
            "m.created_at, m.edited_at, m.deleted_at ",
            "FROM chat_messages m JOIN users u ON u.id = m.author_id ",
            $tail
        )
    };
}

/// The `SELECT` of a message's columns, for clauses built at run time.
pub(super) const SELECT_MESSAGE: &str = select!("");

/// The columns of [`SELECT_MESSAGE`] as a message.
pub(super) fn message(r: &AnyRow) -> sqlx::Result<Message> {
    let edited: Option<i64> = r.try_get(7)?;
    let deleted: Option<i64> = r.try_get(8)?;
    Ok(Message {
        id: r.try_get(0)?,
        room: r.try_get(1)?,
        author_id: r.try_get(2)?,
        author_name: r.try_get(3)?,
        body: r.try_get(4)?,
        client_id: r.try_get(5)?,
        created_at: rfc3339(r.try_get(6)?),
        edited_at: edited.map(rfc3339),
        deleted_at: deleted.map(rfc3339),
    })
}

/// Makes the room's counter row if it is new.
#[tracing::instrument(skip(tx))]
pub async fn ensure_room(tx: &mut Tx, room: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO chat_rooms (name, last_seq, created_at) VALUES ($1, 0, $2) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(room)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The message an author already sent with this client id, if any (from the pool, or inside
/// a transaction with `&mut **tx`).
pub async fn sent<'c, E>(
    db: E,
    room: &str,
    author_id: i64,
    client_id: &str,
) -> sqlx::Result<Option<Message>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(select!(
        "WHERE m.room = $1 AND m.author_id = $2 AND m.client_id = $3"
    ))
    .bind(room)
    .bind(author_id)
    .bind(client_id)
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(message)
    .transpose()
}

/// One message, inside a transaction.
pub async fn find_in(tx: &mut Tx, room: &str, id: i64) -> sqlx::Result<Option<Message>> {
    sqlx::query(select!("WHERE m.room = $1 AND m.seq = $2"))
        .bind(room)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(message)
        .transpose()
}

/// Which page of history to read.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    /// The oldest `limit` messages with an id above this one.
    After(i64),
    /// The newest `limit` messages with an id below this one (`i64::MAX`: the newest).
    Before(i64),
}

/// A page of a room's history, in id order.
pub async fn page(
    pool: &AnyPool,
    room: &str,
    window: Window,
    limit: i64,
) -> sqlx::Result<Vec<Message>> {
    let rows = match window {
        Window::After(after) => {
            sqlx::query(select!(
                "WHERE m.room = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
            ))
            .bind(room)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        Window::Before(before) => {
            sqlx::query(select!(
                "WHERE m.room = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3"
            ))
            .bind(room)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
    };
    let mut items = rows.iter().map(message).collect::<sqlx::Result<Vec<_>>>()?;
    items.sort_by_key(|m| m.id);
    Ok(items)
}

/// The room's newest id (0 for a room with no message yet).
pub async fn last_id(pool: &AnyPool, room: &str) -> sqlx::Result<i64> {
    Ok(
        sqlx::query("SELECT last_seq FROM chat_rooms WHERE name = $1")
            .bind(room)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or(0),
    )
}

/// Replaces a message's body and marks it edited.
#[tracing::instrument(skip(tx, body))]
pub async fn edit(tx: &mut Tx, room: &str, id: i64, body: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE chat_messages SET body = $1, edited_at = $2 WHERE room = $3 AND seq = $4")
        .bind(body)
        .bind(now)
        .bind(room)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Clears a message's body and marks it deleted; its id stays taken.
#[tracing::instrument(skip(tx))]
pub async fn delete(tx: &mut Tx, room: &str, id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE chat_messages SET body = '', deleted_at = $1 WHERE room = $2 AND seq = $3")
        .bind(now)
        .bind(room)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a user's read position forward (never back).
#[tracing::instrument(skip(tx))]
pub async fn mark_read(
    tx: &mut Tx,
    user_id: i64,
    room: &str,
    id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO chat_reads (user_id, room, last_read, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, room) DO UPDATE SET \
           last_read = CASE WHEN excluded.last_read > chat_reads.last_read \
                            THEN excluded.last_read ELSE chat_reads.last_read END, \
           updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(room)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A room as a reader's list shows it.
#[derive(Debug, Clone)]
pub struct RoomState {
    pub room: String,
    /// The newest id in the room.
    pub last_id: i64,
    /// The last id this user has read.
    pub last_read: i64,
    /// Messages by others after `last_read`, deletions not counted.
    pub unread: i64,
}

/// Read state of the given rooms for one user; rooms with no message yet are left out.
pub async fn states(
    pool: &AnyPool,
    user_id: i64,
    rooms: &[String],
) -> sqlx::Result<Vec<RoomState>> {
    let mut out = Vec::with_capacity(rooms.len());
    for room in rooms {
        let row = sqlx::query(
            "SELECT r.last_seq, COALESCE(cr.last_read, 0), \
               (SELECT COUNT(*) FROM chat_messages m WHERE m.room = r.name \
                  AND m.seq > COALESCE(cr.last_read, 0) AND m.author_id <> $1 \
                  AND m.deleted_at IS NULL) \
             FROM chat_rooms r LEFT JOIN chat_reads cr ON cr.room = r.name AND cr.user_id = $1 \
             WHERE r.name = $2",
        )
        .bind(user_id)
        .bind(room)
        .fetch_optional(pool)
        .await?;
        if let Some(r) = row {
            out.push(RoomState {
                room: room.clone(),
                last_id: r.try_get(0)?,
                last_read: r.try_get(1)?,
                unread: r.try_get(2)?,
            });
        }
    }
    Ok(out)
}

/// Rooms a user has read in or is one side of (direct messages), newest first, at most 200.
pub async fn rooms_of(pool: &AnyPool, user_id: i64) -> sqlx::Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT name FROM chat_rooms WHERE name LIKE $1 OR name LIKE $2 \
            OR name IN (SELECT room FROM chat_reads WHERE user_id = $3) \
         ORDER BY created_at DESC LIMIT 200",
    )
    .bind(format!("dm:{user_id}:%"))
    .bind(format!("dm:%:{user_id}"))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}
