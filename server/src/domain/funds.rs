//! Funds (经费): grants from a union to a studio or an alliance, and the expenses filed against
//! them. The rules come from the union documents:
//! - Jieyang art. 12: 20,000–30,000 yuan per named city studio, 主要用于场地建设、设备购置、人员培训
//!   及宣传推广；
//! - Jieyang art. 13: 资助经费……不得用于接待、餐费、职工福利和奖金发放, kept in the unit union's
//!   account (由所在单位工会管理), separately accounted (单独建账、专款专用) and open to audit;
//! - Shaanxi: a named provincial alliance receives 50,000 yuan once, held by the lead studio's
//!   enterprise union.

use crate::domain::text::grouped;

/// What an expense was spent on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 场地建设.
    Premises,
    /// 设备购置.
    Equipment,
    /// 人员培训.
    Training,
    /// 宣传推广.
    Publicity,
    /// 材料耗材.
    Materials,
    Other,
}

/// The rule an expense category breaks, quoted in the refusal (Jieyang art. 13).
pub const FORBIDDEN_RULE: &str = "资助经费不得用于接待、餐费、职工福利和奖金发放（揭阳市总工会创新工作室管理办法第十三条） / \
     grant funds may not pay for receptions, meals, staff welfare or bonuses (Jieyang art. 13)";

/// Why a category was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryRefusal {
    /// Receptions and meals, staff welfare or bonuses: the rules forbid them.
    Forbidden,
    Unknown,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Self::Premises,
        Self::Equipment,
        Self::Training,
        Self::Publicity,
        Self::Materials,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Premises => "premises",
            Self::Equipment => "equipment",
            Self::Training => "training",
            Self::Publicity => "publicity",
            Self::Materials => "materials",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// A category for an expense: the six the rules allow; `meals` (接待、餐费) and `welfare`
    /// (职工福利、奖金) are forbidden by Jieyang art. 13, anything else unknown.
    pub fn check(code: &str) -> Result<Category, CategoryRefusal> {
        match code {
            "meals" | "welfare" => Err(CategoryRefusal::Forbidden),
            _ => Self::parse(code).ok_or(CategoryRefusal::Unknown),
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Premises => "场地建设",
            Self::Equipment => "设备购置",
            Self::Training => "人员培训",
            Self::Publicity => "宣传推广",
            Self::Materials => "材料耗材",
            Self::Other => "其他",
        }
    }
}

/// Where an expense is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseStatus {
    /// Filed: it holds its amount of the grant while the granting union looks at it.
    Pending,
    /// Approved: a line of the ledger.
    Approved,
    /// Returned with an opinion: its amount goes back to the balance.
    Returned,
}

impl ExpenseStatus {
    pub const ALL: [ExpenseStatus; 3] = [Self::Pending, Self::Approved, Self::Returned];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<ExpenseStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Pending => "待审核",
            Self::Approved => "已核准",
            Self::Returned => "已退回",
        }
    }

    /// The status after `approve` or `return`; only a pending expense is decided.
    pub fn decide(self, approve: bool) -> Option<ExpenseStatus> {
        match (self, approve) {
            (Self::Pending, true) => Some(Self::Approved),
            (Self::Pending, false) => Some(Self::Returned),
            _ => None,
        }
    }

    /// Whether the expense takes its amount from the grant's balance.
    pub fn holds_funds(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

/// The largest grant: 10 million yuan, in fen (far above any union grant; catches a typo).
pub const GRANT_MAX_FEN: i64 = 10_000_000 * 100;
pub const PURPOSE_MAX: usize = 200;
pub const NOTE_MAX: usize = 500;
/// Years a grant may be dated in.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// An amount in fen as yuan with thousands separators: `20,000.00`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", grouped((abs / 100) as i64), abs % 100)
}

/// Parses an amount typed in yuan, as a person writes it: `20000`, `20,000.50`, `2万`,
/// `2.5万元`, `¥300`. `None` for anything else, a negative amount, or more than two decimals.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let t = text.trim().trim_start_matches(['¥', '￥']).trim();
    let t = t.strip_suffix('元').unwrap_or(t).trim();
    let (t, scale) = match t.strip_suffix('万') {
        Some(rest) => (rest.trim(), 10_000i64),
        None => (t, 1),
    };
    let t: String = t.chars().filter(|c| *c != ',' && *c != '，').collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The fraction in fen: two places in yuan, six in 万 (1万元 is 1,000,000 fen).
    let places = if scale == 1 { 2 } else { 6 };
    if frac.len() > places {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac_fen: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<places$}").parse().ok()?
    };
    whole
        .checked_mul(scale)?
        .checked_mul(100)?
        .checked_add(frac_fen)
}

/// One line of a grant's ledger with the balance after it: the grant comes in, approved
/// expenses go out; pending and returned ones are listed but move nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub balance_fen: i64,
    pub moved: bool,
}

/// The running balance after each expense, in the order given.
pub fn running(amount_fen: i64, lines: &[(ExpenseStatus, i64)]) -> Vec<Running> {
    let mut balance = amount_fen;
    lines
        .iter()
        .map(|&(status, fen)| {
            let moved = status == ExpenseStatus::Approved;
            if moved {
                balance -= fen;
            }
            Running {
                balance_fen: balance,
                moved,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jieyang_art_13_forbids_receptions_meals_welfare_and_bonuses() {
        assert_eq!(Category::check("meals"), Err(CategoryRefusal::Forbidden));
        assert_eq!(Category::check("welfare"), Err(CategoryRefusal::Forbidden));
        assert_eq!(Category::check("travel"), Err(CategoryRefusal::Unknown));
        assert_eq!(Category::check("equipment"), Ok(Category::Equipment));
        assert!(FORBIDDEN_RULE.contains("第十三条"));
    }

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        for s in ExpenseStatus::ALL {
            assert_eq!(ExpenseStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn only_a_pending_expense_is_decided() {
        use ExpenseStatus::*;
        assert_eq!(Pending.decide(true), Some(Approved));
        assert_eq!(Pending.decide(false), Some(Returned));
        assert_eq!(Approved.decide(false), None);
        assert_eq!(Returned.decide(true), None);
        assert!(Pending.holds_funds() && Approved.holds_funds() && !Returned.holds_funds());
    }

    #[test]
    fn yuan_shows_separators_and_fen() {
        assert_eq!(yuan(2_000_000), "20,000.00");
        assert_eq!(yuan(500_000_005), "5,000,000.05");
        assert_eq!(yuan(99), "0.99");
        assert_eq!(yuan(-150), "-1.50");
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_yuan("20000"), Some(2_000_000));
        assert_eq!(parse_yuan("20,000.5"), Some(2_000_050));
        assert_eq!(parse_yuan("2万"), Some(2_000_000));
        assert_eq!(parse_yuan("2.5万元"), Some(2_500_000));
        assert_eq!(parse_yuan("¥300"), Some(30_000));
        assert_eq!(parse_yuan("0.01"), Some(1));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("-5"), None);
        assert_eq!(parse_yuan("五千"), None);
        assert_eq!(parse_yuan(""), None);
        assert_eq!(parse_yuan("99999999999999999999"), None);
    }

    #[test]
    fn the_running_balance_moves_only_on_approved_lines() {
        use ExpenseStatus::*;
        let r = running(
            3_000_000,
            &[
                (Approved, 1_000_000),
                (Pending, 500_000),
                (Returned, 200_000),
                (Approved, 300_000),
            ],
        );
        let balances: Vec<i64> = r.iter().map(|x| x.balance_fen).collect();
        assert_eq!(balances, [2_000_000, 2_000_000, 2_000_000, 1_700_000]);
        assert!(!r[1].moved && r[3].moved);
    }
}
