//! The demo's assessment (考核): the city union's annual round of the studios it named, in
//! progress: one studio graded excellent, one failed and in rectification, the rest still to
//! evaluate themselves; played through the services by the demo's union staff.

use anyhow::Context;

use super::activity::{actor, leader};
use crate::service::assessment::{self, RoundInput, StepInput};
use crate::service::orgs::china_today;
use crate::store::Db;

const CITY: &str = "malijuan";

/// Data-set positions of the studios that get further, the staff of their unit and of their
/// district, and their grade.
const ASSESSED: [(usize, &str, &str, &str); 2] = [
    (29, "zhengkai", "liubin", "excellent"),
    (35, "chenxin", "huangxiaoting", "fail"),
];

fn say(opinion: &str) -> StepInput {
    StepInput {
        opinion: opinion.to_owned(),
        ..StepInput::default()
    }
}

/// Plays the round; `studio_ids[i]` is the id of the data set's studio at position i + 1.
/// Answers how many studios the round assesses.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo assessment: {e}");
    let city = actor(db, CITY).await?;
    let today = china_today();
    let round = assessment::open_round(
        db,
        &city,
        RoundInput {
            org_id: city_org,
            kind: "annual".to_owned(),
            year: i64::from(chrono::Datelike::year(&today)),
            title: String::new(),
            due_on: String::new(),
        },
    )
    .await
    .map_err(fail)?;
    let board = assessment::board(db, &city, round.id, None)
        .await
        .map_err(fail)?;
    for (pos, unit, review, grade) in ASSESSED {
        let studio = studio_ids
            .get(pos - 1)
            .copied()
            .context("studio position")?;
        let a = board
            .items
            .iter()
            .find(|a| a.studio_id == studio)
            .context("a studio the city named")?
            .id;
        let lead = leader(db, studio).await?;
        let draft = assessment::detail(db, &lead, a).await.map_err(fail)?.draft;
        let own = draft
            .replace(
                "制度建设与经费保障：",
                "制度建设与经费保障：工作室管理制度、攻关项目管理办法齐全，年度经费已列入单位预算。",
            )
            .replace(
                "下一步工作：",
                "下一步工作：围绕生产难题继续揭榜攻关，扩大师带徒覆盖面。",
            );
        assessment::step(db, &lead, a, "self", say(&own))
            .await
            .map_err(fail)?;
        let unit = actor(db, unit).await?;
        assessment::step(db, &unit, a, "unit", say("情况属实，同意上报。"))
            .await
            .map_err(fail)?;
        let review = actor(db, review).await?;
        assessment::step(db, &review, a, "review", say("初审通过，报市总工会。"))
            .await
            .map_err(fail)?;
        let opinion = match grade {
            "excellent" => "创新成果转化成效显著，示范带动作用突出，评为优秀。",
            _ => "年度无新增创新成果，经费保障未落实，评为不合格。",
        };
        let decide = StepInput {
            grade: Some(grade.to_owned()),
            ..say(opinion)
        };
        assessment::step(db, &city, a, "decide", decide)
            .await
            .map_err(fail)?;
        if grade == "fail" {
            let rectify = StepInput {
                deadline: (today + chrono::Duration::days(90)).to_string(),
                requirements: "三个月内落实工作室专项经费，完成至少一项攻关成果并在平台发布。"
                    .to_owned(),
                ..StepInput::default()
            };
            assessment::step(db, &city, a, "rectify", rectify)
                .await
                .map_err(fail)?;
        }
    }
    Ok(board.items.len())
}
