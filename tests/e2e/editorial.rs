//! Members and editors both ways, through the real update tree
//! (`teloxide_tests`): 👍 / 👎 counted once per member, `/feedback`
//! counting the questions asked, a taught word changing a search at once
//! and surviving a restart, a harmful word refused, a forged press
//! refused, `/forget` leaving no trace, and a group's migration keeping
//! its subscriptions.

use crate::world::{ADMIN, TestBot, TestWorld, buttons, private};
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockGroupChat, MockMessageMigrationToChat, MockMessageText,
    MockUser,
};
use union_news_bot::reply::to_plain;
use union_news_bot::request::Sender;
use union_news_bot::telegram::schema;

const ANNA: u64 = 201;
const BING: u64 = 202;
const CHEN: u64 = 203;

fn new_bot(world: &TestWorld, update: MockMessageText) -> TestBot {
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(teloxide::dptree::deps![world.bot()]);
    bot
}

/// Sends `text` from `user` in their private chat; returns the last message
/// the bot sent back (its text and buttons).
async fn say(
    bot: &mut TestBot,
    user: u64,
    text: &str,
) -> (teloxide::types::Message, Vec<(String, String)>) {
    bot.update(private(user, text));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let last = responses
        .sent_messages_text
        .last()
        .unwrap_or_else(|| panic!("no reply to {text}"));
    (
        last.message.clone(),
        buttons(&last.bot_request.reply_markup),
    )
}

/// Presses a button of `message` as `user`; returns the texts the bot sent
/// and the notices it showed on the button.
async fn press(
    bot: &mut TestBot,
    user: u64,
    message: &teloxide::types::Message,
    data: &str,
) -> (Vec<String>, Vec<String>) {
    bot.update(
        MockCallbackQuery::new()
            .data(data)
            .from(MockUser::new().id(user).build())
            .message(message.clone()),
    );
    bot.dispatch().await;
    let responses = bot.get_responses();
    (
        responses
            .sent_messages_text
            .iter()
            .map(|m| m.message.text().unwrap_or_default().to_string())
            .collect(),
        responses
            .answered_callback_queries
            .iter()
            .filter_map(|a| a.text.clone())
            .collect(),
    )
}

fn text_of(message: &teloxide::types::Message) -> String {
    message.text().unwrap_or_default().to_string()
}

#[tokio::test]
async fn votes_count_once_per_member_and_feedback_counts_the_questions_asked() {
    let world = TestWorld::new("votes_count_once_per_member_and_feedback_counts");
    let mut bot = new_bot(&world, private(ANNA, "劳模体检"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let answer = responses.sent_messages_text.last().expect("an answer");
    let pressed = buttons(&answer.bot_request.reply_markup);
    let down = pressed
        .iter()
        .find(|(label, _)| label.contains("👎"))
        .expect("👎 under an answer")
        .1
        .clone();
    let up = pressed
        .iter()
        .find(|(label, _)| label.contains("👍"))
        .unwrap()
        .1
        .clone();
    let message = answer.message.clone();

    let (sent, notices) = press(&mut bot, ANNA, &message, &down).await;
    assert!(
        sent.is_empty(),
        "a vote is a notice, not a message: {sent:?}"
    );
    assert!(notices.iter().any(|n| n.contains("没答到")), "{notices:?}");
    press(&mut bot, ANNA, &message, &down).await;
    press(&mut bot, BING, &message, &up).await;
    // Changed her mind: still one vote of hers.
    press(&mut bot, CHEN, &message, &down).await;
    press(&mut bot, CHEN, &message, &up).await;

    for (user, question) in [
        (ANNA, "公积金怎么提取"),
        (BING, "住房公积金咋提取"),
        (CHEN, "试用期工资怎么算"),
    ] {
        say(&mut bot, user, question).await;
    }
    let (feedback, pressed) = say(&mut bot, ADMIN, "/feedback").await;
    let shown = text_of(&feedback);
    assert!(
        shown.contains("提问 4 次，没找到 3 次，👍 2 次，👎 1 次"),
        "{shown}"
    );
    assert!(shown.contains("1. 公积金 — 没找到 2 次"), "{shown}");
    assert!(shown.contains("👎 1 次"), "{shown}");
    // One tap shows the members' wordings of the first topic.
    let wordings = pressed
        .iter()
        .find(|(label, _)| label == "原话 1")
        .expect("a wordings button")
        .1
        .clone();
    let (sent, _) = press(&mut bot, ADMIN, &feedback, &wordings).await;
    let words = sent.join("\n");
    assert!(
        words.contains("公积金怎么提取") && words.contains("住房公积金咋提取"),
        "{words}"
    );
    // A member forging the admin's button reads nothing.
    let (sent, _) = press(&mut bot, ANNA, &feedback, &wordings).await;
    assert!(sent.join("").contains("管理员"), "{sent:?}");
    assert!(!sent.join("").contains("公积金怎么提取"), "{sent:?}");
}

#[tokio::test]
async fn a_taught_word_changes_a_search_at_once_and_survives_a_restart() {
    let mut world = TestWorld::new("a_taught_word_changes_a_search_at_once");
    let mut bot = new_bot(&world, private(ANNA, "职工躺平游"));
    bot.dispatch().await;
    let before = bot.get_responses();
    assert!(
        text_of(&before.sent_messages_text.last().unwrap().message).contains("没有找到"),
        "the word is unknown before"
    );
    let (preview, pressed) = say(&mut bot, ADMIN, "/teach 躺平游 = 疗休养").await;
    let shown = text_of(&preview);
    assert!(shown.contains("现在 0 篇"), "{shown}");
    assert!(shown.contains("「职工躺平游」：没有找到 →"), "{shown}");
    let save = pressed
        .iter()
        .find(|(label, _)| label == "保存")
        .expect("a save button")
        .1
        .clone();
    // A member forges the admin's 保存: refused, nothing saved.
    let (sent, _) = press(&mut bot, BING, &preview, &save).await;
    assert!(sent.join("").contains("管理员"), "{sent:?}");
    let (still, _) = say(&mut bot, ANNA, "职工躺平游").await;
    assert!(text_of(&still).contains("没有找到"));
    let (sent, _) = press(&mut bot, ADMIN, &preview, &save).await;
    assert!(sent.join("").contains("已保存"), "{sent:?}");
    let (after, _) = say(&mut bot, ANNA, "职工躺平游").await;
    assert!(text_of(&after).contains("疗休养"), "{}", text_of(&after));

    drop(bot);
    world.reopen(0);
    // Another wording: the same update again would be skipped as one
    // already handled (as Telegram's repeats are).
    let mut bot = new_bot(&world, private(ANNA, "躺平游 职工"));
    bot.dispatch().await;
    let after_restart = bot.get_responses();
    let shown = text_of(&after_restart.sent_messages_text.last().unwrap().message);
    assert!(shown.contains("疗休养"), "{shown}");
    let (words, _) = say(&mut bot, ADMIN, "/words").await;
    assert!(
        text_of(&words).contains("躺平游 = 疗休养"),
        "{}",
        text_of(&words)
    );
}

#[tokio::test]
async fn a_harmful_teach_is_refused_with_its_reason() {
    let world = TestWorld::new("a_harmful_teach_is_refused_with_its_reason");
    let mut bot = new_bot(&world, private(ADMIN, "/teach 工会 = 外卖"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let shown = text_of(&responses.sent_messages_text.last().unwrap().message);
    assert!(shown.contains("没有保存「工会 = 外卖」"), "{shown}");
    assert!(shown.contains("报纸自己就常用「工会」"), "{shown}");
    assert!(
        buttons(
            &responses
                .sent_messages_text
                .last()
                .unwrap()
                .bot_request
                .reply_markup
        )
        .is_empty()
    );
    let (question, _) = say(&mut bot, ANNA, "工会驿站在哪").await;
    assert!(
        !text_of(&question).contains("外卖"),
        "{}",
        text_of(&question)
    );
    // A member cannot teach at all.
    let (refused, _) = say(&mut bot, ANNA, "/teach 跑单 = 外卖骑手").await;
    assert!(text_of(&refused).contains("管理员"));
}

#[tokio::test]
async fn forget_leaves_no_trace_of_a_members_questions() {
    let world = TestWorld::new("forget_leaves_no_trace_of_a_members_questions");
    let secret = "我家住在霞山区某某街七号想问公积金";
    let mut bot = new_bot(&world, private(ANNA, secret));
    bot.dispatch().await;
    let (answer, pressed) = say(&mut bot, ANNA, "劳模体检").await;
    let down = pressed
        .iter()
        .find(|(l, _)| l.contains("👎"))
        .unwrap()
        .1
        .clone();
    press(&mut bot, ANNA, &answer, &down).await;
    say(&mut bot, BING, "劳模体检").await;
    let (filed, _) = say(
        &mut bot,
        ANNA,
        "/liuyan 我在赤坎区幸福路九号上班，工资拖了两个月",
    )
    .await;
    assert!(text_of(&filed).contains("#"), "{}", text_of(&filed));
    let (inbox, _) = say(&mut bot, ADMIN, "/inbox").await;
    assert!(
        text_of(&inbox).contains("幸福路九号"),
        "{}",
        text_of(&inbox)
    );
    let (privacy, _) = say(&mut bot, ANNA, "/privacy").await;
    assert!(
        text_of(&privacy).contains("180 天"),
        "{}",
        text_of(&privacy)
    );

    let (forgot, _) = say(&mut bot, ANNA, "/forget").await;
    assert!(text_of(&forgot).contains("已删除"), "{}", text_of(&forgot));
    let (feedback, _) = say(&mut bot, ADMIN, "/feedback").await;
    let shown = text_of(&feedback);
    assert!(
        shown.contains("提问 1 次，没找到 0 次，👍 0 次，👎 0 次"),
        "{shown}"
    );
    drop(bot);
    // Not in the database file nor its write-ahead log, even as free space.
    let needle = "霞山区某某街七号".as_bytes();
    for file in ["news.sqlite3", "news.sqlite3-wal"] {
        let bytes = std::fs::read(world.data_dir().join(file)).unwrap_or_default();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{file} still holds the member's words"
        );
    }
}

#[tokio::test]
async fn a_group_upgraded_to_a_supergroup_keeps_its_subscriptions() {
    const OLD: i64 = -4242;
    const NEW: i64 = -100_4242;
    let world = TestWorld::new("a_group_upgraded_to_a_supergroup_keeps_its_subscriptions");
    world.ask_as(&Sender::admin(OLD, ADMIN as i64), "/subscribe 湛江");
    let migration = MockMessageMigrationToChat::new()
        .migrate_to_chat_id(NEW)
        .chat(MockGroupChat::new().id(OLD).build());
    let mut bot = MockBot::new(migration, schema());
    bot.dependencies(teloxide::dptree::deps![world.bot()]);
    bot.dispatch().await;
    assert!(
        bot.get_responses().sent_messages.is_empty(),
        "a migration notice gets no answer"
    );
    let subscriptions = |chat: i64| {
        to_plain(&world.ask_as(&Sender::member(chat, None).managing(), "/subscriptions"))
    };
    // The notice is handled off the dispatcher's thread, answering nothing:
    // the move is waited for.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !subscriptions(NEW).contains("• 湛江") && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        subscriptions(NEW).contains("• 湛江"),
        "{}",
        subscriptions(NEW)
    );
    assert!(
        subscriptions(OLD).contains("还没有订阅"),
        "{}",
        subscriptions(OLD)
    );
}

#[test]
fn ask_reads_feedback_teaches_a_word_and_adds_an_editor_from_outside() {
    use crate::world::{run, stdout};
    let world = TestWorld::new("ask_reads_feedback_teaches_a_word_and_adds_an_editor");
    for question in ["公积金怎么提取", "住房公积金咋提取", "职工躺平游"] {
        world.ask(question);
    }
    let ask = |message: &str| {
        let output = run(world.data_dir(), &["ask", message], "");
        let shown = stdout(&output);
        assert!(output.status.success(), "{message}: {shown}");
        shown
    };
    let feedback = ask("/feedback");
    assert!(feedback.contains("提问 3 次，没找到 3 次"), "{feedback}");
    assert!(feedback.contains("1. 公积金 — 没找到 2 次"), "{feedback}");
    let wordings = ask("/feedback 7 公积金");
    assert!(wordings.contains("住房公积金咋提取"), "{wordings}");

    let preview = ask("/teach 躺平游 = 疗休养");
    assert!(preview.contains("「职工躺平游」：没有找到 →"), "{preview}");
    let proposal = preview
        .split("/teach 确认 ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .expect("how to confirm")
        .to_string();
    assert!(ask(&format!("/teach 确认 {proposal}")).contains("已保存"));
    // Another process (this test's desk) reads the word at its next message.
    assert!(!world.ask("职工躺平游").listed.is_empty());
    assert!(ask("/words").contains("躺平游 = 疗休养（本机操作员 于"));

    assert!(ask("/editors add 4242").contains("已添加编辑 4242"));
    assert!(
        world.desk.is_admin(4242),
        "another process sees the editor at once"
    );
    assert!(ask("/editors").contains("4242（本机操作员 于"));
}
