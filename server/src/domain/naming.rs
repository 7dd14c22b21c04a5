//! Naming (命名): a union's batch, and an application's way up the tree, one step at a time
//! (Jieyang art. 6: the unit's union applies, the district or industry union reviews and
//! recommends, the naming union reviews, experts score, a collective decision, public notice,
//! named). The rule for the official name is art. 6's: 领衔人姓名 + 劳模和工匠人才创新工作室.

use super::metrics::YEARS;
use super::text::{Checks, parse_date};

/// Where an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Being prepared by the studio; nothing frozen yet.
    Draft,
    /// Sent by the studio: its unit's union gives its opinion (推荐).
    Submitted,
    /// Recommended by the unit: the district or industry union reviews it (初审).
    Recommended,
    /// Passed the initial review: the naming union reviews it (审核).
    Reviewed,
    /// Passed the naming union's review: experts are assigned next.
    Approved,
    /// Experts score it (专家评审).
    ExpertReview,
    /// Approved by the collective decision (集体研究): the notice opens next.
    Decided,
    /// In public notice (社会公示); objections may be filed.
    Notice,
    Named,
    /// Sent back to the studio with reasons; it may submit again.
    Returned,
    Rejected,
    Withdrawn,
}

/// A step on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamingAction {
    Submit,
    Recommend,
    Review,
    Approve,
    AssignExperts,
    Score,
    Decide { approved: bool },
    Publish,
    Name,
    Return,
    Reject,
    Withdraw,
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The studio's leader.
    Applicant,
    /// The union of the studio's own unit (所在单位工会).
    Unit,
    /// A union between the unit and the naming union (县区或产业工会).
    Review,
    /// The naming union.
    NamingOrg,
    /// An expert assigned to the application.
    Expert,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 12] = [
        Self::Draft,
        Self::Submitted,
        Self::Recommended,
        Self::Reviewed,
        Self::Approved,
        Self::ExpertReview,
        Self::Decided,
        Self::Notice,
        Self::Named,
        Self::Returned,
        Self::Rejected,
        Self::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Recommended => "recommended",
            Self::Reviewed => "reviewed",
            Self::Approved => "approved",
            Self::ExpertReview => "expert_review",
            Self::Decided => "decided",
            Self::Notice => "notice",
            Self::Named => "named",
            Self::Returned => "returned",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// No step leads anywhere from here.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Named | Self::Rejected | Self::Withdrawn)
    }

    /// Who may act on the application in this status (returning or rejecting it included).
    pub fn owner(self) -> Option<Stage> {
        match self {
            Self::Draft | Self::Returned => Some(Stage::Applicant),
            Self::Submitted => Some(Stage::Unit),
            Self::Recommended => Some(Stage::Review),
            Self::Reviewed | Self::Approved | Self::ExpertReview | Self::Decided | Self::Notice => {
                Some(Stage::NamingOrg)
            }
            Self::Named | Self::Rejected | Self::Withdrawn => None,
        }
    }

    /// The one transition function of an application.
    pub fn transition(self, action: NamingAction) -> Option<ApplicationStatus> {
        use ApplicationStatus as S;
        use NamingAction as A;
        match (self, action) {
            (S::Draft | S::Returned, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Recommend) => Some(S::Recommended),
            (S::Recommended, A::Review) => Some(S::Reviewed),
            (S::Reviewed, A::Approve) => Some(S::Approved),
            (S::Approved | S::ExpertReview, A::AssignExperts) => Some(S::ExpertReview),
            (S::ExpertReview, A::Score) => Some(S::ExpertReview),
            (S::ExpertReview, A::Decide { approved: true }) => Some(S::Decided),
            (S::ExpertReview, A::Decide { approved: false }) => Some(S::Rejected),
            (S::Decided, A::Publish) => Some(S::Notice),
            (S::Notice, A::Name) => Some(S::Named),
            (
                S::Submitted | S::Recommended | S::Reviewed | S::Approved | S::ExpertReview,
                A::Return,
            ) => Some(S::Returned),
            (
                S::Submitted
                | S::Recommended
                | S::Reviewed
                | S::Approved
                | S::ExpertReview
                | S::Decided
                | S::Notice,
                A::Reject,
            ) => Some(S::Rejected),
            (S::Draft | S::Returned | S::Submitted | S::Recommended | S::Reviewed, A::Withdraw) => {
                Some(S::Withdrawn)
            }
            _ => None,
        }
    }
}

impl NamingAction {
    /// The action of a path segment (`assign-experts`); `decide` needs its body's answer.
    pub fn parse(code: &str, approved: bool) -> Option<NamingAction> {
        Some(match code {
            "submit" => Self::Submit,
            "recommend" => Self::Recommend,
            "review" => Self::Review,
            "approve" => Self::Approve,
            "assign-experts" => Self::AssignExperts,
            "score" => Self::Score,
            "decide" => Self::Decide { approved },
            "publish" => Self::Publish,
            "name" => Self::Name,
            "return" => Self::Return,
            "reject" => Self::Reject,
            "withdraw" => Self::Withdraw,
            _ => return None,
        })
    }

    /// The stored name of the step, in the trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Recommend => "recommend",
            Self::Review => "review",
            Self::Approve => "approve",
            Self::AssignExperts => "assign_experts",
            Self::Score => "score",
            Self::Decide { .. } => "decide",
            Self::Publish => "publish",
            Self::Name => "name",
            Self::Return => "return",
            Self::Reject => "reject",
            Self::Withdraw => "withdraw",
        }
    }

    /// Who takes this step in `status` (for return and reject: whoever owns the status).
    pub fn stage(self, status: ApplicationStatus) -> Option<Stage> {
        match self {
            Self::Submit | Self::Withdraw => Some(Stage::Applicant),
            Self::Recommend => Some(Stage::Unit),
            Self::Review => Some(Stage::Review),
            Self::Score => Some(Stage::Expert),
            Self::Approve
            | Self::AssignExperts
            | Self::Decide { .. }
            | Self::Publish
            | Self::Name => Some(Stage::NamingOrg),
            Self::Return | Self::Reject => status.owner(),
        }
    }

    /// Returning or rejecting must say why.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Self::Return | Self::Reject | Self::Decide { approved: false }
        )
    }
}

/// The kinds of studio a union names (Jieyang art. 5; Changchun's upgrade path), each with the
/// words that end the official name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 劳模和工匠人才创新工作室.
    ModelWorker,
    /// 高技能人才工作室.
    HighSkill,
    /// 职工创新工作室.
    Worker,
    /// 女职工创新工作室.
    Women,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Self::ModelWorker,
        Self::HighSkill,
        Self::Worker,
        Self::Women,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ModelWorker => "model_worker",
            Self::HighSkill => "high_skill",
            Self::Worker => "worker",
            Self::Women => "women",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The words after the leader's name in the official name.
    pub fn title(self) -> &'static str {
        match self {
            Self::ModelWorker => "劳模和工匠人才创新工作室",
            Self::HighSkill => "高技能人才工作室",
            Self::Worker => "职工创新工作室",
            Self::Women => "女职工创新工作室",
        }
    }
}

/// Scores run 0–100.
pub const SCORE: std::ops::RangeInclusive<i64> = 0..=100;
/// A batch names 1–100 studios.
pub const QUOTA: std::ops::RangeInclusive<i64> = 1..=100;
/// The public notice lasts 0–30 days (0: the naming union publishes elsewhere and names at once).
pub const NOTICE_DAYS: std::ops::RangeInclusive<i64> = 0..=30;
/// Opinions, objections and answers, in characters.
pub const OPINION_MAX: usize = 2000;

/// A batch as entered.
pub struct BatchDraft<'a> {
    pub year: i64,
    pub title: &'a str,
    pub quota: i64,
    pub opens_on: &'a str,
    pub closes_on: &'a str,
    pub notice_days: i64,
    pub conditions: &'a [String],
}

pub fn check_batch(b: &BatchDraft<'_>) -> Checks {
    let mut c = Checks::new();
    if !(i64::from(*YEARS.start())..=i64::from(*YEARS.end())).contains(&b.year) {
        c.fail("year", "年份应在 2000–2100 之间 / year must be 2000–2100");
    }
    c.required("title", b.title, 100);
    if !QUOTA.contains(&b.quota) {
        c.fail("quota", "名额应在 1–100 之间 / quota must be 1–100");
    }
    if !NOTICE_DAYS.contains(&b.notice_days) {
        c.fail(
            "notice_days",
            "公示天数应在 0–30 之间 / notice days must be 0–30",
        );
    }
    c.date("opens_on", b.opens_on);
    c.date("closes_on", b.closes_on);
    if let (Some(o), Some(e)) = (parse_date(b.opens_on), parse_date(b.closes_on))
        && e < o
    {
        c.fail(
            "closes_on",
            "截止日期不能早于开始日期 / closes before it opens",
        );
    }
    if b.conditions.len() > 20 {
        c.fail("conditions", "条件最多 20 条 / at most 20 conditions");
    }
    for item in b.conditions {
        c.max_len("conditions", item, 200);
    }
    c
}

/// The basic conditions of Jieyang art. 5, the default checklist of a batch.
pub const DEFAULT_CONDITIONS: [&str; 9] = [
    "有稳定的工作团队：领衔人为市级以上劳模或工匠人才，团队有效运行两年以上",
    "有独立的工作平台：固定场所、基本设备设施，牌匾标志明显",
    "有明确的计划目标：年度工作方案或项目推进计划",
    "有健全的工作制度：活动、学习、攻关、成果转化、评估奖励、内部管理",
    "有完善的培养机制：培训交流、导师带徒、技能竞赛",
    "有可靠的经费保障",
    "有一定的创新成果：每年 1–2 项成果获县级以上认可或获得专利",
    "有良好的示范效应",
    "不属于企事业单位原有建制的研发机构和班组",
];

/// The official name by the rule of Jieyang art. 6: the leader's name and the kind of studio.
pub fn official_name(leader_name: &str, category: Category) -> String {
    format!("{}{}", leader_name.trim(), category.title())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus as S;

    #[test]
    fn the_way_up_is_one_step_at_a_time() {
        let path = [
            (NamingAction::Submit, S::Submitted),
            (NamingAction::Recommend, S::Recommended),
            (NamingAction::Review, S::Reviewed),
            (NamingAction::Approve, S::Approved),
            (NamingAction::AssignExperts, S::ExpertReview),
            (NamingAction::Decide { approved: true }, S::Decided),
            (NamingAction::Publish, S::Notice),
            (NamingAction::Name, S::Named),
        ];
        let mut status = S::Draft;
        for (action, next) in path {
            assert_eq!(
                status.transition(action),
                Some(next),
                "{action:?} from {status:?}"
            );
            status = next;
        }
        assert!(status.is_final());
    }

    #[test]
    fn no_step_can_be_skipped_or_taken_twice() {
        assert_eq!(S::Submitted.transition(NamingAction::Review), None);
        assert_eq!(S::Recommended.transition(NamingAction::Recommend), None);
        assert_eq!(
            S::Approved.transition(NamingAction::Decide { approved: true }),
            None
        );
        assert_eq!(S::Decided.transition(NamingAction::Name), None);
        assert_eq!(S::Named.transition(NamingAction::Reject), None);
        assert_eq!(S::Notice.transition(NamingAction::Withdraw), None);
    }

    #[test]
    fn returned_applications_go_back_to_the_studio_and_may_be_sent_again() {
        assert_eq!(
            S::Reviewed.transition(NamingAction::Return),
            Some(S::Returned)
        );
        assert_eq!(
            S::Returned.transition(NamingAction::Submit),
            Some(S::Submitted)
        );
        assert_eq!(
            NamingAction::Return.stage(S::Recommended),
            Some(Stage::Review)
        );
        assert_eq!(
            NamingAction::Reject.stage(S::Notice),
            Some(Stage::NamingOrg)
        );
    }

    #[test]
    fn the_official_name_follows_jieyang_art_6() {
        assert_eq!(
            official_name(" 王建国 ", Category::ModelWorker),
            "王建国劳模和工匠人才创新工作室"
        );
        assert_eq!(
            official_name("李秀梅", Category::Women),
            "李秀梅女职工创新工作室"
        );
        assert_eq!(Category::parse("high_skill"), Some(Category::HighSkill));
    }

    #[test]
    fn a_batch_closing_before_it_opens_is_refused() {
        let conditions = vec![];
        let b = BatchDraft {
            year: 2026,
            title: "2026 年度市级劳模和工匠人才创新工作室命名",
            quota: 8,
            opens_on: "2026-03-01",
            closes_on: "2026-02-01",
            notice_days: 5,
            conditions: &conditions,
        };
        let fields: Vec<String> = check_batch(&b)
            .into_errors()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(fields, ["closes_on"]);
    }
}
