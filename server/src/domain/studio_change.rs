//! Changes to a named studio (动态管理, Jieyang art. 7): when its leader leaves, retires or dies,
//! its name, its leader or its title itself changes only on a request of the unit's union that
//! applied for it, reviewed by the union between and approved by the naming union.

/// What a change request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 更换领衔人 (and, usually, the name that carries the leader's).
    LeaderChange,
    /// 更改名称.
    Rename,
    /// 取消: the studio gives up its title.
    Cancel,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [Self::LeaderChange, Self::Rename, Self::Cancel];

    pub fn code(self) -> &'static str {
        match self {
            Self::LeaderChange => "leader_change",
            Self::Rename => "rename",
            Self::Cancel => "cancel",
        }
    }

    pub fn parse(code: &str) -> Option<ChangeKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::LeaderChange => "更换领衔人",
            Self::Rename => "更改名称",
            Self::Cancel => "取消命名",
        }
    }
}

/// Where a change request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Filed by the unit's union: the union between reviews it (审核).
    Pending,
    /// Reviewed: the naming union approves it (审批).
    Reviewed,
    /// Approved and applied to the studio.
    Approved,
    Rejected,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 4] = [
        Self::Pending,
        Self::Reviewed,
        Self::Approved,
        Self::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Reviewed => "reviewed",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<ChangeStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待审核",
            Self::Reviewed => "待审批",
            Self::Approved => "已批准",
            Self::Rejected => "未批准",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Reviewed)
    }

    /// Approval moves a pending request to review, or straight to approved when no union lies
    /// between the unit and the naming union (the naming union then both reviews and approves).
    pub fn approve(self, union_between: bool) -> Option<ChangeStatus> {
        match self {
            Self::Pending if union_between => Some(Self::Reviewed),
            Self::Pending | Self::Reviewed => Some(Self::Approved),
            Self::Approved | Self::Rejected => None,
        }
    }

    pub fn reject(self) -> Option<ChangeStatus> {
        self.is_open().then_some(Self::Rejected)
    }
}

/// The longest new name.
pub const NAME_MAX: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jieyang_art_7_goes_through_the_union_between_then_the_naming_union() {
        let s = ChangeStatus::Pending.approve(true).unwrap();
        assert_eq!(s, ChangeStatus::Reviewed);
        assert_eq!(s.approve(true), Some(ChangeStatus::Approved));
        assert_eq!(
            ChangeStatus::Pending.approve(false),
            Some(ChangeStatus::Approved)
        );
        assert_eq!(ChangeStatus::Approved.approve(true), None);
        assert_eq!(ChangeStatus::Approved.reject(), None);
        assert_eq!(
            ChangeStatus::Reviewed.reject(),
            Some(ChangeStatus::Rejected)
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(k.code()), Some(k));
        }
        for s in ChangeStatus::ALL {
            assert_eq!(ChangeStatus::parse(s.code()), Some(s));
        }
    }
}
