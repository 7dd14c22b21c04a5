//! The search indexer: tails the outbox into this node's tantivy index and commits with the
//! last applied outbox id in the commit payload, so a restart resumes exactly there. Every node
//! runs its own; applying a change twice is harmless (an upsert replaces).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use lianmeng_search::{DocKey, Document, SearchIndex};
use tokio::sync::watch;

use crate::store::{Db, outbox};

/// How often the indexer looks for new outbox rows written by other nodes (or missed).
const POLL: Duration = Duration::from_millis(200);
/// After an append on this node, the indexer looks this often, for [`SETTLE`], until the
/// transaction that wrote the row has committed and the row can be read.
const QUICK: Duration = Duration::from_millis(3);
const SETTLE: Duration = Duration::from_millis(250);
/// Outbox rows applied per commit.
const BATCH: i64 = 500;

/// Runs until `stop` turns true; errors are logged and retried, never fatal.
pub async fn run(db: Db, index: Arc<SearchIndex>, mut stop: watch::Receiver<bool>) {
    // Until when to look every QUICK rather than every POLL.
    let mut quick_until = Instant::now();
    loop {
        let appends = outbox::appends();
        match catch_up(&db, &index).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(applied = n, "search index caught up"),
            Err(e) => tracing::error!(error = %e, "search indexing failed; retrying"),
        }
        // Rows appended on this node since the pass began may still be committing.
        if outbox::appends() != appends {
            quick_until = Instant::now() + SETTLE;
        }
        let wait = if Instant::now() < quick_until {
            QUICK
        } else {
            POLL
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = outbox::appended() => quick_until = Instant::now() + SETTLE,
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// Applies every outbox row after the index's last applied id; returns how many.
pub async fn catch_up(db: &Db, search: &Arc<SearchIndex>) -> anyhow::Result<usize> {
    // A rebuild published by `lianmeng reindex` replaces what we serve, then we go on from it.
    let index = search.clone();
    if tokio::task::spawn_blocking(move || index.follow_current()).await?? {
        tracing::info!("switched to a rebuilt search index");
    }
    let index = search.clone();
    let mut after = tokio::task::spawn_blocking(move || index.last_applied())
        .await??
        .unwrap_or(0);
    let mut applied = 0;
    loop {
        let rows = outbox::after(db.reader(), after, BATCH).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(applied);
        };
        // The newest state of each entity is what counts: load each once.
        let entities: BTreeMap<(String, i64), ()> = rows
            .iter()
            .map(|r| ((r.kind.clone(), r.entity_id), ()))
            .collect();
        let mut changes: Vec<(DocKey, Option<Document>)> = Vec::with_capacity(entities.len());
        for (kind, id) in entities.into_keys() {
            let doc = crate::service::search::document(db, &kind, id)
                .await
                .map_err(|e| anyhow::anyhow!("loading {kind} {id}: {e}"))?;
            changes.push((DocKey::new(kind, id), doc));
        }
        let index = search.clone();
        tokio::task::spawn_blocking(move || {
            for (key, doc) in &changes {
                match doc {
                    Some(d) => index.upsert(d)?,
                    None => index.delete(key)?,
                }
            }
            index.commit(Some(last))
        })
        .await??;
        applied += rows.len();
        after = last;
    }
}

/// Rebuilds the index from the database into a new generation and publishes it; a running
/// server keeps serving the old one and switches when it sees the new one. `progress` hears
/// (done, total) as it goes.
pub async fn rebuild(
    db: &Db,
    data_dir: &Path,
    progress: impl Fn(usize, usize),
) -> anyhow::Result<usize> {
    let (entities, last) = outbox::entities(db.reader()).await?;
    let root = data_dir.join("search");
    let mut building = tokio::task::spawn_blocking(move || {
        lianmeng_search::Rebuild::create(root, lianmeng_search::WriterOptions::bulk())
    })
    .await??;
    let total = entities.len();
    let mut batch = Vec::new();
    for (done, (kind, id)) in entities.into_iter().enumerate() {
        if let Some(doc) = crate::service::search::document(db, &kind, id)
            .await
            .map_err(|e| anyhow::anyhow!("loading {kind} {id}: {e}"))?
        {
            batch.push(doc);
        }
        if batch.len() >= 1000 || done + 1 == total {
            let docs = std::mem::take(&mut batch);
            building = tokio::task::spawn_blocking(move || {
                for d in &docs {
                    building.add(d)?;
                }
                Ok::<_, lianmeng_search::SearchError>(building)
            })
            .await??;
            progress(done + 1, total);
        }
    }
    let added = building.added() as usize;
    tokio::task::spawn_blocking(move || building.finish(Some(last))?.publish()).await??;
    Ok(added)
}
