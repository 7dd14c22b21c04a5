//! An open socket follows what its user may do now, not what they could do when it opened: at
//! its first ping after `recheck_every` it loads its session and roles again. A session that
//! has ended (signed out, expired) closes the socket with 1008; a room the policy now refuses
//! (the studio left the alliance, the challenge was withdrawn) is left with an error frame.

use axum::extract::ws::{Message as WsMessage, WebSocket, close_code};

use super::super::frames;
use super::super::wire::{End, feed, flush, write};
use super::Conn;
use crate::auth;
use crate::error::AppError;
use crate::service::chat as service;

impl Conn {
    /// The server's ping, after a recheck when one is due.
    pub(super) async fn ping(&mut self, ws: &mut WebSocket) -> Result<(), End> {
        let limits = self.hub.limits();
        self.pings = self.pings.saturating_add(1);
        if limits.ping_every * u32::from(self.pings) >= limits.recheck_every {
            self.pings = 0;
            self.recheck(ws).await?;
        }
        write(ws, WsMessage::Ping(Default::default())).await
    }

    async fn recheck(&mut self, ws: &mut WebSocket) -> Result<(), End> {
        let fresh = match auth::reload(&self.state.db, &self.actor).await {
            Ok(Some(actor)) => actor,
            Ok(None) => return Err(Some((close_code::POLICY, "session ended: sign in again"))),
            Err(e) => {
                // The database is away: keep serving what was allowed, and ask again later.
                tracing::warn!(error = %e, "chat: could not recheck a socket's session");
                return Ok(());
            }
        };
        self.actor = fresh;
        self.sendable.clear();
        let rooms: Vec<_> = self.rooms.keys().cloned().collect();
        let mut left = false;
        for room in rooms {
            match service::access(&self.state.db, &self.actor, &room).await {
                Ok(_) | Err(AppError::Internal(_)) => {}
                Err(refused) => {
                    self.rooms.remove(&room);
                    self.typing_at.remove(&room);
                    self.hub.unlisten(&room, self.socket);
                    feed(ws, frames::problem(&refused, Some(&*room), None)).await?;
                    left = true;
                }
            }
        }
        if left { flush(ws).await } else { Ok(()) }
    }
}
