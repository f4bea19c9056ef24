//! Word segmentation: the only module that names jieba.
//!
//! One dictionary per process ([`segmenter`]): loading it costs about 150 ms
//! and 32 MB, so it is built once, lazily, and shared by every thread.

use jieba_rs::Jieba;
use std::sync::LazyLock;

/// Words of the union's vocabulary that jieba's stock dictionary splits, so
/// they are kept whole (and their parts still found through sub-words).
const UNION_WORDS: &str = include_str!("union_words.txt");

static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(Segmenter::load);

/// The process-wide segmenter.
pub fn segmenter() -> &'static Segmenter {
    &SEGMENTER
}

/// A word of the input with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word's text.
    pub text: &'a str,
    /// Byte offset of its first byte in the input.
    pub start: usize,
    /// Byte offset just past its last byte.
    pub end: usize,
}

/// A word for the index: a whole word or a dictionary sub-word inside it, with
/// the ordinal position of the whole word, so overlapping sub-words never
/// shift the positions of the words after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexWord<'a> {
    /// The word's text.
    pub text: &'a str,
    /// Byte offset of its first byte in the input (on a char boundary).
    pub start: usize,
    /// Byte offset just past its last byte (on a char boundary).
    pub end: usize,
    /// Ordinal of the whole word it belongs to, counting whole words only.
    pub position: usize,
}

/// jieba with the union's vocabulary added.
pub struct Segmenter {
    jieba: Jieba,
    /// The words added from `union_words.txt`, with the count the stock
    /// dictionary had for them (ours replaced it).
    union_words: std::collections::HashMap<&'static str, usize>,
}

impl Segmenter {
    fn load() -> Self {
        let mut jieba = Jieba::new();
        let mut union_words = std::collections::HashMap::new();
        for line in UNION_WORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_whitespace();
            let Some(word) = fields.next() else { continue };
            let freq = fields.next().and_then(|f| f.parse().ok());
            // The stock count, before ours replaces it (工会 981; 0 when new).
            let stock = if jieba.has_word(word) {
                jieba.suggest_freq(word).saturating_sub(1)
            } else {
                0
            };
            jieba.add_word(word, freq, fields.next());
            union_words.insert(word, stock);
        }
        Segmenter { jieba, union_words }
    }

    /// The byte offsets where [`Segmenter::words`] starts or ends a word of
    /// `text`, sorted, each once: a phrase found at `start..end` is a word
    /// (or words) of its own when both are in it.
    pub fn cuts(&self, text: &str) -> Vec<usize> {
        let mut cuts: Vec<usize> = self
            .words(text)
            .iter()
            .flat_map(|w| [w.start, w.end])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        cuts
    }

    /// Splits text into words (jieba's precise mode with its HMM for unknown
    /// words); whitespace is dropped, punctuation kept as its own words.
    pub fn words<'a>(&self, text: &'a str) -> Vec<Word<'a>> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .filter(|t| !t.word.trim().is_empty())
            .map(|t| Word {
                text: t.word,
                start: t.byte_start,
                end: t.byte_end,
            })
            .collect()
    }

    /// Words for the index: each whole word (punctuation and whitespace
    /// dropped) followed by the 2- and 3-character dictionary words inside it
    /// (`上海市总工会` also yields `上海`, `总工会`, `工会`), all sharing the
    /// whole word's position.
    pub fn index_words<'a>(&self, text: &'a str) -> Vec<IndexWord<'a>> {
        let mut out = Vec::new();
        let mut position = 0;
        for word in self.words(text) {
            if !word
                .text
                .chars()
                .any(|c| crate::zh::is_han(c) || c.is_alphanumeric())
            {
                continue;
            }
            out.push(IndexWord {
                text: word.text,
                start: word.start,
                end: word.end,
                position,
            });
            self.push_sub_words(word, position, &mut out);
            position += 1;
        }
        out
    }

    fn push_sub_words<'a>(&self, word: Word<'a>, position: usize, out: &mut Vec<IndexWord<'a>>) {
        let offsets: Vec<usize> = word
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(word.text.len()))
            .collect();
        let chars = offsets.len() - 1;
        if chars <= 2 {
            return;
        }
        for len in [2, 3] {
            if len >= chars {
                break;
            }
            for i in 0..=chars - len {
                let sub = &word.text[offsets[i]..offsets[i + len]];
                if self.jieba.has_word(sub) {
                    out.push(IndexWord {
                        text: sub,
                        start: word.start + offsets[i],
                        end: word.start + offsets[i + len],
                        position,
                    });
                }
            }
        }
    }

    /// Words with their part-of-speech tags (`v` verb, `n` noun, `ns` place …).
    pub fn tagged<'a>(&'a self, text: &'a str) -> Vec<(&'a str, &'a str)> {
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|t| (t.word, t.tag))
            .collect()
    }

    /// True when the word is in the dictionary.
    pub fn is_known_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// True when the dictionary tags the word as a common noun (补贴, 购车)
    /// or a verb used as one (比赛).
    pub fn is_noun(&self, word: &str) -> bool {
        matches!(self.tagged(word).as_slice(), [(w, "n" | "vn")] if *w == word)
    }

    /// True when the dictionary tags the word as naming a thing: a noun, a
    /// verb used as one, a proper noun or a time noun (月饼, 中秋节).
    pub fn names_a_thing(&self, word: &str) -> bool {
        matches!(self.tagged(word).as_slice(), [(w, "n" | "vn" | "nz" | "t")] if *w == word)
    }

    /// How often jieba's stock dictionary saw the word in general text (0
    /// when it is not in it, or is one of the union's words we added): 平台
    /// 3601, 火星 497, 增城 9.
    pub fn frequency(&self, word: &str) -> usize {
        if let Some(&stock) = self.union_words.get(word) {
            return stock;
        }
        if !self.jieba.has_word(word) {
            return 0;
        }
        // For a dictionary word this is its own count plus one.
        self.jieba.suggest_freq(word).saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(words: &[IndexWord<'a>]) -> Vec<&'a str> {
        words.iter().map(|w| w.text).collect()
    }

    #[test]
    fn index_words_have_char_boundary_offsets_and_ordinal_positions() {
        let text = "上海市总工会和中华全国总工会, Zhanjiang 2024年 羽绒制品";
        let words = segmenter().index_words(text);
        let mut last_position = 0;
        for w in &words {
            assert!(
                text.is_char_boundary(w.start) && text.is_char_boundary(w.end),
                "{w:?}"
            );
            assert_eq!(&text[w.start..w.end], w.text, "offsets of {w:?}");
            assert!(
                w.position == last_position || w.position == last_position + 1,
                "{w:?}"
            );
            last_position = w.position;
        }
        let whole: Vec<_> = words
            .windows(2)
            .filter(|p| p[0].position != p[1].position)
            .collect();
        assert!(!whole.is_empty());
    }

    #[test]
    fn sub_words_make_parts_of_long_names_findable() {
        let words = segmenter().index_words("上海市总工会");
        let t = texts(&words);
        for part in ["工会", "总工会"] {
            assert!(t.contains(&part), "{part} in {t:?}");
        }
        assert!(words.iter().all(|w| w.position == 0), "{words:?}");
    }

    #[test]
    fn punctuation_and_spaces_are_not_index_words() {
        let t = texts(&segmenter().index_words("劳模, 工匠。  ()“”"));
        assert_eq!(t, vec!["劳模", "工匠"]);
    }
}
