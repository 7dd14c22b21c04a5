//! Honours (荣誉推荐): which honours a union recommends its people, studios and outcomes for,
//! and the life of a recommendation. The honours are those the policies name: the
//! defence-post-telecom union's opinion (二十二) asks unions to favour studio members for
//! 劳动模范, 五一劳动奖章, 大国工匠 and 巾帼标兵, and studios for 工人先锋号; Jieyang art. 14
//! adds 五一劳动奖状 for studios and the outstanding workers' innovation outcome award.

use serde::Serialize;
use utoipa::ToSchema;

/// What an honour is given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Person,
    Studio,
    Outcome,
}

impl Subject {
    /// The body field that names a subject of this kind.
    pub fn field(self) -> &'static str {
        match self {
            Subject::Person => "user_id",
            Subject::Studio => "studio_id",
            Subject::Outcome => "outcome_id",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Honour {
    /// 劳动模范
    ModelWorker,
    /// 五一劳动奖章
    MayDayMedal,
    /// 大国工匠 (and the provinces' and cities' 工匠)
    Craftsman,
    /// 巾帼标兵
    WomenPacesetter,
    /// 工人先锋号
    PioneerTeam,
    /// 五一劳动奖状
    MayDayAward,
    /// 示范性创新工作室 (the level above's named studio)
    ModelStudio,
    /// 优秀职工技术创新成果
    InnovationOutcome,
}

impl Honour {
    pub const ALL: [Honour; 8] = [
        Honour::ModelWorker,
        Honour::MayDayMedal,
        Honour::Craftsman,
        Honour::WomenPacesetter,
        Honour::PioneerTeam,
        Honour::MayDayAward,
        Honour::ModelStudio,
        Honour::InnovationOutcome,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Honour::ModelWorker => "model_worker",
            Honour::MayDayMedal => "may_day_medal",
            Honour::Craftsman => "craftsman",
            Honour::WomenPacesetter => "women_pacesetter",
            Honour::PioneerTeam => "pioneer_team",
            Honour::MayDayAward => "may_day_award",
            Honour::ModelStudio => "model_studio",
            Honour::InnovationOutcome => "innovation_outcome",
        }
    }

    pub fn parse(code: &str) -> Option<Honour> {
        Honour::ALL.into_iter().find(|h| h.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Honour::ModelWorker => "劳动模范",
            Honour::MayDayMedal => "五一劳动奖章",
            Honour::Craftsman => "工匠",
            Honour::WomenPacesetter => "巾帼标兵",
            Honour::PioneerTeam => "工人先锋号",
            Honour::MayDayAward => "五一劳动奖状",
            Honour::ModelStudio => "示范性创新工作室",
            Honour::InnovationOutcome => "优秀职工技术创新成果",
        }
    }

    /// Whom the honour is given to.
    pub fn subject(self) -> Subject {
        match self {
            Honour::ModelWorker
            | Honour::MayDayMedal
            | Honour::Craftsman
            | Honour::WomenPacesetter => Subject::Person,
            Honour::PioneerTeam | Honour::MayDayAward | Honour::ModelStudio => Subject::Studio,
            Honour::InnovationOutcome => Subject::Outcome,
        }
    }
}

/// The level of the body that gives the honour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    National,
    Province,
    City,
    District,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::National,
        Level::Province,
        Level::City,
        Level::District,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::District => "district",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Level::National => "全国",
            Level::Province => "省级",
            Level::City => "市级",
            Level::District => "区县级",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HonourStatus {
    /// Recommended, not yet decided by the giving body.
    Recommended,
    Awarded,
    NotAwarded,
}

impl HonourStatus {
    pub const ALL: [HonourStatus; 3] = [
        HonourStatus::Recommended,
        HonourStatus::Awarded,
        HonourStatus::NotAwarded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HonourStatus::Recommended => "recommended",
            HonourStatus::Awarded => "awarded",
            HonourStatus::NotAwarded => "not_awarded",
        }
    }

    pub fn parse(code: &str) -> Option<HonourStatus> {
        HonourStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            HonourStatus::Recommended => "已推荐",
            HonourStatus::Awarded => "已获评",
            HonourStatus::NotAwarded => "未获评",
        }
    }

    /// The status a recorded result moves a recommendation to; `None` once it is decided.
    pub fn decide(self, awarded: bool) -> Option<HonourStatus> {
        match (self, awarded) {
            (HonourStatus::Recommended, true) => Some(HonourStatus::Awarded),
            (HonourStatus::Recommended, false) => Some(HonourStatus::NotAwarded),
            _ => None,
        }
    }
}

/// The longest reason and note, in characters.
pub const REASON_MAX: usize = 1_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_honour_names_whom_it_is_for_and_parses_back() {
        for h in Honour::ALL {
            assert_eq!(Honour::parse(h.code()), Some(h));
        }
        assert_eq!(Honour::MayDayMedal.subject(), Subject::Person);
        assert_eq!(Honour::PioneerTeam.subject(), Subject::Studio);
        assert_eq!(Honour::InnovationOutcome.subject(), Subject::Outcome);
        assert_eq!(Honour::parse("bonus"), None);
    }

    #[test]
    fn a_recommendation_is_decided_once() {
        let r = HonourStatus::Recommended;
        assert_eq!(r.decide(true), Some(HonourStatus::Awarded));
        assert_eq!(r.decide(false), Some(HonourStatus::NotAwarded));
        assert_eq!(HonourStatus::Awarded.decide(false), None);
        assert_eq!(HonourStatus::NotAwarded.decide(true), None);
    }
}
