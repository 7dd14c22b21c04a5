//! The demo's progress reports (信息报送, Zhengzhou 001): the city union's monthly schedule, set
//! three months ago so that last month's reports are chased; two studios have reported, one
//! has sent an urgent report, the rest stand out as missing.

use anyhow::Context;

use super::activity::{actor, leader};
use crate::domain::reports::Period;
use crate::service::orgs::china_today;
use crate::service::reports::{self, ReportInput};
use crate::store::Db;

const CITY: &str = "malijuan";

/// Data-set positions of the studios that report, and what they say.
const REPORTS: [(usize, &str, &str, &str, bool); 3] = [
    (
        1,
        "完成数控车床主轴振动攻关阶段试验，振幅降低 40%；新带徒弟 2 名，开展班组技术培训 3 次。",
        "高精度检测设备不足，部分试验需外送检测。",
        "建议联盟内共享三坐标测量仪等检测设备。",
        false,
    ),
    (
        17,
        "“主轴温升控制操作法”在本单位推广应用，年节约维修费用约 12 万元。",
        "",
        "",
        false,
    ),
    (
        17,
        "本工作室“高速动车组齿轮箱检修工艺”获国家发明专利授权，可在联盟内推广。",
        "",
        "建议市总工会组织现场观摩会。",
        true,
    ),
];

/// Answers how many reports were filed.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo reports: {e}");
    let city = actor(db, CITY).await?;
    let set_on = (china_today() - chrono::Duration::days(90)).to_string();
    let mut tx = db.begin().await?;
    crate::store::reports::set_schedule(&mut tx, city_org, Period::Monthly, 10, city.id(), &set_on)
        .await?;
    tx.commit().await?;
    for (pos, progress, problems, suggestions, urgent) in REPORTS {
        let studio = studio_ids
            .get(pos - 1)
            .copied()
            .context("studio position")?;
        let lead = leader(db, studio).await?;
        reports::file(
            db,
            &lead,
            ReportInput {
                studio_id: Some(studio),
                alliance_id: None,
                progress: progress.to_owned(),
                problems: problems.to_owned(),
                suggestions: suggestions.to_owned(),
                urgent,
            },
        )
        .await
        .map_err(fail)?;
    }
    Ok(REPORTS.len())
}
