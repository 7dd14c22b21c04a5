//! Chinese full-text search for Lianmeng: the tantivy schema, the jieba analysis and the query
//! logic. Knows nothing of HTTP or SQL.

pub mod analysis;

pub use analysis::{JIEBA, jieba_analyzer, register_tokenizers, tokens};
