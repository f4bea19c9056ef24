//! What goes out and what came in: the subscriber outbox (claimed with a
//! lease, marked made or failed, given up after [`MAX_DELIVERY_ATTEMPTS`])
//! and the record of Telegram updates already handled, so an update sent
//! again after a crash is not answered twice.

use super::DeskError;
use super::consistency::Consistency;
use super::conversation::list_item;
use super::digests::{QuietVerdict, quiet_verdict, sent_digest};
use super::ingest::Ingest;
use crate::clock::BotTime;
use crate::index::NewsIndex;
use crate::reply::{Reply, text};
use crate::store::{
    Delivery, MessageAction, MessageActionKind, NewsStore, PendingUpdate, PushProgress,
};

/// Attempts after which a subscriber delivery is given up.
pub const MAX_DELIVERY_ATTEMPTS: u32 = 12;

/// How long a claimed delivery is held before another sender may take it.
const LEASE_SECS: i64 = 120;

/// How long a handled update is remembered: twice as long as Telegram keeps one.
const KEEP_HANDLED_SECS: i64 = 2 * 24 * 3600;

/// How long Telegram lets a bot delete its message (48 hours), less a
/// margin for the time the request takes.
pub const DELETABLE_SECS: i64 = 48 * 3600 - 600;

/// How often a push's report is edited at most, in seconds.
pub const REPORT_EVERY_SECS: i64 = 3;

/// A push's progress to show: sent under its report the first time, the
/// same message edited after.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressUpdate {
    /// The push.
    pub push: i64,
    /// The admin's chat.
    pub chat: i64,
    /// The report message.
    pub report: i32,
    /// The progress message, once sent.
    pub progress: Option<i32>,
    /// What it says now.
    pub reply: Reply,
}

/// What to do to a message already sent.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageChange {
    /// Delete it (a retraction within Telegram's 48 hours).
    Delete,
    /// Replace its text (a correction): the first message (or the photo's
    /// caption) carries the reply, the following ones the rest of it.
    Replace(Reply),
    /// Mark every message retracted (too old to delete); the reply's
    /// photos say how many of them are photos.
    MarkRetracted(Reply),
}

/// The delivery and update bookkeeping of a desk.
pub struct Deliveries<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) index: &'d NewsIndex,
    pub(super) time: &'d BotTime,
    /// Applies held updates whose time has come.
    pub(super) ingest: Ingest<'d>,
}

impl Deliveries<'_> {
    /// Releases the scheduled articles whose time has come (searchable and
    /// listed from now on; their deliveries fall due) and returns how many.
    pub fn release_due(&self) -> Result<usize, DeskError> {
        // A copy of a stored article pushed again updates it when its hold
        // ends, unless the admin chose otherwise.
        for update in self.store.take_due_updates(self.time.unix())? {
            if let Err(e) = self.ingest.apply_update(update.clone()) {
                // Held again, a minute on: a copy is never lost to a failure.
                tracing::warn!(error = %e, article = %update.target, "a held update failed");
                self.store.hold_update(&PendingUpdate {
                    due_at: self.time.unix() + 60,
                    ..update
                })?;
            }
        }
        let released = self.store.release_due(self.time.unix())?;
        if !released.is_empty() {
            tracing::info!(released = released.len(), "scheduled articles released");
            Consistency {
                store: self.store,
                index: self.index,
            }
            .follow()?;
        }
        Ok(released.len())
    }

    /// Claims up to `limit` due subscriber deliveries, each with the message
    /// to send. Scheduled articles whose time has come are released first.
    /// A delivery whose article is no longer live is dropped here.
    pub fn claim(&self, limit: usize) -> Result<Vec<(Delivery, Reply)>, DeskError> {
        self.release_due()?;
        let mut out = Vec::new();
        let now = self.time.unix();
        for delivery in self.store.claim_due_deliveries(limit, LEASE_SECS, now)? {
            // The quiet hours: without sound, or held for the morning.
            let quiet = self.store.chat_prefs(delivery.chat_id)?.quiet;
            let silent = match quiet_verdict(self.time, quiet) {
                QuietVerdict::Send => false,
                QuietVerdict::Silent => true,
                QuietVerdict::Wait(at) => {
                    self.store.postpone_delivery(delivery.id, at)?;
                    continue;
                }
            };
            match self.store.article(&delivery.article_id)? {
                Some(article) => {
                    let mut message = text::notification(list_item(&article, 1));
                    message.photos = article.photos.clone();
                    message.silent = silent;
                    out.push((delivery, message));
                }
                None => self.store.drop_delivery(delivery.id, "retracted")?,
            }
        }
        Ok(out)
    }

    /// Records a delivery as made, with the ids of the messages it sent (so
    /// a correction can edit them and a retraction delete them).
    pub fn done(&self, delivery: &Delivery, message_ids: &[i32]) -> Result<(), DeskError> {
        Ok(self
            .store
            .mark_delivered(delivery.id, message_ids, self.time.unix())?)
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
        Ok(self.store.mark_failed(
            delivery.id,
            error,
            retry_in_secs.unwrap_or(backoff),
            self.time.unix(),
        )?)
    }

    /// A chat blocked the bot or is gone: its subscriptions end and its
    /// pending deliveries are dropped with `reason` (counted in the push
    /// report: 已屏蔽机器人).
    pub fn chat_unreachable(&self, chat_id: i64, reason: &str) -> Result<(), DeskError> {
        let ended = self.store.unsubscribe_all(chat_id, reason)?;
        tracing::info!(chat = chat_id, ended, "chat unreachable; unsubscribed");
        Ok(())
    }

    /// Ends the leases of deliveries claimed by a sender that stopped (a
    /// crash); call it only where no other sender can be running. Returns
    /// how many deliveries are due again.
    pub fn release_claims(&self) -> Result<usize, DeskError> {
        Ok(self.store.release_delivery_claims()?)
    }

    /// Claims up to `limit` due changes to messages already sent (a
    /// correction's edits, a retraction's deletions), each with what to do.
    pub fn claim_changes(
        &self,
        limit: usize,
    ) -> Result<Vec<(MessageAction, MessageChange)>, DeskError> {
        let now = self.time.unix();
        let mut out = Vec::new();
        for action in self.store.claim_due_actions(limit, LEASE_SECS, now)? {
            // A digest lists other articles too: edited, never deleted.
            if let Some(digest) = action.digest {
                match sent_digest(self.store, digest)? {
                    Some(reply) => out.push((action, MessageChange::Replace(reply))),
                    None => self
                        .store
                        .finish_action(action.id, Some("no digest"), now)?,
                }
                continue;
            }
            let change = match action.kind {
                MessageActionKind::Retract if now - action.sent_at < DELETABLE_SECS => {
                    MessageChange::Delete
                }
                MessageActionKind::Retract => {
                    let mut notice = text::retracted_notice();
                    if let Some(record) = self.store.article_record(&action.article_id)? {
                        notice.photos = record.article.photos;
                    }
                    MessageChange::MarkRetracted(notice)
                }
                MessageActionKind::Edit => match self.store.article(&action.article_id)? {
                    Some(article) => {
                        let mut edited = text::corrected_notification(list_item(&article, 1));
                        edited.photos = article.photos.clone();
                        MessageChange::Replace(edited)
                    }
                    // Retracted since: its own action takes the message back.
                    None => {
                        self.store.finish_action(action.id, Some("not live"), now)?;
                        continue;
                    }
                },
            };
            out.push((action, change));
        }
        Ok(out)
    }

    /// Records a change to a sent message as made (or given up: the message
    /// is gone, too old, or the chat blocked the bot).
    pub fn change_done(
        &self,
        action: &MessageAction,
        error: Option<&str>,
    ) -> Result<(), DeskError> {
        Ok(self
            .store
            .finish_action(action.id, error, self.time.unix())?)
    }

    /// Records a failed attempt at changing a sent message; retried later,
    /// given up after [`MAX_DELIVERY_ATTEMPTS`].
    pub fn change_failed(
        &self,
        action: &MessageAction,
        error: &str,
        retry_in_secs: Option<i64>,
    ) -> Result<(), DeskError> {
        if action.attempts + 1 >= MAX_DELIVERY_ATTEMPTS {
            return self.change_done(action, Some(error));
        }
        let backoff = 5i64 << action.attempts.min(10);
        Ok(self.store.retry_action(
            action.id,
            error,
            retry_in_secs.unwrap_or(backoff),
            self.time.unix(),
        )?)
    }

    /// The pushes whose figures changed since they were last shown (and
    /// not shown in the last `REPORT_EVERY_SECS` (3 s)), with their progress as
    /// it stands now: a message under the push's report (which keeps its
    /// text and buttons), sent the first time and edited after.
    pub fn reports_to_edit(&self) -> Result<Vec<ProgressUpdate>, DeskError> {
        let now = self.time.unix();
        let mut out = Vec::new();
        for progress in self.store.pushes_to_report(now, REPORT_EVERY_SECS)? {
            let Some((chat, message)) = progress.report else {
                continue;
            };
            let reply = text::push_progress(&progress);
            let shown = progress_key(&progress);
            if progress.last_reported.as_deref() == Some(shown.as_str()) {
                continue;
            }
            out.push(ProgressUpdate {
                push: progress.push,
                chat,
                report: message,
                progress: progress.progress_message,
                reply,
            });
        }
        Ok(out)
    }

    /// Remembers the progress message sent under a push's report.
    pub fn progress_sent(&self, push: i64, message_id: i32) -> Result<(), DeskError> {
        Ok(self.store.set_progress_message(push, message_id)?)
    }

    /// Records that a push's report now shows its current figures.
    pub fn report_edited(&self, push: i64) -> Result<(), DeskError> {
        if let Some(progress) = self.store.push_progress(push)? {
            self.store
                .push_reported(push, &progress_key(&progress), self.time.unix())?;
        }
        Ok(())
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
            .mark_update_handled(update_key, KEEP_HANDLED_SECS, self.time.unix())?)
    }
}

/// What a push's report shows, as a key: an unchanged one is not edited again.
fn progress_key(progress: &PushProgress) -> String {
    format!(
        "{}/{}/{:?}",
        progress.sent, progress.pending, progress.failed
    )
}
