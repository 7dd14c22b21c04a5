//! The union tree: building it, staff roles, deadlines and the onboarding dashboard.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::onboarding::{self, OrgProgress, REMIND_DAYS_MAX};
use crate::domain::org::{OrgLevel, may_hang_under};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::{audit, orgs, orgs::Org, users};

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewOrg {
    pub name: String,
    /// national_industry, province, city, district, industry or enterprise.
    pub level: String,
    pub parent_id: Option<i64>,
}

pub async fn create(db: &Db, actor: &Actor, input: NewOrg) -> AppResult<Org> {
    let name = input.name.trim();
    let mut c = Checks::new();
    c.required("name", name, 80);
    let level = OrgLevel::parse(&input.level);
    if level.is_none() {
        c.fail("level", "未知的组织层级 / unknown level");
    }
    let parent = match input.parent_id {
        Some(id) => match orgs::find(db.reader(), id).await? {
            Some(p) => Some(p),
            None => {
                c.fail("parent_id", "上级组织不存在 / no such parent org");
                None
            }
        },
        None => None,
    };
    c.finish()?;
    let level = level.expect("checked above");
    policy::create_org(actor, parent.as_ref())?;
    let parent_level = parent.as_ref().and_then(|p| OrgLevel::parse(&p.level));
    if !may_hang_under(level, parent_level) {
        return Err(AppError::invalid_field(
            "level",
            "该层级不能挂在此上级组织下 / this level cannot hang under that parent",
        ));
    }
    let mut tx = db.begin().await?;
    let org = orgs::insert(&mut tx, name, level.code(), parent.as_ref()).await?;
    audit::record(&mut tx, Some(actor.id()), "create", "org", org.id, name).await?;
    tx.commit().await?;
    Ok(org)
}

/// An org with its children and the path of ancestors above it.
#[derive(Debug)]
pub struct OrgDetail {
    pub org: Org,
    pub children: Vec<Org>,
    pub ancestors: Vec<Org>,
    pub viewer: OrgViewer,
}

/// What the reader may do with an org.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct OrgViewer {
    /// Union staff of this org or above it (or an administrator): adds child orgs, grants
    /// staff roles, sets deadlines and reads the onboarding figures.
    pub may_manage: bool,
}

/// The enterprises (units) a studio may sit in, for the studio form.
pub async fn enterprises(db: &Db) -> AppResult<Vec<Org>> {
    Ok(orgs::enterprises(db.reader()).await?)
}

pub async fn detail(db: &Db, actor: Option<&Actor>, id: i64) -> AppResult<OrgDetail> {
    let pool = db.reader();
    let org = orgs::find(pool, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let children = orgs::children(pool, id).await?;
    let ancestor_ids: Vec<i64> = org
        .path
        .split('/')
        .filter_map(|s| s.parse().ok())
        .filter(|a| *a != id)
        .collect();
    let ancestors = orgs::by_ids(pool, &ancestor_ids).await?;
    let viewer = OrgViewer {
        may_manage: actor.is_some_and(|a| policy::manage_org(a, &org).is_ok()),
    };
    Ok(OrgDetail {
        org,
        children,
        ancestors,
        viewer,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Deadlines {
    /// Demonstration studios online by (`YYYY-MM-DD`); empty or null clears it.
    pub deadline_demo: Option<String>,
    /// All studios online by (`YYYY-MM-DD`); empty or null clears it.
    pub deadline_all: Option<String>,
    /// Days before a deadline the leaders of studios still offline are reminded (1–90); null
    /// takes the choice of the union above (7 when none chose).
    #[serde(default)]
    pub remind_days: Option<i64>,
}

pub async fn set_deadlines(db: &Db, actor: &Actor, id: i64, input: Deadlines) -> AppResult<Org> {
    let org = orgs::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::manage_org(actor, &org)?;
    let demo = input
        .deadline_demo
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let all = input
        .deadline_all
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let mut c = Checks::new();
    c.date("deadline_demo", demo.as_deref().unwrap_or(""));
    c.date("deadline_all", all.as_deref().unwrap_or(""));
    if input
        .remind_days
        .is_some_and(|d| !(1..=REMIND_DAYS_MAX).contains(&d))
    {
        c.fail(
            "remind_days",
            "提醒天数应为 1 到 90 / between 1 and 90 days",
        );
    }
    if let (Some(d), Some(a)) = (&demo, &all)
        && c.is_empty()
        && d > a
    {
        c.fail(
            "deadline_demo",
            "示范工作室的期限不应晚于全部工作室 / must not be after deadline_all",
        );
    }
    c.finish()?;
    let mut tx = db.begin().await?;
    orgs::set_deadlines(
        &mut tx,
        id,
        demo.as_deref(),
        all.as_deref(),
        input.remind_days,
    )
    .await?;
    let detail = format!(
        "{} {} {}",
        demo.as_deref().unwrap_or("—"),
        all.as_deref().unwrap_or("—"),
        input.remind_days.map(|d| d.to_string()).unwrap_or_default()
    );
    audit::record(
        &mut tx,
        Some(actor.id()),
        "set_deadlines",
        "org",
        id,
        &detail,
    )
    .await?;
    tx.commit().await?;
    orgs::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StaffGrant {
    /// The user to make staff, by id or by username.
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// `staff` (union cadre) or `expert`.
    pub role: Option<String>,
    /// An expert's field (专业领域), shown when staff pick a panel.
    pub field: Option<String>,
}

pub const STAFF_ROLES: [&str; 2] = ["staff", "expert"];

pub async fn grant_staff(db: &Db, actor: &Actor, org_id: i64, input: StaffGrant) -> AppResult<()> {
    let pool = db.reader();
    let org = orgs::find(pool, org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::manage_org(actor, &org)?;
    let role = input.role.as_deref().unwrap_or("staff");
    let mut c = Checks::new();
    if !STAFF_ROLES.contains(&role) {
        c.fail("role", "角色应为 staff 或 expert / must be staff or expert");
    }
    let field = input.field.as_deref().unwrap_or("").trim();
    c.max_len("field", field, 60);
    let user = match (input.user_id, input.username.as_deref().map(str::trim)) {
        (Some(id), _) => users::find(pool, id).await?,
        (None, Some(name)) if !name.is_empty() => users::find_by_username(pool, name).await?,
        _ => None,
    };
    if user.is_none() {
        c.fail("user_id", "用户不存在 / no such user");
    }
    c.finish()?;
    let user = user.expect("checked above");
    let mut tx = db.begin().await?;
    if orgs::grant(&mut tx, user.id, org_id, role, field).await? {
        audit::record(
            &mut tx,
            Some(actor.id()),
            "grant_staff",
            "org",
            org_id,
            &user.username,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The onboarding dashboard for an org's subtree.
pub async fn onboarding(db: &Db, actor: &Actor, org_id: i64) -> AppResult<Vec<OrgProgress>> {
    let pool = db.reader();
    let org = orgs::find(pool, org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::view_onboarding(actor, &org)?;
    let nodes = orgs::tree_with_counts(pool, &org).await?;
    Ok(onboarding::progress(&nodes, org.id, china_today()))
}

/// Today's date in China (UTC+8), which is when deadlines fall.
pub fn china_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// The top of the union tree.
pub async fn roots(db: &Db) -> AppResult<Vec<Org>> {
    Ok(orgs::roots(db.reader()).await?)
}

/// An org, if it exists.
pub async fn find(db: &Db, id: i64) -> AppResult<Option<Org>> {
    Ok(orgs::find(db.reader(), id).await?)
}

/// The staff of an org: (user id, display name, role).
pub async fn staff_of(db: &Db, id: i64) -> AppResult<Vec<(i64, String, String)>> {
    Ok(orgs::staff_of(db.reader(), id).await?)
}

/// The unions and units a staff member acts for, as a form offers them: the subtrees of the
/// unions they are staff of, in tree order, at most `limit` (the API takes any of them).
pub async fn acted_for(db: &Db, actor: &Actor, limit: usize) -> AppResult<Vec<Org>> {
    let mut units = Vec::new();
    for role in policy::staff_orgs(actor) {
        units.extend(orgs::under(db.reader(), &role.org_path).await?);
    }
    let mut seen = std::collections::HashSet::new();
    units.retain(|o| seen.insert(o.id));
    units.truncate(limit);
    Ok(units)
}
