//! Attending an offline event: registration against the capacity (or onto the host's waiting
//! list), cancellation that moves the next in line up, the door code the host shows, and
//! check-in with it.

use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Created;
use super::events::{get, host_alliance};
use crate::auth::{Actor, policy};
use crate::domain::event::{
    CHECKIN_TTL_MS, MAX_FAILED_CHECKINS, RegistrationAction, RegistrationStatus, code_matches,
    door_open, place_or_wait,
};
use crate::error::{AppError, AppResult};
use crate::store::{Db, Tx};
use crate::store::{audit, event_registrations, events, notifications, now_ms, rfc3339};

fn wrong(status: &str, action: RegistrationAction) -> AppError {
    AppError::wrong_state(status, action.verb())
}

/// A registration: a place taken, or a place on the waiting list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registration {
    /// The event.
    pub id: i64,
    /// registered, or waitlisted (on the host's waiting list).
    pub status: RegistrationStatus,
    /// For a waitlisted registration: its place in line (1 = next).
    pub position: Option<i64>,
}

/// Registers the actor. Past capacity: onto the waiting list when the host keeps one (its
/// place in line), else 409 `full`. 409 when already registered or waiting.
pub async fn register(db: &Db, actor: &Actor, id: i64) -> AppResult<Registration> {
    let e = get(db, id).await?;
    let in_union_subtree = match e.org_path.as_deref() {
        Some(path) if e.audience != "public" => super::hosts::in_subtree(db, actor, path).await?,
        _ => false,
    };
    policy::register_event(actor, &e, in_union_subtree)?;
    if e.cancelled {
        return Err(super::events::cancelled());
    }
    if now_ms() > e.ends_ms {
        return Err(AppError::conflict(
            "ended",
            "活动已结束 / the event is over",
        ));
    }
    let mut tx = db.begin().await?;
    if !event_registrations::register(&mut tx, id, actor.id()).await? {
        let now = event_registrations::registration_in(&mut tx, id, actor.id()).await?;
        let status = now.map_or("", |(s, _)| s.code());
        return Err(wrong(status, RegistrationAction::Register));
    }
    let taken = event_registrations::take_place(&mut tx, id).await?;
    let Some(status) = place_or_wait(taken, e.waitlist) else {
        return Err(AppError::conflict("full", "名额已满 / the event is full"));
    };
    if status == RegistrationStatus::Waitlisted {
        event_registrations::wait(&mut tx, id, actor.id()).await?;
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "register",
        "event",
        id,
        status.code(),
    )
    .await?;
    tx.commit().await?;
    let position = match status {
        RegistrationStatus::Waitlisted => {
            event_registrations::waiting(db.reader(), id, Some(actor.id()))
                .await?
                .1
        }
        _ => None,
    };
    Ok(Registration {
        id,
        status,
        position,
    })
}

/// Fills free places from the waiting list, in order, telling each person moved up.
pub(super) async fn fill_from_waitlist(tx: &mut Tx, id: i64, title: &str) -> AppResult<()> {
    while let Some(user_id) = event_registrations::move_up_first(tx, id).await? {
        notifications::push(
            tx,
            user_id,
            "event_moved_up",
            &format!("候补成功：您已获得活动“{title}”的名额"),
            &format!("/events/{id}"),
        )
        .await?;
    }
    Ok(())
}

/// Cancels the actor's registration or place in line. A place freed goes to the first on the
/// waiting list, who is told.
pub async fn cancel(db: &Db, actor: &Actor, id: i64) -> AppResult<()> {
    let e = get(db, id).await?;
    let mut tx = db.begin().await?;
    let now = event_registrations::registration_in(&mut tx, id, actor.id()).await?;
    let from = now.map(|(s, _)| s);
    let action = RegistrationAction::Cancel;
    let (Some(from), Some(to)) = (from, RegistrationStatus::transition(from, action)) else {
        return Err(wrong(from.map_or("", |s| s.code()), action));
    };
    if !event_registrations::set_registration(&mut tx, id, actor.id(), from, to).await? {
        return Err(AppError::conflict(
            "changed_meanwhile",
            "报名刚有变动，请刷新后再试 / the registration changed meanwhile: reload and try again",
        ));
    }
    if from.holds_place() {
        event_registrations::free_place(&mut tx, id).await?;
        if !e.cancelled {
            fill_from_waitlist(&mut tx, id, &e.title).await?;
        }
    }
    audit::record(
        &mut tx,
        Some(actor.id()),
        "cancel",
        "event_registration",
        id,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The code the host shows at the door, and where attendees enter it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DoorCode {
    pub code: String,
    pub expires_at: String,
    /// The check-in page with the code filled in (what the QR code holds); relative when no
    /// site URL is configured.
    pub checkin_url: String,
}

/// The live door code, or a fresh one when it has (nearly) run out. Only while the door is open.
/// `site_origin` makes the code's link absolute when the public origin is configured.
pub async fn door_code(
    db: &Db,
    site_origin: Option<&str>,
    actor: &Actor,
    id: i64,
) -> AppResult<DoorCode> {
    let e = get(db, id).await?;
    policy::manage_event(actor, &e, host_alliance(db, &e).await?.as_ref())?;
    let now = now_ms();
    if !door_open(e.starts_ms, e.ends_ms, now) {
        return Err(AppError::conflict(
            "door_closed",
            "签到在活动开始前两小时至结束后两小时开放 / check-in opens two hours before the start and closes two hours after the end",
        ));
    }
    let mut tx = db.begin().await?;
    let (mut code, mut expires) = events::checkin_code(&mut tx, id).await?;
    if expires - now < 60_000 {
        code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        expires = now + CHECKIN_TTL_MS;
        events::set_checkin_code(&mut tx, id, &code, expires).await?;
    }
    tx.commit().await?;
    let origin = site_origin.unwrap_or_default();
    let checkin_url = format!("{origin}/events/{id}/checkin?code={code}");
    Ok(DoorCode {
        code,
        expires_at: rfc3339(expires),
        checkin_url,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckinInput {
    pub code: String,
}

/// Checks the actor in with the code shown at the door: 422 for a wrong or expired code.
pub async fn check_in(db: &Db, actor: &Actor, id: i64, input: CheckinInput) -> AppResult<Created> {
    if get(db, id).await?.cancelled {
        return Err(super::events::cancelled());
    }
    let mut tx = db.begin().await?;
    let Some((status, failed)) =
        event_registrations::registration_in(&mut tx, id, actor.id()).await?
    else {
        return Err(AppError::conflict(
            "not_registered",
            "请先报名 / register first",
        ));
    };
    let Some(to) = RegistrationStatus::transition(Some(status), RegistrationAction::CheckIn) else {
        return Err(wrong(status.code(), RegistrationAction::CheckIn));
    };
    if failed >= MAX_FAILED_CHECKINS {
        return Err(AppError::rate_limited(600));
    }
    let (code, expires) = events::checkin_code(&mut tx, id).await?;
    if !code_matches(&input.code, &code, expires, now_ms()) {
        event_registrations::count_failed_checkin(&mut tx, id, actor.id()).await?;
        tx.commit().await?;
        return Err(AppError::invalid_field(
            "code",
            "签到码错误或已过期 / the code is wrong or has expired",
        ));
    }
    if !event_registrations::set_registration(&mut tx, id, actor.id(), status, to).await? {
        return Err(wrong(status.code(), RegistrationAction::CheckIn));
    }
    audit::record(&mut tx, Some(actor.id()), "check_in", "event", id, "").await?;
    tx.commit().await?;
    Ok(Created { id })
}
