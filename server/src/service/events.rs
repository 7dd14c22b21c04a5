//! Offline events (线下活动): scheduling, registration against capacity, check-in at the door
//! with a short-lived code, and the host's summary with photos.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::event::{EventDraft, RegistrationStatus, check_event, parse_time};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::files;
use crate::service::{Page, Paging, page_with};
use crate::store::Db;
use crate::store::alliances::{self, Alliance};
use crate::store::events::{self, Attendee, Event, NewEvent, Photo};
use crate::store::hosts::HostIds;
use crate::store::{audit, event_registrations, notifications, now_ms};

#[derive(Debug, Deserialize, ToSchema)]
pub struct EventInput {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    /// A union hosting it (its staff or the staff above): for its subtree (`audience:
    /// "members"`) or for everyone.
    pub org_id: Option<i64>,
    /// lecture, salon, site_visit, study_tour, competition or training.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub location: String,
    /// RFC 3339, or YYYY-MM-DDTHH:MM in China time.
    pub starts_at: String,
    pub ends_at: String,
    pub capacity: i64,
    /// public (default) or members.
    pub audience: Option<String>,
    /// Keep a waiting list (候补): a registration beyond the capacity waits (201 `waitlisted`)
    /// instead of 409 `full`, and moves up in order when a place frees.
    #[serde(default)]
    pub waitlist: bool,
}

pub use super::Created;

pub async fn create(db: &Db, actor: &Actor, input: EventInput) -> AppResult<Created> {
    let mut c = Checks::new();
    let host = HostIds {
        studio_id: input.studio_id,
        alliance_id: input.alliance_id,
        org_id: input.org_id,
    };
    super::hosts::check(db, actor, host, &mut c).await?;
    let draft = EventDraft {
        kind: input.kind.trim(),
        title: input.title.trim(),
        description: input.description.trim(),
        location: input.location.trim(),
        starts_at: parse_time(&input.starts_at),
        ends_at: parse_time(&input.ends_at),
        capacity: input.capacity,
        audience: input.audience.as_deref().map(str::trim).unwrap_or("public"),
    };
    check_event(&draft, now_ms(), &mut c);
    c.finish()?;
    let (Some(starts_at), Some(ends_at)) = (draft.starts_at, draft.ends_at) else {
        return Err(AppError::invalid_field(
            "starts_at",
            "时间无效 / invalid time",
        ));
    };
    let mut tx = db.begin().await?;
    let id = events::insert(
        &mut tx,
        &NewEvent {
            host,
            author_id: actor.id(),
            kind: draft.kind,
            title: draft.title,
            description: draft.description,
            location: draft.location,
            starts_at,
            ends_at,
            capacity: draft.capacity,
            audience: draft.audience,
            waitlist: input.waitlist,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "create",
        "event",
        id,
        draft.title,
    )
    .await?;
    tx.commit().await?;
    Ok(Created { id })
}

pub async fn get(db: &Db, id: i64) -> AppResult<Event> {
    events::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

pub(super) async fn host_alliance(db: &Db, e: &Event) -> AppResult<Option<Alliance>> {
    Ok(match e.alliance_id {
        Some(a) => alliances::find(db.reader(), a).await?,
        None => None,
    })
}

/// Upcoming events (and those under way), of a host or all.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct EventQuery {
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
    pub org_id: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Soonest first; the cursor holds the last event's start and id.
pub async fn upcoming(db: &Db, q: &EventQuery) -> AppResult<Page<Event>> {
    let paging = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, after) = paging.resolve_key()?;
    let pool = db.reader();
    let host = HostIds {
        studio_id: q.studio_id,
        alliance_id: q.alliance_id,
        org_id: q.org_id,
    };
    let rows = events::list(pool, host, now_ms(), after, limit + 1).await?;
    Ok(page_with(rows, limit, |e| {
        crate::store::encode_key_cursor(e.starts_ms, e.id)
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SummaryInput {
    pub summary: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelInput {
    /// Why it is cancelled (1–500 characters); every registrant reads it.
    pub reason: String,
}

/// The host cancels an event that has not ended, with a reason: every registrant is told,
/// registration and check-in close. 409 `cancelled` when it was cancelled already, `ended`
/// once it is over.
pub async fn cancel(db: &Db, actor: &Actor, id: i64, input: CancelInput) -> AppResult<()> {
    let e = get(db, id).await?;
    policy::manage_event(actor, &e, host_alliance(db, &e).await?.as_ref())?;
    if now_ms() > e.ends_ms {
        return Err(AppError::conflict(
            "ended",
            "活动已结束 / the event is over",
        ));
    }
    let reason = input.reason.trim();
    let mut c = Checks::new();
    c.required("reason", reason, 500);
    c.finish()?;
    let mut tx = db.begin().await?;
    let Some(people) = events::cancel(&mut tx, id, reason).await? else {
        return Err(cancelled());
    };
    let subject = format!("活动“{}”已取消：{reason}", e.title);
    for person in people {
        notifications::push(
            &mut tx,
            person,
            "event_cancelled",
            &subject,
            &format!("/events/{id}"),
        )
        .await?;
    }
    audit::record(&mut tx, Some(actor.id()), "cancel", "event", id, reason).await?;
    tx.commit().await?;
    Ok(())
}

/// What a host changes; what is left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EventPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    /// RFC 3339, or YYYY-MM-DDTHH:MM in China time.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub capacity: Option<i64>,
}

/// The host changes an event that stands and has not ended. A new time or place is told to
/// every registrant; the capacity cannot go below the places taken (422 on `capacity`).
pub async fn update(db: &Db, actor: &Actor, id: i64, patch: EventPatch) -> AppResult<Event> {
    let e = get(db, id).await?;
    policy::manage_event(actor, &e, host_alliance(db, &e).await?.as_ref())?;
    if e.cancelled {
        return Err(cancelled());
    }
    if now_ms() > e.ends_ms {
        return Err(AppError::conflict(
            "ended",
            "活动已结束 / the event is over",
        ));
    }
    let pick = |new: &Option<String>, old: &str| {
        new.as_deref()
            .map_or(old.to_owned(), |v| v.trim().to_owned())
    };
    let (title, description, location) = (
        pick(&patch.title, &e.title),
        pick(&patch.description, &e.description),
        pick(&patch.location, &e.location),
    );
    let time = |new: &Option<String>, old: i64| new.as_deref().map_or(Some(old), parse_time);
    let draft = EventDraft {
        kind: &e.kind,
        title: &title,
        description: &description,
        location: &location,
        starts_at: time(&patch.starts_at, e.starts_ms),
        ends_at: time(&patch.ends_at, e.ends_ms),
        capacity: patch.capacity.unwrap_or(e.capacity),
        audience: &e.audience,
    };
    let mut c = Checks::new();
    check_event(&draft, now_ms(), &mut c);
    if draft.capacity < e.registered {
        c.fail(
            "capacity",
            format!(
                "已有 {} 人报名，名额不能更少 / {} have registered already",
                e.registered, e.registered
            ),
        );
    }
    c.finish()?;
    let (Some(starts_at), Some(ends_at)) = (draft.starts_at, draft.ends_at) else {
        return Err(AppError::invalid_field(
            "starts_at",
            "时间无效 / invalid time",
        ));
    };
    let change = events::EventChange {
        title: &title,
        description: &description,
        location: &location,
        starts_at,
        ends_at,
        capacity: draft.capacity,
    };
    let mut tx = db.begin().await?;
    let Some(people) = events::change(&mut tx, id, &change).await? else {
        return Err(AppError::conflict(
            "changed_meanwhile",
            "活动刚被改动或取消，请刷新后再试 / the event changed meanwhile: reload and try again",
        ));
    };
    let moved = starts_at != e.starts_ms || ends_at != e.ends_ms || location != e.location;
    if moved {
        let subject = format!(
            "活动“{title}”时间或地点有变：{} 在 {location}",
            crate::domain::event::china_local(starts_at).replace('T', " ")
        );
        for person in people {
            notifications::push(
                &mut tx,
                person,
                "event_changed",
                &subject,
                &format!("/events/{id}"),
            )
            .await?;
        }
    }
    if draft.capacity > e.capacity {
        super::event_attendance::fill_from_waitlist(&mut tx, id, &title).await?;
    }
    audit::record(&mut tx, Some(actor.id()), "update", "event", id, &title).await?;
    tx.commit().await?;
    get(db, id).await
}

/// The answer to anything asked of a cancelled event.
pub fn cancelled() -> AppError {
    AppError::conflict("cancelled", "活动已取消 / the event was cancelled")
}

/// The host's summary, once the event has begun.
pub async fn summarise(db: &Db, actor: &Actor, id: i64, input: SummaryInput) -> AppResult<()> {
    let e = get(db, id).await?;
    policy::manage_event(actor, &e, host_alliance(db, &e).await?.as_ref())?;
    if now_ms() < e.starts_ms {
        return Err(AppError::conflict(
            "not_started",
            "活动开始后才能写总结 / the event has not begun",
        ));
    }
    let summary = input.summary.trim();
    let mut c = Checks::new();
    c.required("summary", summary, 10_000);
    c.finish()?;
    let mut tx = db.begin().await?;
    events::set_summary(&mut tx, id, summary).await?;
    audit::record(&mut tx, Some(actor.id()), "summarise", "event", id, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a photo to the event's record (the host, once the event has begun): JPEG, PNG or
/// WebP of at most 5 MiB, at most 20 per event. The file is written first and removed again if
/// the row cannot be.
pub async fn add_photo(
    db: &Db,
    data_dir: &std::path::Path,
    actor: &Actor,
    id: i64,
    bytes: &[u8],
) -> AppResult<Created> {
    let e = get(db, id).await?;
    policy::manage_event(actor, &e, host_alliance(db, &e).await?.as_ref())?;
    if now_ms() < e.starts_ms {
        return Err(AppError::conflict(
            "not_started",
            "活动开始后才能上传照片 / the event has not begun",
        ));
    }
    if bytes.len() > files::MAX_PHOTO_BYTES {
        return Err(AppError::too_large());
    }
    let Some((mime, ext)) = files::image_kind(bytes) else {
        return Err(AppError::invalid_field(
            "photo",
            "照片须为 JPEG、PNG 或 WebP / a JPEG, PNG or WebP image",
        ));
    };
    let dir = data_dir;
    let name = files::save_event_photo(dir, id, ext, bytes)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing a photo: {e}")))?;
    let written = async {
        let mut tx = db.begin().await?;
        if events::photo_count(&mut tx, id).await? >= files::MAX_PHOTOS_PER_EVENT {
            return Err(AppError::conflict(
                "too_many_photos",
                "每个活动最多 20 张照片 / at most 20 photos",
            ));
        }
        let photo = events::add_photo(&mut tx, id, &name, mime, bytes.len() as i64).await?;
        audit::record(&mut tx, Some(actor.id()), "add_photo", "event", id, &name).await?;
        tx.commit().await?;
        Ok(Created { id: photo })
    }
    .await;
    if written.is_err() {
        files::remove_event_photo(dir, id, &name).await;
    }
    written
}

/// An event as its page shows it.
#[derive(Debug)]
pub struct EventDetail {
    pub event: Event,
    /// The reader's registration: registered, checked_in, cancelled, waitlisted, or none.
    pub my_status: Option<crate::domain::event::RegistrationStatus>,
    /// The reader's place on the waiting list (1 = next), while waiting.
    pub my_position: Option<i64>,
    /// Who comes, for the host.
    pub attendees: Vec<Attendee>,
    pub photos: Vec<Photo>,
    pub can_manage: bool,
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<EventDetail> {
    let event = get(db, id).await?;
    // A draft studio's event is as hidden as the studio.
    if let Some(studio) = event.studio_id {
        crate::service::studios::get(db, actor, studio).await?;
    }
    let pool = db.reader();
    let alliance = host_alliance(db, &event).await?;
    let can_manage =
        actor.is_some_and(|a| policy::manage_event(a, &event, alliance.as_ref()).is_ok());
    let my_status = match actor {
        Some(a) => event_registrations::registration(pool, id, a.id()).await?,
        None => None,
    };
    let my_position = match (actor, my_status) {
        (Some(a), Some(RegistrationStatus::Waitlisted)) => {
            event_registrations::waiting(pool, id, Some(a.id()))
                .await?
                .1
        }
        _ => None,
    };
    Ok(EventDetail {
        my_status,
        my_position,
        attendees: if can_manage {
            events::attendees(pool, id).await?
        } else {
            Vec::new()
        },
        photos: events::photos(pool, id).await?,
        can_manage,
        event,
    })
}
