//! The tantivy tokenizer over our Chinese segmentation.
//!
//! Text reaching it is already normalised ([`crate::zh::normalize`]): the same
//! function runs on articles at index time and on questions at query time.
//! Tokens carry byte offsets on char boundaries and ordinal positions; the
//! sub-words of a long word share its position, so they never shift the
//! positions of the words after it.

use crate::zh::segment::segmenter;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which [`ZhTokenizer`] is registered with the index.
pub const ZH_TOKENIZER: &str = "zh_words";

/// Splits normalised Chinese (and Latin, digits) into index words.
#[derive(Clone, Default)]
pub struct ZhTokenizer;

/// The tokens of one text, computed up front.
pub struct ZhTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let tokens = segmenter()
            .index_words(text)
            .into_iter()
            .map(|w| Token {
                offset_from: w.start,
                offset_to: w.end,
                position: w.position,
                text: w.text.to_string(),
                position_length: 1,
            })
            .collect();
        ZhTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ZhTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        let mut tokenizer = ZhTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn offsets_are_char_boundaries_that_slice_to_the_token() {
        let text = "湛江市总工会开展“劳模工匠助企行”调研, 2024年 abc";
        for t in tokens(text) {
            assert!(text.is_char_boundary(t.offset_from), "{t:?}");
            assert!(text.is_char_boundary(t.offset_to), "{t:?}");
            assert_eq!(&text[t.offset_from..t.offset_to], t.text, "{t:?}");
        }
    }

    #[test]
    fn positions_are_ordinal_and_never_decrease() {
        let toks = tokens("中华全国总工会和上海市总工会召开会议");
        let positions: Vec<usize> = toks.iter().map(|t| t.position).collect();
        assert_eq!(positions[0], 0, "{toks:?}");
        for pair in positions.windows(2) {
            assert!(
                pair[1] == pair[0] || pair[1] == pair[0] + 1,
                "{positions:?}"
            );
        }
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert!(words.contains(&"总工会"), "{words:?}");
        assert!(words.contains(&"工会"), "{words:?}");
    }

    #[test]
    fn empty_text_gives_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens("  ,。").is_empty());
    }
}
