//! The near-duplicate detector's floors (`union_news_bot::near_dup`) on its
//! labelled set (`union_news_tools::near_dup_eval`): the same article in
//! another form (Word, PDF, another selection of the page, a re-typed
//! headline, traditional characters …) is at or above `SAME_ARTICLE` and
//! found by the bands; distinct articles on the same subject, and articles
//! recombined from the same sentences, are below it.
//!
//! PDFs are slow to write in a debug build: this run makes one of every
//! `PDF_EVERY` articles; `union-news-tools near-dup` (default `--pdf-every 1`)
//! makes them all. Without the fonts the PDFs are skipped with a loud note.

use std::path::Path;
use union_news_bot::near_dup::SAME_ARTICLE;
use union_news_tools::near_dup_eval::{Kind, MOST_ALIKE, SetOptions, labelled_set};

/// One article in so many is also made a PDF.
const PDF_EVERY: usize = 30;

/// The least share of positives at or above `SAME_ARTICLE`.
const RECALL: f64 = 0.98;
/// The least share of positives the bands find.
const BAND_RECALL: f64 = 0.98;

#[test]
fn the_same_article_in_other_forms_is_found_and_distinct_articles_stay_apart() {
    let set = labelled_set(&SetOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        pdf_every: PDF_EVERY,
        generated: 300,
        most_alike: MOST_ALIKE,
    });
    println!("{}", set.render());
    let positives = set.positives().count();
    let same_subject = set.at_or_above(0.0, |k| k == Kind::SameSubject).len();
    assert!(
        positives >= 1500 && same_subject >= 500,
        "the set is too small: {positives} positives, {same_subject} same-subject pairs"
    );
    let recall = set.recall(SAME_ARTICLE);
    assert!(
        recall >= RECALL,
        "recall {recall:.3} < {RECALL} at {SAME_ARTICLE}; missed:\n{}",
        set.surprises(SAME_ARTICLE).join("\n")
    );
    let band_recall = set.band_recall();
    assert!(band_recall >= BAND_RECALL, "band recall {band_recall:.3}");
    for (name, kind) in [
        ("same-subject", Kind::SameSubject),
        ("other corpus", Kind::Corpus),
        ("recombined", Kind::Generated),
    ] {
        let wrong = set.at_or_above(SAME_ARTICLE, |k| k == kind);
        assert!(
            wrong.is_empty(),
            "{} {name} pairs at or above {SAME_ARTICLE}:\n{}",
            wrong.len(),
            set.surprises(SAME_ARTICLE).join("\n")
        );
    }
}
