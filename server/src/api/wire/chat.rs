//! Chat on the wire: a message and a room's read state, as the REST API answers them. The
//! socket's frames (`chat::frames`) carry the same message fields.

use crate::store::chat;

wire! {
    /// One chat message as the API, the socket and the page show it.
    pub struct Message from chat::Message {
        /// The sequence number within the room: 1, 2, 3, … with no gaps.
        id: i64,
        room: String,
        author_id: i64,
        author_name: String,
        /// Plain text; empty once deleted.
        body: String,
        client_id: String,
        created_at: String,
        edited_at: Option<String>,
        deleted_at: Option<String>,
    }
}

wire! {
    /// A room as a reader's list shows it.
    pub struct RoomState from chat::RoomState {
        room: String,
        /// The newest id in the room.
        last_id: i64,
        /// The last id this user has read.
        last_read: i64,
        /// Messages by others after `last_read`, deletions not counted.
        unread: i64,
    }
}
