//! Subscriber deliveries, from the outbox the store keeps.
//!
//! A push commits its deliveries in the same transaction as its articles;
//! here they are claimed (leased, so two senders never take the same one),
//! sent, and marked. A crash between claim and mark leaves the lease to run
//! out and the delivery to be retried: nothing is lost. A member who blocked
//! the bot is unsubscribed (and counted in the push's report). Deliveries
//! are due when their push's hold ends, so the sender only ever asks the
//! store what is due now.
//!
//! The same loop makes the changes owed to messages already sent (a
//! correction's edits, a retraction's deletions) and keeps each push's
//! report up to date as its deliveries go out.

use crate::desk::{MessageChange, NewsDesk};
use crate::reply::{Reply, text};
use crate::telegram::callback::keyboard_for;
use crate::telegram::send::{Destination, edit_reply, send_reply, with_retry};
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

/// Deliveries claimed per round.
const BATCH: usize = 20;
/// Pause between rounds of the background worker.
const POLL_EVERY: Duration = Duration::from_secs(2);

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

/// Why a chat takes no more messages, as the push report counts it.
fn gone_reason(error: &RequestError) -> &'static str {
    match error {
        RequestError::Api(ApiError::BotBlocked | ApiError::UserDeactivated) => "blocked",
        _ => "gone",
    }
}

/// Makes the due changes to messages already sent: a correction's edits,
/// a retraction's deletions (edits to 「此条消息已撤回」 once a message is
/// too old to delete, or when deleting fails). Returns how many were made.
pub async fn change_sent<R>(bot: &R, desk: &Arc<NewsDesk>) -> usize
where
    R: Requester<Err = RequestError>,
{
    let mut changed = 0;
    loop {
        let claimed = {
            let desk = desk.clone();
            tokio::task::spawn_blocking(move || desk.deliveries().claim_changes(BATCH)).await
        };
        let batch = match claimed {
            Ok(Ok(batch)) => batch,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot read the message changes");
                return changed;
            }
            Err(e) => {
                tracing::error!(error = %e, "message changes task failed");
                return changed;
            }
        };
        if batch.is_empty() {
            return changed;
        }
        for (action, change) in batch {
            let chat = ChatId(action.chat_id);
            let mut outcome: Result<(), RequestError> = Ok(());
            for (i, &message) in action.message_ids.iter().enumerate() {
                let message = MessageId(message);
                let result = match &change {
                    MessageChange::Delete => {
                        match with_retry(|| bot.delete_message(chat, message).into_future()).await {
                            Ok(_) => Ok(()),
                            // Gone already, or too old: say it is taken back instead.
                            Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => Ok(()),
                            Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => {
                                edit_reply(bot, chat, message, &text::retracted_notice()).await
                            }
                            Err(e) => Err(e),
                        }
                    }
                    // A message in several parts: the first carries the
                    // new text, the rest are emptied of the old.
                    MessageChange::Replace(reply) if i == 0 => {
                        edit_reply(bot, chat, message, reply).await
                    }
                    MessageChange::Replace(_) => {
                        edit_reply(bot, chat, message, &Reply::text("（见上一条）")).await
                    }
                };
                if let Err(e) = result {
                    outcome = Err(e);
                    break;
                }
            }
            let recorded = match &outcome {
                Ok(()) => {
                    changed += 1;
                    desk.deliveries().change_done(&action, None)
                }
                Err(e) if chat_is_gone(e) || is_message_gone(e) => {
                    desk.deliveries().change_done(&action, Some(&e.to_string()))
                }
                Err(RequestError::RetryAfter(wait)) => desk.deliveries().change_failed(
                    &action,
                    "retry after",
                    Some(i64::from(wait.seconds())),
                ),
                Err(e) => desk
                    .deliveries()
                    .change_failed(&action, &e.to_string(), None),
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "cannot record a message change");
            }
        }
    }
}

/// True when an error means the message itself can no longer be changed.
fn is_message_gone(error: &RequestError) -> bool {
    matches!(
        error,
        RequestError::Api(
            ApiError::MessageToEditNotFound
                | ApiError::MessageToDeleteNotFound
                | ApiError::MessageCantBeEdited
                | ApiError::MessageCantBeDeleted
        )
    )
}

/// Edits each push report whose figures changed (at most every few
/// seconds a report): 已发送 N / 待发送 M / 失败 K.
pub async fn update_reports<R>(bot: &R, desk: &Arc<NewsDesk>)
where
    R: Requester<Err = RequestError>,
{
    let due = {
        let desk = desk.clone();
        tokio::task::spawn_blocking(move || desk.deliveries().reports_to_edit()).await
    };
    let reports = match due {
        Ok(Ok(reports)) => reports,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot read the push reports");
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "push reports task failed");
            return;
        }
    };
    for (chat, message, push, reply) in reports {
        match edit_reply(bot, ChatId(chat), MessageId(message), &reply).await {
            Ok(()) => {}
            Err(e) => tracing::warn!(error = %e, push, "cannot update a push report"),
        }
        // Recorded either way: a report that cannot be edited is not tried
        // again until its figures change.
        if let Err(e) = desk.deliveries().report_edited(push) {
            tracing::warn!(error = %e, "cannot record a push report");
        }
    }
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
                Ok(sent) => {
                    delivered += 1;
                    let ids: Vec<i32> = sent.iter().map(|m| m.0).collect();
                    desk.deliveries().done(&delivery, &ids)
                }
                Err(e) if chat_is_gone(e) => desk
                    .deliveries()
                    .chat_unreachable(delivery.chat_id, gone_reason(e)),
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
        let changed = change_sent(&bot, &desk).await;
        if changed > 0 {
            tracing::info!(changed, "sent messages corrected or taken back");
        }
        update_reports(&bot, &desk).await;
        tokio::select! {
            _ = tokio::time::sleep(POLL_EVERY) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
