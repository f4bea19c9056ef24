//! Questions to the union (留言), end to end: a member's question reaches
//! the admins, an admin's answer reaches the member once (a restart and a
//! crashed sender in between), two admins answering at once answer it
//! once, forged buttons are refused, a group never sees a question, and
//! `ask '/inbox'` shows the inbox from outside.
//!
//! The member's and admins' messages run through the real update tree
//! (`teloxide_tests`); the answers go out through a real teloxide `Bot`
//! talking to the project's fake Bot API server, with the world's manual
//! clock moved by the test.

use crate::fake_api::FakeApi;
use crate::world::{ADMIN, MEMBER, TestBot, TestWorld, buttons, private, run, stdout};
use std::sync::{Arc, Barrier};
use teloxide::types::{ChatId, InlineKeyboardButtonKind, ReplyMarkup};
use teloxide_tests::{MockBot, MockCallbackQuery, MockGroupChat, MockMessageText, MockUser};
use union_news_bot::config::AdminIds;
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::to_plain;
use union_news_bot::request::{Request, Sender};
use union_news_bot::telegram::{BotContext, deliver_answers, notify_admins, schema};

/// A second admin, besides [`ADMIN`].
const SECOND_ADMIN: u64 = 778;
/// Someone who presses another member's buttons.
const INTRUDER: u64 = 666;

/// The bot over the world's desk with two admins.
fn new_bot(world: &TestWorld, update: MockMessageText) -> TestBot {
    let admins = AdminIds::parse(&format!("{ADMIN},{SECOND_ADMIN}")).0;
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(teloxide::dptree::deps![BotContext::new(
        world.desk.clone(),
        admins
    )]);
    bot
}

/// A message from the member 张三 in their private chat.
fn from_member(text: &str) -> MockMessageText {
    private(MEMBER as u64, text).from(MockUser::new().id(MEMBER as u64).first_name("张三").build())
}

/// The texts the bot sent to `chat` in the last dispatch.
fn said_to(bot: &TestBot, chat: i64) -> Vec<teloxide::types::Message> {
    bot.get_responses()
        .sent_messages_text
        .iter()
        .filter(|m| m.message.chat.id == ChatId(chat))
        .map(|m| m.message.clone())
        .collect()
}

fn text_of(message: &teloxide::types::Message) -> String {
    message.text().unwrap_or_default().to_string()
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

#[tokio::test]
async fn a_liuyan_answered_by_an_admin_reaches_the_member_once_after_a_restart() {
    let mut world =
        TestWorld::empty("a_liuyan_answered_by_an_admin_reaches_the_member_once_after_a_restart");
    let question = format!(
        "留言 试用期最长多久？公司说要一年 <b>急</b>{}",
        "。".repeat(400)
    );
    let mut bot = new_bot(&world, from_member(&question));
    bot.dispatch().await;
    let to_member = said_to(&bot, MEMBER);
    assert_eq!(to_member.len(), 1, "{to_member:?}");
    let filed = text_of(&to_member[0]);
    assert!(filed.contains("已收到您的留言（#1）"), "{filed}");
    assert!(!filed.contains("张三"), "{filed}");
    let asked_in = to_member[0]
        .reply_to_message()
        .expect("the confirmation quotes the question")
        .id;
    // Each admin gets the question in their private chat, escaped (the
    // mock keeps the HTML as sent), with the member's name (for admins only).
    for admin in [ADMIN, SECOND_ADMIN] {
        let notices = said_to(&bot, admin as i64);
        assert_eq!(notices.len(), 1, "admin {admin}: {notices:?}");
        let notice = text_of(&notices[0]);
        assert!(
            notice.contains("新留言 #1")
                && notice.contains("张三")
                && notice.contains("&lt;b&gt;急&lt;/b&gt;"),
            "{notice}"
        );
    }
    let notice = said_to(&bot, ADMIN as i64).remove(0);
    let second_notice = said_to(&bot, SECOND_ADMIN as i64).remove(0);

    // A command sent in reply to the notice is a command, not an answer.
    bot.update(private(ADMIN, "/inbox").reply_to_message(Box::new(notice.clone())));
    bot.dispatch().await;
    let listed = said_to(&bot, ADMIN as i64);
    assert!(
        listed.iter().any(|m| text_of(m).contains("#1 张三")),
        "{listed:?}"
    );

    // The admin answers by replying to the notice.
    let answer = "试用期最长不超过六个月，劳动合同期限三年以上的才可以约定六个月。";
    bot.update(
        private(ADMIN, answer)
            .from(
                MockUser::new()
                    .id(ADMIN)
                    .first_name("王")
                    .last_name("主席")
                    .build(),
            )
            .reply_to_message(Box::new(notice)),
    );
    bot.dispatch().await;
    let told = said_to(&bot, ADMIN as i64);
    assert!(
        told.iter().any(|m| text_of(m).contains("已答复留言 #1")),
        "{told:?}"
    );
    assert!(said_to(&bot, MEMBER).is_empty(), "sent by the sender loop");

    // The second admin answers too, a moment later: told who was first.
    bot.update(
        private(SECOND_ADMIN, "试用期一般三个月。").reply_to_message(Box::new(second_notice)),
    );
    bot.dispatch().await;
    let told = said_to(&bot, SECOND_ADMIN as i64);
    assert!(
        told.iter()
            .any(|m| text_of(m).contains("#1 已由 王 主席 回答")),
        "{told:?}"
    );

    // The sender claims the answer and dies before sending it; the bot
    // starts again and leads: the answer goes out, once.
    let api = FakeApi::start();
    let tg = api.bot();
    assert_eq!(world.desk.inbox().claim_answers(10).unwrap().len(), 1);
    world.reopen(0);
    let leadership = world.desk.lead().expect("lead");
    assert_eq!(deliver_answers(&tg, &world.desk).await, 1);
    assert_eq!(deliver_answers(&tg, &world.desk).await, 0, "once");
    drop(leadership);
    world.reopen(0);
    world.clock.advance(minutes(10));
    assert_eq!(
        deliver_answers(&tg, &world.desk).await,
        0,
        "once, after a restart too"
    );
    let answers: Vec<_> = api
        .sent()
        .into_iter()
        .filter(|s| s.chat == MEMBER)
        .collect();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert!(
        answers[0].text.contains("工会答复了您的留言（#1）") && answers[0].text.contains(answer),
        "{}",
        answers[0].text
    );
    assert!(!answers[0].text.contains("三个月"), "the second answer");
    assert!(
        !answers[0].text.contains("主席"),
        "admins' names stay with admins"
    );
    assert_eq!(answers[0].reply_to, Some(i64::from(asked_in.0)));

    // The inbox shows who answered what.
    let inbox = world.ask_plain_as_admin("/inbox");
    assert!(
        inbox.contains("目前没有待答复的留言") && inbox.contains("#1 王 主席 答复 张三"),
        "{inbox}"
    );
}

#[test]
fn two_admins_answering_at_once_answer_once() {
    let world = TestWorld::empty("two_admins_answering_at_once_answer_once");
    let member = Sender::member(MEMBER, Some(MEMBER));
    let filed = world.desk.handle(
        &member,
        Request::liuyan("公积金怎么提取？").from_message(10, "李四"),
    );
    assert!(to_plain(&filed).contains("#1"), "{}", to_plain(&filed));
    // Two replicas on the same store, one admin each, at the same moment.
    let replica = Arc::new(
        NewsDesk::open(world.data_dir())
            .unwrap()
            .with_time(world.desk.time().clone()),
    );
    let start = Arc::new(Barrier::new(2));
    let answering = [
        (world.desk.clone(), ADMIN, "甲管理员"),
        (replica, SECOND_ADMIN, "乙管理员"),
    ]
    .map(|(desk, admin, name)| {
        let start = start.clone();
        std::thread::spawn(move || {
            let admin = Sender::admin(admin as i64, admin as i64);
            let request = desk
                .parse(&format!("/answer 1 {name}的答复：到公积金中心办理。"))
                .from_message(50, name);
            start.wait();
            (name, to_plain(&desk.handle(&admin, request)))
        })
    });
    let replies: Vec<(&str, String)> = answering.map(|t| t.join().unwrap()).into();
    let winners: Vec<&str> = replies
        .iter()
        .filter(|(_, said)| said.contains("已答复留言 #1"))
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(winners.len(), 1, "{replies:?}");
    let (loser, told) = replies
        .iter()
        .find(|(name, _)| *name != winners[0])
        .unwrap();
    assert!(
        told.contains(&format!("#1 已由 {} 回答", winners[0])),
        "{loser}: {told}"
    );
    let inbox = world.ask_plain_as_admin("/inbox");
    assert!(
        inbox.contains(&format!("{}的答复", winners[0]))
            && !inbox.contains(&format!("{loser}的答复")),
        "{inbox}"
    );
}

#[tokio::test]
async fn a_forged_press_is_refused_and_a_member_withdraws_only_their_own_question() {
    let world = TestWorld::empty(
        "a_forged_press_is_refused_and_a_member_withdraws_only_their_own_question",
    );
    // Nothing answers: the reply offers 留言给工会.
    let mut bot = new_bot(&world, from_member("试用期工资最低能给多少"));
    bot.dispatch().await;
    let reply = said_to(&bot, MEMBER).remove(0);
    assert!(
        text_of(&reply).contains("留言给工会"),
        "{}",
        text_of(&reply)
    );
    let markup = reply
        .reply_markup()
        .cloned()
        .map(ReplyMarkup::InlineKeyboard);
    let offered = buttons(&markup);
    let leave = offered
        .iter()
        .find(|(label, _)| label == "留言给工会")
        .unwrap_or_else(|| panic!("{offered:?}"))
        .1
        .clone();
    let press = |user: u64, data: &str, message: &teloxide::types::Message| {
        MockCallbackQuery::new()
            .data(data)
            .from(MockUser::new().id(user).first_name("张三").build())
            .message(message.clone())
    };

    // Someone else presses it (a forwarded or forged press): refused.
    bot.update(press(INTRUDER, &leave, &reply));
    bot.dispatch().await;
    let refused = said_to(&bot, MEMBER);
    assert!(
        refused.iter().any(|m| text_of(m).contains("只有提问的人")),
        "{refused:?}"
    );
    assert!(said_to(&bot, ADMIN as i64).is_empty());
    assert!(
        world
            .ask_plain_as_admin("/inbox")
            .contains("目前没有待答复的留言")
    );

    // The member presses it: the question is filed, once.
    bot.update(press(MEMBER as u64, &leave, &reply));
    bot.dispatch().await;
    assert!(
        said_to(&bot, MEMBER)
            .iter()
            .any(|m| text_of(m).contains("已收到您的留言（#1）")),
        "{:?}",
        said_to(&bot, MEMBER)
    );
    let notice = said_to(&bot, ADMIN as i64);
    assert!(
        notice
            .iter()
            .any(|m| text_of(m).contains("试用期工资最低能给多少")),
        "{notice:?}"
    );
    bot.update(press(MEMBER as u64, &leave, &reply));
    bot.dispatch().await;
    assert!(
        said_to(&bot, MEMBER)
            .iter()
            .any(|m| text_of(m).contains("已经留过言了（#1）")),
        "{:?}",
        said_to(&bot, MEMBER)
    );

    // Its 撤回 button, forged by another user, changes nothing.
    bot.update(from_member("/my_questions"));
    bot.dispatch().await;
    let mine = said_to(&bot, MEMBER).remove(0);
    let markup = mine
        .reply_markup()
        .cloned()
        .map(ReplyMarkup::InlineKeyboard);
    let withdraw = buttons(&markup)
        .into_iter()
        .find(|(label, _)| label == "撤回 #1")
        .unwrap_or_else(|| panic!("{}", text_of(&mine)))
        .1;
    bot.update(press(INTRUDER, &withdraw, &mine));
    bot.dispatch().await;
    assert!(
        said_to(&bot, MEMBER)
            .iter()
            .any(|m| text_of(m).contains("您没有编号为 #1 的留言")),
        "{:?}",
        said_to(&bot, MEMBER)
    );
    assert!(world.ask_plain_as_admin("/inbox").contains("#1 张三"));
    bot.update(press(MEMBER as u64, &withdraw, &mine));
    bot.dispatch().await;
    assert!(
        said_to(&bot, MEMBER)
            .iter()
            .any(|m| text_of(m).contains("已撤回留言 #1")),
        "{:?}",
        said_to(&bot, MEMBER)
    );
    assert!(
        world
            .ask_plain_as_admin("/inbox")
            .contains("目前没有待答复的留言")
    );
    // An answer after the withdrawal is not sent.
    let late = world.ask_plain_as_admin("/answer 1 晚到的答复");
    assert!(late.contains("已被提问的会员撤回"), "{late}");
}

#[tokio::test]
async fn in_a_group_the_button_opens_a_private_chat_and_no_question_is_posted() {
    let world =
        TestWorld::empty("in_a_group_the_button_opens_a_private_chat_and_no_question_is_posted");
    let group = || MockGroupChat::new().id(-2000).build();
    let in_group = |text: &str| {
        MockMessageText::new()
            .text(text)
            .from(MockUser::new().id(MEMBER as u64).build())
            .chat(group())
    };
    let mut bot = new_bot(&world, in_group("/ask 试用期工资最低能给多少"));
    bot.dispatch().await;
    let reply = said_to(&bot, -2000).remove(0);
    let links: Vec<String> = reply
        .reply_markup()
        .into_iter()
        .flat_map(|k| k.inline_keyboard.iter().flatten())
        .filter_map(|b| match &b.kind {
            InlineKeyboardButtonKind::Url(url) => Some(format!("{} {url}", b.text)),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        [format!(
            "留言给工会 https://t.me/{}?start=liuyan",
            teloxide_tests::MockMe::USERNAME
        )]
    );
    bot.update(in_group("/liuyan 我的工资被拖欠了三个月"));
    bot.dispatch().await;
    let said = said_to(&bot, -2000);
    assert!(
        said.iter().any(|m| text_of(m).contains("请私聊我")),
        "{said:?}"
    );
    assert!(said_to(&bot, ADMIN as i64).is_empty(), "no notice");
    assert!(
        world
            .ask_plain_as_admin("/inbox")
            .contains("目前没有待答复的留言")
    );
    bot.update(in_group("/inbox"));
    bot.dispatch().await;
    assert!(
        !said_to(&bot, -2000)
            .iter()
            .any(|m| text_of(m).contains("待答复的留言（"))
    );
    // The link opens the private chat with `/start liuyan`.
    bot.update(from_member("/start liuyan"));
    bot.dispatch().await;
    let how = said_to(&bot, MEMBER);
    assert!(
        how.iter().any(|m| text_of(m).contains("「留言」后面")),
        "{how:?}"
    );
}

#[tokio::test]
async fn a_member_may_not_leave_questions_too_often_and_is_told_when_to_try_again() {
    let world = TestWorld::empty(
        "a_member_may_not_leave_questions_too_often_and_is_told_when_to_try_again",
    );
    let mut bot = new_bot(&world, from_member("留言 会费交多少？"));
    bot.dispatch().await;
    bot.update(from_member("留言 欠薪怎么办？"));
    bot.dispatch().await;
    let said = said_to(&bot, MEMBER);
    let wall = world.desk.time().wall(world.desk.time().unix() + 60);
    assert!(
        said.iter()
            .any(|m| text_of(m).contains("每分钟最多 1 条") && text_of(m).contains(&wall)),
        "{said:?}"
    );
    assert!(said_to(&bot, ADMIN as i64).is_empty(), "not filed");
    world.clock.advance(minutes(1));
    bot.update(from_member("留言 欠薪怎么办？"));
    bot.dispatch().await;
    assert!(
        said_to(&bot, MEMBER)
            .iter()
            .any(|m| text_of(m).contains("（#2）")),
        "{:?}",
        said_to(&bot, MEMBER)
    );
}

#[test]
fn ask_shows_the_inbox_from_outside() {
    let world = TestWorld::empty("ask_shows_the_inbox_from_outside");
    world.desk.handle(
        &Sender::member(MEMBER, Some(MEMBER)),
        Request::liuyan("公司不给交社保怎么办？").from_message(3, "赵六"),
    );
    let output = run(world.data_dir(), &["ask", "/inbox"], "");
    let shown = stdout(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("#1 赵六") && shown.contains("公司不给交社保怎么办？"),
        "{shown}"
    );
    let output = run(world.data_dir(), &["ask", "/answer 1 请拨打 12351。"], "");
    assert!(
        stdout(&output).contains("已答复留言 #1"),
        "{}",
        stdout(&output)
    );
}

#[tokio::test]
async fn a_question_filed_just_before_a_crash_still_reaches_the_admins_once() {
    let mut world =
        TestWorld::empty("a_question_filed_just_before_a_crash_still_reaches_the_admins_once");
    // Filed, and the bot stopped before telling anyone.
    world.desk.handle(
        &Sender::member(MEMBER, Some(MEMBER)),
        Request::liuyan("单位不给签劳动合同怎么办？").from_message(8, "孙七"),
    );
    world.reopen(0);
    let _leadership = world.desk.lead().expect("lead");
    let api = FakeApi::start();
    let tg = api.bot();
    let admins = [ADMIN as i64, SECOND_ADMIN as i64];
    assert_eq!(notify_admins(&tg, &world.desk, &admins).await, 1);
    assert_eq!(notify_admins(&tg, &world.desk, &admins).await, 0, "once");
    for admin in admins {
        assert_eq!(api.sent_to(admin, "新留言 #1"), 1, "admin {admin}");
        assert_eq!(api.sent_to(admin, "孙七"), 1, "admin {admin}");
    }
    assert_eq!(api.sent_to(MEMBER, "孙七"), 0);
}
