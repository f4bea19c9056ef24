//! Dates: the issue date written in front matter, the date a line prints
//! (`发布日期：2022-08-22`, `29.12.2014`, `12/29/2014`), and an article's own
//! date read from its lede (`1月15日`, `2023年12月28日`, `近日`).
//!
//! The lede's first `X月Y日` is the event date, with the issue's year; a month
//! later than the issue's month is last year's (a January issue reporting
//! `12月28日`). `近日`, `日前`, `近期` before any date mean "recently": the caller
//! falls back to the issue date. Background dates (`去年8月3日`, a year far
//! from the issue's) are passed over.

use super::punctuation::{fold, is_space, trim};
use chrono::{Datelike, NaiveDate};

/// Words that date an event only vaguely, at the start of a clause.
const VAGUE_MARKERS: [&str; 5] = ["近日", "日前", "近期", "近来", "日昨"];

/// Parts of a month written after `X月` with no day, and the day that
/// stands for each.
const PART_OF_MONTH: [(&str, u32); 6] = [
    ("上旬", 5),
    ("中旬", 15),
    ("下旬", 25),
    ("初", 3),
    ("底", 28),
    ("末", 28),
];

/// Words before `X月Y日` that make it a background date, not the event's.
const BACKGROUND_YEARS: [&str; 4] = ["去年", "前年", "明年", "上年"];

/// What the lede says about when the event happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LedeDate {
    /// A date written in the lede, its year inferred when not written.
    Found(NaiveDate),
    /// `近日` and the like, before any date.
    Vague,
    /// No date in the lede.
    Missing,
    /// A date that does not exist (`2月30日`), as written.
    Invalid(String),
    /// `X月Y日` with no year and no issue date to take one from, as written.
    YearUnknown(String),
}

/// Reads the event date from an article's lede, given the issue date.
///
/// With no issue date, a month and day take the latest year that does not put
/// them after `not_after` (the day of a push), when one is given.
pub(super) fn lede_date(
    lede: &str,
    issue: Option<NaiveDate>,
    not_after: Option<NaiveDate>,
) -> LedeDate {
    read_lede(lede, issue, not_after).0
}

/// True when the date [`lede_date`] finds in `lede` has its year written.
pub(super) fn lede_writes_year(
    lede: &str,
    issue: Option<NaiveDate>,
    not_after: Option<NaiveDate>,
) -> bool {
    read_lede(lede, issue, not_after).1
}

/// [`lede_date`], and whether the year of the date found was written.
fn read_lede(
    lede: &str,
    issue: Option<NaiveDate>,
    not_after: Option<NaiveDate>,
) -> (LedeDate, bool) {
    let chars = date_chars(lede);
    let mut i = 0;
    while i < chars.len() {
        if at_clause_start(&chars, i) && VAGUE_MARKERS.iter().any(|m| starts_with(&chars, i, m)) {
            return (LedeDate::Vague, false);
        }
        let Some(found) = month_day_at(&chars, i) else {
            i += 1;
            continue;
        };
        let written: String = chars[found.start..found.end].iter().collect();
        let year = match found.year {
            Year::Background => {
                i = found.end;
                continue;
            }
            Year::Written(year) => {
                if issue.is_some_and(|issue| (year - issue.year()).abs() > 1) {
                    i = found.end;
                    continue;
                }
                year
            }
            Year::Current => match issue.or(not_after) {
                Some(issue) => issue.year(),
                None => return (LedeDate::YearUnknown(written), false),
            },
            Year::Inferred => match (issue, not_after) {
                (Some(issue), _) if found.month > issue.month() => issue.year() - 1,
                (Some(issue), _) => issue.year(),
                (None, Some(last)) => latest_year_not_after(found.month, found.day, last),
                // 2000 is a leap year: a day that fails here fails every year.
                (None, None) if NaiveDate::from_ymd_opt(2000, found.month, found.day).is_none() => {
                    return (LedeDate::Invalid(written), false);
                }
                (None, None) => return (LedeDate::YearUnknown(written), false),
            },
        };
        let written_year = matches!(found.year, Year::Written(_));
        return match NaiveDate::from_ymd_opt(year, found.month, found.day) {
            Some(date) => (LedeDate::Found(date), written_year),
            None => (LedeDate::Invalid(written), false),
        };
    }
    (LedeDate::Missing, false)
}

/// The latest year in which `month`/`day` is not after `last`: the year of a
/// pasted article that gives none, pushed on `last`.
fn latest_year_not_after(month: u32, day: u32, last: NaiveDate) -> i32 {
    if (month, day) > (last.month(), last.day()) {
        last.year() - 1
    } else {
        last.year()
    }
}

/// The lede's characters folded to half width, without the spaces people
/// type inside a date (`8月 2 日`, `2024 年 3 月`).
fn date_chars(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        if is_space(c) {
            let before = chars[..i].iter().rev().find(|&&c| !is_space(c));
            let after = chars[i + 1..].iter().find(|&&c| !is_space(c));
            let is_unit = |c: char| matches!(c, '年' | '月' | '日' | '号');
            let inside_date = matches!((before, after), (Some(&b), Some(&a))
                if (b.is_ascii_digit() && is_unit(a)) || (matches!(b, '年' | '月') && a.is_ascii_digit()));
            if inside_date {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// The first full date printed in a line (`发布日期：2022-08-22 10:21`,
/// `2024年03月06日`, `发表于 2023-5-24 08:10:44`, `2024/3/6`, `29.12.2014`,
/// `12/29/2014`): a four-digit year from 1990 on, a month and a day, not
/// inside a longer number.
pub(super) fn printed_date(text: &str) -> Option<NaiveDate> {
    let chars = date_chars(text);
    let digits_at = |i: usize, max: usize| number_at(&chars, i, max);
    let mut i = 0;
    while i + 4 <= chars.len() {
        let starts_number = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if starts_number
            && let Some((year, after_year)) = digits_at(i, 4)
            && after_year == i + 4
            && (1990..=2100).contains(&year)
            && let Some(&sep) = chars.get(after_year)
            && matches!(sep, '-' | '/' | '.' | '年')
            && let Some((month, after_month)) = digits_at(after_year + 1, 2)
            && chars.get(after_month) == Some(&month_separator(sep))
            && let Some((day, after_day)) = digits_at(after_month + 1, 2)
            && !chars.get(after_day).is_some_and(char::is_ascii_digit)
            && let Some(date) = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
        {
            return Some(date);
        }
        if starts_number && let Some(date) = year_last_date(&chars, i) {
            return Some(date);
        }
        i += 1;
    }
    None
}

/// A date whose four-digit year comes last: `29.12.2014` (day, month, year
/// between dots, as European sites print it), or `12/29/2014` and
/// `29/12/2014` between slashes, where the order is read only when it is
/// unambiguous (one of the two numbers is over 12, or both are the same).
fn year_last_date(chars: &[char], i: usize) -> Option<NaiveDate> {
    let separator = *chars.get(number_at(chars, i, 2)?.1)?;
    if !matches!(separator, '.' | '/') || (i > 0 && chars[i - 1] == separator) {
        return None;
    }
    let (first, after_first) = number_at(chars, i, 2)?;
    let (second, after_second) = number_at(chars, after_first + 1, 2)?;
    if chars.get(after_second) != Some(&separator) {
        return None;
    }
    let (year, after_year) = number_at(chars, after_second + 1, 4)?;
    if after_year != after_second + 5
        || !(1990..=2100).contains(&year)
        || chars
            .get(after_year)
            .is_some_and(|c| c.is_ascii_digit() || *c == separator)
    {
        return None;
    }
    let (month, day) = match separator {
        '.' => (second, first),
        _ if first > 12 => (second, first),
        _ if second > 12 || first == second => (first, second),
        // `05/03/2014`: the fifth of March or the third of May.
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The separator between month and day that goes with the one between year
/// and month (`-` with `-`, `年` with `月`).
fn month_separator(year_separator: char) -> char {
    match year_separator {
        '年' => '月',
        other => other,
    }
}

/// Parses an issue date as people write it: `2024-01-16`, `2024/1/16`,
/// `2024.01.16`, `2024年1月16日`, `20240116`, optionally followed by a time.
pub(super) fn parse_issue_date(text: &str) -> Option<NaiveDate> {
    let text: String = trim(text).chars().map(fold).collect();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        let year = i32::try_from(number(0..4)?).ok()?;
        return NaiveDate::from_ymd_opt(year, number(4..6)?, number(6..8)?);
    }
    let mut fields = [0u32; 3];
    let mut rest = text.as_str();
    for (n, field) in fields.iter_mut().enumerate() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let max_digits = if n == 0 { 4 } else { 2 };
        if digits == 0 || digits > max_digits || (n == 0 && digits != 4) {
            return None;
        }
        *field = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let separator = match n {
            0 => ['-', '/', '.', '年']
                .iter()
                .find_map(|&s| rest.strip_prefix(s)),
            1 => ['-', '/', '.', '月']
                .iter()
                .find_map(|&s| rest.strip_prefix(s)),
            _ => Some(rest.strip_prefix(['日', '号']).unwrap_or(rest)),
        };
        rest = separator?;
    }
    if !(rest.is_empty() || rest.starts_with(['T', 't']) || rest.starts_with(is_space)) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(fields[0]).ok()?, fields[1], fields[2])
}

/// How the year of a `X月Y日` is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Year {
    /// `2023年12月28日`.
    Written(i32),
    /// `今年1月15日`: the issue's year.
    Current,
    /// `去年8月3日` and the like: not the event's date.
    Background,
    /// `1月15日`: from the issue date.
    Inferred,
}

/// A `X月Y日` found in a lede.
#[derive(Debug, Clone, Copy)]
struct MonthDay {
    year: Year,
    month: u32,
    day: u32,
    /// Char index where the written date starts (its year, if written).
    start: usize,
    /// Char index just past `日`.
    end: usize,
}

/// The `X月Y日` (or `X月Y号`) starting at char `i`, with what precedes it.
fn month_day_at(chars: &[char], i: usize) -> Option<MonthDay> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let (month, after_month) = number_at(chars, i, 2)?;
    if chars.get(after_month) != Some(&'月') {
        return None;
    }
    let (day, end) = match number_at(chars, after_month + 1, 2) {
        Some((day, after_day)) if matches!(chars.get(after_day), Some('日' | '号')) => {
            (day, after_day + 1)
        }
        Some(_) => return None,
        // `7月上旬`, `3月初`, `9月底`: a part of the month, dated by its
        // middle day so the month is right whatever the year rule does.
        // `截至10月底` is a statistic's cut-off, not the event.
        None if ["截至", "截止", "至", "到"]
            .iter()
            .any(|w| ends_with(&chars[..i], w)) =>
        {
            return None;
        }
        None => PART_OF_MONTH
            .iter()
            .find(|(word, _)| starts_with(chars, after_month + 1, word))
            .map(|(word, day)| (*day, after_month + 1 + word.chars().count()))?,
    };
    let mut start = i;
    let year =
        if i >= 5 && chars[i - 1] == '年' && chars[i - 5..i - 1].iter().all(char::is_ascii_digit) {
            start = i - 5;
            let year: String = chars[i - 5..i - 1].iter().collect();
            Year::Written(year.parse().ok()?)
        } else if i >= 2 && ends_with(&chars[..i], "今年") {
            Year::Current
        } else if BACKGROUND_YEARS.iter().any(|w| ends_with(&chars[..i], w)) {
            Year::Background
        } else {
            Year::Inferred
        };
    Some(MonthDay {
        year,
        month,
        day,
        start,
        end,
    })
}

/// A number of 1 to `max` ASCII digits at char `i`, and the index past it.
fn number_at(chars: &[char], i: usize, max: usize) -> Option<(u32, usize)> {
    let len = chars[i.min(chars.len())..]
        .iter()
        .take(max + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || len > max {
        return None;
    }
    let value = chars[i..i + len]
        .iter()
        .fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or(0));
    Some((value, i + len))
}

fn starts_with(chars: &[char], i: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(i + k) == Some(&w))
}

fn ends_with(chars: &[char], word: &str) -> bool {
    let n = word.chars().count();
    chars.len() >= n && starts_with(chars, chars.len() - n, word)
}

/// True at the text's start or after punctuation or a space, where `近日`
/// opens a clause (not inside `节日前夕` or `全市近期的`).
fn at_clause_start(chars: &[char], i: usize) -> bool {
    i == 0 || !chars[i - 1].is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn lede_date_table() {
        let jan16 = Some(ymd(2024, 1, 16));
        let cases = [
            (
                "为持续深化粤川交流合作,1月15日,四川省",
                jan16,
                LedeDate::Found(ymd(2024, 1, 15)),
            ),
            (
                "12月1日上午,东莞市总工会",
                Some(ymd(2023, 12, 6)),
                LedeDate::Found(ymd(2023, 12, 1)),
            ),
            (
                "12月28日,某某工会",
                jan16,
                LedeDate::Found(ymd(2023, 12, 28)),
            ),
            (
                "１月１２日，全角数字",
                jan16,
                LedeDate::Found(ymd(2024, 1, 12)),
            ),
            (
                "2023年12月28日,写明年份",
                jan16,
                LedeDate::Found(ymd(2023, 12, 28)),
            ),
            ("今年1月3日,今年", jan16, LedeDate::Found(ymd(2024, 1, 3))),
            (
                "近日,阳江市总工会召开2023年第四季度会议",
                jan16,
                LedeDate::Vague,
            ),
            ("为推动常态化、长效化,近日,茂名市", jan16, LedeDate::Vague),
            ("日前，某某工会1月2日", jan16, LedeDate::Vague),
            (
                "分析全市近期的形势,1月5日会议",
                jan16,
                LedeDate::Found(ymd(2024, 1, 5)),
            ),
            ("春节日前夕,1月5日", jan16, LedeDate::Found(ymd(2024, 1, 5))),
            (
                "去年8月3日立项,1月9日验收",
                jan16,
                LedeDate::Found(ymd(2024, 1, 9)),
            ),
            (
                "1949年10月1日以来,1月9日",
                jan16,
                LedeDate::Found(ymd(2024, 1, 9)),
            ),
            ("2024年,工会", jan16, LedeDate::Missing),
            ("去年8月,工会", jan16, LedeDate::Missing),
            ("截至10月底,全区", jan16, LedeDate::Missing),
            ("2月30日,某地", jan16, LedeDate::Invalid("2月30日".into())),
            ("13月1日", jan16, LedeDate::Invalid("13月1日".into())),
            (
                "1月15日,某地",
                None,
                LedeDate::YearUnknown("1月15日".into()),
            ),
            ("2月30日,某地", None, LedeDate::Invalid("2月30日".into())),
            (
                "2023年12月28日,某地",
                None,
                LedeDate::Found(ymd(2023, 12, 28)),
            ),
            (
                "11月29日晚,由江门市",
                Some(ymd(2023, 12, 6)),
                LedeDate::Found(ymd(2023, 11, 29)),
            ),
            ("11月20日号", jan16, LedeDate::Found(ymd(2023, 11, 20))),
            ("123月4日,不是日期", jan16, LedeDate::Missing),
            ("", jan16, LedeDate::Missing),
            ("1月", jan16, LedeDate::Missing),
        ];
        for (lede, issue, expected) in cases {
            assert_eq!(
                lede_date(lede, issue, None),
                expected,
                "lede_date({lede:?}, {issue:?})"
            );
        }
    }

    #[test]
    fn a_pasted_lede_takes_the_latest_year_not_after_the_push() {
        let pushed = Some(ymd(2026, 12, 1));
        let cases = [
            ("8月 2 日，某地", LedeDate::Found(ymd(2026, 8, 2))),
            ("12月28日，某地", LedeDate::Found(ymd(2025, 12, 28))),
            ("12月1日上午", LedeDate::Found(ymd(2026, 12, 1))),
            ("今年3月2日", LedeDate::Found(ymd(2026, 3, 2))),
            ("2月29日", LedeDate::Invalid("2月29日".into())),
            ("7月上旬，乐昌市总工会", LedeDate::Found(ymd(2026, 7, 5))),
            ("3月初，某地", LedeDate::Found(ymd(2026, 3, 3))),
            ("12月底，某地", LedeDate::Found(ymd(2025, 12, 28))),
            ("7月，某地", LedeDate::Missing),
        ];
        for (lede, expected) in cases {
            assert_eq!(lede_date(lede, None, pushed), expected, "{lede}");
        }
        // An issue date, when known, still gives the year.
        assert_eq!(
            lede_date("12月28日", Some(ymd(2024, 1, 5)), pushed),
            LedeDate::Found(ymd(2023, 12, 28))
        );
    }

    #[test]
    fn printed_date_table() {
        let cases = [
            ("发布日期：2022-08-22 10:21", Some(ymd(2022, 8, 22))),
            ("时间：2023-5-24 08:10:44 来源：", Some(ymd(2023, 5, 24))),
            ("原创 某某工会 2024-03-06 18:30 广东", Some(ymd(2024, 3, 6))),
            (
                "2024年03月06日 08:32  来源：工人日报",
                Some(ymd(2024, 3, 6)),
            ),
            ("发表于 2012-1-11", Some(ymd(2012, 1, 11))),
            ("29.12.2014", Some(ymd(2014, 12, 29))),
            ("2014.12.29", Some(ymd(2014, 12, 29))),
            ("12/29/2014 14:05", Some(ymd(2014, 12, 29))),
            ("更新于 29/12/2014", Some(ymd(2014, 12, 29))),
            ("06/06/2023", Some(ymd(2023, 6, 6))),
            ("05/03/2014", None),
            ("12/29/20145", None),
            ("1/12/29/2014", None),
            ("13/13/2014", None),
            ("更新 5.3.2023 10:00", Some(ymd(2023, 3, 5))),
            ("版本 1.2.2014.5", None),
            ("3.5.20145", None),
            ("2024 年 3 月 6 日", Some(ymd(2024, 3, 6))),
            ("２０２４／３／６", Some(ymd(2024, 3, 6))),
            ("2024-03", None),
            ("12024-03-06", None),
            ("2024-02-30", None),
            ("2024-03/06", None),
            ("浏览次数：356", None),
        ];
        for (text, expected) in cases {
            assert_eq!(printed_date(text), expected, "printed_date({text:?})");
        }
    }

    #[test]
    fn issue_date_table() {
        let cases = [
            ("2024-01-16", Some(ymd(2024, 1, 16))),
            (" 2024/1/16 ", Some(ymd(2024, 1, 16))),
            ("2024.01.16", Some(ymd(2024, 1, 16))),
            ("2024年1月16日", Some(ymd(2024, 1, 16))),
            ("２０２４－０１－１６", Some(ymd(2024, 1, 16))),
            ("20240116", Some(ymd(2024, 1, 16))),
            ("2024-01-16T08:00:00+08:00", Some(ymd(2024, 1, 16))),
            ("2024-02-30", None),
            ("2024-13-01", None),
            ("24-01-16", None),
            ("2024-01", None),
            ("2024-01-16x", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_issue_date(text),
                expected,
                "parse_issue_date({text:?})"
            );
        }
    }
}
