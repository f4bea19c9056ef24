//! How well admins' pastes are understood: each file of a paste folder
//! (`tests/data/pastes/*/`) is ingested as an admin's push on a fixed day,
//! and what was stored is compared with the folder's `manifest.tsv`
//! (`file  headline  month  city  clutter`, one row per article).
//!
//! Measures, over the manifest's articles: stored as exactly as many
//! articles as the file holds, the right headline, the right year and month
//! (`?-MM` means the latest year not after the push), none dated after the
//! push, the right first city, and no clutter substring in the stored
//! headline or body. A folder may also hold `tables.tsv` (`file  row`, one line
//! per table row that must survive, its cells joined by ` | `): a row is kept
//! when the stored headline or body of the file's articles contains it. Each
//! file can first be re-encoded or re-made ([`Delivery`]) and written to disk,
//! so the same measures hold for files read by `ingest`.

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;
use union_news_bot::desk::NewsDesk;
use union_news_bot::page::PageDefaults;

/// The day every paste is pushed on.
pub const PUSH_DAY: (i32, u32, u32) = (2026, 12, 1);

/// One manifest row: an article a paste holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The paste's file name.
    pub file: String,
    /// The headline a reader sees.
    pub headline: String,
    /// Year (`None` for `?`) and month.
    pub month: (Option<i32>, u32),
    /// The first city's short name, `None` for `-`.
    pub city: Option<String>,
    /// Substrings of clutter that must not be stored.
    pub clutter: Vec<String>,
}

/// Reads a manifest (header line first; blank lines skipped).
pub fn parse_manifest(text: &str) -> Vec<Expected> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let (year, month) = cols.get(2)?.split_once('-')?;
            Some(Expected {
                file: cols.first()?.to_string(),
                headline: cols.get(1)?.to_string(),
                month: (year.parse().ok(), month.parse().ok()?),
                city: cols
                    .get(3)
                    .map(|c| c.trim())
                    .filter(|c| !c.is_empty() && *c != "-")
                    .map(str::to_string),
                clutter: cols
                    .get(4)
                    .map(|c| {
                        c.split(" | ")
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// Reads a `tables.tsv` (header line first; blank lines skipped) into
/// `(file, row)` pairs.
pub fn parse_tables(text: &str) -> Vec<(String, String)> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let (file, row) = line.split_once('\t')?;
            Some((file.trim().to_string(), row.trim().to_string()))
        })
        .collect()
}

/// How a paste reaches the bot: pushed as text, or as a file in one of the
/// encodings and formats admins have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// As text, the way `/push` gets it.
    Pushed,
    /// A UTF-8 file with a byte-order mark and CRLF line ends.
    Utf8BomCrlf,
    /// A GBK file (what Chinese Windows editors save as 「ANSI」).
    Gbk,
    /// A GB18030 file.
    Gb18030,
    /// A UTF-16 little-endian file with its byte-order mark.
    Utf16Le,
    /// A UTF-16 big-endian file saved without a byte-order mark.
    Utf16BeNoMark,
    /// A Word file, one paragraph per line of the paste.
    Docx,
    /// A saved web page: the paste's lines as its article, inside a site's
    /// header, menu, breadcrumb, sidebar and footer.
    Html,
    /// A PDF with a text layer (skipped without the CJK fonts).
    Pdf,
}

impl Delivery {
    /// Every way a paste is tried.
    pub const ALL: [Delivery; 9] = [
        Delivery::Pushed,
        Delivery::Utf8BomCrlf,
        Delivery::Gbk,
        Delivery::Gb18030,
        Delivery::Utf16Le,
        Delivery::Utf16BeNoMark,
        Delivery::Docx,
        Delivery::Html,
        Delivery::Pdf,
    ];

    /// The file name a paste is written under in this form.
    pub fn file_name(self, file: &str) -> String {
        let stem = file.trim_end_matches(".txt");
        match self {
            Delivery::Docx => format!("{stem}.docx"),
            Delivery::Html => format!("{stem}.html"),
            Delivery::Pdf => format!("{stem}.pdf"),
            _ => file.to_string(),
        }
    }

    /// The paste's bytes in this encoding; `None` when it cannot hold the
    /// text (GBK has no emoji).
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        // A page in the paper's layout is a text file, not a Word or web page.
        let is_page = text.starts_with("---") || lines.iter().any(|l| l.starts_with("# "));
        match self {
            Delivery::Docx | Delivery::Html | Delivery::Pdf if is_page => None,
            Delivery::Docx => Some(union_news_testkit::documents::docx(&lines)),
            Delivery::Html => Some(union_news_testkit::documents::html_page(&lines).into_bytes()),
            Delivery::Pdf => union_news_testkit::documents::pdf(&lines),
            Delivery::Pushed => Some(text.as_bytes().to_vec()),
            Delivery::Utf8BomCrlf => {
                let mut out = "\u{feff}".as_bytes().to_vec();
                out.extend(text.replace('\n', "\r\n").as_bytes());
                Some(out)
            }
            Delivery::Gbk | Delivery::Gb18030 => {
                let encoding = if self == Delivery::Gbk {
                    encoding_rs::GBK
                } else {
                    encoding_rs::GB18030
                };
                let (bytes, _, unmappable) = encoding.encode(text);
                (!unmappable).then(|| bytes.into_owned())
            }
            Delivery::Utf16BeNoMark => {
                Some(text.encode_utf16().flat_map(u16::to_be_bytes).collect())
            }
            Delivery::Utf16Le => {
                let mut out = vec![0xFF, 0xFE];
                for unit in text.encode_utf16() {
                    out.extend(unit.to_le_bytes());
                }
                Some(out)
            }
        }
    }
}

/// Scores of one folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasteScore {
    /// Manifest articles.
    pub articles: usize,
    /// Files whose stored article count is the manifest's.
    pub files_right: usize,
    /// Files tried (a file an encoding cannot hold is not tried).
    pub files: usize,
    /// Articles stored under the right headline.
    pub headlines: usize,
    /// Articles dated in the right year and month.
    pub months: usize,
    /// Articles dated after the push.
    pub future: usize,
    /// Articles whose first city is the expected one (or none expected).
    pub cities: usize,
    /// Clutter substrings found in stored text.
    pub clutter_left: usize,
    /// Table rows of `tables.tsv` for the files tried.
    pub table_rows: usize,
    /// Those found in the stored text.
    pub table_rows_kept: usize,
    /// What went wrong, one line each, for whoever may read the folder.
    pub misses: Vec<String>,
}

impl PasteScore {
    /// Share of files stored as exactly their articles.
    pub fn one_article_rate(&self) -> f64 {
        ratio(self.files_right, self.files)
    }
    /// Share of articles with the right headline.
    pub fn headline_rate(&self) -> f64 {
        ratio(self.headlines, self.articles)
    }
    /// Share of articles with the right year and month.
    pub fn month_rate(&self) -> f64 {
        ratio(self.months, self.articles)
    }
    /// Share of articles with the right city.
    pub fn city_rate(&self) -> f64 {
        ratio(self.cities, self.articles)
    }

    /// The figures in one line (tables only for a folder that has them).
    pub fn render(&self) -> String {
        let mut line = format!(
            "files {} · one-article {:.3} · headline {:.3} · month {:.3} · future {} · city {:.3} · clutter left {}",
            self.files,
            self.one_article_rate(),
            self.headline_rate(),
            self.month_rate(),
            self.future,
            self.city_rate(),
            self.clutter_left
        );
        if self.table_rows > 0 {
            line.push_str(&format!(
                " · tables kept {}/{}",
                self.table_rows_kept, self.table_rows
            ));
        }
        line
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Ingests every file of `dir` listed in its manifest, each into a fresh
/// desk, as `delivery` says, and scores what was stored.
pub fn score_folder(dir: &Path, delivery: Delivery) -> PasteScore {
    score_folder_sample(dir, delivery, 1)
}

/// [`score_folder`] over every `every`-th file of the manifest only (the
/// first, then every `every`-th after it): a quicker look at a slow form.
pub fn score_folder_sample(dir: &Path, delivery: Delivery, every: usize) -> PasteScore {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("a manifest.tsv");
    let expected = parse_manifest(&manifest);
    let tables = std::fs::read_to_string(dir.join("tables.tsv"))
        .map(|t| parse_tables(&t))
        .unwrap_or_default();
    let mut by_file: BTreeMap<&str, Vec<&Expected>> = BTreeMap::new();
    for row in &expected {
        by_file.entry(row.file.as_str()).or_default().push(row);
    }
    let push_day = NaiveDate::from_ymd_opt(PUSH_DAY.0, PUSH_DAY.1, PUSH_DAY.2).expect("a date");
    let defaults = PageDefaults {
        today: Some(push_day),
        received: Some(push_day),
        ..PageDefaults::default()
    };
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let mut score = PasteScore::default();
    for (file, rows) in by_file.into_iter().step_by(every.max(1)) {
        let text = std::fs::read_to_string(dir.join(file)).expect("a paste file");
        let Some(bytes) = delivery.encode(&text) else {
            continue;
        };
        score.files += 1;
        score.articles += rows.len();
        let desk = NewsDesk::in_memory().expect("an in-memory desk");
        let report = if delivery == Delivery::Pushed {
            desk.ingest().text(&text, file, &defaults)
        } else {
            let path = scratch.path().join(delivery.file_name(file));
            std::fs::write(&path, &bytes).expect("a scratch file");
            desk.ingest().file(&path, &defaults)
        };
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                score.misses.push(format!("{file}: not ingested: {e}"));
                continue;
            }
        };
        let stored: Vec<_> = report
            .articles
            .iter()
            .filter_map(|a| desk.article(&a.id).ok().flatten())
            .collect();
        let stored_text: Vec<String> = stored
            .iter()
            .map(|a| format!("{}\n{}", a.title.lines().join("\n"), a.body_text()))
            .collect();
        for (_, row) in tables.iter().filter(|(f, _)| f == file) {
            score.table_rows += 1;
            if stored_text.iter().any(|t| t.contains(row.as_str())) {
                score.table_rows_kept += 1;
            } else {
                score.misses.push(format!("{file}: table row lost: {row}"));
            }
        }
        if stored.len() == rows.len() {
            score.files_right += 1;
        } else {
            score.misses.push(format!(
                "{file}: {} articles stored, {} expected: {:?}",
                stored.len(),
                rows.len(),
                stored.iter().map(|a| &a.title.headline).collect::<Vec<_>>()
            ));
        }
        for (n, row) in rows.iter().enumerate() {
            let found = stored
                .iter()
                .find(|a| a.title.headline == row.headline)
                .or_else(|| (stored.len() == rows.len()).then(|| &stored[n]));
            let Some(article) = found else {
                score
                    .misses
                    .push(format!("{file}: no article for {}", row.headline));
                continue;
            };
            // A PDF's fonts have no emoji: the headline is what they can show.
            // Word, web and PDF text comes with its spaces made ordinary ones.
            let is_document = matches!(delivery, Delivery::Docx | Delivery::Html | Delivery::Pdf);
            let spaced = |t: &str| {
                if is_document {
                    t.replace('\u{3000}', " ")
                } else {
                    t.to_string()
                }
            };
            let right = if delivery == Delivery::Pdf {
                without_symbols(&spaced(&article.title.headline))
                    == without_symbols(&spaced(&row.headline))
            } else {
                spaced(&article.title.headline) == spaced(&row.headline)
            };
            if right {
                score.headlines += 1;
            } else {
                score.misses.push(format!(
                    "{file}: headline {:?}, expected {:?}",
                    article.title.headline, row.headline
                ));
            }
            let date = article.event_date();
            if date.is_some_and(|d| d > push_day) {
                score.future += 1;
            }
            // `?-MM`: the latest year not after the push. The manifest gives
            // no day, so in the push's own month either year can be right.
            let want_year = row.month.0.unwrap_or(if row.month.1 > push_day.month() {
                push_day.year() - 1
            } else {
                push_day.year()
            });
            let year_ok = |year: i32| {
                year == want_year
                    || (row.month.0.is_none()
                        && row.month.1 == push_day.month()
                        && year == push_day.year() - 1)
            };
            if date.is_some_and(|d| year_ok(d.year()) && d.month() == row.month.1) {
                score.months += 1;
            } else {
                score.misses.push(format!(
                    "{file}: dated {date:?}, expected {want_year}-{:02}",
                    row.month.1
                ));
            }
            let city = article.cities.first().map(|c| c.short_name().to_string());
            if city == row.city || (row.city.is_none() && city.is_none()) {
                score.cities += 1;
            } else {
                score
                    .misses
                    .push(format!("{file}: city {city:?}, expected {:?}", row.city));
            }
            let text = format!(
                "{}\n{}",
                article.title.lines().join("\n"),
                article.body_text()
            );
            for clutter in &row.clutter {
                if text.contains(clutter.as_str()) {
                    score.clutter_left += 1;
                    score
                        .misses
                        .push(format!("{file}: clutter left: {clutter}"));
                }
            }
        }
    }
    score
}

/// Text without emoji and pictographs (and the spaces beside them).
fn without_symbols(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| !matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF | 0xFE0F))
        .collect();
    kept.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_rows_read_years_unknown_years_and_clutter() {
        let rows = parse_manifest(
            "file\theadline\tmonth\tcity\tclutter\n\
             a.txt\t标题\t2024-03\t湛江\t浏览次数 | 上一篇\n\
             b.txt\t另一个\t?-08\t-\t\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].month, (Some(2024), 3));
        assert_eq!(rows[0].clutter, vec!["浏览次数", "上一篇"]);
        assert_eq!(rows[1].month, (None, 8));
        assert_eq!(rows[1].city, None);
    }

    #[test]
    fn table_rows_read_their_file_and_cells() {
        let rows = parse_tables("file\trow\na.txt\t姓名 | 单位\n\nb.txt\t某某工会\n");
        assert_eq!(
            rows,
            vec![
                ("a.txt".to_string(), "姓名 | 单位".to_string()),
                ("b.txt".to_string(), "某某工会".to_string()),
            ]
        );
    }

    #[test]
    fn gbk_cannot_hold_an_emoji_but_utf16_can() {
        assert!(Delivery::Gbk.encode("工会🔥").is_none());
        assert!(Delivery::Gb18030.encode("工会🔥").is_some());
        assert!(Delivery::Utf16Le.encode("工会🔥").is_some());
    }
}
