//! Deliveries members control, end to end: the daily digest at its hour
//! and none on a day with nothing (and an article struck from a digest
//! when retracted), a silent delivery at 23:00 and one held for the
//! morning, `/subscriptions`' buttons editing the panel in place with a
//! forged press refused, links that subscribe in one tap, and `ask`.
//!
//! The member's side runs through the real update tree (`teloxide_tests`);
//! the sender's side through a real teloxide `Bot` talking to the project's
//! fake Bot API server, with the world's manual clock moved by the test.

use crate::fake_api::{FakeApi, Fault};
use crate::world::{ADMIN, TestBot, TestWorld, buttons, private, run, stdout};
use chrono::TimeZone;
use teloxide_tests::{MockBot, MockCallbackQuery, MockUser};
use union_news_bot::request::{Request, Sender, Setting};
use union_news_bot::store::QuietHours;
use union_news_bot::telegram::{change_sent, deliver_due, schema, send_digests};

const PAGE: &str =
    "# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\n";
const SECOND_PAGE: &str =
    "# 湛江市职工技能比武落幕\n\n本报讯 湛江市总工会日前举办职工技能比武，200名职工参赛。\n";
const HEADLINE: &str = "环卫工人送清凉";

/// Sets the world's clock to a local (Asia/Shanghai) time on 2026-12-06
/// plus `days`.
fn set_local(world: &TestWorld, days: i64, hour: u32, minute: u32) {
    let zone = world.desk.time().zone();
    let at = zone
        .with_ymd_and_hms(2026, 12, 6, hour, minute, 0)
        .single()
        .expect("a local time")
        + chrono::Duration::days(days);
    world.clock.set(at.with_timezone(&chrono::Utc));
}

fn member(chat: i64) -> Sender {
    Sender::member(chat, Some(chat))
}

/// The plain text of the desk's reply to `sender`.
fn plain(world: &TestWorld, sender: &Sender, message: &str) -> String {
    union_news_bot::reply::to_plain(&world.ask_as(sender, message))
}

/// The admin's push of `page`: its article id.
fn push(world: &TestWorld, page: &str) -> union_news_bot::article::ArticleId {
    let report = world
        .desk
        .editions()
        .push(page, "test", None, ADMIN as i64, ADMIN as i64)
        .expect("push");
    assert_eq!(report.articles.len(), 1, "{report:?}");
    assert!(report.queued > 0, "{report:?}");
    report.articles[0].id.clone()
}

fn new_bot(world: &TestWorld, update: teloxide_tests::MockMessageText) -> TestBot {
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(teloxide::dptree::deps![world.bot()]);
    bot
}

#[tokio::test]
async fn a_digest_goes_out_at_its_hour_once_and_none_on_a_day_with_nothing() {
    let world =
        TestWorld::empty("a_digest_goes_out_at_its_hour_once_and_none_on_a_day_with_nothing");
    const DIGEST: i64 = 601;
    const EACH: i64 = 602;
    set_local(&world, 0, 6, 0);
    let said = plain(&world, &member(DIGEST), "/subscribe 湛江 每日");
    assert!(
        said.contains("每日摘要") && said.contains("08:00"),
        "{said}"
    );
    world.ask_as(&member(EACH), "/subscribe 湛江");
    let api = FakeApi::start();
    let bot = api.bot();
    let first = push(&world, PAGE);
    push(&world, SECOND_PAGE);

    assert_eq!(
        deliver_due(&bot, &world.desk).await,
        2,
        "the each member's two"
    );
    assert_eq!(api.sent_to(DIGEST, HEADLINE), 0, "no article of its own");
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "06:00: not yet");

    set_local(&world, 0, 8, 0);
    assert_eq!(send_digests(&bot, &world.desk).await, 1, "08:00");
    let digest = api
        .sent()
        .into_iter()
        .find(|m| m.chat == DIGEST)
        .expect("the digest");
    assert!(digest.text.contains("每日摘要"), "{}", digest.text);
    assert!(
        digest.text.contains(HEADLINE) && digest.text.contains("技能比武"),
        "both articles in one message: {}",
        digest.text
    );
    assert!(!digest.silent, "08:00 is not in the quiet hours");
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "once a day");
    set_local(&world, 0, 21, 0);
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "still once");

    // The next day nothing was released: no digest, no message.
    set_local(&world, 1, 9, 0);
    let before = api.sent().len();
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "an empty day");
    assert_eq!(api.sent().len(), before, "nothing sent on an empty day");

    // A retraction strikes the article from the digest already sent.
    let taken = world.ask_plain_as_admin(&format!("/delete {first}"));
    assert!(taken.contains("撤回"), "{taken}");
    change_sent(&bot, &world.desk).await;
    let edited = api
        .sent()
        .into_iter()
        .rfind(|m| m.chat == DIGEST && m.method == "editmessagetext")
        .expect("the digest edited");
    assert_eq!(edited.id, digest.id, "the digest message itself");
    assert!(
        edited.text.contains("<s>1. ") && edited.text.contains("已撤回"),
        "{}",
        edited.text
    );
    assert!(
        edited.text.contains("技能比武") && !edited.text.contains("<s>2."),
        "the other article stays: {}",
        edited.text
    );
    assert!(
        !api.deleted().iter().any(|(chat, _)| *chat == DIGEST),
        "a digest is never deleted"
    );
}

#[tokio::test]
async fn a_digest_after_a_restart_is_not_sent_twice_and_follows_the_chosen_hour() {
    let mut world =
        TestWorld::empty("a_digest_after_a_restart_is_not_sent_twice_and_follows_the_chosen_hour");
    const CHAT: i64 = 611;
    set_local(&world, 0, 7, 0);
    world.ask_as(&member(CHAT), "/subscribe 湛江 摘要");
    world
        .desk
        .handle(&member(CHAT), Request::Setting(Setting::DigestHour(18)));
    push(&world, PAGE);
    let api = FakeApi::start();
    let bot = api.bot();
    set_local(&world, 0, 12, 0);
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "18:00 chosen");
    set_local(&world, 0, 18, 5);
    assert_eq!(send_digests(&bot, &world.desk).await, 1);
    world.reopen(0);
    assert_eq!(send_digests(&bot, &world.desk).await, 0, "after a restart");
    assert_eq!(api.sent_to(CHAT, HEADLINE), 1);
}

#[tokio::test]
async fn a_delivery_at_eleven_at_night_is_silent_or_waits_for_the_morning() {
    let world =
        TestWorld::empty("a_delivery_at_eleven_at_night_is_silent_or_waits_for_the_morning");
    const SILENT: i64 = 701;
    const MORNING: i64 = 702;
    world.ask_as(&member(SILENT), "/subscribe 湛江");
    world.ask_as(&member(MORNING), "/subscribe 湛江");
    let changed = world.desk.handle(
        &member(MORNING),
        Request::Setting(Setting::Quiet(QuietHours::Morning)),
    );
    assert!(changed.replaces_message, "{changed:?}");
    set_local(&world, 0, 23, 0);
    push(&world, PAGE);
    let api = FakeApi::start();
    let bot = api.bot();
    assert_eq!(deliver_due(&bot, &world.desk).await, 1, "one now, one held");
    let sent = api.sent();
    let night = sent
        .iter()
        .find(|m| m.chat == SILENT)
        .expect("sent at 23:00");
    assert!(night.silent, "without sound at 23:00");
    assert_eq!(api.sent_to(MORNING, HEADLINE), 0, "waits for the morning");

    set_local(&world, 1, 6, 59);
    assert_eq!(deliver_due(&bot, &world.desk).await, 0, "not before 07:00");
    set_local(&world, 1, 7, 0);
    assert_eq!(deliver_due(&bot, &world.desk).await, 1);
    let morning = api
        .sent()
        .into_iter()
        .find(|m| m.chat == MORNING)
        .expect("sent at 07:00");
    assert!(!morning.silent, "with sound in the morning");
    assert!(morning.text.contains(HEADLINE));
}

#[tokio::test]
async fn subscription_buttons_edit_the_panel_in_place_and_a_forged_press_is_refused() {
    let world = TestWorld::empty(
        "subscription_buttons_edit_the_panel_in_place_and_a_forged_press_is_refused",
    );
    const MEMBER: u64 = 801;
    let mut bot = new_bot(&world, private(MEMBER, "/subscribe 湛江"));
    bot.dispatch().await;
    bot.update(private(MEMBER, "/subscriptions"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let panel = responses
        .sent_messages_text
        .last()
        .expect("the panel")
        .clone();
    let shown = panel.message.text().unwrap_or_default().to_string();
    assert!(shown.contains("湛江：每条推送"), "{shown}");
    let pressed = buttons(&panel.bot_request.reply_markup);
    let labels: Vec<&str> = pressed.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "✅每条推送",
            "每日摘要",
            "暂停",
            "退订",
            "7点",
            "✅8点",
            "12点",
            "18点",
            "21点",
            "✅夜间静音发送",
            "夜间早上再发"
        ],
        "{pressed:?}"
    );
    let digest = pressed
        .iter()
        .find(|(label, _)| label == "每日摘要")
        .map(|(_, data)| data.clone())
        .expect("每日摘要");
    assert_eq!(digest, "m:4408:d");

    let press = |bot: &mut TestBot, data: &str| {
        bot.update(
            MockCallbackQuery::new()
                .data(data)
                .from(MockUser::new().id(MEMBER).build())
                .message(panel.message.clone()),
        );
    };
    press(&mut bot, &digest);
    bot.dispatch().await;
    let responses = bot.get_responses();
    let edited = responses
        .edited_messages_text
        .last()
        .expect("the panel edited in place");
    let now = edited.message.text().unwrap_or_default();
    assert!(
        now.contains("湛江：每日摘要") && now.contains("已将湛江改为「每日摘要」"),
        "{now}"
    );
    let marked: Vec<String> = buttons(&edited.bot_request.reply_markup)
        .into_iter()
        .map(|(l, _)| l)
        .filter(|l| l.starts_with('✅'))
        .collect();
    assert_eq!(marked, ["✅每日摘要", "✅8点", "✅夜间静音发送"]);

    // Forged: a city this chat never subscribed to, an hour no button offers.
    for (forged, refusal) in [("m:4401:x", "您没有订阅广州"), ("h:3", "这个时间不能选")]
    {
        press(&mut bot, forged);
        bot.dispatch().await;
        let responses = bot.get_responses();
        assert!(
            responses.edited_messages_text.is_empty(),
            "{forged}: nothing edited"
        );
        assert!(
            responses.sent_messages_text.iter().any(|m| m
                .message
                .text()
                .unwrap_or_default()
                .contains(refusal)),
            "{forged}: {:?}",
            responses.sent_messages_text
        );
    }
    let plain = plain(&world, &member(MEMBER as i64), "/subscriptions");
    assert!(
        plain.contains("湛江：每日摘要") && !plain.contains("广州") && plain.contains("08:00"),
        "nothing else changed: {plain}"
    );
}

#[tokio::test]
async fn a_link_subscribes_in_one_tap_and_a_broken_one_gets_a_welcome() {
    let world = TestWorld::empty("a_link_subscribes_in_one_tap_and_a_broken_one_gets_a_welcome");
    const MEMBER: u64 = 901;
    let mut bot = new_bot(&world, private(MEMBER, "/start sub_zhanjiang"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let welcome = responses.sent_messages_text.last().expect("a welcome");
    let text = welcome.message.text().unwrap_or_default();
    assert!(text.contains("已订阅湛江"), "{text}");

    let said = plain(&world, &member(902), "/start sub_440800_daily");
    assert!(said.contains("已订阅湛江（每日摘要）"), "{said}");
    for broken in ["/start sub_nowhere", "/start sub_湛江", "/start ref_123"] {
        let said = plain(&world, &member(903), broken);
        assert!(
            said.contains("链接无效") && said.contains("您好"),
            "{broken}: {said}"
        );
    }
    assert!(
        plain(&world, &member(903), "/subscriptions").contains("还没有订阅"),
        "a broken link subscribes to nothing"
    );
    // An admin's subscribe reply gives the link for a poster.
    let admin = world.ask_plain_as_admin("/subscribe 湛江");
    assert!(admin.contains("/start sub_440800"), "{admin}");
}

#[test]
fn ask_subscribes_in_digest_mode_and_lists_subscriptions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let subscribed = stdout(&run(dir.path(), &["ask", "/subscribe 湛江 每日"], ""));
    assert!(
        subscribed.contains("已订阅湛江（每日摘要）"),
        "{subscribed}"
    );
    let listed = stdout(&run(dir.path(), &["ask", "/subscriptions"], ""));
    assert!(
        listed.contains("湛江：每日摘要") && listed.contains("08:00"),
        "{listed}"
    );
}

#[test]
fn a_question_about_nearby_means_the_subscribed_city() {
    let world = TestWorld::new("a_question_about_nearby_means_the_subscribed_city");
    const LOCAL: i64 = 1001;
    world.ask_as(&member(LOCAL), "/subscribe 湛江");
    let reply = world.ask_as(&member(LOCAL), "我们这边最近有什么工会活动");
    let said = union_news_bot::reply::to_plain(&reply);
    assert!(said.contains("按您订阅的湛江"), "{said}");
    assert!(!reply.listed.is_empty(), "{said}");
    for id in &reply.listed {
        let article = world.desk.article(id).unwrap().expect("listed article");
        assert!(
            article.cities.iter().any(|c| c.code == 4408),
            "{} is not about 湛江: {said}",
            article.title.headline
        );
    }
    // Without a subscription, or with a place named, nothing is assumed.
    let stranger = plain(&world, &member(1002), "我们这边最近有什么工会活动");
    assert!(!stranger.contains("按您订阅"), "{stranger}");
    let named = plain(&world, &member(LOCAL), "广州附近有什么工会活动");
    assert!(!named.contains("按您订阅"), "{named}");
}

#[tokio::test]
async fn a_digest_shows_a_correction_and_a_member_who_blocked_the_bot_is_counted() {
    let world =
        TestWorld::empty("a_digest_shows_a_correction_and_a_member_who_blocked_the_bot_is_counted");
    const READER: i64 = 1101;
    const BLOCKED: i64 = 1102;
    set_local(&world, 0, 6, 0);
    for chat in [READER, BLOCKED] {
        world.ask_as(&member(chat), "/subscribe 湛江 每日");
    }
    let id = push(&world, PAGE);
    let api = FakeApi::start();
    let bot = api.bot();
    api.inject_for("sendMessage", BLOCKED, [Fault::Blocked]);
    set_local(&world, 0, 8, 30);
    assert_eq!(send_digests(&bot, &world.desk).await, 1, "the reader's");
    let digest = api
        .sent()
        .into_iter()
        .find(|m| m.chat == READER)
        .expect("the reader's digest");
    assert!(
        plain(&world, &member(BLOCKED), "/subscriptions").contains("还没有订阅"),
        "who blocked the bot is unsubscribed"
    );
    let status = world.ask_plain_as_admin("/status");
    assert!(
        status.contains("已发送 1 / 待发送 0 / 失败 1") && status.contains("已屏蔽机器人 1"),
        "{status}"
    );

    world.ask_as_admin(&format!(
        "/correct {id}\n标题：湛江市总工会为八百名环卫工人送清凉"
    ));
    change_sent(&bot, &world.desk).await;
    let edited = api
        .sent()
        .into_iter()
        .rfind(|m| m.chat == READER && m.method == "editmessagetext")
        .expect("the digest edited");
    assert_eq!(edited.id, digest.id);
    assert!(
        edited.text.contains("八百名环卫工人") && edited.text.contains("每日摘要"),
        "{}",
        edited.text
    );
}
