//! The studio directory: online studios for everyone, plus one's own drafts, filtered and paged.

use serde::Deserialize;

use crate::auth::{Actor, policy};
use crate::domain::org::OrgLevel;
use crate::domain::text::Checks;
use crate::error::AppResult;
use crate::service::{Page, Paging, page};
use crate::store::Db;
use crate::store::studios::{self, Filter, Named, Studio};

/// Directory query input.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    pub industry: Option<String>,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// `true` or `false`.
    pub online: Option<String>,
    /// Only studios hosted in this org's subtree.
    pub org_id: Option<i64>,
    /// Only studios named at this level of union (`province`, `city`, `district`, `industry`,
    /// `national_industry`), or `none`: those without a title.
    pub named_level: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The studio directory: online studios for everyone, plus one's own drafts.
pub async fn list(db: &Db, actor: Option<&Actor>, q: &ListQuery) -> AppResult<Page<Studio>> {
    let (limit, after) = Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    }
    .resolve()?;
    let nonempty = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut c = Checks::new();
    let online = match nonempty(&q.online).as_deref() {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(_) => {
            c.fail("online", "应为 true 或 false / must be true or false");
            None
        }
    };
    let named = match nonempty(&q.named_level).as_deref() {
        None => None,
        Some("none") => Some(Named::Unnamed),
        Some(code) => match OrgLevel::parse(code).filter(|l| *l != OrgLevel::Enterprise) {
            Some(level) => Some(Named::At(level)),
            None => {
                c.fail(
                    "named_level",
                    "命名级别应为工会层级之一或 none / must be a union level or none",
                );
                None
            }
        },
    };
    for (field, v, max) in [
        ("industry", &q.industry, 40),
        ("region", &q.region, 60),
        ("kind", &q.kind, 40),
        ("status", &q.status, 40),
    ] {
        c.max_len(field, v.as_deref().unwrap_or(""), max);
    }
    c.finish()?;
    let filter = Filter {
        industry: nonempty(&q.industry),
        region: nonempty(&q.region),
        kind: nonempty(&q.kind),
        status: nonempty(&q.status),
        online,
        org_id: q.org_id,
        named,
        visible_extra: Some(policy::own_studio_ids(actor)),
        see_all: policy::see_all_studios(actor),
    };
    let rows = studios::list(db, &filter, after, limit + 1).await?;
    Ok(page(rows, limit, |s| s.id))
}
