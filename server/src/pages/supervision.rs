//! The supervision page (督导) of an org: for a chosen year, each figure of its child orgs as a
//! bar chart drawn on the server and as a table with the org's total.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::charts::{self, BLUE, ORANGE, RED, Series};
use super::i18n::Tr;
use super::{Ctx, FormErrors, Nav, PageError, PagePath, Shown, problem_fields, refused, render};
use crate::domain::funds::yuan;
use crate::domain::text::grouped;
use crate::service::orgs::china_today;
use crate::service::subtree_figures::{self as svc, Supervision, SupervisionRow};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{id}/supervision", get(show))
}

/// One figure: its chart and its table (a cell per column for each row, then the total).
struct Section {
    id: &'static str,
    title: &'static str,
    hint: Option<&'static str>,
    chart: String,
    columns: Vec<&'static str>,
    rows: Vec<(i64, String, Vec<String>)>,
    total: Vec<String>,
}

#[derive(Template)]
#[template(path = "orgs/supervision.html")]
struct SupervisionPage {
    t: Tr,
    nav: Nav,
    org_id: i64,
    org_name: String,
    year: i32,
    years: Vec<i32>,
    sections: Vec<Section>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    use chrono::Datelike;
    let actor = ctx.require()?;
    let this_year = china_today().year();
    // A year that is not a number shows this year, as an unknown filter would.
    let year = q.year.as_deref().and_then(|y| y.trim().parse().ok());
    let (s, errors, status) = match svc::of_org(&state.db, actor, id, year).await {
        Ok(s) => (s, FormErrors::default(), StatusCode::OK),
        Err(e) => {
            let e = refused(e, Shown::Invalid)?;
            let s = svc::of_org(&state.db, actor, id, None).await?;
            (s, FormErrors(problem_fields(&e)), e.status())
        }
    };
    let page = SupervisionPage {
        t: ctx.t,
        nav: ctx.nav(),
        org_id: s.org_id,
        org_name: s.org_name.clone(),
        year: s.year,
        years: (this_year - 5..=this_year).rev().collect(),
        sections: sections(ctx.t, &s),
        errors,
    };
    Ok(render(status, &page))
}

/// A figure as numbers, for its chart, and as cells, for its table.
type Column = (&'static str, fn(&SupervisionRow) -> f64, fn(f64) -> String);

fn fmt_count(v: f64) -> String {
    grouped(v as i64)
}

fn fmt_percent(v: f64) -> String {
    format!("{v:.0}%")
}

fn fmt_hours(v: f64) -> String {
    format!("{v:.1}")
}

/// Yuan without fen in the chart (whole yuan read faster on a bar).
fn fmt_yuan(v: f64) -> String {
    grouped(v.round() as i64)
}

/// Yuan with fen and separators, as the ledger shows them.
fn fmt_exact_yuan(v: f64) -> String {
    yuan((v * 100.0).round() as i64)
}

fn sections(t: Tr, s: &Supervision) -> Vec<Section> {
    let (total, children) = match s.rows.split_first() {
        Some((total, [])) => (total, std::slice::from_ref(total)),
        Some((total, children)) => (total, children),
        None => return Vec::new(),
    };
    let names: Vec<String> = children.iter().map(|r| r.name.clone()).collect();
    let late: Vec<bool> = children.iter().map(|r| r.late).collect();
    let section = |id: &'static str,
                   title: &'static str,
                   hint: Option<&'static str>,
                   charted: &[Column],
                   color: &[charts::RGBColor],
                   tabled: &[Column],
                   highlight: &[bool]| {
        let series: Vec<Series<'_>> = charted
            .iter()
            .zip(color)
            .map(|((name, value, _), color)| Series {
                name,
                color: *color,
                values: children.iter().map(value).collect(),
            })
            .collect();
        let show = charted.first().map(|c| c.2).unwrap_or(fmt_count);
        let cells = |r: &SupervisionRow| tabled.iter().map(|(_, v, f)| f(v(r))).collect();
        Section {
            id,
            title,
            hint,
            chart: charts::bars(title, &names, &series, highlight, &show),
            columns: tabled.iter().map(|c| c.0).collect(),
            rows: children
                .iter()
                .map(|r| (r.org_id, r.name.clone(), cells(r)))
                .collect(),
            total: cells(total),
        }
    };
    let registered: Column = (t.s("sv.registered"), |r| r.registered as f64, fmt_count);
    let online: Column = (t.s("sv.online"), |r| r.online as f64, fmt_count);
    let rate: Column = (t.s("sv.rate"), |r| f64::from(r.percent_online), fmt_percent);
    let posted: Column = (
        t.s("sv.posted"),
        |r| r.figures.challenges_posted as f64,
        fmt_count,
    );
    let solved: Column = (
        t.s("sv.solved"),
        |r| r.figures.challenges_solved as f64,
        fmt_count,
    );
    let outcomes: Column = (
        t.s("sv.outcome_count"),
        |r| r.figures.outcomes as f64,
        fmt_count,
    );
    let adoptions: Column = (
        t.s("sv.adoptions"),
        |r| r.figures.adoptions as f64,
        fmt_count,
    );
    let pairs: Column = (t.s("sv.pairs"), |r| r.figures.mentorships as f64, fmt_count);
    let hours: Column = (
        t.s("sv.hours"),
        |r| r.figures.mentoring_minutes as f64 / 60.0,
        fmt_hours,
    );
    let events: Column = (
        t.s("sv.events_held"),
        |r| r.figures.events as f64,
        fmt_count,
    );
    let overdue: Column = (
        t.s("sv.reports"),
        |r| r.figures.reports_overdue as f64,
        fmt_count,
    );
    let granted: Column = (
        t.s("sv.granted"),
        |r| r.figures.granted_fen as f64 / 100.0,
        fmt_yuan,
    );
    let granted_exact: Column = (granted.0, granted.1, fmt_exact_yuan);
    let spent: Column = (
        t.s("sv.spent"),
        |r| r.figures.spent_fen as f64 / 100.0,
        fmt_yuan,
    );
    let spent_exact: Column = (spent.0, spent.1, fmt_exact_yuan);
    vec![
        section(
            "onboarding",
            t.s("sv.onboarding"),
            Some(t.s("sv.onboarding_hint")),
            &[rate],
            &[BLUE],
            &[registered, online, rate],
            &late,
        ),
        section(
            "studios",
            t.s("sv.studios"),
            None,
            &[registered, online],
            &[ORANGE, BLUE],
            &[registered, online],
            &[],
        ),
        section(
            "challenges",
            t.s("sv.challenges"),
            None,
            &[posted, solved],
            &[BLUE, ORANGE],
            &[posted, solved],
            &[],
        ),
        section(
            "outcomes",
            t.s("sv.outcomes"),
            None,
            &[outcomes, adoptions],
            &[BLUE, ORANGE],
            &[outcomes, adoptions],
            &[],
        ),
        section(
            "mentoring",
            t.s("sv.mentoring"),
            None,
            &[pairs],
            &[BLUE],
            &[pairs, hours],
            &[],
        ),
        section(
            "hours",
            t.s("sv.hours"),
            None,
            &[hours],
            &[ORANGE],
            &[hours],
            &[],
        ),
        section(
            "events",
            t.s("sv.events"),
            None,
            &[events],
            &[BLUE],
            &[events],
            &[],
        ),
        section(
            "reports",
            t.s("sv.reports"),
            Some(t.s("sv.reports_hint")),
            &[overdue],
            &[RED],
            &[overdue],
            &[],
        ),
        section(
            "funds",
            t.s("sv.funds"),
            None,
            &[granted, spent],
            &[BLUE, ORANGE],
            // The table shows fen exactly; the chart whole yuan.
            &[granted_exact, spent_exact],
            &[],
        ),
    ]
}
