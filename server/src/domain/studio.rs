//! Studios: kinds, industries, the naming lifecycle and the onboarding (上线进网) rule.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::Checks;

/// The ten kinds of studio on the application form.
pub const KINDS: [(&str, &str, &str); 10] = [
    ("tech_development", "技术开发", "Technology development"),
    ("tech_tackling", "技术攻关", "Technical problem-solving"),
    ("skill_teaching", "技能传授", "Skill teaching"),
    ("tech_collaboration", "技术协作", "Technical collaboration"),
    ("training_service", "培训服务", "Training service"),
    ("research", "科研", "Research"),
    ("management", "管理", "Management"),
    ("marketing", "营销", "Marketing"),
    ("service", "服务", "Service"),
    ("other", "其他", "Other"),
];

/// Industries a studio, challenge or outcome belongs to.
pub const INDUSTRIES: [(&str, &str, &str); 12] = [
    ("machinery", "机械制造", "Machinery"),
    ("power", "电力", "Power"),
    ("rail", "轨道交通", "Rail"),
    ("chemicals", "化工", "Chemicals"),
    ("textiles", "纺织", "Textiles"),
    ("post_telecom", "邮政通信", "Post & telecom"),
    ("healthcare", "医疗卫生", "Healthcare"),
    ("construction", "建筑", "Construction"),
    ("energy", "能源", "Energy"),
    ("aerospace", "航空航天", "Aerospace"),
    ("automotive", "汽车", "Automotive"),
    ("electronics", "电子信息", "Electronics"),
];

pub fn is_kind(code: &str) -> bool {
    KINDS.iter().any(|(c, _, _)| *c == code)
}

pub fn is_industry(code: &str) -> bool {
    INDUSTRIES.iter().any(|(c, _, _)| *c == code)
}

/// The (zh, en) label of a code in one of the lists above; the code itself if unknown.
pub fn label<'a>(list: &'a [(&'a str, &'a str, &'a str)], code: &'a str, en: bool) -> &'a str {
    list.iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, e)| if en { *e } else { *zh })
        .unwrap_or(code)
}

/// Role of a person in a studio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Leader,
    Member,
    Apprentice,
}

impl MemberRole {
    pub fn code(self) -> &'static str {
        match self {
            MemberRole::Leader => "leader",
            MemberRole::Member => "member",
            MemberRole::Apprentice => "apprentice",
        }
    }

    pub fn parse(code: &str) -> Option<MemberRole> {
        match code {
            "leader" => Some(MemberRole::Leader),
            "member" => Some(MemberRole::Member),
            "apprentice" => Some(MemberRole::Apprentice),
            _ => None,
        }
    }
}

/// Naming status: draft → submitted → under_review → public_notice → named;
/// named → rectification → named | delisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StudioStatus {
    Draft,
    Submitted,
    UnderReview,
    PublicNotice,
    Named,
    Rectification,
    Delisted,
}

/// A step in the naming lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudioAction {
    Submit,
    StartReview,
    Publicise,
    Name,
    Reject,
    OrderRectification,
    Rectified,
    Delist,
}

impl StudioStatus {
    pub const ALL: [StudioStatus; 7] = [
        StudioStatus::Draft,
        StudioStatus::Submitted,
        StudioStatus::UnderReview,
        StudioStatus::PublicNotice,
        StudioStatus::Named,
        StudioStatus::Rectification,
        StudioStatus::Delisted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StudioStatus::Draft => "draft",
            StudioStatus::Submitted => "submitted",
            StudioStatus::UnderReview => "under_review",
            StudioStatus::PublicNotice => "public_notice",
            StudioStatus::Named => "named",
            StudioStatus::Rectification => "rectification",
            StudioStatus::Delisted => "delisted",
        }
    }

    pub fn parse(code: &str) -> Option<StudioStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status in the words of a union's sheet.
    pub fn label_zh(self) -> &'static str {
        match self {
            StudioStatus::Draft => "已登记，未命名",
            StudioStatus::Submitted => "已申报",
            StudioStatus::UnderReview => "评审中",
            StudioStatus::PublicNotice => "公示中",
            StudioStatus::Named => "已命名",
            StudioStatus::Rectification => "整改中",
            StudioStatus::Delisted => "已摘牌",
        }
    }

    /// The one transition function of the naming lifecycle.
    pub fn transition(self, action: StudioAction) -> Option<StudioStatus> {
        use StudioAction as A;
        use StudioStatus as S;
        match (self, action) {
            (S::Draft, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::StartReview) => Some(S::UnderReview),
            (S::UnderReview, A::Publicise) => Some(S::PublicNotice),
            (S::Submitted | S::UnderReview | S::PublicNotice, A::Reject) => Some(S::Draft),
            (S::PublicNotice, A::Name) => Some(S::Named),
            (S::Named, A::OrderRectification) => Some(S::Rectification),
            (S::Rectification, A::Rectified) => Some(S::Named),
            (S::Named | S::Rectification, A::Delist) => Some(S::Delisted),
            _ => None,
        }
    }
}

/// Whether the leader may change the leader or the people directly: a studio that is neither
/// named nor on its way to a name. A named studio's change of leader goes up the tree for
/// approval (Jieyang art. 7), and one in the naming flow keeps the team it applied with.
pub fn team_changes_freely(status: StudioStatus) -> bool {
    matches!(status, StudioStatus::Draft | StudioStatus::Delisted)
}

/// The application-form profile of a studio as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub org_id: Option<i64>,
    pub kind: String,
    pub field: String,
    pub industry: String,
    pub region: String,
    pub goals: String,
    pub intro: String,
}

/// Fields that must be filled before a studio may go online, in form order.
pub fn missing_for_onboarding(p: &Profile) -> Vec<&'static str> {
    let mut missing = Vec::new();
    let text = [
        ("name", &p.name),
        ("kind", &p.kind),
        ("field", &p.field),
        ("industry", &p.industry),
        ("region", &p.region),
        ("goals", &p.goals),
        ("intro", &p.intro),
    ];
    for (field, value) in text {
        if field == "kind" && p.org_id.is_none() {
            missing.push("org_id");
        }
        if value.trim().is_empty() {
            missing.push(field);
        }
    }
    missing
}

/// Limits of the application form, in characters.
pub mod limits {
    pub const NAME: usize = 60;
    pub const SHORT: usize = 60;
    pub const GOALS: usize = 1000;
    pub const INTRO: usize = 3000;
    pub const SUMMARY: usize = 3000;
    pub const HONOURS: usize = 1000;
}

/// Checks the profile fields a create or update sets (`None` = not being set).
#[derive(Debug, Default)]
pub struct ProfileInput<'a> {
    pub name: Option<&'a str>,
    pub unit_type: Option<&'a str>,
    pub premises_m2: Option<i64>,
    pub premises_address: Option<&'a str>,
    pub equipment: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub field: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub region: Option<&'a str>,
    pub founded_on: Option<&'a str>,
    pub goals: Option<&'a str>,
    pub intro: Option<&'a str>,
    pub outcomes_summary: Option<&'a str>,
    pub honours: Option<&'a str>,
}

pub fn check_profile(input: &ProfileInput<'_>, checks: &mut Checks) {
    use limits::*;
    if let Some(name) = input.name {
        checks.required("name", name, NAME);
    }
    if let Some(kind) = input.kind
        && !is_kind(kind)
    {
        checks.fail("kind", "未知的工作室类型 / unknown studio kind");
    }
    if let Some(industry) = input.industry
        && !industry.is_empty()
        && !is_industry(industry)
    {
        checks.fail("industry", "未知的行业 / unknown industry");
    }
    for (field, value, max) in [
        ("field", input.field, SHORT),
        ("region", input.region, SHORT),
        ("goals", input.goals, GOALS),
        ("intro", input.intro, INTRO),
        ("outcomes_summary", input.outcomes_summary, SUMMARY),
        ("honours", input.honours, HONOURS),
    ] {
        if let Some(v) = value {
            checks.max_len(field, v, max);
        }
    }
    if let Some(d) = input.founded_on {
        checks.date("founded_on", d);
    }
    if let Some(u) = input.unit_type
        && !UNIT_TYPES.contains(&u)
    {
        checks.fail(
            "unit_type",
            "单位类型应为企业、事业单位或其他 / unit type must be enterprise, public_institution or other",
        );
    }
    if input
        .premises_m2
        .is_some_and(|m| !(1..=100_000).contains(&m))
    {
        checks.fail(
            "premises_m2",
            "场地面积应在 1–100000 平方米之间 / area must be 1–100000 m²",
        );
    }
    if let Some(a) = input.premises_address {
        checks.max_len("premises_address", a, SHORT * 2);
    }
    if let Some(e) = input.equipment {
        checks.max_len("equipment", e, HONOURS);
    }
}

/// The kinds of host unit on the Changchun application form (单位类型): an enterprise, a public
/// institution (事业单位, a hospital or a school) or other.
pub const UNIT_TYPES: [&str; 3] = ["enterprise", "public_institution", "other"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_action_pair_is_decided() {
        use StudioAction as A;
        use StudioStatus as S;
        let actions = [
            A::Submit,
            A::StartReview,
            A::Publicise,
            A::Name,
            A::Reject,
            A::OrderRectification,
            A::Rectified,
            A::Delist,
        ];
        let allowed = [
            (S::Draft, A::Submit, S::Submitted),
            (S::Submitted, A::StartReview, S::UnderReview),
            // A naming application returned or withdrawn before review began.
            (S::Submitted, A::Reject, S::Draft),
            (S::UnderReview, A::Publicise, S::PublicNotice),
            (S::UnderReview, A::Reject, S::Draft),
            (S::PublicNotice, A::Reject, S::Draft),
            (S::PublicNotice, A::Name, S::Named),
            (S::Named, A::OrderRectification, S::Rectification),
            (S::Rectification, A::Rectified, S::Named),
            (S::Named, A::Delist, S::Delisted),
            (S::Rectification, A::Delist, S::Delisted),
        ];
        for s in StudioStatus::ALL {
            for a in actions {
                let expected = allowed
                    .iter()
                    .find(|(from, act, _)| *from == s && *act == a)
                    .map(|(_, _, to)| *to);
                assert_eq!(s.transition(a), expected, "{s:?} + {a:?}");
            }
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in StudioStatus::ALL {
            assert_eq!(StudioStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn onboarding_names_each_missing_field() {
        let mut p = Profile {
            name: "王建国劳模创新工作室".into(),
            org_id: Some(3),
            kind: "tech_tackling".into(),
            ..Profile::default()
        };
        assert_eq!(
            missing_for_onboarding(&p),
            ["field", "industry", "region", "goals", "intro"]
        );
        p.field = "数控加工".into();
        p.industry = "machinery".into();
        p.region = "雁塔区".into();
        p.goals = "三年内攻克主轴热变形难题".into();
        p.intro = " ".into();
        assert_eq!(missing_for_onboarding(&p), ["intro"]);
        p.intro = "成员十二人".into();
        assert!(missing_for_onboarding(&p).is_empty());
        p.org_id = None;
        assert_eq!(missing_for_onboarding(&p), ["org_id"]);
    }

    #[test]
    fn profile_checks_reject_unknown_codes_and_long_text() {
        let long = "焊".repeat(limits::NAME + 1);
        let input = ProfileInput {
            name: Some(&long),
            kind: Some("welding"),
            industry: Some("mining"),
            founded_on: Some("2021-13-01"),
            ..Default::default()
        };
        let mut c = Checks::new();
        check_profile(&input, &mut c);
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "industry", "founded_on"]);
    }
}
