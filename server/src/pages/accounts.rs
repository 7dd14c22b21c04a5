//! Sign-in, registration, sign-out and the personal profile page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, Shown, refused, render, safe_next, see_other,
};
use crate::auth::session;
use crate::http::extract::ClientAddr;
use crate::service::accounts::{self, PersonFields, Registration};
use crate::service::personal_data;
use crate::state::AppState;
use crate::store::{orgs::StaffRole, users::Person};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/register", get(register_page).post(register))
        .route("/logout", post(logout))
        .route("/me", get(me_page).post(save_me))
        .route("/me/close", post(close_account))
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    t: Tr,
    nav: Nav,
    next: String,
    username: String,
    message: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    /// Set after an account was closed: the page says so.
    closed: Option<String>,
}

async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    let notice = q
        .closed
        .is_some()
        .then(|| ctx.t.s("me.closed_done").to_owned());
    render(
        StatusCode::OK,
        &LoginPage {
            t: ctx.t,
            nav: ctx.nav(),
            next: safe_next(q.next.as_deref()),
            username: String::new(),
            message: None,
            notice,
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    PageForm(f): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    match accounts::login(
        &state.db,
        &state.limiter,
        state.config.session_ttl,
        &f.username,
        f.password,
        &addr,
    )
    .await
    {
        Ok(result) => {
            let cookie = session::set_cookie(
                &result.token,
                state.config.session_ttl.as_secs(),
                state.config.secure_cookies,
            );
            let to = match safe_next(f.next.as_deref()).as_str() {
                "/" => "/workbench".to_owned(),
                other => other.to_owned(),
            };
            Ok(([(header::SET_COOKIE, cookie)], see_other(&to)).into_response())
        }
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let status = e.status();
            let key = if status == StatusCode::TOO_MANY_REQUESTS {
                "auth.too_many"
            } else {
                "auth.bad_login"
            };
            let mut res = render(
                status,
                &LoginPage {
                    t: ctx.t,
                    nav: ctx.nav(),
                    next: safe_next(f.next.as_deref()),
                    username: f.username,
                    message: Some(ctx.t.s(key).to_owned()),
                    notice: None,
                },
            );
            if let Some(v) = e.problem().retry_after {
                res.headers_mut().insert(header::RETRY_AFTER, v.into());
            }
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    t: Tr,
    nav: Nav,
    username: String,
    display_name: String,
    errors: FormErrors,
}

async fn register_page(ctx: Ctx) -> Response {
    render(
        StatusCode::OK,
        &RegisterPage {
            t: ctx.t,
            nav: ctx.nav(),
            username: String::new(),
            display_name: String::new(),
            errors: FormErrors::default(),
        },
    )
}

#[derive(Deserialize)]
struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
}

/// Registers and signs the new user in at once.
async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    PageForm(f): PageForm<RegisterForm>,
) -> Result<Response, PageError> {
    let input = Registration {
        username: f.username.clone(),
        password: f.password.clone(),
        display_name: f.display_name.clone(),
        profile: PersonFields::default(),
    };
    match accounts::register(&state.db, input, false).await {
        Ok(user) => {
            let result = accounts::login(
                &state.db,
                &state.limiter,
                state.config.session_ttl,
                &user.username,
                f.password,
                &addr,
            )
            .await?;
            let cookie = session::set_cookie(
                &result.token,
                state.config.session_ttl.as_secs(),
                state.config.secure_cookies,
            );
            Ok(([(header::SET_COOKIE, cookie)], see_other("/me")).into_response())
        }
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let mut errors = e.field_errors().to_vec();
            if e.code() == "username_taken" {
                errors.push(crate::error::FieldError::new(
                    "username",
                    e.problem().detail.unwrap_or_default(),
                ));
            }
            Ok(render(
                e.status(),
                &RegisterPage {
                    t: ctx.t,
                    nav: ctx.nav(),
                    username: f.username,
                    display_name: f.display_name,
                    errors: FormErrors(errors),
                },
            ))
        }
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if let Some(actor) = &ctx.actor {
        accounts::logout(&state.db, actor).await?;
    }
    let clear = session::clear_cookie(state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, clear)], see_other("/")).into_response())
}

#[derive(Template)]
#[template(path = "accounts/me.html")]
struct MePage {
    t: Tr,
    nav: Nav,
    person: Person,
    studios: Vec<(i64, String, String)>,
    roles: Vec<StaffRole>,
    errors: FormErrors,
    saved: bool,
    /// Why closing the account was refused, if it was.
    close_error: Option<String>,
    /// What the portrait form did (a flash).
    done: Option<String>,
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
    done: Option<String>,
}

/// The messages of the portrait form; any other `done` is ignored.
const DONE: [&str; 2] = ["portrait", "portrait_removed"];

/// The account page again after a refused form.
pub(super) async fn me_with(
    state: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let person = accounts::person(&state.db, actor.id()).await?;
    me_render(state, ctx, person, errors, false, status).await
}

async fn me_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let person = accounts::person(&state.db, actor.id()).await?;
    let done = super::done::known(q.done, &DONE);
    let mut page = me_page_of(
        &state,
        &ctx,
        person,
        FormErrors::default(),
        q.saved.is_some(),
    )
    .await?;
    page.done = done;
    Ok(render(StatusCode::OK, &page))
}

async fn me_render(
    state: &AppState,
    ctx: &Ctx,
    person: Person,
    errors: FormErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = me_page_of(state, ctx, person, errors, saved).await?;
    Ok(render(status, &page))
}

async fn me_page_of(
    state: &AppState,
    ctx: &Ctx,
    person: Person,
    errors: FormErrors,
    saved: bool,
) -> Result<MePage, PageError> {
    let actor = ctx.require()?;
    let memberships = crate::service::studios::memberships(&state.db, actor).await?;
    Ok(MePage {
        t: ctx.t,
        nav: ctx.nav(),
        person,
        studios: memberships,
        roles: actor.staff.clone(),
        errors,
        saved,
        close_error: None,
        done: None,
    })
}

#[derive(Deserialize)]
struct CloseForm {
    #[serde(default)]
    password: String,
}

/// Closes the signed-in account, then shows the sign-in page saying so; a wrong password or a
/// studio still led shows the account page again with the reason beside the form.
async fn close_account(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<CloseForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match personal_data::close(&state.db, &state.config.data_dir, actor, f.password).await {
        Ok(()) => {
            let clear = session::clear_cookie(state.config.secure_cookies);
            Ok(([(header::SET_COOKIE, clear)], see_other("/login?closed=1")).into_response())
        }
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let reason = match e.code() {
                "hand_over_first" => ctx.t.s("me.close_leader").to_owned(),
                _ => ctx.t.s("me.close_password").to_owned(),
            };
            let person = accounts::person(&state.db, actor.id()).await?;
            let mut page = me_page_of(&state, &ctx, person, FormErrors::default(), false).await?;
            page.close_error = Some(reason);
            Ok(render(e.status(), &page))
        }
    }
}

/// The personal fields as a page form sends them.
#[derive(Debug, Default, Deserialize)]
pub struct PersonForm {
    pub display_name: Option<String>,
    pub real_name: Option<String>,
    pub gender: Option<String>,
    pub birth_month: Option<String>,
    pub education: Option<String>,
    pub ethnicity: Option<String>,
    pub political_status: Option<String>,
    pub trade: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub person_honours: Option<String>,
}

impl PersonForm {
    pub fn fields(&self) -> PersonFields {
        PersonFields {
            display_name: self.display_name.clone(),
            real_name: self.real_name.clone(),
            gender: self.gender.clone(),
            birth_month: self.birth_month.clone(),
            education: self.education.clone(),
            ethnicity: self.ethnicity.clone(),
            political_status: self.political_status.clone(),
            trade: self.trade.clone(),
            title: self.title.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            honours: self.person_honours.clone(),
        }
    }

    /// Overlays what was typed onto the stored profile, to re-show a form with errors.
    pub fn overlay(&self, mut p: Person) -> Person {
        let f = self.fields();
        for (slot, v) in [
            (&mut p.display_name, f.display_name),
            (&mut p.real_name, f.real_name),
            (&mut p.gender, f.gender),
            (&mut p.birth_month, f.birth_month),
            (&mut p.education, f.education),
            (&mut p.ethnicity, f.ethnicity),
            (&mut p.political_status, f.political_status),
            (&mut p.trade, f.trade),
            (&mut p.title, f.title),
            (&mut p.phone, f.phone),
            (&mut p.email, f.email),
            (&mut p.honours, f.honours),
        ] {
            if let Some(v) = v {
                *slot = v;
            }
        }
        p
    }
}

async fn save_me(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<PersonForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match accounts::update_person(&state.db, actor, &f.fields()).await {
        Ok(_) => Ok(see_other("/me?saved=1")),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let person = accounts::person(&state.db, actor.id()).await?;
            let errors = FormErrors(e.field_errors().to_vec());
            me_render(&state, &ctx, f.overlay(person), errors, false, e.status()).await
        }
    }
}
