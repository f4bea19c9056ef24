//! Questions the news cannot answer: a member's own rights and procedures
//! (wages owed to them, dismissal, contracts, insurance, dues) and requests
//! the bot is not for (weather, shopping, lottery).
//!
//! For such a question an article is listed only when it names what was
//! asked; otherwise the reply says so and where to ask instead
//! (`data/lexicon/beyond-news.txt`).

use crate::query::Question;
use crate::vocabulary::Synonyms;
use crate::zh::WordsByFirstChar;
use crate::zh::segment::segmenter;
use std::sync::LazyLock;

const BEYOND_FILE: &str = include_str!("../data/lexicon/beyond-news.txt");

/// What kind of question news rarely answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beyond {
    /// A member's own rights or a procedure: the words that say which.
    Rights(Vec<String>),
    /// Not what the bot is for: the word that says so.
    OffTopic(String),
}

struct BeyondWords {
    rights: Vec<String>,
    off_topic: Vec<String>,
    /// Both lists, for the quick test most questions stop at.
    any: WordsByFirstChar,
}

static WORDS: LazyLock<BeyondWords> = LazyLock::new(|| {
    let mut words = BeyondWords {
        rights: Vec::new(),
        off_topic: Vec::new(),
        any: WordsByFirstChar::default(),
    };
    let mut section: Option<&str> = None;
    for line in BEYOND_FILE.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(if name == "rights" {
                "rights"
            } else {
                "off-topic"
            });
            continue;
        }
        let list = match section {
            Some("rights") => &mut words.rights,
            Some(_) => &mut words.off_topic,
            None => continue,
        };
        list.extend(line.split_whitespace().map(str::to_lowercase));
    }
    // Longest first: 失业保险金 is one thing asked, not 失业保险 and 保险金.
    words
        .rights
        .sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words
        .off_topic
        .sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.any = WordsByFirstChar::new(
        words
            .rights
            .iter()
            .chain(&words.off_topic)
            .map(String::as_str),
    );
    words
});

/// The words of `list` in `text`, longest first, none inside another found,
/// each where it starts or ends a word (`bounds`: where jieba cuts `text`).
fn found_in(text: &str, bounds: &[usize], list: &[String]) -> Vec<String> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for word in list {
        let whole = text.match_indices(word.as_str()).find(|&(at, _)| {
            let end = at + word.len();
            // Starting or ending a word: 年假 is not in 过年|假期, 下雨 is in
            // 落不|下雨 however jieba cuts the rest.
            (bounds.binary_search(&at).is_ok() || bounds.binary_search(&end).is_ok())
                && !taken.iter().any(|&(s, e)| at < e && s < end)
        });
        if let Some((at, _)) = whole {
            taken.push((at, at + word.len()));
            found.push(word.clone());
        }
    }
    found
}

/// What kind of question `question` is, when news rarely answers it.
pub fn classify(question: &Question) -> Option<Beyond> {
    let words = &*WORDS;
    let text = &question.normalized;
    // Most questions name none of the words: no cutting for them.
    if !words.any.any_in(text) {
        return None;
    }
    let bounds = segmenter().cuts(text);
    let rights = found_in(text, &bounds, &words.rights);
    if !rights.is_empty() {
        return Some(Beyond::Rights(rights));
    }
    found_in(text, &bounds, &words.off_topic)
        .into_iter()
        .next()
        .map(Beyond::OffTopic)
}

/// An article as [`Beyond::answered_by`] reads it: normalised text.
#[derive(Debug, Clone, Copy)]
pub struct ArticleText<'a> {
    /// The headline.
    pub title: &'a str,
    /// The headline and the first paragraph.
    pub lead: &'a str,
    /// The headline and every paragraph.
    pub whole: &'a str,
}

impl Beyond {
    /// True when an article really is on what was asked. For a rights
    /// question: it names every word that made the question one (or a word
    /// of its synonym group) in its title or lede, or names them anywhere
    /// and every other topic word of the question too (`other_words`: 没签合同
    /// 啥能当证据 is answered by an article on 证据 for 合同 at 工地). For an
    /// off-topic request: its title names the word, or it names every other
    /// topic word of the question (高温天气送清凉 is news about 送清凉).
    pub fn answered_by(
        &self,
        article: ArticleText<'_>,
        other_words: &[String],
        synonyms: &Synonyms,
    ) -> bool {
        let names = |text: &str, word: &String| {
            text.contains(word.as_str())
                || synonyms.of(word).iter().any(|w| text.contains(w.as_str()))
        };
        match self {
            Beyond::Rights(words) => {
                words.iter().all(|w| names(article.lead, w))
                    || words.iter().all(|w| names(article.whole, w))
                        && !other_words.is_empty()
                        && other_words.iter().all(|w| names(article.whole, w))
            }
            Beyond::OffTopic(word) => {
                names(article.title, word)
                    || !other_words.is_empty()
                        && other_words.iter().all(|w| names(article.whole, w))
            }
        }
    }

    /// The question's topic words that are not what made it this kind.
    pub fn other_words(&self, question: &Question) -> Vec<String> {
        let made = match self {
            Beyond::Rights(words) => words.clone(),
            Beyond::OffTopic(word) => vec![word.clone()],
        };
        question
            .words
            .iter()
            .filter(|w| {
                !made
                    .iter()
                    .any(|m| m.contains(w.as_str()) || w.contains(m.as_str()))
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Vocabulary;
    use crate::zh::places::HomeProvince;

    fn classify_typed(message: &str) -> Option<Beyond> {
        let vocabulary = Vocabulary::shipped();
        classify(&Question::understand(
            &vocabulary.as_mandarin(message),
            HomeProvince::default(),
        ))
    }

    #[test]
    fn rights_questions_and_off_topic_requests_are_told_apart() {
        assert!(matches!(
            classify_typed("公司无端端炒咗我 有冇赔偿㗎"),
            Some(Beyond::Rights(words)) if words.contains(&"炒了我".to_string())
        ));
        assert!(matches!(
            classify_typed("失业保险金点样领"),
            Some(Beyond::Rights(words)) if words == ["失业保险金"]
        ));
        assert!(matches!(
            classify_typed("听日广州落唔落雨"),
            Some(Beyond::OffTopic(_))
        ));
        for news in [
            "过年假期工会送温暖",
            "集体合同续签",
            "番禺外卖骑手入会送什么",
            "湛江劳模体检",
            "东莞疗休养要自己掏钱不",
        ] {
            assert_eq!(classify_typed(news), None, "{news}");
        }
    }

    #[test]
    fn an_article_answers_only_when_it_names_what_was_asked() {
        let synonyms = Vocabulary::shipped().synonyms;
        let asked = Beyond::Rights(vec!["劳动合同".into(), "经济补偿".into()]);
        let text = |title, lead, whole| ArticleText { title, lead, whole };
        let signed = "工会帮职工签订劳动合同";
        assert!(!asked.answered_by(text("", signed, signed), &[], &synonyms));
        let lead = "劳动合同到期不续签的经济补偿";
        assert!(asked.answered_by(text("", lead, lead), &[], &synonyms));
        let body = "律师讲解劳动合同和经济补偿，工地上的证据";
        assert!(!asked.answered_by(text("", "", body), &[], &synonyms));
        assert!(asked.answered_by(text("", "", body), &["证据".into()], &synonyms));
        let weather = Beyond::OffTopic("下雨".into());
        let rain = "刮风下雨也在路上";
        assert!(!weather.answered_by(text("快递小哥", rain, rain), &[], &synonyms));
        // 高温天气送清凉: news about 送清凉, whatever the weather.
        let heat = Beyond::OffTopic("天气".into());
        let cool = "高温天气里工会送清凉";
        let asked = ["高温".to_string(), "送清凉".to_string()];
        assert!(heat.answered_by(text("送清凉", cool, cool), &asked, &synonyms));
    }
}
