//! Understanding a member's question: which words carry its topic, which
//! places it names, and what kind of fact it asks for.
//!
//! The question is normalised exactly as articles are at index time, then
//! segmented; question words, particles and chat noise are dropped
//! (`data/lexicon/stopwords.txt`), places are taken out as a city filter.

use crate::article::City;
use crate::claim::{self, Claim};
use crate::focus::{Expect, Focus};
use crate::when::TimeWords;
use crate::zh::places::{HomeProvince, PlaceMention, gazetteer, strip_suffix};
use crate::zh::{is_han, normalize, segment::segmenter};
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NamedPlace {
    /// The words as typed (normalised): `吴川`, `zhanjiang`.
    pub text: String,
    /// The prefecture cities it stands for (empty for a province or an
    /// ambiguous name that could not be settled).
    pub cities: Vec<City>,
    /// True when the place is a whole province (no city filter).
    pub is_province: bool,
    /// The prefecture city codes an ambiguous name may mean (新塘: 广州,
    /// 潮州 …), for the desk to settle by its archive; empty otherwise.
    #[serde(default)]
    pub candidates: Vec<u32>,
}

/// A question, understood.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    /// The normalised text.
    pub normalized: String,
    /// Topic words in the order typed, without duplicates.
    pub words: Vec<String>,
    /// Places named.
    pub places: Vec<NamedPlace>,
    /// What kind of fact it asks for.
    pub focus: Focus,
    /// The time words it names, if any (`上个月`, `最近`).
    pub time: Option<TimeWords>,
    /// Lone characters joined with the word beside them, for typo repair:
    /// `蓝球赛` segments as `蓝` + `球赛`, and only the whole sounds like `篮球赛`.
    pub joined: Vec<Joined>,
    /// The figure a member heard and asks about (听说…每人奖5万 真的吗).
    #[serde(default)]
    pub claim: Option<Claim>,
    /// True for a photo caption (图为…): the member wants the event's report.
    #[serde(default)]
    pub caption: bool,
}

/// A lone character joined with a neighbouring word (see [`Question::joined`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Joined {
    /// The joined text.
    pub text: String,
    /// The topic word it would replace, if the neighbour was one.
    pub replaces: Option<String>,
}

impl Question {
    /// Understands a message text; `home` settles place names that several
    /// provinces have.
    pub fn understand(text: &str, home: HomeProvince) -> Question {
        let normalized =
            split_glued_places(&join_separated_verbs(&normalize(&strip_markup(text))), home);
        let mentions = gazetteer().mentions(&normalized, home);
        let mut places: Vec<NamedPlace> = Vec::new();
        let mut place_spans: Vec<(usize, usize)> = Vec::new();
        for mention in &mentions {
            place_spans.push((mention.start, mention.end));
            push_place(&mut places, named_place(mention));
        }
        // Time words are not topic words: `1月`'s `1` must not match every figure.
        let mut time = TimeWords::find(&normalized);
        if let Some(at) = time.as_ref().and_then(|t| normalized.find(&t.text)) {
            place_spans.push((at, at + time.as_ref().map_or(0, |t| t.text.len())));
        }
        // Two different times (去年过年没回家，今年想回家): the member tells a
        // story, not when the news was; neither filters, neither is a topic.
        if let Some(first) = &time {
            let rest = normalized.replacen(&first.text, &" ".repeat(first.text.len()), 1);
            use crate::when::TimeExpr::{Year, YearOffset};
            let a_year = |t: &TimeWords| matches!(t.expr, Year(_) | YearOffset(_));
            // Only two years conflict; 今年1月 or 今年春节前 refine each other.
            if let Some(second) = TimeWords::find(&rest)
                && a_year(first)
                && a_year(&second)
                && second.expr != first.expr
            {
                if let Some(at) = rest.find(&second.text) {
                    place_spans.push((at, at + second.text.len()));
                }
                time = None;
            }
        }
        // A keyword typed on its own (`新会 骑手 驿站`) that names a place
        // is that place, however jieba would split it.
        let mut at = 0;
        for whole in normalized.split(' ') {
            // `那浈江呢`, `增城的呢`: a follow-up's place between its marks.
            let lead = ["那么", "那"]
                .iter()
                .find_map(|m| whole.strip_prefix(m).map(|_| m.len()))
                .unwrap_or(0);
            let token = whole[lead..].trim_end_matches('呢').trim_end_matches('的');
            let span = (at + lead, at + lead + token.len());
            at += whole.len() + 1;
            let covered = place_spans.iter().any(|&(s, e)| s <= span.0 && span.1 <= e);
            let chars = token.chars().count();
            if (2..=4).contains(&chars)
                && token.chars().all(is_han)
                && !covered
                && !gazetteer().lookup(token).is_empty()
                && let Some(place) = standalone_place(token, home)
            {
                place_spans.push(span);
                push_place(&mut places, place);
            }
        }
        let mut words: Vec<String> = Vec::new();
        let segments = segmenter().words(&normalized);
        let mut joined = Vec::new();
        let in_place = |word: &crate::zh::segment::Word| {
            place_spans
                .iter()
                .any(|&(s, e)| word.start >= s && word.end <= e)
        };
        for (i, word) in segments.iter().enumerate() {
            let inside_place = in_place(word);
            if !inside_place && is_lone_char(word.text) {
                for neighbour in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                    let Some(other) = segments.get(neighbour).filter(|o| !in_place(o)) else {
                        continue;
                    };
                    let chars = other.text.chars().count();
                    if !(1..=3).contains(&chars) || !other.text.chars().all(is_han) {
                        continue;
                    }
                    let text = if neighbour < i {
                        format!("{}{}", other.text, word.text)
                    } else {
                        format!("{}{}", word.text, other.text)
                    };
                    let replaces =
                        (chars > 1 && !is_stopword(other.text)).then(|| other.text.to_string());
                    joined.push(Joined { text, replaces });
                }
            }
            // `哪个岛上`, `哪个村`: the kind of place asked for, not a topic.
            let asked_place_kind = i > 0
                && segments[i - 1].text.starts_with('哪')
                && word.text.chars().all(|c| PLACE_KIND_CHARS.contains(c));
            // A word jieba cut across a time or place (`春节前发` → `前发`):
            // only its part outside them is the member's.
            let mut word = *word;
            if let Some(&(s, e)) = place_spans.iter().find(|&&(s, e)| {
                word.start < e && s < word.end && !(s <= word.start && word.end <= e)
            }) {
                if s <= word.start {
                    word.start = e;
                } else {
                    word.end = s;
                }
                word.text = &normalized[word.start..word.end];
            }
            if inside_place
                || asked_place_kind
                || is_stopword(word.text)
                || !is_topic_word(word.text)
            {
                continue;
            }
            // Latin words may be pinyin place names (`zhanjiang`); a Chinese
            // word the text scan left alone because it is also an ordinary
            // word (`番禺`, `虎门`) counts when it names one place in the home province.
            if let Some(place) = standalone_place(word.text, home) {
                push_place(&mut places, place);
                continue;
            }
            if !words.iter().any(|w| w == word.text) {
                words.push(word.text.to_string());
            }
        }
        let claim = claim::read(&normalized);
        let mut focus = focus_of(&normalized);
        if let Some(claim) = &claim {
            // The member's figure is checked against the report's.
            focus.wants_figure = true;
            focus.expects = claim.counts.expect();
        }
        Question {
            focus,
            caption: is_caption(&normalized),
            normalized,
            words,
            places,
            time,
            joined,
            claim,
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

    /// True when the question asks for the news as such (最近有什么新闻,
    /// 最新消息, 有啥新鲜事) rather than about a topic: a word for news, or
    /// 最近/最新, with no topic word.
    pub fn asks_for_news(&self) -> bool {
        const NEWS: [&str; 8] = [
            "新闻",
            "消息",
            "报道",
            "资讯",
            "动态",
            "新鲜事",
            "啥事",
            "什么事",
        ];
        self.words.is_empty()
            && (NEWS.iter().any(|w| self.normalized.contains(w))
                || self
                    .time
                    .as_ref()
                    .is_some_and(|t| t.expr == crate::when::TimeExpr::Recent))
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
    let mut candidates: Vec<u32> = Vec::new();
    if mention.city.is_none() && !mention.is_province {
        for code in mention
            .places
            .iter()
            .filter_map(|p| p.city.as_ref().map(|c| c.code))
        {
            if !candidates.contains(&code) {
                candidates.push(code);
            }
        }
    }
    NamedPlace {
        text: mention.text.clone(),
        cities: mention.city.iter().cloned().collect(),
        is_province: mention.is_province,
        candidates,
    }
}

fn standalone_place(word: &str, home: HomeProvince) -> Option<NamedPlace> {
    use crate::zh::places::CityLookup;
    // 平台, 火星: everyday words that some town is also called.
    if !word.is_ascii() && crate::zh::places::is_everyday_word(word) {
        return None;
    }
    let gazetteer = gazetteer();
    match gazetteer.resolve_city(word, home) {
        CityLookup::City(city) if word.is_ascii() || city.province == home.name() => {
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
                candidates: Vec::new(),
            })
        }
        CityLookup::Province(name, _) if word.is_ascii() => Some(NamedPlace {
            text: strip_suffix(&name).to_string(),
            cities: Vec::new(),
            is_province: true,
            candidates: Vec::new(),
        }),
        _ => None,
    }
}

/// Text without the markup a member may paste with it: HTML tags and
/// entities, Markdown emphasis and code marks, and link targets
/// (`[文字](http://…)` keeps `文字`). The words inside are kept.
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let skip = match c {
            // `<b>`, `</script>`: a tag of at most 40 characters.
            '<' => rest[1..]
                .find('>')
                .filter(|&end| end <= 40 && !rest[1..1 + end].contains('<'))
                .map(|end| end + 2),
            // `&amp;`, `&#38;`.
            '&' => rest[1..]
                .find(';')
                .filter(|&end| {
                    (1..=8).contains(&end)
                        && rest[1..1 + end]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '#')
                })
                .map(|end| end + 2),
            // `](http://…)`: the target of a Markdown link.
            ']' if rest[1..].starts_with('(') => rest.find(')').map(|end| end + 1),
            '*' | '_' | '`' | '[' | ']' | '#' | '~' => Some(1),
            _ => None,
        };
        match skip {
            Some(n) => {
                out.push(' ');
                rest = &rest[n..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// What may follow a place name in one word jieba knows (湛江港, 广州市区):
/// the place is still the place asked about.
const GLUED_TO_PLACES: &[&str] = &["港", "市区", "城区", "地区", "一带", "本地"];

/// The text with a space after a place name that jieba glues to what
/// follows it (`湛江港口门机` → `湛江 港口门机`), so the place is read as one
/// and the rest as its own words.
fn split_glued_places(text: &str, home: HomeProvince) -> String {
    let mut cuts: Vec<usize> = Vec::new();
    for word in segmenter().words(text) {
        let chars: Vec<(usize, char)> = word.text.char_indices().collect();
        if chars.len() < 3 || !word.text.chars().all(is_han) {
            continue;
        }
        let cut = (2..=3.min(chars.len() - 1)).find(|&n| {
            let (at, _) = chars[n];
            let (place, rest) = word.text.split_at(at);
            GLUED_TO_PLACES.iter().any(|g| rest.starts_with(g))
                && gazetteer().lookup(word.text).is_empty()
                && standalone_place(place, home).is_some()
        });
        if let Some(n) = cut {
            cuts.push(word.start + chars[n].0);
        }
    }
    let mut out = text.to_string();
    for at in cuts.into_iter().rev() {
        out.insert(at, ' ');
    }
    out
}

/// How photo captions begin (图为…, 📷 …): a member forwarding a picture's
/// caption wants the report of the event.
const CAPTION_OPENERS: &[&str] = &[
    "图为",
    "图:",
    "图：",
    "图片:",
    "图片：",
    "照片:",
    "照片：",
    "📷",
    "📸",
    "[图片]",
    "（图）",
];

fn is_caption(normalized: &str) -> bool {
    let text = normalized.trim_start();
    CAPTION_OPENERS.iter().any(|o| text.starts_with(o))
}

/// Puts back together a verb-object word split by an aspect particle, as
/// speech does (`入了会` → `入会`, `放过假` → `放假`), when the joined word is
/// in the dictionary.
fn join_separated_verbs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let separates = matches!(c, '了' | '过')
            && i > 0
            && i + 1 < chars.len()
            && is_han(chars[i - 1])
            && is_han(chars[i + 1])
            && segmenter().is_known_word(&format!("{}{}", chars[i - 1], chars[i + 1]))
            && !is_stopword(&format!("{}{}", chars[i - 1], chars[i + 1]));
        if !separates {
            out.push(c);
        }
    }
    out
}

/// A number with its measure word (`一斤`, `一年`, `两次`): how much, not what.
fn is_quantity(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(first), Some(last)) = (chars.next(), word.chars().last()) else {
        return false;
    };
    let numeral = |c: char| "一二两三四五六七八九十百千万几半每".contains(c);
    word.chars().count() >= 2
        && (numeral(first) || first.is_ascii_digit())
        && word
            .chars()
            .skip(1)
            .take(word.chars().count() - 2)
            .all(|c| numeral(c) || c.is_ascii_digit())
        && (crate::focus::is_measure_word(last) || "斤年天月次".contains(last))
}

/// A single Chinese character that is not a particle: a candidate typo half.
fn is_lone_char(word: &str) -> bool {
    word.chars().count() == 1 && word.chars().all(is_han) && !is_stopword(word)
}

/// A word worth searching for: it has a letter or digit, and is not a lone
/// Chinese character (those are particles or too vague to rank by).
fn is_topic_word(word: &str) -> bool {
    if !word.chars().any(char::is_alphanumeric) || is_quantity(word) {
        return false;
    }
    // A lone character, Chinese or Latin (`x`, `2`), is too vague to rank by.
    word.chars().count() > 1
}

/// What kind of fact the question asks for, from its question words.
fn focus_of(normalized: &str) -> Focus {
    let has = |list: &[&str]| list.iter().any(|w| normalized.contains(w));
    let wants_figure = has(&[
        "多少",
        "几",
        "多大",
        "多长",
        "多久",
        "多高",
        "多远",
        "百分之",
        "多钱",
    ]) && !has(&["几月", "几号", "几点"])
        // 哪几位, 哪几样 ask which, not how many.
        && !(normalized.contains("哪几") && !normalized.replace("哪几", "").contains('几') && !has(&["多少"]));
    Focus {
        wants_figure,
        wants_place: has(&[
            "哪里",
            "哪儿",
            "在哪",
            "什么地方",
            "何地",
            "何处",
            "地址",
            "位置",
            "什么位置",
        ]) || asks_which_place(normalized),
        wants_time: has(&[
            "什么时候",
            "哪天",
            "何时",
            "几月",
            "几号",
            "啥时候",
            "哪一天",
        ]),
        expects: if wants_figure {
            expected_figure(normalized)
        } else {
            Expect::Any
        },
        also_expects: if wants_figure {
            second_figure(normalized)
        } else {
            None
        },
        wants_total: wants_figure && has(&crate::focus::TOTAL_QUESTION),
        wants_person: has(&[
            "谁",
            "哪位",
            "哪几位",
            "几位",
            "哪个人",
            "哪些人",
            "名字",
            "叫什么",
        ]),
        wants_list: asks_for_list(normalized),
        wants_names: ["哪些", "哪家", "哪几家", "哪个", "什么"].iter().any(|q| {
            normalized.match_indices(q).any(|(at, _)| {
                let after = &normalized[at + q.len()..];
                ORGANISATION_NOUNS.iter().any(|n| {
                    after.starts_with(n)
                        || after.chars().count() > 2
                            && after.chars().skip(2).collect::<String>().starts_with(n)
                })
            })
        }),
    }
}

/// True for 哪些, 哪几样, 有什么, 都有啥, 发了些什么, 演了啥: the question asks
/// for the things themselves, which an article gives as a list — but not
/// 什么时候, 什么地方, 为什么 (a time, a place, a reason).
fn asks_for_list(normalized: &str) -> bool {
    let has = |list: &[&str]| list.iter().any(|w| normalized.contains(w));
    if has(&["哪些", "哪几", "些什么", "些啥", "哪样"]) {
        return true;
    }
    let rest = [
        "什么时候",
        "啥时候",
        "什么地方",
        "啥地方",
        "为什么",
        "为啥",
        "什么意思",
    ]
    .iter()
    .fold(normalized.to_string(), |text, w| text.replace(w, ""));
    rest.contains("什么") || rest.contains('啥')
}

/// Characters that end place names (`镇`, `岛`).
const PLACE_ENDINGS: &str = "镇村区县岛市省街路城乡山港";
/// Those, and the characters that say "in a place" (`岛上`, `村里`).
const PLACE_KIND_CHARS: &str = "镇村区县岛市省街路城乡山港上里";

/// True for `哪个镇`, `哪个岛上`, `哪座城市`: 哪 and then, within three
/// characters, a character that ends place names.
fn asks_which_place(normalized: &str) -> bool {
    normalized.match_indices('哪').any(|(at, _)| {
        normalized[at..]
            .chars()
            .skip(1)
            .take(3)
            .any(|c| PLACE_ENDINGS.contains(c))
    })
}

/// Nouns for organisations a question may ask to name (哪些企业, 哪家羽绒企业).
const ORGANISATION_NOUNS: &[&str] = &[
    "企业", "公司", "单位", "工厂", "厂", "厂家", "机构", "医院", "学校",
];

/// Nouns whose figure is an amount of money.
const MONEY_WORDS: &[&str] = &[
    "钱",
    "值",
    "价值",
    "奖金",
    "补贴",
    "工资",
    "薪",
    "津贴",
    "经费",
    "资金",
    "费用",
    "金额",
    "奖励",
    "慰问金",
    "补助",
    "资助",
    "收入",
    "价格",
    "报销",
    "赔付",
    "保障金",
    "救助金",
    "预算",
    "投入",
    "销售额",
    "成交额",
    "营业额",
    "福利费",
    "会费",
];

/// Nouns whose figure is a number of people.
const PEOPLE_WORDS: &[&str] = &[
    "人",
    "会员",
    "职工",
    "员工",
    "工人",
    "骑手",
    "司机",
    "劳模",
    "选手",
    "学员",
    "志愿者",
];

/// The kind of a second figure the question asks, when it asks two of
/// different kinds (`有多少个司机代表多少家平台`).
fn second_figure(normalized: &str) -> Option<Expect> {
    let asks: Vec<usize> = normalized
        .match_indices("多少")
        .map(|(at, _)| at)
        .chain(
            normalized
                .match_indices('几')
                .map(|(at, _)| at)
                .filter(|&at| {
                    !["几月", "几号", "几点"]
                        .iter()
                        .any(|w| normalized[at..].starts_with(w))
                }),
        )
        .collect::<std::collections::BTreeSet<usize>>()
        .into_iter()
        .collect();
    let &second = asks.get(1)?;
    let first = expected_figure(&normalized[..second]);
    let other = expected_figure(&normalized[second..]);
    (other != Expect::Any && other != first).then_some(other)
}

/// The kind of figure a figure question expects: the measure word after 几 or
/// 多少 (`几支队伍` → `支`), else money or people by the noun asked about.
fn expected_figure(normalized: &str) -> Expect {
    let chars: Vec<char> = normalized.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let after = match c {
            '几' => chars.get(i + 1),
            '少' if i > 0 && chars[i - 1] == '多' => chars.get(i + 1),
            _ => None,
        };
        // `多少快递员`, `几位老师傅`: a noun for people.
        if after.is_some() {
            let noun: String = chars[i + 1..]
                .iter()
                .take_while(|c| is_han(**c))
                .take(4)
                .collect();
            if noun.chars().count() >= 2
                && let Some(word) = segmenter().words(&noun).first()
                && word.text.chars().count() >= 2
                && word.text.ends_with([
                    '员', '工', '手', '者', '人', '士', '生', '师', '匠', '模', '户',
                ])
            {
                return Expect::People;
            }
        }
        match after {
            Some('人' | '名' | '位') => return Expect::People,
            Some('元' | '块' | '钱') => return Expect::Money,
            Some(&m) if crate::focus::is_measure_word(m) && m != '年' && m != '天' => {
                return Expect::Unit(m);
            }
            _ => {}
        }
    }
    if ["多久", "多长时间", "几天", "几年", "多少天", "多少年"]
        .iter()
        .any(|w| normalized.contains(w))
    {
        return Expect::Duration;
    }
    if MONEY_WORDS.iter().any(|w| normalized.contains(w)) {
        Expect::Money
    } else if PEOPLE_WORDS.iter().any(|w| {
        normalized.contains(&format!("多少{w}")) || normalized.contains(&format!("{w}多少"))
    }) {
        Expect::People
    } else {
        Expect::Any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understand(text: &str) -> Question {
        Question::understand(text, HomeProvince::default())
    }

    #[test]
    fn question_words_and_particles_are_dropped() {
        let q = understand("请问湛江工会最近帮羽绒企业做了什么?");
        assert!(q.words.contains(&"羽绒".to_string()), "{q:?}");
        for noise in ["请问", "什么", "最近", "了", "做"] {
            assert!(!q.words.iter().any(|w| w == noise), "{noise} kept in {q:?}");
        }
        assert_eq!(q.place_label().as_deref(), Some("湛江"));
        assert_eq!(q.city_codes(), [4408]);
    }

    #[test]
    fn traditional_and_simplified_questions_are_understood_alike() {
        let a = understand("東莞職工年貨節 賣了多少錢");
        let b = understand("东莞职工年货节 卖了多少钱");
        assert_eq!(a.words, b.words);
        assert_eq!(a.city_codes(), b.city_codes());
        assert!(a.focus.wants_figure);
    }

    #[test]
    fn pinyin_city_names_are_places() {
        let q = understand("guangzhou 网约车 抽成");
        assert_eq!(q.city_codes(), [4401], "{q:?}");
        assert!(!q.words.iter().any(|w| w == "guangzhou"));
    }

    #[test]
    fn time_words_are_read_and_not_searched_for() {
        let q = understand("东莞上个月有啥劳模活动");
        assert_eq!(q.time.as_ref().map(|t| t.text.as_str()), Some("上个月"));
        let q = understand("1月 湛江 工会");
        assert_eq!(q.time.as_ref().map(|t| t.text.as_str()), Some("1月"));
        assert!(!q.words.iter().any(|w| w == "1"), "{q:?}");
    }

    #[test]
    fn a_lone_character_is_joined_with_its_neighbour_for_typo_repair() {
        let q = understand("江门职工蓝球赛");
        assert!(
            q.joined
                .iter()
                .any(|j| j.text == "蓝球赛" && j.replaces.as_deref() == Some("球赛")),
            "{q:?}"
        );
    }

    #[test]
    fn a_verb_split_by_a_particle_is_joined_again() {
        let q = understand("有多少快递员入了会");
        assert!(q.words.iter().any(|w| w == "入会"), "{q:?}");
        assert_eq!(q.focus.expects, Expect::People);
    }

    #[test]
    fn the_kind_of_fact_asked_for_is_recognised() {
        let cases: &[(&str, Expect)] = &[
            ("江门职工篮球赛有几支队伍参赛", Expect::Unit('支')),
            ("一等奖奖金多少", Expect::Money),
            ("最低工资定了多少", Expect::Money),
            ("行业工会有多少会员", Expect::People),
            ("一年能免费咨询几次", Expect::Unit('次')),
            ("培训多久", Expect::Duration),
            ("覆盖多少家企业", Expect::Unit('家')),
        ];
        for (text, expected) in cases {
            let q = understand(text);
            assert!(q.focus.wants_figure, "{text}");
            assert_eq!(q.focus.expects, *expected, "{text}");
        }
        assert!(understand("去了吴川哪些羽绒企业").focus.wants_names);
        let q = understand("职工之家建在哪个岛上");
        assert!(q.focus.wants_place);
        assert!(!q.words.iter().any(|w| w == "岛上"), "{q:?}");
        assert!(!understand("1月几号开始").focus.wants_figure);
    }

    #[test]
    fn markup_is_stripped_and_its_words_kept() {
        let q =
            understand("<b>湛江</b> <script>alert(1)</script> **羽绒** [企业](http://x.cn) &amp;");
        assert_eq!(q.city_codes(), [4408], "{q:?}");
        assert!(q.words.iter().any(|w| w == "羽绒"), "{q:?}");
        assert!(
            !q.words
                .iter()
                .any(|w| w == "b" || w == "script" || w == "amp"),
            "{q:?}"
        );
    }

    #[test]
    fn query_syntax_is_just_text() {
        let q = understand("title:湛江 AND * \"");
        assert!(
            q.words.iter().all(|w| !w.contains(':') && !w.contains('*')),
            "{q:?}"
        );
    }

    #[test]
    fn news_as_such_is_told_from_a_topic() {
        for text in [
            "最近有什么新闻",
            "最新消息",
            "有啥新闻",
            "最近有啥事",
            "最新的报道",
        ] {
            assert!(understand(text).asks_for_news(), "{text}");
        }
        for text in ["最近工会有什么活动", "外卖骑手的新闻", "请问", "？？？"]
        {
            assert!(!understand(text).asks_for_news(), "{text}");
        }
    }

    #[test]
    fn time_words_filter_only_when_the_question_is_about_that_time() {
        let story = understand("去年过年没回家今年想回家有车票吗");
        assert_eq!(story.time, None, "two years: a story, not a filter");
        assert!(
            story.words.iter().any(|w| w.contains("车票")),
            "{:?}",
            story.words
        );
        assert!(
            !story.words.iter().any(|w| w == "去年" || w == "今年"),
            "{:?}",
            story.words
        );
        let month = understand("1月份东莞有什么新闻");
        assert_eq!(month.time.as_ref().map(|t| t.text.as_str()), Some("1月份"));
        assert!(month.words.is_empty(), "{:?}", month.words);
        assert!(understand("今年1月 湛江 工会").time.is_some());
        assert!(understand("今年春节前 慰问").time.is_some());
    }
}
