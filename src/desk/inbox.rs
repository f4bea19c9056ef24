//! The union inbox (留言): questions members leave for the union's people,
//! answered once by an admin, the answer sent to the member once.
//!
//! The decisions are here, whoever the front end is: who may file, list,
//! answer or withdraw; the limits per member (counted by the store, so
//! replicas share them); the words come from `reply::text`. The Telegram
//! front end sends each admin the notice of a new question
//! ([`Inbox::claim_notices`]) and the answers owed to members
//! ([`Inbox::claim_answers`]), which the store keeps until they are marked
//! sent.

use super::DeskError;
use crate::clock::BotTime;
use crate::reply::{Reply, text};
use crate::request::{Sender, UnionQuestion};
use crate::store::{
    Answered, Filed, NewQuestion, NewsStore, OwedAnswer, QuestionAnswer, QuestionLimit, Withdrawal,
};

/// Most characters a 留言 may have: a Telegram message's.
pub const MAX_LIUYAN_CHARS: usize = 4096;

/// How many questions a member may leave: one a minute, five a day.
pub const LIUYAN_LIMITS: [QuestionLimit; 2] = [
    QuestionLimit { secs: 60, max: 1 },
    QuestionLimit {
        secs: 24 * 3600,
        max: 5,
    },
];

/// Questions `/inbox` lists at most, and answers under them.
pub const INBOX_ROWS: usize = 30;
/// Recent answers `/inbox` shows.
pub const INBOX_ANSWERS: usize = 5;

/// How long a claimed answer is held before another sender may take it.
const LEASE_SECS: i64 = 120;
/// Attempts after which an answer is given up.
pub const MAX_ANSWER_ATTEMPTS: u32 = 12;

/// The union inbox of a desk.
pub struct Inbox<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) time: &'d BotTime,
}

/// True when the sender is in a private chat with the bot (or at the
/// terminal): where a member's words and names may be shown.
fn in_private(sender: &Sender) -> bool {
    sender.user_id.is_none_or(|user| user == sender.chat_id)
}

impl Inbox<'_> {
    /// Files a member's question, or says why not (empty, too long, in a
    /// group, too often, filed already).
    pub fn file(&self, sender: &Sender, question: &UnionQuestion) -> Result<Reply, DeskError> {
        if !in_private(sender) {
            return Ok(text::leave_question_in_private());
        }
        let Some(user_id) = sender.user_id else {
            return Ok(Reply::text(text::LEAVE_QUESTION_ON_TELEGRAM));
        };
        let chars = question.text.chars().count();
        if chars == 0 {
            return Ok(text::how_to_leave_question());
        }
        if chars > MAX_LIUYAN_CHARS {
            return Ok(text::question_too_long(chars, MAX_LIUYAN_CHARS));
        }
        let asked = NewQuestion {
            chat_id: sender.chat_id,
            user_id,
            message_id: question.message_id,
            name: question.name.as_deref().unwrap_or(""),
            text: &question.text,
        };
        Ok(
            match self
                .store
                .file_question(&asked, &LIUYAN_LIMITS, self.time.unix())?
            {
                Filed::New(number) => {
                    tracing::info!(number, "a question to the union was filed");
                    text::question_filed(number)
                }
                Filed::Already(number) => text::question_filed_already(number),
                Filed::TooSoon { until, limit } => {
                    text::too_many_questions(&limit, &self.time.wall(until))
                }
            },
        )
    }

    /// The notice of question `number` for admins, if it exists.
    pub fn notice(&self, number: i64) -> Result<Option<Reply>, DeskError> {
        Ok(self
            .store
            .question(number)?
            .map(|q| text::question_notice(&q, &self.time.wall(q.asked_at))))
    }

    /// `/inbox`: open questions oldest first, recent answers (admins, in private).
    pub fn list(&self, sender: &Sender) -> Result<Reply, DeskError> {
        if !in_private(sender) {
            return Ok(Reply::text(text::QUESTIONS_IN_PRIVATE));
        }
        let open = self.store.open_questions(INBOX_ROWS)?;
        let answered = self.store.answered_questions(INBOX_ANSWERS)?;
        Ok(text::inbox(&open, &answered, |t| self.time.wall(t)))
    }

    /// An admin's answer to question `number`: recorded once (the first
    /// answer wins), then owed to the member.
    pub fn answer(
        &self,
        sender: &Sender,
        number: Option<i64>,
        answer: &str,
        by_name: Option<&str>,
    ) -> Result<Reply, DeskError> {
        let answer = answer.trim();
        let Some(number) = number.filter(|_| !answer.is_empty()) else {
            return Ok(Reply::text(text::ANSWER_USAGE));
        };
        if answer.chars().count() > MAX_LIUYAN_CHARS {
            return Ok(text::question_too_long(
                answer.chars().count(),
                MAX_LIUYAN_CHARS,
            ));
        }
        let by = sender.user_id.unwrap_or(sender.chat_id);
        let given = QuestionAnswer {
            text: answer.to_string(),
            by,
            by_name: by_name
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map_or_else(|| text::admin_without_name(sender.user_id), str::to_string),
            at: self.time.unix(),
        };
        Ok(match self.store.answer_question(number, &given)? {
            Answered::Now(_) => {
                tracing::info!(number, by, "a question to the union was answered");
                text::answer_recorded(number)
            }
            Answered::Already(question) => {
                let first = question.answer.unwrap_or(given);
                text::answered_already(number, &first.by_name, &self.time.wall(first.at))
            }
            Answered::Withdrawn(_) => text::answered_after_withdrawal(number),
            Answered::Unknown => text::no_such_question(number),
        })
    }

    /// `/my_questions`: the member's open questions (in private).
    pub fn mine(&self, sender: &Sender) -> Result<Reply, DeskError> {
        if !in_private(sender) {
            return Ok(Reply::text(text::QUESTIONS_IN_PRIVATE));
        }
        let Some(user_id) = sender.user_id else {
            return Ok(Reply::text(text::LEAVE_QUESTION_ON_TELEGRAM));
        };
        let open = self.store.member_questions(user_id, INBOX_ROWS)?;
        Ok(text::my_questions(&open, |t| self.time.wall(t)))
    }

    /// A member withdraws one of their own open questions.
    pub fn withdraw(&self, sender: &Sender, number: Option<i64>) -> Result<Reply, DeskError> {
        let Some(number) = number else {
            return Ok(Reply::text(text::WITHDRAW_USAGE));
        };
        let Some(user_id) = sender.user_id else {
            return Ok(text::not_your_question(number));
        };
        Ok(
            match self
                .store
                .withdraw_question(number, user_id, self.time.unix())?
            {
                Withdrawal::Done(_) => text::question_withdrawn(number),
                Withdrawal::NotOpen(question) => text::question_not_open(number, question.state),
                Withdrawal::Unknown => {
                    tracing::warn!(number, user = user_id, "a withdrawal of another's question");
                    text::not_your_question(number)
                }
            },
        )
    }

    /// Makes due again the answers a stopped sender had claimed (the
    /// leader, starting); returns how many.
    pub fn release_claims(&self) -> Result<usize, DeskError> {
        Ok(self.store.release_inbox_claims()?)
    }

    /// Claims up to `limit` new questions whose notice the admins have not
    /// had, each with its notice.
    pub fn claim_notices(&self, limit: usize) -> Result<Vec<(i64, Reply)>, DeskError> {
        let due = self
            .store
            .claim_notices(limit, LEASE_SECS, self.time.unix())?;
        Ok(due
            .into_iter()
            .map(|q| {
                let notice = text::question_notice(&q, &self.time.wall(q.asked_at));
                (q.number, notice)
            })
            .collect())
    }

    /// Records a question's notice as sent to the admins.
    pub fn notice_sent(&self, number: i64) -> Result<(), DeskError> {
        Ok(self.store.notice_sent(number, self.time.unix())?)
    }

    /// Claims up to `limit` answers owed to members, each with the message
    /// to send (a reply to the member's question).
    pub fn claim_answers(&self, limit: usize) -> Result<Vec<(OwedAnswer, Reply)>, DeskError> {
        let owed = self
            .store
            .claim_due_answers(limit, LEASE_SECS, self.time.unix())?;
        Ok(owed
            .into_iter()
            .map(|owed| {
                let answer = owed
                    .question
                    .answer
                    .as_ref()
                    .map_or("", |a| a.text.as_str());
                let mut reply = text::answer_for_member(&owed.question, answer);
                // An answer the member waits for goes out at night too, but
                // without sound.
                reply.silent =
                    super::digests::quiet_verdict(self.time, crate::store::QuietHours::Silent)
                        == super::digests::QuietVerdict::Silent;
                (owed, reply)
            })
            .collect())
    }

    /// Records an answer as sent, with the message that carried it.
    pub fn answer_sent(&self, owed: &OwedAnswer, message_id: i32) -> Result<(), DeskError> {
        Ok(self
            .store
            .answer_sent(owed.question.number, message_id, self.time.unix())?)
    }

    /// Records a failed attempt to send an answer: tried again later
    /// (`retry_after` seconds when Telegram said), given up after
    /// [`MAX_ANSWER_ATTEMPTS`].
    pub fn answer_failed(
        &self,
        owed: &OwedAnswer,
        error: &str,
        retry_after: Option<i64>,
    ) -> Result<(), DeskError> {
        let number = owed.question.number;
        if owed.attempts + 1 >= MAX_ANSWER_ATTEMPTS {
            tracing::warn!(number, error, "an answer to a member is given up");
            return Ok(self.store.answer_dropped(number, error)?);
        }
        let backoff = retry_after.unwrap_or(30 * 2i64.pow(owed.attempts.min(8)));
        Ok(self
            .store
            .answer_failed(number, error, backoff, self.time.unix())?)
    }

    /// Gives up an answer whose member can no longer be reached.
    pub fn answer_unreachable(&self, owed: &OwedAnswer, reason: &str) -> Result<(), DeskError> {
        Ok(self.store.answer_dropped(owed.question.number, reason)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::NewsDesk;
    use crate::reply::to_plain;
    use crate::request::Request;

    fn member() -> Sender {
        Sender::member(42, Some(42))
    }

    fn said(desk: &NewsDesk, sender: &Sender, request: Request) -> String {
        to_plain(&desk.handle(sender, request))
    }

    fn parse(text: &str) -> Request {
        NewsDesk::in_memory().unwrap().parse(text)
    }

    fn liuyan(text: &str, message: i32) -> Request {
        Request::liuyan(text).from_message(message, "张三")
    }

    #[test]
    fn an_answer_at_night_goes_out_without_sound() {
        use crate::clock::{BotTime, ManualClock, zone_named};
        use chrono::TimeZone;
        let zone = zone_named("Asia/Shanghai").unwrap();
        let at = |hour| {
            zone.with_ymd_and_hms(2026, 12, 6, hour, 30, 0)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let clock = std::sync::Arc::new(ManualClock::at(at(23)));
        let desk = NewsDesk::in_memory()
            .unwrap()
            .with_time(BotTime::new(clock.clone(), zone));
        for (hour, message) in [(23, 1), (10, 2)] {
            clock.set(at(hour) + chrono::Duration::days(i64::from(message)));
            let filed = said(&desk, &member(), liuyan("工资拖了两个月怎么办", message));
            let number: i64 = filed
                .split('#')
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|digits| digits.parse().ok())
                .unwrap_or_else(|| panic!("no number in {filed}"));
            let answer = Request::Answer {
                number: Some(number),
                text: "请拨打 12351。".into(),
                by_name: Some("王主席".into()),
            };
            said(&desk, &Sender::admin(1, 1), answer);
            let owed = desk.inbox().claim_answers(5).unwrap();
            assert_eq!(owed.len(), 1);
            assert_eq!(owed[0].1.silent, hour == 23, "at {hour}:30");
            desk.inbox().answer_sent(&owed[0].0, 99).unwrap();
        }
    }

    #[test]
    fn bad_input_gets_a_clear_answer_and_files_nothing() {
        let desk = NewsDesk::in_memory().unwrap();
        let cases = [
            (member(), liuyan("", 1), "「留言」后面"),
            (member(), liuyan(&"欠".repeat(5000), 2), "5000 个字"),
            (
                Sender::member(-100, Some(42)),
                liuyan("我的工资被拖欠了", 3),
                "请私聊我",
            ),
            (Sender::operator(), Request::liuyan("问题"), "Telegram"),
            (member(), Request::Withdraw(None), "/withdraw 12"),
            (member(), Request::Withdraw(Some(9)), "您没有编号为 #9"),
            (Sender::admin(7, 7), parse("/answer"), "/answer 12"),
            (Sender::admin(7, 7), parse("/answer 9"), "/answer 12"),
            (Sender::admin(7, 7), parse("/answer 9 好"), "没有编号为 #9"),
            (Sender::admin(-100, 7), Request::Inbox, "私聊"),
            (member(), Request::Inbox, "仅限管理员"),
            (member(), Request::MyQuestions, "您没有待答复的留言"),
        ];
        for (sender, request, expected) in cases {
            let shown = format!("{request:?}");
            let reply = said(&desk, &sender, request);
            assert!(reply.contains(expected), "{shown}: {reply}");
        }
        assert!(desk.store.open_questions(10).unwrap().is_empty());
    }

    #[test]
    fn a_question_is_kept_as_written_and_the_member_name_only_shown_to_admins() {
        let desk = NewsDesk::in_memory().unwrap();
        let question = "<b>加粗</b> & 公积金怎么提取？";
        let reply = desk.handle(&member(), liuyan(question, 5));
        assert_eq!(reply.files_question, Some(1));
        assert!(!to_plain(&reply).contains("张三"));
        let stored = desk.store.question(1).unwrap().unwrap();
        assert_eq!(stored.text, question);
        let notice = desk.inbox().notice(1).unwrap().unwrap();
        let html = crate::reply::to_html(&notice).concat();
        assert!(
            html.contains("&lt;b&gt;加粗&lt;/b&gt; &amp; 公积金"),
            "{html}"
        );
        assert!(html.contains("张三") && html.contains("#1"), "{html}");
        let mine = said(&desk, &member(), Request::MyQuestions);
        assert!(mine.contains("#1") && !mine.contains("张三"), "{mine}");
        let inbox = said(&desk, &Sender::admin(7, 7), Request::Inbox);
        assert!(inbox.contains("#1 张三"), "{inbox}");
    }
}
