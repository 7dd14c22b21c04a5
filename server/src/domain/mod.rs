//! Pure rules: enums, lifecycles and validation. No I/O, no SQL.

/// A lifecycle status prints as its stored code (`in_progress`), e.g. in a page's CSS class.
macro_rules! display_as_code {
    ($($ty:ty),+) => {
        $(impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        })+
    };
}

pub mod alliance;
pub mod assessment;
pub mod attachment;
pub mod challenge;
pub mod challenge_rules;
pub mod chat;
pub mod course;
pub mod delisting;
pub mod error;
pub mod event;
pub mod funds;
pub mod honours;
pub mod invitation;
pub mod mentorship;
pub mod metrics;
pub mod naming;
pub mod naming_evidence;
pub mod onboarding;
pub mod org;
pub mod org_request;
pub mod outcome;
pub mod project;
pub mod reports;
pub mod request;
pub mod staleness;
pub mod studio;
pub mod studio_change;
pub mod studio_import;
pub mod subtree_figures;
pub mod text;
pub mod user;

display_as_code!(
    alliance::AllianceStatus,
    alliance::RequestStatus,
    challenge::ChallengeStatus,
    challenge::ClaimStatus,
    funds::Category,
    funds::ExpenseStatus,
    honours::HonourStatus,
    reports::Period,
    event::RegistrationStatus,
    mentorship::MentorshipStatus,
    assessment::AssessmentStatus,
    naming::ApplicationStatus,
    studio::StudioStatus
);
