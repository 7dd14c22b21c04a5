//! Importing a studio list on the org's page (导入工作室名单): choose the sheet, check it (a dry
//! run shows each row's outcome), then import it all at once.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PagePath, Shown, problem_fields, refused, render};
use crate::domain::studio_import::{Column, MAX_BYTES};
use crate::http::upload::UploadForm;
use crate::service::studio_sheet::{self, ImportReport};
use crate::state::AppState;
use crate::store::orgs::Org;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/orgs/{id}/import",
        get(form)
            .post(import)
            .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
    )
}

#[derive(Template)]
#[template(path = "orgs/import.html")]
struct ImportPage {
    t: Tr,
    nav: Nav,
    org: Org,
    headings: Vec<(&'static str, bool)>,
    report: Option<ImportReport>,
    errors: FormErrors,
}

async fn org_for(state: &AppState, ctx: &Ctx, id: i64) -> Result<Org, PageError> {
    let actor = ctx.require()?;
    Ok(studio_sheet::org_to_import(&state.db, actor, id).await?)
}

fn headings() -> Vec<(&'static str, bool)> {
    Column::ALL
        .into_iter()
        .map(|c| (c.heading(), c.required()))
        .collect()
}

async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let org = org_for(&state, &ctx, id).await?;
    let page = ImportPage {
        t: ctx.t,
        nav: ctx.nav(),
        org,
        headings: headings(),
        report: None,
        errors: FormErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The sheet with the button pressed: `dry_run=false` imports, anything else checks.
async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let org = org_for(&state, &ctx, id).await?;
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let dry_run = form.text("dry_run") != "false";
    let result = match form.files_of("file").next() {
        Some(file) => studio_sheet::import(&state.db, actor, id, &file.bytes, dry_run).await,
        None => Err(crate::error::AppError::invalid_field(
            "file",
            "请选择要导入的表格 / a file is required",
        )),
    };
    let (report, errors, status) = match result {
        Ok(r) => (Some(r), FormErrors::default(), StatusCode::OK),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            (None, FormErrors(problem_fields(&e)), status)
        }
    };
    let page = ImportPage {
        t: ctx.t,
        nav: ctx.nav(),
        org,
        headings: headings(),
        report,
        errors,
    };
    Ok(render(status, &page))
}
