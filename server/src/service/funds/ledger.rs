//! The funds ledger as an xlsx workbook for audit (Jieyang art. 13: 单独建账……接受审计): one line a
//! grant and one a expense, with the running balance of each grant, in the reader's scope.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::auth::Actor;
use crate::auth::policy::funds as policy;
use crate::domain::funds::ExpenseStatus;
use crate::error::AppResult;
use crate::service::spreadsheet::{self, Spreadsheet};
use crate::store::Db;
use crate::store::funds::expenses::{self, LedgerLine};

/// The columns of the sheet, in the words of a union's ledger.
const HEADINGS: [(&str, f64); 14] = [
    ("资助编号", 10.0),
    ("资助单位", 22.0),
    ("受助对象", 26.0),
    ("资金存放单位", 22.0),
    ("年度", 8.0),
    ("用途", 30.0),
    ("日期", 12.0),
    ("摘要", 12.0),
    ("收入（元）", 14.0),
    ("支出（元）", 14.0),
    ("结余（元）", 14.0),
    ("状态", 10.0),
    ("经办人", 12.0),
    ("备注", 36.0),
];

/// The ledger of the grants in the reader's scope (one grant, or one year), as xlsx bytes.
pub async fn export(
    db: &Db,
    actor: &Actor,
    grant_id: Option<i64>,
    year: Option<i64>,
) -> AppResult<Spreadsheet> {
    if let Some(id) = grant_id {
        super::grants::get(db, actor, id).await?;
    }
    let lines = expenses::ledger(db.reader(), &policy::scope(actor), grant_id, year).await?;
    spreadsheet::write("the ledger", lines, |lines, book| workbook(lines, book)).await
}

fn workbook(lines: &[LedgerLine], book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("经费台账")?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for (col, (heading, width)) in HEADINGS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *heading, &bold)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 0u32;
    let mut balance = 0i64;
    let mut current = None;
    for line in lines {
        if current != Some(line.grant_id) {
            current = Some(line.grant_id);
            balance = line.grant_fen;
            row += 1;
            grant_columns(sheet, row, line)?;
            sheet.write_string(row, 7, "拨入资助经费")?;
            sheet.write_number_with_format(row, 8, yuan(line.grant_fen), &money)?;
            sheet.write_number_with_format(row, 10, yuan(balance), &money)?;
        }
        let Some(e) = &line.expense else { continue };
        if e.status == ExpenseStatus::Approved {
            balance -= e.amount_fen;
        }
        row += 1;
        grant_columns(sheet, row, line)?;
        sheet.write_string(row, 6, &e.spent_on)?;
        sheet.write_string(row, 7, e.category.label_zh())?;
        sheet.write_number_with_format(row, 9, yuan(e.amount_fen), &money)?;
        sheet.write_number_with_format(row, 10, yuan(balance), &money)?;
        sheet.write_string(row, 11, e.status.label_zh())?;
        sheet.write_string(row, 12, &e.filed_by_name)?;
        let mut note = e.note.clone();
        if !e.opinion.is_empty() {
            note = format!("{note}（审核意见：{}）", e.opinion);
        }
        if e.receipt_count > 0 {
            note = format!("{note}（凭证 {} 份）", e.receipt_count);
        }
        sheet.write_string(row, 13, note.trim())?;
    }
    Ok(())
}

fn grant_columns(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    line: &LedgerLine,
) -> Result<(), XlsxError> {
    sheet.write_number(row, 0, line.grant_id as f64)?;
    sheet.write_string(row, 1, &line.org_name)?;
    sheet.write_string(row, 2, &line.recipient_name)?;
    sheet.write_string(row, 3, &line.account_org_name)?;
    sheet.write_number(row, 4, line.year as f64)?;
    sheet.write_string(row, 5, &line.purpose)?;
    Ok(())
}

/// Fen as a yuan number for a cell (exact for every amount below 2^53 fen).
fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}
