//! Speed and size: a generated corpus of N documents built through the rebuild path (the one
//! `lianmeng reindex` uses), then one- to three-word Chinese queries timed one after another
//! through the full search (page, total, facets, snippets, permission filter).

use std::path::Path;
use std::time::{Duration, Instant};

use lianmeng_search::{Permission, Query, SearchIndex, WriterOptions, analysis};

use super::corpus::{Generator, Record};

/// Figures of one run.
pub struct Report {
    pub docs: usize,
    pub add_secs: f64,
    pub total_secs: f64,
    /// CPU seconds of the whole process while indexing (all threads).
    pub cpu_secs: Option<f64>,
    pub text_bytes: u64,
    pub size_bytes: u64,
    pub segments: usize,
    pub distinct_queries: usize,
    pub timed_queries: usize,
    pub mean_hits: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Report {
    pub fn docs_per_sec(&self) -> f64 {
        self.docs as f64 / self.total_secs
    }
}

/// Queries of one to three words from the keyword list.
pub fn short_queries(keywords: &[String]) -> Vec<String> {
    keywords
        .iter()
        .filter(|k| {
            let words = analysis::analyze(k).iter().filter(|w| w.whole).count();
            (1..=3).contains(&words) && k.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        })
        .cloned()
        .collect()
}

pub fn run(
    records: &[Record],
    queries: &[String],
    docs: usize,
    writer: WriterOptions,
    timed: usize,
) -> anyhow::Result<Report> {
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open(dir.path(), WriterOptions::default())?;
    let mut generator = Generator::new(records, 0x5eed);
    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let mut rebuild = index.start_rebuild(writer)?;
    let mut text_bytes = 0u64;
    for id in 1..=docs {
        let doc = generator.document(id as i64);
        text_bytes += (doc.title.len() + doc.body.len()) as u64;
        rebuild.add(&doc)?;
        if id % 250_000 == 0 {
            eprintln!(
                "  {id} documents added ({:.1} s)",
                start.elapsed().as_secs_f64()
            );
        }
    }
    let add_secs = start.elapsed().as_secs_f64();
    let built = rebuild.finish(Some(docs as i64))?;
    let total_secs = start.elapsed().as_secs_f64();
    let cpu_secs = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    index.swap_in(built)?;
    let (size_bytes, segments) = disk_usage(dir.path())?;

    let run_one = |text: &str| -> anyhow::Result<(Duration, u64)> {
        let mut query = Query::new(text, Permission::member_of([1, 2, 3]));
        query.limit = 10;
        let t = Instant::now();
        let results = index.search(&query)?;
        Ok((t.elapsed(), results.total))
    };
    for q in queries {
        run_one(q)?;
    }
    let mut times = Vec::with_capacity(timed);
    let mut hits = 0u64;
    for i in 0..timed {
        let (t, total) = run_one(&queries[i % queries.len()])?;
        times.push(t);
        hits += total;
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    Ok(Report {
        docs,
        add_secs,
        total_secs,
        cpu_secs,
        text_bytes,
        size_bytes,
        segments,
        distinct_queries: queries.len(),
        timed_queries: timed,
        mean_hits: hits as f64 / timed.max(1) as f64,
        p50: pct(0.50),
        p99: pct(0.99),
        max: *times.last().unwrap_or(&Duration::ZERO),
    })
}

/// Bytes under `dir`, and the number of segments (one `.term` file each).
fn disk_usage(dir: &Path) -> std::io::Result<(u64, usize)> {
    let (mut bytes, mut segments) = (0, 0);
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        if meta.is_dir() {
            let (b, s) = disk_usage(&entry.path())?;
            bytes += b;
            segments += s;
        } else {
            bytes += meta.len();
            segments += usize::from(entry.path().extension().is_some_and(|e| e == "term"));
        }
    }
    Ok((bytes, segments))
}

/// CPU time of this process so far (user + system, all threads), from `/proc/self/stat`: the
/// machine may be shared, and CPU time says what the indexing costs whatever else runs.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel reports in USER_HZ, which is 100 on every Linux platform Rust targets.
    Some(ticks / 100.0)
}
