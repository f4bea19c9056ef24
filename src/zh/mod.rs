//! Chinese text: normalisation (traditional → simplified, full-width → half-width,
//! lower case), word segmentation, how words sound, and the gazetteer of places.
//!
//! Everything that reads Chinese goes through here, so the index, the query
//! and the parser see text the same way.

mod normalize;
pub mod places;
pub mod segment;
pub mod sound;

pub use normalize::{fold_width, normalize, simplified_chars};

/// The text an identity is computed from: letters and digits only,
/// normalised, so re-pasting with other whitespace or punctuation widths
/// gives the same fingerprint.
pub fn fingerprint(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// True for a CJK ideograph (the unified blocks, their extensions and the
/// compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// True for a character of GB2312's first level: rows 16–55 (lead bytes
/// 0xB0–0xD7, trail bytes 0xA1–0xFE), the 3,755 most used characters of
/// simplified Chinese, decoded once. Cantonese characters (冇, 嘅, 咗) are not.
pub fn is_common_hanzi(c: char) -> bool {
    static LEVEL_ONE: std::sync::OnceLock<std::collections::HashSet<char>> =
        std::sync::OnceLock::new();
    LEVEL_ONE
        .get_or_init(|| {
            let mut bytes = Vec::with_capacity(40 * 94 * 2);
            for lead in 0xB0u8..=0xD7 {
                for trail in 0xA1u8..=0xFE {
                    bytes.extend_from_slice(&[lead, trail]);
                }
            }
            encoding_rs::GBK
                .decode_without_bom_handling(&bytes)
                .0
                .chars()
                .filter(|c| *c != '\u{FFFD}')
                .collect()
        })
        .contains(&c)
}

/// Words looked up by their first character, to tell quickly whether a
/// short text holds any of them (hundreds of words, one pass over the text).
#[derive(Debug, Clone, Default)]
pub struct WordsByFirstChar {
    by_first: std::collections::HashMap<char, Vec<String>>,
}

impl WordsByFirstChar {
    /// The index of `words`.
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut by_first: std::collections::HashMap<char, Vec<String>> =
            std::collections::HashMap::new();
        for word in words {
            if let Some(first) = word.chars().next() {
                by_first.entry(first).or_default().push(word.to_string());
            }
        }
        WordsByFirstChar { by_first }
    }

    /// True when `text` holds one of the words anywhere.
    pub fn any_in(&self, text: &str) -> bool {
        text.char_indices().any(|(at, c)| {
            self.by_first
                .get(&c)
                .is_some_and(|words| words.iter().any(|w| text[at..].starts_with(w.as_str())))
        })
    }
}
