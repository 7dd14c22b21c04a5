//! The rules of challenge and claim input: lengths, deadlines, rewards, team shares, ratings.

use super::challenge::ClaimMode;
use super::text::Checks;

/// Limits of challenge and claim input, in characters.
pub mod limits {
    pub const TITLE: usize = 80;
    pub const DESCRIPTION: usize = 20_000;
    pub const TAGS: usize = 10;
    pub const TAG: usize = 20;
    pub const PROPOSAL: usize = 10_000;
    pub const NOTE: usize = 5_000;
    pub const REWARD_MAX: i64 = 100_000_000;
    pub const TEAM: usize = 30;
}

/// Whether a challenge may still be backed: published and its work not yet accepted.
pub fn takes_backers(status: super::challenge::ChallengeStatus) -> bool {
    use super::challenge::ChallengeStatus as S;
    matches!(status, S::Open | S::Awarded | S::InProgress | S::Delivered)
}

/// A backing (挂帅) of a challenge by a union or an enterprise: a whole number of yuan added to
/// the reward, taken while the work is still to be done (published, not yet accepted).
pub fn check_backing(status: super::challenge::ChallengeStatus, amount_yuan: i64, c: &mut Checks) {
    if !(1..=limits::REWARD_MAX).contains(&amount_yuan) {
        c.fail(
            "amount_yuan",
            "挂帅奖励须为 1 元至 1 亿元 / from 1 to 100,000,000 yuan",
        );
    }
    if !takes_backers(status) {
        c.fail(
            "challenge",
            "只能为已发布、尚未验收的榜单挂帅 / only a published challenge not yet accepted can be backed",
        );
    }
}

/// The fields of a new challenge.
#[derive(Debug)]
pub struct ChallengeDraft<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub industry: &'a str,
    pub tags: &'a [String],
    /// `YYYY-MM-DD`, if any.
    pub deadline: Option<&'a str>,
    pub reward_yuan: Option<i64>,
    pub visibility: &'a str,
    pub claim_mode: &'a str,
}

/// Checks a challenge draft against `today` (deadlines must lie ahead).
pub fn check_challenge(d: &ChallengeDraft<'_>, today: chrono::NaiveDate, c: &mut Checks) {
    use limits::*;
    c.required("title", d.title, TITLE);
    c.required("description", d.description, DESCRIPTION);
    if !d.industry.is_empty() && !super::studio::is_industry(d.industry) {
        c.fail("industry", "未知的行业 / unknown industry");
    }
    if d.tags.len() > TAGS {
        c.fail("tags", format!("最多 {TAGS} 个标签 / at most {TAGS} tags"));
    }
    for tag in d.tags {
        if tag.trim().is_empty() || tag.chars().count() > TAG || tag.chars().any(char::is_control) {
            c.fail(
                "tags",
                format!("每个标签 1–{TAG} 个字 / each tag 1–{TAG} characters"),
            );
        }
    }
    if let Some(deadline) = d.deadline {
        match super::text::parse_date(deadline) {
            None => c.fail("deadline", "日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD"),
            Some(day) if day <= today => {
                c.fail("deadline", "截止日期须晚于今天 / must be after today")
            }
            Some(_) => {}
        }
    }
    if let Some(r) = d.reward_yuan
        && !(0..=REWARD_MAX).contains(&r)
    {
        c.fail(
            "reward_yuan",
            "奖励金额须为 0 至 1 亿元 / must be 0 to 100,000,000",
        );
    }
    if !["public", "alliance"].contains(&d.visibility) {
        c.fail(
            "visibility",
            "应为 public 或 alliance / must be public or alliance",
        );
    }
    if ClaimMode::parse(d.claim_mode).is_none() {
        c.fail(
            "claim_mode",
            "应为 exclusive 或 parallel / must be exclusive or parallel",
        );
    }
}

/// A team member's declared share of the work, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub user_id: i64,
    pub percent: i64,
}

/// Shares are 1–100 each, name each person once, and add up to at most 100.
pub fn check_shares(shares: &[Share], c: &mut Checks) {
    if shares.len() > limits::TEAM {
        c.fail(
            "members",
            format!(
                "团队最多 {} 人 / at most {} people",
                limits::TEAM,
                limits::TEAM
            ),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for s in shares {
        if !(1..=100).contains(&s.percent) {
            c.fail(
                "members",
                "每人分工占比须为 1–100 / each share must be 1–100",
            );
        }
        if !seen.insert(s.user_id) {
            c.fail("members", "同一人不能重复列出 / a person is listed twice");
        }
    }
    let total: i64 = shares.iter().map(|s| s.percent.clamp(0, 100)).sum();
    if total > 100 {
        c.fail(
            "members",
            format!("分工合计 {total}% 超过 100% / shares add up to more than 100%"),
        );
    }
}

/// A rating of an accepted delivery: 1 to 5.
pub fn check_rating(rating: i64, c: &mut Checks) {
    if !(1..=5).contains(&rating) {
        c.fail("rating", "评分须为 1–5 / rating must be 1–5");
    }
}

/// Progress in percent: 0 to 100.
pub fn check_percent(percent: i64, c: &mut Checks) {
    if !(0..=100).contains(&percent) {
        c.fail("percent", "进度须为 0–100 / percent must be 0–100");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(c: Checks) -> Vec<String> {
        c.into_errors().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn bad_challenge_input_names_each_field() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let long = "长".repeat(100_000);
        let tags = vec!["焊缝".to_owned(), "".to_owned()];
        let d = ChallengeDraft {
            title: "",
            description: &long,
            industry: "mining",
            tags: &tags,
            deadline: Some("2026-11-21"),
            reward_yuan: Some(-1),
            visibility: "secret",
            claim_mode: "horse_race",
        };
        let mut c = Checks::new();
        check_challenge(&d, today, &mut c);
        assert_eq!(
            fields(c),
            [
                "title",
                "description",
                "industry",
                "tags",
                "deadline",
                "reward_yuan",
                "visibility",
                "claim_mode"
            ]
        );
        let good = ChallengeDraft {
            title: "大型铸件焊缝超声波探伤漏检率高",
            description: "近半年焊缝返修率上升",
            industry: "machinery",
            tags: &["焊缝".to_owned(), "探伤".to_owned()],
            deadline: Some("2026-12-31"),
            reward_yuan: Some(50_000),
            visibility: "public",
            claim_mode: "parallel",
        };
        let mut c = Checks::new();
        check_challenge(&good, today, &mut c);
        assert!(c.is_empty());
    }

    #[test]
    fn shares_add_up_to_at_most_a_hundred() {
        let ok = [
            Share {
                user_id: 1,
                percent: 60,
            },
            Share {
                user_id: 2,
                percent: 40,
            },
        ];
        let mut c = Checks::new();
        check_shares(&ok, &mut c);
        assert!(c.is_empty());
        let over = [
            Share {
                user_id: 1,
                percent: 70,
            },
            Share {
                user_id: 2,
                percent: 40,
            },
        ];
        let mut c = Checks::new();
        check_shares(&over, &mut c);
        assert_eq!(fields(c), ["members"]);
        let twice = [
            Share {
                user_id: 1,
                percent: 10,
            },
            Share {
                user_id: 1,
                percent: 10,
            },
        ];
        let mut c = Checks::new();
        check_shares(&twice, &mut c);
        assert_eq!(fields(c), ["members"]);
    }

    #[test]
    fn ratings_and_percentages_are_bounded() {
        let mut c = Checks::new();
        check_rating(7, &mut c);
        check_percent(101, &mut c);
        assert_eq!(fields(c), ["rating", "percent"]);
        let mut c = Checks::new();
        check_rating(5, &mut c);
        check_percent(0, &mut c);
        assert!(c.is_empty());
    }

    #[test]
    fn a_backing_adds_yuan_to_work_still_to_be_done() {
        use crate::domain::challenge::ChallengeStatus as S;
        let fields = |status, amount| {
            let mut c = Checks::new();
            check_backing(status, amount, &mut c);
            c.into_errors()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert!(fields(S::Open, 50_000).is_empty());
        assert!(fields(S::Delivered, 1).is_empty());
        assert_eq!(fields(S::Open, 0), ["amount_yuan"]);
        assert_eq!(fields(S::Draft, 50_000), ["challenge"]);
        assert_eq!(fields(S::Accepted, 50_000), ["challenge"]);
    }
}
