//! What the platform already knows about a naming condition (Jieyang art. 5): for each item of a
//! batch's checklist, the studio's own data where they speak to it, so that the applicant
//! confirms what the data show and answers for the rest by hand.

/// The studio's facts the checklist is read against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Whole years since the studio was founded, if its founding date is known.
    pub years_running: Option<i64>,
    pub premises_m2: Option<i64>,
    /// Lines of its equipment list.
    pub equipment_items: usize,
    pub mentorships_active: i64,
    pub mentorships_completed: i64,
    pub courses: i64,
    /// This year's outcomes and patents.
    pub outcomes: i64,
    pub patents: i64,
    pub events_hosted: i64,
    pub challenges_solved: i64,
}

/// What the data say about one condition: the sentence shown beside it, and whether they meet
/// it (the box is then ticked for the applicant to confirm). `None` when the platform has
/// nothing on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub text: String,
    pub met: bool,
}

/// Reads one condition against the facts, by what it asks about.
pub fn evidence(condition: &str, f: &Facts) -> Option<Evidence> {
    let asks = |words: &[&str]| words.iter().any(|w| condition.contains(w));
    if asks(&["两年", "2年", "二年"]) {
        return Some(match f.years_running {
            Some(y) => Evidence {
                text: format!("平台资料：工作室已运行 {y} 年"),
                met: y >= 2,
            },
            None => Evidence {
                text: "平台资料未填创建时间".to_owned(),
                met: false,
            },
        });
    }
    if asks(&["工作平台", "场所", "设备设施"]) {
        return Some(Evidence {
            text: match f.premises_m2 {
                Some(m) => format!(
                    "平台资料：场地 {m} 平方米，主要设备 {} 项",
                    f.equipment_items
                ),
                None => "平台资料未填工作场地".to_owned(),
            },
            met: f.premises_m2.is_some() && f.equipment_items > 0,
        });
    }
    if asks(&["培养机制", "导师带徒", "师带徒"]) {
        return Some(Evidence {
            text: format!(
                "平台数据：在带师徒 {} 对，出师 {} 对，开设课程 {} 门",
                f.mentorships_active, f.mentorships_completed, f.courses
            ),
            met: f.mentorships_active + f.mentorships_completed + f.courses > 0,
        });
    }
    if asks(&["创新成果", "专利"]) {
        return Some(Evidence {
            text: format!(
                "平台数据：本年度创新成果 {} 项（专利 {} 项）",
                f.outcomes, f.patents
            ),
            met: f.outcomes >= 1,
        });
    }
    if asks(&["示范"]) {
        return Some(Evidence {
            text: format!(
                "平台数据：本年度举办活动 {} 场，攻克难题 {} 项",
                f.events_hosted, f.challenges_solved
            ),
            met: f.events_hosted + f.challenges_solved > 0,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::naming::DEFAULT_CONDITIONS;

    #[test]
    fn jieyang_art_5_conditions_are_read_against_the_studios_data() {
        let f = Facts {
            years_running: Some(12),
            premises_m2: Some(160),
            equipment_items: 3,
            mentorships_active: 2,
            outcomes: 1,
            ..Facts::default()
        };
        let read: Vec<Option<bool>> = DEFAULT_CONDITIONS
            .iter()
            .map(|c| evidence(c, &f).map(|e| e.met))
            .collect();
        assert_eq!(
            read,
            [
                Some(true),  // a team of two years and more
                Some(true),  // premises and equipment
                None,        // a plan: the applicant answers
                None,        // working rules
                Some(true),  // training and mentoring
                None,        // funding
                Some(true),  // outcomes
                Some(false), // demonstration: no events or solved challenges this year
                None,        // not an existing R&D unit
            ]
        );
    }

    #[test]
    fn a_young_studio_does_not_meet_the_two_years() {
        let f = Facts {
            years_running: Some(1),
            ..Facts::default()
        };
        let e = evidence(DEFAULT_CONDITIONS[0], &f).unwrap();
        assert!(!e.met);
        assert!(e.text.contains("1 年"));
    }
}
