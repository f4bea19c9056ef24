//! What an ingest did, for the admin who pushed a page or the operator who
//! ingested a folder: plain data the desk fills and the reply renders.

use crate::article::ArticleId;
use crate::page::{DateSource, Warning};
use chrono::NaiveDate;

/// One article of an ingested page, as reported back.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestedArticle {
    /// Its id.
    pub id: ArticleId,
    /// Its headline.
    pub title: String,
    /// Its cities (short names).
    pub cities: Vec<String>,
    /// Its date.
    pub date: Option<NaiveDate>,
    /// False when the store already had it.
    pub is_new: bool,
    /// Where its date comes from.
    pub date_source: DateSource,
    /// Paper or site, and reporters, as the source line shows them.
    pub source: String,
    /// The start of its first paragraph.
    pub first_sentence: String,
    /// For a pasted article: lines removed as web clutter.
    pub removed_lines: Option<usize>,
    /// True when no line read as a headline and the first sentence was used.
    pub title_from_body: bool,
}

/// What ingesting one page did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestReport {
    /// The page's articles, in page order.
    pub articles: Vec<IngestedArticle>,
    /// What could not be read as it stands, each with its line.
    pub warnings: Vec<Warning>,
    /// Deliveries queued for subscribers (pushes only).
    pub queued: usize,
}

impl IngestReport {
    /// Number of new articles.
    pub fn added(&self) -> usize {
        self.articles.iter().filter(|a| a.is_new).count()
    }

    /// Number of articles already known.
    pub fn known(&self) -> usize {
        self.articles.len() - self.added()
    }
}
