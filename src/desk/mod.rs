//! The news desk: the core service every front end shares.
//!
//! [`NewsDesk`] is a thin façade over five services, one file each:
//!
//! - `conversation`: a [`Request`] from a [`Sender`] in, one [`Reply`] out
//!   ([`NewsDesk::handle`]); searches, lists, articles, subscriptions and the
//!   admin commands.
//! - `ingest` ([`Ingest`]): pages → stored and indexed articles; one path for
//!   pasted text, files and folders.
//! - `editions` ([`Editions`]): what editors do after a push — send it
//!   before its hold ends, schedule, cancel, correct, retract, restore, `/status`.
//! - `deliveries` ([`Deliveries`]): the subscriber outbox (due when a
//!   push's hold ends), the changes owed to messages already sent, the
//!   live push reports, and the record of Telegram updates handled.
//! - `digests` ([`Digests`]): the daily digest a chat's digest
//!   subscriptions get, and the quiet hours (22:00–07:00) every delivery keeps.
//! - `consistency` ([`Consistency`]): the index kept in step with the store.
//! - `inbox` ([`Inbox`]): questions members leave for the union (留言),
//!   answered once by an admin, the answers owed to members.
//!
//! The console, `ask`, the tests and the Telegram bot all go through
//! [`NewsDesk::handle`], so a message gets the same answer everywhere.
//! Nothing here names teloxide, tantivy or SQLite; the store is a
//! [`NewsStore`], SQLite's by default ([`NewsDesk::open`]) or any other
//! ([`NewsDesk::on_store`]).

mod consistency;
mod conversation;
mod deliveries;
mod digests;
mod editions;
mod inbox;
mod ingest;
mod paging;

pub use consistency::Consistency;
pub use conversation::{LIST_PAGE_SIZE, SEARCH_PAGE_SIZE};
pub use deliveries::{
    DELETABLE_SECS, Deliveries, MAX_DELIVERY_ATTEMPTS, MessageChange, ProgressUpdate,
};
pub use digests::{
    DigestToSend, Digests, QUIET_FROM_HOUR, QUIET_UNTIL_HOUR, QuietVerdict, is_quiet_hour,
    quiet_verdict,
};
pub use editions::{Editions, STATUS_ROWS};
pub use inbox::{INBOX_ROWS, Inbox, LIUYAN_LIMITS, MAX_ANSWER_ATTEMPTS, MAX_LIUYAN_CHARS};
pub use ingest::{
    BULK_COMMIT_FILES, BULK_FILES, Ingest, PushOrder, defaults_from_file_name, page_files,
};
pub use paging::Paging;

use crate::article::{Article, ArticleId};
use crate::clock::BotTime;
use crate::config::AdminIds;
use crate::document::DocumentReader;
use crate::index::{IndexError, NewsIndex};
use crate::reply::{Reply, text};
use crate::request::{Request, Sender};
use crate::search::SearchError;
use crate::store::{Leadership, NewsStore, SqliteStore, StoreError, StoreStats};
use crate::vocabulary::Vocabulary;
use crate::zh::places::HomeProvince;
use conversation::Conversation;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// Largest page file accepted, in bytes.
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// Most bytes a pushed Word, web or PDF file may have (Telegram lets a bot
/// download 20 MB); the text read from it is held to [`MAX_PAGE_BYTES`].
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// The most bytes a file of this name may have: [`MAX_DOCUMENT_BYTES`] for
/// a Word, web or PDF file (fonts and pictures weigh more than text),
/// [`MAX_PAGE_BYTES`] for text.
pub fn file_byte_limit(file_name: &str) -> usize {
    let is_document = file_name.rsplit_once('.').is_some_and(|(_, ext)| {
        ["docx", "pdf", "html", "htm", "shtml", "xhtml"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    });
    if is_document {
        MAX_DOCUMENT_BYTES
    } else {
        MAX_PAGE_BYTES
    }
}
/// File name of the database inside the data folder.
pub const DATABASE_FILE: &str = "news.sqlite3";
/// Folder of the index inside the data folder.
pub const INDEX_DIR: &str = "index";

/// What can go wrong in the desk.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A page file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A page file is not text in an encoding the bot reads (UTF-8, UTF-16
    /// with its mark, GBK/GB18030), nor a Word, web or PDF file it can read.
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: crate::document::Unreadable,
    },
    /// A page is larger than [`MAX_PAGE_BYTES`] (a Word, web or PDF file
    /// than [`MAX_DOCUMENT_BYTES`]).
    #[error("{origin} is {bytes} bytes, more than the {limit} bytes it may have")]
    TooLarge {
        /// The file or push.
        origin: String,
        /// Its size.
        bytes: usize,
        /// The limit it is over.
        limit: usize,
    },
    /// The data folder could not be created.
    #[error("cannot create data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl From<SearchError> for DeskError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Index(e) => DeskError::Index(e),
            SearchError::Store(e) => DeskError::Store(e),
        }
    }
}

/// The core service: a store, an index, and the home province that settles
/// ambiguous place names.
pub struct NewsDesk {
    store: Box<dyn NewsStore>,
    index: NewsIndex,
    home: HomeProvince,
    documents: DocumentReader,
    /// Members' words and synonyms; replaced whole when words are taught.
    vocabulary: RwLock<Arc<Vocabulary>>,
    /// Where members are sent with a question no report answers.
    hotline: String,
    /// The clock and time zone every time is read from.
    time: BotTime,
    /// Seconds between a push and its deliveries (`PUSH_HOLD`).
    push_hold_secs: i64,
    /// The admins of `ADMIN_IDS` (the first is the owner).
    admins: RwLock<Arc<AdminIds>>,
    /// The editors the owner added, as last read, with the store's editors
    /// generation they were read at.
    editors: RwLock<(i64, Arc<HashSet<i64>>)>,
    /// The store's words generation the vocabulary was last built at.
    words_seen: Mutex<i64>,
    /// Days questions are kept in the log (`QUESTION_LOG_DAYS`).
    question_log_days: u32,
    /// The bot's Telegram username, for links that subscribe (`BOT_USERNAME`).
    bot_username: Option<String>,
}

pub use crate::config::{DEFAULT_PUSH_HOLD_SECS, DEFAULT_QUESTION_LOG_DAYS};

impl NewsDesk {
    /// Opens the desk on a data folder: `news.sqlite3` and `index/` inside it,
    /// both created when missing. The index is rebuilt from the store when it
    /// is missing, unreadable, of an older schema, or out of step with the store.
    pub fn open(data_dir: &Path) -> Result<Self, DeskError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DeskError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let store = SqliteStore::open(&data_dir.join(DATABASE_FILE))?;
        NewsDesk::on_store(Box::new(store), &data_dir.join(INDEX_DIR))
    }

    /// Opens the desk on any store (another backend of [`NewsStore`]) with
    /// its index in `index_dir`, brought in step with the store.
    pub fn on_store(store: Box<dyn NewsStore>, index_dir: &Path) -> Result<Self, DeskError> {
        let (index, state) = NewsIndex::open(index_dir)?;
        let desk = NewsDesk {
            store,
            index,
            home: HomeProvince::default(),
            documents: DocumentReader::default(),
            vocabulary: RwLock::new(Arc::new(Vocabulary::shipped())),
            hotline: crate::config::DEFAULT_HOTLINE.into(),
            time: BotTime::default(),
            push_hold_secs: DEFAULT_PUSH_HOLD_SECS,
            admins: RwLock::new(Arc::new(AdminIds::default())),
            editors: RwLock::new((-1, Arc::new(HashSet::new()))),
            words_seen: Mutex::new(-1),
            question_log_days: DEFAULT_QUESTION_LOG_DAYS,
            bot_username: None,
        };
        let filled = desk.ingest().fill_fingerprints()?;
        if filled > 0 {
            tracing::info!(filled, "fingerprints kept for articles stored before them");
        }
        desk.consistency().after_open(state)?;
        Ok(desk)
    }

    /// Writes a consistent copy of the store in `data_dir` to `target`
    /// while a bot may be running on it (`backup FILE`); returns the pages copied.
    pub fn backup(data_dir: &Path, target: &Path) -> Result<u64, DeskError> {
        Ok(crate::store::backup_database(
            &data_dir.join(DATABASE_FILE),
            target,
        )?)
    }

    /// Puts a backup back as the store of `data_dir` and rebuilds the
    /// index from it (`restore FILE`); refused while a bot runs on the
    /// folder. Returns the desk on the restored store.
    pub fn restore(data_dir: &Path, backup: &Path) -> Result<NewsDesk, DeskError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DeskError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let database = data_dir.join(DATABASE_FILE);
        {
            // The lock alone: the database may be too broken to open.
            let _leading = crate::store::lead_database_folder(&database)?;
            crate::store::restore_database(backup, &database)?;
        }
        let index = data_dir.join(INDEX_DIR);
        if index.exists() {
            std::fs::remove_dir_all(&index).map_err(|source| DeskError::Read {
                path: index.clone(),
                source,
            })?;
        }
        NewsDesk::open(data_dir)
    }

    /// A desk on a private in-memory store and index (tests, evaluation).
    pub fn in_memory() -> Result<Self, DeskError> {
        Ok(NewsDesk {
            store: Box::new(SqliteStore::open_in_memory()?),
            index: NewsIndex::in_memory()?,
            home: HomeProvince::default(),
            documents: DocumentReader::default(),
            vocabulary: RwLock::new(Arc::new(Vocabulary::shipped())),
            hotline: crate::config::DEFAULT_HOTLINE.into(),
            time: BotTime::default(),
            push_hold_secs: DEFAULT_PUSH_HOLD_SECS,
            admins: RwLock::new(Arc::new(AdminIds::default())),
            editors: RwLock::new((-1, Arc::new(HashSet::new()))),
            words_seen: Mutex::new(-1),
            question_log_days: DEFAULT_QUESTION_LOG_DAYS,
            bot_username: None,
        })
    }

    /// The same desk writing links that subscribe for the bot `username`
    /// (`BOT_USERNAME`, without the `@`; the Telegram front end knows it).
    pub fn with_bot_username(mut self, username: &str) -> Self {
        let username = username.trim().trim_start_matches('@');
        self.bot_username = (!username.is_empty()).then(|| username.to_string());
        self
    }

    /// The same desk reading every time from `time` (a manual clock in
    /// tests, `TZ_NAME`'s zone in the bot).
    pub fn with_time(mut self, time: BotTime) -> Self {
        self.time = time;
        self
    }

    /// The same desk holding pushes `secs` seconds before their deliveries
    /// (`PUSH_HOLD`; 0 sends at once).
    pub fn with_push_hold(mut self, secs: i64) -> Self {
        self.push_hold_secs = secs.max(0);
        self
    }

    /// The same desk keeping questions in its log for `days` days
    /// (`QUESTION_LOG_DAYS`; at least one).
    pub fn with_question_log_days(mut self, days: u32) -> Self {
        self.question_log_days = days.max(1);
        self
    }

    /// Sets the admins of `ADMIN_IDS` (the first as written is the owner);
    /// the editors the owner adds join them from the store.
    pub fn set_admins(&self, admins: AdminIds) {
        let admins = Arc::new(admins);
        match self.admins.write() {
            Ok(mut current) => *current = admins,
            Err(poisoned) => *poisoned.into_inner() = admins,
        }
    }

    /// The admins of `ADMIN_IDS`.
    pub fn admins(&self) -> Arc<AdminIds> {
        match self.admins.read() {
            Ok(admins) => Arc::clone(&admins),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The editors the owner added at run time, as the store has them now
    /// (read again only when another process or command changed them).
    fn added_editors(&self) -> Arc<HashSet<i64>> {
        let generation = match self.store.editors_generation() {
            Ok(generation) => generation,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the editors' generation");
                return self.editors.read().map_or_else(
                    |poisoned| Arc::clone(&poisoned.into_inner().1),
                    |cached| Arc::clone(&cached.1),
                );
            }
        };
        if let Ok(cached) = self.editors.read()
            && cached.0 == generation
        {
            return Arc::clone(&cached.1);
        }
        let editors: HashSet<i64> = match self.store.editors() {
            Ok(rows) => rows.into_iter().map(|(id, _, _)| id).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the editors");
                HashSet::new()
            }
        };
        let editors = Arc::new(editors);
        if let Ok(mut cached) = self.editors.write() {
            *cached = (generation, Arc::clone(&editors));
        }
        editors
    }

    /// True when the Telegram user may use the admin commands: an id of
    /// `ADMIN_IDS` or an editor the owner added.
    pub fn is_admin(&self, user_id: i64) -> bool {
        self.admins().contains(user_id) || self.added_editors().contains(&user_id)
    }

    /// Every admin's user id (`ADMIN_IDS` and the editors added), ascending:
    /// who is told of a member's question to the union.
    pub fn admin_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.admins().ids().to_vec();
        ids.extend(self.added_editors().iter().copied());
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The sender of a message from `user_id` (if known) in `chat_id`:
    /// an admin, the owner, or a member.
    pub fn sender(&self, chat_id: i64, user_id: Option<i64>) -> Sender {
        match user_id {
            Some(user) if self.is_admin(user) => {
                let mut sender = Sender::admin(chat_id, user);
                sender.is_owner = self.admins().owner() == Some(user);
                sender
            }
            _ => Sender::member(chat_id, user_id),
        }
    }

    /// The clock and time zone the desk reads.
    pub fn time(&self) -> &BotTime {
        &self.time
    }

    /// The same desk with another home province (`HOME_PROVINCE`). Articles
    /// already stored keep the cities they were given.
    pub fn with_home_province(mut self, home: HomeProvince) -> Self {
        self.home = home;
        self
    }

    /// The same desk sending members with a question no report answers to
    /// `hotline` (`UNION_HOTLINE`; the national 职工服务热线 12351 by default).
    pub fn with_hotline(mut self, hotline: &str) -> Self {
        self.hotline = hotline.to_string();
        self
    }

    /// The same desk reading pushed Word, web and PDF files with `reader`
    /// (the bot's: a bounded child; see [`DocumentReader`]).
    pub fn with_document_reader(mut self, reader: DocumentReader) -> Self {
        self.documents = reader;
        self
    }

    /// What reads pushed files and fetched pages.
    pub fn documents(&self) -> &DocumentReader {
        &self.documents
    }

    /// The vocabulary members' messages are read with (a snapshot: words
    /// taught later make a new one). Words taught by any process sharing
    /// the store are read in as soon as the store says they changed.
    pub fn vocabulary(&self) -> Arc<Vocabulary> {
        self.reload_taught_words();
        match self.vocabulary.read() {
            Ok(vocabulary) => Arc::clone(&vocabulary),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the vocabulary: messages from now on are read with it (no
    /// restart, no reindex: it applies to members' messages only).
    pub fn set_vocabulary(&self, vocabulary: Vocabulary) {
        let vocabulary = Arc::new(vocabulary);
        match self.vocabulary.write() {
            Ok(mut current) => *current = vocabulary,
            Err(poisoned) => *poisoned.into_inner() = vocabulary,
        }
    }

    /// Rebuilds the vocabulary from the shipped one and the words editors
    /// taught when the store's words generation moved since the last build.
    fn reload_taught_words(&self) {
        let Ok(mut seen) = self.words_seen.lock() else {
            return;
        };
        let generation = match self.store.words_generation() {
            Ok(generation) => generation,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the words' generation");
                return;
            }
        };
        if *seen == generation {
            return;
        }
        match self.store.taught_words() {
            Ok(taught) => {
                let vocabulary = Vocabulary::shipped().with_taught(
                    taught
                        .iter()
                        .map(|w| (w.word.as_str(), w.mandarin.as_str())),
                );
                self.set_vocabulary(vocabulary);
                *seen = generation;
                tracing::info!(
                    taught = taught.len(),
                    "vocabulary rebuilt with taught words"
                );
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the taught words"),
        }
    }

    /// Reads a message's text as a request (with this desk's home province
    /// and vocabulary).
    pub fn parse(&self, text: &str) -> Request {
        Request::parse(text, self.home, &self.vocabulary())
    }

    /// Answers one request. Never fails: our own failures are logged and the
    /// sender gets a short apology.
    pub fn handle(&self, sender: &Sender, request: Request) -> Reply {
        self.handle_logged(sender, request, true)
    }

    /// Answers one request as [`Self::handle`] does, without logging a
    /// question it asks (an inline query, typed a letter at a time).
    pub fn handle_unlogged(&self, sender: &Sender, request: Request) -> Reply {
        self.handle_logged(sender, request, false)
    }

    fn handle_logged(&self, sender: &Sender, request: Request, log: bool) -> Reply {
        let vocabulary = self.vocabulary();
        let admins = self.admins();
        let mut conversation = self.conversation(&vocabulary, &admins);
        conversation.log_questions = log;
        match conversation.reply(sender, request) {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!(error = %e, chat = sender.chat_id, "failed to answer a message");
                Reply::text(text::SORRY)
            }
        }
    }

    /// Answers one message's text: [`Self::parse`], then [`Self::handle`].
    pub fn reply_to(&self, sender: &Sender, text: &str) -> Reply {
        self.handle(sender, self.parse(text))
    }

    /// Makes this process the one that sends deliveries and polls Telegram
    /// (the store's leader lock), and makes due again the deliveries (and
    /// answers to members' questions) a stopped leader had claimed. Leadership lasts while the value is held.
    pub fn lead(&self) -> Result<Leadership, DeskError> {
        let leadership = self.store.lead()?;
        match self.deliveries().release_claims() {
            Ok(0) => {}
            Ok(released) => {
                tracing::info!(released, "deliveries claimed before a stop are due again")
            }
            Err(e) => tracing::warn!(error = %e, "cannot release old delivery claims"),
        }
        match self.inbox().release_claims() {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "answers claimed before a stop are due again"),
            Err(e) => tracing::warn!(error = %e, "cannot release old answer claims"),
        }
        Ok(leadership)
    }

    /// Pages in: text, files, folders, pushes, deletions.
    pub fn ingest(&self) -> Ingest<'_> {
        Ingest {
            store: self.store.as_ref(),
            index: &self.index,
            home: self.home,
            documents: &self.documents,
            time: &self.time,
        }
    }

    /// What editors do with pushes: send now, schedule, cancel, correct,
    /// retract, restore, and the status of it all.
    pub fn editions(&self) -> Editions<'_> {
        Editions {
            store: self.store.as_ref(),
            ingest: self.ingest(),
            time: &self.time,
            home: self.home,
            push_hold_secs: self.push_hold_secs,
        }
    }

    /// The subscriber outbox and the record of handled updates.
    pub fn deliveries(&self) -> Deliveries<'_> {
        Deliveries {
            store: self.store.as_ref(),
            index: &self.index,
            time: &self.time,
            ingest: self.ingest(),
        }
    }

    /// Questions to the union (留言): filed, listed, answered once,
    /// withdrawn, and the answers owed to members.
    pub fn inbox(&self) -> Inbox<'_> {
        Inbox {
            store: self.store.as_ref(),
            time: &self.time,
        }
    }

    /// The daily digests: claimed when due, marked sent or failed.
    pub fn digests(&self) -> Digests<'_> {
        Digests {
            store: self.store.as_ref(),
            time: &self.time,
        }
    }

    /// The index kept in step with the store: reconcile, reindex.
    pub fn consistency(&self) -> Consistency<'_> {
        Consistency {
            store: self.store.as_ref(),
            index: &self.index,
        }
    }

    fn conversation<'d>(
        &'d self,
        vocabulary: &'d Vocabulary,
        admins: &'d AdminIds,
    ) -> Conversation<'d> {
        Conversation {
            admins,
            question_log_days: self.question_log_days,
            log_questions: true,
            understood: Default::default(),
            store: self.store.as_ref(),
            index: &self.index,
            home: self.home,
            documents: &self.documents,
            vocabulary,
            hotline: &self.hotline,
            time: &self.time,
            push_hold_secs: self.push_hold_secs,
            bot_username: self.bot_username.as_deref(),
        }
    }

    /// Deletes what members asked longer ago than `QUESTION_LOG_DAYS`: the
    /// logged questions and their votes, and the questions to the union
    /// that are done with (withdrawn, or answered and sent). The sender loop
    /// calls it now and then; returns how many rows went.
    pub fn forget_old_questions(&self) -> Result<u64, DeskError> {
        let before = self.time.unix() - i64::from(self.question_log_days) * 86_400;
        Ok(self.store.forget_logged_before(before)? + self.store.forget_closed_before(before)?)
    }

    /// Moves a chat's subscriptions and what it is owed to its new id (a
    /// group upgraded to a supergroup); returns how many subscriptions moved.
    pub fn move_chat(&self, from: i64, to: i64) -> Result<usize, DeskError> {
        Ok(self.store.move_chat(from, to)?)
    }

    /// Article counts and the newest date.
    pub fn stats(&self) -> Result<StoreStats, DeskError> {
        Ok(self.store.stats()?)
    }

    /// Number of articles in the store.
    pub fn article_count(&self) -> Result<u64, DeskError> {
        Ok(self.store.count()?)
    }

    /// The stored article with this id.
    pub fn article(&self, id: &ArticleId) -> Result<Option<Article>, DeskError> {
        Ok(self.store.article(id)?)
    }

    /// The ids of the first `limit` articles a search for `question` finds,
    /// in order (all pages of the reply together).
    pub fn search_ids(&self, question: &str, limit: usize) -> Result<Vec<ArticleId>, DeskError> {
        let vocabulary = self.vocabulary();
        let admins = self.admins();
        self.conversation(&vocabulary, &admins)
            .search_ids(question, limit)
    }

    /// Visits every stored article in arrival order (exports, benchmarks).
    pub fn for_each_article(
        &self,
        visit: impl FnMut(Article) -> Result<(), DeskError>,
    ) -> Result<(), DeskError> {
        crate::store::for_each_article(self.store.as_ref(), visit)
    }
}

#[cfg(test)]
mod tests;
