//! Many members asking at once while an admin pushes: every message is
//! answered, nothing fails, and once a push is acknowledged a member's search
//! finds it (read-your-writes).

use crate::world::TestWorld;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use union_news_bot::desk::Sender;
use union_news_bot::reply::{text, to_html, to_plain};

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
    let world = TestWorld::new();
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
                    let reply = desk.respond(&sender, question);
                    let plain = to_plain(&reply);
                    assert!(!plain.contains(text::SORRY), "{question}: {plain}");
                    assert!(!to_html(&reply).is_empty(), "{question}: no message");
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        let desk = desk.clone();
        scope.spawn(move || {
            let admin = Sender::console();
            let member = Sender::member(7, Some(7));
            for n in 0..PUSHES {
                let page = format!(
                    "/push\n# 并发测试第{n}号快讯\n\n本报讯 3月{}日,并发测试工会举办第{n}号活动,职工参加。\n",
                    n + 1
                );
                let reply = to_plain(&desk.respond(&admin, &page));
                assert!(reply.contains("新增 1 篇"), "push {n}: {reply}");
                // Acknowledged: a member finds it at once.
                let found = desk.respond(&member, &format!("并发测试第{n}号快讯"));
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
