//! The words of the union inbox (留言): what a member reads when leaving a
//! question, what admins read when answering, and the answer itself. A
//! member's name appears only in what admins read.

use super::clip;
use crate::reply::{Block, Offer, Reply};
use crate::store::{QuestionLimit, QuestionState, StoredQuestion};

/// The 留言给工会 button.
pub const BUTTON_LEAVE_QUESTION: &str = "留言给工会";

/// A 撤回 button under one of the member's open questions.
pub fn button_withdraw(number: i64) -> String {
    format!("撤回 #{number}")
}

/// Under a reply that cannot answer: the question can go to a person.
pub const LEAVE_QUESTION_HINT: &str = "也可以留言给工会：点下面的「留言给工会」，或私聊我发送「留言 您的问题」，工会的工作人员会答复您。";

/// `/liuyan` with nothing after it, or a group's 留言 button followed into
/// the private chat (`/start liuyan`).
pub fn how_to_leave_question() -> Reply {
    let mut reply = Reply::text("请把您的问题写在「留言」后面发给我，例如：");
    reply.push(Block::Text("留言 试用期工资最低能给多少？".into()));
    reply.push(Block::Hint(
        "工会的工作人员看到后会在这里答复您。您的留言只有工会的管理员能看到。".into(),
    ));
    reply
}

/// A 留言 asked for in a group: the question would be posted there.
pub fn leave_question_in_private() -> Reply {
    let mut reply = Reply::text(
        "为保护您的隐私，留言请私聊我：点下面的「留言给工会」打开私聊，再发送「留言 您的问题」。",
    );
    reply.offers.push(Offer::LeaveQuestion);
    reply
}

/// A 留言 from somewhere the answer could not reach (the terminal).
pub const LEAVE_QUESTION_ON_TELEGRAM: &str = "留言需要在 Telegram 里私聊机器人发送。";

/// The inbox or a member's questions asked for in a group.
pub const QUESTIONS_IN_PRIVATE: &str = "留言的内容只在私聊里显示，请私聊我发送这个命令。";

/// A 留言 longer than a message may be.
pub fn question_too_long(chars: usize, max: usize) -> Reply {
    Reply::text(format!(
        "您的留言有 {chars} 个字，最多可以写 {max} 个字。请删减后再发。"
    ))
}

/// The question was filed.
pub fn question_filed(number: i64) -> Reply {
    let mut reply = Reply::text(format!(
        "已收到您的留言（#{number}），已转给工会的工作人员，答复会在这里发给您。"
    ));
    reply.push(Block::Hint(
        "发送 /my_questions 可以查看或撤回您的留言。".into(),
    ));
    reply.files_question = Some(number);
    reply
}

/// The same message was filed before.
pub fn question_filed_already(number: i64) -> Reply {
    Reply::text(format!(
        "这个问题已经留过言了（#{number}），请耐心等待答复。"
    ))
}

/// How a limit reads: `每分钟最多 1 条`.
fn limit_words(limit: &QuestionLimit) -> String {
    let window = match limit.secs {
        60 => "每分钟".to_string(),
        3600 => "每小时".to_string(),
        86_400 => "每天".to_string(),
        secs if secs % 3600 == 0 => format!("每 {} 小时", secs / 3600),
        secs => format!("每 {} 分钟", (secs + 59) / 60),
    };
    format!("{window}最多 {} 条", limit.max)
}

/// Over the 留言 limit: when the member may leave one again.
pub fn too_many_questions(limit: &QuestionLimit, until_wall: &str) -> Reply {
    Reply::text(format!(
        "您留言太频繁了（{}）。请在 {until_wall} 之后再留言，这条没有收下。",
        limit_words(limit)
    ))
}

/// A new question, as each admin gets it in their private chat: its
/// number (which a reply to this message answers), who asked, when.
pub fn question_notice(question: &StoredQuestion, asked_wall: &str) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!("新留言 #{}", question.number)));
    reply.push(Block::Text(format!(
        "来自：{}（{asked_wall}）",
        shown_name(&question.name)
    )));
    reply.push(Block::Text(question.text.clone()));
    reply.push(Block::Hint(format!(
        "直接回复这条消息即可答复；也可以发送 /answer {} 答复内容。",
        question.number
    )));
    reply
}

/// Who answered, when the front end gave no name: the operator at the
/// terminal (`ask`, the console), or an admin by their id.
pub fn admin_without_name(user_id: Option<i64>) -> String {
    match user_id {
        Some(id) => format!("管理员 {id}"),
        None => "本机管理员".to_string(),
    }
}

fn shown_name(name: &str) -> &str {
    if name.trim().is_empty() {
        "（未署名）"
    } else {
        name
    }
}

/// `/inbox`: the open questions oldest first, and the latest answers with
/// who gave them. `wall` shows a time.
pub fn inbox(
    open: &[StoredQuestion],
    answered: &[StoredQuestion],
    wall: impl Fn(i64) -> String,
) -> Reply {
    let mut reply = Reply::default();
    if open.is_empty() {
        reply.push(Block::Text("目前没有待答复的留言。".into()));
    } else {
        reply.push(Block::Heading(format!(
            "待答复的留言（{} 条，最早的在前）",
            open.len()
        )));
        for q in open {
            reply.push(Block::Text(format!(
                "#{} {}（{}）：{}",
                q.number,
                shown_name(&q.name),
                wall(q.asked_at),
                clip(&q.text, 300)
            )));
        }
        reply.push(Block::Hint(
            "回复单条留言的通知即可答复，或发送 /answer 编号 答复内容。".into(),
        ));
    }
    if !answered.is_empty() {
        reply.push(Block::Heading("最近的答复".into()));
        for q in answered {
            if let Some(answer) = &q.answer {
                let sent = if q.answer_sent_at.is_some() {
                    "已送达"
                } else {
                    "待送达"
                };
                reply.push(Block::Text(format!(
                    "#{} {} 答复 {}（{}，{sent}）：{} → {}",
                    q.number,
                    shown_name(&answer.by_name),
                    shown_name(&q.name),
                    wall(answer.at),
                    clip(&q.text, 60),
                    clip(&answer.text, 120)
                )));
            }
        }
    }
    reply
}

/// `/answer` without a number or text.
pub const ANSWER_USAGE: &str = "请写上留言编号和答复，例如 /answer 12 您好，试用期最长不超过六个月。也可以直接回复单条留言的通知。";

/// The admin's answer is recorded and will reach the member.
pub fn answer_recorded(number: i64) -> Reply {
    Reply::text(format!(
        "已答复留言 #{number}，机器人会把答复发给提问的会员。"
    ))
}

/// Another admin answered first.
pub fn answered_already(number: i64, by_name: &str, wall: &str) -> Reply {
    Reply::text(format!(
        "#{number} 已由 {} 回答（{wall}），您的答复没有发出。",
        shown_name(by_name)
    ))
}

/// The member withdrew the question before it was answered.
pub fn answered_after_withdrawal(number: i64) -> Reply {
    Reply::text(format!(
        "留言 #{number} 已被提问的会员撤回，您的答复没有发出。"
    ))
}

/// No question has that number.
pub fn no_such_question(number: i64) -> Reply {
    Reply::text(format!("没有编号为 #{number} 的留言。发送 /inbox 查看。"))
}

/// The answer as the member gets it, as a reply to their question.
pub fn answer_for_member(question: &StoredQuestion, answer: &str) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "工会答复了您的留言（#{}）",
        question.number
    )));
    reply.push(Block::Text(format!(
        "您的问题：{}",
        clip(&question.text, 100)
    )));
    reply.push(Block::Text(answer.to_string()));
    reply
}

/// `/my_questions`: the member's open questions, each with a 撤回 button.
pub fn my_questions(open: &[StoredQuestion], wall: impl Fn(i64) -> String) -> Reply {
    if open.is_empty() {
        return Reply::text("您没有待答复的留言。发送「留言 您的问题」即可留言给工会。");
    }
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "您待答复的留言（{} 条）",
        open.len()
    )));
    for q in open {
        reply.push(Block::Text(format!(
            "#{}（{}）：{}",
            q.number,
            wall(q.asked_at),
            clip(&q.text, 100)
        )));
        reply.offers.push(Offer::WithdrawQuestion(q.number));
    }
    reply.push(Block::Hint("发送 /withdraw 编号 也可以撤回。".into()));
    reply
}

/// `/withdraw` without a number.
pub const WITHDRAW_USAGE: &str =
    "请写上要撤回的留言编号，例如 /withdraw 12；发送 /my_questions 查看您的留言。";

/// The question is withdrawn.
pub fn question_withdrawn(number: i64) -> Reply {
    Reply::text(format!("已撤回留言 #{number}。"))
}

/// The question can no longer be withdrawn.
pub fn question_not_open(number: i64, state: QuestionState) -> Reply {
    Reply::text(match state {
        QuestionState::Answered => format!("留言 #{number} 已经答复了，不能再撤回。"),
        _ => format!("留言 #{number} 已经撤回了。"),
    })
}

/// The member has no question of that number (another's is not told apart).
pub fn not_your_question(number: i64) -> Reply {
    Reply::text(format!(
        "您没有编号为 #{number} 的留言。发送 /my_questions 查看您的留言。"
    ))
}

/// Someone pressed 留言给工会 under another member's question.
pub const LEAVE_QUESTION_NOT_YOURS: &str = "只有提问的人可以把这个问题留言给工会。";
