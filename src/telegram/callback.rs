//! Inline-keyboard buttons and their callback data.
//!
//! Callback data is stateless: it says what to show (`a:1a2b3c4d` the full
//! article, `c:4408:2` page 2 of a city list, `s:2` page 2 of the search the
//! message answers), so buttons keep working after a restart. Every encoding
//! is far below Telegram's 64-byte limit.

use crate::article::ArticleId;
use crate::reply::{EditAction, ListKind, Offer, Reply, text};
use crate::request::{Setting, SubscriptionChoice};
use crate::store::{DeliveryMode, QuietHours, Vote};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Telegram's limit for callback data, in bytes.
pub const CALLBACK_DATA_LIMIT: usize = 64;

/// What a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    /// Show an article in full.
    Full(ArticleId),
    /// Show another page of a list.
    Page {
        /// The list.
        list: ListKind,
        /// The page, 1-based.
        page: usize,
    },
    /// Subscribe the chat to a city (a prefecture code; 0: everything).
    Subscribe(u32),
    /// Unsubscribe the chat from a city (a prefecture code; 0: everything).
    Unsubscribe(u32),
    /// An editor's action on a pushed article. Callback data is written by
    /// the client and can be forged: the presser's id is checked when pressed.
    Edit(EditAction, ArticleId),
    /// Set the year of an article's event date (an editor's, checked likewise).
    /// Leave the question the pressed message answers for the union (留言给工会):
    /// only its asker may (checked when pressed).
    LeaveQuestion,
    /// Withdraw one's own question to the union (the desk checks whose it is).
    WithdrawQuestion(i64),
    EventYear(ArticleId, i32),
    /// 👍 or 👎 on a logged answer (one per member: the presser's id counts).
    Vote(i64, Vote),
    /// Another period of `/feedback` (admins, checked when pressed).
    FeedbackPeriod(u32),
    /// Members' wordings of a `/feedback` topic (admins, checked likewise).
    Wordings(u32, u64),
    /// Save a proposed taught word (admins, checked likewise).
    ConfirmWord(i64),
    /// Change a delivery setting of the chat (`m:4408:d` a subscription's
    /// mode, `h:8` the digest hour, `n:s` the quiet hours); the desk checks
    /// the chat has the subscription.
    Setting(Setting),
}

impl Callback {
    /// The callback data for this button.
    pub fn encode(&self) -> String {
        match self {
            Callback::Full(id) => format!("a:{id}"),
            Callback::Page { list, page } => match list {
                ListKind::Search => format!("s:{page}"),
                ListKind::City(code) => format!("c:{code}:{page}"),
                ListKind::Latest => format!("l:{page}"),
            },
            Callback::Subscribe(code) => format!("u:{code}"),
            Callback::Unsubscribe(code) => format!("x:{code}"),
            Callback::Edit(action, id) => {
                let action = match action {
                    EditAction::Send => "s",
                    EditAction::Correct => "c",
                    EditAction::Retract => "r",
                    EditAction::Restore => "o",
                    EditAction::Schedule => "t",
                    EditAction::Update => "u",
                    EditAction::Keep => "k",
                };
                format!("e:{action}:{id}")
            }
            Callback::EventYear(id, year) => format!("y:{id}:{year}"),
            Callback::Vote(answer, vote) => {
                let vote = match vote {
                    Vote::Helpful => 1,
                    Vote::Missed => 0,
                };
                format!("v:{answer}:{vote}")
            }
            Callback::FeedbackPeriod(days) => format!("fp:{days}"),
            Callback::Wordings(days, topic) => format!("fw:{days}:{topic:x}"),
            Callback::ConfirmWord(proposal) => format!("tw:{proposal}"),
            Callback::LeaveQuestion => "q".to_string(),
            Callback::WithdrawQuestion(number) => format!("qw:{number}"),
            Callback::Setting(Setting::Subscription { code, choice }) => {
                let choice = match choice {
                    SubscriptionChoice::Mode(DeliveryMode::Each) => "e",
                    SubscriptionChoice::Mode(DeliveryMode::Digest) => "d",
                    SubscriptionChoice::Mode(DeliveryMode::Paused) => "p",
                    SubscriptionChoice::Unsubscribe => "x",
                };
                format!("m:{code}:{choice}")
            }
            Callback::Setting(Setting::DigestHour(hour)) => format!("h:{hour}"),
            Callback::Setting(Setting::Quiet(quiet)) => match quiet {
                QuietHours::Silent => "n:s".into(),
                QuietHours::Morning => "n:m".into(),
            },
        }
    }

    /// Reads callback data; `None` for anything this bot did not write.
    pub fn decode(data: &str) -> Option<Callback> {
        if data == "q" {
            return Some(Callback::LeaveQuestion);
        }
        let mut parts = data.split(':');
        let kind = parts.next()?;
        let first = parts.next()?;
        let second = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let page = |text: &str| {
            text.parse::<usize>()
                .ok()
                .filter(|p| (1..=crate::request::MAX_PAGE).contains(p))
        };
        Some(match (kind, second) {
            ("a", None) => Callback::Full(ArticleId::parse(first)?),
            ("s", None) => Callback::Page {
                list: ListKind::Search,
                page: page(first)?,
            },
            ("l", None) => Callback::Page {
                list: ListKind::Latest,
                page: page(first)?,
            },
            ("u", None) => Callback::Subscribe(first.parse().ok()?),
            ("x", None) => Callback::Unsubscribe(first.parse().ok()?),
            ("c", Some(p)) => Callback::Page {
                list: ListKind::City(first.parse().ok()?),
                page: page(p)?,
            },
            ("e", Some(id)) => {
                let action = match first {
                    "s" => EditAction::Send,
                    "c" => EditAction::Correct,
                    "r" => EditAction::Retract,
                    "o" => EditAction::Restore,
                    "t" => EditAction::Schedule,
                    "u" => EditAction::Update,
                    "k" => EditAction::Keep,
                    _ => return None,
                };
                Callback::Edit(action, ArticleId::parse(id)?)
            }
            ("qw", None) => {
                Callback::WithdrawQuestion(first.parse().ok().filter(|n: &i64| *n > 0)?)
            }
            ("v", Some(vote)) => Callback::Vote(
                first.parse().ok().filter(|id: &i64| *id > 0)?,
                match vote {
                    "1" => Vote::Helpful,
                    "0" => Vote::Missed,
                    _ => return None,
                },
            ),
            ("fp", None) => Callback::FeedbackPeriod(feedback_days(first)?),
            ("fw", Some(topic)) => {
                Callback::Wordings(feedback_days(first)?, u64::from_str_radix(topic, 16).ok()?)
            }
            ("tw", None) => Callback::ConfirmWord(first.parse().ok().filter(|id: &i64| *id > 0)?),
            ("m", Some(choice)) => Callback::Setting(Setting::Subscription {
                code: first.parse().ok().filter(|c| *c < 10_000)?,
                choice: match choice {
                    "e" => SubscriptionChoice::Mode(DeliveryMode::Each),
                    "d" => SubscriptionChoice::Mode(DeliveryMode::Digest),
                    "p" => SubscriptionChoice::Mode(DeliveryMode::Paused),
                    "x" => SubscriptionChoice::Unsubscribe,
                    _ => return None,
                },
            }),
            ("h", None) => Callback::Setting(Setting::DigestHour(
                first.parse().ok().filter(|h: &u8| *h < 24)?,
            )),
            ("n", None) => Callback::Setting(Setting::Quiet(match first {
                "s" => QuietHours::Silent,
                "m" => QuietHours::Morning,
                _ => return None,
            })),
            ("y", Some(year)) => Callback::EventYear(
                ArticleId::parse(first)?,
                year.parse().ok().filter(|y| (1949..=2200).contains(y))?,
            ),
            _ => return None,
        })
    }
}

/// A period of days a `/feedback` button may carry.
fn feedback_days(text: &str) -> Option<u32> {
    text.parse()
        .ok()
        .filter(|d| (1..=crate::request::MAX_FEEDBACK_DAYS).contains(d))
}

/// The keyboard under a reply: 全文 for each listed article, 上一页 /
/// 下一页 where the list has other pages, and the reply's offers (订阅湛江).
/// `None` when there is nothing to press.
pub fn keyboard_for(reply: &Reply, with_full_text: bool) -> Option<InlineKeyboardMarkup> {
    keyboard_in_chat(reply, with_full_text, None)
}

/// The keyboard under a reply in a chat: in a group (`private_chat` is the
/// link that opens the bot's private chat, `https://t.me/<bot>?start=liuyan`)
/// 留言给工会 opens the private chat instead of filing the question, so a
/// member's question is never posted in the group.
pub fn keyboard_in_chat(
    reply: &Reply,
    with_full_text: bool,
    private_chat: Option<&reqwest::Url>,
) -> Option<InlineKeyboardMarkup> {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if with_full_text && !reply.listed.is_empty() {
        // Each button carries its item's own number (a digest's struck
        // lines leave gaps); an article listed without an item counts on.
        let ranks: Vec<usize> = reply
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::reply::Block::Item(item) => Some(item.rank),
                _ => None,
            })
            .collect();
        let first_rank = ranks.first().copied().unwrap_or(1);
        let buttons: Vec<InlineKeyboardButton> = reply
            .listed
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let label = if reply.listed.len() == 1 {
                    text::BUTTON_FULL_TEXT.to_string()
                } else {
                    let rank = ranks.get(i).copied().unwrap_or(first_rank + i);
                    format!("{} {rank}", text::BUTTON_FULL_TEXT)
                };
                InlineKeyboardButton::callback(label, Callback::Full(id.clone()).encode())
            })
            .collect();
        rows.extend(buttons.chunks(3).map(<[_]>::to_vec));
    }
    if let Some(pages) = reply.pages {
        let mut nav = Vec::new();
        if pages.page > 1 {
            let back = Callback::Page {
                list: pages.list,
                page: pages.page - 1,
            };
            nav.push(InlineKeyboardButton::callback(
                text::BUTTON_PREVIOUS,
                back.encode(),
            ));
        }
        if pages.has_next {
            let next = Callback::Page {
                list: pages.list,
                page: pages.page + 1,
            };
            nav.push(InlineKeyboardButton::callback(
                text::BUTTON_NEXT,
                next.encode(),
            ));
        }
        if !nav.is_empty() {
            rows.push(nav);
        }
    }
    let offers: Vec<InlineKeyboardButton> = reply
        .offers
        .iter()
        .filter(|offer| !matches!(offer, Offer::Setting { .. }))
        .map(|offer| match offer {
            Offer::Subscribe { code, label } => InlineKeyboardButton::callback(
                text::button_subscribe(label),
                Callback::Subscribe(*code).encode(),
            ),
            Offer::Unsubscribe { code, label } => InlineKeyboardButton::callback(
                text::button_unsubscribe(label),
                Callback::Unsubscribe(*code).encode(),
            ),
            Offer::Edit { action, id, label } => InlineKeyboardButton::callback(
                text::button_edit(*action, label),
                Callback::Edit(*action, id.clone()).encode(),
            ),
            Offer::EventYear { id, year, label } => InlineKeyboardButton::callback(
                label.clone(),
                Callback::EventYear(id.clone(), *year).encode(),
            ),
            Offer::FeedbackPeriod { days, label } => InlineKeyboardButton::callback(
                label.clone(),
                Callback::FeedbackPeriod(*days).encode(),
            ),
            Offer::Wordings { days, topic, label } => InlineKeyboardButton::callback(
                label.clone(),
                Callback::Wordings(*days, *topic).encode(),
            ),
            Offer::ConfirmWord { proposal } => InlineKeyboardButton::callback(
                text::BUTTON_SAVE_WORD,
                Callback::ConfirmWord(*proposal).encode(),
            ),
            Offer::LeaveQuestion => match private_chat {
                Some(link) => InlineKeyboardButton::url(text::BUTTON_LEAVE_QUESTION, link.clone()),
                None => InlineKeyboardButton::callback(
                    text::BUTTON_LEAVE_QUESTION,
                    Callback::LeaveQuestion.encode(),
                ),
            },
            Offer::WithdrawQuestion(number) => InlineKeyboardButton::callback(
                text::button_withdraw(*number),
                Callback::WithdrawQuestion(*number).encode(),
            ),
            Offer::Setting { setting, label } => {
                InlineKeyboardButton::callback(label.clone(), Callback::Setting(*setting).encode())
            }
        })
        .collect();
    let per_row = if reply
        .offers
        .iter()
        .any(|o| matches!(o, Offer::Edit { .. } | Offer::Wordings { .. }))
    {
        if reply
            .offers
            .iter()
            .any(|o| matches!(o, Offer::Wordings { .. }))
        {
            4
        } else {
            3
        }
    } else {
        2
    };
    rows.extend(offers.chunks(per_row).map(<[_]>::to_vec));
    if let Some(answer) = reply.votes {
        rows.push(vec![
            InlineKeyboardButton::callback(
                text::BUTTON_HELPFUL,
                Callback::Vote(answer, Vote::Helpful).encode(),
            ),
            InlineKeyboardButton::callback(
                text::BUTTON_MISSED,
                Callback::Vote(answer, Vote::Missed).encode(),
            ),
        ]);
    }
    rows.extend(setting_rows(reply));
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

/// The rows of `/subscriptions`' buttons: one a subscription (its modes
/// and 退订), one of digest hours, one for the quiet hours.
fn setting_rows(reply: &Reply) -> Vec<Vec<InlineKeyboardButton>> {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let mut last_key = None;
    for offer in &reply.offers {
        let Offer::Setting { setting, label } = offer else {
            continue;
        };
        let key = match setting {
            Setting::Subscription { code, .. } => i64::from(*code),
            Setting::DigestHour(_) => -1,
            Setting::Quiet(_) => -2,
        };
        let button =
            InlineKeyboardButton::callback(label.clone(), Callback::Setting(*setting).encode());
        match rows.last_mut() {
            Some(row) if last_key == Some(key) => row.push(button),
            _ => rows.push(vec![button]),
        }
        last_key = Some(key);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DIGEST_HOURS;

    #[test]
    fn callbacks_round_trip_and_fit_telegrams_limit() {
        let cases = [
            Callback::Full(ArticleId::parse("1a2b3c4d").unwrap()),
            Callback::LeaveQuestion,
            Callback::WithdrawQuestion(i64::MAX),
            Callback::Page {
                list: ListKind::Search,
                page: 2,
            },
            Callback::Page {
                list: ListKind::City(4408),
                page: 1000,
            },
            Callback::Page {
                list: ListKind::Latest,
                page: 1,
            },
            Callback::Vote(i64::MAX, Vote::Helpful),
            Callback::Vote(12, Vote::Missed),
            Callback::FeedbackPeriod(366),
            Callback::Wordings(30, u64::MAX),
            Callback::ConfirmWord(i64::MAX),
        ];
        for case in cases {
            let data = case.encode();
            assert!(data.len() <= CALLBACK_DATA_LIMIT, "{data}");
            assert_eq!(Callback::decode(&data), Some(case), "{data}");
        }
    }

    #[test]
    fn setting_buttons_round_trip_and_forged_ones_are_ignored() {
        let mut cases = vec![
            Callback::Setting(Setting::Quiet(QuietHours::Silent)),
            Callback::Setting(Setting::Quiet(QuietHours::Morning)),
        ];
        for choice in [
            SubscriptionChoice::Mode(DeliveryMode::Each),
            SubscriptionChoice::Mode(DeliveryMode::Digest),
            SubscriptionChoice::Mode(DeliveryMode::Paused),
            SubscriptionChoice::Unsubscribe,
        ] {
            cases.push(Callback::Setting(Setting::Subscription {
                code: 4408,
                choice,
            }));
        }
        cases.extend(DIGEST_HOURS.map(|h| Callback::Setting(Setting::DigestHour(h))));
        for case in cases {
            let data = case.encode();
            assert!(data.len() <= CALLBACK_DATA_LIMIT, "{data}");
            assert_eq!(Callback::decode(&data), Some(case), "{data}");
        }
        for data in [
            "m:4408",
            "m:4408:z",
            "m:x:d",
            "m:99999:d",
            "h:24",
            "h:-1",
            "h:8:1",
            "n:q",
            "n",
        ] {
            assert_eq!(Callback::decode(data), None, "{data:?}");
        }
    }

    #[test]
    fn foreign_or_broken_callback_data_is_ignored() {
        for data in [
            "", "a", "a:", "a:xyz", "s:0", "s:-1", "c:4408", "c:x:1", "l:1:2", "z:1", "s:99999",
            "v:1:2", "v:-3:1", "v:x:1", "fp:0", "fp:9999", "fw:7:zz", "fw:7", "tw:0", "tw:x",
            "q:1", "qw:", "qw:0", "qw:-3", "qw:x", "qa:1",
        ] {
            assert_eq!(Callback::decode(data), None, "{data:?}");
        }
    }
}
