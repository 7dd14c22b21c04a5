//! The demo's funds (经费, Jieyang art. 12): the city union's grants to two studios it named,
//! one with approved expenses and one waiting for approval; played through the services.

use anyhow::Context;

use super::activity::{actor, leader};
use crate::service::funds::{DecisionInput, ExpenseInput, GrantInput, expenses, grants};
use crate::service::orgs::china_today;
use crate::store::Db;

const CITY: &str = "malijuan";

/// Data-set positions of the studios granted, and the amounts in yuan.
const GRANTS: [(usize, i64); 2] = [(29, 30_000), (35, 20_000)];

/// The first studio's expenses: category, yuan, days ago, note, approved.
const EXPENSES: [(&str, i64, i64, &str, bool); 3] = [
    (
        "equipment",
        12_800,
        60,
        "购置数控车床专用夹具两套、三坐标测量软件一套",
        true,
    ),
    (
        "training",
        3_500,
        30,
        "青年技工数控编程培训班教材及场地",
        true,
    ),
    (
        "publicity",
        2_600,
        5,
        "创新成果展板制作及操作法手册印刷",
        false,
    ),
];

/// Answers how many grants were made.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo funds: {e}");
    let city = actor(db, CITY).await?;
    let today = china_today();
    let year = i64::from(chrono::Datelike::year(&today));
    let mut first = None;
    for (pos, yuan) in GRANTS {
        let studio = studio_ids
            .get(pos - 1)
            .copied()
            .context("studio position")?;
        let g = grants::grant(
            db,
            &city,
            GrantInput {
                org_id: city_org,
                studio_id: Some(studio),
                alliance_id: None,
                amount_fen: yuan * 100,
                year,
                purpose: format!("{year}年度市级命名创新工作室资助经费"),
            },
        )
        .await
        .map_err(fail)?;
        first.get_or_insert((g.id, studio));
    }
    let (grant, studio) = first.context("a grant")?;
    let lead = leader(db, studio).await?;
    for (category, yuan, days_ago, note, approve) in EXPENSES {
        let e = expenses::file(
            db,
            &lead,
            grant,
            ExpenseInput {
                category: category.to_owned(),
                amount_fen: yuan * 100,
                spent_on: (today - chrono::Duration::days(days_ago)).to_string(),
                note: note.to_owned(),
            },
        )
        .await
        .map_err(fail)?;
        if approve {
            let opinion = DecisionInput {
                opinion: "票据齐全，符合资助经费使用范围。".to_owned(),
            };
            expenses::decide(db, &city, e.id, "approve", opinion)
                .await
                .map_err(fail)?;
        }
    }
    Ok(GRANTS.len())
}
