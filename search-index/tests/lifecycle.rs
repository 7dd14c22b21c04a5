//! The index on disk: the commit payload across restarts, missing and corrupt indexes, and
//! rebuilding beside the index in service.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{corpus, loaded_index};
use lianmeng_search::{Document, Permission, Query, Rebuild, SearchIndex, WriterOptions, kinds};

fn open(root: &Path) -> SearchIndex {
    SearchIndex::open(root, WriterOptions::default()).expect("open")
}

fn generation_dir(root: &Path) -> PathBuf {
    root.join(fs::read_to_string(root.join("current")).unwrap().trim())
}

fn total(index: &SearchIndex, text: &str) -> u64 {
    index
        .search(&Query::new(text, Permission::read_all()))
        .unwrap()
        .total
}

#[test]
fn the_last_applied_outbox_id_survives_a_reopen() {
    let (dir, index) = loaded_index();
    let root = index.root().to_path_buf();
    assert_eq!(index.last_applied().unwrap(), Some(42));
    index
        .upsert(&Document::new(kinds::OUTCOME, 50, "主轴", "主轴"))
        .unwrap();
    // A commit without an id keeps the previous one rather than erasing it.
    index.commit(None).unwrap();
    assert_eq!(index.last_applied().unwrap(), Some(42));
    index
        .delete(&Document::new(kinds::OUTCOME, 50, "", "").key())
        .unwrap();
    index.commit(Some(43)).unwrap();
    drop(index);

    let index = open(&root);
    assert!(!index.needs_rebuild());
    assert_eq!(index.last_applied().unwrap(), Some(43));
    assert_eq!(index.num_docs(), corpus().len() as u64);
    assert_eq!(total(&index, "焊缝"), 5);
    drop(dir);
}

#[test]
fn uncommitted_changes_are_lost_on_restart_and_the_id_says_where_to_resume() {
    let (_dir, index) = loaded_index();
    let root = index.root().to_path_buf();
    index
        .upsert(&Document::new(kinds::OUTCOME, 60, "轴承", "轴承"))
        .unwrap();
    drop(index);
    let index = open(&root);
    assert_eq!(index.last_applied().unwrap(), Some(42));
    assert_eq!(index.num_docs(), corpus().len() as u64);
}

#[test]
fn a_missing_index_opens_empty_and_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(&dir.path().join("does/not/exist"));
    assert!(index.needs_rebuild());
    assert_eq!(index.last_applied().unwrap(), None);
    assert_eq!(total(&index, "焊缝"), 0);
}

#[test]
fn a_corrupt_index_opens_empty_and_asks_for_a_rebuild() {
    let (_dir, index) = loaded_index();
    let root = index.root().to_path_buf();
    drop(index);
    fs::write(generation_dir(&root).join("meta.json"), b"\x00garbage{{{").unwrap();

    let index = open(&root);
    assert!(index.needs_rebuild());
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.last_applied().unwrap(), None);
    assert_eq!(total(&index, "焊缝"), 0);
    // The empty index works normally and survives a reopen.
    index.upsert(&corpus()[0]).unwrap();
    index.commit(Some(7)).unwrap();
    drop(index);
    let index = open(&root);
    assert!(!index.needs_rebuild());
    assert_eq!(index.last_applied().unwrap(), Some(7));
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn a_pointer_to_nothing_or_nonsense_opens_empty() {
    let (_dir, index) = loaded_index();
    let root = index.root().to_path_buf();
    drop(index);
    fs::write(root.join("current"), "../../etc").unwrap();
    let index = open(&root);
    assert!(index.needs_rebuild());
    drop(index);
    fs::remove_dir_all(generation_dir(&root)).unwrap();
    assert!(open(&root).needs_rebuild());
}

#[test]
fn a_rebuild_serves_the_old_index_until_it_is_swapped_in() {
    let (_dir, index) = loaded_index();
    let old_dir = generation_dir(index.root());
    let mut rebuild = index.start_rebuild(WriterOptions::default()).unwrap();
    rebuild
        .add(&Document::new(
            kinds::OUTCOME,
            1,
            "主轴动平衡",
            "主轴动平衡校正。",
        ))
        .unwrap();
    assert_eq!(rebuild.added(), 1);
    assert_eq!(total(&index, "焊缝"), 5, "the old index still serves");
    let built = rebuild.finish(Some(99)).unwrap();
    assert_eq!(
        total(&index, "焊缝"),
        5,
        "still the old index before the swap"
    );

    index.swap_in(built).unwrap();
    assert_eq!(total(&index, "焊缝"), 0);
    assert_eq!(total(&index, "动平衡"), 1);
    assert_eq!(index.last_applied().unwrap(), Some(99));
    assert!(!old_dir.exists(), "the old generation is removed");

    // Writes after the swap go to the new generation and survive a reopen.
    index
        .upsert(&Document::new(kinds::CHALLENGE, 2, "轴承", "轴承"))
        .unwrap();
    index.commit(Some(100)).unwrap();
    let root = index.root().to_path_buf();
    drop(index);
    let index = open(&root);
    assert_eq!(index.num_docs(), 2);
    assert_eq!(index.last_applied().unwrap(), Some(100));
}

#[test]
fn a_rebuild_swapped_in_clears_needs_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    assert!(index.needs_rebuild());
    let mut rebuild = index.start_rebuild(WriterOptions::default()).unwrap();
    for d in corpus() {
        rebuild.add(&d).unwrap();
    }
    index.swap_in(rebuild.finish(Some(5)).unwrap()).unwrap();
    assert!(!index.needs_rebuild());
    assert_eq!(total(&index, "焊缝"), 5);
}

#[test]
fn an_abandoned_rebuild_leaves_nothing_behind() {
    let (_dir, index) = loaded_index();
    let count = || fs::read_dir(index.root()).unwrap().count();
    let before = count();
    let mut rebuild = index.start_rebuild(WriterOptions::default()).unwrap();
    rebuild.add(&corpus()[0]).unwrap();
    drop(rebuild);
    assert_eq!(count(), before);
    let built = index
        .start_rebuild(WriterOptions::default())
        .unwrap()
        .finish(None)
        .unwrap();
    drop(built);
    assert_eq!(count(), before);
}

#[test]
fn a_rebuild_published_by_another_process_is_followed() {
    let (_dir, index) = loaded_index();
    assert!(!index.follow_current().unwrap());
    let mut rebuild = Rebuild::create(index.root(), WriterOptions::default()).unwrap();
    rebuild
        .add(&Document::new(kinds::STUDIO, 3, "轴承工作室", "轴承"))
        .unwrap();
    rebuild.finish(Some(77)).unwrap().publish().unwrap();
    assert_eq!(
        total(&index, "焊缝"),
        5,
        "serving the old one until it follows"
    );
    assert!(index.follow_current().unwrap());
    assert_eq!(total(&index, "焊缝"), 0);
    assert_eq!(index.last_applied().unwrap(), Some(77));
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<SearchIndex>();
    let (_dir, index) = loaded_index();
    let index = std::sync::Arc::new(index);
    let searchers: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || total(&index, "焊缝"))
        })
        .collect();
    index
        .upsert(&Document::new(kinds::OUTCOME, 90, "焊缝", "焊缝"))
        .unwrap();
    index.commit(Some(43)).unwrap();
    for s in searchers {
        let seen = s.join().unwrap();
        assert!(seen == 5 || seen == 6, "{seen}");
    }
    assert_eq!(total(&index, "焊缝"), 6);
}

#[test]
fn a_second_process_can_search_beside_the_writer_without_touching_the_files() {
    let (_dir, index) = loaded_index();
    let root = index.root().to_path_buf();
    // A second writer is refused: the lock is held.
    assert!(SearchIndex::open(&root, WriterOptions::default()).is_err());

    let reader = SearchIndex::open_read_only(&root).expect("read-only beside the writer");
    assert!(reader.is_read_only());
    assert!(!reader.needs_rebuild());
    assert_eq!(total(&reader, "焊缝"), 5);
    let write = reader.upsert(&Document::new(kinds::OUTCOME, 70, "主轴", "主轴"));
    assert!(matches!(write, Err(lianmeng_search::SearchError::ReadOnly)));
    assert!(!reader.follow_current().unwrap());
    let current = generation_dir(&root);
    drop(reader);
    // The writer keeps working and its generation is still there.
    assert!(current.is_dir());
    index
        .upsert(&Document::new(kinds::OUTCOME, 71, "轴承", "轴承"))
        .unwrap();
    index.commit(Some(44)).unwrap();
}

#[test]
fn a_read_only_open_of_a_missing_index_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("search");
    let reader = SearchIndex::open_read_only(&root).expect("empty stand-in");
    assert!(reader.needs_rebuild());
    assert_eq!(reader.num_docs(), 0);
    assert!(
        !root.exists(),
        "a read-only open must not create the directory"
    );
}
