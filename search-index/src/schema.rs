//! The tantivy schema: which fields exist, how each is analysed, and how a [`Document`] becomes
//! a tantivy document.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::JIEBA;
use crate::document::{Document, Visibility};

/// The fast field holding the alliance of an alliance-only document, or [`PUBLIC`]. A fast
/// field rather than terms: the permission check then reads one value per candidate document,
/// instead of walking the postings of "public" (nearly every document) on every query.
pub(crate) const ALLIANCE: &str = "alliance";

/// The [`ALLIANCE`] value of public documents (alliance ids are positive).
pub(crate) const PUBLIC: i64 = 0;

/// Handles of every field, resolved once per schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub tags: Field,
    pub industry: Field,
    pub region: Field,
    pub status: Field,
    pub year: Field,
    pub alliance: Field,
    pub studio_id: Field,
}

/// Fast-field names of the string facets, in the order [`crate::Facets`] lists them.
pub(crate) const STRING_FACETS: [&str; 4] = ["kind", "industry", "region", "status"];

/// Builds the schema. Text fields keep positions (phrase queries) and use the jieba analyzer.
pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(JIEBA)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    b.add_text_field("key", STRING);
    b.add_text_field("kind", STRING | FAST | STORED);
    b.add_i64_field("id", STORED);
    b.add_text_field("title", text(true));
    b.add_text_field("body", text(true));
    b.add_text_field("tags", text(false));
    b.add_text_field("industry", STRING | FAST);
    b.add_text_field("region", STRING | FAST);
    b.add_text_field("status", STRING | FAST);
    b.add_i64_field("year", INDEXED | FAST);
    b.add_i64_field(ALLIANCE, FAST);
    b.add_i64_field("studio_id", STORED);
    b.build()
}

impl Fields {
    /// Resolves the fields of a schema made by [`build`].
    pub fn of(schema: &Schema) -> tantivy::Result<Self> {
        let f = |name: &str| schema.get_field(name);
        Ok(Self {
            key: f("key")?,
            kind: f("kind")?,
            id: f("id")?,
            title: f("title")?,
            body: f("body")?,
            tags: f("tags")?,
            industry: f("industry")?,
            region: f("region")?,
            status: f("status")?,
            year: f("year")?,
            alliance: f(ALLIANCE)?,
            studio_id: f("studio_id")?,
        })
    }

    /// The tantivy document for `doc`. Optional facets are left out rather than stored empty,
    /// so that they do not show up as an empty facet value.
    pub fn tantivy_document(&self, doc: &Document) -> TantivyDocument {
        let mut t = TantivyDocument::new();
        t.add_text(self.key, doc.key().term_text());
        t.add_text(self.kind, &doc.kind);
        t.add_i64(self.id, doc.id);
        t.add_text(self.title, &doc.title);
        t.add_text(self.body, &doc.body);
        for tag in &doc.tags {
            t.add_text(self.tags, tag);
        }
        let facets = [
            (self.industry, &doc.industry),
            (self.region, &doc.region),
            (self.status, &doc.status),
        ];
        for (field, value) in facets {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                t.add_text(field, v);
            }
        }
        if let Some(year) = doc.year {
            t.add_i64(self.year, year);
        }
        let alliance = match doc.visibility {
            Visibility::Public => PUBLIC,
            Visibility::Alliance(id) => id,
        };
        t.add_i64(self.alliance, alliance);
        if let Some(studio) = doc.studio_id {
            t.add_i64(self.studio_id, studio);
        }
        t
    }
}
