//! Rebuilding the index from scratch while the old one keeps serving: a new generation is filled
//! in a sibling directory, committed with the outbox id it is complete up to, and then swapped in
//! (in this process) or published for the serving process to follow.

use std::fs;
use std::path::{Path, PathBuf};

use tantivy::{Index, IndexWriter};

use crate::document::Document;
use crate::error::SearchError;
use crate::index::{Generation, SearchIndex, WriterOptions, new_generation_dir, write_pointer};
use crate::schema::{self, Fields};
use crate::writer::check_document;

/// A new generation being filled. Dropping it unfinished removes its directory.
pub struct Rebuild {
    root: PathBuf,
    name: String,
    dir: PathBuf,
    index: Index,
    fields: Fields,
    writer: Option<IndexWriter>,
    added: u64,
}

/// A complete generation, committed but not yet in service. Dropping it without
/// [`SearchIndex::swap_in`] or [`Built::publish`] removes its directory.
pub struct Built {
    root: PathBuf,
    name: String,
    dir: PathBuf,
    index: Option<Index>,
}

impl Rebuild {
    /// Starts a new generation under `root`, beside the one in service, without opening that
    /// one: for a separate process such as `lianmeng reindex`.
    pub fn create(root: impl AsRef<Path>, options: WriterOptions) -> Result<Self, SearchError> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root)?;
        let (name, dir) = new_generation_dir(&root)?;
        let index = Index::create_in_dir(&dir, schema::build())?;
        crate::analysis::register_tokenizers(&index);
        let fields = Fields::of(&index.schema())?;
        let writer = index.writer_with_num_threads(options.threads, options.heap_bytes)?;
        Ok(Self {
            root,
            name,
            dir,
            index,
            fields,
            writer: Some(writer),
            added: 0,
        })
    }

    /// Adds a document. Keys must be unique within a rebuild (it starts empty, so nothing is
    /// replaced; skipping the delete makes bulk loads faster).
    pub fn add(&mut self, doc: &Document) -> Result<(), SearchError> {
        check_document(doc)?;
        if let Some(writer) = &self.writer {
            writer.add_document(self.fields.tantivy_document(doc))?;
            self.added += 1;
        }
        Ok(())
    }

    /// How many documents were added so far (for a progress bar).
    pub fn added(&self) -> u64 {
        self.added
    }

    /// Commits with `last_applied` (the outbox id the source data was complete up to) in the
    /// payload and waits for background merges, so the generation is ready to serve.
    pub fn finish(mut self, last_applied: Option<i64>) -> Result<Built, SearchError> {
        // On an error before the commit the writer is still here, and dropping `self` removes
        // the directory.
        let writer = self.writer.as_mut().expect("present until finish");
        let mut prepared = writer.prepare_commit()?;
        if let Some(id) = last_applied {
            prepared.set_payload(&id.to_string());
        }
        prepared.commit()?;
        let writer = self.writer.take().expect("present until finish");
        if let Err(e) = writer.wait_merging_threads() {
            let _ = fs::remove_dir_all(&self.dir);
            return Err(e.into());
        }
        Ok(Built {
            root: self.root.clone(),
            name: std::mem::take(&mut self.name),
            dir: std::mem::take(&mut self.dir),
            index: Some(self.index.clone()),
        })
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        // Unfinished: stop the writer (it holds a lock in the directory), then clean up.
        if let Some(writer) = self.writer.take() {
            drop(writer);
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Built {
    /// Names this generation in the pointer file so that the next open, or a serving process's
    /// [`SearchIndex::follow_current`], uses it.
    pub fn publish(mut self) -> Result<(), SearchError> {
        write_pointer(&self.root, &self.name)?;
        self.index = None;
        Ok(())
    }
}

impl Drop for Built {
    fn drop(&mut self) {
        if self.index.take().is_some() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl SearchIndex {
    /// Starts a rebuild beside the generation in service, which keeps serving meanwhile.
    pub fn start_rebuild(&self, options: WriterOptions) -> Result<Rebuild, SearchError> {
        Rebuild::create(self.root(), options)
    }

    /// Puts a finished rebuild in service and removes the old generation. The indexer should
    /// then resume from [`last_applied`](Self::last_applied), which is now the rebuild's.
    pub fn swap_in(&self, mut built: Built) -> Result<(), SearchError> {
        if built.root != self.root() {
            return Err(SearchError::Invalid(
                "the rebuild belongs to another index directory",
            ));
        }
        let index = built.index.take().expect("present until consumed");
        let name = std::mem::take(&mut built.name);
        let dir = std::mem::take(&mut built.dir);
        match Generation::from_index(name, dir.clone(), index, Some(self.writer_options())) {
            Ok(generation) => self.switch_to(generation),
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }
}
