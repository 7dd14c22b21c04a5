//! A studio's yearly figures, for its page, its self-evaluation and the staff above it.

use crate::auth::Actor;
use crate::domain::metrics::{Period, YEARS};
use crate::error::{AppError, AppResult};
use crate::service::orgs::china_today;
use crate::store::Db;
use crate::store::metrics::{self, StudioMetrics};

/// The figures of a studio the reader may see, for `year` (this year in China by default);
/// 422 for a year outside the range.
pub async fn of_studio(
    db: &Db,
    actor: Option<&Actor>,
    studio_id: i64,
    year: Option<i32>,
) -> AppResult<StudioMetrics> {
    use chrono::Datelike;
    let year = year.unwrap_or_else(|| china_today().year());
    let period = Period::of_year(year).ok_or_else(|| {
        AppError::invalid_field(
            "year",
            format!(
                "年份应在 {}–{} 之间 / year must be {}–{}",
                YEARS.start(),
                YEARS.end(),
                YEARS.start(),
                YEARS.end()
            ),
        )
    })?;
    crate::service::studios::get(db, actor, studio_id).await?;
    Ok(metrics::of_studio(db.reader(), studio_id, &period).await?)
}
