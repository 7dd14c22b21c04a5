//! Courses (在线学习 / 大讲堂): lessons of text or a link to a video, and progress.

use super::text::Checks;

pub const MAX_LESSONS: usize = 100;
pub const MAX_MINUTES: i64 = 600;

/// One lesson as entered.
#[derive(Debug)]
pub struct LessonDraft<'a> {
    pub title: &'a str,
    pub body_or_url: &'a str,
    pub minutes: i64,
}

/// Whether a lesson is a link (to a video or an attachment) rather than text.
pub fn is_link(body_or_url: &str) -> bool {
    let b = body_or_url.trim();
    (b.starts_with("https://") || b.starts_with("http://")) && !b.contains(char::is_whitespace)
}

pub fn check_course(title: &str, description: &str, lessons: &[LessonDraft<'_>], c: &mut Checks) {
    c.required("title", title, 100);
    c.max_len("description", description, 5_000);
    if lessons.is_empty() || lessons.len() > MAX_LESSONS {
        c.fail(
            "lessons",
            format!("课程应有 1 到 {MAX_LESSONS} 节课 / 1 to {MAX_LESSONS} lessons"),
        );
    }
    for (i, l) in lessons.iter().enumerate() {
        let n = i + 1;
        c.required(&format!("lessons[{n}].title"), l.title, 100);
        c.required(&format!("lessons[{n}].body_or_url"), l.body_or_url, 20_000);
        if !(0..=MAX_MINUTES).contains(&l.minutes) {
            c.fail(
                &format!("lessons[{n}].minutes"),
                "时长应在 0 到 600 分钟之间 / 0 to 600 minutes",
            );
        }
    }
}

/// Study time (学时) in minutes: (done, total), from each lesson's (number, minutes) and the
/// numbers of the lessons done.
pub fn study_minutes(lessons: &[(i64, i64)], done: &[i64]) -> (i64, i64) {
    lessons.iter().fold((0, 0), |(d, t), (n, m)| {
        (if done.contains(n) { d + m } else { d }, t + m)
    })
}

/// Whole percent of `done` lessons out of `total`.
pub fn progress_percent(done: usize, total: usize) -> i64 {
    (done.min(total) * 100).checked_div(total).unwrap_or(0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_are_checked_one_by_one() {
        let ok = LessonDraft {
            title: "第一讲 安全规程",
            body_or_url: "https://video.example.cn/lesson1.mp4",
            minutes: 45,
        };
        let bad = LessonDraft {
            title: "",
            body_or_url: "讲义",
            minutes: 601,
        };
        let mut c = Checks::new();
        check_course("电力电缆附件安装", "", &[ok, bad], &mut c);
        let fields: Vec<String> = c.into_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["lessons[2].title", "lessons[2].minutes"]);
        let mut c = Checks::new();
        check_course("空课程", "", &[], &mut c);
        assert!(!c.is_empty());
    }

    #[test]
    fn links_and_progress() {
        assert!(is_link(" https://v.example.cn/a.mp4 "));
        assert!(!is_link("请阅读 https://v.example.cn/a.mp4"));
        assert_eq!(progress_percent(1, 3), 33);
        assert_eq!(progress_percent(3, 3), 100);
        assert_eq!(progress_percent(0, 0), 0);
    }

    #[test]
    fn study_time_counts_the_lessons_done() {
        let lessons = [(1, 30), (2, 45), (3, 50)];
        assert_eq!(study_minutes(&lessons, &[1, 2]), (75, 125));
        assert_eq!(study_minutes(&lessons, &[]), (0, 125));
        assert_eq!(study_minutes(&[], &[1]), (0, 0));
    }
}
