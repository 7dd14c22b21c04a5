//! The demo's living part: challenges at every stage of the loop and outcomes with adoptions,
//! played through the same services the API uses (so outbox, timeline and notifications are real).

use anyhow::Context;
use serde::Deserialize;

use crate::auth::Actor;
use crate::domain::studio::MemberRole;
use crate::service::adoptions::{self, AdoptionInput};
use crate::service::challenges::{self, ChallengeInput};
use crate::service::claims::{self, ClaimInput, MemberShare};
use crate::service::orgs::china_today;
use crate::service::outcomes::{self, OutcomeInput};
use crate::service::work::{self, Acceptance, DeliveryInput, ProgressInput};
use crate::store::Db;
use crate::store::{studios, users};

const ACTIVITY: &str = include_str!("activity.json");

#[derive(Deserialize)]
struct Activity {
    challenges: Vec<ChallengeSeed>,
    outcomes: Vec<OutcomeSeed>,
    #[serde(default)]
    projects: Vec<ProjectSeed>,
}

/// A studio's own project under way: its team (usernames) and the progress reported so far.
#[derive(Deserialize)]
struct ProjectSeed {
    studio: usize,
    title: String,
    description: String,
    industry: String,
    plan: String,
    team: Vec<String>,
    progress: Vec<(String, String, i64)>,
}

/// A challenge and how far along the loop it is; studios are 1-based positions in the data set.
#[derive(Deserialize)]
struct ChallengeSeed {
    /// The posting studio's position (ignored when a union posts it).
    #[serde(default)]
    poster: usize,
    /// A union's challenge (发榜单位): the staff member who posts it for their union.
    #[serde(default)]
    union_poster: Option<String>,
    title: String,
    description: String,
    industry: String,
    tags: Vec<String>,
    reward: i64,
    deadline_days: i64,
    mode: String,
    stage: String,
    claims: Vec<ClaimSeed>,
    award: Option<usize>,
    #[serde(default)]
    progress: Vec<(String, i64)>,
    summary: Option<String>,
    rating: Option<i64>,
    review: Option<String>,
    outcome: Option<OutcomeSeed>,
    /// Unions backing it (挂帅): (staff username, the org's name, yuan added).
    #[serde(default)]
    backers: Vec<(String, String, i64)>,
}

#[derive(Deserialize)]
struct ClaimSeed {
    studio: usize,
    proposal: String,
    plan: String,
    team: Vec<(String, i64)>,
}

#[derive(Deserialize)]
struct OutcomeSeed {
    #[serde(default)]
    studio: usize,
    title: String,
    summary: String,
    kind: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    patent_no: String,
    benefit_yuan: Option<i64>,
    transferable: bool,
    #[serde(default)]
    adoptions: Vec<AdoptionSeed>,
}

#[derive(Deserialize)]
struct AdoptionSeed {
    /// The adopting enterprise's name in the demo tree; the visitor (staff above) records it.
    unit: String,
    place: String,
    effect: String,
    /// The studio's leader confirmed it (else it waits for the answer).
    #[serde(default)]
    confirmed: bool,
}

/// Signs a demo user in without a session, as the services see them.
pub(super) async fn actor(db: &Db, username: &str) -> anyhow::Result<Actor> {
    let pool = db.reader();
    let user = users::find_by_username(pool, username)
        .await?
        .with_context(|| format!("demo user {username}"))?;
    Ok(Actor::load(pool, user, 0, false).await?)
}

pub(super) async fn leader(db: &Db, studio_id: i64) -> anyhow::Result<Actor> {
    let studio = studios::find(db.reader(), studio_id)
        .await?
        .context("demo studio")?;
    let user = users::find(db.reader(), studio.leader_id)
        .await?
        .context("demo leader")?;
    actor(db, &user.username).await
}

/// Plays the activity; `studio_ids[i]` is the id of the data set's studio at position i + 1.
pub async fn load(db: &Db, studio_ids: &[i64], visitor: &str) -> anyhow::Result<(usize, usize)> {
    let data: Activity = serde_json::from_str(ACTIVITY).context("parsing the demo activity")?;
    let studio = |pos: usize| {
        studio_ids
            .get(pos.wrapping_sub(1))
            .copied()
            .context("studio position")
    };
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo activity: {e}");
    for seed in &data.challenges {
        let (poster, studio_id, org_id) = match &seed.union_poster {
            Some(staff) => {
                let staff = actor(db, staff).await?;
                let org = staff.staff.first().context("demo union poster")?.org_id;
                (staff, None, Some(org))
            }
            None => {
                let studio_id = studio(seed.poster)?;
                (leader(db, studio_id).await?, Some(studio_id), None)
            }
        };
        let deadline = china_today() + chrono::Duration::days(seed.deadline_days);
        let input = ChallengeInput {
            studio_id,
            org_id,
            title: seed.title.clone(),
            description: seed.description.clone(),
            industry: seed.industry.clone(),
            tags: seed.tags.clone(),
            deadline: Some(deadline.to_string()),
            reward_yuan: Some(seed.reward),
            visibility: None,
            alliance_id: None,
            claim_mode: Some(seed.mode.clone()),
        };
        let id = challenges::create(db, &poster, input)
            .await
            .map_err(fail)?
            .id;
        challenges::publish(db, &poster, id).await.map_err(fail)?;
        for (staff, org_name, amount) in &seed.backers {
            let staff = actor(db, staff).await?;
            let org = crate::service::orgs::acted_for(db, &staff, usize::MAX)
                .await
                .map_err(fail)?
                .into_iter()
                .find(|o| &o.name == org_name)
                .with_context(|| format!("demo backer {org_name}"))?;
            let input = crate::service::challenge_backers::BackingInput {
                org_id: org.id,
                amount_yuan: *amount,
            };
            crate::service::challenge_backers::back(db, &staff, id, input)
                .await
                .map_err(fail)?;
        }
        let mut claim_ids = Vec::new();
        for k in &seed.claims {
            let claimant = leader(db, studio(k.studio)?).await?;
            let mut members = Vec::new();
            for (username, share) in &k.team {
                let user = users::find_by_username(db.reader(), username)
                    .await?
                    .context("team member")?;
                members.push(MemberShare {
                    user_id: user.id,
                    share_percent: *share,
                });
            }
            let input = ClaimInput {
                studio_id: studio(k.studio)?,
                proposal: k.proposal.clone(),
                plan: k.plan.clone(),
                member_ids: Vec::new(),
                members,
            };
            claim_ids.push((
                claims::claim(db, &claimant, id, input)
                    .await
                    .map_err(fail)?
                    .id,
                claimant,
            ));
        }
        if let Some((claim_id, team)) = seed.award.and_then(|i| claim_ids.get(i)) {
            work(db, seed, id, &poster, *claim_id, team, visitor).await?;
        }
        let now = challenges::get(db, Some(&poster), id).await.map_err(fail)?;
        anyhow::ensure!(
            now.status.code() == seed.stage,
            "demo challenge {} ended {} not {}",
            seed.title,
            now.status,
            seed.stage
        );
    }
    for o in &data.outcomes {
        let author = leader(db, studio(o.studio)?).await?;
        outcome(db, &author, o, studio(o.studio)?, None, visitor).await?;
    }
    for p in &data.projects {
        let lead = leader(db, studio(p.studio)?).await?;
        let mut member_ids = Vec::new();
        for username in &p.team {
            let user = users::find_by_username(db.reader(), username)
                .await?
                .context("project team member")?;
            member_ids.push(user.id);
        }
        let input = crate::service::projects::ProjectInput {
            title: p.title.clone(),
            description: p.description.clone(),
            industry: p.industry.clone(),
            plan: p.plan.clone(),
            member_ids,
        };
        let id = crate::service::projects::create(db, &lead, studio(p.studio)?, input)
            .await
            .map_err(fail)?
            .id;
        for (username, note, percent) in &p.progress {
            let who = actor(db, username).await?;
            let input = crate::service::projects::ProgressInput {
                note: note.clone(),
                percent: *percent,
            };
            crate::service::projects::progress(db, &who, id, input)
                .await
                .map_err(fail)?;
        }
    }
    Ok((
        data.challenges.len(),
        data.outcomes.len()
            + data
                .challenges
                .iter()
                .filter(|c| c.outcome.is_some())
                .count(),
    ))
}

/// After the award: progress, delivery, acceptance and the outcome, as far as the seed goes.
async fn work(
    db: &Db,
    seed: &ChallengeSeed,
    id: i64,
    poster: &Actor,
    claim_id: i64,
    team: &Actor,
    visitor: &str,
) -> anyhow::Result<()> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo activity: {e}");
    claims::award(db, poster, id, claim_id)
        .await
        .map_err(fail)?;
    for (note, percent) in &seed.progress {
        work::progress(
            db,
            team,
            id,
            ProgressInput {
                note: note.clone(),
                percent: *percent,
            },
        )
        .await
        .map_err(fail)?;
    }
    if let Some(summary) = &seed.summary {
        work::deliver(
            db,
            team,
            id,
            DeliveryInput {
                summary: summary.clone(),
            },
        )
        .await
        .map_err(fail)?;
    }
    if let Some(rating) = seed.rating {
        let comment = seed.review.clone().unwrap_or_default();
        work::accept(db, poster, id, Acceptance { rating, comment })
            .await
            .map_err(fail)?;
    }
    if let Some(o) = &seed.outcome {
        let studio_id = team
            .studios
            .iter()
            .find(|(_, r)| *r == MemberRole::Leader)
            .map(|(s, _)| *s)
            .context("team studio")?;
        outcome(db, poster, o, studio_id, Some(id), visitor).await?;
    }
    Ok(())
}

async fn outcome(
    db: &Db,
    author: &Actor,
    o: &OutcomeSeed,
    studio_id: i64,
    challenge_id: Option<i64>,
    visitor: &str,
) -> anyhow::Result<()> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo outcome: {e}");
    let input = OutcomeInput {
        studio_id,
        title: o.title.clone(),
        summary: o.summary.clone(),
        body: String::new(),
        kind: o.kind.clone(),
        industry: o.industry.clone(),
        challenge_id,
        project_id: None,
        patent_no: o.patent_no.clone(),
        benefit_yuan: o.benefit_yuan,
        transferable: o.transferable,
    };
    let id = outcomes::create(db, author, input).await.map_err(fail)?.id;
    let visitor = actor(db, visitor).await?;
    let units = crate::store::orgs::enterprises(db.reader()).await?;
    for a in &o.adoptions {
        let unit = units
            .iter()
            .find(|u| u.name == a.unit)
            .with_context(|| format!("demo adoption unit {}", a.unit))?;
        let input = AdoptionInput {
            org_id: unit.id,
            place: a.place.clone(),
            effect: a.effect.clone(),
        };
        let aid = adoptions::adopt(db, &visitor, id, input)
            .await
            .map_err(fail)?
            .id;
        if a.confirmed {
            adoptions::answer(db, author, id, aid, true)
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}
