//! The union tree: org levels and where each may hang.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Level of a union org, from the national industry union down to an enterprise union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    NationalIndustry,
    Province,
    City,
    District,
    Industry,
    Enterprise,
}

impl OrgLevel {
    pub const ALL: [OrgLevel; 6] = [
        OrgLevel::NationalIndustry,
        OrgLevel::Province,
        OrgLevel::City,
        OrgLevel::District,
        OrgLevel::Industry,
        OrgLevel::Enterprise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgLevel::NationalIndustry => "national_industry",
            OrgLevel::Province => "province",
            OrgLevel::City => "city",
            OrgLevel::District => "district",
            OrgLevel::Industry => "industry",
            OrgLevel::Enterprise => "enterprise",
        }
    }

    pub fn parse(code: &str) -> Option<OrgLevel> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OrgLevel::NationalIndustry => "全国产业工会",
            OrgLevel::Province => "省总工会",
            OrgLevel::City => "市总工会",
            OrgLevel::District => "区县工会",
            OrgLevel::Industry => "产业工会",
            OrgLevel::Enterprise => "基层单位工会",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            OrgLevel::NationalIndustry => "National industry union",
            OrgLevel::Province => "Provincial union",
            OrgLevel::City => "City union",
            OrgLevel::District => "District union",
            OrgLevel::Industry => "Industry union",
            OrgLevel::Enterprise => "Unit union",
        }
    }

    /// Depth in the tree; district and industry unions sit side by side.
    /// The level a new child of this org most likely has: the next one down (a province's
    /// cities, a city's districts, a district's or industry union's enterprises).
    pub fn next_down(self) -> OrgLevel {
        match self {
            OrgLevel::NationalIndustry => OrgLevel::Industry,
            OrgLevel::Province => OrgLevel::City,
            OrgLevel::City => OrgLevel::District,
            OrgLevel::District | OrgLevel::Industry | OrgLevel::Enterprise => OrgLevel::Enterprise,
        }
    }

    fn rank(self) -> u8 {
        match self {
            OrgLevel::NationalIndustry => 0,
            OrgLevel::Province => 1,
            OrgLevel::City => 2,
            OrgLevel::District | OrgLevel::Industry => 3,
            OrgLevel::Enterprise => 4,
        }
    }
}

/// Whether an org of level `child` may hang under `parent` (None = a root).
/// Roots are national industry unions and provincial unions; below that, each level sits
/// strictly deeper than its parent (a provincial industry union under a province is fine).
pub fn may_hang_under(child: OrgLevel, parent: Option<OrgLevel>) -> bool {
    match parent {
        None => matches!(child, OrgLevel::NationalIndustry | OrgLevel::Province),
        Some(p) => child.rank() > p.rank(),
    }
}

/// Materialised path of an org: `/1/5/9/`. Subtree tests become prefix tests.
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// Whether the org at `path` lies in the subtree rooted at `root_path` (itself included).
pub fn in_subtree(path: &str, root_path: &str) -> bool {
    path.starts_with(root_path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrgLevel::*;

    #[test]
    fn levels_round_trip_through_their_codes() {
        for l in OrgLevel::ALL {
            assert_eq!(OrgLevel::parse(l.code()), Some(l));
        }
        assert_eq!(OrgLevel::parse("village"), None);
    }

    #[test]
    fn the_tree_goes_down_from_province_to_enterprise() {
        assert!(may_hang_under(Province, None));
        assert!(may_hang_under(NationalIndustry, None));
        assert!(!may_hang_under(Enterprise, None));
        assert!(may_hang_under(City, Some(Province)));
        assert!(may_hang_under(District, Some(City)));
        assert!(may_hang_under(Industry, Some(City)));
        assert!(may_hang_under(Industry, Some(Province)));
        assert!(may_hang_under(Enterprise, Some(District)));
        assert!(may_hang_under(Enterprise, Some(NationalIndustry)));
        assert!(!may_hang_under(Province, Some(City)));
        assert!(!may_hang_under(District, Some(Industry)));
        assert!(!may_hang_under(Enterprise, Some(Enterprise)));
    }

    #[test]
    fn subtree_is_a_path_prefix() {
        let p = child_path(None, 1);
        let c = child_path(Some(&p), 12);
        assert_eq!(c, "/1/12/");
        assert!(in_subtree(&c, &p));
        assert!(!in_subtree("/11/", &p), "id 11 is not under id 1");
    }

    #[test]
    fn a_new_child_defaults_to_the_next_level_down_and_may_hang_there() {
        for level in OrgLevel::ALL.into_iter().filter(|l| *l != Enterprise) {
            assert!(may_hang_under(level.next_down(), Some(level)), "{level:?}");
        }
        assert_eq!(Province.next_down(), City);
    }
}
