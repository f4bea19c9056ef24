//! Character classes the page parser decides on: spaces, sentence ends,
//! closing quotes and brackets, and the rule for gluing two pieces of text.
//!
//! Pages mix full-width and half-width punctuation (`,` beside `，`), so every
//! test here folds a character to its half-width form before comparing; the
//! text itself is never rewritten.

/// A character that only spaces text out: Unicode whitespace (tabs, the
/// ideographic space `U+3000`) plus the invisible marks PDF tools leave behind
/// (byte-order mark, zero-width space and joiners).
pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
        )
}

/// `text` without leading and trailing [`is_space`] characters.
pub(super) fn trim(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// The half-width form of a full-width ASCII variant (`，` → `,`, `（` → `(`,
/// `１` → `1`); every other character unchanged. The per-character twin of
/// [`crate::zh::fold_width`].
pub(super) fn fold(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Punctuation that ends a sentence, in either width: `。！？!?；;…` and the
/// period.
pub(super) fn is_sentence_final(c: char) -> bool {
    matches!(
        fold(c),
        '。' | '｡' | '!' | '?' | ';' | '…' | '.' | '‼' | '⁇'
    )
}

/// A closing quote or bracket that may follow a sentence end (`。”`, `！）`).
pub(super) fn is_closing(c: char) -> bool {
    matches!(
        fold(c),
        '”' | '’' | '"' | '\'' | '」' | '』' | ')' | '》' | '〉' | '】' | ']' | '〕' | '}'
    )
}

/// An opening parenthesis, either width.
pub(super) fn is_open_paren(c: char) -> bool {
    fold(c) == '('
}

/// A closing parenthesis, either width.
pub(super) fn is_close_paren(c: char) -> bool {
    fold(c) == ')'
}

/// A Latin letter or digit, either width: the characters between which a
/// space is a real word separator.
pub(super) fn is_latin_or_digit(c: char) -> bool {
    fold(c).is_ascii_alphanumeric()
}

/// Appends `next` to `text` as the same line of print: with no space in
/// between, unless both sides are Latin letters or digits.
pub(super) fn glue(text: &mut String, next: &str) {
    let needs_space = matches!(
        (text.chars().next_back(), next.chars().next()),
        (Some(a), Some(b)) if is_latin_or_digit(a) && is_latin_or_digit(b)
    );
    if needs_space {
        text.push(' ');
    }
    text.push_str(next);
}

/// `text` without control characters and invisible marks (tabs kept): what
/// a PDF step or a binary paste can leave that no reader should see.
pub(super) fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\t' || !(c.is_control() || (is_space(c) && !c.is_whitespace())))
        .collect()
}

/// The first `max` characters of `text`, with `…` when cut: to quote the
/// offending text in a warning without flooding it.
pub(super) fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The last `max` characters of `text`, with `…` before them when cut: to
/// quote where a paragraph stops.
pub(super) fn tail_excerpt(text: &str, max: usize) -> String {
    match text.char_indices().rev().nth(max.saturating_sub(1)) {
        Some((start, _)) if start > 0 => format!("…{}", &text[start..]),
        _ => text.to_string(),
    }
}

/// True when `text`'s last character, past at most a few closing quotes or
/// brackets, is sentence-final punctuation; a closing credit is not looked
/// through (so a run of credits cannot recurse).
pub(super) fn ends_sentence_before_credit(text: &str) -> bool {
    trim(text)
        .chars()
        .rev()
        .take(MAX_CLOSING + 1)
        .find(|&c| !is_closing(c))
        .is_some_and(is_sentence_final)
}

/// Most closing quotes and brackets looked through after a sentence end
/// (`。”）` is two); a bound keeps each check constant-time.
const MAX_CLOSING: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_widths_are_recognised() {
        let finals = ['。', '！', '!', '？', '?', '；', ';', '…', '.', '．'];
        for c in finals {
            assert!(is_sentence_final(c), "{c:?} ends a sentence");
        }
        for c in ['，', ',', '、', '：', ':', '工', 'a', '”', ')'] {
            assert!(!is_sentence_final(c), "{c:?} does not end a sentence");
        }
        for c in ['”', '"', '）', ')', '」', '》'] {
            assert!(is_closing(c), "{c:?} closes");
        }
        assert!(is_open_paren('（') && is_open_paren('('));
        assert!(is_close_paren('）') && is_close_paren(')'));
    }

    #[test]
    fn glue_spaces_only_between_latin_or_digits() {
        let cases = [
            ("助企", "行”、劳动", "助企行”、劳动"),
            ("技术", "创新难题。", "技术创新难题。"),
            ("入会", "4100余人", "入会4100余人"),
            ("the union", "members", "the union members"),
            ("共计 137", "万元", "共计 137万元"),
            ("版本2", "3", "版本2 3"),
            ("", "开头", "开头"),
        ];
        for (a, b, expected) in cases {
            let mut text = a.to_string();
            glue(&mut text, b);
            assert_eq!(text, expected, "glue({a:?}, {b:?})");
        }
    }

    #[test]
    fn clean_drops_controls_and_invisible_marks_but_keeps_text() {
        assert_eq!(
            clean("本报讯\u{0}\u{FEFF}近日\u{200B},\t工会"),
            "本报讯近日,\t工会"
        );
        assert_eq!(clean("全角\u{3000}空格"), "全角\u{3000}空格");
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        assert_eq!(excerpt("潮州德阳两地工会", 4), "潮州德阳…");
        assert_eq!(excerpt("短", 4), "短");
        assert_eq!(tail_excerpt("下一步将持续深挖", 4), "…持续深挖");
        assert_eq!(tail_excerpt("深挖", 4), "深挖");
        assert_eq!(tail_excerpt("持续深挖", 4), "持续深挖");
        assert_eq!(tail_excerpt("", 4), "");
    }
}
