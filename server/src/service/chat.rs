//! Chat use cases shared by the API, the socket and the page: who may use a room, history,
//! sending (committed first, then fanned out), edits, deletions and read positions.

use crate::auth::Actor;
use crate::auth::policy::{self, RoomTarget};
use crate::chat::frames;
use crate::chat::{Hub, Writer};
use crate::domain::chat::{self as rules, Room};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::chat::{self as store, Message, RoomState, Window};
use crate::store::{challenges, claims, now_ms, studios, users};

use super::chat_send;

/// The most messages one history page holds.
pub const MAX_PAGE: i64 = 200;

/// The room named `name` if the actor may use it: 404 for a malformed name, 403 otherwise.
pub async fn access(db: &Db, actor: &Actor, name: &str) -> AppResult<Room> {
    let room = Room::parse(name).ok_or_else(|| {
        AppError::client(
            axum::http::StatusCode::NOT_FOUND,
            "invalid_room",
            Some(
                "房间名应为 studio:ID、challenge:ID、alliance:ID 或 dm:A:B / unknown room name"
                    .to_owned(),
            ),
        )
    })?;
    allowed(db, actor, room).await?;
    Ok(room)
}

/// Asks the policy whether `actor` may use `room`.
pub(super) async fn allowed(db: &Db, actor: &Actor, room: Room) -> AppResult<()> {
    let pool = db.reader();
    match room {
        Room::Studio(id) => {
            let studio = studios::find(pool, id).await?;
            policy::use_room(actor, &RoomTarget::Studio(studio.as_ref()))
        }
        Room::Challenge(id) => match challenges::find(pool, id).await? {
            None => policy::use_room(actor, &RoomTarget::Challenge(None)),
            Some(ch) => {
                let claims = claims::of_challenge(pool, id).await?;
                policy::use_room(actor, &RoomTarget::Challenge(Some((&ch, &claims))))
            }
        },
        Room::Alliance(id) => policy::use_room(actor, &RoomTarget::Alliance(id)),
        Room::Dm(a, b) => {
            policy::use_room(actor, &RoomTarget::Dm(a, b))?;
            let other = if actor.id() == a { b } else { a };
            if users::find(pool, other).await?.is_none() {
                return Err(AppError::not_found());
            }
            Ok(())
        }
    }
}

/// Which part of the history to read.
#[derive(Debug, Default, Clone, Copy)]
pub struct HistoryQuery {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

/// A page of history in id order: after an id, before an id, or the newest.
pub async fn history(
    db: &Db,
    actor: &Actor,
    name: &str,
    q: HistoryQuery,
) -> AppResult<Vec<Message>> {
    let limit = q.limit.unwrap_or(50);
    let mut c = Checks::new();
    if !(1..=MAX_PAGE).contains(&limit) {
        c.fail("limit", "limit 应在 1–200 之间 / must be 1–200");
    }
    if q.after.is_some_and(|a| a < 0) {
        c.fail("after", "after 不能为负 / must not be negative");
    }
    if q.before.is_some_and(|b| b < 1) {
        c.fail("before", "before 应为正数 / must be positive");
    }
    if q.after.is_some() && q.before.is_some() {
        c.fail(
            "before",
            "after 与 before 只能选一个 / give after or before, not both",
        );
    }
    c.finish()?;
    let room = access(db, actor, name).await?;
    let window = match (q.after, q.before) {
        (Some(after), _) => Window::After(after),
        (None, Some(before)) => Window::Before(before),
        (None, None) => Window::Before(i64::MAX),
    };
    Ok(store::page(db.reader(), &room.to_string(), window, limit).await?)
}

/// Sends a message: checked, rate-limited, committed with its id and its mentions'
/// notifications by the node's chat writer, then fanned out. The same client id again returns
/// the first message.
pub async fn send(
    db: &Db,
    hub: &Hub,
    writer: &Writer,
    actor: &Actor,
    name: &str,
    body: &str,
    client_id: &str,
) -> AppResult<Message> {
    let room = access(db, actor, name).await?;
    let outgoing = chat_send::prepare(db, hub, actor, room, body, client_id).await?;
    writer.send(outgoing).await
}

/// Edits (`Some(body)`) or deletes (`None`) a message of the actor's; the change is shown to
/// the room as an `update` frame under the same id.
pub async fn change(
    db: &Db,
    hub: &Hub,
    actor: &Actor,
    name: &str,
    id: i64,
    body: Option<&str>,
) -> AppResult<Message> {
    if let Some(body) = body {
        let mut c = Checks::new();
        rules::check_body(body, &mut c);
        c.finish()?;
    }
    let room = access(db, actor, name).await?.to_string();
    let mut tx = db.begin().await?;
    let current = store::find_in(&mut tx, &room, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::change_message(actor, current.author_id)?;
    if current.deleted_at.is_some() {
        return Err(AppError::wrong_state("deleted", "change a message"));
    }
    let now = now_ms();
    match body {
        Some(body) => store::edit(&mut tx, &room, id, body, now).await?,
        None => store::delete(&mut tx, &room, id, now).await?,
    }
    let changed = store::find_in(&mut tx, &room, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    hub.publish_frame(&room, frames::update(&changed));
    Ok(changed)
}

/// Records that the actor has read the room up to `id`.
pub async fn mark_read(db: &Db, actor: &Actor, name: &str, id: i64) -> AppResult<()> {
    if id < 0 {
        return Err(AppError::invalid_field(
            "id",
            "id 不能为负 / must not be negative",
        ));
    }
    let room = access(db, actor, name).await?.to_string();
    let mut tx = db.begin().await?;
    store::ensure_room(&mut tx, &room, now_ms()).await?;
    store::mark_read(&mut tx, actor.id(), &room, id, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// The actor's rooms with their unread counts: their studios' rooms, their direct messages and
/// every room they have read in (that they may still use).
/// A room's name for people: the studio's name, the challenge's title, the other person of a
/// direct room; `None` for a room without one.
pub async fn room_name(db: &Db, actor: &Actor, room: &str) -> AppResult<Option<String>> {
    let pool = db.reader();
    Ok(match Room::parse(room) {
        Some(Room::Studio(id)) => studios::find(pool, id).await?.map(|s| s.name),
        Some(Room::Challenge(id)) => challenges::find(pool, id).await?.map(|c| c.title),
        Some(Room::Dm(a, b)) => {
            let other = if actor.id() == a { b } else { a };
            users::find(pool, other).await?.map(|u| u.display_name)
        }
        Some(Room::Alliance(_)) | None => None,
    })
}

pub async fn rooms(db: &Db, actor: &Actor) -> AppResult<Vec<RoomState>> {
    let mut names: Vec<String> = actor
        .studios
        .iter()
        .map(|(id, _)| Room::Studio(*id).to_string())
        .collect();
    for name in store::rooms_of(db.reader(), actor.id()).await? {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut allowed = Vec::with_capacity(names.len());
    for name in names {
        if access(db, actor, &name).await.is_ok() {
            allowed.push(name);
        }
    }
    Ok(store::states(db.reader(), actor.id(), &allowed).await?)
}
