//! Time words in a question: `最近`, `上个月`, `今年`, `1月`, `2024年`,
//! `春节前`, `年底` … turned into a date range or a preference for recent news.
//!
//! Words are read without a calendar ([`TimeWords::find`]) and resolved
//! against a reference date ([`TimeWords::span`]): the day the bot answers,
//! or the newest article's date when the archive has not been fed for a while
//! (so `上个月` means the paper's last month, not an empty one).

use chrono::{Datelike, Duration, NaiveDate};

/// A time expression found in a question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeWords {
    /// The words as typed (normalised), for the reply: `上个月`, `2024年1月`.
    pub text: String,
    /// What they mean.
    pub expr: TimeExpr,
}

/// The meaning of a time expression, relative to a reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeExpr {
    /// `最近`, `最新`, `近期`: no range, newer articles rank higher.
    Recent,
    /// A calendar year given by an offset from the reference year (`今年` 0, `去年` -1).
    YearOffset(i32),
    /// A calendar year given in full (`2024年`).
    Year(i32),
    /// A month given by an offset from the reference month (`本月` 0, `上个月` -1).
    MonthOffset(i32),
    /// A month of a given year, or of the latest year in which it has begun (`1月`).
    Month {
        /// The year, when given.
        year: Option<i32>,
        /// 1–12.
        month: u32,
    },
    /// Days relative to the reference date, inclusive (`昨天` -1..-1, `这几天` -7..0).
    Days(i64, i64),
    /// A part of a year (`年底`), of the year at the given offset.
    PartOfYear {
        /// Offset from the reference year (`去年年底` -1).
        year_offset: i32,
        /// First month and day.
        from: MonthDay,
        /// Last month and day.
        to: MonthDay,
    },
    /// Around a holiday of the latest year in which it has begun.
    Holiday {
        /// Which holiday.
        holiday: Holiday,
        /// `前`: the weeks before it; `后`: the weeks after; else around it.
        side: Side,
    },
}

/// Holidays members date things by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Holiday {
    /// 春节 (lunar new year).
    SpringFestival,
    /// 元旦.
    NewYear,
    /// 五一, 劳动节.
    LabourDay,
    /// 国庆, 十一.
    NationalDay,
    /// 中秋.
    MidAutumn,
    /// 端午.
    DragonBoat,
}

/// Which side of a holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Side {
    /// `春节前`: the month before.
    Before,
    /// `春节期间`: ten days before to two weeks after.
    Around,
    /// `春节后`: the month after.
    After,
}

const RECENT: &[&str] = &[
    "最近",
    "近期",
    "近来",
    "最新",
    "新近",
    "前不久",
    "不久前",
    "近日",
    "日前",
    "这段时间",
    "前段时间",
    "刚刚",
];

/// Words with a fixed meaning, longest first where one contains another.
const FIXED: &[(&str, TimeExpr)] = &[
    ("前年", TimeExpr::YearOffset(-2)),
    ("去年", TimeExpr::YearOffset(-1)),
    ("今年", TimeExpr::YearOffset(0)),
    ("本年度", TimeExpr::YearOffset(0)),
    ("上个月", TimeExpr::MonthOffset(-1)),
    ("上月", TimeExpr::MonthOffset(-1)),
    ("这个月", TimeExpr::MonthOffset(0)),
    ("本月", TimeExpr::MonthOffset(0)),
    ("这几天", TimeExpr::Days(-7, 0)),
    ("这两天", TimeExpr::Days(-2, 0)),
    ("前天", TimeExpr::Days(-2, -2)),
    ("昨天", TimeExpr::Days(-1, -1)),
    ("今天", TimeExpr::Days(0, 0)),
    ("上周", TimeExpr::Days(-13, -7)),
    ("上个星期", TimeExpr::Days(-13, -7)),
    ("这周", TimeExpr::Days(-6, 0)),
    ("本周", TimeExpr::Days(-6, 0)),
    ("这个星期", TimeExpr::Days(-6, 0)),
];

/// A month and a day.
type MonthDay = (u32, u32);

const PARTS_OF_YEAR: &[(&str, MonthDay, MonthDay)] = &[
    ("上半年", (1, 1), (6, 30)),
    ("下半年", (7, 1), (12, 31)),
    ("年初", (1, 1), (2, 28)),
    ("年底", (11, 15), (12, 31)),
    ("年末", (11, 15), (12, 31)),
    ("年终", (11, 15), (12, 31)),
];

const HOLIDAYS: &[(&str, Holiday)] = &[
    ("春节", Holiday::SpringFestival),
    ("过年", Holiday::SpringFestival),
    ("新春", Holiday::SpringFestival),
    ("元旦", Holiday::NewYear),
    ("五一", Holiday::LabourDay),
    ("劳动节", Holiday::LabourDay),
    ("国庆", Holiday::NationalDay),
    ("中秋", Holiday::MidAutumn),
    ("端午", Holiday::DragonBoat),
];

impl TimeWords {
    /// The first time expression in a normalised question, if any. A month
    /// needs a digit or Chinese numeral right before `月` and no day after it
    /// (`1月11日` names a day, not a range to filter by).
    pub fn find(normalized: &str) -> Option<TimeWords> {
        let found = |text: &str, expr| {
            Some(TimeWords {
                text: text.to_string(),
                expr,
            })
        };
        if let Some(month) = Self::find_month(normalized) {
            return Some(month);
        }
        for (prefix, offset) in [("去年", -1), ("今年", 0), ("", 0)] {
            for &(word, from, to) in PARTS_OF_YEAR {
                let text = format!("{prefix}{word}");
                if normalized.contains(&text) {
                    let expr = TimeExpr::PartOfYear {
                        year_offset: offset,
                        from,
                        to,
                    };
                    return found(&text, expr);
                }
            }
        }
        for &(word, expr) in FIXED {
            if normalized.contains(word) {
                return found(word, expr);
            }
        }
        if let Some(year) = Self::find_year(normalized) {
            return Some(year);
        }
        for &(word, holiday) in HOLIDAYS {
            if let Some(at) = normalized.find(word) {
                let after = &normalized[at + word.len()..];
                let (side, text) = if after.starts_with("前") || after.starts_with("之前") {
                    (Side::Before, format!("{word}前"))
                } else if after.starts_with("后") || after.starts_with("之后") {
                    (Side::After, format!("{word}后"))
                } else if after.starts_with("期间") {
                    (Side::Around, format!("{word}期间"))
                } else {
                    // A bare holiday is mostly a topic (春节送温暖, 五一表彰),
                    // not a time to filter by.
                    continue;
                };
                return found(&text, TimeExpr::Holiday { holiday, side });
            }
        }
        RECENT
            .iter()
            .find(|w| normalized.contains(*w))
            .and_then(|w| found(w, TimeExpr::Recent))
    }

    fn find_month(normalized: &str) -> Option<TimeWords> {
        let chars: Vec<char> = normalized.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c != '月' || i == 0 {
                continue;
            }
            let mut start = i;
            while start > 0
                && (chars[start - 1].is_ascii_digit()
                    || "一二三四五六七八九十".contains(chars[start - 1]))
            {
                start -= 1;
            }
            let names_a_day = chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c));
            if start == i || names_a_day {
                continue;
            }
            let Some(month) = number(&chars[start..i].iter().collect::<String>())
                .filter(|m| (1..=12).contains(m))
            else {
                continue;
            };
            // `2024年1月`: the year belongs to it.
            let mut year = None;
            let mut text_start = start;
            if start >= 5 && chars[start - 1] == '年' {
                let digits: String = chars[start - 5..start - 1].iter().collect();
                if digits.chars().all(|c| c.is_ascii_digit()) {
                    year = digits.parse().ok();
                    text_start = start - 5;
                }
            }
            // `1月份`: the 份 belongs to it too, or it would be a topic word.
            let end = if chars.get(i + 1) == Some(&'份') {
                i + 1
            } else {
                i
            };
            let text: String = chars[text_start..=end].iter().collect();
            return Some(TimeWords {
                text,
                expr: TimeExpr::Month {
                    year,
                    month: month as u32,
                },
            });
        }
        None
    }

    fn find_year(normalized: &str) -> Option<TimeWords> {
        let chars: Vec<char> = normalized.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c != '年' || i < 4 {
                continue;
            }
            let digits: String = chars[i - 4..i].iter().collect();
            let before_is_digit = i > 4 && chars[i - 5].is_ascii_digit();
            // `2024年度` is what a contract covers, not when it was reported.
            let is_term = chars.get(i + 1) == Some(&'度');
            if before_is_digit || is_term || !digits.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let year: i32 = digits.parse().ok()?;
            if (1990..=2100).contains(&year) {
                return Some(TimeWords {
                    text: format!("{year}年"),
                    expr: TimeExpr::Year(year),
                });
            }
        }
        None
    }

    /// The inclusive date range the words mean, seen from `reference`; `None`
    /// for [`TimeExpr::Recent`], which ranks rather than filters.
    pub fn span(&self, reference: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let year = reference.year();
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        let month_span = |y: i32, m: u32| {
            let first = ymd(y, m, 1)?;
            let next = if m == 12 {
                ymd(y + 1, 1, 1)?
            } else {
                ymd(y, m + 1, 1)?
            };
            Some((first, next - Duration::days(1)))
        };
        match self.expr {
            TimeExpr::Recent => None,
            TimeExpr::YearOffset(offset) => {
                Some((ymd(year + offset, 1, 1)?, ymd(year + offset, 12, 31)?))
            }
            TimeExpr::Year(y) => Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?)),
            TimeExpr::MonthOffset(offset) => {
                let months = year * 12 + reference.month0() as i32 + offset;
                month_span(months.div_euclid(12), months.rem_euclid(12) as u32 + 1)
            }
            TimeExpr::Month {
                year: Some(y),
                month,
            } => month_span(y, month),
            TimeExpr::Month { year: None, month } => {
                let y = if month > reference.month() {
                    year - 1
                } else {
                    year
                };
                month_span(y, month)
            }
            TimeExpr::Days(from, to) => Some((
                reference + Duration::days(from),
                reference + Duration::days(to),
            )),
            TimeExpr::PartOfYear {
                year_offset,
                from,
                to,
            } => {
                let y = year + year_offset;
                let last_day = if to == (2, 28) {
                    month_span(y, 2)?.1
                } else {
                    ymd(y, to.0, to.1)?
                };
                Some((ymd(y, from.0, from.1)?, last_day))
            }
            TimeExpr::Holiday { holiday, side } => {
                let day = [year, year - 1]
                    .into_iter()
                    .filter_map(|y| holiday_date(holiday, y))
                    .find(|&d| d - Duration::days(31) <= reference)?;
                let (before, after) = match side {
                    Side::Before => (31, 0),
                    Side::Around => (10, 15),
                    Side::After => (0, 31),
                };
                Some((day - Duration::days(before), day + Duration::days(after)))
            }
        }
    }
}

/// A number written in digits or in Chinese numerals up to 99.
fn number(text: &str) -> Option<i64> {
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as i64);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', c] => Some(10 + digit(*c)?),
        [c, '十'] => Some(digit(*c)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// The day of a holiday in a year; lunar holidays from a table (2015–2040).
pub fn holiday_date(holiday: Holiday, year: i32) -> Option<NaiveDate> {
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let lunar = |table: &[(u32, u32)]| {
        let (m, d) = *table.get(usize::try_from(year - 2015).ok()?)?;
        fixed(m, d)
    };
    match holiday {
        Holiday::NewYear => fixed(1, 1),
        Holiday::LabourDay => fixed(5, 1),
        Holiday::NationalDay => fixed(10, 1),
        Holiday::SpringFestival => lunar(&SPRING_FESTIVAL),
        Holiday::MidAutumn => lunar(&MID_AUTUMN),
        Holiday::DragonBoat => lunar(&DRAGON_BOAT),
    }
}

/// 春节 (正月初一), 2015–2040.
const SPRING_FESTIVAL: [(u32, u32); 26] = [
    (2, 19),
    (2, 8),
    (1, 28),
    (2, 16),
    (2, 5),
    (1, 25),
    (2, 12),
    (2, 1),
    (1, 22),
    (2, 10),
    (1, 29),
    (2, 17),
    (2, 6),
    (1, 26),
    (2, 13),
    (2, 3),
    (1, 23),
    (2, 11),
    (1, 31),
    (2, 19),
    (2, 8),
    (1, 28),
    (2, 15),
    (2, 4),
    (1, 24),
    (2, 12),
];

/// 中秋 (八月十五), 2015–2040.
const MID_AUTUMN: [(u32, u32); 26] = [
    (9, 27),
    (9, 15),
    (10, 4),
    (9, 24),
    (9, 13),
    (10, 1),
    (9, 21),
    (9, 10),
    (9, 29),
    (9, 17),
    (10, 6),
    (9, 25),
    (9, 15),
    (10, 3),
    (9, 22),
    (9, 12),
    (10, 1),
    (9, 19),
    (9, 8),
    (9, 27),
    (9, 16),
    (10, 4),
    (9, 24),
    (9, 13),
    (10, 2),
    (9, 21),
];

/// 端午 (五月初五), 2015–2040.
const DRAGON_BOAT: [(u32, u32); 26] = [
    (6, 20),
    (6, 9),
    (5, 30),
    (6, 18),
    (6, 7),
    (6, 25),
    (6, 14),
    (6, 3),
    (6, 22),
    (6, 10),
    (5, 31),
    (6, 19),
    (6, 9),
    (5, 28),
    (6, 16),
    (6, 5),
    (6, 24),
    (6, 13),
    (6, 2),
    (6, 21),
    (6, 10),
    (5, 30),
    (6, 18),
    (6, 7),
    (6, 26),
    (6, 14),
];

/// The date time words are read against: `today`, unless the newest article
/// is more than a month older (an archive not fed lately, or the sample
/// corpus), then the newest article's date.
pub fn reference_date(today: NaiveDate, newest: Option<NaiveDate>) -> NaiveDate {
    match newest {
        Some(newest) if newest < today - Duration::days(31) => newest,
        _ => today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn span(question: &str, reference: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        TimeWords::find(question)
            .unwrap_or_else(|| panic!("no time words in {question}"))
            .span(reference)
    }

    #[test]
    fn relative_words_resolve_against_the_reference_date() {
        let today = date(2024, 1, 20);
        let cases = [
            (
                "东莞上个月有啥劳模活动",
                (date(2023, 12, 1), date(2023, 12, 31)),
            ),
            ("今年的职工疗休养", (date(2024, 1, 1), date(2024, 12, 31))),
            ("去年年底送温暖", (date(2023, 11, 15), date(2023, 12, 31))),
            ("这个月", (date(2024, 1, 1), date(2024, 1, 31))),
            ("昨天的新闻", (date(2024, 1, 19), date(2024, 1, 19))),
        ];
        for (question, expected) in cases {
            assert_eq!(span(question, today), Some(expected), "{question}");
        }
    }

    #[test]
    fn a_month_is_of_the_latest_year_it_has_begun_in() {
        let today = date(2024, 1, 20);
        assert_eq!(
            span("12月 湛江 工会", today),
            Some((date(2023, 12, 1), date(2023, 12, 31)))
        );
        assert_eq!(
            span("一月份的活动", today),
            Some((date(2024, 1, 1), date(2024, 1, 31)))
        );
        assert_eq!(
            span("2023年11月 技能大赛", today),
            Some((date(2023, 11, 1), date(2023, 11, 30)))
        );
        assert_eq!(
            span("十二月", today),
            Some((date(2023, 12, 1), date(2023, 12, 31)))
        );
    }

    #[test]
    fn a_day_or_a_contract_year_is_not_a_range() {
        assert_eq!(TimeWords::find("1月11日湛江调研"), None);
        assert_eq!(TimeWords::find("2024年度最低工资"), None);
        assert_eq!(TimeWords::find("第十三届"), None);
    }

    #[test]
    fn holidays_use_the_lunar_table() {
        let reference = date(2024, 1, 20);
        // 2024's Spring Festival was on 10 February.
        assert_eq!(
            span("春节前 返乡车票", reference),
            Some((date(2024, 1, 10), date(2024, 2, 10)))
        );
        assert_eq!(
            holiday_date(Holiday::SpringFestival, 2025),
            Some(date(2025, 1, 29))
        );
        assert_eq!(
            holiday_date(Holiday::MidAutumn, 2023),
            Some(date(2023, 9, 29))
        );
        assert_eq!(holiday_date(Holiday::SpringFestival, 2099), None);
    }

    #[test]
    fn a_bare_holiday_is_a_topic_not_a_time() {
        assert_eq!(TimeWords::find("春节 送温暖"), None);
        assert_eq!(TimeWords::find("五一劳动节表彰"), None);
        let during = TimeWords::find("国庆期间 职工 活动").unwrap();
        assert_eq!(during.text, "国庆期间");
    }

    #[test]
    fn recent_words_rank_instead_of_filtering() {
        let words = TimeWords::find("湛江工会最近帮羽绒企业做了什么").unwrap();
        assert_eq!(words.expr, TimeExpr::Recent);
        assert_eq!(words.span(date(2024, 1, 20)), None);
    }

    #[test]
    fn the_reference_is_the_newest_article_when_the_archive_is_stale() {
        let today = date(2026, 11, 24);
        assert_eq!(
            reference_date(today, Some(date(2024, 1, 16))),
            date(2024, 1, 16)
        );
        assert_eq!(reference_date(today, Some(date(2026, 11, 20))), today);
        assert_eq!(reference_date(today, None), today);
    }
}
