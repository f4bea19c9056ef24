//! What members get back, through the desk over a real store and index.

use crate::world::{TestWorld, titles};
use union_news_bot::reply::{Block, TELEGRAM_MESSAGE_LIMIT, to_html, to_plain};
use union_news_bot::request::Sender;

#[test]
fn the_down_industry_question_finds_the_down_article_first_with_a_summary_naming_it() {
    let world = TestWorld::new(
        "the_down_industry_question_finds_the_down_article_first_with_a_summary_naming_it",
    );
    let reply = world.ask("湛江工会调研了什么行业");
    let first = reply
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Item(item) => Some(item),
            _ => None,
        })
        .expect("a result");
    assert!(first.title.contains("劳模工匠助企行"), "first: {first:?}");
    assert!(first.summary.contains("羽绒"), "summary: {}", first.summary);
    assert!(first.source.contains("誉建业"), "source: {}", first.source);
}

#[test]
fn city_by_district_pinyin_or_full_name_lists_that_citys_newest_first() {
    let world =
        TestWorld::new("city_by_district_pinyin_or_full_name_lists_that_citys_newest_first");
    let expected = titles(&world.ask("/city 湛江"));
    assert!(expected.len() >= 3, "{expected:?}");
    for name in ["/city zhanjiang", "/city 湛江市", "/city 湛江"] {
        let got = titles(&world.ask(name));
        assert_eq!(got, expected, "{name}");
    }
    // A county: its own newest articles first, in a section of their own,
    // then the city's list unchanged.
    let got = titles(&world.ask("/city 吴川"));
    let (own, city) = got.split_at(got.len() - expected.len());
    assert_eq!(city, expected.as_slice(), "/city 吴川");
    assert!(!own.is_empty() && own.len() <= 3, "{own:?}");
    assert!(own.iter().any(|t| t.contains("吴川")), "{own:?}");
    let text = union_news_bot::reply::to_plain(&world.ask("/city 吴川"));
    assert!(text.starts_with("吴川本地的最新报道"), "{text}");
    let reply = world.ask("/city 湛江");
    let dates: Vec<_> = reply
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Item(item) => world.desk.article(&item.id).unwrap().unwrap().sort_date(),
            _ => None,
        })
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(expected[0].contains("海上风电建设者"), "{expected:?}");
}

#[test]
fn a_city_list_does_not_include_articles_that_only_mention_the_city() {
    let world = TestWorld::new("a_city_list_does_not_include_articles_that_only_mention_the_city");
    let reply = world.ask("/city 广州 1");
    let all: Vec<String> = (1..=5)
        .flat_map(|page| titles(&world.ask(&format!("/city 广州 {page}"))))
        .collect();
    assert!(!all.is_empty(), "{reply:?}");
    assert!(!all.iter().any(|t| t.contains("潮州德阳")), "{all:?}");
}

#[test]
fn traditional_characters_find_the_same_article_as_simplified() {
    let world = TestWorld::new("traditional_characters_find_the_same_article_as_simplified");
    for (traditional, simplified) in [
        ("湛江工會調研了什麼行業", "湛江工会调研了什么行业"),
        ("東莞職工年貨節 賣了多少錢", "东莞职工年货节 卖了多少钱"),
    ] {
        assert_eq!(
            titles(&world.ask(traditional)),
            titles(&world.ask(simplified)),
            "{traditional}"
        );
    }
}

#[test]
fn hostile_and_odd_messages_get_a_sensible_reply() {
    let world = TestWorld::new("hostile_and_odd_messages_get_a_sensible_reply");
    let long = "工会".repeat(2500);
    for message in [
        "<b>x</b>&",
        "title:湛江 AND *",
        "\"",
        long.as_str(),
        "",
        "   ",
        "/city",
        "/city 火星",
        "/article",
        "/article zzzz",
        "/article 00000000",
        "/nonsense",
        "😂😂😂",
        "'; DROP TABLE articles; --",
        "(((",
    ] {
        let reply = world.ask(message);
        let messages = to_html(&reply);
        assert!(!messages.is_empty(), "no reply to {message:?}");
        for m in &messages {
            assert!(
                m.encode_utf16().count() <= TELEGRAM_MESSAGE_LIMIT,
                "{message:?}"
            );
            assert!(!m.contains("<b>x</b>"), "unescaped: {m}");
        }
    }
    assert_eq!(
        world.desk.article_count().unwrap(),
        world.desk.stats().unwrap().articles
    );
}

#[test]
fn a_question_about_something_never_covered_says_so() {
    let world = TestWorld::new("a_question_about_something_never_covered_says_so");
    for message in [
        "郑州工会春节慰问农民工",
        "今天天气怎么样",
        "asdfgh 123",
        "工会给职工发购车补贴吗?",
    ] {
        let reply = world.ask(message);
        assert!(titles(&reply).is_empty(), "{message}: {:?}", titles(&reply));
        let plain = world.ask_plain(message);
        assert!(
            plain.contains("没有找到") || plain.contains("还没有") || plain.contains("帮不上忙"),
            "{message}: {plain}"
        );
    }
}

#[test]
fn a_factual_question_is_answered_by_the_sentence_with_the_figure() {
    let world = TestWorld::new("a_factual_question_is_answered_by_the_sentence_with_the_figure");
    let plain = world.ask_plain("湛江劳模体检每个人标准是多少?");
    let answer = plain.lines().next().unwrap_or("");
    assert!(
        answer.starts_with("答") && answer.contains("1200元"),
        "{plain}"
    );
}

#[test]
fn an_article_can_be_read_in_full_by_its_id() {
    let world = TestWorld::new("an_article_can_be_read_in_full_by_its_id");
    let reply = world.ask("外卖骑手 入会");
    let id = reply.listed.first().expect("a result").clone();
    let full = world.ask(&format!("/article {id}"));
    assert!(matches!(full.blocks[0], Block::Full(_)), "{full:?}");
    let upper = world.ask(&format!("/article {}", id.as_str().to_uppercase()));
    assert_eq!(full, upper);
}

#[test]
fn articles_survive_reopening_the_data_folder() {
    let world = TestWorld::new("articles_survive_reopening_the_data_folder");
    let before = titles(&world.ask("外卖骑手 入会"));
    let count = world.desk.article_count().unwrap();
    let reopened = union_news_bot::desk::NewsDesk::open(world.data_dir()).unwrap();
    assert_eq!(reopened.article_count().unwrap(), count);
    assert_eq!(
        titles(&reopened.reply_to(&Sender::member(1, None), "外卖骑手 入会")),
        before
    );
}

#[test]
fn help_lists_every_member_command_and_admins_also_see_theirs() {
    use union_news_bot::commands::COMMANDS;
    let world = TestWorld::new("help_lists_every_member_command");
    let member = world.ask_plain("/help");
    let admin = to_plain(&world.ask_as_admin("/help"));
    for command in &COMMANDS {
        // Each command is a line of its own: `/city 城市 — …`, `/help — …`.
        // Seldom used member commands share one line: `另有：/start /forget`.
        let line = format!("\n/{} ", command.name);
        let listed = |help: &str| {
            help.contains(&line)
                || help.lines().any(|l| {
                    l.strip_prefix("另有：").is_some_and(|more| {
                        more.split(' ').any(|c| c == format!("/{}", command.name))
                    })
                })
        };
        assert!(
            listed(&admin),
            "admin help lacks /{}:\n{admin}",
            command.name
        );
        assert_eq!(
            listed(&member),
            !command.admin_only,
            "member help and /{}:\n{member}",
            command.name
        );
    }
    let hint = world.ask_plain("/frobnicate");
    assert!(
        hint.contains("/frobnicate") && hint.contains("/subscribe 城市"),
        "{hint}"
    );
}

#[test]
fn members_read_commands_work_without_the_slash_but_admin_commands_do_not() {
    let world = TestWorld::new("read_commands_without_slash");
    assert_eq!(world.ask_plain("city 湛江"), world.ask_plain("/city 湛江"));
    assert_eq!(world.ask_plain("帮助"), world.ask_plain("/help"));
    let before = world.desk.article_count().unwrap();
    let as_text = to_plain(&world.ask_as_admin("push # 标题\n\n正文。"));
    assert!(!as_text.contains("新增"), "{as_text}");
    assert_eq!(world.desk.article_count().unwrap(), before);
}

#[test]
fn greetings_thanks_and_help_words_get_a_friendly_reply_not_a_search() {
    let world = TestWorld::new("greetings_get_a_friendly_reply");
    for message in [
        "你好",
        "您好！",
        "在吗",
        "在吗？",
        "谢谢",
        "谢谢啦",
        "你是谁",
        "你是机器人吗",
        "怎么用",
        "怎么用啊",
        "帮助",
        "菜单",
        "help",
        "Hello",
        "早上好",
        "你能干啥",
    ] {
        let reply = world.ask(message);
        let plain = to_plain(&reply);
        assert!(
            reply.listed.is_empty(),
            "{message}: lists articles\n{plain}"
        );
        assert!(!plain.contains("没有找到"), "{message}: {plain}");
        assert!(
            plain.contains("/subscribe"),
            "{message}: no /subscribe\n{plain}"
        );
        assert!(plain.contains("外卖骑手"), "{message}: no example\n{plain}");
        assert!(
            plain.chars().count() < 400,
            "{message}: {} characters",
            plain.chars().count()
        );
    }
    // A question that starts with a greeting is still a question.
    let question = world.ask("你好 我想问下外卖骑手怎么入会");
    assert!(!question.listed.is_empty(), "{}", to_plain(&question));
}

#[test]
fn asking_for_the_news_as_such_lists_the_newest_and_a_stale_archive_says_how_old_it_is() {
    let world = TestWorld::new("news_as_such_lists_the_newest");
    let newest = world.ask("/latest").listed;
    assert_eq!(newest.len(), 5);
    for message in ["最近有什么新闻", "最新消息", "有啥新闻", "最近有啥新鲜事"]
    {
        assert_eq!(world.ask(message).listed, newest, "{message}");
    }
    // The sample archive ends in February 2024: today's news is that old.
    let today = world.ask_plain("今天有什么新闻");
    assert!(
        today.contains("最近没有新报道") && today.contains("2024年2月"),
        "{today}"
    );
    assert_eq!(world.ask("今天有什么新闻").listed, newest);
    // A topic is still searched.
    assert_ne!(world.ask("最近工会有什么活动").listed, newest);
}

#[test]
fn a_single_word_from_an_article_body_finds_that_article_first() {
    let world = TestWorld::new("a_single_body_word_finds_its_article");
    for word in [
        "头盔",
        "腊肠",
        "粤剧",
        "母婴室",
        "问卷调查",
        "焦虑",
        "不锈钢",
        "白切鸡",
    ] {
        let reply = world.ask(word);
        let first = reply
            .listed
            .first()
            .unwrap_or_else(|| panic!("{word}: nothing found\n{}", to_plain(&reply)));
        let article = world.desk.article(first).unwrap().unwrap();
        let text = format!("{}\n{}", article.title.headline, article.body_text());
        assert!(
            text.contains(word),
            "{word}: first is {}",
            article.title.headline
        );
    }
    // A word the archive never uses stays "nothing found".
    assert!(world.ask("围棋").listed.is_empty());
}

#[test]
fn a_question_for_the_total_is_answered_with_the_total_not_the_new_ones() {
    let world = TestWorld::new("the_total_not_the_new_ones");
    let answer = |question: &str| {
        world
            .ask(question)
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Answer { sentence, .. } => Some(sentence.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{question}: no answer line"))
    };
    let cases = [
        ("兴宁一共有多少家职工书屋", "86家"),
        ("吴川现在有多少个爱心驿站", "41家"),
        ("兴宁新建了多少家职工书屋", "12家"),
        ("吴川新增了几家驿站", "15家"),
    ];
    for (question, figure) in cases {
        let sentence = answer(question);
        assert!(sentence.contains(figure), "{question}: {sentence}");
    }
}

#[test]
fn an_everyday_word_that_a_town_is_also_called_is_no_place() {
    let world = TestWorld::new("an_everyday_word_is_no_place");
    let platform = world.ask_plain("广州网约车司机跟平台谈了啥");
    assert!(!platform.contains("平台的报道"), "{platform}");
    assert!(platform.contains("网约车司机"), "{platform}");
    // Names stay places.
    assert!(world.ask_plain("番禺 外卖").contains("在番禺的报道中"));
    assert!(world.ask_plain("虎门 车票").contains("在虎门的报道中"));
}

#[test]
fn a_month_asked_either_way_gives_the_same_list() {
    let world = TestWorld::new("a_month_either_way");
    let a = world.ask("1月份东莞有什么新闻");
    let b = world.ask("东莞1月的新闻");
    assert!(!a.listed.is_empty(), "{}", to_plain(&a));
    assert_eq!(a.listed, b.listed);
    let tickets = world.ask_plain("去年过年没回家今年想回家有车票吗");
    assert!(tickets.contains("车票"), "{tickets}");
    assert!(
        !tickets.contains("去年（"),
        "去年 is no filter here: {tickets}"
    );
}

#[test]
fn a_district_in_a_question_ranks_its_own_articles_first_and_names_it_only_when_there() {
    let world = TestWorld::new("district_in_a_question");
    let reply = world.ask("从化有什么活动");
    let listed = titles(&reply);
    assert!(
        listed.first().is_some_and(|t| t.contains("从化")),
        "{listed:?}"
    );
    // 南沙 has no riders' article; 番禺's (also 广州's) is shown under 广州.
    let text = union_news_bot::reply::to_plain(&world.ask("南沙 外卖骑手"));
    assert!(text.starts_with("在广州的报道中"), "{text}");
    assert!(text.contains("外卖骑手"), "{text}");
}
