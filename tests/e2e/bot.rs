//! The Telegram bot through the real teloxide stack: teloxide_tests' fake
//! Bot API server receives what the bot sends.

use crate::world::{ADMIN, TestBot, TestWorld, buttons, private, serve_gbk_page};
use std::sync::Arc;
use std::time::Duration;
use teloxide::dptree::deps;
use teloxide::types::{ChatId, ParseMode, ReplyMarkup};
use teloxide_tests::{
    MockBot, MockCallbackQuery, MockGroupChat, MockMessageText, MockPrivateChat, MockUser,
};
use union_news_bot::limits::RateLimiter;
use union_news_bot::telegram::schema;

const MEMBER: u64 = 100;
const SUBSCRIBER: u64 = 200;

fn in_group(user: u64, text: &str) -> MockMessageText {
    MockMessageText::new()
        .text(text)
        .from(MockUser::new().id(user).build())
        .chat(MockGroupChat::new().build())
}

fn new_bot(world: &TestWorld, update: MockMessageText) -> TestBot {
    let mut bot = MockBot::new(update, schema());
    bot.dependencies(deps![world.bot()]);
    bot
}

/// Texts the bot sent (as the fake server parsed them) and the raw HTML it sent.
fn sent(bot: &TestBot) -> Vec<(ChatId, String, String)> {
    bot.get_responses()
        .sent_messages_text
        .iter()
        .map(|m| {
            (
                m.message.chat.id,
                m.message.text().unwrap_or("").to_string(),
                m.bot_request.text.clone(),
            )
        })
        .collect()
}

fn button_data(markup: &Option<ReplyMarkup>) -> Vec<String> {
    buttons(markup).into_iter().map(|(_, data)| data).collect()
}

#[tokio::test]
async fn a_private_question_gets_an_html_answer_with_full_text_buttons() {
    let world = TestWorld::new("a_private_question_gets_an_html_answer_with_full_text_buttons");
    let mut bot = new_bot(&world, private(MEMBER, "湛江工会调研了什么行业"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let reply = responses.sent_messages_text.last().expect("a reply");
    assert!(
        reply.message.text().unwrap().contains("劳模工匠助企行"),
        "{:?}",
        reply.message.text()
    );
    assert_eq!(reply.bot_request.parse_mode, Some(ParseMode::Html));
    assert!(
        reply
            .bot_request
            .link_preview_options
            .as_ref()
            .is_some_and(|o| o.is_disabled)
    );
    let buttons = button_data(&reply.bot_request.reply_markup);
    assert!(buttons.iter().any(|b| b.starts_with("a:")), "{buttons:?}");
}

#[tokio::test]
async fn every_member_command_gets_a_reply() {
    let world = TestWorld::new("every_member_command_gets_a_reply");
    let id = world.ask("外卖骑手 入会").listed[0].clone();
    let cases: Vec<(String, &str)> = vec![
        ("/start".into(), "工会新闻助手"),
        ("/help".into(), "/city"),
        ("/city 湛江".into(), "湛江的最新报道"),
        ("/city".into(), "/city 湛江"),
        ("/city 乌有乡".into(), "没有找到名为「乌有乡」"),
        ("/latest".into(), "最新报道"),
        (format!("/article {id}"), "外卖骑手"),
        ("/article".into(), "报道编号"),
        ("/ask 外卖骑手 入会".into(), "外卖骑手"),
        ("/subscribe 湛江".into(), "已订阅湛江"),
        ("/subscriptions".into(), "湛江"),
        ("/unsubscribe 湛江".into(), "已取消订阅湛江"),
        ("/subscribe".into(), "/subscribe 湛江"),
        ("/nonsense".into(), "没有 /nonsense 这个命令"),
    ];
    let mut bot = new_bot(&world, private(MEMBER, "/start"));
    let mut ctx = world.bot();
    ctx.limiter = Arc::new(RateLimiter::new(100, Duration::from_secs(30)));
    bot.dependencies(deps![ctx]);
    for (command, expected) in cases {
        bot.update(private(MEMBER, &command));
        bot.dispatch().await;
        let texts: Vec<String> = sent(&bot).into_iter().map(|(_, text, _)| text).collect();
        assert!(
            texts.iter().any(|t| t.contains(expected)),
            "{command}: {texts:?}"
        );
    }
}

#[tokio::test]
async fn in_groups_the_bot_answers_commands_and_mentions_and_stays_quiet_otherwise() {
    let world =
        TestWorld::new("in_groups_the_bot_answers_commands_and_mentions_and_stays_quiet_otherwise");
    let mut bot = new_bot(&world, in_group(MEMBER, "大家好，今天开会"));
    bot.dispatch().await;
    assert!(sent(&bot).is_empty(), "quiet on chatter");
    for (text, answered) in [
        ("/city 湛江", true),
        ("/city@test_bot 湛江", true),
        ("/city@other_bot 湛江", false),
        ("@test_bot 外卖骑手 入会", true),
        ("外卖骑手 入会", false),
    ] {
        bot.update(in_group(MEMBER, text));
        bot.dispatch().await;
        assert_eq!(!sent(&bot).is_empty(), answered, "{text}");
    }
}

#[tokio::test]
async fn the_next_page_button_edits_the_list_in_place() {
    let world = TestWorld::new("the_next_page_button_edits_the_list_in_place");
    let mut bot = new_bot(&world, private(MEMBER, "/city 广州"));
    bot.dispatch().await;
    let responses = bot.get_responses();
    let list = responses.sent_messages_text.last().expect("a list").clone();
    let buttons = button_data(&list.bot_request.reply_markup);
    let next = buttons
        .iter()
        .find(|b| b.starts_with("c:"))
        .expect("a next-page button")
        .clone();
    assert!(next.len() <= 64);
    bot.update(
        MockCallbackQuery::new()
            .data(next)
            .from(MockUser::new().id(MEMBER).build())
            .message(list.message.clone()),
    );
    bot.dispatch().await;
    let responses = bot.get_responses();
    let edited = responses
        .edited_messages_text
        .last()
        .expect("the list edited");
    assert!(
        edited.message.text().unwrap().contains("第 6"),
        "{:?}",
        edited.message.text()
    );
    assert_eq!(responses.answered_callback_queries.len(), 1);
}

#[tokio::test]
async fn an_admin_push_is_searchable_and_reaches_a_subscriber_exactly_once() {
    let world = TestWorld::new("an_admin_push_is_searchable_and_reaches_a_subscriber_exactly_once");
    let page = "/push\n# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\n";
    let mut bot = new_bot(&world, private(SUBSCRIBER, "/subscribe 湛江"));
    bot.dispatch().await;
    bot.update(private(ADMIN, page));
    bot.dispatch().await;
    let messages = sent(&bot);
    let to_admin: Vec<&String> = messages
        .iter()
        .filter(|m| m.0 == ChatId(ADMIN as i64))
        .map(|m| &m.1)
        .collect();
    assert!(
        to_admin.iter().any(|t| t.contains("新增 1 篇")),
        "{to_admin:?}"
    );
    let to_subscriber: Vec<&String> = messages
        .iter()
        .filter(|m| m.0 == ChatId(SUBSCRIBER as i64))
        .map(|m| &m.1)
        .collect();
    assert_eq!(to_subscriber.len(), 1, "{messages:?}");
    assert!(to_subscriber[0].contains("环卫工人送清凉"));

    bot.update(private(ADMIN, page));
    bot.dispatch().await;
    let messages = sent(&bot);
    assert!(
        messages.iter().any(|m| m.1.contains("已有 1 篇")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.0 == ChatId(SUBSCRIBER as i64)),
        "sent twice: {messages:?}"
    );

    bot.update(private(MEMBER, "环卫工人 送清凉"));
    bot.dispatch().await;
    assert!(sent(&bot).iter().any(|m| m.1.contains("环卫工人送清凉")));
}

#[tokio::test]
async fn a_member_push_is_refused_and_changes_nothing() {
    let world = TestWorld::new("a_member_push_is_refused_and_changes_nothing");
    let before = world.desk.article_count().unwrap();
    let mut bot = new_bot(
        &world,
        private(MEMBER, "/push\n# 假新闻\n\n本报讯 这不应被发布。\n"),
    );
    bot.dispatch().await;
    assert!(sent(&bot).iter().any(|m| m.1.contains("仅限管理员")));
    bot.update(private(MEMBER, "/delete 1a2b3c4d"));
    bot.dispatch().await;
    assert!(sent(&bot).iter().any(|m| m.1.contains("仅限管理员")));
    assert_eq!(world.desk.article_count().unwrap(), before);
}

#[tokio::test]
async fn a_very_long_article_is_sent_in_several_messages_split_at_paragraphs() {
    let world =
        TestWorld::new("a_very_long_article_is_sent_in_several_messages_split_at_paragraphs");
    let paragraph = "湛江市总工会组织职工开展技能培训，提升职工素质。".repeat(40);
    let body: Vec<String> = (0..6).map(|i| format!("第{i}段。{paragraph}")).collect();
    let page = format!("# 湛江职工技能培训长篇报道\n\n{}\n", body.join("\n\n"));
    let id = world
        .desk
        .ingest()
        .text(&page, "test", &Default::default())
        .unwrap()
        .articles[0]
        .id
        .clone();
    let mut bot = new_bot(&world, private(MEMBER, &format!("/article {id}")));
    bot.dispatch().await;
    let messages = sent(&bot);
    assert!(messages.len() >= 2, "{} messages", messages.len());
    for (_, _, html) in &messages {
        assert!(html.encode_utf16().count() <= 4096);
    }
    let all: String = messages
        .iter()
        .map(|m| m.1.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for i in 0..6 {
        assert!(
            all.contains(&format!("第{i}段。{paragraph}")),
            "paragraph {i} kept whole"
        );
    }
}

#[tokio::test]
async fn hostile_text_comes_back_escaped() {
    let world = TestWorld::new("hostile_text_comes_back_escaped");
    let mut bot = new_bot(&world, private(MEMBER, "/city <b>x</b>&</a>"));
    bot.dispatch().await;
    let messages = sent(&bot);
    let (_, _, html) = messages.last().expect("a reply");
    assert!(
        html.contains("「&lt;b&gt;x&lt;/b&gt;&amp;&lt;/a&gt;」"),
        "{html}"
    );
}

#[tokio::test]
async fn a_flood_of_messages_gets_one_polite_wait_then_silence() {
    let world = TestWorld::new("a_flood_of_messages_gets_one_polite_wait_then_silence");
    let mut bot = new_bot(&world, private(MEMBER, "/help"));
    let mut ctx = world.bot();
    ctx.limiter = Arc::new(RateLimiter::new(3, Duration::from_secs(60)));
    bot.dependencies(deps![ctx]);
    let mut replies = Vec::new();
    for _ in 0..6 {
        bot.update(private(MEMBER, "外卖骑手 入会"));
        bot.dispatch().await;
        replies.push(sent(&bot).into_iter().map(|m| m.1).collect::<Vec<_>>());
    }
    assert!(
        replies[..3]
            .iter()
            .all(|r| r.len() == 1 && r[0].contains("外卖骑手")),
        "{replies:?}"
    );
    assert!(replies[3][0].contains("请稍后再试"), "{replies:?}");
    assert!(
        replies[4].is_empty() && replies[5].is_empty(),
        "{replies:?}"
    );
}

#[tokio::test]
async fn an_admin_pushes_a_document_or_a_replied_message() {
    use teloxide_tests::MockMessageDocument;
    let world = TestWorld::new("an_admin_pushes_a_document_or_a_replied_message");
    let admin = || MockUser::new().id(ADMIN).build();
    let admin_chat = || MockPrivateChat::new().id(ADMIN as i64).build();
    // The fake server serves every file as "Hello, world!": no article in it,
    // and the admin is told so (the download path worked).
    let document = MockMessageDocument::new()
        .caption("/push")
        .file_name("page.md")
        .from(admin())
        .chat(admin_chat());
    let mut bot = MockBot::new(document, schema());
    bot.dependencies(deps![world.bot()]);
    bot.dispatch().await;
    assert!(
        sent(&bot)
            .iter()
            .any(|m| m.1.contains("没有从这段文字中识别出报道")),
        "{:?}",
        sent(&bot)
    );

    // A "PDF" that is not one is refused plainly; a spreadsheet is no page.
    let pdf = MockMessageDocument::new()
        .caption("/push")
        .file_name("page.pdf")
        .from(admin())
        .chat(admin_chat());
    bot.update(pdf);
    bot.dispatch().await;
    assert!(
        sent(&bot).iter().any(|m| m.1.contains("这个文件打不开")),
        "{:?}",
        sent(&bot)
    );
    let sheet = MockMessageDocument::new()
        .caption("/push")
        .file_name("名单.xlsx")
        .from(admin())
        .chat(admin_chat());
    bot.update(sheet);
    bot.dispatch().await;
    assert!(
        sent(&bot).iter().any(|m| m.1.contains("Word（.docx）")),
        "{:?}",
        sent(&bot)
    );
    // A file over the limit is refused before it is downloaded, in words
    // an admin reads: the file's size and the limit, in MB.
    let huge = MockMessageDocument::new()
        .caption("/push")
        .file_name("全年汇编.pdf")
        .file_size(25 * 1024 * 1024)
        .from(admin())
        .chat(admin_chat());
    bot.update(huge);
    bot.dispatch().await;
    assert!(
        sent(&bot)
            .iter()
            .any(|m| m.1.contains("这个文件有 25 MB，超过了 20 MB 的上限")),
        "{:?}",
        sent(&bot)
    );

    let page = MockMessageText::new()
        .text("# 吴川市总工会慰问环卫工人\n\n本报讯 8月1日,吴川市总工会慰问一线环卫工人。\n")
        .from(admin())
        .chat(admin_chat())
        .build();
    let push = private(ADMIN, "/push").reply_to_message(Box::new(page));
    bot.update(push);
    bot.dispatch().await;
    assert!(
        sent(&bot)
            .iter()
            .any(|m| m.1.contains("新增 1 篇") && m.1.contains("湛江")),
        "{:?}",
        sent(&bot)
    );
}

#[tokio::test]
async fn a_reply_to_the_bot_in_a_group_is_answered_in_the_same_forum_topic() {
    use teloxide::types::{MessageId, ThreadId};
    use teloxide_tests::MockSupergroupChat;
    let world = TestWorld::new("a_reply_to_the_bot_in_a_group_is_answered_in_the_same_forum_topic");
    let forum = || MockSupergroupChat::new().is_forum(true).build();
    let bot_message = MockMessageText::new()
        .text("湛江的最新报道")
        .from(
            MockUser::new()
                .id(teloxide_tests::MockMe::ID)
                .is_bot(true)
                .build(),
        )
        .chat(forum())
        .build();
    let mut question = MockMessageText::new()
        .text("外卖骑手 入会")
        .from(MockUser::new().id(MEMBER).build())
        .chat(forum())
        .reply_to_message(Box::new(bot_message));
    question.thread_id = Some(ThreadId(MessageId(42)));
    question.is_topic_message = true;
    let mut bot = new_bot(&world, question);
    bot.dispatch().await;
    let responses = bot.get_responses();
    let reply = responses
        .sent_messages_text
        .last()
        .expect("a reply to a reply");
    assert!(reply.message.text().unwrap().contains("外卖骑手"));
    assert_eq!(reply.bot_request.message_thread_id, Some(42));
}

#[tokio::test]
async fn an_admin_pushes_a_link_and_the_page_is_fetched_read_and_kept_as_the_source() {
    use union_news_bot::fetch::FetchPolicy;
    let world = TestWorld::new(
        "an_admin_pushes_a_link_and_the_page_is_fetched_read_and_kept_as_the_source",
    );
    let page = union_news_testkit::documents::html_page(&[
        "遂溪县总工会为环卫工人送清凉",
        "发布日期：2025-07-18 09:30  来源：遂溪县总工会  浏览次数：88",
        "7月17日，遂溪县总工会为全县200余名环卫工人送上绿豆、凉茶和防暑药品。",
        "上一篇：县总工会召开全委会议",
    ]);
    let port = serve_gbk_page(page);
    let url = format!("http://127.0.0.1:{port}/news/2025/0718.html");

    // Without the host allowed, loopback is refused before any connection.
    let mut bot = new_bot(&world, private(ADMIN, &format!("/push {url}")));
    bot.dispatch().await;
    assert!(
        sent(&bot).iter().any(|m| m.1.contains("内网")),
        "{:?}",
        sent(&bot)
    );
    // One mock bot at a time: teloxide_tests serialises them.
    drop(bot);

    let mut ctx = world.bot();
    ctx.fetch_policy = Arc::new(FetchPolicy {
        allowed_hosts: vec![format!("127.0.0.1:{port}")],
        ..FetchPolicy::default()
    });
    let mut bot = MockBot::new(private(ADMIN, &format!("/push 请收录 {url}")), schema());
    bot.dependencies(deps![ctx]);
    bot.dispatch().await;
    let report = sent(&bot);
    assert!(
        report
            .iter()
            .any(|m| m.1.contains("新增：《遂溪县总工会为环卫工人送清凉》")
                && m.1.contains("2025年7月17日")
                && m.1.contains("湛江")
                && m.1.contains(&url)),
        "{report:?}"
    );
    let id = world
        .desk
        .search_ids("遂溪 环卫工人 送清凉", 1)
        .unwrap()
        .pop()
        .expect("the fetched article is searchable");
    let article = world.desk.article(&id).unwrap().unwrap();
    assert_eq!(article.source.link.as_deref(), Some(url.as_str()));
    assert!(
        !article.body_text().contains("上一篇"),
        "{}",
        article.body_text()
    );
    let full = world.ask_plain(&format!("/article {id}"));
    assert!(full.contains(&format!("原文链接：{url}")), "{full}");
}

#[tokio::test]
async fn a_data_url_after_push_is_refused_and_nothing_is_stored() {
    let world = TestWorld::new("a_data_url_after_push_is_refused_and_nothing_is_stored");
    let before = world.desk.stats().unwrap().articles;
    let push = "/push data:text/html,<h1>湛江市总工会慰问环卫工人</h1><p>本报讯 8月1日,湛江市总工会慰问一线环卫工人。</p>";
    let mut bot = new_bot(&world, private(ADMIN, push));
    bot.dispatch().await;
    let replies = sent(&bot);
    assert!(
        replies
            .iter()
            .any(|m| m.1.contains("只能抓取 http 或 https 链接")),
        "{replies:?}"
    );
    assert_eq!(world.desk.stats().unwrap().articles, before);
}
