//! Spreadsheets written for download: the workbook is built on a blocking thread with
//! constant-memory worksheets (each row goes to disk as it is written) into an unnamed
//! temporary file, which the response then streams. A 10,000-row export holds its rows once,
//! not again as cells and again as the finished file.

use std::io::{Read, Seek, SeekFrom};

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::error::{AppError, AppResult};

/// A finished xlsx file, read from its start.
#[derive(Debug)]
pub struct Spreadsheet(std::fs::File);

impl Spreadsheet {
    /// The file, to stream.
    pub fn into_file(self) -> std::fs::File {
        self.0
    }

    /// The whole file in memory (for benchmarks and tests).
    pub fn into_bytes(mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.0.read_to_end(&mut out)?;
        Ok(out)
    }
}

/// Builds a workbook from `rows` with `fill` off the async threads; `what` names it in errors.
/// `fill` should add its sheets with `add_worksheet_with_constant_memory` and write them in
/// row order.
pub async fn write<T, F>(what: &'static str, rows: T, fill: F) -> AppResult<Spreadsheet>
where
    T: Send + 'static,
    F: FnOnce(&T, &mut Workbook) -> Result<(), XlsxError> + Send + 'static,
{
    let fail = move |e: String| AppError::Internal(anyhow::anyhow!("writing {what}: {e}"));
    tokio::task::spawn_blocking(move || {
        let mut book = Workbook::new();
        fill(&rows, &mut book).map_err(|e| e.to_string())?;
        drop(rows);
        let mut file = tempfile::tempfile().map_err(|e| e.to_string())?;
        book.save_to_writer(&mut file).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        Ok(Spreadsheet(file))
    })
    .await
    .map_err(|e| fail(e.to_string()))?
    .map_err(fail)
}
