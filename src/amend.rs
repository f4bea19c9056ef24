//! What an editor types to amend a push: the fields of a correction
//! (`/correct 编号` with `标题：…` lines) and a time to publish at
//! (`/schedule 编号 2024-08-22 08:00`, a push opening with
//! `定时发布：2024-08-22 08:00`). Plain parsing: the desk applies them.

use crate::zh::fold_width;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// The fields of a correction, each `None` when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correction {
    /// `标题：…`: the new headline.
    pub headline: Option<String>,
    /// `日期：…` / `发布日期：…`: the date it was published.
    pub published: Option<NaiveDate>,
    /// `活动日期：…`: the date of its events.
    pub event: Option<NaiveDate>,
    /// `活动年份：2025`: the year of its events, month and day kept (the
    /// push report's year buttons).
    pub event_year: Option<i32>,
    /// `城市：湛江、茂名`: the cities, as typed.
    pub cities: Option<Vec<String>>,
    /// `正文：…` and every line after it: the new body, one paragraph a line.
    pub body: Option<Vec<String>>,
}

impl Correction {
    /// True when no field was given.
    pub fn is_empty(&self) -> bool {
        *self == Correction::default()
    }
}

/// Why correction fields could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectionError {
    /// A line names no field this bot knows (as typed, shortened).
    UnknownField(String),
    /// A date field holds no date it can read.
    BadDate {
        /// The field.
        field: String,
        /// What was typed.
        value: String,
    },
    /// A field was given with nothing after it.
    Empty(String),
}

/// The field names, each with what it sets.
const FIELDS: [(&str, Field); 11] = [
    ("标题", Field::Headline),
    ("题目", Field::Headline),
    ("日期", Field::Published),
    ("发布日期", Field::Published),
    ("发布时间", Field::Published),
    ("活动日期", Field::Event),
    ("事件日期", Field::Event),
    ("活动年份", Field::EventYear),
    ("城市", Field::Cities),
    ("地点", Field::Cities),
    ("正文", Field::Body),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Headline,
    Published,
    Event,
    EventYear,
    Cities,
    Body,
}

/// Reads correction field lines (`标题：…`, one a line; `正文：` takes the
/// rest). `year` settles a date typed without one (`8月22日`).
pub fn read_correction(text: &str, year: i32) -> Result<Correction, CorrectionError> {
    let mut correction = Correction::default();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(['：', ':']) else {
            return Err(CorrectionError::UnknownField(shorten(line)));
        };
        let name = fold_width(name.trim());
        let Some(&(_, field)) = FIELDS.iter().find(|(n, _)| *n == name) else {
            return Err(CorrectionError::UnknownField(shorten(line)));
        };
        let value = value.trim();
        if field == Field::Body {
            let body: Vec<String> = std::iter::once(value)
                .chain(lines.by_ref())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            if body.is_empty() {
                return Err(CorrectionError::Empty(name));
            }
            correction.body = Some(body);
            break;
        }
        if value.is_empty() {
            return Err(CorrectionError::Empty(name));
        }
        match field {
            Field::Headline => correction.headline = Some(value.to_string()),
            Field::Published | Field::Event => {
                let date = read_date(value, year).ok_or_else(|| CorrectionError::BadDate {
                    field: name.clone(),
                    value: shorten(value),
                })?;
                if field == Field::Published {
                    correction.published = Some(date);
                } else {
                    correction.event = Some(date);
                }
            }
            Field::EventYear => {
                let year = fold_width(value)
                    .trim_end_matches('年')
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2200).contains(y))
                    .ok_or_else(|| CorrectionError::BadDate {
                        field: name.clone(),
                        value: shorten(value),
                    })?;
                correction.event_year = Some(year);
            }
            Field::Cities => {
                correction.cities = Some(
                    value
                        .split(['、', '，', ',', ' ', '/'])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            }
            Field::Body => unreachable!("handled above"),
        }
    }
    Ok(correction)
}

/// Reads a date: `2024-08-22`, `2024/8/22`, `2024.8.22`, `2024年8月22日`,
/// or `8月22日` / `8-22` in `year`.
pub fn read_date(text: &str, year: i32) -> Option<NaiveDate> {
    let text = fold_width(text.trim());
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    match numbers.as_slice() {
        [y, m, d] if *y >= 1900 => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        [m, d] => NaiveDate::from_ymd_opt(year, *m, *d),
        _ => None,
    }
}

/// Reads a moment to publish at: a date (as [`read_date`]) and a time
/// (`08:00`, `8点`, `8点30`); a date alone is 08:00. `today` settles a date
/// typed without a year.
pub fn read_moment(text: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let text = fold_width(text.trim());
    let (date_part, time_part) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => match text.find('日') {
            Some(i) if i + '日'.len_utf8() < text.len() => (
                &text[..i + '日'.len_utf8()],
                text[i + '日'.len_utf8()..].trim(),
            ),
            _ => (text.as_str(), ""),
        },
    };
    let mut date = read_date(date_part, today.year())?;
    // 「1月2日」 typed on 30 December is next year's.
    let year_written = date_part.chars().filter(|c| c.is_ascii_digit()).count() >= 6;
    if !year_written && date < today {
        date = date.with_year(date.year() + 1)?;
    }
    let time = if time_part.is_empty() {
        NaiveTime::from_hms_opt(8, 0, 0)?
    } else {
        read_time(time_part)?
    };
    Some(date.and_time(time))
}

/// `08:00`, `8:30`, `8点`, `8点30`, `8点半`, `8点30分`, `上午9点`, `下午3点`.
fn read_time(text: &str) -> Option<NaiveTime> {
    let afternoon = text.contains("下午") || text.contains("晚上");
    let half = text.contains('半');
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let (mut hour, minute) = match numbers.as_slice() {
        [h] if half => (*h, 30),
        [h] => (*h, 0),
        [h, m] => (*h, *m),
        _ => return None,
    };
    if afternoon && hour < 12 {
        hour += 12;
    }
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// The words before a scheduled push's time (`定时发布：2024-08-22 08:00`).
const SCHEDULE_MARKERS: [&str; 3] = ["定时发布", "定时推送", "定时"];

/// A push whose first line is `定时发布：2024-08-22 08:00`: the moment and
/// the page without that line. `None` when the first line is no such line;
/// `Some(None)` when it is one whose time cannot be read (the push must be
/// refused, not published at once). (A `发布时间` line inside a pasted page
/// is the article's date, not a schedule: only these words on the first
/// line schedule.)
pub fn scheduled_push(text: &str, today: NaiveDate) -> Option<Option<(NaiveDateTime, &str)>> {
    let trimmed = text.trim_start();
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    let first = first.trim();
    let marker = SCHEDULE_MARKERS.iter().find(|m| first.starts_with(*m))?;
    let value = first[marker.len()..].trim_start_matches(['：', ':', ' ']);
    Some(read_moment(value, today).map(|moment| (moment, rest)))
}

fn shorten(text: &str) -> String {
    text.chars().take(20).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn correction_fields_are_read_one_a_line_and_the_body_takes_the_rest() {
        let c = read_correction(
            "标题：湛江市总工会开展送清凉活动\n日期：2024-08-22\n活动日期: 8月20日\n城市：湛江、茂名\n正文：第一段。\n\n第二段。",
            2024,
        )
        .unwrap();
        assert_eq!(c.headline.as_deref(), Some("湛江市总工会开展送清凉活动"));
        assert_eq!(c.published, Some(day(2024, 8, 22)));
        assert_eq!(c.event, Some(day(2024, 8, 20)));
        assert_eq!(c.cities, Some(vec!["湛江".into(), "茂名".into()]));
        assert_eq!(c.body, Some(vec!["第一段。".into(), "第二段。".into()]));
        assert!(read_correction("", 2024).unwrap().is_empty());
    }

    #[test]
    fn unknown_fields_and_bad_dates_are_named() {
        assert_eq!(
            read_correction("作者：张三", 2024),
            Err(CorrectionError::UnknownField("作者：张三".into()))
        );
        assert!(matches!(
            read_correction("日期：下周", 2024),
            Err(CorrectionError::BadDate { .. })
        ));
        assert_eq!(
            read_correction("标题：", 2024),
            Err(CorrectionError::Empty("标题".into()))
        );
        assert!(read_correction("日期：2024-02-30", 2024).is_err());
    }

    #[test]
    fn moments_to_publish_at_are_read_in_common_forms() {
        let today = day(2024, 8, 1);
        let at = |d: NaiveDate, h, m| d.and_hms_opt(h, m, 0).unwrap();
        for (text, expected) in [
            ("2024-08-22 08:00", at(day(2024, 8, 22), 8, 0)),
            ("2024/8/22 9:30", at(day(2024, 8, 22), 9, 30)),
            ("2024年8月22日 8点", at(day(2024, 8, 22), 8, 0)),
            ("8月22日下午3点", at(day(2024, 8, 22), 15, 0)),
            ("2024-08-22", at(day(2024, 8, 22), 8, 0)),
            (
                "２０２４－０８－２２　０８：００",
                at(day(2024, 8, 22), 8, 0),
            ),
        ] {
            assert_eq!(read_moment(text, today), Some(expected), "{text}");
        }
        assert_eq!(read_moment("明天", today), None);
        assert_eq!(read_moment("2024-08-22 25:00", today), None);
    }

    #[test]
    fn only_a_first_line_schedule_schedules() {
        let today = day(2024, 8, 1);
        let (moment, rest) = scheduled_push("定时发布：2024-08-22 08:00\n标题\n正文。", today)
            .unwrap()
            .unwrap();
        assert_eq!(moment, day(2024, 8, 22).and_hms_opt(8, 0, 0).unwrap());
        assert_eq!(rest, "标题\n正文。");
        assert_eq!(
            scheduled_push("标题\n发布时间：2024-08-22 08:00\n正文。", today),
            None
        );
        assert_eq!(
            scheduled_push("定时发布：明天八点\n标题", today),
            Some(None),
            "a schedule line that cannot be read refuses the push"
        );
    }
}
