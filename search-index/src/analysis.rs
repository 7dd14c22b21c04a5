//! Chinese text analysis: jieba segmentation in search mode (so the short words inside long
//! ones are indexed too, marked as inner words), without spaces and punctuation, with Latin
//! letters lower-cased. See [`crate::tokenizer`].
//!
//! Positions are character offsets, so a phrase query built from a query's tokens at their
//! character offsets matches exactly where the same text occurs.

use tantivy::Index;
use tantivy::tokenizer::TextAnalyzer;

use crate::tokenizer::{ChineseTokenizer, INNER};

/// The name the schema's text fields use for the Chinese analyzer.
pub const JIEBA: &str = "jieba";

/// The analyzer for Chinese (and mixed Chinese/Latin) text.
pub fn jieba_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(ChineseTokenizer)
}

/// Registers our tokenizers on an index. Tokenizers are not stored in the index, so this runs
/// after every create and every open.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(JIEBA, jieba_analyzer());
}

/// The words of `text`, in order, without the inner-word marker (for tests and diagnostics).
pub fn tokens(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.text).collect()
}

/// One analysed token: its text, its character offset and length, and whether it is a whole
/// word (not one of the shorter words search mode emits inside a longer one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The normalised text (lower-cased), without the inner-word marker.
    pub text: String,
    /// Character offset in the analysed text.
    pub position: usize,
    /// Length in characters.
    pub len: usize,
    /// True for a whole word of the default segmentation.
    pub whole: bool,
}

impl Word {
    /// The indexed term text: inner words carry the marker.
    pub fn term_text(&self) -> String {
        if self.whole {
            self.text.clone()
        } else {
            inner_term(&self.text)
        }
    }
}

/// The indexed form of `word` where it occurs inside a longer word.
pub fn inner_term(word: &str) -> String {
    let mut s = String::with_capacity(word.len() + 1);
    s.push(INNER);
    s.push_str(word);
    s
}

/// Analyses `text` into words, telling whole words from inner ones.
pub fn analyze(text: &str) -> Vec<Word> {
    let mut analyzer = jieba_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        let (whole, text) = match t.text.strip_prefix(INNER) {
            Some(rest) => (false, rest.to_string()),
            None => (true, t.text.clone()),
        };
        out.push(Word {
            text,
            position: t.position,
            len: t.position_length.max(1),
            whole,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_character_trade_words_are_tokens() {
        let t = tokens("焊缝探伤和主轴轴承的故障诊断");
        for w in ["焊缝", "探伤", "主轴", "轴承", "故障", "诊断"] {
            assert!(t.iter().any(|x| x == w), "{w} missing from {t:?}");
        }
    }

    #[test]
    fn latin_terms_are_lower_cased_and_kept() {
        let t = tokens("PLC 故障与 6kV 开关柜");
        assert!(t.iter().any(|x| x == "plc"), "{t:?}");
        assert!(t.iter().any(|x| x == "6kv"), "{t:?}");
        assert!(t.iter().any(|x| x == "开关柜" || x == "开关"), "{t:?}");
    }

    #[test]
    fn spaces_and_punctuation_are_not_tokens() {
        assert_eq!(tokens("“主轴”， 轴承！"), vec!["主轴", "轴承"]);
        assert!(tokens("*** ::: \"\"\"").is_empty());
    }

    #[test]
    fn function_characters_are_not_indexed() {
        assert_eq!(tokens("主轴的轴承和齿轮"), vec!["主轴", "轴承", "齿轮"]);
        assert!(tokens("的了和").is_empty());
    }

    #[test]
    fn inner_words_are_indexed_with_a_marker() {
        let mut analyzer = jieba_analyzer();
        let mut stream = analyzer.token_stream("冬小麦");
        let mut raw = Vec::new();
        while let Some(t) = stream.next() {
            raw.push(t.text.clone());
        }
        assert!(raw.contains(&"冬小麦".to_string()), "{raw:?}");
        assert!(raw.contains(&inner_term("小麦")), "{raw:?}");
        assert!(!raw.contains(&"小麦".to_string()), "{raw:?}");
    }

    #[test]
    fn inner_words_of_search_mode_are_not_whole() {
        let words = analyze("6kV开关柜");
        let whole: Vec<&str> = words
            .iter()
            .filter(|w| w.whole)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(whole, vec!["6kv", "开关柜"]);
        assert!(words.iter().any(|w| w.text == "开关" && !w.whole));
    }

    #[test]
    fn the_analyzer_is_registered_on_an_index() {
        let mut schema = tantivy::schema::Schema::builder();
        let opts = tantivy::schema::TextOptions::default().set_indexing_options(
            tantivy::schema::TextFieldIndexing::default().set_tokenizer(JIEBA),
        );
        schema.add_text_field("title", opts);
        let index = Index::create_in_ram(schema.build());
        register_tokenizers(&index);
        assert!(index.tokenizers().get(JIEBA).is_some());
    }
}
