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
/// The widest or tallest picture decoded.
const MAX_SIDE: u32 = 12_000;
/// The most pixels decoded (a 48-megapixel phone photo fits): a small, highly compressed file
/// could otherwise unpack to gigabytes. Checked from the header, before decoding.
const MAX_PIXELS: u64 = 50_000_000;
/// The most memory decoding may take (the decoded picture itself, at four bytes a pixel).
const MAX_ALLOC: u64 = 4 * MAX_PIXELS + 16 * 1024 * 1024;
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
    let reader = || {
        ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|_| PictureError::NotAPicture)
    };
    let (w, h) = reader()?
        .into_dimensions()
        .map_err(|_| PictureError::NotAPicture)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PictureError::TooLarge);
    }
    let mut reader = reader()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        _ => PictureError::NotAPicture,
    })?;
    // Scaled first, then flattened: only the decoded picture is ever full size in memory.
    let page = on_white(&fit(image, PAGE_SIDE, FilterType::CatmullRom));
    let list = on_white(&fit(page.clone().into(), LIST_SIDE, FilterType::Triangle));
    Ok(Resized {
        page: jpeg(&page),
        list: jpeg(&list),
    })
}

/// The picture without transparency: a logo's clear parts become white, not black.
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
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
fn fit(image: DynamicImage, side: u32, filter: FilterType) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    if w.max(h) <= side {
        return image;
    }
    let scale = f64::from(side) / f64::from(w.max(h));
    let nw = ((f64::from(w) * scale).round() as u32).max(1);
    let nh = ((f64::from(h) * scale).round() as u32).max(1);
    image.resize_exact(nw, nh, filter)
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
        let written = async {
            tokio::fs::write(&tmp, bytes).await?;
            tokio::fs::rename(&tmp, dir.join(&file)).await
        }
        .await;
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&tmp).await;
            remove(data_dir, &name).await;
            return Err(e);
        }
    }
    Ok(name)
}

/// At most two pictures are resized at once: each takes a core and up to the decoded size in
/// memory, so a burst of uploads waits instead of exhausting either.
static RESIZING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// [`resize`] off the async threads, two at a time.
pub async fn resize_in_turn(bytes: Vec<u8>) -> Result<Resized, PictureError> {
    let _turn = RESIZING
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || resize(&bytes))
        .await
        .unwrap_or(Err(PictureError::NotAPicture))
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

    /// A PNG that is only a header claiming `w` × `h` pixels, with no data (a "decompression
    /// bomb" is read this far before anything is unpacked).
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut c = 0xFFFF_FFFFu32;
            for &b in bytes {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xEDB8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        out.extend(13u32.to_be_bytes());
        out.extend(&ihdr);
        out.extend(crc(&ihdr).to_be_bytes());
        // An empty first data chunk: the header is read up to it.
        out.extend(0u32.to_be_bytes());
        out.extend(b"IDAT");
        out.extend(crc(b"IDAT").to_be_bytes());
        out
    }

    #[test]
    fn a_picture_of_too_many_pixels_is_refused_before_it_is_decoded() {
        assert!(matches!(
            resize(&png_header(10_000, 8_000)),
            Err(PictureError::TooLarge)
        ));
        assert!(matches!(
            resize(&png(13_000, 2)),
            Err(PictureError::TooLarge)
        ));
        // Within the limits, the same header is just a broken picture.
        assert!(matches!(
            resize(&png_header(100, 80)),
            Err(PictureError::NotAPicture)
        ));
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
