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
//! The same loop tells the admins of members' new questions (留言), sends
//! the answers admins gave them and the daily digests the desk says are
//! due, makes the changes owed to messages already sent (a correction's
//! edits, a retraction's deletions, an article struck from a digest) and
//! keeps each push's report up to date as its deliveries go out. Whether a
//! message goes out without sound (the quiet hours) is the desk's
//! decision, carried by the reply.

use crate::desk::{MessageChange, NewsDesk};
use crate::reply::{Reply, text, to_html, to_html_with_caption};
use crate::telegram::callback::keyboard_for;
use crate::telegram::send::{
    Destination, edit_caption_html, edit_reply, edit_text_html, send_reply, with_retry,
};
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

/// Deliveries claimed per round.
const BATCH: usize = 20;
/// How often the worker deletes questions past their keeping period.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);
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
        let Some(batch) = claim_batch(desk, "the message changes", |desk| {
            desk.deliveries().claim_changes(BATCH)
        })
        .await
        else {
            return changed;
        };
        for (action, change) in batch {
            let chat = ChatId(action.chat_id);
            let mut outcome: Result<(), RequestError> = Ok(());
            for (message, edit) in action
                .message_ids
                .iter()
                .zip(planned_edits(&change, action.message_ids.len()))
            {
                let message = MessageId(*message);
                let result = match edit {
                    PlannedEdit::Keep => Ok(()),
                    PlannedEdit::Caption(html) => edit_caption_html(bot, chat, message, html).await,
                    PlannedEdit::Text(html, with_buttons) => {
                        let keyboard = match (&change, with_buttons) {
                            (MessageChange::Replace(reply), true) => keyboard_for(reply, true),
                            _ => None,
                        };
                        edit_text_html(bot, chat, message, html, keyboard).await
                    }
                    PlannedEdit::Delete => {
                        match with_retry(|| bot.delete_message(chat, message).into_future()).await {
                            Ok(_) => Ok(()),
                            Err(RequestError::Api(ApiError::MessageToDeleteNotFound)) => Ok(()),
                            // Too old to delete after all: say it is taken back.
                            Err(RequestError::Api(ApiError::MessageCantBeDeleted)) => {
                                let notice = to_html(&text::retracted_notice()).concat();
                                match edit_text_html(bot, chat, message, notice.clone(), None).await
                                {
                                    Err(RequestError::Api(_)) => {
                                        edit_caption_html(bot, chat, message, notice).await
                                    }
                                    other => other,
                                }
                            }
                            Err(e) => Err(e),
                        }
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

/// What one sent message of a delivery becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PlannedEdit {
    /// Left as it is (an album's other photos).
    Keep,
    /// Its caption becomes this (a photo's).
    Caption(String),
    /// Its text becomes this; true for the last message (the buttons go under it).
    Text(String, bool),
    /// Deleted.
    Delete,
}

/// The edits that turn the `sent` messages of a delivery into `change`: a
/// photo's (or album's first) caption and the messages after it in order,
/// as [`send_reply`] laid them out; messages the new text no longer fills
/// point up to the first.
fn planned_edits(change: &MessageChange, sent: usize) -> Vec<PlannedEdit> {
    let (reply, filler) = match change {
        MessageChange::Delete => return vec![PlannedEdit::Delete; sent],
        MessageChange::Replace(reply) => (reply, to_html(&Reply::text("（见上一条）")).concat()),
        MessageChange::MarkRetracted(reply) => (reply, to_html(reply).concat()),
    };
    let photos = reply.photos.len().min(10);
    let mut edits = Vec::with_capacity(sent);
    let texts = if photos == 0 {
        to_html(reply)
    } else {
        let (caption, rest) = to_html_with_caption(reply);
        edits.push(PlannedEdit::Caption(caption));
        edits.extend(std::iter::repeat_n(PlannedEdit::Keep, photos - 1));
        rest
    };
    let mut texts = texts.into_iter();
    while edits.len() < sent {
        let last = edits.len() + 1 == sent;
        edits.push(PlannedEdit::Text(
            texts.next().unwrap_or_else(|| filler.clone()),
            last,
        ));
    }
    edits.truncate(sent);
    edits
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

/// Shows each push's progress whose figures changed (at most every few
/// seconds a push), under its report: 已发送 N / 待发送 M / 失败 K.
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
    for update in reports {
        let chat = ChatId(update.chat);
        let shown = match update.progress {
            Some(message) => edit_reply(bot, chat, MessageId(message), &update.reply).await,
            None => {
                let to = Destination {
                    chat,
                    thread: None,
                    reply_to: Some(MessageId(update.report)),
                };
                match send_reply(bot, to, &update.reply, None).await {
                    Ok(sent) => {
                        if let Some(message) = sent.first()
                            && let Err(e) = desk.deliveries().progress_sent(update.push, message.0)
                        {
                            tracing::warn!(error = %e, "cannot note a progress message");
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        };
        if let Err(e) = shown {
            tracing::warn!(error = %e, push = update.push, "cannot show a push's progress");
        }
        // Recorded either way: progress that cannot be shown is not tried
        // again until its figures change.
        if let Err(e) = desk.deliveries().report_edited(update.push) {
            tracing::warn!(error = %e, "cannot record a push report");
        }
    }
}

/// Claims the next batch of `what` off the async threads (the store
/// blocks); `None` when there is none, or when the store or the task
/// failed (logged): the round ends and the next one tries again.
async fn claim_batch<T: Send + 'static>(
    desk: &Arc<NewsDesk>,
    what: &'static str,
    claim: impl FnOnce(&NewsDesk) -> Result<Vec<T>, crate::desk::DeskError> + Send + 'static,
) -> Option<Vec<T>> {
    let desk = desk.clone();
    match tokio::task::spawn_blocking(move || claim(&desk)).await {
        Ok(Ok(batch)) if batch.is_empty() => None,
        Ok(Ok(batch)) => Some(batch),
        Ok(Err(e)) => {
            tracing::error!(error = %e, what, "cannot read what is owed");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, what, "the task reading what is owed failed");
            None
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
        let Some(batch) =
            claim_batch(desk, "the outbox", |desk| desk.deliveries().claim(BATCH)).await
        else {
            return delivered;
        };
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
                Err(RequestError::MigrateToChatId(to)) => {
                    // The group became a supergroup: it keeps its
                    // subscriptions, and this delivery goes to the new id.
                    match desk.move_chat(delivery.chat_id, to.0) {
                        Ok(_) => Ok(()),
                        Err(e) => Err(e),
                    }
                }
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

/// Sends each admin (`admins`: their private chats) the notice of every
/// new question to the union not yet noticed, one message a question, and
/// returns how many questions were noticed. A notice is claimed with a
/// lease and marked sent, so one filed just before a crash still reaches
/// the admins, and two senders never send it twice.
pub async fn notify_admins<R>(bot: &R, desk: &Arc<NewsDesk>, admins: &[i64]) -> usize
where
    R: Requester<Err = RequestError>,
{
    let mut noticed = 0;
    loop {
        let Some(batch) = claim_batch(desk, "the questions to notice", |desk| {
            desk.inbox().claim_notices(BATCH)
        })
        .await
        else {
            return noticed;
        };
        for (number, notice) in batch {
            // Told when one admin got it, or none ever can: an admin whose
            // chat is gone is not waited for; otherwise the lease runs out
            // and it is tried again.
            let mut told = admins.is_empty();
            let mut all_gone = true;
            for &admin in admins {
                let to = Destination {
                    chat: ChatId(admin),
                    thread: None,
                    reply_to: None,
                };
                match send_reply(bot, to, &notice, None).await {
                    Ok(_) => told = true,
                    Err(e) => {
                        all_gone &= chat_is_gone(&e);
                        tracing::warn!(admin, number, error = %e, "cannot notify an admin of a question");
                    }
                }
            }
            if told || all_gone {
                noticed += 1;
                if let Err(e) = desk.inbox().notice_sent(number) {
                    tracing::error!(error = %e, "cannot record a notice sent");
                }
            }
        }
    }
}

/// Sends every answer owed to a member (an admin answered their 留言), as a
/// reply to their question; returns how many were sent. Each is claimed
/// with a lease and marked sent with its message, so a restart between the
/// answer and the sending still sends it, once.
pub async fn deliver_answers<R>(bot: &R, desk: &Arc<NewsDesk>) -> usize
where
    R: Requester<Err = RequestError>,
{
    let mut sent_count = 0;
    loop {
        let Some(batch) = claim_batch(desk, "the answers owed", |desk| {
            desk.inbox().claim_answers(BATCH)
        })
        .await
        else {
            return sent_count;
        };
        for (owed, message) in batch {
            let to = Destination {
                chat: ChatId(owed.question.chat_id),
                thread: None,
                reply_to: owed.question.message_id.map(MessageId),
            };
            let result = send_reply(bot, to, &message, None).await;
            let recorded = match &result {
                Ok(sent) => {
                    sent_count += 1;
                    let first = sent.first().map_or(0, |m| m.0);
                    desk.inbox().answer_sent(&owed, first)
                }
                Err(e) if chat_is_gone(e) => desk.inbox().answer_unreachable(&owed, gone_reason(e)),
                Err(RequestError::RetryAfter(wait)) => desk.inbox().answer_failed(
                    &owed,
                    "retry after",
                    Some(i64::from(wait.seconds())),
                ),
                Err(e) => {
                    tracing::warn!(number = owed.question.number, error = %e, "an answer failed; will retry");
                    desk.inbox().answer_failed(&owed, &e.to_string(), None)
                }
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "cannot record an answer sent");
            }
        }
    }
}

/// Sends the daily digests that are due (the desk decides which: a chat's
/// hour come, its digest of the day not sent, articles owed); returns how
/// many were sent. A chat that blocked the bot is unsubscribed, its owed
/// articles counted in their pushes' reports as for any delivery.
pub async fn send_digests<R>(bot: &R, desk: &Arc<NewsDesk>) -> usize
where
    R: Requester<Err = RequestError>,
{
    let mut sent_count = 0;
    loop {
        let Some(batch) =
            claim_batch(desk, "the digests", |desk| desk.digests().claim(BATCH)).await
        else {
            return sent_count;
        };
        for digest in batch {
            let to = Destination {
                chat: ChatId(digest.chat_id),
                thread: None,
                reply_to: None,
            };
            let result =
                send_reply(bot, to, &digest.reply, keyboard_for(&digest.reply, true)).await;
            let recorded = match &result {
                Ok(sent) => {
                    sent_count += 1;
                    let ids: Vec<i32> = sent.iter().map(|m| m.0).collect();
                    desk.digests().sent(&digest, &ids)
                }
                Err(e) if chat_is_gone(e) => desk
                    .deliveries()
                    .chat_unreachable(digest.chat_id, gone_reason(e)),
                Err(RequestError::MigrateToChatId(to)) => {
                    // The group became a supergroup: its subscriptions and
                    // this digest move to the new id, tried again at once.
                    desk.move_chat(digest.chat_id, to.0)
                        .and_then(|_| desk.digests().failed(&digest, "migrated", Some(0)))
                }
                Err(RequestError::RetryAfter(wait)) => {
                    desk.digests()
                        .failed(&digest, "retry after", Some(i64::from(wait.seconds())))
                }
                Err(e) => {
                    tracing::warn!(chat = digest.chat_id, error = %e, "digest failed; will retry");
                    desk.digests().failed(&digest, &e.to_string(), None)
                }
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "cannot record a digest");
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
    let mut swept: Option<std::time::Instant> = None;
    loop {
        if swept.is_none_or(|at| at.elapsed() >= SWEEP_EVERY) {
            // Questions past `QUESTION_LOG_DAYS` go, whether or not anyone asks.
            swept = Some(std::time::Instant::now());
            let desk = desk.clone();
            match tokio::task::spawn_blocking(move || desk.forget_old_questions()).await {
                Ok(Ok(0)) => {}
                Ok(Ok(gone)) => tracing::info!(gone, "questions past their keeping period deleted"),
                Ok(Err(e)) => tracing::warn!(error = %e, "cannot delete old questions"),
                Err(e) => tracing::warn!(error = %e, "deleting old questions failed"),
            }
        }
        // `ADMIN_IDS` and the editors the owner added, as they are now.
        let admins = {
            let desk = desk.clone();
            tokio::task::spawn_blocking(move || desk.admin_ids())
                .await
                .unwrap_or_default()
        };
        let noticed = notify_admins(&bot, &desk, &admins).await;
        if noticed > 0 {
            tracing::info!(noticed, "admins told of new questions");
        }
        let made = deliver_due(&bot, &desk).await;
        if made > 0 {
            tracing::info!(made, "subscriber deliveries made");
        }
        let answered = deliver_answers(&bot, &desk).await;
        if answered > 0 {
            tracing::info!(answered, "answers sent to members");
        }
        let digests = send_digests(&bot, &desk).await;
        if digests > 0 {
            tracing::info!(digests, "daily digests sent");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn long_reply(photos: usize) -> Reply {
        let mut reply = Reply::text("标题");
        for i in 0..3 {
            reply.push(crate::reply::Block::Text(format!("第{i}段。").repeat(300)));
        }
        reply.photos = (0..photos).map(|i| format!("photo-{i}")).collect();
        reply
    }

    #[test]
    fn edits_follow_the_layout_the_delivery_was_sent_in() {
        // An album of two: the caption on the first photo, the second kept,
        // the text after them in order, a message left over pointing up.
        let edits = planned_edits(&MessageChange::Replace(long_reply(2)), 6);
        assert!(matches!(&edits[0], PlannedEdit::Caption(c) if c.contains("标题")));
        assert_eq!(edits[1], PlannedEdit::Keep);
        assert!(matches!(&edits[2], PlannedEdit::Text(t, false) if t.contains("第0段")));
        assert!(matches!(edits.last(), Some(PlannedEdit::Text(t, true)) if t.contains("见上一条")));
        // Text only: each message its part, the buttons under the last.
        let edits = planned_edits(&MessageChange::Replace(long_reply(0)), 2);
        assert!(matches!(&edits[0], PlannedEdit::Text(t, false) if t.contains("标题")));
        assert!(matches!(&edits[1], PlannedEdit::Text(_, true)));
        // Too old to delete: every message says it was taken back.
        let mut notice = text::retracted_notice();
        notice.photos = vec!["p".into()];
        let edits = planned_edits(&MessageChange::MarkRetracted(notice), 2);
        assert!(matches!(&edits[0], PlannedEdit::Caption(c) if c.contains("已撤回")));
        assert!(matches!(&edits[1], PlannedEdit::Text(t, _) if t.contains("已撤回")));
        assert_eq!(
            planned_edits(&MessageChange::Delete, 3),
            vec![PlannedEdit::Delete; 3]
        );
    }
}
