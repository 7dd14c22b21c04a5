//! The node's chat writer: one thread with a runtime of its own commits the messages that
//! sockets and the API hand it, as many as are waiting in one transaction; a task on the
//! server's runtime then fans them out in id order and answers each sender.
//!
//! Why a thread of its own: when a big room fans out, every worker of the main runtime is busy
//! writing to thousands of sockets, and a commit that needs several database round trips
//! would wait behind all of them at every step (hundreds of milliseconds per message, measured).
//! Here each round trip takes its own time only, and the sockets never wait for a commit: a
//! socket hands its message over and reads the next frame; the ack comes back later.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::mpsc::{self, OwnedPermit};
use tokio::sync::oneshot;

use super::frames;
use super::hub::Hub;
use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use crate::service::chat_send::{self, Committed, Outgoing};
use crate::store::Db;
use crate::store::chat::Message;

/// Messages waiting for the writer; a sender waits when it is full.
const QUEUE: usize = 4096;
/// The most messages committed in one transaction. Larger batches cost less per message (a
/// commit's fixed steps, and index pages that several messages share), and a writer that keeps
/// up never fills one: this only bounds a backlog's transaction.
const MAX_BATCH: usize = 1024;
/// Committed batches waiting to be fanned out; the writer waits when it is full.
const FANNED_OUT: usize = 16;

/// Where the answer to a message goes.
pub enum Reply {
    /// A socket: its place for the `ack` (or `error`) frame (see `chat::acks`).
    Socket(OwnedPermit<Utf8Bytes>),
    /// A caller waiting for the message (the API).
    Caller(oneshot::Sender<AppResult<Message>>),
}

struct Job {
    message: Outgoing,
    reply: Reply,
}

/// A handle on the writer; the thread stops when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").finish_non_exhaustive()
    }
}

impl Writer {
    /// Starts the writer thread, and on the current runtime the task that fans out what it
    /// commits.
    pub fn start(db: Db, hub: Arc<Hub>, metrics: Arc<Metrics>) -> anyhow::Result<Writer> {
        let (jobs, rx) = mpsc::channel(QUEUE);
        let (done_tx, done_rx) = mpsc::channel(FANNED_OUT);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("chat-writer".to_owned())
            .spawn(move || runtime.block_on(run(db, rx, done_tx, metrics)))?;
        tokio::spawn(fan_out(hub, done_rx));
        Ok(Writer { jobs })
    }

    /// Commits a message and waits for it (the API).
    pub async fn send(&self, message: Outgoing) -> AppResult<Message> {
        let (tx, rx) = oneshot::channel();
        self.submit(message, Reply::Caller(tx)).await?;
        rx.await.map_err(|_| stopped())?
    }

    /// Hands a message over; the answer comes back as `reply` says.
    pub async fn submit(&self, message: Outgoing, reply: Reply) -> AppResult<()> {
        // Without waiting when there is room: a wait would count against the socket task's
        // share of the runtime, and a publishing socket would hand over fewer messages per
        // turn while thousands of sockets take theirs.
        let job = match self.jobs.try_send(Job { message, reply }) {
            Ok(()) => return Ok(()),
            Err(mpsc::error::TrySendError::Full(job)) => job,
            Err(mpsc::error::TrySendError::Closed(_)) => return Err(stopped()),
        };
        self.jobs.send(job).await.map_err(|_| stopped())
    }
}

fn stopped() -> AppError {
    AppError::Internal(anyhow::anyhow!("the chat writer has stopped"))
}

/// Committed batches, with their answers.
type Done = Vec<(Job, AppResult<Committed>)>;

async fn run(db: Db, mut rx: mpsc::Receiver<Job>, done: mpsc::Sender<Done>, metrics: Arc<Metrics>) {
    // PostgreSQL connections belong to the runtime that opened them: this thread uses a pool
    // of its own. SQLite's connections are threads of their own and are shared.
    let own = db.for_this_runtime().await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "chat writer: no database pool of its own; sharing the server's");
        None
    });
    let db = own.as_ref().unwrap_or(&db);
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch: Vec<&Outgoing> = jobs.iter().map(|j| &j.message).collect();
        let started = Instant::now();
        let results = chat_send::commit_batch(db, &batch).await;
        metrics.observe_chat_batch(batch.len(), started.elapsed());
        let batch: Done = jobs.drain(..).zip(results).collect();
        if done.send(batch).await.is_err() {
            break;
        }
    }
    if let Some(own) = own {
        own.close().await;
    }
}

/// Fans out each new message in id order, then answers its sender. It runs on the server's
/// runtime, so that waking thousands of sockets stays on its worker threads.
async fn fan_out(hub: Arc<Hub>, mut done: mpsc::Receiver<Done>) {
    while let Some(batch) = done.recv().await {
        for (job, result) in batch {
            if let Ok(Committed { message, new: true }) = &result {
                hub.publish_message(message);
            }
            answer(job, result.map(|c| c.message));
        }
    }
}

fn answer(job: Job, result: AppResult<Message>) {
    match job.reply {
        Reply::Caller(tx) => {
            let _ = tx.send(result);
        }
        Reply::Socket(place) => {
            let m = &job.message;
            let frame = match &result {
                Ok(sent) => frames::ack(&m.client_id, sent.id, &sent.room),
                Err(e) => frames::problem(e, Some(&m.room), Some(&m.client_id)),
            };
            place.send(frame);
        }
    }
}
