//! A demo request to add a host enterprise: a craftsman whose unit is missing from the tree
//! asks the city union, whose staff find it waiting on their workbench.

use crate::service::org_requests::{self, OrgRequestInput};
use crate::store::Db;

pub async fn load(db: &Db, city: i64) -> anyhow::Result<()> {
    let asker = super::activity::actor(db, "liuyuxuan").await?;
    org_requests::create(
        db,
        &asker,
        OrgRequestInput {
            parent_id: city,
            name: "西安重型机械厂".to_owned(),
            note: "厂里准备登记数控技能工作室，联系人刘宇轩。".to_owned(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo org request: {e}"))?;
    Ok(())
}
