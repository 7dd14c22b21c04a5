//! The answers (`ack` or `error`) to one socket's sends. The writer commits a socket's messages
//! while the socket goes on reading frames, so answers arrive later, in the order the messages
//! were sent. At most [`IN_FLIGHT`] sends wait for their answer: the next one waits until the
//! oldest is answered, which holds back a client that sends faster than messages commit. The
//! channel is made at a socket's first send, so a socket that only listens pays nothing for it.

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc::{self, OwnedPermit};

/// Sends of one socket that may wait for their answer at once. The answers' channel grows in
/// blocks as it fills, so the limit costs nothing until it is used; it must cover what a busy
/// node commits in one round, or it, not the database, sets the pace of a fast sender.
pub const IN_FLIGHT: usize = 1024;

pub struct Acks {
    tx: mpsc::Sender<Utf8Bytes>,
    rx: mpsc::Receiver<Utf8Bytes>,
}

impl Acks {
    pub fn new() -> Acks {
        let (tx, rx) = mpsc::channel(IN_FLIGHT);
        Acks { tx, rx }
    }

    /// A place for one more answer, or `None` while [`IN_FLIGHT`] answers are outstanding.
    pub fn try_slot(&self) -> Option<OwnedPermit<Utf8Bytes>> {
        self.tx.clone().try_reserve_owned().ok()
    }

    /// Whether some send still waits for its answer (or its answer waits to be written).
    pub fn outstanding(&self) -> bool {
        self.tx.capacity() < self.tx.max_capacity()
    }

    /// An answer that is already here.
    pub fn try_next(&mut self) -> Option<Utf8Bytes> {
        self.rx.try_recv().ok()
    }

    /// The next answer, once the writer gives it.
    pub async fn next(&mut self) -> Utf8Bytes {
        match self.rx.recv().await {
            Some(frame) => frame,
            // We hold a sender, so the channel never closes while we wait.
            None => std::future::pending().await,
        }
    }
}

impl Default for Acks {
    fn default() -> Self {
        Acks::new()
    }
}

/// The next answer of a socket that may not have sent anything yet (then it never resolves).
pub async fn next(acks: &mut Option<Acks>) -> Utf8Bytes {
    match acks {
        Some(a) => a.next().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slots_run_out_at_the_limit_and_come_back_as_answers_are_read() {
        let mut acks = Acks::new();
        assert!(!acks.outstanding());
        let mut permits: Vec<_> = (0..IN_FLIGHT).map(|_| acks.try_slot().unwrap()).collect();
        assert!(acks.try_slot().is_none());
        assert!(acks.outstanding());
        permits.remove(0).send(Utf8Bytes::from_static("一"));
        assert!(
            acks.try_slot().is_none(),
            "an answer not yet read still holds its place"
        );
        assert_eq!(acks.next().await.as_str(), "一");
        assert!(acks.try_slot().is_some());
        drop(permits);
        assert!(!acks.outstanding());
    }
}
