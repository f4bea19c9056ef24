//! The question log, votes, taught words and editors on SQLite.

use super::SqliteStore;
use crate::article::ArticleId;
use crate::store::StoreError;
use crate::store::editorial::{
    EditorChange, Editors, LogSummary, LoggedQuestion, MissedTopic, QuestionLog, TaughtWord,
    TaughtWords, Vote,
};
use rusqlite::{OptionalExtension, params};

/// How often, in seconds of asking time, questions past their keeping
/// period are deleted.
const FORGET_EVERY_SECONDS: i64 = 300;

impl QuestionLog for SqliteStore {
    fn member_salt(&self) -> Result<i64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT value FROM meta WHERE key = 'member_salt'",
            [],
            |r| r.get(0),
        )?)
    }

    fn log_question(
        &self,
        question: &LoggedQuestion,
        forget_before: i64,
    ) -> Result<i64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.prepare_cached(
            "INSERT INTO question_log
                 (member, asked_at, text, understood, topic, found, first_id, chat)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            question.member,
            question.asked_at,
            question.text,
            question.understood,
            question.topic,
            question.found,
            question.first.as_ref().map(ArticleId::as_str),
            question.chat,
        ])?;
        let id = tx.last_insert_rowid();
        if question.asked_at % FORGET_EVERY_SECONDS < 5 {
            tx.prepare_cached(
                "DELETE FROM answer_votes WHERE log_id IN
                 (SELECT id FROM question_log WHERE asked_at < ?1)",
            )?
            .execute([forget_before])?;
            tx.prepare_cached("DELETE FROM question_log WHERE asked_at < ?1")?
                .execute([forget_before])?;
        }
        tx.commit()?;
        Ok(id)
    }

    fn vote(
        &self,
        log_id: i64,
        chat: i64,
        voter: i64,
        vote: Vote,
        now: i64,
    ) -> Result<Option<(u64, u64)>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists = tx
            .query_row(
                "SELECT 1 FROM question_log WHERE id = ?1 AND chat = ?2",
                [log_id, chat],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !exists {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO answer_votes (log_id, voter, helpful, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (log_id, voter) DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
            params![log_id, voter, vote == Vote::Helpful, now],
        )?;
        let counts = tx.query_row(
            "SELECT COALESCE(SUM(helpful), 0), COALESCE(SUM(1 - helpful), 0)
             FROM answer_votes WHERE log_id = ?1",
            [log_id],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?;
        tx.commit()?;
        Ok(Some(counts))
    }

    fn missed_topics(&self, since: i64, limit: usize) -> Result<Vec<MissedTopic>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "WITH missed AS (
                 SELECT q.id, q.topic, q.text, q.asked_at, q.found = 0 AS unanswered,
                        EXISTS (SELECT 1 FROM answer_votes v
                                WHERE v.log_id = q.id AND v.helpful = 0) AS downvoted
                 FROM question_log q WHERE q.asked_at >= ?1)
             SELECT topic, SUM(unanswered), SUM(downvoted AND NOT unanswered),
                    (SELECT m2.text FROM missed m2
                     WHERE m2.topic = missed.topic AND (m2.unanswered OR m2.downvoted)
                     ORDER BY m2.asked_at DESC, m2.id DESC LIMIT 1)
             FROM missed WHERE unanswered OR downvoted
             GROUP BY topic
             ORDER BY COUNT(*) DESC, MAX(asked_at) DESC
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok(MissedTopic {
                topic: r.get(0)?,
                unanswered: r.get::<_, i64>(1)? as u64,
                missed: r.get::<_, i64>(2)? as u64,
                example: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn log_summary(&self, since: i64) -> Result<LogSummary, StoreError> {
        let conn = self.conn();
        let (asked, unanswered) = conn.query_row(
            "SELECT COUNT(*), COALESCE(SUM(found = 0), 0) FROM question_log WHERE asked_at >= ?1",
            [since],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?;
        let (helpful, missed) = conn.query_row(
            "SELECT COALESCE(SUM(v.helpful), 0), COALESCE(SUM(1 - v.helpful), 0)
             FROM answer_votes v JOIN question_log q ON q.id = v.log_id
             WHERE q.asked_at >= ?1",
            [since],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
        )?;
        Ok(LogSummary {
            asked,
            unanswered,
            helpful,
            missed,
        })
    }

    fn wordings(
        &self,
        topic: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT q.text, COUNT(*) FROM question_log q
             WHERE q.topic = ?1 AND q.asked_at >= ?2
               AND (q.found = 0 OR EXISTS (SELECT 1 FROM answer_votes v
                                           WHERE v.log_id = q.id AND v.helpful = 0))
             GROUP BY q.text ORDER BY COUNT(*) DESC, MAX(q.asked_at) DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![topic, since, limit as i64], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn questions_holding(
        &self,
        needle: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<(String, Option<ArticleId>)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT text, first_id FROM question_log
             WHERE asked_at >= ?1 AND instr(understood || ' ' || text, ?2) > 0
             GROUP BY text ORDER BY MAX(asked_at) DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![since, needle, limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?
                    .and_then(|id| ArticleId::parse(&id)),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn forget_logged_before(&self, before: i64) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM answer_votes WHERE log_id IN
             (SELECT id FROM question_log WHERE asked_at < ?1)",
            [before],
        )?;
        let gone = tx.execute("DELETE FROM question_log WHERE asked_at < ?1", [before])?;
        tx.commit()?;
        Ok(gone as u64)
    }

    fn forget_member(&self, member: i64) -> Result<u64, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let votes = tx.execute(
            "DELETE FROM answer_votes WHERE voter = ?1
             OR log_id IN (SELECT id FROM question_log WHERE member = ?1)",
            [member],
        )?;
        let questions = tx.execute("DELETE FROM question_log WHERE member = ?1", [member])?;
        tx.commit()?;
        drop(conn);
        self.checkpoint();
        Ok((votes + questions) as u64)
    }
}

impl SqliteStore {
    /// Copies the write-ahead log into the database and empties it, so
    /// deleted rows (overwritten there: `secure_delete`) leave no older
    /// copy in the log file either. A reader holding the log open makes it
    /// wait for the next checkpoint: logged, not failed.
    fn checkpoint(&self) {
        let conn = self.conn();
        let done = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        });
        match done {
            Ok(0) => {}
            Ok(_) => tracing::info!("the log file could not be emptied now: a reader holds it"),
            Err(e) => tracing::warn!(error = %e, "cannot checkpoint the database"),
        }
    }
}

impl TaughtWords for SqliteStore {
    fn taught_words(&self) -> Result<Vec<TaughtWord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT word, mandarin, by, at FROM taught_words ORDER BY at, word")?;
        let rows = stmt.query_map([], |r| {
            Ok(TaughtWord {
                word: r.get(0)?,
                mandarin: r.get(1)?,
                by: r.get(2)?,
                at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn words_generation(&self) -> Result<i64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT value FROM meta WHERE key = 'words_generation'",
            [],
            |r| r.get(0),
        )?)
    }

    fn propose_word(&self, word: &TaughtWord) -> Result<i64, StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO word_proposals (word, mandarin, by, at) VALUES (?1, ?2, ?3, ?4)",
            params![word.word, word.mandarin, word.by, word.at],
        )?;
        let id = conn.last_insert_rowid();
        // Proposals nobody confirmed within a day are forgotten.
        conn.execute(
            "DELETE FROM word_proposals WHERE at < ?1",
            [word.at - 24 * 3600],
        )?;
        Ok(id)
    }

    fn take_proposal(&self, id: i64) -> Result<Option<TaughtWord>, StoreError> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "DELETE FROM word_proposals WHERE id = ?1 RETURNING word, mandarin, by, at",
                [id],
                |r| {
                    Ok(TaughtWord {
                        word: r.get(0)?,
                        mandarin: r.get(1)?,
                        by: r.get(2)?,
                        at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    fn teach(&self, word: &TaughtWord) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO taught_words (word, mandarin, by, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (word) DO UPDATE SET mandarin = excluded.mandarin,
                 by = excluded.by, at = excluded.at",
            params![word.word, word.mandarin, word.by, word.at],
        )?;
        tx.execute(
            "INSERT INTO word_log (at, by, action, word, mandarin) VALUES (?1, ?2, 'teach', ?3, ?4)",
            params![word.at, word.by, word.word, word.mandarin],
        )?;
        tx.execute(
            "UPDATE meta SET value = value + 1 WHERE key = 'words_generation'",
            [],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn unteach(&self, word: &str, by: i64, now: i64) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mandarin: Option<String> = tx
            .query_row(
                "DELETE FROM taught_words WHERE word = ?1 RETURNING mandarin",
                [word],
                |r| r.get(0),
            )
            .optional()?;
        let Some(mandarin) = mandarin else {
            return Ok(false);
        };
        tx.execute(
            "INSERT INTO word_log (at, by, action, word, mandarin) VALUES (?1, ?2, 'unteach', ?3, ?4)",
            params![now, by, word, mandarin],
        )?;
        tx.execute(
            "UPDATE meta SET value = value + 1 WHERE key = 'words_generation'",
            [],
        )?;
        tx.commit()?;
        Ok(true)
    }
}

impl Editors for SqliteStore {
    fn editors(&self) -> Result<Vec<(i64, i64, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT user_id, added_by, added_at FROM editors ORDER BY added_at")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn editors_generation(&self) -> Result<i64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT value FROM meta WHERE key = 'editors_generation'",
            [],
            |r| r.get(0),
        )?)
    }

    fn add_editor(&self, user_id: i64, by: i64, now: i64) -> Result<bool, StoreError> {
        self.change_editor(user_id, by, now, true)
    }

    fn remove_editor(&self, user_id: i64, by: i64, now: i64) -> Result<bool, StoreError> {
        self.change_editor(user_id, by, now, false)
    }

    fn editor_log(&self, limit: usize) -> Result<Vec<EditorChange>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT at, by, user_id, added FROM editor_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(EditorChange {
                at: r.get(0)?,
                by: r.get(1)?,
                user_id: r.get(2)?,
                added: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl SqliteStore {
    fn change_editor(
        &self,
        user_id: i64,
        by: i64,
        now: i64,
        add: bool,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = if add {
            tx.execute(
                "INSERT OR IGNORE INTO editors (user_id, added_by, added_at) VALUES (?1, ?2, ?3)",
                params![user_id, by, now],
            )?
        } else {
            tx.execute("DELETE FROM editors WHERE user_id = ?1", [user_id])?
        } > 0;
        if changed {
            tx.execute(
                "INSERT INTO editor_log (at, by, user_id, added) VALUES (?1, ?2, ?3, ?4)",
                params![now, by, user_id, add],
            )?;
            tx.execute(
                "UPDATE meta SET value = value + 1 WHERE key = 'editors_generation'",
                [],
            )?;
        }
        tx.commit()?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logged(member: i64, at: i64, text: &str, topic: &str, found: bool) -> LoggedQuestion {
        LoggedQuestion {
            member,
            chat: 0,
            asked_at: at,
            text: text.into(),
            understood: topic.into(),
            topic: topic.into(),
            found,
            first: None,
        }
    }

    #[test]
    fn votes_count_once_per_member_and_can_change() {
        let store = SqliteStore::open_in_memory().unwrap();
        let id = store
            .log_question(&logged(1, 1000, "湛江驿站", "驿站 湛江", true), 0)
            .unwrap();
        assert_eq!(
            store.vote(id, 0, 7, Vote::Helpful, 1001).unwrap(),
            Some((1, 0))
        );
        assert_eq!(
            store.vote(id, 0, 7, Vote::Helpful, 1002).unwrap(),
            Some((1, 0))
        );
        assert_eq!(
            store.vote(id, 0, 8, Vote::Missed, 1003).unwrap(),
            Some((1, 1))
        );
        assert_eq!(
            store.vote(id, 0, 7, Vote::Missed, 1004).unwrap(),
            Some((0, 2))
        );
        assert_eq!(store.vote(id + 1, 0, 7, Vote::Missed, 1004).unwrap(), None);
        // A button pressed in another chat (a forged one) counts nothing.
        assert_eq!(store.vote(id, 5, 9, Vote::Missed, 1005).unwrap(), None);
    }

    #[test]
    fn missed_topics_group_unanswered_and_downvoted_questions_most_first() {
        let store = SqliteStore::open_in_memory().unwrap();
        for (i, text) in ["公积金怎么交", "公积金 咋交", "公积金怎么交"]
            .iter()
            .enumerate()
        {
            store
                .log_question(&logged(i as i64, 1000 + i as i64, text, "公积金", false), 0)
                .unwrap();
        }
        let answered = store
            .log_question(&logged(9, 1010, "驿站在哪", "驿站", true), 0)
            .unwrap();
        store
            .log_question(&logged(9, 1011, "劳模体检", "劳模 体检", true), 0)
            .unwrap();
        store.vote(answered, 0, 9, Vote::Missed, 1012).unwrap();
        store
            .log_question(&logged(3, 10, "旧问题", "旧", false), 0)
            .unwrap();
        let topics = store.missed_topics(1000, 10).unwrap();
        let shown: Vec<(&str, u64, u64)> = topics
            .iter()
            .map(|t| (t.topic.as_str(), t.unanswered, t.missed))
            .collect();
        assert_eq!(shown, vec![("公积金", 3, 0), ("驿站", 0, 1)]);
        assert_eq!(
            store.wordings("公积金", 1000, 5).unwrap(),
            vec![
                ("公积金怎么交".to_string(), 2),
                ("公积金 咋交".to_string(), 1)
            ]
        );
        let summary = store.log_summary(1000).unwrap();
        assert_eq!(
            (summary.asked, summary.unanswered, summary.missed),
            (5, 3, 1)
        );
    }

    #[test]
    fn forgetting_a_member_leaves_none_of_their_questions_or_votes() {
        let store = SqliteStore::open_in_memory().unwrap();
        let mine = store
            .log_question(&logged(1, 1000, "我的问题", "问题", true), 0)
            .unwrap();
        let theirs = store
            .log_question(&logged(2, 1000, "别人的问题", "问题", true), 0)
            .unwrap();
        store.vote(theirs, 0, 1, Vote::Missed, 1001).unwrap();
        store.vote(mine, 0, 2, Vote::Helpful, 1001).unwrap();
        assert_eq!(store.forget_member(1).unwrap(), 3);
        assert_eq!(store.log_summary(0).unwrap().asked, 1);
        assert_eq!(store.log_summary(0).unwrap().missed, 0);
        assert!(store.questions_holding("我的", 0, 5).unwrap().is_empty());
    }

    #[test]
    fn the_sweep_deletes_questions_and_votes_before_a_time() {
        let store = SqliteStore::open_in_memory().unwrap();
        let old = store
            .log_question(&logged(1, 100, "旧", "旧", true), 0)
            .unwrap();
        store.vote(old, 0, 2, Vote::Missed, 101).unwrap();
        store
            .log_question(&logged(1, 900, "新", "新", true), 0)
            .unwrap();
        assert_eq!(store.forget_logged_before(500).unwrap(), 1);
        let summary = store.log_summary(0).unwrap();
        assert_eq!((summary.asked, summary.missed), (1, 0));
    }

    #[test]
    fn questions_past_their_keeping_period_are_deleted() {
        let store = SqliteStore::open_in_memory().unwrap();
        store
            .log_question(&logged(1, 100, "很久以前", "以前", false), 0)
            .unwrap();
        // A later question, at a moment the log is swept.
        store
            .log_question(&logged(1, 3000, "今天", "今天", false), 1000)
            .unwrap();
        assert_eq!(store.log_summary(0).unwrap().asked, 1);
    }

    #[test]
    fn taught_words_and_editors_are_logged_and_bump_their_generations() {
        let store = SqliteStore::open_in_memory().unwrap();
        let g0 = store.words_generation().unwrap();
        let word = TaughtWord {
            word: "跑滴滴".into(),
            mandarin: "网约车司机".into(),
            by: 1,
            at: 100,
        };
        let proposal = store.propose_word(&word).unwrap();
        assert_eq!(store.take_proposal(proposal).unwrap(), Some(word.clone()));
        assert_eq!(store.take_proposal(proposal).unwrap(), None);
        store.teach(&word).unwrap();
        assert_eq!(store.taught_words().unwrap(), vec![word]);
        assert!(store.words_generation().unwrap() > g0);
        assert!(store.unteach("跑滴滴", 1, 200).unwrap());
        assert!(!store.unteach("跑滴滴", 1, 200).unwrap());
        assert!(store.taught_words().unwrap().is_empty());

        let e0 = store.editors_generation().unwrap();
        assert!(store.add_editor(42, 1, 300).unwrap());
        assert!(!store.add_editor(42, 1, 301).unwrap());
        assert_eq!(store.editors().unwrap(), vec![(42, 1, 300)]);
        assert!(store.remove_editor(42, 1, 302).unwrap());
        assert!(store.editors().unwrap().is_empty());
        assert_eq!(store.editors_generation().unwrap(), e0 + 2);
        let log = store.editor_log(5).unwrap();
        assert_eq!(log.len(), 2);
        assert!(!log[0].added && log[1].added);
    }
}

#[cfg(test)]
mod moving {
    use super::*;
    use crate::store::Subscriptions;

    #[test]
    fn a_chat_moved_to_a_new_id_keeps_its_subscriptions() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(-4242, 4408, 0).unwrap();
        store.subscribe(-4242, 4419, 0).unwrap();
        store.subscribe(-1004242, 4419, 0).unwrap();
        assert_eq!(store.move_chat(-4242, -1004242).unwrap(), 1);
        assert_eq!(store.subscriptions(-1004242).unwrap(), vec![4408, 4419]);
        assert!(store.subscriptions(-4242).unwrap().is_empty());
    }
}
