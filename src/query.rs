//! Understanding a member's question: which words carry its topic, which
//! places it names, and what kind of fact it asks for.
//!
//! The question is normalised exactly as articles are at index time, then
//! segmented; question words, particles and chat noise are dropped
//! (`data/lexicon/stopwords.txt`), places are taken out as a city filter.

use crate::article::City;
use crate::summary::Focus;
use crate::zh::places::{PlaceMention, gazetteer, strip_suffix};
use crate::zh::{normalize, segment::segmenter};
use std::collections::HashSet;
use std::sync::LazyLock;

const STOPWORDS_FILE: &str = include_str!("../data/lexicon/stopwords.txt");

static STOPWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    STOPWORDS_FILE
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// True when a word says nothing about a question's topic.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(word)
}

/// A place the question names.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedPlace {
    /// The words as typed (normalised): `吴川`, `zhanjiang`.
    pub text: String,
    /// The prefecture cities it stands for (empty for a province or an
    /// ambiguous name that could not be settled).
    pub cities: Vec<City>,
    /// True when the place is a whole province (no city filter).
    pub is_province: bool,
}

/// A question, understood.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Question {
    /// The normalised text.
    pub normalized: String,
    /// Topic words in the order typed, without duplicates.
    pub words: Vec<String>,
    /// Places named.
    pub places: Vec<NamedPlace>,
    /// What kind of fact it asks for.
    pub focus: Focus,
}

impl Question {
    /// Understands a message text.
    pub fn understand(text: &str) -> Question {
        let normalized = normalize(text);
        let mentions = gazetteer().mentions(&normalized);
        let mut places: Vec<NamedPlace> = Vec::new();
        let mut place_spans: Vec<(usize, usize)> = Vec::new();
        for mention in &mentions {
            place_spans.push((mention.start, mention.end));
            push_place(&mut places, named_place(mention));
        }
        let mut words: Vec<String> = Vec::new();
        for word in segmenter().words(&normalized) {
            let inside_place = place_spans
                .iter()
                .any(|&(s, e)| word.start >= s && word.end <= e);
            if inside_place || is_stopword(word.text) || !is_topic_word(word.text) {
                continue;
            }
            // Latin words may be pinyin place names (`zhanjiang`); a Chinese
            // word the text scan left alone because it is also an ordinary
            // word (`番禺`, `虎门`) counts when it names one place in the home province.
            if let Some(place) = standalone_place(word.text) {
                push_place(&mut places, place);
                continue;
            }
            if !words.iter().any(|w| w == word.text) {
                words.push(word.text.to_string());
            }
        }
        Question {
            focus: focus_of(&normalized),
            normalized,
            words,
            places,
        }
    }

    /// The prefecture city codes the question restricts to (empty: no restriction).
    pub fn city_codes(&self) -> Vec<u32> {
        let mut codes: Vec<u32> = self
            .places
            .iter()
            .flat_map(|p| p.cities.iter().map(|c| c.code))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// How the places are named in a reply (`湛江`, `潮州、德阳`).
    pub fn place_label(&self) -> Option<String> {
        let names: Vec<&str> = self
            .places
            .iter()
            .filter(|p| !p.is_province)
            .map(|p| p.text.as_str())
            .collect();
        (!names.is_empty()).then(|| names.join("、"))
    }
}

fn push_place(places: &mut Vec<NamedPlace>, place: NamedPlace) {
    if !places.iter().any(|p| p.text == place.text) {
        places.push(place);
    }
}

fn named_place(mention: &PlaceMention) -> NamedPlace {
    NamedPlace {
        text: mention.text.clone(),
        cities: mention.city.iter().cloned().collect(),
        is_province: mention.is_province,
    }
}

fn standalone_place(word: &str) -> Option<NamedPlace> {
    use crate::zh::places::CityLookup;
    let gazetteer = gazetteer();
    match gazetteer.resolve_city(word) {
        CityLookup::City(city) if word.is_ascii() || city.province == gazetteer.home_province() => {
            // A pinyin name is shown and matched as its Chinese name.
            let text = if word.is_ascii() {
                city.short_name().to_string()
            } else {
                word.to_string()
            };
            Some(NamedPlace {
                text,
                cities: vec![city],
                is_province: false,
            })
        }
        CityLookup::Province(name, _) if word.is_ascii() => Some(NamedPlace {
            text: strip_suffix(&name).to_string(),
            cities: Vec::new(),
            is_province: true,
        }),
        _ => None,
    }
}

/// A word worth searching for: it has a letter or digit, and is not a lone
/// Chinese character (those are particles or too vague to rank by).
fn is_topic_word(word: &str) -> bool {
    if !word.chars().any(char::is_alphanumeric) {
        return false;
    }
    let chars = word.chars().count();
    chars > 1 || word.is_ascii()
}

/// What kind of fact the question asks for, from its question words.
fn focus_of(normalized: &str) -> Focus {
    let has = |list: &[&str]| list.iter().any(|w| normalized.contains(w));
    Focus {
        wants_figure: has(&[
            "多少",
            "几",
            "多大",
            "多长",
            "多久",
            "多高",
            "多远",
            "百分之",
        ]),
        wants_place: has(&[
            "哪里",
            "哪儿",
            "在哪",
            "哪个镇",
            "哪个村",
            "哪个区",
            "哪个县",
            "什么地方",
            "何地",
        ]),
        wants_time: has(&["什么时候", "哪天", "何时", "几月", "几号", "啥时候"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_and_particles_are_dropped() {
        let q = Question::understand("请问湛江工会最近帮羽绒企业做了什么?");
        assert!(q.words.contains(&"羽绒".to_string()), "{q:?}");
        for noise in ["请问", "什么", "最近", "了", "做"] {
            assert!(!q.words.iter().any(|w| w == noise), "{noise} kept in {q:?}");
        }
        assert_eq!(q.place_label().as_deref(), Some("湛江"));
        assert_eq!(q.city_codes(), [4408]);
    }

    #[test]
    fn traditional_and_simplified_questions_are_understood_alike() {
        let a = Question::understand("東莞職工年貨節 賣了多少錢");
        let b = Question::understand("东莞职工年货节 卖了多少钱");
        assert_eq!(a.words, b.words);
        assert_eq!(a.city_codes(), b.city_codes());
        assert!(a.focus.wants_figure);
    }

    #[test]
    fn pinyin_city_names_are_places() {
        let q = Question::understand("guangzhou 网约车 抽成");
        assert_eq!(q.city_codes(), [4401], "{q:?}");
        assert!(!q.words.iter().any(|w| w == "guangzhou"));
    }

    #[test]
    fn query_syntax_is_just_text() {
        let q = Question::understand("title:湛江 AND * \"");
        assert!(
            q.words.iter().all(|w| !w.contains(':') && !w.contains('*')),
            "{q:?}"
        );
    }
}
