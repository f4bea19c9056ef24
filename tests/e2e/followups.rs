//! Follow-ups: 「那东莞呢」 and 「有多少人参加」 read against the member's last
//! question, kept per chat, member and forum topic in the store.

use crate::world::{TestWorld, titles};
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::to_plain;
use union_news_bot::request::Sender;

fn member(id: i64) -> Sender {
    Sender::member(id, Some(id))
}

#[test]
fn another_place_asks_the_same_question_there() {
    let world = TestWorld::new("followup-place");
    let asker = member(1);
    let first = world.ask_as(&asker, "佛山有没有职工技能比赛");
    assert!(!titles(&first).is_empty());
    let again = world.ask_as(&asker, "那湛江呢");
    let listed = titles(&again);
    assert!(
        listed
            .first()
            .is_some_and(|t| t.contains("门机司机技能比武")),
        "{listed:?}"
    );
    assert!(
        to_plain(&again).contains("接着上一个问题"),
        "{}",
        to_plain(&again)
    );
    // And again, from the rewritten question.
    let third = world.ask_as(&asker, "那江门呢");
    assert!(to_plain(&third).contains("江门"), "{}", to_plain(&third));
}

#[test]
fn a_fact_question_asks_it_of_the_first_result() {
    let world = TestWorld::new("followup-fact");
    let asker = member(2);
    world.ask_as(&asker, "番禺外卖骑手入会");
    let reply = to_plain(&world.ask_as(&asker, "有多少人参加"));
    assert!(reply.contains("326"), "{reply}");
    assert!(reply.contains("外卖骑手"), "{reply}");
}

#[test]
fn a_city_list_is_followed_by_another_city() {
    let world = TestWorld::new("followup-city");
    let asker = member(3);
    world.ask_as(&asker, "/city 湛江");
    let reply = to_plain(&world.ask_as(&asker, "那东莞呢"));
    assert!(reply.contains("东莞"), "{reply}");
    assert!(reply.contains("年货节"), "{reply}");
}

#[test]
fn the_context_is_never_shared_between_members_topics_or_chats() {
    let world = TestWorld::new("followup-private");
    world.ask_as(&member(4), "番禺外卖骑手入会");
    // Another member in the same chat, the same member in a forum topic,
    // and the same member in another chat start afresh.
    let others = [
        Sender::member(4, Some(5)),
        member(4).in_thread(Some(9)),
        Sender::member(6, Some(4)),
    ];
    for other in others {
        let reply = world.ask_as(&other, "有多少人参加");
        assert!(
            !to_plain(&reply).contains("326名"),
            "{other:?}: {}",
            to_plain(&reply)
        );
    }
    // A question of its own is never read as a follow-up.
    let own = world.ask_as(&member(4), "湛江劳模体检有多少人");
    assert!(
        titles(&own).first().is_some_and(|t| t.contains("劳模")),
        "{:?}",
        titles(&own)
    );
}

#[test]
fn the_context_survives_a_restart() {
    let world = TestWorld::new("followup-restart");
    let asker = member(7);
    world.ask_as(&asker, "梅州有帮农民工讨薪的吗");
    let dir = world.data_dir().to_path_buf();
    let reopened = NewsDesk::open(&dir).unwrap();
    let reply = to_plain(&reopened.reply_to(&asker, "那东莞呢"));
    assert!(reply.contains("接着上一个问题"), "{reply}");
    assert!(reply.contains("东莞"), "{reply}");
}
