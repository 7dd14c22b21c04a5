//! Field checks shared by every form: lengths are counted in characters, never bytes.

use super::error::{RuleError, Violation};

/// Collects the problems of one input so that a 422 names every bad field at once.
#[derive(Debug, Default)]
pub struct Checks {
    errors: Vec<Violation>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(Violation {
                field: field.to_owned(),
                message: message.into(),
            });
        }
    }

    /// A required text of `min..=max` characters (after trimming).
    pub fn required(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(field, "不能为空 / must not be empty");
        } else {
            self.max_len(field, value, max);
        }
    }

    /// An optional text of at most `max` characters.
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        let n = value.chars().count();
        if n > max {
            self.fail(
                field,
                format!("最多 {max} 个字 / at most {max} characters (got {n})"),
            );
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.fail(field, "含有控制字符 / contains control characters");
        }
    }

    /// An optional calendar date, `YYYY-MM-DD`.
    pub fn date(&mut self, field: &str, value: &str) {
        if !value.is_empty() && parse_date(value).is_none() {
            self.fail(field, "日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD");
        }
    }

    /// An optional month, `YYYY-MM`.
    pub fn month(&mut self, field: &str, value: &str) {
        let ok = value.is_empty() || parse_date(&format!("{value}-01")).is_some();
        if !ok || (!value.is_empty() && value.len() != 7) {
            self.fail(field, "月份格式应为 YYYY-MM / expected YYYY-MM");
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn into_errors(self) -> Vec<Violation> {
        self.errors
    }

    /// `Ok` when nothing failed, else every failed field.
    pub fn finish(self) -> Result<(), RuleError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(RuleError::Invalid(self.errors))
        }
    }
}

/// A whole number with thousands separators: `1,200,000`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The words of a Markdown text without its marks (`**3.2%**` becomes `3.2%`), for search
/// and its snippets: text and code as written, links by their text, a line break after each
/// block, the tags of raw HTML left out.
pub fn markdown_plain(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(md.len());
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(_) if !out.ends_with('\n') => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(value: &str) -> Option<chrono::NaiveDate> {
    if value.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

/// Trims an optional input; empty becomes `None`.
pub fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_marks_do_not_reach_search() {
        let md = "近半年焊缝返修率上升到 **3.2%**，见[工艺卡](https://example.cn)。\n\n- 一号机\n- 二号机\n\n<b>x</b>";
        assert_eq!(
            super::markdown_plain(md),
            "近半年焊缝返修率上升到 3.2%，见工艺卡。\n一号机\n二号机\nx",
            "the text inside raw HTML stays, its tags go"
        );
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let mut c = Checks::new();
        c.required("name", "王建国劳模创新工作室", 10);
        assert!(
            c.is_empty(),
            "10 Chinese characters fit a 10-character limit"
        );
        c.required("name", "王建国劳模创新工作室好", 10);
        assert_eq!(c.into_errors()[0].field, "name");
    }

    #[test]
    fn blank_required_fields_fail() {
        let mut c = Checks::new();
        c.required("goals", "   ", 100);
        assert!(!c.is_empty());
    }

    #[test]
    fn dates_and_months_are_strict() {
        let mut c = Checks::new();
        c.date("a", "2024-02-30");
        c.date("b", "2024-2-3");
        c.month("c", "1980-13");
        c.month("d", "1980-05");
        c.date("e", "2021-10-18");
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["a", "b", "c"]);
    }

    #[test]
    fn control_characters_are_rejected() {
        let mut c = Checks::new();
        c.max_len("intro", "第一行\n第二行", 100);
        assert!(c.is_empty());
        c.max_len("intro", "bad\u{0}", 100);
        assert!(!c.is_empty());
    }
}
