//! Newspaper page text → articles.
//!
//! A page file (see `corpus/FORMAT.md`) holds optional front matter and then
//! several articles, each a run of `#` heading lines (its title block) over
//! paragraphs of body text. [`parse`] reads one page into [`ParsedArticle`]s:
//! title block kept apart (kicker, organisation, headline, subtitle), paragraphs
//! rejoined across column breaks, byline and closing credit taken out of the
//! text, the article's own date read from its lede, and the day it was
//! published (printed on the page, else the issue date, else the push).
//!
//! [`parse`] never fails and never panics: whatever it cannot read becomes a
//! [`Warning`] with its line number, for the admin who pushed the page. It
//! runs in time linear in the page's length.
//!
//! One concern per submodule: `lines` (line endings, heading marks),
//! `front_matter`, `title` (heading spaces and roles), `body` (column breaks),
//! `byline` (byline and credit), `date` (issue and lede dates), `punctuation`
//! (character classes in both widths), `paste` (a web or WeChat copy, by
//! stage), `words` (the clutter word lists of `data/reading/`, shared with
//! `document::html` and `reply::text`). Nothing here does I/O; only `title`
//! reaches the segmenter, through [`crate::zh::segment`].

mod body;
mod byline;
mod date;
pub mod encoding;
mod front_matter;
mod lines;
mod paste;
mod punctuation;
mod title;
pub mod words;

#[cfg(test)]
mod tests;

use crate::article::{Byline, Fingerprint, Source, TitleBlock};
use body::Piece;
use chrono::NaiveDate;
use date::LedeDate;
use lines::LineKind;
use punctuation::{clean, excerpt, tail_excerpt, trim};
use title::Heading;

/// What the ingest command knows about a page before reading it (its options,
/// the file name). Front matter in the page wins over these; these fill gaps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageDefaults {
    /// The issue date.
    pub issue_date: Option<NaiveDate>,
    /// The paper or bulletin (`职工报`).
    pub paper: Option<String>,
    /// The page label (`第3版`).
    pub page: Option<String>,
    /// Today: no article is dated after it, and a lede's month and day with
    /// no issue date take the latest year not after it.
    pub today: Option<NaiveDate>,
    /// The day an admin pushed the page: the date of an article nothing
    /// else dates.
    pub received: Option<NaiveDate>,
    /// The web address the page was fetched from.
    pub link: Option<String>,
}

/// Where an article's date comes from, for the admin's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// The lede wrote it in full (`2023年12月28日`).
    LedeWithYear,
    /// The lede's month and day, in the year of the issue date.
    LedeInIssueYear,
    /// The lede's month and day, in the year of the date printed near the
    /// headline.
    LedeInPrintedYear,
    /// The lede's month and day, in the latest year not after the push.
    LedeInLatestYear,
    /// The date printed near the headline (`发布日期：…`).
    Printed,
    /// The issue date (front matter, the ingest option, the file name).
    Issue,
    /// The day of the push: nothing else dates the article.
    Received,
    /// Nothing dates it.
    Unknown,
}

/// Where an article's publication date comes from: the day the page or
/// the paper says it was published, beside the day of the events
/// ([`DateSource`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishedSource {
    /// The page printed it (`发布日期：…`, a WeChat account's line, an
    /// e-edition's `工人日报（2022年06月14日 05版）`, a bare date at the foot,
    /// else a site header's `2025年09月19日 星期五`).
    Printed,
    /// The issue date (front matter, the ingest option, the file name).
    Issue,
    /// Nothing printed one: the day of the push, to be flagged to the admin.
    Received,
    /// Nothing dates it.
    Unknown,
}

/// How a pasted article (a page with no `#` heading) was read: for the
/// admin's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasteReading {
    /// Lines removed as web clutter.
    pub removed_lines: usize,
    /// True when no line read as a headline and the first sentence was used.
    pub title_from_body: bool,
}

/// One page, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPage {
    /// Paper, issue date and page: from front matter, else from the defaults.
    pub source: Source,
    /// The page's articles, in page order.
    pub articles: Vec<ParsedArticle>,
    /// What could not be read, in line order, for the admin.
    pub warnings: Vec<Warning>,
}

/// One article of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArticle {
    /// Kicker, organisation, headline (never empty), subtitle.
    pub title: TitleBlock,
    /// Body paragraphs, rejoined across column breaks, byline and credit
    /// removed; original punctuation widths kept.
    pub paragraphs: Vec<String>,
    /// Reporters and correspondents from the lede, the closing credit.
    pub byline: Byline,
    /// The date of the events: from the lede, else the issue date.
    pub date: Option<NaiveDate>,
    /// True when `date` was written in the lede; false when it is the issue
    /// date (the lede says `近日`, or nothing, or something impossible).
    pub date_is_explicit: bool,
    /// Where `date` comes from.
    pub date_source: DateSource,
    /// True when the year of `date` was read from the page: the lede wrote
    /// it, or it is the year of the issue date, of the printed publication
    /// date or of a header date line. False when the year is a guess (the
    /// lede's month and day put in the latest year not after the push,
    /// [`DateSource::LedeInLatestYear`]) or nothing on the page dates the
    /// article ([`DateSource::Received`], [`DateSource::Unknown`]).
    pub event_year_known: bool,
    /// The day the article was published: the date the page prints as its
    /// own (one after today is not taken), else the issue date, else the
    /// day of the push.
    pub published: Option<NaiveDate>,
    /// Where `published` comes from.
    pub published_source: PublishedSource,
    /// For a paste: what was removed and guessed.
    pub paste: Option<PasteReading>,
    /// 1-based line of the article's first heading (or of the text line taken
    /// as its headline).
    pub line: usize,
}

/// Something on the page that could not be read as it stands, and what was
/// done instead. The words an admin reads are the reply's
/// (`reply::text::page_warning`); here is only what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line number on the page.
    pub line: usize,
    /// What happened.
    pub kind: WarningKind,
}

/// What a [`Warning`] is about; texts are excerpts of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarningKind {
    /// Front matter opened with `---` and never closed; read up to its last
    /// `key: value` line.
    FrontMatterUnclosed,
    /// A `---` at the top that opens no front matter; taken as a rule.
    NotFrontMatter,
    /// A front-matter date that is not `YYYY-MM-DD`; ignored.
    BadIssueDate {
        /// The value as written.
        value: String,
    },
    /// An empty heading line; ignored.
    EmptyHeading,
    /// A title block with several top-level headlines; one was chosen.
    SeveralHeadlines {
        /// How many.
        count: usize,
        /// The one taken as the headline.
        chosen: String,
    },
    /// A title block with no top-level headline; a lower one was chosen.
    NoTopHeadline {
        /// The one taken as the headline.
        chosen: String,
    },
    /// A headline with no body under it.
    NoBody {
        /// The headline.
        headline: String,
    },
    /// The last paragraph ends without sentence punctuation: text may be missing.
    CutShort {
        /// The paragraph's end.
        tail: String,
    },
    /// A lede date that does not exist (2月30日).
    ImpossibleDate {
        /// The date as written.
        written: String,
        /// True when the issue date was used instead (else the date is empty).
        issue_date_used: bool,
    },
    /// A lede date without a year, on a page whose issue date is unknown.
    DateWithoutYear {
        /// The date as written.
        written: String,
    },
    /// Body text with no `#` heading whose first line was taken as its headline.
    FirstLineAsHeadline {
        /// The line taken.
        headline: String,
    },
    /// Body text with no heading and no line that reads as one: skipped.
    UntitledTextSkipped {
        /// Its number of lines.
        lines: usize,
        /// Its start.
        start: String,
    },
    /// The page gave no article at all.
    NoArticles,
    /// An article whose body is empty was not stored (the desk's check).
    EmptyArticleNotStored {
        /// Its headline.
        headline: String,
    },
    /// A date after today (printed or in the lede): not used.
    FutureDate {
        /// The date as read.
        date: NaiveDate,
    },
}

impl Warning {
    fn new(line: usize, kind: WarningKind) -> Self {
        Warning { line, kind }
    }
}

/// The fingerprint of an article with this headline and body: a hash of
/// their letters and digits, normalised ([`crate::zh::fingerprint`]), so
/// the same article pasted again with other whitespace or punctuation
/// widths is recognised.
pub fn fingerprint(headline: &str, paragraphs: &[String]) -> Fingerprint {
    let parts: Vec<String> = std::iter::once(headline)
        .chain(paragraphs.iter().map(String::as_str))
        .map(crate::zh::fingerprint)
        .collect();
    Fingerprint::of_parts(parts.iter().map(String::as_str))
}

/// Reads a page's text into articles. Never fails: problems are returned as
/// warnings beside the articles that could be read.
pub fn parse(text: &str, defaults: &PageDefaults) -> ParsedPage {
    let mut warnings = Vec::new();
    let lines = lines::split(text);
    let front = front_matter::read(&lines, &mut warnings);
    let source = Source {
        paper: front.paper.or_else(|| defaults.paper.clone()),
        issue_date: front.date.or(defaults.issue_date),
        page: front.page.or_else(|| defaults.page.clone()),
        link: defaults.link.clone(),
    };

    let mut page = PageBuilder {
        issue_date: source.issue_date,
        today: defaults.today,
        received: defaults.received,
        articles: Vec::new(),
        warnings,
    };
    // `#1楼` opens a forum reply, not an article.
    let has_headings = lines[front.body_start.min(lines.len())..]
        .iter()
        .any(|line| {
            matches!(lines::classify(line), LineKind::Heading { text, .. }
                if !text.starts_with(|c: char| c.is_ascii_digit()) || trim(line).starts_with("# "))
        });
    if !has_headings {
        let mut source = source;
        page.paste(&lines, front.body_start, &mut source);
        return page.into_page(source, &lines, front.body_start);
    }
    let mut block = Block::default();
    let mut first_content_line = None;
    for (index, line) in lines.iter().enumerate().skip(front.body_start) {
        let number = index + 1;
        let kind = lines::classify(line);
        if kind != LineKind::Blank {
            first_content_line.get_or_insert(number);
        }
        match kind {
            LineKind::Blank => {}
            LineKind::Heading { level, text } => {
                if !block.pieces.is_empty() {
                    page.finish(std::mem::take(&mut block));
                }
                block.headings.push(Heading {
                    line: number,
                    level,
                    text: title::join_spaces(&clean(text)),
                });
            }
            LineKind::Text(text) => {
                let text = clean(text);
                let text = trim(&text);
                if !text.is_empty() {
                    block.pieces.push(Piece {
                        line: number,
                        text: text.to_string(),
                        row: false,
                    });
                }
            }
        }
    }
    page.finish(block);
    let _ = first_content_line;
    page.into_page(source, &lines, front.body_start)
}

/// True when an article dated from `source` has the year the page gives
/// (see [`ParsedArticle::event_year_known`]).
fn year_known(source: DateSource) -> bool {
    match source {
        DateSource::LedeWithYear
        | DateSource::LedeInIssueYear
        | DateSource::LedeInPrintedYear
        | DateSource::Printed
        | DateSource::Issue => true,
        DateSource::LedeInLatestYear | DateSource::Received | DateSource::Unknown => false,
    }
}

/// The heading lines and text lines of one article, as met on the page.
#[derive(Debug, Default)]
struct Block {
    headings: Vec<Heading>,
    pieces: Vec<Piece>,
}

/// Articles and warnings gathered so far.
struct PageBuilder {
    issue_date: Option<NaiveDate>,
    today: Option<NaiveDate>,
    received: Option<NaiveDate>,
    articles: Vec<ParsedArticle>,
    warnings: Vec<Warning>,
}

impl PageBuilder {
    fn warn(&mut self, line: usize, kind: WarningKind) {
        self.warnings.push(Warning::new(line, kind));
    }

    /// The page read: its articles and its warnings in line order, with
    /// 「no articles」 when it had text and gave none.
    fn into_page(mut self, source: Source, lines: &[&str], body_start: usize) -> ParsedPage {
        let first_content_line = lines
            .iter()
            .enumerate()
            .skip(body_start)
            .find(|(_, l)| lines::classify(l) != LineKind::Blank)
            .map(|(i, _)| i + 1);
        if self.articles.is_empty()
            && let Some(line) = first_content_line
        {
            self.warn(line, WarningKind::NoArticles);
        }
        self.warnings.sort_by_key(|w| w.line);
        ParsedPage {
            source,
            articles: self.articles,
            warnings: self.warnings,
        }
    }

    /// Reads a page with no `#` heading as one pasted article
    /// ([`paste::read`]): its source fills the page's where front matter
    /// gave none.
    fn paste(&mut self, lines: &[&str], body_start: usize, source: &mut Source) {
        let pasted: Vec<paste::PasteLine> = lines
            .iter()
            .enumerate()
            .skip(body_start)
            .filter_map(|(i, line)| {
                let text = clean(line);
                let text = trim(&text);
                (!text.is_empty()).then(|| paste::PasteLine {
                    number: i + 1,
                    text: text.to_string(),
                })
            })
            .collect();
        let read = paste::read(&pasted);
        let Some((title, line)) = read.title else {
            return;
        };
        if source.paper.is_none() {
            source.paper = read.source.clone();
        }
        let printed = read.printed_date.filter(|&date| {
            let future = self.today.is_some_and(|today| date > today);
            if future {
                self.warn(line, WarningKind::FutureDate { date });
            }
            !future
        });
        let mut paragraphs = body::paragraphs(read.pieces);
        let mut byline = self.take_byline(&mut paragraphs);
        for author in read.authors {
            if !byline.reporters.contains(&author) {
                byline.reporters.push(author);
            }
        }
        if paragraphs.is_empty() {
            let headline = excerpt(&title.headline, 30);
            self.warn(line, WarningKind::NoBody { headline });
        }
        let issue_before = self.issue_date;
        let printed_is_issue = self.issue_date.is_none() && printed.is_some();
        if printed_is_issue {
            self.issue_date = printed;
        }
        let (date, date_is_explicit, mut date_source) = self.date(&paragraphs, line);
        if printed_is_issue {
            date_source = match date_source {
                DateSource::LedeInIssueYear => DateSource::LedeInPrintedYear,
                DateSource::Issue => DateSource::Printed,
                other => other,
            };
        }
        self.issue_date = issue_before;
        let (published, published_source) = match printed {
            Some(printed) => (Some(printed), PublishedSource::Printed),
            None => self.published(),
        };
        self.articles.push(ParsedArticle {
            title,
            paragraphs: paragraphs.into_iter().map(|p| p.text).collect(),
            byline,
            date,
            date_is_explicit,
            date_source,
            event_year_known: year_known(date_source),
            published,
            published_source,
            paste: Some(PasteReading {
                removed_lines: read.removed,
                title_from_body: read.title_from_body,
            }),
            line,
        });
    }

    /// Turns a block into an article, or into warnings when it has no title
    /// and none can be found.
    fn finish(&mut self, block: Block) {
        let Block {
            headings,
            mut pieces,
        } = block;
        let titled = title::assemble(&headings, &mut self.warnings)
            .zip(headings.iter().find(|h| !h.text.is_empty()).map(|h| h.line));
        let Some((title, line)) = titled.or_else(|| self.untitled(&mut pieces)) else {
            return;
        };
        let mut paragraphs = body::paragraphs(pieces);
        let byline = self.take_byline(&mut paragraphs);
        if paragraphs.is_empty() {
            let headline = excerpt(&title.headline, 30);
            self.warn(line, WarningKind::NoBody { headline });
        }
        let (date, date_is_explicit, date_source) = self.date(&paragraphs, line);
        let (published, published_source) = self.published();
        self.articles.push(ParsedArticle {
            title,
            paragraphs: paragraphs.into_iter().map(|p| p.text).collect(),
            byline,
            date,
            date_is_explicit,
            date_source,
            event_year_known: year_known(date_source),
            published,
            published_source,
            paste: None,
            line,
        });
    }

    /// Takes the byline off the lede and the credit off the last paragraph,
    /// dropping paragraphs left empty; warns when the last paragraph is cut.
    fn take_byline(&mut self, paragraphs: &mut Vec<body::Paragraph>) -> Byline {
        let mut named = byline::LedeByline::default();
        if let Some(lede) = paragraphs.first_mut() {
            let (names, rest) = byline::take_byline(&lede.text);
            if rest.len() != lede.text.len() {
                lede.text = rest.to_string();
            }
            named = names;
        }
        let mut credit = None;
        if let Some(last) = paragraphs.last_mut() {
            if let Some((before, name)) = byline::split_credit(&last.text) {
                credit = Some(name.to_string());
                last.text = before.to_string();
            } else if !last.row && !body::ends_sentence(&last.text) {
                let (line, tail) = (last.line, tail_excerpt(&last.text, 15));
                self.warn(line, WarningKind::CutShort { tail });
            }
        }
        paragraphs.retain(|p| !p.text.is_empty());
        Byline {
            reporters: named.reporters,
            correspondents: named.correspondents,
            credit,
        }
    }

    /// The publication date of an article whose page prints none: the issue
    /// date, else the day of the push.
    fn published(&self) -> (Option<NaiveDate>, PublishedSource) {
        match (self.issue_date, self.received) {
            (Some(issue), _) => (Some(issue), PublishedSource::Issue),
            (None, Some(received)) => (Some(received), PublishedSource::Received),
            (None, None) => (None, PublishedSource::Unknown),
        }
    }

    /// The article's date from its lede, else the issue date, else the day
    /// of the push; whether the lede gave it, and where it comes from. A
    /// date after today is never used.
    fn date(
        &mut self,
        paragraphs: &[body::Paragraph],
        line: usize,
    ) -> (Option<NaiveDate>, bool, DateSource) {
        let (lede, line) = paragraphs
            .first()
            .map_or(("", line), |p| (p.text.as_str(), p.line));
        let fallback = match (self.issue_date, self.received) {
            (Some(issue), _) => (Some(issue), false, DateSource::Issue),
            (None, Some(received)) => (Some(received), false, DateSource::Received),
            (None, None) => (None, false, DateSource::Unknown),
        };
        let not_after = self.received.or(self.today);
        let (date, source) = match date::lede_date(lede, self.issue_date, not_after) {
            LedeDate::Found(date) => {
                let source = if date::lede_writes_year(lede, self.issue_date, not_after) {
                    DateSource::LedeWithYear
                } else if self.issue_date.is_some() {
                    DateSource::LedeInIssueYear
                } else {
                    DateSource::LedeInLatestYear
                };
                (date, source)
            }
            LedeDate::Vague | LedeDate::Missing => return fallback,
            LedeDate::Invalid(written) => {
                let issue_date_used = fallback.0.is_some();
                self.warn(
                    line,
                    WarningKind::ImpossibleDate {
                        written,
                        issue_date_used,
                    },
                );
                return fallback;
            }
            LedeDate::YearUnknown(written) => {
                self.warn(line, WarningKind::DateWithoutYear { written });
                return (None, false, DateSource::Unknown);
            }
        };
        if self.today.is_some_and(|today| date > today) {
            self.warn(line, WarningKind::FutureDate { date });
            return fallback;
        }
        (Some(date), true, source)
    }

    /// A title for body text that has none: its first line, when that reads
    /// like a headline and text follows it; else the text is skipped.
    fn untitled(&mut self, pieces: &mut Vec<Piece>) -> Option<(TitleBlock, usize)> {
        let first = pieces.first()?;
        if pieces.len() >= 2 && body::looks_like_title(&first.text) {
            let first = pieces.remove(0);
            let headline = title::join_spaces(&first.text);
            self.warn(
                first.line,
                WarningKind::FirstLineAsHeadline {
                    headline: excerpt(&headline, 30),
                },
            );
            let title = TitleBlock {
                headline,
                ..TitleBlock::default()
            };
            return Some((title, first.line));
        }
        let line = first.line;
        let kind = WarningKind::UntitledTextSkipped {
            lines: pieces.len(),
            start: excerpt(&first.text, 20),
        };
        self.warn(line, kind);
        None
    }
}
