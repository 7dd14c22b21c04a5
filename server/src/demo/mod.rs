//! Loads the demo data set (a provincial union tree, its studios and people) into an empty
//! database, through the same store functions the application uses.

mod dataset;

use std::collections::HashMap;

use anyhow::{Context, bail};

use crate::app::AppState;
use crate::auth::password;
use crate::store::studios::{NewStudio, Value};
use crate::store::{Tx, audit, orgs, outbox, studios, users};
use dataset::{ORGS, PersonSeed, STAFF, STUDIOS};

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "lianmeng2026";
/// The demo's platform admin.
pub const DEMO_ADMIN: &str = "admin";

/// Loads the data set; refuses a database that already has accounts or orgs.
pub async fn load(state: &AppState) -> anyhow::Result<String> {
    if !is_empty(state).await? {
        bail!("the database is not empty: the demo data set loads only into an empty one");
    }
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = state.db.begin().await?;
    let mut org_ids: HashMap<&str, orgs::Org> = HashMap::new();
    for seed in ORGS {
        let parent = match seed.parent {
            Some(key) => Some(org_ids.get(key).with_context(|| format!("parent {key} before child"))?),
            None => None,
        };
        let org = orgs::insert(&mut tx, seed.name, seed.level, parent).await?;
        if seed.deadline_demo.is_some() || seed.deadline_all.is_some() {
            orgs::set_deadlines(&mut tx, org.id, seed.deadline_demo, seed.deadline_all).await?;
        }
        org_ids.insert(seed.key, org);
    }
    let admin = users::insert(&mut tx, DEMO_ADMIN, &hash, "平台管理员", true)
        .await?
        .context("admin exists")?;
    audit::record(&mut tx, Some(admin.id), "demo_load", "platform", 0, "").await?;
    let mut people = 0;
    for seed in STUDIOS {
        let leader = person(&mut tx, &seed.leader, &hash).await?;
        people += 1;
        let host = &org_ids[seed.host];
        let id = studios::insert(
            &mut tx,
            &NewStudio {
                name: seed.name,
                org_id: host.id,
                kind: seed.kind,
                leader_id: leader,
            },
        )
        .await?;
        let text = |s: &str| Value::Text(s.to_owned());
        let mut columns = vec![
            ("field", text(seed.field)),
            ("industry", text(seed.industry)),
            ("region", text(seed.region)),
            ("founded_on", text(seed.founded_on)),
            ("goals", text(seed.goals)),
            ("intro", text(seed.intro)),
            ("outcomes_summary", text(seed.outcomes_summary)),
            ("honours", text(seed.honours)),
            ("demonstration", Value::Int(Some(i64::from(seed.demonstration)))),
        ];
        if let Some(naming) = seed.naming {
            columns.push(("naming_org_id", Value::Int(Some(org_ids[naming].id))));
            columns.push(("status", text("named")));
        }
        studios::update(&mut tx, id, &columns).await?;
        for m in seed.members {
            let uid = person(&mut tx, &m.person, &hash).await?;
            people += 1;
            studios::add_member(&mut tx, id, uid, m.role).await?;
        }
        if seed.online {
            studios::set_online(&mut tx, id).await?;
        }
        outbox::append(&mut tx, "studio", id, "create").await?;
    }
    for staff in STAFF {
        let uid = person(&mut tx, &staff.person, &hash).await?;
        people += 1;
        orgs::grant(&mut tx, uid, org_ids[staff.org].id, "staff").await?;
    }
    tx.commit().await?;
    let online = STUDIOS.iter().filter(|s| s.online).count();
    Ok(format!(
        "demo data loaded: {} orgs, {} studios ({} online), {} people; sign in as {} (or any \
         demo user, e.g. {} or {}) with password {}",
        ORGS.len(),
        STUDIOS.len(),
        online,
        people,
        DEMO_ADMIN,
        STUDIOS[0].leader.username,
        STAFF[0].person.username,
        DEMO_PASSWORD
    ))
}

/// Loads the data set only into an empty database; `None` when there was data already.
pub async fn load_if_empty(state: &AppState) -> anyhow::Result<Option<String>> {
    if is_empty(state).await? {
        load(state).await.map(Some)
    } else {
        Ok(None)
    }
}

async fn is_empty(state: &AppState) -> anyhow::Result<bool> {
    let pool = state.db.reader();
    Ok(users::count(pool).await? == 0 && orgs::count(pool).await? == 0)
}

async fn person(tx: &mut Tx, p: &PersonSeed, hash: &str) -> anyhow::Result<i64> {
    let user = users::insert(tx, p.username, hash, p.display_name, false)
        .await?
        .with_context(|| format!("duplicate demo username {}", p.username))?;
    let values = [
        ("real_name", p.display_name),
        ("gender", p.gender),
        ("birth_month", p.birth_month),
        ("education", p.education),
        ("ethnicity", p.ethnicity),
        ("political_status", p.political_status),
        ("trade", p.trade),
        ("title", p.title),
        ("phone", p.phone),
        ("email", p.email),
        ("honours", p.honours),
    ]
    .map(|(k, v)| (k, v.to_owned()));
    users::update_person(tx, user.id, &values).await?;
    Ok(user.id)
}
