//! The reports page (信息报送): a studio's people file their progress report (or an urgent one);
//! union staff set the schedule of their subtree, see whose report is missing, and read the
//! reports of the studios under them.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::auth::policy::staff_orgs;
use crate::domain::attachment::Owner;
use crate::domain::reports::Period;
use crate::error::AppError;
use crate::http::upload::UploadForm;
use crate::service::attachments;
use crate::service::reports::{self as svc, NextDue, Overdue, ReportInput, ScheduleInput};
use crate::service::studios::StudioBrief;
use crate::state::AppState;
use crate::store::attachments::Attachment;
use crate::store::reports::{Filter, Report, Schedule};

/// The most attachments one form sends.
const FORM_FILES: usize = 3;

pub fn router() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(FORM_FILES * Owner::Report.max_bytes() + 64 * 1024);
    Router::new()
        .route("/reports", get(index).post(file).layer(limit))
        .route("/orgs/{id}/report-schedule", post(set_schedule))
}

/// A union where the reader is staff, with its schedule and its missing reports.
struct UnionDesk {
    org_id: i64,
    org_name: String,
    schedule: Option<Schedule>,
    overdue: Vec<Overdue>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Tr,
    nav: Nav,
    /// Who the reader may report for: `s:ID` or `a:ID`, with the name.
    subjects: Vec<(String, String)>,
    /// The next report each of the reader's studios owes.
    owed: Vec<(String, NextDue)>,
    desks: Vec<UnionDesk>,
    reports: Vec<Report>,
    /// The attachments of the listed reports.
    files: Vec<Attachment>,
    periods: [Period; 3],
    done: Option<String>,
    f: ReportForm,
    errors: FormErrors,
}

impl ReportsPage {
    /// The attachments of one report.
    fn files_of(&self, report_id: &i64) -> Vec<&Attachment> {
        self.files
            .iter()
            .filter(|a| a.owner_id == *report_id)
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
struct ReportForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    suggestions: String,
    /// A checkbox: present when ticked.
    urgent: Option<String>,
}

impl ReportForm {
    fn input(&self) -> Result<ReportInput, AppError> {
        let (studio_id, alliance_id) = match self.subject.split_once(':') {
            Some(("s", id)) => (number("studio_id", id)?, None),
            Some(("a", id)) => (None, number("alliance_id", id)?),
            _ => (None, None),
        };
        Ok(ReportInput {
            studio_id,
            alliance_id,
            progress: self.progress.clone(),
            problems: self.problems.clone(),
            suggestions: self.suggestions.clone(),
            urgent: self.urgent.is_some(),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    done: Option<String>,
}

const DONE: [&str; 3] = ["filed", "urgent", "schedule"];

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let done = super::done::known(q.done, &DONE);
    page(
        &state,
        &ctx,
        done,
        ReportForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    done: Option<String>,
    f: ReportForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let studios: Vec<StudioBrief> = crate::service::studios::posting(&state.db, actor).await?;
    let mut owed = Vec::new();
    for s in &studios {
        let studio = crate::service::studios::get(&state.db, Some(actor), s.id).await?;
        if let Some(due) = svc::next_due(&state.db, s.id, &studio.org_path).await? {
            owed.push((s.name.clone(), due));
        }
    }
    let mut subjects: Vec<(String, String)> = studios
        .into_iter()
        .map(|s| (format!("s:{}", s.id), s.name))
        .collect();
    for a in crate::service::alliances::of_actor(&state.db, actor).await? {
        if crate::auth::policy::lead_alliance(actor, &a).is_ok() {
            subjects.push((format!("a:{}", a.id), a.name));
        }
    }
    let mut desks = Vec::new();
    for r in staff_orgs(actor) {
        desks.push(UnionDesk {
            schedule: svc::schedule_of(&state.db, r.org_id).await?,
            overdue: svc::overdue(&state.db, actor, r.org_id).await?,
            org_id: r.org_id,
            org_name: r.org_name,
        });
    }
    let reports = svc::list(&state.db, actor, &Filter::default()).await?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let files = attachments::of(&state.db, Owner::Report, &ids).await?;
    let body = ReportsPage {
        t: ctx.t,
        nav: ctx.nav(),
        subjects,
        owed,
        desks,
        reports,
        files,
        periods: Period::ALL,
        done,
        f,
        errors,
    };
    Ok(render(status, &body))
}

/// The report form: the report and up to three attachments in one multipart form. The files
/// are checked first, so that a refused one files nothing.
async fn file(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let f = ReportForm {
        subject: form.text("subject"),
        progress: form.text("progress"),
        problems: form.text("problems"),
        suggestions: form.text("suggestions"),
        urgent: form.fields.get("urgent").cloned(),
    };
    let result = async {
        let uploads: Vec<_> = form.files_of("attachment").collect();
        if uploads.len() > FORM_FILES {
            return Err(AppError::invalid_field(
                "file",
                "一次最多上传 3 个附件 / at most 3 attachments at once",
            ));
        }
        for u in &uploads {
            attachments::check(Owner::Report, &u.file_name, &u.bytes)?;
        }
        let r = svc::file(&state.db, actor, f.input()?).await?;
        for u in uploads {
            attachments::add(
                &state.db,
                &state.config.data_dir,
                actor,
                Owner::Report,
                r.id,
                &u.file_name,
                &u.bytes,
            )
            .await?;
        }
        Ok(r)
    }
    .await;
    match result {
        Ok(r) => {
            let done = if r.urgent { "urgent" } else { "filed" };
            Ok(see_other(&format!("/reports?done={done}#r{}", r.id)))
        }
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            page(
                &state,
                &ctx,
                None,
                f,
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ScheduleForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    due_day: String,
}

async fn set_schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ScheduleForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match number("due_day", &f.due_day) {
        Ok(due_day) => {
            let input = ScheduleInput {
                period: f.period,
                due_day: due_day.unwrap_or_default(),
            };
            svc::set_schedule(&state.db, actor, id, input)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/reports?done=schedule#u{id}"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            page(
                &state,
                &ctx,
                None,
                ReportForm::default(),
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}
