//! Issue 20's floors for pushed pages: the date each page was published,
//! no year invented, copies of one article stored once, distinct articles on
//! one subject kept apart (`tests/data/pastes/dev5`, written by a helper
//! who read no code; `heldout5`, by the same helper apart from it, is
//! printed and held at what it reached).

use std::path::{Path, PathBuf};
use union_news_tools::pastes::Delivery;
use union_news_tools::repush::{score_copies, score_copies_mixed, score_dates};

fn folder(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/pastes")).join(name)
}

#[test]
fn dev_pages_keep_their_published_dates_and_invent_no_year() {
    for delivery in [Delivery::Pushed, Delivery::Docx, Delivery::Html] {
        let score = score_dates(&folder("dev5"), delivery);
        println!("dev5 dates as {delivery:?}: {}", score.render());
        for miss in &score.misses {
            println!("  {miss}");
        }
        assert!(
            score.published_rate() >= 0.95,
            "{delivery:?}: {}",
            score.render()
        );
        assert_eq!(score.invented_years, 0, "{delivery:?}: {}", score.render());
    }
}

#[test]
fn held_out_pages_keep_their_published_dates_and_invent_no_year() {
    for delivery in [Delivery::Pushed, Delivery::Docx, Delivery::Html] {
        let score = score_dates(&folder("heldout5"), delivery);
        println!("heldout5 dates as {delivery:?}: {}", score.render());
        assert!(
            score.published_rate() >= 0.95,
            "{delivery:?}: {}",
            score.render()
        );
        assert_eq!(score.invented_years, 0, "{delivery:?}: {}", score.render());
    }
}

#[test]
fn copies_of_one_article_are_stored_once_and_distinct_ones_kept_apart() {
    let mixed = [Delivery::Pushed, Delivery::Docx, Delivery::Html];
    for set in ["dev5", "heldout5"] {
        for (form, score) in [
            ("text", score_copies(&folder(set), Delivery::Pushed)),
            (
                "text, Word and web pages in turn",
                score_copies_mixed(&folder(set), &mixed),
            ),
        ] {
            println!("{set} copies as {form}: {}", score.render());
            if set == "dev5" {
                for miss in &score.misses {
                    println!("  {miss}");
                }
            }
            assert_eq!(score.merged(), 0, "{set} {form}: {}", score.render());
            assert_eq!(
                score.duplicates_stored(),
                0,
                "{set} {form}: {}",
                score.render()
            );
        }
    }
}
