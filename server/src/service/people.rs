//! Finding people (the picker behind every form that names a person): by the Chinese name
//! everyone sees, the start of a username, or a whole phone number; each with their studios
//! and unions to tell two 王伟 apart. Phones and e-mails go only to the person and to union
//! staff above them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::user::phone_number;
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::people::{self as store, PersonHit};

/// The most people one search answers.
pub const LIMIT: i64 = 20;
/// The longest query, in characters.
pub const QUERY_MAX: usize = 40;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonStudio {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
}

/// A person as a picker shows them. Named apart in the document from the profile (`Person`).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PersonMatch)]
pub struct Person {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub studios: Vec<PersonStudio>,
    /// The unions where they are staff.
    pub unions: Vec<String>,
    /// Only for the person and for staff above them.
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl Person {
    /// Where they are, in a few words: their first studio and its unit, or their union.
    pub fn place(&self) -> String {
        match (self.studios.first(), self.unions.first()) {
            (Some(s), _) => format!("{}·{}", s.unit_name, s.name),
            (None, Some(u)) => u.clone(),
            (None, None) => String::new(),
        }
    }
}

fn person(actor: &Actor, h: PersonHit) -> Person {
    let paths = h
        .studios
        .iter()
        .map(|s| s.3.as_str())
        .chain(h.unions.iter().map(|u| u.1.as_str()));
    let contact = policy::sees_contact(actor, h.id, paths);
    let shown = |v: String| (contact && !v.is_empty()).then_some(v);
    Person {
        id: h.id,
        username: h.username,
        display_name: h.display_name,
        studios: h
            .studios
            .into_iter()
            .map(|(id, name, unit_name, _)| PersonStudio {
                id,
                name,
                unit_name,
            })
            .collect(),
        unions: h.unions.into_iter().map(|(name, _)| name).collect(),
        phone: shown(h.phone),
        email: shown(h.email),
    }
}

/// The people a query finds (empty for an empty query; 422 for one too long).
pub async fn search(db: &Db, actor: &Actor, q: &str) -> AppResult<Vec<Person>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    if q.chars().count() > QUERY_MAX {
        return Err(AppError::invalid_field(
            "q",
            "最多 40 个字 / at most 40 characters",
        ));
    }
    let phone = phone_number(q);
    let hits = store::search(db.reader(), q, phone.as_deref(), LIMIT).await?;
    Ok(hits.into_iter().map(|h| person(actor, h)).collect())
}

/// The one person a form's text names: an exact username or name, or a whole phone number.
/// When several share the name, or the text only matches part of names, the 422 names each
/// person found with their place and username, so that the next try can say which; when
/// nobody matches, a 422 too.
pub async fn resolve(db: &Db, actor: &Actor, field: &str, text: &str) -> AppResult<Person> {
    let text = text.trim();
    let hits = search(db, actor, text).await?;
    let exact: Vec<&Person> = hits
        .iter()
        .filter(|p| p.username == text || p.display_name == text)
        .collect();
    match exact.as_slice() {
        [one] => return Ok((*one).clone()),
        [] => {}
        several => return Err(ambiguous(field, several)),
    }
    // A whole phone number finds its owner alone.
    if phone_number(text).is_some()
        && let [one] = hits.as_slice()
    {
        return Ok(one.clone());
    }
    if hits.is_empty() {
        return Err(AppError::invalid_field(
            field,
            format!("没有找到“{text}”，请填写姓名、用户名或手机号 / nobody found by “{text}”"),
        ));
    }
    Err(ambiguous(field, &hits.iter().collect::<Vec<_>>()))
}

/// The refusal that lists whom a text could mean, each with their place and username.
fn ambiguous(field: &str, people: &[&Person]) -> AppError {
    let list: Vec<String> = people
        .iter()
        .map(|p| {
            let place = p.place();
            if place.is_empty() {
                format!("{}（用户名 {}）", p.display_name, p.username)
            } else {
                format!("{}（{place}，用户名 {}）", p.display_name, p.username)
            }
        })
        .collect();
    AppError::invalid_field(
        field,
        format!(
            "找到 {} 位：{}。请填写其中一位的用户名或手机号 / several people match; give a username or phone",
            people.len(),
            list.join("；")
        ),
    )
}
