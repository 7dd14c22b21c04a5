//! The onboarding (上线进网) dashboard: per org, online against registered, and who is late.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// Counts of one org's own studios (studios hosted directly by it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub registered: i64,
    pub online: i64,
    pub demo_registered: i64,
    pub demo_online: i64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.registered += o.registered;
        self.online += o.online;
        self.demo_registered += o.demo_registered;
        self.demo_online += o.demo_online;
    }
}

/// One org of the tree as the dashboard needs it.
#[derive(Debug, Clone)]
pub struct OrgNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: String,
    pub path: String,
    pub deadline_demo: Option<String>,
    pub deadline_all: Option<String>,
    pub own: Counts,
}

/// A dashboard row: an org with its subtree's totals and its effective deadlines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgProgress {
    pub org_id: i64,
    pub name: String,
    pub level: String,
    pub depth: usize,
    pub registered: i64,
    pub online: i64,
    pub demo_registered: i64,
    pub demo_online: i64,
    /// Demonstration studios must be online by this date (own or inherited), `YYYY-MM-DD`.
    pub deadline_demo: Option<String>,
    /// All studios must be online by this date (own or inherited).
    pub deadline_all: Option<String>,
    /// A deadline has passed with studios still offline.
    pub late: bool,
    /// Percent of registered studios online (0 when none are registered).
    pub percent_online: u32,
}

/// Rows for the subtree rooted at `nodes[root]`, parents before children, with totals rolled
/// up from descendants and deadlines inherited from the nearest ancestor that sets one.
/// `nodes` must hold the root's ancestors too (for inheritance) and be sorted by path.
pub fn progress(nodes: &[OrgNode], root_id: i64, today: NaiveDate) -> Vec<OrgProgress> {
    let by_id: HashMap<i64, &OrgNode> = nodes.iter().map(|n| (n.id, n)).collect();
    let Some(root) = by_id.get(&root_id) else {
        return Vec::new();
    };
    // The path lists every ancestor's id, so each org adds its own counts up its chain.
    let mut totals: HashMap<i64, Counts> = HashMap::new();
    for node in nodes.iter().filter(|n| n.path.starts_with(&root.path)) {
        for ancestor in path_ids(&node.path) {
            *totals.entry(ancestor).or_default() += node.own;
        }
    }
    let root_depth = depth(&root.path);
    let passed = |d: &Option<String>| {
        d.as_deref()
            .and_then(super::text::parse_date)
            .is_some_and(|d| today > d)
    };
    nodes
        .iter()
        .filter(|n| n.path.starts_with(&root.path))
        .map(|node| {
            let total = totals.get(&node.id).copied().unwrap_or_default();
            let deadline_demo = inherited(&by_id, node, |n| n.deadline_demo.as_deref());
            let deadline_all = inherited(&by_id, node, |n| n.deadline_all.as_deref());
            let late = (passed(&deadline_demo) && total.demo_online < total.demo_registered)
                || (passed(&deadline_all) && total.online < total.registered);
            let percent_online = match total.registered {
                0 => 0,
                r => (total.online * 100 / r) as u32,
            };
            OrgProgress {
                org_id: node.id,
                name: node.name.clone(),
                level: node.level.clone(),
                depth: depth(&node.path) - root_depth,
                registered: total.registered,
                online: total.online,
                demo_registered: total.demo_registered,
                demo_online: total.demo_online,
                deadline_demo,
                deadline_all,
                late,
                percent_online,
            }
        })
        .collect()
}

fn path_ids(path: &str) -> impl Iterator<Item = i64> + '_ {
    path.split('/').filter_map(|s| s.parse().ok())
}

fn depth(path: &str) -> usize {
    path.matches('/').count().saturating_sub(1)
}

/// The value set on `node` or on its nearest ancestor.
fn inherited(
    by_id: &HashMap<i64, &OrgNode>,
    node: &OrgNode,
    get: impl Fn(&OrgNode) -> Option<&str>,
) -> Option<String> {
    let mut current = Some(node);
    while let Some(n) = current {
        if let Some(v) = get(n) {
            return Some(v.to_owned());
        }
        current = n.parent_id.and_then(|pid| by_id.get(&pid).copied());
    }
    None
}

/// An org's own onboarding settings, as a studio's deadline and reminders need them.
#[derive(Debug, Clone)]
pub struct DeadlineNode {
    pub path: String,
    pub deadline_demo: Option<String>,
    pub deadline_all: Option<String>,
    /// Days before a deadline its studios' leaders are reminded, if this org chose.
    pub remind_days: Option<i64>,
}

/// Days before its deadline a leader is reminded when no union above the studio chose.
pub const REMIND_DAYS_DEFAULT: i64 = 7;
/// The longest notice a union may choose.
pub const REMIND_DAYS_MAX: i64 = 90;

/// The deadline that applies to a studio hosted at `unit_path` and how many days before it its
/// leader is reminded. A demonstration studio has the nearest demonstration deadline, or else the
/// nearest general one; any other studio the nearest general one. `nodes` holds the unit's
/// ancestors (others are ignored).
pub fn studio_deadline(
    nodes: &[DeadlineNode],
    unit_path: &str,
    demonstration: bool,
) -> (Option<NaiveDate>, i64) {
    let mut chain: Vec<&DeadlineNode> = nodes
        .iter()
        .filter(|n| unit_path.starts_with(n.path.as_str()))
        .collect();
    chain.sort_by_key(|n| std::cmp::Reverse(n.path.len()));
    let nearest = |pick: fn(&DeadlineNode) -> Option<&String>| {
        chain
            .iter()
            .find_map(|n| pick(n))
            .and_then(|d| crate::domain::text::parse_date(d))
    };
    let demo = demonstration
        .then(|| nearest(|n| n.deadline_demo.as_ref()))
        .flatten();
    let deadline = demo.or_else(|| nearest(|n| n.deadline_all.as_ref()));
    let days = chain
        .iter()
        .find_map(|n| n.remind_days)
        .unwrap_or(REMIND_DAYS_DEFAULT);
    (deadline, days)
}

/// A reminder to a studio still offline (上线进网督导): some days before its deadline, and once
/// the deadline has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    Before,
    After,
}

impl Reminder {
    pub fn code(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
        }
    }

    pub fn parse(code: &str) -> Option<Reminder> {
        [Self::Before, Self::After]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// Which reminder is due on `today` for a studio due online on `deadline`, if any (each is
    /// sent once; the store keeps which were).
    pub fn due(deadline: NaiveDate, today: NaiveDate, days_before: i64) -> Option<Reminder> {
        if today > deadline {
            Some(Self::After)
        } else if today >= deadline - chrono::Duration::days(days_before) {
            Some(Self::Before)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(
        path: &str,
        demo: Option<&str>,
        all: Option<&str>,
        days: Option<i64>,
    ) -> DeadlineNode {
        DeadlineNode {
            path: path.to_owned(),
            deadline_demo: demo.map(str::to_owned),
            deadline_all: all.map(str::to_owned),
            remind_days: days,
        }
    }

    #[test]
    fn a_studio_takes_the_nearest_deadline_and_a_demonstration_studio_its_own_first() {
        let nodes = [
            setting("/1/", Some("2026-06-30"), Some("2026-12-31"), Some(14)),
            setting("/1/2/", None, Some("2026-10-31"), None),
            setting("/9/", Some("2020-01-01"), Some("2020-01-01"), Some(1)),
        ];
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            studio_deadline(&nodes, "/1/2/3/", false),
            (Some(d("2026-10-31")), 14)
        );
        assert_eq!(
            studio_deadline(&nodes, "/1/2/3/", true),
            (Some(d("2026-06-30")), 14)
        );
        assert_eq!(
            studio_deadline(&nodes, "/5/", true),
            (None, REMIND_DAYS_DEFAULT)
        );
    }

    #[test]
    fn a_reminder_is_due_some_days_before_and_after_the_deadline() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let deadline = d("2026-12-31");
        assert_eq!(Reminder::due(deadline, d("2026-12-23"), 7), None);
        assert_eq!(
            Reminder::due(deadline, d("2026-12-24"), 7),
            Some(Reminder::Before)
        );
        assert_eq!(
            Reminder::due(deadline, d("2026-12-31"), 7),
            Some(Reminder::Before)
        );
        assert_eq!(
            Reminder::due(deadline, d("2027-01-01"), 7),
            Some(Reminder::After)
        );
    }

    fn node(id: i64, parent: Option<i64>, path: &str, own: Counts) -> OrgNode {
        OrgNode {
            id,
            parent_id: parent,
            name: format!("org{id}"),
            level: "city".into(),
            path: path.into(),
            deadline_demo: None,
            deadline_all: None,
            own,
        }
    }

    fn counts(registered: i64, online: i64, demo_registered: i64, demo_online: i64) -> Counts {
        Counts {
            registered,
            online,
            demo_registered,
            demo_online,
        }
    }

    #[test]
    fn totals_roll_up_and_deadlines_are_inherited() {
        let mut city = node(1, None, "/1/", Counts::default());
        city.deadline_demo = Some("2026-07-31".into());
        city.deadline_all = Some("2026-08-31".into());
        let nodes = vec![
            city,
            node(2, Some(1), "/1/2/", counts(3, 3, 1, 1)),
            node(3, Some(1), "/1/3/", counts(2, 1, 1, 0)),
        ];
        let july = NaiveDate::from_ymd_opt(2026, 7, 15).unwrap();
        let rows = progress(&nodes, 1, july);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].registered, rows[0].online), (5, 4));
        assert_eq!(rows[0].percent_online, 80);
        assert_eq!(rows[2].deadline_all.as_deref(), Some("2026-08-31"));
        assert!(rows.iter().all(|r| !r.late), "no deadline has passed yet");

        let august = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        let rows = progress(&nodes, 1, august);
        let late: Vec<i64> = rows.iter().filter(|r| r.late).map(|r| r.org_id).collect();
        assert_eq!(late, [1, 3], "org 3's demonstration studio missed 31 July");

        let september = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let rows = progress(&nodes, 3, september);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].depth, 0);
        assert!(rows[0].late);
    }

    #[test]
    fn an_org_with_no_deadline_is_never_late() {
        let nodes = vec![node(1, None, "/1/", counts(4, 0, 0, 0))];
        let rows = progress(&nodes, 1, NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        assert!(!rows[0].late);
        assert_eq!(rows[0].percent_online, 0);
    }
}
