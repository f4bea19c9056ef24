//! `backup FILE` while pushes arrive, `restore FILE` into an empty folder:
//! the restored bot answers as the original did when the copy was taken.

use crate::world::{TestWorld, run, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_backup_taken_while_pushes_arrive_restores_into_an_empty_folder_answering_the_same() {
    let world = TestWorld::new("a_backup_taken_while_pushes_arrive_restores");
    let before = world.desk.article_count().unwrap();
    // Questions the pushes during the copy do not touch.
    let questions = ["湛江 劳模", "/city 吴川", "送清凉", "/article 935170bb"];
    let answers: Vec<String> = questions.iter().map(|q| world.ask_plain(q)).collect();
    let backup = world.data_dir().join("copy.sqlite3");
    let pushing = Arc::new(AtomicBool::new(true));
    let pusher = {
        let desk = world.desk.clone();
        let pushing = pushing.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            while pushing.load(Ordering::Relaxed) && n < 400 {
                n += 1;
                let page = format!(
                    "# 备份期间第{n}条快讯：某区工会开展第{n}期技能培训\n\n本报讯 某区工会开展第{n}期职工技能培训，{n}名职工参加。\n"
                );
                desk.editions()
                    .push(&page, "during-backup", None, 1, 1)
                    .unwrap();
            }
            n
        })
    };
    // The copy starts once pushes are arriving, and they go on during it.
    while world.desk.article_count().unwrap() < before + 5 {
        std::thread::yield_now();
    }
    let output = run(world.data_dir(), &["backup", backup.to_str().unwrap()], "");
    pushing.store(false, Ordering::Relaxed);
    let pushed = pusher.join().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout(&output).contains("已备份"), "{}", stdout(&output));
    let after = world.desk.article_count().unwrap();
    assert_eq!(after, before + pushed);

    let empty = tempfile::tempdir().unwrap();
    let output = run(empty.path(), &["restore", backup.to_str().unwrap()], "");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let restored = union_news_bot::desk::NewsDesk::open(empty.path()).unwrap();
    let count = restored.article_count().unwrap();
    assert!(
        (before + 5..=after).contains(&count),
        "{count} articles restored, {}..={after} stored around the copy",
        before + 5
    );
    // Every article of the copy is whole: stored and searchable together.
    assert_eq!(
        restored.consistency().reconcile().unwrap(),
        (0, 0),
        "the rebuilt index holds what the store holds"
    );
    drop(restored);
    for (question, answer) in questions.iter().zip(&answers) {
        let output = run(empty.path(), &["ask", question], "");
        assert_eq!(
            &stdout(&output).trim_end().to_string(),
            answer.trim_end(),
            "{question}"
        );
    }
    let latest = stdout(&run(empty.path(), &["ask", "/latest"], ""));
    assert!(latest.contains(&format!("共 {count} 篇")), "{latest}");
    // A file that is no backup is refused, and the folder is left as it was.
    let junk = world.data_dir().join("junk.sqlite3");
    std::fs::write(&junk, "not a database").unwrap();
    let output = run(empty.path(), &["restore", junk.to_str().unwrap()], "");
    assert!(!output.status.success());
    let again = union_news_bot::desk::NewsDesk::open(empty.path()).unwrap();
    assert_eq!(again.article_count().unwrap(), count);
}
