//! Talk to the bot that is not a question about the news: greetings,
//! thanks, goodbyes, 你是谁, 怎么用, complaints about the bot, and wishes to
//! be sent (or no longer sent) a place's news.
//!
//! Recognised by what the message is, not by matching whole messages: it
//! is short, it names no topic, and every word it has belongs to an
//! intent's vocabulary (`data/lexicon/intents.txt`), to the filler words
//! around it, or says nothing (question words, particles); places count
//! for wishes only. The message is read as Mandarin first (members' words:
//! 唔该晒 → 谢谢), so the vocabulary is written once, in Mandarin, plus the
//! Latin and emoji shorthands members type.

use crate::query::Question;
use crate::zh::WordsByFirstChar;
use crate::zh::places::HomeProvince;
use crate::zh::segment::segmenter;
use std::collections::HashMap;
use std::sync::LazyLock;

const INTENTS_FILE: &str = include_str!("../data/lexicon/intents.txt");

/// Whose news a wish may name without naming a topic (想收到东莞工会的消息).
const WISH_WHOSE: [&str; 4] = ["工会", "总工会", "职工", "市总工会"];

/// Longest message, in characters, that may be talk rather than a question.
const MAX_TALK_CHARS: usize = 30;

/// What a member said to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmallTalk {
    /// 你好, 在吗, 早晨.
    Greeting,
    /// 谢谢, 好的, 唔该晒.
    Thanks,
    /// 再见, 拜拜.
    Bye,
    /// 你是谁, 这是什么.
    Who,
    /// 怎么用, 帮助, 你能干啥.
    Help,
    /// 你蠢不蠢, 答非所问, 没用.
    Complaint,
}

/// A wish about deliveries, said in words rather than as a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wish {
    /// 湛江有新消息提醒我, 每天想看东莞的新闻.
    Subscribe,
    /// 别再发了, 退订.
    Unsubscribe,
}

/// What a short message is, when it is not a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Small talk.
    Talk(SmallTalk),
    /// A wish about deliveries, with the places it names (as typed).
    Wish(Wish, Vec<String>),
}

/// A section of the intents file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Section {
    Talk(SmallTalk),
    Wish(Wish),
    /// A word that makes a subscription wish only with another of its kind.
    WeakWish,
    Filler,
}

impl Section {
    /// Which intent wins when a message has words of several (你好，怎么用:
    /// the help is the more useful answer).
    fn priority(self) -> u8 {
        match self {
            Section::Wish(Wish::Unsubscribe) => 9,
            Section::Wish(Wish::Subscribe) => 8,
            Section::Talk(SmallTalk::Complaint) => 7,
            Section::Talk(SmallTalk::Help) => 6,
            Section::Talk(SmallTalk::Who) => 5,
            Section::Talk(SmallTalk::Bye) => 3,
            Section::Talk(SmallTalk::Greeting) => 2,
            Section::Talk(SmallTalk::Thanks) => 1,
            Section::WeakWish | Section::Filler => 0,
        }
    }
}

/// The intents' words: Han phrases (matched anywhere, longest first),
/// Latin words (matched whole) and emoji.
struct IntentWords {
    /// Han phrases and emoji, longest first.
    phrases: Vec<(String, Section)>,
    /// Latin words (lower case, spaces removed).
    latin: HashMap<String, Section>,
    /// The Han phrases and emoji of the intents themselves (not fillers),
    /// for the quick test most messages stop at.
    intent_phrases: WordsByFirstChar,
}

static WORDS: LazyLock<IntentWords> = LazyLock::new(|| {
    let mut phrases: Vec<(String, Section)> = Vec::new();
    let mut latin = HashMap::new();
    let mut section = None;
    for line in INTENTS_FILE.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = match name {
                "greeting" => Some(Section::Talk(SmallTalk::Greeting)),
                "thanks" => Some(Section::Talk(SmallTalk::Thanks)),
                "bye" => Some(Section::Talk(SmallTalk::Bye)),
                "who" => Some(Section::Talk(SmallTalk::Who)),
                "help" => Some(Section::Talk(SmallTalk::Help)),
                "complaint" => Some(Section::Talk(SmallTalk::Complaint)),
                "subscribe" => Some(Section::Wish(Wish::Subscribe)),
                "subscribe-if-two" => Some(Section::WeakWish),
                "unsubscribe" => Some(Section::Wish(Wish::Unsubscribe)),
                "filler" => Some(Section::Filler),
                _ => None,
            };
            continue;
        }
        let Some(section) = section else { continue };
        for word in line.split_whitespace() {
            if word.chars().all(|c| c.is_ascii_alphanumeric()) {
                latin.entry(word.to_ascii_lowercase()).or_insert(section);
            } else if !phrases.iter().any(|(p, _)| p == word) {
                phrases.push((word.to_string(), section));
            }
        }
    }
    phrases.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(b.1.priority().cmp(&a.1.priority()))
    });
    let intent_phrases = WordsByFirstChar::new(
        phrases
            .iter()
            .filter(|(_, s)| !matches!(s, Section::Filler))
            .map(|(p, _)| p.as_str()),
    );
    IntentWords {
        phrases,
        latin,
        intent_phrases,
    }
});

/// What a message is, if it is not a question: `mandarin` is the message
/// with members' words read (see [`crate::vocabulary::Vocabulary::as_mandarin`]).
pub fn recognise(mandarin: &str, home: HomeProvince) -> Option<Intent> {
    if mandarin.chars().count() > MAX_TALK_CHARS {
        return None;
    }
    let words = &*WORDS;
    let mut found: Vec<Section> = Vec::new();
    // Emoji and Han phrases: taken out of the text, longest first, where
    // they are words (天天 is not in 今天天气).
    let mut rest = one_of_a_not_a(&mandarin.to_lowercase());
    // Most messages are questions holding no intent's words: no cutting.
    let any_phrase = words.intent_phrases.any_in(&rest);
    let any_latin = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| !w.is_empty());
    if !any_phrase && !any_latin {
        return None;
    }
    let bounds = segmenter().cuts(&rest);
    for (phrase, section) in &words.phrases {
        let whole: Vec<usize> = rest
            .match_indices(phrase.as_str())
            .map(|(at, _)| at)
            .filter(|&at| {
                // A long phrase is itself; a two-character one must start
                // or end a word, a single character be one.
                let starts = bounds.binary_search(&at).is_ok();
                let ends = bounds.binary_search(&(at + phrase.len())).is_ok();
                match phrase.chars().count() {
                    1 => starts && ends,
                    2 => starts || ends,
                    _ => true,
                }
            })
            .collect();
        if whole.is_empty() {
            continue;
        }
        for &at in whole.iter().rev() {
            // Spaces of the same length keep the other positions valid.
            rest.replace_range(at..at + phrase.len(), &" ".repeat(phrase.len()));
        }
        found.push(*section);
    }
    // Latin words, whole (and `thank you` as `thankyou`).
    let latin: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().any(|c| c.is_ascii_alphabetic() || w.len() <= 3))
        .filter(|w| w.is_ascii())
        .collect();
    let mut i = 0;
    let mut unknown_latin = Vec::new();
    while i < latin.len() {
        // The longest run of up to four words that is a phrase (what can u
        // do → whatcanudo), else the word alone.
        let run = (1..=4.min(latin.len() - i)).rev().find_map(|n| {
            let joined: String = latin[i..i + n].concat();
            words.latin.get(&joined).map(|section| (n, *section))
        });
        match run {
            Some((n, section)) => {
                found.push(section);
                i += n;
            }
            None => {
                unknown_latin.push(latin[i].to_string());
                i += 1;
            }
        }
    }
    // Two weak words (每天 + 想看) make a wish, in a message that is not a
    // question (湛江有新消息吗 asks for the news).
    let asks = mandarin
        .trim_end_matches(|c: char| c.is_whitespace() || "?？!！。~～".contains(c))
        .ends_with(['吗', '呢', '么']);
    let weak = found.iter().filter(|s| **s == Section::WeakWish).count();
    if weak >= 2 && !asks {
        found.push(Section::Wish(Wish::Subscribe));
    }
    let intent = found
        .iter()
        .copied()
        .filter(|s| !matches!(s, Section::Filler | Section::WeakWish))
        .max_by_key(|s| s.priority())?;
    let han_rest: String = rest
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { ' ' } else { c })
        .collect();
    // What is left must say nothing: no topic word, and places only in a wish.
    let left = Question::understand(&han_rest, home);
    let wish = matches!(intent, Section::Wish(_));
    // A name several places carry (新塘, 长安) is a place here too: the
    // desk settles which one.
    let named_place = |w: &str| wish && !crate::zh::places::gazetteer().lookup(w).is_empty();
    let topic = left.words.iter().any(|w| {
        // 每天想看东莞工会的新闻: the union's news is all there is (but
        // 退出工会 is about the union, not its news).
        let whose = intent == Section::Wish(Wish::Subscribe) && WISH_WHOSE.contains(&w.as_str());
        !whose && !named_place(w) && !w.chars().all(|c| c.is_ascii_digit())
    });
    if topic || left.time.is_some() && !matches!(intent, Section::Wish(_)) {
        return None;
    }
    let latin_topic = unknown_latin.iter().any(|w| {
        // A pinyin place name is a place, not a topic.
        matches!(
            crate::zh::places::gazetteer().resolve_city(w, home),
            crate::zh::places::CityLookup::Unknown
        )
    });
    match intent {
        Section::Wish(wish) => {
            if latin_topic {
                return None;
            }
            let mut places: Vec<String> = left
                .places
                .iter()
                .filter(|p| !p.is_province)
                .map(|p| p.text.clone())
                .collect();
            places.extend(left.words.iter().filter(|w| named_place(w)).cloned());
            places.extend(unknown_latin);
            Some(Intent::Wish(wish, places))
        }
        Section::Talk(talk) => {
            if !left.places.is_empty() || !unknown_latin.is_empty() {
                return None;
            }
            Some(Intent::Talk(talk))
        }
        Section::Filler | Section::WeakWish => None,
    }
}

/// `蠢不蠢` → `蠢`, `行不行` → `行`: a question of the form A-not-A asks
/// about A.
fn one_of_a_not_a(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // 有没有人 stays: 有没有 asks whether, not about 有.
        if i + 2 < chars.len()
            && matches!(chars[i + 1], '不' | '没')
            && chars[i] == chars[i + 2]
            && !matches!(chars[i], '有' | '在')
        {
            out.push(chars[i]);
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Vocabulary;

    fn recognise_typed(message: &str) -> Option<Intent> {
        let vocabulary = Vocabulary::shipped();
        recognise(&vocabulary.as_mandarin(message), HomeProvince::default())
    }

    fn talk(message: &str) -> Option<SmallTalk> {
        match recognise_typed(message) {
            Some(Intent::Talk(talk)) => Some(talk),
            _ => None,
        }
    }

    #[test]
    fn small_talk_is_recognised_in_the_ways_people_type_it() {
        let cases = [
            ("你好", Some(SmallTalk::Greeting)),
            ("您好！", Some(SmallTalk::Greeting)),
            ("你好啊~", Some(SmallTalk::Greeting)),
            ("在吗？", Some(SmallTalk::Greeting)),
            ("Hello", Some(SmallTalk::Greeting)),
            ("早上好😊", Some(SmallTalk::Greeting)),
            ("早晨呀各位", Some(SmallTalk::Greeting)),
            ("謝謝", Some(SmallTalk::Thanks)),
            ("谢谢啦", Some(SmallTalk::Thanks)),
            ("thank you", Some(SmallTalk::Thanks)),
            ("ty", Some(SmallTalk::Thanks)),
            ("唔该晒", Some(SmallTalk::Thanks)),
            ("多谢晒 👍", Some(SmallTalk::Thanks)),
            ("👍", Some(SmallTalk::Thanks)),
            ("拜拜", Some(SmallTalk::Bye)),
            ("你是谁", Some(SmallTalk::Who)),
            ("你是机器人吗？", Some(SmallTalk::Who)),
            ("怎么用", Some(SmallTalk::Help)),
            ("帮助", Some(SmallTalk::Help)),
            ("help?", Some(SmallTalk::Help)),
            ("你好，怎么用啊", Some(SmallTalk::Help)),
            ("呢个机器人点玩", Some(SmallTalk::Help)),
            ("你识做咩", Some(SmallTalk::Help)),
            ("请问可以问些什么", Some(SmallTalk::Help)),
            ("谢谢你 辛苦啦", Some(SmallTalk::Thanks)),
            ("你蠢唔蠢啊", Some(SmallTalk::Complaint)),
            ("答非所问😡", Some(SmallTalk::Complaint)),
            ("那东莞呢", None),
            ("我想问下东莞", None),
            ("外卖骑手 入会", None),
            ("你好 我想问下外卖骑手怎么入会", None),
            ("谢谢工会送清凉", None),
            ("湛江", None),
            ("工会有什么用", None),
            ("今天天气怎么样", None),
            ("city", None),
            ("", None),
            ("？？？", None),
        ];
        for (message, expected) in cases {
            assert_eq!(talk(message), expected, "recognise({message:?})");
        }
    }

    #[test]
    fn wishes_about_deliveries_are_recognised_with_their_places() {
        assert_eq!(
            recognise_typed("湛江有新消息提醒我一下"),
            Some(Intent::Wish(Wish::Subscribe, vec!["湛江".into()]))
        );
        assert_eq!(
            recognise_typed("每天想看东莞的新闻 怎么弄"),
            Some(Intent::Wish(Wish::Subscribe, vec!["东莞".into()]))
        );
        assert_eq!(
            recognise_typed("有新闻推送给我"),
            Some(Intent::Wish(Wish::Subscribe, vec![]))
        );
        assert_eq!(
            recognise_typed("唔好再发啦"),
            Some(Intent::Wish(Wish::Unsubscribe, vec![]))
        );
        assert_eq!(recognise_typed("外卖骑手入会有新消息提醒我"), None);
        // Questions about the news are not wishes.
        for question in [
            "湛江有新消息吗",
            "有新消息吗",
            "东莞总工会最新通知",
            "我想退出工会",
            "怎么退出工会",
        ] {
            assert!(
                !matches!(recognise_typed(question), Some(Intent::Wish(..))),
                "{question}: {:?}",
                recognise_typed(question)
            );
        }
    }
}
