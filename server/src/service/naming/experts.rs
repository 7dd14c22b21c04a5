//! The expert pool of a union: people granted the `expert` role there, with their field.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::store::naming as store;
use crate::store::{Db, orgs};

/// An expert of an org's pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct Expert {
    pub user_id: i64,
    pub display_name: String,
    pub field: String,
}

pub async fn experts(db: &Db, org_id: i64) -> AppResult<Vec<Expert>> {
    orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(store::experts_of(db.reader(), org_id)
        .await?
        .into_iter()
        .map(|(user_id, display_name, field)| Expert {
            user_id,
            display_name,
            field,
        })
        .collect())
}
