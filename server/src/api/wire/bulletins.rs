//! Bulletins on the wire.

use crate::store::bulletins as rows;

wire! {
    /// A bulletin (简报) sent down a union's subtree.
    pub struct Bulletin from rows::Bulletin {
        id: i64,
        /// The sending union.
        org_id: i64,
        org_name: String,
        title: String,
        /// Markdown.
        body: String,
        sent_by: i64,
        sent_by_name: String,
        /// How many people have read it.
        read_count: i64,
        created_at: String,
    }
    hidden { org_path }
}
