//! Subscriptions: `/subscribe` (in a mode: `/subscribe 湛江 每日`),
//! `/unsubscribe`, `/subscriptions` with its one-tap settings, links that
//! subscribe (`/start sub_zhanjiang`), and wishes said in words (湛江有新
//! 消息提醒我), answered with a one-tap offer. Every change to a chat's
//! subscriptions and settings goes through [`Conversation::change`].

use super::Conversation;
use super::lists::place_problem;
use crate::chat::Wish;
use crate::commands::CommandKind;
use crate::desk::DeskError;
use crate::query::{NamedPlace, Question};
use crate::reply::{Reply, text};
use crate::request::{PlaceArgument, Sender, Setting, Subscription, SubscriptionChoice};
use crate::store::{ALL_CITIES, DIGEST_HOURS, DeliveryMode, QuietHours};
use crate::zh::places::{Level, gazetteer};

/// A change to a chat's deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Subscribe to a city (or all news) in a mode, or set the mode of the
    /// subscription there is.
    Subscribe(u32, DeliveryMode),
    /// Set the mode of an existing subscription (nothing when there is none).
    SetMode(u32, DeliveryMode),
    /// End a subscription.
    Unsubscribe(u32),
    /// The hour of the daily digest.
    DigestHour(u8),
    /// What happens in the quiet hours.
    Quiet(QuietHours),
}

/// Words that mean the member's own place (附近, 我们这边): with no place
/// named, a chat subscribed to one city means that city.
const LOCAL_WORDS: [&str; 7] = [
    "附近",
    "我们这边",
    "我们这里",
    "我们这",
    "本地",
    "这边",
    "本市",
];

/// The prefix of a start parameter that subscribes (`sub_zhanjiang`).
const LINK_PREFIX: &str = "sub_";
/// The suffixes of a start parameter that ask for the daily digest.
const LINK_DIGEST_SUFFIXES: [&str; 4] = ["_daily", "-daily", "_digest", "-digest"];

/// The start parameter that subscribes to a city (its division code, which
/// a link keeps whatever the city's name is spelled as): `sub_440800`.
pub(in crate::desk) fn link_parameter(code: u32) -> String {
    match code {
        ALL_CITIES => format!("{LINK_PREFIX}all"),
        code => format!("{LINK_PREFIX}{code}00"),
    }
}

/// The city (or all news) and mode a start parameter subscribes to:
/// `sub_zhanjiang`, `sub_440800`, `sub_4408`, `sub_all`, each maybe with
/// `_daily`. `None` for anything else. Telegram allows only letters,
/// digits, `_` and `-` in it, and so does this.
pub(in crate::desk) fn read_link(parameter: &str) -> Option<(u32, DeliveryMode)> {
    if parameter.is_empty()
        || parameter.len() > 64
        || !parameter
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let rest = parameter.strip_prefix(LINK_PREFIX)?;
    let (place, mode) = match LINK_DIGEST_SUFFIXES
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix))
    {
        Some(place) => (place, DeliveryMode::Digest),
        None => (rest, DeliveryMode::Each),
    };
    if place.eq_ignore_ascii_case("all") {
        return Some((ALL_CITIES, mode));
    }
    let code = if place.chars().all(|c| c.is_ascii_digit()) {
        let number: u32 = place.parse().ok()?;
        match place.len() {
            4 => number,
            6 if number.is_multiple_of(100) => number / 100,
            _ => return None,
        }
    } else {
        // Pinyin, as the gazetteer spells prefectures (`zhanjiang`).
        let found = gazetteer().lookup(&place.replace(['-', '_'], ""));
        let mut cities = found
            .iter()
            .filter(|p| p.level == Level::Prefecture)
            .map(|p| p.code);
        let first = cities.next()?;
        if cities.any(|other| other != first) {
            return None;
        }
        first
    };
    gazetteer().city_by_code(code).map(|city| (city.code, mode))
}

impl Conversation<'_> {
    /// `/subscribe` (`on`) or `/unsubscribe` (not `on`) a place or 全部.
    pub(super) fn subscribe(
        &self,
        sender: &Sender,
        target: &Subscription,
        on: bool,
    ) -> Result<Reply, DeskError> {
        let (code, label) = match target {
            Subscription::All => (ALL_CITIES, text::ALL_NEWS.to_string()),
            Subscription::Place(PlaceArgument::City { city, .. }) => {
                (city.code, city.short_name().to_string())
            }
            Subscription::Place(other) => {
                let asked = if on {
                    CommandKind::Subscribe
                } else {
                    CommandKind::Unsubscribe
                };
                return Ok(place_problem(other, asked));
            }
        };
        Ok(if on {
            let before = self.change(sender, Change::Subscribe(code, DeliveryMode::Each))?;
            let mut reply = text::subscribed(&label, before.is_none());
            self.add_share_link(sender, code, &label, &mut reply);
            reply
        } else {
            let before = self.change(sender, Change::Unsubscribe(code))?;
            text::unsubscribed(&label, before.is_some())
        })
    }

    /// `/subscribe 湛江 每日`: a subscription in a mode (new, or the mode of
    /// the one there is changed).
    pub(super) fn subscribe_in_mode(
        &self,
        sender: &Sender,
        target: &Subscription,
        mode: DeliveryMode,
    ) -> Result<Reply, DeskError> {
        let (code, label) = match target {
            Subscription::All => (ALL_CITIES, text::ALL_NEWS.to_string()),
            Subscription::Place(PlaceArgument::City { city, .. }) => {
                (city.code, city.short_name().to_string())
            }
            Subscription::Place(other) => return Ok(place_problem(other, CommandKind::Subscribe)),
        };
        let before = self.change(sender, Change::Subscribe(code, mode))?;
        let hour = self.store.chat_prefs(sender.chat_id)?.digest_hour;
        let mut reply = text::subscribed_in_mode(&label, before, mode, hour);
        self.add_share_link(sender, code, &label, &mut reply);
        Ok(reply)
    }

    /// An admin's subscribe reply also gives the link that subscribes in
    /// one tap, for a poster or a QR code.
    fn add_share_link(&self, sender: &Sender, code: u32, label: &str, reply: &mut Reply) {
        if !sender.is_admin {
            return;
        }
        let parameter = link_parameter(code);
        let link = match self.bot_username {
            Some(name) => format!("https://t.me/{name}?start={parameter}"),
            None => format!("/start {parameter}"),
        };
        reply.push(text::share_link(label, &link));
    }

    /// `/start sub_zhanjiang`: a link on a poster subscribes in one tap; a
    /// parameter this bot did not write gets the welcome, saying so.
    pub(super) fn start_link(&self, sender: &Sender, parameter: &str) -> Result<Reply, DeskError> {
        let Some((code, mode)) = read_link(parameter) else {
            tracing::info!(parameter, "a start link that is not ours");
            let stats = self.store.stats()?;
            let welcome = text::welcome(stats.articles, stats.newest, stats.per_city.len());
            return Ok(text::link_invalid(welcome));
        };
        let label = self.label_of(code);
        let before = self.change(sender, Change::Subscribe(code, mode))?;
        let hour = self.store.chat_prefs(sender.chat_id)?.digest_hour;
        Ok(text::link_subscribed(&label, before, mode, hour))
    }

    /// `/subscriptions`: what this chat is sent and how, with its buttons.
    pub(super) fn subscriptions(&self, sender: &Sender) -> Result<Reply, DeskError> {
        self.panel(sender, None)
    }

    /// The settings panel, `note` first.
    fn panel(&self, sender: &Sender, note: Option<String>) -> Result<Reply, DeskError> {
        let modes = self.store.subscription_modes(sender.chat_id)?;
        let lines: Vec<(u32, String, DeliveryMode)> = modes
            .into_iter()
            .map(|(code, mode)| (code, self.label_of(code), mode))
            .collect();
        let prefs = self.store.chat_prefs(sender.chat_id)?;
        Ok(text::subscription_panel(&lines, prefs, note))
    }

    /// A button under `/subscriptions`: the change made and the panel as it
    /// stands now (the message is edited in place); a subscription the chat
    /// does not have or an hour no button offers changes nothing.
    pub(super) fn setting(&self, sender: &Sender, setting: Setting) -> Result<Reply, DeskError> {
        let (change, label) = match setting {
            Setting::Subscription { code, choice } => {
                let change = match choice {
                    SubscriptionChoice::Mode(mode) => Change::SetMode(code, mode),
                    SubscriptionChoice::Unsubscribe => Change::Unsubscribe(code),
                };
                (change, self.label_of(code))
            }
            Setting::DigestHour(hour) if !DIGEST_HOURS.contains(&hour) => {
                tracing::warn!(
                    chat = sender.chat_id,
                    hour,
                    "a digest hour no button offers"
                );
                return Ok(text::digest_hour_refused());
            }
            Setting::DigestHour(hour) => (Change::DigestHour(hour), String::new()),
            Setting::Quiet(quiet) => (Change::Quiet(quiet), String::new()),
        };
        let before = self.change(sender, change)?;
        if matches!(setting, Setting::Subscription { .. }) && before.is_none() {
            tracing::warn!(
                chat = sender.chat_id,
                ?setting,
                "a setting for no subscription"
            );
            return Ok(text::setting_not_subscribed(&label));
        }
        let mut reply = self.panel(sender, Some(text::setting_changed(setting, &label)))?;
        reply.replaces_message = true;
        Ok(reply)
    }

    /// Makes one change to the chat's deliveries: every subscription,
    /// mode and setting change goes through here (the place for a rule on
    /// who may change a group's). Returns the mode the subscription had
    /// before (`None`: there was none; always `None` for the chat's settings).
    fn change(&self, sender: &Sender, change: Change) -> Result<Option<DeliveryMode>, DeskError> {
        let chat = sender.chat_id;
        let mode_of = |code: u32| -> Result<Option<DeliveryMode>, DeskError> {
            Ok(self
                .store
                .subscription_modes(chat)?
                .into_iter()
                .find_map(|(c, mode)| (c == code).then_some(mode)))
        };
        Ok(match change {
            Change::Subscribe(code, DeliveryMode::Each) => {
                // A plain `/subscribe` keeps a subscription's mode.
                let before = mode_of(code)?;
                if before.is_none() {
                    self.store.subscribe(chat, code, self.time.unix())?;
                }
                before
            }
            Change::Subscribe(code, mode) => {
                self.store
                    .subscribe_in_mode(chat, code, mode, self.time.unix())?
            }
            Change::SetMode(code, mode) => {
                let before = mode_of(code)?;
                if before.is_some() {
                    self.store.set_mode(chat, code, mode)?;
                }
                before
            }
            Change::Unsubscribe(code) => {
                let before = mode_of(code)?;
                if before.is_some() {
                    self.store.unsubscribe(chat, code)?;
                }
                before
            }
            Change::DigestHour(hour) => {
                self.store.set_digest_hour(chat, hour)?;
                None
            }
            Change::Quiet(quiet) => {
                self.store.set_quiet_hours(chat, quiet)?;
                None
            }
        })
    }

    /// A question that says 附近 or 我们这边 and names no place, from a chat
    /// subscribed to one city, is about that city: the city is added to
    /// the question (the local words leave its topic) and its name returned,
    /// for the reply to say so. `None` otherwise, the question untouched.
    pub(super) fn default_place(
        &self,
        sender: &Sender,
        question: &mut Question,
    ) -> Result<Option<String>, DeskError> {
        let Some(word) = LOCAL_WORDS
            .iter()
            .find(|w| question.normalized.contains(*w))
        else {
            return Ok(None);
        };
        if !question.places.is_empty() {
            return Ok(None);
        }
        let cities: Vec<u32> = self
            .store
            .subscriptions(sender.chat_id)?
            .into_iter()
            .filter(|code| *code != ALL_CITIES)
            .collect();
        let [code] = cities[..] else {
            return Ok(None);
        };
        let Some(city) = gazetteer().city_by_code(code) else {
            return Ok(None);
        };
        let name = city.short_name().to_string();
        question.words.retain(|w| {
            !LOCAL_WORDS
                .iter()
                .any(|l| l.contains(w.as_str()) || w.contains(l))
        });
        question.places.push(NamedPlace {
            text: (*word).to_string(),
            cities: vec![city],
            is_province: false,
            candidates: Vec::new(),
        });
        Ok(Some(name))
    }

    /// A subscription's name: the city's short name, or 全部新闻.
    fn label_of(&self, code: u32) -> String {
        match code {
            ALL_CITIES => text::ALL_NEWS.to_string(),
            code => gazetteer()
                .city_by_code(code)
                .map(|c| c.short_name().to_string())
                .unwrap_or_else(|| code.to_string()),
        }
    }

    /// The chat's subscriptions: code and name.
    fn subscribed(&self, sender: &Sender) -> Result<Vec<(u32, String)>, DeskError> {
        Ok(self
            .store
            .subscriptions(sender.chat_id)?
            .into_iter()
            .map(|code| (code, self.label_of(code)))
            .collect())
    }

    /// A wish said in words (湛江有新消息提醒我, 别再发了): the offer for the
    /// place it names, as a button that does what the command does; without
    /// a place, how to (or, to stop, the chat's subscriptions to choose from).
    pub(super) fn wish(
        &self,
        sender: &Sender,
        wish: Wish,
        places: &[PlaceArgument],
    ) -> Result<Reply, DeskError> {
        let place = places.first().cloned().map(|p| self.settle(p));
        let asked = match wish {
            Wish::Subscribe => CommandKind::Subscribe,
            Wish::Unsubscribe => CommandKind::Unsubscribe,
        };
        Ok(match (wish, place) {
            (_, Some(PlaceArgument::City { city, .. })) => {
                let label = city.short_name().to_string();
                match wish {
                    Wish::Subscribe => text::subscribe_offer(city.code, &label),
                    Wish::Unsubscribe => {
                        let subscribed = self
                            .subscribed(sender)?
                            .iter()
                            .any(|(code, _)| *code == city.code);
                        text::unsubscribe_offer(city.code, &label, subscribed)
                    }
                }
            }
            (_, Some(other)) => place_problem(&other, asked),
            (Wish::Subscribe, None) => text::subscribe_how(),
            (Wish::Unsubscribe, None) => text::unsubscribe_which(&self.subscribed(sender)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_a_city_by_pinyin_or_division_code_and_anything_else_is_refused() {
        let zhanjiang = Some((4408, DeliveryMode::Each));
        for parameter in ["sub_zhanjiang", "sub_440800", "sub_4408", "sub_ZhanJiang"] {
            assert_eq!(read_link(parameter), zhanjiang, "{parameter}");
        }
        assert_eq!(
            read_link("sub_zhanjiang_daily"),
            Some((4408, DeliveryMode::Digest))
        );
        assert_eq!(read_link("sub_all"), Some((ALL_CITIES, DeliveryMode::Each)));
        for bad in [
            "",
            "sub_",
            "zhanjiang",
            "sub_湛江",
            "sub_440801",
            "sub_999900",
            "sub_nowhere",
            "sub_zhanjiang!",
            "ref_zhanjiang",
            "sub_44080",
        ] {
            assert_eq!(read_link(bad), None, "{bad:?}");
        }
        assert_eq!(read_link(&link_parameter(4408)), zhanjiang);
        assert_eq!(
            read_link(&link_parameter(ALL_CITIES)).map(|l| l.0),
            Some(ALL_CITIES)
        );
    }
}
