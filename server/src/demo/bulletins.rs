//! The demo's bulletin (简报): the city union's latest issue, read by one studio's leader.

use super::activity::{actor, leader};
use crate::service::bulletins::{self, BulletinInput};
use crate::store::Db;

const CITY: &str = "malijuan";

const BODY: &str = "## 工作进展\n\n全市已有 25 家劳模和工匠人才创新工作室上线进网，3 个工作室联盟开展跨企业联合攻关。\n\n\
## 典型经验\n\n- 王建国劳模创新工作室牵头攻克数控车床主轴振动难题，振幅降低 40%。\n\
- 苏玉兰劳模创新工作室“主轴温升控制操作法”在本单位推广，年节约维修费用约 12 万元。\n\n\
## 下步安排\n\n请尚未上线的工作室于期限前完善资料、上线进网；各单位按月报送工作进展。";

/// Sends the issue; answers how many bulletins were sent.
pub async fn load(db: &Db, studio_ids: &[i64], city_org: i64) -> anyhow::Result<usize> {
    let fail = |e: crate::error::AppError| anyhow::anyhow!("demo bulletins: {e}");
    let city = actor(db, CITY).await?;
    let b = bulletins::send(
        db,
        &city,
        BulletinInput {
            org_id: city_org,
            title: "劳模和工匠人才创新工作室联盟建设简报（第 3 期）".to_owned(),
            body: BODY.to_owned(),
        },
    )
    .await
    .map_err(fail)?;
    if let Some(first) = studio_ids.first() {
        let lead = leader(db, *first).await?;
        bulletins::read(db, &lead, b.id).await.map_err(fail)?;
    }
    Ok(1)
}
