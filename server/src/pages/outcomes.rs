//! Outcome pages: the showcase (成果展示), an outcome with its files and adoptions (recorded
//! by the adopting unit, answered by the studio), transfer enquiries, and notifications.

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
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, next_page, number, problem_fields,
    refused, render, see_other,
};
use crate::auth::policy;
use crate::domain::outcome::AdoptionStatus;
use crate::service::Page;
use crate::service::adoptions::{self, AdoptionInput};
use crate::service::notifications;
use crate::service::outcomes::{self as svc, OutcomeDetail, ShowcaseQuery};
use crate::service::transfer_enquiries::{self, EnquiryInput};
use crate::state::AppState;
use crate::store::attachments::Attachment;
use crate::store::notifications::Notification;
use crate::store::orgs::Org;
use crate::store::outcomes::Outcome;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outcomes", get(showcase))
        .route("/outcomes/{id}", get(show))
        .route("/outcomes/{id}/adoptions", post(adopt))
        .route("/outcomes/{id}/adoptions/{aid}/{answer}", post(answer))
        .route("/outcomes/{id}/enquiry", post(enquire))
        .route("/notifications", get(notes))
        .route("/notifications/read", post(read_all))
}

#[derive(Template)]
#[template(path = "outcomes/index.html")]
struct Showcase {
    t: Tr,
    nav: Nav,
    q: ShowcaseQuery,
    page: Page<Outcome>,
    next_href: Option<String>,
    done: Option<String>,
    /// The reader may enter outcomes for a studio.
    can_enter: bool,
}

/// The messages the outcome pages know; any other `done` is ignored.
const DONE: [&str; 6] = [
    "created",
    "saved",
    "removed",
    "adopted",
    "confirmed",
    "declined",
];

fn flash(d: Done) -> Option<String> {
    d.known(&DONE)
}

async fn showcase(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ShowcaseQuery>,
    Query(d): Query<Done>,
) -> Result<Response, PageError> {
    let page = svc::list(&state.db, &q).await?;
    let filters = [
        ("kind", q.kind.clone()),
        ("industry", q.industry.clone()),
        ("transferable", q.transferable.clone()),
        ("year", q.year.map(|y| y.to_string())),
        ("studio_id", q.studio_id.map(|s| s.to_string())),
    ];
    let next_href = next_page("/outcomes", &filters, page.next_cursor.as_ref());
    Ok(render(
        StatusCode::OK,
        &Showcase {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            page,
            next_href,
            done: flash(d),
            can_enter: ctx.actor.as_ref().is_some_and(|a| {
                a.studios
                    .iter()
                    .any(|(id, _)| policy::outcomes::publish(a, *id).is_ok())
            }),
        },
    ))
}

#[derive(Template)]
#[template(path = "outcomes/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    o: OutcomeDetail,
    signed_in: bool,
    errors: FormErrors,
    done: Option<String>,
    can_edit: bool,
    can_remove: bool,
    /// The reader answers recorded adoptions (the studio's leader).
    can_answer: bool,
    /// The units the reader may record an adoption for.
    units: Vec<Org>,
    /// The reader may start a transfer enquiry (a transferable outcome of another studio).
    can_enquire: bool,
    /// The enquiry form's client id, so that sending it twice sends one message.
    enquiry_id: String,
}

impl Show {
    /// The day of an RFC 3339 instant.
    fn day<'a>(&self, at: &'a str) -> &'a str {
        at.get(..10).unwrap_or(at)
    }

    fn images(&self) -> Vec<&Attachment> {
        self.o
            .attachments
            .iter()
            .filter(|a| a.mime.starts_with("image/"))
            .collect()
    }

    fn documents(&self) -> Vec<&Attachment> {
        self.o
            .attachments
            .iter()
            .filter(|a| !a.mime.starts_with("image/"))
            .collect()
    }

    fn status_label(&self, s: &AdoptionStatus) -> String {
        self.t.label("oc.adoption", s.code())
    }

    fn status_class(&self, s: &AdoptionStatus) -> &'static str {
        match s {
            AdoptionStatus::Pending => "st-pending",
            AdoptionStatus::Confirmed => "st-accepted",
            AdoptionStatus::Declined => "st-declined",
        }
    }

    fn waiting(&self, s: &AdoptionStatus) -> bool {
        *s == AdoptionStatus::Pending
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(d): Query<Done>,
) -> Result<Response, PageError> {
    show_with(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        flash(d),
        StatusCode::OK,
    )
    .await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let o = svc::detail(&state.db, id).await?;
    let (can_edit, can_remove, units) = match ctx.actor.as_ref() {
        Some(a) => (
            policy::outcomes::edit(a, &o.outcome).is_ok(),
            policy::outcomes::remove(a, &o.outcome).is_ok() && o.outcome.challenge_id.is_none(),
            if policy::outcomes::may_record_adoptions(a, &o.outcome) {
                adoptions::units_for(&state.db, a).await?
            } else {
                Vec::new()
            },
        ),
        None => (false, false, Vec::new()),
    };
    let can_answer = ctx
        .actor
        .as_ref()
        .is_some_and(|a| policy::outcomes::answer_adoption(a, &o.outcome).is_ok());
    let can_enquire = o.outcome.transferable && ctx.actor.is_some() && !can_answer;
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            o,
            signed_in: ctx.actor.is_some(),
            errors,
            done,
            can_edit,
            can_remove,
            can_answer,
            units,
            can_enquire,
            enquiry_id: uuid::Uuid::new_v4().to_string(),
        },
    ))
}

#[derive(Deserialize)]
struct AdoptionForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    effect: String,
}

async fn adopt(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AdoptionForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = async {
        let input = AdoptionInput {
            org_id: number("org_id", &f.org_id)?.unwrap_or_default(),
            place: f.place,
            effect: f.effect,
        };
        adoptions::adopt(&state.db, actor, id, input).await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/outcomes/{id}?done=adopted#adoptions"))),
        Err(e) => refused_on_page(&state, &ctx, id, e).await,
    }
}

/// The outcome's page again with what a form on it was refused for.
async fn refused_on_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    e: crate::error::AppError,
) -> Result<Response, PageError> {
    let e = refused(e, Shown::Refusals)?;
    let status = e.status();
    show_with(state, ctx, id, FormErrors(problem_fields(&e)), None, status).await
}

/// The studio's leader confirms or declines a recorded adoption.
async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, aid, answer)): PagePath<(i64, i64, String)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let confirm = match answer.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => return Err(PageError(crate::error::AppError::not_found())),
    };
    match adoptions::answer(&state.db, actor, id, aid, confirm).await {
        Ok(a) => Ok(see_other(&format!(
            "/outcomes/{id}?done={}#adoptions",
            a.status.code()
        ))),
        Err(e) => refused_on_page(&state, &ctx, id, e).await,
    }
}

#[derive(Deserialize)]
struct EnquiryForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    client_id: Option<String>,
}

/// A transfer enquiry: the message goes to the studio's leader and the conversation opens.
async fn enquire(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EnquiryForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = EnquiryInput {
        message: f.message,
        client_id: f.client_id.filter(|c| !c.is_empty()),
    };
    match transfer_enquiries::open(&state.db, &state.chat, &state.chat_writer, actor, id, input)
        .await
    {
        Ok(e) => Ok(see_other(&format!("/chat/{}", e.room))),
        Err(e) => refused_on_page(&state, &ctx, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct Notes {
    t: Tr,
    nav: Nav,
    unread: i64,
    items: Vec<Notification>,
}

async fn notes(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (unread, items) = notifications::list(&state.db, actor).await?;
    Ok(render(
        StatusCode::OK,
        &Notes {
            t: ctx.t,
            nav: ctx.nav(),
            unread,
            items,
        },
    ))
}

async fn read_all(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    notifications::mark_read(&state.db, actor, None).await?;
    Ok(see_other("/notifications"))
}
