//! Registering, signing in and out, and the personal profile.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::ratelimit::LoginLimiter;
use crate::auth::{Actor, password, policy, session};
use crate::domain::text::Checks;
use crate::domain::user::{PersonInput, check_person, check_registration, phone_number};
use crate::error::{AppError, AppResult};
use crate::store::Db;
use crate::store::{audit, notifications, now_ms, people, sessions, users};

/// Registration form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Registration {
    pub username: String,
    pub password: String,
    pub display_name: String,
    #[serde(flatten)]
    pub profile: PersonFields,
}

/// The personal profile fields; each is optional in an update.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PersonFields {
    pub display_name: Option<String>,
    pub real_name: Option<String>,
    /// 男 or 女.
    pub gender: Option<String>,
    /// `YYYY-MM`.
    pub birth_month: Option<String>,
    pub education: Option<String>,
    pub ethnicity: Option<String>,
    pub political_status: Option<String>,
    /// 工种.
    pub trade: Option<String>,
    /// Technical title or skill grade.
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub honours: Option<String>,
}

impl PersonFields {
    fn trimmed(&self) -> Vec<(&'static str, String)> {
        let f = [
            &self.display_name,
            &self.real_name,
            &self.gender,
            &self.birth_month,
            &self.education,
            &self.ethnicity,
            &self.political_status,
            &self.trade,
            &self.title,
            &self.phone,
            &self.email,
            &self.honours,
        ];
        users::PERSON_FIELDS
            .iter()
            .zip(f)
            .filter_map(|(name, v)| v.as_ref().map(|v| (*name, v.trim().to_owned())))
            .collect()
    }

    fn check(values: &[(&'static str, String)], c: &mut Checks) {
        let get = |k: &str| {
            values
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.as_str())
        };
        check_person(
            &PersonInput {
                display_name: get("display_name"),
                real_name: get("real_name"),
                gender: get("gender"),
                birth_month: get("birth_month"),
                education: get("education"),
                ethnicity: get("ethnicity"),
                political_status: get("political_status"),
                trade: get("trade"),
                title: get("title"),
                phone: get("phone"),
                email: get("email"),
                honours: get("honours"),
            },
            c,
        );
    }
}

/// Creates an account. Admins are made only from the command line.
pub async fn register(db: &Db, input: Registration, is_admin: bool) -> AppResult<users::User> {
    let username = input.username.trim().to_owned();
    let display_name = input.display_name.trim().to_owned();
    let mut values = input.profile.trimmed();
    values.retain(|(k, _)| *k != "display_name");
    let mut c = Checks::new();
    check_registration(&username, &input.password, &display_name, &mut c);
    PersonFields::check(&values, &mut c);
    c.finish()?;
    let hash = password::hash(input.password).await?;
    let mut tx = db.begin().await?;
    let user = users::insert(&mut tx, &username, &hash, &display_name, is_admin)
        .await?
        .ok_or_else(|| AppError::conflict("username_taken", "用户名已被使用 / username taken"))?;
    users::update_person(&mut tx, user.id, &values).await?;
    audit::record(&mut tx, Some(user.id), "register", "user", user.id, "").await?;
    tx.commit().await?;
    Ok(user)
}

/// A signed-in session.
#[derive(Debug)]
pub struct LoginResult {
    pub token: String,
    pub user: users::User,
}

/// Checks the password under the failed-login limits; on success opens a session.
pub async fn login(
    db: &Db,
    limiter: &LoginLimiter,
    session_ttl: std::time::Duration,
    username: &str,
    password_input: String,
    address: &str,
) -> AppResult<LoginResult> {
    let username = username.trim();
    if username.is_empty() || username.len() > 64 || password_input.len() > 1024 {
        return Err(AppError::client(
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            Some("用户名或密码错误 / wrong username or password".to_owned()),
        ));
    }
    let mut found = users::credentials(db.reader(), username).await?;
    // A mobile number signs in its owner, if exactly one person has it.
    if found.is_none()
        && let Some(phone) = phone_number(username)
        && let Some(name) = people::by_phone(db.reader(), &phone).await?
    {
        found = users::credentials(db.reader(), &name).await?;
    }
    // Counted against the account, however it was named (username or phone).
    let key = found
        .as_ref()
        .map(|(u, _)| u.username.clone())
        .unwrap_or_else(|| username.to_owned());
    if let Some(wait) = limiter.blocked(&key, address).await? {
        return Err(AppError::rate_limited(wait));
    }
    // Guessing from many addresses, or many accounts from one, is slowed, never refused: the
    // owner (or a whole factory behind one address) can still sign in.
    let pause = limiter.delay(&key, address).await?;
    if !pause.is_zero() {
        tokio::time::sleep(pause).await;
    }
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let owner = user.as_ref().map(|u| u.id);
    let ok = password::verify(password_input, hash).await;
    let Some(user) = user.filter(|_| ok) else {
        if limiter.failed(&key, address).await?
            && let Some(owner) = owner
        {
            tell_owner(db, owner).await?;
        }
        return Err(AppError::client(
            axum::http::StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            Some("用户名或密码错误 / wrong username or password".to_owned()),
        ));
    };
    limiter.succeeded(&key, address).await?;
    let token = session::new_token();
    let expires_at = now_ms() + session_ttl.as_millis() as i64;
    let mut tx = db.begin().await?;
    sessions::insert(&mut tx, &session::hash_token(&token), user.id, expires_at).await?;
    sessions::delete_expired(&mut tx).await?;
    tx.commit().await?;
    Ok(LoginResult { token, user })
}

/// Tells an account's owner that someone keeps failing to sign in as them.
async fn tell_owner(db: &Db, owner: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    notifications::push(
        &mut tx,
        owner,
        "login_failures",
        "你的账户短时间内多次登录失败；如非本人操作，请尽快修改密码",
        "/me",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the actor's session.
pub async fn logout(db: &Db, actor: &Actor) -> AppResult<()> {
    let mut tx = db.begin().await?;
    sessions::delete(&mut tx, actor.session_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Updates one's own profile.
pub async fn update_person(
    db: &Db,
    actor: &Actor,
    input: &PersonFields,
) -> AppResult<users::Person> {
    policy::edit_profile(actor, actor.id())?;
    let values = input.trimmed();
    let mut c = Checks::new();
    PersonFields::check(&values, &mut c);
    c.finish()?;
    let mut tx = db.begin().await?;
    users::update_person(&mut tx, actor.id(), &values).await?;
    audit::record(
        &mut tx,
        Some(actor.id()),
        "update_profile",
        "user",
        actor.id(),
        "",
    )
    .await?;
    tx.commit().await?;
    person(db, actor.id()).await
}

/// The account with this username, if there is one.
pub async fn find_by_username(db: &Db, username: &str) -> AppResult<Option<users::User>> {
    Ok(users::find_by_username(db.reader(), username).await?)
}

pub async fn person(db: &Db, id: i64) -> AppResult<users::Person> {
    users::person_by_id(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Makes a platform admin (the `admin create` command).
pub async fn create_admin(db: &Db, username: &str, password_input: &str) -> AppResult<users::User> {
    let display_name = format!("管理员 {username}");
    register(
        db,
        Registration {
            username: username.to_owned(),
            password: password_input.to_owned(),
            display_name,
            profile: PersonFields::default(),
        },
        true,
    )
    .await
}
