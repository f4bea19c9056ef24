//! Requests in, replies out: what the bot says to one message. Searches,
//! city and newest lists, whole articles, subscriptions, and the admin
//! commands (checked here, whoever the front end is). Every sentence comes
//! from [`crate::reply::text`]; the decisions are made here.

use super::ingest::Ingest;
use super::paging::Paging;
use super::{DeskError, MAX_PAGE_BYTES};
use crate::article::City;
use crate::article::{Article, ArticleId};
use crate::commands::CommandKind;
use crate::document::DocumentReader;
use crate::followup::{self, FOLLOW_UP_MINUTES, FollowUp};
use crate::index::NewsIndex;
use crate::query::Question;
use crate::reply::{Block, Item, ListKind, Pages, Reply, text};
use crate::request::PushedPage;
use crate::request::{
    IdArgument, MAX_QUESTION_CHARS, PlaceArgument, Request, Sender, Subscription,
};
use crate::search;
use crate::store::{ALL_CITIES, ConversationKey, LastQuestion, NewsStore};
use crate::summary::{SummaryLength, answer_sentence, summarize, summarize_besides};
use crate::when::TimeExpr;
use crate::zh::normalize;
use crate::zh::places::{HomeProvince, Level, gazetteer};
use chrono::NaiveDate;

/// Articles shown per page of a city, newest or period list.
pub const LIST_PAGE_SIZE: usize = 5;
/// Results shown per page of a search.
pub const SEARCH_PAGE_SIZE: usize = 3;
/// A district's or town's own newest articles shown above its city's list.
pub const LOCAL_SECTION_SIZE: usize = 3;

/// The conversation of a desk.
pub(super) struct Conversation<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) index: &'d NewsIndex,
    pub(super) home: HomeProvince,
    pub(super) documents: &'d DocumentReader,
}

impl Conversation<'_> {
    /// The reply to one request from `sender`.
    pub(super) fn reply(&self, sender: &Sender, request: Request) -> Result<Reply, DeskError> {
        if request.is_admin_only() && !sender.is_admin {
            tracing::warn!(
                chat = sender.chat_id,
                user = ?sender.user_id,
                "a non-admin tried an admin command"
            );
            return Ok(Reply::text(text::ADMINS_ONLY));
        }
        Ok(match request {
            Request::Start => {
                let stats = self.store.stats()?;
                text::welcome(stats.articles, stats.newest, stats.per_city.len())
            }
            Request::Help => text::help(sender.is_admin),
            Request::SmallTalk(talk) => text::small_talk(talk),
            Request::Empty => Reply::text(text::EMPTY),
            Request::TooLong { chars } => text::too_long(chars, MAX_QUESTION_CHARS),
            Request::UnknownCommand(command) => text::unknown_command(&command, sender.is_admin),
            Request::Search { question, page } => self.converse(sender, &question, page)?,
            Request::City { place, page } => {
                let reply = self.city(&place, page)?;
                if let (PlaceArgument::City { city, .. }, 1) = (&place, page) {
                    let name = crate::commands::command(CommandKind::City).name;
                    let question = format!("/{name} {}", city.short_name());
                    self.remember(sender, question, &reply);
                }
                reply
            }
            Request::Latest { page } => self.latest(page)?,
            Request::Article(id) => self.full_article(&id)?,
            Request::Subscribe(target) => self.subscribe(sender, &target, true)?,
            Request::Unsubscribe(target) => self.subscribe(sender, &target, false)?,
            Request::Subscriptions => self.subscriptions(sender)?,
            Request::Push(page) => self.push(sender, &page)?,
            Request::Delete(id) => self.delete(&id)?,
        })
    }

    fn ingest(&self) -> Ingest<'_> {
        Ingest {
            store: self.store,
            index: self.index,
            home: self.home,
            documents: self.documents,
        }
    }

    /// A search from a member: a follow-up (那东莞呢, 有多少人) is read
    /// against the member's last question in this chat and topic, and the
    /// question as understood is remembered for the next one.
    fn converse(&self, sender: &Sender, message: &str, page: usize) -> Result<Reply, DeskError> {
        let key = conversation_key(sender);
        let last = match self
            .store
            .last_question(&key, unix_now() - FOLLOW_UP_SECONDS)
        {
            Ok(last) => last,
            Err(e) => {
                // Forgetting the context must not cost the member the answer.
                tracing::warn!(error = %e, "cannot read the last question");
                None
            }
        };
        // Understood once, for the follow-up reading and the search alike.
        let understood = Question::understand(message, self.home);
        let follow_up = last.as_ref().and_then(|l| {
            followup::read(&l.question, message, &understood, self.home).map(|f| (l, f))
        });
        let (reply, question) = match follow_up {
            Some((_, FollowUp::AskAgain(question))) => {
                let mut reply = match Request::parse(&question, self.home) {
                    Request::City {
                        place: place @ PlaceArgument::City { .. },
                        ..
                    } => self.city(&place, page)?,
                    _ => self.search(&question, page)?,
                };
                reply
                    .blocks
                    .insert(0, Block::Text(text::asked_again(&question)));
                (reply, question)
            }
            Some((last, FollowUp::FactOfFirst)) => match self.fact_of_first(last, message)? {
                Some(reply) => (reply, last.question.clone()),
                None => (self.answer(understood, page)?, message.to_string()),
            },
            None => (self.answer(understood, page)?, message.to_string()),
        };
        if page == 1 {
            self.remember(sender, question, &reply);
        }
        Ok(reply)
    }

    /// Remembers `question` and the first article of its `reply` as the
    /// sender's last question (a failure is logged: it costs a follow-up at most).
    fn remember(&self, sender: &Sender, question: String, reply: &Reply) {
        let now = unix_now();
        let last = LastQuestion {
            question,
            first: reply.listed.first().cloned(),
            asked_at: now,
        };
        let key = conversation_key(sender);
        if let Err(e) = self
            .store
            .remember_question(&key, &last, now - FOLLOW_UP_SECONDS)
        {
            tracing::warn!(error = %e, "cannot remember the last question");
        }
    }

    /// The fact `message` asks (有多少人, 什么时候, 冠军是谁) of the first
    /// article `last` found: its answer sentence and the article. `None` when
    /// that article is gone or has no sentence of that kind.
    fn fact_of_first(
        &self,
        last: &LastQuestion,
        message: &str,
    ) -> Result<Option<Reply>, DeskError> {
        let Some(article) = last
            .first
            .as_ref()
            .map(|id| self.store.article(id))
            .transpose()?
            .flatten()
        else {
            return Ok(None);
        };
        let asked = Question::understand(message, self.home);
        // The words of both questions weigh the sentences of the article.
        let both = Question::understand(&format!("{} {message}", last.question), self.home);
        let outcome = search::search(self.index, self.store, &both, self.reference_date()?, 1)?;
        let Some(sentence) = answer_sentence(&article, &outcome.focus_words, asked.focus) else {
            return Ok(None);
        };
        let mut reply = Reply::default();
        reply.push(Block::Answer {
            sentence: sentence.clone(),
            title: article.title.headline.clone(),
            id: article.id.clone(),
        });
        reply.listed.push(article.id.clone());
        reply.push(Block::Item(Item {
            rank: 1,
            id: article.id.clone(),
            title: text::list_title(&article),
            summary: summarize_besides(
                &article,
                &outcome.focus_words,
                asked.focus,
                &sentence,
                SummaryLength::Long,
            ),
            source: text::short_source_line(&article),
            why: None,
            link: None,
        }));
        reply.push(Block::Hint(text::READ_FULL_HINT.into()));
        Ok(Some(reply))
    }

    /// The date time words are read against: today, or the newest article's
    /// date when the archive has not been fed for over a month.
    pub(super) fn reference_date(&self) -> Result<NaiveDate, DeskError> {
        let today = chrono::Local::now().date_naive();
        Ok(crate::when::reference_date(
            today,
            self.store.newest_date()?,
        ))
    }

    /// The ids of the first `limit` articles a search for `question` finds.
    pub(super) fn search_ids(
        &self,
        question: &str,
        limit: usize,
    ) -> Result<Vec<ArticleId>, DeskError> {
        let question = Question::understand(question, self.home);
        let outcome = search::search(
            self.index,
            self.store,
            &question,
            self.reference_date()?,
            limit,
        )?;
        Ok(outcome.results.into_iter().map(|r| r.article.id).collect())
    }

    fn search(&self, text: &str, page: usize) -> Result<Reply, DeskError> {
        self.answer(Question::understand(text, self.home), page)
    }

    /// The reply to a question already understood.
    fn answer(&self, question: Question, page: usize) -> Result<Reply, DeskError> {
        let reference = self.reference_date()?;
        let span = question.time.as_ref().and_then(|t| t.span(reference));
        let today = chrono::Local::now().date_naive();
        if question.words.is_empty()
            && reference < today
            && question
                .time
                .as_ref()
                .is_some_and(|t| matches!(t.expr, TimeExpr::Days(..)))
        {
            // 今天有什么新闻 when nothing came in for over a month: say how
            // old the news is rather than pretend the newest day is today.
            let mut reply = self.latest(page)?;
            let days = (today - reference).num_days();
            reply
                .blocks
                .insert(0, Block::Text(text::archive_is_old(reference, days)));
            return Ok(reply);
        }
        if question.words.is_empty()
            && let (Some(span), Some(time)) = (span, &question.time)
        {
            // Only a time, maybe a place ("东莞上个月的新闻"): that period's articles.
            return self.period(&question, &time.text, span, page);
        }
        if question.words.is_empty() {
            // Only a place ("湛江的新闻"): its newest articles.
            if let Some(place) = question.places.iter().find(|p| !p.is_province) {
                return self.city(&PlaceArgument::resolve(&place.text, self.home), 1);
            }
            if question.places.is_empty() {
                if question.asks_for_news() {
                    // 最近有什么新闻, 最新消息: the newest articles.
                    return self.latest(page);
                }
                return Ok(text::nothing_found());
            }
        }
        self.ranked(&question, reference, Paging::new(page, SEARCH_PAGE_SIZE))
    }

    /// The ranked results of a question with topic words, one page of them.
    fn ranked(
        &self,
        question: &Question,
        reference: NaiveDate,
        paging: Paging,
    ) -> Result<Reply, DeskError> {
        let page = paging.page;
        let mut outcome = search::search(
            self.index,
            self.store,
            question,
            reference,
            paging.end() + 1,
        )?;
        let has_next = outcome.results.len() > paging.end();
        outcome.results.truncate(paging.end());
        if page > 1 && outcome.results.len() <= paging.offset() {
            return Ok(Reply::text(text::NO_MORE));
        }
        let when = question
            .time
            .as_ref()
            .zip(outcome.dates)
            .map(|(t, span)| text::time_label(&t.text, span));
        if outcome.results.is_empty() {
            if when.is_none() && !outcome.missing.is_empty() {
                let place = question.place_label();
                return Ok(text::nothing_found_about(
                    &outcome.missing,
                    place.as_deref(),
                ));
            }
            return self.nothing_found(question, when.as_deref());
        }
        let mut reply = Reply::default();
        let place = outcome
            .restricted_to_places
            .then(|| shown_place(question, &outcome.results))
            .flatten();
        if !outcome.missing.is_empty() && page == 1 {
            reply.push(Block::Text(text::words_not_found(&outcome.missing)));
        }
        if outcome.outside_dates
            && let Some(when) = &when
        {
            reply.push(Block::Text(text::other_times(when)));
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
        reply.push(Block::Heading(text::results_heading(
            outcome.results.len(),
            place.as_deref(),
            when_shown,
        )));
        for (rank, ranked) in outcome.results.iter().enumerate().skip(paging.offset()) {
            let article = &ranked.article;
            reply.listed.push(article.id.clone());
            reply.push(Block::Item(Item {
                rank: rank + 1,
                id: article.id.clone(),
                title: text::list_title(article),
                summary: if rank == 0 {
                    summarize_besides(
                        article,
                        &outcome.focus_words,
                        question.focus,
                        &answer_shown,
                        SummaryLength::Long,
                    )
                } else {
                    summarize(article, &outcome.focus_words, question.focus)
                },
                source: text::short_source_line(article),
                why: None,
                link: None,
            }));
        }
        reply.push(Block::Hint(text::READ_FULL_HINT.into()));
        reply.pages = Some(Pages {
            list: ListKind::Search,
            page,
            has_next,
        });
        Ok(reply)
    }

    /// The reply when a search finds nothing: within the time asked, in the
    /// place asked (saying whether the place has any articles at all), or
    /// anywhere.
    fn nothing_found(&self, question: &Question, when: Option<&str>) -> Result<Reply, DeskError> {
        if let Some(when) = when {
            return Ok(text::nothing_found_when(when));
        }
        let Some(place) = question.place_label() else {
            return Ok(text::nothing_found());
        };
        let mut has_articles = false;
        for code in question.city_codes() {
            has_articles |= self.store.latest_in_city(code, 0, 0)?.1 > 0;
        }
        Ok(text::nothing_found_in(&place, has_articles))
    }

    fn city(&self, place: &PlaceArgument, page: usize) -> Result<Reply, DeskError> {
        let (city, typed) = match place {
            PlaceArgument::City { city, typed } => (city, typed),
            other => return Ok(place_problem(other, CommandKind::City)),
        };
        let paging = Paging::new(page, LIST_PAGE_SIZE);
        let (articles, total) =
            self.store
                .latest_in_city(city.code, paging.per_page, paging.offset())?;
        let normalized = normalize(typed);
        let label = if normalized == city.short_name() || normalized == city.name {
            city.short_name().to_string()
        } else {
            text::city_label(city.short_name(), &city.name, typed)
        };
        if total == 0 {
            return Ok(text::nothing_in_city(&label));
        }
        if articles.is_empty() {
            return Ok(text::no_such_city_page(&label, total, page));
        }
        let (from, to) = paging.shown(articles.len());
        let heading = text::city_heading(&label, from, to, total);
        let next = text::next_page_command(CommandKind::City, Some(city.short_name()), page + 1);
        let pages = Pages {
            list: ListKind::City(city.code),
            page,
            has_next: paging.has_next(articles.len(), total as usize),
        };
        let mut reply = list_reply(heading, &articles, paging, pages, Some(&next));
        if page == 1 {
            self.put_local_first(&mut reply, city, typed)?;
        }
        Ok(reply)
    }

    /// `/city 番禺`: 番禺's own newest articles, in a short section above
    /// 广州's list, so a member from 番禺 sees 番禺 first.
    fn put_local_first(
        &self,
        reply: &mut Reply,
        city: &City,
        typed: &str,
    ) -> Result<(), DeskError> {
        let typed = normalize(typed);
        let Some(place) = gazetteer().lookup(&typed).into_iter().find(|p| {
            matches!(p.level, Level::County | Level::Town)
                && p.city.as_ref().is_some_and(|c| c.code == city.code)
        }) else {
            return Ok(());
        };
        let mut names = vec![place.short_name(), place.name];
        names.dedup();
        let own = search::newest_naming(
            self.index,
            self.store,
            city.code,
            &names,
            LOCAL_SECTION_SIZE,
        )?;
        if own.is_empty() {
            return Ok(());
        }
        let mut section = vec![Block::Heading(text::local_heading(place.short_name()))];
        for (i, article) in own.iter().enumerate() {
            section.push(Block::Item(list_line(article, i + 1)));
        }
        // Not in `listed`: the full-text buttons stay numbered as the
        // city's list is; these are read with /article and their id.
        reply.blocks.splice(0..0, section);
        Ok(())
    }

    /// The articles of a period, newest first, in the question's cities if it names any.
    fn period(
        &self,
        question: &Question,
        typed: &str,
        span: (NaiveDate, NaiveDate),
        page: usize,
    ) -> Result<Reply, DeskError> {
        let cities = question.city_codes();
        let paging = Paging::new(page, LIST_PAGE_SIZE);
        let (articles, total) =
            self.store
                .latest_between(&cities, span, paging.per_page, paging.offset())?;
        let when = text::time_label(typed, span);
        let place = question.place_label().filter(|_| !cities.is_empty());
        let scope = format!("{}{when}", place.as_deref().unwrap_or(""));
        if total == 0 {
            return Ok(text::nothing_in_period(&scope));
        }
        if articles.is_empty() {
            return Ok(Reply::text(text::NO_MORE));
        }
        let (from, to) = paging.shown(articles.len());
        let heading = text::period_heading(&scope, from, to, total);
        let pages = Pages {
            list: ListKind::Search,
            page,
            has_next: paging.has_next(articles.len(), total as usize),
        };
        // Paged by buttons (the question is read again from the message).
        Ok(list_reply(heading, &articles, paging, pages, None))
    }

    fn latest(&self, page: usize) -> Result<Reply, DeskError> {
        let paging = Paging::new(page, LIST_PAGE_SIZE);
        let total = self.store.count()?;
        if total == 0 {
            return Ok(Reply::text(text::NO_ARTICLES));
        }
        let articles = self.store.latest(paging.per_page, paging.offset())?;
        if articles.is_empty() {
            return Ok(text::no_such_latest_page(total, page));
        }
        let (from, to) = paging.shown(articles.len());
        let heading = text::latest_heading(from, to, total);
        let pages = Pages {
            list: ListKind::Latest,
            page,
            has_next: paging.has_next(articles.len(), total as usize),
        };
        let next = text::next_page_command(CommandKind::Latest, None, page + 1);
        Ok(list_reply(heading, &articles, paging, pages, Some(&next)))
    }

    fn full_article(&self, id: &IdArgument) -> Result<Reply, DeskError> {
        let id = match id {
            IdArgument::Id(id) => id,
            IdArgument::Missing => return Ok(Reply::text(text::ARTICLE_USAGE)),
            IdArgument::Invalid(shown) => return Ok(text::no_such_article(shown)),
        };
        Ok(match self.store.article(id)? {
            Some(article) => {
                let mut reply = Reply::default();
                reply.push(text::full_article(&article));
                reply.listed.push(article.id);
                reply
            }
            None => text::no_such_article(id.as_str()),
        })
    }

    /// `/subscribe` (`on`) or `/unsubscribe` (not `on`) a place or 全部.
    fn subscribe(
        &self,
        sender: &Sender,
        target: &Subscription,
        on: bool,
    ) -> Result<Reply, DeskError> {
        let (code, label) = match target {
            Subscription::All => (ALL_CITIES, text::ALL_NEWS.to_string()),
            Subscription::Place(PlaceArgument::City { city, .. }) => {
                (city.code, city.short_name().to_string())
            }
            Subscription::Place(other) => {
                let asked = if on {
                    CommandKind::Subscribe
                } else {
                    CommandKind::Unsubscribe
                };
                return Ok(place_problem(other, asked));
            }
        };
        Ok(if on {
            text::subscribed(&label, self.store.subscribe(sender.chat_id, code)?)
        } else {
            text::unsubscribed(&label, self.store.unsubscribe(sender.chat_id, code)?)
        })
    }

    fn subscriptions(&self, sender: &Sender) -> Result<Reply, DeskError> {
        let names: Vec<String> = self
            .store
            .subscriptions(sender.chat_id)?
            .into_iter()
            .map(|code| match code {
                ALL_CITIES => text::ALL_NEWS.to_string(),
                code => gazetteer()
                    .city_by_code(code)
                    .map(|c| c.short_name().to_string())
                    .unwrap_or_else(|| code.to_string()),
            })
            .collect();
        Ok(text::subscriptions(&names))
    }

    fn push(&self, sender: &Sender, page: &PushedPage) -> Result<Reply, DeskError> {
        if page.text.trim().is_empty() {
            return Ok(Reply::text(text::PUSH_USAGE));
        }
        let origin = format!("push:{}", sender.user_id.unwrap_or(sender.chat_id));
        match self
            .ingest()
            .push(&page.text, &origin, page.link.as_deref())
        {
            Ok(report) => Ok(text::push_report(&report)),
            Err(DeskError::TooLarge { bytes, .. }) => {
                Ok(text::text_too_large(bytes, MAX_PAGE_BYTES))
            }
            Err(e) => Err(e),
        }
    }

    fn delete(&self, id: &IdArgument) -> Result<Reply, DeskError> {
        let id = match id {
            IdArgument::Id(id) => id,
            IdArgument::Missing => return Ok(Reply::text(text::DELETE_USAGE)),
            IdArgument::Invalid(shown) => return Ok(text::no_such_article(shown)),
        };
        let title = self.store.article(id)?.map(|a| a.title.headline);
        Ok(match title {
            Some(title) if self.ingest().delete(id)? => text::deleted(id, &title),
            _ => text::no_such_article(id.as_str()),
        })
    }
}

/// The places a results heading names (在…的报道中): each as the member
/// typed it when some result is really there (its text names it), else its
/// city — `南沙 外卖骑手` finds 番禺's riders, which are 广州's, not 南沙's.
fn shown_place(question: &Question, results: &[search::Ranked]) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for place in question.places.iter().filter(|p| !p.is_province) {
        let there = results.iter().any(|r| {
            let a = &r.article;
            a.title.headline.contains(&place.text)
                || a.paragraphs
                    .iter()
                    .any(|p| normalize(p).contains(&place.text))
        });
        let name = match place.cities.first() {
            Some(city) if !there => city.short_name().to_string(),
            _ => place.text.clone(),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (!names.is_empty()).then(|| names.join("、"))
}

/// How long a question can be followed up on, in seconds.
const FOLLOW_UP_SECONDS: i64 = FOLLOW_UP_MINUTES * 60;

/// Whose conversation a message belongs to.
fn conversation_key(sender: &Sender) -> ConversationKey {
    ConversationKey {
        chat_id: sender.chat_id,
        user_id: sender.user_id.unwrap_or(0),
        thread_id: sender.thread_id.map_or(0, i64::from),
    }
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The reply to a place argument of command `asked` that is not one city:
/// its usage, a province, an ambiguous or unknown name.
fn place_problem(place: &PlaceArgument, asked: CommandKind) -> Reply {
    match place {
        PlaceArgument::Missing | PlaceArgument::City { .. } => Reply::text(text::usage(asked)),
        PlaceArgument::Province { typed, cities } => {
            let names: Vec<&str> = cities.iter().map(String::as_str).collect();
            text::province_not_city(typed, &names, asked)
        }
        PlaceArgument::Ambiguous { typed, candidates } => text::ambiguous_place(typed, candidates),
        PlaceArgument::Unknown(typed) => text::unknown_place(typed, asked),
        PlaceArgument::Unsure {
            typed,
            place,
            full_name,
        } => text::unsure_place(typed, place, full_name, asked),
    }
}

/// One article as a list page shows it: one line, its title, date and id
/// (the summary and full text are behind its button or `/article`).
fn list_line(article: &Article, rank: usize) -> Item {
    Item {
        rank,
        id: article.id.clone(),
        title: text::list_title(article),
        summary: String::new(),
        source: text::list_line_source(article),
        why: None,
        link: None,
    }
}

/// One article as a notification shows it: title, summary without a
/// question, source.
pub(super) fn list_item(article: &Article, rank: usize) -> Item {
    Item {
        rank,
        id: article.id.clone(),
        title: text::list_title(article),
        summary: summarize(article, &[], Default::default()),
        source: text::source_line(article),
        why: None,
        link: article.source.link.clone(),
    }
}

fn list_reply(
    heading: String,
    articles: &[Article],
    paging: Paging,
    pages: Pages,
    next_command: Option<&str>,
) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(heading));
    for (i, article) in articles.iter().enumerate() {
        reply.listed.push(article.id.clone());
        reply.push(Block::Item(list_line(article, paging.offset() + i + 1)));
    }
    if pages.has_next
        && let Some(next_command) = next_command
    {
        reply.push(Block::Hint(text::next_page_hint(next_command)));
    }
    reply.pages = Some(pages);
    reply
}
