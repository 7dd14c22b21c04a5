//! Transfer enquiries (意向洽谈): someone interested in an outcome offered for transfer
//! (技术成果转让) opens a direct conversation with the studio's leader, with a first message
//! that names the outcome.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Actor;
use crate::chat::{Hub, Writer};
use crate::domain::chat::Room;
use crate::error::{AppError, AppResult};
use crate::store::{Db, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct EnquiryInput {
    /// What the enquirer wants to know (1–1,000 characters).
    pub message: String,
    /// Chosen by the client; the same one again sends nothing twice.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// Where the conversation goes on.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enquiry {
    /// The direct room with the studio's leader (`dm:A:B`).
    pub room: String,
    pub message_id: i64,
}

const MESSAGE_MAX: usize = 1_000;

pub async fn open(
    db: &Db,
    hub: &Hub,
    writer: &Writer,
    actor: &Actor,
    id: i64,
    input: EnquiryInput,
) -> AppResult<Enquiry> {
    let o = super::outcomes::get(db, id).await?;
    if !o.transferable {
        return Err(AppError::conflict(
            "not_transferable",
            "这项成果没有转让意向 / this outcome is not offered for transfer",
        ));
    }
    let leader = studios::find(db.reader(), o.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?
        .leader_id;
    let Some(room) = Room::dm(actor.id(), leader) else {
        return Err(AppError::conflict(
            "own_outcome",
            "这是您工作室的成果 / this is your own studio's outcome",
        ));
    };
    let message = input.message.trim();
    let mut c = crate::domain::text::Checks::new();
    c.required("message", message, MESSAGE_MAX);
    c.finish()?;
    let body = format!("【意向洽谈】成果“{}”（/outcomes/{id}）\n{message}", o.title);
    let client_id = input
        .client_id
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let room = room.to_string();
    let sent = super::chat::send(db, hub, writer, actor, &room, &body, &client_id).await?;
    Ok(Enquiry {
        room,
        message_id: sent.id,
    })
}
