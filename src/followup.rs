//! Follow-ups: a message that leans on the member's previous question.
//!
//! Two shapes are read, both only when the message has no topic of its own:
//!
//! - **Elsewhere** (`那东莞呢`, `增城的呢`, `那去年呢`): a place or a time and
//!   a follow-up word. The previous question is asked again with its places
//!   (or time) replaced: `梅州有帮农民工讨薪的吗` then `那增城呢` becomes
//!   `增城有帮农民工讨薪的吗`; after `/city 湛江` it becomes `/city 东莞`.
//! - **A fact of the first result** (`有多少人`, `什么时候开始的`, `冠军是谁`,
//!   `在哪发的`): a short question word with no place; it asks that fact of
//!   the article the previous question found first.
//!
//! Anything else is a new question. The desk keeps the previous question
//! (per chat, member and forum topic, for [`FOLLOW_UP_MINUTES`]).

use crate::query::Question;
use crate::zh::places::HomeProvince;

/// How long, in minutes, a question can be followed up on.
pub const FOLLOW_UP_MINUTES: i64 = 30;

/// Longest message, in characters, read as a question about the previous
/// first result (`一共多少人参加` is 7; a longer one is a question of its own).
const FACT_FOLLOW_UP_CHARS: usize = 12;

/// Longest message, in characters, read as a follow-up at all.
const MAX_FOLLOW_UP_CHARS: usize = 16;

/// What a message does with the previous question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// The previous question again, rewritten (another place or time).
    AskAgain(String),
    /// This message's fact, asked of the previous question's first article.
    FactOfFirst,
}

/// Words that mark a message as leaning on the previous one, at its start.
const LEADING: [&str; 6] = ["那么", "那", "还有", "换成", "如果是", "要是"];
/// The same, at its end (before punctuation).
const TRAILING: [&str; 4] = ["呢", "咧", "嘞", "怎么样"];

/// Reads `message` (understood as `now`) against the previous question
/// `previous` (its text as remembered). `None`: a question of its own.
pub fn read(previous: &str, message: &str, now: &Question, home: HomeProvince) -> Option<FollowUp> {
    // Follow-ups are short; a longer message is a question of its own.
    if message.chars().count() > MAX_FOLLOW_UP_CHARS {
        return None;
    }
    let text = now.normalized.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "？！。，、…～".contains(c)
    });
    if text.is_empty() || text.starts_with('/') {
        return None;
    }
    let marked =
        LEADING.iter().any(|w| text.starts_with(w)) || TRAILING.iter().any(|w| text.ends_with(w));
    let new_place = now
        .places
        .iter()
        .any(|p| !p.cities.is_empty() || p.is_province);
    if marked && now.words.is_empty() && (new_place || now.time.is_some()) {
        return Some(FollowUp::AskAgain(ask_again(previous, now, home)));
    }
    let short = text.chars().count() <= FACT_FOLLOW_UP_CHARS;
    if short && now.places.is_empty() && now.time.is_none() && asks_fact(now) {
        return Some(FollowUp::FactOfFirst);
    }
    None
}

/// True when a question asks for a fact (a figure, a place, a time, names or
/// a person) and has at most one word of its own (`冠军`, `参加`).
fn asks_fact(question: &Question) -> bool {
    let focus = question.focus;
    (focus.asks_fact() || focus.wants_person) && question.words.len() <= 2
}

/// The previous question with `now`'s places and time in place of its own.
fn ask_again(previous: &str, now: &Question, home: HomeProvince) -> String {
    let places: Vec<&str> = now
        .places
        .iter()
        .filter(|p| !p.cities.is_empty() || p.is_province)
        .map(|p| p.text.as_str())
        .collect();
    let places = places.join(" ");
    if let Some(rest) = previous.strip_prefix('/') {
        // A command (`/city 湛江`): the same command for the new place.
        let command = rest.split_whitespace().next().unwrap_or("");
        if !places.is_empty() {
            return format!("/{command} {places}");
        }
        return previous.to_string();
    }
    let before = Question::understand(previous, home);
    let mut text = before.normalized.clone();
    if !places.is_empty() {
        let mut replaced = false;
        for place in &before.places {
            if let Some(at) = text.find(&place.text) {
                let with = if replaced { "" } else { places.as_str() };
                text.replace_range(at..at + place.text.len(), with);
                replaced = true;
            }
        }
        if !replaced {
            text = format!("{places}{text}");
        }
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
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_home(previous: &str, message: &str) -> Option<FollowUp> {
        let home = HomeProvince::default();
        read(
            previous,
            message,
            &Question::understand(message, home),
            home,
        )
    }

    #[test]
    fn another_place_asks_the_previous_question_there() {
        assert_eq!(
            read_home("梅州有帮农民工讨薪的吗", "那增城呢"),
            Some(FollowUp::AskAgain("增城有帮农民工讨薪的吗".into()))
        );
        assert_eq!(
            read_home("湛江劳模体检", "东莞的呢？"),
            Some(FollowUp::AskAgain("东莞劳模体检".into()))
        );
        // No place before: the new one leads.
        assert_eq!(
            read_home("职工技能比赛", "那湛江呢"),
            Some(FollowUp::AskAgain("湛江职工技能比赛".into()))
        );
        // Two places before: both give way to the new one.
        assert_eq!(
            read_home("广州和佛山的送温暖活动", "那高明呢"),
            Some(FollowUp::AskAgain("高明和的送温暖活动".into()))
        );
        assert_eq!(
            read_home("/city 湛江", "那东莞呢"),
            Some(FollowUp::AskAgain("/city 东莞".into()))
        );
    }

    #[test]
    fn another_time_asks_the_previous_question_then() {
        assert_eq!(
            read_home("东莞今年的年货节", "那去年呢"),
            Some(FollowUp::AskAgain("东莞去年的年货节".into()))
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
        ] {
            assert_eq!(
                read_home("江门职工篮球赛", message),
                Some(FollowUp::FactOfFirst),
                "{message}"
            );
        }
    }

    #[test]
    fn a_question_of_its_own_is_not_a_follow_up() {
        for message in [
            "东莞",
            "湛江劳模体检有多少人",
            "东莞职工年货节在哪里举办",
            "你好",
            "/city 东莞",
            "外卖骑手怎么加入工会",
            "",
        ] {
            assert_eq!(read_home("江门职工篮球赛", message), None, "{message}");
        }
    }
}
