//! Registrations for an offline event (活动报名): places taken against the capacity, the
//! waiting list (候补) in the order people joined it, cancellations and failed check-ins.

use sqlx::{AnyPool, Row};

use super::{Tx, lifecycle, now_ms};
use crate::domain::event::RegistrationStatus;

/// The reader's registration status at an event, if any.
pub async fn registration(
    pool: &AnyPool,
    event_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<RegistrationStatus>> {
    sqlx::query("SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2")
        .bind(event_id)
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        .map(|r| lifecycle(r.try_get(0)?, RegistrationStatus::parse))
        .transpose()
}

/// (status, failed check-ins) inside a write transaction.
pub async fn registration_in(
    tx: &mut Tx,
    event_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<(RegistrationStatus, i64)>> {
    sqlx::query(
        "SELECT status, failed_checkins FROM event_registrations WHERE event_id = $1 AND user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| Ok((lifecycle(r.try_get(0)?, RegistrationStatus::parse)?, r.try_get(1)?)))
    .transpose()
}

/// Takes a place if one is left: the conditional update serialises concurrent registrations,
/// so the count never passes the capacity. `false` when the event is full.
pub async fn take_place(tx: &mut Tx, event_id: i64) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE events SET registered = registered + 1 WHERE id = $1 AND registered < capacity",
    )
    .bind(event_id)
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn free_place(tx: &mut Tx, event_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE events SET registered = registered - 1 WHERE id = $1 AND registered > 0")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Registers, or registers again after a cancellation; `false` when already registered or
/// checked in (concurrent attempts by one person end here, not in a second place taken).
pub async fn register(tx: &mut Tx, event_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "INSERT INTO event_registrations (event_id, user_id, status, registered_at) \
         VALUES ($1, $2, 'registered', $3) \
         ON CONFLICT (event_id, user_id) DO UPDATE SET status = 'registered', registered_at = $3 \
         WHERE event_registrations.status = 'cancelled'",
    )
    .bind(event_id)
    .bind(user_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// Moves a registration from `from` to `to`; `false` when it was not in `from`.
pub async fn set_registration(
    tx: &mut Tx,
    event_id: i64,
    user_id: i64,
    from: RegistrationStatus,
    to: RegistrationStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE event_registrations SET status = $1, \
         checked_in_at = CASE WHEN $1 = 'checked_in' THEN $2 ELSE checked_in_at END \
         WHERE event_id = $3 AND user_id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(event_id)
    .bind(user_id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn count_failed_checkin(tx: &mut Tx, event_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE event_registrations SET failed_checkins = failed_checkins + 1 \
         WHERE event_id = $1 AND user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts a fresh registration at the end of the waiting list (the place was not there). Its
/// number comes from the event's counter, updated in this transaction, so the line keeps the
/// order in which people joined it.
pub async fn wait(tx: &mut Tx, event_id: i64, user_id: i64) -> sqlx::Result<()> {
    let no: i64 =
        sqlx::query("UPDATE events SET wait_seq = wait_seq + 1 WHERE id = $1 RETURNING wait_seq")
            .bind(event_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    sqlx::query(
        "UPDATE event_registrations SET status = 'waitlisted', wait_no = $1 \
         WHERE event_id = $2 AND user_id = $3 AND status = 'registered'",
    )
    .bind(no)
    .bind(event_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves the first person waiting up into a place that is free now, counting the place;
/// their id, or `None` when nobody waits. Each try reads the list afresh, so two
/// cancellations at once move up two different people and nobody is skipped.
pub async fn move_up_first(tx: &mut Tx, event_id: i64) -> sqlx::Result<Option<i64>> {
    loop {
        let first: Option<i64> = sqlx::query(
            "SELECT user_id FROM event_registrations WHERE event_id = $1 \
             AND status = 'waitlisted' ORDER BY wait_no LIMIT 1",
        )
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        let Some(user_id) = first else {
            return Ok(None);
        };
        let moved = sqlx::query(
            "UPDATE event_registrations SET status = 'registered' \
             WHERE event_id = $1 AND user_id = $2 AND status = 'waitlisted'",
        )
        .bind(event_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1;
        if moved {
            if take_place(tx, event_id).await? {
                return Ok(Some(user_id));
            }
            // No place after all: back in line where they were.
            wait_again(tx, event_id, user_id).await?;
            return Ok(None);
        }
    }
}

async fn wait_again(tx: &mut Tx, event_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE event_registrations SET status = 'waitlisted' WHERE event_id = $1 AND user_id = $2",
    )
    .bind(event_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// How many wait, and where the reader stands among them (1 = next), if waiting.
pub async fn waiting(
    pool: &AnyPool,
    event_id: i64,
    user_id: Option<i64>,
) -> sqlx::Result<(i64, Option<i64>)> {
    let r = sqlx::query(
        "SELECT COUNT(*), \
         CAST(SUM(CASE WHEN wait_no <= (SELECT m.wait_no FROM event_registrations m \
              WHERE m.event_id = $1 AND m.user_id = $2 AND m.status = 'waitlisted') \
             THEN 1 ELSE 0 END) AS BIGINT) \
         FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted'",
    )
    .bind(event_id)
    .bind(user_id.unwrap_or(0))
    .fetch_one(pool)
    .await?;
    let waiting: i64 = r.try_get(0)?;
    let place: Option<i64> = r.try_get(1)?;
    Ok((waiting, place.filter(|p| *p > 0)))
}
