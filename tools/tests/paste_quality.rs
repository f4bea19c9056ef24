//! Issue 13's floors: admins' pastes, written by helpers who read no code
//! (`tests/data/pastes/`), pushed as text and ingested as files in every
//! encoding and format admins have, are stored as exactly their articles,
//! under the right headline and month, never dated after the push, with no
//! clutter left in the stored text.
//!
//! `dev`, `dev2`, `dev3` and `dev4` are the sets the page reader was improved
//! on (`dev3` and `dev4` were held out until their first score; `dev4` also
//! lists table rows that must survive, cells joined by ` | `); their misses
//! are printed. `heldout` was never read by whoever changed the
//! reader: only its figures are printed, and its floors are what was
//! reached there. PDFs are slow to write in a debug build, so the default
//! run tries every fifth paste as a PDF; `.ci/run` tries them all. Without
//! the fonts the PDFs embed, the PDF floors are skipped with a loud note
//! (outside `CI`; in CI that is a failure).

use std::path::{Path, PathBuf};
use union_news_tools::pastes::{Delivery, PasteScore, score_folder, score_folder_sample};

fn folder(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/pastes")).join(name)
}

/// The least each measure must reach, and the most clutter lines left.
struct Floors {
    one_article: f64,
    headline: f64,
    month: f64,
    city: f64,
    clutter_left: usize,
    /// The most table rows of `tables.tsv` lost.
    tables_lost: usize,
}

const ISSUE: Floors = Floors {
    one_article: 0.95,
    headline: 0.95,
    month: 0.95,
    city: 0.95,
    clutter_left: 0,
    tables_lost: 0,
};

/// What the held-out set reached as text, Word and web pages (issue 13's
/// headline and month floors are 0.95: not reached there, see the note).
const HELD_OUT: Floors = Floors {
    one_article: 0.95,
    headline: 0.92,
    month: 0.95,
    city: 0.95,
    clutter_left: 2,
    tables_lost: 0,
};

/// What the held-out set reached as PDFs.
const HELD_OUT_PDF: Floors = Floors {
    one_article: 0.95,
    headline: 0.85,
    month: 0.92,
    city: 0.95,
    clutter_left: 2,
    tables_lost: 0,
};

/// dev4 as PDFs: a PDF keeps no table cells, only their places on the
/// line; 20 of its 33 rows come back (issue 18).
const DEV4_PDF: Floors = Floors {
    tables_lost: 13,
    ..ISSUE
};

/// The second held-out set (issue 18's reading kinds: reposts, bylines and
/// counters, glued captions, forum and print controls, tables, dates), at
/// its first score, never read by whoever changed the reader: headline
/// 0.967, month 0.900, 9 clutter lines left, 25 of 29 table rows kept.
const HELD_OUT_4: Floors = Floors {
    one_article: 0.95,
    headline: 0.95,
    month: 0.89,
    city: 0.95,
    clutter_left: 9,
    tables_lost: 4,
};

/// The same as PDFs (23 of 29 table rows kept).
const HELD_OUT_4_PDF: Floors = Floors {
    tables_lost: 6,
    ..HELD_OUT_4
};

fn check(set: &str, delivery: Delivery, score: &PasteScore, floors: &Floors, show_misses: bool) {
    eprintln!("{set} {delivery:?}: {}", score.render());
    if show_misses {
        for miss in &score.misses {
            eprintln!("  {miss}");
        }
    }
    assert!(score.files > 0, "{set} {delivery:?}: no file tried");
    assert_eq!(score.future, 0, "{set} {delivery:?}: dated after the push");
    assert!(
        score.one_article_rate() >= floors.one_article,
        "{set} {delivery:?}: one article"
    );
    assert!(
        score.headline_rate() >= floors.headline,
        "{set} {delivery:?}: headlines"
    );
    assert!(
        score.month_rate() >= floors.month,
        "{set} {delivery:?}: months"
    );
    assert!(
        score.city_rate() >= floors.city,
        "{set} {delivery:?}: cities"
    );
    assert!(
        score.clutter_left <= floors.clutter_left,
        "{set} {delivery:?}: {} clutter lines left",
        score.clutter_left
    );
    assert!(
        score.table_rows - score.table_rows_kept <= floors.tables_lost,
        "{set} {delivery:?}: {} table rows lost",
        score.table_rows - score.table_rows_kept
    );
}

/// Whether the PDFs can be written; when not, says loudly that `set`'s PDF
/// floors are skipped (a failure under `CI`, where `.ci/run` installs the
/// fonts).
fn pdfs_written(set: &str) -> bool {
    union_news_testkit::documents::fonts_for(&format!("the {set} pastes' floors as PDFs")).is_some()
}

/// The forms every set is tried in by default: as pushed, in GBK, as Word
/// and as a web page (and every fifth paste as a PDF). The other encodings
/// test the decoder, not the reader: the first dev set and the slow run
/// (`.ci/run`) try every form.
const QUICK_FORMS: [Delivery; 5] = [
    Delivery::Pushed,
    Delivery::Gbk,
    Delivery::Docx,
    Delivery::Html,
    Delivery::Pdf,
];

/// The forms in `forms`, every fifth paste as a PDF.
fn check_set(set: &str, floors: &Floors, pdf_floors: &Floors, show_misses: bool) {
    check_forms(set, &QUICK_FORMS, floors, pdf_floors, show_misses);
}

fn check_forms(
    set: &str,
    forms: &[Delivery],
    floors: &Floors,
    pdf_floors: &Floors,
    show_misses: bool,
) {
    for &delivery in forms {
        if delivery == Delivery::Pdf && !pdfs_written(set) {
            continue;
        }
        let score = if delivery == Delivery::Pdf {
            score_folder_sample(&folder(set), delivery, 5)
        } else {
            score_folder(&folder(set), delivery)
        };
        let floors = if delivery == Delivery::Pdf {
            pdf_floors
        } else {
            floors
        };
        check(set, delivery, &score, floors, show_misses);
    }
}

#[test]
fn dev_pastes_meet_the_issue_floors_in_every_form() {
    check_forms("dev", &Delivery::ALL, &ISSUE, &ISSUE, true);
}

#[test]
fn second_dev_pastes_meet_the_issue_floors_in_every_form() {
    check_set("dev2", &ISSUE, &ISSUE, true);
}

#[test]
#[ignore = "slow: a third set in every form (run by .ci/run)"]
fn third_dev_pastes_meet_the_issue_floors_in_every_form() {
    check_set("dev3", &ISSUE, &ISSUE, true);
}

#[test]
#[ignore = "slow: a fourth set in every form (run by .ci/run)"]
fn fourth_dev_pastes_meet_the_issue_floors_in_every_form() {
    check_set("dev4", &ISSUE, &DEV4_PDF, true);
}

#[test]
fn held_out_pastes_keep_what_was_reached() {
    check_set("heldout", &HELD_OUT, &HELD_OUT_PDF, false);
}

#[test]
fn second_held_out_pastes_keep_what_was_reached() {
    check_set("heldout4", &HELD_OUT_4, &HELD_OUT_4_PDF, false);
}

#[test]
#[ignore = "slow: writes and reads every paste as a PDF (run by .ci/run)"]
fn every_paste_as_a_pdf() {
    for (set, floors) in [
        ("dev", &ISSUE),
        ("dev2", &ISSUE),
        ("dev3", &ISSUE),
        ("dev4", &DEV4_PDF),
        ("heldout", &HELD_OUT_PDF),
        ("heldout4", &HELD_OUT_4_PDF),
    ] {
        if !pdfs_written(set) {
            continue;
        }
        let score = score_folder(&folder(set), Delivery::Pdf);
        check(
            set,
            Delivery::Pdf,
            &score,
            floors,
            !set.starts_with("heldout"),
        );
    }
}

#[test]
#[ignore = "slow: every set in every encoding (run by .ci/run)"]
fn every_set_in_every_encoding() {
    for (set, floors) in [
        ("dev2", &ISSUE),
        ("dev3", &ISSUE),
        ("dev4", &ISSUE),
        ("heldout", &HELD_OUT),
        ("heldout4", &HELD_OUT_4),
    ] {
        let forms: Vec<Delivery> = Delivery::ALL
            .into_iter()
            .filter(|d| !QUICK_FORMS.contains(d))
            .collect();
        check_forms(set, &forms, floors, floors, !set.starts_with("heldout"));
    }
}
