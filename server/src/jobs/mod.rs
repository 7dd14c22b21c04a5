//! A node's background loops, started by `app::serve` and stopped with it: the search indexer
//! (outbox → tantivy) and the sweep of stale work and of onboarding reminders. The chat writer is a loop too, but it lives
//! in `chat::writer` because it is part of a message's path from a socket to its room.

pub mod indexer;
pub mod reminders;
pub mod sweeper;
