//! Courses on the wire (在线学习).

use crate::service::courses as svc;
use crate::store::courses;

use super::all;

wire! {
    /// A course of a studio, an alliance or a union.
    pub struct Course from courses::Course {
        id: i64,
        studio_id: Option<i64>,
        alliance_id: Option<i64>,
        /// The hosting union, if a union hosts it.
        org_id: Option<i64>,
        host_name: String,
        author_id: i64,
        title: String,
        description: String,
        lesson_count: i64,
        enrolled: i64,
        created_at: String,
    }
}

wire! {
    /// A lesson of a course.
    pub struct Lesson from courses::Lesson {
        n: i64,
        title: String,
        body_or_url: String,
        minutes: i64,
    }
}

wire! {
    /// A course with its lessons and the reader's progress.
    pub struct CourseDetail from svc::CourseDetail {
        #[serde(flatten)]
        course: Course => Course::from,
        lessons: Vec<Lesson> => all,
        /// Whether the reader is enrolled (`enrolled` is the course's count of learners).
        reader_enrolled: bool,
        /// Lesson numbers the reader has completed.
        completed: Vec<i64>,
        progress_percent: i64,
        /// The reader's study time so far, in minutes (学时).
        minutes_done: i64,
        /// The course's study time, in minutes.
        minutes_total: i64,
    }
}
