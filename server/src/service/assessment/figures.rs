//! The figures an assessment weighs: the studio's platform activity over the round's years,
//! frozen with its self-evaluation, and the self-evaluation they prefill.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::assessment::RoundKind;
use crate::domain::metrics::Period;
use crate::domain::text::grouped;
use crate::error::AppResult;
use crate::store::Db;
use crate::store::assessment::Assessment;
use crate::store::metrics::{self, StudioMetrics};

/// A studio's figures over a round's years (the year, or a cycle's two years).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    /// The years counted: `2026`, or `2025–2026` for a cycle.
    pub years: String,
    pub outcomes: i64,
    pub patents: i64,
    pub benefit_yuan: i64,
    pub challenges_posted: i64,
    pub challenges_claimed: i64,
    pub challenges_solved: i64,
    pub mentorships_active: i64,
    pub mentorships_completed: i64,
    pub mentoring_hours: f64,
    pub events_hosted: i64,
    pub events_attended: i64,
    pub courses: i64,
    pub enrolments: i64,
    /// The studio's size when counted.
    pub members: i64,
}

impl Figures {
    /// Another studio's figures over the same years (an alliance's members).
    fn sum(&mut self, o: &Figures) {
        self.outcomes += o.outcomes;
        self.patents += o.patents;
        self.benefit_yuan += o.benefit_yuan;
        self.challenges_posted += o.challenges_posted;
        self.challenges_claimed += o.challenges_claimed;
        self.challenges_solved += o.challenges_solved;
        self.mentorships_active += o.mentorships_active;
        self.mentorships_completed += o.mentorships_completed;
        self.mentoring_hours += o.mentoring_hours;
        self.events_hosted += o.events_hosted;
        self.events_attended += o.events_attended;
        self.courses += o.courses;
        self.enrolments += o.enrolments;
        self.members += o.members;
    }

    /// The studio's figures of one more year.
    fn add(&mut self, m: &StudioMetrics) {
        self.outcomes += m.outcomes;
        self.patents += m.patents;
        self.benefit_yuan += m.benefit_yuan;
        self.challenges_posted += m.challenges_posted;
        self.challenges_claimed += m.challenges_claimed;
        self.challenges_solved += m.challenges_solved;
        // A pair active across both years is one pair.
        self.mentorships_active = self.mentorships_active.max(m.mentorships_active);
        self.mentorships_completed += m.mentorships_completed;
        self.mentoring_hours += m.mentoring_hours;
        self.events_hosted += m.events_hosted;
        self.events_attended += m.events_attended;
        self.courses += m.courses;
        self.enrolments += m.enrolments;
        self.members = m.members;
    }
}

/// The figures of what an assessment weighs: the studio's, or the sum of an alliance's member
/// studios'.
pub async fn of(db: &Db, a: &Assessment) -> AppResult<Figures> {
    let studios: Vec<i64> = match a.alliance_id {
        Some(alliance) => crate::store::alliances::members(db.reader(), alliance)
            .await?
            .into_iter()
            .map(|m| m.studio_id)
            .collect(),
        None => vec![a.studio_id],
    };
    count(db, &studios, a.round_kind, a.round_year).await
}

/// Counts the studios' figures over the round's years.
pub async fn count(db: &Db, studios: &[i64], kind: RoundKind, year: i64) -> AppResult<Figures> {
    let year = i32::try_from(year).unwrap_or_default();
    let years = kind.years(year);
    let mut f = Figures {
        years: if years.start() == years.end() {
            year.to_string()
        } else {
            format!("{}–{}", years.start(), years.end())
        },
        ..Figures::default()
    };
    for &studio in studios {
        let mut one = Figures::default();
        for y in years.clone() {
            if let Some(p) = Period::of_year(y) {
                one.add(&metrics::of_studio(db.reader(), studio, &p).await?);
            }
        }
        f.sum(&one);
    }
    Ok(f)
}

/// The self-evaluation as the figures tell it, for the leader to complete: what was done in the
/// round's years, in the words of Jieyang art. 9 (training, outcome transformation,
/// demonstration role).
pub fn draft_self_evaluation(f: &Figures) -> String {
    format!(
        "{}年度，工作室发布攻关榜单 {} 项，参与揭榜 {} 项，攻克难题 {} 项；取得创新成果 {} 项\
         （其中专利 {} 项），申报经济效益 {} 元；在带师徒 {} 对，出师 {} 对，带徒 {} 小时；\
         举办活动 {} 场，成员参加活动 {} 人次；开设课程 {} 门，学员 {} 人次；现有成员 {} 人。\
         \n\n制度建设与经费保障：\n\n下一步工作：",
        f.years,
        f.challenges_posted,
        f.challenges_claimed,
        f.challenges_solved,
        f.outcomes,
        f.patents,
        grouped(f.benefit_yuan),
        f.mentorships_active,
        f.mentorships_completed,
        f.mentoring_hours,
        f.events_hosted,
        f.events_attended,
        f.courses,
        f.enrolments,
        f.members,
    )
}
