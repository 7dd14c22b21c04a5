//! Reading the audit log (审计): union staff see what was done to the entities of their subtree
//! (its studios, grants, batches and unions), whoever did it; platform admins everything;
//! filtered by person, entity, action and days, paged, and out to xlsx.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Actor, policy};
use crate::domain::text::{Checks, parse_date};
use crate::error::AppResult;
use crate::service::Page;
use crate::service::spreadsheet::{self, Spreadsheet};
use crate::store::audit::{self as store, AuditLine, Filter};
use crate::store::{Db, encode_cursor, users};

/// The filters of the log, as a query string.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// The person who acted, by username.
    pub actor: Option<String>,
    /// `studio`, `challenge`, `grant`, `expense`, …
    pub entity_kind: Option<String>,
    pub entity_id: Option<i64>,
    pub action: Option<String>,
    /// First day, `YYYY-MM-DD` (China time).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included.
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The most lines an export carries.
pub const EXPORT_MAX: i64 = 100_000;

/// Midnight of a China day in Unix milliseconds.
fn china_midnight_ms(day: chrono::NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp_millis()
        - 8 * 3_600_000
}

/// The reader's scope: `None` for every line; 403 for readers who are neither admins nor staff.
fn scope(actor: &Actor) -> AppResult<Option<Vec<String>>> {
    policy::view_audit(actor)?;
    if actor.user.is_admin {
        return Ok(None);
    }
    Ok(Some(
        policy::staff_orgs(actor)
            .into_iter()
            .map(|r| r.org_path)
            .collect(),
    ))
}

async fn filter(db: &Db, q: &AuditQuery) -> AppResult<Filter> {
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut c = Checks::new();
    let mut day = |field: &str, v: &Option<String>, next: bool| match clean(v) {
        None => None,
        Some(text) => match parse_date(&text) {
            Some(d) => Some(china_midnight_ms(if next {
                d + chrono::Duration::days(1)
            } else {
                d
            })),
            None => {
                c.fail(field, "日期格式应为 年-月-日 / a date as YYYY-MM-DD");
                None
            }
        },
    };
    let from_ms = day("from", &q.from, false);
    let to_ms = day("to", &q.to, true);
    let mut actor_id = None;
    if let Some(name) = clean(&q.actor) {
        match users::find_by_username(db.reader(), &name).await? {
            Some(u) => actor_id = Some(u.id),
            None => c.fail("actor", "没有这个用户名 / no such username"),
        }
    }
    c.finish()?;
    Ok(Filter {
        actor_id,
        entity_kind: clean(&q.entity_kind),
        entity_id: q.entity_id,
        action: clean(&q.action),
        from_ms,
        to_ms,
    })
}

/// A page of the log, newest first.
pub async fn list(db: &Db, actor: &Actor, q: &AuditQuery) -> AppResult<Page<AuditLine>> {
    let scope = scope(actor)?;
    let paging = crate::service::Paging {
        limit: q.limit,
        cursor: q.cursor.clone(),
    };
    let (limit, after) = paging.resolve()?;
    let f = filter(db, q).await?;
    let mut items = store::list(db.reader(), scope.as_deref(), &f, after, limit + 1).await?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|l| encode_cursor(l.id))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// The filtered log as xlsx (at most [`EXPORT_MAX`] lines, newest first).
pub async fn export(db: &Db, actor: &Actor, q: &AuditQuery) -> AppResult<Spreadsheet> {
    let scope = scope(actor)?;
    let f = filter(db, q).await?;
    let lines = store::list(db.reader(), scope.as_deref(), &f, None, EXPORT_MAX).await?;
    spreadsheet::write("the audit log", lines, |lines, book| workbook(lines, book)).await
}

fn workbook(lines: &[AuditLine], book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("审计日志")?;
    let bold = Format::new().set_bold();
    let headings = [
        ("时间", 22.0),
        ("操作人", 14.0),
        ("操作", 16.0),
        ("对象", 14.0),
        ("对象编号", 10.0),
        ("说明", 48.0),
        ("来源地址", 18.0),
    ];
    for (col, (h, width)) in headings.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &l.created_at)?;
        sheet.write_string(row, 1, l.actor_name.as_deref().unwrap_or("系统"))?;
        sheet.write_string(row, 2, &l.action)?;
        sheet.write_string(row, 3, &l.entity_kind)?;
        sheet.write_number(row, 4, l.entity_id as f64)?;
        sheet.write_string(row, 5, &l.detail)?;
        sheet.write_string(row, 6, &l.address)?;
    }
    Ok(())
}
