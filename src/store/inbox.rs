//! Questions to the union (留言): what a member asked, who answered what,
//! and the answers owed to members, sent once by the leader's sender loop.
//!
//! A question is open until an admin answers it or its member withdraws
//! it; the store decides which comes first (a conditional update), so two
//! admins answering at once cannot both win. An answered question is owed
//! to its member like a delivery: claimed with a lease, marked sent with
//! the message id, so a crash between answer and sending still delivers it
//! exactly once.

use super::StoreError;

/// A question a member leaves for the union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewQuestion<'a> {
    /// The chat it was asked in (the member's private chat).
    pub chat_id: i64,
    /// The member.
    pub user_id: i64,
    /// The member's own message holding the question, when there is one
    /// (the answer replies to it; one message is filed once).
    pub message_id: Option<i32>,
    /// The member's display name, shown to admins only.
    pub name: &'a str,
    /// The question as the member wrote it.
    pub text: &'a str,
}

/// At most `max` questions per member in any `secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionLimit {
    /// The window, in seconds.
    pub secs: i64,
    /// Questions allowed in it.
    pub max: u32,
}

/// What became of a question handed to [`Inbox::file_question`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// Filed under this number.
    New(i64),
    /// This message was filed already, under this number.
    Already(i64),
    /// Over a limit: not filed; a question may be left again from this
    /// time on (Unix seconds).
    TooSoon {
        /// When the member may ask again.
        until: i64,
        /// The limit that was reached.
        limit: QuestionLimit,
    },
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionState {
    /// Waiting for an answer.
    Open,
    /// Answered by an admin.
    Answered,
    /// Taken back by its member.
    Withdrawn,
}

impl QuestionState {
    /// The state's number in a store.
    pub fn code(self) -> i64 {
        match self {
            QuestionState::Open => 0,
            QuestionState::Answered => 1,
            QuestionState::Withdrawn => 2,
        }
    }

    /// The state of a number from a store (unknown numbers read as withdrawn:
    /// nothing is sent for them).
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => QuestionState::Open,
            1 => QuestionState::Answered,
            _ => QuestionState::Withdrawn,
        }
    }
}

/// Who answered a question, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionAnswer {
    /// The answer's text.
    pub text: String,
    /// The admin's user id.
    pub by: i64,
    /// The admin's display name.
    pub by_name: String,
    /// When (Unix seconds).
    pub at: i64,
}

/// A stored question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuestion {
    /// Its number (`#12`).
    pub number: i64,
    /// The chat it was asked in.
    pub chat_id: i64,
    /// The member.
    pub user_id: i64,
    /// The member's message, when there is one.
    pub message_id: Option<i32>,
    /// The member's display name (for admins only).
    pub name: String,
    /// The question.
    pub text: String,
    /// When it was asked (Unix seconds).
    pub asked_at: i64,
    /// Open, answered or withdrawn.
    pub state: QuestionState,
    /// The answer, once answered.
    pub answer: Option<QuestionAnswer>,
    /// When the answer reached the member (Unix seconds).
    pub answer_sent_at: Option<i64>,
}

/// What an admin's answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// The answer is recorded and owed to the member.
    Now(StoredQuestion),
    /// Another answer came first (it is in the question).
    Already(StoredQuestion),
    /// The member withdrew the question.
    Withdrawn(StoredQuestion),
    /// No question has that number.
    Unknown,
}

/// What a member's withdrawal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withdrawal {
    /// Withdrawn.
    Done(StoredQuestion),
    /// It is not open any more (answered or withdrawn already).
    NotOpen(StoredQuestion),
    /// No question of this member has that number (another's is not told apart).
    Unknown,
}

/// An answer owed to a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedAnswer {
    /// The question.
    pub question: StoredQuestion,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// The questions members leave for the union, and the answers owed to them.
pub trait Inbox {
    /// Files a question unless the member is over one of `limits` (counted
    /// here, in the same transaction, so replicas share them). A message
    /// filed already is not filed again.
    fn file_question(
        &self,
        question: &NewQuestion,
        limits: &[QuestionLimit],
        now: i64,
    ) -> Result<Filed, StoreError>;

    /// The question with this number.
    fn question(&self, number: i64) -> Result<Option<StoredQuestion>, StoreError>;

    /// Open questions, oldest first.
    fn open_questions(&self, limit: usize) -> Result<Vec<StoredQuestion>, StoreError>;

    /// Answered questions, newest answer first.
    fn answered_questions(&self, limit: usize) -> Result<Vec<StoredQuestion>, StoreError>;

    /// A member's open questions, oldest first.
    fn member_questions(
        &self,
        user_id: i64,
        limit: usize,
    ) -> Result<Vec<StoredQuestion>, StoreError>;

    /// Answers an open question: only one answer is ever recorded (the
    /// first); the answer falls due to its member at `now`.
    fn answer_question(&self, number: i64, answer: &QuestionAnswer)
    -> Result<Answered, StoreError>;

    /// Withdraws an open question of `user_id`.
    fn withdraw_question(
        &self,
        number: i64,
        user_id: i64,
        now: i64,
    ) -> Result<Withdrawal, StoreError>;

    /// Ends every answer and notice lease: for a sender starting after a
    /// crash, when no other sender can be running. Returns how many were released.
    fn release_inbox_claims(&self) -> Result<usize, StoreError>;

    /// Claims up to `limit` questions whose notice the admins have not had
    /// yet, oldest first, for `lease_secs`.
    fn claim_notices(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<StoredQuestion>, StoreError>;

    /// Records a question's notice as sent to the admins.
    fn notice_sent(&self, number: i64, now: i64) -> Result<(), StoreError>;

    /// Claims up to `limit` answers due to members, for `lease_secs`: a
    /// claimed answer is not handed out again until marked or its lease ends.
    fn claim_due_answers(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<OwedAnswer>, StoreError>;

    /// Records an answer as sent, with the message that carried it.
    fn answer_sent(&self, number: i64, message_id: i32, now: i64) -> Result<(), StoreError>;

    /// Records a failed attempt; tried again after `retry_in_secs`.
    fn answer_failed(
        &self,
        number: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Gives up an answer that can never be sent (the member blocked the bot).
    fn answer_dropped(&self, number: i64, reason: &str) -> Result<(), StoreError>;

    /// Deletes the questions filed before `before` that are done with:
    /// withdrawn, or answered and the answer sent or given up; returns how many.
    fn forget_closed_before(&self, before: i64) -> Result<u64, StoreError>;

    /// Deletes every question a member left, open or answered (`/forget`);
    /// returns how many.
    fn forget_questions(&self, user_id: i64) -> Result<u64, StoreError>;
}
