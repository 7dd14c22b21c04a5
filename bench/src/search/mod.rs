//! Search: relevance on real Chinese abstracts against two baselines, then indexing speed,
//! query latency and index size on a generated corpus.

mod closeness;
mod corpus;
mod relevance;
mod speed;

use std::path::PathBuf;

use lianmeng_search::WriterOptions;

/// The quick run made before a larger one, so a short run is possible.
const QUICK_DOCS: usize = 100_000;

#[derive(clap::Args)]
pub struct Args {
    /// The CSL corpus (JSON lines: id, title, abstract, keywords).
    #[arg(long)]
    corpus: PathBuf,
    /// Documents to generate for the speed run (a run at 100,000 comes first).
    #[arg(long, default_value_t = 1_000_000)]
    docs: usize,
    /// Most keyword queries in the relevance run.
    #[arg(long, default_value_t = 500)]
    queries: usize,
    /// Timed queries per speed run.
    #[arg(long, default_value_t = 5_000)]
    timed: usize,
    /// Indexing heap for the speed run, in MB.
    #[arg(long, default_value_t = 384)]
    heap_mb: usize,
    /// Indexing threads for the speed run (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Only the relevance run.
    #[arg(long)]
    relevance_only: bool,
    /// Also list the N queries where lianmeng trails substring matching the most.
    #[arg(long, default_value_t = 0)]
    worst: usize,
}

/// The similar check's cut-off, measured on the CSL corpus.
#[derive(clap::Args)]
pub struct SimilarArgs {
    /// The CSL corpus (JSON lines: id, title, abstract, keywords).
    #[arg(long)]
    corpus: PathBuf,
    /// Take every Nth record as a draft.
    #[arg(long, default_value_t = 5)]
    every: usize,
}

pub fn run_similar(args: SimilarArgs) -> anyhow::Result<()> {
    let records = corpus::load(&args.corpus)?;
    let outcomes = closeness::run(&records, args.every)?;
    closeness::print(&outcomes, records.len());
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let records = corpus::load(&args.corpus)?;
    let queries = corpus::keyword_queries(&records, args.queries);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "Search benchmark: {} records from {}, {cores} cores",
        records.len(),
        args.corpus.display()
    );

    let r = relevance::run(&records, &queries)?;
    println!();
    println!(
        "Relevance: nDCG@10 over {} author-keyword queries (keywords of >= 2 records; {} of two characters)",
        r.queries, r.two_char_queries
    );
    println!("  {:<34} {:>8} {:>14}", "", "all", "two-character");
    for (name, s) in [
        ("lianmeng (jieba + BM25 + phrases)", r.ours),
        ("substring, by occurrence count", r.substring),
        ("SQLite FTS5 trigram, bm25", r.trigram),
    ] {
        let failed = if s.failed > 0 {
            format!("  ({} queries failed)", s.failed)
        } else {
            String::new()
        };
        println!("  {name:<34} {:>8.3} {:>14.3}{failed}", s.all, s.two_chars);
    }
    if args.worst > 0 {
        println!();
        println!(
            "  Queries where lianmeng trails substring matching the most (ours / substring, relevant records):"
        );
        for q in r.worst(args.worst) {
            println!(
                "  {:>6.3} {:>6.3} {:>4}  {}",
                q.ours, q.substring, q.relevant, q.keyword
            );
        }
    }
    if args.relevance_only {
        return Ok(());
    }

    let keywords: Vec<String> = corpus::keyword_queries(&records, usize::MAX)
        .into_iter()
        .map(|q| q.keyword)
        .collect();
    let short = speed::short_queries(&keywords);
    let writer = WriterOptions {
        heap_bytes: args.heap_mb << 20,
        threads: args.threads.unwrap_or(WriterOptions::bulk().threads),
    };
    let mut sizes = vec![args.docs.min(QUICK_DOCS)];
    if args.docs > QUICK_DOCS {
        sizes.push(args.docs);
    }
    for docs in sizes {
        println!();
        println!(
            "Speed: {docs} generated documents (a real title and 3-4 real sentences each), writer {} MB x {} threads",
            args.heap_mb, writer.threads
        );
        let s = speed::run(&records, &short, docs, writer, args.timed)?;
        println!(
            "  indexing  {:>9.0} docs/s  ({:.1} s to add, {:.1} s with commit and merges; {:.1} MB of text, {:.0} bytes/doc)",
            s.docs_per_sec(),
            s.add_secs,
            s.total_secs,
            s.text_bytes as f64 / 1e6,
            s.text_bytes as f64 / docs as f64
        );
        if let Some(cpu) = s.cpu_secs {
            println!(
                "            {:>9.0} docs per CPU-second ({cpu:.1} CPU-s; {cores} cores could do {:.0} docs/s)",
                docs as f64 / cpu,
                cores as f64 * docs as f64 / cpu
            );
        }
        println!(
            "  size      {:>9.1} MB on disk, {} segments ({:.0} bytes/doc)",
            s.size_bytes as f64 / 1e6,
            s.segments,
            s.size_bytes as f64 / docs as f64
        );
        println!(
            "  queries   p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} runs of {} one- to three-word queries, {:.0} matches on average; page of 10 + total + facets + snippets)",
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            s.timed_queries,
            s.distinct_queries,
            s.mean_hits
        );
    }
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
