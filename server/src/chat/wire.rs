//! Writing to one chat socket: every write has a deadline (a peer that stops reading is
//! dropped), and read errors map to their close codes.

use std::time::Duration;

use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket, close_code};
use futures_util::SinkExt;
use tokio::time::timeout;

/// A write that takes longer than this means a dead or stuck peer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a socket closed as too slow waits for its peer to take the frame it had begun and
/// the close frame behind it. Longer than a write may take: a phone that pauses and comes back
/// reads whole frames and a clean 1013, then resumes with `after`; a peer gone for good costs
/// one buffered frame for this long.
pub const SLOW_CLOSE_WAIT: Duration = Duration::from_secs(30);

/// Why a socket's loop ended: the close frame to send, if any.
pub type End = Option<(u16, &'static str)>;

/// The end of a peer that does not keep up (its queue overflowed, or a write could not finish
/// in time): 1013, after whole frames. Tungstenite keeps the unwritten part of a frame in its
/// buffer when a write is abandoned, so the close frame follows the last frame begun.
pub const TOO_SLOW: End = Some((close_code::AGAIN, "too slow: resume with after"));

/// Maps a read error to its close code: 1009 for an oversized message, 1007 for bad UTF-8.
pub fn read_error(e: axum::Error) -> End {
    use tokio_tungstenite::tungstenite::Error as WsError;
    use tokio_tungstenite::tungstenite::error::CapacityError;
    let inner = e.into_inner();
    match inner.downcast_ref::<WsError>() {
        Some(WsError::Capacity(CapacityError::MessageTooLong { .. })) => {
            Some((close_code::SIZE, "message over 64 KiB"))
        }
        Some(WsError::Capacity(_)) => Some((close_code::SIZE, "frame too large")),
        Some(WsError::Utf8(_)) => Some((close_code::INVALID, "invalid UTF-8")),
        Some(WsError::Protocol(_)) => Some((close_code::PROTOCOL, "protocol error")),
        _ => None,
    }
}

/// Runs a batch of writes; one deadline for the whole batch, so that a peer that stops reading
/// is closed (1013). A blocked batch also gives way when the socket is `kicked` for overflowing
/// its queue meanwhile. The deadline's timer is only set when the batch cannot finish at once
/// (most finish at once: the kernel's buffer has room).
pub async fn within_write_timeout<F, K>(
    mut batch: std::pin::Pin<Box<F>>,
    kicked: std::pin::Pin<&mut K>,
) -> Result<(), End>
where
    F: std::future::Future<Output = Result<(), End>>,
    K: std::future::Future,
{
    use std::task::Poll;
    let first = std::future::poll_fn(|cx| Poll::Ready(batch.as_mut().poll(cx))).await;
    match first {
        Poll::Ready(done) => done,
        Poll::Pending => tokio::select! {
            done = timeout(WRITE_TIMEOUT, batch) => done.unwrap_or(Err(TOO_SLOW)),
            _ = kicked => Err(TOO_SLOW),
        },
    }
}

/// Queues one frame and flushes, within the write timeout.
pub async fn write(ws: &mut WebSocket, msg: WsMessage) -> Result<(), End> {
    match timeout(WRITE_TIMEOUT, ws.send(msg)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(None),
        Err(_) => Err(TOO_SLOW),
    }
}

/// Queues one frame without a deadline of its own (the caller has one).
pub async fn feed_now(ws: &mut WebSocket, frame: Utf8Bytes) -> Result<(), End> {
    ws.feed(WsMessage::Text(frame)).await.map_err(|_| None)
}

pub async fn feed(ws: &mut WebSocket, frame: Utf8Bytes) -> Result<(), End> {
    match timeout(WRITE_TIMEOUT, ws.feed(WsMessage::Text(frame))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(None),
        Err(_) => Err(TOO_SLOW),
    }
}

pub async fn flush(ws: &mut WebSocket) -> Result<(), End> {
    match timeout(WRITE_TIMEOUT, ws.flush()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(None),
        Err(_) => Err(TOO_SLOW),
    }
}
