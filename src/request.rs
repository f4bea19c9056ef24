//! What a member's message asks for: [`Request::parse`] turns any text into
//! exactly one request, so past this point the desk handles known shapes only.

/// Longest message, in characters, that is searched; longer ones get a hint.
pub const MAX_QUESTION_CHARS: usize = 300;

/// One member message, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `/start`: welcome and examples.
    Start,
    /// `/help`: the commands.
    Help,
    /// Free text or `/ask 问题`: search.
    Search(String),
    /// `/city 名称 [页码]`: a city's newest articles; an empty name asks for usage.
    City {
        /// The place as typed (trimmed).
        name: String,
        /// 1-based page of the list.
        page: usize,
    },
    /// `/latest [页码]`: the newest articles overall.
    Latest {
        /// 1-based page of the list.
        page: usize,
    },
    /// `/article 编号`: one article in full; the argument as typed.
    Article(String),
    /// `/subscribe 城市` (or 全部): be sent that city's new articles.
    Subscribe(String),
    /// `/unsubscribe 城市` (or 全部).
    Unsubscribe(String),
    /// `/subscriptions`: what this chat subscribed to.
    Subscriptions,
    /// `/push` and the page text after it (admins).
    Push(String),
    /// `/delete 编号` (admins).
    Delete(String),
    /// Nothing but whitespace.
    Empty,
    /// More than [`MAX_QUESTION_CHARS`] characters.
    TooLong {
        /// The message's length in characters.
        chars: usize,
    },
    /// A command the bot does not have (as typed, without arguments).
    UnknownCommand(String),
}

impl Request {
    /// Understands a message. Commands may be typed with a full-width slash
    /// (`／city`), in any case, with a `@botname` suffix, and with their
    /// argument on the same or the next line.
    pub fn parse(text: &str) -> Request {
        let text = text.trim();
        if text.is_empty() {
            return Request::Empty;
        }
        let Some(rest) = text.strip_prefix('/').or_else(|| text.strip_prefix('／')) else {
            return search(text);
        };
        let (word, argument) = match rest.find(char::is_whitespace) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        let command = word.split('@').next().unwrap_or("").to_lowercase();
        let command = crate::zh::fold_width(&command);
        match command.as_str() {
            "start" => Request::Start,
            "help" | "帮助" => Request::Help,
            "ask" | "search" | "问" => search(argument),
            "city" | "城市" => {
                let (name, page) = split_page(argument);
                Request::City {
                    name: name.to_string(),
                    page,
                }
            }
            "latest" | "最新" => Request::Latest {
                page: split_page(argument).1,
            },
            "article" | "全文" => Request::Article(argument.to_string()),
            "subscribe" | "订阅" => Request::Subscribe(argument.to_string()),
            "unsubscribe" | "退订" => Request::Unsubscribe(argument.to_string()),
            "subscriptions" | "我的订阅" => Request::Subscriptions,
            "push" | "发布" => Request::Push(argument.to_string()),
            "delete" | "删除" => Request::Delete(argument.to_string()),
            "" => search(text),
            _ => Request::UnknownCommand(format!("/{}", truncate(word, 32))),
        }
    }
}

/// The question a message asked: the text after `/ask` (or `/search`), else
/// the whole text, without `@mentions`.
pub fn search_text(message: &str) -> String {
    let text = match Request::parse(message) {
        Request::Search(question) => question,
        _ => message.to_string(),
    };
    text.split_whitespace()
        .filter(|word| !word.starts_with('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn search(text: &str) -> Request {
    let text = text.trim();
    let chars = text.chars().count();
    if text.is_empty() {
        Request::Empty
    } else if chars > MAX_QUESTION_CHARS {
        Request::TooLong { chars }
    } else {
        Request::Search(text.to_string())
    }
}

/// Splits a trailing page number off an argument (`湛江 2` → (`湛江`, 2)).
fn split_page(argument: &str) -> (&str, usize) {
    let argument = argument.trim();
    if let Some((name, last)) = argument.rsplit_once(char::is_whitespace)
        && let Ok(page) = crate::zh::fold_width(last).parse::<usize>()
    {
        return (name.trim(), page.clamp(1, 1000));
    }
    if let Ok(page) = crate::zh::fold_width(argument).parse::<usize>() {
        return ("", page.clamp(1, 1000));
    }
    (argument, 1)
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let city = |name: &str, page| Request::City {
            name: name.into(),
            page,
        };
        let cases = [
            ("", Request::Empty),
            ("   \n\t", Request::Empty),
            ("外卖骑手 入会", Request::Search("外卖骑手 入会".into())),
            ("/start", Request::Start),
            ("/help@union_news_bot", Request::Help),
            ("/city 湛江", city("湛江", 1)),
            ("/city  虎门", city("虎门", 1)),
            ("/City\n湛江市", city("湛江市", 1)),
            ("／city zhanjiang", city("zhanjiang", 1)),
            ("/city 湛江 2", city("湛江", 2)),
            ("/city", city("", 1)),
            ("/latest", Request::Latest { page: 1 }),
            ("/latest 3", Request::Latest { page: 3 }),
            ("/article 1a2b3c4d", Request::Article("1a2b3c4d".into())),
            ("/ask 湛江 劳模", Request::Search("湛江 劳模".into())),
            ("/ask", Request::Empty),
            (
                "/push\n# 标题\n\n正文。",
                Request::Push("# 标题\n\n正文。".into()),
            ),
            ("/subscribe 湛江", Request::Subscribe("湛江".into())),
            ("/unsubscribe", Request::Unsubscribe(String::new())),
            ("/subscriptions", Request::Subscriptions),
            ("/delete 1a2b3c4d", Request::Delete("1a2b3c4d".into())),
            (
                "/frobnicate 文本",
                Request::UnknownCommand("/frobnicate".into()),
            ),
            ("/", Request::Search("/".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(Request::parse(text), expected, "parse({text:?})");
        }
    }

    #[test]
    fn a_very_long_message_is_not_searched() {
        let text = "工会".repeat(2500);
        assert_eq!(Request::parse(&text), Request::TooLong { chars: 5000 });
    }
}
