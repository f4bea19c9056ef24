//! Subscriber deliveries, from the outbox the store keeps.
//!
//! A push commits its deliveries in the same transaction as its articles;
//! here they are claimed (leased, so two senders never take the same one),
//! sent, and marked. A crash between claim and mark leaves the lease to run
//! out and the delivery to be retried: nothing is lost. A member who blocked
//! the bot is unsubscribed.

use crate::desk::NewsDesk;
use crate::telegram::callback::keyboard_for;
use crate::telegram::send::{Destination, send_reply};
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

/// Deliveries claimed per round.
const BATCH: usize = 20;
/// Pause between rounds of the background worker.
const POLL_EVERY: Duration = Duration::from_secs(5);

/// True when an error means the chat will never take messages again.
fn chat_is_gone(error: &RequestError) -> bool {
    matches!(
        error,
        RequestError::Api(
            ApiError::BotBlocked
                | ApiError::UserDeactivated
                | ApiError::ChatNotFound
                | ApiError::BotKicked
                | ApiError::BotKickedFromSupergroup
                | ApiError::BotKickedFromChannel
                | ApiError::CantInitiateConversation
        )
    )
}

/// Sends every delivery that is due; returns how many were made.
pub async fn deliver_due<R>(bot: &R, desk: &Arc<NewsDesk>) -> usize
where
    R: Requester<Err = RequestError>,
{
    let mut delivered = 0;
    loop {
        let claimed = {
            let desk = desk.clone();
            tokio::task::spawn_blocking(move || desk.deliveries().claim(BATCH)).await
        };
        let batch = match claimed {
            Ok(Ok(batch)) => batch,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot read the outbox");
                return delivered;
            }
            Err(e) => {
                tracing::error!(error = %e, "outbox task failed");
                return delivered;
            }
        };
        if batch.is_empty() {
            return delivered;
        }
        for (delivery, message) in batch {
            let to = Destination {
                chat: ChatId(delivery.chat_id),
                thread: None,
                reply_to: None,
            };
            let result = send_reply(bot, to, &message, keyboard_for(&message, true)).await;
            let recorded = match &result {
                Ok(()) => {
                    delivered += 1;
                    desk.deliveries().done(&delivery)
                }
                Err(e) if chat_is_gone(e) => desk.deliveries().chat_unreachable(delivery.chat_id),
                Err(RequestError::RetryAfter(wait)) => desk.deliveries().failed(
                    &delivery,
                    "retry after",
                    Some(i64::from(wait.seconds())),
                ),
                Err(e) => {
                    tracing::warn!(chat = delivery.chat_id, error = %e, "delivery failed; will retry");
                    desk.deliveries().failed(&delivery, &e.to_string(), None)
                }
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "cannot record a delivery");
            }
        }
    }
}

/// Delivers due messages every few seconds until `stop` turns true; the
/// delivery in progress is finished first.
pub async fn run_worker<R>(
    bot: R,
    desk: Arc<NewsDesk>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    R: Requester<Err = RequestError>,
{
    loop {
        let made = deliver_due(&bot, &desk).await;
        if made > 0 {
            tracing::info!(made, "subscriber deliveries made");
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL_EVERY) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
