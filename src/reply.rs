//! The reply model and its two renderings: Telegram HTML and plain text.
//!
//! This is the only producer of Telegram HTML: every piece of text is
//! escaped here, every tag opened here is closed in the same block, and
//! messages are split at block (and, for long blocks, sentence) boundaries so
//! that none exceeds Telegram's limit. Every Chinese string a member reads is
//! written in this module.

use crate::article::{Article, ArticleId};
use chrono::{Datelike, NaiveDate};

/// Telegram's limit for one message, in UTF-16 code units of the text we send
/// (counting tags too, which keeps us safely under the real limit).
pub const TELEGRAM_MESSAGE_LIMIT: usize = 4096;

/// One reply to one member message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    /// What the reply says, in order.
    pub blocks: Vec<Block>,
    /// The articles the reply lists, in order (for buttons in chat front-ends).
    pub listed: Vec<ArticleId>,
    /// Which page of which list this is, for 上一页 / 下一页 buttons.
    pub pages: Option<Pages>,
}

/// Where a reply stands in a list that has more than one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// The list.
    pub list: ListKind,
    /// This page, 1-based.
    pub page: usize,
    /// Whether a next page exists.
    pub has_next: bool,
}

/// A list that can be paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Search results for the question the reply answers.
    Search,
    /// A city's newest articles (its prefecture code).
    City(u32),
    /// The newest articles overall.
    Latest,
}

/// A piece of a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bold line.
    Heading(String),
    /// An ordinary paragraph.
    Text(String),
    /// A hint in italics (what to try next).
    Hint(String),
    /// The sentence that answers a factual question, with where it is from.
    Answer {
        /// The sentence, verbatim from the article.
        sentence: String,
        /// The article's headline.
        title: String,
        /// The article's id.
        id: ArticleId,
    },
    /// One search or list result.
    Item(Item),
    /// A whole article.
    Full(FullArticle),
}

/// One result in a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based rank in the whole list.
    pub rank: usize,
    /// The article's id.
    pub id: ArticleId,
    /// The headline (with its kicker where the headline alone says little).
    pub title: String,
    /// The summary.
    pub summary: String,
    /// The source line.
    pub source: String,
    /// What matched, for members who wonder why this result is here.
    pub why: Option<String>,
}

/// A whole article for `/article`.
#[derive(Debug, Clone, PartialEq)]
pub struct FullArticle {
    /// The article's id.
    pub id: ArticleId,
    /// The heading lines, kicker first.
    pub title_lines: Vec<String>,
    /// The body paragraphs.
    pub paragraphs: Vec<String>,
    /// The source line.
    pub source: String,
}

impl Reply {
    /// A reply of one plain paragraph.
    pub fn text(text: impl Into<String>) -> Self {
        Reply {
            blocks: vec![Block::Text(text.into())],
            ..Default::default()
        }
    }

    /// Adds a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// The date as a member reads it: `2024年1月15日`.
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The source line of an article: paper, page, date, reporters, id.
pub fn source_line(article: &Article) -> String {
    let mut parts = Vec::new();
    let paper = [
        article.source.paper.as_deref(),
        article.source.page.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    if !paper.is_empty() {
        parts.push(paper);
    }
    if let Some(date) = article.sort_date() {
        parts.push(chinese_date(date));
    }
    let b = &article.byline;
    let mut people = Vec::new();
    if !b.reporters.is_empty() {
        people.push(format!("记者 {}", b.reporters.join(" ")));
    }
    if !b.correspondents.is_empty() {
        people.push(format!("通讯员 {}", b.correspondents.join(" ")));
    }
    if people.is_empty()
        && let Some(credit) = &b.credit
    {
        people.push(format!("来源 {credit}"));
    }
    if !people.is_empty() {
        parts.push(people.join(" "));
    }
    parts.push(format!("编号 {}", article.id));
    parts.join(" · ")
}

/// The title to list an article under: the headline, completed by its kicker
/// when the headline does not name who acted (`围绕中心任务 找准工会工作切入点 /
/// 汕尾市总工会召开班子会议`).
pub fn list_title(article: &Article) -> String {
    let t = &article.title;
    match (&t.kicker, &t.organisation) {
        (Some(kicker), None) if !t.headline.contains("工会") && kicker.contains("工会") => {
            format!("{} / {}", t.headline, kicker)
        }
        (_, Some(org)) if !t.headline.contains("工会") => format!("{} / {}", t.headline, org),
        _ => t.headline.clone(),
    }
}

/// The full-article block of an article.
pub fn full_article(article: &Article) -> Block {
    Block::Full(FullArticle {
        id: article.id.clone(),
        title_lines: article
            .title
            .lines()
            .into_iter()
            .map(String::from)
            .collect(),
        paragraphs: article.paragraphs.clone(),
        source: source_line(article),
    })
}

/// Escapes text for Telegram HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters other than newline and tab are dropped:
            // Telegram rejects some of them and none is meant to be shown.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Renders a reply as Telegram HTML messages, each within the limit.
pub fn to_html(reply: &Reply) -> Vec<String> {
    let mut pieces = Vec::new();
    for block in &reply.blocks {
        block_html(block, &mut pieces);
    }
    pack(pieces, "\n\n", TELEGRAM_MESSAGE_LIMIT)
}

/// Renders a reply as plain text for the terminal.
pub fn to_plain(reply: &Reply) -> String {
    let mut out = Vec::new();
    for block in &reply.blocks {
        out.push(match block {
            Block::Heading(text) | Block::Text(text) => text.clone(),
            Block::Hint(text) => format!("提示：{text}"),
            Block::Answer {
                sentence,
                title,
                id,
            } => format!("答：{sentence}\n  ——《{title}》（编号 {id}）"),
            Block::Item(item) => {
                let mut s = format!(
                    "{}. {}\n   {}\n   {}",
                    item.rank, item.title, item.summary, item.source
                );
                if let Some(why) = &item.why {
                    s.push_str(&format!("\n   匹配：{why}"));
                }
                s
            }
            Block::Full(full) => {
                let mut s = full.title_lines.join("\n");
                s.push_str("\n\n");
                s.push_str(&full.paragraphs.join("\n\n"));
                s.push_str("\n\n");
                s.push_str(&full.source);
                s
            }
        });
    }
    out.join("\n\n")
}

/// HTML pieces of one block; a piece never spans two blocks, so packing
/// pieces into messages never cuts a tag pair.
fn block_html(block: &Block, out: &mut Vec<String>) {
    match block {
        Block::Heading(text) => split_text(text, "<b>", "</b>", out),
        Block::Text(text) => split_text(text, "", "", out),
        Block::Hint(text) => split_text(text, "<i>", "</i>", out),
        Block::Answer {
            sentence,
            title,
            id,
        } => {
            let s = format!(
                "💡 <b>{}</b>\n——《{}》 <code>{}</code>",
                escape_html(sentence),
                escape_html(title),
                escape_html(id.as_str())
            );
            // The sentence and title come from pages we do not control.
            if utf16_len(&s) > TELEGRAM_MESSAGE_LIMIT {
                split_text(&format!("💡 {sentence}"), "<b>", "</b>", out);
                split_text(&format!("——《{title}》 {id}"), "", "", out);
            } else {
                out.push(s);
            }
        }
        Block::Item(item) => {
            let mut s = format!(
                "<b>{}. {}</b>\n{}\n<i>{}</i>",
                item.rank,
                escape_html(&item.title),
                escape_html(&item.summary),
                escape_html(&item.source)
            );
            if let Some(why) = &item.why {
                s.push_str(&format!("\n<i>匹配：{}</i>", escape_html(why)));
            }
            // An item is short, but its parts come from pages we do not control.
            if utf16_len(&s) > TELEGRAM_MESSAGE_LIMIT {
                split_text(
                    &format!("{}. {}", item.rank, item.title),
                    "<b>",
                    "</b>",
                    out,
                );
                split_text(&item.summary, "", "", out);
                split_text(&item.source, "<i>", "</i>", out);
                if let Some(why) = &item.why {
                    split_text(&format!("匹配：{why}"), "<i>", "</i>", out);
                }
            } else {
                out.push(s);
            }
        }
        Block::Full(full) => {
            for line in &full.title_lines {
                split_text(line, "<b>", "</b>", out);
            }
            for paragraph in &full.paragraphs {
                split_text(paragraph, "", "", out);
            }
            split_text(&full.source, "<i>", "</i>", out);
        }
    }
}

/// Escapes text and wraps it in `open`/`close`, split at sentence and line
/// boundaries (and, for a sentence that alone is too long, at character
/// boundaries) into pieces that each fit a message. Nothing but the
/// whitespace where one piece ends and the next begins is dropped.
fn split_text(text: &str, open: &str, close: &str, out: &mut Vec<String>) {
    let budget = TELEGRAM_MESSAGE_LIMIT - utf16_len(open) - utf16_len(close);
    let whole = escape_html(text);
    if utf16_len(&whole) <= budget {
        if !whole.trim().is_empty() {
            out.push(format!("{open}{whole}{close}"));
        }
        return;
    }
    let mut units = Vec::new();
    for sentence in sentence_pieces(text) {
        let escaped = escape_html(sentence);
        if utf16_len(&escaped) <= budget {
            units.push(escaped);
            continue;
        }
        let mut chunk = String::new();
        let mut chunk_len = 0;
        for c in sentence.chars() {
            let escaped_char = escape_html(c.encode_utf8(&mut [0; 4]));
            let len = utf16_len(&escaped_char);
            if chunk_len + len > budget {
                units.push(std::mem::take(&mut chunk));
                chunk_len = 0;
            }
            chunk.push_str(&escaped_char);
            chunk_len += len;
        }
        if !chunk.is_empty() {
            units.push(chunk);
        }
    }
    for packed in pack(units, "", budget) {
        let packed = packed.trim();
        if !packed.is_empty() {
            out.push(format!("{open}{packed}{close}"));
        }
    }
}

/// Cuts text after each sentence end (with its closing quotes) and each line
/// break. Unlike `summary::sentences`, it trims nothing: the pieces
/// concatenate back to the text, so splitting keeps lines and words apart.
fn sentence_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
            while let Some(&(j, next)) = chars.peek()
                && matches!(next, '”' | '’' | '」' | '』' | ')' | '）' | '"' | '\'')
            {
                end = j + next.len_utf8();
                chars.next();
            }
        } else if c != '\n' {
            continue;
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// Packs pieces into as few strings as possible, joined by `sep`, each at
/// most `limit` UTF-16 units (every piece is already within the limit).
fn pack(pieces: Vec<String>, sep: &str, limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    // Kept alongside `current`: measuring it for every piece is quadratic.
    let mut current_len = 0;
    let sep_len = utf16_len(sep);
    for piece in pieces {
        if piece.is_empty() {
            continue;
        }
        let piece_len = utf16_len(&piece);
        if !current.is_empty() && current_len + sep_len + piece_len > limit {
            messages.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if !current.is_empty() {
            current.push_str(sep);
            current_len += sep_len;
        }
        current.push_str(&piece);
        current_len += piece_len;
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

// ---------------------------------------------------------------------------
// The words of the bot. Every member-facing sentence is here.
// ---------------------------------------------------------------------------

/// The bot's texts, in Simplified Chinese.
pub mod text {
    /// Welcome, for `/start`.
    pub const WELCOME: &str = "您好！我是工会新闻助手，可以帮您查找工会报纸上的新闻报道。";
    /// The example questions shown by `/start` and `/help`.
    pub const EXAMPLES: [&str; 3] = [
        "湛江工会最近帮羽绒企业做了什么？",
        "外卖骑手 入会",
        "/city 东莞",
    ];
    /// The command list for `/help`.
    pub const COMMANDS: &str = "直接发问题或关键词即可搜索。\n\
        /city 城市 — 某个城市（也可以是区、县、镇）的最新报道\n\
        /latest — 全部最新报道\n\
        /article 编号 — 阅读全文\n\
        /help — 使用说明";
    /// Nothing matched a search.
    pub const NOT_FOUND: &str = "抱歉，没有找到与您的问题相关的报道。";
    /// What to try after nothing matched.
    pub const NOT_FOUND_HINT: &str = "可以换个说法，或只发两三个关键词（例如「外卖骑手 入会」），也可以用 /city 城市 查看某地的最新报道。";
    /// The message had no words to search for.
    pub const EMPTY: &str = "请发送您想了解的问题或关键词，例如「湛江 劳模 体检」。";
    /// A command needs a city.
    pub const CITY_USAGE: &str =
        "请在 /city 后面写上城市名，例如 /city 湛江（也可以写区县或镇，如 /city 吴川）。";
    /// `/article` needs an id.
    pub const ARTICLE_USAGE: &str =
        "请在 /article 后面写上报道编号（8 位字母数字，见每条结果末尾），例如 /article 1a2b3c4d。";
    /// The store has no articles at all.
    pub const NO_ARTICLES: &str = "资料库里还没有报道。";
    /// A non-admin used an admin command.
    pub const ADMINS_ONLY: &str = "该命令仅限管理员使用。";
    /// `/subscribe` needs a city.
    pub const SUBSCRIBE_USAGE: &str =
        "请在 /subscribe 后面写上城市名，例如 /subscribe 湛江；订阅全部新闻请发 /subscribe 全部。";
    /// `/unsubscribe` needs a city.
    pub const UNSUBSCRIBE_USAGE: &str = "请在 /unsubscribe 后面写上城市名，例如 /unsubscribe 湛江；发送 /subscriptions 查看已订阅的城市。";
    /// `/push` needs page text.
    pub const PUSH_USAGE: &str = "请在 /push 后面（可以换行）粘贴版面文字，或把 .txt / .md 文件以 /push 为说明发送，或回复一条含有版面文字的消息并发送 /push。";
    /// `/delete` needs an id.
    pub const DELETE_USAGE: &str = "请在 /delete 后面写上报道编号，例如 /delete 1a2b3c4d。";
    /// Too many messages in a short time.
    pub const SLOW_DOWN: &str = "您发送得太快了，请稍后再试。";
    /// Our own failure; the member did nothing wrong.
    pub const SORRY: &str = "抱歉，系统出了点问题，请稍后再试。";
}

/// The reply to a message that is too long to be a question.
pub fn too_long(chars: usize, max: usize) -> Reply {
    let mut reply = Reply::text(format!(
        "您的消息有 {chars} 个字，太长了，我只能处理 {max} 字以内的问题。"
    ));
    reply.push(Block::Hint(
        "请用一两句话或几个关键词提问，例如「外卖骑手 入会」。".into(),
    ));
    reply
}

/// The reply to an unknown command.
pub fn unknown_command(command: &str) -> Reply {
    let mut reply = Reply::text(format!("没有 {command} 这个命令。"));
    reply.push(Block::Hint(text::COMMANDS.into()));
    reply
}

/// The reply for an article id that is not stored.
pub fn no_such_article(id: &str) -> Reply {
    Reply::text(format!("没有找到编号为 {id} 的报道，请检查编号是否正确。"))
}

/// The reply for a place name the gazetteer does not know.
pub fn unknown_place(name: &str) -> Reply {
    let mut reply = Reply::text(format!("没有找到名为「{name}」的城市或地区。"));
    reply.push(Block::Hint("请写城市、区县或镇街的名称，例如 /city 湛江、/city 吴川、/city 虎门，也可以用拼音，如 /city zhanjiang。".into()));
    reply
}

/// The reply for a place name several places carry.
pub fn ambiguous_place(name: &str, candidates: &[String]) -> Reply {
    const SHOWN: usize = 8;
    let mut list = candidates
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if candidates.len() > SHOWN {
        list.push_str(&format!("等 {} 处", candidates.len()));
    }
    let mut reply = Reply::text(format!("「{name}」有好几个地方：{list}。"));
    reply.push(Block::Hint("请写得更具体一些，例如加上所在城市。".into()));
    reply
}

/// The reply for a province given where a city is wanted.
pub fn province_not_city(name: &str, city_short_names: &[&str]) -> Reply {
    let examples: Vec<String> = city_short_names
        .iter()
        .take(3)
        .map(|c| format!("/city {c}"))
        .collect();
    let mut reply = Reply::text(format!("「{name}」是一个省份，请写具体的城市。"));
    if !examples.is_empty() {
        reply.push(Block::Hint(format!("例如 {}。", examples.join("、"))));
    }
    reply
}

/// The reply when a known city has no articles.
pub fn nothing_in_city(city: &str) -> Reply {
    let mut reply = Reply::text(format!("资料库里暂时没有{city}的报道。"));
    reply.push(Block::Hint("可以用 /latest 查看全部最新报道。".into()));
    reply
}

/// The reply when a search names a place and nothing there matches;
/// `place_has_articles` tells whether the place has any articles at all.
pub fn nothing_found_in(place: &str, place_has_articles: bool) -> Reply {
    let mut reply = if place_has_articles {
        Reply::text(format!(
            "抱歉，在{place}的报道中没有找到与您的问题相关的内容。"
        ))
    } else {
        Reply::text(format!("抱歉，资料库里还没有{place}的相关报道。"))
    };
    reply.push(Block::Hint(text::NOT_FOUND_HINT.into()));
    reply
}

/// The reply to `/subscribe`.
pub fn subscribed(label: &str, new: bool) -> Reply {
    let mut reply = Reply::text(if new {
        format!("已订阅{label}。有新报道时我会发给您。")
    } else {
        format!("您已经订阅了{label}。")
    });
    reply.push(Block::Hint(
        "发送 /subscriptions 查看订阅，/unsubscribe 城市 取消。".into(),
    ));
    reply
}

/// The reply to `/unsubscribe`.
pub fn unsubscribed(label: &str, existed: bool) -> Reply {
    Reply::text(if existed {
        format!("已取消订阅{label}。")
    } else {
        format!("您没有订阅{label}。发送 /subscriptions 查看已订阅的内容。")
    })
}

/// The reply to `/subscriptions`.
pub fn subscriptions(names: &[String]) -> Reply {
    if names.is_empty() {
        let mut reply = Reply::text("您还没有订阅任何城市。");
        reply.push(Block::Hint(text::SUBSCRIBE_USAGE.into()));
        return reply;
    }
    Reply::text(format!("您订阅了：{}。", names.join("、")))
}

/// The message a subscriber receives for a new article.
pub fn notification(article: &Article) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("📢 新报道".into()));
    reply.push(Block::Item(Item {
        rank: 1,
        id: article.id.clone(),
        title: list_title(article),
        summary: crate::summary::summarize(article, &[], Default::default()),
        source: source_line(article),
        why: None,
    }));
    reply.listed.push(article.id.clone());
    reply
}

/// What an admin's push did: each article understood, duplicates, warnings.
pub fn push_report(report: &crate::desk::IngestReport) -> Reply {
    let mut reply = Reply::default();
    if report.articles.is_empty() {
        reply.push(Block::Text("没有从这段文字中识别出报道。".into()));
        reply.push(Block::Hint(
            "版面文字需要有以 # 或 ## 开头的标题行，标题下面是正文段落。".into(),
        ));
    } else {
        reply.push(Block::Heading(format!(
            "已收到 {} 篇：新增 {} 篇，已有 {} 篇。",
            report.articles.len(),
            report.added(),
            report.known()
        )));
        let mut lines: Vec<String> = report
            .articles
            .iter()
            .take(PUSH_REPORT_LINES)
            .map(|a| {
                let cities = if a.cities.is_empty() {
                    "未识别城市".to_string()
                } else {
                    a.cities.join("、")
                };
                let date = a
                    .date
                    .map(chinese_date)
                    .unwrap_or_else(|| "日期不详".into());
                let state = if a.is_new { "新增" } else { "已有" };
                format!("{state}：{}（{cities}，{date}）编号 {}", a.title, a.id)
            })
            .collect();
        if report.articles.len() > PUSH_REPORT_LINES {
            lines.push(format!(
                "……另有 {} 篇未列出（发送 /latest 查看最新报道）。",
                report.articles.len() - PUSH_REPORT_LINES
            ));
        }
        reply.push(Block::Text(lines.join("\n")));
        if report.queued > 0 {
            reply.push(Block::Text(format!(
                "将发送给订阅者 {} 条。",
                report.queued
            )));
        }
    }
    if !report.warnings.is_empty() {
        reply.push(Block::Heading("解析提示：".into()));
        let mut shown: Vec<String> = report
            .warnings
            .iter()
            .take(PUSH_REPORT_LINES)
            .cloned()
            .collect();
        if report.warnings.len() > PUSH_REPORT_LINES {
            shown.push(format!(
                "……另有 {} 条提示未列出。",
                report.warnings.len() - PUSH_REPORT_LINES
            ));
        }
        reply.push(Block::Text(shown.join("\n")));
    }
    reply
}

/// At most this many articles (and warnings) are listed in a push report, so
/// a huge page gets one or two messages, not hundreds.
pub const PUSH_REPORT_LINES: usize = 30;

/// The reply to a page larger than a push may be.
pub fn page_too_large(bytes: usize, max: usize) -> Reply {
    Reply::text(format!(
        "这段文字有 {} KB，超过了单次发布 {} KB 的上限，请分成几次发布。",
        bytes / 1024,
        max / 1024
    ))
}

/// The reply to `/delete`.
pub fn deleted(id: &ArticleId, title: &str) -> Reply {
    Reply::text(format!("已删除编号 {id} 的报道《{title}》。"))
}

/// Heading of a city list.
pub fn city_heading(city: &str, shown_from: usize, shown_to: usize, total: u64) -> String {
    format!("{city}的最新报道（第 {shown_from}–{shown_to} 篇，共 {total} 篇）")
}

/// Heading of the overall latest list.
pub fn latest_heading(shown_from: usize, shown_to: usize, total: u64) -> String {
    format!("最新报道（第 {shown_from}–{shown_to} 篇，共 {total} 篇）")
}

/// Heading of search results.
pub fn results_heading(count: usize, place: Option<&str>, when: Option<&str>) -> String {
    let scope = format!("{}{}", place.unwrap_or(""), when.unwrap_or(""));
    if scope.is_empty() {
        format!("找到 {count} 篇相关报道：")
    } else {
        format!("在{scope}的报道中找到 {count} 篇相关报道：")
    }
}

/// Time words with the dates they were read as: `上个月（2023年12月）`,
/// `2024年`, `春节前（2024年1月10日至2月10日）`.
pub fn time_label(typed: &str, (from, to): (NaiveDate, NaiveDate)) -> String {
    let span = date_span(from, to);
    if span == typed {
        span
    } else {
        format!("{typed}（{span}）")
    }
}

/// A date range in words: a whole year or month by its name, else both ends.
pub fn date_span(from: NaiveDate, to: NaiveDate) -> String {
    let last_of_month = |d: NaiveDate| d.succ_opt().is_none_or(|next| next.month() != d.month());
    if from.day() == 1 && last_of_month(to) {
        if from.month() == 1 && to.month() == 12 && from.year() == to.year() {
            return format!("{}年", from.year());
        }
        if (from.year(), from.month()) == (to.year(), to.month()) {
            return format!("{}年{}月", from.year(), from.month());
        }
    }
    if from == to {
        return chinese_date(from);
    }
    if from.year() == to.year() {
        return format!("{}至{}月{}日", chinese_date(from), to.month(), to.day());
    }
    format!("{}至{}", chinese_date(from), chinese_date(to))
}

/// Why a search result is listed: the words it matched, and the place and
/// time the search was kept to.
pub fn why_listed(matched: &[String], place: Option<&str>, when: Option<&str>) -> String {
    let mut parts = vec![matched.join(" ")];
    if let Some(place) = place {
        parts.push(format!("地点 {place}"));
    }
    if let Some(when) = when {
        parts.push(format!("时间 {when}"));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}

/// The `/start` reply.
pub fn welcome(articles: u64, newest: Option<NaiveDate>, cities: usize) -> Reply {
    let mut reply = Reply::text(text::WELCOME);
    let known = match newest {
        Some(date) => format!(
            "资料库现有 {articles} 篇报道，涉及 {cities} 个城市，最新一篇是{}的。",
            chinese_date(date)
        ),
        None => text::NO_ARTICLES.to_string(),
    };
    reply.push(Block::Text(known));
    reply.push(Block::Heading("可以这样问我：".into()));
    reply.push(Block::Text(examples()));
    reply.push(Block::Hint("发送 /help 查看全部命令。".into()));
    reply
}

fn examples() -> String {
    text::EXAMPLES
        .iter()
        .map(|e| format!("• {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `/help` reply.
pub fn help() -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("使用说明".into()));
    reply.push(Block::Text(text::COMMANDS.into()));
    reply.push(Block::Heading("例子：".into()));
    reply.push(Block::Text(examples()));
    reply.push(Block::Hint(
        "支持繁体字、拼音城市名（如 zhanjiang），以及区县镇名（如 吴川、虎门）。".into(),
    ));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> ArticleId {
        ArticleId::parse("1a2b3c4d").unwrap()
    }

    #[test]
    fn hostile_text_is_escaped() {
        let reply = Reply::text("<b>x</b>& </a> \"q\"");
        assert_eq!(
            to_html(&reply),
            ["&lt;b&gt;x&lt;/b&gt;&amp; &lt;/a&gt; &quot;q&quot;"]
        );
        let item = Block::Item(Item {
            rank: 1,
            id: id(),
            title: "<i>".into(),
            summary: "&amp;".into(),
            source: "<".into(),
            why: Some(">".into()),
        });
        let html = to_html(&Reply {
            blocks: vec![item],
            ..Default::default()
        });
        assert_eq!(
            html,
            ["<b>1. &lt;i&gt;</b>\n&amp;amp;\n<i>&lt;</i>\n<i>匹配：&gt;</i>"]
        );
    }

    #[test]
    fn a_long_article_is_split_into_messages_within_the_limit_at_paragraph_boundaries() {
        let paragraph = "工会为职工办实事。".repeat(100);
        let full = Block::Full(FullArticle {
            id: id(),
            title_lines: vec!["标题".into()],
            paragraphs: vec![paragraph.clone(); 8],
            source: "职工报".into(),
        });
        let messages = to_html(&Reply {
            blocks: vec![full],
            ..Default::default()
        });
        assert!(messages.len() >= 2, "{} messages", messages.len());
        for m in &messages {
            assert!(utf16_len(m) <= TELEGRAM_MESSAGE_LIMIT);
            assert!(!m.starts_with("\n"));
        }
        let joined = messages.join("\n\n");
        assert_eq!(
            joined.matches(&paragraph).count(),
            8,
            "paragraphs kept whole"
        );
    }

    #[test]
    fn a_paragraph_longer_than_a_message_is_split_at_sentences_and_characters() {
        let no_punctuation = "字".repeat(10_000);
        let with_markup = "<&>".repeat(3000);
        for text in [no_punctuation, with_markup] {
            let messages = to_html(&Reply::text(text));
            for m in &messages {
                assert!(utf16_len(m) <= TELEGRAM_MESSAGE_LIMIT, "{}", utf16_len(m));
                assert!(!m.contains("&a\n"), "entity cut");
            }
        }
    }

    #[test]
    fn plain_text_has_no_markup() {
        let reply = help();
        let plain = to_plain(&reply);
        assert!(plain.contains("/city"));
        assert!(!plain.contains("<b>"));
    }
}
