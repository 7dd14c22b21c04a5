//! What the platform hands the index: one searchable thing (a challenge, an outcome, a studio,
//! an alliance, ...) with its text, its facet codes and who may read it.

use serde::{Deserialize, Serialize};

/// The kinds the platform indexes today. Kinds are plain strings so that new ones (chat
/// messages) need no change here.
pub mod kinds {
    /// A challenge (揭榜攻关榜单).
    pub const CHALLENGE: &str = "challenge";
    /// An outcome (成果).
    pub const OUTCOME: &str = "outcome";
    /// A studio (创新工作室).
    pub const STUDIO: &str = "studio";
    /// An alliance (工作室联盟).
    pub const ALLIANCE: &str = "alliance";
    /// A course (在线学习课程).
    pub const COURSE: &str = "course";
}

/// Who may read a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone.
    Public,
    /// Only members of this alliance (an alliance-only challenge).
    Alliance(i64),
}

/// The key of a document in the index: an upsert with the same key replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocKey {
    /// The kind, e.g. `"challenge"`.
    pub kind: String,
    /// The id of the entity within its kind.
    pub id: i64,
}

impl DocKey {
    /// A key from a kind and an id.
    pub fn new(kind: impl Into<String>, id: i64) -> Self {
        Self {
            kind: kind.into(),
            id,
        }
    }

    /// The single term the index stores the key as.
    pub(crate) fn term_text(&self) -> String {
        format!("{}:{}", self.kind, self.id)
    }
}

/// One searchable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The kind, e.g. `"challenge"` (see [`kinds`]).
    pub kind: String,
    /// The id of the entity within its kind.
    pub id: i64,
    /// The title, searched with a boost and shown in results.
    pub title: String,
    /// The body text (description, abstract, profile).
    pub body: String,
    /// Industry code, a facet and filter.
    pub industry: Option<String>,
    /// Region code, a facet and filter.
    pub region: Option<String>,
    /// Status code (e.g. `open`), a facet and filter.
    pub status: Option<String>,
    /// Year (e.g. of publication), a facet and filter.
    pub year: Option<i64>,
    /// Free tags, searched like the title.
    pub tags: Vec<String>,
    /// Who may read it.
    pub visibility: Visibility,
    /// The studio that posted or owns it, handed back with results ("who worked on it").
    pub studio_id: Option<i64>,
}

impl Document {
    /// A public document with only a kind, an id, a title and a body.
    pub fn new(
        kind: impl Into<String>,
        id: i64,
        title: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        Self {
            kind: kind.into(),
            id,
            title: title.into(),
            body: body.into(),
            industry: None,
            region: None,
            status: None,
            year: None,
            tags: Vec::new(),
            visibility: Visibility::Public,
            studio_id: None,
        }
    }

    /// The document's key.
    pub fn key(&self) -> DocKey {
        DocKey::new(self.kind.clone(), self.id)
    }
}
