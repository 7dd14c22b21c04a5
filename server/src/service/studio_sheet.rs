//! The studio list in from the spreadsheets union staff keep: an xlsx or CSV sheet is imported
//! into an org's subtree (a dry run reports, row by row, what would be created, updated or
//! refused; the real import is all or nothing in one transaction, and importing the same sheet
//! twice changes nothing the second time). `studio_export` sends the list out again.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Actor, policy};
use crate::domain::org::OrgLevel;
use crate::domain::studio_import::{
    Column, Fault, MAX_BYTES, MAX_ROWS, Row, check_row, layout, normalize_date,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::outbox::{Entity, Op};
use crate::store::studios::{NewStudio, Studio, Value};
use crate::store::{Db, audit, notifications, orgs, outbox, studios, users};

/// What happened, or would happen, to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    Error,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Unchanged => "unchanged",
            Self::Error => "error",
        }
    }
}

/// A fault of a row, by the column's heading.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowFault {
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowReport {
    /// The row's number in the sheet.
    pub line: usize,
    pub name: String,
    pub outcome: Outcome,
    /// The headings of the columns an update changes.
    pub changes: Vec<String>,
    pub faults: Vec<RowFault>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// The import was written (never with a faulty row).
    pub applied: bool,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: usize,
    pub rows: Vec<RowReport>,
}

/// A row's plan.
enum Plan {
    Create(Row, i64, i64),
    Update(Row, i64, Vec<(&'static str, Value)>),
    Unchanged,
}

/// The org whose list the reader may import (its staff, or staff above it), for the form.
pub async fn org_to_import(db: &Db, actor: &Actor, org_id: i64) -> AppResult<orgs::Org> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::import_studios(actor, &org)?;
    Ok(org)
}

/// Imports (or, with `dry_run`, only checks) a studio list into the org's subtree.
pub async fn import(
    db: &Db,
    actor: &Actor,
    org_id: i64,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<ImportReport> {
    let org = org_to_import(db, actor, org_id).await?;
    if bytes.len() > MAX_BYTES {
        return Err(AppError::too_large());
    }
    let cells = read_sheet(bytes)?;
    let layout = layout(&cells).map_err(|missing| {
        AppError::invalid_field(
            "file",
            format!(
                "表头缺少：{}（表头须为一行，不能合并单元格） / missing headings: {}",
                missing.join("、"),
                missing.join(", ")
            ),
        )
    })?;
    let data: Vec<(usize, HashMap<Column, String>)> = cells
        .iter()
        .enumerate()
        .skip(layout.heading_row + 1)
        .map(|(i, r)| {
            let by_col = layout
                .columns
                .iter()
                .map(|(c, at)| (*c, r.get(*at).cloned().unwrap_or_default()))
                .collect::<HashMap<_, _>>();
            (i + 1, by_col)
        })
        .filter(|(_, r)| r.values().any(|v| !v.trim().is_empty()))
        .collect();
    if data.len() > MAX_ROWS {
        return Err(AppError::invalid_field(
            "file",
            format!(
                "一次最多导入 {MAX_ROWS} 行，本表有 {} 行 / too many rows",
                data.len()
            ),
        ));
    }
    let pool = db.reader();
    // The units of the subtree by name; a name two units share cannot be told apart.
    let units = orgs::under(pool, &org.path).await?;
    let mut unit_by_name: HashMap<&str, Option<i64>> = HashMap::new();
    for u in units
        .iter()
        .filter(|u| u.level == OrgLevel::Enterprise.code())
    {
        unit_by_name
            .entry(u.name.as_str())
            .and_modify(|v| *v = None)
            .or_insert(Some(u.id));
    }
    let existing = studios::all_under(pool, &org.path).await?;
    let by_key: HashMap<(&str, i64), &Studio> = existing
        .iter()
        .map(|s| ((s.name.as_str(), s.org_id), s))
        .collect();
    let mut wanted: Vec<String> = data
        .iter()
        .filter_map(|(_, r)| r.get(&Column::Leader).map(|s| s.trim().to_owned()))
        .filter(|s| !s.is_empty())
        .collect();
    wanted.sort();
    wanted.dedup();
    let leaders: HashMap<String, i64> = users::ids_by_username(pool, &wanted)
        .await?
        .into_iter()
        .collect();

    let mut seen: HashMap<(String, i64), usize> = HashMap::new();
    let mut reports = Vec::with_capacity(data.len());
    let mut plans = Vec::new();
    for (line, cells) in &data {
        let name_cell = cells.get(&Column::Name).cloned().unwrap_or_default();
        let (plan, faults) = match check_row(*line, cells) {
            Err(mut faults) => {
                faults.extend(reference_faults(cells, &unit_by_name, &leaders));
                (None, faults)
            }
            Ok(row) => plan_row(row, &unit_by_name, &leaders, &by_key, &mut seen),
        };
        let (outcome, changes) = match &plan {
            None => (Outcome::Error, Vec::new()),
            Some(Plan::Create(..)) => (Outcome::Created, Vec::new()),
            Some(Plan::Update(_, _, cols)) => (
                Outcome::Updated,
                cols.iter().map(|(c, _)| heading_of(c).to_owned()).collect(),
            ),
            Some(Plan::Unchanged) => (Outcome::Unchanged, Vec::new()),
        };
        reports.push(RowReport {
            line: *line,
            name: name_cell.trim().to_owned(),
            outcome,
            changes,
            faults: faults
                .into_iter()
                .map(|f| RowFault {
                    column: f.column.heading().to_owned(),
                    message: f.message,
                })
                .collect(),
        });
        if let Some(p) = plan {
            plans.push(p);
        }
    }
    let count = |o: Outcome| reports.iter().filter(|r| r.outcome == o).count();
    let mut report = ImportReport {
        dry_run,
        applied: false,
        created: count(Outcome::Created),
        updated: count(Outcome::Updated),
        unchanged: count(Outcome::Unchanged),
        errors: count(Outcome::Error),
        rows: reports,
    };
    if dry_run {
        return Ok(report);
    }
    if report.errors > 0 {
        let errors = report
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Error)
            .flat_map(|r| {
                r.faults.iter().map(move |f| {
                    FieldError::new(
                        format!("row {}", r.line),
                        format!("{}：{}", f.column, f.message),
                    )
                })
            })
            .take(200)
            .collect();
        return Err(AppError::invalid(errors));
    }
    let mut tx = db.begin().await?;
    for plan in plans {
        match plan {
            Plan::Create(row, unit, leader) => {
                let id = studios::insert(
                    &mut tx,
                    &NewStudio {
                        name: &row.name,
                        org_id: unit,
                        kind: &row.kind,
                        leader_id: leader,
                    },
                )
                .await?;
                studios::update(&mut tx, id, &columns(&row)).await?;
                outbox::append(&mut tx, Entity::Studio, id, Op::Create).await?;
                audit::record(&mut tx, Some(actor.id()), "import", "studio", id, &row.name).await?;
                if leader != actor.id() {
                    let subject = format!("{}将你登记为“{}”的领衔人", org.name, row.name);
                    let link = format!("/studios/{id}");
                    notifications::push(&mut tx, leader, "studio", &subject, &link).await?;
                }
            }
            Plan::Update(row, id, cols) => {
                studios::update(&mut tx, id, &cols).await?;
                outbox::append(&mut tx, Entity::Studio, id, Op::Update).await?;
                audit::record(&mut tx, Some(actor.id()), "import", "studio", id, &row.name).await?;
            }
            Plan::Unchanged => {}
        }
    }
    tx.commit().await?;
    report.applied = true;
    Ok(report)
}

/// The faults of a row's unit and leader against the platform, for a row faulty already (so
/// that its report names every fault at once).
fn reference_faults(
    cells: &HashMap<Column, String>,
    units: &HashMap<&str, Option<i64>>,
    leaders: &HashMap<String, i64>,
) -> Vec<Fault> {
    let get = |c: Column| cells.get(&c).map(|s| s.trim()).unwrap_or_default();
    let mut faults = Vec::new();
    let unit = get(Column::Unit);
    if !unit.is_empty() && !units.contains_key(unit) {
        faults.push(Fault::new(
            Column::Unit,
            format!("“{unit}”不是本会管辖的基层工会 / not a unit under this union"),
        ));
    }
    let leader = get(Column::Leader);
    if !leader.is_empty() && !leaders.contains_key(leader) {
        faults.push(Fault::new(
            Column::Leader,
            format!("平台上没有用户名“{leader}” / no such username"),
        ));
    }
    faults
}

/// What a checked row does: create, update or nothing; or its faults against the platform.
fn plan_row(
    row: Row,
    units: &HashMap<&str, Option<i64>>,
    leaders: &HashMap<String, i64>,
    existing: &HashMap<(&str, i64), &Studio>,
    seen: &mut HashMap<(String, i64), usize>,
) -> (Option<Plan>, Vec<Fault>) {
    let mut faults = Vec::new();
    let unit = match units.get(row.unit.as_str()) {
        Some(Some(id)) => Some(*id),
        Some(None) => {
            faults.push(Fault::new(
                Column::Unit,
                "有两个同名单位，无法区分 / two units share this name",
            ));
            None
        }
        None => {
            faults.push(Fault::new(
                Column::Unit,
                format!(
                    "“{}”不是本会管辖的基层工会 / not a unit under this union",
                    row.unit
                ),
            ));
            None
        }
    };
    let leader = leaders.get(&row.leader).copied();
    if leader.is_none() {
        faults.push(Fault::new(
            Column::Leader,
            format!("平台上没有用户名“{}” / no such username", row.leader),
        ));
    }
    let (Some(unit), Some(leader)) = (unit, leader) else {
        return (None, faults);
    };
    if let Some(first) = seen.insert((row.name.clone(), unit), row.line) {
        faults.push(Fault::new(
            Column::Name,
            format!("与第 {first} 行重复 / the same studio as row {first}"),
        ));
        return (None, faults);
    }
    let found = existing.get(&(row.name.as_str(), unit)).copied();
    match found {
        None => (Some(Plan::Create(row, unit, leader)), faults),
        Some(s) if s.leader_id != leader => {
            faults.push(Fault::new(
                Column::Leader,
                "与平台上的领衔人不同；更换领衔人请走变更流程 / differs from the studio's leader",
            ));
            (None, faults)
        }
        Some(s) => {
            let changed: Vec<(&'static str, Value)> = columns(&row)
                .into_iter()
                .filter(|(col, v)| !same(s, col, v))
                .collect();
            if changed.is_empty() {
                (Some(Plan::Unchanged), faults)
            } else {
                (Some(Plan::Update(row, s.id, changed)), faults)
            }
        }
    }
}

/// The profile columns a row sets (optional ones only when given).
fn columns(row: &Row) -> Vec<(&'static str, Value)> {
    let mut out = vec![("kind", Value::Text(row.kind.clone()))];
    for (col, v) in [
        ("industry", &row.industry),
        ("field", &row.field),
        ("region", &row.region),
    ] {
        if !v.is_empty() {
            out.push((col, Value::Text(v.clone())));
        }
    }
    for (col, v) in [
        ("founded_on", &row.founded_on),
        ("intro", &row.intro),
        ("goals", &row.goals),
        ("honours", &row.honours),
    ] {
        if let Some(v) = v {
            out.push((col, Value::Text(v.clone())));
        }
    }
    out
}

fn same(s: &Studio, col: &str, v: &Value) -> bool {
    let now = match col {
        "kind" => &s.kind,
        "industry" => &s.industry,
        "field" => &s.field,
        "region" => &s.region,
        "founded_on" => &s.founded_on,
        "intro" => &s.intro,
        "goals" => &s.goals,
        "honours" => &s.honours,
        _ => return false,
    };
    matches!(v, Value::Text(t) if t == now)
}

fn heading_of(col: &str) -> &'static str {
    match col {
        "kind" => Column::Kind.heading(),
        "industry" => Column::Industry.heading(),
        "field" => Column::Field.heading(),
        "region" => Column::Region.heading(),
        "founded_on" => Column::FoundedOn.heading(),
        "intro" => Column::Intro.heading(),
        "goals" => Column::Goals.heading(),
        _ => Column::Honours.heading(),
    }
}

/// The cells of the first sheet of an xlsx workbook, or of a CSV file (UTF-8, or GB18030 as
/// Excel saves it on a Chinese Windows), as text.
fn read_sheet(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let not_a_sheet = || {
        AppError::invalid_field(
            "file",
            "请上传 Excel（.xlsx）或 CSV 文件 / an xlsx or CSV file",
        )
    };
    if bytes.starts_with(b"PK\x03\x04") {
        let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_a_sheet())?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(not_a_sheet)?
            .map_err(|_| not_a_sheet())?;
        if range.height() > MAX_ROWS + 10 {
            return Err(too_many(range.height()));
        }
        return Ok(range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect());
    }
    if bytes.contains(&0) {
        return Err(not_a_sheet());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(not_a_sheet());
            }
            t.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| not_a_sheet())?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > MAX_ROWS + 10 {
            return Err(too_many(rows.len()));
        }
    }
    Ok(rows)
}

fn too_many(n: usize) -> AppError {
    AppError::invalid_field(
        "file",
        format!("一次最多导入 {MAX_ROWS} 行，本表超过 {n} 行 / too many rows"),
    )
}

/// A cell as text: whole numbers without `.0`, dates as `YYYY-MM-DD`; a formula's cached value.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => {
            normalize_date(s.get(..10).unwrap_or(s)).unwrap_or_else(|| s.clone())
        }
        Data::DurationIso(s) => s.clone(),
    }
}
