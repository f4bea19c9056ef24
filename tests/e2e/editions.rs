//! A push editors can trust, end to end: the hold before sending, 立即发送,
//! a correction that edits delivered messages, a retraction after a
//! restart that deletes them, a scheduled push, the live delivery report
//! matching what Telegram received, and a forged button refused.
//!
//! The admin's side runs through the real update tree (`teloxide_tests`);
//! the sender's side (deliveries, edits, deletions, report edits) through a
//! real teloxide `Bot` talking to the project's fake Bot API server, with
//! the world's manual clock moved by the test.

use crate::fake_api::{FakeApi, Fault};
use crate::world::{ADMIN, TestBot, TestWorld, buttons, private};
use teloxide::types::ChatId;
use teloxide_tests::{MockBot, MockCallbackQuery, MockUser};
use union_news_bot::request::Sender;
use union_news_bot::telegram::send::{Destination, send_reply};
use union_news_bot::telegram::{change_sent, deliver_due, schema, update_reports};

const PAGE: &str =
    "# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\n";
const SUBSCRIBERS: [i64; 3] = [501, 502, 503];
/// Two minutes, the default hold.
const HOLD: i64 = 120;

fn new_bot(world: &TestWorld, update: teloxide_tests::MockMessageText) -> TestBot {
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(teloxide::dptree::deps![world.bot()]);
    bot
}

/// A held world whose three members subscribed to 湛江.
fn world_with_subscribers(name: &str) -> TestWorld {
    let world = TestWorld::with_hold(name, HOLD);
    for chat in SUBSCRIBERS {
        world.ask_as(&Sender::member(chat, Some(chat)), "/subscribe 湛江");
    }
    world
}

/// The article id and push number of the admin's push of `page`.
fn push(world: &TestWorld, page: &str) -> (union_news_bot::article::ArticleId, i64) {
    let report = world
        .desk
        .editions()
        .push(page, "test", None, ADMIN as i64, ADMIN as i64)
        .expect("push");
    (report.articles[0].id.clone(), report.push.expect("a push"))
}

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

#[tokio::test]
async fn a_held_push_reaches_subscribers_only_when_its_hold_ends() {
    let world = world_with_subscribers("a_held_push_reaches_subscribers_only_when_its_hold_ends");
    let api = FakeApi::start();
    let bot = api.bot();
    push(&world, PAGE);
    assert!(
        !world.ask("环卫工人 送清凉").listed.is_empty(),
        "searchable at once"
    );
    assert_eq!(deliver_due(&bot, &world.desk).await, 0, "held");
    world.clock.advance(minutes(1));
    assert_eq!(deliver_due(&bot, &world.desk).await, 0, "still held");
    world.clock.advance(minutes(1));
    assert_eq!(deliver_due(&bot, &world.desk).await, 3);
    for chat in SUBSCRIBERS {
        assert_eq!(api.sent_to(chat, "环卫工人送清凉"), 1, "chat {chat}");
    }
    assert_eq!(deliver_due(&bot, &world.desk).await, 0, "once");
}

#[tokio::test]
async fn send_now_from_the_report_delivers_at_once_and_a_forged_press_changes_nothing() {
    let world = world_with_subscribers(
        "send_now_from_the_report_delivers_at_once_and_a_forged_press_changes_nothing",
    );
    let mut bot = new_bot(&world, private(ADMIN, &format!("/push\n{PAGE}")));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let report = responses
        .sent_messages_text
        .iter()
        .find(|m| m.message.chat.id == ChatId(ADMIN as i64))
        .expect("the report");
    let shown = report.message.text().unwrap_or_default();
    assert!(shown.contains("2 分钟后"), "{shown}");
    let pressed: Vec<(String, String)> = buttons(&report.bot_request.reply_markup);
    let labels: Vec<&str> = pressed.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels[..4],
        ["立即发送", "定时", "更正", "撤回"],
        "{pressed:?}"
    );
    // The page gives no year for its 7月1日: the likely two are offered.
    let this_year = world.desk.time().today().format("%Y").to_string();
    assert!(
        labels[4].starts_with("活动在") && labels[4].contains(&this_year),
        "{labels:?}"
    );
    assert!(
        !shown.contains(&format!("{this_year}年7月1日")),
        "no year invented: {shown}"
    );
    assert!(
        responses
            .sent_messages_text
            .iter()
            .all(|m| m.message.chat.id == ChatId(ADMIN as i64)),
        "nothing went to subscribers during the hold"
    );
    let retract = pressed[3].1.clone();
    let send = pressed[0].1.clone();

    // A member forges the admin's 撤回.
    const INTRUDER: u64 = 666;
    bot.update(
        MockCallbackQuery::new()
            .data(&retract)
            .from(MockUser::new().id(INTRUDER).build())
            .message(report.message.clone()),
    );
    bot.dispatch().await;
    let refused = bot.get_responses();
    assert!(
        refused.sent_messages_text.iter().any(|m| m
            .message
            .text()
            .unwrap_or_default()
            .contains("管理员")),
        "{:?}",
        refused.sent_messages_text
    );
    assert_eq!(
        world.ask("环卫工人 送清凉").listed.len(),
        1,
        "still searchable"
    );

    // 定时 asks for the time, the article's id filled in.
    bot.update(
        MockCallbackQuery::new()
            .data(&pressed[1].1)
            .from(MockUser::new().id(ADMIN).build())
            .message(report.message.clone()),
    );
    bot.dispatch().await;
    let asked = bot.get_responses();
    assert!(
        asked.sent_messages_text.iter().any(|m| m
            .message
            .text()
            .unwrap_or_default()
            .contains("/schedule ")),
        "{:?}",
        asked.sent_messages_text
    );

    // The admin presses 立即发送.
    bot.update(
        MockCallbackQuery::new()
            .data(&send)
            .from(MockUser::new().id(ADMIN).build())
            .message(report.message.clone()),
    );
    bot.dispatch().await;
    let sent = bot.get_responses();
    let to_subscribers = sent
        .sent_messages_text
        .iter()
        .filter(|m| SUBSCRIBERS.contains(&m.message.chat.id.0))
        .count();
    assert_eq!(to_subscribers, 3, "{:?}", sent.sent_messages_text);
}

#[tokio::test]
async fn a_correction_edits_every_delivered_message() {
    let world = world_with_subscribers("a_correction_edits_every_delivered_message");
    let api = FakeApi::start();
    let bot = api.bot();
    let (id, _) = push(&world, PAGE);
    world.clock.advance(minutes(2));
    assert_eq!(deliver_due(&bot, &world.desk).await, 3);
    let delivered: Vec<(i64, i32)> = api
        .sent()
        .iter()
        .filter(|s| s.method == "sendmessage")
        .map(|s| (s.chat, s.id))
        .collect();
    let done = world.ask_as_admin(&format!(
        "/correct {id}\n标题：湛江市总工会为八百名环卫工人送清凉\n正文：本报讯 7月1日,湛江市总工会为800名环卫工人送上清凉物资。"
    ));
    let done = union_news_bot::reply::to_plain(&done);
    assert!(done.contains("3 条消息"), "{done}");
    assert_eq!(change_sent(&bot, &world.desk).await, 3);
    let edits: Vec<(i64, i32, String)> = api
        .sent()
        .iter()
        .filter(|s| s.method == "editmessagetext")
        .map(|s| (s.chat, s.id, s.text.clone()))
        .collect();
    assert_eq!(edits.len(), 3, "{edits:?}");
    for (chat, message, text) in &edits {
        assert!(
            delivered.contains(&(*chat, *message)),
            "edited a message never sent"
        );
        assert!(text.contains("已更正") && text.contains("八百名"), "{text}");
    }
    assert_eq!(change_sent(&bot, &world.desk).await, 0, "once");
    // The corrected text is what search finds, under the same id.
    assert_eq!(world.ask("八百名 环卫工人").listed.first(), Some(&id));
}

#[tokio::test]
async fn a_retraction_after_a_restart_deletes_every_delivered_message() {
    let mut world =
        world_with_subscribers("a_retraction_after_a_restart_deletes_every_delivered_message");
    let api = FakeApi::start();
    let bot = api.bot();
    let (id, _) = push(&world, PAGE);
    world.clock.advance(minutes(2));
    assert_eq!(deliver_due(&bot, &world.desk).await, 3);
    let mut delivered: Vec<(i64, i32)> = api.sent().iter().map(|s| (s.chat, s.id)).collect();
    world.reopen(HOLD);
    let reply = union_news_bot::reply::to_plain(&world.ask_as_admin(&format!("/delete {id}")));
    assert!(
        reply.contains("已撤回") && reply.contains("3 条消息"),
        "{reply}"
    );
    assert!(world.ask("环卫工人 送清凉").listed.is_empty());
    world.reopen(HOLD);
    assert_eq!(change_sent(&bot, &world.desk).await, 3);
    let mut deleted = api.deleted();
    deleted.sort_unstable();
    delivered.sort_unstable();
    assert_eq!(deleted, delivered);
}

#[tokio::test]
async fn a_scheduled_push_appears_at_its_time_and_not_before() {
    let world = world_with_subscribers("a_scheduled_push_appears_at_its_time_and_not_before");
    let api = FakeApi::start();
    let bot = api.bot();
    let at = world.desk.time().now() + minutes(60);
    let wall = at
        .with_timezone(&world.desk.time().zone())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let report = union_news_bot::reply::to_plain(
        &world.ask_as_admin(&format!("/push\n定时发布：{wall}\n{PAGE}")),
    );
    assert!(report.contains(&format!("定时发布：{wall}")), "{report}");
    assert!(world.ask("环卫工人 送清凉").listed.is_empty(), "hidden");
    assert!(
        world
            .ask_plain("/city 湛江")
            .find("环卫工人送清凉")
            .is_none()
    );
    world.clock.advance(minutes(59));
    assert_eq!(deliver_due(&bot, &world.desk).await, 0);
    assert!(
        world.ask("环卫工人 送清凉").listed.is_empty(),
        "still hidden"
    );
    world.clock.advance(minutes(1));
    assert_eq!(deliver_due(&bot, &world.desk).await, 3);
    assert_eq!(world.ask("环卫工人 送清凉").listed.len(), 1);
}

#[tokio::test]
async fn the_live_report_counts_what_telegram_received_and_who_blocked_the_bot() {
    let world = world_with_subscribers(
        "the_live_report_counts_what_telegram_received_and_who_blocked_the_bot",
    );
    let api = FakeApi::start();
    let bot = api.bot();
    let reply = world.ask_as_admin(&format!("/push\n{PAGE}"));
    let push = reply.reports_push.expect("the report is of a push");
    let to = Destination {
        chat: ChatId(ADMIN as i64),
        thread: None,
        reply_to: None,
    };
    let sent = send_reply(&bot, to, &reply, None)
        .await
        .expect("report sent");
    let report_message = sent.last().expect("a message").0;
    world
        .desk
        .editions()
        .report_sent(push, ADMIN as i64, report_message)
        .expect("noted");
    api.inject_for("sendMessage", SUBSCRIBERS[2], [Fault::Blocked]);
    world.clock.advance(minutes(2));
    let made = deliver_due(&bot, &world.desk).await;
    assert_eq!(made, 2);
    update_reports(&bot, &world.desk).await;
    let received = SUBSCRIBERS
        .iter()
        .filter(|&&chat| api.sent_to(chat, "环卫工人送清凉") == 1)
        .count();
    assert_eq!(received, 2);
    // The progress goes under the report (which keeps its text and buttons).
    let progress: Vec<(i32, String)> = api
        .sent()
        .iter()
        .filter(|s| s.method == "sendmessage" && s.reply_to == Some(i64::from(report_message)))
        .map(|s| (s.id, s.text.clone()))
        .collect();
    assert_eq!(progress.len(), 1, "{progress:?}");
    assert!(
        progress[0]
            .1
            .contains(&format!("已发送 {received} / 待发送 0 / 失败 1"))
            && progress[0].1.contains("已屏蔽机器人 1"),
        "{}",
        progress[0].1
    );
    // Unchanged figures are not shown again.
    world.clock.advance(chrono::Duration::seconds(10));
    update_reports(&bot, &world.desk).await;
    let edits = |api: &FakeApi| {
        api.sent()
            .iter()
            .filter(|s| s.method == "editmessagetext" && s.id == progress[0].0)
            .count()
    };
    assert_eq!(edits(&api), 0);
    // A later delivery (a member subscribing now, the push sent again to
    // them by a correction of its cities) edits the same progress message.
    world.ask_as(&Sender::member(504, Some(504)), "/subscribe 全部");
    let id = world.ask("环卫工人 送清凉").listed[0].clone();
    world.ask_as_admin(&format!("/correct {id}\n城市：湛江、茂名"));
    deliver_due(&bot, &world.desk).await;
    world.clock.advance(chrono::Duration::seconds(10));
    update_reports(&bot, &world.desk).await;
    assert_eq!(edits(&api), 1, "{:?}", api.sent());
    let status = world.ask_plain_as_admin("/status");
    assert!(status.contains("已发送 3 / 待发送 0 / 失败 1"), "{status}");
}

#[tokio::test]
async fn a_photo_pushed_with_its_article_reaches_subscribers_as_a_photo() {
    use teloxide_tests::{MockMessagePhoto, MockPhotoSize, MockPrivateChat};
    let world =
        world_with_subscribers("a_photo_pushed_with_its_article_reaches_subscribers_as_a_photo");
    let photo = MockMessagePhoto::new()
        .caption(format!("/push\n{PAGE}"))
        .photo(vec![
            MockPhotoSize::new()
                .file_id(teloxide::types::FileId("small-photo".into()))
                .width(90)
                .height(51)
                .build(),
            MockPhotoSize::new()
                .file_id(teloxide::types::FileId("large-photo".into()))
                .width(1280)
                .height(720)
                .build(),
        ])
        .from(MockUser::new().id(ADMIN).build())
        .chat(MockPrivateChat::new().id(ADMIN as i64).build());
    let mut bot = MockBot::new(photo, schema());
    bot.dependencies(teloxide::dptree::deps![world.bot()]);
    bot.dispatch().await;
    let report: Vec<String> = bot
        .get_responses()
        .sent_messages_text
        .iter()
        .map(|m| m.message.text().unwrap_or_default().to_string())
        .collect();
    assert!(report.iter().any(|t| t.contains("新增 1 篇")), "{report:?}");
    let id = world.ask("环卫工人 送清凉").listed[0].clone();
    assert_eq!(
        world.desk.article(&id).unwrap().unwrap().photos,
        ["large-photo"],
        "the largest size is kept"
    );

    let api = FakeApi::start();
    let sender = api.bot();
    world.clock.advance(minutes(2));
    assert_eq!(deliver_due(&sender, &world.desk).await, 3);
    let photos: Vec<_> = api
        .sent()
        .into_iter()
        .filter(|s| s.method == "sendphoto")
        .collect();
    assert_eq!(photos.len(), 3, "{:?}", api.sent());
    for sent in &photos {
        assert!(SUBSCRIBERS.contains(&sent.chat));
        assert!(
            sent.text.contains("环卫工人送清凉"),
            "the caption: {}",
            sent.text
        );
        assert!(sent.text.encode_utf16().count() <= 1024);
    }
    // A correction edits the photo's caption.
    world.ask_as_admin(&format!(
        "/correct {id}\n标题：湛江市总工会为环卫工人送清凉（附图）"
    ));
    assert_eq!(change_sent(&sender, &world.desk).await, 3);
    assert_eq!(api.calls("editMessageCaption"), 3);

    // `/article` shows the photo too.
    bot.update(private(
        crate::world::MEMBER as u64,
        &format!("/article {id}"),
    ));
    bot.dispatch().await;
    let shown = bot.get_responses();
    assert_eq!(
        shown.sent_messages_photo.len(),
        1,
        "{:?}",
        shown.sent_messages_text
    );
}

/// A paste of `tests/data/pastes/dev5`.
fn paste(file: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/pastes/dev5")
            .join(file),
    )
    .expect("a paste")
}

#[tokio::test]
async fn a_copy_of_a_stored_article_is_offered_as_an_update_and_kept_apart_on_request() {
    let world = world_with_subscribers(
        "a_copy_of_a_stored_article_is_offered_as_an_update_and_kept_apart_on_request",
    );
    let (original, _) = push(&world, &paste("04-news.txt"));
    let stored = world.desk.article_count().unwrap();
    // The same article copied with another selection, pushed through the bot.
    let mut bot = new_bot(
        &world,
        private(ADMIN, &format!("/push\n{}", paste("26-news.txt"))),
    );
    bot.dispatch().await;
    let responses = bot.get_responses();
    let report = responses
        .sent_messages_text
        .iter()
        .find(|m| m.message.chat.id == ChatId(ADMIN as i64))
        .expect("the report");
    let shown = report.message.text().unwrap_or_default();
    assert!(
        shown.contains("近似重复") && shown.contains(original.as_str()),
        "{shown}"
    );
    assert_eq!(
        world.desk.article_count().unwrap(),
        stored,
        "not stored again"
    );
    let pressed = buttons(&report.bot_request.reply_markup);
    let labels: Vec<&str> = pressed.iter().map(|(l, _)| l.as_str()).collect();
    assert!(labels[0].starts_with("更新《"), "{labels:?}");
    assert_eq!(labels[1], "另存为新文章", "{labels:?}");
    // 另存为新文章: a new article of its own, the stored one unchanged.
    bot.update(
        MockCallbackQuery::new()
            .data(&pressed[1].1)
            .from(MockUser::new().id(ADMIN).build())
            .message(report.message.clone()),
    );
    bot.dispatch().await;
    assert_eq!(world.desk.article_count().unwrap(), stored + 1);

    // Another copy, left alone: when its hold ends it updates the original.
    push(&world, &paste("04-news.txt").replace("300户", "320户"));
    assert_eq!(world.desk.article_count().unwrap(), stored + 1);
    world.clock.advance(minutes(2));
    let api = FakeApi::start();
    deliver_due(&api.bot(), &world.desk).await;
    let updated = world.desk.article(&original).unwrap().unwrap();
    assert!(
        updated.body_text().contains("320户") || updated.title.headline.contains("320户"),
        "{updated:?}"
    );
    assert_eq!(world.desk.article_count().unwrap(), stored + 1);
}
