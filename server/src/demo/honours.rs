//! The demo's honours (荣誉推荐): the city union recommended the first studio's leader for its
//! May Day medal and recorded the award, and recommends that studio for 工人先锋号 and another
//! leader as a provincial model worker.

use chrono::Datelike;

use super::activity::actor;
use crate::service::honours::{self, DecisionInput, HonourInput};
use crate::service::orgs::china_today;
use crate::store::{Db, studios};

const CITY: &str = "malijuan";

/// Records the recommendations; answers how many.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo honours: {e}");
    let city = actor(db, CITY).await?;
    let year = i64::from(china_today().year());
    // The data set's first and seventeenth studios.
    let picks = [studio_ids.first(), studio_ids.get(16)];
    let mut leaders = Vec::new();
    for id in picks.into_iter().flatten() {
        if let Some(s) = studios::find(db.reader(), *id).await? {
            leaders.push((s.id, s.leader_id));
        }
    }
    let Some(&(first_studio, first_leader)) = leaders.first() else {
        return Ok(0);
    };
    let input = |honour: &str, level: &str, user_id, studio_id, reason: &str| HonourInput {
        org_id: city_org,
        honour: honour.to_owned(),
        level: level.to_owned(),
        year,
        user_id,
        studio_id,
        outcome_id: None,
        reason: reason.to_owned(),
    };
    let medal = honours::recommend(
        db,
        &city,
        input(
            "may_day_medal",
            "city",
            Some(first_leader),
            None,
            "带领工作室攻克数控车床主轴振动难题，振幅降低 40%，年创效益 300 余万元。",
        ),
    )
    .await
    .map_err(fail)?;
    honours::decide(
        db,
        &city,
        medal.id,
        DecisionInput {
            awarded: true,
            note: "西工发〔2026〕15号".to_owned(),
        },
    )
    .await
    .map_err(fail)?;
    honours::recommend(
        db,
        &city,
        input(
            "pioneer_team",
            "city",
            None,
            Some(first_studio),
            "揭榜攻关 3 项，成果在 5 家单位推广应用。",
        ),
    )
    .await
    .map_err(fail)?;
    let mut count = 2;
    if let Some(&(_, leader)) = leaders.get(1) {
        honours::recommend(
            db,
            &city,
            input(
                "model_worker",
                "province",
                Some(leader),
                None,
                "总结“主轴温升控制操作法”，在全市机械行业推广。",
            ),
        )
        .await
        .map_err(fail)?;
        count += 1;
    }
    Ok(count)
}
