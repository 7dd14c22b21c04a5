//! Bulletin pages (简报): the list with the composing form for union staff, and a bulletin,
//! which records that its reader read it; its senders see who did and which studios have not.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PagePath, Shown, markdown, number, problem_fields, refused,
    render, see_other,
};
use crate::auth::policy::staff_orgs;
use crate::domain::attachment::Owner;
use crate::error::AppError;
use crate::http::upload::{Upload, UploadForm};
use crate::service::attachments;
use crate::service::bulletins::{self as svc, BulletinInput, Reads};
use crate::state::AppState;
use crate::store::attachments::Attachment;
use crate::store::bulletins::Bulletin;
use crate::store::orgs::StaffRole;

/// The most pictures one form sends (more are added on the bulletin's page).
const FORM_FILES: usize = 3;

pub fn router() -> Router<AppState> {
    let limit = DefaultBodyLimit::max(FORM_FILES * Owner::Bulletin.max_bytes() + 64 * 1024);
    Router::new()
        .route("/bulletins", get(index).post(send).layer(limit))
        .route("/bulletins/{id}", get(show))
        .route("/bulletins/{id}/images", post(add_images).layer(limit))
}

/// The `image` files of a form, each checked before anything is written.
fn images(form: &UploadForm) -> Result<Vec<&Upload>, AppError> {
    let uploads: Vec<&Upload> = form.files_of("image").collect();
    if uploads.len() > FORM_FILES {
        return Err(AppError::invalid_field(
            "file",
            "一次最多上传 3 张配图 / at most 3 pictures at once",
        ));
    }
    for u in &uploads {
        attachments::check(Owner::Bulletin, &u.file_name, &u.bytes)?;
    }
    Ok(uploads)
}

async fn attach(
    state: &AppState,
    actor: &crate::auth::Actor,
    id: i64,
    uploads: &[&Upload],
) -> Result<(), AppError> {
    for u in uploads {
        attachments::add(
            &state.db,
            &state.config.data_dir,
            actor,
            Owner::Bulletin,
            id,
            &u.file_name,
            &u.bytes,
        )
        .await?;
    }
    Ok(())
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

/// The composing form: the bulletin and up to three pictures in one multipart form. The
/// pictures are checked first, so that a refused one sends nothing.
async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let f = BulletinForm {
        org_id: form.text("org_id"),
        title: form.text("title"),
        body: form.text("body"),
    };
    let result = async {
        let uploads = images(&form)?;
        let org_id = number("org_id", &f.org_id)?;
        let input = BulletinInput {
            org_id: org_id.unwrap_or_default(),
            title: f.title.clone(),
            body: f.body.clone(),
        };
        let b = svc::send(&state.db, actor, input).await?;
        attach(&state, actor, b.id, &uploads).await?;
        Ok::<_, AppError>(b)
    }
    .await;
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
    images: Vec<Attachment>,
    reads: Option<Reads>,
    done: Option<String>,
    errors: FormErrors,
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
    let done = q.done.filter(|d| d == "sent" || d == "images");
    show_with(
        &state,
        &ctx,
        id,
        done,
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
    errors: FormErrors,
    status: StatusCode,
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
        images: attachments::of(&state.db, Owner::Bulletin, &[b.id]).await?,
        b,
        reads,
        done,
        errors,
    };
    Ok(render(status, &page))
}

/// More pictures for a sent bulletin, from its page (its union's staff).
async fn add_images(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let form = UploadForm::read(form).await?;
    let result = match images(&form) {
        Ok(uploads) if uploads.is_empty() => Err(AppError::invalid_field(
            "file",
            "请选择图片 / choose a picture",
        )),
        Ok(uploads) => attach(&state, actor, id, &uploads).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/bulletins/{id}?done=images#images"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            show_with(
                &state,
                &ctx,
                id,
                None,
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}
