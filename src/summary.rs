//! Extractive, question-focused summaries and answer sentences.
//!
//! A summary is made of whole sentences of the article, kept in document
//! order: the lede's first sentence (what happened, where, when) and the
//! sentence that best matches the member's question. Nothing is invented.

use crate::article::Article;
use crate::zh::normalize;

/// Longest summary, in characters, before it is shortened with `…`.
pub const SUMMARY_CHARS: usize = 120;

/// A word the member asked about, with how much it matters (IDF-like).
#[derive(Debug, Clone, PartialEq)]
pub struct FocusWord {
    /// The normalised word.
    pub text: String,
    /// Other words that count as this one (synonyms from the lexicon).
    pub also: Vec<String>,
    /// Its importance; rarer words weigh more.
    pub weight: f32,
}

impl FocusWord {
    /// A word with no synonyms.
    pub fn new(text: impl Into<String>, weight: f32) -> Self {
        FocusWord {
            text: text.into(),
            also: Vec::new(),
            weight,
        }
    }

    /// True when normalised text holds the word or one of its synonyms.
    pub fn found_in(&self, text: &str) -> bool {
        text.contains(self.text.as_str()) || self.also.iter().any(|w| text.contains(w.as_str()))
    }
}

/// What a question wants beyond matching words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Focus {
    /// The question asks for a figure (多少, 几, 多大 …): prefer sentences with numbers.
    pub wants_figure: bool,
    /// The question asks where (哪里, 哪个镇 …): prefer sentences naming a place.
    pub wants_place: bool,
    /// The question asks when (什么时候, 哪天 …): prefer sentences with dates.
    pub wants_time: bool,
}

impl Focus {
    /// True when the question asks for a fact (figure, place, time).
    pub fn asks_fact(&self) -> bool {
        self.wants_figure || self.wants_place || self.wants_time
    }
}

/// Splits text into sentences on full- and half-width sentence punctuation;
/// a closing quote or bracket right after the punctuation stays with its sentence.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                if matches!(next, '”' | '’' | '」' | '』' | ')' | '）' | '"' | '\'') {
                    end = j + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            push_sentence(&mut out, &text[start..end]);
            start = end;
        } else if c == '\n' {
            push_sentence(&mut out, &text[start..i]);
            start = i + 1;
        }
    }
    push_sentence(&mut out, &text[start..]);
    out
}

fn push_sentence<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// A sentence of an article with where it stands.
#[derive(Debug, Clone, PartialEq)]
struct Sentence<'a> {
    text: &'a str,
    paragraph: usize,
    order: usize,
}

fn all_sentences(article: &Article) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for (p, paragraph) in article.paragraphs.iter().enumerate() {
        for text in sentences(paragraph) {
            let order = out.len();
            out.push(Sentence {
                text,
                paragraph: p,
                order,
            });
        }
    }
    out
}

/// How well a sentence answers: the weight of the focus words it holds, plus
/// a bonus when it holds the kind of fact the question asks for.
fn sentence_score(normalized: &str, words: &[FocusWord], focus: Focus) -> f32 {
    let matched: f32 = words
        .iter()
        .filter(|w| w.found_in(normalized))
        .map(|w| w.weight)
        .sum();
    if matched == 0.0 {
        return 0.0;
    }
    let mut score = matched;
    if focus.wants_figure && has_figure(normalized) {
        score *= 1.6;
    }
    if focus.wants_time && normalized.contains('月') && normalized.contains('日') {
        score *= 1.4;
    }
    if focus.wants_place
        && ["镇", "区", "县", "市", "街道", "村"]
            .iter()
            .any(|s| normalized.contains(s))
    {
        score *= 1.3;
    }
    score
}

/// True when text holds a figure: digits, or Chinese numerals with a measure.
pub fn has_figure(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        || ["万", "千", "百", "余人", "多名"]
            .iter()
            .any(|m| text.contains(m))
}

/// The sentence that best answers a factual question, if any sentence holds
/// at least one of the focus words (and, for a figure question, a figure).
pub fn answer_sentence(article: &Article, words: &[FocusWord], focus: Focus) -> Option<String> {
    let mut best: Option<(f32, &str)> = None;
    for sentence in all_sentences(article) {
        let normalized = normalize(sentence.text);
        if focus.wants_figure && !has_figure(&normalized) {
            continue;
        }
        let score = sentence_score(&normalized, words, focus);
        if score > 0.0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, sentence.text));
        }
    }
    best.map(|(_, text)| shorten(text, SUMMARY_CHARS))
}

/// A summary of at most about [`SUMMARY_CHARS`] characters: the lede's first
/// sentence plus the sentence that best matches the focus words, in document order.
pub fn summarize(article: &Article, words: &[FocusWord], focus: Focus) -> String {
    let all = all_sentences(article);
    let Some(lede) = all.first() else {
        return String::new();
    };
    let best = all
        .iter()
        .skip(1)
        .map(|s| (sentence_score(&normalize(s.text), words, focus), s))
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.order.cmp(&a.1.order)));
    let lede_len = lede.text.chars().count();
    match best {
        Some((_, s)) if lede_len + s.text.chars().count() <= SUMMARY_CHARS => {
            let gap = if s.paragraph == lede.paragraph && s.order == lede.order + 1 {
                ""
            } else {
                "…"
            };
            format!("{}{gap}{}", lede.text, s.text)
        }
        // The lede alone fills the summary, or the matching sentence says more
        // about the question than the lede: keep the better one, shortened.
        Some((_, s)) if lede_len > SUMMARY_CHARS / 2 => shorten(s.text, SUMMARY_CHARS),
        Some((_, s)) => {
            let room = SUMMARY_CHARS.saturating_sub(lede_len + 1);
            format!("{}…{}", lede.text, shorten(s.text, room))
        }
        None => shorten(lede.text, SUMMARY_CHARS),
    }
}

/// Cuts text to at most `max` characters, at a clause boundary where one is
/// near, ending with `…` when anything was cut.
pub fn shorten(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let limit = max - 1;
    let cut = (limit * 2 / 3..limit)
        .rev()
        .find(|&i| {
            matches!(
                chars[i - 1],
                ',' | '\u{FF0C}' | '、' | ':' | '\u{FF1A}' | ' '
            )
        })
        .unwrap_or(limit);
    let mut out: String = chars[..cut].iter().collect();
    out = out
        .trim_end_matches([',', '\u{FF0C}', '、', ':', '\u{FF1A}', ' '])
        .to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(paragraphs: &[&str]) -> Article {
        crate::article::testing::article("t", paragraphs, "", &[])
    }

    fn words(list: &[&str]) -> Vec<FocusWord> {
        list.iter().map(|w| FocusWord::new(*w, 1.0)).collect()
    }

    #[test]
    fn sentences_split_on_both_punctuation_widths_and_keep_closing_quotes() {
        let cases: &[(&str, &[&str])] = &[
            ("甲。乙!丙?", &["甲。", "乙!", "丙?"]),
            ("他说:“好。”然后走了。", &["他说:“好。”", "然后走了。"]),
            ("没有句号", &["没有句号"]),
            ("一;二；三", &["一;", "二；", "三"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(&sentences(text), expected, "sentences({text:?})");
        }
    }

    #[test]
    fn summary_keeps_lede_and_the_matching_sentence_in_order() {
        let a = article(&[
            "1月11日,湛江市总工会开展调研活动。",
            "调研组走进四家羽绒企业。其他内容。",
        ]);
        let s = summarize(&a, &words(&["羽绒"]), Focus::default());
        assert_eq!(
            s,
            "1月11日,湛江市总工会开展调研活动。…调研组走进四家羽绒企业。"
        );
    }

    #[test]
    fn summary_is_never_longer_than_the_limit() {
        let long = "很长的句子".repeat(60) + "。";
        let a = article(&[&long, &format!("羽绒{long}")]);
        for focus_words in [words(&[]), words(&["羽绒"])] {
            let s = summarize(&a, &focus_words, Focus::default());
            assert!(
                s.chars().count() <= SUMMARY_CHARS,
                "{} chars",
                s.chars().count()
            );
            assert!(s.ends_with('…'));
        }
    }

    #[test]
    fn a_figure_question_gets_the_sentence_with_the_figure() {
        let a = article(&[
            "近日,番禺区外卖骑手集中入会。",
            "骑手入会后可享受意外保障。意外保障最高赔付10万元。",
        ]);
        let focus = Focus {
            wants_figure: true,
            ..Default::default()
        };
        let answer = answer_sentence(&a, &words(&["意外", "保障"]), focus).unwrap();
        assert_eq!(answer, "意外保障最高赔付10万元。");
    }

    #[test]
    fn shorten_cuts_at_a_clause_boundary() {
        assert_eq!(shorten("一二三,四五六七八九十", 8), "一二三…");
        assert_eq!(shorten("短", 8), "短");
        assert_eq!(shorten("一二三四五六七八九十", 5), "一二三四…");
    }
}
