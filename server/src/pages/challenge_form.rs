//! Posting a challenge (发布难题): the form, with the posting studio and, for alliance members,
//! the choice to show it to one alliance only. The same form rewrites a draft, and its 查重
//! button shows the challenges and outcomes already close to what is written, without saving
//! anything (with script, the list follows the typing).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::error::{AppError, FieldError};
use crate::service::challenge_drafts::{self, DraftChanges};
use crate::service::challenges::{self as svc, ChallengeInput};
use crate::service::search::SimilarItem;
use crate::service::studios::StudioBrief;
use crate::state::AppState;
use crate::store::alliances::Alliance;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/challenges/new", get(new_page).post(create))
        .route("/challenges/{id}/edit", get(edit_page).post(edit))
}

#[derive(Debug, Default, Deserialize)]
struct ChallengeForm {
    #[serde(default)]
    studio_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    reward_yuan: String,
    #[serde(default)]
    claim_mode: String,
    /// Empty: public; an alliance id: only that alliance's members see it.
    #[serde(default)]
    alliance_id: String,
    /// Set by the 查重 button: show what is similar, save nothing.
    #[serde(default)]
    check: String,
}

impl ChallengeForm {
    /// The form filled in from a draft, for rewriting it.
    fn of(c: &crate::store::challenges::Challenge) -> Self {
        Self {
            studio_id: c.studio_id.map(|s| s.to_string()).unwrap_or_default(),
            title: c.title.clone(),
            description: c.description.clone(),
            industry: c.industry.clone(),
            tags: c.tags.join(" "),
            deadline: c.deadline.clone().unwrap_or_default(),
            reward_yuan: c.reward_yuan.map(|r| r.to_string()).unwrap_or_default(),
            claim_mode: c.claim_mode.clone(),
            alliance_id: String::new(),
            check: String::new(),
        }
    }

    fn tag_list(&self) -> Vec<String> {
        self.tags
            .split([' ', ',', '，', '、'])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "challenges/form.html")]
struct FormPage {
    t: Tr,
    nav: Nav,
    f: ChallengeForm,
    studios: Vec<StudioBrief>,
    /// The unions the reader posts for (staff): (org id, name); offered as `o:ID`.
    unions: Vec<(i64, String)>,
    alliances: Vec<Alliance>,
    errors: FormErrors,
    /// The draft being rewritten; `None` for a new challenge.
    editing: Option<i64>,
    /// After 查重: what is already close (empty when nothing is).
    similar: Option<Vec<SimilarItem>>,
}

impl FormPage {
    fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/challenges/{id}/edit"),
            None => "/challenges/new".to_owned(),
        }
    }

    fn kind_key(&self, kind: &str) -> String {
        format!("sr.kind.{kind}")
    }
}

/// The alliances the actor belongs to, for the visibility choice.
async fn own_alliances(state: &AppState, ctx: &Ctx) -> Result<Vec<Alliance>, PageError> {
    match ctx.actor.as_ref() {
        Some(actor) => Ok(crate::service::alliances::of_actor(&state.db, actor).await?),
        None => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
struct NewQuery {
    alliance_id: Option<i64>,
}

/// The unions the actor posts challenges for: where they are staff.
fn unions(ctx: &Ctx) -> Vec<(i64, String)> {
    ctx.actor
        .as_ref()
        .map(|a| {
            crate::auth::policy::staff_orgs(a)
                .into_iter()
                .map(|r| (r.org_id, r.org_name))
                .collect()
        })
        .unwrap_or_default()
}

/// Studios the actor may post for (leader or member).
async fn posting_studios(state: &AppState, ctx: &Ctx) -> Result<Vec<StudioBrief>, PageError> {
    Ok(crate::service::studios::posting(&state.db, ctx.require()?).await?)
}

async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let studios = posting_studios(&state, &ctx).await?;
    let alliances = own_alliances(&state, &ctx).await?;
    let f = ChallengeForm {
        alliance_id: q.alliance_id.map(|a| a.to_string()).unwrap_or_default(),
        ..ChallengeForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f,
            studios,
            unions: unions(&ctx),
            alliances,
            errors: FormErrors::default(),
            editing: None,
            similar: None,
        },
    ))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<ChallengeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    if !f.check.is_empty() {
        return checked(&state, &ctx, f, None).await;
    }
    let result = async {
        // The poster: a studio's id, or `o:` and a union's id.
        let poster = match f.studio_id.strip_prefix("o:") {
            Some(org) => (None, number("studio_id", org)?),
            None => (number("studio_id", &f.studio_id)?, None),
        };
        let input = ChallengeInput {
            studio_id: poster.0,
            org_id: poster.1,
            title: f.title.clone(),
            description: f.description.clone(),
            industry: f.industry.clone(),
            tags: f.tag_list(),
            deadline: Some(f.deadline.clone()).filter(|d| !d.trim().is_empty()),
            reward_yuan: number("reward_yuan", &f.reward_yuan)?,
            visibility: (!f.alliance_id.trim().is_empty()).then(|| "alliance".to_owned()),
            alliance_id: number("alliance_id", &f.alliance_id)?,
            claim_mode: Some(f.claim_mode.clone()).filter(|m| !m.is_empty()),
        };
        svc::create(&state.db, actor, input).await
    }
    .await;
    match result {
        Ok(ch) => Ok(see_other(&format!("/challenges/{}?done=posted", ch.id))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            let studios = posting_studios(&state, &ctx).await?;
            let alliances = own_alliances(&state, &ctx).await?;
            let errors = FormErrors(problem_fields(&e));
            Ok(render(
                e.status(),
                &FormPage {
                    t: ctx.t,
                    nav: ctx.nav(),
                    f,
                    studios,
                    unions: unions(&ctx),
                    alliances,
                    errors,
                    editing: None,
                    similar: None,
                },
            ))
        }
    }
}

/// The form again with what is close to the title and description (查重); nothing is saved.
async fn checked(
    state: &AppState,
    ctx: &Ctx,
    f: ChallengeForm,
    editing: Option<i64>,
) -> Result<Response, PageError> {
    let text = format!("{}\n{}", f.title.trim(), f.description.trim());
    let empty = text.trim().is_empty();
    let (similar, errors) = if empty {
        let e = FieldError::new(
            "title",
            "先写标题和问题描述，再查重 / write the title and the problem first",
        );
        (None, FormErrors(vec![e]))
    } else {
        let items =
            crate::service::search::similar(&state.db, &state.search, ctx.actor.as_ref(), &text, 5)
                .await?;
        (Some(items), FormErrors::default())
    };
    let (studios, unions) = match editing {
        Some(_) => (Vec::new(), Vec::new()),
        None => (posting_studios(state, ctx).await?, unions(ctx)),
    };
    let status = if empty {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f,
            studios,
            unions,
            alliances: match editing {
                Some(_) => Vec::new(),
                None => own_alliances(state, ctx).await?,
            },
            errors,
            editing,
            similar,
        },
    ))
}

/// The draft's form, filled in; only the poster, only while it is a draft.
async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let c = challenge_drafts::editable(&state.db, actor, id).await?;
    Ok(render(
        StatusCode::OK,
        &FormPage {
            t: ctx.t,
            nav: ctx.nav(),
            f: ChallengeForm::of(&c),
            studios: Vec::new(),
            unions: Vec::new(),
            alliances: Vec::new(),
            errors: FormErrors::default(),
            editing: Some(id),
            similar: None,
        },
    ))
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ChallengeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    if !f.check.is_empty() {
        challenge_drafts::editable(&state.db, actor, id).await?;
        return checked(&state, &ctx, f, Some(id)).await;
    }
    let result: Result<_, AppError> = async {
        let changes = DraftChanges {
            title: Some(f.title.clone()),
            description: Some(f.description.clone()),
            industry: Some(f.industry.clone()),
            tags: Some(f.tag_list()),
            deadline: Some(Some(f.deadline.clone()).filter(|d| !d.trim().is_empty())),
            reward_yuan: Some(number("reward_yuan", &f.reward_yuan)?),
            claim_mode: Some(f.claim_mode.clone()).filter(|m| !m.is_empty()),
        };
        challenge_drafts::update(&state.db, actor, id, changes).await
    }
    .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/challenges/{id}?done=saved"))),
        Err(e) => {
            let e = refused(e, Shown::AnyClient)?;
            Ok(render(
                e.status(),
                &FormPage {
                    t: ctx.t,
                    nav: ctx.nav(),
                    errors: FormErrors(problem_fields(&e)),
                    f,
                    studios: Vec::new(),
                    unions: Vec::new(),
                    alliances: Vec::new(),
                    editing: Some(id),
                    similar: None,
                },
            ))
        }
    }
}
