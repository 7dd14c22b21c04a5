//! Changes to the index in service: upsert and delete by key, and commits that record the last
//! applied outbox id in the commit payload so that the indexer resumes exactly there.
//!
//! Changes are buffered in the writer and become visible together at the next
//! [`commit`](SearchIndex::commit). Every call here blocks (tantivy does file I/O and may wait
//! for its indexing threads); an async caller runs them in `spawn_blocking`.

use tantivy::{IndexWriter, Term};

use crate::document::{DocKey, Document, Visibility};
use crate::error::SearchError;
use crate::index::{Generation, SearchIndex};

impl SearchIndex {
    /// Adds `doc`, replacing any document with the same (kind, id). Visible after the next
    /// commit.
    pub fn upsert(&self, doc: &Document) -> Result<(), SearchError> {
        check_document(doc)?;
        self.with_writer(|generation, writer| {
            let f = &generation.fields;
            writer.delete_term(Term::from_field_text(f.key, &doc.key().term_text()));
            writer.add_document(f.tantivy_document(doc))?;
            Ok(())
        })
    }

    /// Removes the document with this key, if any. Visible after the next commit.
    pub fn delete(&self, key: &DocKey) -> Result<(), SearchError> {
        self.with_writer(|generation, writer| {
            writer.delete_term(Term::from_field_text(
                generation.fields.key,
                &key.term_text(),
            ));
            Ok(())
        })
    }

    /// Commits the buffered changes and makes them searchable. `last_applied` is the id of the
    /// last outbox row these changes include; `None` keeps the id of the previous commit.
    pub fn commit(&self, last_applied: Option<i64>) -> Result<(), SearchError> {
        self.with_writer(|generation, writer| {
            let payload = match last_applied {
                Some(id) => Some(id.to_string()),
                // A commit without a payload would erase the stored id: carry it over.
                None => generation.index.load_metas()?.payload,
            };
            let mut prepared = writer.prepare_commit()?;
            if let Some(payload) = payload {
                prepared.set_payload(&payload);
            }
            prepared.commit()?;
            generation.reader.reload()?;
            Ok(())
        })
    }

    /// Drops the changes buffered since the last commit.
    pub fn rollback(&self) -> Result<(), SearchError> {
        self.with_writer(|_, writer| {
            writer.rollback()?;
            Ok(())
        })
    }

    /// The last applied outbox id recorded by the last commit, read back from the index's
    /// metadata (so it survives restarts). `None` for an index never committed with one.
    pub fn last_applied(&self) -> Result<Option<i64>, SearchError> {
        let payload = self.current().index.load_metas()?.payload;
        Ok(payload.and_then(|p| p.trim().parse().ok()))
    }

    /// The number of searchable documents (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.current().reader.searcher().num_docs()
    }

    /// Runs `f` with the writer of the generation in service. A generation can be replaced
    /// between fetching it and locking its writer; then the writer is gone and the new
    /// generation is used instead.
    fn with_writer<R>(
        &self,
        mut f: impl FnMut(&Generation, &mut IndexWriter) -> Result<R, SearchError>,
    ) -> Result<R, SearchError> {
        if self.is_read_only() {
            return Err(SearchError::ReadOnly);
        }
        loop {
            let generation = self.current();
            let mut guard = generation.writer();
            if let Some(writer) = guard.as_mut() {
                return f(&generation, writer);
            }
        }
    }
}

/// Kinds are short lower-case codes and alliance ids positive; anything else is a bug in the
/// caller.
pub(crate) fn check_document(doc: &Document) -> Result<(), SearchError> {
    let kind = &doc.kind;
    let kind_ok = !kind.is_empty()
        && kind.len() <= 32
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !kind_ok {
        return Err(SearchError::Invalid(
            "kind must be 1 to 32 characters of a-z, 0-9 and _",
        ));
    }
    if matches!(doc.visibility, Visibility::Alliance(id) if id <= 0) {
        return Err(SearchError::Invalid("alliance ids must be positive"));
    }
    Ok(())
}
