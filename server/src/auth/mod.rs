//! Who is asking: sessions, passwords, login limits, and the permission policy.

pub mod password;
pub mod policy;
pub mod ratelimit;
pub mod session;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;

use crate::domain::studio::MemberRole;
use crate::error::AppError;
use crate::store::{Db, alliances, orgs, orgs::StaffRole, sessions, studio_members, users::User};

/// A signed-in user with the roles the policy looks at.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub session_id: i64,
    /// Staff roles, each covering an org and its subtree.
    pub staff: Vec<StaffRole>,
    /// Studio memberships: (studio id, role).
    pub studios: Vec<(i64, MemberRole)>,
    /// The live alliances the user belongs to through their studios.
    pub alliances: Vec<i64>,
    /// The session came from the cookie (so unsafe requests need a same-origin check).
    pub via_cookie: bool,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// Loads the roles of `user` for a session.
    pub async fn load(
        pool: &sqlx::AnyPool,
        user: User,
        session_id: i64,
        via_cookie: bool,
    ) -> sqlx::Result<Actor> {
        let staff = orgs::roles_of(pool, user.id).await?;
        let studios = studio_members::memberships(pool, user.id)
            .await?
            .into_iter()
            .filter_map(|(id, role, _)| MemberRole::parse(&role).map(|r| (id, r)))
            .collect();
        let alliances = alliances::of_user(pool, user.id).await?;
        Ok(Actor {
            user,
            session_id,
            staff,
            studios,
            alliances,
            via_cookie,
        })
    }

    pub fn in_alliance(&self, alliance_id: i64) -> bool {
        self.alliances.contains(&alliance_id)
    }

    pub fn role_in(&self, studio_id: i64) -> Option<MemberRole> {
        self.studios
            .iter()
            .find(|(id, _)| *id == studio_id)
            .map(|(_, r)| *r)
    }

    /// Role names for `/me`: `admin`, `staff:ORG`, `leader:STUDIO`, …
    pub fn role_names(&self) -> Vec<String> {
        let mut roles = Vec::new();
        if self.user.is_admin {
            roles.push("admin".to_owned());
        }
        roles.extend(
            self.staff
                .iter()
                .map(|s| format!("{}:{}", s.role, s.org_id)),
        );
        roles.extend(
            self.studios
                .iter()
                .map(|(id, r)| format!("{}:{id}", r.code())),
        );
        roles
    }
}

/// The token of this request, from `Authorization: Bearer` or the session cookie.
pub fn request_token(parts: &Parts) -> Option<(String, bool)> {
    if let Some(h) = parts.headers.get(axum::http::header::AUTHORIZATION)
        && let Some(token) = h.to_str().ok().and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((token.trim().to_owned(), false));
    }
    session::cookie_token(&parts.headers).map(|t| (t, true))
}

async fn resolve(parts: &Parts, db: &Db) -> Result<Option<Actor>, AppError> {
    let Some((token, via_cookie)) = request_token(parts) else {
        return Ok(None);
    };
    actor_for_token(db, &token, via_cookie).await
}

/// The actor of a live session token (from a header, the cookie, or a WebSocket's `?token=`).
pub async fn actor_for_token(
    db: &Db,
    token: &str,
    via_cookie: bool,
) -> Result<Option<Actor>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let pool = db.reader();
    let Some((session_id, user)) = sessions::find_live(pool, &session::hash_token(token)).await?
    else {
        return Ok(None);
    };
    Ok(Some(Actor::load(pool, user, session_id, via_cookie).await?))
}

/// The actor of the same session again, with the roles its user has now; `None` once the
/// session has ended (signed out or expired). A long-lived socket asks this now and then.
pub async fn reload(db: &Db, actor: &Actor) -> Result<Option<Actor>, AppError> {
    let pool = db.reader();
    let Some(user) = sessions::live_user(pool, actor.session_id).await? else {
        return Ok(None);
    };
    let fresh = Actor::load(pool, user, actor.session_id, actor.via_cookie).await?;
    Ok(Some(fresh))
}

/// A user with their roles, without a session: whom the policy is asked about on their behalf
/// (for example, whether a mentioned person may read a room).
pub async fn actor_for_user(db: &Db, user: User) -> Result<Actor, AppError> {
    Ok(Actor::load(db.reader(), user, 0, false).await?)
}

impl<S> FromRequestParts<S> for Actor
where
    S: Send + Sync,
    Db: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(actor.clone());
        }
        let actor = resolve(parts, &Db::from_ref(state))
            .await?
            .ok_or_else(AppError::unauthorized)?;
        parts.extensions.insert(actor.clone());
        Ok(actor)
    }
}

impl<S> OptionalFromRequestParts<S> for Actor
where
    S: Send + Sync,
    Db: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, AppError> {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(Some(actor.clone()));
        }
        let actor = resolve(parts, &Db::from_ref(state)).await?;
        if let Some(a) = &actor {
            parts.extensions.insert(a.clone());
        }
        Ok(actor)
    }
}
