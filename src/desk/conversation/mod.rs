//! Requests in, replies out: what the bot says to one message. Every
//! sentence comes from [`crate::reply::text`]; the decisions are made here,
//! one family a file:
//!
//! - `answers`: questions and keywords, follow-ups, facts, claims, and
//!   honest replies when the news cannot answer;
//! - `lists`: a city's, a period's and the newest articles, one article in full;
//! - `subscriptions`: `/subscribe`, `/unsubscribe`, `/subscriptions` and
//!   wishes said in words;
//! - `admin`: `/push` and what editors do with a push after it (checked
//!   here, whoever the front end is; the work is `desk::editions`').
//! - `inbox`: questions to the union (留言), handed to `desk::inbox`, and
//!   the 留言给工会 offer under a reply that cannot answer.
//!
//! This file dispatches a [`Request`] to its family and keeps what every
//! family shares: the member's last question (typed, as understood), the
//! date time words are read against, and the vocabulary members' words are
//! read with.

mod admin;
mod answers;
mod editorial;
mod inbox;
mod lists;
mod places;
mod subscriptions;

pub(in crate::desk) use lists::list_item;

use admin::EditCommand;

use super::DeskError;
use crate::article::ArticleId;
use crate::clock::BotTime;
use crate::config::AdminIds;
use crate::document::DocumentReader;
use crate::followup::{Asked, FOLLOW_UP_MINUTES, Remembered};
use crate::index::NewsIndex;
use crate::query::Question;
use crate::reply::{Reply, text};
use crate::request::{MAX_QUESTION_CHARS, PlaceArgument, Request, Sender};
use crate::search;
use crate::store::{ConversationKey, LastQuestion, NewsStore};
use crate::vocabulary::Vocabulary;
use crate::zh::places::HomeProvince;
use chrono::NaiveDate;
use std::cell::RefCell;

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
    /// The bot's Telegram username (`BOT_USERNAME`), for links; `None`
    /// where it is not known (the console, `ask`).
    pub(super) bot_username: Option<&'d str>,
    pub(super) home: HomeProvince,
    pub(super) documents: &'d DocumentReader,
    pub(super) vocabulary: &'d Vocabulary,
    pub(super) hotline: &'d str,
    pub(super) time: &'d BotTime,
    pub(super) push_hold_secs: i64,
    /// The admins of `ADMIN_IDS` (the first is the owner).
    pub(super) admins: &'d AdminIds,
    /// Days questions stay in the log.
    pub(super) question_log_days: u32,
    /// False for requests whose questions are not logged (inline queries).
    pub(super) log_questions: bool,
    /// The question last answered as understood (after follow-ups), for the log.
    pub(super) understood: RefCell<Option<Question>>,
}

/// The member's last question, the message it was read from, and the
/// first article it found.
pub(super) struct LastAsked {
    asked: Asked,
    message: String,
    first: Option<ArticleId>,
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
        if let Some(reply) = self.inbox_reply(sender, &request)? {
            return Ok(reply);
        }
        Ok(match request {
            Request::Start => {
                let stats = self.store.stats()?;
                text::welcome(stats.articles, stats.newest, stats.per_city.len())
            }
            Request::Help => text::help(sender.is_admin),
            Request::SmallTalk(talk) => text::small_talk(talk),
            Request::Wish { wish, places } => self.wish(sender, wish, &places)?,
            Request::Empty => Reply::text(text::EMPTY),
            Request::TooLong { chars } => text::too_long(chars, MAX_QUESTION_CHARS),
            Request::UnknownCommand(command) => text::unknown_command(&command, sender.is_admin),
            Request::Search { question, page } => {
                let mut reply = self.converse(sender, &question, page)?;
                if page == 1 {
                    self.log_question(sender, &question, &mut reply);
                }
                reply
            }
            Request::Understood { question, page } => {
                let reply = self.answer(&question, page)?;
                if page == 1 {
                    self.remember(sender, Asked::Question(*question), "", &reply);
                }
                reply
            }
            Request::City { place, page } => {
                let place = self.settle(place);
                let reply = self.city(&place, page)?;
                if let (PlaceArgument::City { city, .. }, 1) = (&place, page) {
                    self.remember(sender, Asked::City(city.clone()), "", &reply);
                }
                reply
            }
            Request::Latest { page } => self.latest(page)?,
            Request::Article(id) => self.full_article(&id)?,
            Request::Subscribe(_)
            | Request::Unsubscribe(_)
            | Request::SubscribeInMode(..)
            | Request::Setting(_)
            | Request::StartLink(_)
                if !sender.manages_chat =>
            {
                Reply::text(text::GROUP_ADMINS_ONLY)
            }
            Request::Subscribe(target) => {
                self.subscribe(sender, &self.settle_subscription(target), true)?
            }
            Request::Unsubscribe(target) => {
                self.subscribe(sender, &self.settle_subscription(target), false)?
            }
            Request::Subscriptions => self.subscriptions(sender)?,
            Request::SubscribeInMode(target, mode) => {
                self.subscribe_in_mode(sender, &self.settle_subscription(target), mode)?
            }
            Request::StartLink(parameter) => self.start_link(sender, &parameter)?,
            Request::Setting(setting) => self.setting(sender, setting)?,
            Request::Push(page) => self.push(sender, &page)?,
            Request::Liuyan(_)
            | Request::MyQuestions
            | Request::Withdraw(_)
            | Request::Inbox
            | Request::Answer { .. } => unreachable!("answered by inbox_reply"),
            Request::Delete(id) => self.edit(sender, EditCommand::Retract, &id)?,
            Request::Send(id) => self.edit(sender, EditCommand::Send, &id)?,
            Request::Cancel(id) => self.edit(sender, EditCommand::Cancel, &id)?,
            Request::Restore(id) => self.edit(sender, EditCommand::Restore, &id)?,
            Request::Update(id) => self.edit(sender, EditCommand::Update, &id)?,
            Request::Keep(id) => self.edit(sender, EditCommand::Keep, &id)?,
            Request::Schedule { id, when } => self.schedule(sender, &id, &when)?,
            Request::Correct { id, fields } => self.correct(sender, &id, &fields)?,
            Request::Status => self.status()?,
            Request::Privacy => self.privacy(),
            Request::Forget => self.forget(sender)?,
            Request::Feedback { days } => self.feedback(days)?,
            Request::Wordings { days, topic } => self.wordings(days, topic)?,
            Request::Teach(argument) => self.teach(sender, &argument)?,
            Request::Words => self.words()?,
            Request::Unteach(word) => self.unteach(sender, &word)?,
            Request::Editors(argument) => self.editors(sender, &argument)?,
            Request::Vote { answer, vote } => self.vote(sender, answer, vote)?,
        })
    }

    /// A member's message understood: members' words read as Mandarin,
    /// then its topic, places, time and the fact it asks; places several
    /// towns share settled by the archive and the home province.
    pub(super) fn understand(&self, message: &str) -> Question {
        let mut question = Question::understand(&self.vocabulary.as_mandarin(message), self.home);
        self.settle_places(&mut question);
        question
    }

    /// The same conversation reading members' words with `vocabulary`
    /// (to try a word before it is taught).
    pub(super) fn with_vocabulary<'v>(&'v self, vocabulary: &'v Vocabulary) -> Conversation<'v> {
        Conversation {
            store: self.store,
            index: self.index,
            home: self.home,
            documents: self.documents,
            vocabulary,
            hotline: self.hotline,
            time: self.time,
            push_hold_secs: self.push_hold_secs,
            admins: self.admins,
            question_log_days: self.question_log_days,
            log_questions: false,
            understood: RefCell::new(None),
            bot_username: self.bot_username,
        }
    }

    /// The sender's last question in this chat and topic, if recent.
    fn last_asked(&self, sender: &Sender) -> Option<LastAsked> {
        let key = conversation_key(sender);
        match self
            .store
            .last_question(&key, self.time.unix() - FOLLOW_UP_SECONDS)
        {
            Ok(last) => last.and_then(|last: LastQuestion| {
                let remembered = Remembered::from_stored(&last.question)?;
                Some(LastAsked {
                    asked: remembered.asked,
                    message: remembered.message,
                    first: last.first,
                })
            }),
            Err(e) => {
                // Forgetting the context must not cost the member the answer.
                tracing::warn!(error = %e, "cannot read the last question");
                None
            }
        }
    }

    /// Remembers `asked` (read from `message`) and the first article of its
    /// `reply` as the sender's last question (a failure is logged: it costs
    /// a follow-up at most).
    fn remember(&self, sender: &Sender, asked: Asked, message: &str, reply: &Reply) {
        if let Asked::Question(question) = &asked {
            *self.understood.borrow_mut() = Some(question.clone());
        }
        let now = self.time.unix();
        let remembered = Remembered {
            asked,
            message: message.trim().to_string(),
        };
        let last = LastQuestion {
            question: remembered.to_stored(),
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

    /// The date time words are read against: today, or the newest article's
    /// date when the archive has not been fed for over a month.
    pub(super) fn reference_date(&self) -> Result<NaiveDate, DeskError> {
        let today = self.time.today();
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
        let question = self.understand(question);
        let outcome = search::search(
            self.index,
            self.store,
            self.vocabulary,
            &question,
            self.reference_date()?,
            limit,
        )?;
        Ok(outcome.results.into_iter().map(|r| r.article.id).collect())
    }
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
