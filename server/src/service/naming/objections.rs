//! Objections (异议) during the public notice and the naming union's answers.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::naming::{ApplicationStatus, OPINION_MAX};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::service::Created;
use crate::store::naming as store;
use crate::store::{Db, audit, notifications};

use super::applications::get;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TextInput {
    pub text: String,
}

/// Anyone signed in objects (异议) to a candidate during its public notice.
pub async fn object(db: &Db, actor: &Actor, id: i64, input: TextInput) -> AppResult<Created> {
    let app = get(db, Some(actor), id).await?;
    let text = input.text.trim();
    let mut c = Checks::new();
    c.required("text", text, OPINION_MAX);
    c.finish()?;
    if app.status != ApplicationStatus::Notice {
        return Err(AppError::wrong_state(app.status.code(), "object"));
    }
    let mut tx = db.begin().await?;
    let oid = store::add_objection(&mut tx, id, actor.id(), text).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "object",
        "naming_application",
        id,
        "",
    )
    .await?;
    for user in store::staff_of_org(&mut tx, app.org_id).await? {
        let subject = format!("{}：公示期收到异议", app.studio_name);
        let link = format!("/naming/applications/{id}");
        notifications::push(&mut tx, user, "naming", &subject, &link).await?;
    }
    tx.commit().await?;
    Ok(Created { id: oid })
}

/// The naming union's staff answer an objection, once.
pub async fn answer(
    db: &Db,
    actor: &Actor,
    id: i64,
    objection_id: i64,
    input: TextInput,
) -> AppResult<()> {
    let app = get(db, Some(actor), id).await?;
    policy::answer_objection(actor, &app)?;
    let text = input.text.trim();
    let mut c = Checks::new();
    c.required("text", text, OPINION_MAX);
    c.finish()?;
    let mut tx = db.begin().await?;
    if !store::answer_objection(&mut tx, id, objection_id, actor.id(), text).await? {
        return Err(AppError::conflict(
            "already_answered",
            "异议不存在或已答复 / no such objection, or it was answered",
        ));
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "answer_objection",
        "naming_application",
        id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
