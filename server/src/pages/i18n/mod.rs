//! Interface strings: zh-CN first, English second. Templates ask `t.s("key")`.

mod audit;
mod bulletins;
mod chat;
mod common;
mod fields;
mod funds;
mod governance;
mod honours;
mod import;
mod network;
mod outcomes;
mod projects;
mod reports;
mod supervision;
mod work;

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::domain::org::OrgLevel;
use crate::domain::outcome::KINDS as OUTCOME_KINDS;
use crate::domain::studio::{INDUSTRIES, KINDS, label};
use audit::AUDIT_MESSAGES;
use bulletins::BULLETIN_MESSAGES;
use chat::CHAT_MESSAGES;
use common::MESSAGES;
use fields::FIELD_MESSAGES;
use funds::FUNDS_MESSAGES;
use governance::GOVERNANCE_MESSAGES;
use honours::HONOUR_MESSAGES;
use import::IMPORT_MESSAGES;
use network::NETWORK_MESSAGES;
use outcomes::OUTCOME_MESSAGES;
use projects::PROJECT_MESSAGES;
use reports::REPORT_MESSAGES;
use supervision::SUPERVISION_MESSAGES;
use work::WORK_MESSAGES;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    MESSAGES
        .iter()
        .chain(WORK_MESSAGES)
        .chain(NETWORK_MESSAGES)
        .chain(CHAT_MESSAGES)
        .chain(GOVERNANCE_MESSAGES)
        .chain(FUNDS_MESSAGES)
        .chain(AUDIT_MESSAGES)
        .chain(REPORT_MESSAGES)
        .chain(BULLETIN_MESSAGES)
        .chain(OUTCOME_MESSAGES)
        .chain(PROJECT_MESSAGES)
        .chain(IMPORT_MESSAGES)
        .chain(SUPERVISION_MESSAGES)
        .chain(HONOUR_MESSAGES)
        .chain(FIELD_MESSAGES)
        .map(|(k, zh, en)| (*k, (*zh, *en)))
        .collect()
});

/// The strings of one language, handed to every template as `t`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The text for `key`; the key itself if it is missing (a test keeps the table complete).
    pub fn s<'a>(&self, key: &'a str) -> &'a str {
        match TABLE.get(key) {
            Some((zh, en)) => match self.lang {
                Lang::Zh => zh,
                Lang::En => en,
            },
            None => key,
        }
    }

    /// The label of `code` in the family `prefix` (`t.label("al.status", "active")`).
    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.s(&format!("{prefix}.{code}")).to_owned()
    }

    /// The label of `code` under `prefix`, or the code itself when it has none (an audit
    /// action named by the code that wrote it).
    pub fn label_or(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        match TABLE.get(key.as_str()) {
            Some((zh, en)) => (if self.en() { *en } else { *zh }).to_owned(),
            None => code.to_owned(),
        }
    }

    fn en(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn kind(&self, code: &str) -> String {
        label(&KINDS, code, self.en()).to_owned()
    }

    pub fn industry(&self, code: &str) -> String {
        label(&INDUSTRIES, code, self.en()).to_owned()
    }

    pub fn level(&self, code: &str) -> &'static str {
        match OrgLevel::parse(code) {
            Some(l) if self.en() => l.label_en(),
            Some(l) => l.label_zh(),
            None => "",
        }
    }

    pub fn status(&self, code: &str) -> String {
        self.s(&format!("status.{code}")).to_owned()
    }

    pub fn staff_role(&self, code: &str) -> String {
        self.s(&format!("org.role.{code}")).to_owned()
    }

    /// A message written "中文 / English" in this page's language only.
    pub fn msg<'a>(&self, message: &'a str) -> &'a str {
        match message.split_once(" / ") {
            Some((zh, en)) => match self.lang {
                Lang::Zh => zh.trim(),
                Lang::En => en.trim(),
            },
            None => message,
        }
    }

    /// A form field's name in this page's words; `None` for a refusal that concerns no field
    /// (its code stands where the field would).
    pub fn field_label(&self, field: &str) -> Option<&'static str> {
        ["field", "person", "studio"].iter().find_map(|prefix| {
            TABLE
                .get(format!("{prefix}.{field}").as_str())
                .map(|(zh, en)| match self.lang {
                    Lang::Zh => *zh,
                    Lang::En => *en,
                })
        })
    }

    /// The kinds of studio a union names: (code, label).
    pub fn naming_categories(&self) -> Vec<(&'static str, String)> {
        crate::domain::naming::Category::ALL
            .iter()
            .map(|c| (c.code(), self.label("nm.category", c.code())))
            .collect()
    }

    /// The delisting cases of Jieyang art. 8: (code, label).
    pub fn delist_reasons(&self) -> Vec<(&'static str, String)> {
        crate::domain::delisting::DelistReason::ALL
            .iter()
            .map(|r| (r.code(), self.label("delist", r.code())))
            .collect()
    }

    /// An amount of yuan with thousands separators: `150,000 元`, `¥150,000`.
    pub fn yuan(&self, amount: &i64) -> String {
        let grouped = crate::domain::text::grouped(*amount);
        if self.en() {
            format!("¥{grouped}")
        } else {
            format!("{grouped} 元")
        }
    }

    /// An RFC 3339 instant as China time, `YYYY-MM-DD HH:MM`, for people.
    pub fn when(&self, rfc3339: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .map(|t| {
                (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(8))
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| rfc3339.to_owned())
    }

    /// Label of a challenge or claim status.
    pub fn ch_status(&self, code: &str) -> String {
        self.s(&format!("chs.{code}")).to_owned()
    }

    /// Label of a timeline event kind.
    pub fn event(&self, code: &str) -> String {
        self.s(&format!("ev.{code}")).to_owned()
    }

    pub fn mode(&self, code: &str) -> String {
        self.s(&format!("ch.mode.{code}")).to_owned()
    }

    pub fn outcome_kind(&self, code: &str) -> String {
        label(&OUTCOME_KINDS, code, self.en()).to_owned()
    }

    pub fn outcome_kinds(&self) -> Vec<(&'static str, &'static str)> {
        OUTCOME_KINDS
            .iter()
            .map(|(c, zh, en)| (*c, if self.en() { *en } else { *zh }))
            .collect()
    }

    pub fn role(&self, code: &str) -> String {
        self.s(&format!("studio.role.{code}")).to_owned()
    }

    /// Every (code, label) of the studio kinds, for selects.
    pub fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        KINDS
            .iter()
            .map(|(c, zh, en)| (*c, if self.en() { *en } else { *zh }))
            .collect()
    }

    pub fn industries(&self) -> Vec<(&'static str, &'static str)> {
        INDUSTRIES
            .iter()
            .map(|(c, zh, en)| (*c, if self.en() { *en } else { *zh }))
            .collect()
    }

    /// The levels a child of an org at `parent` may have, with the next one down chosen:
    /// (code, label, selected).
    pub fn levels_under(&self, parent: &str) -> Vec<(&'static str, &'static str, bool)> {
        let parent = OrgLevel::parse(parent);
        OrgLevel::ALL
            .into_iter()
            .filter(|l| crate::domain::org::may_hang_under(*l, parent))
            .map(|l| {
                let label = if self.en() {
                    l.label_en()
                } else {
                    l.label_zh()
                };
                (l.code(), label, parent.is_some_and(|p| p.next_down() == l))
            })
            .collect()
    }

    pub fn levels(&self) -> Vec<(&'static str, &'static str)> {
        OrgLevel::ALL
            .iter()
            .map(|l| {
                (
                    l.code(),
                    if self.en() {
                        l.label_en()
                    } else {
                        l.label_zh()
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_field_reads_in_one_language_without_its_code() {
        let zh = Tr { lang: Lang::Zh };
        let en = Tr { lang: Lang::En };
        assert_eq!(zh.msg("用户名已被使用 / username taken"), "用户名已被使用");
        assert_eq!(en.msg("用户名已被使用 / username taken"), "username taken");
        assert_eq!(zh.msg("只有中文"), "只有中文");
        assert_eq!(zh.field_label("username"), Some("用户名"));
        assert_eq!(zh.field_label("intro"), Some("简介"));
        assert_eq!(en.field_label("user_id"), Some("Person"));
        assert_eq!(zh.field_label("already_applied"), None);
    }

    #[test]
    fn yuan_are_grouped_by_thousands_in_either_language() {
        let zh = Tr { lang: Lang::Zh };
        let en = Tr { lang: Lang::En };
        assert_eq!(zh.yuan(&150_000), "150,000 元");
        assert_eq!(zh.yuan(&999), "999 元");
        assert_eq!(zh.yuan(&1_234_567), "1,234,567 元");
        assert_eq!(zh.yuan(&-30_000), "-30,000 元");
        assert_eq!(en.yuan(&0), "¥0");
    }

    /// Every `t.s("…")` in the templates has an entry, so no page shows a raw key.
    #[test]
    fn every_key_used_by_a_template_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/templates");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(p) = stack.pop() {
            for entry in std::fs::read_dir(&p).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("t.s(\"").skip(1) {
                    let key = part.split('"').next().unwrap();
                    if !TABLE.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn keys_are_unique() {
        let all = MESSAGES.len()
            + WORK_MESSAGES.len()
            + NETWORK_MESSAGES.len()
            + CHAT_MESSAGES.len()
            + GOVERNANCE_MESSAGES.len()
            + FUNDS_MESSAGES.len()
            + AUDIT_MESSAGES.len()
            + REPORT_MESSAGES.len()
            + BULLETIN_MESSAGES.len()
            + OUTCOME_MESSAGES.len()
            + PROJECT_MESSAGES.len()
            + IMPORT_MESSAGES.len()
            + SUPERVISION_MESSAGES.len()
            + HONOUR_MESSAGES.len()
            + FIELD_MESSAGES.len();
        assert_eq!(TABLE.len(), all);
    }
}
