//! Adoptions (成果推广): a unit that applied an outcome records it (a person of that unit or
//! union staff above it), the outcome's studio confirms or declines it, and only confirmed
//! adoptions count in the outcome's figures and in the subtree's metrics.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::outcome::{AdoptionStatus, check_adoption};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::Created;
use crate::store::adoptions::{self, Adoption, NewAdoption};
use crate::store::orgs::{self, Org};
use crate::store::{Db, audit, notifications, outbox, studios};

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdoptionInput {
    /// The adopting unit (an org of the tree: an enterprise, or a union).
    pub org_id: i64,
    /// Where in the unit (a workshop, a line).
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub effect: String,
}

/// The host units of the actor's studios: the units the actor is a person of.
async fn host_units(db: &Db, actor: &Actor) -> AppResult<Vec<i64>> {
    let mut hosts = Vec::new();
    for (studio_id, _) in &actor.studios {
        if let Some(s) = studios::find(db.reader(), *studio_id).await? {
            hosts.push(s.org_id);
        }
    }
    Ok(hosts)
}

/// The most units a form offers: a province's staff pick among the first of their subtree
/// (the API takes any unit of it).
const FORM_UNITS: usize = 300;

/// The units an actor may record adoptions for, as a form offers them: the host units of
/// their studios, then the subtrees of the unions they are staff of, in tree order.
pub async fn units_for(db: &Db, actor: &Actor) -> AppResult<Vec<Org>> {
    let hosts = host_units(db, actor).await?;
    let mut units = orgs::by_ids(db.reader(), &hosts).await?;
    units.extend(super::orgs::acted_for(db, actor, FORM_UNITS).await?);
    let mut seen = std::collections::HashSet::new();
    units.retain(|o| seen.insert(o.id));
    units.truncate(FORM_UNITS);
    Ok(units)
}

/// Records an adoption, waiting for the studio's answer; the studio's leader is asked.
pub async fn adopt(db: &Db, actor: &Actor, id: i64, input: AdoptionInput) -> AppResult<Created> {
    let outcome = super::outcomes::get(db, id).await?;
    let unit = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "没有这个单位 / no such unit"))?;
    policy::outcomes::record_adoption(actor, &outcome, &unit, &host_units(db, actor).await?)?;
    let (place, effect) = (input.place.trim(), input.effect.trim());
    let mut c = Checks::new();
    check_adoption(place, effect, &mut c);
    c.finish()?;
    let studio = studios::find(db.reader(), outcome.studio_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut tx = db.begin().await?;
    if adoptions::pending_of_unit(&mut tx, id, unit.id).await? {
        return Err(AppError::conflict(
            "already_recorded",
            "这个单位的推广应用已登记，正等待工作室确认 / this unit's adoption waits for the studio's answer",
        ));
    }
    let aid = adoptions::insert(
        &mut tx,
        &NewAdoption {
            outcome_id: id,
            org_id: unit.id,
            unit: &unit.name,
            place,
            effect,
            recorded_by: actor.id(),
        },
    )
    .await?;
    let subject = format!("{}登记推广应用了成果“{}”，请确认", unit.name, outcome.title);
    notifications::push(
        &mut tx,
        studio.leader_id,
        "adoption",
        &subject,
        &format!("/outcomes/{id}#adoptions"),
    )
    .await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "adopt",
        "outcome",
        id,
        &unit.name,
    )
    .await?;
    tx.commit().await?;
    Ok(Created { id: aid })
}

/// The studio's leader confirms (`true`) or declines a recorded adoption, once; the person
/// who recorded it hears the answer. A confirmed one counts from then on.
pub async fn answer(
    db: &Db,
    actor: &Actor,
    id: i64,
    adoption_id: i64,
    confirm: bool,
) -> AppResult<Adoption> {
    let outcome = super::outcomes::get(db, id).await?;
    policy::outcomes::answer_adoption(actor, &outcome)?;
    let a = adoptions::find(db.reader(), id, adoption_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let status = a
        .status
        .answer(confirm)
        .map_err(|why| AppError::conflict("answered", why))?;
    let mut tx = db.begin().await?;
    if !adoptions::answer(&mut tx, adoption_id, status, actor.id()).await? {
        return Err(AppError::conflict(
            "answered",
            AdoptionStatus::Confirmed.answer(true).unwrap_err(),
        ));
    }
    let subject = match status {
        AdoptionStatus::Confirmed => format!("成果“{}”的推广应用已确认", outcome.title),
        _ => format!("成果“{}”的推广应用被工作室退回", outcome.title),
    };
    notifications::push(
        &mut tx,
        a.recorded_by,
        "adoption_answered",
        &subject,
        &format!("/outcomes/{id}#adoptions"),
    )
    .await?;
    outbox::append(&mut tx, Entity::Outcome, id, Op::Update).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        status.code(),
        "adoption",
        adoption_id,
        &a.unit,
    )
    .await?;
    tx.commit().await?;
    adoptions::find(db.reader(), id, adoption_id)
        .await?
        .ok_or_else(AppError::not_found)
}
