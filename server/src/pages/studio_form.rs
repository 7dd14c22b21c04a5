//! The studio application form (申报表): registering a studio and editing its profile together
//! with the leader's own section.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::accounts::PersonForm;
use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, refused, render, see_other,
};
use crate::error::AppError;
use crate::state::AppState;

use crate::service::accounts;
use crate::service::orgs;
use crate::service::studios::{self as svc, StudioInput};
use crate::store::orgs::Org;
use crate::store::studios::Studio;
use crate::store::users::Person;

/// The application form as a page sends it: every field a string.
#[derive(Debug, Default, Deserialize)]
pub(super) struct StudioForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    org_id: String,
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
    #[serde(default)]
    unit_type: String,
    #[serde(default)]
    premises_m2: String,
    #[serde(default)]
    premises_address: String,
    #[serde(default)]
    equipment: String,
}

impl StudioForm {
    fn from_studio(s: &Studio) -> Self {
        StudioForm {
            name: s.name.clone(),
            org_id: s.org_id.to_string(),
            kind: s.kind.clone(),
            field: s.field.clone(),
            industry: s.industry.clone(),
            region: s.region.clone(),
            founded_on: s.founded_on.clone(),
            goals: s.goals.clone(),
            intro: s.intro.clone(),
            outcomes_summary: s.outcomes_summary.clone(),
            honours: s.honours.clone(),
            unit_type: s.unit_type.clone(),
            premises_m2: s.premises_m2.map(|m| m.to_string()).unwrap_or_default(),
            premises_address: s.premises_address.clone(),
            equipment: s.equipment.clone(),
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
            naming_org_id: None,
            kind: Some(self.kind.clone()),
            field: Some(self.field.clone()),
            industry: Some(self.industry.clone()),
            region: Some(self.region.clone()),
            founded_on: Some(self.founded_on.clone()),
            goals: Some(self.goals.clone()),
            intro: Some(self.intro.clone()),
            outcomes_summary: Some(self.outcomes_summary.clone()),
            honours: Some(self.honours.clone()),
            unit_type: Some(self.unit_type.clone()).filter(|u| !u.is_empty()),
            premises_m2: super::number("premises_m2", &self.premises_m2)?,
            premises_address: Some(self.premises_address.clone()),
            equipment: Some(self.equipment.clone()),
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
    let enterprises = orgs::enterprises(&state.db).await?;
    Ok(render(
        status,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            id,
            f,
            person,
            enterprises,
            errors,
        },
    ))
}

/// `/studios/new?org_id=`: the host unit chosen already (a request to add it was approved).
#[derive(Debug, Default, Deserialize)]
pub(super) struct NewQuery {
    org_id: Option<i64>,
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<NewQuery>,
) -> Result<Response, PageError> {
    ctx.require()?;
    let f = StudioForm {
        org_id: q.org_id.map(|o| o.to_string()).unwrap_or_default(),
        ..StudioForm::default()
    };
    form_page(
        &state,
        &ctx,
        None,
        f,
        Person::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<StudioForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(input) => svc::create(&state.db, actor, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => Ok(see_other(&format!("/studios/{}?done=created", s.id))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let errors = FormErrors(e.field_errors().to_vec());
            form_page(&state, &ctx, None, f, Person::default(), errors, e.status()).await
        }
    }
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let s = svc::get_to_edit(&state.db, actor, id).await?;
    let person = accounts::person(&state.db, s.leader_id).await?;
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
pub(super) struct EditForm {
    #[serde(flatten)]
    studio: StudioForm,
    #[serde(flatten)]
    person: PersonForm,
}

/// Saves the studio profile and, for its leader, their own profile section.
pub(super) async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let s = svc::get(&state.db, Some(actor), id).await?;
    let own = s.leader_id == actor.id();
    let result = async {
        let input = f.studio.input()?;
        svc::update(&state.db, actor, id, input).await?;
        if own {
            accounts::update_person(&state.db, actor, &f.person.fields()).await?;
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/studios/{id}?done=saved"))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let person = accounts::person(&state.db, s.leader_id).await?;
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
    }
}
