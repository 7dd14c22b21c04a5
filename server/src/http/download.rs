//! Files sent to the browser: spreadsheets and stored uploads, named in Chinese (RFC 5987)
//! with an ASCII fallback, never cached by a shared cache.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The xlsx MIME type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An xlsx workbook to save, named `name.xlsx`.
pub fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    file(&format!("{name}.xlsx"), XLSX, bytes, false)
}

/// A file: shown in the browser when `inline` (an image), otherwise saved.
pub fn file(name: &str, mime: &str, bytes: Vec<u8>, inline: bool) -> Response {
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
        bytes,
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
