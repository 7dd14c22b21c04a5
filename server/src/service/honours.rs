//! Honour recommendations (荣誉推荐): union staff recommend a person, a studio or an outcome of
//! their subtree for an honour, then record whether it was awarded; the subject is told both
//! times. The talent list and the studio's people read them.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::honours::{Honour, HonourStatus, Level, REASON_MAX, Subject};
use crate::domain::metrics::YEARS;
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::honours::{self as store, Filter, HonourRecord, NewHonour};
use crate::store::{Db, Tx, audit, notifications, orgs, outcomes, studio_members, studios, users};

/// The most recommendations a list returns.
const LIST_MAX: i64 = 500;

#[derive(Debug, Deserialize, ToSchema)]
pub struct HonourInput {
    /// The recommending union (the reader is its staff, or staff above it).
    pub org_id: i64,
    /// `model_worker`, `may_day_medal`, `craftsman`, `women_pacesetter` (for a person);
    /// `pioneer_team`, `may_day_award`, `model_studio` (for a studio); `innovation_outcome`
    /// (for an outcome).
    pub honour: String,
    /// The giving body's level: `national`, `province`, `city` or `district`.
    pub level: String,
    pub year: i64,
    /// The subject the honour is for: exactly one, of the honour's kind.
    pub user_id: Option<i64>,
    pub studio_id: Option<i64>,
    pub outcome_id: Option<i64>,
    /// Why (事迹简介).
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Whether the honour was awarded.
    pub awarded: bool,
    /// The document or meeting that decided it (文件号、表彰会).
    #[serde(default)]
    pub note: String,
}

/// The subject's id, after checking that exactly the honour's kind of subject is named.
fn subject_of(honour: Honour, input: &HonourInput) -> AppResult<i64> {
    let kind = honour.subject();
    let given = [
        (Subject::Person, input.user_id),
        (Subject::Studio, input.studio_id),
        (Subject::Outcome, input.outcome_id),
    ];
    let wrong = given.iter().any(|(k, id)| *k != kind && id.is_some());
    let id = given
        .iter()
        .find(|(k, _)| *k == kind)
        .and_then(|(_, id)| *id);
    match (wrong, id) {
        (false, Some(id)) => Ok(id),
        _ => Err(AppError::invalid_field(
            kind.field(),
            match kind {
                Subject::Person => "该荣誉推荐的是个人，请选择人员 / this honour is for a person",
                Subject::Studio => {
                    "该荣誉推荐的是工作室，请选择工作室 / this honour is for a studio"
                }
                Subject::Outcome => {
                    "该荣誉推荐的是成果，请选择成果 / this honour is for an outcome"
                }
            },
        )),
    }
}

/// Whether the subject belongs to the subtree at `path`; its name and the people to tell.
async fn subject_under(
    db: &Db,
    kind: Subject,
    id: i64,
    path: &str,
) -> AppResult<Option<(String, i64)>> {
    let pool = db.reader();
    Ok(match kind {
        Subject::Person => match users::find(pool, id).await? {
            Some(u) if store::is_member_under(pool, id, path).await? => Some((u.display_name, id)),
            _ => None,
        },
        Subject::Studio => studios::find(pool, id)
            .await?
            .filter(|s| s.org_path.starts_with(path))
            .map(|s| (s.name, s.leader_id)),
        Subject::Outcome => match outcomes::find(pool, id).await? {
            Some(o) => studios::find(pool, o.studio_id)
                .await?
                .filter(|s| s.org_path.starts_with(path))
                .map(|s| (o.title, s.leader_id)),
            None => None,
        },
    })
}

/// Records a recommendation; the subject (a studio's or an outcome's leader) is told.
pub async fn recommend(db: &Db, actor: &Actor, input: HonourInput) -> AppResult<HonourRecord> {
    let honour = Honour::parse(input.honour.trim())
        .ok_or_else(|| AppError::invalid_field("honour", "没有这个荣誉 / unknown honour"))?;
    let level = Level::parse(input.level.trim())
        .ok_or_else(|| AppError::invalid_field("level", "没有这个级别 / unknown level"))?;
    let year = i32::try_from(input.year)
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| {
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
    let reason = input.reason.trim();
    let mut c = Checks::new();
    c.required("reason", reason, REASON_MAX);
    c.finish()?;
    let subject = subject_of(honour, &input)?;
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "没有这个工会组织 / no such org"))?;
    policy::honours::recommend(actor, &org)?;
    let kind = honour.subject();
    let (name, notify) = subject_under(db, kind, subject, &org.path)
        .await?
        .ok_or_else(|| {
            AppError::invalid_field(kind.field(), "不在本工会所属范围内 / not under this union")
        })?;

    let mut tx = db.begin().await?;
    let new = NewHonour {
        org_id: org.id,
        honour: honour.code(),
        level: level.code(),
        year: i64::from(year),
        user_id: input.user_id.filter(|_| kind == Subject::Person),
        studio_id: input.studio_id.filter(|_| kind == Subject::Studio),
        outcome_id: input.outcome_id.filter(|_| kind == Subject::Outcome),
        reason,
        recorded_by: actor.id(),
    };
    let id = store::insert(&mut tx, &new).await?.ok_or_else(|| {
        AppError::conflict(
            "already_recommended",
            "今年已推荐过同一级别的这项荣誉 / already recommended for this honour this year",
        )
    })?;
    let what = format!("{year}年{}{}：{name}", level.label_zh(), honour.label_zh());
    audit::record(&mut tx, Some(actor.id()), "recommend", "honour", id, &what).await?;
    tell(&mut tx, notify, actor, &format!("{}推荐{what}", org.name)).await?;
    let h = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(h)
}

async fn tell(tx: &mut Tx, user: i64, actor: &Actor, subject: &str) -> AppResult<()> {
    if user != actor.id() {
        notifications::push(tx, user, "honour", subject, "/honours").await?;
    }
    Ok(())
}

/// Records whether a recommendation was awarded (once; 409 after).
pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: DecisionInput,
) -> AppResult<HonourRecord> {
    let h = get(db, actor, id).await?;
    policy::honours::decide(actor, &h)?;
    let note = input.note.trim();
    let mut c = Checks::new();
    c.max_len("note", note, REASON_MAX);
    c.finish()?;
    let to = h
        .status
        .decide(input.awarded)
        .ok_or_else(|| AppError::wrong_state(h.status.code(), "decide"))?;
    let mut tx = db.begin().await?;
    if !store::decide(&mut tx, id, to, note, actor.id()).await? {
        return Err(AppError::wrong_state(h.status.code(), "decide"));
    }
    let what = format!(
        "{}年{}：{}",
        h.year,
        Honour::parse(&h.honour).map_or("", Honour::label_zh),
        h.subject_name()
    );
    audit::record(&mut tx, Some(actor.id()), to.code(), "honour", id, &what).await?;
    if to == HonourStatus::Awarded {
        let leader = subject_leader(db, &h).await?;
        if let Some(user) = leader {
            tell(&mut tx, user, actor, &format!("获评{what}")).await?;
        }
    }
    let h = store::find_in(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(h)
}

/// The person to tell about a recommendation: the person, or the studio's leader.
async fn subject_leader(db: &Db, h: &HonourRecord) -> AppResult<Option<i64>> {
    if h.user_id.is_some() {
        return Ok(h.user_id);
    }
    let studio = match (h.studio_id, h.outcome_id) {
        (Some(s), _) => Some(s),
        (None, Some(o)) => outcomes::find(db.reader(), o).await?.map(|o| o.studio_id),
        _ => None,
    };
    Ok(match studio {
        Some(s) => studios::find(db.reader(), s).await?.map(|s| s.leader_id),
        None => None,
    })
}

/// A recommendation the reader may read (404 otherwise).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<HonourRecord> {
    let h = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let outcome_studio = match h.outcome_id {
        Some(o) => outcomes::find(db.reader(), o).await?.map(|o| o.studio_id),
        None => None,
    };
    if !policy::honours::view(actor, &h, outcome_studio) {
        return Err(AppError::not_found());
    }
    Ok(h)
}

/// Of these recommendations, the ones whose result the reader may record.
pub fn decidable(actor: &Actor, honours: &[HonourRecord]) -> Vec<i64> {
    honours
        .iter()
        .filter(|h| h.status == HonourStatus::Recommended)
        .filter(|h| policy::honours::decide(actor, h).is_ok())
        .map(|h| h.id)
        .collect()
}

/// What a list asks for, as the API and the page take it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    pub org_id: Option<i64>,
    pub year: Option<i64>,
    pub status: Option<String>,
    pub user_id: Option<i64>,
    pub studio_id: Option<i64>,
}

/// The recommendations the reader may read, newest first: those of their unions' subtrees,
/// their own, their studios' and their studios' outcomes'.
pub async fn list(db: &Db, actor: &Actor, q: &ListQuery) -> AppResult<Vec<HonourRecord>> {
    let status =
        match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => Some(HonourStatus::parse(code).ok_or_else(|| {
                AppError::invalid_field("status", "没有这个状态 / unknown status")
            })?),
            None => None,
        };
    let org_path = match q.org_id {
        Some(id) => Some(
            orgs::find(db.reader(), id)
                .await?
                .ok_or_else(|| AppError::invalid_field("org_id", "没有这个工会组织 / no such org"))?
                .path,
        ),
        None => None,
    };
    let filter = Filter {
        org_path,
        year: q.year,
        status,
        user_id: q.user_id,
        studio_id: q.studio_id,
    };
    let paths: Vec<String> = policy::staff_orgs(actor)
        .into_iter()
        .map(|r| r.org_path)
        .collect();
    let studios: Vec<i64> = actor.studios.iter().map(|(id, _)| *id).collect();
    let scope = policy::honours::scope(actor, &paths, &studios);
    Ok(store::list(db.reader(), &scope, &filter, LIST_MAX).await?)
}

/// What the recommending form offers a staff member: their unions, the online studios under
/// the chosen one, and the chosen studio's people and outcomes (the subjects to pick from).
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// The unions where the reader is staff: (id, name).
    pub orgs: Vec<(i64, String)>,
    pub org_id: Option<i64>,
    /// (id, name, unit name).
    pub studios: Vec<(i64, String, String)>,
    pub studio: Option<(i64, String)>,
    /// (user id, name, role code).
    pub people: Vec<(i64, String, String)>,
    pub outcomes: Vec<(i64, String)>,
}

/// The most studios the form lists under a union.
const STUDIOS_MAX: i64 = 1_000;

/// The subjects the reader may recommend, narrowed by the union and studio they chose.
pub async fn candidates(
    db: &Db,
    actor: &Actor,
    org_id: Option<i64>,
    studio_id: Option<i64>,
) -> AppResult<Candidates> {
    let pool = db.reader();
    let mine = policy::staff_orgs(actor);
    let mut c = Candidates {
        orgs: mine
            .iter()
            .map(|r| (r.org_id, r.org_name.clone()))
            .collect(),
        ..Candidates::default()
    };
    let Some(org) = org_id.or_else(|| mine.first().map(|r| r.org_id)) else {
        return Ok(c);
    };
    let Some(org) = orgs::find(pool, org).await? else {
        return Ok(c);
    };
    if policy::honours::recommend(actor, &org).is_err() {
        return Ok(c);
    }
    c.org_id = Some(org.id);
    c.studios = studios::online_under(pool, &org.path, STUDIOS_MAX)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name, s.org_name))
        .collect();
    if let Some(s) = studio_id.and_then(|id| c.studios.iter().find(|s| s.0 == id)) {
        c.studio = Some((s.0, s.1.clone()));
        c.people = studio_members::members(db, s.0)
            .await?
            .into_iter()
            .map(|m| (m.user_id, m.display_name, m.role))
            .collect();
        let filter = outcomes::Filter {
            studio_id: Some(s.0),
            ..outcomes::Filter::default()
        };
        c.outcomes = outcomes::list(pool, &filter, None, 200)
            .await?
            .into_iter()
            .map(|o| (o.id, o.title))
            .collect();
    }
    Ok(c)
}
