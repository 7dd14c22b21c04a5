//! Files attached to bulletins (pictures, added by the sending union's staff), to progress
//! reports (images or PDF, added by the person who filed it or the studio's leader) and to
//! outcomes (certificate scans, photos, PDFs, added by the studio's people). Checked by their
//! first bytes, size and name; read by whoever may read the record (an outcome's by anyone).

use crate::auth::{Actor, policy};
use crate::domain::attachment::Owner;
use crate::error::{AppError, AppResult};
use crate::files;
use crate::service::{Created, bulletins, reports};
use crate::store::attachments::{self as store, Attachment, NewAttachment};
use crate::store::{Db, audit, outcomes};

/// Checks that the reader may read the record (404 otherwise; 401 for a bulletin's or a
/// report's file without a sign-in).
async fn readable(db: &Db, actor: Option<&Actor>, owner: Owner, owner_id: i64) -> AppResult<()> {
    let signed_in = || actor.ok_or_else(AppError::unauthorized);
    match owner {
        Owner::Bulletin => bulletins::get(db, signed_in()?, owner_id).await.map(|_| ()),
        Owner::Report => reports::get(db, signed_in()?, owner_id).await.map(|_| ()),
        Owner::Outcome => outcome(db, owner_id).await.map(|_| ()),
    }
}

async fn outcome(db: &Db, id: i64) -> AppResult<outcomes::Outcome> {
    outcomes::find(db.reader(), id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Checks that the reader may add files to the record (404 if they cannot read it, 403 if
/// they can but may not add).
async fn attachable(db: &Db, actor: &Actor, owner: Owner, owner_id: i64) -> AppResult<()> {
    match owner {
        Owner::Bulletin => {
            let b = bulletins::get(db, actor, owner_id).await?;
            Ok(policy::illustrate_bulletin(actor, &b.org_path)?)
        }
        Owner::Report => {
            let r = reports::get(db, actor, owner_id).await?;
            Ok(policy::attach_to_report(actor, r.filed_by, r.studio_id)?)
        }
        Owner::Outcome => Ok(policy::outcomes::edit(
            actor,
            &outcome(db, owner_id).await?,
        )?),
    }
}

/// Checks a file for a record before anything is written: its size, its name (kept if plain)
/// and its type by its first bytes. Answers the plain name, the MIME type and the extension.
pub fn check<'a>(
    owner: Owner,
    file_name: &'a str,
    bytes: &[u8],
) -> AppResult<(&'a str, &'static str, &'static str)> {
    if bytes.len() > owner.max_bytes() {
        return Err(AppError::too_large());
    }
    let Some(original) = files::plain_file_name(file_name) else {
        return Err(AppError::invalid_field(
            "file",
            "文件名不能含路径，且不超过 100 字 / a plain file name, without a path",
        ));
    };
    let kind = if owner.takes_pdf() {
        files::receipt_kind(bytes)
    } else {
        files::image_kind(bytes)
    };
    let Some((mime, ext)) = kind else {
        return Err(AppError::invalid_field("file", owner.wrong_type()));
    };
    Ok((original, mime, ext))
}

/// Adds a file to a record. A wrong type, an oversize file, a file name with a path or one
/// file too many is refused and nothing is stored.
pub async fn add(
    db: &Db,
    data_dir: &std::path::Path,
    actor: &Actor,
    owner: Owner,
    owner_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Created> {
    attachable(db, actor, owner, owner_id).await?;
    let (original, mime, ext) = check(owner, file_name, bytes)?;
    let name = files::save_attachment(data_dir, owner, owner_id, ext, bytes)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing an attachment: {e}")))?;
    let written = async {
        let mut tx = db.begin().await?;
        if store::count(&mut tx, owner, owner_id).await? >= owner.max_count() {
            return Err(AppError::conflict("too_many_files", owner.too_many()));
        }
        let id = store::insert(
            &mut tx,
            &NewAttachment {
                owner,
                owner_id,
                file_name: &name,
                original_name: original,
                mime,
                size_bytes: bytes.len() as i64,
                uploaded_by: actor.id(),
            },
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor.id()),
            "attach",
            owner.code(),
            owner_id,
            original,
        )
        .await?;
        tx.commit().await?;
        Ok(Created { id })
    }
    .await;
    if written.is_err() {
        files::remove_attachment(data_dir, owner, owner_id, &name).await;
    }
    if written.is_ok()
        && owner == Owner::Outcome
        && mime.starts_with("image/")
        && let Err(e) = showcase_picture(db, data_dir, owner_id, bytes).await
    {
        // The file is kept and answered as kept; only the showcase picture is missing.
        tracing::warn!(outcome = owner_id, error = %e, "making an outcome's showcase picture");
    }
    written
}

/// The first photo attached to an outcome also becomes its showcase picture, resized like a
/// studio's. A photo that cannot be opened stays an attachment only.
async fn showcase_picture(
    db: &Db,
    data_dir: &std::path::Path,
    outcome_id: i64,
    bytes: &[u8],
) -> AppResult<()> {
    if outcome(db, outcome_id).await?.picture.is_some() {
        return Ok(());
    }
    let Ok(resized) = crate::pictures::resize_in_turn(bytes.to_vec()).await else {
        return Ok(());
    };
    let name = crate::pictures::save(data_dir, &resized)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing a picture: {e}")))?;
    let mut tx = db.begin().await?;
    let set = outcomes::set_picture_if_none(&mut tx, outcome_id, &name).await?;
    tx.commit().await?;
    if !set {
        crate::pictures::remove(data_dir, &name).await;
    }
    Ok(())
}

/// The files of records the reader has already been allowed to read.
pub async fn of(db: &Db, owner: Owner, owner_ids: &[i64]) -> AppResult<Vec<Attachment>> {
    Ok(store::of(db.reader(), owner, owner_ids).await?)
}

/// A stored file and its bytes, for a reader of its record.
pub async fn read(
    db: &Db,
    data_dir: &std::path::Path,
    actor: Option<&Actor>,
    owner: Owner,
    owner_id: i64,
    name: &str,
) -> AppResult<(Attachment, Vec<u8>)> {
    readable(db, actor, owner, owner_id).await?;
    let a = store::find(db.reader(), owner, owner_id, name)
        .await?
        .ok_or_else(AppError::not_found)?;
    let path =
        files::attachment_path(data_dir, owner, owner_id, name).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok((a, bytes))
}
