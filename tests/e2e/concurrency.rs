//! Many members asking at once while an admin pushes: every message is
//! answered, nothing fails, and once a push is acknowledged a member's search
//! finds it (read-your-writes).

use crate::world::TestWorld;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use union_news_bot::reply::{text, to_html, to_plain};
use union_news_bot::request::Sender;

const MEMBERS: usize = 50;
const MESSAGES_EACH: usize = 20;
const PUSHES: usize = 20;

const QUESTIONS: &[&str] = &[
    "湛江 羽绒",
    "外卖骑手 入会",
    "/city 东莞",
    "江门职工蓝球赛",
    "東莞職工年貨節",
    "/latest",
    "梅州 金柚 多少钱",
    "职工 疗休养 去了哪里",
    "不存在的话题 火星",
    "",
];

#[test]
fn fifty_members_and_an_admin_at_once_lose_nothing() {
    let world = TestWorld::new("fifty_members_and_an_admin_at_once_lose_nothing");
    let desk = Arc::new(world.desk);
    let answered = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        for member in 0..MEMBERS {
            let desk = desk.clone();
            let answered = answered.clone();
            scope.spawn(move || {
                let sender = Sender::member(1000 + member as i64, Some(1000 + member as i64));
                for n in 0..MESSAGES_EACH {
                    let question = QUESTIONS[(member + n) % QUESTIONS.len()];
                    let reply = desk.reply_to(&sender, question);
                    let plain = to_plain(&reply);
                    assert!(!plain.contains(text::SORRY), "{question}: {plain}");
                    assert!(!to_html(&reply).is_empty(), "{question}: no message");
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        let desk = desk.clone();
        scope.spawn(move || {
            let admin = Sender::admin(1, 1);
            let member = Sender::member(7, Some(7));
            for n in 0..PUSHES {
                let page = format!(
                    "/push\n# 并发测试第{n}号快讯\n\n本报讯 3月{}日,并发测试工会举办第{n}号活动,职工参加。\n",
                    n + 1
                );
                let reply = to_plain(&desk.reply_to(&admin, &page));
                assert!(reply.contains("新增 1 篇"), "push {n}: {reply}");
                // Acknowledged: a member finds it at once.
                let found = desk.reply_to(&member, &format!("并发测试第{n}号快讯"));
                assert!(
                    to_plain(&found).contains(&format!("并发测试第{n}号快讯")),
                    "push {n} not found right after it was acknowledged"
                );
            }
        });
    });
    assert_eq!(answered.load(Ordering::SeqCst), MEMBERS * MESSAGES_EACH);
    let stats = desk.stats().unwrap();
    assert!(stats.articles >= PUSHES as u64);
}

/// The same through the real bot: 50 chats send 20 messages each, all at
/// once, to the binary polling a fake Bot API server, while an admin pushes
/// pages. Every message gets its own reply; once the admin has a push's
/// report, a member's question finds the pushed article.
#[test]
fn fifty_chats_at_once_through_the_real_bot_each_message_answered() {
    use crate::fake_api::{FakeApi, start_bot, stop_bot};
    use std::time::Duration;
    const ADMIN: u64 = 777;
    const BOT_PUSHES: usize = 5;
    let dir = tempfile::tempdir().expect("temp dir");
    let api = FakeApi::start();
    let bot = start_bot(
        &dir.path().join("data"),
        &api,
        ADMIN,
        &dir.path().join("bot.log"),
    );
    let mut asked = Vec::new();
    for round in 0..MESSAGES_EACH {
        for member in 0..MEMBERS {
            let question = QUESTIONS[(member + round) % (QUESTIONS.len() - 1)];
            asked.push(api.message(3000 + member as u64, question));
        }
        if round % (MESSAGES_EACH / BOT_PUSHES) == 0 {
            let n = round / (MESSAGES_EACH / BOT_PUSHES);
            api.message(
                ADMIN,
                &format!(
                    "/push\n# 并发推送快讯bp{n:03}\n\n本报讯 并发推送工会举办 bp{n:03} 号活动。\n"
                ),
            );
        }
    }
    let everything_answered = api.wait_for(Duration::from_secs(300), |api| {
        asked.iter().all(|&id| api.reply_to(id).is_some())
    });
    let unanswered = asked
        .iter()
        .filter(|&&id| api.reply_to(id).is_none())
        .count();
    assert!(
        everything_answered,
        "{unanswered} of {} messages unanswered",
        asked.len()
    );
    for &id in &asked {
        let reply = api.reply_to(id).expect("answered");
        assert!(!reply.text.contains(text::SORRY), "{}", reply.text);
    }
    // Read-your-writes: each report seen, a member asks for its article.
    for n in 0..BOT_PUSHES {
        let tag = format!("bp{n:03}");
        assert!(
            api.wait_for(Duration::from_secs(60), |api| api
                .sent_to(ADMIN as i64, &tag)
                >= 1),
            "no report for {tag}"
        );
        let question = api.message(4000 + n as u64, &tag);
        assert!(
            api.wait_for(Duration::from_secs(60), |api| api
                .reply_to(question)
                .is_some()),
            "no answer to {tag}"
        );
        let answer = api.reply_to(question).expect("answered").text;
        assert!(
            answer.contains(&format!("并发推送快讯{tag}")),
            "{tag}: {answer}"
        );
    }
    stop_bot(bot);
}
