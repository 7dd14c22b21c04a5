//! Extractors whose rejections are problem documents: malformed JSON is 400, a body over the
//! limit 413, a wrong field type 422, a non-numeric id 404.

use std::net::SocketAddr;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

/// A JSON body that may be left out: a step with nothing to say comes without one and reads as
/// `T::default()`. A body that is there is read as [`ApiJson`] reads it (400, 413, 422).
pub struct ApiJsonOrEmpty<T>(pub T);

impl<S, T> FromRequest<S> for ApiJsonOrEmpty<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| json_rejection(JsonRejection::from(e)))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        axum::Json::<T>::from_bytes(&bytes)
            .map(|axum::Json(v)| ApiJsonOrEmpty(v))
            .map_err(json_rejection)
    }
}

fn json_rejection(r: JsonRejection) -> AppError {
    match r {
        JsonRejection::JsonDataError(e) => {
            let detail = e.body_text();
            let field = field_of(&detail);
            AppError::invalid_field(&field, detail)
        }
        JsonRejection::JsonSyntaxError(e) => AppError::bad_request("malformed_json", e.body_text()),
        JsonRejection::MissingJsonContentType(_) => AppError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            Some("expected Content-Type: application/json".to_owned()),
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::too_large()
        }
        other => AppError::client(other.status(), "bad_request", Some(other.body_text())),
    }
}

/// serde names the bad field as "…: field_name: …" or "missing field `x`"; pull it out.
fn field_of(detail: &str) -> String {
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().unwrap_or("body").to_owned();
    }
    detail
        .split(": ")
        .nth(1)
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 40
                && s.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '[' || c == ']'
                })
        })
        .unwrap_or("body")
        .to_owned()
}

/// Path parameters; anything that does not parse is a 404 (no such resource).
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(AppError::not_found()),
            Err(other) => Err(AppError::Internal(anyhow::anyhow!(
                "path: {}",
                other.body_text()
            ))),
        }
    }
}

/// Query string; a value of the wrong type is a 422.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                let detail = e.body_text();
                Err(AppError::invalid_field(&field_of(&detail), detail))
            }
            Err(other) => Err(AppError::bad_request("bad_query", other.body_text())),
        }
    }
}

/// The client's address (the TCP peer), for per-address limits.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        Ok(ClientAddr(ip))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bad_field_is_named() {
        assert_eq!(
            super::field_of(
                "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 2"
            ),
            "name"
        );
        assert_eq!(
            super::field_of(
                "Failed to deserialize the JSON body into the target type: org_id: invalid type: string \"x\", expected i64 at line 1 column 14"
            ),
            "org_id"
        );
        assert_eq!(super::field_of("something else"), "body");
    }
}
