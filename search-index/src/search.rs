//! Running a search: one pass over the matching documents collects the page (by BM25 score with
//! the phrase boosts), the total and the facets; then the page's documents are loaded for their
//! titles and snippets.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument};

use crate::error::SearchError;
use crate::facets::{FacetCollector, Facets};
use crate::index::SearchIndex;
use crate::plan;
use crate::query::{Query, next_cursor, parse_text};
use crate::schema::Fields;
use crate::snippet::Snippets;

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The kind, e.g. `"challenge"`.
    pub kind: String,
    /// The id within the kind.
    pub id: i64,
    /// The title as indexed (plain text: escape it when rendering).
    pub title: String,
    /// A fragment with the hits marked `<em>`…`</em>`, already HTML-escaped.
    pub snippet: String,
    /// The relevance score (only comparable within one query).
    pub score: f32,
    /// The studio that posted or owns it.
    pub studio_id: Option<i64>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// How many documents match in all (that the reader may see).
    pub total: u64,
    /// This page, best first.
    pub items: Vec<Hit>,
    /// Facet counts over all matching documents.
    pub facets: Facets,
    /// The cursor of the next page, if there is one within the paging bounds.
    pub next_cursor: Option<String>,
}

impl SearchIndex {
    /// Searches the index in service. Input the caller got wrong is a
    /// [`SearchError::Query`]; never panics on any text.
    pub fn search(&self, query: &Query) -> Result<Results, SearchError> {
        let offset = query.offset()?;
        let text = parse_text(&query.text)?;
        let generation = self.current();
        let fields = &generation.fields;
        let searcher = generation.reader.searcher();
        let tantivy_query = plan::build(fields, &text, &query.filters, &query.permission);
        let top = TopDocs::with_limit(query.limit)
            .and_offset(offset)
            .order_by_score();
        let (page, total, facets) =
            searcher.search(&*tantivy_query, &(top, Count, FacetCollector))?;
        let items = if page.is_empty() {
            Vec::new()
        } else {
            let text_query = plan::build_text_only(fields, &text);
            let snippets = Snippets::new(&searcher, &*text_query, fields)?;
            load_hits(&searcher, fields, &page, Some(&snippets))?
        };
        let total = total as u64;
        Ok(Results {
            total,
            next_cursor: next_cursor(offset + items.len(), total).filter(|_| !items.is_empty()),
            items,
            facets,
        })
    }
}

/// Loads the stored fields of `page` and, given a snippet maker, their snippets.
pub(crate) fn load_hits(
    searcher: &Searcher,
    fields: &Fields,
    page: &[(Score, DocAddress)],
    snippets: Option<&Snippets>,
) -> Result<Vec<Hit>, SearchError> {
    let mut items = Vec::with_capacity(page.len());
    for &(score, address) in page {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let title = text(fields.title);
        let snippet = match snippets {
            Some(s) => s.render(&doc, &title, &text(fields.body)),
            None => String::new(),
        };
        items.push(Hit {
            kind: text(fields.kind),
            id: int(fields.id).unwrap_or_default(),
            title,
            snippet,
            score,
            studio_id: int(fields.studio_id),
        });
    }
    Ok(items)
}
