//! The optional front matter block that opens a page file:
//!
//! ```text
//! ---
//! date: 2024-01-16        # issue date, YYYY-MM-DD
//! source: 职工报          # paper or bulletin name
//! page: 第3版             # page label
//! ---
//! ```
//!
//! Only these three keys mean something (with the aliases `issue_date`,
//! `paper`); other keys, `#` comments and quotes are tolerated. A block that
//! never closes ends after its last `key: value` line, so the page's headings
//! (which look like comments) are not swallowed.

use super::date::parse_issue_date;
use super::punctuation::{excerpt, trim};
use super::{Warning, WarningKind};
use chrono::NaiveDate;

/// What the front matter said, and where the page proper starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct FrontMatter {
    /// `date:`, when it parsed.
    pub date: Option<NaiveDate>,
    /// `source:` (or `paper:`).
    pub paper: Option<String>,
    /// `page:`.
    pub page: Option<String>,
    /// Index (0-based) of the first line after the block; 0 without one.
    pub body_start: usize,
}

/// Reads the front matter at the top of `lines`, if there is one; problems
/// become warnings, never errors.
pub(super) fn read(lines: &[&str], warnings: &mut Vec<Warning>) -> FrontMatter {
    let mut front = FrontMatter::default();
    let Some(open) = lines.iter().position(|l| !trim(l).is_empty()) else {
        return front;
    };
    if !is_fence(lines[open]) {
        return front;
    }

    let mut entries = Vec::new();
    let mut close = None;
    for (i, line) in lines.iter().enumerate().skip(open + 1) {
        let line = trim(line);
        if is_fence(line) || line == "..." {
            close = Some(i);
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match entry(line) {
            Some((key, value)) => entries.push((i, key, value)),
            None => break,
        }
    }

    front.body_start = match close {
        Some(close) => close + 1,
        None => match entries.last() {
            Some(&(last, _, _)) => {
                warnings.push(Warning::new(open + 1, WarningKind::FrontMatterUnclosed));
                last + 1
            }
            None => {
                warnings.push(Warning::new(open + 1, WarningKind::NotFrontMatter));
                open + 1
            }
        },
    };

    for (i, key, value) in entries {
        let value = value.filter(|v| !v.is_empty());
        match key.to_ascii_lowercase().as_str() {
            "date" | "issue_date" | "issue-date" | "issue" => {
                let Some(value) = value else { continue };
                match parse_issue_date(&value) {
                    Some(date) => front.date = Some(date),
                    None => warnings.push(Warning::new(
                        i + 1,
                        WarningKind::BadIssueDate {
                            value: excerpt(&value, 30),
                        },
                    )),
                }
            }
            "source" | "paper" => front.paper = value.or(front.paper),
            "page" => front.page = value.or(front.page),
            _ => {}
        }
    }
    front
}

/// `---` (three or more dashes) alone on a line.
fn is_fence(line: &str) -> bool {
    let line = trim(line);
    line.len() >= 3 && line.bytes().all(|b| b == b'-')
}

/// A `key: value` line: an ASCII key, a colon of either width, and a value
/// that may be quoted or followed by a ` # comment`. `None` when the line is
/// not one.
fn entry(line: &str) -> Option<(&str, Option<String>)> {
    let key_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(line.len());
    let key = &line[..key_end];
    if key.is_empty() || key.len() > 32 {
        return None;
    }
    let rest = trim(&line[key_end..]);
    let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some((key, value_text(trim(value))))
}

/// The value of an entry: the inside of its quotes, or the text before a
/// comment.
fn value_text(value: &str) -> Option<String> {
    let mut chars = value.chars();
    if let Some(quote @ ('"' | '\'' | '“' | '‘')) = chars.next() {
        let closing = match quote {
            '“' => '”',
            '‘' => '’',
            q => q,
        };
        let inside = chars.as_str();
        let end = inside.find(closing).unwrap_or(inside.len());
        return Some(trim(&inside[..end]).to_string());
    }
    let mut end = value.len();
    for (i, c) in value.char_indices() {
        if (c == '#' || c == '＃') && (i == 0 || value[..i].ends_with(char::is_whitespace)) {
            end = i;
            break;
        }
    }
    let value = trim(&value[..end]);
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::lines::split;

    fn read_text(text: &str) -> (FrontMatter, Vec<Warning>) {
        let mut warnings = Vec::new();
        let front = read(&split(text), &mut warnings);
        (front, warnings)
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn front_matter_table() {
        struct Case {
            name: &'static str,
            text: &'static str,
            date: Option<NaiveDate>,
            paper: Option<&'static str>,
            page: Option<&'static str>,
            body_start: usize,
            warnings: usize,
        }
        let cases = [
            Case {
                name: "the documented layout with comments",
                text: "---\ndate: 2024-01-16        # issue date, YYYY-MM-DD\nsource: 职工报          # paper\npage: 第3版             # page label\n---\n# 标题",
                date: date(2024, 1, 16),
                paper: Some("职工报"),
                page: Some("第3版"),
                body_start: 5,
                warnings: 0,
            },
            Case {
                name: "quotes, extra keys, comment lines, CRLF, full-width colon",
                text: "\r\n---\r\n# a comment\r\ntitle: \"x\"\r\ndate: '2023/11/8'\r\nsource：\"南方工报 # not a comment\"\r\n---\r\n正文",
                date: date(2023, 11, 8),
                paper: Some("南方工报 # not a comment"),
                page: None,
                body_start: 7,
                warnings: 0,
            },
            Case {
                name: "a bad date is a warning",
                text: "---\ndate: 2024-02-30\npage: 2\n---\n",
                date: None,
                paper: None,
                page: Some("2"),
                body_start: 4,
                warnings: 1,
            },
            Case {
                name: "never closed: the page starts after the last entry",
                text: "---\ndate: 2024-01-16\n\n## 虎门镇总工会\n# 标题\n正文。",
                date: date(2024, 1, 16),
                paper: None,
                page: None,
                body_start: 2,
                warnings: 1,
            },
            Case {
                name: "a stray rule at the top is not front matter",
                text: "---\n# 标题\n正文。",
                date: None,
                paper: None,
                page: None,
                body_start: 1,
                warnings: 1,
            },
            Case {
                name: "no front matter",
                text: "\n\n# 标题\n---\n正文。",
                date: None,
                paper: None,
                page: None,
                body_start: 0,
                warnings: 0,
            },
            Case {
                name: "empty values are gaps",
                text: "---\ndate:\nsource: \"\"\npage:   # none\n---",
                date: None,
                paper: None,
                page: None,
                body_start: 5,
                warnings: 0,
            },
        ];
        for case in cases {
            let (front, warnings) = read_text(case.text);
            let name = case.name;
            assert_eq!(front.date, case.date, "{name}: date");
            assert_eq!(front.paper.as_deref(), case.paper, "{name}: paper");
            assert_eq!(front.page.as_deref(), case.page, "{name}: page");
            assert_eq!(front.body_start, case.body_start, "{name}: body_start");
            assert_eq!(
                warnings.len(),
                case.warnings,
                "{name}: warnings {warnings:?}"
            );
        }
    }
}
