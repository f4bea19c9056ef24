//! The body of a paste, the second stage: where it starts (the first line
//! of prose), which lines it keeps (text that is not the title block, not
//! above the headline and not past an end marker), and what trails it (the
//! account's name signed under it, teasers of other articles).

use super::classify::{Class, credit_line};
use super::headline::{ChosenTitle, is_account_name, is_headline_like};
use super::tables::Cell;
use super::{Paste, PasteLine, take_credits};
use crate::page::body::Piece;
use crate::page::punctuation::{fold, is_sentence_final, is_space, trim};
use crate::page::title::is_organisation;
use crate::page::words;
use crate::zh::is_han;
use crate::zh::simplified_chars;

/// Index of the body's first line: the first text line of prose.
pub(super) fn start(lines: &[PasteLine], classes: &[Class]) -> Option<usize> {
    lines
        .iter()
        .zip(classes)
        .position(|(line, class)| *class == Class::Text && is_prose(&line.text))
}

/// Keeps the body's lines in `paste.pieces` (a table's row as one piece,
/// [`super::tables`]), reads the meta and credit lines among them, and
/// counts every line dropped.
pub(super) fn gather(
    lines: &[PasteLine],
    classes: &[Class],
    cells: &[Cell],
    title: Option<&ChosenTitle>,
    body_start: Option<usize>,
    paste: &mut Paste,
) {
    let header_end = body_start.unwrap_or(lines.len());
    let (headline_index, used) = match title {
        Some(t) => (Some(t.headline), t.used.clone()),
        None => (None, Vec::new()),
    };
    let mut ended = false;
    let mut seen_body = false;
    for (i, (line, class)) in lines.iter().zip(classes).enumerate() {
        if used.contains(&i) {
            continue;
        }
        let before_headline = headline_index.is_some_and(|h| i < h);
        match &cells[i] {
            Cell::RowStart(row) if !ended && !before_headline => {
                seen_body = true;
                paste.pieces.push(Piece {
                    line: line.number,
                    text: row.clone(),
                    row: true,
                });
                continue;
            }
            Cell::RowRest if !ended && !before_headline => continue,
            _ => {}
        }
        match class {
            Class::Meta(meta) => {
                paste.removed += 1;
                take_credits(paste, meta, ended);
            }
            Class::Chrome | Class::Nav | Class::OriginalTitle(_) | Class::TitleField(_) => {
                paste.removed += 1
            }
            Class::End if seen_body => {
                ended = true;
                paste.removed += 1;
            }
            Class::End => paste.removed += 1,
            Class::Text if ended || before_headline => {
                paste.removed += 1;
                // A credit line after the end marker still names the source.
                if ended && let Class::Meta(meta) = credit_line(&line.text) {
                    take_credits(paste, &meta, false);
                }
            }
            Class::Text => {
                if i < header_end && is_account_name(&line.text) {
                    paste.removed += 1;
                    if paste.source.is_none() {
                        paste.source = Some(line.text.clone());
                    }
                    continue;
                }
                if let Class::Meta(meta) = credit_line(&line.text) {
                    paste.removed += 1;
                    take_credits(paste, &meta, false);
                    continue;
                }
                seen_body |= body_start.is_some_and(|b| i >= b);
                let text = without_captions(&without_tool_bar(&line.text));
                if text.is_empty() {
                    paste.removed += 1;
                    continue;
                }
                paste.pieces.push(Piece {
                    line: line.number,
                    text,
                    row: false,
                });
            }
        }
    }
}

/// Drops what trails the body: the account's name or the paper's, signed
/// under it; headlines of other articles left after it (a list whose
/// heading was lost). A table's row is the body's and stops the search.
pub(super) fn drop_trailers(paste: &mut Paste) {
    let prose_pieces = paste.pieces.iter().filter(|p| is_prose(&p.text)).count();
    let mut trailing_prose = prose_pieces;
    while let Some(last) = paste.pieces.last().filter(|p| !p.row) {
        let teaser = trailing_prose > 0 && !is_prose(&last.text) && is_headline_like(&last.text);
        if teaser || is_organisation(&last.text) || is_account_name(&last.text) {
            if is_prose(&last.text) {
                trailing_prose -= 1;
            }
            paste.pieces.pop();
            paste.removed += 1;
        } else {
            break;
        }
    }
}

/// A line of prose: a sentence ended by `。`, or a long line with commas.
pub(super) fn is_prose(text: &str) -> bool {
    let han = text.chars().filter(|&c| is_han(c)).count();
    if han < 8 {
        return false;
    }
    let folded: String = text.chars().map(fold).collect();
    let full_stops = folded.matches('。').count();
    let commas = folded.matches([',', ';']).count();
    let length = folded.chars().count();
    (full_stops >= 1 && (length >= 24 || !folded.ends_with('。') || full_stops >= 2))
        || (commas >= 2 && length >= 45)
        || length > 80
}

/// `text` without a print or font bar glued before it (`【字号 大 中 小】
/// 11月1日…`, `打印本页 关闭窗口 6月20日…`): the leading words made only of
/// page tools, brackets and colons, when one of them is a tool of two
/// characters or more (a lone `大` may open a sentence).
fn without_tool_bar(text: &str) -> String {
    let simple: String = simplified_chars(text).chars().map(fold).collect();
    let mut cut = 0;
    let mut real_tool = false;
    let mut at = 0;
    for word in simple.split(is_space) {
        let start = at;
        at += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let mut rest = word.to_string();
        for tool in words::PAGE_TOOLS.iter() {
            if rest.contains(tool) {
                real_tool |= tool.chars().count() >= 2;
                rest = rest.replace(tool, "");
            }
        }
        let bare = rest
            .chars()
            .all(|c| matches!(c, '【' | '】' | '[' | ']' | ':' | '|' | '(' | ')'));
        if !bare {
            break;
        }
        cut = start + word.len();
    }
    if !real_tool || cut == 0 {
        return text.to_string();
    }
    // `simple` has the same characters as `text`, one for one.
    let chars = simple[..cut.min(simple.len())].chars().count();
    trim(&text.chars().skip(chars).collect::<String>()).to_string()
}

/// `text` without the photo captions glued into it: a sentence opening
/// with `图为`, and a short sentence followed by a photo credit
/// (`参赛选手正在比拼。某某总工会供图`, `…休息。（记者 某某 摄）`,
/// `…现场。张三 摄`), both caption and credit.
fn without_captions(text: &str) -> String {
    let simple: Vec<char> = simplified_chars(text).chars().map(fold).collect();
    let original: Vec<char> = text.chars().collect();
    if simple.len() != original.len() {
        return text.to_string();
    }
    // Sentences: runs ending at sentence-final punctuation (and closing
    // quotes after it).
    let mut sentences: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (i, &c) in simple.iter().enumerate() {
        if is_sentence_final(c) && simple.get(i + 1).is_none_or(|&n| !is_sentence_final(n)) {
            sentences.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < simple.len() {
        sentences.push((start, simple.len()));
    }
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    for (n, &(from, to)) in sentences.iter().enumerate() {
        let sentence: String = simple[from..to].iter().collect();
        let opening = trim(&sentence);
        if opening.starts_with("图为") && to - from <= 80 {
            dropped.push((from, to));
            continue;
        }
        let Some(credit) = credit_prefix(&simple[from..to]) else {
            continue;
        };
        dropped.push((from, from + credit));
        // The caption is the short sentence just before the credit.
        if n > 0 {
            let (caption_from, caption_to) = sentences[n - 1];
            let short = caption_to - caption_from <= 30;
            let plain = !simple[caption_from..caption_to].contains(&',');
            if short && plain && !dropped.contains(&(caption_from, caption_to)) {
                dropped.push((caption_from, caption_to));
            }
        }
    }
    if dropped.is_empty() {
        return text.to_string();
    }
    let kept: String = original
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.iter().any(|&(a, b)| (a..b).contains(i)))
        .map(|(_, c)| *c)
        .collect();
    trim(&kept).to_string()
}

/// The length of a photo credit opening `sentence`: `某某总工会供图`,
/// `张三 摄`, `（记者 张三 摄）`; at most 24 characters with no punctuation.
fn credit_prefix(sentence: &[char]) -> Option<usize> {
    let lead = sentence.iter().take_while(|&&c| is_space(c)).count();
    let rest = &sentence[lead..];
    if rest.first() == Some(&'(') {
        let close = rest.iter().take(26).position(|&c| c == ')')?;
        let inner: String = rest[1..close].iter().collect();
        let inner = trim(&inner);
        let credit = inner.ends_with("摄") || inner.ends_with("摄影") || inner.ends_with("供图");
        return credit.then_some(lead + close + 1);
    }
    let window: String = rest.iter().take(24).collect();
    let ends = [" 摄影", " 摄", "供图"]
        .iter()
        .filter_map(|mark| window.find(mark).map(|at| at + mark.len()))
        .min()?;
    let prefix = &window[..ends];
    let clean = !prefix
        .chars()
        .any(|c| is_sentence_final(c) || matches!(c, ',' | '、' | ':' | '“' | '”' | '"'));
    let letters = prefix.chars().filter(|c| c.is_alphabetic()).count();
    (clean && letters >= 3).then(|| lead + prefix.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_glued_into_sentences_are_taken_out() {
        let cases = [
            (
                "参赛选手正在比拼。某某镇总工会供图经过半天的角逐，三人获得第一名。",
                "经过半天的角逐，三人获得第一名。",
            ),
            (
                "骑手在领证现场。（记者 覃海 摄）35岁的他送外卖已经六年。",
                "35岁的他送外卖已经六年。",
            ),
            (
                "已设立15个暖心站。图为环卫工人在暖心站内吃早餐。据统计，已服务1.2万人次。",
                "已设立15个暖心站。据统计，已服务1.2万人次。",
            ),
            (
                "焊工比賽現場。（記者 梁志華 攝）比賽中，選手們完成工件。",
                "比賽中，選手們完成工件。",
            ),
            (
                "王师傅拍摄的照片获得一等奖。",
                "王师傅拍摄的照片获得一等奖。",
            ),
        ];
        for (text, kept) in cases {
            assert_eq!(without_captions(text), kept, "case {text}");
        }
    }

    #[test]
    fn a_print_or_font_bar_glued_before_the_lede_is_taken_off() {
        let cases = [
            (
                "【字号 大 中 小】 11月1日，县总工会开展活动。",
                "11月1日，县总工会开展活动。",
            ),
            (
                "打印本页 关闭窗口 6月20日，大赛举行。",
                "6月20日，大赛举行。",
            ),
            (
                "字体大小：大 中 小 10月24日，比武开赛。",
                "10月24日，比武开赛。",
            ),
            ("大 中 小企业都参加了。", "大 中 小企业都参加了。"),
        ];
        for (text, kept) in cases {
            assert_eq!(without_tool_bar(text), kept, "case {text}");
        }
    }
}
