//! Attached files on the wire.

use crate::domain::attachment::Owner;
use crate::store::attachments as rows;

/// A file attached to a bulletin, a report or an outcome, with the address that serves it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    /// The name the person gave the file.
    pub name: String,
    pub mime: String,
    pub size_bytes: i64,
    /// Where its readers fetch it.
    pub url: String,
}

impl AttachmentView {
    pub fn of(owner: Owner, a: rows::Attachment) -> AttachmentView {
        let url = match owner {
            Owner::Bulletin => format!("/api/v1/bulletins/{}/images/{}", a.owner_id, a.file_name),
            Owner::Report => format!("/api/v1/reports/{}/attachments/{}", a.owner_id, a.file_name),
            Owner::Outcome => format!(
                "/api/v1/outcomes/{}/attachments/{}",
                a.owner_id, a.file_name
            ),
        };
        AttachmentView {
            id: a.id,
            name: a.original_name,
            mime: a.mime,
            size_bytes: a.size_bytes,
            url,
        }
    }
}
