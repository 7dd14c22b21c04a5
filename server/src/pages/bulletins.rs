//! Bulletin pages (简报): the list with the composing form for union staff, and a bulletin,
//! which records that its reader read it; its senders see who did and which studios have not.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, markdown, number, problem_fields,
    refused, render, see_other,
};
use crate::auth::policy::staff_orgs;
use crate::service::bulletins::{self as svc, BulletinInput, Reads};
use crate::state::AppState;
use crate::store::bulletins::Bulletin;
use crate::store::orgs::StaffRole;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bulletins", get(index).post(send))
        .route("/bulletins/{id}", get(show))
}

#[derive(Template)]
#[template(path = "bulletins/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    items: Vec<Bulletin>,
    staff_orgs: Vec<StaffRole>,
    f: BulletinForm,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct BulletinForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

async fn index(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    index_with(
        &state,
        &ctx,
        BulletinForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn index_with(
    state: &AppState,
    ctx: &Ctx,
    f: BulletinForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        items: svc::list(&state.db, actor).await?,
        staff_orgs: staff_orgs(actor),
        f,
        errors,
    };
    Ok(render(status, &page))
}

async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<BulletinForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match number("org_id", &f.org_id) {
        Ok(org_id) => {
            let input = BulletinInput {
                org_id: org_id.unwrap_or_default(),
                title: f.title.clone(),
                body: f.body.clone(),
            };
            svc::send(&state.db, actor, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(b) => Ok(see_other(&format!("/bulletins/{}?done=sent", b.id))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            index_with(&state, &ctx, f, FormErrors(problem_fields(&e)), status).await
        }
    }
}

#[derive(Template)]
#[template(path = "bulletins/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    b: Bulletin,
    body_html: String,
    reads: Option<Reads>,
    sent: bool,
}

impl Show {
    /// How many of the studios under the union have read it.
    fn studios_read(&self) -> usize {
        self.reads
            .as_ref()
            .map(|r| r.studios.iter().filter(|s| s.read).count())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    // Opening it is reading it (已读) for the people it was sent to; its senders and the staff
    // above them read who did.
    let b = svc::get(&state.db, actor, id).await?;
    let reads = if svc::may_see_reads(actor, &b) {
        Some(svc::reads(&state.db, actor, id).await?)
    } else {
        svc::read(&state.db, actor, id).await?;
        None
    };
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        body_html: markdown::render(&b.body),
        b,
        reads,
        sent: q.done.as_deref() == Some("sent"),
    };
    Ok(render(StatusCode::OK, &page))
}
