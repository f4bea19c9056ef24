//! Domain types: an article as the paper printed it, plain data with no I/O.
//!
//! Everything here is built by the page parser ([`crate::page`]) or read back
//! from the store; nothing in this module touches the disk, the index or the
//! network.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Short identifier of an article, allocated by the store at the article's
/// first push and never changed (corrections keep it): 8 hex digits, short
/// enough to type after `/article`. Ids given before the store allocated
/// them (a hash of the text) keep their value; the store checks every new
/// one against them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId(String);

impl ArticleId {
    /// Number of hex digits in an id.
    pub const LEN: usize = 8;

    /// The id of an article not yet stored: the store replaces it with the
    /// one it allocates, and never allocates this one.
    pub fn unassigned() -> Self {
        ArticleId("0".repeat(Self::LEN))
    }

    /// True for [`Self::unassigned`].
    pub fn is_unassigned(&self) -> bool {
        self.0.bytes().all(|b| b == b'0')
    }

    /// The id of allocation number `n` (1, 2, 3 …): `n` times an odd
    /// constant, modulo 2³², as hex. Multiplying by an odd number permutes
    /// the 32-bit numbers, so distinct numbers give distinct ids (unique by
    /// construction, up to 2³² articles) that do not look sequential; number 0
    /// (and only it) gives [`Self::unassigned`].
    pub fn allocated(n: u64) -> Self {
        const ODD: u32 = 0x9E37_79B1;
        ArticleId(format!("{:08x}", (n as u32).wrapping_mul(ODD)))
    }

    /// Parses an id typed by a member (`/article 3fa9c2d1`, upper or lower case,
    /// with or without a leading `#`); `None` when it cannot be an id.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches('#').to_ascii_lowercase();
        (text.len() == Self::LEN && text.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(ArticleId(text))
    }

    /// The id as text (8 lower-case hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What recognises an article pasted again: a SHA-256 (64 hex digits) of
/// its headline and paragraphs reduced to letters and digits and
/// normalised (`page::fingerprint` makes it), so the same text with other
/// whitespace or punctuation widths has the same fingerprint. Full length:
/// two distinct articles never share one in practice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(String);

impl Fingerprint {
    /// The fingerprint of an article's normalised parts (headline first,
    /// then paragraphs).
    pub fn of_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut hasher = Sha256::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                hasher.update([0u8]);
            }
            hasher.update(part.as_bytes());
        }
        Fingerprint(hex::encode(hasher.finalize()))
    }

    /// The fingerprint as stored (64 lower-case hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An article's heading lines, kept apart as the page printed them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleBlock {
    /// A topic line above the headline (`工会助力"百千万工程"`).
    pub kicker: Option<String>,
    /// The organisation line (`云浮市云城区总工会`).
    pub organisation: Option<String>,
    /// The main headline.
    pub headline: String,
    /// A line under the headline (`将健全完善跨省城际间职工服务工作机制`).
    pub subtitle: Option<String>,
}

impl TitleBlock {
    /// Every heading line in page order, for indexing and place detection.
    pub fn lines(&self) -> Vec<&str> {
        [
            self.kicker.as_deref(),
            self.organisation.as_deref(),
            Some(self.headline.as_str()),
            self.subtitle.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Who wrote the article, parsed from `本报讯(全媒体记者林婷玉 通讯员安磊)` and a
/// closing credit such as `(阳江工)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Byline {
    /// Staff reporters (记者, 全媒体记者, 本报记者 …).
    pub reporters: Vec<String>,
    /// Correspondents (通讯员).
    pub correspondents: Vec<String>,
    /// The closing credit, without its parentheses (`阳江工`).
    pub credit: Option<String>,
}

impl Byline {
    /// True when nobody is named.
    pub fn is_empty(&self) -> bool {
        self.reporters.is_empty() && self.correspondents.is_empty() && self.credit.is_none()
    }
}

/// Where an article was printed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The paper or bulletin (`职工报`).
    pub paper: Option<String>,
    /// The issue date.
    pub issue_date: Option<NaiveDate>,
    /// The page label (`第3版`).
    pub page: Option<String>,
    /// The web address the article was fetched from (`/push https://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A prefecture-level city (地级市, or a municipality) as the gazetteer knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct City {
    /// GB/T 2260 prefecture code, 4 digits (`4408`).
    pub code: u32,
    /// Full name (`湛江市`).
    pub name: String,
    /// Province name (`广东省`).
    pub province: String,
}

impl City {
    /// The name without its administrative suffix (`湛江`).
    pub fn short_name(&self) -> &str {
        crate::place_name::strip_suffix(&self.name)
    }
}

/// One article, complete: what the store keeps and the index is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Stable short id.
    pub id: ArticleId,
    /// Heading lines.
    pub title: TitleBlock,
    /// Body paragraphs, rejoined across column breaks, byline and credit removed.
    pub paragraphs: Vec<String>,
    /// Reporters, correspondents, credit.
    pub byline: Byline,
    /// The date of the events (`1月15日` in the lede), else the issue date.
    pub date: Option<NaiveDate>,
    /// The date the page was published (its printed 发布日期, else the
    /// issue date, else the day it was pushed); `None` for articles stored
    /// before the two dates were kept apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// True when `published` is only the day of the push: the page printed
    /// no date (the push report says so).
    #[serde(default, skip_serializing_if = "is_false")]
    pub published_is_push_day: bool,
    /// False when no date on the page gave the event's year and `date`
    /// holds the likeliest year (the push report asks for it); a year is
    /// never shown as known when it is not.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub event_year_known: bool,
    /// Photos pushed with the article: Telegram `file_id`s, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
    /// Prefecture cities where the events happen, most important first.
    pub cities: Vec<City>,
    /// Paper, issue date and page.
    pub source: Source,
}

impl Article {
    /// The date lists sort by: the date it was published, else the
    /// event's, else the issue date.
    pub fn sort_date(&self) -> Option<NaiveDate> {
        self.published.or(self.date).or(self.source.issue_date)
    }

    /// The date of the events it reports (what 上个月的活动 filters on),
    /// else the issue date.
    pub fn event_date(&self) -> Option<NaiveDate> {
        self.date.or(self.source.issue_date)
    }

    /// An article with nothing in it but an unassigned id: a base to fill.
    pub fn empty() -> Self {
        Article {
            id: ArticleId::unassigned(),
            title: TitleBlock::default(),
            paragraphs: Vec::new(),
            byline: Byline::default(),
            date: None,
            published: None,
            published_is_push_day: false,
            event_year_known: true,
            photos: Vec::new(),
            cities: Vec::new(),
            source: Source::default(),
        }
    }

    /// The body as one text, paragraphs separated by newlines.
    pub fn body_text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

fn is_false(value: &bool) -> bool {
    !value
}

fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// Builders for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// An article with just a headline, paragraphs, a date and city codes.
    pub(crate) fn article(
        headline: &str,
        paragraphs: &[&str],
        date: &str,
        cities: &[u32],
    ) -> Article {
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        Article {
            // Distinct per headline (the store allocates its own).
            id: ArticleId::allocated(
                headline
                    .bytes()
                    .fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
                    | 1,
            ),
            title: TitleBlock {
                headline: headline.into(),
                ..Default::default()
            },
            paragraphs,
            byline: Byline::default(),
            date: date.parse().ok(),
            published: None,
            published_is_push_day: false,
            event_year_known: true,
            photos: Vec::new(),
            cities: cities
                .iter()
                .map(|&code| City {
                    code,
                    name: String::new(),
                    province: String::new(),
                })
                .collect(),
            source: Source::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_parse_accepts_only_hex_of_the_right_length() {
        assert_eq!(
            ArticleId::parse(" #3FA9C2D1 ").unwrap().as_str(),
            "3fa9c2d1"
        );
        assert!(ArticleId::parse("3fa9c2d").is_none());
        assert!(ArticleId::parse("3fa9c2dz").is_none());
        assert!(ArticleId::parse("").is_none());
    }

    #[test]
    fn allocated_ids_are_distinct_and_never_the_unassigned_one() {
        let mut seen = std::collections::HashSet::new();
        for n in 1..200_000u64 {
            let id = ArticleId::allocated(n);
            assert!(!id.is_unassigned());
            assert_eq!(ArticleId::parse(id.as_str()), Some(id.clone()));
            assert!(seen.insert(id), "allocation {n} repeats an id");
        }
        assert!(ArticleId::allocated(0).is_unassigned());
    }
}
