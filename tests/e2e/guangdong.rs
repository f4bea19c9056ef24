//! Members in Guangdong, as they write: wishes said in words answered with a
//! one-tap button that does what the command does (pressed through the real
//! teloxide stack, teloxide_tests' fake Bot API), small talk in Cantonese
//! and shorthand, Cantonese questions and follow-ups, questions about a
//! member's own rights sent to the hotline (`UNION_HOTLINE` set for the real
//! binary, polling [`FakeApi`]), and place names several towns share
//! settled by the archive.

use crate::fake_api::{FakeApi, start_bot_with, stop_bot};
use crate::world::{TestBot, TestWorld, buttons, private, titles};
use std::sync::Arc;
use std::time::Duration;
use teloxide::dptree::deps;
use teloxide::types::Message;
use teloxide_tests::{IntoUpdate, MockBot, MockCallbackQuery, MockMessageText, MockUser};
use union_news_bot::limits::RateLimiter;
use union_news_bot::reply::{Reply, to_plain};
use union_news_bot::request::Sender;
use union_news_bot::telegram::schema;
use union_news_testkit::telegram_html::{render_checked, visible_text};

/// The member who writes the wishes.
const MEMBER: u64 = 300;
/// Another member, in a chat of their own, who types the commands.
const OTHER: u64 = 301;

/// The bot over `world`, with room for every message a test sends.
fn new_bot(world: &TestWorld, first: MockMessageText) -> TestBot {
    let mut bot = MockBot::new(first, schema());
    let mut ctx = world.bot();
    ctx.limiter = Arc::new(RateLimiter::new(100, Duration::from_secs(30)));
    bot.dependencies(deps![ctx]);
    bot
}

/// A message the bot sent, as Telegram got it.
#[derive(Debug, Clone)]
struct Said {
    /// Its text as Telegram shows it (the fake server parsed the HTML).
    text: String,
    /// The HTML the bot sent.
    html: String,
    /// Its buttons: label and callback data.
    buttons: Vec<(String, String)>,
    /// The message itself, for a button press.
    message: Message,
}

/// Gives the bot one update; returns the messages it sent for it, each
/// checked to be Telegram HTML that Telegram accepts.
async fn send(bot: &mut TestBot, update: impl IntoUpdate) -> Vec<Said> {
    bot.update(update);
    bot.dispatch().await;
    let said: Vec<Said> = bot
        .get_responses()
        .sent_messages_text
        .iter()
        .map(|m| Said {
            text: m.message.text().unwrap_or("").to_string(),
            html: m.bot_request.text.clone(),
            buttons: buttons(&m.bot_request.reply_markup),
            message: m.message.clone(),
        })
        .collect();
    for message in &said {
        if let Err(e) = visible_text(&message.html) {
            panic!("not valid Telegram HTML ({e}): {:?}", message.html);
        }
    }
    said
}

/// The one message the bot sent for an update.
async fn one_reply(bot: &mut TestBot, update: impl IntoUpdate, what: &str) -> Said {
    let mut said = send(bot, update).await;
    assert_eq!(said.len(), 1, "{what}: {said:#?}");
    said.remove(0)
}

/// A press on `button` under `message`, by `user`.
fn press(user: u64, message: &Said, button: &str) -> MockCallbackQuery {
    MockCallbackQuery::new()
        .data(button)
        .from(MockUser::new().id(user).build())
        .message(message.message.clone())
}

/// The cities `/subscriptions` says the chat is subscribed to.
fn subscribed(reply: &Said) -> Vec<String> {
    if reply.text.starts_with("您还没有订阅任何城市") {
        return Vec::new();
    }
    // One line a subscription: `• 湛江：每条推送`.
    let cities: Vec<String> = reply
        .text
        .lines()
        .filter_map(|line| line.strip_prefix("• "))
        .filter_map(|line| line.split_once('：'))
        .map(|(city, _)| city.to_string())
        .collect();
    assert!(
        !cities.is_empty(),
        "not a list of subscriptions: {}",
        reply.text
    );
    cities
}

/// No article list: no item, no 全文 button, no page buttons.
fn assert_no_search(said: &Said, what: &str) {
    assert!(
        said.buttons
            .iter()
            .all(|(_, data)| data.starts_with("u:") || data.starts_with("x:")),
        "{what}: {:?}",
        said.buttons
    );
    for listed in ["编号", "相关报道：", "1. "] {
        assert!(!said.text.contains(listed), "{what}: {}", said.text);
    }
}

#[tokio::test]
async fn a_wish_in_words_offers_a_button_naming_the_city_that_subscribes_as_the_command_does() {
    let world = TestWorld::new("gd-wish-subscribe");
    let mut bot = new_bot(&world, private(MEMBER, "/start"));
    let offer = one_reply(
        &mut bot,
        private(MEMBER, "湛江有新消息提醒我一下"),
        "the wish",
    )
    .await;
    assert_no_search(&offer, "the wish");
    assert_eq!(
        offer
            .buttons
            .iter()
            .map(|b| b.0.as_str())
            .collect::<Vec<_>>(),
        ["订阅湛江"],
        "{offer:#?}"
    );
    assert!(offer.text.contains("/subscribe 湛江"), "{}", offer.text);
    let button = offer.buttons[0].1.clone();
    assert!(button.starts_with("u:"), "{button}");

    // Nothing is subscribed until the button is pressed.
    let before = one_reply(&mut bot, private(MEMBER, "/subscriptions"), "before").await;
    assert!(subscribed(&before).is_empty(), "{}", before.text);

    let pressed = one_reply(&mut bot, press(MEMBER, &offer, &button), "the press").await;
    assert_eq!(bot.get_responses().answered_callback_queries.len(), 1);
    // The command typed in a chat of its own says the very same.
    let typed = one_reply(&mut bot, private(OTHER, "/subscribe 湛江"), "the command").await;
    assert!(typed.text.contains("已订阅湛江"), "{}", typed.text);
    assert_eq!(pressed.text, typed.text);
    assert_eq!(pressed.html, typed.html);

    let listed = one_reply(&mut bot, private(MEMBER, "/subscriptions"), "after").await;
    assert_eq!(subscribed(&listed), ["湛江"], "{}", listed.text);
    // Subscribed as by the command: typing it now finds it done, and a
    // second press says the same.
    let again = one_reply(&mut bot, private(MEMBER, "/subscribe 湛江"), "again").await;
    assert!(again.text.contains("已经订阅了湛江"), "{}", again.text);
    let pressed_again =
        one_reply(&mut bot, press(MEMBER, &offer, &button), "the second press").await;
    assert_eq!(pressed_again.text, again.text);
}

#[tokio::test]
async fn an_unsubscribe_wish_in_cantonese_offers_a_button_that_unsubscribes() {
    let world = TestWorld::new("gd-wish-unsubscribe");
    let mut bot = new_bot(&world, private(MEMBER, "/subscribe 湛江"));
    bot.dispatch().await;
    let stop = one_reply(
        &mut bot,
        private(MEMBER, "唔好再发湛江嘅新闻畀我"),
        "the wish",
    )
    .await;
    assert_no_search(&stop, "the wish");
    assert_eq!(
        stop.buttons
            .iter()
            .map(|b| b.0.as_str())
            .collect::<Vec<_>>(),
        ["退订湛江"],
        "{stop:#?}"
    );
    let button = stop.buttons[0].1.clone();
    assert!(button.starts_with("x:"), "{button}");

    let pressed = one_reply(&mut bot, press(MEMBER, &stop, &button), "the press").await;
    assert!(pressed.text.contains("已取消订阅湛江"), "{}", pressed.text);
    let listed = one_reply(&mut bot, private(MEMBER, "/subscriptions"), "after").await;
    assert!(subscribed(&listed).is_empty(), "{}", listed.text);
    // As the command would: unsubscribing again says there is nothing to stop.
    let typed = one_reply(
        &mut bot,
        private(MEMBER, "/unsubscribe 湛江"),
        "the command",
    )
    .await;
    let pressed_again = one_reply(&mut bot, press(MEMBER, &stop, &button), "again").await;
    assert_eq!(pressed_again.text, typed.text);
    // And once nothing is subscribed, the wish offers nothing to press.
    let nothing = one_reply(
        &mut bot,
        private(MEMBER, "唔好再发湛江嘅新闻畀我啦"),
        "the wish again",
    )
    .await;
    assert!(nothing.buttons.is_empty(), "{nothing:#?}");
    assert!(nothing.text.contains("没有订阅湛江"), "{}", nothing.text);
}

#[tokio::test]
async fn a_wish_naming_a_town_several_places_share_offers_the_city_the_archive_has() {
    let world = TestWorld::new("gd-wish-ambiguous");
    let mut bot = new_bot(&world, private(MEMBER, "/start"));
    let city = one_reply(&mut bot, private(MEMBER, "/city 新塘"), "/city").await;
    assert!(city.text.contains("新塘所在的广州市"), "{}", city.text);
    for (wish, label) in [
        ("新塘有新消息提醒我一下", "订阅广州"),
        ("长安有新消息提醒我", "订阅东莞"),
    ] {
        let offer = one_reply(&mut bot, private(MEMBER, wish), wish).await;
        assert_no_search(&offer, wish);
        assert_eq!(
            offer
                .buttons
                .iter()
                .map(|b| b.0.as_str())
                .collect::<Vec<_>>(),
            [label],
            "{offer:#?}"
        );
    }
}

#[test]
fn subscribe_to_a_town_several_places_share_settles_it_as_city_does() {
    let world = TestWorld::new("gd-subscribe-ambiguous");
    let city = world.ask_plain("/city 新塘");
    assert!(city.contains("新塘所在的广州市"), "{city}");
    let plain = world.ask_plain("/subscribe 新塘");
    assert!(!plain.contains("有好几个地方"), "{plain}");
    assert!(plain.contains("已订阅广州"), "{plain}");
}

#[tokio::test]
async fn small_talk_in_cantonese_and_shorthand_gets_a_friendly_reply_with_examples() {
    let world = TestWorld::new("gd-small-talk");
    let mut bot = new_bot(&world, private(MEMBER, "/start"));
    let cases = [
        ("早晨呀各位", "您好"),
        ("唔该晒", "不客气"),
        ("ty", "不客气"),
        ("呢个机器人点玩", "直接发问题"),
        ("你蠢唔蠢啊", "抱歉，没帮上忙"),
    ];
    for (message, opening) in cases {
        let reply = one_reply(&mut bot, private(MEMBER, message), message).await;
        assert!(reply.text.starts_with(opening), "{message}: {}", reply.text);
        assert!(
            reply.text.contains("可以这样问我"),
            "{message}: {}",
            reply.text
        );
        assert!(
            reply.text.contains("外卖骑手 入会"),
            "{message}: {}",
            reply.text
        );
        assert_no_search(&reply, message);
        assert!(reply.buttons.is_empty(), "{message}: {:?}", reply.buttons);
        assert!(
            !reply.text.contains("没有找到"),
            "{message}: {}",
            reply.text
        );
    }
}

/// Question words and particles, Cantonese and Mandarin: never a topic.
const QUESTION_WORDS: [&str; 24] = [
    "几多", "多少", "几时", "几耐", "边个", "边度", "点样", "点解", "有冇", "系咪", "乜嘢", "咩",
    "㗎", "嘅", "咗", "啊", "呀", "啦", "吗", "呢", "什么", "怎么", "哪里", "谁",
];

/// The lines of a reply that name what was not found.
fn not_found_lines(plain: &str) -> Vec<&str> {
    plain
        .lines()
        .filter(|l| l.contains("没有找到") || l.contains("未找到") || l.contains("没有出现过"))
        .collect()
}

fn assert_no_question_word_missing(question: &str, reply: &Reply) {
    let plain = to_plain(reply);
    for line in not_found_lines(&plain) {
        // Only what a line quotes or lists is named as not found.
        let named = line
            .split_once("未找到：")
            .map(|(_, rest)| rest.split('（').next().unwrap_or(rest).to_string())
            .unwrap_or_else(|| {
                line.split('「')
                    .skip(1)
                    .filter_map(|q| q.split('」').next())
                    .collect::<Vec<_>>()
                    .join("、")
            });
        for word in QUESTION_WORDS {
            assert!(
                !named.contains(word),
                "{question}: 「{word}」 named as not found: {line}\n{plain}"
            );
        }
    }
}

#[test]
fn cantonese_questions_name_their_place_and_topic_and_find_the_right_article_first() {
    let world = TestWorld::new("gd-cantonese-questions");
    // (question, place in the heading, first title, the figure answered)
    let cases = [
        (
            "湛江劳模免费体检 每人标准提高到几多钱？",
            "在湛江",
            "为120名劳模",
            "1200元",
        ),
        (
            "番禺啲外卖仔集中入会 一共几多人入咗？",
            "在番禺",
            "外卖骑手集中入会",
            "326名",
        ),
        (
            "吴川而家总共有几多间户外劳动者爱心驿站",
            "在吴川",
            "户外劳动者爱心驿站",
            "41家",
        ),
        (
            "新会陈啤比赛冠军5分钟开咗几多个皮",
            "在新会",
            "陈皮炮制职工技能竞赛",
            "42个",
        ),
        (
            "汕尾市总工会主席叫咩名",
            "在汕尾",
            "找准工会工作切入点",
            "李惠文",
        ),
    ];
    for (n, (question, place, first, figure)) in cases.into_iter().enumerate() {
        // Each from a member of their own: no question is read as a
        // follow-up of the one before.
        let sender = Sender::member(500 + n as i64, Some(500 + n as i64));
        let reply = world.ask_as(&sender, question);
        let plain = to_plain(&reply);
        render_checked(&reply).unwrap_or_else(|e| panic!("{question}: {e}"));
        assert!(
            titles(&reply).first().is_some_and(|t| t.contains(first)),
            "{question}: {:?}\n{plain}",
            titles(&reply)
        );
        let heading = plain
            .lines()
            .find(|l| l.contains("篇相关报道"))
            .unwrap_or_else(|| panic!("{question}: no results heading\n{plain}"));
        assert!(heading.starts_with(place), "{question}: {heading}");
        assert!(plain.contains(figure), "{question}: {plain}");
        assert!(not_found_lines(&plain).is_empty(), "{question}: {plain}");
    }
}

#[test]
fn a_cantonese_question_about_the_port_names_zhanjiang_as_its_place() {
    let world = TestWorld::new("gd-port-question");
    let reply = world.ask("湛江港口门机司机技能比武有几多个司机参加");
    let plain = to_plain(&reply);
    assert!(
        titles(&reply)
            .first()
            .is_some_and(|t| t.contains("门机司机技能比武")),
        "{plain}"
    );
    assert!(plain.contains("48名"), "{plain}");
    assert!(not_found_lines(&plain).is_empty(), "{plain}");
    assert!(plain.contains("在湛江的报道中"), "{plain}");
}

#[test]
fn no_reply_names_a_question_word_or_particle_as_not_found() {
    let world = TestWorld::new("gd-question-words");
    let questions = [
        "湛江几多人参加送清凉",
        "湛江有冇送清凉啊",
        "东莞职工乒乓球比赛边个攞咗冠军",
        "江门职工足球赛决赛结果点样",
        "湛江工会中秋节送月饼慰问环卫工",
        "佛山工会职工集体婚礼几时报名",
        "汕头今年新建几多家职工书屋",
        "三八节女职工插花活动喺边度搞",
        "梅州工会帮农民工讨薪系咪真㗎",
        "东莞工会冬季疗修养第一批去咗几多人 去几多日",
    ];
    for (n, question) in questions.into_iter().enumerate() {
        let sender = Sender::member(1000 + n as i64, Some(1000 + n as i64));
        let reply = world.ask_as(&sender, question);
        render_checked(&reply).unwrap_or_else(|e| panic!("{question}: {e}"));
        assert_no_question_word_missing(question, &reply);
    }
    // The one the brief names: the place kept, the topic named, never 几多.
    let plain = world.ask_plain("湛江几多人参加送清凉");
    assert!(plain.contains("湛江"), "{plain}");
    assert!(plain.contains("「送清凉」"), "{plain}");
}

#[test]
fn a_rights_question_lists_no_articles_and_gives_the_national_hotline() {
    let world = TestWorld::new("gd-rights-default");
    for question in [
        "公司无端端炒咗我 有冇赔偿㗎",
        "我老细拖咗我两个月人工 点样先可以攞返？",
    ] {
        let reply = world.ask(question);
        let plain = to_plain(&reply);
        render_checked(&reply).unwrap_or_else(|e| panic!("{question}: {e}"));
        assert!(reply.listed.is_empty(), "{question}: {plain}");
        assert!(reply.pages.is_none(), "{question}: {plain}");
        assert!(plain.contains("12351"), "{question}: {plain}");
    }
}

#[test]
fn with_union_hotline_set_the_bot_gives_that_line_for_a_rights_question() {
    const HOTLINE: &str = "020-83888123";
    let dir = tempfile::tempdir().expect("temp dir");
    let api = FakeApi::start();
    let bot = start_bot_with(
        &dir.path().join("data"),
        &api,
        crate::world::ADMIN,
        &dir.path().join("bot.log"),
        &[("UNION_HOTLINE", HOTLINE)],
    );
    let asked = api.message(MEMBER, "公司无端端炒咗我 有冇赔偿㗎");
    let answered = api.wait_for(Duration::from_secs(60), |api| api.reply_to(asked).is_some());
    if !answered {
        let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap_or_default();
        panic!("no answer within 60 s; bot log:\n{log}");
    }
    let reply = api.reply_to(asked).expect("answered");
    visible_text(&reply.text).unwrap_or_else(|e| panic!("{e}: {}", reply.text));
    assert!(reply.text.contains(HOTLINE), "{}", reply.text);
    assert!(!reply.text.contains("12351"), "{}", reply.text);
    assert!(!reply.text.contains("编号"), "{}", reply.text);
    // No articles, so no 全文 buttons: only the offer to ask a person.
    let offered = reply.markup.to_string();
    assert!(
        offered.contains("留言给工会") && !offered.contains("\"a:"),
        "{offered}"
    );
    stop_bot(bot);
}

#[test]
fn a_follow_up_with_a_place_and_a_fact_keeps_the_topic_and_says_how_it_was_read() {
    let world = TestWorld::new("gd-follow-ups");
    // (first question, follow-up, first title, the figure answered)
    let cases = [
        (
            "佛山职工技能比赛",
            "那湛江呢 几多人参加",
            "门机司机技能比武",
            "48名",
        ),
        (
            "番禺外卖骑手入会",
            "那韶关呢 几多人入咗会",
            "新就业形态劳动者",
            "2900余人",
        ),
        (
            "东莞职工疗休养",
            "那云浮呢 有几多人参加",
            "职工乡村疗休养",
            "50余人",
        ),
    ];
    for (n, (first, follow_up, title, figure)) in cases.into_iter().enumerate() {
        let asker = Sender::member(2000 + n as i64, Some(2000 + n as i64));
        let before = world.ask_as(&asker, first);
        assert!(
            !titles(&before).is_empty(),
            "{first}: {}",
            to_plain(&before)
        );
        let reply = world.ask_as(&asker, follow_up);
        let plain = to_plain(&reply);
        render_checked(&reply).unwrap_or_else(|e| panic!("{follow_up}: {e}"));
        let how = plain
            .lines()
            .find(|l| l.contains("接着上一个问题"))
            .unwrap_or_else(|| panic!("{first} → {follow_up}: not read as a follow-up\n{plain}"));
        // The rewritten question names the new place and keeps the topic.
        let place: String = follow_up.chars().skip(1).take(2).collect();
        assert!(how.contains(&place), "{follow_up}: {how}");
        assert!(
            titles(&reply).first().is_some_and(|t| t.contains(title)),
            "{first} → {follow_up}: {:?}\n{plain}",
            titles(&reply)
        );
        assert!(plain.contains(figure), "{first} → {follow_up}: {plain}");
        assert_no_question_word_missing(follow_up, &reply);
    }
    // The brief's own pair: nothing on 体检 in 东莞, but the question is
    // still read against the one before.
    let asker = Sender::member(2100, Some(2100));
    world.ask_as(&asker, "湛江劳模免费体检");
    let plain = to_plain(&world.ask_as(&asker, "那东莞呢 几多人参加"));
    let how = plain
        .lines()
        .find(|l| l.contains("接着上一个问题"))
        .unwrap_or_else(|| panic!("not read as a follow-up\n{plain}"));
    assert!(how.contains("东莞") && how.contains("劳模"), "{how}");
}

#[test]
fn a_cantonese_follow_up_opening_with_gam_is_read_as_one() {
    let world = TestWorld::new("gd-follow-up-gam");
    let asker = Sender::member(2200, Some(2200));
    world.ask_as(&asker, "东莞职工疗休养");
    let reply = world.ask_as(&asker, "咁云浮呢 有几多人参加");
    let plain = to_plain(&reply);
    assert!(plain.contains("接着上一个问题"), "{plain}");
    assert!(plain.contains("在云浮的报道中"), "{plain}");
    assert!(plain.contains("50余人"), "{plain}");
}

#[test]
fn city_of_a_town_several_places_share_lists_the_one_the_archive_has() {
    // With nothing stored, 新塘 is several places.
    let empty = TestWorld::empty("gd-city-ambiguous-empty");
    let plain = empty.ask_plain("/city 新塘");
    assert!(plain.contains("有好几个地方"), "{plain}");

    let world = TestWorld::new("gd-city-ambiguous");
    let reply = world.ask("/city 新塘");
    let plain = to_plain(&reply);
    render_checked(&reply).unwrap_or_else(|e| panic!("{e}"));
    assert!(!plain.contains("有好几个地方"), "{plain}");
    assert!(plain.contains("新塘所在的广州市"), "{plain}");
    assert!(
        titles(&reply)
            .first()
            .is_some_and(|t| t.contains("牛仔服装企业劳资纠纷")),
        "{:?}\n{plain}",
        titles(&reply)
    );
}
