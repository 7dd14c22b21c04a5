//! One error type for the whole server, answered as an RFC 9457 problem document.

use std::fmt;
use std::sync::Arc;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::error::RuleError;

/// A field that failed validation, with a human-readable reason.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The body of every error answer (`application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `invalid_field`, `username_taken`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a wrong lifecycle step: the status the entity is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<String>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

/// What can go wrong while serving a request.
#[derive(Debug)]
pub enum AppError {
    /// A client error with its status and code.
    Client(Box<Problem>),
    /// Anything else: answered as an opaque 500; the cause is logged, never sent.
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn client(status: StatusCode, code: &str, detail: impl Into<Option<String>>) -> Self {
        AppError::Client(Box::new(Problem {
            type_uri: format!("/problems/{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: code.to_owned(),
            detail: detail.into(),
            errors: Vec::new(),
            current_status: None,
            retry_after: None,
        }))
    }

    pub fn bad_request(code: &str, detail: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, code, Some(detail.into()))
    }

    pub fn unauthorized() -> Self {
        Self::client(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            Some("请先登录 / sign in first".to_owned()),
        )
    }

    pub fn forbidden() -> Self {
        Self::client(
            StatusCode::FORBIDDEN,
            "forbidden",
            Some("无权执行此操作 / not allowed".to_owned()),
        )
    }

    pub fn not_found() -> Self {
        Self::client(StatusCode::NOT_FOUND, "not_found", None)
    }

    pub fn conflict(code: &str, detail: impl Into<String>) -> Self {
        Self::client(StatusCode::CONFLICT, code, Some(detail.into()))
    }

    /// A lifecycle step not allowed from `current`.
    pub fn wrong_state(current: &str, action: &str) -> Self {
        let mut err = Self::conflict(
            "invalid_transition",
            format!("cannot {action} while status is {current}"),
        );
        if let AppError::Client(p) = &mut err {
            p.current_status = Some(current.to_owned());
        }
        err
    }

    /// 422 naming every invalid field.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        let detail = format!("invalid fields: {}", names.join(", "));
        let mut err = Self::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(detail),
        );
        if let AppError::Client(p) = &mut err {
            p.errors = errors;
        }
        err
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError::new(field, message)])
    }

    pub fn too_large() -> Self {
        Self::client(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            Some("request body is over the limit".to_owned()),
        )
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut err = Self::client(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            Some("尝试次数过多，请稍后再试 / too many attempts, try again later".to_owned()),
        );
        if let AppError::Client(p) = &mut err {
            p.retry_after = Some(retry_after_secs.max(1));
        }
        err
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Client(p) => {
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST)
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document to send.
    pub fn problem(&self) -> Problem {
        match self {
            AppError::Client(p) => (**p).clone(),
            AppError::Internal(_) => Problem {
                type_uri: "/problems/internal".to_owned(),
                title: "Internal Server Error".to_owned(),
                status: 500,
                code: "internal".to_owned(),
                detail: None,
                errors: Vec::new(),
                current_status: None,
                retry_after: None,
            },
        }
    }

    /// The field names of a 422, for forms that mark them.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Client(p) => &p.errors,
            AppError::Internal(_) => &[],
        }
    }

    pub fn code(&self) -> &str {
        match self {
            AppError::Client(p) => &p.code,
            AppError::Internal(_) => "internal",
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Client(p) => write!(f, "{} {}", p.status, p.code),
            AppError::Internal(e) => write!(f, "internal: {e:#}"),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::not_found(),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<RuleError> for AppError {
    fn from(err: RuleError) -> Self {
        match err {
            RuleError::Invalid(violations) => AppError::invalid(
                violations
                    .into_iter()
                    .map(|v| FieldError::new(v.field, v.message))
                    .collect(),
            ),
            RuleError::WrongState { current, action } => AppError::wrong_state(current, action),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

/// Attached to a 500 answer so the logging middleware can report the cause.
#[derive(Clone, Debug)]
pub struct InternalCause(pub Arc<String>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        let status = self.status();
        let mut res = (status, Json(&problem)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = problem.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let AppError::Internal(cause) = self {
            res.extensions_mut()
                .insert(InternalCause(Arc::new(format!("{cause:#}"))));
        }
        res
    }
}
