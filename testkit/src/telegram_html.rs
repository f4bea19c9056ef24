//! A checker for Telegram's HTML parse mode, as strict as the Bot API
//! documents it: known tags with the attributes Telegram takes, properly
//! nested, entities it knows, no control characters, something visible, and
//! within the message length limit. Tests and fuzz targets hold every
//! rendered reply to it.

use union_news_bot::reply::TELEGRAM_MESSAGE_LIMIT;

/// The tags Telegram's HTML parse mode knows.
const TELEGRAM_TAGS: [&str; 14] = [
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "blockquote",
];

/// Checks one message and returns its visible text (tags removed, entities
/// decoded), or says what is wrong with it.
pub fn visible_text(message: &str) -> Result<String, String> {
    let units = message.encode_utf16().count();
    if units > TELEGRAM_MESSAGE_LIMIT {
        return Err(format!("{units} UTF-16 units"));
    }
    let mut visible = String::new();
    let mut open: Vec<&str> = Vec::new();
    let mut rest = message;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or("a `<` that opens no tag")?;
                let tag = &rest[1..end];
                if tag.contains('<') {
                    return Err(format!("a raw `<` before <{tag}>"));
                }
                check_tag(tag, &mut open)?;
                rest = &rest[end + 1..];
            }
            '>' => return Err("a raw `>` outside a tag".into()),
            '&' => {
                let end = rest.find(';').ok_or("a raw `&`")?;
                visible.push(decode_entity(&rest[1..end])?);
                rest = &rest[end + 1..];
            }
            c if c.is_control() && c != '\n' && c != '\t' => {
                return Err(format!("control character U+{:04X}", c as u32));
            }
            c => {
                visible.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !open.is_empty() {
        return Err(format!("unclosed tags {open:?}"));
    }
    if visible.trim().is_empty() {
        return Err("nothing visible: Telegram rejects an empty message".into());
    }
    Ok(visible)
}

/// Checks a tag's name, attributes and nesting, and opens or closes it.
fn check_tag<'a>(tag: &'a str, open: &mut Vec<&'a str>) -> Result<(), String> {
    if let Some(name) = tag.strip_prefix('/') {
        return match open.pop() {
            Some(top) if top == name => Ok(()),
            top => Err(format!("</{name}> closes {top:?}")),
        };
    }
    let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
    if !TELEGRAM_TAGS.contains(&name) {
        return Err(format!("<{tag}> is not a Telegram tag"));
    }
    let attributes_ok = match name {
        "a" => attributes.starts_with("href=\"") && attributes.ends_with('"'),
        "code" => {
            attributes.is_empty()
                || (attributes.starts_with("class=\"language-") && attributes.ends_with('"'))
        }
        "blockquote" => attributes.is_empty() || attributes == "expandable",
        _ => attributes.is_empty(),
    };
    if !attributes_ok {
        return Err(format!("<{tag}> has attributes Telegram does not take"));
    }
    match open.last() {
        Some(&"code") => return Err(format!("<{name}> inside <code>")),
        Some(&"pre") if name != "code" => return Err(format!("<{name}> inside <pre>")),
        _ => {}
    }
    if (name == "a" || name == "blockquote") && open.contains(&name) {
        return Err(format!("<{name}> inside <{name}>"));
    }
    open.push(name);
    Ok(())
}

/// Decodes the entity between `&` and `;`, if Telegram knows it.
fn decode_entity(entity: &str) -> Result<char, String> {
    let code = match entity {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "quot" => return Ok('"'),
        _ => match entity.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
            Some(decimal) if decimal.bytes().all(|b| b.is_ascii_digit()) => decimal.parse().ok(),
            _ => None,
        },
    };
    code.and_then(char::from_u32)
        .ok_or_else(|| format!("`&{entity};` is not an entity Telegram knows"))
}

/// Renders a reply as [`union_news_bot::reply::to_html`] does and checks every
/// message, returning their visible texts, or which message is wrong and why.
pub fn render_checked(reply: &union_news_bot::reply::Reply) -> Result<Vec<String>, String> {
    let messages = union_news_bot::reply::to_html(reply);
    messages
        .iter()
        .enumerate()
        .map(|(n, message)| {
            visible_text(message).map_err(|e| {
                format!(
                    "message {n} of {} is invalid: {e}\n{message:?}",
                    messages.len()
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_telegram_markup_and_rejects_what_telegram_rejects() {
        assert_eq!(
            visible_text("<b>工会</b> &amp; <a href=\"https://x\">职工</a>").as_deref(),
            Ok("工会 & 职工")
        );
        for bad in [
            "<p>x</p>",
            "<b>x",
            "a < b",
            "x &nbsp; y",
            "\u{7}x",
            " ",
            "<b><i>x</b></i>",
        ] {
            assert!(visible_text(bad).is_err(), "{bad:?} passed");
        }
    }
}
