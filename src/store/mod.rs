//! The source of truth, behind a seam: [`NewsStore`] is everything the
//! desk asks of a database, grouped by what it is for. [`SqliteStore`] (in
//! `sqlite`, the only file that names the database) fills it for one bot on
//! one machine; a server database for several replicas fills the same
//! traits without reshaping the desk:
//!
//! - [`ArticleStore`], [`Subscriptions`], [`Outbox`], [`Pushes`]: articles
//!   (live, scheduled or retracted, with their revisions), who wants them,
//!   what is owed to whom (committed with the push that made it, due when
//!   its hold ends) and what was sent, the pushes and their reports.
//!
//! The store never reads a clock: every time is an argument (Unix seconds).
//! - [`LeaderLock`]: one process at a time sends deliveries and polls
//!   Telegram; SQLite's is a lock file beside the database, a server's an
//!   advisory lock.
//! - [`ChangeLog`]: every addition and removal, numbered, so each replica's
//!   index catches up from the generation it last committed.
//! - [`InboundUpdates`]: Telegram updates handled, so none is answered twice.
//! - [`Conversations`]: each member's last question per chat and forum
//!   topic, so a follow-up (那东莞呢, 有多少人) reads it, even after a restart.
//! - [`Inbox`]: questions members leave for the union (留言), answered
//!   once by an admin, the answer owed to the member until sent.
//! - [`QuestionLog`], [`TaughtWords`], [`Editors`] (in `editorial`): every
//!   question asked and members' 👍 / 👎, kept for a set period; the words
//!   editors teach; the editors the owner adds while the bot runs.
//! - [`DeliveryPrefs`]: how each subscription is delivered (each article,
//!   a daily digest, paused), a chat's digest hour and quiet hours, and the
//!   digests sent (one a chat and day, claimed in the database).
//!
//! The methods are synchronous: the desk runs on blocking threads already
//! (the bot calls it through `spawn_blocking`), so a backend with an async
//! driver (sqlx) blocks on its own runtime handle inside them, and the
//! console, the CLI and the tests need no runtime of their own.

mod delivery_prefs;
pub mod editorial;
mod inbox;
mod sqlite;

pub use delivery_prefs::{
    ChatPrefs, DEFAULT_DIGEST_HOUR, DIGEST_HOURS, DeliveryMode, DeliveryPrefs, DigestClaim,
    QuietHours,
};
pub use editorial::{
    EditorChange, Editors, LogSummary, LoggedQuestion, MissedTopic, QuestionLog, TaughtWord,
    TaughtWords, Vote,
};
pub use inbox::{
    Answered, Filed, Inbox, NewQuestion, OwedAnswer, QuestionAnswer, QuestionLimit, QuestionState,
    StoredQuestion, Withdrawal,
};

pub use sqlite::{SqliteStore, backup_database, lead_database_folder, restore_database};

use crate::article::{Article, ArticleId, Fingerprint};
use chrono::NaiveDate;

/// How many changes the [`ChangeLog`] keeps; an index further behind
/// compares id sets instead.
pub const CHANGES_KEPT: u64 = 100_000;

/// City code that stands for "all news" in a subscription.
pub const ALL_CITIES: u32 = 0;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened, read or written.
    #[error("database error: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync>),
    /// A stored article could not be decoded (the row was written by a newer or broken version).
    #[error("stored article {id} is unreadable: {source}")]
    Corrupt {
        /// The article's id.
        id: String,
        /// Why it could not be decoded.
        source: serde_json::Error,
    },
    /// The database failed SQLite's integrity check.
    #[error("database integrity check failed: {0}")]
    Integrity(String),
    /// Another process leads (holds the lock file or lock).
    #[error("another bot is already running on {0} (it holds the leader lock)")]
    LeaderElsewhere(String),
    /// The leader lock could not be taken for another reason.
    #[error("cannot take the leader lock {path}: {source}")]
    Lock {
        /// The lock file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What became of one article given to [`ArticleStore::store_pages`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredArticle {
    /// New: stored under the id the store allocated.
    Added(ArticleId),
    /// Its fingerprint (of its text now or of an earlier revision) is
    /// stored already, under this id and in this state.
    Known(ArticleId, ArticleState),
    /// Nearly the same as this stored article (another copy of it): not
    /// stored as new; the admin chooses to update the stored one or keep both.
    NearDuplicate(ArticleId, ArticleState),
}

impl StoredArticle {
    /// The article's id, new, known, or the one it nearly duplicates.
    pub fn id(&self) -> &ArticleId {
        match self {
            StoredArticle::Added(id)
            | StoredArticle::Known(id, _)
            | StoredArticle::NearDuplicate(id, _) => id,
        }
    }
}

/// What recognises an article that arrives again in another form: its
/// MinHash signature (`near_dup::Signature`, as bytes) and the band keys
/// the store indexes it by, so the articles that may be the same are found
/// without reading them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleSignature {
    /// The signature, as `near_dup::Signature::to_bytes` writes it.
    pub bytes: Vec<u8>,
    /// Its band keys.
    pub band_keys: Vec<u64>,
}

/// A pushed text nearly the same as a stored article, held for the admin
/// to choose: update the stored article with it (the default, when its
/// hold ends) or keep it as an article of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpdate {
    /// The stored article it would update.
    pub target: ArticleId,
    /// The text and fields as pushed (its id is the target's).
    pub article: Article,
    /// Who pushed it.
    pub by: i64,
    /// The chat it came from.
    pub chat_id: i64,
    /// When the update applies unless the admin chose otherwise (Unix seconds).
    pub due_at: i64,
}

/// Result of storing one page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredPage {
    /// Each article of the page, in page order.
    pub articles: Vec<StoredArticle>,
    /// Deliveries queued for subscribers.
    pub queued: usize,
    /// The push the page was stored by (none for an archive page).
    pub push: Option<i64>,
}

impl StoredPage {
    /// The ids allocated to the page's new articles, in page order.
    pub fn added(&self) -> Vec<ArticleId> {
        self.articles
            .iter()
            .filter_map(|a| match a {
                StoredArticle::Added(id) => Some(id.clone()),
                StoredArticle::Known(..) | StoredArticle::NearDuplicate(..) => None,
            })
            .collect()
    }

    /// The ids of the page's articles that were stored already (or nearly:
    /// the stored articles they are copies of).
    pub fn known(&self) -> Vec<ArticleId> {
        self.articles
            .iter()
            .filter_map(|a| match a {
                StoredArticle::Known(id, _) | StoredArticle::NearDuplicate(id, _) => {
                    Some(id.clone())
                }
                StoredArticle::Added(_) => None,
            })
            .collect()
    }
}

/// A page to store with [`ArticleStore::store_pages`].
#[derive(Debug, Clone, Copy)]
pub struct PageToStore<'a> {
    /// Where it came from (file path, `push:123`).
    pub origin: &'a str,
    /// The raw page text.
    pub text: &'a str,
    /// Its articles, complete but for their ids (the store allocates them).
    pub articles: &'a [Article],
    /// Each article's fingerprint, in the same order.
    pub fingerprints: &'a [Fingerprint],
    /// Each article's signature, in the same order.
    pub signatures: &'a [ArticleSignature],
    /// For each article, the stored article it nearly duplicates, as the
    /// desk judged it: such an article is not stored as new.
    pub near_duplicates: &'a [Option<ArticleId>],
    /// Parser warnings.
    pub warnings: &'a [String],
}

/// An admin's push: who, and when its articles reach subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushToStore {
    /// The admin's user id (the chat's for the console).
    pub by: i64,
    /// The chat the push came from (where its report goes).
    pub chat_id: i64,
    /// When deliveries are due (Unix seconds): the end of the hold.
    pub deliver_at: i64,
    /// When the articles appear (Unix seconds), for a scheduled push: until
    /// then they are hidden from search, lists and subscribers.
    pub release_at: Option<i64>,
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleState {
    /// Searchable, listed, delivered.
    Live,
    /// Stored but hidden until its release time.
    Scheduled,
    /// Taken back: hidden, kept with who and when.
    Retracted,
}

impl ArticleState {
    /// The state's number in a store.
    pub fn code(self) -> i64 {
        match self {
            ArticleState::Live => 0,
            ArticleState::Scheduled => 1,
            ArticleState::Retracted => 2,
        }
    }

    /// The state of a number from a store (unknown numbers read as retracted:
    /// hidden is the safe side).
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => ArticleState::Live,
            1 => ArticleState::Scheduled,
            _ => ArticleState::Retracted,
        }
    }
}

/// An article with what the store knows about it beyond its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRecord {
    /// The article as it stands now.
    pub article: Article,
    /// Live, scheduled or retracted.
    pub state: ArticleState,
    /// The push that stored it, if pushed.
    pub push: Option<i64>,
    /// A scheduled article's release time (Unix seconds).
    pub release_at: Option<i64>,
    /// Who retracted it and when (Unix seconds).
    pub retracted: Option<(i64, i64)>,
}

/// What an editor changed, for the revision log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text or fields were corrected.
    Correct,
    /// The article was retracted.
    Retract,
    /// A retracted article was restored.
    Restore,
    /// A scheduled article's release time was set or moved.
    Schedule,
}

impl Edit {
    /// The edit's name in the revision log.
    pub fn name(self) -> &'static str {
        match self {
            Edit::Correct => "correct",
            Edit::Retract => "retract",
            Edit::Restore => "restore",
            Edit::Schedule => "schedule",
        }
    }
}

/// One line of the ingest log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestLogEntry {
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Where the page came from (a file path, `push:<user id>` …).
    pub origin: String,
    /// Number of articles added.
    pub added: u32,
    /// Number of articles already known.
    pub known: u32,
    /// Parser warnings, one per line.
    pub warnings: String,
}

/// One message owed to a subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The outbox row.
    pub id: i64,
    /// The subscriber's chat.
    pub chat_id: i64,
    /// The article to send.
    pub article_id: ArticleId,
    /// How many attempts failed so far.
    pub attempts: u32,
    /// The push it belongs to, if any.
    pub push: Option<i64>,
}

/// A message already sent for an article that must change: edited to the
/// corrected text, or deleted (edited to 「此条消息已撤回」 once too old to
/// delete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAction {
    /// The action's row.
    pub id: i64,
    /// The chat the messages are in.
    pub chat_id: i64,
    /// The messages sent for the article (a photo and its text: two).
    pub message_ids: Vec<i32>,
    /// The article.
    pub article_id: ArticleId,
    /// Edit or take back.
    pub kind: MessageActionKind,
    /// When the messages were sent (Unix seconds).
    pub sent_at: i64,
    /// How many attempts failed so far.
    pub attempts: u32,
    /// The daily digest the messages are, when they list the article among
    /// others: the digest is edited (the article struck out), never deleted.
    pub digest: Option<i64>,
}

/// What to do to a message already sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageActionKind {
    /// Edit it to the article's corrected text.
    Edit,
    /// Delete it (or mark it retracted when too old to delete).
    Retract,
}

/// How a push's deliveries stand, for its live report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushProgress {
    /// The push.
    pub push: i64,
    /// Who pushed it.
    pub by: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// When its deliveries were or are due.
    pub deliver_at: i64,
    /// Deliveries made.
    pub sent: u64,
    /// Deliveries waiting (held, scheduled or being retried).
    pub pending: u64,
    /// Deliveries given up, by reason, most first.
    pub failed: Vec<(String, u64)>,
    /// The push's report: chat and message id.
    pub report: Option<(i64, i32)>,
    /// The progress message under the report, once sent.
    pub progress_message: Option<i32>,
    /// The report as last shown (so an unchanged one is not edited again).
    pub last_reported: Option<String>,
    /// The push's articles: id and headline.
    pub articles: Vec<(ArticleId, String)>,
}

/// Counts for `stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreStats {
    /// Number of articles.
    pub articles: u64,
    /// Number of pages.
    pub pages: u64,
    /// Newest article date.
    pub newest: Option<NaiveDate>,
    /// Articles per city code, most first.
    pub per_city: Vec<(u32, u64)>,
}

/// One addition or removal of an article, as the [`ChangeLog`] numbers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The store's generation after this change.
    pub generation: u64,
    /// The article.
    pub article: ArticleId,
    /// True for an addition, false for a removal.
    pub added: bool,
}

/// Held while this process is the leader; dropping it (or the process
/// ending, however it ends) lets another lead.
pub struct Leadership {
    _held: Box<dyn Send>,
}

impl Leadership {
    /// Leadership held by `guard` (a locked file, a database session).
    pub fn held_by(guard: impl Send + 'static) -> Self {
        Leadership {
            _held: Box::new(guard),
        }
    }
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Leadership")
    }
}

/// One leader among the processes sharing a store.
pub trait LeaderLock {
    /// Becomes the leader, or fails with [`StoreError::LeaderElsewhere`]
    /// when another process leads.
    fn lead(&self) -> Result<Leadership, StoreError>;
}

/// Articles and the pages they came from: the source of truth. Only live
/// articles are listed, counted and read by [`ArticleStore::article`];
/// scheduled and retracted ones are kept and read by
/// [`ArticleStore::article_record`].
pub trait ArticleStore {
    /// Stores many pages in one transaction (bulk ingest): all or none. A
    /// new article gets an id allocated here, once; an article whose
    /// fingerprint is stored already is reported as known. With `push`, the
    /// same transaction records the push and queues one delivery per
    /// subscriber of each new article's cities, due at its hold's end (a
    /// scheduled push's articles are stored hidden until their release).
    /// `now` is the time of the store (Unix seconds).
    fn store_pages(
        &self,
        pages: &[PageToStore],
        push: Option<&PushToStore>,
        now: i64,
    ) -> Result<Vec<StoredPage>, StoreError>;

    /// The live article with this id.
    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError>;

    /// The article with this id in whatever state, with its state.
    fn article_record(&self, id: &ArticleId) -> Result<Option<ArticleRecord>, StoreError>;

    /// Several live articles by id, in the order asked; others are skipped.
    fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError>;

    /// The newest articles, newest first (by published date, then arrival).
    fn latest(&self, limit: usize, offset: usize) -> Result<Vec<Article>, StoreError>;

    /// The newest articles of one city, newest first, and how many it has.
    fn latest_in_city(
        &self,
        city_code: u32,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError>;

    /// The ids of every live article.
    fn ids(&self) -> Result<std::collections::HashSet<ArticleId>, StoreError>;

    /// The newest article's date, if any article is dated.
    fn newest_date(&self) -> Result<Option<NaiveDate>, StoreError>;

    /// The articles whose events fall from `from` to `to` (inclusive) in
    /// one of `cities` (anywhere when empty), newest first, and how many
    /// there are in all.
    fn latest_between(
        &self,
        cities: &[u32],
        dates: (NaiveDate, NaiveDate),
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError>;

    /// Replaces a stored article's fields (same id), logs the revision
    /// (`by`, `now`, the text before), keeps its new fingerprint beside the
    /// old ones and queues an edit of every message already sent for it.
    /// False when no such article.
    fn correct(
        &self,
        corrected: &Article,
        fingerprint: &Fingerprint,
        signature: &ArticleSignature,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Stored articles (any state) sharing a band key with `band_keys`, at
    /// most `limit`, each with its state and signature bytes: the candidates
    /// to be the same article, most shared bands first.
    fn near_candidates(
        &self,
        band_keys: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleState, Vec<u8>)>, StoreError>;

    /// Holds a pushed text nearly the same as a stored article until the
    /// admin chooses (replacing one held for the same article).
    fn hold_update(&self, update: &PendingUpdate) -> Result<(), StoreError>;

    /// Takes the update held for an article (`/update`, `/keep`), if any.
    fn take_update(&self, target: &ArticleId) -> Result<Option<PendingUpdate>, StoreError>;

    /// Takes the held updates whose time has come (the default: update).
    fn take_due_updates(&self, now: i64) -> Result<Vec<PendingUpdate>, StoreError>;

    /// Retracts an article: hidden from search and lists, kept with who and
    /// when; deliveries not yet made are dropped, and every message already
    /// sent is queued to be taken back. False when it is not live or scheduled.
    fn retract(&self, id: &ArticleId, by: i64, now: i64) -> Result<bool, StoreError>;

    /// Brings a retracted article back (live, under its id); false when it
    /// was not retracted.
    fn restore(&self, id: &ArticleId, by: i64, now: i64) -> Result<bool, StoreError>;

    /// Sets or moves the release time of an article not yet delivered to
    /// anyone: hidden until `release_at`, its deliveries due then. False
    /// when it is retracted, unknown, or already delivered to someone.
    fn schedule(
        &self,
        id: &ArticleId,
        release_at: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError>;

    /// Makes live every scheduled article whose time has come; returns them.
    fn release_due(&self, now: i64) -> Result<Vec<ArticleId>, StoreError>;

    /// Number of live articles.
    fn count(&self) -> Result<u64, StoreError>;

    /// Article counts, per city and overall, and the newest date.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// The newest ingest log entries, newest first.
    fn ingest_log(&self, limit: usize) -> Result<Vec<IngestLogEntry>, StoreError>;

    /// Up to `limit` live articles stored after arrival number `after` (0
    /// for the first), in arrival order, each with its arrival number: a
    /// walk over the whole store in bounded memory.
    fn articles_after(&self, after: u64, limit: usize) -> Result<Vec<(u64, Article)>, StoreError>;

    /// Up to `limit` articles (any state) that have no fingerprint or no
    /// signature yet (stored by an older version), for the desk to fill in.
    fn unfingerprinted(&self, limit: usize) -> Result<Vec<Article>, StoreError>;

    /// Records an article's fingerprint and signature (an article stored by
    /// an older version).
    fn add_fingerprint(
        &self,
        id: &ArticleId,
        fingerprint: &Fingerprint,
        signature: &ArticleSignature,
    ) -> Result<(), StoreError>;

    /// Scheduled articles, soonest first: id, headline, release time.
    fn scheduled(&self, limit: usize) -> Result<Vec<(ArticleId, String, i64)>, StoreError>;

    /// The newest retractions: id, headline, by, when.
    fn retracted(&self, limit: usize) -> Result<Vec<(ArticleId, String, i64, i64)>, StoreError>;
}

/// Which chats want which cities' new articles.
pub trait Subscriptions {
    /// Subscribes a chat to a city's news ([`ALL_CITIES`] for all news);
    /// false when it already was.
    fn subscribe(&self, chat_id: i64, city_code: u32, now: i64) -> Result<bool, StoreError>;

    /// Ends a subscription; false when there was none.
    fn unsubscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError>;

    /// Ends every subscription of a chat (it blocked the bot or left);
    /// pending deliveries to it are dropped with `reason`. Returns how many
    /// subscriptions ended.
    fn unsubscribe_all(&self, chat_id: i64, reason: &str) -> Result<usize, StoreError>;

    /// Moves a chat's subscriptions and the deliveries owed to it to another
    /// chat id (a group upgraded to a supergroup); returns how many moved.
    fn move_chat(&self, from: i64, to: i64) -> Result<usize, StoreError>;

    /// The city codes a chat subscribed to, in code order.
    fn subscriptions(&self, chat_id: i64) -> Result<Vec<u32>, StoreError>;
}

/// Messages owed to subscribers, committed with the push that made them,
/// due when its hold ends, claimed with a lease by the one sender (the
/// leader), marked made (with the messages sent) or failed; and the
/// messages already sent that a correction or a retraction must change.
pub trait Outbox {
    /// Ends every delivery and action lease: for a sender starting after a
    /// crash, when no other sender can be running.
    fn release_delivery_claims(&self) -> Result<usize, StoreError>;

    /// Claims up to `limit` deliveries due at `now`, for `lease_secs`
    /// seconds: a claimed delivery is not handed to another sender until it
    /// is marked delivered or failed, or its lease runs out (a crashed sender).
    fn claim_due_deliveries(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<Delivery>, StoreError>;

    /// Records a delivery as made, with the messages it sent.
    fn mark_delivered(
        &self,
        delivery_id: i64,
        message_ids: &[i32],
        now: i64,
    ) -> Result<(), StoreError>;

    /// Records a failed attempt; the delivery is retried after `retry_in_secs`.
    fn mark_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Drops a delivery that can never be made (the article was retracted,
    /// the member blocked the bot, too many attempts), with the reason.
    fn drop_delivery(&self, delivery_id: i64, reason: &str) -> Result<(), StoreError>;

    /// Makes the waiting deliveries of an article due at `now` (立即发送);
    /// returns how many.
    fn deliver_now(&self, id: &ArticleId, now: i64) -> Result<usize, StoreError>;

    /// Drops the waiting deliveries of an article (the push is cancelled);
    /// returns how many.
    fn cancel_deliveries(&self, id: &ArticleId) -> Result<usize, StoreError>;

    /// Number of deliveries not yet made nor dropped.
    fn pending_deliveries(&self) -> Result<u64, StoreError>;

    /// Number of deliveries of an article already made (messages sent).
    fn sent_count(&self, id: &ArticleId) -> Result<usize, StoreError>;

    /// Claims up to `limit` due message actions (edits, retractions), leased
    /// like deliveries.
    fn claim_due_actions(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<MessageAction>, StoreError>;

    /// Records a message action as done (or given up, with `error`).
    fn finish_action(
        &self,
        action_id: i64,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Records a failed attempt at a message action; retried after `retry_in_secs`.
    fn retry_action(
        &self,
        action_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError>;
}

/// The pushes admins made, for their live reports and `/status`.
pub trait Pushes {
    /// Remembers the message that reports on a push, to keep it up to date.
    fn set_push_report(&self, push: i64, chat_id: i64, message_id: i32) -> Result<(), StoreError>;

    /// How a push's deliveries stand.
    fn push_progress(&self, push: i64) -> Result<Option<PushProgress>, StoreError>;

    /// The newest pushes, newest first.
    fn recent_pushes(&self, limit: usize) -> Result<Vec<PushProgress>, StoreError>;

    /// Recent pushes with a report message, past their hold, whose report
    /// was not edited in the last `every_secs` seconds: the desk edits those
    /// whose figures changed.
    fn pushes_to_report(&self, now: i64, every_secs: i64) -> Result<Vec<PushProgress>, StoreError>;

    /// Remembers the progress message sent under a push's report.
    fn set_progress_message(&self, push: i64, message_id: i32) -> Result<(), StoreError>;

    /// Records what a push's report now shows.
    fn push_reported(&self, push: i64, shown: &str, now: i64) -> Result<(), StoreError>;
}

/// Every addition and removal of an article, numbered: an index (one per
/// replica) records the generation it reflects and catches up from here.
pub trait ChangeLog {
    /// How many times articles were added or removed, ever.
    fn generation(&self) -> Result<u64, StoreError>;

    /// The changes after `generation`, oldest first, at most `limit`; `None`
    /// when the log no longer reaches back that far (it keeps the last
    /// [`CHANGES_KEPT`]), and the reader must compare whole id sets instead.
    fn changes_since(
        &self,
        generation: u64,
        limit: usize,
    ) -> Result<Option<Vec<Change>>, StoreError>;
}

/// Telegram updates already handled, so one sent again after a crash (or
/// fetched by two replicas) is answered once.
pub trait InboundUpdates {
    /// True when the Telegram update with this key was handled already.
    fn update_handled(&self, update_key: i64) -> Result<bool, StoreError>;

    /// Records a Telegram update as handled at `now`, and forgets those
    /// handled more than `keep_secs` before (Telegram keeps an update for
    /// 24 hours at most).
    fn mark_update_handled(
        &self,
        update_key: i64,
        keep_secs: i64,
        now: i64,
    ) -> Result<(), StoreError>;
}

/// Whose conversation: one member in one chat and forum topic. Two members
/// of a group, or one member in two topics, never share a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConversationKey {
    /// The chat.
    pub chat_id: i64,
    /// The member (0 when unknown, as for a channel post).
    pub user_id: i64,
    /// The forum topic (0 outside forums).
    pub thread_id: i64,
}

/// What a member last asked: the question as the desk understood it and the
/// first article it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastQuestion {
    /// The question as the desk understood it, in the desk's own form
    /// (`followup::Remembered` as JSON: the typed question after follow-ups
    /// were applied — 那东莞呢 after a question about 湛江 is the question
    /// about 东莞 — and the message it was read from). The store keeps it
    /// as it is given.
    pub question: String,
    /// The first article found, if any.
    pub first: Option<ArticleId>,
    /// When it was asked, in Unix seconds.
    pub asked_at: i64,
}

/// Each member's last question, per chat and topic.
pub trait Conversations {
    /// Remembers `last` for `key` (replacing what was there) and, now and
    /// then, forgets every conversation last asked before `forget_before`
    /// (Unix seconds); [`Conversations::last_question`] never returns those.
    fn remember_question(
        &self,
        key: &ConversationKey,
        last: &LastQuestion,
        forget_before: i64,
    ) -> Result<(), StoreError>;

    /// The last question of `key` when it was asked at or after `since`.
    fn last_question(
        &self,
        key: &ConversationKey,
        since: i64,
    ) -> Result<Option<LastQuestion>, StoreError>;

    /// Forgets every conversation of a member (`/forget`), in every chat;
    /// returns how many.
    fn forget_conversations(&self, user_id: i64) -> Result<u64, StoreError>;
}

/// Everything the desk asks of a database.
pub trait NewsStore:
    ArticleStore
    + Subscriptions
    + Outbox
    + Pushes
    + Inbox
    + ChangeLog
    + InboundUpdates
    + Conversations
    + QuestionLog
    + TaughtWords
    + Editors
    + DeliveryPrefs
    + LeaderLock
    + Send
    + Sync
{
}

impl<T> NewsStore for T where
    T: ArticleStore
        + Subscriptions
        + Outbox
        + Pushes
        + Inbox
        + ChangeLog
        + InboundUpdates
        + Conversations
        + QuestionLog
        + TaughtWords
        + Editors
        + DeliveryPrefs
        + LeaderLock
        + Send
        + Sync
{
}

/// Visits every article in arrival order (rebuilding the index, exports),
/// a batch at a time, so memory stays bounded. The visitor's error stops the walk.
pub fn for_each_article<E: From<StoreError>>(
    store: &dyn NewsStore,
    mut visit: impl FnMut(Article) -> Result<(), E>,
) -> Result<(), E> {
    const BATCH: usize = 512;
    let mut after = 0;
    loop {
        let batch = store.articles_after(after, BATCH)?;
        let Some((last, _)) = batch.last() else {
            return Ok(());
        };
        after = *last;
        for (_, article) in batch {
            visit(article)?;
        }
    }
}
