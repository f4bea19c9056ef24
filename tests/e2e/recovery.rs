//! A torn or locked index after a kill is recovered from at the next start:
//! the store is the source of truth, and whatever is wrong with `index/`,
//! the next run answers as before, and a push still works.

use crate::world::{run, stdout};
use std::path::Path;

/// A kind of damage, and how to inflict it on an index folder.
type Damage = (&'static str, fn(&Path));

/// What a kill, a full disk or a careless hand can leave in `index/`.
const DAMAGE: [Damage; 10] = [
    ("stale lock files", |index| {
        for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
            std::fs::write(index.join(lock), "").unwrap();
        }
    }),
    ("meta.json cut in half", |index| {
        let meta = std::fs::read(index.join("meta.json")).unwrap();
        std::fs::write(index.join("meta.json"), &meta[..meta.len() / 2]).unwrap();
    }),
    ("meta.json emptied", |index| {
        std::fs::write(index.join("meta.json"), "").unwrap();
    }),
    ("meta.json missing", |index| {
        std::fs::remove_file(index.join("meta.json")).unwrap();
    }),
    ("a segment's terms cut short", |index| {
        let file = segment_files(index, "term").remove(0);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 3]).unwrap();
    }),
    ("a segment's postings overwritten with zeros", |index| {
        let file = segment_files(index, "idx").remove(0);
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        std::fs::write(&file, vec![0u8; len]).unwrap();
    }),
    ("a segment's doc store missing", |index| {
        std::fs::remove_file(segment_files(index, "store").remove(0)).unwrap();
    }),
    (
        "orphan files of a segment the killed run never committed",
        |index| {
            let orphan = index.join("0000dead0000beef0000dead0000beef.idx");
            std::fs::copy(segment_files(index, "idx").remove(0), orphan).unwrap();
            std::fs::write(index.join("0000dead0000beef0000dead0000beef.term"), b"torn").unwrap();
        },
    ),
    ("schema-version missing", |index| {
        std::fs::remove_file(index.join("schema-version")).unwrap();
    }),
    ("everything but meta.json deleted", |index| {
        for entry in std::fs::read_dir(index).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n != "meta.json") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }),
];

fn segment_files(index: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    assert!(!files.is_empty(), "no .{extension} file");
    files
}

#[test]
#[ignore = "slow durability test (about a minute): .ci/run runs it with --ignored"]
fn every_kind_of_damaged_index_is_recovered_from_at_the_next_start() {
    const QUESTION: &str = "外卖骑手 入会";
    for (damage, inflict) in DAMAGE {
        let dir = tempfile::tempdir().unwrap();
        let before = run(dir.path(), &["ask", QUESTION], "");
        assert!(before.status.success(), "{damage}: {before:?}");
        inflict(&dir.path().join("index"));

        let after = run(dir.path(), &["ask", QUESTION], "");
        assert!(after.status.success(), "{damage}: {after:?}");
        assert_eq!(stdout(&after), stdout(&before), "{damage}");

        let push = run(
            dir.path(),
            &[
                "ask",
                "/push\n# 索引修复快讯ix0001\n\n本报讯 索引修复工会举办 ix0001 号活动。\n",
            ],
            "",
        );
        assert!(stdout(&push).contains("新增 1 篇"), "{damage}: {push:?}");
        let found = run(dir.path(), &["ask", "ix0001"], "");
        assert!(
            stdout(&found).contains("索引修复快讯"),
            "{damage}: {found:?}"
        );
    }
}

#[test]
fn an_index_path_that_is_not_a_folder_is_named_in_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index"), "not a folder").unwrap();
    let output = run(dir.path(), &["ask", "外卖骑手"], "");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("index") && stderr.contains("Not a directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
