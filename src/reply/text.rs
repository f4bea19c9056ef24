//! The bot's words: every sentence a member or admin reads, in Simplified
//! Chinese, and the replies built of them. Nothing else in the crate writes
//! Chinese for people to read (the command table's Chinese aliases are
//! input forms, not output).

mod editorial;
pub use editorial::*;

use super::{Block, EditAction, FullArticle, Item, Offer, Reply};
use crate::article::{Article, ArticleId};
use crate::beyond::Beyond;
use crate::chat::SmallTalk;
use crate::claim::{Claim, Verdict};
use crate::commands::{COMMANDS, CommandKind, command};
use crate::page::{Warning, WarningKind};
use crate::report::{IngestReport, JoinBound, PartsLeftOut};
use chrono::{Datelike, NaiveDate};

mod inbox;
pub use inbox::*;

mod subscriptions;
pub use subscriptions::*;

/// What a member reads about one command: how to type it, and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandWords {
    /// The argument after the command name, if it takes one (`城市`).
    pub argument: Option<&'static str>,
    /// What it does, short enough for Telegram's menu (`某个城市的最新报道`).
    pub does: &'static str,
}

/// The words of each command of the table ([`crate::commands::COMMANDS`]).
/// A match, so a command added to the table without words does not compile.
pub fn command_words(kind: CommandKind) -> CommandWords {
    let (argument, does) = match kind {
        CommandKind::Start => (None, "欢迎和使用示例"),
        CommandKind::Help => (None, "使用说明"),
        CommandKind::City => (Some("城市"), "某个城市（也可以是区、县、镇）的最新报道"),
        CommandKind::Latest => (None, "全部最新报道"),
        CommandKind::Article => (Some("编号"), "阅读全文"),
        CommandKind::Ask => (Some("问题"), "提问（在群组里用）"),
        CommandKind::Subscribe => (Some("城市"), "订阅某城市的新报道（或 全部）"),
        CommandKind::Unsubscribe => (Some("城市"), "取消订阅"),
        CommandKind::Subscriptions => (None, "我的订阅"),
        CommandKind::Push => (
            Some("版面文字"),
            "发布版面：/push 后换行粘贴全文，或以 /push 为说明发送文件",
        ),
        CommandKind::Delete => (Some("编号"), "撤回报道（已发出的消息一并撤回）"),
        CommandKind::Send => (Some("编号"), "不等暂缓时间，立即发送给订阅者"),
        CommandKind::Schedule => (
            Some("编号 2024-08-22 08:00"),
            "定时发布（到时才可搜索和发送）",
        ),
        CommandKind::Cancel => (Some("编号"), "取消尚未发出的推送"),
        CommandKind::Correct => (
            Some("编号"),
            "更正报道：下面每行一项，如 标题：… 日期：… 活动日期：… 城市：… 正文：…",
        ),
        CommandKind::Restore => (Some("编号"), "恢复已撤回的报道"),
        CommandKind::Update => (Some("编号"), "用刚推送的近似重复稿更新这篇报道"),
        CommandKind::Keep => (Some("编号"), "把刚推送的近似重复稿另存为新文章"),
        CommandKind::Status => (None, "推送状态：待发送、最近推送、定时和撤回"),
        CommandKind::Liuyan => (Some("问题"), "留言给工会，由工作人员答复"),
        CommandKind::MyQuestions => (None, "我的留言（可撤回）"),
        CommandKind::Withdraw => (Some("编号"), "撤回留言"),
        CommandKind::Inbox => (None, "会员留言箱：待答复的留言（最早的在前）和最近的答复"),
        CommandKind::Answer => (Some("编号 答复"), "答复会员留言（也可以直接回复留言通知）"),
        CommandKind::Privacy => (None, "机器人记下什么、保存多久"),
        CommandKind::Forget => (None, "删除我的提问记录、评价和留言"),
        CommandKind::Feedback => (Some("天数"), "成员没问到的和点了👎的问题，按话题归类"),
        CommandKind::Teach => (
            Some("成员说法 = 报纸说法"),
            "教机器人一个成员的说法，如 /teach 跑滴滴 = 网约车司机",
        ),
        CommandKind::Words => (None, "编辑教过的词"),
        CommandKind::Unteach => (Some("成员说法"), "删除教过的词"),
        CommandKind::Editors => (Some("add|remove 用户ID"), "管理编辑（仅限所有者）"),
    };
    CommandWords { argument, does }
}

/// How a command is typed: `/city 城市`.
pub fn command_usage(kind: CommandKind) -> String {
    let name = command(kind).name;
    match command_words(kind).argument {
        Some(argument) => format!("/{name} {argument}"),
        None => format!("/{name}"),
    }
}

/// A command's entry in Telegram's menu: what it does, and how to type it
/// when it takes an argument (`某个城市…的最新报道，如 /city 城市`).
pub fn menu_description(kind: CommandKind) -> String {
    let words = command_words(kind);
    match words.argument {
        Some(_) => format!("{}，如 {}", words.does, command_usage(kind)),
        None => words.does.to_string(),
    }
}

/// The command list, one line each (`/city 城市 — …`); admin commands only
/// for admins.
pub fn command_list(for_admin: bool) -> String {
    let mut lines = vec![HOW_TO_SEARCH.to_string()];
    let mut more = Vec::new();
    for c in COMMANDS.iter().filter(|c| for_admin || !c.admin_only) {
        if !for_admin && is_seldom_used(c.kind) {
            // A member's screen: the seldom used ones on one line.
            more.push(format!("/{}", c.name));
            continue;
        }
        let words = command_words(c.kind);
        let admin = if c.admin_only { "（管理员）" } else { "" };
        lines.push(format!("{} — {}{admin}", command_usage(c.kind), words.does));
    }
    if !more.is_empty() {
        lines.push(format!("另有：{}", more.join(" ")));
    }
    lines.join("\n")
}

/// Member commands listed by name only in a member's `/help`, so that it
/// fits a phone screen: each says what it does when sent.
fn is_seldom_used(kind: CommandKind) -> bool {
    matches!(
        kind,
        CommandKind::Start
            | CommandKind::Withdraw
            | CommandKind::Privacy
            | CommandKind::Forget
            | CommandKind::Unsubscribe
    )
}

/// Before a hint, in plain text.
pub const HINT_LABEL: &str = "提示：";
/// Before an answer sentence, in plain text.
pub const ANSWER_LABEL: &str = "答：";
/// Before what a result matched.
pub const MATCHED_LABEL: &str = "匹配：";
/// What an article id is called.
pub const ID_LABEL: &str = "编号";
/// The button that shows an article in full.
pub const BUTTON_FULL_TEXT: &str = "全文";

/// The button that subscribes the chat to a city (`订阅湛江`).
pub fn button_subscribe(label: &str) -> String {
    format!("订阅{label}")
}

/// The button that unsubscribes the chat from a city (`退订湛江`).
pub fn button_unsubscribe(label: &str) -> String {
    format!("退订{label}")
}
/// The button to the previous page.
pub const BUTTON_PREVIOUS: &str = "« 上一页";
/// The button to the next page.
pub const BUTTON_NEXT: &str = "下一页 »";

/// Welcome, for `/start`.
pub const WELCOME: &str = "您好！我是工会新闻助手，可以帮您查找工会报纸上的新闻报道。";
/// The example questions shown by `/start` and `/help`.
pub const EXAMPLES: [&str; 3] = [
    "湛江工会最近帮羽绒企业做了什么？",
    "外卖骑手 入会",
    "/city 东莞",
];
/// How searching works, above the command list.
pub const HOW_TO_SEARCH: &str = "直接发问题或关键词即可搜索。";
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
pub const PUSH_USAGE: &str = "请在 /push 后面（可以换行）粘贴文章或版面文字，或发送 /push 加文章链接，或把文本、Word、网页、PDF 文件以 /push 为说明发送，或回复一条含有文字的消息并发送 /push。";
/// `/delete` needs an id.
pub const DELETE_USAGE: &str = "请在 /delete 后面写上报道编号，例如 /delete 1a2b3c4d。";
/// Too many messages in a short time.
pub const SLOW_DOWN: &str = "您发送得太快了，请稍后再试。";
/// Our own failure; the member did nothing wrong.
pub const SORRY: &str = "抱歉，系统出了点问题，请稍后再试。";

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
pub fn unknown_command(command: &str, for_admin: bool) -> Reply {
    let mut reply = Reply::text(format!("没有 {command} 这个命令。"));
    reply.push(Block::Hint(command_list(for_admin)));
    reply
}

/// The reply for an article id that is not stored.
pub fn no_such_article(id: &str) -> Reply {
    Reply::text(format!("没有找到编号为 {id} 的报道，请检查编号是否正确。"))
}

/// The reply for a place name the gazetteer does not know.
/// `asked` is the command that named it (`/city`, `/subscribe`), for the examples.
pub fn unknown_place(name: &str, asked: CommandKind) -> Reply {
    let c = command(asked).name;
    let mut reply = Reply::text(format!("没有找到名为「{name}」的城市或地区。"));
    reply.push(Block::Hint(format!(
        "请写城市、区县或镇街的名称，例如 /{c} 湛江、/{c} 吴川、/{c} 虎门，也可以用拼音，如 /{c} zhanjiang。"
    )));
    reply
}

/// The reply for a short name that would mean a far town (`火星` → 长沙市
/// 火星街道): the question, and what to send to mean it.
pub fn unsure_place(typed: &str, place: &str, full_name: &str, asked: CommandKind) -> Reply {
    let c = command(asked).name;
    let mut reply = Reply::text(format!("「{typed}」是指{place}吗？"));
    reply.push(Block::Hint(format!(
        "如果是，请发送 /{c} {full_name}；如果不是，请写城市或区县的名称，例如 /{c} 湛江。"
    )));
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
/// `asked` is the command that named it, for the examples.
pub fn province_not_city(name: &str, city_short_names: &[&str], asked: CommandKind) -> Reply {
    let name_of_command = command(asked).name;
    let examples: Vec<String> = city_short_names
        .iter()
        .take(3)
        .map(|c| format!("/{name_of_command} {c}"))
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
    reply.push(Block::Hint(NOT_FOUND_HINT.into()));
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

/// A wish to be sent a city's news, said in words: the offer, as a
/// button and as the command.
pub fn subscribe_offer(code: u32, label: &str) -> Reply {
    let name = command(CommandKind::Subscribe).name;
    let mut reply = Reply::text(format!(
        "想在{label}有新报道时收到推送吗？点下面的按钮即可订阅，或发送 /{name} {label}。"
    ));
    reply.offers.push(Offer::Subscribe {
        code,
        label: label.to_string(),
    });
    reply
}

/// A wish to be sent news, said in words, without a place: how to subscribe.
pub fn subscribe_how() -> Reply {
    let name = command(CommandKind::Subscribe).name;
    let mut reply = Reply::text(format!(
        "想收到新报道的推送？发送 /{name} 城市，例如 /{name} 湛江（区县镇名也行，如 /{name} 吴川）；/{name} 全部 收到所有新报道。"
    ));
    reply.push(Block::Hint("发送 /subscriptions 查看已订阅的城市。".into()));
    reply
}

/// A wish to stop a city's news, said in words: the offer, as a button and
/// as the command; `subscribed` says whether the chat is subscribed to it.
pub fn unsubscribe_offer(code: u32, label: &str, subscribed: bool) -> Reply {
    let name = command(CommandKind::Unsubscribe).name;
    if !subscribed {
        return Reply::text(format!(
            "您没有订阅{label}，不会收到它的推送。发送 /subscriptions 查看已订阅的内容。"
        ));
    }
    let mut reply = Reply::text(format!(
        "不想再收到{label}的推送？点下面的按钮即可退订，或发送 /{name} {label}。"
    ));
    reply.offers.push(Offer::Unsubscribe {
        code,
        label: label.to_string(),
    });
    reply
}

/// A wish to stop deliveries, said in words, without a place: the chat's
/// subscriptions (code and name), each with its button.
pub fn unsubscribe_which(subscribed: &[(u32, String)]) -> Reply {
    let name = command(CommandKind::Unsubscribe).name;
    if subscribed.is_empty() {
        return Reply::text("您没有订阅任何城市，不会收到推送。");
    }
    let names: Vec<&str> = subscribed.iter().map(|(_, n)| n.as_str()).collect();
    let mut reply = Reply::text(format!(
        "您订阅了：{}。点下面的按钮退订，或发送 /{name} 城市。",
        names.join("、")
    ));
    for (code, label) in subscribed {
        reply.offers.push(Offer::Unsubscribe {
            code: *code,
            label: label.clone(),
        });
    }
    reply
}

/// The message a subscriber receives for a new article.
pub fn notification(item: Item) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("📢 新报道".into()));
    reply.listed.push(item.id.clone());
    reply.push(Block::Item(item));
    reply
}

/// What an admin's push did: each article understood (with both its
/// dates), duplicates, warnings, when subscribers get it, and buttons to
/// send it now, correct it or retract it. `today` is the bot's today,
/// `deliver_wall` when deliveries are due, `hold_secs` the push hold.
pub fn push_report(
    report: &IngestReport,
    today: NaiveDate,
    deliver_wall: Option<&str>,
    hold_secs: i64,
) -> Reply {
    let mut reply = Reply {
        reports_push: report.push,
        ..Default::default()
    };
    if report.articles.is_empty() {
        reply.push(Block::Text("没有从这段文字中识别出报道。".into()));
        reply.push(Block::Hint(
            "请粘贴文章的标题和正文（网页、公众号复制的原样即可），或发送 /push 加文章链接。"
                .into(),
        ));
    } else {
        reply.push(Block::Heading(format!(
            "已收到 {} 篇：新增 {} 篇，已有 {} 篇。",
            report.articles.len(),
            report.added(),
            report.known()
        )));
        if report.articles.len() <= DETAILED_REPORT_ARTICLES {
            for a in &report.articles {
                reply.push(Block::Text(understood(a, today)));
            }
        }
        let mut lines: Vec<String> = report
            .articles
            .iter()
            .skip(if report.articles.len() <= DETAILED_REPORT_ARTICLES {
                report.articles.len()
            } else {
                0
            })
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
        if !lines.is_empty() {
            reply.push(Block::Text(lines.join("\n")));
        }
        reply.push(Block::Text(delivery_plan(report, deliver_wall, hold_secs)));
        offer_edits(&mut reply, report);
    }
    if !report.warnings.is_empty() {
        reply.push(Block::Heading("解析提示：".into()));
        let mut shown: Vec<String> = report
            .warnings
            .iter()
            .take(PUSH_REPORT_LINES)
            .map(page_warning)
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

/// A push of at most this many articles reports each in full (headline,
/// date and where it came from, cities, source, first sentence, flags);
/// a longer one lists them one line each.
pub const DETAILED_REPORT_ARTICLES: usize = 5;

/// When subscribers get a push, in words.
fn delivery_plan(report: &IngestReport, deliver_wall: Option<&str>, hold_secs: i64) -> String {
    let when = deliver_wall.unwrap_or("");
    if report.added() == 0 {
        return "没有新报道，不会发送给订阅者。".into();
    }
    if report.scheduled {
        return format!(
            "定时发布：{when}。到时才可搜索，并发送给订阅者 {} 人；之前可以 /send 提前发送、/correct 更正或 /cancel 取消。",
            report.queued
        );
    }
    if report.queued == 0 {
        return "已可搜索。目前没有订阅这些城市的人，不会推送。".into();
    }
    if hold_secs <= 0 {
        return format!("已可搜索，正在发送给订阅者 {} 人。", report.queued);
    }
    let minutes = (hold_secs + 59) / 60;
    format!(
        "已可搜索。订阅者 {} 人将在 {minutes} 分钟后（{when}）收到；之前可以立即发送、更正或撤回。",
        report.queued
    )
}

/// The buttons under a push report: for each new article (at most three),
/// 立即发送 while it is held, 更正, 撤回; the likely years of an event
/// date whose year the page did not give; 恢复 for an article that was
/// retracted and pushed again.
fn offer_edits(reply: &mut Reply, report: &IngestReport) {
    let several = report.articles.iter().filter(|a| a.is_new).count() > 1;
    for (i, a) in report.articles.iter().enumerate().take(3) {
        let label = if several {
            format!(" {}", i + 1)
        } else {
            String::new()
        };
        if a.retracted {
            reply.offers.push(Offer::Edit {
                action: EditAction::Restore,
                id: a.id.clone(),
                label,
            });
            continue;
        }
        if let Some((target, headline)) = &a.near_duplicate_of {
            reply.offers.push(Offer::Edit {
                action: EditAction::Update,
                id: target.clone(),
                label: format!("《{}》", clip(headline, 12)),
            });
            reply.offers.push(Offer::Edit {
                action: EditAction::Keep,
                id: target.clone(),
                label,
            });
            continue;
        }
        if !a.is_new {
            continue;
        }
        if report.queued > 0 {
            reply.offers.push(Offer::Edit {
                action: EditAction::Send,
                id: a.id.clone(),
                label: label.clone(),
            });
        }
        let actions: &[EditAction] = if report.scheduled || report.queued == 0 {
            &[EditAction::Correct, EditAction::Retract]
        } else {
            &[
                EditAction::Schedule,
                EditAction::Correct,
                EditAction::Retract,
            ]
        };
        for &action in actions {
            reply.offers.push(Offer::Edit {
                action,
                id: a.id.clone(),
                label: label.clone(),
            });
        }
        if !a.event_year_known
            && let Some(date) = a.date
        {
            for year in [date.year(), date.year() - 1] {
                reply.offers.push(Offer::EventYear {
                    id: a.id.clone(),
                    year,
                    label: format!("活动在{year}年{label}"),
                });
            }
        }
    }
}

/// One article of a push as understood, and what looks wrong with it.
fn understood(a: &crate::report::IngestedArticle, today: NaiveDate) -> String {
    use crate::page::DateSource;
    let state = match (a.is_new, a.retracted, a.near_duplicate_of.is_some()) {
        (true, _, _) => "新增",
        (false, _, true) => "近似重复",
        (false, true, false) => "已撤回过",
        (false, false, false) => "已有",
    };
    let mut lines = vec![format!("{state}：《{}》 编号 {}", a.title, a.id)];
    match (&a.near_duplicate_of, a.retracted) {
        (Some((target, headline)), false) => lines.push(format!(
            "与已有的《{headline}》（编号 {target}）几乎相同（另一份复制或另一种格式），没有另存为新文章。暂缓时间结束后将用这次的文字更新原文；也可以按“更新”立即更新（/update {target}），或按“另存为新文章”（/keep {target}）。"
        )),
        (Some((target, headline)), true) => lines.push(format!(
            "与已撤回的《{headline}》（编号 {target}）几乎相同。要恢复，请按“恢复”或发送 /restore {target}。"
        )),
        (None, true) => {
            lines.push("这篇报道曾被撤回；要恢复，请按“恢复”或发送 /restore 编号。".into())
        }
        (None, false) => {}
    }
    let from = match a.date_source {
        DateSource::LedeWithYear => "导语写明的日期",
        DateSource::LedeInIssueYear => "导语的月日，年份取自出版日期",
        DateSource::LedeInPrintedYear => "导语的月日，年份取自页面上的发布日期",
        DateSource::LedeInLatestYear => "导语的月日，原文没有年份，取不晚于今天的最近一年",
        DateSource::Printed => "页面上的发布日期",
        DateSource::Issue => "出版日期",
        DateSource::Received => "原文没有日期，按推送当天",
        DateSource::Unknown => "原文没有日期",
    };
    let published = match a.published {
        Some(date) if a.published_is_push_day => {
            format!("{}（原文没有发布日期，按推送当天）", chinese_date(date))
        }
        Some(date) => chinese_date(date),
        None => "不详".into(),
    };
    lines.push(format!("发布日期：{published}"));
    match a.date {
        Some(date) if !a.event_year_known => lines.push(format!(
            "活动日期：{}月{}日（原文没有年份：请按下面的年份按钮，或发送 /correct {} 并在下一行写 活动年份：{}）",
            date.month(),
            date.day(),
            a.id,
            date.year()
        )),
        Some(date) if a.date != a.published => {
            lines.push(format!("活动日期：{}（{from}）", chinese_date(date)))
        }
        Some(_) => {}
        None => lines.push(format!("活动日期：不详（{from}）")),
    }
    let cities = if a.cities.is_empty() {
        "未识别".to_string()
    } else {
        a.cities.join("、")
    };
    lines.push(format!("城市：{cities}"));
    if !a.source.is_empty() {
        lines.push(format!("来源：{}", a.source));
    }
    if !a.first_sentence.is_empty() {
        lines.push(format!("首句：{}", a.first_sentence));
    }
    let mut flags = Vec::new();
    if a.title_from_body {
        flags.push("没找到标题行，标题取自正文第一句，请核对".to_string());
    } else if looks_like_navigation(&a.title) {
        flags.push("标题像是网页导航或栏目名，请核对".to_string());
    }
    match a.date {
        Some(date) if (today - date).num_days() > 3 * 365 => {
            flags.push(format!(
                "日期离今天已超过 {} 年，请核对",
                (today - date).num_days() / 365
            ));
        }
        None => flags.push("没有日期".to_string()),
        _ => {}
    }
    if a.cities.is_empty() {
        flags.push("没有识别出城市，订阅者收不到推送".to_string());
    }
    if let Some(removed) = a.removed_lines.filter(|&n| n > 0) {
        flags.push(format!(
            "已去掉网页杂项 {removed} 行（导航、来源编辑、图片说明、推荐链接等）"
        ));
    }
    for flag in flags {
        lines.push(format!("⚠️ {flag}"));
    }
    lines.join("\n")
}

/// A headline that reads like a site's navigation, a column's name or a
/// button rather than an article's (`返回列表`, `查看原文`, `工会新闻`).
fn looks_like_navigation(title: &str) -> bool {
    title.chars().count() <= 6
        || crate::page::words::NAVIGATION
            .iter()
            .any(|w| title.contains(w))
}

/// At most this many articles (and warnings) are listed in a push report, so
/// a huge page gets one or two messages, not hundreds.
pub const PUSH_REPORT_LINES: usize = 30;

/// The reply to pushed text larger than a push may be (typed, pasted, or
/// read from a file).
pub fn text_too_large(bytes: usize, max: usize) -> Reply {
    Reply::text(format!(
        "这段文字有 {}，超过了单次发布 {} 的上限，请分成几次发布。",
        size_words(bytes),
        size_words(max)
    ))
}

/// The reply to a pushed file larger than a push may be, refused before
/// it is read.
pub fn file_too_large(bytes: usize, max: usize) -> Reply {
    Reply::text(format!(
        "这个文件有 {}，超过了 {} 的上限。请删去图片或无关页面后另存再发，或把文章文字直接粘贴在 /push 后面。",
        size_words(bytes),
        size_words(max)
    ))
}

/// What the push of a long paste, cut by the Telegram app into several
/// messages, left out: which parts (number and first words), why, and
/// what to do, so the report never passes over what was lost.
pub fn parts_left_out(left_out: &PartsLeftOut) -> Block {
    let why = match left_out.why {
        JoinBound::Parts(max) => format!("一次粘贴最多并入 {max} 段"),
        JoinBound::Bytes(max) => format!("合起来超过了单次发布 {} 的上限", size_words(max)),
        JoinBound::Time(max) if max.as_secs().is_multiple_of(60) => {
            format!("它们在第 1 段之后超过 {} 分钟才到", max.as_secs() / 60)
        }
        JoinBound::Time(max) => format!("它们在第 1 段之后超过 {} 秒才到", max.as_secs()),
    };
    let mut lines = vec![format!(
        "⚠️ 这次粘贴被 Telegram 分成了 {} 段，其中 {} 段没有并入，也没有发布（{why}）：",
        left_out.total, left_out.count
    )];
    for (number, opening) in &left_out.first {
        lines.push(format!("第 {number} 段，开头是「{opening}……」"));
    }
    if left_out.count > left_out.first.len() {
        lines.push(format!(
            "……另有 {} 段",
            left_out.count - left_out.first.len()
        ));
    }
    lines.push("请把没有并入的部分另用 /push 再发一次。".to_string());
    Block::Text(lines.join("\n"))
}

/// A size as people say it: `25 MB`, `2.5 MB`, `300 KB`, `12 字节`.
/// Rounded up, so a size over a limit never reads as the limit itself.
pub fn size_words(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        let tenths = (bytes * 10).div_ceil(MIB);
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB {
        format!("{} KB", bytes.div_ceil(KIB))
    } else {
        format!("{bytes} 字节")
    }
}

/// The correction field a year button stands for (`活动年份：2025`).
pub fn event_year_field(year: i32) -> String {
    format!("活动年份：{year}")
}

/// The words of an editor's button (`立即发送 2`).
pub fn button_edit(action: EditAction, label: &str) -> String {
    let words = match action {
        EditAction::Send => "立即发送",
        EditAction::Correct => "更正",
        EditAction::Retract => "撤回",
        EditAction::Restore => "恢复",
        EditAction::Schedule => "定时",
        EditAction::Update => "更新",
        EditAction::Keep => "另存为新文章",
    };
    format!("{words}{label}")
}

/// How to type an editor's command on one article (`/send 1a2b3c4d`).
pub fn edit_usage(name: &str) -> String {
    format!("请在 /{name} 后面写上报道编号，例如 /{name} 1a2b3c4d。")
}

/// How to type `/schedule`.
pub const SCHEDULE_USAGE: &str = "请写上报道编号和发布时间（北京时间，须晚于现在），例如 /schedule 1a2b3c4d 2024-08-22 08:00。推送时也可以在第一行写“定时发布：2024-08-22 08:00”。";

/// How to type `/correct`.
pub const CORRECT_USAGE: &str = "请写上报道编号，下面每行写一项要改的内容，例如：\n/correct 1a2b3c4d\n标题：新的标题\n日期：2024-08-22\n活动日期：2024-08-20\n城市：湛江\n正文：（这一行以下是新的正文）";

/// The reply to `/send`, `/cancel`, `/delete`, `/restore` or `/schedule`.
pub fn edit_outcome(name: &str, id: &ArticleId, outcome: &crate::report::EditOutcome) -> Reply {
    use crate::report::EditOutcome;
    use crate::store::ArticleState;
    let text = match outcome {
        EditOutcome::Unknown => return no_such_article(id.as_str()),
        EditOutcome::Wrong(ArticleState::Retracted) => {
            format!("编号 {id} 的报道已撤回。要恢复，请发送 /restore {id}。")
        }
        EditOutcome::Wrong(ArticleState::Live) => format!("编号 {id} 的报道没有被撤回，无需恢复。"),
        EditOutcome::Wrong(ArticleState::Scheduled) => {
            format!("编号 {id} 的报道还在定时中，没有被撤回。")
        }
        EditOutcome::AlreadySent => format!(
            "编号 {id} 的报道已经发给订阅者，不能再定时。如需改动请用 /correct {id}，或用 /delete {id} 撤回。"
        ),
        EditOutcome::Done { headline, count } => match name {
            "send" if *count == 0 => format!("《{headline}》没有待发送的推送（可能已经发出）。"),
            "send" => format!("《{headline}》正在发送给订阅者 {count} 人。"),
            "cancel" => format!("已取消《{headline}》尚未发出的推送 {count} 条；报道仍可搜索。"),
            "delete" if *count == 0 => {
                format!("已撤回《{headline}》（编号 {id}）：不再出现在搜索和列表中。")
            }
            "delete" => format!(
                "已撤回《{headline}》（编号 {id}）：不再出现在搜索和列表中，已发出的 {count} 条消息正在撤回。"
            ),
            "restore" => format!("已恢复《{headline}》（编号 {id}），可以再次搜索到。"),
            "update" if *count == 0 => {
                format!("《{headline}》（编号 {id}）没有待确认的近似重复稿（可能已经更新或另存）。")
            }
            "update" => format!(
                "已用新推送的文字更新《{headline}》（编号 {id}）；已发出的消息会改为新内容。"
            ),
            "keep" if *count == 0 => {
                format!("《{headline}》（编号 {id}）没有待确认的近似重复稿（可能已经更新或另存）。")
            }
            "keep" => format!("已另存为新文章，原来的《{headline}》（编号 {id}）不变。"),
            _ => format!("已处理《{headline}》。"),
        },
    };
    Reply::text(text)
}

/// The 定时 button's reply: how to give the time, the article's id filled in.
pub fn schedule_form(id: &ArticleId, example: &str) -> Reply {
    let mut reply = Reply::text("请发送发布时间（北京时间），到时才可搜索并发送给订阅者，例如：");
    reply.push(Block::Text(format!("/schedule {id} {example}")));
    reply
}

/// The reply to a scheduled article.
pub fn scheduled(id: &ArticleId, headline: &str, wall: &str) -> Reply {
    Reply::text(format!(
        "《{headline}》（编号 {id}）将在 {wall} 发布：到时才可搜索并发送给订阅者。"
    ))
}

/// The 更正 button's reply: the article's fields as a command to copy,
/// edit and send back.
pub fn correction_form(article: &Article) -> Reply {
    let cities: Vec<&str> = article.cities.iter().map(|c| c.short_name()).collect();
    let mut lines = vec![
        format!("/correct {}", article.id),
        format!("标题：{}", article.title.headline),
    ];
    if let Some(date) = article.published {
        lines.push(format!("日期：{date}"));
    }
    if let Some(date) = article.date {
        lines.push(format!("活动日期：{date}"));
    }
    lines.push(format!("城市：{}", cities.join("、")));
    let mut reply = Reply::text(
        "请复制下面的内容，改好要更正的行（不改的行可以删去），再发回给我。要改正文，在最后加一行“正文：”，后面写新的正文。",
    );
    reply.push(Block::Text(lines.join("\n")));
    reply
}

/// The reply to a correction made.
pub fn corrected(article: &Article, messages: usize) -> Reply {
    let mut text = format!(
        "已更正《{}》（编号 {}）。",
        article.title.headline, article.id
    );
    if messages > 0 {
        text.push_str(&format!(
            "已发出的 {messages} 条消息正在改为更正后的内容，并标明“已更正”。"
        ));
    }
    Reply::text(text)
}

/// Why a correction was refused.
pub fn correction_refused(refused: &crate::report::CorrectRefused) -> Reply {
    use crate::amend::CorrectionError;
    use crate::report::CorrectRefused;
    let why = match refused {
        CorrectRefused::Unknown => "没有这篇报道。".to_string(),
        CorrectRefused::Nothing => "没有看到要更正的内容。".to_string(),
        CorrectRefused::UnknownCity(name) => format!("不认识城市“{name}”。"),
        CorrectRefused::Fields(CorrectionError::UnknownField(line)) => {
            format!("看不懂这一行：“{line}”。")
        }
        CorrectRefused::Fields(CorrectionError::BadDate { field, value }) => {
            format!("{field}“{value}”不是日期，请写成 2024-08-22。")
        }
        CorrectRefused::Fields(CorrectionError::Empty(field)) => format!("“{field}”后面没有内容。"),
    };
    let mut reply = Reply::text(format!("没有更正：{why}"));
    reply.push(Block::Hint(CORRECT_USAGE.into()));
    reply
}

/// `/status`: the outbox, the last pushes with their counts, scheduled
/// pushes, retractions. `wall` shows a moment in the bot's time zone.
pub fn status(status: &crate::report::Status, wall: impl Fn(i64) -> String) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!("待发送：{} 条", status.pending)));
    if status.pushes.is_empty() {
        reply.push(Block::Text("还没有推送。".into()));
    } else {
        reply.push(Block::Heading("最近的推送：".into()));
        let lines: Vec<String> = status
            .pushes
            .iter()
            .map(|p| {
                let title = p
                    .articles
                    .first()
                    .map(|(id, headline)| format!("《{}》 编号 {id}", clip(headline, 24)))
                    .unwrap_or_else(|| "（没有新报道）".into());
                format!("{} {title}\n{}", wall(p.at), progress_line(p))
            })
            .collect();
        reply.push(Block::Text(lines.join("\n")));
    }
    if !status.scheduled.is_empty() {
        reply.push(Block::Heading("定时发布：".into()));
        let lines: Vec<String> = status
            .scheduled
            .iter()
            .map(|(id, headline, at)| format!("{at} 《{}》 编号 {id}", clip(headline, 24)))
            .collect();
        reply.push(Block::Text(lines.join("\n")));
    }
    if !status.retracted.is_empty() {
        reply.push(Block::Heading("最近撤回：".into()));
        let lines: Vec<String> = status
            .retracted
            .iter()
            .map(|(id, headline, by, at)| {
                let who = if *by == 0 {
                    "控制台".to_string()
                } else {
                    format!("管理员 {by}")
                };
                format!("{at} 《{}》 编号 {id}（{who}）", clip(headline, 24))
            })
            .collect();
        reply.push(Block::Text(lines.join("\n")));
    }
    reply
}

/// A push's delivery counts: 已发送 N / 待发送 M / 失败 K（已屏蔽机器人 2）.
fn progress_line(p: &crate::store::PushProgress) -> String {
    let failed: u64 = p.failed.iter().map(|(_, n)| n).sum();
    let mut line = format!("已发送 {} / 待发送 {} / 失败 {failed}", p.sent, p.pending);
    if failed > 0 {
        let reasons: Vec<String> = p
            .failed
            .iter()
            .map(|(reason, n)| format!("{} {n}", failure_reason(reason)))
            .collect();
        line.push_str(&format!("（{}）", reasons.join("，")));
    }
    line
}

/// A delivery's failure reason in words.
fn failure_reason(reason: &str) -> &str {
    match reason {
        "blocked" => "已屏蔽机器人",
        "retracted" => "已撤回",
        "cancelled" => "已取消",
        "gone" => "对话已不存在",
        _ if reason.contains("retry") => "发送受限",
        _ => "发送失败",
    }
}

/// A push's live report: what it is and how its deliveries stand.
pub fn push_progress(p: &crate::store::PushProgress) -> Reply {
    let mut reply = Reply::default();
    let titles: Vec<String> = p
        .articles
        .iter()
        .take(3)
        .map(|(id, headline)| format!("《{}》 编号 {id}", clip(headline, 30)))
        .collect();
    reply.push(Block::Heading("推送进度".into()));
    if !titles.is_empty() {
        reply.push(Block::Text(titles.join("\n")));
    }
    reply.push(Block::Text(progress_line(p)));
    if p.pending == 0 {
        reply.push(Block::Hint(
            "已全部处理。发送 /status 查看所有推送。".into(),
        ));
    }
    reply
}

/// A delivered message after its article was retracted (too old to delete).
pub fn retracted_notice() -> Reply {
    Reply::text("此条消息已撤回。")
}

/// A delivered message after its article was corrected.
pub fn corrected_notification(item: Item) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("📢 新报道（已更正）".into()));
    reply.listed.push(item.id.clone());
    reply.push(Block::Item(item));
    reply
}

fn clip(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Heading of a city list.
pub fn city_heading(city: &str, shown_from: usize, shown_to: usize, total: u64) -> String {
    format!("{city}的最新报道（第 {shown_from}–{shown_to} 篇，共 {total} 篇）")
}

/// Heading of a district's or town's own newest articles, above its city's list.
pub fn local_heading(place: &str) -> String {
    format!("{place}本地的最新报道")
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

/// The `/start` reply.
pub fn welcome(articles: u64, newest: Option<NaiveDate>, cities: usize) -> Reply {
    let mut reply = Reply::text(WELCOME);
    let known = match newest {
        Some(date) => format!(
            "资料库现有 {articles} 篇报道，涉及 {cities} 个城市，最新一篇是{}的。",
            chinese_date(date)
        ),
        None => NO_ARTICLES.to_string(),
    };
    reply.push(Block::Text(known));
    reply.push(Block::Heading("可以这样问我：".into()));
    reply.push(Block::Text(examples()));
    reply.push(Block::Hint("发送 /help 查看全部命令。".into()));
    reply
}

fn examples() -> String {
    EXAMPLES
        .iter()
        .map(|e| format!("• {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reply to small talk: a line that answers it, two or three example
/// questions and the main commands, short enough for one phone screen.
pub fn small_talk(talk: SmallTalk) -> Reply {
    let opening = match talk {
        SmallTalk::Greeting => "您好！我是工会新闻助手，可以帮您查工会报纸上的新闻。",
        SmallTalk::Thanks => "不客气！还想了解什么，随时问我。",
        SmallTalk::Who => {
            "我是工会新闻助手：您用平常的话提问，我从工会报纸的报道里找答案，并注明出处。"
        }
        SmallTalk::Help => "直接发问题或几个关键词就行，我会找出最相关的报道。",
        SmallTalk::Bye => "再见！有问题随时来问。",
        SmallTalk::Complaint => {
            "抱歉，没帮上忙。小提示：问题里写上地名和一两个关键词（例如「湛江 劳模体检」），最容易找到。"
        }
    };
    let mut reply = Reply::text(opening);
    reply.push(Block::Heading("可以这样问我：".into()));
    reply.push(Block::Text(examples()));
    let commands: Vec<String> = [
        CommandKind::City,
        CommandKind::Latest,
        CommandKind::Subscribe,
        CommandKind::Help,
    ]
    .into_iter()
    .map(command_usage)
    .collect();
    reply.push(Block::Hint(format!("常用命令：{}", commands.join("　"))));
    reply
}

/// The `/help` reply.
pub fn help(for_admin: bool) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("使用说明".into()));
    reply.push(Block::Text(command_list(for_admin)));
    reply.push(Block::Heading("例子：".into()));
    reply.push(Block::Text(examples()));
    reply.push(Block::Hint(
        "支持繁体字、拼音城市名（如 zhanjiang），以及区县镇名（如 吴川、虎门）。".into(),
    ));
    reply
}

/// A page warning as an admin reads it: `第 3 行：导语里的日期“2月30日”不存在，已改用出版日期`.
pub fn page_warning(warning: &Warning) -> String {
    let what = match &warning.kind {
        WarningKind::FrontMatterUnclosed => {
            "前置信息没有以 --- 结束，已读到最后一个“键: 值”行为止".to_string()
        }
        WarningKind::NotFrontMatter => {
            "文件开头的 --- 后面不是前置信息（没有“键: 值”行和结尾的 ---），已当作分隔线"
                .to_string()
        }
        WarningKind::BadIssueDate { value } => {
            format!("前置信息里的日期“{value}”无法识别（应为 YYYY-MM-DD），已忽略")
        }
        WarningKind::EmptyHeading => "标题行是空的，已忽略".to_string(),
        WarningKind::SeveralHeadlines { count, chosen } => {
            format!("标题块里有 {count} 行 # 主标题，已取“{chosen}”作主标题，其余作引题或副题")
        }
        WarningKind::NoTopHeadline { chosen } => {
            format!("标题块没有 # 主标题，已取“{chosen}”作主标题")
        }
        WarningKind::NoBody { headline } => format!("标题“{headline}”下面没有正文"),
        WarningKind::CutShort { tail } => {
            format!("文章最后一段没有句末标点，可能缺了下文：“{tail}”")
        }
        WarningKind::ImpossibleDate {
            written,
            issue_date_used,
        } => {
            let instead = if *issue_date_used {
                "已改用出版日期"
            } else {
                "又不知道出版日期，文章日期留空"
            };
            format!("导语里的日期“{written}”不存在，{instead}")
        }
        WarningKind::DateWithoutYear { written } => {
            format!("导语里的日期“{written}”没有年份，又不知道出版日期，文章日期留空")
        }
        WarningKind::FirstLineAsHeadline { headline } => {
            format!("这段正文前没有 # 标题，已把第一行“{headline}”当作标题")
        }
        WarningKind::UntitledTextSkipped { lines, start } => {
            format!("这段正文（{lines} 行）前面没有标题，已跳过：“{start}”")
        }
        WarningKind::NoArticles => {
            "没有读出任何文章：没有中文正文（版面文件里每篇文章以 # 标题行开头）".to_string()
        }
        WarningKind::EmptyArticleNotStored { headline } => {
            format!("标题“{headline}”下面没有正文，未收录")
        }
        WarningKind::FutureDate { date } => {
            format!("读到的日期 {date} 晚于今天，不可能是发稿日期，未采用")
        }
    };
    format!("第 {} 行：{what}", warning.line)
}

/// The date as a member reads it: `2024年1月15日`.
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The source line of an article: paper, page, date, reporters, id.
/// The source as a result shows it, in one short line: paper, date, the
/// reporters (or, without any, the correspondents or credit) and the id.
/// `/article` shows the whole [`source_line`].
pub fn short_source_line(article: &Article) -> String {
    let mut parts = Vec::new();
    let mut paper_and_date: Vec<String> = article.source.paper.iter().cloned().collect();
    if let Some(dates) = article_dates(article) {
        paper_and_date.push(dates);
    }
    if !paper_and_date.is_empty() {
        parts.push(paper_and_date.join(" "));
    }
    let b = &article.byline;
    if !b.reporters.is_empty() {
        parts.push(format!("记者 {}", b.reporters.join(" ")));
    } else if !b.correspondents.is_empty() {
        parts.push(format!("通讯员 {}", b.correspondents.join(" ")));
    } else if let Some(credit) = &b.credit {
        parts.push(format!("来源 {credit}"));
    }
    parts.push(format!("编号 {}", article.id));
    parts.join(" · ")
}

/// A list entry's one line after its title: date and id.
pub fn list_line_source(article: &Article) -> String {
    match article_dates(article) {
        Some(dates) => format!("{dates} · {}", article.id),
        None => article.id.to_string(),
    }
}

/// An article's dates as a reader sees them: the day it was published and,
/// when the event it reports was on another day, that day too
/// (`2025年2月18日发布，活动2月12日`); an event year the page did not give
/// is never shown.
pub fn article_dates(article: &Article) -> Option<String> {
    let event = article.event_date();
    let event_shown = |date: NaiveDate, with_year: bool| {
        if with_year && article.event_year_known {
            chinese_date(date)
        } else {
            format!("{}月{}日", date.month(), date.day())
        }
    };
    match (article.published, event) {
        (Some(published), Some(event)) if published != event => Some(format!(
            "{}发布，活动{}",
            chinese_date(published),
            event_shown(event, event.year() != published.year())
        )),
        (Some(published), _) => Some(chinese_date(published)),
        (None, Some(event)) => Some(event_shown(event, true)),
        (None, None) => None,
    }
}

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
    if let Some(dates) = article_dates(article) {
        parts.push(dates);
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
        link: article.source.link.clone(),
    })
}

/// A later page of a list that has no more.
pub const NO_MORE: &str = "没有更多结果了。";
/// Under search results.
pub const READ_FULL_HINT: &str = "发送 /article 编号 阅读全文。";
/// What a subscription to every city is called.
pub const ALL_NEWS: &str = "全部新闻";
/// A document pushed that is not a page file.
pub const NOT_A_PAGE_FILE: &str =
    "只能发布文本（.txt / .md）、Word（.docx）、网页（.html）或 PDF 文件。";

/// A pushed file or fetched page that gives no text, and why.
pub fn document_refused(why: &crate::document::Unreadable) -> String {
    use crate::document::{DocumentError, Oversize, ReaderFailure, Unreadable};
    let reason = match why {
        Unreadable::Text(_) => return NOT_UTF8.to_string(),
        Unreadable::Document(DocumentError::NoTextLayer) => {
            return "这个 PDF 没有文字层（可能是扫描件），读不出文字。请发送 Word 文件或直接粘贴文字。".to_string();
        }
        Unreadable::Document(DocumentError::Encrypted) => {
            return "这个 PDF 设了密码，读不出文字。请去掉密码后再发。".to_string();
        }
        Unreadable::Document(DocumentError::Empty) => return "这个文件是空的。".to_string(),
        Unreadable::Document(DocumentError::TooLarge(what)) => match what {
            Oversize::Pages { count, limit } => {
                format!("它有 {count} 页，超过了 {limit} 页的上限。一篇报道请单独发送")
            }
            Oversize::Unpacked { limit_mb } => {
                format!("其中压缩的内容解开后超过 {limit_mb} MB，不像是一篇报道")
            }
            Oversize::Nesting { limit } => {
                format!("它的结构嵌套超过 {limit} 层，不像正常的文档或网页")
            }
            Oversize::Text { limit_mb } => {
                format!("读出的文字超过 {limit_mb} MB，一次发布放不下")
            }
        },
        Unreadable::Document(_) => {
            return "这个文件打不开（可能已损坏，或不是它的扩展名所说的格式）。请另存后再发，或直接粘贴文字。"
                .to_string();
        }
        Unreadable::NotLanguage(_) => {
            "读出来的不是文字，而是乱码或二进制数据（可能文件已损坏，或不是它的扩展名所说的格式）"
                .to_string()
        }
        Unreadable::Reader(ReaderFailure::TimedOut { seconds }) => {
            format!("读取超过了 {seconds} 秒的时间上限，已停止")
        }
        Unreadable::Reader(ReaderFailure::OutOfMemory { megabytes }) => {
            format!("读取需要的内存超过了 {megabytes} MB 的上限，已停止")
        }
        Unreadable::Reader(ReaderFailure::TooMuchOutput { megabytes }) => {
            format!("读出的文字超过 {megabytes} MB，一次发布放不下")
        }
        Unreadable::Reader(ReaderFailure::Crashed { .. }) => {
            "读取时出错了（文件可能已损坏）".to_string()
        }
        Unreadable::Reader(ReaderFailure::CannotStart { .. }) => {
            return SORRY.to_string();
        }
    };
    format!(
        "这个文件读不了：{reason}。没有收录任何内容。可以另存为 Word 或 PDF 后再发，或直接粘贴文字。"
    )
}

/// The reply to a `/push` of a link that was not pushed, with why.
pub fn push_link_refused(why: &crate::fetch::LinkRefused) -> Reply {
    use crate::fetch::LinkRefused;
    Reply::text(match why {
        LinkRefused::Fetch(e) => fetch_refused(&e.to_string()),
        LinkRefused::Read(e) => document_refused(e),
        LinkRefused::Failed => SORRY.to_string(),
    })
}

/// A link that could not be fetched: the fetcher's reason, in Chinese.
pub fn fetch_refused(reason: &str) -> String {
    format!("无法抓取这个链接：{reason}。也可以把文章文字直接粘贴在 /push 后面。")
}
/// A document pushed that is not text in an encoding the bot reads.
pub const NOT_UTF8: &str =
    "无法识别这个文件的编码（能读 UTF-8、UTF-16 和 GBK/GB18030 的文本），请另存为 UTF-8 后再发。";
/// A button this bot did not make, or one too old.
pub const STALE_BUTTON: &str = "这个按钮已失效。";
/// A 下一页 button whose question is no longer there.
pub const QUESTION_GONE: &str = "找不到原来的问题了，请重新提问。";
/// How to leave the console chat.
pub const CONSOLE_QUIT: &str = "(输入 /quit 退出)";

/// Nothing found within the time asked (`上个月（2023年12月）`).
pub fn nothing_found_when(when: &str) -> Reply {
    let mut reply = Reply::text(format!("抱歉，没有找到{when}与您的问题相关的报道。"));
    reply.push(Block::Hint(NOT_FOUND_HINT.into()));
    reply
}

/// Nothing found for a question that names no place or time.
pub fn nothing_found() -> Reply {
    let mut reply = Reply::text(NOT_FOUND);
    reply.push(Block::Hint(NOT_FOUND_HINT.into()));
    reply
}

/// Above the sentence that answers a member's claim (听说每人奖5万 真的吗):
/// whether the report agrees, said only when it counts the same thing.
pub fn claim_checked(claim: &Claim, verdict: &Verdict) -> String {
    let heard = &claim.figure;
    match verdict {
        Verdict::Agrees => format!("您听说的「{heard}」和报道一致。报道里说："),
        Verdict::Differs(reported) => {
            format!("报道里说的是「{reported}」，不是您听说的「{heard}」。报道原话：")
        }
        Verdict::NotComparable => "报道里是这样说的：".to_string(),
    }
}

/// A question no report answers and news rarely does: a member's own
/// rights (where to ask instead: `hotline`), or a request the bot is not for.
pub fn beyond_news(beyond: &Beyond, hotline: &str) -> Reply {
    match beyond {
        Beyond::Rights(_) => {
            let mut reply = Reply::text(
                "报道里没有能回答这个问题的内容。这类个人权益的问题（工资、劳动合同、社保、工伤、会费等）要看您的具体情况，报纸新闻答不了。",
            );
            reply.push(Block::Text(format!(
                "可以拨打职工服务热线 {hotline}，或问所在单位的工会、当地的总工会，他们会帮您。"
            )));
            reply
        }
        Beyond::OffTopic(_) => {
            let mut reply = Reply::text(
                "这个我帮不上忙：我只能查工会报纸上的新闻，比如各地工会的活动、服务和职工权益的报道。",
            );
            reply.push(Block::Heading("可以这样问我：".into()));
            reply.push(Block::Text(examples()));
            reply
        }
    }
}

/// Under results for a question about a member's own rights: where to ask
/// about their own case.
pub fn ask_the_hotline(hotline: &str) -> String {
    format!("您自己的具体情况，可以拨打职工服务热线 {hotline} 咨询。")
}

/// Nothing found, and the words that found nothing named: the archive has
/// nothing on 围棋比赛 (and only other contests' prize money, not shown).
pub fn nothing_found_about(topics: &[String], place: Option<&str>) -> Reply {
    let named = quoted_list(topics);
    let mut reply = Reply::text(match place {
        Some(place) => format!("抱歉，在{place}的报道中没有找到关于{named}的报道。"),
        None => format!("抱歉，没有找到关于{named}的报道。"),
    });
    reply.push(Block::Hint(format!(
        "资料库里没有出现过{named}。可以换个说法（例如用报纸上的叫法），或只发其他关键词；也可以用 /city 城市 查看某地的最新报道。"
    )));
    reply
}

/// Above results when some words of the question found nothing.
pub fn words_not_found(topics: &[String]) -> String {
    format!(
        "未找到：{}（以下是按其余词语找到的报道）",
        topics.join("、")
    )
}

/// `「围棋比赛」`, `「加入」、「福利」`.
fn quoted_list(topics: &[String]) -> String {
    topics
        .iter()
        .take(3)
        .map(|t| format!("「{}」", t.chars().take(12).collect::<String>()))
        .collect::<Vec<_>>()
        .join("、")
}

/// A follow-up (第一名系边个 after 江门职工篮球赛) read as a question about
/// the article the previous question found first.
pub fn asked_of_first(headline: &str) -> String {
    let shown: String = headline.chars().take(30).collect();
    format!("接着上一个问题，在《{shown}》里找：")
}

/// A follow-up (那东莞呢) read as the previous question asked again.
pub fn asked_again(question: &str) -> String {
    let shown: String = question.chars().take(40).collect();
    format!("接着上一个问题，查找：{shown}")
}

/// Above results from outside the time asked.
pub fn other_times(when: &str) -> String {
    format!("{when}没有找到相关报道，以下是其他时间的报道。")
}

/// A city as a list names it: `湛江`, or `湛江（吴川所在的湛江市）` when the
/// member typed a place inside it.
pub fn city_label(short_name: &str, full_name: &str, typed: &str) -> String {
    format!("{short_name}（{typed}所在的{full_name}）")
}

/// A page past the end of a city's list.
pub fn no_such_city_page(city: &str, total: u64, page: usize) -> Reply {
    Reply::text(format!("{city}只有 {total} 篇报道，没有第 {page} 页。"))
}

/// A page past the end of the newest list.
pub fn no_such_latest_page(total: u64, page: usize) -> Reply {
    Reply::text(format!("共 {total} 篇报道，没有第 {page} 页。"))
}

/// Nothing in the archive for a place and time (`东莞上个月（2023年12月）`).
pub fn nothing_in_period(scope: &str) -> Reply {
    let mut reply = Reply::text(format!("抱歉，资料库里没有{scope}的报道。"));
    reply.push(Block::Hint(NOT_FOUND_HINT.into()));
    reply
}

/// Heading of a period's list.
pub fn period_heading(scope: &str, shown_from: usize, shown_to: usize, total: u64) -> String {
    format!("{scope}的报道共 {total} 篇，这是第 {shown_from}–{shown_to} 篇（最新在前）：")
}

/// The usage line of a command that needs an argument it did not get.
pub fn usage(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::City => CITY_USAGE,
        CommandKind::Subscribe => SUBSCRIBE_USAGE,
        CommandKind::Unsubscribe => UNSUBSCRIBE_USAGE,
        CommandKind::Article => ARTICLE_USAGE,
        CommandKind::Delete => DELETE_USAGE,
        CommandKind::Push => PUSH_USAGE,
        CommandKind::Schedule => SCHEDULE_USAGE,
        CommandKind::Correct => CORRECT_USAGE,
        _ => EMPTY,
    }
}

/// The command that shows page `page` of a list (`/city 湛江 2`, `/latest 3`).
pub fn next_page_command(kind: CommandKind, argument: Option<&str>, page: usize) -> String {
    let name = command(kind).name;
    match argument {
        Some(argument) => format!("/{name} {argument} {page}"),
        None => format!("/{name} {page}"),
    }
}

/// Above the newest articles when a member asks for today's (or this
/// week's) news and nothing came in for a while.
pub fn archive_is_old(newest: NaiveDate, days_ago: i64) -> String {
    format!(
        "最近没有新报道：资料库里最新的一篇是{}的（{days_ago} 天前）。以下是最新的报道：",
        chinese_date(newest)
    )
}

/// Under a list with a next page that a command shows.
pub fn next_page_hint(command: &str) -> String {
    format!("发送 {command} 查看下一页。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_has_no_markup() {
        let reply = help(false);
        let plain = crate::reply::to_plain(&reply);
        assert!(plain.contains("/city"));
        assert!(!plain.contains("<b>"));
    }

    #[test]
    fn sizes_read_in_the_unit_people_use_and_never_round_down_to_a_limit() {
        const MIB: usize = 1024 * 1024;
        let cases = [
            (25 * MIB, "25 MB"),
            (20 * MIB, "20 MB"),
            (20 * MIB + 1, "20.1 MB"),
            (2 * MIB + MIB / 2, "2.5 MB"),
            (300 * 1024, "300 KB"),
            (1025, "2 KB"),
            (12, "12 字节"),
        ];
        for (bytes, expected) in cases {
            assert_eq!(size_words(bytes), expected, "{bytes} bytes");
        }
        let file = crate::reply::to_plain(&file_too_large(25 * MIB, 20 * MIB));
        assert!(
            file.contains("这个文件有 25 MB，超过了 20 MB 的上限"),
            "{file}"
        );
        let text = crate::reply::to_plain(&text_too_large(2 * MIB + 1, 2 * MIB));
        assert!(
            text.contains("这段文字有 2.1 MB，超过了单次发布 2 MB"),
            "{text}"
        );
    }

    #[test]
    fn parts_left_out_are_named_with_their_first_words_and_why() {
        let left_out = PartsLeftOut {
            why: JoinBound::Bytes(2 * 1024 * 1024),
            first: vec![(21, "湛江市总工会<b>".into()), (22, "第二十二段".into())],
            count: 5,
            total: 25,
        };
        let reply = Reply {
            blocks: vec![parts_left_out(&left_out)],
            ..Default::default()
        };
        let plain = crate::reply::to_plain(&reply);
        for expected in [
            "分成了 25 段，其中 5 段没有并入",
            "超过了单次发布 2 MB 的上限",
            "第 21 段，开头是「湛江市总工会<b>……」",
            "第 22 段",
            "……另有 3 段",
            "/push 再发一次",
        ] {
            assert!(plain.contains(expected), "{expected}: {plain}");
        }
        let html = crate::reply::to_html(&reply).join("");
        assert!(html.contains("湛江市总工会&lt;b&gt;"), "{html}");
        let late = PartsLeftOut {
            why: JoinBound::Time(std::time::Duration::from_secs(180)),
            ..left_out
        };
        let plain = crate::reply::to_plain(&Reply {
            blocks: vec![parts_left_out(&late)],
            ..Default::default()
        });
        assert!(plain.contains("超过 3 分钟才到"), "{plain}");
    }

    #[test]
    fn every_page_warning_names_its_line_in_chinese() {
        let kinds = [
            WarningKind::FrontMatterUnclosed,
            WarningKind::NotFrontMatter,
            WarningKind::BadIssueDate { value: "x".into() },
            WarningKind::EmptyHeading,
            WarningKind::SeveralHeadlines {
                count: 2,
                chosen: "标题".into(),
            },
            WarningKind::NoTopHeadline {
                chosen: "标题".into(),
            },
            WarningKind::NoBody {
                headline: "标题".into(),
            },
            WarningKind::CutShort {
                tail: "末尾".into(),
            },
            WarningKind::ImpossibleDate {
                written: "2月30日".into(),
                issue_date_used: true,
            },
            WarningKind::DateWithoutYear {
                written: "1月5日".into(),
            },
            WarningKind::FirstLineAsHeadline {
                headline: "标题".into(),
            },
            WarningKind::UntitledTextSkipped {
                lines: 3,
                start: "开头".into(),
            },
            WarningKind::NoArticles,
            WarningKind::EmptyArticleNotStored {
                headline: "标题".into(),
            },
        ];
        for kind in kinds {
            let text = page_warning(&Warning { line: 12, kind });
            assert!(text.starts_with("第 12 行："), "{text}");
            assert!(
                text.chars().count() > "第 12 行：".chars().count() + 4,
                "{text}"
            );
        }
    }
}
