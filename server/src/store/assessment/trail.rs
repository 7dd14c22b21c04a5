//! The trail of an assessment: every step, who took it and what they said (the naming trail's
//! shape, in its own table).

use sqlx::AnyPool;

use crate::domain::assessment::AssessmentStatus;
use crate::store::Tx;
use crate::store::naming::{Step, Trail, add_to, read};

pub async fn add_step(
    tx: &mut Tx,
    assessment_id: i64,
    actor_id: i64,
    action: &str,
    from: AssessmentStatus,
    to: AssessmentStatus,
    opinion: &str,
) -> sqlx::Result<()> {
    let moved = (from.code(), to.code());
    add_to(
        tx,
        Trail::Assessment,
        assessment_id,
        actor_id,
        action,
        moved,
        opinion,
    )
    .await
}

/// The steps of an assessment, oldest first.
pub async fn trail(pool: &AnyPool, assessment_id: i64) -> sqlx::Result<Vec<Step>> {
    read(pool, Trail::Assessment, assessment_id).await
}
