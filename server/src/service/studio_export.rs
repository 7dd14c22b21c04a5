//! The studio list out to xlsx with the import's headings (and two columns the import ignores:
//! status and online), so that an exported sheet imports back unchanged.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::auth::{Actor, policy};
use crate::domain::studio::{INDUSTRIES, KINDS, label};
use crate::domain::studio_import::Column;
use crate::error::{AppError, AppResult};
use crate::service::spreadsheet::{self, Spreadsheet};
use crate::store::studios::Studio;
use crate::store::{Db, orgs, studios, users};

/// The studios of the org's subtree as xlsx, with the import's headings (and two columns the
/// import ignores: status and online), so that the sheet imports back unchanged. Staff of the
/// org or above see every studio; anyone else the online ones.
pub async fn export(db: &Db, actor: Option<&Actor>, org_id: i64) -> AppResult<Spreadsheet> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let staff = actor.is_some_and(|a| policy::manage_org(a, &org).is_ok());
    let list: Vec<Studio> = studios::all_under(db.reader(), &org.path)
        .await?
        .into_iter()
        .filter(|s| staff || s.online)
        .collect();
    // Usernames sign people in: only the union's staff, who import the sheet back, get them.
    let ids: Vec<i64> = if staff {
        list.iter()
            .map(|s| s.leader_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let names: HashMap<i64, String> = users::usernames(db.reader(), &ids)
        .await?
        .into_iter()
        .collect();
    spreadsheet::write("the studio list", (list, names), |(list, names), book| {
        workbook(list, names, book)
    })
    .await
}

fn workbook(
    list: &[Studio],
    usernames: &HashMap<i64, String>,
    book: &mut Workbook,
) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("工作室名单")?;
    let bold = Format::new().set_bold();
    let mut headings: Vec<&str> = Column::ALL.iter().map(|c| c.heading()).collect();
    headings.extend(["状态", "是否上线"]);
    for (i, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
        sheet.set_column_width(i as u16, if i < 3 { 28.0 } else { 14.0 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, s) in list.iter().enumerate() {
        let row = i as u32 + 1;
        let values = [
            s.name.as_str(),
            s.org_name.as_str(),
            usernames
                .get(&s.leader_id)
                .map(String::as_str)
                .unwrap_or_default(),
            label(&KINDS, &s.kind, false),
            label(&INDUSTRIES, &s.industry, false),
            s.field.as_str(),
            s.region.as_str(),
            s.founded_on.as_str(),
            s.intro.as_str(),
            s.goals.as_str(),
            s.honours.as_str(),
            s.status.label_zh(),
            if s.online { "是" } else { "否" },
        ];
        for (col, v) in values.iter().enumerate() {
            sheet.write_string(row, col as u16, *v)?;
        }
    }
    Ok(())
}
