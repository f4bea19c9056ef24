//! Every date a document prints, and where it stood: in the header above
//! the headline, just under the headline (where papers and sites print the
//! publication date), in the body, or in the footer. Dates are taken as
//! printed; choosing which one dates the article is the paste reader's job.

use serde::{Deserialize, Serialize};

use super::HeadlineCandidate;

/// Where on the page a date stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DatePlace {
    /// Above the headline: a site's or paper's header (「2025年09月19日 星期五」).
    Header,
    /// Within two lines under the headline: the publication line.
    UnderHeadline,
    /// In the article's text (an event's date).
    Body,
    /// In the last lines: a footer, a 发布日期 at the foot.
    Footer,
}

/// A date as printed, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateSeen {
    /// The date as printed: `2025-02-18`, `2025年9月19日`, `29.12.2014`.
    pub text: String,
    /// Where it stood.
    pub place: DatePlace,
    /// Its line, counting from 0.
    pub line: usize,
}

/// Most dates kept: a page listing hundreds is not a news article.
const MAX_DATES: usize = 200;

/// The dates printed in `text` (one line per paragraph), placed relative to
/// the headline: the first line that equals a headline candidate, else the
/// first line.
pub fn dates_seen(text: &str, headlines: &[HeadlineCandidate]) -> Vec<DateSeen> {
    let lines: Vec<&str> = text.lines().collect();
    let headline_line = headlines
        .iter()
        .find_map(|h| lines.iter().position(|l| l.trim() == h.text.trim()))
        .unwrap_or(0);
    let footer_from = lines
        .len()
        .saturating_sub((lines.len() / 6).max(2))
        .max(headline_line + 4);
    let mut seen = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let place = if i < headline_line {
            DatePlace::Header
        } else if i <= headline_line + 2 {
            DatePlace::UnderHeadline
        } else if i >= footer_from {
            DatePlace::Footer
        } else {
            DatePlace::Body
        };
        for date in dates_in(line) {
            seen.push(DateSeen {
                text: date,
                place,
                line: i,
            });
            if seen.len() >= MAX_DATES {
                return seen;
            }
        }
    }
    seen
}

/// Dates with a year in one line: `2025-02-18`, `2025/2/18`, `2025.02.18`,
/// `2025年2月18日`, `29.12.2014`; digits full-width or not.
fn dates_in(line: &str) -> Vec<String> {
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        if let Some(end) = date_at(&chars, i) {
            found.push(chars[i..end].iter().collect());
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// The end of a date starting at `start`, if one does.
fn date_at(chars: &[char], start: usize) -> Option<usize> {
    let number = |from: usize| -> (usize, usize) {
        let mut end = from;
        while end < chars.len() && chars[end].is_ascii_digit() && end - from < 4 {
            end += 1;
        }
        let value = chars[from..end]
            .iter()
            .fold(0usize, |v, c| v * 10 + c.to_digit(10).unwrap_or(0) as usize);
        (end, value)
    };
    let (a_end, a) = number(start);
    let a_len = a_end - start;
    let sep = *chars.get(a_end)?;
    if !matches!(sep, '-' | '/' | '.' | '年') {
        return None;
    }
    let (b_end, b) = number(a_end + 1);
    if b_end == a_end + 1 {
        return None;
    }
    let sep2 = *chars.get(b_end)?;
    let expected = if sep == '年' { '月' } else { sep };
    if sep2 != expected {
        return None;
    }
    let (c_end, c) = number(b_end + 1);
    if c_end == b_end + 1 {
        return None;
    }
    let valid_year = |y: usize| (1949..=2100).contains(&y);
    let ok = if a_len == 4 {
        valid_year(a) && (1..=12).contains(&b) && (1..=31).contains(&c)
    } else {
        // Day first (29.12.2014).
        sep == '.'
            && c_end - (b_end + 1) == 4
            && valid_year(c)
            && (1..=12).contains(&b)
            && (1..=31).contains(&a)
    };
    if !ok {
        return None;
    }
    if sep == '年' && chars.get(c_end) == Some(&'日') {
        return Some(c_end + 1);
    }
    Some(c_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found_in_the_forms_pages_print() {
        let cases: [(&str, &[&str]); 6] = [
            ("发布日期：2025-02-18 10:21", &["2025-02-18"]),
            ("2025年09月19日 星期五", &["2025年09月19日"]),
            ("時間:2023-09-18", &["2023-09-18"]),
            ("29.12.2014 来源：本站", &["29.12.2014"]),
            ("２０２４年３月６日", &["2024年3月6日"]),
            ("电话 0759-12345678，第2版，3.5万元", &[]),
        ];
        for (line, want) in cases {
            assert_eq!(dates_in(line), want, "{line}");
        }
    }

    #[test]
    fn dates_are_placed_around_the_headline() {
        let text = "2025年09月19日 星期五\n某某网\n工会送清凉\n发布日期：2025-02-18\n第一段\n2月12日，工会……2024-01-01\n第三段\n第四段\n第五段\n第六段\n第七段\n版权所有 2025-03-01";
        let headlines = [HeadlineCandidate {
            text: "工会送清凉".into(),
            size: 1.5,
        }];
        let seen = dates_seen(text, &headlines);
        let placed: Vec<(&str, DatePlace)> =
            seen.iter().map(|d| (d.text.as_str(), d.place)).collect();
        assert_eq!(
            placed,
            [
                ("2025年09月19日", DatePlace::Header),
                ("2025-02-18", DatePlace::UnderHeadline),
                ("2024-01-01", DatePlace::Body),
                ("2025-03-01", DatePlace::Footer),
            ]
        );
    }
}
