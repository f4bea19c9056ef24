//! What goes out and what came in: the subscriber outbox (claimed with a
//! lease, marked made or failed, given up after [`MAX_DELIVERY_ATTEMPTS`])
//! and the record of Telegram updates already handled, so an update sent
//! again after a crash is not answered twice.

use super::DeskError;
use super::conversation::list_item;
use crate::reply::{Reply, text};
use crate::store::{Delivery, NewsStore};

/// Attempts after which a subscriber delivery is given up.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 12;
/// How long a claimed delivery is held before another sender may take it.
const LEASE_SECS: i64 = 120;
/// How long a handled update is remembered: twice as long as Telegram keeps one.
const KEEP_HANDLED_SECS: i64 = 2 * 24 * 3600;

/// The delivery and update bookkeeping of a desk.
pub struct Deliveries<'d> {
    pub(super) store: &'d dyn NewsStore,
}

impl Deliveries<'_> {
    /// Claims up to `limit` due subscriber deliveries, each with the message
    /// to send. A delivery whose article was deleted is dropped here.
    pub fn claim(&self, limit: usize) -> Result<Vec<(Delivery, Reply)>, DeskError> {
        let mut out = Vec::new();
        for delivery in self.store.claim_due_deliveries(limit, LEASE_SECS)? {
            match self.store.article(&delivery.article_id)? {
                Some(article) => {
                    let message = text::notification(list_item(&article, 1));
                    out.push((delivery, message));
                }
                None => self.store.drop_delivery(delivery.id, "article deleted")?,
            }
        }
        Ok(out)
    }

    /// Records a delivery as made.
    pub fn done(&self, delivery: &Delivery) -> Result<(), DeskError> {
        Ok(self.store.mark_delivered(delivery.id)?)
    }

    /// Records a failed delivery attempt; it is retried later, with a growing
    /// pause (or after `retry_in_secs` when Telegram said), and given up
    /// after [`MAX_DELIVERY_ATTEMPTS`].
    pub fn failed(
        &self,
        delivery: &Delivery,
        error: &str,
        retry_in_secs: Option<i64>,
    ) -> Result<(), DeskError> {
        if delivery.attempts + 1 >= MAX_DELIVERY_ATTEMPTS {
            tracing::warn!(chat = delivery.chat_id, %error, "giving up a delivery");
            return Ok(self.store.drop_delivery(delivery.id, error)?);
        }
        let backoff = 5i64 << delivery.attempts.min(10);
        Ok(self
            .store
            .mark_failed(delivery.id, error, retry_in_secs.unwrap_or(backoff))?)
    }

    /// A chat blocked the bot or is gone: its subscriptions and pending
    /// deliveries end.
    pub fn chat_unreachable(&self, chat_id: i64) -> Result<(), DeskError> {
        let ended = self.store.unsubscribe_all(chat_id)?;
        tracing::info!(chat = chat_id, ended, "chat unreachable; unsubscribed");
        Ok(())
    }

    /// Ends the leases of deliveries claimed by a sender that stopped (a
    /// crash); call it only where no other sender can be running. Returns
    /// how many deliveries are due again.
    pub fn release_claims(&self) -> Result<usize, DeskError> {
        Ok(self.store.release_delivery_claims()?)
    }

    /// Number of deliveries not yet made.
    pub fn pending(&self) -> Result<u64, DeskError> {
        Ok(self.store.pending_deliveries()?)
    }

    /// True when the Telegram update with this key (its id and content,
    /// hashed) was handled already: Telegram sends again, after a crash,
    /// updates it was not told of.
    pub fn update_handled(&self, update_key: i64) -> Result<bool, DeskError> {
        Ok(self.store.update_handled(update_key)?)
    }

    /// Records a Telegram update as handled; keys are kept for two days.
    pub fn mark_update_handled(&self, update_key: i64) -> Result<(), DeskError> {
        Ok(self
            .store
            .mark_update_handled(update_key, KEEP_HANDLED_SECS)?)
    }
}
