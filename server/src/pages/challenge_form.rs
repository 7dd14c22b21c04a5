//! Posting a challenge (发布难题): the form, with the posting studio and, for alliance members,
//! the choice to show it to one alliance only.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, Shown, number, problem_fields, refused, render,
    see_other,
};
use crate::service::challenges::{self as svc, ChallengeInput};
use crate::service::studios::StudioBrief;
use crate::state::AppState;
use crate::store::alliances::Alliance;

pub fn router() -> Router<AppState> {
    Router::new().route("/challenges/new", get(new_page).post(create))
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
        },
    ))
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<ChallengeForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
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
            tags: f
                .tags
                .split([' ', ',', '，', '、'])
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
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
        Ok(ch) => Ok(see_other(&format!("/challenges/{}", ch.id))),
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
                },
            ))
        }
    }
}
