//! Subscriptions: `/subscribe`, `/unsubscribe`, `/subscriptions`, and
//! wishes said in words (湛江有新消息提醒我), answered with a one-tap offer.

use super::Conversation;
use super::lists::place_problem;
use crate::chat::Wish;
use crate::commands::CommandKind;
use crate::desk::DeskError;
use crate::reply::{Reply, text};
use crate::request::{PlaceArgument, Sender, Subscription};
use crate::store::ALL_CITIES;
use crate::zh::places::gazetteer;

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
            text::subscribed(
                &label,
                self.store
                    .subscribe(sender.chat_id, code, self.time.unix())?,
            )
        } else {
            text::unsubscribed(&label, self.store.unsubscribe(sender.chat_id, code)?)
        })
    }

    /// `/subscriptions`: what this chat is sent.
    pub(super) fn subscriptions(&self, sender: &Sender) -> Result<Reply, DeskError> {
        let names: Vec<String> = self
            .subscribed(sender)?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        Ok(text::subscriptions(&names))
    }

    /// The chat's subscriptions: code and name.
    fn subscribed(&self, sender: &Sender) -> Result<Vec<(u32, String)>, DeskError> {
        Ok(self
            .store
            .subscriptions(sender.chat_id)?
            .into_iter()
            .map(|code| {
                let name = match code {
                    ALL_CITIES => text::ALL_NEWS.to_string(),
                    code => gazetteer()
                        .city_by_code(code)
                        .map(|c| c.short_name().to_string())
                        .unwrap_or_else(|| code.to_string()),
                };
                (code, name)
            })
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
