//! Domain types: an article as the paper printed it, plain data with no I/O.
//!
//! Everything here is built by the page parser ([`crate::page`]) or read back
//! from the store; nothing in this module touches the disk, the index or the
//! network.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Short, stable identifier of an article: the first 8 hex digits of a hash of
/// its normalised headline and body, so the same article pasted twice (with
/// other whitespace or punctuation widths) gets the same id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId(String);

impl ArticleId {
    /// Number of hex digits in an id.
    pub const LEN: usize = 8;

    /// Computes the id of an article from the fingerprints of its headline
    /// and paragraphs, in that order: their text reduced to letters and
    /// digits, normalised (`page::article_id` makes them), so the same
    /// article pasted twice with other whitespace or punctuation widths keeps
    /// its id.
    pub fn from_fingerprints<'a>(parts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut hasher = Sha256::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                hasher.update([0u8]);
            }
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut id = hex::encode(&digest[..Self::LEN / 2]);
        id.truncate(Self::LEN);
        ArticleId(id)
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
    /// Prefecture cities where the events happen, most important first.
    pub cities: Vec<City>,
    /// Paper, issue date and page.
    pub source: Source,
}

impl Article {
    /// The date used for sorting: the article's own date, else its issue date.
    pub fn sort_date(&self) -> Option<NaiveDate> {
        self.date.or(self.source.issue_date)
    }

    /// The body as one text, paragraphs separated by newlines.
    pub fn body_text(&self) -> String {
        self.paragraphs.join("\n")
    }
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
            id: ArticleId::from_fingerprints(
                std::iter::once(headline).chain(paragraphs.iter().map(String::as_str)),
            ),
            title: TitleBlock {
                headline: headline.into(),
                ..Default::default()
            },
            paragraphs,
            byline: Byline::default(),
            date: date.parse().ok(),
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
}
