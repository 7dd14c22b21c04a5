//! "已有相似榜单 / 已有成果": documents like a draft, by more-like-this over title and body. The
//! draft's most distinctive words (by TF-IDF against the index) become one weighted query.
//!
//! Scores of different drafts cannot be compared, so each item also carries its *closeness*: the
//! share of the draft's distinctive words (by weight) that the document holds. Words no document
//! has count too, as the rarest of all: a draft about a canteen queue, whose words the index
//! lacks, is close to nothing even if one common word matches. [`CLOSE_ENOUGH`] is the cut-off
//! a draft check shows; the figure behind it comes from `lianmeng-bench similar`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, Term};

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
/// Words of how people ask, not of what they ask about (怎么, 太高, 问题, 希望 ...): left out of
/// a draft's words, so that "细纱断头率太高，怎么降低" is weighed by 细纱 and 断头.
const DRAFT_FILLER: [&str; 40] = [
    "怎么",
    "如何",
    "怎样",
    "为什么",
    "什么",
    "有没有",
    "能不能",
    "能否",
    "是否",
    "可以",
    "问题",
    "希望",
    "需要",
    "想要",
    "办法",
    "经常",
    "总是",
    "一直",
    "比较",
    "非常",
    "特别",
    "严重",
    "太高",
    "太低",
    "太多",
    "太少",
    "太大",
    "太小",
    "太长",
    "太短",
    "太慢",
    "太快",
    "不够",
    "目前",
    "现在",
    "我们",
    "大家",
    "一下",
    "情况",
    "现象",
];

/// The closeness from which a document counts as "already there" for a draft. Measured with
/// `lianmeng-bench similar` on the CSL corpus (records indexed by abstract, drafts written from
/// their titles and keywords): at 0.5 a draft of title and keywords shows its own record 94%
/// of the time and some other record 5% of the time; at 0.35 the other share was 26%.
pub const CLOSE_ENOUGH: f32 = 0.5;

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
    /// The share (0–1, by weight) of the draft's distinctive words this document holds;
    /// comparable across drafts.
    pub closeness: f32,
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
        let draft = draft_words(&searcher, fields, &text[..end])?;
        let words = like_clauses(fields, &draft);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<Clause> = vec![(Occur::Must, Box::new(BooleanQuery::new(words)))];
        let filters = Filters {
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            ..Filters::default()
        };
        filters.check()?;
        clauses.extend(plan::filter_clauses(fields, &filters, permission));
        let query = BooleanQuery::new(clauses);
        let page = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let addresses: Vec<DocAddress> = page.iter().map(|&(_, a)| a).collect();
        let closeness = closeness(&searcher, fields, &draft, &addresses)?;
        let hits = load_hits(&searcher, fields, &page, None)?;
        Ok(hits
            .into_iter()
            .zip(closeness)
            .map(|(h, closeness)| SimilarItem {
                kind: h.kind,
                id: h.id,
                title: h.title,
                score: h.score,
                closeness,
                studio_id: h.studio_id,
            })
            .collect())
    }
}

/// A draft's distinctive words, heaviest first, and the weight of all of them.
struct DraftWords {
    /// (weight, word, whether any document has it).
    words: Vec<(f64, String, bool)>,
    total: f64,
}

/// The draft's words ranked by TF-IDF, skipping single characters and words too common to
/// tell documents apart. A word no document has takes the highest IDF there is.
fn draft_words(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
) -> Result<DraftWords, SearchError> {
    let mut tf: HashMap<String, u32> = HashMap::new();
    for word in analyze(text) {
        if word.whole && word.len > 1 && !DRAFT_FILLER.contains(&word.text.as_str()) {
            *tf.entry(word.text).or_default() += 1;
        }
    }
    let docs = searcher.num_docs() as f64;
    let mut words: Vec<(f64, String, bool)> = Vec::new();
    for (word, n) in tf {
        let df = searcher
            .doc_freq(&Term::from_field_text(fields.body, &word))?
            .max(searcher.doc_freq(&Term::from_field_text(fields.title, &word))?)
            as f64;
        // On a small index every word is "common": only drop words once there is a base.
        if docs >= MIN_DOCS_FOR_SHARE && df > MAX_DOC_SHARE * docs {
            continue;
        }
        let idf = (1.0 + (docs - df + 0.5).max(0.0) / (df + 0.5)).ln();
        words.push(((1.0 + f64::from(n).ln()) * idf, word, df > 0.0));
    }
    words.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    words.truncate(QUERY_WORDS);
    let total = words.iter().map(|w| w.0).sum();
    Ok(DraftWords { words, total })
}

/// The weighted word clauses over title and body, for the words the index has.
fn like_clauses(fields: &Fields, draft: &DraftWords) -> Vec<Clause> {
    let top = draft.words.first().map_or(1.0, |w| w.0);
    let mut clauses: Vec<Clause> = Vec::new();
    for (weight, word, _) in draft.words.iter().filter(|w| w.2) {
        let boost = (weight / top) as f32;
        for (field, field_boost) in [(fields.title, 1.5), (fields.body, 1.0)] {
            let q = TermQuery::new(
                Term::from_field_text(field, word),
                IndexRecordOption::WithFreqs,
            );
            let q = BoostQuery::new(Box::new(q), boost * field_boost);
            clauses.push((Occur::Should, Box::new(q)));
        }
    }
    clauses
}

/// For each document, the share of the draft's word weight it holds (in title or body).
fn closeness(
    searcher: &Searcher,
    fields: &Fields,
    draft: &DraftWords,
    docs: &[DocAddress],
) -> Result<Vec<f32>, SearchError> {
    let mut held = vec![0.0f64; docs.len()];
    if draft.total <= 0.0 {
        return Ok(vec![0.0; docs.len()]);
    }
    // Visit each segment's documents in id order, as a posting list can only move forward.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| (docs[i].segment_ord, docs[i].doc_id));
    for (weight, word, indexed) in &draft.words {
        if !indexed {
            continue;
        }
        let either: Vec<Clause> = [fields.title, fields.body]
            .into_iter()
            .map(|field| -> Clause {
                let term = Term::from_field_text(field, word);
                let q = TermQuery::new(term, IndexRecordOption::Basic);
                (Occur::Should, Box::new(q))
            })
            .collect();
        let query = BooleanQuery::new(either);
        let w = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut segment = None;
        let mut scorer = None;
        for &i in &order {
            let address = docs[i];
            if segment != Some(address.segment_ord) {
                segment = Some(address.segment_ord);
                scorer = Some(w.scorer(searcher.segment_reader(address.segment_ord), 1.0)?);
            }
            let Some(s) = scorer.as_mut() else { continue };
            let at = if s.doc() < address.doc_id {
                s.seek(address.doc_id)
            } else {
                s.doc()
            };
            if at != TERMINATED && at == address.doc_id {
                held[i] += weight;
            }
        }
    }
    Ok(held.into_iter().map(|h| (h / draft.total) as f32).collect())
}
