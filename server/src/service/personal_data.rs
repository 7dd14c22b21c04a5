//! A person's rights over their own data (个人信息保护法 arts. 45 and 47): a copy of what the
//! platform holds about them, and closing their account. A closed account keeps its row, so
//! that awards, outcomes, ledgers and conversations keep an author, but it is 已注销用户 from
//! then on: its personal fields are erased, its sessions end, and it holds no place.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::{Actor, password};
use crate::domain::studio::MemberRole;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::store::{Db, audit, now_ms, outbox, personal_data, rfc3339, users};

/// The name every closed account shows.
pub const CLOSED_NAME: &str = "已注销用户";

/// The download: when it was made, and each section as a list of records.
#[derive(Debug, Serialize)]
pub struct PersonalData {
    pub generated_at: String,
    pub sections: Map<String, Value>,
}

/// Everything the platform holds about the actor.
pub async fn export(db: &Db, actor: &Actor) -> AppResult<PersonalData> {
    let sections = personal_data::of(db.reader(), actor.id()).await?;
    let sections = sections
        .into_iter()
        .map(|s| {
            let rows = s
                .rows
                .into_iter()
                .map(|row| {
                    let record: Map<String, Value> = s
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(column, value)| (column.to_string(), readable(column, value)))
                        .collect();
                    Value::Object(record)
                })
                .collect();
            (s.name.to_owned(), Value::Array(rows))
        })
        .collect();
    Ok(PersonalData {
        generated_at: rfc3339(now_ms()),
        sections,
    })
}

/// Instants are stored as milliseconds; the download shows them as dates.
fn readable(column: &str, value: Option<String>) -> Value {
    match value {
        None => Value::Null,
        Some(v) if column.ends_with("_at") => match v.parse::<i64>() {
            Ok(ms) => Value::String(rfc3339(ms)),
            Err(_) => Value::String(v),
        },
        Some(v) => Value::String(v),
    }
}

/// Closes the actor's account after checking their password. A studio's leader hands the
/// studio over first (409 `hand_over_first`): a studio is never left without one.
pub async fn close(
    db: &Db,
    data_dir: &std::path::Path,
    actor: &Actor,
    password_input: String,
) -> AppResult<()> {
    let hash = users::credentials(db.reader(), &actor.user.username)
        .await?
        .map(|(_, hash)| hash);
    if !password::verify(password_input, hash).await {
        return Err(AppError::invalid_field(
            "password",
            "密码不正确 / the password is wrong",
        ));
    }
    if actor.studios.iter().any(|(_, r)| *r == MemberRole::Leader) {
        return Err(AppError::conflict(
            "hand_over_first",
            "你是工作室领衔人，请先移交领衔人再注销 / hand your studio over before closing the account",
        ));
    }
    let id = actor.id();
    let mut tx = db.begin().await?;
    // No one can register a name that starts with '#': the old name is free, this one unique.
    let username = format!("#closed-{id}");
    let left = personal_data::close(&mut tx, id, &username, CLOSED_NAME, now_ms()).await?;
    // The portrait is personal data too: it goes with the account.
    let portrait = users::set_portrait(&mut tx, id, None).await?;
    for studio in left {
        outbox::append(&mut tx, Entity::Studio, studio, Op::Members).await?;
    }
    audit::record(&mut tx, Some(id), "close_account", "user", id, "").await?;
    tx.commit().await?;
    if let Some(p) = portrait {
        crate::pictures::remove(data_dir, &p).await;
    }
    Ok(())
}
