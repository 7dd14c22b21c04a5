//! The tokenizer behind the "jieba" analyzer: jieba's search-mode segmentation in one pass with
//! what tantivy's filters would do after it (drop spaces and punctuation, drop very long tokens,
//! lower-case Latin letters), plus one thing no filter can do: the shorter words search mode
//! emits inside a longer one (小麦 inside 冬小麦) are indexed with a marker, so a query can tell
//! a document about 小麦 from one that only mentions 冬小麦.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Prefix of a word found inside a longer word. A control character never appears in a token
/// of text, since jieba splits it off like punctuation.
pub const INNER: char = '\u{1}';

/// Tokens of this many bytes or more are dropped (tantivy's own default limit).
const MAX_TOKEN_BYTES: usize = 40;

/// The jieba dictionary, loaded once per process (it takes a few hundred milliseconds).
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Chinese and mixed-script tokenizer; see the module documentation.
#[derive(Clone, Copy, Default)]
pub struct ChineseTokenizer;

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = ChineseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChineseTokenStream<'a> {
        let words = jieba().cut_for_search(text, true);
        // Search mode emits the inner words of a word just before the word itself: walking
        // backwards, a token inside the span of the last whole word seen is an inner one.
        let mut spans = Vec::with_capacity(words.len());
        let mut cover: Option<(usize, usize)> = None;
        for w in words.iter().rev() {
            let inner = match cover {
                Some((s, e)) => s <= w.start && w.end <= e && w.end - w.start < e - s,
                None => false,
            };
            if !inner {
                cover = Some((w.start, w.end));
            }
            if w.word.len() < MAX_TOKEN_BYTES && is_word(w.word) && !is_stop_word(w.word) {
                spans.push(Span {
                    bytes: w.byte_start..w.byte_end,
                    position: w.start,
                    len: w.end - w.start,
                    inner,
                });
            }
        }
        spans.reverse();
        ChineseTokenStream {
            text,
            spans,
            next: 0,
            token: Token::default(),
        }
    }
}

/// Where a token is; its text is only built when the stream reaches it, into one reused
/// buffer (a string per token was a tenth of the indexing time).
struct Span {
    bytes: std::ops::Range<usize>,
    position: usize,
    len: usize,
    inner: bool,
}

/// Has a letter or a digit (CJK ideographs count as letters).
fn is_word(word: &str) -> bool {
    word.chars().any(|c| is_han(c) || c.is_alphanumeric())
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Single-character function words (的, 和, 了, ...): about a seventh of all tokens, found in
/// nearly every document, so they cannot rank anything. Not indexed, and dropped from queries
/// alike; phrases still work, because positions are character offsets.
fn is_stop_word(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => STOP_CHARS.contains(c),
        _ => false,
    }
}

const STOP_CHARS: &str =
    "的了和与及或并而在对为是以其该于之也则即且就都又还但被把将从向由所这那着过得地";

/// Appends `word` lower-cased, copying it as it is when there is nothing to lower.
fn push_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else if word.chars().any(|c| !is_han(c) && c.is_uppercase()) {
        out.extend(word.chars().flat_map(char::to_lowercase));
    } else {
        out.push_str(word);
    }
}

/// The tokens of one text.
pub struct ChineseTokenStream<'a> {
    text: &'a str,
    spans: Vec<Span>,
    next: usize,
    token: Token,
}

impl TokenStream for ChineseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(span) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        let t = &mut self.token;
        t.text.clear();
        if span.inner {
            t.text.push(INNER);
        }
        push_lower(&mut t.text, &self.text[span.bytes.clone()]);
        t.offset_from = span.bytes.start;
        t.offset_to = span.bytes.end;
        t.position = span.position;
        t.position_length = span.len;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
