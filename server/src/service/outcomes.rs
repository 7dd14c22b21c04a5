//! Outcomes (成果): publishing (by hand or from an accepted challenge, credited to the team's
//! studios), changing and removing, and the showcase. Adoptions are in `adoptions`.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::attachment::Owner;
use crate::domain::challenge::{ChallengeAction, ClaimStatus};
use crate::domain::outcome::{OutcomeDraft, check_outcome};
use crate::domain::project::{ProjectAction, ProjectStatus};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::service::orgs::china_today;
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::adoptions::{self, Adoption};
use crate::store::attachments::Attachment;
use crate::store::outcomes::{self, Contributor, NewOutcome, Outcome, OutcomeFields};
use crate::store::{audit, challenges, claims, outbox, projects};

/// A new outcome; with `challenge_id` it records that accepted challenge's result.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeInput {
    pub studio_id: i64,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub body: String,
    pub kind: String,
    #[serde(default)]
    pub industry: String,
    pub challenge_id: Option<i64>,
    /// The studio's own project (课题) whose delivered result this records (成果转化).
    #[serde(default)]
    pub project_id: Option<i64>,
    #[serde(default)]
    pub patent_no: String,
    pub benefit_yuan: Option<i64>,
    #[serde(default)]
    pub transferable: bool,
}

pub use super::Created;

pub async fn create(db: &Db, actor: &Actor, input: OutcomeInput) -> AppResult<Created> {
    let pool = db.reader();
    // From a challenge: credited to the awarded teams' studios by their members' shares.
    let (challenge, credits) = match input.challenge_id {
        Some(cid) => {
            let ch = super::challenges::get(db, Some(actor), cid).await?;
            let all = claims::of_challenge(pool, cid).await?;
            policy::outcomes::record_from_challenge(actor, &ch, &all)?;
            super::challenges::next_status(&ch, ChallengeAction::Close)?;
            let mut by_studio: BTreeMap<i64, i64> = BTreeMap::new();
            for m in all
                .iter()
                .filter(|c| c.status == ClaimStatus::Awarded)
                .flat_map(|c| &c.team)
            {
                *by_studio.entry(m.studio_id).or_default() += m.share_percent;
            }
            let total: i64 = by_studio.values().sum::<i64>().max(1);
            let credits: Vec<(i64, i64)> = by_studio
                .into_iter()
                .map(|(s, p)| (s, p * 100 / total))
                .collect();
            (Some((ch, all)), credits)
        }
        None => {
            policy::outcomes::publish(actor, input.studio_id)?;
            (None, vec![(input.studio_id, 100)])
        }
    };
    // From a studio's own project: delivered, recorded for its studio by whoever manages it.
    let project = match input.project_id {
        Some(pid) => {
            let p = super::projects::get(db, actor, pid).await?;
            policy::projects::manage(actor, &p)?;
            if p.status.next(ProjectAction::RecordOutcome).is_none() {
                return Err(AppError::wrong_state(
                    p.status.code(),
                    ProjectAction::RecordOutcome.verb(),
                ));
            }
            Some(p)
        }
        None => None,
    };
    // An outcome from a challenge keeps the challenge's industry unless told otherwise.
    let industry = match (input.industry.trim(), &challenge) {
        ("", Some((ch, _))) => ch.industry.clone(),
        (given, _) => given.to_owned(),
    };
    let draft = OutcomeDraft {
        title: input.title.trim(),
        summary: input.summary.trim(),
        body: input.body.trim(),
        kind: input.kind.trim(),
        industry: &industry,
        patent_no: input.patent_no.trim(),
        benefit_yuan: input.benefit_yuan,
    };
    let mut c = Checks::new();
    check_outcome(&draft, &mut c);
    if project
        .as_ref()
        .is_some_and(|p| p.studio_id != input.studio_id)
    {
        c.fail(
            "studio_id",
            "课题的成果记在本工作室名下 / a project's outcome belongs to its studio",
        );
    }
    if !credits.iter().any(|(studio, _)| *studio == input.studio_id) {
        c.fail(
            "studio_id",
            "成果须记在承担攻关的工作室名下 / must be a studio of the awarded team",
        );
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = outcomes::insert(
        &mut tx,
        &NewOutcome {
            studio_id: input.studio_id,
            author_id: actor.id(),
            title: draft.title,
            summary: draft.summary,
            body: draft.body,
            kind: draft.kind,
            industry: draft.industry,
            challenge_id: input.challenge_id,
            patent_no: draft.patent_no,
            benefit_yuan: draft.benefit_yuan,
            transferable: input.transferable,
            year: i64::from(china_today().year()),
        },
    )
    .await?;
    for (studio, share) in &credits {
        outcomes::add_contributor(&mut tx, id, *studio, *share).await?;
    }
    if let Some((ch, all)) = &challenge {
        super::challenges::step(&mut tx, ch, ChallengeAction::Close).await?;
        outcomes::link_challenge(&mut tx, ch.id, id).await?;
        challenges::add_event(&mut tx, ch.id, actor.id(), "outcome", draft.title, None).await?;
        for claim in all.iter().filter(|c| c.status == ClaimStatus::Awarded) {
            let subject = format!("“{}”的成果已入库：{}", ch.title, draft.title);
            super::challenges::notify_claim(&mut tx, claim, "outcome_recorded", &subject, ch.id)
                .await?;
        }
    }
    if let Some(p) = &project {
        let change = projects::StepChange {
            outcome_id: Some(id),
            ..projects::StepChange::default()
        };
        let (from, to) = (p.status, ProjectStatus::Closed);
        if !projects::step(&mut tx, p.id, from, to, &change).await? {
            return Err(AppError::conflict(
                "changed_meanwhile",
                "课题刚有变动，请刷新后再试 / the project changed meanwhile: reload and try again",
            ));
        }
        projects::add_event(&mut tx, p.id, actor.id(), "outcome", draft.title, None).await?;
    }
    outbox::append(&mut tx, Entity::Outcome, id, Op::Create).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "create",
        "outcome",
        id,
        draft.title,
    )
    .await?;
    tx.commit().await?;
    Ok(Created { id })
}

/// An outcome with its contributors, adoptions and files.
#[derive(Debug)]
pub struct OutcomeDetail {
    pub outcome: Outcome,
    pub contributors: Vec<Contributor>,
    /// Every adoption: confirmed, waiting for the studio's answer, or declined.
    pub adoptions: Vec<Adoption>,
    pub attachments: Vec<Attachment>,
    /// The title of the challenge it came from, if any.
    pub challenge_title: Option<String>,
}

/// An outcome or 404.
pub async fn get(db: &Db, id: i64) -> AppResult<Outcome> {
    outcomes::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

pub async fn detail(db: &Db, id: i64) -> AppResult<OutcomeDetail> {
    let pool = db.reader();
    let outcome = get(db, id).await?;
    let challenge_title = match outcome.challenge_id {
        Some(cid) => challenges::find(pool, cid).await?.map(|c| c.title),
        None => None,
    };
    Ok(OutcomeDetail {
        contributors: outcomes::contributors(pool, id).await?,
        adoptions: adoptions::of_outcome(pool, id).await?,
        attachments: super::attachments::of(db, Owner::Outcome, &[id]).await?,
        challenge_title,
        outcome,
    })
}

/// What the studio's people change; what is left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OutcomeChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub industry: Option<String>,
    pub patent_no: Option<String>,
    /// A number sets it, `null` clears it.
    #[serde(default, deserialize_with = "super::given")]
    #[schema(value_type = Option<i64>)]
    pub benefit_yuan: Option<Option<i64>>,
    pub transferable: Option<bool>,
}

/// The studio's people change an outcome; the change reaches search through the outbox.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: OutcomeChanges,
) -> AppResult<Outcome> {
    let o = get(db, id).await?;
    policy::outcomes::edit(actor, &o)?;
    let pick = |new: &Option<String>, old: &str| {
        new.as_deref()
            .map_or(old.to_owned(), |v| v.trim().to_owned())
    };
    let (title, summary, body) = (
        pick(&changes.title, &o.title),
        pick(&changes.summary, &o.summary),
        pick(&changes.body, &o.body),
    );
    let (kind, industry, patent_no) = (
        pick(&changes.kind, &o.kind),
        pick(&changes.industry, &o.industry),
        pick(&changes.patent_no, &o.patent_no),
    );
    let benefit_yuan = changes.benefit_yuan.unwrap_or(o.benefit_yuan);
    let mut c = Checks::new();
    check_outcome(
        &OutcomeDraft {
            title: &title,
            summary: &summary,
            body: &body,
            kind: &kind,
            industry: &industry,
            patent_no: &patent_no,
            benefit_yuan,
        },
        &mut c,
    );
    c.finish()?;
    let mut tx = db.begin().await?;
    outcomes::update(
        &mut tx,
        id,
        &OutcomeFields {
            title: &title,
            summary: &summary,
            body: &body,
            kind: &kind,
            industry: &industry,
            patent_no: &patent_no,
            benefit_yuan,
            transferable: changes.transferable.unwrap_or(o.transferable),
        },
    )
    .await?;
    outbox::append(&mut tx, Entity::Outcome, id, Op::Update).await?;
    audit::record(&mut tx, Some(actor.id()), "update", "outcome", id, &title).await?;
    tx.commit().await?;
    get(db, id).await
}

/// The studio's leader removes an outcome entered by hand, with its adoptions and files; it
/// leaves search. One that came from a challenge, or that an honour names, is kept (409).
pub async fn remove(db: &Db, data_dir: &std::path::Path, actor: &Actor, id: i64) -> AppResult<()> {
    let o = get(db, id).await?;
    policy::outcomes::remove(actor, &o)?;
    if o.challenge_id.is_some() {
        return Err(AppError::conflict(
            "from_challenge",
            "揭榜攻关形成的成果不能删除 / an outcome of a challenge stays on record",
        ));
    }
    if outcomes::honoured(db.reader(), id).await? {
        return Err(AppError::conflict(
            "honoured",
            "这项成果已获表彰，不能删除 / an honoured outcome stays on record",
        ));
    }
    let mut tx = db.begin().await?;
    outcomes::remove(&mut tx, id).await?;
    outbox::append(&mut tx, Entity::Outcome, id, Op::Remove).await?;
    audit::record(&mut tx, Some(actor.id()), "remove", "outcome", id, &o.title).await?;
    tx.commit().await?;
    crate::files::remove_attachments_of(data_dir, Owner::Outcome, id).await;
    if let Some(picture) = &o.picture {
        crate::pictures::remove(data_dir, picture).await;
    }
    Ok(())
}

/// Showcase query (成果展示).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct ShowcaseQuery {
    pub kind: Option<String>,
    pub industry: Option<String>,
    pub studio_id: Option<i64>,
    /// `true`: only outcomes offered for transfer.
    pub transferable: Option<String>,
    pub year: Option<i64>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(db: &Db, q: &ShowcaseQuery) -> AppResult<Page<Outcome>> {
    let (limit, before) = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    }
    .resolve()?;
    let nonempty = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut c = Checks::new();
    let transferable = match nonempty(&q.transferable).as_deref() {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => {
            c.fail("transferable", "应为 true 或 false / must be true or false");
            None
        }
    };
    c.max_len("kind", q.kind.as_deref().unwrap_or(""), 40);
    c.max_len("industry", q.industry.as_deref().unwrap_or(""), 40);
    c.finish()?;
    let filter = outcomes::Filter {
        kind: nonempty(&q.kind),
        industry: nonempty(&q.industry),
        studio_id: q.studio_id,
        transferable,
        year: q.year,
    };
    let rows = outcomes::list(db.reader(), &filter, before, limit + 1).await?;
    Ok(page(rows, limit, |o| o.id))
}
