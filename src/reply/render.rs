//! Rendering a [`Reply`] as Telegram HTML messages and as plain text.

use super::text::{ANSWER_LABEL, HINT_LABEL, ID_LABEL, MATCHED_LABEL};
use super::{Block, Reply, TELEGRAM_MESSAGE_LIMIT};

/// Escapes text for Telegram HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters other than newline and tab are dropped:
            // Telegram rejects some of them and none is meant to be shown.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Renders a reply as Telegram HTML messages, each within the limit.
pub fn to_html(reply: &Reply) -> Vec<String> {
    pack(html_pieces(reply), "\n\n", TELEGRAM_MESSAGE_LIMIT)
}

/// Telegram's limit for a photo's caption, in UTF-16 units.
pub const TELEGRAM_CAPTION_LIMIT: usize = 1024;

/// Renders a reply sent under a photo: the caption (its first blocks, within
/// [`TELEGRAM_CAPTION_LIMIT`]; empty when the first block alone is longer)
/// and the rest as messages.
pub fn to_html_with_caption(reply: &Reply) -> (String, Vec<String>) {
    let mut pieces = html_pieces(reply).into_iter().filter(|p| !p.is_empty());
    let mut caption = String::new();
    let mut rest = Vec::new();
    for piece in pieces.by_ref() {
        let joined = if caption.is_empty() {
            utf16_len(&piece)
        } else {
            utf16_len(&caption) + 2 + utf16_len(&piece)
        };
        if joined > TELEGRAM_CAPTION_LIMIT {
            rest.push(piece);
            break;
        }
        if !caption.is_empty() {
            caption.push_str("\n\n");
        }
        caption.push_str(&piece);
    }
    rest.extend(pieces);
    (caption, pack(rest, "\n\n", TELEGRAM_MESSAGE_LIMIT))
}

/// Each block's HTML, a list's one-line entries joined.
fn html_pieces(reply: &Reply) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut after_line = false;
    for block in &reply.blocks {
        let mut own = Vec::new();
        block_html(block, &mut own);
        // A list's one-line entries stay together, one per line.
        let line = is_list_line(block);
        match (after_line && line, own.as_slice(), pieces.last_mut()) {
            (true, [entry], Some(last))
                if utf16_len(last) + utf16_len(entry) < TELEGRAM_MESSAGE_LIMIT =>
            {
                last.push('\n');
                last.push_str(entry);
            }
            _ => pieces.extend(own),
        }
        after_line = line;
    }
    pieces
}

/// True for a list page's entry, shown on one line (no summary).
fn is_list_line(block: &Block) -> bool {
    matches!(block, Block::Item(item) if item.summary.is_empty() && item.why.is_none())
}

/// Renders a reply as plain text for the terminal.
pub fn to_plain(reply: &Reply) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut after_line = false;
    for block in &reply.blocks {
        let line = is_list_line(block);
        let joins = after_line && line;
        after_line = line;
        let text = match block {
            Block::Heading(text) | Block::Text(text) => text.clone(),
            Block::Hint(text) => format!("{HINT_LABEL}{text}"),
            Block::Answer {
                sentence,
                title,
                id,
            } => format!("{ANSWER_LABEL}{sentence}\n  ——《{title}》（{ID_LABEL} {id}）"),
            block @ Block::Item(item) if is_list_line(block) => {
                format!("{}. {}（{}）", item.rank, item.title, item.source)
            }
            Block::Item(item) => {
                let mut s = format!(
                    "{}. {}\n   {}\n   {}",
                    item.rank, item.title, item.summary, item.source
                );
                if let Some(why) = &item.why {
                    s.push_str(&format!("\n   {MATCHED_LABEL}{why}"));
                }
                if let Some(link) = shown_link(item.link.as_deref()) {
                    s.push_str(&format!("\n   {LINK_LABEL}：{link}"));
                }
                s
            }
            Block::Struck { text, note } => format!("{text}（{note}）"),
            Block::Full(full) => {
                let mut s = full.title_lines.join("\n");
                s.push_str("\n\n");
                s.push_str(&full.paragraphs.join("\n\n"));
                s.push_str("\n\n");
                s.push_str(&full.source);
                if let Some(link) = shown_link(full.link.as_deref()) {
                    s.push_str(&format!("\n{LINK_LABEL}：{link}"));
                }
                s
            }
        };
        match out.last_mut() {
            Some(last) if joins => {
                last.push('\n');
                last.push_str(&text);
            }
            _ => out.push(text),
        }
    }
    out.join("\n\n")
}

/// HTML pieces of one block; a piece never spans two blocks, so packing
/// pieces into messages never cuts a tag pair.
fn block_html(block: &Block, out: &mut Vec<String>) {
    match block {
        Block::Heading(text) => split_text(text, "<b>", "</b>", out),
        Block::Text(text) => split_text(text, "", "", out),
        Block::Hint(text) => split_text(text, "<i>", "</i>", out),
        Block::Answer {
            sentence,
            title,
            id,
        } => {
            let s = format!(
                "💡 <b>{}</b>\n——《{}》 <code>{}</code>",
                escape_html(sentence),
                escape_html(title),
                escape_html(id.as_str())
            );
            // The sentence and title come from pages we do not control.
            if utf16_len(&s) > TELEGRAM_MESSAGE_LIMIT {
                split_text(&format!("💡 {sentence}"), "<b>", "</b>", out);
                split_text(&format!("——《{title}》 {id}"), "", "", out);
            } else {
                out.push(s);
            }
        }
        Block::Item(item) if is_list_line(block) => split_text(
            &format!("{}. {}（{}）", item.rank, item.title, item.source),
            "",
            "",
            out,
        ),
        Block::Item(item) => {
            let mut s = format!(
                "<b>{}. {}</b>\n{}\n<i>{}</i>",
                item.rank,
                escape_html(&item.title),
                escape_html(&item.summary),
                escape_html(&item.source)
            );
            if let Some(why) = &item.why {
                s.push_str(&format!("\n<i>{MATCHED_LABEL}{}</i>", escape_html(why)));
            }
            if let Some(link) = shown_link(item.link.as_deref()) {
                s.push_str(&format!("\n{}", link_html(link)));
            }
            // An item is short, but its parts come from pages we do not control.
            if utf16_len(&s) > TELEGRAM_MESSAGE_LIMIT {
                split_text(
                    &format!("{}. {}", item.rank, item.title),
                    "<b>",
                    "</b>",
                    out,
                );
                split_text(&item.summary, "", "", out);
                split_text(&item.source, "<i>", "</i>", out);
                if let Some(why) = &item.why {
                    split_text(&format!("{MATCHED_LABEL}{why}"), "<i>", "</i>", out);
                }
            } else {
                out.push(s);
            }
        }
        Block::Struck { text, note } => {
            let s = format!("<s>{}</s>（{}）", escape_html(text), escape_html(note));
            if utf16_len(&s) > TELEGRAM_MESSAGE_LIMIT {
                split_text(text, "<s>", "</s>", out);
                split_text(note, "", "", out);
            } else {
                out.push(s);
            }
        }
        Block::Full(full) => {
            for line in &full.title_lines {
                split_text(line, "<b>", "</b>", out);
            }
            for paragraph in &full.paragraphs {
                split_text(paragraph, "", "", out);
            }
            split_text(&full.source, "<i>", "</i>", out);
            if let Some(link) = shown_link(full.link.as_deref()) {
                out.push(link_html(link));
            }
        }
    }
}

/// How a fetched article's address is labelled.
const LINK_LABEL: &str = "原文链接";

/// Longest address shown; a longer one is left out rather than cut.
const LINK_MAX_CHARS: usize = 1000;

/// The article's web address, when it is one that can be shown and followed.
fn shown_link(link: Option<&str>) -> Option<&str> {
    link.filter(|l| {
        (l.starts_with("http://") || l.starts_with("https://"))
            && l.chars().count() <= LINK_MAX_CHARS
            && !l.chars().any(char::is_whitespace)
    })
}

/// `<a href="…">原文链接</a>`, the address escaped.
fn link_html(link: &str) -> String {
    format!("<a href=\"{}\">{LINK_LABEL}</a>", escape_html(link))
}

/// Escapes text and wraps it in `open`/`close`, split at sentence and line
/// boundaries (and, for a sentence that alone is too long, at character
/// boundaries) into pieces that each fit a message. Nothing but the
/// whitespace where one piece ends and the next begins is dropped.
fn split_text(text: &str, open: &str, close: &str, out: &mut Vec<String>) {
    let budget = TELEGRAM_MESSAGE_LIMIT - utf16_len(open) - utf16_len(close);
    let whole = escape_html(text);
    if utf16_len(&whole) <= budget {
        if !whole.trim().is_empty() {
            out.push(format!("{open}{whole}{close}"));
        }
        return;
    }
    let mut units = Vec::new();
    for sentence in sentence_pieces(text) {
        let escaped = escape_html(sentence);
        if utf16_len(&escaped) <= budget {
            units.push(escaped);
            continue;
        }
        let mut chunk = String::new();
        let mut chunk_len = 0;
        for c in sentence.chars() {
            let escaped_char = escape_html(c.encode_utf8(&mut [0; 4]));
            let len = utf16_len(&escaped_char);
            if chunk_len + len > budget {
                units.push(std::mem::take(&mut chunk));
                chunk_len = 0;
            }
            chunk.push_str(&escaped_char);
            chunk_len += len;
        }
        if !chunk.is_empty() {
            units.push(chunk);
        }
    }
    for packed in pack(units, "", budget) {
        let packed = packed.trim();
        if !packed.is_empty() {
            out.push(format!("{open}{packed}{close}"));
        }
    }
}

/// Cuts text after each sentence end (with its closing quotes) and each line
/// break. Unlike `summary::sentences`, it trims nothing: the pieces
/// concatenate back to the text, so splitting keeps lines and words apart.
fn sentence_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        if matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';') {
            while let Some(&(j, next)) = chars.peek()
                && matches!(next, '”' | '’' | '」' | '』' | ')' | '）' | '"' | '\'')
            {
                end = j + next.len_utf8();
                chars.next();
            }
        } else if c != '\n' {
            continue;
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// Packs pieces into as few strings as possible, joined by `sep`, each at
/// most `limit` UTF-16 units (every piece is already within the limit).
fn pack(pieces: Vec<String>, sep: &str, limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    // Kept alongside `current`: measuring it for every piece is quadratic.
    let mut current_len = 0;
    let sep_len = utf16_len(sep);
    for piece in pieces {
        if piece.is_empty() {
            continue;
        }
        let piece_len = utf16_len(&piece);
        if !current.is_empty() && current_len + sep_len + piece_len > limit {
            messages.push(std::mem::take(&mut current));
            current_len = 0;
        }
        if !current.is_empty() {
            current.push_str(sep);
            current_len += sep_len;
        }
        current.push_str(&piece);
        current_len += piece_len;
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleId;
    use crate::reply::{FullArticle, Item};

    fn id() -> ArticleId {
        ArticleId::parse("1a2b3c4d").unwrap()
    }

    #[test]
    fn hostile_text_is_escaped() {
        let reply = Reply::text("<b>x</b>& </a> \"q\"");
        assert_eq!(
            to_html(&reply),
            ["&lt;b&gt;x&lt;/b&gt;&amp; &lt;/a&gt; &quot;q&quot;"]
        );
        let item = Block::Item(Item {
            rank: 1,
            id: id(),
            title: "<i>".into(),
            summary: "&amp;".into(),
            source: "<".into(),
            why: Some(">".into()),
            link: Some("https://example.org/a?x=1&y=\"2\"".into()),
        });
        let html = to_html(&Reply {
            blocks: vec![item],
            ..Default::default()
        });
        assert_eq!(
            html,
            [
                "<b>1. &lt;i&gt;</b>\n&amp;amp;\n<i>&lt;</i>\n<i>匹配：&gt;</i>\n<a href=\"https://example.org/a?x=1&amp;y=&quot;2&quot;\">原文链接</a>"
            ]
        );
    }

    #[test]
    fn a_struck_line_is_escaped_and_struck_and_its_note_is_not() {
        let reply = Reply {
            blocks: vec![Block::Struck {
                text: "1. <标题> & 更多".into(),
                note: "已撤回".into(),
            }],
            ..Default::default()
        };
        assert_eq!(
            to_html(&reply),
            vec!["<s>1. &lt;标题&gt; &amp; 更多</s>（已撤回）".to_string()]
        );
        assert_eq!(to_plain(&reply), "1. <标题> & 更多（已撤回）");
    }

    #[test]
    fn only_a_web_address_is_shown_as_a_link() {
        assert_eq!(
            shown_link(Some("https://a.cn/1.html")),
            Some("https://a.cn/1.html")
        );
        assert_eq!(shown_link(Some("javascript:alert(1)")), None);
        assert_eq!(shown_link(Some("https://a.cn/ x")), None);
        assert_eq!(shown_link(None), None);
    }

    #[test]
    fn a_long_article_is_split_into_messages_within_the_limit_at_paragraph_boundaries() {
        let paragraph = "工会为职工办实事。".repeat(100);
        let full = Block::Full(FullArticle {
            id: id(),
            title_lines: vec!["标题".into()],
            paragraphs: vec![paragraph.clone(); 8],
            source: "职工报".into(),
            link: None,
        });
        let messages = to_html(&Reply {
            blocks: vec![full],
            ..Default::default()
        });
        assert!(messages.len() >= 2, "{} messages", messages.len());
        for m in &messages {
            assert!(utf16_len(m) <= TELEGRAM_MESSAGE_LIMIT);
            assert!(!m.starts_with("\n"));
        }
        let joined = messages.join("\n\n");
        assert_eq!(
            joined.matches(&paragraph).count(),
            8,
            "paragraphs kept whole"
        );
    }

    #[test]
    fn a_paragraph_longer_than_a_message_is_split_at_sentences_and_characters() {
        let no_punctuation = "字".repeat(10_000);
        let with_markup = "<&>".repeat(3000);
        for text in [no_punctuation, with_markup] {
            let messages = to_html(&Reply::text(text));
            for m in &messages {
                assert!(utf16_len(m) <= TELEGRAM_MESSAGE_LIMIT, "{}", utf16_len(m));
                assert!(!m.contains("&a\n"), "entity cut");
            }
        }
    }
}
