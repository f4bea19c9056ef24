//! What admins' pushes keep of two things no parser gets right by itself:
//! the dates of a page and the same article arriving twice. A folder of
//! pastes (`tests/data/pastes/dev5`, `heldout5`) has a `manifest.tsv`:
//! `file  headline  published  event  city  same_as`, one row a file.
//!
//! - `published`: `YYYY-MM-DD` as the page shows it, `-` when it shows
//!   none (then the push day, flagged to the admin).
//! - `event`: `YYYY-MM-DD`; `?-MM-DD` when the page gives no year anywhere
//!   (the year must not be invented: the admin is asked); `-` when the lede
//!   gives no day.
//! - `same_as`: another file of the folder holding the same article copied
//!   differently (a Word export, another selection, a retyped headline).
//!
//! [`score_dates`] pushes each file into a fresh desk on a fixed day;
//! [`score_copies`] pushes the whole folder into one desk, in file order,
//! and counts the copies recognised and the distinct articles kept apart.

use crate::pastes::{Delivery, PUSH_DAY};
use chrono::{Datelike, NaiveDate, TimeZone};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use union_news_bot::clock::{BotTime, DEFAULT_TIME_ZONE, ManualClock, zone_named};
use union_news_bot::desk::NewsDesk;
use union_news_bot::report::IngestReport;

/// The event date a manifest row expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventDate {
    /// A full date.
    Known(NaiveDate),
    /// Month and day; the page gives no year.
    NoYear(u32, u32),
    /// The lede gives no day (近日).
    Vague,
}

/// One manifest row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The paste's file name.
    pub file: String,
    /// Its headline.
    pub headline: String,
    /// The published date it shows; `None` when none.
    pub published: Option<NaiveDate>,
    /// Its event date.
    pub event: EventDate,
    /// The city's short name, `None` for `-`.
    pub city: Option<String>,
    /// The other copy of the same article, if this is a copy.
    pub same_as: Option<String>,
}

/// Reads a manifest (header line first; blank lines skipped).
pub fn parse_manifest(text: &str) -> Vec<Row> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let event = match *cols.get(3)? {
                "-" => EventDate::Vague,
                e if e.starts_with("?-") => {
                    let (m, d) = e[2..].split_once('-')?;
                    EventDate::NoYear(m.parse().ok()?, d.parse().ok()?)
                }
                e => EventDate::Known(e.parse().ok()?),
            };
            Some(Row {
                file: cols.first()?.to_string(),
                headline: cols.get(1)?.to_string(),
                published: cols.get(2)?.parse().ok(),
                event,
                city: cols
                    .get(4)
                    .filter(|c| !c.is_empty() && **c != "-")
                    .map(|c| c.to_string()),
                same_as: cols.get(5).filter(|c| !c.is_empty()).map(|c| c.to_string()),
            })
        })
        .collect()
}

/// How a folder's dates were read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DateScore {
    /// Files pushed.
    pub files: usize,
    /// Published dates right (a page showing none: the push day, flagged).
    pub published: usize,
    /// Event dates right (a page with no year: month and day, year unknown).
    pub events: usize,
    /// Years shown as known that no date on the page gave.
    pub invented_years: usize,
    /// What went wrong, one line each.
    pub misses: Vec<String>,
}

impl DateScore {
    /// Share of files with the right published date.
    pub fn published_rate(&self) -> f64 {
        ratio(self.published, self.files)
    }

    /// Share of files with the right event date.
    pub fn event_rate(&self) -> f64 {
        ratio(self.events, self.files)
    }

    /// The figures in one line.
    pub fn render(&self) -> String {
        format!(
            "files {} · published {:.3} · event {:.3} · invented years {}",
            self.files,
            self.published_rate(),
            self.event_rate(),
            self.invented_years
        )
    }
}

/// How a folder's copies were recognised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyScore {
    /// Files that are copies of another file's article.
    pub copies: usize,
    /// Copies recognised (stored once: known, or offered as an update).
    pub recognised: usize,
    /// Distinct articles in the folder (files less copies).
    pub distinct: usize,
    /// Distinct articles stored as articles of their own.
    pub kept_apart: usize,
    /// What went wrong, one line each.
    pub misses: Vec<String>,
}

impl CopyScore {
    /// Copies stored a second time.
    pub fn duplicates_stored(&self) -> usize {
        self.copies - self.recognised
    }

    /// Distinct articles taken for another one.
    pub fn merged(&self) -> usize {
        self.distinct - self.kept_apart
    }

    /// The figures in one line.
    pub fn render(&self) -> String {
        format!(
            "copies {} · stored twice {} · distinct {} · merged {}",
            self.copies,
            self.duplicates_stored(),
            self.distinct,
            self.merged()
        )
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// The day pastes are pushed on, at 10:00 in the bot's zone.
fn push_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(PUSH_DAY.0, PUSH_DAY.1, PUSH_DAY.2).expect("a date")
}

/// A desk in memory whose clock stands at 10:00 on the push day, sending at once.
fn desk() -> NewsDesk {
    let zone = zone_named(DEFAULT_TIME_ZONE).expect("the default zone");
    let at = zone
        .from_local_datetime(&push_day().and_hms_opt(10, 0, 0).expect("a time"))
        .single()
        .expect("a moment")
        .to_utc();
    NewsDesk::in_memory()
        .expect("an in-memory desk")
        .with_time(BotTime::new(Arc::new(ManualClock::at(at)), zone))
        .with_push_hold(0)
}

/// Pushes one file as `delivery` says: as text, or as a file read the way
/// a pushed document is.
fn push(desk: &NewsDesk, dir: &Path, file: &str, delivery: Delivery) -> Option<IngestReport> {
    let text = std::fs::read_to_string(dir.join(file)).expect("a paste file");
    let bytes = delivery.encode(&text)?;
    let page = if delivery == Delivery::Pushed {
        text
    } else {
        let name = delivery.file_name(file);
        desk.documents()
            .read(
                &union_news_bot::document::DocumentInput::file(&name),
                &bytes,
            )
            .ok()?
            .text
    };
    desk.editions().push(&page, file, None, 1, 1).ok()
}

/// Pushes each file of `dir` into a fresh desk and scores its dates.
pub fn score_dates(dir: &Path, delivery: Delivery) -> DateScore {
    let rows =
        parse_manifest(&std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest"));
    let mut score = DateScore::default();
    for row in &rows {
        let desk = desk();
        let Some(report) = push(&desk, dir, &row.file, delivery) else {
            continue;
        };
        score.files += 1;
        let Some(article) = report
            .articles
            .first()
            .and_then(|a| desk.editions().record(&a.id).ok().flatten())
            .map(|r| r.article)
        else {
            score.misses.push(format!("{}: nothing stored", row.file));
            continue;
        };
        let published_right = match row.published {
            Some(date) => article.published == Some(date) && !article.published_is_push_day,
            None => article.published == Some(push_day()) && article.published_is_push_day,
        };
        if published_right {
            score.published += 1;
        } else {
            score.misses.push(format!(
                "{}: published {:?}{} , expected {:?}",
                row.file,
                article.published,
                if article.published_is_push_day {
                    " (push day)"
                } else {
                    ""
                },
                row.published
            ));
        }
        let event_right = match row.event {
            EventDate::Known(date) => article.date == Some(date) && article.event_year_known,
            EventDate::NoYear(m, d) => {
                !article.event_year_known
                    && article
                        .date
                        .is_some_and(|date| (date.month(), date.day()) == (m, d))
            }
            EventDate::Vague => true,
        };
        if event_right {
            score.events += 1;
        } else {
            score.misses.push(format!(
                "{}: event {:?} (year known: {}), expected {:?}",
                row.file, article.date, article.event_year_known, row.event
            ));
        }
        let invented = matches!(row.event, EventDate::NoYear(..)) && article.event_year_known
            || row.published.is_none() && !article.published_is_push_day;
        if invented {
            score.invented_years += 1;
        }
    }
    score
}

/// Pushes every file of `dir` into one desk, in file order, and scores
/// which copies were recognised and which distinct articles kept apart.
pub fn score_copies(dir: &Path, delivery: Delivery) -> CopyScore {
    score_copies_mixed(dir, &[delivery])
}

/// [`score_copies`] with the files pushed in turn as each of `deliveries`
/// (the first file as the first, the second as the second …), so a copy
/// often arrives in another form than its original: a Word file against
/// pasted text, a web page against a Word file.
pub fn score_copies_mixed(dir: &Path, deliveries: &[Delivery]) -> CopyScore {
    let rows =
        parse_manifest(&std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest"));
    // Each file's group: the first file of its chain of copies.
    let mut group: BTreeMap<&str, &str> = BTreeMap::new();
    for row in &rows {
        group.insert(&row.file, &row.file);
    }
    for _ in 0..rows.len() {
        for row in &rows {
            if let Some(other) = &row.same_as {
                let (a, b) = (group[row.file.as_str()], group[other.as_str()]);
                let first = a.min(b);
                for value in group.values_mut() {
                    if *value == a || *value == b {
                        *value = first;
                    }
                }
            }
        }
    }
    let desk = desk();
    let mut score = CopyScore::default();
    // The stored article each group was given first, and every group seen.
    let mut stored_for: BTreeMap<&str, union_news_bot::article::ArticleId> = BTreeMap::new();
    let mut new_ids: BTreeMap<union_news_bot::article::ArticleId, &str> = BTreeMap::new();
    let mut files: Vec<&Row> = rows.iter().collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    for (n, row) in files.into_iter().enumerate() {
        let delivery = deliveries[n % deliveries.len()];
        let Some(report) = push(&desk, dir, &row.file, delivery) else {
            continue;
        };
        let Some(article) = report.articles.first() else {
            continue;
        };
        let own = group[row.file.as_str()];
        let recognised_as = article
            .near_duplicate_of
            .as_ref()
            .map(|(id, _)| id.clone())
            .or(if article.is_new {
                None
            } else {
                Some(article.id.clone())
            });
        match stored_for.get(own) {
            Some(first) => {
                score.copies += 1;
                if recognised_as.as_ref() == Some(first) {
                    score.recognised += 1;
                } else {
                    score.misses.push(format!(
                        "{}: a copy of {} stored again ({})",
                        row.file, own, article.id
                    ));
                }
            }
            None => {
                score.distinct += 1;
                match recognised_as {
                    Some(other) => score.misses.push(format!(
                        "{}: taken for {} ({})",
                        row.file,
                        new_ids.get(&other).copied().unwrap_or("?"),
                        other
                    )),
                    None => {
                        score.kept_apart += 1;
                        new_ids.insert(article.id.clone(), &row.file);
                    }
                }
                stored_for.insert(own, article.id.clone());
            }
        }
    }
    score
}
