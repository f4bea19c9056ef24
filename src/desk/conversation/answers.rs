//! Questions and keywords: a search, a follow-up read against the last
//! question, the fact asked of an article, a member's claim checked against
//! the report, and an honest reply when the news cannot answer.

use super::inbox::offering_liuyan;
use super::{Conversation, LastAsked, SEARCH_PAGE_SIZE};
use crate::beyond::{self, ArticleText, Beyond};
use crate::claim;
use crate::desk::DeskError;
use crate::desk::paging::Paging;
use crate::followup::{self, Asked, FollowUp};
use crate::query::Question;
use crate::reply::{Block, Item, ListKind, Pages, Reply, text};
use crate::request::{Request, Sender};
use crate::search;
use crate::summary::{SummaryLength, answer_sentence, summarize, summarize_besides};
use crate::when::TimeExpr;
use crate::zh::normalize;
use chrono::NaiveDate;

impl Conversation<'_> {
    /// A search from a member: a follow-up (那东莞呢, 有多少人) is read
    /// against the member's last question in this chat and topic, and the
    /// question as understood is remembered for the next one.
    pub(super) fn converse(
        &self,
        sender: &Sender,
        message: &str,
        page: usize,
    ) -> Result<Reply, DeskError> {
        let understood = self.understand(message);
        // A long message is a question of its own: on its first page the
        // last question is not even read.
        let last = if page > 1 || followup::may_follow(message) {
            self.last_asked(sender)
        } else {
            None
        };
        let follow_up = match &last {
            Some(last) if page == 1 && followup::may_follow(message) => {
                // A store failure costs the follow-up reading at most.
                let first_text = || {
                    self.first_text(last).unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "cannot read the last first article");
                        String::new()
                    })
                };
                followup::read(
                    &last.asked,
                    &understood,
                    message.chars().count(),
                    &first_text,
                )
            }
            _ => None,
        };
        tracing::debug!(?understood, ?follow_up, "a member's message");
        match (follow_up, last) {
            (Some(FollowUp::Again(request)), _) => {
                let shown = match &request {
                    Request::Understood { question, .. } => question.normalized.clone(),
                    Request::City { place, .. } => {
                        let name =
                            crate::commands::command(crate::commands::CommandKind::City).name;
                        match place {
                            crate::request::PlaceArgument::City { city, .. } => {
                                format!("/{name} {}", city.short_name())
                            }
                            _ => format!("/{name}"),
                        }
                    }
                    _ => message.to_string(),
                };
                let mut reply = match request {
                    Request::Understood { question, page } => {
                        let reply = self.answer(&question, page)?;
                        self.remember(sender, Asked::Question(*question), message, &reply);
                        reply
                    }
                    other => self.reply(sender, other)?,
                };
                reply
                    .blocks
                    .insert(0, Block::Text(text::asked_again(&shown)));
                Ok(reply)
            }
            (Some(FollowUp::FactOfFirst), Some(last)) => {
                if let Some(reply) = self.fact_of_first(&last, &understood)? {
                    // The question stays the one asked before: 有多少人 then
                    // 什么时候 both ask about it.
                    return Ok(reply);
                }
                self.answer_and_remember(sender, understood, message, page)
            }
            (None, Some(last)) if page > 1 && last.message == message.trim() => {
                // The next page of the last answer: the question as it was
                // read then (a follow-up's rewritten question, not its words).
                match last.asked {
                    Asked::Question(question) => self.answer(&question, page),
                    Asked::City(_) => self.answer(&understood, page),
                }
            }
            _ => {
                let mut understood = understood;
                match self.default_place(sender, &mut understood)? {
                    Some(city) => {
                        let mut reply =
                            self.answer_and_remember(sender, understood, message, page)?;
                        reply.blocks.insert(0, text::by_subscribed_city(&city));
                        Ok(reply)
                    }
                    None => self.answer_and_remember(sender, understood, message, page),
                }
            }
        }
    }

    fn answer_and_remember(
        &self,
        sender: &Sender,
        question: Question,
        message: &str,
        page: usize,
    ) -> Result<Reply, DeskError> {
        let reply = self.answer(&question, page)?;
        if page == 1 {
            self.remember(sender, Asked::Question(question), message, &reply);
        }
        Ok(reply)
    }

    /// The normalised title and body of the last question's first article
    /// (empty when it found none or the article is gone).
    fn first_text(&self, last: &LastAsked) -> Result<String, DeskError> {
        let Some(id) = &last.first else {
            return Ok(String::new());
        };
        Ok(self
            .store
            .article(id)?
            .map(|article| article_text(&article))
            .unwrap_or_default())
    }

    /// The fact `asked` (有多少人, 什么时候, 冠军是谁) of the first article
    /// `last` found: its answer sentence and the article. `None` when that
    /// article is gone or has no sentence of that kind.
    fn fact_of_first(
        &self,
        last: &LastAsked,
        asked: &Question,
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
        // The words of both questions weigh the sentences of the article.
        let mut both = match &last.asked {
            Asked::Question(before) => before.clone(),
            Asked::City(_) => Question::default(),
        };
        for word in &asked.words {
            if !both.words.contains(word) {
                both.words.push(word.clone());
            }
        }
        both.focus = asked.focus;
        both.normalized = format!("{} {}", both.normalized, asked.normalized);
        let outcome = search::search(
            self.index,
            self.store,
            self.vocabulary,
            &both,
            self.reference_date()?,
            1,
        )?;
        let sentence = answer_sentence(&article, &outcome.focus_words, asked.focus);
        let asks_fact = asked.focus.asks_fact() || asked.focus.wants_person;
        if sentence.is_none() && asks_fact {
            return Ok(None);
        }
        let mut reply = Reply::default();
        reply.push(Block::Text(text::asked_of_first(&article.title.headline)));
        if let Some(sentence) = &sentence {
            reply.push(Block::Answer {
                sentence: sentence.clone(),
                title: article.title.headline.clone(),
                id: article.id.clone(),
            });
        }
        reply.listed.push(article.id.clone());
        reply.push(Block::Item(Item {
            rank: 1,
            id: article.id.clone(),
            title: text::list_title(&article),
            summary: summarize_besides(
                &article,
                &outcome.focus_words,
                asked.focus,
                sentence.as_deref().unwrap_or(""),
                SummaryLength::Long,
            ),
            source: text::short_source_line(&article),
            why: None,
            link: None,
        }));
        reply.push(Block::Hint(text::READ_FULL_HINT.into()));
        Ok(Some(reply))
    }

    /// The reply to a question already understood.
    pub(super) fn answer(&self, question: &Question, page: usize) -> Result<Reply, DeskError> {
        let beyond = beyond::classify(question);
        if let Some(beyond) = &beyond
            && question.words.is_empty()
        {
            // 听日广州落唔落雨: nothing to search for.
            return Ok(self.cannot_answer(beyond));
        }
        let reference = self.reference_date()?;
        let span = question.time.as_ref().and_then(|t| t.span(reference));
        let today = self.time.today();
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
            return self.period(question, &time.text, span, page);
        }
        if question.words.is_empty() {
            // Only a place ("湛江的新闻"): its newest articles.
            if let Some(place) = question.places.iter().find(|p| !p.is_province) {
                let argument = match place.cities.first() {
                    Some(city) => crate::request::PlaceArgument::City {
                        city: city.clone(),
                        typed: place.text.clone(),
                    },
                    None => self.settle(crate::request::PlaceArgument::resolve(
                        &place.text,
                        self.home,
                    )),
                };
                return self.city(&argument, 1);
            }
            if question.places.is_empty() {
                if question.asks_for_news() {
                    // 最近有什么新闻, 最新消息: the newest articles.
                    return self.latest(page);
                }
                return Ok(offering_liuyan(text::nothing_found()));
            }
        }
        self.ranked(
            question,
            beyond.as_ref(),
            reference,
            Paging::new(page, SEARCH_PAGE_SIZE),
        )
    }

    /// The ranked results of a question with topic words, one page of them.
    fn ranked(
        &self,
        question: &Question,
        beyond: Option<&Beyond>,
        reference: NaiveDate,
        paging: Paging,
    ) -> Result<Reply, DeskError> {
        let page = paging.page;
        // A question about the member's own rights, or one the bot is not
        // for, lists only articles that name what was asked: from a larger
        // pool, so those below the first page are not lost to the filter.
        let wanted = paging.end() + 1;
        let pool = if beyond.is_some() {
            wanted.max(BEYOND_POOL)
        } else {
            wanted
        };
        let mut outcome = search::search(
            self.index,
            self.store,
            self.vocabulary,
            question,
            reference,
            pool,
        )?;
        if let Some(beyond) = beyond {
            let other_words = beyond.other_words(question);
            outcome.results.retain(|r| {
                let article = &r.article;
                let title = normalize(&article.title.headline);
                let lead = normalize(&format!(
                    "{title} {}",
                    article.paragraphs.first().map_or("", String::as_str)
                ));
                let whole = article_text(article);
                let text = ArticleText {
                    title: &title,
                    lead: &lead,
                    whole: &whole,
                };
                beyond.answered_by(text, &other_words, &self.vocabulary.synonyms)
            });
            // 高温天气送清凉 with no such report: nothing found about it,
            // not "the bot is not for weather".
            let asked_news = matches!(beyond, Beyond::OffTopic(_))
                && other_words
                    .iter()
                    .any(|w| !outcome.missing.iter().any(|m| m.contains(w.as_str())));
            if outcome.results.is_empty() && !asked_news {
                return Ok(self.cannot_answer(beyond));
            }
        }
        outcome.results.truncate(wanted);
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
                return Ok(offering_liuyan(text::nothing_found_about(
                    &outcome.missing,
                    place.as_deref(),
                )));
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
                if let Some(heard) = &question.claim {
                    let verdict = claim::verdict(heard, &normalize(&sentence));
                    reply.push(Block::Text(text::claim_checked(heard, &verdict)));
                }
                let second = question.focus.also_expects.and_then(|other| {
                    // The second figure asked, from its own sentence when the
                    // first does not hold it.
                    let held = crate::focus::figures(&normalize(&sentence))
                        .iter()
                        .any(|f| other.accepts(f));
                    let focus = crate::focus::Focus {
                        expects: other,
                        also_expects: None,
                        ..question.focus
                    };
                    (!held)
                        .then(|| answer_sentence(best, &outcome.focus_words, focus))
                        .flatten()
                        .filter(|s| *s != sentence)
                });
                reply.push(Block::Answer {
                    sentence,
                    title: best.title.headline.clone(),
                    id: best.id.clone(),
                });
                if let Some(second) = second {
                    answer_shown.push_str(&second);
                    reply.push(Block::Answer {
                        sentence: second,
                        title: best.title.headline.clone(),
                        id: best.id.clone(),
                    });
                }
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
                summary: if rank == 0 && question.caption {
                    // A photo's caption: what the report says happened.
                    summarize_besides(article, &[], Default::default(), "", SummaryLength::Long)
                } else if rank == 0 {
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
        if let Some(Beyond::Rights(_)) = beyond {
            reply.push(Block::Hint(text::ask_the_hotline(self.hotline)));
        }
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
            return Ok(offering_liuyan(text::nothing_found_when(when)));
        }
        let Some(place) = question.place_label() else {
            return Ok(offering_liuyan(text::nothing_found()));
        };
        let mut has_articles = false;
        for code in question.city_codes() {
            has_articles |= self.store.latest_in_city(code, 0, 0)?.1 > 0;
        }
        Ok(offering_liuyan(text::nothing_found_in(
            &place,
            has_articles,
        )))
    }

    /// The honest reply when the news cannot answer: a question about the
    /// member's own rights may go to a person (留言给工会); one the bot is
    /// not for (the weather) may not.
    fn cannot_answer(&self, beyond: &Beyond) -> Reply {
        let reply = text::beyond_news(beyond, self.hotline);
        match beyond {
            Beyond::Rights(_) => offering_liuyan(reply),
            Beyond::OffTopic(_) => reply,
        }
    }
}

/// Results read for a rights or off-topic question before the filter that
/// keeps only articles naming what was asked.
const BEYOND_POOL: usize = 30;

/// An article's title and body, normalised, for looking words up in.
fn article_text(article: &crate::article::Article) -> String {
    normalize(&format!(
        "{} {}",
        article.title.headline,
        article.paragraphs.join("")
    ))
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
