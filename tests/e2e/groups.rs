//! Groups and channels through the real bot and the project's fake Bot API
//! server (`teloxide_tests` has no `getChatMember`): a group's own admin
//! subscribes it and a member is refused, a channel subscribes by a post,
//! and an editor the owner adds is an admin at once.

use crate::fake_api::{FakeApi, start_bot, stop_bot};
use crate::world::ADMIN;
use std::time::Duration;
use union_news_bot::desk::NewsDesk;
use union_news_bot::request::Sender;

const GROUP: i64 = -100_123;
const CHANNEL: i64 = -100_456;
const GROUP_ADMIN: u64 = 301;
const GROUP_MEMBER: u64 = 302;
const PATIENCE: Duration = Duration::from_secs(30);

fn wait(api: &FakeApi, dir: &std::path::Path, what: &str, done: impl Fn(&FakeApi) -> bool) {
    if !api.wait_for(PATIENCE, done) {
        let log = std::fs::read_to_string(dir.join("bot.log")).unwrap_or_default();
        panic!(
            "{what} did not happen; getChatMember asked {} times; sent: {:#?}\nlog:\n{log}",
            api.calls("getchatmember"),
            api.sent()
        );
    }
}

#[test]
fn a_group_is_subscribed_by_its_admin_only_and_a_channel_by_its_post() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let api = FakeApi::start();
    api.make_chat_admin(GROUP, GROUP_ADMIN);
    let bot = start_bot(&data, &api, ADMIN, &dir.path().join("bot.log"));

    api.group_message(GROUP, GROUP_MEMBER, "/subscribe 湛江");
    wait(&api, dir.path(), "the member's refusal", |api| {
        api.sent_to(GROUP, "只有本群的管理员") == 1
    });
    api.group_message(GROUP, GROUP_ADMIN, "/subscribe 湛江");
    wait(&api, dir.path(), "the admin's subscription", |api| {
        api.sent_to(GROUP, "湛江") == 1
            && api.sent().iter().filter(|s| s.chat == GROUP).count() == 2
    });
    // A member cannot unsubscribe the group either.
    api.group_message(GROUP, GROUP_MEMBER, "/unsubscribe 湛江");
    wait(&api, dir.path(), "the second refusal", |api| {
        api.sent_to(GROUP, "只有本群的管理员") == 2
    });
    // A question in the group needs no rights and asks Telegram nothing.
    let asked_before = api.calls("getchatmember");
    api.group_message(GROUP, GROUP_MEMBER, "/ask 劳模");
    wait(&api, dir.path(), "the answer in the group", |api| {
        api.sent().iter().filter(|s| s.chat == GROUP).count() == 4
    });
    assert_eq!(api.calls("getchatmember"), asked_before);

    api.channel_post(CHANNEL, "/subscribe 东莞");
    wait(&api, dir.path(), "the channel's subscription", |api| {
        api.sent_to(CHANNEL, "东莞") == 1
    });
    api.channel_post(CHANNEL, "今天的职工新闻：……");
    api.channel_post(CHANNEL, "/push 不该在频道里发布");
    wait(&api, dir.path(), "the channel's command refusal", |api| {
        api.sent_to(CHANNEL, "频道里只能用") == 1
    });
    // An admin's subscription names the link for posters, with the
    // username the bot asked Telegram for.
    api.message(ADMIN, "/subscribe 湛江");
    wait(&api, dir.path(), "the poster link", |api| {
        api.sent_to(ADMIN as i64, "https://t.me/union_test_bot?start=sub_440800") == 1
    });
    // The owner adds an editor: an admin at once, with the admin menu.
    const EDITOR: u64 = 777_001;
    api.message(EDITOR, "/status");
    wait(&api, dir.path(), "the refusal before", |api| {
        api.sent_to(EDITOR as i64, "仅限管理员") == 1
    });
    api.message(ADMIN, "/editors add 777001");
    wait(&api, dir.path(), "the editor added", |api| {
        api.sent_to(ADMIN as i64, "已添加编辑 777001") == 1
    });
    api.message(EDITOR, "/status");
    wait(&api, dir.path(), "the editor's /status", |api| {
        api.sent_to(EDITOR as i64, "待发送") == 1
    });
    api.message(EDITOR, "/editors add 777002");
    wait(&api, dir.path(), "an editor refused /editors", |api| {
        api.sent_to(EDITOR as i64, "只有所有者") == 1
    });
    stop_bot(bot);
    assert!(
        api.calls("setmycommands") >= 3,
        "the menus, and the new editor's"
    );
    assert_eq!(
        api.sent().iter().filter(|s| s.chat == CHANNEL).count(),
        2,
        "an ordinary post gets no answer: {:#?}",
        api.sent()
    );

    let desk = NewsDesk::open(&data).unwrap();
    let subscribed = |chat: i64| {
        union_news_bot::reply::to_plain(
            &desk.reply_to(&Sender::member(chat, None).managing(), "/subscriptions"),
        )
    };
    assert!(
        subscribed(GROUP).contains("• 湛江"),
        "{}",
        subscribed(GROUP)
    );
    assert!(
        subscribed(CHANNEL).contains("• 东莞"),
        "{}",
        subscribed(CHANNEL)
    );
}
