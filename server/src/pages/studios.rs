//! Studio pages: the directory, a studio's page, the application form, members, going online.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::accounts::PersonForm;
use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PageForm, encode, render, see_other};
use crate::app::AppState;
use crate::auth::policy;
use crate::error::AppError;
use crate::http::extract::ApiPath;
use crate::service::studios::{self as svc, ListQuery, NewMember, StudioInput};
use crate::service::{Page, accounts};
use crate::store::orgs::{self, Org};
use crate::store::studios::{Member, Studio};
use crate::store::users::Person;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/studios", get(directory))
        .route("/studios/new", get(new_page).post(create))
        .route("/studios/{id}", get(show))
        .route("/studios/{id}/edit", get(edit_page).post(save))
        .route("/studios/{id}/members", post(add_member))
        .route("/studios/{id}/onboard", post(onboard))
}

#[derive(Template)]
#[template(path = "studios/index.html")]
struct Directory {
    t: Tr,
    nav: Nav,
    q: ListQuery,
    regions: Vec<String>,
    page: Page<Studio>,
    next_href: Option<String>,
}

async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page = svc::list(&state, ctx.actor.as_ref(), &q)
        .await
        .map_err(|e| ctx.err(e))?;
    let regions = crate::store::studios::regions(state.db.reader())
        .await
        .map_err(|e| ctx.err(e.into()))?;
    let next_href = page.next_cursor.as_ref().map(|c| {
        let mut href = String::from("/studios?");
        for (k, v) in [
            ("industry", &q.industry),
            ("region", &q.region),
            ("kind", &q.kind),
            ("online", &q.online),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                href.push_str(&format!("{k}={}&", encode(v)));
            }
        }
        if let Some(org) = q.org_id {
            href.push_str(&format!("org_id={org}&"));
        }
        href.push_str(&format!("cursor={c}"));
        href
    });
    Ok(render(
        StatusCode::OK,
        &Directory {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            regions,
            page,
            next_href,
        },
    ))
}

#[derive(Template)]
#[template(path = "studios/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    s: Studio,
    leader: Person,
    members: Vec<Member>,
    missing: Vec<&'static str>,
    can_edit: bool,
    show_contact: bool,
    naming_org: Option<String>,
    onboarded_on: Option<String>,
    errors: FormErrors,
    onboard_error: Option<String>,
}

impl Show {
    /// The translation key of a profile field, for the onboarding checklist.
    fn field_key(&self, field: &&str) -> String {
        match *field {
            "org_id" => "studio.org".to_owned(),
            f => format!("studio.{f}"),
        }
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    show_with(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    onboard_error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let s = svc::get(state, ctx.actor.as_ref(), id)
        .await
        .map_err(|e| ctx.err(e))?;
    let members = svc::members(state, id).await.map_err(|e| ctx.err(e))?;
    let leader = accounts::person(state, s.leader_id)
        .await
        .map_err(|e| ctx.err(e))?;
    let can_edit = ctx
        .actor
        .as_ref()
        .is_some_and(|a| policy::edit_studio(a, &s).is_ok());
    let insider = ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.role_in(id).is_some() || policy::view_onboarding_of_studio(a, &s));
    let naming_org = match s.naming_org_id {
        Some(n) => orgs::find(state.db.reader(), n)
            .await
            .map_err(|e| ctx.err(e.into()))?
            .map(|o| o.name),
        None => None,
    };
    let onboarded_on = s
        .onboarded_at
        .as_deref()
        .map(|t| t.chars().take(10).collect());
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            missing: svc::missing_fields(&s),
            s,
            leader,
            members,
            can_edit,
            show_contact: can_edit || insider,
            naming_org,
            onboarded_on,
            errors,
            onboard_error,
        },
    ))
}

/// The application form as a page sends it: every field a string.
#[derive(Debug, Default, Deserialize)]
struct StudioForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    naming_org_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    founded_on: String,
    #[serde(default)]
    goals: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    outcomes_summary: String,
    #[serde(default)]
    honours: String,
}

impl StudioForm {
    fn from_studio(s: &Studio) -> Self {
        StudioForm {
            name: s.name.clone(),
            org_id: s.org_id.to_string(),
            naming_org_id: s.naming_org_id.map(|n| n.to_string()).unwrap_or_default(),
            kind: s.kind.clone(),
            field: s.field.clone(),
            industry: s.industry.clone(),
            region: s.region.clone(),
            founded_on: s.founded_on.clone(),
            goals: s.goals.clone(),
            intro: s.intro.clone(),
            outcomes_summary: s.outcomes_summary.clone(),
            honours: s.honours.clone(),
        }
    }

    /// The service input; an id that is not a number is reported as that field.
    fn input(&self) -> Result<StudioInput, AppError> {
        let id = |field: &str, v: &str| -> Result<Option<i64>, AppError> {
            match v.trim() {
                "" => Ok(None),
                n => n
                    .parse()
                    .map(Some)
                    .map_err(|_| AppError::invalid_field(field, "请选择 / choose one")),
            }
        };
        Ok(StudioInput {
            name: Some(self.name.clone()),
            org_id: id("org_id", &self.org_id)?,
            naming_org_id: id("naming_org_id", &self.naming_org_id)?,
            kind: Some(self.kind.clone()),
            field: Some(self.field.clone()),
            industry: Some(self.industry.clone()),
            region: Some(self.region.clone()),
            founded_on: Some(self.founded_on.clone()),
            goals: Some(self.goals.clone()),
            intro: Some(self.intro.clone()),
            outcomes_summary: Some(self.outcomes_summary.clone()),
            honours: Some(self.honours.clone()),
            demonstration: None,
        })
    }
}

#[derive(Template)]
#[template(path = "studios/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    id: Option<i64>,
    f: StudioForm,
    person: Person,
    enterprises: Vec<Org>,
    naming_orgs: Vec<Org>,
    errors: FormErrors,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    f: StudioForm,
    person: Person,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let pool = state.db.reader();
    let enterprises = orgs::enterprises(pool)
        .await
        .map_err(|e| ctx.err(e.into()))?;
    let naming_orgs = orgs::naming_orgs(pool)
        .await
        .map_err(|e| ctx.err(e.into()))?;
    Ok(render(
        status,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            id,
            f,
            person,
            enterprises,
            naming_orgs,
            errors,
        },
    ))
}

async fn new_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    ctx.require()?;
    form_page(
        &state,
        &ctx,
        None,
        StudioForm::default(),
        Person::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(input) => svc::create(&state, actor, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => Ok(see_other(&format!("/studios/{}", s.id))),
        Err(e @ AppError::Client(_)) => {
            let errors = FormErrors(e.field_errors().to_vec());
            form_page(&state, &ctx, None, f, Person::default(), errors, e.status()).await
        }
        Err(e) => Err(ctx.err(e)),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let s = svc::get(&state, Some(actor), id)
        .await
        .map_err(|e| ctx.err(e))?;
    policy::edit_studio(actor, &s).map_err(|e| ctx.err(e))?;
    let person = accounts::person(&state, s.leader_id)
        .await
        .map_err(|e| ctx.err(e))?;
    form_page(
        &state,
        &ctx,
        Some(id),
        StudioForm::from_studio(&s),
        person,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(flatten)]
    studio: StudioForm,
    #[serde(flatten)]
    person: PersonForm,
}

/// Saves the studio profile and, for its leader, their own profile section.
async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let s = svc::get(&state, Some(actor), id)
        .await
        .map_err(|e| ctx.err(e))?;
    let own = s.leader_id == actor.id();
    let result = async {
        let input = f.studio.input()?;
        svc::update(&state, actor, id, input).await?;
        if own {
            accounts::update_person(&state, actor, &f.person.fields()).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/studios/{id}"))),
        Err(e @ AppError::Client(_)) => {
            let person = accounts::person(&state, s.leader_id)
                .await
                .map_err(|e| ctx.err(e))?;
            let errors = FormErrors(e.field_errors().to_vec());
            form_page(
                &state,
                &ctx,
                Some(id),
                f.studio,
                f.person.overlay(person),
                errors,
                e.status(),
            )
            .await
        }
        Err(e) => Err(ctx.err(e)),
    }
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
}

async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    PageForm(f): PageForm<MemberForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = NewMember {
        user_id: None,
        username: Some(f.username),
        role: f.role,
    };
    match svc::add_member(&state, actor, id, input).await {
        Ok(_) => Ok(see_other(&format!("/studios/{id}#add-member"))),
        Err(e @ AppError::Client(_))
            if e.status() != StatusCode::FORBIDDEN && e.status() != StatusCode::NOT_FOUND =>
        {
            let mut errors = e.field_errors().to_vec();
            if errors.is_empty() {
                errors.push(crate::error::FieldError::new(
                    "username",
                    e.problem().detail.unwrap_or_default(),
                ));
            }
            show_with(&state, &ctx, id, FormErrors(errors), None, e.status()).await
        }
        Err(e) => Err(ctx.err(e)),
    }
}

async fn onboard(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::onboard(&state, actor, id).await {
        Ok(_) => Ok(see_other(&format!("/studios/{id}"))),
        Err(e) if e.status() == StatusCode::UNPROCESSABLE_ENTITY => {
            let detail = e.problem().detail.unwrap_or_default();
            show_with(
                &state,
                &ctx,
                id,
                FormErrors::default(),
                Some(detail),
                e.status(),
            )
            .await
        }
        Err(e) => Err(ctx.err(e)),
    }
}
