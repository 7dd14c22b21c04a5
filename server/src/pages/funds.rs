//! Funds pages (经费): the grants the reader may see with the granting form, and a grant's
//! ledger with the expense form, the receipts and the approvers' buttons.

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
use crate::auth::Actor;
use crate::auth::policy::staff_orgs;
use crate::domain::funds::{Category, parse_yuan, yuan};
use crate::error::AppError;
use crate::files;
use crate::http::upload::UploadForm;
use crate::service::funds::{
    DecisionInput, ExpenseInput, GrantDetail, GrantInput, expenses, grants, receipts,
};
use crate::state::AppState;
use crate::store::funds::grants::{Filter, Recipient};
use crate::store::funds::{Expense, Grant};
use crate::store::orgs::StaffRole;

/// Receipts one expense form may carry at once.
const FORM_FILES: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/funds", get(index).post(grant))
        .route("/funds/{id}", get(show))
        .route(
            "/funds/{id}/expenses",
            post(file_expense).layer(DefaultBodyLimit::max(
                FORM_FILES * files::MAX_RECEIPT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/expenses/{id}/receipts",
            post(add_receipts).layer(DefaultBodyLimit::max(
                FORM_FILES * files::MAX_RECEIPT_BYTES + 64 * 1024,
            )),
        )
        .route("/expenses/{id}/{action}", post(decide))
}

/// The share of a grant spent or held, in whole percent, for the bar.
fn used_pct(g: &Grant) -> i64 {
    if g.amount_fen == 0 {
        0
    } else {
        (g.committed_fen * 100 / g.amount_fen).clamp(0, 100)
    }
}

#[derive(Template)]
#[template(path = "funds/index.html")]
struct Index {
    t: Tr,
    nav: Nav,
    grants: Vec<Grant>,
    queue: Vec<(Expense, String)>,
    staff_orgs: Vec<StaffRole>,
    recipients: Vec<Recipient>,
    years: Vec<i64>,
    year: Option<i64>,
    done: Option<String>,
    f: GrantForm,
    errors: FormErrors,
}

impl Index {
    /// Yuan with separators, from fen given by value or by reference.
    fn money(&self, fen: impl std::borrow::Borrow<i64>) -> String {
        yuan(*fen.borrow())
    }

    fn used(&self, g: &Grant) -> i64 {
        used_pct(g)
    }

    fn is_year(&self, y: &i64) -> bool {
        self.year == Some(*y)
    }
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    year: Option<String>,
    done: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct GrantForm {
    #[serde(default)]
    org_id: String,
    /// `s:ID` for a studio, `a:ID` for an alliance.
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    purpose: String,
}

impl GrantForm {
    fn input(&self) -> Result<GrantInput, AppError> {
        let (studio_id, alliance_id) = match self.recipient.split_once(':') {
            Some(("s", id)) => (number("studio_id", id)?, None),
            Some(("a", id)) => (None, number("alliance_id", id)?),
            _ => (None, None),
        };
        Ok(GrantInput {
            org_id: number("org_id", &self.org_id)?.unwrap_or_default(),
            studio_id,
            alliance_id,
            amount_fen: amount("amount_fen", &self.amount)?,
            year: number("year", &self.year)?.unwrap_or_default(),
            purpose: self.purpose.clone(),
        })
    }
}

/// An amount typed in yuan (`20000`, `2万`, `1,250.50`) in fen.
fn amount(field: &str, text: &str) -> Result<i64, AppError> {
    parse_yuan(text).ok_or_else(|| {
        AppError::invalid_field(
            field,
            "请输入金额（元），如 20000 或 2万 / an amount in yuan, such as 20000",
        )
    })
}

/// What the funds pages say after a form went through; any other `done` is ignored.
const DONE: [&str; 5] = ["granted", "filed", "approve", "return", "receipt"];

fn done(d: Option<String>) -> Option<String> {
    super::done::known(d, &DONE)
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let year = q.year.as_deref().and_then(|y| y.parse().ok());
    let f = GrantForm {
        year: crate::service::orgs::china_today().format("%Y").to_string(),
        ..GrantForm::default()
    };
    index_with(
        &state,
        &ctx,
        year,
        done(q.done),
        f,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn index_with(
    state: &AppState,
    ctx: &Ctx,
    year: Option<i64>,
    done: Option<String>,
    f: GrantForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let filter = Filter {
        year,
        ..Filter::default()
    };
    let staff = staff_orgs(actor);
    let recipients = match staff.first() {
        Some(_) => recipients_of(state, actor, &staff).await?,
        None => Vec::new(),
    };
    let this_year = i64::from(chrono::Datelike::year(&crate::service::orgs::china_today()));
    let page = Index {
        t: ctx.t,
        nav: ctx.nav(),
        grants: grants::list(&state.db, actor, &filter).await?,
        queue: expenses::waiting_for(&state.db, actor).await?,
        staff_orgs: staff,
        recipients,
        years: (this_year - 4..=this_year).rev().collect(),
        year,
        done,
        f,
        errors,
    };
    Ok(render(status, &page))
}

/// Everyone the reader's unions may grant to.
async fn recipients_of(
    state: &AppState,
    actor: &Actor,
    staff: &[StaffRole],
) -> Result<Vec<Recipient>, AppError> {
    let mut out: Vec<Recipient> = Vec::new();
    for r in staff {
        for x in grants::recipients(&state.db, actor, r.org_id).await? {
            if !out
                .iter()
                .any(|o| o.studio_id == x.studio_id && o.alliance_id == x.alliance_id)
            {
                out.push(x);
            }
        }
    }
    Ok(out)
}

async fn grant(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<GrantForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(i) => grants::grant(&state.db, actor, i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(g) => Ok(see_other(&format!("/funds/{}?done=granted", g.id))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            let errors = FormErrors(problem_fields(&e));
            index_with(&state, &ctx, None, None, f, errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "funds/grant.html")]
struct Show {
    t: Tr,
    nav: Nav,
    d: GrantDetail,
    categories: [Category; 6],
    done: Option<String>,
    f: ExpenseFields,
    errors: FormErrors,
    today: String,
}

impl Show {
    /// Yuan with separators, from fen given by value or by reference.
    fn money(&self, fen: impl std::borrow::Borrow<i64>) -> String {
        yuan(*fen.borrow())
    }

    fn used(&self) -> i64 {
        used_pct(&self.d.grant)
    }
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

/// The expense form's fields as typed, to show them again when refused.
#[derive(Debug, Default)]
struct ExpenseFields {
    category: String,
    amount: String,
    spent_on: String,
    note: String,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    show_with(
        &state,
        &ctx,
        id,
        done(q.done),
        ExpenseFields::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Option<String>,
    f: ExpenseFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let d = grants::detail(&state.db, actor, id).await?;
    let page = Show {
        t: ctx.t,
        nav: ctx.nav(),
        d,
        categories: Category::ALL,
        done,
        f,
        errors,
        today: crate::service::orgs::china_today().to_string(),
    };
    Ok(render(status, &page))
}

/// The leader's expense form: the fields and up to three receipts, in one multipart form. The
/// expense is filed first; a refused receipt comes back on the page with the expense kept.
async fn file_expense(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let f = ExpenseFields {
        category: form.text("category"),
        amount: form.text("amount"),
        spent_on: form.text("spent_on"),
        note: form.text("note"),
    };
    let filed = match amount("amount_fen", &f.amount) {
        Ok(amount_fen) => {
            let input = ExpenseInput {
                category: f.category.clone(),
                amount_fen,
                spent_on: f.spent_on.clone(),
                note: f.note.clone(),
            };
            expenses::file(&state.db, actor, id, input).await
        }
        Err(e) => Err(e),
    };
    let e = match filed {
        Ok(e) => e,
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            let errors = FormErrors(problem_fields(&e));
            return show_with(&state, &ctx, id, None, f, errors, status).await;
        }
    };
    match attach(&state, actor, e.id, &form).await {
        Ok(()) => Ok(see_other(&format!("/funds/{id}?done=filed#ledger"))),
        Err(err) => {
            let err = refused(err, Shown::Refusals)?;
            let status = err.status();
            let errors = FormErrors(problem_fields(&err));
            show_with(
                &state,
                &ctx,
                id,
                Some("filed".into()),
                ExpenseFields::default(),
                errors,
                status,
            )
            .await
        }
    }
}

/// Stores the `receipt` files of a form on an expense (at most three at once).
async fn attach(
    state: &AppState,
    actor: &Actor,
    expense_id: i64,
    form: &UploadForm,
) -> Result<(), AppError> {
    let uploads: Vec<_> = form.files_of("receipt").collect();
    if uploads.len() > FORM_FILES {
        return Err(AppError::invalid_field(
            "file",
            "一次最多上传 3 份凭证 / at most 3 receipts at once",
        ));
    }
    for u in uploads {
        receipts::add(
            &state.db,
            &state.config.data_dir,
            actor,
            expense_id,
            &u.file_name,
            &u.bytes,
        )
        .await?;
    }
    Ok(())
}

async fn add_receipts(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (_, g) = expenses::get(&state.db, actor, id).await?;
    let form = UploadForm::read(form).await?;
    let result = if form.files_of("receipt").next().is_none() {
        Err(AppError::invalid_field(
            "file",
            "请选择凭证文件 / a file is required",
        ))
    } else {
        attach(&state, actor, id, &form).await
    };
    after(&state, &ctx, g.id, "receipt", result).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, action)): PagePath<(i64, String)>,
    PageForm(f): PageForm<DecisionInput>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let (_, g) = expenses::get(&state.db, actor, id).await?;
    let result = expenses::decide(&state.db, actor, id, &action, f)
        .await
        .map(|_| ());
    after(&state, &ctx, g.id, &action, result).await
}

/// Back to the ledger with a flash, or the page again with what was refused.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    grant: i64,
    done: &str,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/funds/{grant}?done={done}#ledger"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            let errors = FormErrors(problem_fields(&e));
            show_with(
                state,
                ctx,
                grant,
                None,
                ExpenseFields::default(),
                errors,
                status,
            )
            .await
        }
    }
}
