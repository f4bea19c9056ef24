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
