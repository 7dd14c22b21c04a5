//! Receipts of an expense: images or PDF, checked by their first bytes and size, stored under
//! a random name; the name the person gave is kept only if it is a plain name.

use crate::auth::Actor;
use crate::auth::policy::funds as policy;
use crate::domain::funds::ExpenseStatus;
use crate::error::{AppError, AppResult};
use crate::files;
use crate::service::Created;
use crate::store::funds::Receipt;
use crate::store::funds::receipts::{self as store, NewReceipt};
use crate::store::{Db, audit};

/// Adds a receipt to a pending expense (the holder studio's leader). A wrong type, an oversize
/// file or a file name with a path is refused and nothing is stored.
pub async fn add(
    db: &Db,
    data_dir: &std::path::Path,
    actor: &Actor,
    expense_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Created> {
    let (e, g) = super::expenses::get(db, actor, expense_id).await?;
    policy::file_expense(actor, &g)?;
    if e.status != ExpenseStatus::Pending {
        return Err(AppError::wrong_state(e.status.code(), "receipt"));
    }
    if bytes.len() > files::MAX_RECEIPT_BYTES {
        return Err(AppError::too_large());
    }
    let Some(original) = files::plain_file_name(file_name) else {
        return Err(AppError::invalid_field(
            "file",
            "文件名不能含路径，且不超过 100 字 / a plain file name, without a path",
        ));
    };
    let Some((mime, ext)) = files::receipt_kind(bytes) else {
        return Err(AppError::invalid_field(
            "file",
            "凭证须为 JPEG、PNG、WebP 图片或 PDF / a JPEG, PNG or WebP image, or a PDF",
        ));
    };
    let name = files::save_receipt(data_dir, expense_id, ext, bytes)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("writing a receipt: {e}")))?;
    let written = async {
        let mut tx = db.begin().await?;
        if store::count(&mut tx, expense_id).await? >= files::MAX_RECEIPTS_PER_EXPENSE {
            return Err(AppError::conflict(
                "too_many_receipts",
                "每笔支出最多 10 份凭证 / at most 10 receipts an expense",
            ));
        }
        let id = store::insert(
            &mut tx,
            &NewReceipt {
                expense_id,
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
            "add_receipt",
            "expense",
            expense_id,
            original,
        )
        .await?;
        tx.commit().await?;
        Ok(Created { id })
    }
    .await;
    if written.is_err() {
        files::remove_receipt(data_dir, expense_id, &name).await;
    }
    written
}

/// A stored receipt and its bytes, for a reader who may see the grant.
pub async fn read(
    db: &Db,
    data_dir: &std::path::Path,
    actor: &Actor,
    expense_id: i64,
    name: &str,
) -> AppResult<(Receipt, Vec<u8>)> {
    super::expenses::get(db, actor, expense_id).await?;
    let receipt = store::find(db.reader(), expense_id, name)
        .await?
        .ok_or_else(AppError::not_found)?;
    let path = files::receipt_path(data_dir, expense_id, name).ok_or_else(AppError::not_found)?;
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|_| AppError::not_found())?;
    Ok((receipt, bytes))
}
