//! The room hub of one node: which local sockets listen to which room, delivery to their
//! bounded queues, and the hand-off to the bus for the other nodes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{Notify, mpsc, watch};

use super::bus::{Bus, RESYNC};
use super::frames;
use super::order::Sequencer;
use super::presence::Presence;
use super::rate::SendRate;
use crate::config::ChatLimits;
use crate::store::chat::Message;

/// What a socket's queue carries: one pointer per queued frame, shared by every socket of the
/// room, so that delivery costs one reference count and the queue's blocks stay small.
#[derive(Debug, Clone)]
pub enum Out {
    /// A new message: sent unless the socket already has it; a gap before it is filled from
    /// the database first.
    Message(Arc<Framed>),
    /// Typing, presence or an update (`id` 0): sent if the socket still listens to the room.
    Room(Arc<Framed>),
    /// Messages may have been lost (a bus reconnect, or another node's resync marker): catch
    /// up from the database.
    Resync(Arc<str>),
}

/// A frame for a room, encoded once.
#[derive(Debug)]
pub struct Framed {
    pub room: Arc<str>,
    pub id: i64,
    pub frame: Utf8Bytes,
}

impl Out {
    fn message(room: &Arc<str>, id: i64, frame: Utf8Bytes) -> Out {
        Out::Message(Arc::new(Framed {
            room: room.clone(),
            id,
            frame,
        }))
    }

    fn room(room: &Arc<str>, frame: Utf8Bytes) -> Out {
        Out::Room(Arc::new(Framed {
            room: room.clone(),
            id: 0,
            frame,
        }))
    }
}

/// Set when a socket's queue overflowed: the socket closes with 1013 and the client resumes.
#[derive(Debug, Default)]
pub struct Kick {
    slow: AtomicBool,
    notify: Notify,
}

impl Kick {
    pub fn is_slow(&self) -> bool {
        self.slow.load(Ordering::Acquire)
    }

    /// Resolves once the socket has been marked slow.
    pub async fn slowed(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_slow() {
                return;
            }
            notified.await;
        }
    }

    fn mark(&self) {
        if !self.slow.swap(true, Ordering::AcqRel) {
            self.notify.notify_one();
        }
    }
}

/// One socket's deliveries, from every room it listens to, bounded (see [`Hub::deliver`]).
pub struct Queue {
    tx: mpsc::Sender<Out>,
    rx: mpsc::Receiver<Out>,
}

impl Queue {
    /// For a [`Listener`] of this socket.
    pub fn sender(&self) -> mpsc::Sender<Out> {
        self.tx.clone()
    }

    pub fn try_next(&mut self) -> Option<Out> {
        self.rx.try_recv().ok()
    }

    /// The next delivery of a socket that may have no queue yet (then it never resolves).
    pub async fn next(queue: &mut Option<Queue>) -> Out {
        match queue {
            // The queue holds a sender itself, so it never closes while we wait.
            Some(q) => match q.rx.recv().await {
                Some(out) => out,
                None => std::future::pending().await,
            },
            None => std::future::pending().await,
        }
    }
}

/// A local socket listening to a room.
#[derive(Debug, Clone)]
pub struct Listener {
    pub socket: u64,
    pub user_id: i64,
    pub tx: mpsc::Sender<Out>,
    pub kick: Arc<Kick>,
}

#[derive(Debug, Default)]
struct RoomSubs {
    listeners: RwLock<Vec<Listener>>,
}

/// One node's hub; shared by every socket and by the services that publish.
pub struct Hub {
    node: String,
    limits: ChatLimits,
    rooms: Mutex<HashMap<Arc<str>, Arc<RoomSubs>>>,
    bus: Box<dyn Bus>,
    presence: Presence,
    rate: SendRate,
    next_socket: AtomicU64,
    closing: watch::Sender<bool>,
    order: Sequencer,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("node", &self.node)
            .finish_non_exhaustive()
    }
}

impl Hub {
    pub fn new(
        node: String,
        limits: ChatLimits,
        bus: Box<dyn Bus>,
        presence: Presence,
        rate: SendRate,
        closing: watch::Sender<bool>,
    ) -> Hub {
        Hub {
            closing,
            order: Sequencer::default(),
            node,
            limits,
            rooms: Mutex::new(HashMap::new()),
            bus,
            presence,
            rate,
            next_socket: AtomicU64::new(1),
        }
    }

    /// Changes to `true` when the node shuts down: sockets close (1012) and clients resume
    /// elsewhere.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Closes every socket and stops the bus.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// This node's id on the bus.
    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn limits(&self) -> ChatLimits {
        self.limits
    }

    /// A new socket's id and kick signal.
    pub fn open_socket(&self) -> (u64, Arc<Kick>) {
        let id = self.next_socket.fetch_add(1, Ordering::Relaxed);
        (id, Arc::new(Kick::default()))
    }

    /// A socket's queue of deliveries, made at its first subscribe: a socket that listens to
    /// no room pays nothing for it.
    pub fn queue(&self) -> Queue {
        let (tx, rx) = mpsc::channel(self.limits.queue);
        Queue { tx, rx }
    }

    /// The room's shared name, so queues hold one copy per room.
    pub fn room_key(&self, room: &str) -> Arc<str> {
        let rooms = self.rooms.lock().expect("hub lock");
        rooms
            .get_key_value(room)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| Arc::from(room))
    }

    /// Starts delivering `room` to a socket. The node joins the room on the bus with its first
    /// local listener, once, however many users listen.
    pub fn listen(&self, room: &Arc<str>, listener: Listener) {
        let user_id = listener.user_id;
        let first = {
            let mut rooms = self.rooms.lock().expect("hub lock");
            let subs = rooms.entry(room.clone()).or_default().clone();
            let mut list = subs.listeners.write().expect("room lock");
            list.retain(|l| l.socket != listener.socket);
            list.push(listener);
            list.len() == 1
        };
        if first {
            self.bus.join(room);
        }
        self.presence.joined(room, user_id);
    }

    /// Stops delivering `room` to a socket; the node leaves the room with its last listener.
    pub fn unlisten(&self, room: &str, socket: u64) {
        let mut left_user = None;
        let empty = {
            let mut rooms = self.rooms.lock().expect("hub lock");
            let Some(subs) = rooms.get(room).cloned() else {
                return;
            };
            let mut list = subs.listeners.write().expect("room lock");
            if let Some(pos) = list.iter().position(|l| l.socket == socket) {
                let gone = list.swap_remove(pos);
                if !list.iter().any(|l| l.user_id == gone.user_id) {
                    left_user = Some(gone.user_id);
                }
            }
            let empty = list.is_empty();
            drop(list);
            if empty {
                rooms.remove(room);
            }
            empty
        };
        if empty {
            self.bus.leave(room);
            self.order.forget(room);
        }
        if let Some(user) = left_user {
            self.presence.left(room, user);
        }
    }

    /// A committed message: encoded once, delivered here, and handed to the bus.
    pub fn publish_message(&self, m: &Message) {
        let frame = frames::message(m);
        let room = self.room_key(&m.room);
        self.bus.publish(&room, m.id, &frame);
        self.deliver_in_order(&room, m.id, frame);
    }

    /// Delivers a message once those before it have been (see [`Sequencer`]).
    fn deliver_in_order(&self, room: &Arc<str>, id: i64, frame: Utf8Bytes) {
        if !self.rooms.lock().expect("hub lock").contains_key(room) {
            return;
        }
        for (id, frame) in self.order.arrive(room, id, frame) {
            self.deliver(room, Out::message(room, id, frame));
        }
    }

    /// Delivers messages held too long for one that has not come.
    pub fn release_overdue(&self) {
        for (room, frames) in self.order.overdue() {
            let room = self.room_key(&room);
            for (id, frame) in frames {
                self.deliver(&room, Out::message(&room, id, frame));
            }
        }
    }

    /// A frame that is not a new message (typing, presence, an edit), to every listener of the
    /// room on every node.
    pub fn publish_frame(&self, room: &str, frame: Utf8Bytes) {
        let room = self.room_key(room);
        self.bus.publish(&room, 0, &frame);
        self.deliver(&room, Out::room(&room, frame));
    }

    /// A frame from another node (`id` > 0 for a message, [`RESYNC`] when that node could not
    /// hand on some of the room's frames).
    pub fn deliver_remote(&self, room: &str, id: i64, frame: Utf8Bytes) {
        let room = self.room_key(room);
        if id > 0 {
            self.deliver_in_order(&room, id, frame);
        } else if id == RESYNC {
            self.deliver(&room, Out::Resync(room.clone()));
        } else {
            self.deliver(&room, Out::room(&room, frame));
        }
    }

    /// Queues `out` on every local listener of `room`. A full queue marks its socket slow
    /// instead of waiting: one slow reader never holds up the room.
    pub fn deliver(&self, room: &str, out: Out) {
        let Some(subs) = self.rooms.lock().expect("hub lock").get(room).cloned() else {
            return;
        };
        let list = subs.listeners.read().expect("room lock");
        for l in list.iter() {
            if l.kick.is_slow() {
                continue;
            }
            if let Err(mpsc::error::TrySendError::Full(_)) = l.tx.try_send(out.clone()) {
                l.kick.mark();
            }
        }
    }

    /// After the bus may have lost frames: every local listener catches up from the database.
    pub fn resync_all(&self) {
        let rooms: Vec<Arc<str>> = self
            .rooms
            .lock()
            .expect("hub lock")
            .keys()
            .cloned()
            .collect();
        for room in rooms {
            self.deliver(&room, Out::Resync(room.clone()));
        }
    }

    /// The rooms this node serves now.
    pub fn served_rooms(&self) -> Vec<String> {
        self.rooms
            .lock()
            .expect("hub lock")
            .keys()
            .map(|k| k.to_string())
            .collect()
    }

    /// The users online in a room (on every node).
    pub async fn online(&self, room: &str) -> Vec<i64> {
        self.presence.online(room).await
    }

    /// Presence changes since the last call are broadcast to their rooms.
    pub async fn flush_presence(&self) {
        for room in self.presence.take_dirty() {
            let online = self.presence.online(&room).await;
            self.publish_frame(&room, frames::presence(&room, &online));
        }
    }

    /// Keeps this node's presence entries alive (cluster mode).
    pub async fn refresh_presence(&self) {
        self.presence.refresh().await;
    }

    /// Whether a user may send one more message this second.
    pub async fn allow_send(&self, user_id: i64) -> bool {
        self.rate.allow(user_id, self.limits.rate_per_sec).await
    }

    /// How many local sockets listen to a room (for tests and metrics).
    pub fn listeners(&self, room: &str) -> usize {
        self.rooms
            .lock()
            .expect("hub lock")
            .get(room)
            .map_or(0, |s| s.listeners.read().expect("room lock").len())
    }
}
