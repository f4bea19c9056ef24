//! What editors learn from members and what they change while the bot
//! runs: the question log with members' 👍 / 👎, the words editors teach,
//! and the editors themselves.
//!
//! Members appear here only as opaque numbers ([`QuestionLog::member_salt`]
//! keyed hashes of their Telegram ids), so the log says what was asked, not
//! by whom, and `/forget` can still find a member's rows.

use super::StoreError;
use crate::article::ArticleId;

/// One question as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedQuestion {
    /// The member, as an opaque number.
    pub member: i64,
    /// The chat it was asked in, as an opaque number: a vote on its answer
    /// counts only when pressed in that chat.
    pub chat: i64,
    /// When it was asked (Unix seconds).
    pub asked_at: i64,
    /// The message as typed (trimmed).
    pub text: String,
    /// How it was understood (its topic words, places and time, in words).
    pub understood: String,
    /// Its normalised topic: what questions are grouped by in `/feedback`.
    pub topic: String,
    /// Whether it found an article.
    pub found: bool,
    /// The first article it found.
    pub first: Option<ArticleId>,
}

/// A member's judgement of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    /// 👍: the answer helped.
    Helpful,
    /// 👎: it missed.
    Missed,
}

/// Questions that missed, grouped by topic, for `/feedback`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedTopic {
    /// The normalised topic.
    pub topic: String,
    /// How many questions of the period on it found nothing.
    pub unanswered: u64,
    /// How many of its answers members marked 👎.
    pub missed: u64,
    /// A member's wording, the most recent.
    pub example: String,
}

/// What the log holds for a period, in figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// Questions asked.
    pub asked: u64,
    /// Questions that found nothing.
    pub unanswered: u64,
    /// Answers marked 👍.
    pub helpful: u64,
    /// Answers marked 👎.
    pub missed: u64,
}

/// Every question members ask, kept for a set period, and their votes.
pub trait QuestionLog {
    /// The secret members' ids are hashed with (made once per database).
    fn member_salt(&self) -> Result<i64, StoreError>;

    /// Logs a question; returns its number (the 👍 / 👎 buttons carry it).
    /// Questions asked before `forget_before` are deleted now and then.
    fn log_question(
        &self,
        question: &LoggedQuestion,
        forget_before: i64,
    ) -> Result<i64, StoreError>;

    /// Records a member's vote on a logged answer given in `chat`,
    /// replacing their earlier one; `None` when no such answer is logged in
    /// that chat (forgotten, or a forged button). Returns the answer's
    /// counts after it: (👍, 👎).
    fn vote(
        &self,
        log_id: i64,
        chat: i64,
        voter: i64,
        vote: Vote,
        now: i64,
    ) -> Result<Option<(u64, u64)>, StoreError>;

    /// The topics of the questions asked from `since` on that found nothing
    /// or were marked 👎, most first, at most `limit`.
    fn missed_topics(&self, since: i64, limit: usize) -> Result<Vec<MissedTopic>, StoreError>;

    /// The figures of the questions asked from `since` on.
    fn log_summary(&self, since: i64) -> Result<LogSummary, StoreError>;

    /// Members' wordings of one topic from `since` on (found nothing or
    /// 👎), each with how many times, most first.
    fn wordings(
        &self,
        topic: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<(String, u64)>, StoreError>;

    /// Logged questions from `since` on whose normalised text holds
    /// `needle`, newest first: text and first article.
    fn questions_holding(
        &self,
        needle: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<(String, Option<ArticleId>)>, StoreError>;

    /// Deletes the questions asked before `before` and their votes; returns
    /// how many questions went.
    fn forget_logged_before(&self, before: i64) -> Result<u64, StoreError>;

    /// Deletes every logged question and vote of a member; returns how many
    /// rows went.
    fn forget_member(&self, member: i64) -> Result<u64, StoreError>;
}

/// A word editors taught: members' `word` means the paper's `mandarin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaughtWord {
    /// The members' word (normalised).
    pub word: String,
    /// What the paper writes (normalised).
    pub mandarin: String,
    /// The editor who taught it.
    pub by: i64,
    /// When (Unix seconds).
    pub at: i64,
}

/// The words editors teach, shared by every process on the store.
pub trait TaughtWords {
    /// Every taught word, in the order taught.
    fn taught_words(&self) -> Result<Vec<TaughtWord>, StoreError>;

    /// A number that changes whenever a word is taught or untaught, so a
    /// process sees another's teaching without reading every word.
    fn words_generation(&self) -> Result<i64, StoreError>;

    /// Keeps a proposed word until the editor confirms it; returns its number.
    fn propose_word(&self, word: &TaughtWord) -> Result<i64, StoreError>;

    /// Takes a proposal by number (once: a second take finds nothing).
    fn take_proposal(&self, id: i64) -> Result<Option<TaughtWord>, StoreError>;

    /// Teaches a word (replacing the same word taught before), logged.
    fn teach(&self, word: &TaughtWord) -> Result<(), StoreError>;

    /// Unteaches a word, logged with who and when; false when not taught.
    fn unteach(&self, word: &str, by: i64, now: i64) -> Result<bool, StoreError>;
}

/// One change to the editors, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorChange {
    /// When (Unix seconds).
    pub at: i64,
    /// Who made it (the owner).
    pub by: i64,
    /// The editor added or removed.
    pub user_id: i64,
    /// True for an addition.
    pub added: bool,
}

/// Editors added at run time by the owner, beside `ADMIN_IDS`.
pub trait Editors {
    /// The editors added at run time: user id, who added them, when.
    fn editors(&self) -> Result<Vec<(i64, i64, i64)>, StoreError>;

    /// A number that changes whenever an editor is added or removed.
    fn editors_generation(&self) -> Result<i64, StoreError>;

    /// Adds an editor, logged; false when they were one already.
    fn add_editor(&self, user_id: i64, by: i64, now: i64) -> Result<bool, StoreError>;

    /// Removes an editor, logged; false when they were none.
    fn remove_editor(&self, user_id: i64, by: i64, now: i64) -> Result<bool, StoreError>;

    /// The newest changes to the editors, newest first.
    fn editor_log(&self, limit: usize) -> Result<Vec<EditorChange>, StoreError>;
}
