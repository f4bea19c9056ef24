//! One normal form for Chinese text, used at index and at query time alike.

use zhconv::{Variant, zhconv};

/// Brings text to the form the index and the queries share: full-width ASCII
/// forms to half-width, traditional characters to simplified, Latin letters
/// to lower case. Length in characters is kept for almost all input.
pub fn normalize(text: &str) -> String {
    let folded: String = fold_width(text).to_lowercase();
    if folded.is_ascii() {
        return folded;
    }
    zhconv(&folded, Variant::ZhHans)
}

/// Full-width ASCII variants (`ＡＢＣ１２３，（）`) and the ideographic space to
/// their half-width forms; everything else unchanged.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases = [
            ("東莞職工年貨節", "东莞职工年货节"),
            ("湞江區 騎手", "浈江区 骑手"),
            ("ＡＢＣ１２３（测试）", "abc123(测试)"),
            ("Zhanjiang", "zhanjiang"),
            ("外卖骑手\u{3000}入会", "外卖骑手 入会"),
            ("湛江市总工会", "湛江市总工会"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "normalize({input:?})");
        }
    }
}
