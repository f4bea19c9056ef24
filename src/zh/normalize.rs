//! One normal form for Chinese text, used at index and at query time alike.

use zhconv::{Variant, zhconv};

/// Brings text to the form the index and the queries share: full-width ASCII
/// forms to half-width, traditional characters to simplified, Latin letters
/// to lower case. Length in characters is kept for almost all input.
pub fn normalize(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut traditional = false;
    for c in text.chars() {
        let Some(c) = fold_char(c) else {
            continue;
        };
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else if c < '\u{2E80}' {
            // Latin, Greek, Cyrillic … (below the CJK blocks) have cases.
            folded.extend(c.to_lowercase());
        } else {
            traditional |= is_traditional(c);
            folded.push(c);
        }
    }
    // Most text is simplified already: converting it would change nothing
    // and costs more than all the rest of normalising.
    if !traditional {
        return folded;
    }
    zhconv(&folded, Variant::ZhHans)
}

/// `text` with each traditional character made simplified where that takes
/// one character (`記者` → `记者`), every other character kept: the same
/// length in characters, so positions found in it hold in `text`.
pub fn simplified_chars(text: &str) -> String {
    if !text.chars().any(is_traditional) {
        return text.to_string();
    }
    let mut buffer = [0u8; 4];
    text.chars()
        .map(|c| {
            if !is_traditional(c) {
                return c;
            }
            let simple = zhconv(c.encode_utf8(&mut buffer), Variant::ZhHans);
            let mut chars = simple.chars();
            match (chars.next(), chars.next()) {
                (Some(s), None) => s,
                _ => c,
            }
        })
        .collect()
}

/// First and last character of the range checked for traditional forms:
/// CJK extension A, the unified ideographs and the compatibility ideographs.
const HAN_FIRST: u32 = 0x3400;
const HAN_LAST: u32 = 0xFAFF;

/// Bit per character of [`HAN_FIRST`]..=[`HAN_LAST`]: set when the character
/// alone converts to another simplified form.
static TRADITIONAL: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; ((HAN_LAST - HAN_FIRST) / 64 + 1) as usize];
    let mut buffer = [0u8; 4];
    for code in HAN_FIRST..=HAN_LAST {
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        let text: &str = c.encode_utf8(&mut buffer);
        if zhconv(text, Variant::ZhHans) != text {
            let i = (code - HAN_FIRST) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
});

/// True when a character has a different simplified form (`東` → `东`).
pub fn is_traditional(c: char) -> bool {
    let code = c as u32;
    if !(HAN_FIRST..=HAN_LAST).contains(&code) {
        return false;
    }
    let i = (code - HAN_FIRST) as usize;
    TRADITIONAL[i / 64] & (1 << (i % 64)) != 0
}

/// Full-width ASCII variants (`ＡＢＣ１２３，（）`) and the ideographic space to
/// their half-width forms; everything else unchanged.
pub fn fold_width(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\n' | '\t' => c,
        // Control characters carry no words: a space keeps the words apart.
        c if c.is_control() => ' ',
        // Zero-width characters and direction marks sit inside words: dropped.
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{FEFF}' => return None,
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_are_told_from_simplified_ones() {
        for c in ['東', '職', '區', '騎', '會'] {
            assert!(is_traditional(c), "{c}");
        }
        for c in ['东', '职', '区', '骑', '会', 'a', '1', '，'] {
            assert!(!is_traditional(c), "{c}");
        }
    }

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
            ("湛\u{200d}江\u{0}羽绒", "湛江 羽绒"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "normalize({input:?})");
        }
    }
}
