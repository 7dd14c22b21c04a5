//! Funds (经费): grants, expenses with receipts, the granting union's decisions, and the ledger
//! exported for audit (Jieyang art. 12–13).

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router, extract::State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::wire::all;
use crate::api::wire::funds::{Expense, Grant, GrantDetail};
use crate::auth::Actor;
use crate::error::{AppError, AppResult, Problem};
use crate::files;
use crate::http::download;
use crate::http::extract::{ApiJson, ApiJsonOrEmpty, ApiPath, ApiQuery};
use crate::http::upload::UploadForm;
use crate::service::Created;
use crate::service::funds::{
    DecisionInput, ExpenseInput, GrantInput, expenses, grants, ledger, receipts,
};
use crate::state::AppState;
use crate::store::funds::grants::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/grants", post(create).get(list))
        .route("/api/v1/grants/{id}", get(show))
        .route("/api/v1/grants/{id}/expenses", post(file_expense))
        .route("/api/v1/expenses/{id}/{action}", post(decide))
        .route(
            "/api/v1/expenses/{id}/receipts",
            post(add_receipt).layer(DefaultBodyLimit::max(files::MAX_RECEIPT_BYTES + 64 * 1024)),
        )
        .route("/api/v1/expenses/{id}/receipts/{name}", get(receipt))
        .route("/api/v1/exports/ledger.xlsx", get(export_ledger))
}

/// Grants funds from a union to a studio or an alliance in its subtree (its staff).
#[utoipa::path(post, path = "/api/v1/grants", tag = "funds", request_body = GrantInput,
    responses((status = 201, body = Grant), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<GrantInput>,
) -> AppResult<(StatusCode, Json<Grant>)> {
    let g = grants::grant(&state.db, &actor, input).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct GrantQuery {
    /// Granted by this union.
    pub org_id: Option<i64>,
    pub year: Option<i64>,
    /// Received by this studio (or by an alliance it leads).
    pub studio_id: Option<i64>,
    pub alliance_id: Option<i64>,
}

impl GrantQuery {
    fn filter(&self) -> Filter {
        Filter {
            org_id: self.org_id,
            year: self.year,
            studio_id: self.studio_id,
            alliance_id: self.alliance_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Grants {
    pub items: Vec<Grant>,
}

/// The grants the reader may see: staff over the granting union or the account's union, the
/// holder studio's people.
#[utoipa::path(get, path = "/api/v1/grants", tag = "funds", params(GrantQuery),
    responses((status = 200, body = Grants), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<GrantQuery>,
) -> AppResult<Json<Grants>> {
    let items = all(grants::list(&state.db, &actor, &q.filter()).await?);
    Ok(Json(Grants { items }))
}

/// A grant with its ledger: every expense with the balance after it and its receipts.
#[utoipa::path(get, path = "/api/v1/grants/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = GrantDetail), (status = 404, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<GrantDetail>> {
    Ok(Json(grants::detail(&state.db, &actor, id).await?.into()))
}

/// Files an expense (the holder studio's leader). `meals` and `welfare` are refused with 422
/// quoting Jieyang art. 13; an amount beyond the balance is 409 `over_balance`.
#[utoipa::path(post, path = "/api/v1/grants/{id}/expenses", tag = "funds", request_body = ExpenseInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Expense), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn file_expense(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ExpenseInput>,
) -> AppResult<(StatusCode, Json<Expense>)> {
    let e = expenses::file(&state.db, &actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// `approve`, or `return` with an opinion (the granting union's staff; never the filer).
#[utoipa::path(post, path = "/api/v1/expenses/{id}/{action}", tag = "funds", request_body = DecisionInput,
    params(("id" = i64, Path), ("action" = String, Path)),
    responses((status = 200, body = Expense), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<DecisionInput>,
) -> AppResult<Json<Expense>> {
    Ok(Json(
        expenses::decide(&state.db, &actor, id, &action, input)
            .await?
            .into(),
    ))
}

/// Adds a receipt to a pending expense: multipart with one `file` (a JPEG, PNG or WebP image
/// or a PDF of at most 10 MiB, with a plain file name).
#[utoipa::path(post, path = "/api/v1/expenses/{id}/receipts", tag = "funds", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 403, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn add_receipt(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> AppResult<(StatusCode, Json<Created>)> {
    let form = UploadForm::read(form).await?;
    let file = form
        .files_of("file")
        .next()
        .ok_or_else(|| AppError::invalid_field("file", "请选择凭证文件 / a file is required"))?;
    let created = receipts::add(
        &state.db,
        &state.config.data_dir,
        &actor,
        id,
        &file.file_name,
        &file.bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A receipt file, for readers of its grant.
#[utoipa::path(get, path = "/api/v1/expenses/{id}/receipts/{name}", tag = "funds",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn receipt(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, name)): ApiPath<(i64, String)>,
) -> AppResult<Response> {
    let (r, bytes) = receipts::read(&state.db, &state.config.data_dir, &actor, id, &name).await?;
    let inline = r.mime.starts_with("image/");
    Ok(download::file(&r.original_name, &r.mime, bytes, inline))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct LedgerQuery {
    /// One grant's ledger; all the reader's grants without it.
    pub grant_id: Option<i64>,
    pub year: Option<i64>,
}

/// The funds ledger as xlsx: each grant and each expense with the running balance, in the
/// reader's scope.
#[utoipa::path(get, path = "/api/v1/exports/ledger.xlsx", tag = "funds", params(LedgerQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn export_ledger(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> AppResult<Response> {
    let bytes = ledger::export(&state.db, &actor, q.grant_id, q.year).await?;
    Ok(download::xlsx("经费台账", bytes))
}
