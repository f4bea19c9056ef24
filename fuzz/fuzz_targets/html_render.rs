//! Any reply the desk could build, with any text in any field: every message
//! `to_html` renders is valid Telegram HTML within the length limit, and the
//! text a reply carries is not lost (each field's characters appear, in
//! order, across the messages).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use union_news_bot::article::ArticleId;
use union_news_bot::reply::{Block, FullArticle, Item, Reply};
use union_news_testkit::telegram_html::render_checked;

/// A block of a reply, as the fuzzer builds it.
#[derive(Debug, Arbitrary)]
enum AnyBlock {
    Heading(String),
    Text(String),
    Hint(String),
    Answer(String, String),
    Item {
        rank: u16,
        title: String,
        summary: String,
        source: String,
        why: Option<String>,
        link: Option<String>,
    },
    Full {
        title_lines: Vec<String>,
        paragraphs: Vec<String>,
        source: String,
        link: Option<String>,
    },
    /// A long run of one piece, to reach the splitting paths.
    Repeated(String, u16),
}

fn id() -> ArticleId {
    ArticleId::parse("1a2b3c4d").expect("a valid id")
}

impl AnyBlock {
    fn into_block(self) -> Block {
        match self {
            AnyBlock::Heading(text) => Block::Heading(text),
            AnyBlock::Text(text) => Block::Text(text),
            AnyBlock::Hint(text) => Block::Hint(text),
            AnyBlock::Answer(sentence, title) => Block::Answer {
                sentence,
                title,
                id: id(),
            },
            AnyBlock::Item {
                rank,
                title,
                summary,
                source,
                why,
                link,
            } => Block::Item(Item {
                rank: usize::from(rank),
                id: id(),
                title,
                summary,
                source,
                why,
                link,
            }),
            AnyBlock::Full {
                title_lines,
                paragraphs,
                source,
                link,
            } => Block::Full(FullArticle {
                id: id(),
                title_lines,
                paragraphs,
                source,
                link,
            }),
            AnyBlock::Repeated(piece, times) => {
                let piece: String = piece.chars().take(8).collect();
                Block::Text(piece.repeat(usize::from(times % 6000)))
            }
        }
    }
}

/// The characters of `text` the renderer must keep: not whitespace (which
/// it may fold or move to a split) and not control characters (dropped).
fn kept(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
}

fuzz_target!(|blocks: Vec<AnyBlock>| {
    let reply = Reply {
        blocks: blocks.into_iter().map(AnyBlock::into_block).collect(),
        ..Default::default()
    };
    let visible = match render_checked(&reply) {
        Ok(visible) => visible,
        // A reply with nothing visible at all may render as nothing.
        Err(_) if reply.blocks.is_empty() => return,
        Err(e) => panic!("{e}"),
    };
    let all: String = visible.concat();
    let mut shown = kept(&all);
    for block in &reply.blocks {
        let texts: Vec<&str> = match block {
            Block::Heading(t) | Block::Text(t) | Block::Hint(t) => vec![t],
            Block::Full(full) => full.paragraphs.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for text in texts {
            for c in kept(text) {
                assert!(
                    shown.any(|s| s == c),
                    "{c:?} of {text:?} is missing or out of order"
                );
            }
        }
    }
});
