//! Pure rules: enums, lifecycles and validation. No I/O, no SQL.

pub mod alliance;
pub mod challenge;
pub mod challenge_rules;
pub mod chat;
pub mod course;
pub mod error;
pub mod event;
pub mod mentorship;
pub mod onboarding;
pub mod org;
pub mod outcome;
pub mod staleness;
pub mod studio;
pub mod text;
pub mod user;
