//! What members and editors read about the question log, feedback, taught
//! words and editors.

use super::clip;
use crate::reply::{Block, Offer, Reply};
use crate::report::{WordPreview, WordRefused};
use crate::store::{EditorChange, LogSummary, MissedTopic, TaughtWord};

/// The 👍 button under an answer.
pub const BUTTON_HELPFUL: &str = "👍 有用";
/// The 👎 button under an answer.
pub const BUTTON_MISSED: &str = "👎 没答到";
/// Said (as a notice on the button) when a vote is recorded.
pub const VOTE_THANKS_HELPFUL: &str = "谢谢！已记下：有用";
/// Said when a 👎 is recorded.
pub const VOTE_THANKS_MISSED: &str = "谢谢！已记下：没答到。编辑会看到这个问题。";
/// Said when the answer voted on is no longer logged.
pub const VOTE_GONE: &str = "这条回答的记录已过期或已删除。";

/// `/privacy`: what is kept, for how long, and how to delete it.
pub fn privacy(days: u32) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("机器人记下什么".into()));
    reply.push(Block::Text(format!(
        "为了改进回答，机器人会记下您发来的问题：原话、机器人怎么理解的、找没找到文章、第一篇是哪篇、提问时间，以及您点的 👍 / 👎。\n\
         记录里不存您的名字和用户名，Telegram 编号也只存由它加密算出的号码：编辑看到的是问题，看不到是谁问的。\n\
         记录保存 {days} 天，到期自动删除。编辑只看到按话题汇总的问题，用来补充报道和教机器人新说法。"
    )));
    reply.push(Block::Text(
        "给工会的留言会连同您的名字保存，供工作人员答复。想删除自己的全部提问记录和留言，发 /forget；订阅在退订时删除。".into(),
    ));
    reply
}

/// `/forget` done: how many records went (said only in a private chat).
pub fn forgotten(rows: u64, privately: bool) -> Reply {
    if !privately {
        return Reply::text("已删除您的提问记录、评价和留言（如有）。");
    }
    if rows == 0 {
        return Reply::text("没有您的提问记录，不用删除。");
    }
    Reply::text(format!(
        "已删除您的 {rows} 条记录（提问、评价、对话上下文和留言）。以后的提问仍会按 /privacy 所说记录。"
    ))
}

/// The labels of `/feedback`'s period buttons, by days.
const PERIODS: [(u32, &str); 4] = [(1, "今天"), (7, "7天"), (30, "30天"), (180, "180天")];

/// `/feedback`: the period's figures, then its missed topics, most first,
/// each with a button to see members' own wordings.
pub fn feedback(days: u32, summary: &LogSummary, topics: &[MissedTopic]) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "近 {days} 天：提问 {} 次，没找到 {} 次，👍 {} 次，👎 {} 次",
        summary.asked, summary.unanswered, summary.helpful, summary.missed
    )));
    if topics.is_empty() {
        reply.push(Block::Text("这段时间没有没找到的问题，也没有 👎。".into()));
    } else {
        let lines: Vec<String> = topics
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut counts = Vec::new();
                if t.unanswered > 0 {
                    counts.push(format!("没找到 {} 次", t.unanswered));
                }
                if t.missed > 0 {
                    counts.push(format!("👎 {} 次", t.missed));
                }
                format!(
                    "{}. {} — {}\n   例：「{}」",
                    i + 1,
                    clip(&t.topic, 20),
                    counts.join("，"),
                    clip(&t.example, 30)
                )
            })
            .collect();
        reply.push(Block::Text(lines.join("\n")));
        reply.push(Block::Hint(format!(
            "点「原话 N」（或发送 /feedback {days} 话题）看成员的原话；成员的说法报纸不用时，可以 /teach 成员说法 = 报纸说法。"
        )));
        for (i, t) in topics.iter().enumerate() {
            reply.offers.push(Offer::Wordings {
                days,
                topic: crate::request::topic_key(&t.topic),
                label: format!("原话 {}", i + 1),
            });
        }
    }
    for (period, label) in PERIODS {
        if period != days {
            reply.offers.push(Offer::FeedbackPeriod {
                days: period,
                label: label.to_string(),
            });
        }
    }
    reply
}

/// A `/feedback` topic's wordings.
pub fn wordings(topic: &str, days: u32, wordings: &[(String, u64)]) -> Reply {
    if wordings.is_empty() {
        return Reply::text(format!(
            "近 {days} 天没有这个话题的没找到或 👎 记录（可能已过期、被成员删除，或话题写得不一样：照 /feedback 列出的写）。"
        ));
    }
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "「{}」成员的原话（近 {days} 天）",
        clip(topic, 20)
    )));
    let lines: Vec<String> = wordings
        .iter()
        .map(|(text, n)| {
            if *n > 1 {
                format!("「{}」 ×{n}", clip(text, 60))
            } else {
                format!("「{}」", clip(text, 60))
            }
        })
        .collect();
    reply.push(Block::Text(lines.join("\n")));
    reply.push(Block::Hint(
        "成员用了报纸不用的词？发 /teach 成员说法 = 报纸说法，机器人立刻学会。".into(),
    ));
    reply
}

/// `/teach` with nothing after it, or something it cannot read.
pub fn teach_usage(typed: Option<&str>) -> Reply {
    let mut reply = Reply::default();
    if let Some(typed) = typed {
        reply.push(Block::Text(format!("看不懂「{typed}」。")));
    }
    reply.push(Block::Text(
        "用法：/teach 成员说法 = 报纸说法\n例：/teach 跑滴滴 = 网约车司机\n只改机器人怎么读成员的问题，不改报道。".into(),
    ));
    reply
}

/// Why a word was not taught.
pub fn word_refused(word: &str, mandarin: &str, why: &WordRefused) -> Reply {
    let reason = match why {
        WordRefused::Length => "成员说法要 2 到 12 个字，报纸说法不超过 24 个字。".to_string(),
        WordRefused::Same => "两边是同一个词，不用教。".to_string(),
        WordRefused::Place { place } => {
            format!("「{word}」是地名（{place}）。把地名教成话题，问这个地方的问题都会被读错。")
        }
        WordRefused::PaperWord { articles } => format!(
            "报纸自己就常用「{word}」（{articles} 篇报道里有）。它不是成员特有的说法：教成「{mandarin}」后，所有带「{word}」的问题都会被读成「{mandarin}」。"
        ),
        WordRefused::CommonWord => {
            format!("「{word}」是很常见的词。教成「{mandarin}」后，大量普通问题都会被读错。")
        }
        WordRefused::PaperSynonym { group } => format!(
            "「{word}」是报纸的说法，机器人把它和「{}」当作同义词，不能改读成「{mandarin}」。",
            group.join("、")
        ),
        WordRefused::AlreadyKnown => {
            return Reply::text(format!(
                "机器人已经把「{word}」读作「{mandarin}」（随机器人发布的同义词），不用再教。"
            ));
        }
    };
    let mut reply = Reply::text(format!("没有保存「{word} = {mandarin}」。"));
    reply.push(Block::Text(reason));
    reply
}

/// Before a word is saved: what it would reach and change, and how to save it.
pub fn word_preview(preview: &WordPreview) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "教词：成员说「{}」= 报纸的「{}」",
        preview.word, preview.mandarin
    )));
    let mut lines = vec![format!(
        "保存后，「{}」能找到 {} 篇报道（现在 {} 篇）。",
        preview.word, preview.reach, preview.reach_before
    )];
    if preview.reach == 0 {
        lines.push(format!(
            "注意：报道里还没有「{}」，教了暂时也找不到文章。",
            preview.mandarin
        ));
    }
    if let Some(old) = &preview.replaces {
        lines.push(format!("它会替换原来的读法「{}」。", old));
    }
    if preview.changed.is_empty() {
        lines.push("记录里的提问没有因此改变答案的。".into());
    } else {
        lines.push("会改变答案的提问：".into());
        for changed in &preview.changed {
            let shown = |title: &Option<String>| match title {
                Some(title) => format!("《{}》", clip(title, 24)),
                None => "没有找到".to_string(),
            };
            lines.push(format!(
                "「{}」：{} → {}",
                clip(&changed.question, 30),
                shown(&changed.before),
                shown(&changed.after)
            ));
        }
    }
    reply.push(Block::Text(lines.join("\n")));
    reply.push(Block::Hint(format!(
        "点「保存」，或发送 /teach 确认 {}（24 小时内有效）。",
        preview.proposal
    )));
    reply.offers.push(Offer::ConfirmWord {
        proposal: preview.proposal,
    });
    reply
}

/// The button that saves a proposed word.
pub const BUTTON_SAVE_WORD: &str = "保存";

/// A proposal saved: in effect now, for every process.
pub fn word_taught(word: &str, mandarin: &str) -> Reply {
    Reply::text(format!(
        "已保存：成员说「{word}」，机器人按「{mandarin}」去找。现在起生效，不用重启。删除：/unteach {word}"
    ))
}

/// A confirmation of a proposal that is gone (saved already, or expired).
pub const PROPOSAL_GONE: &str = "这个教词提议已经保存过或已过期，请重新 /teach。";

/// `/unteach` done or not.
pub fn word_untaught(word: &str, removed: bool, shipped: bool) -> Reply {
    match (removed, shipped) {
        (true, _) => Reply::text(format!("已删除「{word}」，现在起不再这样读。")),
        (false, true) => Reply::text(format!(
            "「{word}」是随机器人发布的词，不是编辑教的，这里删不掉；需要改请联系开发者。"
        )),
        (false, false) => Reply::text(format!("没有教过「{word}」。发 /words 看教过的词。")),
    }
}

/// `/unteach` with nothing after it.
pub const UNTEACH_USAGE: &str = "用法：/unteach 成员说法，如 /unteach 跑滴滴";

/// `/words`: the taught words with who and when, and how many shipped.
pub fn words(taught: &[TaughtWord], shipped: usize, wall: impl Fn(i64) -> String) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "编辑教的词：{} 个（另有随机器人发布的 {shipped} 个）",
        taught.len()
    )));
    if taught.is_empty() {
        reply.push(Block::Text("还没有教过词。".into()));
    } else {
        let lines: Vec<String> = taught
            .iter()
            .map(|w| {
                format!(
                    "{} = {}（{} 于 {}）",
                    w.word,
                    w.mandarin,
                    who(w.by),
                    wall(w.at)
                )
            })
            .collect();
        reply.push(Block::Text(lines.join("\n")));
    }
    reply.push(Block::Hint(
        "教词：/teach 成员说法 = 报纸说法；删除：/unteach 成员说法".into(),
    ));
    reply
}

/// Who did something: a user id, or the operator at the machine (`ask`,
/// the console), who has none.
fn who(user_id: i64) -> String {
    if user_id == 0 {
        "本机操作员".to_string()
    } else {
        user_id.to_string()
    }
}

/// Said to an admin who is not the owner trying `/editors`.
pub const OWNER_ONLY: &str = "只有所有者（ADMIN_IDS 的第一个 ID）可以管理编辑。";

/// `/editors` with something it cannot read.
pub fn editors_usage(typed: &str) -> Reply {
    Reply::text(format!(
        "看不懂「{typed}」。用法：/editors 列出编辑；/editors add 用户ID；/editors remove 用户ID（用户ID 是数字，可让对方向 @userinfobot 查询）。"
    ))
}

/// `/editors`: the owner, the editors from `ADMIN_IDS`, those added at run
/// time with who and when, and the latest changes.
pub fn editors(
    owner: Option<i64>,
    bootstrap: &[i64],
    added: &[(i64, i64, i64)],
    log: &[EditorChange],
    wall: impl Fn(i64) -> String,
) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading("编辑".into()));
    let mut lines = Vec::new();
    if let Some(owner) = owner {
        lines.push(format!("所有者：{owner}"));
    }
    let others: Vec<String> = bootstrap
        .iter()
        .filter(|id| Some(**id) != owner)
        .map(|id| id.to_string())
        .collect();
    if !others.is_empty() {
        lines.push(format!("配置中的管理员：{}", others.join("、")));
    }
    if added.is_empty() {
        lines.push("运行中添加的编辑：无".into());
    } else {
        lines.push("运行中添加的编辑：".into());
        for (id, by, at) in added {
            lines.push(format!("{id}（{} 于 {} 添加）", who(*by), wall(*at)));
        }
    }
    reply.push(Block::Text(lines.join("\n")));
    if !log.is_empty() {
        let lines: Vec<String> = log
            .iter()
            .map(|c| {
                let what = if c.added { "添加" } else { "移除" };
                format!("{} {} {what} {}", wall(c.at), who(c.by), c.user_id)
            })
            .collect();
        reply.push(Block::Heading("最近的变更".into()));
        reply.push(Block::Text(lines.join("\n")));
    }
    reply.push(Block::Hint(
        "添加：/editors add 用户ID；移除：/editors remove 用户ID".into(),
    ));
    reply
}

/// An editor added or removed (or not, and why).
pub fn editor_changed(user_id: i64, added: bool, changed: bool, bootstrap: bool) -> Reply {
    Reply::text(match (added, changed, bootstrap) {
        (_, _, true) => {
            format!("{user_id} 在配置 ADMIN_IDS 里，一直是管理员；要移除请改配置后重启。")
        }
        (true, true, _) => format!(
            "已添加编辑 {user_id}：现在起可以推送、回复留言和教词（所有机器人进程立即生效）。"
        ),
        (true, false, _) => format!("{user_id} 已经是编辑。"),
        (false, true, _) => format!("已移除编辑 {user_id}，现在起不能再使用管理命令。"),
        (false, false, _) => format!("{user_id} 不是运行中添加的编辑。"),
    })
}

/// Said in a group to a member who is not its admin trying to change what
/// the group is sent.
pub const GROUP_ADMINS_ONLY: &str =
    "只有本群的管理员可以为群订阅或退订。想自己收到推送，请私聊机器人订阅。";

/// Said when the bot cannot check who administers a group (Telegram did
/// not answer).
pub const GROUP_ADMINS_UNKNOWN: &str = "暂时无法确认您是否是本群管理员，请稍后再试。";

/// Said in a channel after a command other than subscriptions.
pub const CHANNEL_COMMANDS: &str =
    "频道里只能用 /subscribe 城市、/unsubscribe 城市 和 /subscriptions。";
