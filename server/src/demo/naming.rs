//! The demo's naming (命名): the city union's batch with a studio named after its whole trail,
//! one in public notice and one waiting for the initial review, a delisted studio, and a change
//! of leader waiting for the district's review; played through the services by the demo's union
//! staff and experts.

use anyhow::Context;

use super::activity::{actor, leader};
use crate::domain::naming::ApplicationStatus;
use crate::service::delisting::{self, DelistInput};
use crate::service::naming::{self, ApplicationInput, BatchInput, StepInput};
use crate::service::orgs::china_today;
use crate::service::studio_changes::{self, ChangeInput};
use crate::store::{Db, naming as store, now_ms};

const CITY: &str = "malijuan";
const EXPERTS: [&str; 2] = ["yanzhendong", "hanqiuyun"];

/// Data-set positions of the studios, with the staff of their unit and of the union between
/// the unit and the city, and how far each gets.
const APPLICANTS: [(usize, &str, &str, ApplicationStatus); 3] = [
    (29, "zhengkai", "liubin", ApplicationStatus::Named),
    (26, "wangxiaohui", "houjianyong", ApplicationStatus::Notice),
    (
        3,
        "mengqinghua",
        "houjianyong",
        ApplicationStatus::Recommended,
    ),
];

/// A studio named by the province in the data set, delisted here at its unit's request.
const DELISTED: usize = 13;

fn step(opinion: &str) -> StepInput {
    StepInput {
        opinion: opinion.to_owned(),
        ..StepInput::default()
    }
}

/// Plays the naming; `studio_ids[i]` is the id of the data set's studio at position i + 1.
/// Answers how many applications were made.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo naming: {e}");
    let studio = |pos: usize| {
        studio_ids
            .get(pos.wrapping_sub(1))
            .copied()
            .context("studio position")
    };
    let city = actor(db, CITY).await?;
    let today = china_today();
    let batch = naming::open_batch(
        db,
        &city,
        BatchInput {
            org_id: city_org,
            year: i64::from(chrono::Datelike::year(&today)),
            title: String::new(),
            category: None,
            quota: 8,
            opens_on: (today - chrono::Duration::days(20)).to_string(),
            closes_on: (today + chrono::Duration::days(10)).to_string(),
            notice_days: 7,
            conditions: None,
        },
    )
    .await
    .map_err(fail)?;
    let mut experts = Vec::new();
    for e in EXPERTS {
        experts.push(actor(db, e).await?);
    }
    for (pos, unit, review, goal) in APPLICANTS {
        let lead = leader(db, studio(pos)?).await?;
        let input = ApplicationInput {
            batch_id: batch.id,
            studio_id: Some(studio(pos)?),
            alliance_id: None,
        };
        let id = naming::apply(db, &lead, input).await.map_err(fail)?.id;
        let submit = StepInput {
            confirmed: Some((0..batch.conditions.len()).collect()),
            ..StepInput::default()
        };
        naming::step(db, &lead, id, "submit", submit)
            .await
            .map_err(fail)?;
        let unit = actor(db, unit).await?;
        naming::step(
            db,
            &unit,
            id,
            "recommend",
            step("同意推荐，该工作室团队稳定、成果突出。"),
        )
        .await
        .map_err(fail)?;
        if goal == ApplicationStatus::Recommended {
            continue;
        }
        let review = actor(db, review).await?;
        naming::step(
            db,
            &review,
            id,
            "review",
            step("初审通过，推荐至市总工会。"),
        )
        .await
        .map_err(fail)?;
        naming::step(db, &city, id, "approve", step("材料齐全，符合基本条件。"))
            .await
            .map_err(fail)?;
        let panel = StepInput {
            expert_ids: Some(experts.iter().map(|e| e.id()).collect()),
            ..StepInput::default()
        };
        naming::step(db, &city, id, "assign-experts", panel)
            .await
            .map_err(fail)?;
        for (expert, score) in experts.iter().zip([91, 87]) {
            let s = StepInput {
                score: Some(score),
                comment: "攻关成果转化成效明显，师带徒体系完善。".to_owned(),
                ..StepInput::default()
            };
            naming::step(db, expert, id, "score", s)
                .await
                .map_err(fail)?;
        }
        let decide = StepInput {
            approved: Some(true),
            opinion: "经市总工会集体研究，同意命名。".to_owned(),
            ..StepInput::default()
        };
        naming::step(db, &city, id, "decide", decide)
            .await
            .map_err(fail)?;
        naming::step(db, &city, id, "publish", StepInput::default())
            .await
            .map_err(fail)?;
        if goal == ApplicationStatus::Named {
            // The demo's notice has already run its seven days.
            let mut tx = db.begin().await?;
            store::set_notice_end(&mut tx, id, now_ms() - 86_400_000).await?;
            tx.commit().await?;
            naming::step(db, &city, id, "name", step("公示期满无异议，予以命名。"))
                .await
                .map_err(fail)?;
        }
    }
    let admin = actor(db, super::DEMO_ADMIN).await?;
    let delist = DelistInput {
        reason: "unit_request".to_owned(),
        note: "领衔人调离原单位，所在单位工会申请摘牌。".to_owned(),
    };
    delisting::delist(db, &admin, studio(DELISTED)?, delist)
        .await
        .map_err(fail)?;
    // The newly named studio's leader moves on: its unit asks for a new leader (art. 7), which
    // waits for the district's review.
    let (named, unit, _, _) = APPLICANTS[0];
    let named = studio(named)?;
    let members = crate::store::studio_members::members(db, named).await?;
    let lead_id = leader(db, named).await?.id();
    if let Some(next) = members.iter().find(|m| m.user_id != lead_id) {
        let change = ChangeInput {
            kind: "leader_change".to_owned(),
            new_leader_id: Some(next.user_id),
            new_name: String::new(),
            reason: "领衔人调任集团技术中心，所在单位工会申请更换领衔人。".to_owned(),
        };
        studio_changes::request(db, &actor(db, unit).await?, named, change)
            .await
            .map_err(fail)?;
    }
    Ok(APPLICANTS.len())
}
