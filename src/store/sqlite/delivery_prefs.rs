//! [`DeliveryPrefs`] on SQLite: `subscriptions.mode`, `chat_prefs`,
//! `digests`, and `deliveries.digest` (NULL: a message of its own; 0: owed
//! to the chat's next digest; a digest's id once listed in it).

use super::{SqliteStore, rfc3339};
use crate::article::ArticleId;
use crate::store::delivery_prefs::{
    ChatPrefs, DEFAULT_DIGEST_HOUR, DeliveryMode, DeliveryPrefs, DigestClaim, QuietHours,
};
use crate::store::{Delivery, StoreError};
use rusqlite::{OptionalExtension, params};

impl DeliveryPrefs for SqliteStore {
    fn subscribe_in_mode(
        &self,
        chat_id: i64,
        city_code: u32,
        mode: DeliveryMode,
        now: i64,
    ) -> Result<Option<DeliveryMode>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before: Option<String> = tx
            .query_row(
                "SELECT mode FROM subscriptions WHERE chat_id = ?1 AND city_code = ?2",
                params![chat_id, city_code],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "INSERT INTO subscriptions (chat_id, city_code, created_at, mode) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (chat_id, city_code) DO UPDATE SET mode = excluded.mode",
            params![chat_id, city_code, rfc3339(now), mode.code()],
        )?;
        tx.commit()?;
        Ok(before.map(|m| DeliveryMode::from_code(&m)))
    }

    fn set_mode(
        &self,
        chat_id: i64,
        city_code: u32,
        mode: DeliveryMode,
    ) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "UPDATE subscriptions SET mode = ?3 WHERE chat_id = ?1 AND city_code = ?2",
            params![chat_id, city_code, mode.code()],
        )? > 0)
    }

    fn subscription_modes(&self, chat_id: i64) -> Result<Vec<(u32, DeliveryMode)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT city_code, mode FROM subscriptions WHERE chat_id = ?1 ORDER BY city_code",
        )?;
        let rows = stmt
            .query_map([chat_id], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(code, mode)| (code, DeliveryMode::from_code(&mode)))
            .collect())
    }

    fn chat_prefs(&self, chat_id: i64) -> Result<ChatPrefs, StoreError> {
        let row: Option<(u8, String)> = self
            .conn()
            .query_row(
                "SELECT digest_hour, quiet FROM chat_prefs WHERE chat_id = ?1",
                [chat_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row
            .map(|(digest_hour, quiet)| ChatPrefs {
                digest_hour: digest_hour.min(23),
                quiet: QuietHours::from_code(&quiet),
            })
            .unwrap_or_default())
    }

    fn set_digest_hour(&self, chat_id: i64, hour: u8) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO chat_prefs (chat_id, digest_hour) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET digest_hour = excluded.digest_hour",
            params![chat_id, hour.min(23)],
        )?;
        Ok(())
    }

    fn set_quiet_hours(&self, chat_id: i64, quiet: QuietHours) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO chat_prefs (chat_id, quiet) VALUES (?1, ?2)
             ON CONFLICT (chat_id) DO UPDATE SET quiet = excluded.quiet",
            params![chat_id, quiet.code()],
        )?;
        Ok(())
    }

    fn postpone_delivery(&self, delivery_id: i64, due_at: i64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE deliveries SET due_at = ?2, claimed_until = NULL
             WHERE id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            params![delivery_id, due_at],
        )?;
        Ok(())
    }

    fn chats_owed_digest(&self, day: &str, now: i64) -> Result<Vec<(i64, ChatPrefs)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT d.chat_id, p.digest_hour, p.quiet FROM deliveries d
             LEFT JOIN chat_prefs p ON p.chat_id = d.chat_id
             WHERE d.digest = 0 AND d.sent_at IS NULL AND d.dropped IS NULL AND d.due_at <= ?1
               AND EXISTS (SELECT 1 FROM articles a WHERE a.id = d.article_id AND a.state = 0)
               AND NOT EXISTS (SELECT 1 FROM digests g
                               WHERE g.chat_id = d.chat_id AND g.day = ?2 AND g.sent_at IS NOT NULL)
             ORDER BY d.chat_id",
        )?;
        let rows = stmt
            .query_map(params![now, day], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<u8>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(chat, hour, quiet)| {
                (
                    chat,
                    ChatPrefs {
                        digest_hour: hour.unwrap_or(DEFAULT_DIGEST_HOUR).min(23),
                        quiet: quiet
                            .as_deref()
                            .map_or_else(QuietHours::default, QuietHours::from_code),
                    },
                )
            })
            .collect())
    }

    fn claim_digest(
        &self,
        chat_id: i64,
        day: &str,
        lease_secs: i64,
        now: i64,
    ) -> Result<Option<DigestClaim>, StoreError> {
        // One row a chat and day: whoever inserts it (or takes it over once
        // its lease ran out, unsent) sends it; a sent one is never claimed.
        let conn = self.conn();
        let claimed = conn
            .query_row(
                "INSERT INTO digests (chat_id, day, claimed_until) VALUES (?1, ?2, ?3)
                 ON CONFLICT (chat_id, day) DO UPDATE SET claimed_until = excluded.claimed_until
                 WHERE digests.sent_at IS NULL
                   AND (digests.claimed_until IS NULL OR digests.claimed_until <= ?4)
                 RETURNING id, attempts",
                params![chat_id, day, now + lease_secs, now],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)),
            )
            .optional()?;
        Ok(claimed.map(|(id, attempts)| DigestClaim {
            id,
            chat_id,
            attempts,
        }))
    }

    fn owed_digest(&self, chat_id: i64, now: i64) -> Result<Vec<Delivery>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, d.article_id, d.attempts, d.push_id FROM deliveries d
             WHERE d.chat_id = ?1 AND d.digest = 0 AND d.sent_at IS NULL AND d.dropped IS NULL
               AND d.due_at <= ?2
               AND EXISTS (SELECT 1 FROM articles a WHERE a.id = d.article_id AND a.state = 0)
             ORDER BY d.due_at, d.id",
        )?;
        let rows = stmt
            .query_map(params![chat_id, now], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, article, attempts, push)| {
                Some(Delivery {
                    id,
                    chat_id,
                    article_id: ArticleId::parse(&article)?,
                    attempts,
                    push,
                })
            })
            .collect())
    }

    fn digest_sent(
        &self,
        digest_id: i64,
        deliveries: &[i64],
        message_ids: &[i32],
        now: i64,
    ) -> Result<(), StoreError> {
        let ids = serde_json::to_string(message_ids).unwrap_or_else(|_| "[]".into());
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE digests SET sent_at = ?2, message_ids = ?3, claimed_until = NULL WHERE id = ?1",
            params![digest_id, now, ids],
        )?;
        for (position, delivery) in deliveries.iter().enumerate() {
            tx.prepare_cached(
                "UPDATE deliveries SET sent_at = ?2, message_ids = ?3, digest = ?4,
                        claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )?
            .execute(params![delivery, now, ids, digest_id])?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO digest_articles (digest_id, position, delivery_id)
                 VALUES (?1, ?2, ?3)",
            )?
            .execute(params![digest_id, position as i64, delivery])?;
            // Retracted while the digest went out: its listing is struck now.
            tx.prepare_cached(
                "INSERT INTO message_actions (delivery_id, action, due_at)
                 SELECT d.id, 'retract', ?2 FROM deliveries d JOIN articles a ON a.id = d.article_id
                 WHERE d.id = ?1 AND a.state = 2",
            )?
            .execute(params![delivery, now])?;
        }
        tx.commit()?;
        Ok(())
    }

    fn digest_failed(
        &self,
        digest_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE digests SET attempts = attempts + 1, last_error = ?2, claimed_until = ?3
             WHERE id = ?1 AND sent_at IS NULL",
            params![digest_id, error, now + retry_in_secs],
        )?;
        Ok(())
    }

    fn digest_articles(
        &self,
        digest_id: i64,
    ) -> Result<Option<(String, Vec<ArticleId>)>, StoreError> {
        let conn = self.conn();
        let Some(day) = conn
            .query_row("SELECT day FROM digests WHERE id = ?1", [digest_id], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt = conn.prepare_cached(
            "SELECT d.article_id FROM digest_articles g JOIN deliveries d ON d.id = g.delivery_id
             WHERE g.digest_id = ?1 ORDER BY g.position",
        )?;
        let rows = stmt
            .query_map([digest_id], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some((
            day,
            rows.iter().filter_map(|id| ArticleId::parse(id)).collect(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Subscriptions;

    #[test]
    fn a_subscription_keeps_its_mode_and_a_mode_is_set_only_on_a_subscription() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(
            store
                .subscribe_in_mode(1, 4408, DeliveryMode::Digest, 0)
                .unwrap(),
            None
        );
        assert!(store.subscribe(1, 4401, 0).unwrap(), "plain subscribe");
        assert_eq!(
            store.subscription_modes(1).unwrap(),
            vec![(4401, DeliveryMode::Each), (4408, DeliveryMode::Digest)]
        );
        assert_eq!(
            store
                .subscribe_in_mode(1, 4408, DeliveryMode::Each, 0)
                .unwrap(),
            Some(DeliveryMode::Digest)
        );
        assert!(store.set_mode(1, 4401, DeliveryMode::Paused).unwrap());
        assert!(
            !store.set_mode(1, 4403, DeliveryMode::Paused).unwrap(),
            "no subscription is made by a mode"
        );
        assert_eq!(store.subscription_modes(1).unwrap().len(), 2);
    }

    #[test]
    fn chat_settings_default_and_change_one_at_a_time() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.chat_prefs(5).unwrap(), ChatPrefs::default());
        store.set_quiet_hours(5, QuietHours::Morning).unwrap();
        store.set_digest_hour(5, 21).unwrap();
        store.set_digest_hour(5, 18).unwrap();
        assert_eq!(
            store.chat_prefs(5).unwrap(),
            ChatPrefs {
                digest_hour: 18,
                quiet: QuietHours::Morning
            }
        );
        assert_eq!(store.chat_prefs(6).unwrap(), ChatPrefs::default());
    }

    #[test]
    fn a_days_digest_is_claimed_once_until_its_lease_runs_out_and_never_after_it_is_sent() {
        let store = SqliteStore::open_in_memory().unwrap();
        let first = store.claim_digest(9, "2026-12-06", 120, 1000).unwrap();
        let first = first.expect("first claim");
        assert_eq!(
            store.claim_digest(9, "2026-12-06", 120, 1001).unwrap(),
            None,
            "held by the first sender"
        );
        let again = store.claim_digest(9, "2026-12-06", 120, 1200).unwrap();
        assert_eq!(again.map(|c| c.id), Some(first.id), "lease ran out");
        store.digest_sent(first.id, &[], &[42], 1201).unwrap();
        assert_eq!(
            store.claim_digest(9, "2026-12-06", 120, 9999).unwrap(),
            None,
            "sent"
        );
        assert!(
            store
                .claim_digest(9, "2026-12-07", 120, 9999)
                .unwrap()
                .is_some(),
            "the next day"
        );
    }
}
