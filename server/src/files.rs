//! Uploaded files on disk under the data dir: event photos, expense receipts and the files
//! attached to bulletins and reports, named by a
//! random id so a name says nothing and cannot be guessed, and recognised by their first bytes,
//! not by what the client claims.

use std::path::{Path, PathBuf};

use crate::domain::attachment::Owner;

/// The largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Photos one event may keep.
pub const MAX_PHOTOS_PER_EVENT: i64 = 20;

/// An image type the platform keeps: (MIME type, file extension).
pub fn image_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(("image/png", "png")),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(("image/webp", "webp")),
        _ => None,
    }
}

/// The largest receipt accepted (a phone photo or a scanned PDF).
pub const MAX_RECEIPT_BYTES: usize = 10 * 1024 * 1024;
/// Receipts one expense may keep.
pub const MAX_RECEIPTS_PER_EXPENSE: i64 = 10;
/// The longest file name kept beside a receipt, in characters.
pub const FILE_NAME_MAX: usize = 100;

/// A receipt type the platform keeps: an image, or a PDF.
pub fn receipt_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", "pdf"));
    }
    image_kind(bytes)
}

/// The name a person gave an uploaded file, if it is a plain name: no path, no control
/// characters, not empty, at most [`FILE_NAME_MAX`] characters.
pub fn plain_file_name(name: &str) -> Option<&str> {
    let name = name.trim();
    let plain = !name.is_empty()
        && name.chars().count() <= FILE_NAME_MAX
        && !name.contains(['/', '\\'])
        && !name.starts_with('.')
        && !name.chars().any(char::is_control);
    plain.then_some(name)
}

fn event_dir(data_dir: &Path, event_id: i64) -> PathBuf {
    data_dir
        .join("uploads")
        .join("events")
        .join(event_id.to_string())
}

fn receipt_dir(data_dir: &Path, expense_id: i64) -> PathBuf {
    data_dir
        .join("uploads")
        .join("receipts")
        .join(expense_id.to_string())
}

/// Writes `bytes` into `dir` under a random name with the extension; answers the name.
async fn save_in(dir: PathBuf, ext: &str, bytes: &[u8]) -> std::io::Result<String> {
    tokio::fs::create_dir_all(&dir).await?;
    let name = random_name(ext);
    tokio::fs::write(dir.join(&name), bytes).await?;
    Ok(name)
}

/// A random stored name with the extension.
fn random_name(ext: &str) -> String {
    format!("{}.{ext}", uuid::Uuid::new_v4().simple())
}

/// Whether `name` is one this module made with one of `exts`.
fn made_here(name: &str, exts: &[&str]) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && exts.contains(&ext)
}

/// Writes a receipt of an expense; answers its stored name.
pub async fn save_receipt(
    data_dir: &Path,
    expense_id: i64,
    ext: &str,
    bytes: &[u8],
) -> std::io::Result<String> {
    save_in(receipt_dir(data_dir, expense_id), ext, bytes).await
}

pub async fn remove_receipt(data_dir: &Path, expense_id: i64, name: &str) {
    if let Some(path) = receipt_path(data_dir, expense_id, name) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

/// The path of a stored receipt, for a name this module made (anything else is `None`).
pub fn receipt_path(data_dir: &Path, expense_id: i64, name: &str) -> Option<PathBuf> {
    made_here(name, &["jpg", "png", "webp", "pdf"])
        .then(|| receipt_dir(data_dir, expense_id).join(name))
}

/// Writes a file attached to a record (in the owner kind's folder, under the record's id);
/// answers its stored name.
pub async fn save_attachment(
    data_dir: &Path,
    owner: Owner,
    owner_id: i64,
    ext: &str,
    bytes: &[u8],
) -> std::io::Result<String> {
    save_in(attachment_dir(data_dir, owner, owner_id), ext, bytes).await
}

pub async fn remove_attachment(data_dir: &Path, owner: Owner, owner_id: i64, name: &str) {
    if let Some(path) = attachment_path(data_dir, owner, owner_id, name) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

/// Removes every file attached to a record (its folder).
pub async fn remove_attachments_of(data_dir: &Path, owner: Owner, owner_id: i64) {
    let _ = tokio::fs::remove_dir_all(attachment_dir(data_dir, owner, owner_id)).await;
}

/// The path of an attached file, for a name this module made (anything else is `None`).
pub fn attachment_path(
    data_dir: &Path,
    owner: Owner,
    owner_id: i64,
    name: &str,
) -> Option<PathBuf> {
    made_here(name, owner.exts()).then(|| attachment_dir(data_dir, owner, owner_id).join(name))
}

fn attachment_dir(data_dir: &Path, owner: Owner, owner_id: i64) -> PathBuf {
    data_dir
        .join("uploads")
        .join(owner.dir())
        .join(owner_id.to_string())
}

/// Writes a photo of an event; answers its file name.
pub async fn save_event_photo(
    data_dir: &Path,
    event_id: i64,
    ext: &str,
    bytes: &[u8],
) -> std::io::Result<String> {
    save_in(event_dir(data_dir, event_id), ext, bytes).await
}

pub async fn remove_event_photo(data_dir: &Path, event_id: i64, name: &str) {
    if let Some(path) = event_photo_path(data_dir, event_id, name) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

/// The path of a stored photo, for a name this module made (anything else is `None`).
pub fn event_photo_path(data_dir: &Path, event_id: i64, name: &str) -> Option<PathBuf> {
    made_here(name, &["jpg", "png", "webp"]).then(|| event_dir(data_dir, event_id).join(name))
}

/// The MIME type of a stored photo by its extension.
pub fn mime_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        _ => "image/jpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(
            image_kind(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(("image/jpeg", "jpg"))
        );
        assert_eq!(
            image_kind(b"\x89PNG\r\n\x1a\n....").map(|k| k.1),
            Some("png")
        );
        assert_eq!(
            image_kind(b"RIFF\0\0\0\0WEBPVP8 ").map(|k| k.1),
            Some("webp")
        );
        assert_eq!(image_kind(b"<svg onload=alert(1)>"), None);
        assert_eq!(image_kind(b"GIF89a"), None);
    }

    #[test]
    fn receipts_are_images_or_pdf() {
        assert_eq!(receipt_kind(b"%PDF-1.7\n").map(|k| k.1), Some("pdf"));
        assert_eq!(
            receipt_kind(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|k| k.1),
            Some("jpg")
        );
        assert_eq!(receipt_kind(b"PK\x03\x04"), None);
        assert_eq!(receipt_kind(b"<html>"), None);
    }

    #[test]
    fn a_file_name_with_a_path_is_not_plain() {
        assert_eq!(plain_file_name(" 发票-设备.pdf "), Some("发票-设备.pdf"));
        assert_eq!(plain_file_name("../../etc/passwd"), None);
        assert_eq!(plain_file_name("C:\\Users\\a.pdf"), None);
        assert_eq!(plain_file_name(".htaccess"), None);
        assert_eq!(plain_file_name("a\nb.pdf"), None);
        assert_eq!(plain_file_name(""), None);
        assert_eq!(plain_file_name(&"票".repeat(101)), None);
        let d = Path::new("/data");
        assert!(receipt_path(d, 1, &format!("{}.pdf", "b".repeat(32))).is_some());
        assert!(receipt_path(d, 1, "../x.pdf").is_none());
    }

    #[test]
    fn only_names_made_here_resolve() {
        let d = Path::new("/data");
        let good = format!("{}.jpg", "a".repeat(32));
        assert!(event_photo_path(d, 3, &good).is_some());
        assert!(event_photo_path(d, 3, "../../lianmeng.db").is_none());
        assert!(event_photo_path(d, 3, &format!("{}.html", "a".repeat(32))).is_none());
        assert!(event_photo_path(d, 3, "x.jpg").is_none());
    }
}
