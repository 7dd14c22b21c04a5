//! What a rule refuses, in the domain's own terms. The rules know nothing of HTTP: the one
//! `From<RuleError> for AppError` in `crate::error` decides how a refusal is answered.

use std::fmt;

/// One field that failed its check, with a reason a person can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub message: String,
}

/// A refusal by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// One or more fields failed their checks (every one is named).
    Invalid(Vec<Violation>),
    /// A lifecycle step that the entity's current status does not allow.
    WrongState {
        current: &'static str,
        action: &'static str,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Invalid(v) => {
                let names: Vec<&str> = v.iter().map(|v| v.field.as_str()).collect();
                write!(f, "invalid fields: {}", names.join(", "))
            }
            RuleError::WrongState { current, action } => {
                write!(f, "cannot {action} while status is {current}")
            }
        }
    }
}

impl std::error::Error for RuleError {}
