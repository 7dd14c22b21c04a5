//! Uploaded files on disk under the data dir: event photos, named by a random id so a name
//! says nothing and cannot be guessed, and recognised by their first bytes, not by what the
//! client claims.

use std::path::{Path, PathBuf};

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

fn event_dir(data_dir: &Path, event_id: i64) -> PathBuf {
    data_dir
        .join("uploads")
        .join("events")
        .join(event_id.to_string())
}

/// Writes a photo of an event; answers its file name.
pub async fn save_event_photo(
    data_dir: &Path,
    event_id: i64,
    ext: &str,
    bytes: &[u8],
) -> std::io::Result<String> {
    let dir = event_dir(data_dir, event_id);
    tokio::fs::create_dir_all(&dir).await?;
    let name = format!("{}.{ext}", uuid::Uuid::new_v4().simple());
    tokio::fs::write(dir.join(&name), bytes).await?;
    Ok(name)
}

pub async fn remove_event_photo(data_dir: &Path, event_id: i64, name: &str) {
    if let Some(path) = event_photo_path(data_dir, event_id, name) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

/// The path of a stored photo, for a name this module made (anything else is `None`).
pub fn event_photo_path(data_dir: &Path, event_id: i64, name: &str) -> Option<PathBuf> {
    let (stem, ext) = name.split_once('.')?;
    let stem_ok = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
    let ext_ok = matches!(ext, "jpg" | "png" | "webp");
    (stem_ok && ext_ok).then(|| event_dir(data_dir, event_id).join(name))
}

/// The MIME type of a stored photo by its extension.
pub fn mime_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
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
    fn only_names_made_here_resolve() {
        let d = Path::new("/data");
        let good = format!("{}.jpg", "a".repeat(32));
        assert!(event_photo_path(d, 3, &good).is_some());
        assert!(event_photo_path(d, 3, "../../lianmeng.db").is_none());
        assert!(event_photo_path(d, 3, &format!("{}.html", "a".repeat(32))).is_none());
        assert!(event_photo_path(d, 3, "x.jpg").is_none());
    }
}
