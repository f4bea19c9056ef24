//! Small text helpers shared by the three extractors.

/// True for characters of the CJK scripts and their full-width punctuation,
/// between which a line break in the source is not a word space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x4DBF    // enclosed, compatibility, ext. A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // vertical forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // ext. B and later
}

/// Like [`is_cjk`], plus the quotes, dashes and ellipsis that Chinese text
/// borrows from general punctuation.
pub(crate) fn is_cjk_context(c: char) -> bool {
    is_cjk(c)
        || matches!(
            c,
            '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{2026}'
        )
}

/// Chinese (and Latin) punctuation that marks running prose.
pub(crate) fn is_prose_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '！' | '？' | '、' | ',' | ';' | '!' | '?'
    )
}

/// Whitespace as HTML and documents use it: Unicode whitespace, including
/// the no-break space and the ideographic space, plus zero-width characters.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Collapses runs of whitespace into one space, drops whitespace that only
/// wrapped a line between two CJK characters, and trims the ends.
#[derive(Default)]
pub(crate) struct LineBuilder {
    text: String,
    pending: Option<bool>, // Some(contains_newline) when whitespace is pending
    last: Option<char>,
    chars: usize,
}

impl LineBuilder {
    pub(crate) fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }

    pub(crate) fn push(&mut self, c: char) {
        if is_space(c) {
            if self.last.is_some() {
                let newline = matches!(c, '\n' | '\r');
                self.pending = Some(self.pending.unwrap_or(false) || newline);
            }
            return;
        }
        if let Some(newline) = self.pending.take() {
            let both_cjk = self.last.is_some_and(is_cjk_context) && is_cjk_context(c);
            if !(newline && both_cjk) {
                self.text.push(' ');
            }
        }
        self.text.push(c);
        self.last = Some(c);
        self.chars += 1;
    }

    /// Forces a word space (a tab or explicit space) before the next character.
    pub(crate) fn space(&mut self) {
        if self.last.is_some() {
            self.pending = Some(false);
        }
    }

    /// Number of non-space characters pushed so far.
    pub(crate) fn chars(&self) -> usize {
        self.chars
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Returns the line built so far and starts a new one.
    pub(crate) fn take(&mut self) -> String {
        self.pending = None;
        self.last = None;
        self.chars = 0;
        std::mem::take(&mut self.text)
    }
}

/// Counts non-space characters.
pub(crate) fn visible_len(s: &str) -> usize {
    s.chars().filter(|c| !is_space(*c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_builder_rules() {
        let mut b = LineBuilder::default();
        b.push_str("  　　我们\n  要 团结\u{a0}\u{a0}起来。 Hello\n world  ");
        assert_eq!(b.take(), "我们要 团结 起来。 Hello world");
        b.push_str("发布日期：2024-03-06\u{3000}\u{3000}来源：市总工会");
        assert_eq!(b.take(), "发布日期：2024-03-06 来源：市总工会");
        assert!(b.is_empty());
    }
}
