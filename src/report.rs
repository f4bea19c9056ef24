//! What an ingest did, for the admin who pushed a page or the operator who
//! ingested a folder: plain data the desk fills and the reply renders.

use crate::amend::CorrectionError;
use crate::article::ArticleId;
use crate::page::{DateSource, Warning};
use crate::store::{ArticleState, PushProgress};
use chrono::NaiveDate;
use std::time::Duration;

/// One article of an ingested page, as reported back.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestedArticle {
    /// Its id.
    pub id: ArticleId,
    /// Its headline.
    pub title: String,
    /// Its cities (short names).
    pub cities: Vec<String>,
    /// The date of its events.
    pub date: Option<NaiveDate>,
    /// The date it was published.
    pub published: Option<NaiveDate>,
    /// True when the page printed no date and `published` is the push day.
    pub published_is_push_day: bool,
    /// False when no date on the page gave the event's year: `date` holds
    /// the likeliest one, to be confirmed.
    pub event_year_known: bool,
    /// False when the store already had it.
    pub is_new: bool,
    /// True when the store had it and it was retracted (it may be restored).
    pub retracted: bool,
    /// A stored article this one is nearly the same as (another copy of it),
    /// with its headline: not stored as new; the admin chooses to update it
    /// or keep both.
    pub near_duplicate_of: Option<(ArticleId, String)>,
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
    /// The push's number (pushes only).
    pub push: Option<i64>,
    /// When subscribers get it (Unix seconds; pushes only).
    pub deliver_at: Option<i64>,
    /// True for a scheduled push: hidden until `deliver_at`.
    pub scheduled: bool,
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

/// Parts of a long paste (cut by the Telegram app into several messages)
/// that were not joined into its push: the admin is told which, so nothing
/// is lost without a word.
#[derive(Debug, Clone, PartialEq)]
pub struct PartsLeftOut {
    /// The bound of the join that was reached; every later part is left
    /// out too, so the page never has a hole in its middle.
    pub why: JoinBound,
    /// The first parts left out: their number (the `/push` message is
    /// part 1) and their opening words.
    pub first: Vec<(usize, String)>,
    /// How many parts were left out in all.
    pub count: usize,
    /// How many parts the paste came in, joined or not.
    pub total: usize,
}

/// A bound on joining a long paste's parts into one push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinBound {
    /// At most this many parts.
    Parts(usize),
    /// At most this many bytes of text.
    Bytes(usize),
    /// Parts arriving at most this long after the first.
    Time(Duration),
}

/// What became of an editor's command on one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    /// Done; the article's headline, and how many deliveries or messages it touched.
    Done {
        /// The headline.
        headline: String,
        /// Deliveries made due, dropped, or messages queued to change.
        count: usize,
    },
    /// No article has that id.
    Unknown,
    /// The article is in a state the command does not apply to.
    Wrong(ArticleState),
    /// The article went out to someone already (it cannot be scheduled).
    AlreadySent,
}

/// Why a correction was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectRefused {
    /// No article has that id.
    Unknown,
    /// The fields could not be read.
    Fields(CorrectionError),
    /// A city the gazetteer does not know (as typed).
    UnknownCity(String),
    /// Nothing was given to change.
    Nothing,
}

/// What `/status` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Deliveries waiting.
    pub pending: u64,
    /// The newest pushes.
    pub pushes: Vec<PushProgress>,
    /// Scheduled articles: id, headline, release time (wall time).
    pub scheduled: Vec<(ArticleId, String, String)>,
    /// Newest retractions: id, headline, by, when (wall time).
    pub retracted: Vec<(ArticleId, String, i64, String)>,
}

/// What teaching a word would change, shown before it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPreview {
    /// Members' word (normalised).
    pub word: String,
    /// The paper's word it would be read as (normalised).
    pub mandarin: String,
    /// Archived articles holding the paper's word: what the members' word
    /// would now reach.
    pub reach: u64,
    /// Archived articles holding the members' word itself.
    pub reach_before: u64,
    /// Up to two logged questions whose first answer would change.
    pub changed: Vec<ChangedAnswer>,
    /// The reading this replaces, if the word was taught or shipped already.
    pub replaces: Option<String>,
    /// The proposal's number, to confirm it.
    pub proposal: i64,
}

/// A logged question whose answer a taught word would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedAnswer {
    /// The question as the member typed it.
    pub question: String,
    /// The headline it finds first now (none: nothing).
    pub before: Option<String>,
    /// The headline it would find first.
    pub after: Option<String>,
}

/// Why a word was not taught.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordRefused {
    /// A single character, or longer than a word.
    Length,
    /// The same word on both sides.
    Same,
    /// A place name read as a topic (湛江 = 外卖).
    Place {
        /// The place, as the gazetteer names it.
        place: String,
    },
    /// A word the paper itself writes in many articles (工会 = 外卖): every
    /// question holding it would be read as something else.
    PaperWord {
        /// Articles holding it.
        articles: u64,
    },
    /// A word of everyday Chinese (工资, 可以).
    CommonWord,
    /// A word of the paper's own synonyms (a group the bot ships) that does
    /// not mean the other side.
    PaperSynonym {
        /// The group it belongs to (a few of its words).
        group: Vec<String>,
    },
    /// The bot reads the word so already (a shipped synonym of it).
    AlreadyKnown,
}
