//! The news desk: the core service every front end shares.
//!
//! [`NewsDesk::handle`] takes one member message and returns one [`Reply`];
//! the console, `ask`, the tests and the Telegram bot all call it, so a
//! message gets the same answer everywhere. The desk also ingests pages
//! (store first, then index) and keeps the index in step with the store.
//! Nothing here names teloxide, tantivy or SQLite.

use crate::article::{Article, ArticleId};
use crate::index::IndexDoc;
use crate::index::{IndexError, NewsIndex, OpenState};
use crate::page::{self, PageDefaults, ParsedArticle};
use crate::query::Question;
use crate::reply::{self, Block, Item, ListKind, Pages, Reply};
use crate::request::{MAX_QUESTION_CHARS, Request};
use crate::search::{self, SearchError};
use crate::store::PageToStore;
use crate::store::{ALL_CITIES, Delivery, Store, StoreError, StoreStats};
use crate::summary::{answer_sentence, summarize, summarize_besides};
use crate::zh::normalize;
use crate::zh::places::{CityLookup, gazetteer};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Articles shown per page of a city or latest list.
pub const PAGE_SIZE: usize = 5;
/// Results shown per page of a search.
pub const SEARCH_PAGE_SIZE: usize = 3;
/// Largest page file accepted, in bytes.
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Attempts after which a subscriber delivery is given up.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 12;
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
    /// A page file is not UTF-8 text.
    #[error(
        "{path} is not UTF-8 text (byte {valid_up_to} is not valid); convert it to UTF-8 first"
    )]
    NotText {
        /// The file.
        path: PathBuf,
        /// How many bytes were valid.
        valid_up_to: usize,
    },
    /// A page is larger than [`MAX_PAGE_BYTES`].
    #[error("{origin} is {bytes} bytes, more than the {MAX_PAGE_BYTES} bytes a page may have")]
    TooLarge {
        /// The file or push.
        origin: String,
        /// Its size.
        bytes: usize,
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

/// Who sent a message: the chat to answer in and whether they may use the
/// admin commands (decided by the front end: a numeric Telegram id in
/// `ADMIN_IDS`, or the local operator at the console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sender {
    /// The chat the message came from (where subscriptions belong).
    pub chat_id: i64,
    /// The user who sent it, when known.
    pub user_id: Option<i64>,
    /// True when the sender may push and delete articles.
    pub is_admin: bool,
}

impl Sender {
    /// The local operator at the console: chat 0, an admin.
    pub fn console() -> Self {
        Sender {
            chat_id: 0,
            user_id: None,
            is_admin: true,
        }
    }

    /// A member (not an admin) in a chat.
    pub fn member(chat_id: i64, user_id: Option<i64>) -> Self {
        Sender {
            chat_id,
            user_id,
            is_admin: false,
        }
    }
}

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
}

/// What ingesting one page did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestReport {
    /// The page's articles, in page order.
    pub articles: Vec<IngestedArticle>,
    /// Parser warnings, each naming its line.
    pub warnings: Vec<String>,
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

/// The core service: a store, an index and the logic between them.
pub struct NewsDesk {
    store: Store,
    index: NewsIndex,
}

impl NewsDesk {
    /// Opens the desk on a data folder: `news.sqlite3` and `index/` inside it,
    /// both created when missing. The index is rebuilt from the store when it
    /// is missing, unreadable, of an older schema, or out of step with the store.
    pub fn open(data_dir: &Path) -> Result<Self, DeskError> {
        std::fs::create_dir_all(data_dir).map_err(|source| DeskError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let store = Store::open(&data_dir.join(DATABASE_FILE))?;
        let (index, state) = NewsIndex::open(&data_dir.join(INDEX_DIR))?;
        let desk = NewsDesk { store, index };
        let stored = desk.store.count()?;
        match state {
            OpenState::Created(reason) if stored > 0 => {
                tracing::info!(%reason, stored, "rebuilding the search index from the store");
                desk.reindex()?;
            }
            OpenState::Existing
                if desk.index.num_docs() != stored
                    || desk.index.committed_generation() != Some(desk.store.generation()?) =>
            {
                tracing::warn!(
                    indexed = desk.index.num_docs(),
                    stored,
                    "index out of step with the store (a stop between the two commits?); reconciling"
                );
                let (added, removed) = desk.reconcile()?;
                tracing::info!(added, removed, "index reconciled with the store");
            }
            _ => {}
        }
        Ok(desk)
    }

    /// A desk on a private in-memory store and index (tests, evaluation).
    pub fn in_memory() -> Result<Self, DeskError> {
        Ok(NewsDesk {
            store: Store::open_in_memory()?,
            index: NewsIndex::in_memory()?,
        })
    }

    /// Commits the index, recording the store generation it now reflects.
    fn commit_index(&self) -> Result<(), DeskError> {
        self.index.set_generation(self.store.generation()?);
        Ok(self.index.commit()?)
    }

    /// Brings the index in step with the store without rebuilding it: stored
    /// articles missing from the index are indexed, index entries of
    /// articles no longer stored are removed. Returns (added, removed).
    pub fn reconcile(&self) -> Result<(usize, usize), DeskError> {
        let stored = self.store.ids()?;
        let indexed = self.index.ids()?;
        let missing: Vec<ArticleId> = stored.difference(&indexed).cloned().collect();
        let stray: Vec<ArticleId> = indexed.difference(&stored).cloned().collect();
        self.index.remove_uncommitted(&stray)?;
        for chunk in missing.chunks(1000) {
            let docs = self
                .store
                .articles(chunk)?
                .iter()
                .map(|a| self.index.prepare(a))
                .collect();
            self.index.add_prepared(docs)?;
        }
        self.commit_index()?;
        Ok((missing.len(), stray.len()))
    }

    /// Rebuilds the index from the store; returns how many articles it holds.
    pub fn reindex(&self) -> Result<u64, DeskError> {
        self.index.set_generation(self.store.generation()?);
        let mut rebuild = self.index.rebuild()?;
        self.store
            .for_each_article(|article| rebuild.add(&article).map_err(DeskError::from))?;
        Ok(rebuild.commit()?)
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

    /// Parses a page, stores its new articles (one transaction) and indexes
    /// them; when this returns they are durable and searchable. Subscribers
    /// are not notified (archives are ingested this way); see [`Self::push`].
    pub fn ingest_text(
        &self,
        text: &str,
        origin: &str,
        defaults: &PageDefaults,
    ) -> Result<IngestReport, DeskError> {
        self.ingest(text, origin, defaults, false)
    }

    /// Like [`Self::ingest_text`], and in the same transaction queues one
    /// delivery per subscriber of each new article's cities.
    pub fn push(&self, text: &str, origin: &str) -> Result<IngestReport, DeskError> {
        let defaults = PageDefaults {
            issue_date: Some(chrono::Local::now().date_naive()),
            ..Default::default()
        };
        self.ingest(text, origin, &defaults, true)
    }

    fn ingest(
        &self,
        text: &str,
        origin: &str,
        defaults: &PageDefaults,
        notify: bool,
    ) -> Result<IngestReport, DeskError> {
        let page = self.prepare_page(text, origin, defaults)?;
        let mut reports = self.commit_pages(vec![page], notify)?;
        self.commit_index()?;
        Ok(reports.pop().unwrap_or_default())
    }

    /// Parses a page and lays its articles out for the index: the pure part
    /// of ingesting, run on many threads at once by [`Self::ingest_files`].
    fn prepare_page(
        &self,
        text: &str,
        origin: &str,
        defaults: &PageDefaults,
    ) -> Result<PreparedPage, DeskError> {
        if text.len() > MAX_PAGE_BYTES {
            return Err(DeskError::TooLarge {
                origin: origin.to_string(),
                bytes: text.len(),
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let parsed = page::parse(text, defaults);
        let mut warnings: Vec<String> = parsed
            .warnings
            .iter()
            .map(|w| format!("第 {} 行：{}", w.line, w.message))
            .collect();
        let mut articles: Vec<Article> = Vec::with_capacity(parsed.articles.len());
        for article in parsed.articles {
            // A title with nothing under it is no article: nothing to answer from.
            if article.paragraphs.iter().all(|p| p.trim().is_empty()) {
                warnings.push(format!(
                    "标题「{}」下面没有正文，未收录。",
                    article.title.headline
                ));
                continue;
            }
            articles.push(complete_article(article, &parsed.source));
        }
        let docs = articles.iter().map(|a| self.index.prepare(a)).collect();
        Ok(PreparedPage {
            origin: origin.to_string(),
            text: text.to_string(),
            articles,
            warnings,
            docs,
        })
    }

    /// Stores prepared pages in one transaction and hands their new articles
    /// to the index (searchable at the next index commit).
    fn commit_pages(
        &self,
        pages: Vec<PreparedPage>,
        notify: bool,
    ) -> Result<Vec<IngestReport>, DeskError> {
        let to_store: Vec<PageToStore> = pages
            .iter()
            .map(|p| PageToStore {
                origin: &p.origin,
                text: &p.text,
                articles: &p.articles,
                warnings: &p.warnings,
            })
            .collect();
        let stored = self.store.store_pages(&to_store, notify)?;
        let mut reports = Vec::with_capacity(pages.len());
        let mut new_docs = Vec::new();
        for (page, stored) in pages.into_iter().zip(stored) {
            let is_new = |id: &ArticleId| stored.added.contains(id);
            reports.push(IngestReport {
                articles: page
                    .articles
                    .iter()
                    .map(|a| IngestedArticle {
                        id: a.id.clone(),
                        title: a.title.headline.clone(),
                        cities: a
                            .cities
                            .iter()
                            .map(|c| c.short_name().to_string())
                            .collect(),
                        date: a.sort_date(),
                        is_new: is_new(&a.id),
                    })
                    .collect(),
                warnings: page.warnings,
                queued: stored.queued,
            });
            new_docs.extend(page.docs.into_iter().filter(|d| is_new(d.id())));
        }
        self.index.add_prepared(new_docs)?;
        Ok(reports)
    }

    /// Reads and ingests one page file. The issue date and page label come
    /// from its front matter, else from `defaults`, else from a file name
    /// like `2024-01-17_p2.md`.
    pub fn ingest_file(
        &self,
        path: &Path,
        defaults: &PageDefaults,
    ) -> Result<IngestReport, DeskError> {
        let page = self.prepare_file(path, defaults)?;
        let mut reports = self.commit_pages(vec![page], false)?;
        self.commit_index()?;
        Ok(reports.pop().unwrap_or_default())
    }

    fn prepare_file(
        &self,
        path: &Path,
        defaults: &PageDefaults,
    ) -> Result<PreparedPage, DeskError> {
        let bytes = read_page_bytes(path)?;
        let text = String::from_utf8(bytes).map_err(|e| DeskError::NotText {
            path: path.to_path_buf(),
            valid_up_to: e.utf8_error().valid_up_to(),
        })?;
        let defaults = defaults_from_file_name(path, defaults);
        self.prepare_page(&text, &path.display().to_string(), &defaults)
    }

    /// Ingests many page files, as `ingest` does for a whole archive: pages
    /// are read and parsed on every core, stored [`BULK_FILES`] at a time in
    /// one transaction each, and committed to the index every
    /// [`BULK_COMMIT_FILES`] files and at the end, so memory stays bounded
    /// whatever the archive's size. `each` hears every file's outcome, in
    /// order; a file that cannot be read or is not text is reported there
    /// and the rest go on.
    pub fn ingest_files(
        &self,
        files: &[PathBuf],
        defaults: &PageDefaults,
        mut each: impl FnMut(&Path, Result<IngestReport, DeskError>),
    ) -> Result<(), DeskError> {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut since_commit = 0;
        for chunk in files.chunks(BULK_FILES) {
            let prepared = parallel_map(chunk, workers, |path| self.prepare_file(path, defaults));
            let mut ready = Vec::new();
            let mut order = Vec::new();
            for (path, outcome) in chunk.iter().zip(prepared) {
                match outcome {
                    Ok(page) => {
                        order.push(path);
                        ready.push(page);
                    }
                    Err(e) => each(path, Err(e)),
                }
            }
            let reports = self.commit_pages(ready, false)?;
            for (path, report) in order.into_iter().zip(reports) {
                each(path, Ok(report));
            }
            since_commit += chunk.len();
            if since_commit >= BULK_COMMIT_FILES {
                self.commit_index()?;
                since_commit = 0;
            }
        }
        self.commit_index()?;
        Ok(())
    }

    /// Loads the page files of a folder when the store is empty (first run);
    /// returns how many articles were added.
    pub fn load_sample_pages_if_empty(&self, pages_dir: &Path) -> Result<usize, DeskError> {
        if self.store.count()? > 0 {
            return Ok(0);
        }
        let mut added = 0;
        let files = page_files(pages_dir);
        self.ingest_files(
            &files,
            &PageDefaults::default(),
            |path, outcome| match outcome {
                Ok(report) => added += report.added(),
                Err(e) => tracing::warn!("skipping {}: {e}", path.display()),
            },
        )?;
        Ok(added)
    }

    /// The ids of the first `limit` articles a search for `text` finds, in
    /// order (all pages of the reply together).
    pub fn search_ids(&self, text: &str, limit: usize) -> Result<Vec<ArticleId>, DeskError> {
        let question = Question::understand(text);
        let outcome = search::search(
            &self.index,
            &self.store,
            &question,
            self.reference_date()?,
            limit,
        )?;
        Ok(outcome.results.into_iter().map(|r| r.article.id).collect())
    }

    /// Visits every stored article in arrival order (exports, benchmarks).
    pub fn for_each_article(
        &self,
        visit: impl FnMut(Article) -> Result<(), DeskError>,
    ) -> Result<(), DeskError> {
        self.store.for_each_article(visit)
    }

    /// Removes an article from the store and the index; false if unknown.
    pub fn delete(&self, id: &ArticleId) -> Result<bool, DeskError> {
        let existed = self.store.delete(id)?;
        self.index.set_generation(self.store.generation()?);
        self.index.delete(id)?;
        Ok(existed)
    }

    /// Claims up to `limit` due subscriber deliveries, each with the message
    /// to send. A delivery whose article was deleted is dropped here.
    pub fn claim_deliveries(&self, limit: usize) -> Result<Vec<(Delivery, Reply)>, DeskError> {
        const LEASE_SECS: i64 = 120;
        let mut out = Vec::new();
        for delivery in self.store.claim_due_deliveries(limit, LEASE_SECS)? {
            match self.store.article(&delivery.article_id)? {
                Some(article) => {
                    let message = reply::notification(&article);
                    out.push((delivery, message));
                }
                None => self.store.drop_delivery(delivery.id, "article deleted")?,
            }
        }
        Ok(out)
    }

    /// Records a delivery as made.
    pub fn delivery_done(&self, delivery: &Delivery) -> Result<(), DeskError> {
        Ok(self.store.mark_delivered(delivery.id)?)
    }

    /// Records a failed delivery attempt; it is retried later, with a growing
    /// pause, and given up after [`MAX_DELIVERY_ATTEMPTS`].
    pub fn delivery_failed(
        &self,
        delivery: &Delivery,
        error: &str,
        retry_in_secs: Option<i64>,
    ) -> Result<(), DeskError> {
        if delivery.attempts + 1 >= MAX_DELIVERY_ATTEMPTS {
            tracing::warn!(chat = delivery.chat_id, %error, "giving up a delivery");
            return Ok(self.store.drop_delivery(delivery.id, error)?);
        }
        let backoff = 5i64 << delivery.attempts.min(10);
        Ok(self
            .store
            .mark_failed(delivery.id, error, retry_in_secs.unwrap_or(backoff))?)
    }

    /// A chat blocked the bot or is gone: its subscriptions and pending
    /// deliveries end.
    pub fn chat_unreachable(&self, chat_id: i64) -> Result<(), DeskError> {
        let ended = self.store.unsubscribe_all(chat_id)?;
        tracing::info!(chat = chat_id, ended, "chat unreachable; unsubscribed");
        Ok(())
    }

    /// Ends the leases of deliveries claimed by a sender that stopped (a
    /// crash); call it only where no other sender can be running. Returns
    /// how many deliveries are due again.
    pub fn release_delivery_claims(&self) -> Result<usize, DeskError> {
        Ok(self.store.release_delivery_claims()?)
    }

    /// True when the Telegram update with this key (its id and content,
    /// hashed) was handled already: Telegram sends again, after a crash,
    /// updates it was not told of.
    pub fn update_handled(&self, update_key: i64) -> Result<bool, DeskError> {
        Ok(self.store.update_handled(update_key)?)
    }

    /// Records a Telegram update as handled; ids are kept for two days,
    /// twice as long as Telegram keeps an update.
    pub fn mark_update_handled(&self, update_key: i64) -> Result<(), DeskError> {
        const KEEP_SECS: i64 = 2 * 24 * 3600;
        Ok(self.store.mark_update_handled(update_key, KEEP_SECS)?)
    }

    /// Number of deliveries not yet made.
    pub fn pending_deliveries(&self) -> Result<u64, DeskError> {
        Ok(self.store.pending_deliveries()?)
    }

    /// Answers one message from the local operator (console, `ask`).
    pub fn handle(&self, text: &str) -> Reply {
        self.respond(&Sender::console(), text)
    }

    /// Answers one message. Never fails: our own failures are logged and the
    /// sender gets a short apology.
    pub fn respond(&self, sender: &Sender, text: &str) -> Reply {
        match self.try_respond(sender, text) {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!(error = %e, chat = sender.chat_id, "failed to answer a message");
                Reply::text(reply::text::SORRY)
            }
        }
    }

    fn try_respond(&self, sender: &Sender, text: &str) -> Result<Reply, DeskError> {
        Ok(match Request::parse(text) {
            Request::Subscribe(name) => self.change_subscription(sender, &name, true)?,
            Request::Unsubscribe(name) => self.change_subscription(sender, &name, false)?,
            Request::Subscriptions => self.list_subscriptions(sender)?,
            Request::Push(_) | Request::Delete(_) if !sender.is_admin => {
                tracing::warn!(
                    chat = sender.chat_id,
                    user = ?sender.user_id,
                    "a non-admin tried an admin command"
                );
                Reply::text(reply::text::ADMINS_ONLY)
            }
            Request::Push(page) => self.push_reply(sender, &page)?,
            Request::Delete(argument) => self.delete_reply(&argument)?,
            Request::Start => {
                let stats = self.store.stats()?;
                reply::welcome(stats.articles, stats.newest, stats.per_city.len())
            }
            Request::Help => reply::help(),
            Request::Empty => Reply::text(reply::text::EMPTY),
            Request::TooLong { chars } => reply::too_long(chars, MAX_QUESTION_CHARS),
            Request::UnknownCommand(command) => reply::unknown_command(&command),
            Request::City { name, page } => self.city(&name, page)?,
            Request::Latest { page } => self.latest(page)?,
            Request::Article(argument) => self.full_article(&argument)?,
            Request::Search(question) => self.answer(&question, 1)?,
        })
    }

    /// Resolves a place a member named for `/city` or `/subscribe`: the city,
    /// or the reply that explains why there is none.
    fn resolve_city(&self, name: &str) -> Result<crate::article::City, Reply> {
        let shown_name: String = name.chars().take(20).collect();
        match gazetteer().resolve_city(&normalize(name)) {
            CityLookup::City(city) => Ok(city),
            CityLookup::Province(_, cities) => {
                let names: Vec<&str> = cities.iter().map(|c| c.short_name()).collect();
                Err(reply::province_not_city(&shown_name, &names))
            }
            CityLookup::Ambiguous(candidates) => {
                let names: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
                Err(reply::ambiguous_place(&shown_name, &names))
            }
            CityLookup::Unknown => Err(reply::unknown_place(&shown_name)),
        }
    }

    /// The city code a subscription names: a city, or [`ALL_CITIES`] for 全部.
    fn subscription_target(&self, name: &str) -> Result<(u32, String), Reply> {
        let name = name.trim();
        if ["全部", "所有", "all", "全部新闻"].contains(&normalize(name).as_str()) {
            return Ok((ALL_CITIES, "全部新闻".to_string()));
        }
        self.resolve_city(name)
            .map(|city| (city.code, city.short_name().to_string()))
    }

    /// `/subscribe` (`on`) or `/unsubscribe` (not `on`) a place or 全部.
    fn change_subscription(
        &self,
        sender: &Sender,
        name: &str,
        on: bool,
    ) -> Result<Reply, DeskError> {
        if name.trim().is_empty() {
            let usage = if on {
                reply::text::SUBSCRIBE_USAGE
            } else {
                reply::text::UNSUBSCRIBE_USAGE
            };
            return Ok(Reply::text(usage));
        }
        let (code, label) = match self.subscription_target(name) {
            Ok(target) => target,
            Err(reply) => return Ok(reply),
        };
        Ok(if on {
            reply::subscribed(&label, self.store.subscribe(sender.chat_id, code)?)
        } else {
            reply::unsubscribed(&label, self.store.unsubscribe(sender.chat_id, code)?)
        })
    }

    fn list_subscriptions(&self, sender: &Sender) -> Result<Reply, DeskError> {
        let names: Vec<String> = self
            .store
            .subscriptions(sender.chat_id)?
            .into_iter()
            .map(|code| match code {
                ALL_CITIES => "全部新闻".to_string(),
                code => gazetteer()
                    .city_by_code(code)
                    .map(|c| c.short_name().to_string())
                    .unwrap_or_else(|| code.to_string()),
            })
            .collect();
        Ok(reply::subscriptions(&names))
    }

    fn push_reply(&self, sender: &Sender, page: &str) -> Result<Reply, DeskError> {
        if page.trim().is_empty() {
            return Ok(Reply::text(reply::text::PUSH_USAGE));
        }
        let origin = format!("push:{}", sender.user_id.unwrap_or(sender.chat_id));
        match self.push(page, &origin) {
            Ok(report) => Ok(reply::push_report(&report)),
            Err(DeskError::TooLarge { bytes, .. }) => {
                Ok(reply::page_too_large(bytes, MAX_PAGE_BYTES))
            }
            Err(e) => Err(e),
        }
    }

    fn delete_reply(&self, argument: &str) -> Result<Reply, DeskError> {
        if argument.trim().is_empty() {
            return Ok(Reply::text(reply::text::DELETE_USAGE));
        }
        let shown: String = argument.trim().chars().take(16).collect();
        let Some(id) = ArticleId::parse(&crate::zh::fold_width(argument)) else {
            return Ok(reply::no_such_article(&shown));
        };
        let title = self.store.article(&id)?.map(|a| a.title.headline);
        Ok(match title {
            Some(title) if self.delete(&id)? => reply::deleted(&id, &title),
            _ => reply::no_such_article(&shown),
        })
    }

    /// Page `page` (1-based) of the search results for a question.
    pub fn search_page(&self, text: &str, page: usize) -> Reply {
        let page = page.clamp(1, 100);
        match self.answer(text, page) {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!(error = %e, "failed to page search results");
                Reply::text(reply::text::SORRY)
            }
        }
    }

    /// The date time words are read against: today, or the newest article's
    /// date when the archive has not been fed for over a month.
    fn reference_date(&self) -> Result<chrono::NaiveDate, DeskError> {
        let today = chrono::Local::now().date_naive();
        Ok(crate::when::reference_date(
            today,
            self.store.newest_date()?,
        ))
    }

    fn answer(&self, text: &str, page: usize) -> Result<Reply, DeskError> {
        let question = Question::understand(text);
        let reference = self.reference_date()?;
        let span = question.time.as_ref().and_then(|t| t.span(reference));
        if question.words.is_empty()
            && let (Some(span), Some(time)) = (span, &question.time)
        {
            // Only a time, maybe a place ("东莞上个月的新闻"): that period's articles.
            return self.period(&question, &time.text, span, page);
        }
        if question.words.is_empty() {
            // Only a place ("湛江的新闻"): its newest articles.
            if let Some(place) = question.places.iter().find(|p| !p.is_province) {
                return self.city(&place.text, 1);
            }
            if question.places.is_empty() {
                let mut reply = Reply::text(reply::text::NOT_FOUND);
                reply.push(Block::Hint(reply::text::NOT_FOUND_HINT.into()));
                return Ok(reply);
            }
        }
        let offset = (page - 1) * SEARCH_PAGE_SIZE;
        let mut outcome = search::search(
            &self.index,
            &self.store,
            &question,
            reference,
            offset + SEARCH_PAGE_SIZE + 1,
        )?;
        let has_next = outcome.results.len() > offset + SEARCH_PAGE_SIZE;
        let total_shown = outcome.results.len().min(offset + SEARCH_PAGE_SIZE);
        outcome.results.truncate(total_shown);
        if page > 1 && outcome.results.len() <= offset {
            return Ok(Reply::text("没有更多结果了。"));
        }
        let when = question
            .time
            .as_ref()
            .zip(outcome.dates)
            .map(|(t, span)| reply::time_label(&t.text, span));
        if outcome.results.is_empty() {
            if let Some(when) = &when {
                let mut reply = Reply::text(format!("抱歉，没有找到{when}与您的问题相关的报道。"));
                reply.push(Block::Hint(reply::text::NOT_FOUND_HINT.into()));
                return Ok(reply);
            }
            return Ok(match question.place_label() {
                Some(place) => {
                    let mut has_articles = false;
                    for code in question.city_codes() {
                        has_articles |= self.store.latest_in_city(code, 0, 0)?.1 > 0;
                    }
                    reply::nothing_found_in(&place, has_articles)
                }
                None => {
                    let mut reply = Reply::text(reply::text::NOT_FOUND);
                    reply.push(Block::Hint(reply::text::NOT_FOUND_HINT.into()));
                    reply
                }
            });
        }
        let mut reply = Reply::default();
        let place = outcome
            .restricted_to_places
            .then(|| question.place_label())
            .flatten();
        if outcome.outside_dates
            && let Some(when) = &when
        {
            reply.push(Block::Text(format!(
                "{when}没有找到相关报道，以下是其他时间的报道。"
            )));
        }
        let mut answer_shown = String::new();
        if question.focus.asks_fact() && page == 1 {
            let best = &outcome.results[0].article;
            if let Some(sentence) = answer_sentence(best, &outcome.focus_words, question.focus) {
                answer_shown = sentence.clone();
                reply.push(Block::Answer {
                    sentence,
                    title: best.title.headline.clone(),
                    id: best.id.clone(),
                });
            }
        }
        let when_shown = when.as_deref().filter(|_| !outcome.outside_dates);
        reply.push(Block::Heading(reply::results_heading(
            outcome.results.len(),
            place.as_deref(),
            when_shown,
        )));
        for (rank, ranked) in outcome.results.iter().enumerate().skip(offset) {
            let article = &ranked.article;
            reply.listed.push(article.id.clone());
            reply.push(Block::Item(Item {
                rank: rank + 1,
                id: article.id.clone(),
                title: reply::list_title(article),
                summary: if rank == 0 {
                    summarize_besides(article, &outcome.focus_words, question.focus, &answer_shown)
                } else {
                    summarize(article, &outcome.focus_words, question.focus)
                },
                source: reply::source_line(article),
                why: Some(reply::why_listed(
                    &ranked.matched,
                    place.as_deref(),
                    when_shown,
                )),
            }));
        }
        reply.push(Block::Hint("发送 /article 编号 阅读全文。".into()));
        reply.pages = Some(Pages {
            list: ListKind::Search,
            page,
            has_next,
        });
        Ok(reply)
    }

    fn city(&self, name: &str, page: usize) -> Result<Reply, DeskError> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Reply::text(reply::text::CITY_USAGE));
        }
        let shown_name: String = name.chars().take(20).collect();
        let city = match self.resolve_city(name) {
            Ok(city) => city,
            Err(reply) => return Ok(reply),
        };
        let offset = (page - 1) * PAGE_SIZE;
        let (articles, total) = self.store.latest_in_city(city.code, PAGE_SIZE, offset)?;
        let label = if normalize(name) == city.short_name() || normalize(name) == city.name {
            city.short_name().to_string()
        } else {
            format!("{}（{}所在的{}）", city.short_name(), shown_name, city.name)
        };
        if total == 0 {
            return Ok(reply::nothing_in_city(&label));
        }
        if articles.is_empty() {
            return Ok(Reply::text(format!(
                "{label}只有 {total} 篇报道，没有第 {page} 页。"
            )));
        }
        let heading = reply::city_heading(&label, offset + 1, offset + articles.len(), total);
        let has_next = offset + articles.len() < total as usize;
        let next = format!("/city {} {}", city.short_name(), page + 1);
        let pages = Pages {
            list: ListKind::City(city.code),
            page,
            has_next,
        };
        Ok(list_reply(heading, &articles, offset, pages, Some(&next)))
    }

    /// The articles of a period, newest first, in the question's cities if it names any.
    fn period(
        &self,
        question: &Question,
        typed: &str,
        span: (chrono::NaiveDate, chrono::NaiveDate),
        page: usize,
    ) -> Result<Reply, DeskError> {
        let cities = question.city_codes();
        let offset = (page - 1) * PAGE_SIZE;
        let (articles, total) = self
            .store
            .latest_between(&cities, span, PAGE_SIZE, offset)?;
        let when = reply::time_label(typed, span);
        let place = question.place_label().filter(|_| !cities.is_empty());
        let scope = format!("{}{when}", place.as_deref().unwrap_or(""));
        if total == 0 {
            let mut reply = Reply::text(format!("抱歉，资料库里没有{scope}的报道。"));
            reply.push(Block::Hint(reply::text::NOT_FOUND_HINT.into()));
            return Ok(reply);
        }
        if articles.is_empty() {
            return Ok(Reply::text("没有更多结果了。"));
        }
        let heading = format!(
            "{scope}的报道共 {total} 篇，这是第 {}–{} 篇（最新在前）：",
            offset + 1,
            offset + articles.len()
        );
        let pages = Pages {
            list: ListKind::Search,
            page,
            has_next: offset + articles.len() < total as usize,
        };
        // Paged by buttons (the question is read again from the message).
        Ok(list_reply(heading, &articles, offset, pages, None))
    }

    fn latest(&self, page: usize) -> Result<Reply, DeskError> {
        let offset = (page - 1) * PAGE_SIZE;
        let total = self.store.count()?;
        if total == 0 {
            return Ok(Reply::text(reply::text::NO_ARTICLES));
        }
        let articles = self.store.latest(PAGE_SIZE, offset)?;
        if articles.is_empty() {
            return Ok(Reply::text(format!(
                "共 {total} 篇报道，没有第 {page} 页。"
            )));
        }
        let heading = reply::latest_heading(offset + 1, offset + articles.len(), total);
        let pages = Pages {
            list: ListKind::Latest,
            page,
            has_next: offset + articles.len() < total as usize,
        };
        Ok(list_reply(
            heading,
            &articles,
            offset,
            pages,
            Some(&format!("/latest {}", page + 1)),
        ))
    }

    fn full_article(&self, argument: &str) -> Result<Reply, DeskError> {
        if argument.trim().is_empty() {
            return Ok(Reply::text(reply::text::ARTICLE_USAGE));
        }
        let shown: String = argument.trim().chars().take(16).collect();
        let Some(id) = ArticleId::parse(&crate::zh::fold_width(argument)) else {
            return Ok(reply::no_such_article(&shown));
        };
        Ok(match self.store.article(&id)? {
            Some(article) => {
                let mut reply = Reply::default();
                reply.push(reply::full_article(&article));
                reply.listed.push(article.id);
                reply
            }
            None => reply::no_such_article(&shown),
        })
    }
}

fn list_reply(
    heading: String,
    articles: &[Article],
    offset: usize,
    pages: Pages,
    next_command: Option<&str>,
) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(heading));
    for (i, article) in articles.iter().enumerate() {
        reply.listed.push(article.id.clone());
        reply.push(Block::Item(Item {
            rank: offset + i + 1,
            id: article.id.clone(),
            title: reply::list_title(article),
            summary: summarize(article, &[], Default::default()),
            source: reply::source_line(article),
            why: None,
        }));
    }
    if pages.has_next
        && let Some(next_command) = next_command
    {
        reply.push(Block::Hint(format!("发送 {next_command} 查看下一页。")));
    }
    reply.pages = Some(pages);
    reply
}

/// Turns a parsed article into a stored one: its id and its cities.
fn complete_article(parsed: ParsedArticle, source: &crate::article::Source) -> Article {
    // The gazetteer reads simplified text; pages may come in traditional characters.
    let title_lines: Vec<String> = parsed.title.lines().into_iter().map(normalize).collect();
    let title_lines: Vec<&str> = title_lines.iter().map(String::as_str).collect();
    let body: Vec<String> = parsed.paragraphs.iter().map(|p| normalize(p)).collect();
    let lede = body.first().map(String::as_str).unwrap_or("");
    let cities = gazetteer().article_cities(&title_lines, lede, &body);
    Article {
        id: ArticleId::from_content(&parsed.title.headline, &parsed.paragraphs),
        title: parsed.title,
        paragraphs: parsed.paragraphs,
        byline: parsed.byline,
        date: parsed.date,
        cities,
        source: source.clone(),
    }
}

/// Fills the issue date and page label from a file name like `2024-01-17_p2.md`
/// where the given defaults leave them open.
pub fn defaults_from_file_name(path: &Path, defaults: &PageDefaults) -> PageDefaults {
    let mut out = defaults.clone();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if out.issue_date.is_none() {
        out.issue_date = stem.get(..10).and_then(|d| d.parse().ok());
    }
    if out.page.is_none()
        && let Some(p) = stem.rsplit('_').next().and_then(|s| s.strip_prefix('p'))
        && let Ok(n) = p.parse::<u32>()
    {
        out.page = Some(format!("第{n}版"));
    }
    out
}

/// How many page files a bulk ingest stores per transaction.
pub const BULK_FILES: usize = 256;
/// How many page files a bulk ingest adds to the index between commits.
pub const BULK_COMMIT_FILES: usize = 2048;

/// A page parsed and laid out, ready to store and index.
struct PreparedPage {
    origin: String,
    text: String,
    articles: Vec<Article>,
    warnings: Vec<String>,
    docs: Vec<IndexDoc>,
}

/// Reads a page file, refusing one over [`MAX_PAGE_BYTES`] before reading it whole.
fn read_page_bytes(path: &Path) -> Result<Vec<u8>, DeskError> {
    let read_error = |source| DeskError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > MAX_PAGE_BYTES as u64 {
        return Err(DeskError::TooLarge {
            origin: path.display().to_string(),
            bytes: usize::try_from(size).unwrap_or(usize::MAX),
        });
    }
    std::fs::read(path).map_err(read_error)
}

/// Maps `work` over `items` on `workers` threads, keeping the order.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if workers <= 1 || items.len() <= 1 {
        return items.iter().map(work).collect();
    }
    let work = &work;
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    items
                        .iter()
                        .enumerate()
                        .skip(w)
                        .step_by(workers)
                        .map(|(i, item)| (i, work(item)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The page files of a folder and its sub-folders (`*.md`, `*.txt`), sorted
/// by path; a file path is returned as is.
pub fn page_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() && is_page_file(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn is_page_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "txt")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_PAGE: &str = include_str!("../data/pages/2024-01-16_seed.md");

    fn seed_defaults() -> PageDefaults {
        PageDefaults {
            issue_date: "2024-01-16".parse().ok(),
            ..Default::default()
        }
    }

    #[test]
    fn the_seed_page_gives_seven_articles_with_their_cities() {
        let desk = NewsDesk::in_memory().unwrap();
        let report = desk
            .ingest_text(SEED_PAGE, "seed", &seed_defaults())
            .unwrap();
        let expected: [(&str, &[&str]); 7] = [
            ("潮州德阳两地工会签署友好合作协议", &["潮州", "德阳"]),
            ("阳江市总工会研究部署劳资纠纷应急处置工作", &["阳江"]),
            ("围绕中心任务 找准工会工作切入点", &["汕尾"]),
            ("东莞市石龙镇总工会走访慰问退休劳模", &["东莞"]),
            ("茂名市茂南区总工会开展“四史”宣讲活动", &["茂名"]),
            ("湛江市总工会开展“劳模工匠助企行”调研", &["湛江"]),
            ("启动职工乡村疗休养示范性活动", &["云浮"]),
        ];
        assert_eq!(report.articles.len(), expected.len(), "{report:?}");
        for (article, (title, cities)) in report.articles.iter().zip(expected) {
            assert_eq!(article.title, title);
            assert_eq!(article.cities, cities, "cities of {title}");
            assert!(article.is_new);
        }
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    }

    #[test]
    fn a_page_pasted_again_with_other_whitespace_and_punctuation_adds_nothing() {
        let desk = NewsDesk::in_memory().unwrap();
        desk.ingest_text(SEED_PAGE, "seed", &seed_defaults())
            .unwrap();
        let repasted = SEED_PAGE
            .replace(',', "，")
            .replace("\n\n", "\n\n\n")
            .replace('。', "。 ");
        let report = desk
            .ingest_text(&repasted, "push", &seed_defaults())
            .unwrap();
        assert_eq!((report.added(), report.known()), (0, 7), "{report:?}");
        assert_eq!(desk.article_count().unwrap(), 7);
    }

    #[test]
    fn a_page_in_traditional_characters_gets_its_cities_and_is_found_in_simplified() {
        let desk = NewsDesk::in_memory().unwrap();
        let page = "# 湛江市總工會開展調研\n\n本報訊 1月11日,湛江市總工會走進羽絨企業。\n";
        let report = desk.ingest_text(page, "push", &seed_defaults()).unwrap();
        assert_eq!(report.articles[0].cities, ["湛江"], "{report:?}");
        let reply = desk.handle("湛江 羽绒");
        assert_eq!(reply.listed, [report.articles[0].id.clone()]);
    }

    #[test]
    fn an_oversized_page_is_refused_with_its_size() {
        let desk = NewsDesk::in_memory().unwrap();
        let page = "字".repeat(MAX_PAGE_BYTES);
        let error = desk
            .ingest_text(&page, "push", &seed_defaults())
            .unwrap_err();
        assert!(matches!(error, DeskError::TooLarge { .. }), "{error}");
        assert_eq!(desk.article_count().unwrap(), 0);
    }

    #[test]
    fn file_names_give_the_issue_date_and_page() {
        let d = defaults_from_file_name(Path::new("x/2024-01-17_p2.md"), &PageDefaults::default());
        assert_eq!(d.issue_date, "2024-01-17".parse().ok());
        assert_eq!(d.page.as_deref(), Some("第2版"));
        let given = PageDefaults {
            issue_date: "2020-01-01".parse().ok(),
            ..Default::default()
        };
        let d = defaults_from_file_name(Path::new("notes.md"), &given);
        assert_eq!((d.issue_date, d.page), (given.issue_date, None));
    }
    #[test]
    fn an_index_out_of_step_is_reconciled_not_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let kept_page = "# 湛江工会送清凉\n\n本报讯 7月1日,湛江市总工会为环卫工人送清凉。\n";
        let late_page = "# 茂名工会慰问劳模\n\n本报讯 7月2日,茂名市总工会慰问劳模。\n";
        let gone_page = "# 汕尾工会举办招聘会\n\n本报讯 7月3日,汕尾市总工会举办招聘会。\n";
        {
            let desk = NewsDesk::open(dir.path()).unwrap();
            desk.ingest_text(kept_page, "kept", &PageDefaults::default())
                .unwrap();
            let gone = desk
                .ingest_text(gone_page, "gone", &PageDefaults::default())
                .unwrap();
            // As if the process stopped between the two commits: one article
            // stored but never indexed, one removed from the store only.
            let late = desk
                .prepare_page(late_page, "late", &PageDefaults::default())
                .unwrap();
            let to_store = PageToStore {
                origin: &late.origin,
                text: &late.text,
                articles: &late.articles,
                warnings: &late.warnings,
            };
            desk.store.store_pages(&[to_store], false).unwrap();
            desk.store.delete(&gone.articles[0].id).unwrap();
            assert!(desk.handle("茂名 劳模").listed.is_empty());
        }
        let desk = NewsDesk::open(dir.path()).unwrap();
        assert_eq!(desk.index.num_docs(), 2);
        assert_eq!(desk.handle("茂名 劳模").listed.len(), 1);
        assert!(desk.handle("汕尾 招聘会").listed.is_empty());
        assert_eq!(desk.handle("湛江 送清凉").listed.len(), 1);
        assert_eq!(desk.reconcile().unwrap(), (0, 0));
    }
}

#[cfg(test)]
mod member_tests {
    use super::*;

    const PAGE: &str = "# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\n";

    #[test]
    fn a_member_cannot_push_or_delete_and_nothing_changes() {
        let desk = NewsDesk::in_memory().unwrap();
        let member = Sender::member(5, Some(5));
        let reply = desk.respond(&member, &format!("/push\n{PAGE}"));
        assert_eq!(crate::reply::to_plain(&reply), reply::text::ADMINS_ONLY);
        assert_eq!(desk.article_count().unwrap(), 0);
        let reply = desk.respond(&member, "/delete 1a2b3c4d");
        assert_eq!(crate::reply::to_plain(&reply), reply::text::ADMINS_ONLY);
    }

    #[test]
    fn an_admin_push_is_searchable_at_once_and_queued_once_for_subscribers() {
        let desk = NewsDesk::in_memory().unwrap();
        let subscriber = Sender::member(42, Some(42));
        desk.respond(&subscriber, "/subscribe 湛江");
        desk.respond(&subscriber, "/subscribe 全部");
        let admin = Sender {
            chat_id: 1,
            user_id: Some(1),
            is_admin: true,
        };
        let report = crate::reply::to_plain(&desk.respond(&admin, &format!("/push\n{PAGE}")));
        assert!(
            report.contains("新增 1 篇") && report.contains("湛江"),
            "{report}"
        );
        assert!(report.contains("将发送给订阅者 1 条"), "{report}");
        let found = desk.respond(&subscriber, "环卫工人 送清凉");
        assert_eq!(found.listed.len(), 1, "{found:?}");
        let due = desk.claim_deliveries(10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0.chat_id, 42);
        desk.delivery_done(&due[0].0).unwrap();
        let again = crate::reply::to_plain(&desk.respond(&admin, &format!("/push\n{PAGE}")));
        assert!(again.contains("已有 1 篇"), "{again}");
        assert_eq!(desk.pending_deliveries().unwrap(), 0);
    }

    #[test]
    fn subscriptions_are_listed_and_ended_per_chat() {
        let desk = NewsDesk::in_memory().unwrap();
        let a = Sender::member(1, None);
        let b = Sender::member(2, None);
        desk.respond(&a, "/subscribe 吴川");
        let listed = crate::reply::to_plain(&desk.respond(&a, "/subscriptions"));
        assert!(listed.contains("湛江"), "{listed}");
        let other = crate::reply::to_plain(&desk.respond(&b, "/subscriptions"));
        assert!(other.contains("还没有订阅"), "{other}");
        let ended = crate::reply::to_plain(&desk.respond(&a, "/unsubscribe zhanjiang"));
        assert!(ended.contains("已取消订阅湛江"), "{ended}");
        let usage = crate::reply::to_plain(&desk.respond(&a, "/subscribe"));
        assert!(usage.contains("/subscribe 湛江"), "{usage}");
        let unknown = crate::reply::to_plain(&desk.respond(&a, "/subscribe 乌有乡"));
        assert!(unknown.contains("没有找到名为「乌有乡」"), "{unknown}");
    }

    #[test]
    fn an_admin_deletes_an_article_from_store_and_search() {
        let desk = NewsDesk::in_memory().unwrap();
        let report = desk.push(PAGE, "test").unwrap();
        let id = report.articles[0].id.clone();
        let reply = crate::reply::to_plain(&desk.handle(&format!("/delete {id}")));
        assert!(reply.contains("已删除"), "{reply}");
        assert!(desk.handle("环卫工人 送清凉").listed.is_empty());
        assert!(desk.article(&id).unwrap().is_none());
    }
}
