//! The writing half of a socket: what its rooms deliver and the answers to its sends, written
//! in batches with one flush each.

use axum::extract::ws::{Utf8Bytes, WebSocket};
use futures_util::SinkExt;

use super::Conn;
use crate::chat::hub::{Out, Queue};
use crate::chat::wire::{End, feed_now};

/// Frames written before one flush.
const BATCH: usize = 64;

impl Conn {
    /// Writes a delivery and those waiting behind it (up to [`BATCH`]), then flushes once.
    pub(super) async fn outgoing(&mut self, ws: &mut WebSocket, first: Out) -> Result<(), End> {
        let mut next = Some(first);
        let mut n = 0;
        while let Some(out) = next.take() {
            self.send_out(ws, out).await?;
            n += 1;
            if n < BATCH {
                next = self.queue.as_mut().and_then(Queue::try_next);
            }
        }
        ws.flush().await.map_err(|_| None)
    }

    /// Writes an answer and those that came with it, then flushes once.
    pub(super) async fn answers(
        &mut self,
        ws: &mut WebSocket,
        first: Utf8Bytes,
    ) -> Result<(), End> {
        feed_now(ws, first).await?;
        if let Some(acks) = &mut self.acks {
            for _ in 1..BATCH {
                let Some(answer) = acks.try_next() else { break };
                feed_now(ws, answer).await?;
            }
        }
        ws.flush().await.map_err(|_| None)
    }

    async fn send_out(&mut self, ws: &mut WebSocket, out: Out) -> Result<(), End> {
        match out {
            Out::Message(f) => {
                let Some(last) = self.rooms.get_mut(&f.room) else {
                    return Ok(());
                };
                if f.id <= *last {
                    Ok(())
                } else if f.id == *last + 1 {
                    *last = f.id;
                    feed_now(ws, f.frame.clone()).await
                } else {
                    self.catch_up(ws, &f.room).await
                }
            }
            Out::Room(f) => {
                if self.rooms.contains_key(&f.room) {
                    feed_now(ws, f.frame.clone()).await
                } else {
                    Ok(())
                }
            }
            Out::Resync(room) => self.catch_up(ws, &room).await,
        }
    }
}
