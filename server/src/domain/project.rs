//! A studio's own projects (课题): the closed loop of the defence-post-telecom union's opinion,
//! art. (十二): 问题收集、课题立项、项目跟进、集中攻关、成果转化. A project is registered by the
//! studio with its members as the team, followed with progress, delivered and turned into an
//! outcome; at any point before delivery it can be opened to other studios as a challenge
//! (揭榜) without retyping.

use super::text::Checks;

/// Where a project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Registered and under way (立项、跟进、攻关).
    Active,
    /// The work is done; its result waits to be recorded as an outcome.
    Delivered,
    /// Recorded as an outcome (成果转化).
    Closed,
    /// Opened to other studios as a challenge: the challenge carries on.
    Opened,
}

/// A step of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    Progress,
    Deliver,
    RecordOutcome,
    Open,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] = [
        ProjectStatus::Active,
        ProjectStatus::Delivered,
        ProjectStatus::Closed,
        ProjectStatus::Opened,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProjectStatus::Active => "active",
            ProjectStatus::Delivered => "delivered",
            ProjectStatus::Closed => "closed",
            ProjectStatus::Opened => "opened",
        }
    }

    pub fn parse(code: &str) -> Option<ProjectStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The one transition function: the status after `action`, or `None` when it is not a
    /// step from here.
    pub fn next(self, action: ProjectAction) -> Option<ProjectStatus> {
        use ProjectAction as A;
        use ProjectStatus as S;
        match (self, action) {
            (S::Active, A::Progress) => Some(S::Active),
            (S::Active, A::Deliver) => Some(S::Delivered),
            (S::Active, A::Open) => Some(S::Opened),
            (S::Delivered, A::RecordOutcome) => Some(S::Closed),
            _ => None,
        }
    }
}

impl ProjectAction {
    pub fn verb(self) -> &'static str {
        match self {
            ProjectAction::Progress => "report progress",
            ProjectAction::Deliver => "deliver",
            ProjectAction::RecordOutcome => "record the outcome",
            ProjectAction::Open => "open it as a challenge",
        }
    }
}

/// Limits, in characters.
pub mod limits {
    pub const TITLE: usize = 80;
    pub const DESCRIPTION: usize = 20_000;
    pub const PLAN: usize = 10_000;
    pub const NOTE: usize = 5_000;
    pub const TEAM: usize = 30;
}

/// A project's fields as entered.
pub fn check_project(title: &str, description: &str, plan: &str, team: usize, c: &mut Checks) {
    use limits::*;
    c.required("title", title, TITLE);
    c.required("description", description, DESCRIPTION);
    c.max_len("plan", plan, PLAN);
    if team > TEAM {
        c.fail("member_ids", "课题组最多 30 人 / at most 30 people");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProjectAction as A;
    use ProjectStatus as S;

    #[test]
    fn every_project_transition() {
        for from in S::ALL {
            for a in [A::Progress, A::Deliver, A::RecordOutcome, A::Open] {
                let expected = match (from, a) {
                    (S::Active, A::Progress) => Some(S::Active),
                    (S::Active, A::Deliver) => Some(S::Delivered),
                    (S::Active, A::Open) => Some(S::Opened),
                    (S::Delivered, A::RecordOutcome) => Some(S::Closed),
                    _ => None,
                };
                assert_eq!(from.next(a), expected, "{from:?} {a:?}");
            }
            assert_eq!(S::parse(from.code()), Some(from));
        }
    }

    #[test]
    fn a_project_names_its_problem() {
        let mut c = Checks::new();
        check_project("", "", "", 31, &mut c);
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "description", "member_ids"]);
        let mut c = Checks::new();
        check_project(
            "5G 基站电源模块温升控制",
            "夏季机房温度高导致模块降额",
            "",
            3,
            &mut c,
        );
        assert!(c.is_empty());
    }
}
