//! Page files in the encodings Windows editors and office machines save:
//! UTF-8 (with or without a byte-order mark), UTF-16 with its mark, and
//! GBK / GB18030 (detected with chardetng, decoded with encoding_rs). A
//! guess that is not a Chinese encoding, or that does not decode cleanly,
//! is refused rather than stored as mojibake.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

/// A page file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark.
    pub text: String,
    /// The encoding's name as encoding_rs gives it (`UTF-8`, `GBK`, `UTF-16LE`).
    pub encoding: &'static str,
}

/// Why a file's bytes are not taken as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum NotText {
    /// The bytes are not valid in the encoding their mark or the detector names.
    #[error("the file is not valid {encoding} text")]
    Invalid {
        /// The encoding tried.
        encoding: String,
    },
    /// No encoding this bot reads fits the bytes with confidence.
    #[error("the file's encoding is not UTF-8, UTF-16 or GBK/GB18030 (it looks like {guess})")]
    Unsure {
        /// What the detector guessed.
        guess: String,
    },
}

/// The text of a page file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some((encoding, mark)) = Encoding::for_bom(bytes) {
        return strictly(encoding, &bytes[mark..]);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
        });
    }
    if let Some(decoded) = utf16_without_mark(bytes) {
        return Ok(decoded);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    // GBK's decoder reads all of GB18030; a Chinese office file is one of them.
    if guess == GBK || guess == GB18030 {
        return strictly(GB18030, bytes).map(|decoded| Decoded {
            encoding: guess.name(),
            ..decoded
        });
    }
    Err(NotText::Unsure {
        guess: guess.name().to_string(),
    })
}

/// UTF-16 saved without its byte-order mark. Text in UTF-8 or GBK never holds
/// a zero byte; UTF-16 does, in the high byte of every ASCII character (line
/// ends, digits): odd positions for little-endian, even for big-endian. A
/// byte order stands only when nine in ten of the characters it decodes are
/// Chinese, ASCII or common punctuation.
fn utf16_without_mark(bytes: &[u8]) -> Option<Decoded> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let zeros_at = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if even + odd == 0 {
        return None;
    }
    // The byte order with the more zero high bytes first (`一` is 4E 00).
    let orders = if odd >= even {
        [encoding_rs::UTF_16LE, encoding_rs::UTF_16BE]
    } else {
        [encoding_rs::UTF_16BE, encoding_rs::UTF_16LE]
    };
    orders.into_iter().find_map(|encoding| {
        let decoded = strictly(encoding, bytes).ok()?;
        let total = decoded.text.chars().count();
        let readable = decoded
            .text
            .chars()
            .filter(|&c| {
                matches!(c as u32, 0x20..=0x7E | 0x3000..=0x303F | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF | 0x2000..=0x206F)
                    || matches!(c, '\n' | '\r' | '\t')
            })
            .count();
        (readable * 10 >= total * 9).then_some(decoded)
    })
}

/// The bytes decoded in `encoding`, or an error at the first malformed sequence.
fn strictly(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, NotText> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
        }),
        None => Err(NotText::Invalid {
            encoding: encoding.name().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\r\n";

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            let bytes = if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend(bytes);
        }
        out
    }

    #[test]
    fn the_encodings_windows_saves_read_as_the_same_text() {
        let (gbk, _, unmappable) = GBK.encode(PAGE);
        assert!(!unmappable);
        let rare = format!("{PAGE}𠀀");
        let (gb18030, _, _) = GB18030.encode(&rare);
        let mut bom_utf8 = vec![0xEF, 0xBB, 0xBF];
        bom_utf8.extend(PAGE.as_bytes());
        let cases: Vec<(Vec<u8>, &str, String)> = vec![
            (PAGE.as_bytes().to_vec(), "UTF-8", PAGE.into()),
            (bom_utf8, "UTF-8", PAGE.into()),
            (utf16(PAGE, true), "UTF-16LE", PAGE.into()),
            (utf16(PAGE, false), "UTF-16BE", PAGE.into()),
            (gbk.into_owned(), "GBK", PAGE.into()),
            (gb18030.into_owned(), "GBK", rare.clone()),
        ];
        for (bytes, encoding, text) in cases {
            let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{encoding}: {e}"));
            assert_eq!(decoded.text, text, "{encoding}");
            assert_eq!(decoded.encoding, encoding);
        }
    }

    #[test]
    fn utf16_saved_without_its_mark_is_read_too() {
        for little in [true, false] {
            let bytes = utf16(PAGE, little);
            let decoded = decode(&bytes[2..]).expect("UTF-16 without a mark");
            assert_eq!(decoded.text, PAGE);
            assert_eq!(
                decoded.encoding,
                if little { "UTF-16LE" } else { "UTF-16BE" }
            );
        }
        // Zero bytes in no text-like pattern (a binary file) stay refused.
        let binary: Vec<u8> = (0..64u8)
            .map(|i| if i % 3 == 0 { 0 } else { i.wrapping_mul(37) })
            .collect();
        assert!(decode(&binary).is_err());
    }

    #[test]
    fn bytes_that_are_no_chinese_text_are_refused_not_guessed() {
        // Latin-1 French, a JPEG header, and a UTF-16 mark before an odd byte count.
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Le comité syndical a décidé.");
        assert!(matches!(decode(&latin), Err(NotText::Unsure { .. })));
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01,
        ];
        assert!(decode(&jpeg).is_err());
        let mut torn = utf16("工会", true);
        torn.push(0x41);
        assert!(matches!(decode(&torn), Err(NotText::Invalid { .. })));
    }
}
