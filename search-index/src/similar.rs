//! "已有相似榜单 / 已有成果": documents like a draft, by more-like-this over title and body. The
//! draft's most distinctive words (by TF-IDF against the index) become one weighted query.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::analysis::analyze;
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::plan::{self, Clause};
use crate::query::{Filters, Permission};
use crate::schema::Fields;
use crate::search::load_hits;

/// The longest draft considered, in characters (the start of a long draft says enough).
pub const MAX_DRAFT_CHARS: usize = 5_000;
/// The most results.
pub const MAX_SIMILAR: usize = 50;
/// How many of the draft's words make the query.
const QUERY_WORDS: usize = 24;
/// Words in more than this share of documents say nothing about similarity.
const MAX_DOC_SHARE: f64 = 0.3;
/// Below this many documents, document shares say little and no word is dropped as common.
const MIN_DOCS_FOR_SHARE: f64 = 100.0;

/// A document like the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarItem {
    /// The kind, e.g. `"outcome"`.
    pub kind: String,
    /// The id within the kind.
    pub id: i64,
    /// The title (plain text).
    pub title: String,
    /// How alike (only comparable within one call).
    pub score: f32,
    /// The studio that posted or owns it ("who worked on it").
    pub studio_id: Option<i64>,
}

impl SearchIndex {
    /// Up to `limit` (at most [`MAX_SIMILAR`]) documents of `kinds` (any kind if empty) like
    /// `text`, as seen with `permission`. A draft with no distinctive words gives no items.
    pub fn similar(
        &self,
        text: &str,
        kinds: &[&str],
        limit: usize,
        permission: &Permission,
    ) -> Result<Vec<SimilarItem>, SearchError> {
        let limit = limit.min(MAX_SIMILAR);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let generation = self.current();
        let fields = &generation.fields;
        let searcher = generation.reader.searcher();
        let end = text
            .char_indices()
            .nth(MAX_DRAFT_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let mut clauses = like_clauses(&searcher, fields, &text[..end])?;
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let words = std::mem::take(&mut clauses);
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(words))));
        let filters = Filters {
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            ..Filters::default()
        };
        filters.check()?;
        clauses.extend(plan::filter_clauses(fields, &filters, permission));
        let query = BooleanQuery::new(clauses);
        let page = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let hits = load_hits(&searcher, fields, &page, None)?;
        Ok(hits
            .into_iter()
            .map(|h| SimilarItem {
                kind: h.kind,
                id: h.id,
                title: h.title,
                score: h.score,
                studio_id: h.studio_id,
            })
            .collect())
    }
}

/// The weighted word clauses: the draft's words ranked by TF-IDF, skipping single characters,
/// words the index does not have and words too common to tell documents apart.
fn like_clauses(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
) -> Result<Vec<Clause>, SearchError> {
    let mut tf: HashMap<String, u32> = HashMap::new();
    for word in analyze(text) {
        if word.whole && word.len > 1 {
            *tf.entry(word.text).or_default() += 1;
        }
    }
    let docs = searcher.num_docs() as f64;
    let mut weighted: Vec<(f64, String)> = Vec::new();
    for (word, n) in tf {
        let df = searcher
            .doc_freq(&Term::from_field_text(fields.body, &word))?
            .max(searcher.doc_freq(&Term::from_field_text(fields.title, &word))?)
            as f64;
        // On a small index every word is "common": only drop words once there is a base.
        if df == 0.0 || (docs >= MIN_DOCS_FOR_SHARE && df > MAX_DOC_SHARE * docs) {
            continue;
        }
        let idf = (1.0 + (docs - df + 0.5).max(0.0) / (df + 0.5)).ln();
        weighted.push(((1.0 + f64::from(n).ln()) * idf, word));
    }
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    weighted.truncate(QUERY_WORDS);
    let top = weighted.first().map_or(1.0, |w| w.0);
    let mut clauses: Vec<Clause> = Vec::new();
    for (weight, word) in weighted {
        let boost = (weight / top) as f32;
        for (field, field_boost) in [(fields.title, 1.5), (fields.body, 1.0)] {
            let q = TermQuery::new(
                Term::from_field_text(field, &word),
                IndexRecordOption::WithFreqs,
            );
            let q = BoostQuery::new(Box::new(q), boost * field_boost);
            clauses.push((Occur::Should, Box::new(q)));
        }
    }
    Ok(clauses)
}
