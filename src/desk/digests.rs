//! Daily digests and quiet hours, decided here; the sender loop only sends.
//!
//! - A digest lists, in one message a day at the chat's hour (local time,
//!   `TZ_NAME`), the articles released to the chat's digest subscriptions
//!   since its last digest (by release time: the end of a push's hold or a
//!   scheduled release, not the page's date). A day with none sends
//!   nothing. The store claims one digest a chat and day, so a restart or
//!   two senders never send it twice, and the articles it lists are
//!   remembered: a correction or a retraction of one edits the digest
//!   ([`sent_digest`]), striking a retracted article out.
//! - Quiet hours (22:00–07:00, local): a delivery due then goes out without
//!   sound, or waits for 07:00 where the member chose 早上再发.

use super::DeskError;
use super::conversation::list_item;
use crate::clock::BotTime;
use crate::reply::Reply;
use crate::reply::text::{self, DigestEntry};
use crate::store::{ALL_CITIES, DeliveryMode, NewsStore, QuietHours};
use chrono::{Duration, NaiveDate, NaiveTime, Timelike};

/// The quiet hours begin at this local hour…
pub const QUIET_FROM_HOUR: u32 = 22;
/// …and end at this one.
pub const QUIET_UNTIL_HOUR: u32 = 7;

/// How long a claimed digest is held before another sender may take it.
const LEASE_SECS: i64 = 120;

/// Attempts after which a digest is given up (its articles dropped): as
/// many as a delivery gets.
const MAX_ATTEMPTS: u32 = 12;

/// True when a local hour is in the quiet hours.
pub fn is_quiet_hour(hour: u32) -> bool {
    !(QUIET_UNTIL_HOUR..QUIET_FROM_HOUR).contains(&hour)
}

/// What a chat's quiet-hours choice makes of a message due now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuietVerdict {
    /// Sent now, with sound.
    Send,
    /// Sent now, without sound.
    Silent,
    /// Held until this moment (Unix seconds): 07:00 local.
    Wait(i64),
}

/// What the quiet hours make of a message due now for a chat that chose `quiet`.
pub fn quiet_verdict(time: &BotTime, quiet: QuietHours) -> QuietVerdict {
    let local = time.now().with_timezone(&time.zone());
    if !is_quiet_hour(local.hour()) {
        return QuietVerdict::Send;
    }
    match quiet {
        QuietHours::Silent => QuietVerdict::Silent,
        QuietHours::Morning => {
            let day = if local.hour() >= QUIET_FROM_HOUR {
                local.date_naive() + Duration::days(1)
            } else {
                local.date_naive()
            };
            let morning =
                day.and_time(NaiveTime::from_hms_opt(QUIET_UNTIL_HOUR, 0, 0).unwrap_or_default());
            // A zone that skips 07:00 that day: an hour later.
            let at = time.unix_of(morning).unwrap_or_else(|| time.unix() + 3600);
            QuietVerdict::Wait(at.max(time.unix() + 1))
        }
    }
}

/// A digest claimed for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestToSend {
    /// The digest's row.
    pub id: i64,
    /// The chat it goes to.
    pub chat_id: i64,
    /// How many attempts failed so far.
    pub attempts: u32,
    /// The deliveries it lists (made when it is sent).
    pub deliveries: Vec<i64>,
    /// The message (`silent` set in the quiet hours).
    pub reply: Reply,
}

/// The daily digests of a desk.
pub struct Digests<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) time: &'d BotTime,
}

impl Digests<'_> {
    /// Claims the digests due now: for each chat owed one whose hour has
    /// come today (local) and whose digest of today was not sent, the
    /// message listing what was released to it since its last digest.
    pub fn claim(&self, limit: usize) -> Result<Vec<DigestToSend>, DeskError> {
        let now = self.time.unix();
        let local = self.time.now().with_timezone(&self.time.zone());
        let day = local.date_naive();
        let day_key = day.to_string();
        let mut out = Vec::new();
        for (chat, prefs) in self.store.chats_owed_digest(&day_key, now)? {
            if out.len() >= limit {
                break;
            }
            if local.hour() < u32::from(prefs.digest_hour) {
                continue;
            }
            let silent = match quiet_verdict(self.time, prefs.quiet) {
                QuietVerdict::Send => false,
                QuietVerdict::Silent => true,
                QuietVerdict::Wait(_) => continue,
            };
            let Some(claim) = self.store.claim_digest(chat, &day_key, LEASE_SECS, now)? else {
                continue;
            };
            let cities: Vec<u32> = self
                .store
                .subscription_modes(chat)?
                .into_iter()
                .filter(|(_, mode)| *mode != DeliveryMode::Paused)
                .map(|(code, _)| code)
                .collect();
            let mut deliveries = Vec::new();
            let mut entries = Vec::new();
            for delivery in self.store.owed_digest(chat, now)? {
                let Some(article) = self.store.article(&delivery.article_id)? else {
                    continue;
                };
                // Unsubscribed or paused since it was released: not sent.
                let wanted = cities.contains(&ALL_CITIES)
                    || article.cities.iter().any(|c| cities.contains(&c.code));
                if !wanted {
                    self.store.drop_delivery(delivery.id, "unsubscribed")?;
                    continue;
                }
                deliveries.push(delivery.id);
                entries.push(DigestEntry::Live(list_item(&article, entries.len() + 1)));
            }
            if entries.is_empty() {
                // Nothing left to list: the claim runs out, no message goes.
                continue;
            }
            let mut reply = text::digest(day, entries);
            reply.silent = silent;
            out.push(DigestToSend {
                id: claim.id,
                chat_id: chat,
                attempts: claim.attempts,
                deliveries,
                reply,
            });
        }
        Ok(out)
    }

    /// Records a digest as sent, with its messages: its articles are
    /// delivered, and a correction or retraction of one edits it.
    pub fn sent(&self, digest: &DigestToSend, message_ids: &[i32]) -> Result<(), DeskError> {
        Ok(self
            .store
            .digest_sent(digest.id, &digest.deliveries, message_ids, self.time.unix())?)
    }

    /// Records a failed attempt; tried again later (after `retry_in_secs`
    /// when Telegram said), given up after as many attempts as a delivery.
    pub fn failed(
        &self,
        digest: &DigestToSend,
        error: &str,
        retry_in_secs: Option<i64>,
    ) -> Result<(), DeskError> {
        let now = self.time.unix();
        if digest.attempts + 1 >= MAX_ATTEMPTS {
            tracing::warn!(chat = digest.chat_id, %error, "giving up a digest");
            for delivery in &digest.deliveries {
                self.store.drop_delivery(*delivery, error)?;
            }
        }
        let backoff = 5i64 << digest.attempts.min(10);
        Ok(self
            .store
            .digest_failed(digest.id, error, retry_in_secs.unwrap_or(backoff), now)?)
    }
}

/// A sent digest as it stands now, to edit it with: its articles in their
/// order, a retracted one struck out, a corrected one as corrected.
/// `None` for no such digest.
pub(super) fn sent_digest(store: &dyn NewsStore, digest: i64) -> Result<Option<Reply>, DeskError> {
    let Some((day, ids)) = store.digest_articles(digest)? else {
        return Ok(None);
    };
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default();
    let mut entries = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let rank = i + 1;
        match store.article(id)? {
            Some(article) => entries.push(DigestEntry::Live(list_item(&article, rank))),
            None => {
                let title = store
                    .article_record(id)?
                    .map(|record| text::list_title(&record.article))
                    .unwrap_or_else(|| id.to_string());
                entries.push(DigestEntry::Retracted { rank, title });
            }
        }
    }
    Ok(Some(text::digest(day, entries)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{ManualClock, zone_named};
    use chrono::TimeZone;
    use std::sync::Arc;

    fn at_local(hour: u32, minute: u32) -> BotTime {
        let zone = zone_named("Asia/Shanghai").unwrap();
        let local = zone
            .with_ymd_and_hms(2026, 12, 6, hour, minute, 0)
            .single()
            .unwrap();
        BotTime::new(
            Arc::new(ManualClock::at(local.with_timezone(&chrono::Utc))),
            zone,
        )
    }

    #[test]
    fn quiet_hours_run_from_ten_at_night_to_seven_in_the_morning() {
        let cases = [
            (21, 59, QuietVerdict::Send),
            (22, 0, QuietVerdict::Silent),
            (23, 0, QuietVerdict::Silent),
            (3, 0, QuietVerdict::Silent),
            (6, 59, QuietVerdict::Silent),
            (7, 0, QuietVerdict::Send),
            (12, 0, QuietVerdict::Send),
        ];
        for (hour, minute, expected) in cases {
            assert_eq!(
                quiet_verdict(&at_local(hour, minute), QuietHours::Silent),
                expected,
                "{hour}:{minute:02}"
            );
        }
    }

    #[test]
    fn a_member_who_chose_the_morning_waits_until_seven() {
        let seven_today = at_local(7, 0).unix();
        let seven_tomorrow = seven_today + 24 * 3600;
        assert_eq!(
            quiet_verdict(&at_local(23, 0), QuietHours::Morning),
            QuietVerdict::Wait(seven_tomorrow)
        );
        assert_eq!(
            quiet_verdict(&at_local(2, 30), QuietHours::Morning),
            QuietVerdict::Wait(seven_today)
        );
        assert_eq!(
            quiet_verdict(&at_local(9, 0), QuietHours::Morning),
            QuietVerdict::Send
        );
    }
}
