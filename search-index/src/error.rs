//! Errors: [`QueryError`] is the caller's fault (the server answers 422 or an empty result),
//! [`SearchError`] wraps it together with the index's own failures (a 500).

use thiserror::Error;

/// Why a query was refused. Every variant is caused by the input, never by the index.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    /// Nothing searchable is left after analysis (only spaces, punctuation or symbols).
    #[error("the query has no searchable words")]
    NoTerms,
    /// The text is longer than the limit, counted in characters.
    #[error("the query is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// The text has more words than the limit.
    #[error("the query has more than {max} words")]
    TooManyTerms {
        /// The limit.
        max: usize,
    },
    /// A quotation mark opens a phrase that never closes.
    #[error("the query has an unbalanced quotation mark")]
    UnbalancedQuotes,
    /// The page starts further down the results than anyone can page to.
    #[error("results past the first {max} cannot be paged to")]
    PageTooDeep {
        /// The deepest offset allowed.
        max: usize,
    },
    /// The cursor is not one this crate handed out.
    #[error("the cursor is not valid")]
    BadCursor,
    /// A filter lists more values than the limit.
    #[error("a filter may list at most {max} values")]
    TooManyFilterValues {
        /// The limit.
        max: usize,
    },
    /// The page size is zero or above the limit.
    #[error("the limit must be between 1 and {max}")]
    BadLimit {
        /// The largest page size.
        max: usize,
    },
}

/// Any failure of an index operation.
#[derive(Debug, Error)]
pub enum SearchError {
    /// The query was refused (the caller's fault).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A document or rebuild handed in is not valid (a bug in the caller).
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// tantivy failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index was opened for searching only (beside a process that holds the writer).
    #[error("the search index is open for reading only")]
    ReadOnly,
    /// Reading or writing the index directory failed.
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
}

impl SearchError {
    /// The query error, when the caller is at fault.
    pub fn as_query_error(&self) -> Option<&QueryError> {
        match self {
            SearchError::Query(e) => Some(e),
            _ => None,
        }
    }

    /// True when another process holds the index's writer lock (a server on the same data
    /// directory).
    pub fn is_locked_by_another_process(&self) -> bool {
        matches!(
            self,
            SearchError::Index(tantivy::TantivyError::LockFailure(..))
        )
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Index(e.into())
    }
}
