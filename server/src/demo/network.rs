//! The demo's network: alliances with their members and an alliance-only challenge,
//! mentorships with their logs, upcoming events with registrations, and courses with learners;
//! played through the services, like the rest of the demo.

use anyhow::Context;
use serde::Deserialize;

use super::activity::{actor, leader};
use crate::domain::alliance::{RequestAction, RequestKind};
use crate::service::alliance_membership::{self as membership, JoinInput};
use crate::service::alliances::{self, AllianceInput};
use crate::service::challenges::{self, ChallengeInput};
use crate::service::courses::{self, CourseInput, LessonInput};
use crate::service::event_attendance;
use crate::service::events::{self, EventInput};
use crate::service::mentorships::{self, CompleteInput, LogInput, MentorshipInput};
use crate::service::orgs::china_today;
use crate::store::Db;

const NETWORK: &str = include_str!("network.json");

#[derive(Deserialize)]
struct Network {
    alliances: Vec<AllianceSeed>,
    mentorships: Vec<MentorshipSeed>,
    events: Vec<EventSeed>,
    courses: Vec<CourseSeed>,
}

/// Studios are 1-based positions in the data set, people demo usernames.
#[derive(Deserialize)]
struct AllianceSeed {
    name: String,
    lead: usize,
    scope: String,
    description: String,
    members: Vec<usize>,
    private_challenge: Option<PrivateChallenge>,
}

#[derive(Deserialize)]
struct PrivateChallenge {
    title: String,
    description: String,
    industry: String,
}

#[derive(Deserialize)]
struct MentorshipSeed {
    studio: usize,
    mentor: String,
    apprentice: String,
    skill: String,
    goals: String,
    plan: String,
    started_days_ago: i64,
    months: i64,
    /// (days ago, hours, content)
    logs: Vec<(i64, f64, String)>,
    /// (evaluation, grade)
    complete: Option<(String, String)>,
}

#[derive(Deserialize)]
struct EventSeed {
    host_studio: Option<usize>,
    host_alliance: Option<usize>,
    /// A union's event: the username of the staff member hosting it for their union.
    #[serde(default)]
    host_staff: Option<String>,
    kind: String,
    title: String,
    location: String,
    in_days: i64,
    hour: u32,
    hours: i64,
    capacity: i64,
    audience: Option<String>,
    /// The host keeps a waiting list: attendees past the capacity wait in line.
    #[serde(default)]
    waitlist: bool,
    description: String,
    attendees: Vec<String>,
}

#[derive(Deserialize)]
struct CourseSeed {
    host_studio: Option<usize>,
    host_alliance: Option<usize>,
    title: String,
    description: String,
    /// (title, text or link, minutes)
    lessons: Vec<(String, String, i64)>,
    /// (username, lessons completed)
    learners: Vec<(String, i64)>,
}

/// Plays the network; answers (alliances, mentorships, events, courses).
pub async fn load(db: &Db, studio_ids: &[i64]) -> anyhow::Result<[usize; 4]> {
    let data: Network = serde_json::from_str(NETWORK).context("parsing the demo network")?;
    let studio = |pos: usize| {
        studio_ids
            .get(pos.wrapping_sub(1))
            .copied()
            .context("studio position")
    };
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo network: {e}");
    let mut alliance_ids = Vec::new();
    for seed in &data.alliances {
        let lead = leader(db, studio(seed.lead)?).await?;
        let input = AllianceInput {
            name: seed.name.clone(),
            lead_studio_id: studio(seed.lead)?,
            description: seed.description.clone(),
            scope: seed.scope.clone(),
            org_id: None,
        };
        let id = alliances::create(db, &lead, input).await.map_err(fail)?.id;
        alliance_ids.push(id);
        for member in &seed.members {
            let joining = leader(db, studio(*member)?).await?;
            let input = JoinInput {
                studio_id: studio(*member)?,
                message: "希望加入联盟，共同攻关、共享资源。".into(),
            };
            let request = membership::ask(db, &joining, id, RequestKind::Request, input)
                .await
                .map_err(fail)?;
            membership::decide(db, &lead, id, request.id, RequestAction::Approve)
                .await
                .map_err(fail)?;
        }
        if let Some(c) = &seed.private_challenge {
            let lead = leader(db, studio(seed.lead)?).await?;
            let input = ChallengeInput {
                studio_id: Some(studio(seed.lead)?),
                org_id: None,
                title: c.title.clone(),
                description: c.description.clone(),
                industry: c.industry.clone(),
                tags: vec!["联盟攻关".into()],
                deadline: Some((china_today() + chrono::Duration::days(60)).to_string()),
                reward_yuan: Some(50_000),
                visibility: Some("alliance".into()),
                alliance_id: Some(id),
                claim_mode: None,
            };
            let ch = challenges::create(db, &lead, input).await.map_err(fail)?;
            challenges::publish(db, &lead, ch.id).await.map_err(fail)?;
        }
    }
    let alliance = |pos: usize| {
        alliance_ids
            .get(pos.wrapping_sub(1))
            .copied()
            .context("alliance position")
    };
    let today = china_today();
    for seed in &data.mentorships {
        let studio_id = studio(seed.studio)?;
        let recorder = leader(db, studio_id).await?;
        let mentor = actor(db, &seed.mentor).await?;
        let apprentice = actor(db, &seed.apprentice).await?;
        let starts = today - chrono::Duration::days(seed.started_days_ago);
        let input = MentorshipInput {
            studio_id,
            mentor_id: mentor.id(),
            apprentice_id: apprentice.id(),
            skill: seed.skill.clone(),
            goals: seed.goals.clone(),
            plan: seed.plan.clone(),
            starts_on: starts.to_string(),
            ends_on: (starts + chrono::Duration::days(seed.months * 30)).to_string(),
        };
        let id = mentorships::create(db, &recorder, input)
            .await
            .map_err(fail)?
            .id;
        for (days_ago, hours, content) in &seed.logs {
            let input = LogInput {
                on: (today - chrono::Duration::days(*days_ago)).to_string(),
                hours: *hours,
                content: content.clone(),
            };
            mentorships::log(db, &mentor, id, input)
                .await
                .map_err(fail)?;
        }
        if let Some((evaluation, grade)) = &seed.complete {
            let input = CompleteInput {
                evaluation: evaluation.clone(),
                grade: grade.clone(),
            };
            mentorships::complete(db, &mentor, id, input)
                .await
                .map_err(fail)?;
        }
    }
    for seed in &data.events {
        let (host, studio_id, alliance_id, org_id) =
            match (seed.host_studio, seed.host_alliance, &seed.host_staff) {
                (Some(s), _, _) => (leader(db, studio(s)?).await?, Some(studio(s)?), None, None),
                (None, Some(a), _) => {
                    let lead = data.alliances[a - 1].lead;
                    (
                        leader(db, studio(lead)?).await?,
                        None,
                        Some(alliance(a)?),
                        None,
                    )
                }
                // A union's event: its staff member hosts it for the union.
                (None, None, Some(staff)) => {
                    let who = actor(db, staff).await?;
                    let org = who.staff.first().context("demo host staff")?.org_id;
                    (who, None, None, Some(org))
                }
                (None, None, None) => anyhow::bail!("a demo event without a host"),
            };
        let day = today + chrono::Duration::days(seed.in_days);
        // An event of today starts at this hour (China time), so that check-in can be tried
        // at once; the others at their own hour.
        let start = if seed.in_days == 0 {
            let now = (chrono::Utc::now() + chrono::Duration::hours(8)).naive_utc();
            now.date()
                .and_hms_opt(chrono::Timelike::hour(&now), 0, 0)
                .context("event hour")?
        } else {
            day.and_hms_opt(seed.hour, 0, 0).context("event hour")?
        };
        let end = start + chrono::Duration::hours(seed.hours);
        let input = EventInput {
            studio_id,
            alliance_id,
            org_id,
            kind: seed.kind.clone(),
            title: seed.title.clone(),
            description: seed.description.clone(),
            location: seed.location.clone(),
            starts_at: start.format("%Y-%m-%dT%H:%M").to_string(),
            ends_at: end.format("%Y-%m-%dT%H:%M").to_string(),
            capacity: seed.capacity,
            audience: seed.audience.clone(),
            waitlist: seed.waitlist,
        };
        let id = events::create(db, &host, input).await.map_err(fail)?.id;
        for username in &seed.attendees {
            let who = actor(db, username).await?;
            event_attendance::register(db, &who, id)
                .await
                .map_err(fail)?;
        }
    }
    for seed in &data.courses {
        let (host, studio_id, alliance_id) = match (seed.host_studio, seed.host_alliance) {
            (Some(s), _) => (leader(db, studio(s)?).await?, Some(studio(s)?), None),
            (None, Some(a)) => {
                let lead = data.alliances[a - 1].lead;
                (leader(db, studio(lead)?).await?, None, Some(alliance(a)?))
            }
            (None, None) => anyhow::bail!("a demo course without a host"),
        };
        let input = CourseInput {
            studio_id,
            alliance_id,
            org_id: None,
            title: seed.title.clone(),
            description: seed.description.clone(),
            lessons: seed
                .lessons
                .iter()
                .map(|(title, body, minutes)| LessonInput {
                    title: title.clone(),
                    body_or_url: body.clone(),
                    minutes: *minutes,
                })
                .collect(),
        };
        let id = courses::create(db, &host, input).await.map_err(fail)?.id;
        for (username, done) in &seed.learners {
            let who = actor(db, username).await?;
            courses::enrol(db, &who, id).await.map_err(fail)?;
            for n in 1..=*done {
                courses::complete_lesson(db, &who, id, n)
                    .await
                    .map_err(fail)?;
            }
        }
    }
    Ok([
        data.alliances.len(),
        data.mentorships.len(),
        data.events.len(),
        data.courses.len(),
    ])
}
