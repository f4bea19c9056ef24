//! Body text → paragraphs, rejoined across column breaks.
//!
//! Each text line of the page is a piece of a paragraph. A piece that does not
//! end a sentence (`。！？!?；;…`, maybe followed by a closing quote or bracket,
//! or by a closing credit such as `(阳江工)`) was cut by a column break: the
//! next piece carries on the same paragraph, even mid-word (`助企` / `行`), and
//! is glued on with no space unless both sides are Latin letters or digits.
//! Pieces are never joined across a heading: the caller hands over one
//! article's pieces at a time.

use super::byline::split_credit;
use super::punctuation::{ends_sentence_before_credit, fold, glue, is_sentence_final};
use crate::zh::is_han;

/// One text line of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Piece {
    /// 1-based line number.
    pub line: usize,
    /// The line's text, trimmed and cleaned.
    pub text: String,
    /// A table's row (cells joined by ` | `): a paragraph of its own.
    pub row: bool,
}

/// A paragraph of an article, and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// 1-based line number of its first piece.
    pub line: usize,
    /// The text, original widths kept.
    pub text: String,
    /// A table's row, which no sentence ends.
    pub row: bool,
}

/// Joins an article's pieces into paragraphs: a piece that does not end a
/// sentence continues in the next one. A table's row is never glued to
/// its neighbours.
pub(super) fn paragraphs(pieces: Vec<Piece>) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    for piece in pieces {
        match out.last_mut() {
            Some(last) if !piece.row && !last.row && !ends_sentence(&last.text) => {
                glue(&mut last.text, &piece.text)
            }
            _ => out.push(Paragraph {
                line: piece.line,
                text: piece.text,
                row: piece.row,
            }),
        }
    }
    out
}

/// True when `text` ends a sentence: its last character, past any closing
/// quotes or brackets and any closing credit, is sentence-final punctuation.
pub(super) fn ends_sentence(text: &str) -> bool {
    split_credit(text).is_some() || ends_sentence_before_credit(text)
}

/// True when a piece of text reads like a headline that lost its `#`: short,
/// at least two Chinese characters, no sentence or clause punctuation, no
/// undecodable bytes, not a lede.
pub(super) fn looks_like_title(text: &str) -> bool {
    let length = text.chars().count();
    let han = text.chars().filter(|&c| is_han(c)).count();
    (2..=40).contains(&length)
        && han >= 2
        && !text.starts_with("本报")
        && !text.chars().any(|c| {
            c == char::REPLACEMENT_CHARACTER
                || is_sentence_final(c)
                || matches!(fold(c), ',' | '、' | ':' | '(' | ')')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(lines: &[&str]) -> Vec<Piece> {
        lines
            .iter()
            .enumerate()
            .map(|(i, text)| Piece {
                line: i + 1,
                text: text.to_string(),
                row: false,
            })
            .collect()
    }

    #[test]
    fn ends_sentence_table() {
        let cases = [
            ("签约。", true),
            ("新春祝福!", true),
            ("真的吗？", true),
            ("二要认真学习;", true),
            ("留下一段回忆……", true),
            ("“娘家人”。", true),
            ("他说:“很贴心。”", true),
            ("很实用。\"", true),
            ("（完）。）", true),
            ("新征程。(魏瑞远)", true),
            ("贡献工会力量。（鹤山工）  ", true),
            ("两地工会工作开展情况、", false),
            ("将持续深挖", false),
            ("“劳模工匠助企", false),
            ("被网友称为“菠萝的海”", false),
            ("各县(市、区)", false),
            ("纳入职工(劳模)", false),
            ("", false),
        ];
        for (text, expected) in cases {
            assert_eq!(ends_sentence(text), expected, "ends_sentence({text:?})");
        }
    }

    #[test]
    fn cut_paragraphs_are_rejoined() {
        let joined = paragraphs(pieces(&[
            "并就两地工会工作开展情况、",
            "先进经验进行了深入探讨。",
            "创新开展“劳模工匠助企",
            "行”、劳动和技能竞赛。(魏瑞远)",
            "Union members of",
            "Zhanjiang joined。",
        ]));
        let texts: Vec<(usize, &str)> = joined.iter().map(|p| (p.line, p.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                (1, "并就两地工会工作开展情况、先进经验进行了深入探讨。"),
                (3, "创新开展“劳模工匠助企行”、劳动和技能竞赛。(魏瑞远)"),
                (5, "Union members of Zhanjiang joined。"),
            ]
        );
    }

    #[test]
    fn a_cut_last_piece_stays_cut() {
        let joined = paragraphs(pieces(&["第一段。", "第二段没有结束"]));
        assert_eq!(joined.len(), 2);
        assert_eq!(joined[1].text, "第二段没有结束");
    }

    #[test]
    fn looks_like_title_table() {
        let cases = [
            ("潮州德阳两地工会签署友好合作协议", true),
            ("围绕中心任务 找准工会工作切入点", true),
            ("本报讯 近日,阳江市总工会召开会议。", false),
            ("两地工会工作开展情况、", false),
            ("(阳江工)", false),
            ("字", false),
            ("��PK", false),
            ("Union News", false),
        ];
        for (text, expected) in cases {
            assert_eq!(
                looks_like_title(text),
                expected,
                "looks_like_title({text:?})"
            );
        }
    }
}
