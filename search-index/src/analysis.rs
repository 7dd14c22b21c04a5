//! Chinese text analysis: jieba segmentation (search mode, so the short words inside long ones
//! are indexed too), long-token removal and lower-casing for Latin terms.

use tantivy::Index;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer};

/// The name the schema's text fields use for the Chinese analyzer.
pub const JIEBA: &str = "jieba";

/// The analyzer for Chinese (and mixed Chinese/Latin) text.
pub fn jieba_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Registers our tokenizers on an index. Tokenizers are not stored in the index, so this runs
/// after every create and every open.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(JIEBA, jieba_analyzer());
}

/// The tokens of `text`, in order (for tests and diagnostics).
pub fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = jieba_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
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
        assert!(t.iter().any(|x| x == "开关柜" || x == "开关"), "{t:?}");
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
