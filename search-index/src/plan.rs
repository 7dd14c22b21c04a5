//! Turning a parsed query into a tantivy query: which words are required, how the fields are
//! weighted, the phrase boosts that put a title containing the whole query first, and the
//! filters (facets and permission), which are part of the query so that hidden documents never
//! count.

use std::collections::BTreeSet;
use std::sync::Arc;

use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader, Term};

use crate::analysis::{Word, inner_term};
use crate::query::{Filters, ParsedText, Permission};
use crate::schema::{ALLIANCE, Fields, PUBLIC};

/// Field and phrase weights. BM25 scores each term per field; these multiply them.
#[derive(Debug, Clone, Copy)]
struct Weights {
    title: f32,
    body: f32,
    tags: f32,
    /// A query word found only inside a longer word of the document (小麦 in 冬小麦).
    inside: f32,
    /// Inner words of the query (开关 inside 开关柜): some credit, not required.
    inner: f32,
    /// The parts of a compound query word found apart in a document.
    parts: f32,
    phrase_title: f32,
    phrase_body: f32,
}

/// Tuned on the relevance bench (bench/, `search`): a higher title weight or phrase weights
/// change little; counting a word inside a longer one (小麦 in 冬小麦) as much as the word
/// itself costs about 0.02 nDCG@10.
const WEIGHTS: Weights = Weights {
    title: 2.0,
    body: 1.0,
    tags: 1.5,
    inside: 0.1,
    inner: 0.3,
    parts: 0.2,
    phrase_title: 3.0,
    phrase_body: 4.0,
};

/// One clause of a boolean query.
pub(crate) type Clause = (Occur, Box<dyn TantivyQuery>);

/// The full query: the text part plus the filters.
pub(crate) fn build(
    fields: &Fields,
    text: &ParsedText,
    filters: &Filters,
    permission: &Permission,
) -> Box<dyn TantivyQuery> {
    let mut clauses = text_clauses(fields, text);
    clauses.extend(filter_clauses(fields, filters, permission));
    Box::new(BooleanQuery::new(clauses))
}

/// The text part alone (for highlighting: the filters have no words to mark).
pub(crate) fn build_text_only(fields: &Fields, text: &ParsedText) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(text_clauses(fields, text)))
}

/// A single Chinese character: jieba leaves one alone where it cannot join it to a word, and
/// may join the same character to its neighbour in a document (感 of 自我效能感 becomes 感及),
/// so requiring it would lose documents that have the whole query.
fn is_single_han(word: &Word) -> bool {
    word.len == 1
        && word
            .text
            .chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The scored part: every whole word must occur in some field, quoted phrases must occur as
/// phrases, and phrase matches and inner words add to the score.
pub(crate) fn text_clauses(fields: &Fields, text: &ParsedText) -> Vec<Clause> {
    let w = WEIGHTS;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut seen = BTreeSet::new();
    let whole: Vec<(&Word, &[Word])> = text
        .chunks
        .iter()
        .flat_map(|chunk| chunk.iter().map(move |w| (w, chunk.as_slice())))
        .filter(|(w, _)| w.whole && seen.insert(w.text.clone()))
        .collect();
    let any_long = whole.iter().any(|(w, _)| !is_single_han(w));
    let mut required = Vec::new();
    for (word, chunk) in whole {
        let q = (Occur::Should, word_or_parts(fields, word, chunk));
        if any_long && is_single_han(word) {
            clauses.push(q);
        } else {
            required.push(q);
        }
    }
    if !required.is_empty() {
        // All of them: a search box is read as "these words", not "any of these words".
        let n = required.len();
        let all = BooleanQuery::with_minimum_required_clauses(required, n);
        clauses.push((Occur::Must, Box::new(all)));
    }
    let mut inner = BTreeSet::new();
    for word in text.chunks.iter().chain(&text.phrases).flatten() {
        if !word.whole && !seen.contains(&word.text) && inner.insert(word.text.clone()) {
            for (field, boost) in [(fields.title, w.title), (fields.body, w.body)] {
                clauses.push((Occur::Should, term(field, &word.text, boost * w.inner)));
            }
        }
    }
    for chunk in &text.chunks {
        for (field, boost) in [(fields.title, w.phrase_title), (fields.body, w.phrase_body)] {
            if let Some(q) = phrase(field, chunk, 0) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
        }
    }
    if text.chunks.len() > 1 {
        // "PLC 故障" should favour "PLC故障" and "PLC 故障" alike: one phrase over all pieces,
        // each gap allowed one position (a space in the document, or none).
        let joined = join_chunks(&text.chunks);
        let slop = (text.chunks.len() - 1) as u32;
        for (field, boost) in [(fields.title, w.phrase_title), (fields.body, w.phrase_body)] {
            if let Some(q) = phrase(field, &joined, slop) {
                clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
            }
        }
    }
    for quoted in &text.phrases {
        clauses.push((Occur::Must, required_phrase(fields, quoted)));
    }
    clauses
}

/// A whole word, or else all of the shorter words that make it up: a dictionary compound
/// (桥梁工程) is often written differently in a document (桥梁 ... 工程, 桥梁的工程).
fn word_or_parts(fields: &Fields, word: &Word, chunk: &[Word]) -> Box<dyn TantivyQuery> {
    let whole = any_field(fields, &word.text, 1.0);
    let parts = cover(word, chunk.iter().filter(|w| !w.whole));
    if parts.len() < 2 {
        return whole;
    }
    let w = WEIGHTS;
    let parts = parts
        .into_iter()
        .map(|p| (Occur::Must, any_field(fields, &p.text, w.parts)))
        .collect();
    let parts: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(parts));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, whole),
        (Occur::Should, parts),
    ]))
}

/// Inner words that cover `word` end to end without overlapping, longest first at each step;
/// empty when they leave a gap.
fn cover<'a>(word: &Word, inner: impl Iterator<Item = &'a Word>) -> Vec<&'a Word> {
    let inside: Vec<&Word> = inner
        .filter(|w| w.position >= word.position && w.position + w.len <= word.position + word.len)
        .collect();
    let mut out = Vec::new();
    let mut at = word.position;
    while at < word.position + word.len {
        let next = inside
            .iter()
            .filter(|w| w.position == at)
            .max_by_key(|w| w.len);
        match next {
            Some(w) => {
                out.push(*w);
                at += w.len;
            }
            None => return Vec::new(),
        }
    }
    out
}

/// A word in the title, body or tags, as a word of its own or (for less) inside a longer word;
/// the scores add up, so a word in several fields counts more.
fn any_field(fields: &Fields, word: &str, scale: f32) -> Box<dyn TantivyQuery> {
    let w = WEIGHTS;
    let inside = inner_term(word);
    let mut parts = Vec::with_capacity(6);
    for (field, boost) in [
        (fields.title, w.title),
        (fields.body, w.body),
        (fields.tags, w.tags),
    ] {
        parts.push((Occur::Should, term(field, word, boost * scale)));
        parts.push((
            Occur::Should,
            term(field, &inside, boost * scale * w.inside),
        ));
    }
    Box::new(BooleanQuery::new(parts))
}

/// A quoted phrase, required in one of the fields. A phrase of one word is that word.
fn required_phrase(fields: &Fields, words: &[Word]) -> Box<dyn TantivyQuery> {
    let w = WEIGHTS;
    let whole: Vec<&Word> = words.iter().filter(|w| w.whole).collect();
    if let [only] = whole[..] {
        return any_field(fields, &only.text, w.phrase_title / w.title);
    }
    let parts = [
        (fields.title, w.phrase_title),
        (fields.body, w.phrase_body),
        (fields.tags, w.phrase_title),
    ]
    .into_iter()
    .filter_map(|(field, boost)| {
        let q = phrase(field, words, 0)?;
        Some((
            Occur::Should,
            Box::new(BoostQuery::new(q, boost)) as Box<dyn TantivyQuery>,
        ))
    })
    .collect();
    Box::new(BooleanQuery::new(parts))
}

/// A phrase of the whole words at their character offsets (what the index stores), or `None`
/// for fewer than two words.
fn phrase(field: Field, words: &[Word], slop: u32) -> Option<Box<dyn TantivyQuery>> {
    let terms: Vec<(usize, Term)> = words
        .iter()
        .filter(|w| w.whole)
        .map(|w| (w.position, Term::from_field_text(field, &w.text)))
        .collect();
    (terms.len() > 1).then(|| {
        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)) as Box<dyn TantivyQuery>
    })
}

/// The pieces' words with offsets as if the pieces were written without the spaces.
fn join_chunks(chunks: &[Vec<Word>]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut base = 0;
    for chunk in chunks {
        let first = chunk.iter().map(|w| w.position).min().unwrap_or(0);
        let mut end = base;
        for w in chunk.iter().filter(|w| w.whole) {
            let position = base + w.position - first;
            end = end.max(position + w.len);
            out.push(Word {
                position,
                ..w.clone()
            });
        }
        base = end;
    }
    out
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn TantivyQuery> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// The filters and the permission, as required clauses that add nothing to the score. Each is
/// checked lazily against the documents the words match (term postings are skipped through, the
/// permission reads a fast field), so a filter that matches nearly everything costs little.
pub(crate) fn filter_clauses(
    fields: &Fields,
    filters: &Filters,
    permission: &Permission,
) -> Vec<Clause> {
    let mut sets: Vec<Vec<Term>> = Vec::new();
    let strings = [
        (fields.kind, &filters.kinds),
        (fields.industry, &filters.industries),
        (fields.region, &filters.regions),
        (fields.status, &filters.statuses),
    ];
    for (field, values) in strings {
        if !values.is_empty() {
            sets.push(
                values
                    .iter()
                    .map(|v| Term::from_field_text(field, v))
                    .collect(),
            );
        }
    }
    if !filters.years.is_empty() {
        let years = filters.years.iter();
        sets.push(
            years
                .map(|&y| Term::from_field_i64(fields.year, y))
                .collect(),
        );
    }
    let mut clauses: Vec<Clause> = sets
        .into_iter()
        .map(|terms| {
            let any: Vec<Clause> = terms
                .into_iter()
                .map(|t| {
                    let q: Box<dyn TantivyQuery> =
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            let any: Box<dyn TantivyQuery> = Box::new(BooleanQuery::new(any));
            (Occur::Must, no_score(any))
        })
        .collect();
    if !permission.read_all {
        clauses.push((Occur::Must, no_score(Box::new(visible_to(permission)))));
    }
    clauses
}

/// Documents the reader may see: public ones and those of the reader's alliances.
fn visible_to(permission: &Permission) -> DocPredicateQuery {
    let mut allowed = permission.allowed_alliances.clone();
    allowed.sort_unstable();
    allowed.dedup();
    let allowed: Arc<[i64]> = allowed.into();
    let predicate = FunctionPredicate::from(move |segment: &SegmentReader| {
        let column = segment.fast_fields().column_opt::<i64>(ALLIANCE)?;
        let allowed = allowed.clone();
        Ok(move |doc: DocId| {
            let alliance = column.as_ref().and_then(|c| c.first(doc)).unwrap_or(PUBLIC);
            alliance == PUBLIC || allowed.binary_search(&alliance).is_ok()
        })
    });
    predicate.into()
}

fn no_score(query: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}
