//! Puts a room's messages back in id order before delivery. Two senders may commit ids 5 and 6
//! and reach the hub as 6, 5; delivering 6 first would make every socket of the room fill the
//! "gap" from the database at once. A message that arrives early is held until the ones before
//! it arrive, or for a short while (a sender may have died between commit and publish; then
//! the sockets fill the gap from the database, which always has it).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;

/// How long an early message waits for the ones before it.
pub const HOLD: Duration = Duration::from_millis(50);

#[derive(Default)]
struct RoomOrder {
    /// The highest id handed out for delivery.
    delivered: i64,
    /// Early messages: id → (frame, since when).
    held: BTreeMap<i64, (Utf8Bytes, Instant)>,
}

/// The delivery order of every room this node serves.
#[derive(Default)]
pub struct Sequencer {
    rooms: Mutex<HashMap<String, RoomOrder>>,
}

impl Sequencer {
    /// Takes message `id` of `room`; returns what may be delivered now, in id order.
    pub fn arrive(&self, room: &str, id: i64, frame: Utf8Bytes) -> Vec<(i64, Utf8Bytes)> {
        let mut rooms = self.rooms.lock().expect("order lock");
        let order = rooms.entry(room.to_owned()).or_default();
        // The first message this node sees in a room sets its position; older ones and
        // repeats pass straight through (sockets drop what they already have).
        if order.delivered == 0 || id <= order.delivered {
            order.delivered = order.delivered.max(id);
            return vec![(id, frame)];
        }
        if id > order.delivered + 1 {
            order.held.insert(id, (frame, Instant::now()));
            return Vec::new();
        }
        let mut out = vec![(id, frame)];
        order.delivered = id;
        while let Some((frame, _)) = order.held.remove(&(order.delivered + 1)) {
            order.delivered += 1;
            out.push((order.delivered, frame));
        }
        out
    }

    /// Releases messages held longer than [`HOLD`] (with everything held after them), per room.
    pub fn overdue(&self) -> Vec<(String, Vec<(i64, Utf8Bytes)>)> {
        let mut rooms = self.rooms.lock().expect("order lock");
        let mut out = Vec::new();
        for (room, order) in rooms.iter_mut() {
            let late = order
                .held
                .values()
                .any(|(_, since)| since.elapsed() >= HOLD);
            if late {
                let released: Vec<(i64, Utf8Bytes)> = std::mem::take(&mut order.held)
                    .into_iter()
                    .map(|(id, (frame, _))| (id, frame))
                    .collect();
                if let Some((last, _)) = released.last() {
                    order.delivered = order.delivered.max(*last);
                }
                out.push((room.clone(), released));
            }
        }
        out
    }

    /// Forgets a room this node no longer serves.
    pub fn forget(&self, room: &str) {
        self.rooms.lock().expect("order lock").remove(room);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: Vec<(i64, Utf8Bytes)>) -> Vec<i64> {
        v.into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn an_early_message_waits_for_the_one_before_it() {
        let s = Sequencer::default();
        let f = || Utf8Bytes::from_static("{}");
        assert_eq!(ids(s.arrive("r", 4, f())), [4]);
        assert_eq!(ids(s.arrive("r", 6, f())), Vec::<i64>::new());
        assert_eq!(ids(s.arrive("r", 7, f())), Vec::<i64>::new());
        assert_eq!(ids(s.arrive("r", 5, f())), [5, 6, 7]);
        assert_eq!(ids(s.arrive("r", 5, f())), [5], "a repeat passes through");
    }

    #[test]
    fn a_message_that_never_comes_releases_the_rest_after_a_while() {
        let s = Sequencer::default();
        let f = || Utf8Bytes::from_static("{}");
        s.arrive("r", 1, f());
        s.arrive("r", 3, f());
        assert!(s.overdue().is_empty());
        std::thread::sleep(HOLD + Duration::from_millis(5));
        let released = s.overdue();
        assert_eq!(released.len(), 1);
        assert_eq!(ids(released.into_iter().next().unwrap().1), [3]);
        assert_eq!(ids(s.arrive("r", 4, f())), [4]);
    }
}
