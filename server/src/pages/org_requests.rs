//! Adding a missing host enterprise (申请添加所在单位): the form a studio's leader fills in when
//! the unit is not in the union tree, and the page where they follow the request and where the
//! staff above decide, each decision asked first and ending with a message.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::domain::request::RequestAction;
use crate::service::org_requests::{self as svc, OrgRequestDecision, OrgRequestInput};
use crate::state::AppState;
use crate::store::org_requests::OrgRequest;
use crate::store::orgs::Org;

/// The most unions the form offers as the parent.
const PARENTS: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/org-requests", get(index).post(create))
        .route("/org-requests/new", get(new_page))
        .route("/org-requests/{id}/{action}", post(decide))
}

#[derive(Debug, Default, Deserialize)]
struct RequestForm {
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "orgs/request_form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: RequestForm,
    parents: Vec<Org>,
    errors: FormErrors,
}

impl FormPage {
    /// A union's name indented by its depth, so the select reads as the tree.
    fn indented(&self, o: &Org) -> String {
        let depth = o.path.matches('/').count().saturating_sub(2);
        format!("{}{}", "　".repeat(depth), o.name)
    }
}

#[derive(Template)]
#[template(path = "orgs/requests.html")]
struct Index {
    t: Tr,
    nav: Nav,
    mine: Vec<OrgRequest>,
    to_decide: Vec<OrgRequest>,
    done: Option<String>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct NewQuery {
    parent_id: Option<i64>,
}

/// The messages the page knows; any other `done` is ignored.
const DONE: [&str; 3] = ["asked", "approved", "declined"];

async fn form(
    state: &AppState,
    ctx: &Ctx,
    f: RequestForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    ctx.require()?;
    let parents = svc::parents(&state.db, PARENTS).await?;
    Ok(render(
        status,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f,
            parents,
            errors,
        },
    ))
}

async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let f = RequestForm {
        parent_id: q.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        ..RequestForm::default()
    };
    form(&state, &ctx, f, FormErrors::default(), StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<RequestForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = OrgRequestInput {
            parent_id: number("parent_id", &f.parent_id)?.unwrap_or_default(),
            name: f.name.clone(),
            note: f.note.clone(),
        };
        svc::create(&state.db, actor, input).await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other("/org-requests?done=asked")),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let errors = FormErrors(problem_fields(&e));
            form(&state, &ctx, f, errors, e.status()).await
        }
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    done: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let l = svc::lists(&state.db, actor).await?;
    Ok(render(
        status,
        &Index {
            t: ctx.t,
            nav: ctx.nav(),
            mine: l.mine,
            to_decide: l.to_decide,
            done,
            errors,
        },
    ))
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    list_page(&state, &ctx, done, FormErrors::default(), StatusCode::OK).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(d): PageForm<OrgRequestDecision>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (action, done) = match action.as_str() {
        "approve" => (RequestAction::Approve, "approved"),
        "decline" => (RequestAction::Decline, "declined"),
        _ => return Err(PageError(crate::error::AppError::not_found())),
    };
    match svc::decide(&state.db, actor, id, action, d).await {
        Ok(_) => Ok(see_other(&format!("/org-requests?done={done}"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            list_page(&state, &ctx, None, errors, e.status()).await
        }
    }
}
