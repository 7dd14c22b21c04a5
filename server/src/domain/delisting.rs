//! Delisting (摘牌): the cases in which a named studio loses its title (Jieyang art. 8).

/// Why a studio is delisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DelistReason {
    /// (一) The leader's unlawful or undisciplined conduct, not replaced or renamed in time.
    Misconduct,
    /// (二) A major production-safety accident or serious occupational harm.
    Accident,
    /// (三) Fraud by the studio or its members to obtain the title.
    Fraud,
    /// (四) Failed checks or assessments, still not working after rectification.
    FailedAssessment,
    /// (五) The unit asks for it, or the title is otherwise not kept.
    UnitRequest,
}

impl DelistReason {
    pub const ALL: [DelistReason; 5] = [
        Self::Misconduct,
        Self::Accident,
        Self::Fraud,
        Self::FailedAssessment,
        Self::UnitRequest,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Misconduct => "misconduct",
            Self::Accident => "accident",
            Self::Fraud => "fraud",
            Self::FailedAssessment => "failed_assessment",
            Self::UnitRequest => "unit_request",
        }
    }

    pub fn parse(code: &str) -> Option<DelistReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The case as Jieyang art. 8 words it, for the audit trail and the notification.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Misconduct => "领衔人有违法违纪行为，未及时更换或更名",
            Self::Accident => "发生重大安全生产事故或严重职业危害",
            Self::Fraud => "弄虚作假，骗取荣誉",
            Self::FailedAssessment => "检查考核不合格，经整改仍不能运转",
            Self::UnitRequest => "所在单位申请摘牌",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DelistReason;

    #[test]
    fn the_five_cases_of_jieyang_art_8_round_trip() {
        for r in DelistReason::ALL {
            assert_eq!(DelistReason::parse(r.code()), Some(r));
        }
        assert_eq!(DelistReason::parse("不合格"), None);
    }
}
