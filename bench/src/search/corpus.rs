//! The CSL corpus (real Chinese abstracts with their authors' keywords): loading it, choosing
//! the keyword queries, and generating any number of documents from its sentences.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lianmeng_search::{Document, Visibility, kinds};
use serde::Deserialize;

/// One CSL record.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    pub id: i64,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_: String,
    #[serde(default)]
    pub discipline: String,
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// Reads the JSON-lines file.
pub fn load(path: &Path) -> anyhow::Result<Vec<Record>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Ok(serde_json::from_str(l)?))
        .collect()
}

/// A keyword query and the records whose authors listed that keyword.
pub struct KeywordQuery {
    pub keyword: String,
    pub relevant: BTreeSet<i64>,
}

/// Every keyword listed by at least two records, in a fixed pseudo-random order (by hash, so
/// neither the most generic nor the first keywords dominate), capped at `cap`.
pub fn keyword_queries(records: &[Record], cap: usize) -> Vec<KeywordQuery> {
    let mut by_keyword: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for r in records {
        for k in &r.keywords {
            let k = k.trim();
            if !k.is_empty() {
                by_keyword.entry(k).or_default().insert(r.id);
            }
        }
    }
    let mut queries: Vec<KeywordQuery> = by_keyword
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 2)
        .map(|(k, ids)| KeywordQuery {
            keyword: k.to_string(),
            relevant: ids,
        })
        .collect();
    queries.sort_by_key(|q| (fnv1a(&q.keyword), q.keyword.clone()));
    queries.truncate(cap);
    queries
}

/// FNV-1a, a stable hash that does not depend on the Rust version.
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64: a tiny deterministic generator, so generated corpora are the same every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const REGIONS: [&str; 8] = [
    "beijing",
    "shanghai",
    "jiangsu",
    "zhejiang",
    "guangdong",
    "hubei",
    "sichuan",
    "liaoning",
];
const STATUSES: [&str; 4] = ["open", "awarded", "published", "closed"];
const KINDS: [&str; 4] = [
    kinds::CHALLENGE,
    kinds::OUTCOME,
    kinds::OUTCOME,
    kinds::STUDIO,
];

/// Makes documents that read like the corpus: a real title, and a body of three or four real
/// sentences drawn from any abstract, with facets and a few alliance-only documents.
pub struct Generator {
    titles: Vec<(String, String)>,
    sentences: Vec<String>,
    rng: Rng,
}

impl Generator {
    pub fn new(records: &[Record], seed: u64) -> Self {
        let titles = records
            .iter()
            .map(|r| (r.title.clone(), r.discipline.clone()))
            .collect();
        let mut sentences = Vec::new();
        for r in records {
            for s in sentences_of(&r.abstract_) {
                if s.chars().count() > 5 {
                    sentences.push(s.to_string());
                }
            }
        }
        Self {
            titles,
            sentences,
            rng: Rng::new(seed),
        }
    }

    /// The document with this id.
    pub fn document(&mut self, id: i64) -> Document {
        let (title, discipline) = self.titles[self.rng.below(self.titles.len())].clone();
        // Three or four sentences (four twice as often): 607 bytes of title and body on average,
        // as long as a CSL title and abstract (610).
        let n = if self.rng.below(3) == 0 { 3 } else { 4 };
        let mut body = String::new();
        for _ in 0..n {
            body.push_str(&self.sentences[self.rng.below(self.sentences.len())]);
        }
        let visibility = if self.rng.below(20) == 0 {
            Visibility::Alliance(1 + self.rng.below(50) as i64)
        } else {
            Visibility::Public
        };
        Document {
            industry: Some(discipline),
            region: Some(REGIONS[self.rng.below(REGIONS.len())].into()),
            status: Some(STATUSES[self.rng.below(STATUSES.len())].into()),
            year: Some(2015 + self.rng.below(11) as i64),
            visibility,
            studio_id: Some(1 + self.rng.below(20_000) as i64),
            ..Document::new(KINDS[self.rng.below(KINDS.len())], id, title, body)
        }
    }
}

/// Splits an abstract into sentences: at 。 ； ; and at a full stop that is not a decimal point
/// (many abstracts use Latin punctuation).
fn sentences_of(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if matches!(c, '。' | '；' | ';') || (c == '.' && !next_is_digit) {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}
