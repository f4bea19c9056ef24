//! Whatever a reply holds, every message `to_html` renders is Telegram HTML
//! that Telegram accepts, within its limit, and together the messages keep
//! every piece of text the reply had.

use proptest::prelude::*;
use union_news_bot::article::ArticleId;
use union_news_bot::reply::{Block, FullArticle, Item, Reply, TELEGRAM_MESSAGE_LIMIT};
use union_news_testkit::telegram_html::{render_checked, visible_text};

/// Renders a reply and checks every message, returning their visible texts.
pub(crate) fn render_valid(reply: &Reply) -> Vec<String> {
    render_checked(reply).unwrap_or_else(|e| panic!("{e}"))
}

/// Text as the renderer keeps it: control characters other than newline and
/// tab dropped.
fn kept(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Text with each run of whitespace made one newline (if it had one) or one
/// space, so that where lines and words part can be compared.
fn parted(text: &str) -> String {
    let mut out = String::new();
    let mut run: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            run = Some(if c == '\n' || run == Some('\n') {
                '\n'
            } else {
                ' '
            });
        } else {
            out.extend(run.take());
            out.push(c);
        }
    }
    out.extend(run);
    out
}

/// The texts a block shows, in the order it shows them.
fn texts(block: &Block) -> Vec<&str> {
    match block {
        Block::Heading(text) | Block::Text(text) | Block::Hint(text) => vec![text],
        Block::Answer {
            sentence, title, ..
        } => vec![sentence, title],
        Block::Struck { text, note } => vec![text, note],
        Block::Item(item) => {
            let mut texts = vec![item.title.as_str(), &item.summary, &item.source];
            texts.extend(item.why.as_deref());
            texts
        }
        Block::Full(full) => full
            .title_lines
            .iter()
            .chain(&full.paragraphs)
            .chain([&full.source])
            .map(String::as_str)
            // A web address is shown as a link labelled 原文链接.
            .chain(
                full.link
                    .as_deref()
                    .filter(|l| l.starts_with("http"))
                    .map(|_| "原文链接"),
            )
            .collect(),
    }
}

/// Asserts that every text of the reply shows, whole and in order, in the
/// visible text of the messages (whitespace aside, which splitting may trim).
fn assert_nothing_lost(reply: &Reply, visible: &[String]) {
    let all = without_whitespace(&visible.concat());
    let mut from = 0;
    for (n, block) in reply.blocks.iter().enumerate() {
        for text in texts(block) {
            let wanted = without_whitespace(&kept(text));
            match all[from..].find(&wanted) {
                Some(at) => from += at + wanted.len(),
                None => panic!(
                    "block {n} lost text {:?} ({} chars)",
                    wanted.chars().take(80).collect::<String>(),
                    wanted.chars().count()
                ),
            }
        }
    }
}

/// Asserts that the messages of a reply of plain text blocks are those texts
/// cut into consecutive parts, with words and lines still apart: only the
/// whitespace where one message ends and the next begins may go.
fn assert_split_losslessly(reply: &Reply, visible: &[String]) {
    let texts: Vec<String> = reply
        .blocks
        .iter()
        .flat_map(texts)
        .map(|t| parted(&kept(t)))
        .collect();
    let expected = parted(&texts.join("\n\n"));
    let mut rest = expected.trim_start();
    for (n, message) in visible.iter().enumerate() {
        let message = parted(message);
        let message = message.trim();
        match rest.strip_prefix(message) {
            Some(after) => rest = after.trim_start(),
            None => panic!(
                "message {n} is not the next part of the text\nmessage: {:?}\nexpected: {:?}",
                message.chars().take(120).collect::<String>(),
                rest.chars().take(120).collect::<String>()
            ),
        }
    }
    assert!(
        rest.is_empty(),
        "text left unsent: {:?}",
        rest.chars().take(120).collect::<String>()
    );
}

#[test]
fn the_validator_rejects_what_telegram_rejects_and_accepts_what_it_accepts() {
    let too_long = "字".repeat(TELEGRAM_MESSAGE_LIMIT + 1);
    let rejected = [
        "",
        " \n ",
        "<b> </b>",
        "a & b",
        "&nbsp;",
        "a < b",
        "a > b",
        "<x>y</x>",
        "<b>y",
        "y</b>",
        "<b><i>y</b></i>",
        "<a>y</a>",
        "<b class=\"x\">y</b>",
        "<code><b>y</b></code>",
        "<a href=\"x\"><a href=\"y\">z</a></a>",
        "bell\u{7}",
        "escape\u{1b}",
        "return\r",
        &too_long,
    ];
    for message in rejected {
        assert!(
            visible_text(message).is_err(),
            "accepted {:?}",
            message.chars().take(40).collect::<String>()
        );
    }
    let accepted = [
        ("y", "y"),
        ("&lt;b&gt;&amp;amp;&quot;", "<b>&amp;\""),
        ("&#60;&#x3E;", "<>"),
        ("<b>y</b>\n<i>z</i>\t", "y\nz\t"),
        ("<a href=\"https://t.me\">y</a>", "y"),
        ("<pre><code class=\"language-rust\">y</code></pre>", "y"),
        (
            "<blockquote expandable><b><tg-spoiler>y</tg-spoiler></b></blockquote>",
            "y",
        ),
        ("😀\u{200b}\u{202e}", "😀\u{200b}\u{202e}"),
    ];
    for (message, visible) in accepted {
        assert_eq!(visible_text(message).as_deref(), Ok(visible), "{message:?}");
    }
    let at_limit = "😀".repeat(TELEGRAM_MESSAGE_LIMIT / 2);
    assert!(visible_text(&at_limit).is_ok(), "a message at the limit");
    assert!(
        visible_text(&format!("{at_limit}a")).is_err(),
        "over by one unit"
    );
}

// ---------------------------------------------------------------------------
// Hostile replies.
// ---------------------------------------------------------------------------

/// Pieces of text that have broken HTML renderers.
const HOSTILE: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&#60;",
    "&unknown;",
    "\"",
    "'",
    "</a>",
    "<b>",
    "</b>",
    "<a href=\"https://example.com\">",
    "<i>x</i>",
    "<!--",
    "]]>",
    "😀",
    "👨‍👩‍👧",
    "🇨🇳",
    "𠀀",
    "𝕏",
    "工会",
    "职工",
    "湛江",
    "工会为职工办实事",
    "。",
    "！",
    "？",
    "；",
    "!",
    "?",
    ";",
    "”",
    "」",
    ")",
    "，",
    "、",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{9f}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{200e}",
    "\u{200f}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\u{2028}",
    "\u{3000}",
    "\u{fffd}",
    "word",
    "Telegram",
];

/// The piece of text a random number stands for: mostly a hostile piece,
/// else a CJK character, a Latin word or any character at all. Numbers are
/// far cheaper to generate and shrink than strings; 0 shrinks to `<`.
fn piece(n: u32) -> String {
    let (kind, rest) = (n % 8, n / 8);
    match kind {
        0..=3 => HOSTILE[rest as usize % HOSTILE.len()].to_string(),
        4 => {
            char::from_u32(0x4e00 + rest % (0x9fa5 - 0x4e00)).map_or_else(String::new, String::from)
        }
        5 => (0..=rest % 10)
            .map(|i| char::from(b'a' + ((rest >> i) % 26) as u8))
            .collect(),
        _ => char::from_u32(rest % 0x11_0000).map_or_else(String::new, String::from),
    }
}

/// Text of random pieces, as many as `count` allows.
fn pieces(count: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u32>(), count)
        .prop_map(|ns| ns.into_iter().map(piece).collect())
}

/// Long text with no punctuation or line break to split at.
fn unbroken() -> impl Strategy<Value = String> {
    let unit = proptest::sample::select(&["字", "a", "😀", "&", "<", "&amp;", "\u{200b}", " "][..]);
    (unit, 1_000..20_000usize).prop_map(|(unit, n)| unit.repeat(n))
}

/// Any text a field may hold, from empty to about 20,000 characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        24 => pieces(0..24),
        4 => pieces(100..1_000),
        1 => unbroken(),
        // Long text with punctuation and line breaks: a random text repeated.
        1 => (pieces(1..24), 100..1_000usize)
            .prop_map(|(text, n)| text.repeat(n).chars().take(20_000).collect()),
    ]
}

fn id() -> ArticleId {
    ArticleId::parse("1a2b3c4d").expect("a valid id")
}

fn item() -> impl Strategy<Value = Block> {
    (
        0..100_000usize,
        text(),
        text(),
        text(),
        proptest::option::of(text()),
        proptest::option::of(link()),
    )
        .prop_map(|(rank, title, summary, source, why, link)| {
            Block::Item(Item {
                rank,
                id: id(),
                title,
                summary,
                source,
                why,
                link,
            })
        })
}

fn full() -> impl Strategy<Value = Block> {
    (
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec(text(), 0..30),
        text(),
        proptest::option::of(link()),
    )
        .prop_map(|(title_lines, paragraphs, source, link)| {
            Block::Full(FullArticle {
                id: id(),
                title_lines,
                paragraphs,
                source,
                link,
            })
        })
}

/// A fetched article's address, with the characters HTML must escape.
fn link() -> impl Strategy<Value = String> {
    "(https?|javascript)://[a-z0-9./?&=<>\"'%#-]{1,120}"
}

/// A block whose text is shown as it is, with no words of ours around it.
fn text_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        text().prop_map(Block::Heading),
        text().prop_map(Block::Text),
        text().prop_map(Block::Hint),
        full(),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => text_block(),
        1 => (text(), text()).prop_map(|(sentence, title)| Block::Answer {
            sentence,
            title,
            id: id(),
        }),
        3 => item(),
    ]
}

fn reply(block: impl Strategy<Value = Block>) -> impl Strategy<Value = Reply> {
    proptest::collection::vec(block, 0..12).prop_map(|blocks| Reply {
        blocks,
        ..Default::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_message_of_any_reply_is_valid_telegram_html_within_the_limit_and_loses_no_text(
        reply in reply(block())
    ) {
        let visible = render_valid(&reply);
        assert_nothing_lost(&reply, &visible);
    }

    #[test]
    fn text_blocks_are_split_into_consecutive_parts_keeping_words_and_lines_apart(
        reply in reply(text_block())
    ) {
        let visible = render_valid(&reply);
        assert_split_losslessly(&reply, &visible);
    }
}

// ---------------------------------------------------------------------------
// The largest replies we expect.
// ---------------------------------------------------------------------------

#[test]
fn a_message_of_a_hundred_thousand_characters_is_split_into_valid_messages_keeping_every_character()
{
    let pattern = "工会<b>&amp;</a>职工 😀 \"𠀀\"\u{200b}\u{202e}word\u{7}。\n";
    let text: String = pattern.chars().cycle().take(100_000).collect();
    assert_eq!(text.chars().count(), 100_000);
    let unbroken = "字".repeat(100_000);
    for text in [text, unbroken] {
        let reply = Reply::text(text.clone());
        let visible = render_valid(&reply);
        assert!(
            visible.len() >= 100_000 / TELEGRAM_MESSAGE_LIMIT,
            "{} messages",
            visible.len()
        );
        assert_eq!(
            without_whitespace(&visible.concat()),
            without_whitespace(&kept(&text))
        );
        assert_split_losslessly(&reply, &visible);
    }
}

#[test]
fn a_full_article_of_fifty_paragraphs_of_two_thousand_characters_keeps_each_paragraph_in_one_message()
 {
    let paragraphs: Vec<String> = (0..50)
        .map(|n| {
            let sentence = format!("第{n}段：工会<为>职工&办实事。");
            sentence.chars().cycle().take(2_000).collect::<String>()
        })
        .collect();
    let reply = Reply {
        blocks: vec![Block::Full(FullArticle {
            id: id(),
            title_lines: vec!["引题".into(), "标题 & <副题>".into()],
            paragraphs: paragraphs.clone(),
            source: "职工报 · 编号 1a2b3c4d".into(),
            link: Some("https://example.org/news?id=1&t=2".into()),
        })],
        ..Default::default()
    };
    let visible = render_valid(&reply);
    assert!(visible.len() >= 25, "{} messages", visible.len());
    for (n, paragraph) in paragraphs.iter().enumerate() {
        let holding = visible.iter().filter(|m| m.contains(paragraph)).count();
        assert_eq!(holding, 1, "paragraph {n} is in {holding} messages whole");
    }
    assert_nothing_lost(&reply, &visible);
    assert_split_losslessly(&reply, &visible);
}

#[test]
fn the_lines_and_words_of_a_long_text_stay_apart_when_it_is_split() {
    let text = (0..2_000)
        .map(|n| format!("Stop! Go on? Yes; line {n}"))
        .collect::<Vec<_>>()
        .join("\n");
    let reply = Reply::text(text.clone());
    let visible = render_valid(&reply);
    assert!(visible.len() >= 2, "{} messages", visible.len());
    assert_split_losslessly(&reply, &visible);
    let words = |text: &str| {
        text.split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(words(&visible.join("\n")), words(&text));
}
