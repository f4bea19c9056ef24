//! Pages in, articles out: one path for pasted text, a file, and a folder of
//! files. A page is parsed, its articles completed (id, cities), stored in
//! one transaction (with deliveries for subscribers when it is a push) and
//! only then indexed; when an ingest returns, its articles are durable and
//! searchable.

use super::consistency::Consistency;
use super::{DeskError, MAX_PAGE_BYTES};
use crate::article::{Article, ArticleId, Fingerprint};
use crate::clock::BotTime;
use crate::document::{DocumentInput, DocumentReader};
use crate::index::{IndexDoc, NewsIndex};
use crate::near_dup::{SAME_ARTICLE, Signature};
use crate::page::{self, PageDefaults, ParsedArticle, PublishedSource, Warning, WarningKind};
use crate::reply::text::page_warning;
use crate::report::{IngestReport, IngestedArticle};
use crate::store::{
    ArticleSignature, ArticleState, NewsStore, PageToStore, PendingUpdate, PushToStore,
    StoredArticle,
};
use crate::zh::normalize;
use crate::zh::places::{HomeProvince, gazetteer};
use std::path::{Path, PathBuf};

/// How many page files a bulk ingest stores per transaction.
pub const BULK_FILES: usize = 256;
/// How many stored articles sharing a band with a new one are compared with it.
const NEAR_CANDIDATES: usize = 20;

/// Letters and digits an article needs before it is compared for near
/// copies: two short notices that differ in a number or a name
/// (「第3期培训」, 「第4期培训」) share most of their shingles and are still
/// two articles, so short texts are recognised by their fingerprint only.
const NEAR_MIN_LETTERS: usize = 100;

/// How many page files a bulk ingest adds to the index between commits.
pub const BULK_COMMIT_FILES: usize = 2048;

/// Where a page comes from, and whether its subscribers are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Notify {
    /// An archive or a file: stored and indexed only. With `update`, an
    /// article nearly the same as a stored one updates it (`ingest
    /// --update`); without, it is reported and left out.
    Quiet {
        /// Update the stored article with a near-duplicate's text.
        update: bool,
    },
    /// An admin's push: subscribers of each new article's cities are sent
    /// it when the push's hold ends (or at its release time).
    Subscribers(PushToStore),
}

/// Who pushes a page, and when subscribers get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushOrder {
    /// The admin's user id (the chat's at the console).
    pub by: i64,
    /// The chat the push came from.
    pub chat_id: i64,
    /// Seconds between the push and its deliveries (`PUSH_HOLD`): time to
    /// correct or retract it before anyone has it.
    pub hold_secs: i64,
    /// A scheduled push's release time (Unix seconds): hidden until then.
    pub release_at: Option<i64>,
}

/// The ingest work of a desk.
pub struct Ingest<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) index: &'d NewsIndex,
    pub(super) home: HomeProvince,
    pub(super) documents: &'d DocumentReader,
    pub(super) time: &'d BotTime,
}

impl Ingest<'_> {
    pub(super) fn consistency(&self) -> Consistency<'_> {
        Consistency {
            store: self.store,
            index: self.index,
        }
    }

    /// Parses a page, stores its new articles (one transaction) and indexes
    /// them. Subscribers are not notified (archives are ingested this way);
    /// see [`Self::push`].
    pub fn text(
        &self,
        text: &str,
        origin: &str,
        defaults: &PageDefaults,
    ) -> Result<IngestReport, DeskError> {
        let page = self.prepare_text(text, origin, defaults)?;
        self.commit_one(page, Notify::Quiet { update: false })
    }

    /// Like [`Self::text`] for an admin's page, and in the same transaction
    /// records the push and queues one delivery per subscriber of each new
    /// article's cities, due when the hold ends (see [`PushOrder`]); the
    /// page's first article keeps the `photos` it came with. An
    /// article the page does not date is dated today; a lede's month and
    /// day with no year printed take the latest year not after today,
    /// flagged as a guess. `link` is the web address the page was fetched
    /// from, kept as each article's source.
    pub fn push(
        &self,
        text: &str,
        origin: &str,
        link: Option<&str>,
        order: &PushOrder,
        photos: &[String],
    ) -> Result<IngestReport, DeskError> {
        let today = self.time.today();
        let defaults = PageDefaults {
            today: Some(today),
            received: Some(today),
            link: link.map(str::to_string),
            ..Default::default()
        };
        let mut page = self.prepare_text(text, origin, &defaults)?;
        if let Some(first) = page.articles.first_mut() {
            first.photos = photos.to_vec();
        }
        let now = self.time.unix();
        let push = PushToStore {
            by: order.by,
            chat_id: order.chat_id,
            deliver_at: now + order.hold_secs.max(0),
            release_at: order.release_at,
        };
        self.commit_one(page, Notify::Subscribers(push))
    }

    /// Reads and ingests one page file. The issue date and page label come
    /// from its front matter, else from `defaults`, else from a file name
    /// like `2024-01-17_p2.md`.
    pub fn file(&self, path: &Path, defaults: &PageDefaults) -> Result<IngestReport, DeskError> {
        let page = self.prepare_file(path, defaults)?;
        self.commit_one(page, Notify::Quiet { update: false })
    }

    /// Ingests many page files, as `ingest` does for a whole archive: pages
    /// are read and parsed on every core, stored [`BULK_FILES`] at a time in
    /// one transaction each, and committed to the index every
    /// [`BULK_COMMIT_FILES`] files and at the end, so memory stays bounded
    /// whatever the archive's size. `each` hears every file's outcome, in
    /// order; a file that cannot be read or is not text is reported there
    /// and the rest go on.
    pub fn files(
        &self,
        files: &[PathBuf],
        defaults: &PageDefaults,
        each: impl FnMut(&Path, Result<IngestReport, DeskError>),
    ) -> Result<(), DeskError> {
        self.files_updating(files, defaults, false, each)
    }

    /// [`Self::files`], and with `update` an article nearly the same as a
    /// stored one updates it (its id kept) instead of being left out; either
    /// way each is reported (`IngestedArticle::near_duplicate_of`).
    pub fn files_updating(
        &self,
        files: &[PathBuf],
        defaults: &PageDefaults,
        update: bool,
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
            let reports = self.store_pages(ready, Notify::Quiet { update })?;
            for (path, report) in order.into_iter().zip(reports) {
                each(path, Ok(report));
            }
            since_commit += chunk.len();
            if since_commit >= BULK_COMMIT_FILES {
                self.consistency().commit_index()?;
                since_commit = 0;
            }
        }
        self.consistency().commit_index()
    }

    /// Loads the page files of a folder when the store is empty (first run);
    /// returns how many articles were added.
    pub fn sample_pages_if_empty(&self, pages_dir: &Path) -> Result<usize, DeskError> {
        if self.store.count()? > 0 {
            return Ok(0);
        }
        let mut added = 0;
        self.files(
            &page_files(pages_dir),
            &PageDefaults::default(),
            |path, outcome| match outcome {
                Ok(report) => added += report.added(),
                Err(e) => tracing::warn!("skipping {}: {e}", path.display()),
            },
        )?;
        Ok(added)
    }

    /// Retracts an article: it leaves search and lists at once, is kept in
    /// the store with who and when, and the messages already sent for it
    /// are queued to be taken back. False when it was not live or scheduled.
    pub fn retract(&self, id: &ArticleId, by: i64) -> Result<bool, DeskError> {
        let retracted = self.store.retract(id, by, self.time.unix())?;
        self.consistency().follow()?;
        Ok(retracted)
    }

    /// Brings a retracted article back under its id.
    pub fn restore(&self, id: &ArticleId, by: i64) -> Result<bool, DeskError> {
        let restored = self.store.restore(id, by, self.time.unix())?;
        self.consistency().follow()?;
        Ok(restored)
    }

    /// Replaces a stored article with its corrected form (same id):
    /// re-indexed, the change logged, messages already sent queued to be
    /// edited. False when no such article.
    pub fn correct(&self, corrected: &Article, by: i64) -> Result<bool, DeskError> {
        let fingerprint = page::fingerprint(&corrected.title.headline, &corrected.paragraphs);
        let signature = Signature::of(&corrected.title.headline, &corrected.paragraphs);
        let done = self.store.correct(
            corrected,
            &fingerprint,
            &stored_signature(&signature),
            by,
            self.time.unix(),
        )?;
        self.consistency().follow()?;
        Ok(done)
    }

    /// Stores a held copy as an article of its own (`/keep`, 另存为新文章):
    /// a new id, searchable at once, its deliveries due when `order`'s hold ends.
    pub fn keep_as_new(
        &self,
        article: Article,
        order: &PushOrder,
    ) -> Result<IngestReport, DeskError> {
        let mut article = article;
        article.id = ArticleId::unassigned();
        let text = format!("{}\n\n{}", article.title.headline, article.body_text());
        let page = PreparedPage {
            origin: format!("keep:{}", order.by),
            text,
            fingerprints: vec![page::fingerprint(
                &article.title.headline,
                &article.paragraphs,
            )],
            signatures: vec![Signature::of(&article.title.headline, &article.paragraphs)],
            readings: vec![Reading {
                date_source: crate::page::DateSource::Unknown,
                removed_lines: None,
                title_from_body: false,
            }],
            warnings: Vec::new(),
            docs: vec![self.index.prepare(&article)],
            articles: vec![article],
        };
        let now = self.time.unix();
        let push = PushToStore {
            by: order.by,
            chat_id: order.chat_id,
            deliver_at: now + order.hold_secs.max(0),
            release_at: None,
        };
        let mut reports = self.store_run(vec![page], Notify::Subscribers(push), false)?;
        self.consistency().commit_index()?;
        Ok(reports.pop().unwrap_or_default())
    }

    /// Applies a held update: the stored article takes the pushed text and
    /// fields under its own id (its photos kept when the push had none);
    /// messages already sent are edited. False when the article is gone.
    pub fn apply_update(&self, update: PendingUpdate) -> Result<bool, DeskError> {
        let Some(record) = self.store.article_record(&update.target)? else {
            return Ok(false);
        };
        if record.state == ArticleState::Retracted {
            tracing::info!(article = %update.target, "a held update of a retracted article is dropped");
            return Ok(false);
        }
        let mut article = update.article;
        article.id = update.target;
        if article.photos.is_empty() {
            article.photos = record.article.photos;
        }
        self.correct(&article, update.by)
    }

    /// Gives every article stored before fingerprints were kept its
    /// fingerprint (once, at open), a thousand at a time.
    pub(super) fn fill_fingerprints(&self) -> Result<usize, DeskError> {
        let mut filled = 0;
        loop {
            let batch = self.store.unfingerprinted(1000)?;
            if batch.is_empty() {
                return Ok(filled);
            }
            for article in &batch {
                let fingerprint = page::fingerprint(&article.title.headline, &article.paragraphs);
                let signature = Signature::of(&article.title.headline, &article.paragraphs);
                self.store.add_fingerprint(
                    &article.id,
                    &fingerprint,
                    &stored_signature(&signature),
                )?;
            }
            filled += batch.len();
            if batch.len() < 1000 {
                return Ok(filled);
            }
        }
    }

    fn commit_one(&self, page: PreparedPage, notify: Notify) -> Result<IngestReport, DeskError> {
        let mut reports = self.store_pages(vec![page], notify)?;
        self.consistency().commit_index()?;
        Ok(reports.pop().unwrap_or_default())
    }

    fn prepare_file(
        &self,
        path: &Path,
        defaults: &PageDefaults,
    ) -> Result<PreparedPage, DeskError> {
        let bytes = read_page_bytes(path)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let page = self
            .documents
            .read(&DocumentInput::file(name), &bytes)
            .map_err(|reason| DeskError::NotText {
                path: path.to_path_buf(),
                reason,
            })?;
        if page.read_as != "UTF-8" {
            tracing::info!(file = %path.display(), read_as = page.read_as, "read a page file");
        }
        let defaults = defaults_from_file_name(path, defaults);
        self.prepare_text(&page.text, &path.display().to_string(), &defaults)
    }

    /// Parses a page and lays its articles out for the index: the pure part
    /// of ingesting, run on many threads at once by [`Self::files`].
    pub(super) fn prepare_text(
        &self,
        text: &str,
        origin: &str,
        defaults: &PageDefaults,
    ) -> Result<PreparedPage, DeskError> {
        if text.len() > MAX_PAGE_BYTES {
            return Err(DeskError::TooLarge {
                origin: origin.to_string(),
                bytes: text.len(),
                limit: MAX_PAGE_BYTES,
            });
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut defaults = defaults.clone();
        defaults.today.get_or_insert_with(|| self.time.today());
        let parsed = page::parse(text, &defaults);
        let mut warnings: Vec<Warning> = parsed.warnings;
        let mut articles: Vec<Article> = Vec::with_capacity(parsed.articles.len());
        let mut readings: Vec<Reading> = Vec::with_capacity(parsed.articles.len());
        for article in parsed.articles {
            // A title with nothing under it is no article: nothing to answer from.
            if article.paragraphs.iter().all(|p| p.trim().is_empty()) {
                // The parser's 「no body」 warning, where it gave one, becomes
                // 「no body, not stored」: one warning per line.
                warnings.retain(|w| {
                    !(w.line == article.line && matches!(w.kind, WarningKind::NoBody { .. }))
                });
                warnings.push(Warning {
                    line: article.line,
                    kind: WarningKind::EmptyArticleNotStored {
                        headline: article.title.headline.clone(),
                    },
                });
                continue;
            }
            readings.push(Reading {
                date_source: article.date_source,
                removed_lines: article.paste.as_ref().map(|p| p.removed_lines),
                title_from_body: article.paste.as_ref().is_some_and(|p| p.title_from_body),
            });
            articles.push(complete_article(article, &parsed.source, self.home));
        }
        warnings.sort_by_key(|w| w.line);
        let docs = articles.iter().map(|a| self.index.prepare(a)).collect();
        let fingerprints = articles
            .iter()
            .map(|a| page::fingerprint(&a.title.headline, &a.paragraphs))
            .collect();
        let signatures = articles
            .iter()
            .map(|a| Signature::of(&a.title.headline, &a.paragraphs))
            .collect();
        Ok(PreparedPage {
            origin: origin.to_string(),
            text: text.to_string(),
            articles,
            fingerprints,
            signatures,
            readings,
            warnings,
            docs,
        })
    }

    /// Stores prepared pages in one transaction and hands their new articles
    /// to the index (searchable at the next index commit).
    pub(super) fn store_pages(
        &self,
        pages: Vec<PreparedPage>,
        notify: Notify,
    ) -> Result<Vec<IngestReport>, DeskError> {
        // A page nearly the same as one earlier in the same batch (the Word
        // file and the PDF of one bulletin in one folder) is stored after
        // it, so it finds it in the store.
        let mut reports = Vec::with_capacity(pages.len());
        let mut run: Vec<PreparedPage> = Vec::new();
        let mut run_bands: std::collections::HashMap<u64, Vec<Signature>> = Default::default();
        for page in pages {
            let repeats_run =
                page.signatures
                    .iter()
                    .zip(&page.articles)
                    .any(|(signature, article)| {
                        long_enough_to_compare(article)
                            && signature.band_keys().iter().any(|key| {
                                run_bands.get(key).is_some_and(|earlier| {
                                    earlier
                                        .iter()
                                        .any(|e| e.similarity(signature) >= SAME_ARTICLE)
                                })
                            })
                    });
            if repeats_run {
                reports.extend(self.store_run(std::mem::take(&mut run), notify, true)?);
                run_bands.clear();
            }
            for (signature, article) in page.signatures.iter().zip(&page.articles) {
                if !long_enough_to_compare(article) {
                    continue;
                }
                for key in signature.band_keys() {
                    run_bands.entry(key).or_default().push(signature.clone());
                }
            }
            run.push(page);
        }
        reports.extend(self.store_run(run, notify, true)?);
        Ok(reports)
    }

    /// The stored article (any state) each article of `page` nearly
    /// duplicates, if one: the best candidate at or above [`SAME_ARTICLE`].
    fn near_duplicates(&self, page: &PreparedPage) -> Result<Vec<Option<ArticleId>>, DeskError> {
        page.signatures
            .iter()
            .zip(&page.articles)
            .map(|(signature, article)| self.nearest(article, signature))
            .collect()
    }

    /// The stored article (any state) an article with this headline and
    /// body nearly duplicates, if one: what a push looks up before storing.
    pub fn near_copy_of(
        &self,
        headline: &str,
        paragraphs: &[String],
    ) -> Result<Option<ArticleId>, DeskError> {
        let article = Article {
            title: crate::article::TitleBlock {
                headline: headline.to_string(),
                ..Default::default()
            },
            paragraphs: paragraphs.to_vec(),
            ..Article::empty()
        };
        self.nearest(&article, &Signature::of(headline, paragraphs))
    }

    fn nearest(
        &self,
        article: &Article,
        signature: &Signature,
    ) -> Result<Option<ArticleId>, DeskError> {
        if !long_enough_to_compare(article) {
            return Ok(None);
        }
        let mut best: Option<(f64, ArticleId)> = None;
        for (id, _, bytes) in self
            .store
            .near_candidates(&signature.band_keys(), NEAR_CANDIDATES)?
        {
            let Some(stored) = Signature::from_bytes(&bytes) else {
                continue;
            };
            let similarity = stored.similarity(signature);
            if similarity >= SAME_ARTICLE
                && best.as_ref().is_none_or(|(b, _)| similarity > *b)
                && self.same_places(article, &id)?
            {
                best = Some((similarity, id));
            }
        }
        Ok(best.map(|(_, id)| id))
    }

    /// False when the stored article `id` and `article` both name cities
    /// and none in common: two reports of one kind from two cities (送清凉
    /// in 湛江 and in 茂名, written from one template) are two articles,
    /// however alike their words.
    fn same_places(&self, article: &Article, id: &ArticleId) -> Result<bool, DeskError> {
        if article.cities.is_empty() {
            return Ok(true);
        }
        let Some(stored) = self.store.article_record(id)? else {
            return Ok(false);
        };
        Ok(stored.article.cities.is_empty()
            || stored
                .article
                .cities
                .iter()
                .any(|c| article.cities.iter().any(|a| a.code == c.code)))
    }

    /// Stores pages none of which nearly repeats another (one transaction);
    /// with `check_near`, an article nearly the same as a stored one is
    /// reported, not stored.
    fn store_run(
        &self,
        pages: Vec<PreparedPage>,
        notify: Notify,
        check_near: bool,
    ) -> Result<Vec<IngestReport>, DeskError> {
        if pages.is_empty() {
            return Ok(Vec::new());
        }
        let near: Vec<Vec<Option<ArticleId>>> = pages
            .iter()
            .map(|p| {
                if check_near {
                    self.near_duplicates(p)
                } else {
                    Ok(vec![None; p.articles.len()])
                }
            })
            .collect::<Result<_, _>>()?;
        let signatures: Vec<Vec<ArticleSignature>> = pages
            .iter()
            .map(|p| p.signatures.iter().map(stored_signature).collect())
            .collect();
        let logged: Vec<Vec<String>> = pages
            .iter()
            .map(|p| p.warnings.iter().map(page_warning).collect())
            .collect();
        let to_store: Vec<PageToStore> = pages
            .iter()
            .zip(&logged)
            .zip(signatures.iter().zip(&near))
            .map(|((p, warnings), (signatures, near))| PageToStore {
                origin: &p.origin,
                text: &p.text,
                articles: &p.articles,
                fingerprints: &p.fingerprints,
                signatures,
                near_duplicates: near,
                warnings,
            })
            .collect();
        let push = match notify {
            Notify::Quiet { .. } => None,
            Notify::Subscribers(push) => Some(push),
        };
        let stored = self
            .store
            .store_pages(&to_store, push.as_ref(), self.time.unix())?;
        drop(to_store);
        let mut updates = Vec::new();
        let mut reports = Vec::with_capacity(pages.len());
        let mut new_docs = Vec::new();
        for (page, stored) in pages.into_iter().zip(stored) {
            let mut articles = Vec::with_capacity(page.articles.len());
            for (((mut article, reading), mut doc), outcome) in page
                .articles
                .into_iter()
                .zip(&page.readings)
                .zip(page.docs)
                .zip(&stored.articles)
            {
                article.id = outcome.id().clone();
                let mut near_duplicate_of = None;
                let (is_new, retracted) = match outcome {
                    StoredArticle::Added(id) => {
                        if push.and_then(|p| p.release_at).is_none() {
                            doc.assign(id.clone());
                            new_docs.push(doc);
                        }
                        (true, false)
                    }
                    StoredArticle::Known(_, state) => (false, *state == ArticleState::Retracted),
                    StoredArticle::NearDuplicate(id, state) => {
                        let headline = self
                            .store
                            .article_record(id)?
                            .map(|r| r.article.title.headline)
                            .unwrap_or_default();
                        near_duplicate_of = Some((id.clone(), headline));
                        let retracted = *state == ArticleState::Retracted;
                        if let (Notify::Quiet { update: true }, false) = (notify, retracted) {
                            updates.push(PendingUpdate {
                                target: id.clone(),
                                article: article.clone(),
                                by: 0,
                                chat_id: 0,
                                due_at: self.time.unix(),
                            });
                        }
                        if let (Some(push), false) = (push, retracted) {
                            // Held for the admin: update the stored one (the
                            // default, when the hold ends) or keep both.
                            self.store.hold_update(&PendingUpdate {
                                target: id.clone(),
                                article: article.clone(),
                                by: push.by,
                                chat_id: push.chat_id,
                                due_at: push
                                    .release_at
                                    .unwrap_or(push.deliver_at)
                                    .max(push.deliver_at),
                            })?;
                        }
                        (false, retracted)
                    }
                };
                articles.push(IngestedArticle {
                    id: article.id.clone(),
                    title: article.title.headline.clone(),
                    cities: article
                        .cities
                        .iter()
                        .map(|c| c.short_name().to_string())
                        .collect(),
                    date: article.event_date(),
                    published: article.published,
                    published_is_push_day: article.published_is_push_day,
                    event_year_known: article.event_year_known,
                    is_new,
                    retracted,
                    near_duplicate_of,
                    date_source: reading.date_source,
                    source: report_source(&article),
                    first_sentence: first_sentence(&article),
                    removed_lines: reading.removed_lines,
                    title_from_body: reading.title_from_body,
                });
            }
            reports.push(IngestReport {
                articles,
                warnings: page.warnings,
                queued: stored.queued,
                push: stored.push,
                deliver_at: push.map(|p| p.release_at.unwrap_or(p.deliver_at).max(p.deliver_at)),
                scheduled: push.is_some_and(|p| p.release_at.is_some()),
            });
        }
        self.index.add_prepared(new_docs)?;
        for update in updates {
            self.apply_update(update)?;
        }
        Ok(reports)
    }
}

/// True when an article is long enough to be compared for near copies
/// ([`NEAR_MIN_LETTERS`]).
fn long_enough_to_compare(article: &Article) -> bool {
    std::iter::once(&article.title.headline)
        .chain(&article.paragraphs)
        .flat_map(|text| text.chars())
        .filter(|c| c.is_alphanumeric())
        .take(NEAR_MIN_LETTERS)
        .count()
        >= NEAR_MIN_LETTERS
}

/// A signature as the store keeps it: its bytes and band keys.
pub(super) fn stored_signature(signature: &Signature) -> ArticleSignature {
    ArticleSignature {
        bytes: signature.to_bytes(),
        band_keys: signature.band_keys(),
    }
}

/// What the parser understood of one article beyond the article itself, for
/// the admin's report.
pub(super) struct Reading {
    date_source: crate::page::DateSource,
    removed_lines: Option<usize>,
    title_from_body: bool,
}

/// The source as the push report shows it: paper or site, and reporters.
fn report_source(article: &Article) -> String {
    let mut parts: Vec<String> = article.source.paper.iter().cloned().collect();
    let b = &article.byline;
    if !b.reporters.is_empty() {
        parts.push(format!("记者 {}", b.reporters.join(" ")));
    }
    if !b.correspondents.is_empty() {
        parts.push(format!("通讯员 {}", b.correspondents.join(" ")));
    }
    if let Some(link) = &article.source.link {
        parts.push(link.clone());
    }
    parts.join(" · ")
}

/// The start of an article's first paragraph, at most 60 characters.
fn first_sentence(article: &Article) -> String {
    let lede = article.paragraphs.first().map(String::as_str).unwrap_or("");
    let end = lede
        .char_indices()
        .find(|&(_, c)| c == '。')
        .map_or(lede.len(), |(i, c)| i + c.len_utf8());
    match lede[..end].char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &lede[..cut]),
        None => lede[..end].to_string(),
    }
}

/// A page parsed and laid out, ready to store and index.
pub(super) struct PreparedPage {
    pub(super) origin: String,
    pub(super) text: String,
    pub(super) articles: Vec<Article>,
    pub(super) fingerprints: Vec<Fingerprint>,
    pub(super) signatures: Vec<Signature>,
    pub(super) readings: Vec<Reading>,
    pub(super) warnings: Vec<Warning>,
    docs: Vec<IndexDoc>,
}

/// Turns a parsed article into a stored one: its id and its cities.
fn complete_article(
    parsed: ParsedArticle,
    source: &crate::article::Source,
    home: HomeProvince,
) -> Article {
    // The gazetteer reads simplified text; pages may come in traditional characters.
    let title_lines: Vec<String> = parsed.title.lines().into_iter().map(normalize).collect();
    let title_lines: Vec<&str> = title_lines.iter().map(String::as_str).collect();
    let mut body: Vec<String> = parsed.paragraphs.iter().map(|p| normalize(p)).collect();
    let lede = body.first().cloned().unwrap_or_default();
    // The paper or the account that published it (`十堰市总工会`, `江西工人报`)
    // is the paste's own context: it settles an ambiguous name before the
    // home province does, and names the city when the text names none.
    if let Some(paper) = &source.paper {
        body.push(normalize(paper));
    }
    let cities = gazetteer().article_cities(&title_lines, &lede, &body, home);
    Article {
        id: ArticleId::unassigned(),
        title: parsed.title,
        paragraphs: parsed.paragraphs,
        byline: parsed.byline,
        date: parsed.date,
        published: parsed.published,
        published_is_push_day: parsed.published_source == PublishedSource::Received,
        event_year_known: parsed.event_year_known,
        photos: Vec::new(),
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

/// Reads a page file, refusing one over [`MAX_PAGE_BYTES`] before reading it whole.
fn read_page_bytes(path: &Path) -> Result<Vec<u8>, DeskError> {
    let read_error = |source| DeskError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let limit = super::file_byte_limit(name);
    if size > limit as u64 {
        return Err(DeskError::TooLarge {
            origin: path.display().to_string(),
            bytes: usize::try_from(size).unwrap_or(usize::MAX),
            limit,
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

/// The page files of a folder and its sub-folders (`*.md`, `*.txt`,
/// `*.docx`, `*.html`, `*.htm`, `*.pdf`), sorted
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
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(crate::document::is_page_file_name)
}
