//! What a message asks for, and who asks.
//!
//! Every front end builds a [`Request`] once — [`Request::parse`] for text,
//! constructors for buttons, documents and inline queries — and hands it to
//! the desk with a [`Sender`]. A request holds parsed values (an
//! [`ArticleId`], a resolved place, a page number), so nothing downstream
//! parses command text again.

use crate::article::{ArticleId, City};
use crate::chat::{self, Intent, SmallTalk, Wish};
use crate::commands::{self, CommandKind};
use crate::query::Question;
use crate::store::{DeliveryMode, QuietHours};
use crate::vocabulary::Vocabulary;
use crate::zh::places::{CityLookup, HomeProvince, Level, Place, gazetteer};
use crate::zh::{fold_width, normalize};

/// Longest message, in characters, that is searched; longer ones get a hint.
pub const MAX_QUESTION_CHARS: usize = 300;
/// Highest page number a list may be asked for.
pub const MAX_PAGE: usize = 1000;
/// Characters of a member's argument echoed back in a reply.
const SHOWN_CHARS: usize = 20;

/// Who sent a message: the chat to answer in and whether they may use the
/// admin commands (decided by the front end: a numeric Telegram id in
/// `ADMIN_IDS`, or the local operator at the console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sender {
    /// The chat the message came from (where subscriptions belong).
    pub chat_id: i64,
    /// The user who sent it, when known.
    pub user_id: Option<i64>,
    /// True when the sender may push and delete articles.
    pub is_admin: bool,
    /// The forum topic the message was sent in (supergroups with topics).
    pub thread_id: Option<i32>,
}

impl Sender {
    /// The local operator at the terminal (console, `ask`): chat 0, an admin,
    /// since whoever runs the program owns its data folder.
    pub fn operator() -> Self {
        Sender {
            chat_id: 0,
            user_id: None,
            is_admin: true,
            thread_id: None,
        }
    }

    /// A member (not an admin) in a chat.
    pub fn member(chat_id: i64, user_id: Option<i64>) -> Self {
        Sender {
            chat_id,
            user_id,
            is_admin: false,
            thread_id: None,
        }
    }

    /// An admin in a chat.
    pub fn admin(chat_id: i64, user_id: i64) -> Self {
        Sender {
            chat_id,
            user_id: Some(user_id),
            is_admin: true,
            thread_id: None,
        }
    }

    /// The same sender, in a forum topic.
    pub fn in_thread(self, thread_id: Option<i32>) -> Self {
        Sender { thread_id, ..self }
    }
}

/// An article id argument, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdArgument {
    /// Nothing after the command.
    Missing,
    /// A well-formed id.
    Id(ArticleId),
    /// Something that cannot be an id, as typed (shortened).
    Invalid(String),
}

/// A place argument, resolved against the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceArgument {
    /// Nothing after the command.
    Missing,
    /// One prefecture city; `typed` is the name as written (shortened), so
    /// the reply can say `湛江（吴川所在的湛江市）`.
    City {
        /// The city.
        city: City,
        /// The name as typed.
        typed: String,
    },
    /// A whole province where a city is wanted.
    Province {
        /// The name as typed.
        typed: String,
        /// Short names of its cities, for examples.
        cities: Vec<String>,
    },
    /// A name several places carry.
    Ambiguous {
        /// The name as typed.
        typed: String,
        /// The candidates, home province and higher levels first.
        candidates: Vec<Place>,
    },
    /// A name the gazetteer does not know.
    Unknown(String),
    /// A short name that is also an everyday word and names only a town or
    /// street far from home (`火星` → 长沙市火星街道): asked about, not taken.
    Unsure {
        /// The name as typed.
        typed: String,
        /// The place it would be, described (`火星街道（湖南省长沙市）`).
        place: String,
        /// The place's full name, which the member can send to mean it.
        full_name: String,
    },
}

impl PlaceArgument {
    /// Resolves a place name as a member typed it.
    pub fn resolve(typed: &str, home: HomeProvince) -> PlaceArgument {
        let typed = typed.trim();
        if typed.is_empty() {
            return PlaceArgument::Missing;
        }
        let shown: String = typed.chars().take(SHOWN_CHARS).collect();
        match gazetteer().resolve_city(&normalize(typed), home) {
            CityLookup::City(city) => PlaceArgument::City { city, typed: shown },
            CityLookup::Province(_, cities) => PlaceArgument::Province {
                typed: shown,
                cities: cities.iter().map(|c| c.short_name().to_string()).collect(),
            },
            CityLookup::Ambiguous(candidates) => PlaceArgument::Ambiguous {
                typed: shown,
                candidates,
            },
            CityLookup::Unknown => PlaceArgument::Unknown(shown),
        }
    }

    /// The city of a prefecture code (a button's), or `Unknown`.
    pub fn city_code(code: u32) -> PlaceArgument {
        match gazetteer().city_by_code(code) {
            Some(city) => PlaceArgument::City {
                typed: city.short_name().to_string(),
                city,
            },
            None => PlaceArgument::Unknown(code.to_string()),
        }
    }
}

/// What a subscription names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscription {
    /// Every new article (`全部`).
    All,
    /// One city's new articles.
    Place(PlaceArgument),
}

/// A delivery setting a member changes with one tap under `/subscriptions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// How one subscription is delivered, or its end.
    Subscription {
        /// The prefecture code (0: all news).
        code: u32,
        /// What becomes of it.
        choice: SubscriptionChoice,
    },
    /// The local hour the chat's daily digest goes out at (0–23).
    DigestHour(u8),
    /// What happens to deliveries in the quiet hours.
    Quiet(QuietHours),
}

/// What a member makes of one subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionChoice {
    /// Deliver it this way.
    Mode(DeliveryMode),
    /// 退订.
    Unsubscribe,
}

/// One message, understood.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// `/start`: welcome and examples.
    Start,
    /// `/help`: the commands.
    Help,
    /// 你好, 谢谢, 你是谁, 怎么用, 你蠢不蠢: talk to the bot, not a question.
    SmallTalk(SmallTalk),
    /// 湛江有新消息提醒我, 别再发了: a wish about deliveries in words.
    Wish {
        /// Subscribe or unsubscribe.
        wish: Wish,
        /// The places it names, resolved (none: the member did not say).
        places: Vec<PlaceArgument>,
    },
    /// A question already understood: a follow-up read against the one
    /// before it (`那东莞呢` after `湛江劳模体检`).
    Understood {
        /// The question.
        question: Box<Question>,
        /// 1-based page of the results.
        page: usize,
    },
    /// Free text, `/ask 问题`, an inline query, or another page of results.
    Search {
        /// The question as typed (trimmed, at most [`MAX_QUESTION_CHARS`]).
        question: String,
        /// 1-based page of the results.
        page: usize,
    },
    /// `/city 名称 [页码]`: a city's newest articles.
    City {
        /// The place, resolved.
        place: PlaceArgument,
        /// 1-based page of the list.
        page: usize,
    },
    /// `/latest [页码]`: the newest articles overall.
    Latest {
        /// 1-based page of the list.
        page: usize,
    },
    /// `/article 编号`: one article in full.
    Article(IdArgument),
    /// `/subscribe 城市` (or 全部): be sent that city's new articles.
    Subscribe(Subscription),
    /// `/unsubscribe 城市` (or 全部).
    Unsubscribe(Subscription),
    /// `/subscriptions`: what this chat subscribed to.
    Subscriptions,
    /// `/subscribe 湛江 每日`: subscribe in a mode other than each article
    /// (the daily digest).
    SubscribeInMode(Subscription, DeliveryMode),
    /// `/start sub_zhanjiang` (a link on a poster or a QR code): the start
    /// parameter as sent, read by the desk.
    StartLink(String),
    /// A button under `/subscriptions`: change a delivery setting of this chat.
    Setting(Setting),
    /// `/push` and the page text after it, or in a document, or fetched
    /// from a link (admins).
    Push(PushedPage),
    /// `/delete 编号` or the 撤回 button (admins): retract an article.
    Delete(IdArgument),
    /// `/send 编号` or 立即发送 (admins): a held or scheduled push goes out now.
    Send(IdArgument),
    /// `/cancel 编号` (admins): a push's deliveries not yet made are
    /// dropped; a scheduled article is withdrawn.
    Cancel(IdArgument),
    /// `/schedule 编号 2024-08-22 08:00` (admins): publish at that time.
    Schedule {
        /// The article.
        id: IdArgument,
        /// The time as typed (read in the bot's time zone).
        when: String,
    },
    /// `/correct 编号` with `标题：…` lines (admins), or the 更正 button
    /// (no fields: the reply shows the article's fields to edit).
    Correct {
        /// The article.
        id: IdArgument,
        /// The field lines as typed.
        fields: String,
    },
    /// `/restore 编号` (admins): a retracted article comes back.
    Restore(IdArgument),
    /// `/update 编号` (admins): the stored article takes the text of the
    /// copy of it just pushed.
    Update(IdArgument),
    /// `/keep 编号` (admins): the copy just pushed is kept as an article of
    /// its own.
    Keep(IdArgument),
    /// `/status` (admins): the outbox, the last pushes, schedules, retractions.
    Status,
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

/// The page of an admin's push: its text, and the web address it was
/// fetched from, if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedPage {
    /// The page's text.
    pub text: String,
    /// `https://…`, for a page fetched with `/push https://…`.
    pub link: Option<String>,
    /// Photos it came with (Telegram `file_id`s, an album's in order).
    pub photos: Vec<String>,
}

impl From<&str> for PushedPage {
    fn from(text: &str) -> Self {
        PushedPage {
            text: text.to_string(),
            link: None,
            photos: Vec::new(),
        }
    }
}

impl Request {
    /// Understands a message. Commands may be typed with a full-width slash
    /// (`／city`), in any case, with a `@botname` suffix, and with their
    /// argument on the same or the next line; members' read commands also
    /// without the slash (`city 湛江`). `home` settles ambiguous place names;
    /// `vocabulary` reads members' words for talk and wishes (唔该晒, 提醒我).
    pub fn parse(text: &str, home: HomeProvince, vocabulary: &Vocabulary) -> Request {
        let text = text.trim();
        if text.is_empty() {
            return Request::Empty;
        }
        let typed = match commands::slash_command(text) {
            Some(typed) => typed,
            None => match commands::spoken_command(text) {
                Some(typed) => typed,
                None => {
                    return match chat::recognise(&vocabulary.as_mandarin(text), home) {
                        Some(Intent::Talk(talk)) => Request::SmallTalk(talk),
                        Some(Intent::Wish(wish, places)) => Request::Wish {
                            wish,
                            places: places
                                .iter()
                                .map(|p| PlaceArgument::resolve(p, home))
                                .collect(),
                        },
                        None => Request::search(text, 1),
                    };
                }
            },
        };
        let Some(command) = typed.command else {
            let word: String = typed.word.chars().take(32).collect();
            return Request::UnknownCommand(format!("/{word}"));
        };
        let argument = typed.argument;
        match command.kind {
            CommandKind::Start if argument.trim().is_empty() => Request::Start,
            CommandKind::Start => Request::StartLink(argument.trim().chars().take(64).collect()),
            CommandKind::Help => Request::Help,
            CommandKind::Ask => Request::search(argument, 1),
            CommandKind::City => {
                let (name, page) = split_page(argument);
                Request::City {
                    place: PlaceArgument::resolve(name, home),
                    page,
                }
            }
            CommandKind::Latest => Request::Latest {
                page: split_page(argument).1,
            },
            CommandKind::Article => Request::Article(id_argument(argument)),
            CommandKind::Subscribe => match split_mode(argument) {
                (place, Some(mode)) => Request::SubscribeInMode(subscription(place, home), mode),
                (place, None) => Request::Subscribe(subscription(place, home)),
            },
            CommandKind::Unsubscribe => Request::Unsubscribe(subscription(argument, home)),
            CommandKind::Subscriptions => Request::Subscriptions,
            CommandKind::Push => Request::Push(argument.into()),
            CommandKind::Delete => Request::Delete(id_argument(argument)),
            CommandKind::Send => Request::Send(id_argument(argument)),
            CommandKind::Cancel => Request::Cancel(id_argument(argument)),
            CommandKind::Restore => Request::Restore(id_argument(argument)),
            CommandKind::Update => Request::Update(id_argument(argument)),
            CommandKind::Keep => Request::Keep(id_argument(argument)),
            CommandKind::Status => Request::Status,
            CommandKind::Schedule => {
                let (id, when) = split_id(argument);
                Request::Schedule {
                    id: id_argument(id),
                    when: when.to_string(),
                }
            }
            CommandKind::Correct => {
                let (id, fields) = split_id(argument);
                Request::Correct {
                    id: id_argument(id),
                    fields: fields.to_string(),
                }
            }
        }
    }

    /// A search for a question, at a page of its results (a 下一页 button,
    /// an inline query): empty and over-long questions are refused here too.
    pub fn search(question: &str, page: usize) -> Request {
        let question = question.trim();
        let chars = question.chars().count();
        if question.is_empty() {
            Request::Empty
        } else if chars > MAX_QUESTION_CHARS {
            Request::TooLong { chars }
        } else {
            Request::Search {
                question: question.to_string(),
                page: page.clamp(1, MAX_PAGE),
            }
        }
    }

    /// A page of a city's newest list, by its prefecture code (a button's).
    pub fn city_page(code: u32, page: usize) -> Request {
        Request::City {
            place: PlaceArgument::city_code(code),
            page: page.clamp(1, MAX_PAGE),
        }
    }

    /// A page of the newest articles overall.
    pub fn latest_page(page: usize) -> Request {
        Request::Latest {
            page: page.clamp(1, MAX_PAGE),
        }
    }

    /// One article in full (a 全文 button).
    pub fn article(id: ArticleId) -> Request {
        Request::Article(IdArgument::Id(id))
    }

    /// A page to publish: text that came with `/push`, in a document it
    /// captioned, or in the message it replied to.
    pub fn push(page: impl Into<String>) -> Request {
        Request::Push(PushedPage {
            text: page.into(),
            link: None,
            photos: Vec::new(),
        })
    }

    /// A page pushed with photos (a photo or an album captioned `/push`).
    pub fn push_with_photos(page: impl Into<String>, photos: Vec<String>) -> Request {
        Request::Push(PushedPage {
            text: page.into(),
            link: None,
            photos,
        })
    }

    /// A page fetched from a web address (`/push https://…`): its text and
    /// the address, kept as the article's source.
    pub fn push_fetched(text: String, link: String) -> Request {
        Request::Push(PushedPage {
            text,
            link: Some(link),
            photos: Vec::new(),
        })
    }

    /// True for the admin-only requests.
    pub fn is_admin_only(&self) -> bool {
        matches!(
            self,
            Request::Push(_)
                | Request::Delete(_)
                | Request::Send(_)
                | Request::Cancel(_)
                | Request::Schedule { .. }
                | Request::Correct { .. }
                | Request::Restore(_)
                | Request::Update(_)
                | Request::Keep(_)
                | Request::Status
        )
    }
}

/// True when a message is an admin's `/push` command (its page may be in a
/// document or in the message it replies to, which the front end fetches).
pub fn is_push_command(text: &str) -> bool {
    commands::slash_command(text)
        .and_then(|typed| typed.command)
        .is_some_and(|c| c.kind == CommandKind::Push)
}

/// An id and what follows it (same line or next lines).
fn split_id(argument: &str) -> (&str, &str) {
    let argument = argument.trim();
    match argument.find(char::is_whitespace) {
        Some(i) => (&argument[..i], argument[i..].trim()),
        None => (argument, ""),
    }
}

fn id_argument(argument: &str) -> IdArgument {
    let argument = argument.trim();
    if argument.is_empty() {
        return IdArgument::Missing;
    }
    match ArticleId::parse(&fold_width(argument)) {
        Some(id) => IdArgument::Id(id),
        None => IdArgument::Invalid(argument.chars().take(16).collect()),
    }
}

/// Words after a place in `/subscribe` that ask for the daily digest.
const DIGEST_WORDS: [&str; 9] = [
    "每日摘要",
    "每天摘要",
    "每日",
    "每天",
    "摘要",
    "日报",
    "每日一次",
    "daily",
    "digest",
];

/// Splits a delivery mode word off the end of a `/subscribe` argument
/// (`湛江 每日`, `湛江每天`): the place and the mode it names.
fn split_mode(argument: &str) -> (&str, Option<DeliveryMode>) {
    let trimmed = argument.trim();
    let mut words: Vec<&str> = DIGEST_WORDS.to_vec();
    // The longest word first: 每日摘要 before 摘要.
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for word in words {
        let cut = trimmed.len().saturating_sub(word.len());
        let ends_with_word = trimmed.len() >= word.len()
            && trimmed.is_char_boundary(cut)
            && trimmed[cut..].eq_ignore_ascii_case(word);
        if ends_with_word {
            let place = &trimmed[..cut];
            let place = place.trim_end();
            if !place.is_empty() {
                return (place, Some(DeliveryMode::Digest));
            }
        }
    }
    (trimmed, None)
}

fn subscription(argument: &str, home: HomeProvince) -> Subscription {
    let name = normalize(argument.trim());
    if ["全部", "所有", "all", "全部新闻"].contains(&name.as_str()) {
        return Subscription::All;
    }
    let place = PlaceArgument::resolve(argument, home);
    // A subscription lasts: one that rests on a far town's short name
    // (火星, 平台 …, everyday words too) is asked about first.
    if let PlaceArgument::City { typed, .. } = &place {
        let found = gazetteer().lookup(&name);
        if let Some(far) = found.first()
            && found
                .iter()
                .all(|p| p.level == Level::Town && p.province != home.name() && p.name != name)
        {
            return Subscription::Place(PlaceArgument::Unsure {
                typed: typed.clone(),
                place: far.to_string(),
                full_name: far.name.to_string(),
            });
        }
    }
    Subscription::Place(place)
}

/// Splits a trailing page number off an argument (`湛江 2` → (`湛江`, 2)).
fn split_page(argument: &str) -> (&str, usize) {
    let argument = argument.trim();
    if let Some((name, last)) = argument.rsplit_once(char::is_whitespace)
        && let Ok(page) = fold_width(last).parse::<usize>()
    {
        return (name.trim(), page.clamp(1, MAX_PAGE));
    }
    if let Ok(page) = fold_width(argument).parse::<usize>() {
        return ("", page.clamp(1, MAX_PAGE));
    }
    (argument, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Request {
        Request::parse(text, HomeProvince::default(), &Vocabulary::shipped())
    }

    fn city(name: &str) -> PlaceArgument {
        PlaceArgument::resolve(name, HomeProvince::default())
    }

    fn search(question: &str) -> Request {
        Request::Search {
            question: question.into(),
            page: 1,
        }
    }

    #[test]
    fn parse_table() {
        let zhanjiang = |typed: &str, page| Request::City {
            place: match city("湛江") {
                PlaceArgument::City { city, .. } => PlaceArgument::City {
                    city,
                    typed: typed.into(),
                },
                other => panic!("湛江 resolved as {other:?}"),
            },
            page,
        };
        let id = ArticleId::parse("1a2b3c4d").unwrap();
        let cases = [
            ("", Request::Empty),
            ("   \n\t", Request::Empty),
            ("外卖骑手 入会", search("外卖骑手 入会")),
            ("/start", Request::Start),
            ("/help@union_news_bot", Request::Help),
            ("帮助", Request::Help),
            ("你好！", Request::SmallTalk(SmallTalk::Greeting)),
            ("怎么用啊", Request::SmallTalk(SmallTalk::Help)),
            ("/city 湛江", zhanjiang("湛江", 1)),
            ("city 湛江", zhanjiang("湛江", 1)),
            ("/City\n湛江市", zhanjiang("湛江市", 1)),
            ("／city zhanjiang", zhanjiang("zhanjiang", 1)),
            ("/city 湛江 2", zhanjiang("湛江", 2)),
            (
                "/city",
                Request::City {
                    place: PlaceArgument::Missing,
                    page: 1,
                },
            ),
            ("/latest", Request::Latest { page: 1 }),
            ("/latest 3", Request::Latest { page: 3 }),
            ("/article 1a2b3c4d", Request::article(id.clone())),
            ("/article １Ａ２ｂ３ｃ４ｄ", Request::article(id.clone())),
            (
                "/article ../etc/passwd",
                Request::Article(IdArgument::Invalid("../etc/passwd".into())),
            ),
            ("/article", Request::Article(IdArgument::Missing)),
            ("/ask 湛江 劳模", search("湛江 劳模")),
            ("/ask", Request::Empty),
            (
                "/push\n# 标题\n\n正文。",
                Request::Push("# 标题\n\n正文。".into()),
            ),
            ("／push 文字", Request::Push("文字".into())),
            ("/subscribe 全部", Request::Subscribe(Subscription::All)),
            (
                "/unsubscribe",
                Request::Unsubscribe(Subscription::Place(PlaceArgument::Missing)),
            ),
            ("/subscriptions", Request::Subscriptions),
            ("/start", Request::Start),
            (
                "/start sub_zhanjiang",
                Request::StartLink("sub_zhanjiang".into()),
            ),
            ("/delete 1a2b3c4d", Request::Delete(IdArgument::Id(id))),
            (
                "/frobnicate 文本",
                Request::UnknownCommand("/frobnicate".into()),
            ),
            ("/", search("/")),
            ("push 标题", search("push 标题")),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "parse({text:?})");
        }
    }

    #[test]
    fn places_are_resolved_when_parsed() {
        assert!(matches!(
            parse("/city 吴川"),
            Request::City { place: PlaceArgument::City { city, .. }, .. } if city.short_name() == "湛江"
        ));
        assert!(matches!(
            parse("/city 广东"),
            Request::City {
                place: PlaceArgument::Province { .. },
                ..
            }
        ));
        assert!(matches!(
            parse("/subscribe 乌有乡"),
            Request::Subscribe(Subscription::Place(PlaceArgument::Unknown(name))) if name == "乌有乡"
        ));
    }

    #[test]
    fn a_mode_word_after_the_place_subscribes_to_the_daily_digest() {
        for typed in [
            "/subscribe 湛江 每日",
            "/subscribe 湛江 每天",
            "/subscribe 湛江每日摘要",
            "/subscribe 湛江 日报",
            "/subscribe 湛江 DAILY",
        ] {
            assert!(
                matches!(
                    parse(typed),
                    Request::SubscribeInMode(
                        Subscription::Place(PlaceArgument::City { ref city, .. }),
                        DeliveryMode::Digest
                    ) if city.code == 4408
                ),
                "{typed}: {:?}",
                parse(typed)
            );
        }
        assert!(matches!(
            parse("/subscribe 全部 每日"),
            Request::SubscribeInMode(Subscription::All, DeliveryMode::Digest)
        ));
        // A mode word alone is no place; a plain subscription stays each.
        assert!(matches!(
            parse("/subscribe 每日"),
            Request::Subscribe(Subscription::Place(_))
        ));
        assert!(matches!(
            parse("/subscribe 湛江"),
            Request::Subscribe(Subscription::Place(_))
        ));
    }

    #[test]
    fn a_subscription_to_a_far_towns_short_name_is_asked_about() {
        assert!(matches!(
            parse("/subscribe 火星"),
            Request::Subscribe(Subscription::Place(PlaceArgument::Unsure { full_name, .. })) if full_name == "火星街道"
        ));
        for near in [
            "/subscribe 虎门",
            "/subscribe 吴川",
            "/subscribe 火星街道",
            "/subscribe 湛江",
        ] {
            assert!(
                matches!(
                    parse(near),
                    Request::Subscribe(Subscription::Place(PlaceArgument::City { .. }))
                ),
                "{near}: {:?}",
                parse(near)
            );
        }
    }

    #[test]
    fn buttons_build_their_requests_without_text() {
        let code = match city("湛江") {
            PlaceArgument::City { city, .. } => city.code,
            other => panic!("{other:?}"),
        };
        assert_eq!(Request::city_page(code, 2), parse("/city 湛江 2"));
        assert_eq!(Request::latest_page(0), Request::Latest { page: 1 });
        assert!(matches!(
            Request::city_page(9999, 1),
            Request::City {
                place: PlaceArgument::Unknown(_),
                ..
            }
        ));
        assert_eq!(
            Request::search("湛江", 5000),
            Request::Search {
                question: "湛江".into(),
                page: MAX_PAGE
            }
        );
    }

    #[test]
    fn a_very_long_message_is_not_searched() {
        let text = "工会".repeat(2500);
        assert_eq!(parse(&text), Request::TooLong { chars: 5000 });
    }

    #[test]
    fn push_commands_are_recognised_in_both_widths() {
        assert!(is_push_command("/push"));
        assert!(is_push_command("／push@bot\n文字"));
        assert!(is_push_command("/发布 文字"));
        assert!(!is_push_command("push"));
        assert!(!is_push_command("/pushy"));
    }
}
