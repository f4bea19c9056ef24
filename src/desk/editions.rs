//! What editors do with a push after it is made: send it before its hold
//! ends, schedule it, cancel it, correct it, retract it, restore it, and
//! watch it go out. Every change is made in the store (due times on
//! outbox rows, states on articles, revisions logged) and followed by the
//! index, so a restart or another replica keeps it; no timer lives in memory.

use super::DeskError;
use super::ingest::{Ingest, PushOrder};
use crate::amend::{Correction, read_correction, read_moment};
use crate::article::{Article, ArticleId};
use crate::clock::BotTime;
use crate::report::{CorrectRefused, EditOutcome, IngestReport, Status};
use crate::request::PlaceArgument;
use crate::store::{ArticleRecord, ArticleState, NewsStore};
use crate::zh::places::HomeProvince;
use chrono::Datelike;

/// How many pushes, schedules and retractions `/status` shows.
pub const STATUS_ROWS: usize = 5;

/// The editing work of a desk.
pub struct Editions<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) ingest: Ingest<'d>,
    pub(super) time: &'d BotTime,
    pub(super) home: HomeProvince,
    pub(super) push_hold_secs: i64,
}

impl Editions<'_> {
    /// Pushes a page for `by` from `chat_id`: stored and searchable at once
    /// (a scheduled one hidden until its time), deliveries due when the
    /// hold ends. A first line `定时发布：2024-08-22 08:00` schedules it.
    pub fn push(
        &self,
        text: &str,
        origin: &str,
        link: Option<&str>,
        by: i64,
        chat_id: i64,
    ) -> Result<IngestReport, DeskError> {
        self.push_with_photos(text, origin, link, by, chat_id, &[])
    }

    /// [`Self::push`] with the photos it came with (Telegram `file_id`s):
    /// the page's first article keeps them, and subscribers get them.
    pub fn push_with_photos(
        &self,
        text: &str,
        origin: &str,
        link: Option<&str>,
        by: i64,
        chat_id: i64,
        photos: &[String],
    ) -> Result<IngestReport, DeskError> {
        // A schedule line that cannot be read, or in the past, is refused
        // before this (`schedule_refused`); here it only schedules.
        let (release_at, text) = match crate::amend::scheduled_push(text, self.time.today()) {
            Some(Some((moment, rest))) => match self.time.unix_of(moment) {
                Some(at) if at > self.time.unix() => (Some(at), rest),
                _ => (None, rest),
            },
            _ => (None, text),
        };
        let order = PushOrder {
            by,
            chat_id,
            hold_secs: self.push_hold_secs,
            release_at,
        };
        self.ingest.push(text, origin, link, &order, photos)
    }

    /// True when a push opens with a schedule line (`定时发布：…`) whose
    /// time cannot be read or has passed: it is refused, never published at once.
    pub fn schedule_refused(&self, text: &str) -> bool {
        match crate::amend::scheduled_push(text, self.time.today()) {
            None => false,
            Some(None) => true,
            Some(Some((moment, _))) => self
                .time
                .unix_of(moment)
                .is_none_or(|at| at <= self.time.unix()),
        }
    }

    /// The hold of a push, in seconds (`PUSH_HOLD`).
    pub fn hold_secs(&self) -> i64 {
        self.push_hold_secs
    }

    /// 立即发送: a held (or scheduled) article goes out now.
    pub fn send_now(&self, id: &ArticleId) -> Result<EditOutcome, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(EditOutcome::Unknown);
        };
        if record.state == ArticleState::Retracted {
            return Ok(EditOutcome::Wrong(record.state));
        }
        let count = self.store.deliver_now(id, self.time.unix())?;
        if record.state == ArticleState::Scheduled {
            self.ingest.consistency().follow()?;
        }
        Ok(done(&record, count))
    }

    /// Drops the deliveries of an article not yet made; a scheduled article
    /// is withdrawn too (kept as retracted, restorable).
    pub fn cancel(&self, id: &ArticleId, by: i64) -> Result<EditOutcome, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(EditOutcome::Unknown);
        };
        let count = self.store.cancel_deliveries(id)?;
        if record.state == ArticleState::Scheduled {
            self.ingest.retract(id, by)?;
        }
        Ok(done(&record, count))
    }

    /// Publishes an article at `when` (typed: `2024-08-22 08:00`); `None`
    /// when the time cannot be read or has passed.
    pub fn schedule(
        &self,
        id: &ArticleId,
        when: &str,
        by: i64,
    ) -> Result<Option<(EditOutcome, String)>, DeskError> {
        let Some(at) = read_moment(when, self.time.today()).and_then(|m| self.time.unix_of(m))
        else {
            return Ok(None);
        };
        if at <= self.time.unix() {
            return Ok(None);
        }
        let wall = self.time.wall(at);
        let Some(record) = self.store.article_record(id)? else {
            return Ok(Some((EditOutcome::Unknown, wall)));
        };
        if record.state == ArticleState::Retracted {
            return Ok(Some((EditOutcome::Wrong(record.state), wall)));
        }
        if !self.store.schedule(id, at, by, self.time.unix())? {
            return Ok(Some((EditOutcome::AlreadySent, wall)));
        }
        self.ingest.consistency().follow()?;
        Ok(Some((done(&record, 0), wall)))
    }

    /// Retracts an article (`/delete`, 撤回): out of search and lists, the
    /// messages already sent queued to be taken back.
    pub fn retract(&self, id: &ArticleId, by: i64) -> Result<EditOutcome, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(EditOutcome::Unknown);
        };
        if record.state == ArticleState::Retracted {
            return Ok(EditOutcome::Wrong(record.state));
        }
        let sent = self.store.sent_count(id)?;
        self.ingest.retract(id, by)?;
        Ok(done(&record, sent))
    }

    /// Brings a retracted article back under its id.
    pub fn restore(&self, id: &ArticleId, by: i64) -> Result<EditOutcome, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(EditOutcome::Unknown);
        };
        if record.state != ArticleState::Retracted {
            return Ok(EditOutcome::Wrong(record.state));
        }
        self.ingest.restore(id, by)?;
        Ok(done(&record, 0))
    }

    /// 更新: the stored article takes the text of the copy of it just
    /// pushed, now rather than when the hold ends.
    pub fn update_now(&self, id: &ArticleId) -> Result<EditOutcome, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(EditOutcome::Unknown);
        };
        if record.state == ArticleState::Retracted {
            return Ok(EditOutcome::Wrong(record.state));
        }
        let Some(update) = self.store.take_update(id)? else {
            return Ok(done(&record, 0));
        };
        let messages = self.store.sent_count(id)?;
        if let Err(e) = self.ingest.apply_update(update.clone()) {
            self.store.hold_update(&update)?;
            return Err(e);
        }
        Ok(done(&record, messages.max(1)))
    }

    /// 另存为新文章: the copy of `id` just pushed becomes an article of its
    /// own, delivered when the hold ends; the stored one is left as it is.
    /// Returns the new article's push report, or why not.
    pub fn keep(
        &self,
        id: &ArticleId,
        by: i64,
        chat_id: i64,
    ) -> Result<Result<IngestReport, EditOutcome>, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(Err(EditOutcome::Unknown));
        };
        let Some(update) = self.store.take_update(id)? else {
            return Ok(Err(done(&record, 0)));
        };
        let order = PushOrder {
            by,
            chat_id,
            hold_secs: self.push_hold_secs,
            release_at: None,
        };
        Ok(Ok(self.ingest.keep_as_new(update.article, &order)?))
    }

    /// The article as stored (any state), for the 更正 form.
    pub fn record(&self, id: &ArticleId) -> Result<Option<ArticleRecord>, DeskError> {
        Ok(self.store.article_record(id)?)
    }

    /// Applies correction fields to an article: updated and re-indexed
    /// under the same id, the change logged, messages already sent queued
    /// to be edited. Returns the corrected article and how many messages change.
    pub fn correct(
        &self,
        id: &ArticleId,
        fields: &str,
        by: i64,
    ) -> Result<Result<(Article, usize), CorrectRefused>, DeskError> {
        let Some(record) = self.store.article_record(id)? else {
            return Ok(Err(CorrectRefused::Unknown));
        };
        let year = record
            .article
            .event_date()
            .or(record.article.published)
            .map_or_else(|| self.time.today().year(), |d| d.year());
        let correction = match read_correction(fields, year) {
            Ok(c) if c.is_empty() => return Ok(Err(CorrectRefused::Nothing)),
            Ok(c) => c,
            Err(e) => return Ok(Err(CorrectRefused::Fields(e))),
        };
        let corrected = match self.apply(record.article, correction) {
            Ok(article) => article,
            Err(refused) => return Ok(Err(refused)),
        };
        let messages = self.store.sent_count(id)?;
        self.ingest.correct(&corrected, by)?;
        Ok(Ok((corrected, messages)))
    }

    fn apply(&self, mut article: Article, c: Correction) -> Result<Article, CorrectRefused> {
        if let Some(headline) = c.headline {
            article.title.headline = headline;
        }
        if let Some(published) = c.published {
            article.published = Some(published);
            article.published_is_push_day = false;
        }
        if let Some(event) = c.event {
            article.date = Some(event);
            article.event_year_known = true;
        }
        if let Some(year) = c.event_year {
            article.date = article.date.and_then(|d| d.with_year(year));
            article.event_year_known = true;
        }
        if let Some(names) = c.cities {
            let mut cities = Vec::new();
            for name in names {
                match PlaceArgument::resolve(&name, self.home) {
                    PlaceArgument::City { city, .. } => {
                        if !cities.contains(&city) {
                            cities.push(city);
                        }
                    }
                    PlaceArgument::Ambiguous { candidates, .. } => {
                        // The home province's first, as the gazetteer orders them.
                        let city = candidates.first().and_then(|p| p.city.clone());
                        match city {
                            Some(city) if !cities.contains(&city) => cities.push(city),
                            Some(_) => {}
                            None => return Err(CorrectRefused::UnknownCity(name)),
                        }
                    }
                    _ => return Err(CorrectRefused::UnknownCity(name)),
                }
            }
            article.cities = cities;
        }
        if let Some(body) = c.body {
            article.paragraphs = body;
        }
        Ok(article)
    }

    /// The outbox, the newest pushes, schedules and retractions.
    pub fn status(&self) -> Result<Status, DeskError> {
        Ok(Status {
            pending: self.store.pending_deliveries()?,
            pushes: self.store.recent_pushes(STATUS_ROWS)?,
            scheduled: self
                .store
                .scheduled(STATUS_ROWS)?
                .into_iter()
                .map(|(id, headline, at)| (id, headline, self.time.wall(at)))
                .collect(),
            retracted: self
                .store
                .retracted(STATUS_ROWS)?
                .into_iter()
                .map(|(id, headline, by, at)| (id, headline, by, self.time.wall(at)))
                .collect(),
        })
    }

    /// Remembers the message that reports on a push, so it is kept up to
    /// date as deliveries go out.
    pub fn report_sent(&self, push: i64, chat_id: i64, message_id: i32) -> Result<(), DeskError> {
        Ok(self.store.set_push_report(push, chat_id, message_id)?)
    }
}

fn done(record: &ArticleRecord, count: usize) -> EditOutcome {
    EditOutcome::Done {
        headline: record.article.title.headline.clone(),
        count,
    }
}
