//! Notifications on the wire.

use crate::store::notifications;

wire! {
    /// One notification.
    pub struct Notification from notifications::Notification {
        id: i64,
        kind: String,
        subject: String,
        /// A page of this site to open.
        link: String,
        read: bool,
        created_at: String,
    }
}
