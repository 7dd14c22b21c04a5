//! What a caller asks for ([`Query`], [`Filters`], [`Permission`]) and the bounded parsing of
//! the user's text into analysed words and quoted phrases. User text never reaches tantivy's
//! own query parser (it has a syntax of its own); the query is built from these words.

use crate::analysis::{Word, analyze};
use crate::error::QueryError;

/// The longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most words a query may have (whole words, quoted ones included).
pub const MAX_QUERY_WORDS: usize = 16;
/// The deepest offset a page may start at.
pub const MAX_OFFSET: usize = 1_000;
/// The largest page.
pub const MAX_LIMIT: usize = 100;
/// The page size of [`Query::new`].
pub const DEFAULT_LIMIT: usize = 20;
/// The most values one filter may list.
pub const MAX_FILTER_VALUES: usize = 64;

/// Restrictions on the results. An empty list means "any"; several values of one facet mean
/// "any of them"; different facets must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Kinds, e.g. `["challenge", "outcome"]`.
    pub kinds: Vec<String>,
    /// Industry codes.
    pub industries: Vec<String>,
    /// Region codes.
    pub regions: Vec<String>,
    /// Status codes.
    pub statuses: Vec<String>,
    /// Years.
    pub years: Vec<i64>,
}

impl Filters {
    /// Each filter lists at most [`MAX_FILTER_VALUES`] values.
    pub(crate) fn check(&self) -> Result<(), QueryError> {
        let longest = [
            self.kinds.len(),
            self.industries.len(),
            self.regions.len(),
            self.statuses.len(),
            self.years.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        if longest > MAX_FILTER_VALUES {
            return Err(QueryError::TooManyFilterValues {
                max: MAX_FILTER_VALUES,
            });
        }
        Ok(())
    }
}

/// What the reader may see. Public documents are always visible; alliance-only documents only
/// to members of that alliance. Applied inside the query, so hidden documents do not count in
/// totals or facets either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permission {
    /// The alliances whose private documents the reader may see.
    pub allowed_alliances: Vec<i64>,
    /// Sees everything (platform staff); `allowed_alliances` is then ignored.
    pub read_all: bool,
}

impl Permission {
    /// An anonymous reader or one in no alliance: public documents only.
    pub fn public() -> Self {
        Self::default()
    }

    /// A member of these alliances.
    pub fn member_of(alliances: impl Into<Vec<i64>>) -> Self {
        Self {
            allowed_alliances: alliances.into(),
            read_all: false,
        }
    }

    /// Platform staff: every document.
    pub fn read_all() -> Self {
        Self {
            allowed_alliances: Vec::new(),
            read_all: true,
        }
    }
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The user's text: words, and phrases in quotation marks (`"..."` or `“...”`).
    pub text: String,
    /// Restrictions.
    pub filters: Filters,
    /// What the reader may see.
    pub permission: Permission,
    /// Page size, 1 to [`MAX_LIMIT`].
    pub limit: usize,
    /// The `next_cursor` of the previous page, or `None` for the first page.
    pub cursor: Option<String>,
}

impl Query {
    /// The first page of results for `text`, as seen with `permission`, without filters.
    pub fn new(text: impl Into<String>, permission: Permission) -> Self {
        Self {
            text: text.into(),
            filters: Filters::default(),
            permission,
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }

    /// The offset the cursor points at, after checking the page and filter bounds.
    pub(crate) fn offset(&self) -> Result<usize, QueryError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(QueryError::BadLimit { max: MAX_LIMIT });
        }
        self.filters.check()?;
        let offset = match self.cursor.as_deref() {
            None | Some("") => 0,
            Some(c) => c.parse::<usize>().map_err(|_| QueryError::BadCursor)?,
        };
        if offset > MAX_OFFSET {
            return Err(QueryError::PageTooDeep { max: MAX_OFFSET });
        }
        Ok(offset)
    }
}

/// The cursor of the page after one that ends at `end`, if there is one to page to.
pub(crate) fn next_cursor(end: usize, total: u64) -> Option<String> {
    ((end as u64) < total && end <= MAX_OFFSET).then(|| end.to_string())
}

/// A query text after analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedText {
    /// The unquoted text, one entry per whitespace-separated piece, each with its tokens.
    pub chunks: Vec<Vec<Word>>,
    /// The quoted phrases, each with its tokens.
    pub phrases: Vec<Vec<Word>>,
}

impl ParsedText {
    /// Every whole word, unquoted ones first, in order.
    pub fn whole_words(&self) -> impl Iterator<Item = &Word> {
        self.chunks
            .iter()
            .chain(&self.phrases)
            .flatten()
            .filter(|w| w.whole)
    }
}

/// Splits and analyses the user's text, enforcing the bounds.
pub(crate) fn parse_text(text: &str) -> Result<ParsedText, QueryError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    let mut parsed = ParsedText::default();
    for (quoted, piece) in split_quotes(text)? {
        if quoted {
            let words = analyze(piece);
            if !words.is_empty() {
                parsed.phrases.push(words);
            }
        } else {
            for chunk in piece.split_whitespace() {
                let words = analyze(chunk);
                if !words.is_empty() {
                    parsed.chunks.push(words);
                }
            }
        }
    }
    let count = parsed.whole_words().count();
    if count == 0 {
        return Err(QueryError::NoTerms);
    }
    if count > MAX_QUERY_WORDS {
        return Err(QueryError::TooManyTerms {
            max: MAX_QUERY_WORDS,
        });
    }
    Ok(parsed)
}

/// Splits `text` into unquoted and quoted pieces. ASCII and full-width straight quotes toggle a
/// phrase; Chinese curly quotes and corner brackets open and close one.
fn split_quotes(text: &str) -> Result<Vec<(bool, &str)>, QueryError> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut open: Option<char> = None;
    for (i, c) in text.char_indices() {
        let (opens, closes) = match c {
            '"' | '＂' => (open.is_none(), open.is_some()),
            '“' | '「' | '『' => (true, false),
            '”' | '」' | '』' => (false, true),
            _ => continue,
        };
        if opens && open.is_none() {
            pieces.push((false, &text[start..i]));
            open = Some(c);
        } else if closes && open.is_some() {
            pieces.push((true, &text[start..i]));
            open = None;
        } else {
            return Err(QueryError::UnbalancedQuotes);
        }
        start = i + c.len_utf8();
    }
    if open.is_some() {
        return Err(QueryError::UnbalancedQuotes);
    }
    pieces.push((false, &text[start..]));
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Vec<String> {
        parse_text(text)
            .unwrap()
            .whole_words()
            .map(|w| w.text.clone())
            .collect()
    }

    #[test]
    fn words_are_analysed_per_whitespace_piece() {
        assert_eq!(whole("PLC 故障"), vec!["plc", "故障"]);
        assert_eq!(whole("6kV开关柜"), vec!["6kv", "开关柜"]);
    }

    #[test]
    fn quoted_text_becomes_a_phrase() {
        let p = parse_text("轴承 “焊缝探伤”").unwrap();
        assert_eq!(p.chunks.len(), 1);
        assert_eq!(p.phrases.len(), 1);
        let phrase: Vec<&str> = p.phrases[0].iter().map(|w| w.text.as_str()).collect();
        assert_eq!(phrase, vec!["焊缝", "探伤"]);
        assert_eq!(parse_text("\"GaAs 外延\"").unwrap().phrases.len(), 1);
    }

    #[test]
    fn bad_texts_are_refused_without_panicking() {
        let long = "焊".repeat(10_000);
        assert_eq!(parse_text(&long), Err(QueryError::TooLong { max: 200 }));
        assert_eq!(parse_text("\"\"\""), Err(QueryError::UnbalancedQuotes));
        assert_eq!(parse_text("“焊缝"), Err(QueryError::UnbalancedQuotes));
        assert_eq!(parse_text("焊缝”"), Err(QueryError::UnbalancedQuotes));
        for only_symbols in ["***", ":", "", "   ", "()[]{}^~!", "\"\""] {
            assert_eq!(
                parse_text(only_symbols),
                Err(QueryError::NoTerms),
                "{only_symbols}"
            );
        }
        let many = "焊缝 ".repeat(17);
        assert_eq!(parse_text(&many), Err(QueryError::TooManyTerms { max: 16 }));
    }

    #[test]
    fn query_syntax_of_other_engines_is_plain_text() {
        assert_eq!(whole("AND OR NOT"), vec!["and", "or", "not"]);
        assert_eq!(
            whole("title:焊缝 +主轴 -轴承"),
            vec!["title", "焊缝", "主轴", "轴承"]
        );
    }

    #[test]
    fn paging_is_bounded() {
        let mut q = Query::new("焊缝", Permission::public());
        assert_eq!(q.offset(), Ok(0));
        q.cursor = Some("1000".into());
        assert_eq!(q.offset(), Ok(1000));
        q.cursor = Some("1001".into());
        assert_eq!(q.offset(), Err(QueryError::PageTooDeep { max: 1000 }));
        q.cursor = Some("-5".into());
        assert_eq!(q.offset(), Err(QueryError::BadCursor));
        q.cursor = None;
        q.limit = 0;
        assert_eq!(q.offset(), Err(QueryError::BadLimit { max: 100 }));
        assert_eq!(next_cursor(20, 21), Some("20".into()));
        assert_eq!(next_cursor(20, 20), None);
    }
}
