//! The reply model, its two renderings and the bot's words.
//!
//! - this file: [`Reply`], a list of [`Block`]s with the articles it lists
//!   and where it stands in a paged list; plain data.
//! - `render`: the only producer of Telegram HTML ([`to_html`]): every piece
//!   of text is escaped, every tag closed in its block, messages split at
//!   block (and, for long blocks, sentence) boundaries within Telegram's
//!   limit; and [`to_plain`] for the terminal.
//! - [`text`]: every sentence a member or admin reads, in Simplified Chinese.

mod render;
pub mod text;

pub use render::{TELEGRAM_CAPTION_LIMIT, escape_html, to_html, to_html_with_caption, to_plain};

use crate::article::ArticleId;

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
    /// One-tap actions the reply offers (订阅湛江), as buttons in chat
    /// front ends; the text says how to do the same by command.
    pub offers: Vec<Offer>,
    /// The push this reply reports on: a chat front end remembers the
    /// message it sends, and keeps it up to date as deliveries go out.
    pub reports_push: Option<i64>,
    /// Photos the reply shows (Telegram `file_id`s, an article's): a chat
    /// front end sends them first, the text as their caption as far as it fits.
    pub photos: Vec<String>,
    /// Sent without sound (a delivery in the quiet hours): a chat front end
    /// sends it with notifications off.
    pub silent: bool,
    /// The new state of the message whose button was pressed (a setting
    /// under `/subscriptions`): a chat front end edits that message in
    /// place instead of answering below it.
    pub replaces_message: bool,
    /// The question to the union (留言) this reply confirms as filed: a
    /// chat front end sends each admin its notice.
    pub files_question: Option<i64>,
    /// The answer's number in the question log: a chat front end offers
    /// 👍 / 👎 under it.
    pub votes: Option<i64>,
}

/// A one-tap action under a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// Subscribe this chat to a city's news (its prefecture code), as
    /// `/subscribe` there would.
    Subscribe {
        /// The prefecture code.
        code: u32,
        /// The city's short name, for the button.
        label: String,
    },
    /// Unsubscribe this chat from a city's news (or all of it: code 0).
    Unsubscribe {
        /// The prefecture code (0: everything).
        code: u32,
        /// The city's short name, for the button.
        label: String,
    },
    /// An editor's action on a pushed article (admins only, checked when
    /// pressed): as `/send`, `/correct`, `/delete` or `/restore` would.
    Edit {
        /// What to do.
        action: EditAction,
        /// The article.
        id: ArticleId,
        /// Added to the button's words (` 2` for a push's second article).
        label: String,
    },
    /// Another period of `/feedback` (admins only).
    FeedbackPeriod {
        /// The period, in days.
        days: u32,
        /// The button's words.
        label: String,
    },
    /// Members' own wordings of one `/feedback` topic (admins only).
    Wordings {
        /// The period, in days.
        days: u32,
        /// The topic's key (`request::topic_key`).
        topic: u64,
        /// The button's words.
        label: String,
    },
    /// Saves a proposed taught word (admins only).
    ConfirmWord {
        /// The proposal.
        proposal: i64,
    },
    /// Changes a delivery setting of this chat (a subscription's mode,
    /// the digest hour, the quiet hours), as `/subscriptions` shows them:
    /// one row a subscription, a row of hours, a row for the quiet hours.
    Setting {
        /// What pressing it sets.
        setting: crate::request::Setting,
        /// The button's words (the current choice marked).
        label: String,
    },
    /// Sets the year of an article's event date, which the page did not
    /// give (admins only).
    EventYear {
        /// The article.
        id: ArticleId,
        /// The year.
        year: i32,
        /// The button's words.
        label: String,
    },
    /// Leave the question this reply answers for the union's people (留言给工会):
    /// in a private chat it files the question, in a group it opens a
    /// private chat with the bot, so the question is never posted there.
    LeaveQuestion,
    /// Take back one of the member's open questions (by its number).
    WithdrawQuestion(i64),
}

/// An editor's one-tap action on a pushed article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditAction {
    /// 立即发送.
    Send,
    /// 更正 (asks for the fields).
    Correct,
    /// 撤回.
    Retract,
    /// 恢复 a retracted article.
    Restore,
    /// 定时: asks for the time to publish at.
    Schedule,
    /// 更新 a stored article with the copy just pushed.
    Update,
    /// 另存为新文章: keep the copy just pushed as an article of its own.
    Keep,
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
    /// A line struck out (an article retracted after a digest listed it),
    /// with a note after it that is not struck.
    Struck {
        /// The struck text.
        text: String,
        /// Why (已撤回).
        note: String,
    },
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
    /// The web address the article was fetched from, shown as 原文链接.
    pub link: Option<String>,
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
    /// The web address the article was fetched from, shown as 原文链接.
    pub link: Option<String>,
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

    /// The titles of the items the reply lists, in order.
    pub fn item_titles(&self) -> Vec<String> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item(item) => Some(item.title.clone()),
                _ => None,
            })
            .collect()
    }
}
