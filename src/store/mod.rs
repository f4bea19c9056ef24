//! The source of truth, behind a seam: [`NewsStore`] is everything the
//! desk asks of a database, grouped by what it is for. [`SqliteStore`] (in
//! `sqlite`, the only file that names the database) fills it for one bot on
//! one machine; a server database for several replicas fills the same
//! traits without reshaping the desk:
//!
//! - [`ArticleStore`], [`Subscriptions`], [`Outbox`]: articles, who wants
//!   them, what is owed to whom (committed with the push that made it).
//! - [`LeaderLock`]: one process at a time sends deliveries and polls
//!   Telegram; SQLite's is a lock file beside the database, a server's an
//!   advisory lock.
//! - [`ChangeLog`]: every addition and removal, numbered, so each replica's
//!   index catches up from the generation it last committed.
//! - [`InboundUpdates`]: Telegram updates handled, so none is answered twice.
//! - [`Conversations`]: each member's last question per chat and forum
//!   topic, so a follow-up (那东莞呢, 有多少人) reads it, even after a restart.
//!
//! The methods are synchronous: the desk runs on blocking threads already
//! (the bot calls it through `spawn_blocking`), so a backend with an async
//! driver (sqlx) blocks on its own runtime handle inside them, and the
//! console, the CLI and the tests need no runtime of their own.

mod sqlite;

pub use sqlite::SqliteStore;

use crate::article::{Article, ArticleId};
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

/// Result of storing one page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredPage {
    /// Articles that were new, in page order.
    pub added: Vec<ArticleId>,
    /// Articles that were already in the store.
    pub known: Vec<ArticleId>,
    /// Deliveries queued for subscribers.
    pub queued: usize,
}

/// A page to store with [`ArticleStore::store_pages`].
#[derive(Debug, Clone, Copy)]
pub struct PageToStore<'a> {
    /// Where it came from (file path, `push:123`).
    pub origin: &'a str,
    /// The raw page text.
    pub text: &'a str,
    /// Its articles, complete with ids and cities.
    pub articles: &'a [Article],
    /// Parser warnings.
    pub warnings: &'a [String],
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

/// Articles and the pages they came from: the source of truth.
pub trait ArticleStore {
    /// Stores many pages in one transaction (bulk ingest): all or none.
    fn store_pages(
        &self,
        pages: &[PageToStore],
        notify: bool,
    ) -> Result<Vec<StoredPage>, StoreError>;

    /// The article with this id, if stored.
    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError>;

    /// Several articles by id, in the order asked; missing ids are skipped.
    fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError>;

    /// The newest articles, newest first (by article date, then arrival).
    fn latest(&self, limit: usize, offset: usize) -> Result<Vec<Article>, StoreError>;

    /// The newest articles of one city, newest first, and how many it has.
    fn latest_in_city(
        &self,
        city_code: u32,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError>;

    /// The ids of every stored article.
    fn ids(&self) -> Result<std::collections::HashSet<ArticleId>, StoreError>;

    /// The newest article's date, if any article is dated.
    fn newest_date(&self) -> Result<Option<NaiveDate>, StoreError>;

    /// The articles dated from `from` to `to` (inclusive) in one of `cities`
    /// (anywhere when empty), newest first, and how many there are in all.
    fn latest_between(
        &self,
        cities: &[u32],
        dates: (NaiveDate, NaiveDate),
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError>;

    /// Removes an article; true if it was there.
    fn delete(&self, id: &ArticleId) -> Result<bool, StoreError>;

    /// Number of articles.
    fn count(&self) -> Result<u64, StoreError>;

    /// Article counts, per city and overall, and the newest date.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// The newest ingest log entries, newest first.
    fn ingest_log(&self, limit: usize) -> Result<Vec<IngestLogEntry>, StoreError>;

    /// Up to `limit` articles stored after arrival number `after` (0 for
    /// the first), in arrival order, each with its arrival number: a walk
    /// over the whole store in bounded memory.
    fn articles_after(&self, after: u64, limit: usize) -> Result<Vec<(u64, Article)>, StoreError>;
}

/// Which chats want which cities' new articles.
pub trait Subscriptions {
    /// Subscribes a chat to a city's news ([`ALL_CITIES`] for all news);
    /// false when it already was.
    fn subscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError>;

    /// Ends a subscription; false when there was none.
    fn unsubscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError>;

    /// Ends every subscription of a chat (it blocked the bot or left);
    /// pending deliveries to it are dropped too. Returns how many ended.
    fn unsubscribe_all(&self, chat_id: i64) -> Result<usize, StoreError>;

    /// The city codes a chat subscribed to, in code order.
    fn subscriptions(&self, chat_id: i64) -> Result<Vec<u32>, StoreError>;
}

/// Messages owed to subscribers, committed with the push that made them,
/// claimed with a lease by the one sender (the leader), marked made or failed.
pub trait Outbox {
    /// Ends every delivery lease: for a sender starting after a crash, when
    /// no other sender can be running.
    fn release_delivery_claims(&self) -> Result<usize, StoreError>;

    /// Claims up to `limit` deliveries that are due, for `lease_secs`
    /// seconds: a claimed delivery is not handed to another sender until it
    /// is marked delivered or failed, or its lease runs out (a crashed sender).
    fn claim_due_deliveries(
        &self,
        limit: usize,
        lease_secs: i64,
    ) -> Result<Vec<Delivery>, StoreError>;

    /// Records a delivery as made.
    fn mark_delivered(&self, delivery_id: i64) -> Result<(), StoreError>;

    /// Records a failed attempt; the delivery is retried after `retry_in_secs`.
    fn mark_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_in_secs: i64,
    ) -> Result<(), StoreError>;

    /// Drops a delivery that can never be made (the article was deleted, too many attempts).
    fn drop_delivery(&self, delivery_id: i64, reason: &str) -> Result<(), StoreError>;

    /// Number of deliveries not yet made.
    fn pending_deliveries(&self) -> Result<u64, StoreError>;
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

    /// Records a Telegram update as handled, and forgets those handled more
    /// than `keep_secs` ago (Telegram keeps an update for 24 hours at most).
    fn mark_update_handled(&self, update_key: i64, keep_secs: i64) -> Result<(), StoreError>;
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
}

/// Everything the desk asks of a database.
pub trait NewsStore:
    ArticleStore
    + Subscriptions
    + Outbox
    + ChangeLog
    + InboundUpdates
    + Conversations
    + LeaderLock
    + Send
    + Sync
{
}

impl<T> NewsStore for T where
    T: ArticleStore
        + Subscriptions
        + Outbox
        + ChangeLog
        + InboundUpdates
        + Conversations
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
