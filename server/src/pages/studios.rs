//! Studio pages: the directory, a studio's page, the application form, members, going online.

use super::Done;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::i18n::Tr;
use super::studio_form as form;
use super::{
    Ctx, FormErrors, Nav, PageError, PageForm, PagePath, Shown, next_page, problem_fields, refused,
    render, see_other,
};
use crate::domain::studio::StudioStatus;
use crate::state::AppState;

use crate::service::directory::{self, ListQuery};
use crate::service::studios::{self as svc, NewMember, StudioViewer};
use crate::service::{Page, accounts};
use crate::store::studio_members::Member;
use crate::store::studios::Studio;
use crate::store::users::Person;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/studios", get(directory))
        .route("/studios/new", get(form::new_page).post(form::create))
        .route("/studios/{id}", get(show))
        .route("/studios/{id}/edit", get(form::edit_page).post(form::save))
        .route("/studios/{id}/members", post(add_member))
        .route("/studios/{id}/onboard", post(onboard))
        .route("/studios/{id}/delist", post(delist))
        .route("/studios/{id}/leader", post(hand_over))
        .route(
            "/studios/{id}/members/{user_id}/remove",
            post(remove_member),
        )
}

#[derive(Template)]
#[template(path = "studios/index.html")]
struct Directory {
    t: Tr,
    nav: Nav,
    q: ListQuery,
    regions: Vec<String>,
    page: Page<Studio>,
    next_href: Option<String>,
}

async fn directory(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page = directory::list(&state.db, ctx.actor.as_ref(), &q).await?;
    let regions = crate::service::studios::regions(&state.db).await?;
    let filters = [
        ("industry", q.industry.clone()),
        ("region", q.region.clone()),
        ("kind", q.kind.clone()),
        ("online", q.online.clone()),
        ("org_id", q.org_id.map(|o| o.to_string())),
        ("named_level", q.named_level.clone()),
    ];
    let next_href = next_page("/studios", &filters, page.next_cursor.as_ref());
    Ok(render(
        StatusCode::OK,
        &Directory {
            t: ctx.t,
            nav: ctx.nav(),
            q,
            regions,
            page,
            next_href,
        },
    ))
}

#[derive(Template)]
#[template(path = "studios/show.html")]
struct Show {
    t: Tr,
    nav: Nav,
    s: Studio,
    leader: Person,
    members: Vec<Member>,
    missing: Vec<&'static str>,
    /// What the reader may do with the studio.
    v: StudioViewer,
    naming_org: Option<String>,
    onboarded_on: Option<String>,
    errors: FormErrors,
    onboard_error: Option<String>,
    /// 推荐揭榜, for the studio's own people.
    recommended: Vec<crate::service::search::Suggestion>,
    network: crate::service::network::StudioNetwork,
    /// This year's figures.
    figures: crate::store::metrics::StudioMetrics,
    /// The latest graded assessment (考核), if any.
    assessed: Option<crate::store::assessment::Assessment>,
    /// Its changes up the tree (Jieyang art. 7), newest first.
    changes: Vec<crate::store::studio_changes::StudioChange>,
    /// The reader may request a change (a union over its unit; the studio is named).
    may_request_change: bool,
    /// The changes the reader may approve or reject now.
    decidable: Vec<i64>,
    /// What the last form did, for the message at the top.
    done: Option<String>,
    /// The reader's user id, to offer them leaving the studio.
    me: Option<i64>,
    /// Invitations waiting for an answer, for the leader.
    invited: Vec<crate::store::invitations::Invitation>,
}

impl Show {
    /// A member or apprentice reading their own line may leave.
    fn may_leave(&self, m: &Member) -> bool {
        self.me == Some(m.user_id) && m.role != "leader" && self.team_free()
    }

    fn may_decide(&self, id: &i64) -> bool {
        self.decidable.contains(id)
    }

    /// The leader may change the leader and the people directly (not named, not applying).
    fn team_free(&self) -> bool {
        crate::domain::studio::team_changes_freely(self.s.status)
    }

    /// The translation key of a profile field, for the onboarding checklist.
    fn field_key(&self, field: &&str) -> String {
        match *field {
            "org_id" => "studio.org".to_owned(),
            f => format!("studio.{f}"),
        }
    }
}

/// The messages the studio's page knows; any other `done` is ignored.
const DONE: [&str; 12] = [
    "picture",
    "picture_removed",
    "created",
    "saved",
    "invited",
    "joined",
    "hand_over",
    "removed",
    "online",
    "delisted",
    "change",
    "decided",
];

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Result<Response, PageError> {
    let done = q.known(&DONE);
    show_page(
        &state,
        &ctx,
        id,
        FormErrors::default(),
        None,
        done,
        StatusCode::OK,
    )
    .await
}

/// The page again after a refused form, with what was refused.
pub(super) async fn show_with(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    onboard_error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    show_page(state, ctx, id, errors, onboard_error, None, status).await
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    onboard_error: Option<String>,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (s, members) = svc::get_with_members(&state.db, ctx.actor.as_ref(), id).await?;
    let leader = accounts::person(&state.db, s.leader_id).await?;
    let v = svc::viewer(ctx.actor.as_ref(), &s);
    let naming_org = match s.naming_org_id {
        Some(n) => crate::service::orgs::find(&state.db, n)
            .await?
            .map(|o| o.name),
        None => None,
    };
    let recommended = if s.online && v.member {
        crate::service::search::recommend_challenges(
            &state.db,
            &state.search,
            ctx.actor.as_ref(),
            id,
            5,
        )
        .await
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let network = crate::service::network::of_studio(&state.db, id).await?;
    let figures =
        crate::service::metrics::of_studio(&state.db, ctx.actor.as_ref(), id, None).await?;
    let assessed = crate::service::assessment::latest_graded(&state.db, id).await?;
    let changes = crate::service::studio_changes::of_studio(&state.db, id).await?;
    let (may_request_change, decidable) = match &ctx.actor {
        Some(a) => (
            crate::service::studio_changes::may_request(a, &s)
                && !changes.iter().any(|c| c.status.is_open()),
            changes
                .iter()
                .filter(|c| crate::service::studio_changes::may_decide(a, c))
                .map(|c| c.id)
                .collect(),
        ),
        None => (false, Vec::new()),
    };
    let onboarded_on = s
        .onboarded_at
        .as_deref()
        .map(|t| t.chars().take(10).collect());
    let invited = match &ctx.actor {
        Some(a) if v.may_edit => crate::service::invitations::waiting_at(&state.db, a, id)
            .await
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(render(
        status,
        &Show {
            t: ctx.t,
            nav: ctx.nav(),
            missing: svc::missing_fields(&s),
            s,
            leader,
            members,
            v,
            naming_org,
            onboarded_on,
            errors,
            onboard_error,
            recommended,
            network,
            figures,
            assessed,
            changes,
            may_request_change,
            decidable,
            done,
            me: ctx.actor.as_ref().map(|a| a.id()),
            invited,
        },
    ))
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
}

async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<MemberForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    // The person as typed: a name, a username or a phone.
    let added =
        match crate::service::people::resolve(&state.db, actor, "username", &f.username).await {
            Ok(person) => {
                let input = NewMember {
                    user_id: Some(person.id),
                    username: None,
                    role: f.role,
                };
                crate::service::invitations::invite(&state.db, actor, id, input).await
            }
            Err(e) => Err(e),
        };
    match added {
        Ok(_) => Ok(see_other(&format!("/studios/{id}?done=invited#members"))),
        Err(e) => {
            let e = refused(e, Shown::NotForbiddenOrMissing)?;
            let mut errors = e.field_errors().to_vec();
            if errors.is_empty() {
                errors.push(crate::error::FieldError::new(
                    "username",
                    e.problem().detail.unwrap_or_default(),
                ));
            }
            show_with(&state, &ctx, id, FormErrors(errors), None, e.status()).await
        }
    }
}

async fn onboard(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    match svc::onboard(&state.db, actor, id).await {
        Ok(_) => Ok(see_other(&format!("/studios/{id}?done=online"))),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            let detail = e.problem().detail.unwrap_or_default();
            show_with(
                &state,
                &ctx,
                id,
                FormErrors::default(),
                Some(detail),
                e.status(),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct DelistForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// Delisting (摘牌) from the studio's page, by the staff of the union that named it.
async fn delist(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<DelistForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let input = crate::service::delisting::DelistInput {
        reason: f.reason,
        note: f.note,
    };
    match crate::service::delisting::delist(&state.db, actor, id, input).await {
        Ok(_) => Ok(see_other(&format!("/studios/{id}?done=delisted"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            show_with(&state, &ctx, id, errors, None, e.status()).await
        }
    }
}

#[derive(Deserialize)]
struct HandOverForm {
    #[serde(default)]
    user_id: String,
}

/// The leader hands the studio over from its page.
async fn hand_over(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<HandOverForm>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let result = match super::number("user_id", &f.user_id) {
        Ok(Some(user_id)) => {
            let input = svc::HandOver { user_id };
            svc::hand_over(&state.db, actor, id, input)
                .await
                .map(|_| ())
        }
        Ok(None) => Err(crate::error::AppError::invalid_field(
            "user_id",
            "请选择新的领衔人 / pick the new leader",
        )),
        Err(e) => Err(e),
    };
    after_team_change(&state, &ctx, id, "hand_over", result).await
}

/// The leader takes a person off the studio from its page.
async fn remove_member(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath((id, user_id)): PagePath<(i64, i64)>,
) -> Result<Response, PageError> {
    let actor = ctx.require()?;
    let leaving = user_id == actor.id();
    let result = svc::remove_member(&state.db, actor, id, user_id).await;
    if leaving && result.is_ok() {
        // They may no longer read a studio that is not online: back to their account.
        return Ok(see_other("/me"));
    }
    after_team_change(&state, &ctx, id, "removed", result).await
}

async fn after_team_change(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    done: &str,
    result: Result<(), crate::error::AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/studios/{id}?done={done}#members"))),
        Err(e) => {
            let e = refused(e, Shown::Refusals)?;
            let errors = FormErrors(problem_fields(&e));
            show_with(state, ctx, id, errors, None, e.status()).await
        }
    }
}
