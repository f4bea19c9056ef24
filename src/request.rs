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
use crate::store::Vote;
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
    /// True for the owner (the first id of `ADMIN_IDS`, or the local
    /// operator), who manages the editors.
    pub is_owner: bool,
    /// True when the sender may change what the chat is sent: anyone in a
    /// private chat, a group's own admins (the front end asks Telegram), a
    /// channel's posts, the bot's admins.
    pub manages_chat: bool,
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
            is_owner: true,
            manages_chat: true,
        }
    }

    /// A member (not an admin) in a chat. Only in a private chat (a
    /// positive chat id) may they change what the chat is sent, until the
    /// front end finds they administer the group ([`Sender::managing`]).
    pub fn member(chat_id: i64, user_id: Option<i64>) -> Self {
        Sender {
            chat_id,
            user_id,
            is_admin: false,
            thread_id: None,
            is_owner: false,
            manages_chat: chat_id > 0,
        }
    }

    /// An admin in a chat.
    pub fn admin(chat_id: i64, user_id: i64) -> Self {
        Sender {
            chat_id,
            user_id: Some(user_id),
            is_admin: true,
            thread_id: None,
            is_owner: false,
            manages_chat: true,
        }
    }

    /// The same sender, who administers the group (or posts in the channel).
    pub fn managing(self) -> Self {
        Sender {
            manages_chat: true,
            ..self
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
    /// `/privacy`: what the bot keeps of a member's questions, and how long.
    Privacy,
    /// `/forget`: the member's logged questions and votes are deleted.
    Forget,
    /// `/feedback [天数]` (admins): the questions of the last `days` days
    /// that found nothing or were marked 👎, grouped by topic.
    Feedback {
        /// The period, in days (1 to [`MAX_FEEDBACK_DAYS`]).
        days: u32,
    },
    /// A `/feedback` topic's button (admins): members' own wordings of it.
    Wordings {
        /// The period, in days.
        days: u32,
        /// The topic's key ([`topic_key`]).
        topic: u64,
    },
    /// `/teach 跑滴滴 = 网约车司机` (admins), or its confirmation.
    Teach(TeachArgument),
    /// `/words` (admins): the words editors taught.
    Words,
    /// `/unteach 跑滴滴` (admins).
    Unteach(String),
    /// `/editors [add|remove ID]` (the owner).
    Editors(EditorsArgument),
    /// 👍 or 👎 under an answer (the answer's number in the question log).
    Vote {
        /// The logged answer.
        answer: i64,
        /// The member's judgement.
        vote: Vote,
    },
    /// Nothing but whitespace.
    Empty,
    /// More than [`MAX_QUESTION_CHARS`] characters.
    TooLong {
        /// The message's length in characters.
        chars: usize,
    },
    /// A command the bot does not have (as typed, without arguments).
    UnknownCommand(String),
    /// A question for the union's people (`/liuyan 问题`, 「留言 问题」,
    /// the 留言给工会 button), answered by an admin.
    Liuyan(UnionQuestion),
    /// `/my_questions`: the member's open questions to the union.
    MyQuestions,
    /// `/withdraw N`: the member takes back an open question (`None`:
    /// no number given or none readable).
    Withdraw(Option<i64>),
    /// `/inbox`: the open questions, oldest first (admins).
    Inbox,
    /// `/answer N 文本`, or an admin's reply to a question's notice (admins).
    Answer {
        /// The question's number (`None`: missing or unreadable).
        number: Option<i64>,
        /// The answer.
        text: String,
        /// The admin's display name, filled by the front end.
        by_name: Option<String>,
    },
}

/// A question a member leaves for the union, with what the front end knows
/// of where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionQuestion {
    /// The question as written (may be empty: the member is told how).
    pub text: String,
    /// The member's message holding it, which the answer will reply to.
    pub message_id: Option<i32>,
    /// The member's display name, filled by the front end; shown to admins only.
    pub name: Option<String>,
}

/// Longest period `/feedback` looks back over, in days.
pub const MAX_FEEDBACK_DAYS: u32 = 366;
/// The period `/feedback` looks back over when none is given, in days.
pub const DEFAULT_FEEDBACK_DAYS: u32 = 7;

/// What `/teach` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeachArgument {
    /// Nothing: how to.
    Missing,
    /// `跑滴滴 = 网约车司机`: members' word and the paper's, as typed.
    Pair {
        /// What members write.
        word: String,
        /// What the paper writes.
        mandarin: String,
    },
    /// `确认 12` or the 保存 button: save proposal 12.
    Confirm(i64),
    /// Something else, as typed (shortened).
    Malformed(String),
}

/// What `/editors` was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorsArgument {
    /// Nothing: the list.
    List,
    /// `add 123456`.
    Add(i64),
    /// `remove 123456`.
    Remove(i64),
    /// Something else, as typed (shortened).
    Malformed(String),
}

/// The key a `/feedback` topic's button carries (topics can be longer than
/// callback data may be): FNV-1a of its text, stable across processes.
pub fn topic_key(topic: &str) -> u64 {
    topic.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
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
        if let Some(question) = spoken_liuyan(text) {
            return Request::liuyan(question);
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
            // The group's 留言给工会 button opens the private chat with
            // `/start liuyan`: the member is asked to type the question.
            CommandKind::Start if argument == "liuyan" => Request::liuyan(""),
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
            CommandKind::Privacy => Request::Privacy,
            CommandKind::Forget => Request::Forget,
            CommandKind::Feedback => {
                let (days, topic) = feedback_argument(argument);
                match topic {
                    Some(topic) => Request::Wordings {
                        days,
                        topic: topic_key(&topic),
                    },
                    None => Request::Feedback { days },
                }
            }
            CommandKind::Teach => Request::Teach(teach_argument(argument)),
            CommandKind::Words => Request::Words,
            CommandKind::Unteach => Request::Unteach(argument.chars().take(40).collect()),
            CommandKind::Editors => Request::Editors(editors_argument(argument)),
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
            CommandKind::Liuyan => Request::liuyan(argument),
            CommandKind::MyQuestions => Request::MyQuestions,
            CommandKind::Withdraw => Request::Withdraw(question_number(argument)),
            CommandKind::Inbox => Request::Inbox,
            CommandKind::Answer => {
                let (number, text) = split_id(argument);
                Request::Answer {
                    number: question_number(number),
                    text: text.to_string(),
                    by_name: None,
                }
            }
        }
    }

    /// A question for the union, as written (trimmed).
    pub fn liuyan(question: &str) -> Request {
        Request::Liuyan(UnionQuestion {
            text: question.trim().to_string(),
            message_id: None,
            name: None,
        })
    }

    /// An admin's reply to one of the bot's messages, when that message is a
    /// question's notice (it names `留言` and one `#N`): the answer to
    /// question N. A message naming several (the `/inbox` list) gives an
    /// answer without a number, which is refused with the usage.
    pub fn answer_to(replied_text: &str, answer: &str) -> Option<Request> {
        // Where the bot writes a question's number: a notice's heading
        // (「新留言 #12」), its hint (「/answer 12 答复内容」, in the last part of a
        // notice split in two), or the one line of a one-question /inbox
        // (「#12 赵六…」). Numbers inside a member's words do not count.
        let leading_number = |text: &str| -> Option<i64> {
            let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        };
        let heading = replied_text
            .lines()
            .next()
            .and_then(|line| line.trim().strip_prefix("新留言 #"))
            .and_then(leading_number);
        let hint = || {
            let command = format!("/{} ", commands::command(CommandKind::Answer).name);
            replied_text
                .rsplit_once(&command)
                .and_then(|(_, after)| leading_number(after))
        };
        let listed: Vec<i64> = replied_text
            .lines()
            .filter(|_| replied_text.contains("留言"))
            .filter_map(|line| line.strip_prefix('#'))
            .filter(|rest| rest.contains(' '))
            .filter_map(leading_number)
            .collect();
        let number = match heading.or_else(hint) {
            Some(number) => Some(number),
            // Several questions listed: which one is asked of the admin.
            None if listed.len() > 1 => None,
            None => Some(*listed.first()?),
        };
        Some(Request::Answer {
            number,
            text: answer.trim().to_string(),
            by_name: None,
        })
    }

    /// The same request with what the front end knows of its message: the
    /// message id and the sender's display name (a 留言's, or the name of
    /// the admin who answers). Other requests are returned as they are.
    pub fn from_message(self, message_id: i32, name: &str) -> Request {
        match self {
            Request::Liuyan(question) => Request::Liuyan(UnionQuestion {
                message_id: Some(message_id),
                name: Some(name.to_string()),
                ..question
            }),
            Request::Answer { number, text, .. } => Request::Answer {
                number,
                text,
                by_name: Some(name.to_string()),
            },
            other => other,
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
                | Request::Inbox
                | Request::Answer { .. }
                | Request::Feedback { .. }
                | Request::Wordings { .. }
                | Request::Teach(_)
                | Request::Words
                | Request::Unteach(_)
                | Request::Editors(_)
        )
    }
}

/// `/feedback 30`, `/feedback 30天`, `/feedback 公积金`, `/feedback 30 公积金`:
/// the days, within bounds (the default for none or anything else), and a
/// topic whose members' wordings to show.
fn feedback_argument(argument: &str) -> (u32, Option<String>) {
    let folded = fold_width(argument.trim());
    let digits: String = folded.chars().take_while(char::is_ascii_digit).collect();
    let rest = folded[digits.len()..].trim_start_matches('天').trim();
    let days = digits
        .parse::<u32>()
        .ok()
        .filter(|d| *d > 0)
        .map_or(DEFAULT_FEEDBACK_DAYS, |d| d.min(MAX_FEEDBACK_DAYS));
    let topic = (!rest.is_empty()).then(|| normalize(rest).chars().take(40).collect());
    (days, topic)
}

/// `跑滴滴 = 网约车司机` (also `＝`, `→`, `=>`), or `确认 12`.
fn teach_argument(argument: &str) -> TeachArgument {
    let argument = argument.trim();
    if argument.is_empty() {
        return TeachArgument::Missing;
    }
    let folded = fold_width(argument);
    for confirm in ["确认", "ok", "OK", "yes"] {
        if let Some(rest) = folded.strip_prefix(confirm)
            && let Ok(id) = rest.trim().parse::<i64>()
        {
            return TeachArgument::Confirm(id);
        }
    }
    let split = ["=>", "=", "→", "->"]
        .iter()
        .find_map(|sep| folded.split_once(sep));
    match split {
        Some((word, mandarin)) if !word.trim().is_empty() && !mandarin.trim().is_empty() => {
            TeachArgument::Pair {
                word: word.trim().chars().take(40).collect(),
                mandarin: mandarin.trim().chars().take(40).collect(),
            }
        }
        _ => TeachArgument::Malformed(argument.chars().take(SHOWN_CHARS).collect()),
    }
}

/// `add 123456`, `remove 123456` (also 添加 / 删除), or nothing.
fn editors_argument(argument: &str) -> EditorsArgument {
    let folded = fold_width(argument.trim());
    if folded.is_empty() {
        return EditorsArgument::List;
    }
    let mut words = folded.split_whitespace();
    let (action, id) = (words.next().unwrap_or(""), words.next());
    let id = id
        .filter(|_| words.next().is_none())
        .and_then(|id| id.parse::<i64>().ok())
        .filter(|id| *id > 0);
    match (action.to_lowercase().as_str(), id) {
        ("add" | "添加" | "增加", Some(id)) => EditorsArgument::Add(id),
        ("remove" | "rm" | "del" | "删除" | "移除", Some(id)) => EditorsArgument::Remove(id),
        _ => EditorsArgument::Malformed(argument.trim().chars().take(SHOWN_CHARS).collect()),
    }
}

/// True when a message is an admin's `/push` command (its page may be in a
/// document or in the message it replies to, which the front end fetches).
pub fn is_push_command(text: &str) -> bool {
    commands::slash_command(text)
        .and_then(|typed| typed.command)
        .is_some_and(|c| c.kind == CommandKind::Push)
}

/// The question after 「留言」 typed without the slash (`留言 试用期多久`,
/// `留言：…`, `留言给工会`): `None` when the message does not start with
/// the word on its own (`留言板在哪` is a search).
fn spoken_liuyan(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("留言")?;
    let rest = rest.strip_prefix("给工会").unwrap_or(rest);
    let mut chars = rest.chars();
    match chars.next() {
        None => Some(""),
        Some(c) if c.is_whitespace() || "：:，,".contains(c) => Some(chars.as_str().trim()),
        Some(_) => None,
    }
}

/// A question's number as typed (`12`, `#12`, `＃１２`).
fn question_number(argument: &str) -> Option<i64> {
    let folded = fold_width(argument.trim());
    folded
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
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
    fn editorial_commands_are_parsed_with_their_arguments() {
        let pair = |w: &str, m: &str| {
            Request::Teach(TeachArgument::Pair {
                word: w.into(),
                mandarin: m.into(),
            })
        };
        let cases = [
            ("/teach 跑滴滴 = 网约车司机", pair("跑滴滴", "网约车司机")),
            ("/教词 跑滴滴＝网约车司机", pair("跑滴滴", "网约车司机")),
            ("/teach 跑单 => 外卖骑手", pair("跑单", "外卖骑手")),
            ("/teach", Request::Teach(TeachArgument::Missing)),
            ("/teach 确认 12", Request::Teach(TeachArgument::Confirm(12))),
            (
                "/teach 跑滴滴",
                Request::Teach(TeachArgument::Malformed("跑滴滴".into())),
            ),
            (
                "/teach = 网约车",
                Request::Teach(TeachArgument::Malformed("= 网约车".into())),
            ),
            ("/unteach 跑滴滴", Request::Unteach("跑滴滴".into())),
            ("/editors", Request::Editors(EditorsArgument::List)),
            (
                "/editors add 123456",
                Request::Editors(EditorsArgument::Add(123456)),
            ),
            (
                "/editors 删除 42",
                Request::Editors(EditorsArgument::Remove(42)),
            ),
            (
                "/editors add bob",
                Request::Editors(EditorsArgument::Malformed("add bob".into())),
            ),
            (
                "/editors add -5",
                Request::Editors(EditorsArgument::Malformed("add -5".into())),
            ),
            ("/feedback", Request::Feedback { days: 7 }),
            ("/feedback 30天", Request::Feedback { days: 30 }),
            ("/反馈 ９０", Request::Feedback { days: 90 }),
            (
                "/feedback 100000",
                Request::Feedback {
                    days: MAX_FEEDBACK_DAYS,
                },
            ),
            ("/feedback 0", Request::Feedback { days: 7 }),
            (
                "/feedback 30 公积金",
                Request::Wordings {
                    days: 30,
                    topic: topic_key("公积金"),
                },
            ),
            (
                "/feedback 公积金",
                Request::Wordings {
                    days: 7,
                    topic: topic_key("公积金"),
                },
            ),
            ("/privacy", Request::Privacy),
            ("隐私", Request::Privacy),
            ("/forget", Request::Forget),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text}");
        }
        for admin_only in [
            "/feedback",
            "/teach a=b",
            "/words",
            "/unteach a",
            "/editors",
        ] {
            assert!(parse(admin_only).is_admin_only(), "{admin_only}");
        }
        assert!(!parse("/forget").is_admin_only());
        assert_eq!(topic_key("公积金"), topic_key("公积金"));
        assert_ne!(topic_key("公积金"), topic_key("社保"));
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
    fn questions_to_the_union_are_read_with_and_without_the_slash() {
        let liuyan = |text: &str| Request::liuyan(text);
        let answer = |number, text: &str| Request::Answer {
            number,
            text: text.into(),
            by_name: None,
        };
        let cases = [
            ("/liuyan 试用期最长多久？", liuyan("试用期最长多久？")),
            ("／留言\n公积金怎么提取", liuyan("公积金怎么提取")),
            ("留言 欠薪怎么办", liuyan("欠薪怎么办")),
            ("留言：会费交多少", liuyan("会费交多少")),
            ("留言给工会", liuyan("")),
            ("/liuyan", liuyan("")),
            ("/start liuyan", liuyan("")),
            ("留言板在哪里", search("留言板在哪里")),
            ("/my_questions", Request::MyQuestions),
            ("/我的留言", Request::MyQuestions),
            ("/withdraw 12", Request::Withdraw(Some(12))),
            ("/withdraw ＃１２", Request::Withdraw(Some(12))),
            ("/withdraw 十二", Request::Withdraw(None)),
            ("/withdraw", Request::Withdraw(None)),
            ("/inbox", Request::Inbox),
            ("/answer 3 最长六个月。", answer(Some(3), "最长六个月。")),
            (
                "/answer #3\n第一行\n第二行",
                answer(Some(3), "第一行\n第二行"),
            ),
            ("/answer 三 文本", answer(None, "文本")),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "parse({text:?})");
        }
        let long = format!("留言 {}", "欠".repeat(4000));
        assert!(
            matches!(parse(&long), Request::Liuyan(q) if q.text.chars().count() == 4000),
            "a 留言 is not held to a search's length"
        );
        assert!(Request::Inbox.is_admin_only() && answer(None, "").is_admin_only());
        assert!(!parse("留言 问题").is_admin_only());
    }

    #[test]
    fn an_admins_reply_to_a_notice_answers_the_question_it_names() {
        assert_eq!(
            Request::answer_to("新留言 #17\n来自：张三", " 您好 "),
            Some(Request::Answer {
                number: Some(17),
                text: "您好".into(),
                by_name: None
            })
        );
        assert_eq!(
            Request::answer_to("待答复的留言\n#3 …\n#4 …", "好"),
            Some(Request::Answer {
                number: None,
                text: "好".into(),
                by_name: None
            })
        );
        assert_eq!(Request::answer_to("湛江的最新报道 #1", "好"), None);
        assert_eq!(Request::answer_to("留言已收到", "好"), None);
        // Numbers in a member's words or the member's name do not count;
        // the last part of a notice split in two names it in its hint.
        let answered = |number| {
            Some(Request::Answer {
                number: Some(number),
                text: "好".into(),
                by_name: None,
            })
        };
        assert_eq!(
            Request::answer_to("新留言 #8\n来自：#1 班组长\n我在#3车间被欠薪", "好"),
            answered(8)
        );
        assert_eq!(
            Request::answer_to(
                "……欠薪\n提示：直接回复这条消息即可答复；也可以发送 /answer 21 答复内容。",
                "好"
            ),
            answered(21)
        );
        assert_eq!(
            Request::answer_to("待答复的留言（1 条）\n\n#5 赵六：问题", "好"),
            answered(5)
        );
        // A member's own confirmation (「已收到您的留言（#3）」) is not a notice.
        assert_eq!(Request::answer_to("已收到您的留言（#3）。", "好"), None);
        assert_eq!(
            Request::liuyan("问题").from_message(5, "张三"),
            Request::Liuyan(UnionQuestion {
                text: "问题".into(),
                message_id: Some(5),
                name: Some("张三".into())
            })
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
