//! Is this text language? The last check on what a file or a fetched page
//! gave before it is stored: binary data that a reader turned into
//! characters (a zip or an image named `.html`, random bytes named `.txt`, a
//! gzip body served as a web page) must never become an article that tops
//! `/latest` and goes to subscribers.
//!
//! The test is statistical and made for news text in Chinese (or a few
//! Latin words among it): it looks at the characters, never at one word.
//!
//! - **Control and replacement characters**: binary data decoded as text
//!   leaves C0/C1 controls, U+FFFD and private-use characters; real text has
//!   almost none.
//! - **Words**: a page needs some Han characters or Latin words (letters
//!   with a vowel, not runs of symbols).
//! - **Common characters**: random bytes read as GBK give Han characters
//!   too, but rare ones. In real Chinese (traditional converted first) most
//!   Han characters are among the 3,755 of GB2312's first level; in decoded
//!   noise about one in six is.
//! - **Scripts**: letters of scripts a union page does not mix (Cyrillic,
//!   Greek, Arabic, Hangul …) must not outweigh Han and Latin.

use serde::{Deserialize, Serialize};

/// Why a text is not language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum NotLanguage {
    /// Control characters, replacement characters or private-use
    /// characters: binary data read as text.
    #[error("{per_mille}‰ of its characters are control or replacement characters")]
    ControlCharacters {
        /// Their share, per thousand non-space characters.
        per_mille: u32,
    },
    /// No Han characters and no Latin words at all.
    #[error("it has no Chinese characters or words")]
    NoWords,
    /// Han characters, but mostly rare ones: noise decoded as GBK.
    #[error("only {percent}% of its Chinese characters are common ones")]
    RareCharacters {
        /// The share of common characters among the Han ones.
        percent: u32,
    },
    /// Many more symbols (`#$&*<=>@^_{}~`) than prose has: noise.
    #[error("{per_mille}‰ of its characters are symbols such as # $ & * < > @")]
    Symbols {
        /// Their share, per thousand non-space characters.
        per_mille: u32,
    },
    /// Mostly symbols and letters of unrelated scripts.
    #[error("only {percent}% of it is Chinese characters, Latin words or punctuation")]
    MixedScripts {
        /// The share of Han, Latin-word, digit and punctuation characters.
        percent: u32,
    },
}

/// Fewer characters than this are not judged.
const MIN_JUDGED: usize = 40;

/// How many characters are looked at: enough for a verdict, bounded in time
/// for a 2 MB text.
const SAMPLE_CHARS: usize = 40_000;

/// Checks that `text` reads as language; `Err` says why not.
///
/// An empty text passes: the readers report an empty document themselves.
pub fn check(text: &str) -> Result<(), NotLanguage> {
    let mut counts = Counts::default();
    for word in text
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .take(SAMPLE_CHARS)
    {
        counts.add_word(word);
        if counts.total >= SAMPLE_CHARS {
            break;
        }
    }
    counts.verdict()
}

#[derive(Debug, Default)]
struct Counts {
    /// Non-space characters seen.
    total: usize,
    /// Control, replacement and private-use characters.
    broken: usize,
    /// Han characters, and how many of them are common.
    han: usize,
    common_han: usize,
    /// Characters of Latin tokens that look like words.
    latin_word: usize,
    /// Digits and punctuation (ASCII, CJK and general).
    neutral: usize,
    /// ASCII symbols that prose seldom uses (`#$&*+<=>@[\\]^_`{}~`).
    odd: usize,
}

impl Counts {
    fn add_word(&mut self, word: &str) {
        let length = word.chars().count();
        let ascii = word.chars().filter(char::is_ascii).count();
        // A long run of ASCII with no space is no word of any language
        // (base64, a binary's printable bytes); a link is allowed.
        let is_link = word.contains("://") || word.starts_with("www.");
        if length > 40 && ascii * 5 >= length * 4 && !is_link {
            self.total += length;
            return;
        }
        // A Latin word: letters (an apostrophe or hyphen inside allowed)
        // with a vowel, of a plausible length. `x7#Qz` noise is not.
        let mut latin_run = String::new();
        for c in word.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphabetic() || ((c == '\'' || c == '-') && !latin_run.is_empty()) {
                latin_run.push(c);
                continue;
            }
            if !latin_run.is_empty() {
                self.add_latin(&latin_run);
                latin_run.clear();
            }
            if c == ' ' {
                break;
            }
            self.add_char(c);
        }
    }

    fn add_latin(&mut self, run: &str) {
        let n = run.chars().count();
        self.total += n;
        let letters: Vec<char> = run.chars().filter(char::is_ascii_alphabetic).collect();
        let has_vowel = letters
            .iter()
            .any(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y'));
        // Mixed case inside a word (`qWeRt`) is noise; `iPhone`, `WeChat`
        // and all-capitals acronyms are not.
        let case_flips = letters
            .windows(2)
            .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
            .count();
        if has_vowel && n <= 24 && case_flips <= 1 || (n <= 5 && letters.len() == n) {
            self.latin_word += n;
        }
    }

    fn add_char(&mut self, c: char) {
        self.total += 1;
        if is_broken(c) {
            self.broken += 1;
        } else if is_odd_symbol(c) {
            self.odd += 1;
        } else if is_han(c) {
            self.han += 1;
            if is_common_han(c) {
                self.common_han += 1;
            }
        } else if c.is_ascii_digit() || is_punctuation(c) || super::text::is_cjk(c) {
            // Full-width forms, kana and CJK punctuation count as neutral;
            // Han ones were counted above.
            self.neutral += 1;
        }
    }

    fn verdict(&self) -> Result<(), NotLanguage> {
        // Too little to judge: the page reader says there is no article.
        if self.total < MIN_JUDGED {
            return Ok(());
        }
        let per_mille = (self.broken * 1000 / self.total) as u32;
        // A stray control character or two in a long page is copy-and-paste
        // residue; 2% is binary.
        if per_mille >= 20 || (self.broken >= 8 && per_mille >= 5) {
            return Err(NotLanguage::ControlCharacters { per_mille });
        }
        if self.han < 4 && self.latin_word < 12 {
            return Err(NotLanguage::NoWords);
        }
        if self.han >= 40 {
            let percent = (self.common_han * 100 / self.han) as u32;
            if percent < 45 {
                return Err(NotLanguage::RareCharacters { percent });
            }
        }
        let odd_per_mille = (self.odd * 1000 / self.total) as u32;
        if odd_per_mille >= 60 {
            return Err(NotLanguage::Symbols {
                per_mille: odd_per_mille,
            });
        }
        let good = self.han + self.latin_word + self.neutral;
        let percent = (good * 100 / self.total) as u32;
        if percent < 60 {
            return Err(NotLanguage::MixedScripts { percent });
        }
        Ok(())
    }
}

fn is_broken(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || c == '\u{FFFD}'
        || matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
        || matches!(c as u32, 0xFFF0..=0xFFFC | 0xFFFE | 0xFFFF)
}

fn is_odd_symbol(c: char) -> bool {
    matches!(
        c,
        '#' | '$'
            | '&'
            | '*'
            | '+'
            | '<'
            | '='
            | '>'
            | '@'
            | '['
            | '\\'
            | ']'
            | '^'
            | '_'
            | '`'
            | '{'
            | '}'
            | '~'
    )
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0x2000..=0x206F | 0x2100..=0x214F | 0x2190..=0x21FF | 0x2460..=0x24FF | 0x25A0..=0x27BF)
        || matches!(
            c,
            '·' | '×' | '÷' | '°' | '±' | '²' | '³' | '℃' | '《' | '》' | '¥' | '￥'
        )
}

/// True when `c` (converted to simplified first, so that traditional text
/// passes) is in GB2312's first level: the 3,755 most common characters.
fn is_common_han(c: char) -> bool {
    if crate::zh::is_common_hanzi(c) {
        return true;
    }
    // Traditional characters: converted one by one, only when needed (most
    // characters of a simplified text never get here).
    let mut buf = [0u8; 4];
    let simplified = zhconv::zhconv(c.encode_utf8(&mut buf), zhconv::Variant::ZhCN);
    simplified
        .chars()
        .next()
        .is_some_and(|s| s != c && crate::zh::is_common_hanzi(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    use union_news_testkit::hostile::noise;

    #[test]
    fn news_text_passes_in_simplified_and_traditional() {
        let cases = [
            "湛江市总工会开展“送清凉”活动，为一线环卫工人送去防暑降温物资。",
            "湛江市總工會開展「送清涼」活動，為一線環衛工人送去防暑降溫物資。",
            "7月17日上午，区总工会联合区人社局走进快递网点 WeChat 公众号 iPhone 5G",
            "Zhanjiang trade union visited sanitation workers on July 17.",
            "工会 | 姓名 | 单位\n一等奖 | 张伟 | 湛江港集团",
        ];
        for text in cases {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn binary_read_as_text_is_refused() {
        let bytes = noise(7, 4000);
        let latin1: String = bytes.iter().map(|&b| b as char).collect();
        assert!(
            matches!(check(&latin1), Err(NotLanguage::ControlCharacters { .. })),
            "{:?}",
            check(&latin1)
        );
        let gbk = encoding_rs::GBK.decode(&bytes).0;
        assert!(
            check(&gbk).is_err(),
            "random bytes as GBK: {:?}",
            check(&gbk)
        );
    }

    #[test]
    fn ascii_noise_is_refused() {
        let printable: String = noise(11, 6000)
            .into_iter()
            .map(|b| (b % 95 + 32) as char)
            .collect();
        assert!(check(&printable).is_err(), "{:?}", check(&printable));
        let base64_like: String = noise(13, 6000)
            .into_iter()
            .map(|b| {
                let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                table[(b % 64) as usize] as char
            })
            .collect();
        assert!(check(&base64_like).is_err(), "{:?}", check(&base64_like));
    }

    #[test]
    fn rare_han_noise_is_refused() {
        // Characters from the far end of the unified block: real, but rare.
        let rare: String = (0..400)
            .map(|i| char::from_u32(0x9E00 + (i * 7) % 0x100).unwrap())
            .collect();
        assert!(
            matches!(check(&rare), Err(NotLanguage::RareCharacters { .. })),
            "{:?}",
            check(&rare)
        );
    }

    #[test]
    fn the_common_characters_are_gb2312_level_one() {
        for c in ['的', '工', '会', '湛', '江'] {
            assert!(is_common_han(c), "{c}");
        }
        // Traditional forms count through their simplified ones.
        for c in ['會', '職', '東'] {
            assert!(is_common_han(c), "{c}");
        }
        for c in ['鼹', '龘', '㐀'] {
            assert!(!is_common_han(c), "{c}");
        }
    }

    #[test]
    fn empty_and_tiny_texts_are_left_to_the_readers() {
        assert_eq!(check(""), Ok(()));
        assert_eq!(check(" \n "), Ok(()));
        assert_eq!(check("Hello, world!"), Ok(()));
    }
}
