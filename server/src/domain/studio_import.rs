//! Importing a union's studio list from its spreadsheet (工作室名单): the columns are found by
//! the Chinese headings union sheets use, in any order and below a title row; each row is
//! checked on its own, so that a report can name every fault of every row.

use std::collections::HashMap;

use crate::domain::studio::{INDUSTRIES, KINDS, ProfileInput, check_profile, limits};
use crate::domain::text::Checks;

/// A column of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Unit,
    Leader,
    Kind,
    Industry,
    Field,
    Region,
    FoundedOn,
    Intro,
    Goals,
    Honours,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Self::Name,
        Self::Unit,
        Self::Leader,
        Self::Kind,
        Self::Industry,
        Self::Field,
        Self::Region,
        Self::FoundedOn,
        Self::Intro,
        Self::Goals,
        Self::Honours,
    ];

    /// The heading a union sheet gives the column.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Name => "工作室名称",
            Self::Unit => "所在单位",
            Self::Leader => "领衔人",
            Self::Kind => "类型",
            Self::Industry => "行业",
            Self::Field => "专业领域",
            Self::Region => "地区",
            Self::FoundedOn => "成立时间",
            Self::Intro => "简介",
            Self::Goals => "目标",
            Self::Honours => "荣誉",
        }
    }

    /// Every sheet must have it.
    pub fn required(self) -> bool {
        !matches!(
            self,
            Self::FoundedOn | Self::Intro | Self::Goals | Self::Honours
        )
    }

    /// The column of a profile field (for the profile checks' field names).
    fn of_field(field: &str) -> Column {
        match field {
            "kind" => Self::Kind,
            "industry" => Self::Industry,
            "field" => Self::Field,
            "region" => Self::Region,
            "founded_on" => Self::FoundedOn,
            "intro" => Self::Intro,
            "goals" => Self::Goals,
            "honours" => Self::Honours,
            _ => Self::Name,
        }
    }
}

/// The most data rows a sheet may have.
pub const MAX_ROWS: usize = 10_000;
/// The largest sheet accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// How far down the heading row may be (below a title row or two).
const HEADING_SEARCH: usize = 5;

/// Where each column is: the heading row's index and each column's position.
#[derive(Debug, Clone)]
pub struct Layout {
    pub heading_row: usize,
    pub columns: HashMap<Column, usize>,
}

/// Finds the heading row among the first rows (the first holding 工作室名称) and the column of
/// each heading, in any order; the missing required headings otherwise.
pub fn layout(rows: &[Vec<String>]) -> Result<Layout, Vec<&'static str>> {
    let found = rows
        .iter()
        .take(HEADING_SEARCH)
        .enumerate()
        .find(|(_, r)| r.iter().any(|c| squeezed(c) == Column::Name.heading()));
    let Some((heading_row, cells)) = found else {
        return Err(Column::ALL
            .into_iter()
            .filter(|c| c.required())
            .map(Column::heading)
            .collect());
    };
    let mut columns = HashMap::new();
    for (i, cell) in cells.iter().enumerate() {
        let text = squeezed(cell);
        if let Some(col) = Column::ALL.into_iter().find(|c| c.heading() == text) {
            columns.entry(col).or_insert(i);
        }
    }
    let missing: Vec<&'static str> = Column::ALL
        .into_iter()
        .filter(|c| c.required() && !columns.contains_key(c))
        .map(Column::heading)
        .collect();
    if missing.is_empty() {
        Ok(Layout {
            heading_row,
            columns,
        })
    } else {
        Err(missing)
    }
}

/// A checked row: codes for kind and industry, dates as `YYYY-MM-DD`; columns left empty (the
/// optional ones `None`, industry, field and region empty) leave the stored values as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's number in the sheet (1-based, as the spreadsheet shows it).
    pub line: usize,
    pub name: String,
    pub unit: String,
    pub leader: String,
    pub kind: String,
    pub industry: String,
    pub field: String,
    pub region: String,
    pub founded_on: Option<String>,
    pub intro: Option<String>,
    pub goals: Option<String>,
    pub honours: Option<String>,
}

/// A fault of one row: the column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub column: Column,
    pub message: String,
}

impl Fault {
    pub fn new(column: Column, message: impl Into<String>) -> Fault {
        Fault {
            column,
            message: message.into(),
        }
    }
}

/// A heading without the spaces people put in to centre it (`工作室 名称`).
fn squeezed(cell: &str) -> String {
    cell.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A code from a Chinese label (or the code itself).
fn code_of(list: &[(&'static str, &'static str, &'static str)], text: &str) -> Option<String> {
    list.iter()
        .find(|(code, zh, _)| *zh == text || *code == text)
        .map(|(code, _, _)| (*code).to_owned())
}

/// A date as people write it in a sheet: `2018-05-01`, `2018/5/1`, `2018.5.1`, `2018年5月1日`,
/// `2018年5月` (the first), or a bare year; as `YYYY-MM-DD`.
pub fn normalize_date(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('日');
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    let num = |s: &str| s.trim().parse::<u32>().ok();
    let (y, m, d) = match parts.as_slice() {
        [y] if y.len() == 4 => (num(y)?, 1, 1),
        [y, m] => (num(y)?, num(m)?, 1),
        [y, m, d] => (num(y)?, num(m)?, num(d)?),
        _ => return None,
    };
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    (1900..=2100)
        .contains(&y)
        .then(|| date.format("%Y-%m-%d").to_string())
}

/// Checks one row of text by column; every fault of the row at once.
pub fn check_row(line: usize, cells: &HashMap<Column, String>) -> Result<Row, Vec<Fault>> {
    let get = |c: Column| {
        cells
            .get(&c)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let optional = |c: Column| Some(get(c)).filter(|s| !s.is_empty());
    let mut faults = Vec::new();
    // A draft on the platform may lack its industry, field or region, so that a sheet exported
    // from it imports back; these left empty leave the stored value as it is.
    for c in [Column::Name, Column::Unit, Column::Leader, Column::Kind] {
        if get(c).is_empty() {
            faults.push(Fault::new(c, "不能为空 / must not be empty"));
        }
    }
    let kind_text = get(Column::Kind);
    let kind = code_of(&KINDS, &kind_text);
    if kind.is_none() && !kind_text.is_empty() {
        faults.push(Fault::new(
            Column::Kind,
            format!("未知的工作室类型“{kind_text}” / unknown kind"),
        ));
    }
    let industry_text = get(Column::Industry);
    let industry = code_of(&INDUSTRIES, &industry_text);
    if industry.is_none() && !industry_text.is_empty() {
        faults.push(Fault::new(
            Column::Industry,
            format!("未知的行业“{industry_text}” / unknown industry"),
        ));
    }
    let founded_text = optional(Column::FoundedOn);
    let founded_on = match &founded_text {
        None => None,
        Some(t) => match normalize_date(t) {
            Some(d) => Some(d),
            None => {
                faults.push(Fault::new(
                    Column::FoundedOn,
                    format!("无法识别的日期“{t}” / not a date"),
                ));
                None
            }
        },
    };
    let name = get(Column::Name);
    let (field, region) = (get(Column::Field), get(Column::Region));
    let (intro, goals, honours) = (
        optional(Column::Intro),
        optional(Column::Goals),
        optional(Column::Honours),
    );
    let mut checks = Checks::new();
    checks.max_len("name", &name, limits::NAME);
    check_profile(
        &ProfileInput {
            name: None,
            kind: None,
            field: Some(&field),
            industry: None,
            region: Some(&region),
            founded_on: founded_on.as_deref(),
            goals: goals.as_deref(),
            intro: intro.as_deref(),
            outcomes_summary: None,
            honours: honours.as_deref(),
            unit_type: None,
            premises_m2: None,
            premises_address: None,
            equipment: None,
        },
        &mut checks,
    );
    for v in checks.into_errors() {
        faults.push(Fault::new(Column::of_field(&v.field), v.message));
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    Ok(Row {
        line,
        name,
        unit: get(Column::Unit),
        leader: get(Column::Leader),
        kind: kind.unwrap_or_default(),
        industry: industry.unwrap_or_default(),
        field,
        region,
        founded_on,
        intro,
        goals,
        honours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn headings_are_found_in_any_order_below_a_title_row() {
        let rows = sheet(&[
            &["西安市劳模和工匠人才创新工作室名单"],
            &[
                "地区",
                "工作室 名称",
                "所在单位",
                "领衔人",
                "类型",
                "行业",
                "专业领域",
                "荣誉",
            ],
        ]);
        let l = layout(&rows).unwrap();
        assert_eq!(l.heading_row, 1);
        assert_eq!(l.columns[&Column::Name], 1);
        assert_eq!(l.columns[&Column::Region], 0);
        assert_eq!(l.columns[&Column::Honours], 7);
        let merged = sheet(&[&["工作室名称", "", "", ""]]);
        let missing = layout(&merged).unwrap_err();
        assert!(missing.contains(&"所在单位") && missing.contains(&"领衔人"));
    }

    #[test]
    fn dates_in_the_formats_people_type_are_read() {
        for t in [
            "2018-05-01",
            "2018/5/1",
            "2018.5.1",
            "2018年5月1日",
            "2018年5月",
        ] {
            assert_eq!(normalize_date(t).as_deref(), Some("2018-05-01"), "{t}");
        }
        assert_eq!(normalize_date("2018").as_deref(), Some("2018-01-01"));
        for bad in ["2018-13-01", "去年", "5/1", "18-5-1x"] {
            assert_eq!(normalize_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_row_reports_every_fault_with_its_column() {
        let mut cells = HashMap::new();
        cells.insert(Column::Name, "王建国劳模创新工作室".to_owned());
        cells.insert(Column::Kind, "技术攻关".to_owned());
        cells.insert(Column::Industry, "航天".to_owned());
        cells.insert(Column::FoundedOn, "去年".to_owned());
        let faults = check_row(3, &cells).unwrap_err();
        let columns: Vec<Column> = faults.iter().map(|f| f.column).collect();
        for c in [
            Column::Unit,
            Column::Leader,
            Column::Industry,
            Column::FoundedOn,
        ] {
            assert!(columns.contains(&c), "{c:?} in {faults:?}");
        }
        assert!(!columns.contains(&Column::Kind), "技术攻关 is a kind");
        assert!(
            !columns.contains(&Column::Region),
            "an empty region leaves the stored one"
        );
    }

    #[test]
    fn a_good_row_has_codes_and_a_normal_date() {
        let cells: HashMap<Column, String> = [
            (Column::Name, "王建国劳模创新工作室"),
            (Column::Unit, "秦川精密机床装备有限公司"),
            (Column::Leader, "wangjianguo"),
            (Column::Kind, "技术攻关"),
            (Column::Industry, "机械制造"),
            (Column::Field, "数控加工"),
            (Column::Region, "西安"),
            (Column::FoundedOn, "2018/5/1"),
        ]
        .into_iter()
        .map(|(c, v)| (c, v.to_owned()))
        .collect();
        let row = check_row(2, &cells).unwrap();
        assert_eq!(
            (row.kind.as_str(), row.industry.as_str()),
            ("tech_tackling", "machinery")
        );
        assert_eq!(row.founded_on.as_deref(), Some("2018-05-01"));
        assert_eq!(row.intro, None);
    }
}
