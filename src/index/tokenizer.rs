//! The tantivy tokenizers: words from our Chinese segmentation, and
//! character bigrams for finding any part of a word.
//!
//! Text reaching them is already normalised ([`crate::zh::normalize`]): the same
//! function runs on articles at index time and on questions at query time.
//! Tokens carry byte offsets on char boundaries and ordinal positions; the
//! sub-words of a long word share its position, so they never shift the
//! positions of the words after it.

use crate::zh::{is_han, segment::segmenter};
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

/// Name under which [`GramTokenizer`] is registered with the index.
pub const GRAM_TOKENIZER: &str = "zh_grams";

/// Splits normalised text into overlapping character bigrams of its Chinese
/// runs (a lone character stands for itself) and whole Latin or digit runs,
/// so a phrase of grams finds any substring, `羽绒` inside `羽绒制品`.
/// Punctuation leaves a gap in positions, so a phrase never spans it.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        ZhTokenStream {
            tokens: grams(text),
            next: 0,
        }
    }
}

/// The gram tokens of a text (see [`GramTokenizer`]).
pub fn grams(text: &str) -> Vec<Token> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Han,
        Alnum,
        Other,
    }
    let class = |c: char| {
        if is_han(c) {
            Class::Han
        } else if c.is_alphanumeric() {
            Class::Alnum
        } else {
            Class::Other
        }
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        let kind = class(chars[i].1);
        let mut j = i + 1;
        while j < chars.len() && class(chars[j].1) == kind {
            j += 1;
        }
        let mut push = |from: usize, to: usize, position: usize| {
            tokens.push(Token {
                offset_from: chars[from].0,
                offset_to: end_of(to),
                position,
                text: text[chars[from].0..end_of(to)].to_string(),
                position_length: 1,
            })
        };
        match kind {
            Class::Han if j - i == 1 => {
                push(i, j, position);
                position += 1;
            }
            Class::Han => {
                for k in i..j - 1 {
                    push(k, k + 2, position);
                    position += 1;
                }
            }
            Class::Alnum => {
                push(i, j, position);
                position += 1;
            }
            // A gap, so no phrase matches across punctuation.
            Class::Other => position += 1,
        }
        i = j;
    }
    tokens
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
    fn grams_are_bigrams_of_chinese_runs_and_whole_latin_runs() {
        let toks = grams("羽绒制品,5g基站 矿");
        let texts: Vec<(&str, usize)> =
            toks.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert_eq!(
            texts,
            [
                ("羽绒", 0),
                ("绒制", 1),
                ("制品", 2),
                ("5g", 4),
                ("基站", 5),
                ("矿", 7)
            ]
        );
        for t in &toks {
            assert_eq!(&"羽绒制品,5g基站 矿"[t.offset_from..t.offset_to], t.text);
        }
        assert!(grams("").is_empty());
        assert!(grams("。,").is_empty());
    }

    #[test]
    fn empty_text_gives_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens("  ,。").is_empty());
    }
}
