//! Delisting (摘牌, Jieyang art. 8): the naming union's staff take the title from a named
//! studio for one of the five cases, with a note. The studio keeps its account, people and
//! history; the audit log and the studio's leader are told why.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::delisting::DelistReason;
use crate::domain::naming::OPINION_MAX;
use crate::domain::studio::{StudioAction, StudioStatus};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::{Db, audit, notifications, outbox, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct DelistInput {
    /// `misconduct`, `accident`, `fraud`, `failed_assessment` or `unit_request`.
    pub reason: String,
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delisted {
    pub id: i64,
    pub status: StudioStatus,
    pub reason: DelistReason,
}

pub async fn delist(
    db: &Db,
    actor: &Actor,
    studio_id: i64,
    input: DelistInput,
) -> AppResult<Delisted> {
    let studio = crate::service::studios::get(db, Some(actor), studio_id).await?;
    policy::delist_studio(actor, &studio)?;
    let note = input.note.trim();
    let reason = DelistReason::parse(input.reason.trim());
    let mut c = Checks::new();
    if reason.is_none() {
        c.fail(
            "reason",
            "摘牌情形应为揭阳市办法第八条所列之一 / reason must be one of the cases of art. 8",
        );
    }
    c.required("note", note, OPINION_MAX);
    c.finish()?;
    let reason = reason.expect("checked above");
    let to = studio
        .status
        .transition(StudioAction::Delist)
        .ok_or_else(|| AppError::wrong_state(studio.status.code(), "delist"))?;
    let mut tx = db.begin().await?;
    if !studios::set_status(&mut tx, studio.id, studio.status, to).await? {
        let now = studios::find_in(&mut tx, studio.id)
            .await?
            .ok_or_else(AppError::not_found)?;
        return Err(AppError::wrong_state(now.status.code(), "delist"));
    }
    let detail = format!("{}：{}；{}", reason.code(), reason.label_zh(), note);
    audit::record(
        &mut tx,
        Some(actor.id()),
        "delist",
        "studio",
        studio.id,
        &detail,
    )
    .await?;
    let subject = format!("{}已被摘牌：{}", studio.name, reason.label_zh());
    let link = format!("/studios/{}", studio.id);
    notifications::push(&mut tx, studio.leader_id, "delisted", &subject, &link).await?;
    outbox::append(&mut tx, Entity::Studio, studio.id, Op::Status).await?;
    tx.commit().await?;
    Ok(Delisted {
        id: studio.id,
        status: to,
        reason,
    })
}
