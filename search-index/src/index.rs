//! The process's one [`SearchIndex`]: opening (or creating) the current generation of the index,
//! falling back to an empty index when it is missing or corrupt, and switching generations.
//!
//! Layout: `<root>/<generation>/` holds a tantivy index and `<root>/current` names the one in
//! service. A rebuild fills a new generation beside it and then swaps the pointer, so searches
//! keep being served by the old one until the new one is complete.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use crate::analysis::register_tokenizers;
use crate::error::SearchError;
use crate::schema::{self, Fields};

const POINTER: &str = "current";

/// How much memory and how many threads an index writer uses.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Total indexing heap in bytes, split between the threads (at least 15 MB per thread).
    pub heap_bytes: usize,
    /// Indexing threads.
    pub threads: usize,
}

impl Default for WriterOptions {
    /// What a server needs for a trickle of changes: one thread, 64 MB.
    fn default() -> Self {
        Self {
            heap_bytes: 64 << 20,
            threads: 1,
        }
    }
}

impl WriterOptions {
    /// For bulk loads (a rebuild): a few hundred MB and one thread per core.
    pub fn bulk() -> Self {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        Self {
            heap_bytes: 384 << 20,
            threads,
        }
    }
}

/// The Chinese full-text index of the platform. One per process: it holds the one reader
/// (reloaded on every commit) and the one writer (behind a mutex); every search takes a fresh
/// searcher from the reader.
pub struct SearchIndex {
    root: PathBuf,
    writer_options: WriterOptions,
    current: RwLock<Arc<Generation>>,
    needs_rebuild: AtomicBool,
    read_only: bool,
}

/// One generation of the index on disk, with its reader and writer.
pub(crate) struct Generation {
    pub name: String,
    pub dir: PathBuf,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// `None` once the generation has been replaced (its writer is dropped so that its lock and
    /// merge threads go away before the directory is removed), and always in a read-only index.
    writer: Mutex<Option<IndexWriter>>,
}

impl Generation {
    /// Wraps an index that has just been opened or created.
    pub fn from_index(
        name: String,
        dir: PathBuf,
        mut index: Index,
        options: Option<WriterOptions>,
    ) -> Result<Self, SearchError> {
        register_tokenizers(&index);
        // Segments are searched in parallel: a query matching half of a million documents
        // takes half the time on two cores.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        let fields = Fields::of(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = match options {
            Some(o) => Some(index.writer_with_num_threads(o.threads, o.heap_bytes)?),
            None => None,
        };
        Ok(Self {
            name,
            dir,
            index,
            reader,
            fields,
            writer: Mutex::new(writer),
        })
    }

    /// Opens an existing generation; fails on anything unexpected, including an index made
    /// with another schema (an older version of this crate).
    fn open(
        name: String,
        dir: PathBuf,
        options: Option<WriterOptions>,
    ) -> Result<Self, SearchError> {
        let index = Index::open_in_dir(&dir)?;
        if index.schema() != schema::build() {
            return Err(TantivyError::SchemaError("the index has an older schema".into()).into());
        }
        Self::from_index(name, dir, index, options)
    }

    /// The writer, or `None` if this generation has been replaced.
    pub fn writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SearchIndex {
    /// Opens the index under `root`, creating it if missing. A missing, corrupt or outdated
    /// index is replaced by an empty one and [`needs_rebuild`](Self::needs_rebuild) says so;
    /// only a failure to use the directory at all (permissions, disk, a writer lock held by
    /// another process) is an error.
    pub fn open(
        root: impl AsRef<Path>,
        writer_options: WriterOptions,
    ) -> Result<Self, SearchError> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root)?;
        let (generation, needs_rebuild) = match read_pointer(&root) {
            Some(name) => {
                let dir = root.join(&name);
                match Generation::open(name, dir, Some(writer_options)) {
                    Ok(g) => (g, false),
                    Err(SearchError::Index(e @ TantivyError::LockFailure(..))) => {
                        return Err(e.into());
                    }
                    Err(_) => (create_generation(&root, writer_options)?, true),
                }
            }
            None => (create_generation(&root, writer_options)?, true),
        };
        write_pointer(&root, &generation.name)?;
        remove_older_generations(&root, &generation.name);
        Ok(Self {
            root,
            writer_options,
            current: RwLock::new(Arc::new(generation)),
            needs_rebuild: AtomicBool::new(needs_rebuild),
            read_only: false,
        })
    }

    /// Opens the index under `root` for searching only, without taking the writer lock, so a
    /// command can run beside a server that holds it. Nothing on disk is created, replaced or
    /// removed: a missing or unreadable index is stood in for by an empty one in memory, and
    /// every write answers [`SearchError::ReadOnly`].
    pub fn open_read_only(root: impl AsRef<Path>) -> Result<Self, SearchError> {
        let root = root.as_ref().to_path_buf();
        let on_disk = read_pointer(&root)
            .and_then(|name| Generation::open(name.clone(), root.join(name), None).ok());
        let (generation, needs_rebuild) = match on_disk {
            Some(g) => (g, false),
            None => {
                let index = Index::create_in_ram(schema::build());
                (
                    Generation::from_index("memory".into(), root.clone(), index, None)?,
                    true,
                )
            }
        };
        Ok(Self {
            root,
            writer_options: WriterOptions::default(),
            current: RwLock::new(Arc::new(generation)),
            needs_rebuild: AtomicBool::new(needs_rebuild),
            read_only: true,
        })
    }

    /// True when this handle was opened with [`open_read_only`](Self::open_read_only).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// True when the index was missing or unreadable at open and was replaced by an empty one:
    /// the caller should rebuild it from the database.
    pub fn needs_rebuild(&self) -> bool {
        self.needs_rebuild.load(Ordering::Relaxed)
    }

    /// The directory holding every generation.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The generation in service.
    pub(crate) fn current(&self) -> Arc<Generation> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The writer options this index was opened with.
    pub(crate) fn writer_options(&self) -> WriterOptions {
        self.writer_options
    }

    /// Puts `generation` in service: the pointer file first (so a restart opens it), then the
    /// in-memory switch. Searches already running finish on the old one.
    pub(crate) fn switch_to(&self, generation: Generation) -> Result<(), SearchError> {
        if self.read_only {
            return Err(SearchError::ReadOnly);
        }
        write_pointer(&self.root, &generation.name)?;
        let old = {
            let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
            std::mem::replace(&mut *current, Arc::new(generation))
        };
        self.needs_rebuild.store(false, Ordering::Relaxed);
        drop(old.writer().take());
        // Open searchers keep their files mapped, so removing the directory is safe on Unix.
        let _ = fs::remove_dir_all(&old.dir);
        Ok(())
    }

    /// Switches to the generation the pointer file names if another process (`lianmeng
    /// reindex`) has published a new one. Returns whether it switched.
    pub fn follow_current(&self) -> Result<bool, SearchError> {
        if self.read_only {
            return Ok(false);
        }
        let Some(name) = read_pointer(&self.root) else {
            return Ok(false);
        };
        if name == self.current().name {
            return Ok(false);
        }
        let dir = self.root.join(&name);
        let generation = Generation::open(name, dir, Some(self.writer_options))?;
        self.switch_to(generation)?;
        Ok(true)
    }
}

/// Creates an empty generation with the next free name.
pub(crate) fn create_generation(
    root: &Path,
    options: WriterOptions,
) -> Result<Generation, SearchError> {
    let (name, dir) = new_generation_dir(root)?;
    let index = Index::create_in_dir(&dir, schema::build())?;
    Generation::from_index(name, dir, index, Some(options))
}

/// Makes the directory of a new generation, numbered after every existing one.
pub(crate) fn new_generation_dir(root: &Path) -> Result<(String, PathBuf), SearchError> {
    let next = generations(root).into_iter().max().map_or(1, |n| n + 1);
    let name = format!("g{next:06}");
    let dir = root.join(&name);
    fs::create_dir_all(&dir)?;
    Ok((name, dir))
}

/// The numbers of the generation directories under `root`.
fn generations(root: &Path) -> Vec<u64> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| generation_number(&e.file_name().to_string_lossy()))
        .collect()
}

fn generation_number(name: &str) -> Option<u64> {
    name.strip_prefix('g')?.parse().ok()
}

/// Removes generations older than the one in service (left by a crash or a past swap). Newer
/// ones may be a rebuild in progress in another process and are left alone.
fn remove_older_generations(root: &Path, current: &str) {
    let Some(current) = generation_number(current) else {
        return;
    };
    for n in generations(root).into_iter().filter(|&n| n < current) {
        let _ = fs::remove_dir_all(root.join(format!("g{n:06}")));
    }
}

/// The generation the pointer file names, if the file exists and names a plausible one.
fn read_pointer(root: &Path) -> Option<String> {
    let name = fs::read_to_string(root.join(POINTER)).ok()?;
    let name = name.trim();
    generation_number(name)?;
    root.join(name).is_dir().then(|| name.to_string())
}

/// Writes the pointer file atomically (write a temporary file, sync, rename), so a crash leaves
/// either the old name or the new one.
pub(crate) fn write_pointer(root: &Path, name: &str) -> Result<(), SearchError> {
    let tmp = root.join(format!("{POINTER}.tmp"));
    let mut file = fs::File::create(&tmp)?;
    file.write_all(name.as_bytes())?;
    file.sync_all()?;
    fs::rename(&tmp, root.join(POINTER))?;
    if let Ok(dir) = fs::File::open(root) {
        let _ = dir.sync_all();
    }
    Ok(())
}
