//! Outcomes (成果): their kinds and the rules of their input.

use super::text::Checks;

/// Kinds of outcome, with labels.
pub const KINDS: [(&str, &str, &str); 7] = [
    ("patent", "专利", "Patent"),
    ("operating_method", "先进操作法", "Operating method"),
    ("technical_innovation", "技术革新", "Technical innovation"),
    ("signature_skill", "绝招绝技", "Signature skill"),
    ("management_innovation", "管理创新", "Management innovation"),
    ("software", "软件", "Software"),
    ("other", "其他", "Other"),
];

pub fn is_kind(code: &str) -> bool {
    KINDS.iter().any(|(c, _, _)| *c == code)
}

/// Limits, in characters.
pub mod limits {
    pub const TITLE: usize = 100;
    pub const SUMMARY: usize = 1_000;
    pub const BODY: usize = 50_000;
    pub const PATENT_NO: usize = 40;
    pub const BENEFIT_MAX: i64 = 100_000_000_000;
    pub const UNIT: usize = 100;
    pub const EFFECT: usize = 2_000;
}

/// The fields of a new outcome.
#[derive(Debug)]
pub struct OutcomeDraft<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub kind: &'a str,
    pub industry: &'a str,
    pub patent_no: &'a str,
    pub benefit_yuan: Option<i64>,
}

pub fn check_outcome(d: &OutcomeDraft<'_>, c: &mut Checks) {
    use limits::*;
    c.required("title", d.title, TITLE);
    c.required("summary", d.summary, SUMMARY);
    c.max_len("body", d.body, BODY);
    if !is_kind(d.kind) {
        c.fail("kind", "未知的成果类型 / unknown outcome kind");
    }
    if !d.industry.is_empty() && !super::studio::is_industry(d.industry) {
        c.fail("industry", "未知的行业 / unknown industry");
    }
    c.max_len("patent_no", d.patent_no, PATENT_NO);
    if d.kind == "patent" && d.patent_no.trim().is_empty() {
        c.fail(
            "patent_no",
            "专利成果须填写专利号 / a patent needs its number",
        );
    }
    if let Some(b) = d.benefit_yuan
        && !(0..=BENEFIT_MAX).contains(&b)
    {
        c.fail("benefit_yuan", "经济效益须为非负数 / must not be negative");
    }
}

/// An adoption (成果推广): where in the unit it was applied, with what effect.
pub fn check_adoption(place: &str, effect: &str, c: &mut Checks) {
    c.max_len("place", place, limits::UNIT);
    c.max_len("effect", effect, limits::EFFECT);
}

/// Where an adoption stands. The adopting unit records it; the outcome's studio confirms it
/// (or declines it); only confirmed adoptions count in the outcome's figures and in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdoptionStatus {
    Pending,
    Confirmed,
    Declined,
}

impl AdoptionStatus {
    pub fn code(self) -> &'static str {
        match self {
            AdoptionStatus::Pending => "pending",
            AdoptionStatus::Confirmed => "confirmed",
            AdoptionStatus::Declined => "declined",
        }
    }

    pub fn parse(code: &str) -> Option<AdoptionStatus> {
        [Self::Pending, Self::Confirmed, Self::Declined]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The studio answers a recorded adoption once.
    pub fn answer(self, confirm: bool) -> Result<AdoptionStatus, &'static str> {
        match self {
            AdoptionStatus::Pending if confirm => Ok(AdoptionStatus::Confirmed),
            AdoptionStatus::Pending => Ok(AdoptionStatus::Declined),
            _ => Err("这条推广应用已经确认或退回 / this adoption was already answered"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_input_is_checked() {
        let mut c = Checks::new();
        check_outcome(
            &OutcomeDraft {
                title: "",
                summary: "",
                body: "",
                kind: "poem",
                industry: "mining",
                patent_no: "",
                benefit_yuan: Some(-5),
            },
            &mut c,
        );
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["title", "summary", "kind", "industry", "benefit_yuan"]
        );
        let mut c = Checks::new();
        check_outcome(
            &OutcomeDraft {
                title: "一种焊缝相控阵检测工装",
                summary: "降低漏检率",
                body: "",
                kind: "patent",
                industry: "machinery",
                patent_no: "",
                benefit_yuan: Some(1_200_000),
            },
            &mut c,
        );
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["patent_no"], "a patent needs its number");
    }

    #[test]
    fn an_adoptions_place_and_effect_are_bounded() {
        let mut c = Checks::new();
        check_adoption("二车间", "效率提升 20%", &mut c);
        assert!(c.is_empty());
        check_adoption(&"车".repeat(101), "", &mut c);
        assert!(!c.is_empty());
    }

    #[test]
    fn an_adoption_is_answered_once() {
        assert_eq!(
            AdoptionStatus::Pending.answer(true),
            Ok(AdoptionStatus::Confirmed)
        );
        assert_eq!(
            AdoptionStatus::Pending.answer(false),
            Ok(AdoptionStatus::Declined)
        );
        assert!(AdoptionStatus::Confirmed.answer(false).is_err());
        assert!(AdoptionStatus::Declined.answer(true).is_err());
        assert_eq!(
            AdoptionStatus::parse("confirmed"),
            Some(AdoptionStatus::Confirmed)
        );
    }
}
