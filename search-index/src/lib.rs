//! Chinese full-text search for Lianmeng: the tantivy schema, the jieba analysis and the query
//! logic. Knows nothing of HTTP or SQL: the server feeds it [`Document`]s from the outbox and
//! asks it [`Query`]s on behalf of a reader with a [`Permission`].
//!
//! One [`SearchIndex`] per process. Every call blocks (file I/O, CPU); async callers use
//! `spawn_blocking`.
//!
//! ```
//! use lianmeng_search::{Document, Permission, Query, SearchIndex, WriterOptions, kinds};
//!
//! let dir = tempfile::tempdir()?;
//! let index = SearchIndex::open(dir.path(), WriterOptions::default())?;
//! index.upsert(&Document::new(kinds::CHALLENGE, 1, "焊缝探伤自动化", "船体焊缝的超声探伤。"))?;
//! index.commit(Some(1))?; // the outbox id these changes go up to
//! let results = index.search(&Query::new("焊缝", Permission::public()))?;
//! assert_eq!(results.items[0].id, 1);
//! assert_eq!(results.items[0].snippet, "船体<em>焊缝</em>的超声探伤");
//! assert_eq!(index.last_applied()?, Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analysis;
mod document;
mod error;
mod facets;
mod index;
mod plan;
mod query;
mod rebuild;
mod schema;
mod search;
mod similar;
mod snippet;
mod tokenizer;
mod writer;

pub use analysis::{JIEBA, Word, analyze, jieba_analyzer, register_tokenizers, tokens};
pub use document::{DocKey, Document, Visibility, kinds};
pub use error::{QueryError, SearchError};
pub use facets::Facets;
pub use index::{SearchIndex, WriterOptions};
pub use query::{
    DEFAULT_LIMIT, Filters, MAX_FILTER_VALUES, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS,
    MAX_QUERY_WORDS, Permission, Query,
};
pub use rebuild::{Built, Rebuild};
pub use search::{Hit, Results};
pub use similar::{CLOSE_ENOUGH, MAX_DRAFT_CHARS, MAX_SIMILAR, SimilarItem};
