//! The catalogue of bad inputs: what members and admins may send, and what
//! the bot must do. Every row goes through the real desk over a real store
//! and index; every reply must render to valid Telegram HTML within
//! Telegram's limits, and the archive must be unchanged unless an admin
//! pushed a page.

use crate::html::render_valid;
use crate::world::{TestWorld, titles};
use union_news_bot::reply::to_plain;
use union_news_bot::request::Sender;

/// What a reply must be.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Its text contains this.
    Says(&'static str),
    /// It lists no article (a clear "nothing"/hint reply).
    ListsNothing,
    /// It lists at least one article.
    ListsSome,
}

/// Who sends it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Member,
    Admin,
}

struct Case {
    name: &'static str,
    input: String,
    who: Who,
    expect: Expect,
    /// Articles the archive gains.
    adds: u64,
}

fn case(name: &'static str, input: impl Into<String>, expect: Expect) -> Case {
    Case {
        name,
        input: input.into(),
        who: Who::Member,
        expect,
        adds: 0,
    }
}

fn admin(name: &'static str, input: impl Into<String>, expect: Expect, adds: u64) -> Case {
    Case {
        name,
        input: input.into(),
        who: Who::Admin,
        expect,
        adds,
    }
}

fn catalogue() -> Vec<Case> {
    use Expect::*;
    let page_of = |articles: usize| -> String {
        let mut page = String::from("/push\n---\ndate: 2024-03-01\n---\n");
        for i in 0..articles {
            page.push_str(&format!(
                "# 第{i}号测试报道标题\n\n本报讯 3月1日,测试工会举办第{i}场活动,职工{i}人参加。\n\n"
            ));
        }
        page
    };
    vec![
        case("empty message", "", Says("请发送您想了解的问题")),
        case(
            "only whitespace",
            " \t\n\u{3000} ",
            Says("请发送您想了解的问题"),
        ),
        case("100,000 characters", "工会".repeat(50_000), Says("太长了")),
        case("only emoji", "😀🎉👍", ListsNothing),
        case(
            "control characters",
            "湛江\u{0}\u{7}\u{1b}羽绒\u{8}",
            ListsSome,
        ),
        case(
            "right-to-left text",
            "\u{202e}مرحبا بالعالم\u{202c}",
            ListsNothing,
        ),
        case(
            "HTML markup",
            "<b>湛江</b> <script>alert(1)</script> 羽绒 &amp;",
            ListsSome,
        ),
        case(
            "Markdown markup",
            "**湛江** _羽绒_ [企业](http://x.cn) `调研`",
            ListsSome,
        ),
        case(
            "tantivy query syntax",
            "title:湛江 AND body:羽绒 OR \"x\"~2 +- * ^3",
            ListsSome,
        ),
        case(
            "SQL-looking text",
            "'; DROP TABLE articles; -- 湛江",
            Says("没有找到"),
        ),
        case(
            "SQL-looking text around a question",
            "湛江 羽绒' OR '1'='1",
            ListsSome,
        ),
        case(
            "unbalanced quotes and brackets",
            "“湛江((羽绒】【\"'",
            ListsSome,
        ),
        case("unknown city", "/city 火星市", Says("没有找到名为")),
        case(
            "unknown command",
            "/frobnicate 1",
            Says("没有 /frobnicate 这个命令"),
        ),
        case(
            "not an article id",
            "/article ../../etc/passwd",
            Says("没有找到编号为"),
        ),
        case("a path as a question", "/etc/passwd", ListsNothing),
        case("zero-width joiners", "湛\u{200d}江\u{200b}羽绒", ListsSome),
        case("full-width forms", "ＺＨＡＮＪＩＡＮＧ　羽绒", ListsSome),
        case("member tries to push", page_of(1), Says("仅限管理员")),
        case(
            "member tries to delete",
            "/delete 1a2b3c4d",
            Says("仅限管理员"),
        ),
        admin(
            "plain text with no headline line: kept, its first sentence as headline",
            "/push\n只有正文，没有标题。\n\n第二段。",
            Says("只有正文，没有标题"),
            1,
        ),
        admin(
            "page of only headings",
            "/push\n# 标题一\n\n## 标题二\n\n# 标题三",
            ListsNothing,
            0,
        ),
        // The article under it is kept (with a warning), not lost.
        admin(
            "front matter that never closes",
            "/push\n---\ndate: 2024-03-01\n# 未闭合的标题\n\n正文。",
            Says("新增 1 篇"),
            1,
        ),
        admin(
            "date like 2月30日",
            "/push\n# 二月三十日的报道\n\n本报讯 2月30日,测试工会召开会议。\n",
            Says("二月三十日的报道"),
            1,
        ),
        admin("push with no page", "/push", Says("粘贴文章或版面文字"), 0),
        admin(
            "a page of 10,000 articles",
            page_of(10_000),
            Says("新增 10000 篇"),
            10_000,
        ),
        admin("the same page again", page_of(10_000), Says("已有"), 0),
    ]
}

#[test]
fn every_bad_input_gets_a_clear_answer_and_loses_nothing() {
    let world = TestWorld::new("every_bad_input_gets_a_clear_answer_and_loses_nothing");
    let member = Sender::member(42, Some(42));
    for case in catalogue() {
        let before = world.desk.stats().expect("stats").articles;
        let sender = match case.who {
            Who::Member => member,
            Who::Admin => Sender::admin(1, 1),
        };
        let reply = world.desk.reply_to(&sender, &case.input);
        // Valid HTML within Telegram's limits (checked by the validator).
        render_valid(&reply);
        let text = to_plain(&reply);
        match case.expect {
            Expect::Says(phrase) => {
                assert!(text.contains(phrase), "{}: {text}", case.name)
            }
            Expect::ListsNothing => {
                assert!(
                    reply.listed.is_empty(),
                    "{}: {:?}",
                    case.name,
                    titles(&reply)
                )
            }
            Expect::ListsSome => {
                assert!(!reply.listed.is_empty(), "{}: {text}", case.name)
            }
        }
        let after = world.desk.stats().expect("stats").articles;
        assert_eq!(after - before, case.adds, "{}: articles added", case.name);
    }
}

// ---------------------------------------------------------------------------
// Beyond the catalogue: random messages built from the pieces members and
// admins really type, and from hostile ones. (The nightly `cargo fuzz`
// targets under fuzz/ search the same space by coverage; this runs in CI.)
// ---------------------------------------------------------------------------

mod random {
    use crate::world::TestWorld;
    use proptest::prelude::*;
    use std::sync::OnceLock;
    use teloxide::types::InlineKeyboardButtonKind;
    use union_news_bot::request::Sender;
    use union_news_bot::telegram::callback::{CALLBACK_DATA_LIMIT, Callback, keyboard_for};
    use union_news_testkit::telegram_html::render_checked;

    fn world() -> &'static TestWorld {
        static WORLD: OnceLock<TestWorld> = OnceLock::new();
        WORLD.get_or_init(|| TestWorld::new("bad_inputs"))
    }

    const PIECES: &[&str] = &[
        "湛江",
        "吴川",
        "zhanjiang",
        "東莞",
        "番禺区",
        "工会",
        "外卖骑手",
        "入会",
        "羽绒",
        "多少",
        "哪里",
        "什么时候",
        "上个月",
        "春节前",
        "最近",
        "2024年",
        "1月",
        "第3版",
        "/city ",
        "/latest",
        "/article ",
        "/subscribe ",
        "/unsubscribe ",
        "/push\n",
        "/delete ",
        "/help",
        "/start",
        "/ask ",
        "1a2b3c4d",
        "../../etc/passwd",
        "# ",
        "## ",
        "---\n",
        "<b>",
        "</a>",
        "&amp;",
        "&",
        "<",
        ">",
        "\"",
        "*",
        "_",
        "`",
        "[x](http://x)",
        "title:工会",
        "AND",
        "OR",
        "NOT",
        "+",
        "-",
        "~",
        "^2",
        "\"工会",
        "(",
        ")",
        "{",
        "]",
        "' OR 1=1; --",
        "\u{200b}",
        "\u{202e}",
        "\u{7}",
        "\0",
        "\r\n",
        "\n\n",
        "\t",
        "　",
        "ＡＢＣ１２３",
        "😀",
        "👨‍👩‍👧",
        "𠀀",
        "ﾃｽﾄ",
        "é",
        "本报讯",
        "2月30日",
        "记者 张三",
    ];

    fn message() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::collection::vec(proptest::sample::select(PIECES), 0..12)
                .prop_map(|pieces| pieces.concat()),
            1 => any::<String>(),
            1 => (proptest::sample::select(PIECES), 1..3000usize)
                .prop_map(|(piece, n)| piece.repeat(n)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_message_from_anyone_gets_valid_replies_with_valid_buttons(
            text in message(),
            who in 0..3u8,
        ) {
            let desk = &world().desk;
            let sender = match who {
                0 => Sender::member(42, Some(42)),
                1 => Sender::member(-1001, Some(43)),
                _ => Sender::admin(1, 1),
            };
            let before = desk.stats().expect("stats").articles;
            let reply = desk.reply_to(&sender, &text);
            let visible = render_checked(&reply).map_err(TestCaseError::fail)?;
            prop_assert!(!visible.is_empty());
            let buttons = keyboard_for(&reply, true).map(|k| k.inline_keyboard).unwrap_or_default();
            for button in buttons.iter().flatten() {
                if let InlineKeyboardButtonKind::CallbackData(data) = &button.kind {
                    prop_assert!(data.len() <= CALLBACK_DATA_LIMIT, "{data:?}");
                    prop_assert!(Callback::decode(data).is_some(), "{data:?}");
                }
            }
            if !sender.is_admin {
                prop_assert_eq!(desk.stats().expect("stats").articles, before);
            }
        }
    }
}
