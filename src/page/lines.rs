//! Page text → numbered lines, each a blank line, a heading or text.
//!
//! Any line ending is accepted (`\n`, `\r\n`, a lone `\r`) and a leading
//! byte-order mark is dropped, so line numbers in warnings match what an admin
//! sees in an editor.

use super::punctuation::{is_space, trim};

/// What one line of the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind<'a> {
    /// Nothing but spaces, or a horizontal rule (`---`, `***`).
    Blank,
    /// A `#` line: its level (number of `#`, 1–6) and its text, trimmed, which
    /// may be empty.
    Heading {
        /// 1 for `#`, 2 for `##` …
        level: usize,
        /// The heading's text without the marks.
        text: &'a str,
    },
    /// Body text, trimmed.
    Text(&'a str),
}

/// Splits page text into lines at `\n`, `\r\n` or a lone `\r`; line `i` of the
/// result is line `i + 1` of the page.
pub(super) fn split(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Both bytes are ASCII, so they never sit inside a multi-byte char.
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Tells what a line is.
///
/// A heading is 1–6 `#` (either width) followed by a space, the end of the
/// line, or text with no other `#` in it: `#标题` is a heading, the hashtag
/// `#话题#` is text. Closing marks (`## 标题 ##`) are dropped.
pub(super) fn classify(line: &str) -> LineKind<'_> {
    let line = trim(line);
    if line.is_empty() || is_rule(line) {
        return LineKind::Blank;
    }
    let marks = line.chars().take_while(|&c| is_hash(c)).count();
    if !(1..=6).contains(&marks) {
        return LineKind::Text(line);
    }
    let rest_start = line
        .char_indices()
        .nth(marks)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[rest_start..];
    let spaced = rest.chars().next().is_none_or(is_space);
    if !spaced && rest.contains(is_hash) {
        return LineKind::Text(line);
    }
    LineKind::Heading {
        level: marks,
        text: strip_closing_marks(trim(rest)),
    }
}

fn is_hash(c: char) -> bool {
    c == '#' || c == '＃'
}

/// `---`, `***`, `___`, `===` and the like: a separator, not text.
fn is_rule(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '-' | '*' | '_' | '=' | '—' | '－')
        && line.chars().count() >= 3
        && chars.all(|c| c == first)
}

/// A heading's text without trailing `#` marks, when they stand apart from it
/// (`标题 ##`) or are all there is.
fn strip_closing_marks(text: &str) -> &str {
    let without = text.trim_end_matches(is_hash);
    if without.len() == text.len() {
        return text;
    }
    if without.is_empty() || without.ends_with(is_space) {
        trim(without)
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_accepts_every_line_ending_and_drops_the_bom() {
        let cases: [(&str, &[&str]); 6] = [
            ("a\nb", &["a", "b"]),
            ("a\r\nb\r\n", &["a", "b"]),
            ("a\rb\r\rc", &["a", "b", "", "c"]),
            ("\u{FEFF}# 标题\n\n正文", &["# 标题", "", "正文"]),
            ("", &[]),
            ("\n\n", &["", ""]),
        ];
        for (text, expected) in cases {
            assert_eq!(split(text), expected, "split({text:?})");
        }
    }

    #[test]
    fn classify_table() {
        use LineKind::*;
        let cases = [
            ("", Blank),
            ("  \u{3000}\t", Blank),
            ("---", Blank),
            ("* * *", Text("* * *")),
            (
                "# 潮州德阳两地工会",
                Heading {
                    level: 1,
                    text: "潮州德阳两地工会",
                },
            ),
            (
                "## 将健全完善",
                Heading {
                    level: 2,
                    text: "将健全完善",
                },
            ),
            (
                "\u{3000}## 缩进的标题 ##",
                Heading {
                    level: 2,
                    text: "缩进的标题",
                },
            ),
            (
                "#无空格标题",
                Heading {
                    level: 1,
                    text: "无空格标题",
                },
            ),
            (
                "＃ 全角井号",
                Heading {
                    level: 1,
                    text: "全角井号",
                },
            ),
            ("###", Heading { level: 3, text: "" }),
            ("## ", Heading { level: 2, text: "" }),
            ("#话题# 正文", Text("#话题# 正文")),
            ("####### 七个", Text("####### 七个")),
            ("　　本报讯 近日,", Text("本报讯 近日,")),
            ("C# 语言", Text("C# 语言")),
        ];
        for (line, expected) in cases {
            assert_eq!(classify(line), expected, "classify({line:?})");
        }
    }
}
