//! Small talk: greetings, thanks, 你是谁, 怎么用. A message that is one of
//! the phrases in `data/lexicon/chat.txt` (without its punctuation, emoji and
//! trailing particles) is talk to the bot, not a question about the news,
//! and gets a short friendly reply instead of a search.

use crate::zh::normalize;
use std::collections::HashMap;
use std::sync::LazyLock;

const CHAT_FILE: &str = include_str!("../data/lexicon/chat.txt");

/// What a member said to the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmallTalk {
    /// 你好, 在吗, 早上好.
    Greeting,
    /// 谢谢, 好的.
    Thanks,
    /// 你是谁, 这是什么.
    Who,
    /// 怎么用, 帮助, 菜单.
    Help,
}

static PHRASES: LazyLock<HashMap<String, SmallTalk>> = LazyLock::new(|| {
    let mut phrases = HashMap::new();
    let mut section = None;
    for line in CHAT_FILE.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = match name {
                "greeting" => Some(SmallTalk::Greeting),
                "thanks" => Some(SmallTalk::Thanks),
                "who" => Some(SmallTalk::Who),
                "help" => Some(SmallTalk::Help),
                _ => None,
            };
            continue;
        }
        let Some(kind) = section else { continue };
        for phrase in line.split_whitespace() {
            phrases.insert(key(phrase), kind);
        }
    }
    phrases
});

/// Particles a member may add at the end (你好啊, 在吗呢, 谢谢啦).
const TRAILING: &[char] = &[
    '啊', '呀', '呢', '哈', '啦', '吧', '哦', '喔', '嘛', '哇', '~', '～',
];

/// Fillers a member may put first (请问怎么用, 这个怎么用, 我可以问什么).
const LEADING: &[&str] = &[
    "请问",
    "我想知道",
    "我想问",
    "想问下",
    "这个",
    "那个",
    "那",
    "我",
    "请",
];

/// The text a phrase is looked up by: normalised, letters and digits only,
/// leading fillers and trailing particles dropped.
fn key(text: &str) -> String {
    let letters: String = normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut key = letters.as_str();
    if let Some(rest) = LEADING
        .iter()
        .find_map(|filler| key.strip_prefix(filler))
        .filter(|rest| rest.chars().count() >= 2)
    {
        key = rest;
    }
    while let Some(shorter) = key.strip_suffix(TRAILING) {
        if shorter.is_empty() {
            break;
        }
        key = shorter;
    }
    key.to_string()
}

/// The small talk a message is, if it is one.
pub fn recognise(message: &str) -> Option<SmallTalk> {
    // Long messages are questions, whatever they start with.
    if message.chars().count() > 24 {
        return None;
    }
    let whole = key(message);
    if whole.is_empty() {
        return None;
    }
    PHRASES.get(&whole).copied().or_else(|| {
        // 你好，在吗 / 谢谢 你: two phrases, or a phrase and a pronoun.
        let words: Vec<String> = message
            .split(|c: char| !c.is_alphanumeric())
            .map(key)
            .filter(|w| !w.is_empty() && !["你", "您", "机器人", "小助手"].contains(&w.as_str()))
            .collect();
        let kinds: Vec<SmallTalk> = words
            .iter()
            .filter_map(|w| PHRASES.get(w).copied())
            .collect();
        (words.len() >= 2 && kinds.len() == words.len())
            .then(|| kinds.into_iter().max_by_key(|k| priority(*k)))
            .flatten()
    })
}

/// When a message is two kinds at once (你好，怎么用), the more useful answer wins.
fn priority(kind: SmallTalk) -> u8 {
    match kind {
        SmallTalk::Help => 3,
        SmallTalk::Who => 2,
        SmallTalk::Greeting => 1,
        SmallTalk::Thanks => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_thanks_and_help_are_recognised_in_the_ways_people_type_them() {
        let cases = [
            ("你好", Some(SmallTalk::Greeting)),
            ("您好！", Some(SmallTalk::Greeting)),
            ("你好啊~", Some(SmallTalk::Greeting)),
            ("在吗？", Some(SmallTalk::Greeting)),
            ("Hello", Some(SmallTalk::Greeting)),
            ("早上好😊", Some(SmallTalk::Greeting)),
            ("謝謝", Some(SmallTalk::Thanks)),
            ("谢谢啦", Some(SmallTalk::Thanks)),
            ("thank you", Some(SmallTalk::Thanks)),
            ("你是谁", Some(SmallTalk::Who)),
            ("你是机器人吗？", Some(SmallTalk::Who)),
            ("怎么用", Some(SmallTalk::Help)),
            ("帮助", Some(SmallTalk::Help)),
            ("菜单", Some(SmallTalk::Help)),
            ("help", Some(SmallTalk::Help)),
            ("你好，怎么用啊", Some(SmallTalk::Help)),
            ("你能干啥", Some(SmallTalk::Help)),
            ("这个怎么用？", Some(SmallTalk::Help)),
            ("请问可以问些什么", Some(SmallTalk::Help)),
            ("谢谢你 辛苦啦", Some(SmallTalk::Thanks)),
            ("那东莞呢", None),
            ("我想问下东莞", None),
            ("外卖骑手 入会", None),
            ("你好 我想问下外卖骑手怎么入会", None),
            ("谢谢工会送清凉", None),
            ("湛江", None),
            ("", None),
            ("？？？", None),
        ];
        for (message, expected) in cases {
            assert_eq!(recognise(message), expected, "recognise({message:?})");
        }
    }
}
