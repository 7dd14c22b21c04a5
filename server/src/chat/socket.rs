//! One client's socket: reads its frames, writes what its rooms deliver, pings it, and closes
//! it when it is too slow (1013), sends too much (1009) or sends bad UTF-8 (1007). One task per
//! socket; everything it holds is dropped when it ends.

mod outgoing;
mod recheck;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, close_code};
use futures_util::StreamExt;
use tokio::time::{Instant, timeout};

use super::acks::{self, Acks};
use super::frames::{self, ClientFrame, FrameError};
use super::hub::{Hub, Kick, Listener, Queue};
use super::rate::SubscribeBudget;
use super::wire::{
    End, SLOW_CLOSE_WAIT, TOO_SLOW, feed, flush, read_error, within_write_timeout, write,
};
use super::writer::Reply;
use crate::auth::Actor;
use crate::domain::chat::Room;
use crate::error::AppResult;
use crate::service::chat as service;
use crate::service::chat_send;
use crate::state::AppState;
use crate::store::chat::{self as store, Window};

/// Rooms one socket may listen to at once.
const MAX_ROOMS: usize = 100;
/// Messages read from the database per round while catching up.
const CATCH_UP_PAGE: i64 = 200;
/// How long the policy's yes for sending to a room this socket does not listen to is kept.
/// (A room it listens to was allowed at its subscribe, for as long as it listens.)
const SENDABLE_FOR: Duration = Duration::from_secs(10);
/// At most this many such rooms are remembered (a bot posting to many rooms).
const SENDABLE_ROOMS: usize = 256;

struct Conn {
    state: AppState,
    hub: Arc<Hub>,
    actor: Actor,
    socket: u64,
    /// The queue of what its rooms deliver, from its first subscribe on.
    queue: Option<Queue>,
    kick: Arc<Kick>,
    /// room → the last message id this socket has sent in it.
    rooms: HashMap<Arc<str>, i64>,
    typing_at: HashMap<Arc<str>, Instant>,
    /// What is left of its subscribe rate.
    subscribes: SubscribeBudget,
    /// Rooms not listened to that the policy allowed sending to, and when it said so.
    sendable: HashMap<Box<str>, Instant>,
    /// Answers to this socket's sends, from its first send on.
    acks: Option<Acks>,
    /// Pings since its session and roles were last loaded (see `recheck`); a counter, not an
    /// instant, to keep an idle socket small.
    pings: u16,
}

/// Serves one upgraded socket until it closes.
pub async fn serve(ws: WebSocket, state: AppState, actor: Actor) {
    let hub = state.chat.clone();
    let (socket, kick) = hub.open_socket();
    let mut closing = hub.closing();
    let mut conn = Conn {
        state,
        hub: hub.clone(),
        actor,
        socket,
        queue: None,
        kick: kick.clone(),
        rooms: HashMap::new(),
        typing_at: HashMap::new(),
        subscribes: SubscribeBudget::default(),
        sendable: HashMap::new(),
        acks: None,
        pings: 0,
    };
    let mut ws = ws;
    let ping_every = hub.limits().ping_every;
    // A timer in the task itself (an `Interval` would box one of its own).
    let mut ping = std::pin::pin!(tokio::time::sleep(ping_every));
    let mut last_seen = Instant::now();
    // Made once, not at every turn of the loop: each registers with a notifier.
    let mut slowed = std::pin::pin!(kick.slowed());
    // `wait_for`, not `changed`: a socket that opens after the close was sent has already
    // seen it.
    let mut closed = std::pin::pin!(async {
        // (Its answer, a read guard, is dropped here: it must not be held across an await.)
        let _ = closing.wait_for(|closing| *closing).await;
    });
    let end: End = loop {
        let step: Result<(), End> = tokio::select! {
            incoming = ws.next() => match incoming {
                None => Err(None),
                Some(Ok(msg)) => {
                    last_seen = Instant::now();
                    // Boxed: the large futures of a frame's handling live on the heap only
                    // while it runs, so an idle socket's task stays small.
                    Box::pin(conn.incoming(&mut ws, msg)).await
                }
                Some(Err(e)) => Err(read_error(e)),
            },
            out = Queue::next(&mut conn.queue) => {
                let batch = Box::pin(conn.outgoing(&mut ws, out));
                within_write_timeout(batch, slowed.as_mut()).await
            }
            answer = acks::next(&mut conn.acks) => {
                let answers = Box::pin(conn.answers(&mut ws, answer));
                within_write_timeout(answers, slowed.as_mut()).await
            }
            _ = &mut slowed => Err(TOO_SLOW),
            _ = &mut ping => {
                ping.as_mut().reset(Instant::now() + ping_every);
                if last_seen.elapsed() > ping_every * 2 {
                    Err(None)
                } else {
                    Box::pin(conn.ping(&mut ws)).await
                }
            }
            _ = &mut closed => Err(Some((close_code::RESTART, "server restarting: resume with after"))),
        };
        if let Err(end) = step {
            break end;
        }
    };
    for room in conn.rooms.keys() {
        hub.unlisten(room, socket);
    }
    if let Some((code, reason)) = end {
        let close = WsMessage::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        }));
        // A slow reader gets time to take what is queued and the close frame behind it; a
        // restart or an error, two seconds.
        let wait = if code == close_code::AGAIN {
            SLOW_CLOSE_WAIT
        } else {
            Duration::from_secs(2)
        };
        let _ = timeout(wait, ws.send(close)).await;
    }
}

impl Conn {
    async fn incoming(&mut self, ws: &mut WebSocket, msg: WsMessage) -> Result<(), End> {
        let text = match msg {
            WsMessage::Text(t) => t,
            WsMessage::Binary(_) => {
                let f = frames::error("unsupported", "binary frames are not used", None, None);
                return write(ws, WsMessage::Text(f)).await;
            }
            WsMessage::Close(_) => return Err(None),
            WsMessage::Ping(_) | WsMessage::Pong(_) => return Ok(()),
        };
        let frame = match frames::parse(&text) {
            Ok(f) => f,
            Err(e) => {
                let f = match e {
                    FrameError::Malformed => frames::error(
                        "malformed",
                        "expected a JSON object with a type",
                        None,
                        None,
                    ),
                    FrameError::UnknownType(t) => frames::error(
                        "unknown_type",
                        &format!("unknown frame type: {t}"),
                        None,
                        None,
                    ),
                    FrameError::BadFields(d) => frames::error("invalid_field", &d, None, None),
                };
                return write(ws, WsMessage::Text(f)).await;
            }
        };
        match frame {
            ClientFrame::Ping => {
                // The pong comes after the answers to every send before it.
                while let Some(acks) = self.acks.as_mut().filter(|a| a.outstanding()) {
                    let answer = acks.next().await;
                    feed(ws, answer).await?;
                }
                write(ws, WsMessage::Text(frames::pong())).await
            }
            ClientFrame::Subscribe { room, after } => self.subscribe(ws, &room, after).await,
            ClientFrame::Unsubscribe { room } => {
                if let Some((key, _)) = self.rooms.remove_entry(room.as_str()) {
                    self.hub.unlisten(&key, self.socket);
                }
                Ok(())
            }
            ClientFrame::Send {
                room,
                body,
                client_id,
            } => {
                let sent = match self.prepare_send(&room, &body, &client_id).await {
                    Ok(message) => {
                        // The writer answers later, so the next frame is read at once.
                        let place = self.ack_place(ws).await?;
                        self.state
                            .chat_writer
                            .submit(message, Reply::Socket(place))
                            .await
                    }
                    Err(e) => Err(e),
                };
                match sent {
                    Ok(()) => Ok(()),
                    Err(e) => {
                        let f = frames::problem(&e, Some(&room), Some(&client_id));
                        write(ws, WsMessage::Text(f)).await
                    }
                }
            }
            ClientFrame::Typing { room } => {
                let Some((key, _)) = self.rooms.get_key_value(room.as_str()) else {
                    let f = frames::error("not_subscribed", "subscribe first", Some(&room), None);
                    return write(ws, WsMessage::Text(f)).await;
                };
                let key = key.clone();
                let recent = self
                    .typing_at
                    .get(&key)
                    .is_some_and(|t| t.elapsed() < Duration::from_secs(2));
                if !recent {
                    self.typing_at.insert(key.clone(), Instant::now());
                    self.hub
                        .publish_frame(&key, frames::typing(&key, self.actor.id()));
                }
                Ok(())
            }
        }
    }

    /// Checks a message for the writer. A subscribed room was allowed at its subscribe, a
    /// room sent to in the last [`SENDABLE_FOR`] at that send; others are asked now.
    async fn prepare_send(
        &mut self,
        room: &str,
        body: &str,
        client_id: &str,
    ) -> AppResult<chat_send::Outgoing> {
        let known = self.rooms.contains_key(room)
            || self
                .sendable
                .get(room)
                .is_some_and(|at| at.elapsed() < SENDABLE_FOR);
        let room = match Room::parse(room).filter(|_| known) {
            Some(r) => r,
            None => {
                let allowed = service::access(&self.state.db, &self.actor, room).await?;
                self.remember_sendable(room);
                allowed
            }
        };
        chat_send::prepare(
            &self.state.db,
            &self.state.chat,
            &self.actor,
            room,
            body,
            client_id,
        )
        .await
    }

    fn remember_sendable(&mut self, room: &str) {
        if self.sendable.len() >= SENDABLE_ROOMS {
            self.sendable.retain(|_, at| at.elapsed() < SENDABLE_FOR);
            if self.sendable.len() >= SENDABLE_ROOMS {
                self.sendable.clear();
            }
        }
        self.sendable.insert(room.into(), Instant::now());
    }

    /// A place for the answer to one more send; while [`acks::IN_FLIGHT`] sends wait for
    /// theirs, the answers that come are written until one is free.
    async fn ack_place(
        &mut self,
        ws: &mut WebSocket,
    ) -> Result<tokio::sync::mpsc::OwnedPermit<Utf8Bytes>, End> {
        let acks = self.acks.get_or_insert_with(Acks::new);
        loop {
            if let Some(place) = acks.try_slot() {
                return Ok(place);
            }
            let answer = acks.next().await;
            write(ws, WsMessage::Text(answer)).await?;
        }
    }

    async fn subscribe(
        &mut self,
        ws: &mut WebSocket,
        room: &str,
        after: Option<i64>,
    ) -> Result<(), End> {
        if !self.subscribes.take(std::time::Instant::now()) {
            let f = frames::error(
                "rate_limited",
                "订阅过于频繁，请稍后再试 / too many subscribes; try again shortly",
                Some(room),
                None,
            );
            return write(ws, WsMessage::Text(f)).await;
        }
        if let Err(e) = service::access(&self.state.db, &self.actor, room).await {
            return write(ws, WsMessage::Text(frames::problem(&e, Some(room), None))).await;
        }
        if !self.rooms.contains_key(room) && self.rooms.len() >= MAX_ROOMS {
            let f = frames::error(
                "too_many_rooms",
                "at most 100 rooms per socket",
                Some(room),
                None,
            );
            return write(ws, WsMessage::Text(f)).await;
        }
        let key = self.hub.room_key(room);
        if !self.rooms.contains_key(room) {
            let queue = self.queue.get_or_insert_with(|| self.hub.queue());
            // Listen first, then read: nothing committed in between can be missed.
            self.hub.listen(
                &key,
                Listener {
                    socket: self.socket,
                    user_id: self.actor.id(),
                    tx: queue.sender(),
                    kick: self.kick.clone(),
                },
            );
        }
        let last = match after {
            Some(after) => after.max(0),
            None => store::last_id(self.state.db.reader(), room)
                .await
                .map_err(|_| None)?,
        };
        self.rooms.insert(key.clone(), last);
        self.catch_up(ws, &key).await?;
        let online = self.hub.online(room).await;
        feed(ws, frames::presence(room, &online)).await?;
        flush(ws).await
    }

    /// Sends everything in `room` after this socket's last id, from the database.
    async fn catch_up(&mut self, ws: &mut WebSocket, room: &Arc<str>) -> Result<(), End> {
        loop {
            let Some(last) = self.rooms.get(room).copied() else {
                return Ok(());
            };
            let page = store::page(
                self.state.db.reader(),
                room,
                Window::After(last),
                CATCH_UP_PAGE,
            )
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "chat: reading history to catch up");
                Some((close_code::ERROR, "try again"))
            })?;
            let full = page.len() as i64 == CATCH_UP_PAGE;
            for m in &page {
                feed(ws, frames::message(m)).await?;
            }
            if let Some(m) = page.last() {
                self.rooms.insert(room.clone(), m.id);
            }
            if !full {
                return Ok(());
            }
        }
    }
}
