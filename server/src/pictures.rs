//! Pictures of studios and people (a studio's photo or logo, a portrait): decoded within limits,
//! resized once on upload to a page size and a list size, kept as JPEG under random names in
//! `uploads/pictures`, and served with long cache lifetimes (a new picture gets a new name, so
//! a cached one never goes stale).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageReader, Limits, Rgb, RgbImage};

/// The largest upload accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest side of the picture shown on a page, in pixels.
pub const PAGE_SIDE: u32 = 1200;
/// The longest side of the picture shown in lists (cards, member rows), in pixels.
pub const LIST_SIDE: u32 = 320;
/// The widest or tallest picture decoded: a bigger one could take too much memory.
const MAX_SIDE: u32 = 12_000;
/// The most memory decoding may take.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of what is kept.
const QUALITY: u8 = 82;

/// Why a picture was refused.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("not a JPEG, PNG or WebP picture")]
    NotAPicture,
    #[error("the picture is too large to open")]
    TooLarge,
}

/// A picture made ready to keep: the page size and the list size, as JPEG.
pub struct Resized {
    pub page: Vec<u8>,
    pub list: Vec<u8>,
}

/// Decodes a JPEG, PNG or WebP upload and makes its two sizes (never enlarging it). Slow: run
/// it off the async threads.
pub fn resize(bytes: &[u8]) -> Result<Resized, PictureError> {
    if crate::files::image_kind(bytes).is_none() {
        return Err(PictureError::NotAPicture);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PictureError::NotAPicture)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        _ => PictureError::NotAPicture,
    })?;
    let rgb = on_white(&image);
    Ok(Resized {
        page: jpeg(&fit(&rgb, PAGE_SIDE, FilterType::CatmullRom)),
        list: jpeg(&fit(&rgb, LIST_SIDE, FilterType::Triangle)),
    })
}

/// The picture without transparency: a logo's clear parts become white, not black.
fn on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (x, y, p) in rgba.enumerate_pixels() {
        let a = u32::from(p[3]);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a)) / 255) as u8;
        out.put_pixel(x, y, Rgb([mix(p[0]), mix(p[1]), mix(p[2])]));
    }
    out
}

/// The picture scaled so its longest side is at most `side` (kept as it is when smaller).
fn fit(image: &RgbImage, side: u32, filter: FilterType) -> RgbImage {
    let (w, h) = image.dimensions();
    if w.max(h) <= side {
        return image.clone();
    }
    let scale = f64::from(side) / f64::from(w.max(h));
    let nw = ((f64::from(w) * scale).round() as u32).max(1);
    let nh = ((f64::from(h) * scale).round() as u32).max(1);
    image::imageops::resize(image, nw, nh, filter)
}

fn jpeg(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, QUALITY);
    encoder
        .encode_image(image)
        .expect("encoding an RGB image into memory cannot fail");
    out
}

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("uploads").join("pictures")
}

/// Writes both sizes under a new random name; answers the name (32 hex digits).
pub async fn save(data_dir: &Path, resized: &Resized) -> std::io::Result<String> {
    let dir = dir(data_dir);
    tokio::fs::create_dir_all(&dir).await?;
    let name = uuid::Uuid::new_v4().simple().to_string();
    for (file, bytes) in [
        (format!("{name}.jpg"), &resized.page),
        (format!("{name}-s.jpg"), &resized.list),
    ] {
        let tmp = dir.join(format!(".{file}.tmp"));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, dir.join(file)).await?;
    }
    Ok(name)
}

/// Removes both sizes of a picture (what is already gone is fine).
pub async fn remove(data_dir: &Path, name: &str) {
    for file in [format!("{name}.jpg"), format!("{name}-s.jpg")] {
        if let Some(path) = path(data_dir, &file) {
            let _ = tokio::fs::remove_file(path).await;
        }
    }
}

/// The file of a served picture: `NAME.jpg` or `NAME-s.jpg`, NAME being 32 hex digits.
/// Anything else names no file.
pub fn path(data_dir: &Path, file: &str) -> Option<PathBuf> {
    let stem = file.strip_suffix(".jpg")?;
    let name = stem.strip_suffix("-s").unwrap_or(stem);
    let plain = name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    plain.then(|| dir(data_dir).join(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let img =
            image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([200, 40, 30, (x % 256) as u8]));
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    fn side(jpeg: &[u8]) -> (u32, u32) {
        image::load_from_memory(jpeg)
            .unwrap()
            .into_rgb8()
            .dimensions()
    }

    #[test]
    fn a_large_picture_gets_a_page_size_and_a_list_size_and_a_small_one_is_not_enlarged() {
        let r = resize(&png(2400, 1200)).unwrap();
        assert_eq!(side(&r.page), (1200, 600));
        assert_eq!(side(&r.list), (320, 160));
        let r = resize(&png(200, 100)).unwrap();
        assert_eq!(side(&r.page), (200, 100));
        assert_eq!(side(&r.list), (200, 100));
    }

    #[test]
    fn what_is_not_a_picture_is_refused() {
        assert!(matches!(
            resize(b"%PDF-1.4"),
            Err(PictureError::NotAPicture)
        ));
        // A PNG signature with nothing after it.
        let broken = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        assert!(matches!(resize(&broken), Err(PictureError::NotAPicture)));
    }

    #[test]
    fn served_names_are_random_names_only() {
        let dir = Path::new("/data");
        let name = "0123456789abcdef0123456789abcdef";
        assert!(path(dir, &format!("{name}.jpg")).is_some());
        assert!(path(dir, &format!("{name}-s.jpg")).is_some());
        for bad in [
            "../etc/passwd",
            "x.jpg",
            &format!("{name}.png"),
            &format!("../{name}.jpg"),
        ] {
            assert!(path(dir, bad).is_none(), "{bad}");
        }
    }
}
