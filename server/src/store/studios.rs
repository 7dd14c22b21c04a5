//! Studios: the profile, the lifecycle and the directory query. Their people are in
//! `studio_members`.

use sqlx::{AnyPool, Row};

use super::read::{Arg, Read, ReadRow, fetch_on};
use super::studio_members::{self, Member};
use super::{Db, Tx, lifecycle, now_ms};
use crate::domain::studio::StudioStatus;

/// A studio with its application-form profile.
#[derive(Debug, Clone)]
pub struct Studio {
    pub id: i64,
    pub name: String,
    /// Host unit: an enterprise org.
    pub org_id: i64,
    pub org_name: String,
    /// The org that named the studio, if any, its name and its level (`city`, …).
    pub naming_org_id: Option<i64>,
    pub naming_org_name: Option<String>,
    pub naming_level: Option<String>,
    pub kind: String,
    pub field: String,
    pub industry: String,
    pub region: String,
    pub founded_on: String,
    pub goals: String,
    pub intro: String,
    pub outcomes_summary: String,
    pub honours: String,
    /// 单位类型: `enterprise`, `public_institution` or `other`.
    pub unit_type: String,
    /// The studio's premises: area in m² and address.
    pub premises_m2: Option<i64>,
    pub premises_address: String,
    /// Its main equipment, one item a line.
    pub equipment: String,
    /// A demonstration studio (示范工作室): it has the earlier onboarding deadline.
    pub demonstration: bool,
    pub status: StudioStatus,
    pub online: bool,
    /// When the studio went online, RFC 3339.
    pub onboarded_at: Option<String>,
    pub leader_id: i64,
    pub leader_name: String,
    pub org_path: String,
    pub member_count: i64,
    /// The studio's photo or logo (a picture's name).
    pub picture: Option<String>,
}

/// The studio read query (directory and page); the benchmark baseline runs it too.
pub const SELECT: &str = "SELECT s.id, s.name, s.org_id, o.name AS org_name, o.path AS org_path, \
    s.naming_org_id, n.name AS naming_org_name, n.level AS naming_level, s.kind, s.field, s.industry, s.region, s.founded_on, s.goals, s.intro, \
    s.outcomes_summary, s.honours, s.unit_type, s.premises_m2, s.premises_address, s.equipment, \
    s.demonstration, s.status, s.online, s.onboarded_at, \
    s.leader_id, u.display_name AS leader_name, s.picture, \
    (SELECT COUNT(*) FROM studio_members m WHERE m.studio_id = s.id) AS member_count \
    FROM studios s JOIN orgs o ON o.id = s.org_id JOIN users u ON u.id = s.leader_id \
    LEFT JOIN orgs n ON n.id = s.naming_org_id";

fn studio(r: &dyn ReadRow) -> sqlx::Result<Studio> {
    Ok(Studio {
        id: r.int("id")?,
        name: r.text("name")?,
        org_id: r.int("org_id")?,
        org_name: r.text("org_name")?,
        org_path: r.text("org_path")?,
        naming_org_id: r.opt_int("naming_org_id")?,
        naming_org_name: r.opt_text("naming_org_name")?,
        naming_level: r.opt_text("naming_level")?,
        kind: r.text("kind")?,
        field: r.text("field")?,
        industry: r.text("industry")?,
        region: r.text("region")?,
        founded_on: r.text("founded_on")?,
        goals: r.text("goals")?,
        intro: r.text("intro")?,
        outcomes_summary: r.text("outcomes_summary")?,
        honours: r.text("honours")?,
        unit_type: r.text("unit_type")?,
        premises_m2: r.opt_int("premises_m2")?,
        premises_address: r.text("premises_address")?,
        equipment: r.text("equipment")?,
        demonstration: r.flag("demonstration")?,
        status: lifecycle(r.text("status")?, StudioStatus::parse)?,
        online: r.flag("online")?,
        onboarded_at: r.opt_int("onboarded_at")?.map(super::rfc3339),
        leader_id: r.int("leader_id")?,
        leader_name: r.text("leader_name")?,
        member_count: r.int("member_count")?,
        picture: r.opt_text("picture")?,
    })
}

/// Fields a new studio starts with.
#[derive(Debug)]
pub struct NewStudio<'a> {
    pub name: &'a str,
    pub org_id: i64,
    pub kind: &'a str,
    pub leader_id: i64,
}

/// Inserts a studio in `draft` with its leader as first member; returns its id.
#[tracing::instrument(skip(tx))]
pub async fn insert(tx: &mut Tx, s: &NewStudio<'_>) -> sqlx::Result<i64> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO studios (name, org_id, kind, leader_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(s.name)
    .bind(s.org_id)
    .bind(s.kind)
    .bind(s.leader_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query(
        "INSERT INTO studio_members (studio_id, user_id, role, joined_at) VALUES ($1, $2, 'leader', $3)",
    )
    .bind(id)
    .bind(s.leader_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A value for one profile column.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Int(Option<i64>),
}

/// Profile columns an update may write.
pub const PROFILE_COLUMNS: [&str; 18] = [
    "name",
    "org_id",
    "naming_org_id",
    "kind",
    "field",
    "industry",
    "region",
    "founded_on",
    "goals",
    "intro",
    "outcomes_summary",
    "honours",
    "demonstration",
    "status",
    "unit_type",
    "premises_m2",
    "premises_address",
    "equipment",
];

/// Writes the given profile columns (names from [`PROFILE_COLUMNS`] only).
#[tracing::instrument(skip(tx, values))]
pub async fn update(tx: &mut Tx, id: i64, values: &[(&'static str, Value)]) -> sqlx::Result<()> {
    let mut sql = String::from("UPDATE studios SET updated_at = $1");
    for (i, (col, _)) in values.iter().enumerate() {
        assert!(PROFILE_COLUMNS.contains(col), "not a studio column: {col}");
        sql.push_str(&format!(", {col} = ${}", i + 2));
    }
    sql.push_str(&format!(" WHERE id = ${}", values.len() + 2));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now_ms());
    for (_, v) in values {
        q = match v {
            Value::Text(t) => q.bind(t.clone()),
            Value::Int(n) => q.bind(*n),
        };
    }
    q.bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Marks the studio online; returns the instant, or `None` if it already was.
#[tracing::instrument(skip(tx))]
pub async fn set_online(tx: &mut Tx, id: i64) -> sqlx::Result<Option<i64>> {
    let now = now_ms();
    let res = sqlx::query(
        "UPDATE studios SET online = 1, onboarded_at = $1, updated_at = $1 WHERE id = $2 AND online = 0",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok((res.rows_affected() > 0).then_some(now))
}

/// A studio, read through the pool (see [`by_id`] for the hot paths).
pub async fn find(pool: &AnyPool, id: i64) -> sqlx::Result<Option<Studio>> {
    Ok(fetch_on(pool, by_id_read(id)).await?.into_iter().next())
}

/// A studio for its page and the API's answer: the hot read, on SQLite through the direct
/// readers (see `store::direct`).
pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<Studio>> {
    db.fetch_optional(by_id_read(id)).await
}

/// A studio and its people, for its page: read together (one trip on SQLite).
pub async fn with_members(db: &Db, id: i64) -> sqlx::Result<Option<(Studio, Vec<Member>)>> {
    let (studio, members) = db
        .fetch_both(by_id_read(id), studio_members::members_read(id))
        .await?;
    Ok(studio.into_iter().next().map(|s| (s, members)))
}

fn by_id_read(id: i64) -> Read<Studio> {
    Read {
        sql: format!("{SELECT} WHERE s.id = $1"),
        args: vec![Arg::Int(id)],
        map: studio,
    }
}

/// The same, read inside a write transaction (sees its own changes).
pub async fn find_in(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Studio>> {
    Ok(fetch_on(&mut **tx, by_id_read(id))
        .await?
        .into_iter()
        .next())
}

/// Directory filters; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub industry: Option<String>,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub online: Option<bool>,
    pub org_id: Option<i64>,
    /// Named (and not delisted) at this level of union; `Unnamed` for studios without a title.
    pub named: Option<Named>,
    /// Only studios this viewer may see: online ones, plus these ids.
    pub visible_extra: Option<Vec<i64>>,
    /// Skip the visibility rule (admins).
    pub see_all: bool,
}

/// The directory's filter on the title: named at a level, or without a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    At(crate::domain::org::OrgLevel),
    Unnamed,
}

/// One directory page after `after_id`, `limit` rows.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &Db,
    f: &Filter,
    after_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Studio>> {
    let mut sql = format!("{SELECT} WHERE s.id > $1");
    let mut texts: Vec<&str> = Vec::new();
    for (col, value) in [
        ("s.industry", &f.industry),
        ("s.region", &f.region),
        ("s.kind", &f.kind),
        ("s.status", &f.status),
    ] {
        if let Some(v) = value {
            texts.push(v);
            sql.push_str(&format!(" AND {col} = ${}", texts.len() + 1));
        }
    }
    if let Some(online) = f.online {
        sql.push_str(if online {
            " AND s.online = 1"
        } else {
            " AND s.online = 0"
        });
    }
    match f.named {
        // Level codes are fixed identifiers, not input.
        Some(Named::At(level)) => sql.push_str(&format!(
            " AND n.level = '{}' AND s.status IN ('named', 'rectification')",
            level.code()
        )),
        Some(Named::Unnamed) => sql.push_str(" AND s.status NOT IN ('named', 'rectification')"),
        None => {}
    }
    if let Some(org) = f.org_id {
        // Ids are integers: safe to inline, and it keeps the bind list text-only.
        sql.push_str(&format!(
            " AND o.path LIKE (SELECT path FROM orgs WHERE id = {org}) || '%'"
        ));
    }
    if !f.see_all {
        let extra: Vec<String> = f
            .visible_extra
            .iter()
            .flatten()
            .map(|id| id.to_string())
            .collect();
        if extra.is_empty() {
            sql.push_str(" AND s.online = 1");
        } else {
            sql.push_str(&format!(
                " AND (s.online = 1 OR s.id IN ({}))",
                extra.join(",")
            ));
        }
    }
    sql.push_str(&format!(" ORDER BY s.id LIMIT ${}", texts.len() + 2));
    let mut args = vec![Arg::Int(after_id.unwrap_or(0))];
    args.extend(texts.into_iter().map(|t| Arg::Text(t.to_owned())));
    args.push(Arg::Int(limit));
    db.fetch_all(Read {
        sql,
        args,
        map: studio,
    })
    .await
}

/// Distinct regions of online studios, for the directory filter.
pub async fn regions(pool: &AnyPool) -> sqlx::Result<Vec<String>> {
    let rows =
        sqlx::query("SELECT DISTINCT region FROM studios WHERE region <> '' ORDER BY region")
            .fetch_all(pool)
            .await?;
    rows.iter().map(|r| r.try_get(0)).collect()
}

/// The names of the studios among `ids` that exist (at most 100 ids are looked up).
pub async fn names(
    pool: &AnyPool,
    ids: &[i64],
) -> sqlx::Result<std::collections::HashMap<i64, String>> {
    let ids = &ids[..ids.len().min(100)];
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, name FROM studios WHERE id IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// (registered, online) over all studios, for the home page.
pub async fn totals(pool: &AnyPool) -> sqlx::Result<(i64, i64)> {
    let r = sqlx::query("SELECT COUNT(*), COUNT(CASE WHEN online = 1 THEN 1 END) FROM studios")
        .fetch_one(pool)
        .await?;
    Ok((r.try_get(0)?, r.try_get(1)?))
}

/// Points the studio to a new picture (or none); answers the one it had.
pub async fn set_picture(
    tx: &mut Tx,
    id: i64,
    picture: Option<&str>,
) -> sqlx::Result<Option<String>> {
    // An update that changes nothing locks the row (PostgreSQL) and answers the old name, so
    // two uploads at once cannot both read the same old picture.
    let old: Option<Option<String>> =
        sqlx::query_scalar("UPDATE studios SET picture = picture WHERE id = $1 RETURNING picture")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    sqlx::query("UPDATE studios SET picture = $1, updated_at = $2 WHERE id = $3")
        .bind(picture)
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(old.flatten())
}

/// Moves a studio along its naming lifecycle; false when its status was no longer `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: StudioStatus,
    to: StudioStatus,
) -> sqlx::Result<bool> {
    let res = sqlx::query(
        "UPDATE studios SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(to.code())
    .bind(now_ms())
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(res.rows_affected() == 1)
}

/// The studios hosted in the subtree at `path` that are not online (drafts and registered ones,
/// not delisted), at most `limit`.
pub async fn offline_under(pool: &AnyPool, path: &str, limit: i64) -> sqlx::Result<Vec<Studio>> {
    let sql = format!(
        "{SELECT} WHERE o.path LIKE $1 || '%' AND s.online = 0 AND s.status <> 'delisted' \
         ORDER BY s.id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| studio(r)).collect()
}

/// The online studios hosted in the subtree at `path`, at most `limit`.
pub async fn online_under(pool: &AnyPool, path: &str, limit: i64) -> sqlx::Result<Vec<Studio>> {
    let sql = format!(
        "{SELECT} WHERE o.path LIKE $1 || '%' AND s.online = 1 AND s.status <> 'delisted' \
         ORDER BY s.id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| studio(r)).collect()
}

/// Every studio hosted in the subtree at `path` but the delisted, by id (at most 20,000).
pub async fn all_under(pool: &AnyPool, path: &str) -> sqlx::Result<Vec<Studio>> {
    let sql = format!(
        "{SELECT} WHERE o.path LIKE $1 || '%' AND s.status <> 'delisted' ORDER BY s.id LIMIT 20000"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(path)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| studio(r)).collect()
}
