//! Lists: a city's newest articles (a district's or town's own first), a
//! period's, the newest overall, and one article in full.

use super::{Conversation, LIST_PAGE_SIZE, LOCAL_SECTION_SIZE};
use crate::article::{Article, City};
use crate::commands::CommandKind;
use crate::desk::DeskError;
use crate::desk::paging::Paging;
use crate::query::Question;
use crate::reply::{Block, Item, ListKind, Pages, Reply, text};
use crate::request::{IdArgument, PlaceArgument};
use crate::search;
use crate::summary::summarize;
use crate::zh::normalize;
use crate::zh::places::{Level, gazetteer};
use chrono::NaiveDate;

impl Conversation<'_> {
    pub(super) fn city(&self, place: &PlaceArgument, page: usize) -> Result<Reply, DeskError> {
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
    pub(super) fn period(
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
            return Ok(super::inbox::offering_liuyan(text::nothing_in_period(
                &scope,
            )));
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

    pub(super) fn latest(&self, page: usize) -> Result<Reply, DeskError> {
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

    pub(super) fn full_article(&self, id: &IdArgument) -> Result<Reply, DeskError> {
        let id = match id {
            IdArgument::Id(id) => id,
            IdArgument::Missing => return Ok(Reply::text(text::ARTICLE_USAGE)),
            IdArgument::Invalid(shown) => return Ok(text::no_such_article(shown)),
        };
        Ok(match self.store.article(id)? {
            Some(article) => {
                let mut reply = Reply::default();
                reply.push(text::full_article(&article));
                reply.photos = article.photos.clone();
                reply.listed.push(article.id);
                reply
            }
            None => text::no_such_article(id.as_str()),
        })
    }
}

/// The reply to a place argument of command `asked` that is not one city:
/// its usage, a province, an ambiguous or unknown name.
pub(super) fn place_problem(place: &PlaceArgument, asked: CommandKind) -> Reply {
    match place {
        PlaceArgument::Missing | PlaceArgument::City { .. } => Reply::text(text::usage(asked)),
        PlaceArgument::Province { typed, cities } => {
            let names: Vec<&str> = cities.iter().map(String::as_str).collect();
            text::province_not_city(typed, &names, asked)
        }
        PlaceArgument::Ambiguous { typed, candidates } => {
            let described: Vec<String> = candidates.iter().map(|c| c.to_string()).collect();
            text::ambiguous_place(typed, &described)
        }
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
pub(in crate::desk) fn list_item(article: &Article, rank: usize) -> Item {
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
