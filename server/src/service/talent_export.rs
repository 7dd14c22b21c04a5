//! The talent database of a union's subtree as xlsx (人才库): the people of its studios with
//! their unit, studio, role, trade and title, their phone (the sheet is for the union's staff,
//! who are above them), the honours recorded for them and their mentoring.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::auth::{Actor, policy};
use crate::domain::honours::{Honour, HonourStatus, Level};
use crate::error::{AppError, AppResult};
use crate::service::spreadsheet::{self, Spreadsheet};
use crate::store::talent::{self, Talent};
use crate::store::{Db, honours, orgs};

/// The most people one export carries.
pub const EXPORT_MAX: i64 = 100_000;

/// A row of the sheet: the person, their honours as one line, and their mentoring.
struct Line {
    person: Talent,
    honours: String,
    as_mentor: i64,
    as_apprentice: i64,
}

/// The people of the org's subtree (staff of the org or above it: the sheet has phones).
pub async fn export(db: &Db, actor: &Actor, org_id: i64) -> AppResult<Spreadsheet> {
    let pool = db.reader();
    let org = orgs::find(pool, org_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    policy::manage_org(actor, &org)?;
    let people = talent::under(pool, &org.path, EXPORT_MAX).await?;
    let mut ids: Vec<i64> = people.iter().map(|p| p.user_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut honours_of: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(900) {
        for (user, honour, level, year, status) in honours::of_people(pool, chunk).await? {
            let mut text = format!(
                "{year}年{}{}",
                Level::parse(&level).map_or("", Level::label_zh),
                Honour::parse(&honour).map_or("", Honour::label_zh)
            );
            if HonourStatus::parse(&status) == Some(HonourStatus::Recommended) {
                text.push_str("（推荐中）");
            }
            honours_of.entry(user).or_default().push(text);
        }
    }
    let mentoring: HashMap<i64, (i64, i64)> = talent::mentoring(pool, &org.path)
        .await?
        .into_iter()
        .map(|(user, m, a)| (user, (m, a)))
        .collect();
    let lines: Vec<Line> = people
        .into_iter()
        .map(|person| {
            let (as_mentor, as_apprentice) =
                mentoring.get(&person.user_id).copied().unwrap_or_default();
            Line {
                honours: honours_of
                    .get(&person.user_id)
                    .map(|h| h.join("；"))
                    .unwrap_or_default(),
                person,
                as_mentor,
                as_apprentice,
            }
        })
        .collect();
    spreadsheet::write("the talent database", lines, |l, book| workbook(l, book)).await
}

fn role_zh(role: &str) -> &'static str {
    match role {
        "leader" => "领衔人",
        "apprentice" => "学徒",
        _ => "成员",
    }
}

fn workbook(lines: &[Line], book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("人才库")?;
    let bold = Format::new().set_bold();
    let headings = [
        ("姓名", 12.0),
        ("性别", 6.0),
        ("所在单位", 24.0),
        ("工作室", 28.0),
        ("角色", 8.0),
        ("工种", 14.0),
        ("职称或技术等级", 16.0),
        ("学历", 10.0),
        ("手机", 14.0),
        ("荣誉", 40.0),
        ("带徒（对）", 10.0),
        ("拜师（对）", 10.0),
    ];
    for (c, (_, w)) in headings.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    for (c, (h, _)) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, l) in lines.iter().enumerate() {
        let r = i as u32 + 1;
        let p = &l.person;
        let texts = [
            p.name.as_str(),
            p.gender.as_str(),
            p.unit_name.as_str(),
            p.studio_name.as_str(),
            role_zh(&p.role),
            p.trade.as_str(),
            p.title.as_str(),
            p.education.as_str(),
            p.phone.as_str(),
            l.honours.as_str(),
        ];
        for (c, v) in texts.iter().enumerate() {
            sheet.write_string(r, c as u16, *v)?;
        }
        sheet.write_number(r, 10, l.as_mentor as f64)?;
        sheet.write_number(r, 11, l.as_apprentice as f64)?;
    }
    Ok(())
}
