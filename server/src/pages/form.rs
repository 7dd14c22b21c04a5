//! Form posts: the body extractor, numbers from fields, and which refusals a form shows again
//! with their field errors.

use axum::http::StatusCode;

use super::PageError;
use crate::error::{AppError, FieldError};

/// A whole number from a form field; empty is `None`, anything else a 422 naming the field.
pub fn number(field: &str, v: &str) -> Result<Option<i64>, AppError> {
    match v.trim() {
        "" => Ok(None),
        n => n
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid_field(field, "应为整数 / must be a whole number")),
    }
}

/// The field errors of a failed step, or its detail as one line.
pub fn problem_fields(e: &AppError) -> Vec<FieldError> {
    let fields = e.field_errors().to_vec();
    if fields.is_empty() {
        vec![FieldError::new(
            e.code(),
            e.problem().detail.unwrap_or_default(),
        )]
    } else {
        fields
    }
}

/// Which refusals of a form step come back on the form, for the person to put right; the rest
/// fail the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Invalid fields only (422).
    Invalid,
    /// A conflict, invalid fields or a limit (409, 422, 429).
    Refusals,
    /// Every client error but a forbidden step (403).
    NotForbidden,
    /// Every client error but a forbidden step or a missing thing (403, 404).
    NotForbiddenOrMissing,
    /// Every client error but a missing thing or a missing sign-in (404, 401).
    NotMissing,
    /// Every client error.
    AnyClient,
}

/// Sorts a failed form step: the error back when `shown` puts it on the form again, else the
/// page's error (so a handler writes `let e = refused(e, Shown::Invalid)?;` and re-renders).
pub fn refused(e: AppError, shown: Shown) -> Result<AppError, PageError> {
    let AppError::Client(_) = &e else {
        return Err(PageError(e));
    };
    let status = e.status();
    let on_form = match shown {
        Shown::Invalid => status == StatusCode::UNPROCESSABLE_ENTITY,
        Shown::Refusals => matches!(status.as_u16(), 409 | 422 | 429),
        Shown::NotForbidden => status != StatusCode::FORBIDDEN,
        Shown::NotForbiddenOrMissing => {
            status != StatusCode::FORBIDDEN && status != StatusCode::NOT_FOUND
        }
        Shown::NotMissing => status != StatusCode::NOT_FOUND && status != StatusCode::UNAUTHORIZED,
        Shown::AnyClient => true,
    };
    if on_form { Ok(e) } else { Err(PageError(e)) }
}

/// Field errors of a failed form, by field name, for the template.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A urlencoded form body; a malformed one is a 400 page.
pub struct PageForm<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for PageForm<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::too_large().into())
            }
            Err(r) => Err(AppError::bad_request("bad_form", r.body_text()).into()),
        }
    }
}
