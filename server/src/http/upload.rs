//! Multipart forms with files: every text field by name and every file with the name the
//! client gave it. Read whole (each route sets its body limit); a body over the limit is 413,
//! a broken one 400.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use crate::error::AppError;

/// A file of a multipart form.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The file name as the client sent it (unchecked).
    pub file_name: String,
    pub bytes: Bytes,
}

/// A multipart form read whole.
#[derive(Debug, Default)]
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl UploadForm {
    pub async fn read(mut form: Multipart) -> Result<UploadForm, AppError> {
        let mut out = UploadForm::default();
        while let Some(field) = form.next_field().await.map_err(refusal)? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(refusal)?;
                    // A file input left empty arrives as a nameless, empty part.
                    if !(file_name.is_empty() && bytes.is_empty()) {
                        out.files.push(Upload {
                            field: name,
                            file_name,
                            bytes,
                        });
                    }
                }
                None => {
                    let text = field.text().await.map_err(refusal)?;
                    out.fields.insert(name, text);
                }
            }
        }
        Ok(out)
    }

    /// A text field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    /// The files sent in one field.
    pub fn files_of<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Upload> + 'a {
        self.files.iter().filter(move |f| f.field == field)
    }
}

fn refusal(e: MultipartError) -> AppError {
    match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::too_large(),
        _ => AppError::bad_request("bad_form", e.body_text()),
    }
}
