//! The audit log page (审计日志) for union staff and platform admins: filters, the lines
//! newest first with a link to the next page, and the same lines as xlsx.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, Shown, encode, problem_fields, refused, render};
use crate::service::Page;
use crate::service::audit::{self as svc, AuditQuery};
use crate::state::AppState;
use crate::store::audit::AuditLine;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(show))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    nav: Nav,
    q: AuditQuery,
    lines: Page<AuditLine>,
    /// The query string of the filters, for the next page and the export.
    filters: String,
    errors: FormErrors,
}

/// The kinds of entity the log speaks of, for the filter.
const KINDS: [&str; 21] = [
    "studio",
    "studio_change",
    "challenge",
    "outcome",
    "alliance",
    "alliance_request",
    "mentorship",
    "event",
    "event_registration",
    "course",
    "naming_batch",
    "naming_application",
    "assessment_round",
    "assessment",
    "grant",
    "expense",
    "bulletin",
    "honour",
    "org",
    "user",
    "platform",
];

impl AuditPage {
    fn kinds(&self) -> [&'static str; 21] {
        KINDS
    }

    fn when(&self, at: &str) -> String {
        at.replace('T', " ").trim_end_matches('Z').to_owned()
    }
}

fn query_string(q: &AuditQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("actor", &q.actor),
        ("entity_kind", &q.entity_kind),
        ("action", &q.action),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}={}", encode(v.trim())));
        }
    }
    if let Some(id) = q.entity_id {
        parts.push(format!("entity_id={id}"));
    }
    parts.join("&")
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (lines, errors, status) = match svc::list(&state.db, actor, &q).await {
        Ok(lines) => (lines, FormErrors::default(), StatusCode::OK),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            let empty = Page {
                items: Vec::new(),
                next_cursor: None,
            };
            (empty, FormErrors(problem_fields(&e)), e.status())
        }
    };
    let page = AuditPage {
        t: ctx.t,
        nav: ctx.nav(),
        filters: query_string(&q),
        q,
        lines,
        errors,
    };
    Ok(render(status, &page))
}
