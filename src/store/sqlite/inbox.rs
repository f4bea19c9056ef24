//! The union inbox (留言) on SQLite: one `questions` row per question, its
//! answer and the answer's delivery in the same row.

use super::SqliteStore;
use crate::store::{
    Answered, Filed, Inbox, NewQuestion, OwedAnswer, QuestionAnswer, QuestionLimit, QuestionState,
    StoreError, StoredQuestion, Withdrawal,
};
use rusqlite::{Connection, OptionalExtension, params};

const COLUMNS: &str = "id, chat_id, user_id, message_id, name, text, asked_at, state, \
     answer, answered_by, answered_by_name, answered_at, sent_at";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredQuestion> {
    let answer: Option<String> = r.get(8)?;
    let answer = match answer {
        Some(text) => Some(QuestionAnswer {
            text,
            by: r.get::<_, Option<i64>>(9)?.unwrap_or_default(),
            by_name: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
            at: r.get::<_, Option<i64>>(11)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(StoredQuestion {
        number: r.get(0)?,
        chat_id: r.get(1)?,
        user_id: r.get(2)?,
        message_id: r.get(3)?,
        name: r.get(4)?,
        text: r.get(5)?,
        asked_at: r.get(6)?,
        state: QuestionState::from_code(r.get(7)?),
        answer,
        answer_sent_at: r.get(12)?,
    })
}

fn read_question(conn: &Connection, number: i64) -> Result<Option<StoredQuestion>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM questions WHERE id = ?1"))?
        .query_row([number], read_row)
        .optional()?)
}

fn read_many(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredQuestion>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM questions {condition}"))?;
    let rows = stmt.query_map(params, read_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Inbox for SqliteStore {
    fn file_question(
        &self,
        question: &NewQuestion,
        limits: &[QuestionLimit],
        now: i64,
    ) -> Result<Filed, StoreError> {
        let mut conn = self.conn();
        // IMMEDIATE: the count and the insert are one step for every replica.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(message_id) = question.message_id {
            let known: Option<i64> = tx
                .prepare_cached("SELECT id FROM questions WHERE chat_id = ?1 AND message_id = ?2")?
                .query_row(params![question.chat_id, message_id], |r| r.get(0))
                .optional()?;
            if let Some(number) = known {
                return Ok(Filed::Already(number));
            }
        }
        let mut until: Option<(i64, QuestionLimit)> = None;
        for limit in limits {
            let times: Vec<i64> = tx
                .prepare_cached(
                    "SELECT asked_at FROM questions WHERE user_id = ?1 AND asked_at > ?2
                     ORDER BY asked_at",
                )?
                .query_map(params![question.user_id, now - limit.secs], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let max = limit.max as usize;
            if times.len() >= max {
                // Free again when enough of the window's questions age out.
                let free_at = times[times.len() - max] + limit.secs;
                if until.is_none_or(|(at, _)| free_at > at) {
                    until = Some((free_at, *limit));
                }
            }
        }
        if let Some((until, limit)) = until {
            return Ok(Filed::TooSoon { until, limit });
        }
        tx.prepare_cached(
            "INSERT INTO questions (chat_id, user_id, message_id, name, text, asked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            question.chat_id,
            question.user_id,
            question.message_id,
            question.name,
            question.text,
            now
        ])?;
        let number = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Filed::New(number))
    }

    fn question(&self, number: i64) -> Result<Option<StoredQuestion>, StoreError> {
        read_question(&self.conn(), number)
    }

    fn open_questions(&self, limit: usize) -> Result<Vec<StoredQuestion>, StoreError> {
        read_many(
            &self.conn(),
            "WHERE state = 0 ORDER BY id LIMIT ?1",
            [limit as i64],
        )
    }

    fn answered_questions(&self, limit: usize) -> Result<Vec<StoredQuestion>, StoreError> {
        read_many(
            &self.conn(),
            "WHERE state = 1 ORDER BY answered_at DESC, id DESC LIMIT ?1",
            [limit as i64],
        )
    }

    fn member_questions(
        &self,
        user_id: i64,
        limit: usize,
    ) -> Result<Vec<StoredQuestion>, StoreError> {
        read_many(
            &self.conn(),
            "WHERE user_id = ?1 AND state = 0 ORDER BY id LIMIT ?2",
            params![user_id, limit as i64],
        )
    }

    fn answer_question(
        &self,
        number: i64,
        answer: &QuestionAnswer,
    ) -> Result<Answered, StoreError> {
        let conn = self.conn();
        // Only an open question takes an answer: of two admins answering at
        // once, the second updates nothing.
        let changed = conn
            .prepare_cached(
                "UPDATE questions SET state = 1, answer = ?2, answered_by = ?3,
                     answered_by_name = ?4, answered_at = ?5, due_at = ?5
                 WHERE id = ?1 AND state = 0",
            )?
            .execute(params![
                number,
                answer.text,
                answer.by,
                answer.by_name,
                answer.at
            ])?;
        let Some(question) = read_question(&conn, number)? else {
            return Ok(Answered::Unknown);
        };
        Ok(match (changed, question.state) {
            (1, _) => Answered::Now(question),
            (_, QuestionState::Withdrawn) => Answered::Withdrawn(question),
            _ => Answered::Already(question),
        })
    }

    fn withdraw_question(
        &self,
        number: i64,
        user_id: i64,
        now: i64,
    ) -> Result<Withdrawal, StoreError> {
        let conn = self.conn();
        let changed = conn
            .prepare_cached(
                "UPDATE questions SET state = 2, withdrawn_at = ?3
                 WHERE id = ?1 AND user_id = ?2 AND state = 0",
            )?
            .execute(params![number, user_id, now])?;
        let question = read_question(&conn, number)?.filter(|q| q.user_id == user_id);
        Ok(match (changed, question) {
            (_, None) => Withdrawal::Unknown,
            (1, Some(question)) => Withdrawal::Done(question),
            (_, Some(question)) => Withdrawal::NotOpen(question),
        })
    }

    fn release_inbox_claims(&self) -> Result<usize, StoreError> {
        let conn = self.conn();
        let answers = conn.execute(
            "UPDATE questions SET claimed_until = NULL
             WHERE state = 1 AND sent_at IS NULL AND dropped IS NULL
               AND claimed_until IS NOT NULL",
            [],
        )?;
        let notices = conn.execute(
            "UPDATE questions SET notice_claimed = NULL
             WHERE notified_at IS NULL AND notice_claimed IS NOT NULL",
            [],
        )?;
        Ok(answers + notices)
    }

    fn claim_notices(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<StoredQuestion>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let due = read_many(
            &tx,
            "WHERE notified_at IS NULL AND (notice_claimed IS NULL OR notice_claimed <= ?1)
               AND state = 0 AND asked_at >= ?1 - 7 * 86400
             ORDER BY id LIMIT ?2",
            params![now, limit as i64],
        )?;
        for question in &due {
            tx.prepare_cached("UPDATE questions SET notice_claimed = ?1 WHERE id = ?2")?
                .execute(params![now + lease_secs, question.number])?;
        }
        tx.commit()?;
        Ok(due)
    }

    fn notice_sent(&self, number: i64, now: i64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE questions SET notified_at = ?2, notice_claimed = NULL
                 WHERE id = ?1 AND notified_at IS NULL",
            )?
            .execute(params![number, now])?;
        Ok(())
    }

    fn claim_due_answers(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<OwedAnswer>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let due: Vec<(StoredQuestion, u32)> = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {COLUMNS}, attempts FROM questions
                 WHERE state = 1 AND sent_at IS NULL AND dropped IS NULL AND due_at <= ?1
                   AND (claimed_until IS NULL OR claimed_until <= ?1)
                 ORDER BY due_at, id LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![now, limit as i64], |r| {
                Ok((read_row(r)?, r.get::<_, u32>(13)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        for (question, _) in &due {
            tx.prepare_cached("UPDATE questions SET claimed_until = ?1 WHERE id = ?2")?
                .execute(params![now + lease_secs, question.number])?;
        }
        tx.commit()?;
        Ok(due
            .into_iter()
            .map(|(question, attempts)| OwedAnswer { question, attempts })
            .collect())
    }

    fn answer_sent(&self, number: i64, message_id: i32, now: i64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE questions SET sent_at = ?2, sent_message = ?3, claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )?
            .execute(params![number, now, message_id])?;
        Ok(())
    }

    fn answer_failed(
        &self,
        number: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE questions SET attempts = attempts + 1, last_error = ?2,
                     due_at = ?3, claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )?
            .execute(params![number, error, now + retry_in_secs])?;
        Ok(())
    }

    fn answer_dropped(&self, number: i64, reason: &str) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE questions SET dropped = ?2, claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )?
            .execute(params![number, reason])?;
        Ok(())
    }

    fn forget_closed_before(&self, before: i64) -> Result<u64, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM questions WHERE asked_at < ?1
             AND (state = 2 OR (state = 1 AND (sent_at IS NOT NULL OR dropped IS NOT NULL)))",
            [before],
        )? as u64)
    }

    fn forget_questions(&self, user_id: i64) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM questions WHERE user_id = ?1", [user_id])? as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: [QuestionLimit; 2] = [
        QuestionLimit { secs: 60, max: 1 },
        QuestionLimit {
            secs: 86_400,
            max: 5,
        },
    ];

    fn ask(store: &SqliteStore, user: i64, message: i32, now: i64) -> Filed {
        let question = NewQuestion {
            chat_id: user,
            user_id: user,
            message_id: Some(message),
            name: "张三",
            text: "试用期最长多久？",
        };
        store.file_question(&question, &LIMITS, now).unwrap()
    }

    fn answer(by: i64, at: i64) -> QuestionAnswer {
        QuestionAnswer {
            text: "最长六个月。".into(),
            by,
            by_name: format!("管理员{by}"),
            at,
        }
    }

    #[test]
    fn a_question_is_filed_once_and_limited_per_member_in_the_database() {
        let store = SqliteStore::open_in_memory().unwrap();
        let t = 1_000_000;
        assert_eq!(ask(&store, 1, 10, t), Filed::New(1));
        assert_eq!(ask(&store, 1, 10, t + 5), Filed::Already(1));
        assert_eq!(
            ask(&store, 1, 11, t + 30),
            Filed::TooSoon {
                until: t + 60,
                limit: LIMITS[0]
            }
        );
        assert_eq!(ask(&store, 2, 11, t + 30), Filed::New(2), "another member");
        for i in 1..5 {
            assert!(matches!(
                ask(&store, 1, 11 + i, t + 61 * i64::from(i)),
                Filed::New(_)
            ));
        }
        assert_eq!(
            ask(&store, 1, 20, t + 1000),
            Filed::TooSoon {
                until: t + 86_400,
                limit: LIMITS[1]
            },
            "five a day"
        );
        assert!(matches!(ask(&store, 1, 21, t + 86_401), Filed::New(_)));
    }

    #[test]
    fn only_the_first_answer_counts_and_is_owed_once() {
        let store = SqliteStore::open_in_memory().unwrap();
        let Filed::New(n) = ask(&store, 1, 10, 100) else {
            panic!("not filed")
        };
        assert!(matches!(
            store.answer_question(n, &answer(7, 200)).unwrap(),
            Answered::Now(_)
        ));
        match store.answer_question(n, &answer(8, 201)).unwrap() {
            Answered::Already(q) => assert_eq!(q.answer.unwrap().by, 7),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            store.answer_question(99, &answer(8, 201)).unwrap(),
            Answered::Unknown
        );
        let owed = store.claim_due_answers(10, 60, 200).unwrap();
        assert_eq!(owed.len(), 1);
        assert!(
            store.claim_due_answers(10, 60, 230).unwrap().is_empty(),
            "leased"
        );
        let again = store.claim_due_answers(10, 60, 261).unwrap();
        assert_eq!(again.len(), 1, "the lease ran out");
        store.answer_sent(n, 55, 262).unwrap();
        assert!(
            store.claim_due_answers(10, 60, 1000).unwrap().is_empty(),
            "sent once"
        );
        assert_eq!(
            store.question(n).unwrap().unwrap().answer_sent_at,
            Some(262)
        );
    }

    #[test]
    fn a_notice_is_claimed_by_one_sender_and_sent_once() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(ask(&store, 1, 10, 100), Filed::New(1));
        assert_eq!(ask(&store, 2, 10, 100), Filed::New(2));
        let claimed = store.claim_notices(10, 60, 100).unwrap();
        assert_eq!(claimed.iter().map(|q| q.number).collect::<Vec<_>>(), [1, 2]);
        assert!(
            store.claim_notices(10, 60, 110).unwrap().is_empty(),
            "leased"
        );
        store.notice_sent(1, 111).unwrap();
        assert_eq!(store.release_inbox_claims().unwrap(), 1, "a sender stopped");
        let again = store.claim_notices(10, 60, 112).unwrap();
        assert_eq!(again.iter().map(|q| q.number).collect::<Vec<_>>(), [2]);
        store.notice_sent(2, 113).unwrap();
        assert!(store.claim_notices(10, 60, 1000).unwrap().is_empty());
    }

    #[test]
    fn a_member_withdraws_only_their_own_open_question() {
        let store = SqliteStore::open_in_memory().unwrap();
        let Filed::New(n) = ask(&store, 1, 10, 100) else {
            panic!("not filed")
        };
        assert_eq!(
            store.withdraw_question(n, 2, 110).unwrap(),
            Withdrawal::Unknown
        );
        assert_eq!(store.member_questions(1, 10).unwrap().len(), 1);
        assert!(matches!(
            store.withdraw_question(n, 1, 120).unwrap(),
            Withdrawal::Done(_)
        ));
        assert!(matches!(
            store.withdraw_question(n, 1, 130).unwrap(),
            Withdrawal::NotOpen(_)
        ));
        assert!(matches!(
            store.answer_question(n, &answer(7, 140)).unwrap(),
            Answered::Withdrawn(_)
        ));
        assert!(store.open_questions(10).unwrap().is_empty());
        assert!(store.member_questions(1, 10).unwrap().is_empty());
    }
}
