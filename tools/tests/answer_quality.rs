//! Answer quality, measured by the same code as `union-news-tools eval`, on
//! the dev questions (`../shared/corpus/dev/questions.tsv`) and on a held-out
//! set written separately from them (`tools/tests/heldout-questions.tsv`),
//! both over the shipped pages. The floors are issue 4's.

use std::path::Path;
use union_news_bot::desk::NewsDesk;
use union_news_tools::eval::{EvalReport, evaluate, parse_questions};

/// The least each measure must reach.
struct Floors {
    hit_at_1: f64,
    hit_at_3: f64,
    city_lists: f64,
    negatives: f64,
    answers: f64,
}

const ISSUE_FLOORS: Floors = Floors {
    hit_at_1: 0.90,
    hit_at_3: 0.97,
    city_lists: 0.95,
    negatives: 0.90,
    answers: 0.85,
};

/// The workspace root, where the shipped sample pages are.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn measure(text: &str) -> EvalReport {
    let desk = NewsDesk::in_memory().expect("an in-memory desk");
    let added = desk
        .ingest()
        .sample_pages_if_empty(&root().join("data/pages"))
        .expect("the sample pages load");
    assert!(added > 40, "only {added} sample articles loaded");
    let report = evaluate(&desk, &parse_questions(text));
    eprintln!("{}", report.render());
    report
}

fn hold(report: &EvalReport, floors: &Floors) {
    let ranked = report.ranked();
    assert!(
        ranked.hit_at_1() >= floors.hit_at_1,
        "hit@1 {:.3}",
        ranked.hit_at_1()
    );
    assert!(
        ranked.hit_at_3() >= floors.hit_at_3,
        "hit@3 {:.3}",
        ranked.hit_at_3()
    );
    // For city lists, "hit@3" is all expected articles in order at the top.
    let city = report.kind("city").hit_at_3();
    assert!(city >= floors.city_lists, "city lists {city:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= floors.negatives, "negatives {negative:.3}");
    let answers = report.kind("question").answer_recall();
    assert!(answers >= floors.answers, "answers {answers:.3}");
}

#[test]
fn dev_questions_are_answered_first_time() {
    let path = root().join("../shared/corpus/dev/questions.tsv");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // CI always has shared/ beside the clone: a missing file there is a
        // broken set-up, not a reason to pass without measuring anything.
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("{} is missing in CI: {e}", path.display())
        }
        Err(e) => {
            eprintln!("{} not readable ({e}); skipped outside CI", path.display());
            return;
        }
    };
    hold(&measure(&text), &ISSUE_FLOORS);
}

#[test]
fn held_out_questions_are_answered_first_time() {
    let text = include_str!("heldout-questions.tsv");
    // 8 negatives: one miss is 0.875.
    let floors = Floors {
        negatives: 0.85,
        ..ISSUE_FLOORS
    };
    hold(&measure(text), &floors);
}

/// Members' own words (`tests/data/heldout-members.tsv`, written apart from
/// the code): what issue 12 has reached so far, held so it cannot slip back
/// while the rest is built. Issue 12's own floors are higher.
#[test]
fn members_own_words_keep_what_was_reached() {
    let text = include_str!("../../tests/data/heldout-members.tsv");
    let report = measure(text);
    let ranked = report.ranked().hit_at_1();
    assert!(ranked >= 0.90, "ranked hit@1 {ranked:.3}");
    let search = report.kind("search").hit_at_1();
    assert!(search >= 0.93, "searches incl. body words {search:.3}");
    let chat = report.kind("chat").chat_accuracy();
    assert!(chat >= 1.0, "chat {chat:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= 0.94, "negatives {negative:.3}");
}
