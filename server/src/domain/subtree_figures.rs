//! Supervision (督导, Zhengzhou 001): a union's figures for a year, per child org, each the sum
//! of the child's whole subtree. The store counts what each org's own studios did; this module
//! rolls those counts up the tree.

use serde::Serialize;
use utoipa::ToSchema;

/// What one org's studios did in a year. Money is in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Figures {
    /// Challenges published in the year.
    pub challenges_posted: i64,
    /// Challenges accepted in the year (by their poster's org).
    pub challenges_solved: i64,
    /// Outcomes of the year (by their own year).
    pub outcomes: i64,
    /// Adoptions recorded in the year (by the outcome's studio's org).
    pub adoptions: i64,
    /// Mentoring pairs whose period overlaps the year.
    pub mentorships: i64,
    /// Minutes of mentoring sessions dated in the year.
    pub mentoring_minutes: i64,
    /// Events hosted by its studios, starting in the year.
    pub events: i64,
    /// Reports missing for the last due period, as of today.
    pub reports_overdue: i64,
    /// Grants of the year held in its accounts.
    pub granted_fen: i64,
    /// Approved expenses against those grants.
    pub spent_fen: i64,
}

/// The figures a store query counts, by the code it tags its rows with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    ChallengesPosted,
    ChallengesSolved,
    Outcomes,
    Adoptions,
    Mentorships,
    MentoringMinutes,
    Events,
    ReportsOverdue,
    GrantedFen,
    SpentFen,
}

impl Figure {
    pub const ALL: [Figure; 10] = [
        Figure::ChallengesPosted,
        Figure::ChallengesSolved,
        Figure::Outcomes,
        Figure::Adoptions,
        Figure::Mentorships,
        Figure::MentoringMinutes,
        Figure::Events,
        Figure::ReportsOverdue,
        Figure::GrantedFen,
        Figure::SpentFen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Figure::ChallengesPosted => "challenges_posted",
            Figure::ChallengesSolved => "challenges_solved",
            Figure::Outcomes => "outcomes",
            Figure::Adoptions => "adoptions",
            Figure::Mentorships => "mentorships",
            Figure::MentoringMinutes => "mentoring_minutes",
            Figure::Events => "events",
            Figure::ReportsOverdue => "reports_overdue",
            Figure::GrantedFen => "granted_fen",
            Figure::SpentFen => "spent_fen",
        }
    }

    pub fn parse(code: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.code() == code)
    }
}

impl Figures {
    fn slot(&mut self, f: Figure) -> &mut i64 {
        match f {
            Figure::ChallengesPosted => &mut self.challenges_posted,
            Figure::ChallengesSolved => &mut self.challenges_solved,
            Figure::Outcomes => &mut self.outcomes,
            Figure::Adoptions => &mut self.adoptions,
            Figure::Mentorships => &mut self.mentorships,
            Figure::MentoringMinutes => &mut self.mentoring_minutes,
            Figure::Events => &mut self.events,
            Figure::ReportsOverdue => &mut self.reports_overdue,
            Figure::GrantedFen => &mut self.granted_fen,
            Figure::SpentFen => &mut self.spent_fen,
        }
    }

    /// Adds `n` to one figure.
    pub fn add(&mut self, f: Figure, n: i64) {
        *self.slot(f) += n;
    }

    /// The value of one figure.
    pub fn get(&self, f: Figure) -> i64 {
        let mut copy = *self;
        *copy.slot(f)
    }
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, o: Figures) {
        for f in Figure::ALL {
            self.add(f, o.get(f));
        }
    }
}

/// An org's own figures, with its materialised path (`/1/4/`).
#[derive(Debug, Clone)]
pub struct OwnFigures {
    pub org_id: i64,
    pub path: String,
    pub figures: Figures,
}

/// The totals of the subtree at `path`: the own figures of every org whose path starts with it.
pub fn subtree_total(path: &str, own: &[OwnFigures]) -> Figures {
    let mut total = Figures::default();
    for o in own.iter().filter(|o| o.path.starts_with(path)) {
        total += o.figures;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(org_id: i64, path: &str, posted: i64, granted_fen: i64) -> OwnFigures {
        let mut figures = Figures::default();
        figures.add(Figure::ChallengesPosted, posted);
        figures.add(Figure::GrantedFen, granted_fen);
        OwnFigures {
            org_id,
            path: path.to_owned(),
            figures,
        }
    }

    #[test]
    fn a_child_counts_its_whole_subtree_and_nothing_beside_it() {
        let figures = [
            own(1, "/1/", 1, 0),
            own(2, "/1/2/", 2, 100),
            own(5, "/1/2/5/", 3, 2_000_000),
            own(3, "/1/3/", 7, 0),
            // `/1/22/` must not be counted under `/1/2/`: paths end with a slash.
            own(22, "/1/22/", 11, 0),
        ];
        let two = subtree_total("/1/2/", &figures);
        assert_eq!(two.challenges_posted, 5);
        assert_eq!(two.granted_fen, 2_000_100);
        assert_eq!(subtree_total("/1/", &figures).challenges_posted, 24);
    }

    #[test]
    fn every_figure_has_a_code_that_parses_back() {
        for f in Figure::ALL {
            assert_eq!(Figure::parse(f.code()), Some(f));
        }
        assert_eq!(Figure::parse("benefit"), None);
    }
}
