//! Offline events (线下活动): the event, registrations against its capacity, the door code,
//! check-ins, the summary and its photos.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::hosts::HostIds;
use super::{Tx, lifecycle, now_ms, rfc3339};
use crate::domain::event::RegistrationStatus;

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// The hosting union, if a union hosts it.
    pub org_id: Option<i64>,
    /// The hosting union's place in the tree (its staff and those above run the event).
    pub org_path: Option<String>,
    /// The hosting studio's, alliance's or union's name.
    pub host_name: String,
    pub author_id: i64,
    /// lecture, salon, site_visit, study_tour, competition or training.
    pub kind: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i64,
    /// Places taken.
    pub registered: i64,
    pub checked_in: i64,
    /// public or members.
    pub audience: String,
    pub summary: String,
    /// Why the host cancelled it; empty while it stands.
    pub cancel_reason: String,
    pub cancelled: bool,
    /// The host keeps a waiting list (候补).
    pub waitlist: bool,
    /// People on the waiting list.
    pub waitlisted: i64,
    pub starts_ms: i64,
    pub ends_ms: i64,
}

const SELECT: &str = "SELECT e.id, e.studio_id, e.alliance_id, e.org_id, o.path AS org_path, \
    COALESCE(s.name, a.name, o.name, '') AS host_name, e.author_id, e.kind, e.title, e.description, \
    e.location, e.starts_at, e.ends_at, e.capacity, e.registered, e.audience, e.summary, \
    e.cancel_reason, e.cancelled_at, e.waitlist, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted, \
    (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'checked_in') AS checked_in \
    FROM events e LEFT JOIN studios s ON s.id = e.studio_id LEFT JOIN alliances a ON a.id = e.alliance_id \
    LEFT JOIN orgs o ON o.id = e.org_id";

fn event(r: &AnyRow) -> sqlx::Result<Event> {
    let starts_ms: i64 = r.try_get("starts_at")?;
    let ends_ms: i64 = r.try_get("ends_at")?;
    Ok(Event {
        id: r.try_get("id")?,
        studio_id: r.try_get("studio_id")?,
        alliance_id: r.try_get("alliance_id")?,
        org_id: r.try_get("org_id")?,
        org_path: r.try_get("org_path")?,
        host_name: r.try_get("host_name")?,
        author_id: r.try_get("author_id")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        location: r.try_get("location")?,
        starts_at: rfc3339(starts_ms),
        ends_at: rfc3339(ends_ms),
        capacity: r.try_get("capacity")?,
        registered: r.try_get("registered")?,
        checked_in: r.try_get("checked_in")?,
        audience: r.try_get("audience")?,
        summary: r.try_get("summary")?,
        cancel_reason: r.try_get("cancel_reason")?,
        cancelled: r.try_get::<Option<i64>, _>("cancelled_at")?.is_some(),
        waitlist: r.try_get::<i64, _>("waitlist")? != 0,
        waitlisted: r.try_get("waitlisted")?,
        starts_ms,
        ends_ms,
    })
}

/// What a host may change of an event.
#[derive(Debug)]
pub struct EventChange<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
}

/// Changes a standing event, unless the new capacity is below the places already taken (read
/// in the same statement, so a registration cannot slip in between). Returns the people
/// registered, to be told, or `None` when nothing changed.
pub async fn change(tx: &mut Tx, id: i64, c: &EventChange<'_>) -> sqlx::Result<Option<Vec<i64>>> {
    let res = sqlx::query(
        "UPDATE events SET title = $1, description = $2, location = $3, starts_at = $4, \
         ends_at = $5, capacity = $6 WHERE id = $7 AND cancelled_at IS NULL AND registered <= $6",
    )
    .bind(c.title)
    .bind(c.description)
    .bind(c.location)
    .bind(c.starts_at)
    .bind(c.ends_at)
    .bind(c.capacity)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if res.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(registrants(tx, id).await?))
}

/// The people registered, checked in or waiting for a place.
async fn registrants(tx: &mut Tx, id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT user_id FROM event_registrations WHERE event_id = $1 AND status <> 'cancelled'",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Cancels a standing event; false when it was cancelled already. Returns with it the people
/// registered (not cancelled), to be told.
pub async fn cancel(tx: &mut Tx, id: i64, reason: &str) -> sqlx::Result<Option<Vec<i64>>> {
    let res = sqlx::query(
        "UPDATE events SET cancelled_at = $1, cancel_reason = $2 \
         WHERE id = $3 AND cancelled_at IS NULL",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if res.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(registrants(tx, id).await?))
}

#[derive(Debug)]
pub struct NewEvent<'a> {
    pub host: HostIds,
    pub author_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub audience: &'a str,
    pub waitlist: bool,
}

#[tracing::instrument(skip(tx, e))]
pub async fn insert(tx: &mut Tx, e: &NewEvent<'_>) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO events (studio_id, alliance_id, author_id, kind, title, description, location, \
         starts_at, ends_at, capacity, audience, created_at, waitlist, org_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(e.host.studio_id)
    .bind(e.host.alliance_id)
    .bind(e.author_id)
    .bind(e.kind)
    .bind(e.title)
    .bind(e.description)
    .bind(e.location)
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.capacity)
    .bind(e.audience)
    .bind(now_ms())
    .bind(i64::from(e.waitlist))
    .bind(e.host.org_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Event>> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(event)
        .transpose()
}

/// Events of a host (or all), ending after `ends_after` ms, soonest first.
pub async fn list(
    pool: &AnyPool,
    host: HostIds,
    ends_after: i64,
    after: Option<(i64, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<Event>> {
    // The key (start, id) orders the list; a page starts after the last key of the one before.
    let (after_start, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
    let mut sql = format!(
        "{SELECT} WHERE e.ends_at > $1 \
         AND (e.starts_at > $2 OR (e.starts_at = $2 AND e.id > $3))"
    );
    sql.push_str(&host.filter("e"));
    sql.push_str(" ORDER BY e.starts_at, e.id LIMIT $4");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ends_after)
        .bind(after_start)
        .bind(after_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(event).collect()
}

/// The live door code and when it expires (ms).
pub async fn checkin_code(tx: &mut Tx, event_id: i64) -> sqlx::Result<(String, i64)> {
    let r = sqlx::query("SELECT checkin_code, checkin_expires FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

pub async fn set_checkin_code(
    tx: &mut Tx,
    event_id: i64,
    code: &str,
    expires: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE events SET checkin_code = $1, checkin_expires = $2 WHERE id = $3")
        .bind(code)
        .bind(expires)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_summary(tx: &mut Tx, event_id: i64, summary: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE events SET summary = $1 WHERE id = $2")
        .bind(summary)
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An attendee as the host sees them.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub user_id: i64,
    pub display_name: String,
    pub status: RegistrationStatus,
}

pub async fn attendees(pool: &AnyPool, event_id: i64) -> sqlx::Result<Vec<Attendee>> {
    let rows = sqlx::query(
        "SELECT r.user_id, u.display_name, r.status FROM event_registrations r \
         JOIN users u ON u.id = r.user_id WHERE r.event_id = $1 AND r.status <> 'cancelled' \
         ORDER BY r.registered_at",
    )
    .bind(event_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attendee {
                user_id: r.try_get(0)?,
                display_name: r.try_get(1)?,
                status: lifecycle(r.try_get(2)?, RegistrationStatus::parse)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Photo {
    pub id: i64,
    pub file_name: String,
    pub mime: String,
}

pub async fn add_photo(
    tx: &mut Tx,
    event_id: i64,
    file_name: &str,
    mime: &str,
    bytes: i64,
) -> sqlx::Result<i64> {
    sqlx::query(
        "INSERT INTO event_photos (event_id, file_name, mime, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(event_id)
    .bind(file_name)
    .bind(mime)
    .bind(bytes)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

pub async fn photos(pool: &AnyPool, event_id: i64) -> sqlx::Result<Vec<Photo>> {
    let rows =
        sqlx::query("SELECT id, file_name, mime FROM event_photos WHERE event_id = $1 ORDER BY id")
            .bind(event_id)
            .fetch_all(pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Photo {
                id: r.try_get(0)?,
                file_name: r.try_get(1)?,
                mime: r.try_get(2)?,
            })
        })
        .collect()
}

/// A studio's activity record: events it hosted, and check-ins of its people at any event.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub hosted: i64,
    pub attendances: i64,
}

pub async fn activity_of_studio(pool: &AnyPool, studio_id: i64) -> sqlx::Result<Activity> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM events WHERE studio_id = $1), \
         (SELECT COUNT(*) FROM event_registrations r JOIN studio_members m ON m.user_id = r.user_id \
          WHERE m.studio_id = $1 AND r.status = 'checked_in')",
    )
    .bind(studio_id)
    .fetch_one(pool)
    .await?;
    Ok(Activity {
        hosted: r.try_get(0)?,
        attendances: r.try_get(1)?,
    })
}

pub async fn photo_count(tx: &mut Tx, event_id: i64) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) FROM event_photos WHERE event_id = $1")
        .bind(event_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)
}
