//! Loads the demo data set (a provincial union tree, its studios and people) into an empty
//! database, through the same store functions the application uses.

mod activity;
mod assessment;
mod bulletins;
mod chat;
mod funds;
mod honours;
mod naming;
mod network;
mod org_requests;
mod reports;

use std::collections::HashMap;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::auth::password;
use crate::outbox::{Entity, Op};
use crate::state::AppState;
use crate::store::Db;
use crate::store::studios::{NewStudio, Value};
use crate::store::{Tx, audit, orgs, outbox, studio_members, studios, users};

/// The data set, written for the project: every company, hospital and person is invented.
const DATASET: &str = include_str!("dataset.json");

#[derive(Debug, Deserialize)]
struct DataSet {
    orgs: Vec<OrgSeed>,
    studios: Vec<StudioSeed>,
    staff: Vec<StaffSeed>,
}

/// An org of the union tree; parents come before their children.
#[derive(Debug, Deserialize)]
struct OrgSeed {
    key: String,
    name: String,
    level: String,
    parent: Option<String>,
    deadline_demo: Option<String>,
    deadline_all: Option<String>,
}

/// A person with the personal part of the application form.
#[derive(Debug, Deserialize)]
struct PersonSeed {
    username: String,
    display_name: String,
    gender: String,
    birth_month: String,
    education: String,
    ethnicity: String,
    political_status: String,
    trade: String,
    title: String,
    phone: String,
    email: String,
    honours: String,
}

#[derive(Debug, Deserialize)]
struct MemberSeed {
    role: String,
    person: PersonSeed,
}

/// A studio with its profile, leader and members; `host` and `naming` are org keys.
#[derive(Debug, Deserialize)]
struct StudioSeed {
    name: String,
    host: String,
    naming: Option<String>,
    kind: String,
    field: String,
    industry: String,
    region: String,
    founded_on: String,
    goals: String,
    intro: String,
    outcomes_summary: String,
    honours: String,
    /// 单位类型 on the Changchun form; an enterprise when left out.
    #[serde(default)]
    unit_type: Option<String>,
    /// Premises (m², address) and main equipment, where the data set has them.
    #[serde(default)]
    premises_m2: Option<i64>,
    #[serde(default)]
    premises_address: String,
    #[serde(default)]
    equipment: String,
    demonstration: bool,
    online: bool,
    leader: PersonSeed,
    members: Vec<MemberSeed>,
}

#[derive(Debug, Deserialize)]
struct StaffSeed {
    org: String,
    /// `staff` (the default) or `expert`.
    #[serde(default = "staff_role")]
    role: String,
    /// An expert's field.
    #[serde(default)]
    field: String,
    person: PersonSeed,
}

fn staff_role() -> String {
    "staff".to_owned()
}

fn dataset() -> anyhow::Result<DataSet> {
    serde_json::from_str(DATASET).context("parsing the demo data set")
}

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "lianmeng2026";
/// The demo's platform admin.
pub const DEMO_ADMIN: &str = "admin";

/// Loads the data set; refuses a database that already has accounts or orgs. The chat lines
/// go through the node's chat writer like any other message.
pub async fn load(state: &AppState) -> anyhow::Result<String> {
    let db = &state.db;
    if !is_empty(db).await? {
        bail!("the database is not empty: the demo data set loads only into an empty one");
    }
    let data = dataset()?;
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin().await?;
    let mut org_ids: HashMap<&str, orgs::Org> = HashMap::new();
    for seed in &data.orgs {
        let parent = match &seed.parent {
            Some(key) => Some(
                org_ids
                    .get(key.as_str())
                    .with_context(|| format!("parent {key} before child"))?,
            ),
            None => None,
        };
        let org = orgs::insert(&mut tx, &seed.name, &seed.level, parent).await?;
        if seed.deadline_demo.is_some() || seed.deadline_all.is_some() {
            orgs::set_deadlines(
                &mut tx,
                org.id,
                seed.deadline_demo.as_deref(),
                seed.deadline_all.as_deref(),
                None,
            )
            .await?;
        }
        org_ids.insert(&seed.key, org);
    }
    let admin = users::insert(&mut tx, DEMO_ADMIN, &hash, "平台管理员", true)
        .await?
        .context("admin exists")?;
    audit::record(&mut tx, Some(admin.id), "demo_load", "platform", 0, "").await?;
    let mut people = 0;
    let mut studio_ids = Vec::with_capacity(data.studios.len());
    for seed in &data.studios {
        let leader = person(&mut tx, &seed.leader, &hash).await?;
        people += 1;
        let host = org_ids
            .get(seed.host.as_str())
            .context("unknown host org")?;
        let id = studios::insert(
            &mut tx,
            &NewStudio {
                name: &seed.name,
                org_id: host.id,
                kind: &seed.kind,
                leader_id: leader,
            },
        )
        .await?;
        studio_ids.push(id);
        let text = |s: &str| Value::Text(s.to_owned());
        let mut columns = vec![
            ("field", text(&seed.field)),
            ("industry", text(&seed.industry)),
            ("region", text(&seed.region)),
            ("founded_on", text(&seed.founded_on)),
            ("goals", text(&seed.goals)),
            ("intro", text(&seed.intro)),
            ("outcomes_summary", text(&seed.outcomes_summary)),
            ("honours", text(&seed.honours)),
            (
                "unit_type",
                text(seed.unit_type.as_deref().unwrap_or("enterprise")),
            ),
            ("premises_m2", Value::Int(seed.premises_m2)),
            ("premises_address", text(&seed.premises_address)),
            ("equipment", text(&seed.equipment)),
            (
                "demonstration",
                Value::Int(Some(i64::from(seed.demonstration))),
            ),
        ];
        if let Some(naming) = &seed.naming {
            let naming = org_ids.get(naming.as_str()).context("unknown naming org")?;
            columns.push(("naming_org_id", Value::Int(Some(naming.id))));
            columns.push(("status", text("named")));
        }
        studios::update(&mut tx, id, &columns).await?;
        for m in &seed.members {
            let uid = person(&mut tx, &m.person, &hash).await?;
            people += 1;
            studio_members::add_member(&mut tx, id, uid, &m.role).await?;
        }
        if seed.online {
            studios::set_online(&mut tx, id).await?;
        }
        outbox::append(&mut tx, Entity::Studio, id, Op::Create).await?;
    }
    for staff in &data.staff {
        let uid = person(&mut tx, &staff.person, &hash).await?;
        people += 1;
        let org = org_ids
            .get(staff.org.as_str())
            .context("unknown staff org")?;
        orgs::grant(&mut tx, uid, org.id, &staff.role, &staff.field).await?;
    }
    tx.commit().await?;
    let (challenges, outcomes) =
        activity::load(db, &studio_ids, &data.staff[0].person.username).await?;
    let [alliances, mentorships, events, courses] = network::load(db, &studio_ids).await?;
    chat::load(state, &studio_ids).await?;
    let city = org_ids.get("xian").context("the demo city union")?.id;
    let applications = naming::load(db, &studio_ids, city).await?;
    let assessed = assessment::load(db, &studio_ids, city).await?;
    let grants = funds::load(db, &studio_ids, city).await?;
    let reports = reports::load(db, &studio_ids, city).await?;
    let issues = bulletins::load(db, &studio_ids, city).await?;
    let honours = honours::load(db, &studio_ids, city).await?;
    org_requests::load(db, city).await?;
    let online = data.studios.iter().filter(|s| s.online).count();
    Ok(format!(
        "demo data loaded: {} orgs, {} studios ({} online), {} people, {} challenges, {} \
         outcomes, {alliances} alliances, {mentorships} mentorships, {events} events, {courses} \
         courses, {applications} naming applications, {assessed} studios in an assessment round, {grants} grants, {reports} progress reports, {issues} bulletin, {honours} honour recommendations; sign in as {} (or any demo user, e.g. {} \
         or {}) with password {}",
        data.orgs.len(),
        data.studios.len(),
        online,
        people,
        challenges,
        outcomes,
        DEMO_ADMIN,
        data.studios[0].leader.username,
        data.staff[0].person.username,
        DEMO_PASSWORD
    ))
}

/// Loads the data set only into an empty database; `None` when there was data already.
pub async fn load_if_empty(state: &AppState) -> anyhow::Result<Option<String>> {
    if is_empty(&state.db).await? {
        load(state).await.map(Some)
    } else {
        Ok(None)
    }
}

async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let pool = db.reader();
    Ok(users::count(pool).await? == 0 && orgs::count(pool).await? == 0)
}

async fn person(tx: &mut Tx, p: &PersonSeed, hash: &str) -> anyhow::Result<i64> {
    let user = users::insert(tx, &p.username, hash, &p.display_name, false)
        .await?
        .with_context(|| format!("duplicate demo username {}", p.username))?;
    let values = [
        ("real_name", &p.display_name),
        ("gender", &p.gender),
        ("birth_month", &p.birth_month),
        ("education", &p.education),
        ("ethnicity", &p.ethnicity),
        ("political_status", &p.political_status),
        ("trade", &p.trade),
        ("title", &p.title),
        ("phone", &p.phone),
        ("email", &p.email),
        ("honours", &p.honours),
    ]
    .map(|(k, v)| (k, v.clone()));
    users::update_person(tx, user.id, &values).await?;
    Ok(user.id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::org::{OrgLevel, may_hang_under};
    use crate::domain::studio::{is_industry, is_kind};
    use crate::domain::text::Checks;
    use crate::domain::user::{PersonInput, check_person};

    /// The data set obeys the rules the application enforces on real input.
    #[test]
    fn the_data_set_is_consistent() {
        let data = dataset().unwrap();
        let mut levels = HashMap::new();
        for o in &data.orgs {
            let level = OrgLevel::parse(&o.level).unwrap();
            let parent = o.parent.as_ref().map(|p| levels[p.as_str()]);
            assert!(
                may_hang_under(level, parent),
                "{} under {:?}",
                o.key,
                o.parent
            );
            assert!(
                levels.insert(o.key.as_str(), level).is_none(),
                "duplicate {}",
                o.key
            );
        }
        let mut usernames = HashSet::new();
        let people = data
            .studios
            .iter()
            .flat_map(|s| std::iter::once(&s.leader).chain(s.members.iter().map(|m| &m.person)))
            .chain(data.staff.iter().map(|s| &s.person));
        for p in people {
            assert!(
                usernames.insert(p.username.as_str()),
                "duplicate {}",
                p.username
            );
            let mut c = Checks::new();
            check_person(
                &PersonInput {
                    gender: Some(&p.gender),
                    birth_month: Some(&p.birth_month),
                    phone: Some(&p.phone),
                    email: Some(&p.email),
                    ..Default::default()
                },
                &mut c,
            );
            assert!(c.is_empty(), "{}: {:?}", p.username, c.into_errors());
        }
        assert!(data.studios.len() >= 30);
        for s in &data.studios {
            assert_eq!(levels[s.host.as_str()], OrgLevel::Enterprise, "{}", s.name);
            assert!(is_kind(&s.kind) && is_industry(&s.industry), "{}", s.name);
            if s.online {
                let p = crate::domain::studio::Profile {
                    name: s.name.clone(),
                    org_id: Some(1),
                    kind: s.kind.clone(),
                    field: s.field.clone(),
                    industry: s.industry.clone(),
                    region: s.region.clone(),
                    goals: s.goals.clone(),
                    intro: s.intro.clone(),
                };
                assert!(
                    crate::domain::studio::missing_for_onboarding(&p).is_empty(),
                    "{}",
                    s.name
                );
            }
        }
    }
}
