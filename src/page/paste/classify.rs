//! Lines classed one by one, the first stage of reading a paste: each line
//! is text, page furniture (chrome), a breadcrumb or menu (nav), a meta line
//! read for its date, source and credits, an end marker, or a `原标题：` line
//! (see the parent module). No line's class depends on its neighbours; the
//! later stages decide with the lines around.
//!
//! The words that tell clutter come from [`crate::page::words`]; the rules
//! that use them live here.

use crate::page::date::printed_date;
use crate::page::punctuation::{fold, is_sentence_final, is_space, trim};
use crate::page::words::{self, Words};
use crate::zh::{is_han, simplified_chars};
use chrono::NaiveDate;
use std::sync::LazyLock;

/// How one line of a paste is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Class {
    /// Prose, a headline, or anything not known as clutter.
    Text,
    /// Page furniture, dropped.
    Chrome,
    /// A breadcrumb or a menu: dropped, and no headline runs across it.
    Nav,
    /// Date, source and credits, dropped and read.
    Meta(Meta),
    /// Where the article ends, once its body has begun.
    End,
    /// `原标题：…`: the original headline.
    OriginalTitle(String),
    /// `标题：…`, `名称：…`: a panel's field naming the article, used when
    /// the page shows no headline of its own.
    TitleField(String),
}

/// What a meta line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Meta {
    /// The date the line prints.
    pub date: Option<NaiveDate>,
    /// True when `date` is a site header's day line (`2025年09月19日 星期五`,
    /// `今天是：2024年4月17日 星期三`): the day the page was shown, the page's
    /// date only when nothing else on it is.
    pub date_is_header: bool,
    /// Where the article comes from.
    pub source: Option<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// Who edited, checked or photographed it, as written.
    pub credits: Vec<String>,
}

/// What a `key：value` field of a meta line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// A date: only trusted near the headline.
    Date,
    /// Where the article comes from.
    Source,
    /// Who wrote it.
    Author,
    /// Who edited, checked, photographed it.
    Credit,
    /// View counts, panel fields, font bars: nothing to keep.
    Noise,
}

/// Keys of `key：value` fields, by kind, longer keys first where one
/// starts another.
static FIELDS: LazyLock<Vec<(&'static str, Field)>> = LazyLock::new(|| {
    [
        (&words::DATE_FIELDS, Field::Date),
        (&words::SOURCE_FIELDS, Field::Source),
        (&words::AUTHOR_FIELDS, Field::Author),
        (&words::CREDIT_FIELDS, Field::Credit),
        (&words::NOISE_FIELDS, Field::Noise),
    ]
    .into_iter()
    .flat_map(|(keys, field)| keys.iter().map(move |&key| (key, field)))
    .collect()
});

/// Words that, taken out of a short line, leave page furniture: the page's
/// tools and the buttons of WeChat, forums and portals.
static CHROME: LazyLock<Words> =
    LazyLock::new(|| Words::union(&[&words::PAGE_TOOLS, &words::CHROME_WORDS]).longest_first());

/// Openings of a line that ends the article: links to other articles, lists
/// of them, comments and footers.
static END: LazyLock<Words> =
    LazyLock::new(|| Words::union(&[&words::PAGE_LINKS, &words::END_OPENERS]));

/// Classes one line on its own.
pub(super) fn class_of(original_text: &str) -> Class {
    // Traditional characters are read as simplified (`記者`, `點擊`); a
    // headline is still taken from the line as written.
    let simple = simplified_chars(original_text);
    let text = simple.as_str();
    let folded: String = text.chars().map(fold).collect::<String>().to_lowercase();
    let length = folded.chars().count();
    if let Some(rest) = words::ORIGINAL_TITLE_KEYS.iter().find_map(|key| {
        folded
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix([':', ' ']))
    }) {
        let skip = length - rest.chars().count();
        let original: String = original_text.chars().skip(skip).collect();
        return Class::OriginalTitle(clean_headline(&original));
    }
    if is_breadcrumb(&folded) || is_menu(&folded) {
        return Class::Nav;
    }
    if is_image_line(&folded, length)
        || is_column_label(&folded, length)
        || is_forum_stats(&folded, length)
    {
        return Class::Chrome;
    }
    let compact_title: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if words::TITLE_KEYS
        .iter()
        .any(|k| compact_title.starts_with(k))
    {
        let at = original_text.find(['：', ':']).map_or(0, |i| {
            i + original_text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let title = clean_headline(&original_text[at..]);
        if !title.is_empty() {
            return Class::TitleField(title);
        }
    }
    if is_end(&folded, length) {
        return Class::End;
    }
    if let Some(meta) = meta_line(text, &folded, length) {
        return Class::Meta(meta);
    }
    if is_chrome(&folded, length) || is_prompt_or_spam(&folded, length) {
        return Class::Chrome;
    }
    credit_line(text)
}

/// A forum's login prompt (`马上注册，结交更多好友…`, `您需要登录才可以下载或
/// 查看`) or a spam line a mirror site slipped in (`高息放贷，当天到账`).
fn is_prompt_or_spam(folded: &str, length: usize) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    (length <= 80 && words::FORUM_PROMPTS.iter().any(|w| compact.contains(w)))
        || (length <= 120 && words::SPAM.iter().any(|w| compact.contains(w)))
}

/// `当前位置：首页 > 工会新闻 > 基层动态`.
fn is_breadcrumb(folded: &str) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if words::BREADCRUMB_OPENERS
        .iter()
        .any(|o| compact.starts_with(&o.replace(' ', "")))
    {
        return true;
    }
    let is_arrow = |c: char| matches!(c, '>' | '›' | '»' | '→' | '＞' | '〉');
    let arrows = folded.chars().filter(|&c| is_arrow(c)).count();
    if arrows >= 1 && compact.contains("首页") && folded.chars().count() <= 80 {
        return true;
    }
    // `人民网>>黑龙江频道>>原创稿`: three or more short parts between arrows.
    let parts: Vec<&str> = compact.split(is_arrow).filter(|p| !p.is_empty()).collect();
    parts.len() >= 3
        && parts.iter().all(|p| p.chars().count() <= 12)
        && !compact.chars().any(is_sentence_final)
}

/// `首页 | 工会动态 | 维权服务 | …`: several short items, no sentence.
fn is_menu(folded: &str) -> bool {
    if folded.chars().any(|c| is_sentence_final(c) || c == ',') {
        return false;
    }
    let items: Vec<&str> = folded
        .split(|c: char| is_space(c) || matches!(c, '|' | '·' | '/' | '丨' | '｜' | '•'))
        .filter(|s| !s.is_empty())
        .collect();
    let short = items.iter().all(|s| s.chars().count() <= 6);
    let bars = folded
        .chars()
        .filter(|c| matches!(c, '|' | '丨' | '｜' | '•'))
        .count();
    short
        && (items.len() >= 5
            || (items.len() >= 3 && bars >= 2)
            || (items.len() >= 3 && items.contains(&"首页")))
}

/// An image's file name, a photo's number, or its caption.
fn is_image_line(folded: &str, length: usize) -> bool {
    const EXTENSIONS: [&str; 7] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif"];
    if length <= 80 && EXTENSIONS.iter().any(|e| folded.contains(e)) {
        return true;
    }
    if folded.starts_with("微信图片") || folded.starts_with("img_") || folded.starts_with("dsc")
    {
        return length <= 60;
    }
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let photo_number = ["图片", "图", "组图", "[图片]", "(图片)"].iter().any(|p| {
        compact.strip_prefix(p).is_some_and(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')'))
        })
    });
    if photo_number {
        return true;
    }
    let caption_start = ['▲', '△', '▼', '↑', '↓', '▶'];
    if folded.starts_with(caption_start) && length <= 120 {
        return true;
    }
    // A photo's credit closes its caption: `（记者 李红 摄）`, `王海 摄`.
    let credit = compact.trim_end_matches([')', '）', ']', '】']);
    if length <= 90
        && (credit.ends_with("摄") || credit.ends_with("摄影"))
        && !compact.ends_with("拍摄")
    {
        return true;
    }
    words::CAPTION_OPENERS
        .iter()
        .any(|p| compact.starts_with(p))
        && length <= 100
}

/// A column's label alone on its line: `【工会观察】`, `[基层动态]`.
fn is_column_label(folded: &str, length: usize) -> bool {
    let inner = folded
        .strip_prefix(['【', '['])
        .and_then(|rest| rest.strip_suffix(['】', ']']));
    length <= 14 && inner.is_some_and(|i| !i.is_empty() && !i.contains(['【', '[', '】', ']']))
}

/// A forum member's stats: several of `UID 帖子 积分 精华 注册时间 …`.
fn is_forum_stats(folded: &str, length: usize) -> bool {
    length <= 200
        && words::FORUM_STATS
            .iter()
            .filter(|w| folded.contains(*w))
            .count()
            >= 2
        && !folded.contains('。')
}

/// The start of the site's other articles, buttons or footer.
fn is_end(folded: &str, length: usize) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let core = compact.trim_matches(|c: char| "-—─_=~·*#".contains(c));
    if ["end", "theend", "完", "(完)", "全文完"].contains(&core) {
        return true;
    }
    let opens = END.iter().any(|o| {
        compact.starts_with(o)
            && compact[o.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_han(c) || length <= 12)
    });
    if opens && (length <= 60 || compact.starts_with("上一篇") || compact.starts_with("下一篇"))
    {
        return true;
    }
    if length <= 200 && words::DISCLAIMERS.iter().any(|m| compact.contains(m)) {
        return true;
    }
    let floor = compact.trim_start_matches('#');
    let floor_digits = floor.chars().take_while(char::is_ascii_digit).count();
    let opens_a_floor = floor_digits > 0
        && (floor[floor_digits..].starts_with('楼') || floor[floor_digits..].starts_with('#'));
    let reply_marker = opens_a_floor
        || words::REPLY_MARKERS.contains(&compact.as_str())
        || compact
            .strip_suffix(['楼', '#'])
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    reply_marker
        || (length <= 160
            && !folded.contains('。')
            && words::FOOTER_MARKS.iter().any(|m| compact.contains(m)))
}

/// A line of page furniture: after taking out its buttons, its digits,
/// punctuation and spaces, at most two letters are left.
fn is_chrome(folded: &str, length: usize) -> bool {
    if length > 60 {
        return false;
    }
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let asks_to_follow = words::FOLLOW_PROMPTS.iter().any(|w| compact.contains(w));
    if asks_to_follow && length <= 40 {
        return true;
    }
    let mut rest = folded.to_string();
    for word in CHROME.iter() {
        rest = rest.replace(word, " ");
    }
    let letters = rest.chars().filter(|&c| c.is_alphabetic()).count();
    // Forum user stats: `积分 123 帖子 45 主题 6`.
    letters <= 1 || (letters <= 2 && rest.chars().any(|c| c.is_ascii_digit()) && length <= 24)
}

/// A newspaper's page line: `第2版`, `第 A03 版`, or an e-edition's
/// `工人日报（2022年06月14日 05版）`, with a date and no sentence.
fn is_edition_line(compact: &str) -> bool {
    let label = |before_mark: &str| {
        let label: String = before_mark
            .chars()
            .rev()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let count = label.chars().count();
        let numbered = before_mark[..before_mark.len() - label.len()].ends_with('第');
        (numbered && (1..=4).contains(&count)) || (1..=3).contains(&count)
    };
    compact
        .char_indices()
        .any(|(at, c)| c == '版' && label(&compact[..at]))
        && compact.chars().count() <= 40
        && !compact.contains(['。', ','])
}

/// The paper an e-edition line names before its date (`《工人日报》（2022年…`).
fn edition_paper(text: &str) -> Option<String> {
    let before: String = text
        .chars()
        .take_while(|&c| !fold(c).is_ascii_digit())
        .collect();
    let name = trim(&before).trim_matches(|c: char| {
        is_space(c) || matches!(fold(c), '《' | '》' | '(' | ')' | '【' | '】' | ':' | '|')
    });
    let letters = name.chars().count();
    ((2..=12).contains(&letters) && name.chars().all(is_han) && !name.contains('第'))
        .then(|| name.to_string())
}

/// Words before a site header's date that make it today's (`今天是：`).
const TODAY_OPENERS: [&str; 7] = [
    "今天是",
    "今日是",
    "今天",
    "今日",
    "当前日期",
    "当前时间",
    "现在是",
];

/// True when a dated line reads as a day line: it names a weekday, or says
/// `今天是` before its date.
fn is_day_line(compact: &str) -> bool {
    let before_date: String = compact
        .chars()
        .take_while(|c| !c.is_ascii_digit())
        .collect();
    names_weekday(compact) || TODAY_OPENERS.iter().any(|o| before_date.contains(o))
}

/// True when the line names a weekday (`星期五`, `周三`, `礼拜天`).
fn names_weekday(compact: &str) -> bool {
    ["星期", "礼拜", "周"].iter().any(|marker| {
        compact.match_indices(marker).any(|(at, _)| {
            compact[at + marker.len()..]
                .chars()
                .next()
                .is_some_and(|day| "一二三四五六日天".contains(day))
        })
    })
}

/// A site header's day line: a date with a weekday or after `今天是`, in a
/// short line with no sentence (`泸州新闻网　2019年3月5日 星期二　今日多云`,
/// `欢迎访问！今天是：2024年4月17日 星期三`). A notice's
/// `活动时间：2025年9月19日（星期五）` names its key before a colon: it is
/// the body's.
fn is_header_date_line(compact: &str, length: usize) -> bool {
    if length > 60 || compact.contains([',', '。', ';']) {
        return false;
    }
    let keyed = compact.char_indices().any(|(i, c)| {
        let before = &compact[..i];
        c == ':'
            && before.chars().next_back().is_some_and(is_han)
            && !TODAY_OPENERS.iter().any(|o| before.ends_with(o))
    });
    is_day_line(compact) && !keyed
}

/// A line of `key：value` fields (or a WeChat `原创 …` line, or a bare date
/// line, or a site header's day line) before or after the body. `None`
/// when the line is text.
fn meta_line(text: &str, folded: &str, length: usize) -> Option<Meta> {
    if length > 160 || folded.contains('。') && length > 60 {
        return None;
    }
    let fields = fields_of(text, folded);
    let date = printed_date(text);
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let wechat = compact.starts_with("原创") && (date.is_some() || length <= 40);
    let forum =
        words::POST_NOTES.iter().any(|n| compact.starts_with(n)) || compact.starts_with("posted");
    // A line holding only a date (and a time, and a weekday).
    let bare_date = date.is_some() && {
        let letters = folded
            .chars()
            .filter(|&c| {
                is_han(c)
                    && !matches!(
                        c,
                        '年' | '月'
                            | '日'
                            | '星'
                            | '期'
                            | '周'
                            | '一'
                            | '二'
                            | '三'
                            | '四'
                            | '五'
                            | '六'
                            | '天'
                            | '上'
                            | '下'
                            | '午'
                    )
            })
            .count();
        letters == 0
    };
    let day_line = date.is_some() && is_day_line(&compact);
    if fields.is_empty() && !wechat && !forum && !bare_date {
        // `某某市总工会 2023年07月12日 09:15`, `2023-10-26 17:05·某某融媒体
        // 中心官方账号`: an account and a date, no sentence.
        // `2025年3月14日 星期五 第2版：地方新闻`: a paper's page line.
        if let Some(date) = date
            && is_edition_line(&compact)
        {
            return Some(Meta {
                date: Some(date),
                source: edition_paper(text),
                ..Meta::default()
            });
        }
        if let Some(date) = date
            && length <= 60
            && !folded.contains([',', '。', ';'])
            // `活动时间：…` is a notice's line, not an account's.
            && !folded
                .char_indices()
                .any(|(i, c)| c == ':' && folded[..i].chars().next_back().is_some_and(is_han))
        {
            let names: Vec<&str> = text
                .split(|c: char| {
                    c.is_ascii_digit() || is_space(c) || matches!(c, '·' | '|' | '｜' | '-' | ':')
                })
                .map(trim)
                .filter(|s| s.chars().filter(|&c| is_han(c)).count() >= 2)
                .collect();
            let name = names.first().copied();
            if let Some(name) = name
                && names.len() <= 2
                && name.chars().count() <= 24
                // `欢迎访问！今天是…` greets, it names no account.
                && !TODAY_OPENERS.iter().any(|o| name.contains(o))
            {
                return Some(Meta {
                    date: Some(date),
                    date_is_header: day_line,
                    source: Some(name.trim_end_matches("官方账号").to_string()),
                    ..Meta::default()
                });
            }
        }
        if let Some(date) = date
            && is_header_date_line(&compact, length)
        {
            return Some(Meta {
                date: Some(date),
                date_is_header: true,
                ..Meta::default()
            });
        }
        return None;
    }
    let mut meta = Meta {
        date,
        // `2025年09月19日 星期五` alone; `日期：…` is the page's field.
        date_is_header: fields.is_empty() && !wechat && !forum && day_line,
        ..Meta::default()
    };
    for (field, value) in &fields {
        match field {
            Field::Source if meta.source.is_none() && !value.is_empty() => {
                meta.source = Some(value.clone());
            }
            Field::Author if !value.is_empty() => meta.authors.extend(split_names(value)),
            Field::Credit if !value.is_empty() => meta.credits.push(value.clone()),
            _ => {}
        }
    }
    if let Some(rest) = compact.strip_prefix("以下文章来源于") {
        // `以下文章来源于某某工会 ，作者某某`: the account it was shared from.
        let account: String = rest
            .chars()
            .take_while(|&c| !matches!(c, ',' | '，' | ' '))
            .collect();
        if !account.is_empty() {
            meta.source = Some(account);
        }
    }
    if wechat && meta.source.is_none() {
        // `原创 某某工会 某某市总工会 2024-03-06 18:30 广东`: the account.
        meta.source = text
            .split(is_space)
            .skip(1)
            .find(|s| s.chars().filter(|&c| is_han(c)).count() >= 2 && !s.contains("原创"))
            .map(str::to_string);
    }
    Some(meta)
}

/// The `key：value` fields of a line, when it is made of them: the line
/// starts with a field (past brackets, a date or a few letters) and its
/// fields cover it.
fn fields_of(text: &str, folded: &str) -> Vec<(Field, String)> {
    let chars: Vec<char> = folded.chars().collect();
    let original: Vec<char> = text.chars().collect();
    if chars.len() != original.len() {
        return Vec::new();
    }
    // Where each field's key starts.
    let mut starts: Vec<(usize, usize, Field)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let found = FIELDS.iter().find(|(key, _)| {
            let key: Vec<char> = key.chars().collect();
            chars[i..].starts_with(&key) && {
                let mut j = i + key.len();
                while chars.get(j).is_some_and(|&c| is_space(c)) {
                    j += 1;
                }
                matches!(chars.get(j), Some(':' | '：' | '|' | '/'))
                    || (matches!(key.as_slice(), ['转', '载', '自'] | ['转', '自']))
                    || (j > i + key.len()
                        && key.len() >= 2
                        && chars.get(j).is_some_and(|&c| !is_sentence_final(c)))
                        && matches!(
                            key.as_slice(),
                            ['记', '者']
                                | ['通', '讯', '员']
                                | ['编', '辑']
                                | ['责', '编']
                                | ['审', '核']
                                | ['作', '者']
                        )
            }
        });
        match found {
            Some((key, field)) if i == 0 || !is_han(chars[i - 1]) || is_value_end(&chars, i) => {
                let len = key.chars().count();
                starts.push((i, i + len, *field));
                i += len;
            }
            _ => i += 1,
        }
    }
    let Some(&(first, _, first_field)) = starts.first() else {
        return Vec::new();
    };
    // What stands before the first key: brackets, a date, or a short name.
    let before: String = chars[..first].iter().collect();
    let before_letters = before.chars().filter(|&c| is_han(c)).count();
    if before_letters > 6 && printed_date(&before).is_none() {
        return Vec::new();
    }
    if first > 0 && before_letters > 0 && first_field == Field::Date && starts.len() == 1 {
        // `活动时间：…` is a line of a notice, not the page's date.
        return Vec::new();
    }
    let mut fields = Vec::new();
    for (n, &(_, key_end, field)) in starts.iter().enumerate() {
        let value_end = starts.get(n + 1).map_or(chars.len(), |s| s.0);
        let mut value: String = original[key_end..value_end].iter().collect();
        value = value
            .trim_start_matches(|c: char| is_space(c) || matches!(fold(c), ':' | '|' | '/'))
            .to_string();
        let value = value
            .split(['|', '｜', '【', '[', '】', ']'])
            .next()
            .unwrap_or("")
            .split("  ")
            .next()
            .unwrap_or("");
        let value = trim(value)
            .trim_end_matches(|c: char| matches!(fold(c), ',' | ';' | ')' | '('))
            .to_string();
        fields.push((field, value));
    }
    // A long line whose single field is a date is a sentence, not meta.
    let letters = chars.iter().filter(|&&c| is_han(c)).count();
    if fields.len() == 1 && letters > 30 {
        return Vec::new();
    }
    fields
}

/// True when a key at `i` follows a value's end (`作者：张三编辑：李四` has
/// none, `来源：某某 作者：` has a space).
fn is_value_end(chars: &[char], i: usize) -> bool {
    i > 0 && (is_space(chars[i - 1]) || matches!(chars[i - 1], '|' | ']' | '】' | ')' | ';' | ','))
}

/// A short line that names the writer or the editors without a colon:
/// `记者 张三 通讯员 李四`, `文/张三 图/李四`, `（编辑：王五）`.
pub(super) fn credit_line(text: &str) -> Class {
    let simple = simplified_chars(text);
    let text = simple.as_str();
    let folded: String = text.chars().map(fold).collect();
    let inner = trim(folded.trim_start_matches('(').trim_end_matches(')'));
    if inner.chars().count() > 40 || inner.contains('。') || inner.contains(',') {
        return Class::Text;
    }
    let opens =
        words::CREDIT_OPENERS.iter().any(|o| inner.starts_with(o)) || inner.starts_with("文 ");
    if !opens {
        return Class::Text;
    }
    let mut meta = Meta::default();
    let fields = fields_of(inner, inner);
    if fields.is_empty() {
        let names: Vec<String> = inner
            .split(|c: char| is_space(c) || matches!(c, '/' | '|'))
            .filter(|s| !s.is_empty() && !words::CREDIT_ROLES.contains(s))
            .map(str::to_string)
            .collect();
        if names.is_empty() || names.iter().any(|n| n.chars().count() > 4) {
            return Class::Text;
        }
        meta.authors = names;
        return Class::Meta(meta);
    }
    for (field, value) in fields {
        match field {
            Field::Source => meta.source = Some(value),
            Field::Author => meta.authors.extend(split_names(&value)),
            _ => meta.credits.push(value),
        }
    }
    Class::Meta(meta)
}

/// Names in a credit (`张三 李四`, `张三、李四`).
fn split_names(value: &str) -> Vec<String> {
    value
        .split(|c: char| is_space(c) || matches!(fold(c), '、' | ',' | '/'))
        .map(trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A headline without `转发：` before it or `（图）` after it, runs of spaces
/// made one.
pub(super) fn clean_headline(text: &str) -> String {
    // Matched on simplified, half-width text (`轉載：` is `转载:`), cut from
    // the text as written.
    let folded: String = simplified_chars(text).chars().map(fold).collect();
    let mut start = 0;
    for prefix in words::TITLE_PREFIXES.iter() {
        if folded.starts_with(prefix) {
            start = prefix.chars().count();
            break;
        }
    }
    let mut chars: Vec<char> = text.chars().skip(start).collect();
    let folded_rest: String = folded.chars().skip(start).collect();
    for suffix in words::TITLE_SUFFIXES.iter() {
        if folded_rest.ends_with(suffix) {
            chars.truncate(chars.len() - suffix.chars().count());
            break;
        }
    }
    let text: String = chars.into_iter().collect();
    // The space a site prints between a headline's two parts stays, once,
    // as printed (a full-width one stays full-width).
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in trim(&text).chars() {
        if is_space(c) {
            if !in_space {
                out.push(if c == '\u{3000}' { c } else { ' ' });
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    // `《良庆区总工会职工子女暑期托管班开班》`: a headline quoted whole.
    if let Some(inner) = out.strip_prefix('《').and_then(|r| r.strip_suffix('》'))
        && !inner.contains(['《', '》'])
        && !inner.is_empty()
    {
        return inner.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_lines_and_edition_lines_are_meta_with_their_dates() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        // (line, date, a site header's day line, source)
        let cases = [
            ("2025年09月19日 星期五", ymd(2025, 9, 19), true, None),
            ("今天是：2024年4月17日 星期三", ymd(2024, 4, 17), true, None),
            (
                "欢迎访问某某网！今天是2024年4月17日",
                ymd(2024, 4, 17),
                true,
                None,
            ),
            (
                "泸州新闻网　2019年3月5日 星期二　今日多云 9~17℃",
                ymd(2019, 3, 5),
                true,
                None,
            ),
            (
                "南宁新闻网 2025年09月19日 星期五",
                ymd(2025, 9, 19),
                true,
                Some("南宁新闻网"),
            ),
            ("2024年3月6日", ymd(2024, 3, 6), false, None),
            ("日期：2025年9月19日 星期五", ymd(2025, 9, 19), false, None),
            (
                "工人日报（2022年06月14日 05版）",
                ymd(2022, 6, 14),
                false,
                Some("工人日报"),
            ),
            (
                "《工人日报》（2022年06月14日 第05版）",
                ymd(2022, 6, 14),
                false,
                Some("工人日报"),
            ),
            (
                "2025年3月14日 星期五 第2版：地方新闻",
                ymd(2025, 3, 14),
                false,
                None,
            ),
        ];
        for (line, date, header, source) in cases {
            let Class::Meta(meta) = class_of(line) else {
                panic!("{line}: not meta but {:?}", class_of(line));
            };
            assert_eq!(meta.date, date, "{line}: date");
            assert_eq!(meta.date_is_header, header, "{line}: header");
            assert_eq!(meta.source.as_deref(), source, "{line}: source");
        }
    }

    #[test]
    fn a_dated_line_of_the_body_is_not_a_day_line() {
        for line in [
            "活动时间：2025年9月19日（星期五）",
            "报名截止日期：2024-05-01",
            "2025年9月19日（星期五）上午，市总工会在工人文化宫举行职工技能大赛开幕式。",
            "今天是2024年4月17日，全市200名职工参加了开幕式，现场气氛热烈。",
        ] {
            assert_eq!(class_of(line), Class::Text, "{line}");
        }
    }
}
