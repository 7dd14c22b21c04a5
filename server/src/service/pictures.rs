//! A studio's photo or logo (by those who edit its profile) and a person's own portrait: the
//! upload is checked and resized off the async threads, both sizes are written, the record
//! points to the new picture in one transaction, and only then is the old one removed.

use std::path::Path;

use crate::auth::{Actor, policy};
use crate::error::{AppError, AppResult};
use crate::outbox::{Entity, Op};
use crate::pictures::{self, PictureError};
use crate::service::studios;
use crate::store::{Db, audit, outbox, users};

/// Resizes and writes an upload; answers the new picture's name.
async fn keep(data_dir: &Path, bytes: Vec<u8>) -> AppResult<String> {
    if bytes.len() > pictures::MAX_BYTES {
        return Err(AppError::too_large());
    }
    let resized = pictures::resize_in_turn(bytes).await.map_err(|e| match e {
        PictureError::NotAPicture => AppError::invalid_field(
            "file",
            "请选择 JPG、PNG 或 WebP 图片 / a JPEG, PNG or WebP picture",
        ),
        PictureError::TooLarge => AppError::invalid_field(
            "file",
            "图片尺寸过大，请缩小后再传 / the picture is too large to open",
        ),
    })?;
    pictures::save(data_dir, &resized)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing a picture: {e}")))
}

/// Sets (or with `None`, removes) a studio's picture; answers the new name.
pub async fn set_studio(
    db: &Db,
    data_dir: &Path,
    actor: &Actor,
    studio_id: i64,
    upload: Option<Vec<u8>>,
) -> AppResult<Option<String>> {
    let studio = studios::get(db, Some(actor), studio_id).await?;
    policy::edit_studio(actor, &studio)?;
    let new = match upload {
        Some(bytes) => Some(keep(data_dir, bytes).await?),
        None => None,
    };
    let written = async {
        let mut tx = db.begin().await?;
        let old = crate::store::studios::set_picture(&mut tx, studio_id, new.as_deref()).await?;
        outbox::append(&mut tx, Entity::Studio, studio_id, Op::Update).await?;
        let action = if new.is_some() {
            "picture"
        } else {
            "remove_picture"
        };
        audit::record(&mut tx, Some(actor.id()), action, "studio", studio_id, "").await?;
        tx.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    finish(data_dir, new, written).await
}

/// Sets (or with `None`, removes) the reader's own portrait; answers the new name.
pub async fn set_portrait(
    db: &Db,
    data_dir: &Path,
    actor: &Actor,
    upload: Option<Vec<u8>>,
) -> AppResult<Option<String>> {
    let new = match upload {
        Some(bytes) => Some(keep(data_dir, bytes).await?),
        None => None,
    };
    let written = async {
        let mut tx = db.begin().await?;
        let old = users::set_portrait(&mut tx, actor.id(), new.as_deref()).await?;
        let action = if new.is_some() {
            "portrait"
        } else {
            "remove_portrait"
        };
        audit::record(&mut tx, Some(actor.id()), action, "user", actor.id(), "").await?;
        tx.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    finish(data_dir, new, written).await
}

/// After the record is written: the replaced picture goes; if writing failed, the new one does.
async fn finish(
    data_dir: &Path,
    new: Option<String>,
    written: AppResult<Option<String>>,
) -> AppResult<Option<String>> {
    match written {
        Ok(old) => {
            if let Some(old) = old {
                pictures::remove(data_dir, &old).await;
            }
            Ok(new)
        }
        Err(e) => {
            if let Some(new) = &new {
                pictures::remove(data_dir, new).await;
            }
            Err(e)
        }
    }
}
