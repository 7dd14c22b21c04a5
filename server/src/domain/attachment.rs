//! Files attached to a record: what each kind of record takes, how big and how many.

use serde::Serialize;
use utoipa::ToSchema;

/// The record a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// A bulletin's pictures (简报配图): images only.
    Bulletin,
    /// A progress report's attachments (报送附件): images or PDF.
    Report,
    /// An outcome's files (成果附件): certificate scans, photos, a PDF of the method.
    Outcome,
}

impl Owner {
    pub fn code(self) -> &'static str {
        match self {
            Owner::Bulletin => "bulletin",
            Owner::Report => "report",
            Owner::Outcome => "outcome",
        }
    }

    /// The folder of the data directory's uploads its files go to.
    pub fn dir(self) -> &'static str {
        match self {
            Owner::Bulletin => "bulletins",
            Owner::Report => "reports",
            Owner::Outcome => "outcomes",
        }
    }

    /// The largest file, in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            Owner::Bulletin => 5 * 1024 * 1024,
            Owner::Report | Owner::Outcome => 10 * 1024 * 1024,
        }
    }

    /// The most files a record carries.
    pub fn max_count(self) -> i64 {
        match self {
            Owner::Bulletin => 9,
            Owner::Report => 5,
            Owner::Outcome => 9,
        }
    }

    /// Whether a PDF is taken besides images.
    pub fn takes_pdf(self) -> bool {
        matches!(self, Owner::Report | Owner::Outcome)
    }

    /// The stored extensions a file may have.
    pub fn exts(self) -> &'static [&'static str] {
        match self {
            Owner::Bulletin => &["jpg", "png", "webp"],
            Owner::Report | Owner::Outcome => &["jpg", "png", "webp", "pdf"],
        }
    }

    /// The refusal of a file of the wrong type.
    pub fn wrong_type(self) -> &'static str {
        match self {
            Owner::Bulletin => "配图须为 JPEG、PNG 或 WebP 图片 / a JPEG, PNG or WebP image",
            Owner::Report | Owner::Outcome => {
                "附件须为 JPEG、PNG、WebP 图片或 PDF / a JPEG, PNG or WebP image, or a PDF"
            }
        }
    }

    /// The refusal of a file beyond the count.
    pub fn too_many(self) -> &'static str {
        match self {
            Owner::Bulletin => "每期简报最多 9 张配图 / at most 9 pictures a bulletin",
            Owner::Report => "每份报告最多 5 个附件 / at most 5 attachments a report",
            Owner::Outcome => "每项成果最多 9 个附件 / at most 9 files an outcome",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Owner;

    #[test]
    fn a_bulletin_takes_pictures_and_a_report_pdf_too() {
        assert!(!Owner::Bulletin.takes_pdf());
        assert!(Owner::Report.exts().contains(&"pdf"));
        assert!(!Owner::Bulletin.exts().contains(&"pdf"));
        assert!(Owner::Report.max_bytes() > Owner::Bulletin.max_bytes());
    }
}
