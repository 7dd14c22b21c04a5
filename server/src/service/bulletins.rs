//! Bulletins (简报, Zhengzhou 001 三（三）): union staff compose one (title and Markdown body)
//! and send it down their subtree; the studios' people and the staff below are told and read
//! it; the senders see who read it, and which studios have not.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::text::Checks;
use crate::error::{AppError, AppResult};
use crate::store::bulletins::{self as store, Bulletin, Reader};
use crate::store::{Db, audit, notifications, orgs};

/// The longest title and body, in characters.
pub const TITLE_MAX: usize = 100;
pub const BODY_MAX: usize = 20_000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct BulletinInput {
    /// The sending union (the reader is its staff, or staff above it).
    pub org_id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
}

/// Sends a bulletin down the org's subtree; everyone it reaches is notified in the same
/// transaction.
pub async fn send(db: &Db, actor: &Actor, input: BulletinInput) -> AppResult<Bulletin> {
    let org = orgs::find(db.reader(), input.org_id)
        .await?
        .ok_or_else(|| AppError::invalid_field("org_id", "没有这个工会组织 / no such org"))?;
    policy::manage_org(actor, &org)?;
    let title = input.title.trim();
    let body = input.body.trim();
    let mut c = Checks::new();
    c.required("title", title, TITLE_MAX);
    c.required("body", body, BODY_MAX);
    c.finish()?;
    let mut tx = db.begin().await?;
    let id = store::insert(&mut tx, org.id, title, body, actor.id()).await?;
    audit::record(&mut tx, Some(actor.id()), "send", "bulletin", id, title).await?;
    let subject = format!("简报：{title}");
    let link = format!("/bulletins/{id}");
    for user in store::recipients(&mut tx, &org.path).await? {
        if user != actor.id() {
            notifications::push(&mut tx, user, "bulletin", &subject, &link).await?;
        }
    }
    tx.commit().await?;
    store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// The places of the reader in the union tree: the units of their studios and their unions
/// (bulletins from above reach them), and their unions (they read what is sent below).
async fn places(db: &Db, actor: &Actor) -> AppResult<(Vec<String>, Vec<String>)> {
    let mut within: Vec<String> = Vec::new();
    for (studio, _) in &actor.studios {
        if let Some(s) = crate::store::studios::find(db.reader(), *studio).await?
            && s.status != crate::domain::studio::StudioStatus::Delisted
        {
            within.push(s.org_path);
        }
    }
    let staff: Vec<String> = policy::staff_orgs(actor)
        .into_iter()
        .map(|r| r.org_path)
        .collect();
    within.extend(staff.iter().cloned());
    Ok((within, staff))
}

/// Whether the reader may read the bulletin: it was sent above one of their places, or under
/// a union where they are staff.
async fn may_read(db: &Db, actor: &Actor, b: &Bulletin) -> AppResult<bool> {
    if actor.user.is_admin {
        return Ok(true);
    }
    let (within, under) = places(db, actor).await?;
    Ok(within.iter().any(|p| p.starts_with(&b.org_path))
        || under.iter().any(|p| b.org_path.starts_with(p.as_str())))
}

/// The bulletins the reader may read, newest first.
pub async fn list(db: &Db, actor: &Actor) -> AppResult<Vec<Bulletin>> {
    let (within, under) = places(db, actor).await?;
    Ok(store::visible(db.reader(), &within, &under, actor.user.is_admin).await?)
}

/// A bulletin the reader may read (404 otherwise).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> AppResult<Bulletin> {
    let b = store::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !may_read(db, actor, &b).await? {
        return Err(AppError::not_found());
    }
    Ok(b)
}

/// Records that the reader read it (idempotent).
pub async fn read(db: &Db, actor: &Actor, id: i64) -> AppResult<Bulletin> {
    let b = get(db, actor, id).await?;
    let mut tx = db.begin().await?;
    store::mark_read(&mut tx, id, actor.id()).await?;
    tx.commit().await?;
    Ok(b)
}

pub async fn has_read(db: &Db, actor: &Actor, id: i64) -> AppResult<bool> {
    Ok(store::has_read(db.reader(), id, actor.id()).await?)
}

/// Who read a bulletin, and which studios under it have (any of their people) or not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reads {
    pub readers: Vec<ReaderLine>,
    pub studios: Vec<StudioRead>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReaderLine {
    pub user_id: i64,
    pub name: String,
    pub read_at: String,
}

impl From<Reader> for ReaderLine {
    fn from(r: Reader) -> Self {
        ReaderLine {
            user_id: r.user_id,
            name: r.name,
            read_at: r.read_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StudioRead {
    pub studio_id: i64,
    pub name: String,
    pub read: bool,
}

/// The reads of a bulletin: for the sending union's staff and those above it.
pub async fn reads(db: &Db, actor: &Actor, id: i64) -> AppResult<Reads> {
    let b = get(db, actor, id).await?;
    let org = orgs::find(db.reader(), b.org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::manage_org(actor, &org)?;
    let readers = store::readers(db.reader(), id)
        .await?
        .into_iter()
        .map(ReaderLine::from)
        .collect();
    let studios = store::studios_read(db.reader(), id, &b.org_path)
        .await?
        .into_iter()
        .map(|(studio_id, name, read)| StudioRead {
            studio_id,
            name,
            read,
        })
        .collect();
    Ok(Reads { readers, studios })
}

/// The reader may see a bulletin's reads.
pub fn may_see_reads(actor: &Actor, b: &Bulletin) -> bool {
    actor.user.is_admin
        || policy::staff_orgs(actor)
            .iter()
            .any(|r| b.org_path.starts_with(r.org_path.as_str()))
}
