//! Extractive, question-focused summaries and answer sentences.
//!
//! A summary is made of whole sentences of the article, kept in document
//! order: the lede's first sentence (what happened, where, when) and the
//! sentence that best matches the member's question. Nothing is invented.

use crate::article::Article;
use crate::focus::{Expect, Focus, NEW_SENTENCE, TOTAL_SENTENCE, figures};
use crate::zh::normalize;

/// Longest summary, in characters, before it is shortened with `…`.
pub const SUMMARY_CHARS: usize = 120;
/// Longest summary under a result, in characters: one short sentence.
pub const ITEM_SUMMARY_CHARS: usize = 72;
/// Longest summary under the first result: the lede and the best sentence.
pub const FIRST_SUMMARY_CHARS: usize = 110;

/// How much a summary may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryLength {
    /// One sentence of at most [`ITEM_SUMMARY_CHARS`] (results after the first).
    Short,
    /// The lede and the best sentence, at most [`FIRST_SUMMARY_CHARS`] (the first result).
    Long,
}

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
    let mut matched: f32 = words
        .iter()
        .filter(|w| w.found_in(normalized))
        .map(|w| w.weight)
        .sum();
    // In an article found for the question, the one figure of the exact
    // kind asked for (`几支` → `32支`) answers even in other words.
    if focus.wants_figure
        && focus.expects != Expect::Any
        && figures(normalized).iter().any(|f| focus.expects.accepts(f))
    {
        matched = matched.max(0.2);
    }
    if matched == 0.0 {
        return 0.0;
    }
    let mut score = matched;
    if focus.wants_figure {
        let found = figures(normalized);
        if found.iter().any(|f| focus.expects.accepts(f)) {
            score *= if focus.expects == Expect::Any {
                1.6
            } else {
                2.5
            };
        } else if found.iter().any(|f| !f.is_date()) {
            score *= 1.3;
        }
    }
    if focus.wants_time && normalized.contains('月') && normalized.contains('日') {
        score *= 1.4;
    }
    if focus.wants_place {
        if ["镇", "区", "县", "市", "街道", "村", "岛", "路", "号"]
            .iter()
            .any(|s| normalized.contains(s))
        {
            score *= 1.3;
        }
        if LOCATION_VERBS.iter().any(|s| normalized.contains(s)) {
            score *= 1.5;
        }
    }
    if focus.wants_names {
        score *= 1.0 + organisations_named(normalized) as f32;
    }
    // 哪几位: the people named, not any list.
    if focus.wants_list && !focus.wants_person {
        // 头盔、雨衣、保温杯: a sentence that lists things is likelier the
        // list asked for, the more so the more it lists, even when it
        // shares fewer of the question's words than a sentence about them.
        let items = list_items(normalized).min(6) as f32;
        let all: f32 = words.iter().map(|w| w.weight).sum();
        score += all * items / 6.0;
    }
    if focus.wants_person && names_a_person(normalized) {
        score *= 2.0;
    }
    score
}

/// How many items a sentence enumerates (`、` between them; 0 for none).
fn list_items(normalized: &str) -> usize {
    match normalized.matches('、').count() {
        0 => 0,
        n => n + 1,
    }
}

/// True when a sentence names a person: a name as the dictionary tags it,
/// or a name-like address (陈姐, 李师傅, 王某).
fn names_a_person(normalized: &str) -> bool {
    crate::zh::segment::segmenter()
        .tagged(normalized)
        .iter()
        .any(|(word, tag)| {
            let chars = word.chars().count();
            (matches!(*tag, "nr" | "nrfg" | "nrt") && (2..=4).contains(&chars))
                || (chars == 2
                    && ["姐", "哥", "叔", "姨", "某"]
                        .iter()
                        .any(|t| word.ends_with(t)))
        })
}

/// Words that say where something is.
const LOCATION_VERBS: &[&str] = &[
    "位于", "设在", "建在", "坐落", "落户", "选址", "地点", "地址", "设于",
];

/// Endings of organisations' names.
const ORGANISATION_ENDINGS: &[&str] = &[
    "公司",
    "集团",
    "工厂",
    "厂",
    "医院",
    "学校",
    "银行",
    "酒店",
    "合作社",
    "协会",
    "研究院",
];

/// How many organisations text names: names of at least two characters
/// before an organisation ending (`紫荆羽绒制品有限公司`, `鸿基厂`).
pub fn organisations_named(text: &str) -> usize {
    ORGANISATION_ENDINGS
        .iter()
        .map(|ending| {
            text.match_indices(ending)
                .filter(|(at, _)| {
                    text[..*at]
                        .chars()
                        .rev()
                        .take(2)
                        .filter(|c| crate::zh::is_han(*c))
                        .count()
                        == 2
                })
                .count()
        })
        .sum()
}

/// True when text holds a figure that is not a date.
pub fn has_figure(text: &str) -> bool {
    figures(text).iter().any(|f| !f.is_date())
}

/// The focus words re-weighted for one article: a word found in few of its
/// sentences points at the answer better than one found in most of them (the
/// headline's words usually recur everywhere).
fn weighted_for(sentences: &[String], words: &[FocusWord]) -> Vec<FocusWord> {
    let total = sentences.len().max(1) as f32;
    words
        .iter()
        .map(|w| {
            let holding = sentences.iter().filter(|s| w.found_in(s)).count().max(1) as f32;
            FocusWord {
                weight: w.weight * (1.0 + (total / holding).ln()),
                ..w.clone()
            }
        })
        .collect()
}

/// The sentence that best answers a factual question, if any sentence holds
/// at least one of the focus words (and, for a figure question, a figure).
/// A long sentence is cut to the clauses around the answer.
pub fn answer_sentence(article: &Article, words: &[FocusWord], focus: Focus) -> Option<String> {
    let all = all_sentences(article);
    let normalized: Vec<String> = all.iter().map(|s| normalize(s.text)).collect();
    let words = weighted_for(&normalized, words);
    // A sentence with the kind of figure asked for (`几支` → `32支`) answers
    // before one with any other figure.
    let expected = |text: &str| figures(text).iter().any(|f| focus.expects.accepts(f));
    // No figure of that kind at all (a price asked, none printed): no answer
    // line rather than another figure that would mislead.
    let strict = focus.wants_figure && focus.expects != Expect::Any;
    if strict && !normalized.iter().any(|n| expected(n)) {
        return None;
    }
    let mut best: Option<(f32, &str)> = None;
    for (sentence, normalized) in all.iter().zip(&normalized) {
        if focus.wants_figure && !has_figure(normalized)
            || strict && !expected(normalized)
            || focus.wants_names && !focus.wants_figure && organisations_named(normalized) == 0
        {
            continue;
        }
        let mut score = sentence_score(normalized, &words, focus);
        if focus.wants_total && score > 0.0 {
            // 一共有多少: the running total, not this year's new ones.
            let has = |list: &[&str]| list.iter().any(|w| normalized.contains(w));
            if has(&TOTAL_SENTENCE) {
                score += 1.0;
            } else if has(&NEW_SENTENCE) {
                score *= 0.5;
            }
        }
        if score > 0.0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, sentence.text));
        }
    }
    best.map(|(_, text)| clauses_around_answer(text, &words, focus, SUMMARY_CHARS))
}

/// A sentence cut to at most `max` characters around its best clause.
fn clauses_around_answer(sentence: &str, words: &[FocusWord], focus: Focus, max: usize) -> String {
    if sentence.chars().count() <= max {
        return sentence.to_string();
    }
    let clauses: Vec<&str> = sentence
        .split_inclusive([',', '\u{FF0C}', ':', '\u{FF1A}'])
        .collect();
    let score = |clause: &str| {
        let normalized = normalize(clause);
        sentence_score(&normalized, words, focus)
            + if focus.wants_figure && has_figure(&normalized) {
                0.5
            } else {
                0.0
            }
    };
    let best = (0..clauses.len())
        .max_by(|&a, &b| {
            score(clauses[a])
                .total_cmp(&score(clauses[b]))
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    let len = |range: std::ops::Range<usize>| -> usize {
        clauses[range].iter().map(|c| c.chars().count()).sum()
    };
    let (mut start, mut end) = (best, best + 1);
    loop {
        if start > 0 && len(start - 1..end) + 2 <= max {
            start -= 1;
        } else if end < clauses.len() && len(start..end + 1) + 2 <= max {
            end += 1;
        } else {
            break;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let middle: String = clauses[start..end].concat();
    if end < clauses.len() {
        let trimmed = middle.trim_end_matches([',', '\u{FF0C}', ':', '\u{FF1A}']);
        out.push_str(&shorten(trimmed, max.saturating_sub(2)));
        if !out.ends_with('…') {
            out.push('…');
        }
    } else {
        out.push_str(&shorten(&middle, max.saturating_sub(1)));
    }
    out
}

/// A summary of at most [`ITEM_SUMMARY_CHARS`] characters: the sentence
/// that best matches the focus words (the lede when none does).
pub fn summarize(article: &Article, words: &[FocusWord], focus: Focus) -> String {
    summarize_besides(article, words, focus, "", SummaryLength::Short)
}

/// A summary that does not repeat `answer` (the answer line already shown
/// above the results): its sentence is left out, and when it was the lede,
/// the next sentences stand in for it.
pub fn summarize_besides(
    article: &Article,
    words: &[FocusWord],
    focus: Focus,
    answer: &str,
    length: SummaryLength,
) -> String {
    let shown = |text: &str| {
        let core = answer.trim_start_matches('…').trim_end_matches('…');
        !core.is_empty() && (text.contains(core) || core.contains(text))
    };
    let all: Vec<Sentence> = all_sentences(article)
        .into_iter()
        .filter(|s| !shown(s.text))
        .collect();
    let Some(lede) = all.first() else {
        return String::new();
    };
    let normalized: Vec<String> = all.iter().map(|s| normalize(s.text)).collect();
    let words = weighted_for(&normalized, words);
    let best = all
        .iter()
        .zip(&normalized)
        .skip(1)
        .map(|(s, normalized)| (sentence_score(normalized, &words, focus), s))
        .filter(|(score, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.order.cmp(&a.1.order)));
    if length == SummaryLength::Short {
        // One sentence, so three results fit a phone screen: the one that
        // best matches the question, else the lede; cut around its best clause.
        return match best {
            Some((_, s)) => clauses_around_answer(s.text, &words, focus, ITEM_SUMMARY_CHARS),
            None => shorten(lede.text, ITEM_SUMMARY_CHARS),
        };
    }
    let max = FIRST_SUMMARY_CHARS;
    let lede_len = lede.text.chars().count();
    match best {
        Some((_, s)) if lede_len + s.text.chars().count() <= max => {
            let gap = if s.paragraph == lede.paragraph && s.order == lede.order + 1 {
                ""
            } else {
                "…"
            };
            format!("{}{gap}{}", lede.text, s.text)
        }
        // The lede alone fills the summary, or the matching sentence says more
        // about the question than the lede: keep the better one, shortened.
        Some((_, s)) if lede_len > max / 2 => clauses_around_answer(s.text, &words, focus, max),
        Some((_, s)) => {
            let room = max.saturating_sub(lede_len + 1);
            format!("{}…{}", lede.text, shorten(s.text, room))
        }
        None => shorten(lede.text, max),
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
    fn the_first_result_keeps_lede_and_matching_sentence_the_others_one_sentence() {
        let a = article(&[
            "1月11日,湛江市总工会开展调研活动。",
            "调研组走进四家羽绒企业。其他内容。",
        ]);
        let long = summarize_besides(
            &a,
            &words(&["羽绒"]),
            Focus::default(),
            "",
            SummaryLength::Long,
        );
        assert_eq!(
            long,
            "1月11日,湛江市总工会开展调研活动。…调研组走进四家羽绒企业。"
        );
        let short = summarize(&a, &words(&["羽绒"]), Focus::default());
        assert_eq!(short, "调研组走进四家羽绒企业。");
        // Nothing matches: the lede.
        let plain = summarize(&a, &words(&["篮球"]), Focus::default());
        assert_eq!(plain, "1月11日,湛江市总工会开展调研活动。");
    }

    #[test]
    fn summary_is_never_longer_than_the_limit() {
        let long = "很长的句子".repeat(60) + "。";
        let a = article(&[&long, &format!("羽绒{long}")]);
        for focus_words in [words(&[]), words(&["羽绒"])] {
            let s = summarize(&a, &focus_words, Focus::default());
            assert!(s.chars().count() <= ITEM_SUMMARY_CHARS, "{s}");
            let s = summarize_besides(&a, &focus_words, Focus::default(), "", SummaryLength::Long);
            assert!(
                s.chars().count() <= FIRST_SUMMARY_CHARS,
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
    fn a_summary_beside_an_answer_does_not_repeat_it() {
        let a = article(&[
            "11月14日,川岛镇职工之家启用。",
            "职工之家位于上川岛。面积约260平方米。",
        ]);
        let s = summarize_besides(
            &a,
            &words(&["职工之家"]),
            Focus::default(),
            "11月14日,川岛镇职工之家启用。",
            SummaryLength::Short,
        );
        assert_eq!(s, "职工之家位于上川岛。");
    }

    #[test]
    fn figures_know_dates_ordinals_and_units() {
        let found = figures(
            "11月3日,第五届大赛吸引37家企业的186名职工,奖金6000元,一次讲座,覆盖1.2万名职工、5800余人。",
        );
        let shown: Vec<(String, Option<char>, bool)> = found
            .iter()
            .map(|f| (f.number.clone(), f.unit, f.is_date()))
            .collect();
        assert_eq!(
            shown,
            [
                ("11".to_string(), Some('月'), true),
                ("3".to_string(), Some('日'), true),
                ("37".to_string(), Some('家'), false),
                ("186".to_string(), Some('名'), false),
                ("6000".to_string(), Some('元'), false),
                ("1.2万".to_string(), Some('名'), false),
                ("5800余".to_string(), Some('人'), false),
            ]
        );
        assert!(Expect::Money.accepts(&found[4]));
        assert!(Expect::People.accepts(&found[3]));
        assert!(Expect::Unit('家').accepts(&found[2]));
        assert!(!Expect::Any.accepts(&found[0]));
    }

    #[test]
    fn a_question_for_a_count_gets_the_sentence_with_that_measure() {
        let a = article(&[
            "11月29日晚,第十届职工篮球赛开赛。",
            "来自各县的32支代表队、400多名职工球员参赛。",
        ]);
        let focus = Focus {
            wants_figure: true,
            expects: Expect::Unit('支'),
            ..Default::default()
        };
        let answer = answer_sentence(&a, &words(&["篮球赛", "队伍"]), focus).unwrap();
        assert!(answer.contains("32支"), "{answer}");
    }

    #[test]
    fn no_answer_line_when_the_kind_of_figure_asked_is_not_printed() {
        let a = article(&["12月11日,5名劳模走进金柚种植基地。"]);
        let focus = Focus {
            wants_figure: true,
            expects: Expect::Money,
            ..Default::default()
        };
        assert_eq!(answer_sentence(&a, &words(&["金柚"]), focus), None);
    }

    #[test]
    fn a_which_companies_question_gets_the_sentence_naming_them() {
        let a = article(&[
            "1月11日,工会深入吴川企业对羽绒产业开展调研。",
            "调研组走进紫荆羽绒制品有限公司、鸿基羽绒制品有限公司两家羽绒企业。",
        ]);
        let focus = Focus {
            wants_names: true,
            ..Default::default()
        };
        let answer = answer_sentence(&a, &words(&["羽绒"]), focus).unwrap();
        assert!(answer.contains("紫荆羽绒"), "{answer}");
    }

    #[test]
    fn shorten_cuts_at_a_clause_boundary() {
        assert_eq!(shorten("一二三,四五六七八九十", 8), "一二三…");
        assert_eq!(shorten("短", 8), "短");
        assert_eq!(shorten("一二三四五六七八九十", 5), "一二三四…");
    }
}
