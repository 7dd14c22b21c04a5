//! The honours page (荣誉推荐): union staff pick a studio of their subtree, then the studio
//! itself, one of its people or one of its outcomes, and recommend it for an honour; later they
//! record whether it was awarded. Everyone reads the recommendations that concern them.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, number, problem_fields, refused,
    render, see_other,
};
use crate::domain::honours::{Honour, HonourStatus, Level, Subject};
use crate::error::AppError;
use crate::service::honours::{self as svc, Candidates, DecisionInput, HonourInput, ListQuery};
use crate::state::AppState;
use crate::store::honours::HonourRecord;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/honours", get(index).post(recommend))
        .route("/honours/{id}/decision", post(decide))
}

#[derive(Template)]
#[template(path = "honours.html")]
struct HonoursPage {
    t: Tr,
    nav: Nav,
    c: Candidates,
    honours: Vec<HonourRecord>,
    /// The recommendations whose result the reader may record.
    decidable: Vec<i64>,
    this_year: i64,
    q: ListQuery,
    done: Option<String>,
    f: RecommendForm,
    errors: FormErrors,
}

impl HonoursPage {
    /// The honours with whom each is for (`person`, `studio`, `outcome`).
    fn honour_choices(&self) -> Vec<(&'static str, &'static str)> {
        Honour::ALL
            .iter()
            .map(|h| {
                let whom = match h.subject() {
                    Subject::Person => "ho.for_person",
                    Subject::Studio => "ho.for_studio",
                    Subject::Outcome => "ho.for_outcome",
                };
                (h.code(), whom)
            })
            .collect()
    }

    fn levels(&self) -> Vec<&'static str> {
        Level::ALL.iter().map(|l| l.code()).collect()
    }

    fn statuses(&self) -> [HonourStatus; 3] {
        HonourStatus::ALL
    }

    /// The level chosen, or a city honour by default.
    fn level_selected(&self, code: &str) -> bool {
        self.f.level == code || (self.f.level.is_empty() && code == "city")
    }

    fn is_org(&self, id: &i64) -> bool {
        self.c.org_id == Some(*id)
    }

    fn years(&self) -> Vec<i64> {
        (self.this_year - 5..=self.this_year).rev().collect()
    }

    fn is_year(&self, y: &i64) -> bool {
        self.q.year == Some(*y)
    }

    fn is_status(&self, s: &HonourStatus) -> bool {
        self.q.status.as_deref() == Some(s.code())
    }

    /// Whether the reader may record the result of this one.
    fn may_decide(&self, h: &HonourRecord) -> bool {
        self.decidable.contains(&h.id)
    }

    fn date(&self, at: &str) -> String {
        at.get(..10).unwrap_or(at).to_owned()
    }
}

#[derive(Debug, Default, Deserialize)]
struct RecommendForm {
    #[serde(default)]
    org_id: String,
    /// `s:ID`, `u:ID` or `o:ID`.
    #[serde(default)]
    subject: String,
    #[serde(default)]
    honour: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    reason: String,
}

impl RecommendForm {
    fn input(&self) -> Result<HonourInput, AppError> {
        let org_id = number("org_id", &self.org_id)?.unwrap_or_default();
        let (mut user_id, mut studio_id, mut outcome_id) = (None, None, None);
        match self.subject.split_once(':') {
            Some(("u", id)) => user_id = number("subject", id)?,
            Some(("s", id)) => studio_id = number("subject", id)?,
            Some(("o", id)) => outcome_id = number("subject", id)?,
            _ => {
                return Err(AppError::invalid_field(
                    "subject",
                    "请选择推荐对象 / choose whom to recommend",
                ));
            }
        }
        Ok(HonourInput {
            org_id,
            honour: self.honour.clone(),
            level: self.level.clone(),
            year: number("year", &self.year)?.unwrap_or_default(),
            user_id,
            studio_id,
            outcome_id,
            reason: self.reason.clone(),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
struct IndexQuery {
    org_id: Option<String>,
    studio_id: Option<String>,
    year: Option<String>,
    status: Option<String>,
    done: Option<String>,
}

const DONE: [&str; 3] = ["recommended", "awarded", "not_awarded"];

fn id_of(v: &Option<String>) -> Option<i64> {
    v.as_deref().and_then(|v| v.trim().parse().ok())
}

async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<IndexQuery>,
) -> Result<Response, PageError> {
    let done = super::done::known(q.done.clone(), &DONE);
    let list = ListQuery {
        year: id_of(&q.year),
        status: q
            .status
            .clone()
            .filter(|s| HonourStatus::parse(s).is_some()),
        ..ListQuery::default()
    };
    let f = RecommendForm {
        org_id: q.org_id.clone().unwrap_or_default(),
        ..RecommendForm::default()
    };
    page(
        &state,
        &ctx,
        (id_of(&q.org_id), id_of(&q.studio_id)),
        list,
        done,
        f,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: &Ctx,
    (org_id, studio_id): (Option<i64>, Option<i64>),
    q: ListQuery,
    done: Option<String>,
    f: RecommendForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    use chrono::Datelike;
    let actor = ctx.require()?;
    let c = svc::candidates(&state.db, actor, org_id, studio_id).await?;
    let honours = svc::list(&state.db, actor, &q).await?;
    let decidable = svc::decidable(actor, &honours);
    let body = HonoursPage {
        decidable,
        t: ctx.t,
        nav: ctx.nav(),
        c,
        honours,
        this_year: i64::from(crate::service::orgs::china_today().year()),
        q,
        done,
        f,
        errors,
    };
    Ok(render(status, &body))
}

async fn recommend(
    State(state): State<AppState>,
    ctx: Ctx,
    PageForm(f): PageForm<RecommendForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match f.input() {
        Ok(input) => svc::recommend(&state.db, actor, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => Ok(see_other(&format!("/honours?done=recommended#h{}", h.id))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            // The form comes back on the studio it was about.
            let studio = match f.subject.split_once(':') {
                Some(("s", id)) => id.parse().ok(),
                _ => None,
            };
            let org = f.org_id.trim().parse().ok();
            page(
                &state,
                &ctx,
                (org, studio),
                ListQuery::default(),
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
struct DecisionForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    note: String,
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let awarded = match f.result.as_str() {
        "awarded" => Ok(true),
        "not_awarded" => Ok(false),
        _ => Err(AppError::invalid_field(
            "result",
            "请选择评选结果 / choose the result",
        )),
    };
    let result = match awarded {
        Ok(awarded) => {
            let input = DecisionInput {
                awarded,
                note: f.note,
            };
            svc::decide(&state.db, actor, id, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(h) => Ok(see_other(&format!(
            "/honours?done={}#h{}",
            h.status.code(),
            h.id
        ))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let status = e.status();
            page(
                &state,
                &ctx,
                (None, None),
                ListQuery::default(),
                None,
                RecommendForm::default(),
                FormErrors(problem_fields(&e)),
                status,
            )
            .await
        }
    }
}
