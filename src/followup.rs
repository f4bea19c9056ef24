//! Follow-ups: a message that leans on the member's previous question.
//!
//! The previous question is kept as it was understood ([`Asked`]: a
//! [`Question`] or a city list), never as text to parse again. A message
//! with no topic of its own is read against it:
//!
//! - **Elsewhere or another time** (`那东莞呢`, `增城的呢`, `那去年呢`,
//!   `那江门呢 几多人参加`): the previous question with its places (or time)
//!   replaced, and the new fact asked where there is one; after `/city 湛江`,
//!   `/city 东莞`. It yields a [`Request`].
//! - **A fact of the first result** (`有多少人`, `第一名系边个`, `几时开始`,
//!   `那个活动`): the fact asked of the article the previous question found
//!   first.
//!
//! "No topic of its own": every word the message has is a word of the
//! previous question, a word its first article prints, or a word that asks
//! about an event rather than names one (参加, 第一名, 报名 …). Anything else
//! is a new question. The desk keeps the previous question (per chat,
//! member and forum topic, for [`FOLLOW_UP_MINUTES`]).

use crate::article::City;
use crate::query::Question;
use crate::request::{PlaceArgument, Request};
use crate::zh::segment::segmenter;

/// How long, in minutes, a question can be followed up on.
pub const FOLLOW_UP_MINUTES: i64 = 30;

/// Longest message, in characters, read as a follow-up at all (voice input
/// runs on: `那湛江那次呢 去了几多人` is 12).
const MAX_FOLLOW_UP_CHARS: usize = 20;

/// Longest message, in characters, read as a question about the previous
/// first result whatever its words (`一共多少人参加` is 7).
const FACT_FOLLOW_UP_CHARS: usize = 12;

/// Most words a follow-up may carry (`参加`, `第一名`).
const MAX_OWN_WORDS: usize = 3;

/// What the member asked last, as understood.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Asked {
    /// A question or keywords.
    Question(Question),
    /// A city's newest list (`/city 湛江`).
    City(City),
}

/// What a conversation remembers of its last question: the question as
/// understood, and the message it was read from (so the next page of its
/// results is the same question, however the message read it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    /// The question as understood (after follow-ups were applied).
    pub asked: Asked,
    /// The member's message, trimmed (empty for a button's request).
    pub message: String,
}

impl Remembered {
    /// The remembered form (JSON), as the store keeps it.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a question serialises")
    }

    /// Reads a remembered form; `None` when it is not one (an older row,
    /// which held text: a follow-up is not worth a guess).
    pub fn from_stored(stored: &str) -> Option<Remembered> {
        serde_json::from_str(stored).ok()
    }
}

/// What a message does with the previous question.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowUp {
    /// The previous question again, rewritten (another place or time, maybe
    /// another fact): the request to answer.
    Again(Request),
    /// This message's fact, asked of the previous question's first article.
    FactOfFirst,
}

/// Words that mark a message as leaning on the previous one, at its start.
const LEADING: [&str; 8] = [
    "那么",
    "那",
    "还有",
    "换成",
    "如果是",
    "要是",
    "再查",
    "再问",
];
/// The same, at its end (before punctuation).
const TRAILING: [&str; 5] = ["呢", "咧", "嘞", "怎么样", "又如何"];
/// Words that point back at what was just found (那个活动, 佢哋).
const POINTING: [&str; 10] = [
    "那个", "这个", "那次", "这次", "那场", "这场", "他们", "它", "那里", "那边",
];

/// Words that ask about an event rather than name one: a follow-up may
/// carry them (`那江门呢 几多人参加`, `拿第一那个叫什么`).
const EVENT_WORDS: &[&str] = &[
    "参加",
    "参与",
    "参赛",
    "到场",
    "出席",
    "开始",
    "结束",
    "举办",
    "举行",
    "开展",
    "报名",
    "截止",
    "第一",
    "第一名",
    "第二名",
    "第三名",
    "冠军",
    "亚军",
    "季军",
    "一等奖",
    "二等奖",
    "三等奖",
    "获奖",
    "得奖",
    "拿第一",
    "名次",
    "成绩",
    "人数",
    "名额",
    "时间",
    "日期",
    "地点",
    "地方",
    "费用",
    "奖金",
    "奖励",
    "名字",
    "叫",
    "去",
    "来",
    "办",
    "搞",
    "拿",
    "领",
    "发",
    "给",
    "人",
    "钱",
    "谁",
    "那次",
    "这次",
    "次",
    "回",
    "具体",
    "详细",
    "内容",
    "全文",
];

/// True when a message is short enough to be a follow-up at all (longer
/// ones are questions of their own: nothing is read to compare them).
pub fn may_follow(message: &str) -> bool {
    message.chars().count() <= MAX_FOLLOW_UP_CHARS
}

/// Reads `now` (the message understood; `chars` its length as typed)
/// against the previous question `previous`, whose first article printed
/// what `first_text` gives (title and body, normalised; empty when nothing
/// was found; asked for at most once, and only when needed).
/// `None`: a question of its own.
pub fn read(
    previous: &Asked,
    now: &Question,
    chars: usize,
    first_text: &dyn Fn() -> String,
) -> Option<FollowUp> {
    // Read only when a word is not already the last question's or an
    // event word: most follow-ups never need it.
    let text_of_first = std::cell::OnceCell::new();
    let first_text = || text_of_first.get_or_init(first_text).as_str();
    if chars > MAX_FOLLOW_UP_CHARS {
        return None;
    }
    let text = now.normalized.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "？！。，、…～".contains(c)
    });
    if text.is_empty() || text.starts_with('/') {
        return None;
    }
    let before = match previous {
        Asked::Question(question) => Some(question),
        Asked::City(_) => None,
    };
    // Words of its own: none, or only words about the event asked after.
    // 那个活动, 那次比赛: the word names what was pointed at, not a new topic.
    let pointed = |w: &str| POINTING.iter().any(|p| text.contains(&format!("{p}{w}")));
    let own = now.words.iter().any(|w| {
        !EVENT_WORDS.contains(&w.as_str())
            && !pointed(w)
            && !before.is_some_and(|b| b.words.contains(w))
            && !first_text().contains(w.as_str())
    });
    let leaning = !own && now.words.len() <= MAX_OWN_WORDS;
    // Asked elsewhere, a word is the member's own unless the last question
    // or an event word has it (那东莞疗休养呢 after 湛江劳模体检 asks about
    // 疗休养, whatever the first article printed).
    let own_elsewhere = now.words.iter().any(|w| {
        !EVENT_WORDS.contains(&w.as_str())
            && !pointed(w)
            && !before.is_some_and(|b| b.words.contains(w))
    });
    let marked = LEADING.iter().any(|w| text.starts_with(w))
        || TRAILING.iter().any(|w| text.contains(w))
        || POINTING.iter().any(|w| text.contains(w));
    let asks = asks_fact(now);
    let new_places: Vec<_> = now
        .places
        .iter()
        .filter(|p| !p.cities.is_empty() || p.is_province)
        .filter(|p| !before.is_some_and(|b| b.places.iter().any(|q| q.text == p.text)))
        .cloned()
        .collect();
    let new_time = now
        .time
        .as_ref()
        .filter(|t| before.is_none_or(|b| b.time.as_ref() != Some(*t)));
    // 湛江有什么新闻 asks for news, not about the last topic.
    let asked_elsewhere = leaning
        && !own_elsewhere
        && !now.asks_for_news()
        && (!new_places.is_empty() && (marked || asks) || new_time.is_some() && marked);
    if asked_elsewhere {
        return Some(FollowUp::Again(match previous {
            Asked::City(city) => {
                let place = new_places
                    .iter()
                    .find_map(|p| p.cities.first().map(|c| (p, c)));
                match place {
                    Some((place, city)) => Request::City {
                        place: PlaceArgument::City {
                            city: city.clone(),
                            typed: place.text.clone(),
                        },
                        page: 1,
                    },
                    None => Request::City {
                        place: PlaceArgument::City {
                            city: city.clone(),
                            typed: city.short_name().to_string(),
                        },
                        page: 1,
                    },
                }
            }
            Asked::Question(before) => Request::Understood {
                question: Box::new(elsewhere(before, now, &new_places)),
                page: 1,
            },
        }));
    }
    // A short question for a fact (有多少人参加, 能回哪些省) asks it of the
    // first result whatever its words; a longer one when it has none of its own.
    let short_fact = text.chars().count() <= FACT_FOLLOW_UP_CHARS && asks && now.words.len() <= 2;
    // Words all from the first article (消费券点样减 after 年货节), maybe with
    // a time that is part of the fact (春节前发几多): more about that article.
    // It must add something: the same question again is asked again.
    // A verb the article words otherwise (安排, 容纳) may be the member's own.
    let about_first = !now.words.is_empty()
        && !first_text().is_empty()
        && now.words.iter().any(|w| first_text().contains(w.as_str()))
        && now
            .words
            .iter()
            .all(|w| first_text().contains(w.as_str()) || !segmenter().names_a_thing(w))
        && now
            .words
            .iter()
            .any(|w| !before.is_some_and(|b| b.words.contains(w)));
    let asks_how = ["怎样", "怎么", "如何"].iter().any(|w| text.contains(w));
    if now.places.is_empty()
        && !now.asks_for_news()
        && (now.time.is_none() && (short_fact || leaning && (asks || marked))
            || leaning && about_first && (asks || marked || asks_how))
    {
        return Some(FollowUp::FactOfFirst);
    }
    None
}

/// True when a question asks for a fact (a figure, a place, a time, names or
/// a person).
fn asks_fact(question: &Question) -> bool {
    let focus = question.focus;
    focus.asks_fact() || focus.wants_person || focus.wants_list
}

/// The previous question asked in `now`'s places (and time), with `now`'s
/// fact where it asks one; its text rewritten to show how it was read.
fn elsewhere(
    before: &Question,
    now: &Question,
    new_places: &[crate::query::NamedPlace],
) -> Question {
    let mut question = before.clone();
    let mut text = before.normalized.clone();
    if !new_places.is_empty() {
        let names: Vec<&str> = new_places.iter().map(|p| p.text.as_str()).collect();
        let names = names.join(" ");
        let mut replaced = false;
        for place in &before.places {
            if let Some(at) = text.find(&place.text) {
                let with = if replaced { "" } else { names.as_str() };
                text.replace_range(at..at + place.text.len(), with);
                replaced = true;
            }
        }
        if !replaced {
            text = format!("{names}{text}");
        }
        question.places = new_places.to_vec();
    }
    if let Some(time) = &now.time {
        match before
            .time
            .as_ref()
            .and_then(|t| text.find(&t.text).map(|at| (at, t)))
        {
            Some((at, old)) => text.replace_range(at..at + old.text.len(), &time.text),
            None => text = format!("{}{text}", time.text),
        }
        question.time = Some(time.clone());
    }
    if asks_fact(now) {
        question.focus = now.focus;
        // Show the fact asked: 湛江劳模体检 + 有多少人.
        let asked = now.normalized.trim_start_matches(['那', '么']);
        let asked: String = asked
            .chars()
            .skip_while(|c| !crate::zh::is_han(*c) || c == &'呢')
            .collect();
        let fact = new_places
            .iter()
            .fold(asked, |t, p| t.replace(&p.text, ""))
            .replace('呢', "");
        let fact = fact.trim();
        if !fact.is_empty() && !text.contains(fact) {
            text = format!("{text} {fact}");
        }
    }
    question.normalized = text;
    question
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zh::places::HomeProvince;

    fn understand(text: &str) -> Question {
        Question::understand(text, HomeProvince::default())
    }

    fn read_after(previous: &str, message: &str, first_text: &str) -> Option<FollowUp> {
        let first_text = first_text.to_string();
        read(
            &Asked::Question(understand(previous)),
            &understand(message),
            message.chars().count(),
            &|| first_text.clone(),
        )
    }

    fn asked_again(previous: &str, message: &str) -> Option<String> {
        match read_after(previous, message, "") {
            Some(FollowUp::Again(Request::Understood { question, .. })) => {
                Some(question.normalized)
            }
            _ => None,
        }
    }

    #[test]
    fn another_place_asks_the_previous_question_there() {
        assert_eq!(
            asked_again("梅州有帮农民工讨薪的吗", "那增城呢").as_deref(),
            Some("增城有帮农民工讨薪的吗")
        );
        assert_eq!(
            asked_again("湛江劳模体检", "东莞的呢？").as_deref(),
            Some("东莞劳模体检")
        );
        assert_eq!(
            asked_again("职工技能比赛", "那湛江呢").as_deref(),
            Some("湛江职工技能比赛")
        );
        let again = read_after("湛江劳模体检", "那东莞呢", "");
        let Some(FollowUp::Again(Request::Understood { question, .. })) = again else {
            panic!("{again:?}")
        };
        assert_eq!(question.city_codes(), [4419]);
        assert_eq!(question.words, understand("湛江劳模体检").words);
    }

    #[test]
    fn a_place_and_a_fact_ask_that_fact_there() {
        let again = read_after("湛江送清凉活动", "那江门呢 多少人参加", "");
        let Some(FollowUp::Again(Request::Understood { question, .. })) = again else {
            panic!("{again:?}")
        };
        assert_eq!(question.city_codes(), [4407]);
        assert!(question.focus.wants_figure);
        assert!(
            question.normalized.contains("江门"),
            "{}",
            question.normalized
        );
    }

    #[test]
    fn a_city_list_is_followed_by_another_citys_list() {
        let zhanjiang = match PlaceArgument::resolve("湛江", HomeProvince::default()) {
            PlaceArgument::City { city, .. } => city,
            other => panic!("{other:?}"),
        };
        let again = read(
            &Asked::City(zhanjiang),
            &understand("那东莞呢"),
            4,
            &String::new,
        );
        assert!(
            matches!(&again, Some(FollowUp::Again(Request::City { place: PlaceArgument::City { city, .. }, .. })) if city.short_name() == "东莞"),
            "{again:?}"
        );
    }

    #[test]
    fn another_time_asks_the_previous_question_then() {
        assert_eq!(
            asked_again("东莞今年的年货节", "那去年呢").as_deref(),
            Some("东莞去年的年货节")
        );
    }

    #[test]
    fn a_short_fact_question_asks_about_the_first_result() {
        for message in [
            "有多少人参加",
            "什么时候开始的",
            "冠军是谁",
            "在哪发的",
            "一共多少人参加",
            "啥时候开的",
            "第一名是谁",
            "拿第一那个叫什么",
            "那个活动",
        ] {
            assert_eq!(
                read_after("江门职工篮球赛", message, ""),
                Some(FollowUp::FactOfFirst),
                "{message}"
            );
        }
    }

    #[test]
    fn the_same_question_again_is_asked_again() {
        let first = "番禺区326名外卖骑手集中入会";
        assert_eq!(read_after("外卖骑手 入会", "外卖骑手 入会", first), None);
    }

    #[test]
    fn a_question_of_its_own_is_not_a_follow_up() {
        for message in [
            "东莞",
            "湛江劳模体检有多少人",
            "东莞职工年货节在哪里举办",
            "外卖骑手怎么加入工会",
            "/city 东莞",
            "",
        ] {
            assert_eq!(
                read_after("江门职工篮球赛", message, "江门市职工篮球赛"),
                None,
                "{message}"
            );
        }
    }

    #[test]
    fn a_remembered_question_reads_back_as_it_was() {
        let remembered = Remembered {
            asked: Asked::Question(understand("湛江几月有劳模体检")),
            message: "湛江几月有劳模体检".into(),
        };
        assert_eq!(
            Remembered::from_stored(&remembered.to_stored()),
            Some(remembered)
        );
        assert_eq!(Remembered::from_stored("湛江劳模体检"), None);
    }
}
