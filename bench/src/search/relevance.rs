//! Relevance on real text: the CSL records indexed as outcomes (title and abstract only, never
//! the keywords), each keyword as a query, nDCG@10 with the records whose authors listed the
//! keyword as the relevant ones. Two baselines in the same run: substring matching ranked by
//! occurrence count, and SQLite FTS5 with the trigram tokenizer ranked by bm25.

use std::collections::BTreeSet;

use lianmeng_search::{Document, Permission, Query, SearchIndex, WriterOptions, kinds};
use rusqlite::Connection;

use super::corpus::{KeywordQuery, Record};

/// Mean nDCG@10 of one ranker, over all queries and over the two-character ones.
#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub all: f64,
    pub two_chars: f64,
    pub failed: usize,
}

/// The three rankers' figures.
pub struct Report {
    pub queries: usize,
    pub two_char_queries: usize,
    pub ours: Score,
    pub substring: Score,
    pub trigram: Score,
    pub per_query: Vec<PerQuery>,
}

/// One query's nDCG@10 for lianmeng and for substring matching.
pub struct PerQuery {
    pub keyword: String,
    pub relevant: usize,
    pub ours: f64,
    pub substring: f64,
}

impl Report {
    /// The `n` queries where lianmeng trails substring matching the most.
    pub fn worst(&self, n: usize) -> Vec<&PerQuery> {
        let mut all: Vec<&PerQuery> = self.per_query.iter().collect();
        all.sort_by(|a, b| (a.ours - a.substring).total_cmp(&(b.ours - b.substring)));
        all.truncate(n);
        all
    }
}

pub fn run(records: &[Record], queries: &[KeywordQuery]) -> anyhow::Result<Report> {
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open(dir.path(), WriterOptions::default())?;
    for r in records {
        index.upsert(&Document::new(kinds::OUTCOME, r.id, &r.title, &r.abstract_))?;
    }
    index.commit(None)?;
    let fts = trigram_table(records)?;

    let (ours, ours_each) = score(queries, |q| {
        let mut query = Query::new(q, Permission::read_all());
        query.limit = 10;
        let results = index.search(&query).map_err(|e| e.to_string())?;
        Ok(results.items.iter().map(|h| h.id).collect())
    });
    let (substring, substring_each) = score(queries, |q| Ok(substring_top10(records, q)));
    let per_query = queries
        .iter()
        .zip(ours_each.into_iter().zip(substring_each))
        .map(|(q, (ours, substring))| PerQuery {
            keyword: q.keyword.clone(),
            relevant: q.relevant.len(),
            ours,
            substring,
        })
        .collect();
    let (trigram, _) = score(queries, |q| {
        trigram_top10(&fts, q).map_err(|e| e.to_string())
    });
    Ok(Report {
        queries: queries.len(),
        two_char_queries: queries.iter().filter(|q| is_two_chars(&q.keyword)).count(),
        ours,
        substring,
        trigram,
        per_query,
    })
}

fn is_two_chars(keyword: &str) -> bool {
    keyword.chars().count() == 2
}

/// Runs every query through `ranker`: the mean nDCG@10, and each query's. A ranker error
/// counts as an empty ranking (and is counted).
fn score(
    queries: &[KeywordQuery],
    mut ranker: impl FnMut(&str) -> Result<Vec<i64>, String>,
) -> (Score, Vec<f64>) {
    let (mut all, mut two, mut n_two, mut failed) = (0.0, 0.0, 0usize, 0usize);
    let mut each = Vec::with_capacity(queries.len());
    for q in queries {
        let ranking = ranker(&q.keyword).unwrap_or_else(|_| {
            failed += 1;
            Vec::new()
        });
        let g = ndcg_at_10(&ranking, &q.relevant);
        each.push(g);
        all += g;
        if is_two_chars(&q.keyword) {
            two += g;
            n_two += 1;
        }
    }
    let mean = Score {
        all: all / queries.len().max(1) as f64,
        two_chars: two / n_two.max(1) as f64,
        failed,
    };
    (mean, each)
}

/// nDCG@10 with binary gains.
pub fn ndcg_at_10(ranking: &[i64], relevant: &BTreeSet<i64>) -> f64 {
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, id)| relevant.contains(id))
        .map(|(i, _)| discount(i))
        .sum();
    let ideal: f64 = (0..relevant.len().min(10)).map(discount).sum();
    if ideal == 0.0 { 0.0 } else { dcg / ideal }
}

/// Records containing the keyword, by number of occurrences in title and abstract, then by id.
fn substring_top10(records: &[Record], keyword: &str) -> Vec<i64> {
    let mut counted: Vec<(usize, i64)> = records
        .iter()
        .map(|r| {
            (
                r.title.matches(keyword).count() + r.abstract_.matches(keyword).count(),
                r.id,
            )
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    counted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    counted.into_iter().take(10).map(|(_, id)| id).collect()
}

/// An in-memory FTS5 table of the records with the trigram tokenizer.
fn trigram_table(records: &[Record]) -> anyhow::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'trigram');")?;
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO docs (rowid, title, body) VALUES (?1, ?2, ?3)")?;
        for r in records {
            insert.execute((r.id, &r.title, &r.abstract_))?;
        }
    }
    tx.commit()?;
    Ok(conn)
}

/// The keyword as one FTS5 string (so its characters are not FTS5 syntax), ranked by bm25.
fn trigram_top10(conn: &Connection, keyword: &str) -> rusqlite::Result<Vec<i64>> {
    let quoted = format!("\"{}\"", keyword.replace('"', "\"\""));
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 10",
    )?;
    let rows = stmt.query_map([quoted], |row| row.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_is_one_for_an_ideal_ranking_and_less_otherwise() {
        let relevant: BTreeSet<i64> = [1, 2].into();
        assert!((ndcg_at_10(&[1, 2, 3], &relevant) - 1.0).abs() < 1e-9);
        assert!(ndcg_at_10(&[3, 1, 2], &relevant) < 1.0);
        assert_eq!(ndcg_at_10(&[], &relevant), 0.0);
        assert_eq!(ndcg_at_10(&[3, 4], &relevant), 0.0);
    }
}
