//! The outcome database of a union's subtree as xlsx (成果库): every outcome of the studios it
//! hosts, with its kind, studio, unit, year, patent number, declared benefit and adoptions.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::outcome::KINDS;
use crate::domain::studio::{INDUSTRIES, label};
use crate::error::{AppError, AppResult};
use crate::service::spreadsheet::{self, Spreadsheet};
use crate::store::outcomes::{self, Outcome};
use crate::store::{Db, orgs};

/// The most outcomes one export carries.
pub const EXPORT_MAX: i64 = 100_000;

/// Outcomes are public once published: anyone may export a union's.
pub async fn export(db: &Db, org_id: i64) -> AppResult<Spreadsheet> {
    let org = orgs::find(db.reader(), org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let list = outcomes::under(db.reader(), &org.path, EXPORT_MAX).await?;
    spreadsheet::write("outcomes", list, |list, book| workbook(list, book)).await
}

fn workbook(list: &[(Outcome, String)], book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("成果库")?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    let headings = [
        ("成果名称", 36.0),
        ("类型", 12.0),
        ("行业", 12.0),
        ("工作室", 28.0),
        ("所在单位", 24.0),
        ("年度", 8.0),
        ("专利号", 18.0),
        ("经济效益（元）", 14.0),
        ("推广应用", 10.0),
        ("可转让", 8.0),
        ("简介", 48.0),
    ];
    for (c, (h, w)) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, (o, unit)) in list.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &o.title)?;
        sheet.write_string(r, 1, label(&KINDS, &o.kind, false))?;
        sheet.write_string(r, 2, label(&INDUSTRIES, &o.industry, false))?;
        sheet.write_string(r, 3, &o.studio_name)?;
        sheet.write_string(r, 4, unit)?;
        sheet.write_number(r, 5, o.year as f64)?;
        sheet.write_string(r, 6, &o.patent_no)?;
        if let Some(b) = o.benefit_yuan {
            sheet.write_number_with_format(r, 7, b as f64, &money)?;
        }
        sheet.write_number(r, 8, o.adoption_count as f64)?;
        sheet.write_string(r, 9, if o.transferable { "是" } else { "否" })?;
        sheet.write_string(r, 10, &o.summary)?;
    }
    Ok(())
}
