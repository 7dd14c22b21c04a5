//! Files sent to the browser: spreadsheets and stored uploads, named in Chinese (RFC 5987)
//! with an ASCII fallback, never cached by a shared cache.

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;

use crate::service::spreadsheet::Spreadsheet;

/// The xlsx MIME type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An xlsx workbook to save, named `name.xlsx`, streamed from its file in chunks.
pub fn xlsx(name: &str, sheet: Spreadsheet) -> Response {
    let file = sheet.into_file();
    let length = file.metadata().map(|m| m.len()).ok();
    let chunks =
        futures_util::stream::unfold(Some(tokio::fs::File::from_std(file)), |file| async move {
            let mut file = file?;
            let mut buf = vec![0u8; 64 * 1024];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), Some(file)))
                }
                // The error ends the body; nothing is read after it.
                Err(e) => Some((Err(e), None)),
            }
        });
    let mut response = file_response(
        &format!("{name}.xlsx"),
        XLSX,
        Body::from_stream(chunks),
        false,
    );
    if let Some(n) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, header::HeaderValue::from(n));
    }
    response
}

/// A file: shown in the browser when `inline` (an image), otherwise saved.
pub fn file(name: &str, mime: &str, bytes: Vec<u8>, inline: bool) -> Response {
    file_response(name, mime, Body::from(bytes), inline)
}

fn file_response(name: &str, mime: &str, body: Body, inline: bool) -> Response {
    let how = if inline { "inline" } else { "attachment" };
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("bin");
    let ascii_ext: String = ext.chars().filter(char::is_ascii_alphanumeric).collect();
    let disposition = format!(
        "{how}; filename=\"download.{ascii_ext}\"; filename*=UTF-8''{}",
        percent(name)
    );
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// RFC 5987 `attr-char`s kept, every other byte percent-encoded.
fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_percent_encoded() {
        assert_eq!(percent("台账 1.xlsx"), "%E5%8F%B0%E8%B4%A6%201.xlsx");
        assert_eq!(percent("a\"b"), "a%22b");
    }
}
