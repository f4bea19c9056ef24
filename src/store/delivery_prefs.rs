//! Deliveries members control: how each subscription is delivered (every
//! article, a daily digest, paused), a chat's digest hour and quiet-hours
//! choice, and the digests themselves (claimed once a chat and day, with
//! the articles each sent digest lists, so a retraction can strike one out).
//!
//! Times are arguments (Unix seconds); the day a digest belongs to is the
//! chat's local date, computed by the desk.

use super::{Delivery, StoreError};
use crate::article::ArticleId;

/// How one subscription is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryMode {
    /// 每条推送: each article in its own message, when it is released.
    Each,
    /// 每日摘要: listed in one message a day, at the chat's digest hour.
    Digest,
    /// 暂停: nothing is sent until resumed.
    Paused,
}

impl DeliveryMode {
    /// The mode's name in a store.
    pub fn code(self) -> &'static str {
        match self {
            DeliveryMode::Each => "each",
            DeliveryMode::Digest => "digest",
            DeliveryMode::Paused => "paused",
        }
    }

    /// The mode of a stored name (unknown names read as each: a member
    /// never silently stops getting news).
    pub fn from_code(code: &str) -> Self {
        match code {
            "digest" => DeliveryMode::Digest,
            "paused" => DeliveryMode::Paused,
            _ => DeliveryMode::Each,
        }
    }
}

/// What happens to a delivery due in the quiet hours (22:00–07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QuietHours {
    /// 静音发送: sent at once, without sound (the default).
    #[default]
    Silent,
    /// 早上再发: held until 07:00.
    Morning,
}

impl QuietHours {
    /// The choice's name in a store.
    pub fn code(self) -> &'static str {
        match self {
            QuietHours::Silent => "silent",
            QuietHours::Morning => "morning",
        }
    }

    /// The choice of a stored name (unknown names read as silent).
    pub fn from_code(code: &str) -> Self {
        match code {
            "morning" => QuietHours::Morning,
            _ => QuietHours::Silent,
        }
    }
}

/// The hour a chat's digest goes out when it chose none (08:00).
pub const DEFAULT_DIGEST_HOUR: u8 = 8;

/// The digest hours a member can choose (local time): early, the usual
/// start of work, noon, after work, evening; none in the quiet hours.
pub const DIGEST_HOURS: [u8; 5] = [7, 8, 12, 18, 21];

/// A chat's delivery settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatPrefs {
    /// The local hour (0–23) its daily digest goes out at.
    pub digest_hour: u8,
    /// What happens in the quiet hours.
    pub quiet: QuietHours,
}

impl Default for ChatPrefs {
    fn default() -> Self {
        ChatPrefs {
            digest_hour: DEFAULT_DIGEST_HOUR,
            quiet: QuietHours::Silent,
        }
    }
}

/// A digest claimed for sending: its row and the chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestClaim {
    /// The digest's row.
    pub id: i64,
    /// The chat it goes to.
    pub chat_id: i64,
    /// How many attempts failed so far.
    pub attempts: u32,
}

/// Delivery modes, chat settings and daily digests.
pub trait DeliveryPrefs {
    /// Subscribes a chat to a city ([`super::ALL_CITIES`] for all news) in
    /// `mode`, or sets the mode of its subscription; returns the mode it
    /// had before (`None`: it was not subscribed).
    fn subscribe_in_mode(
        &self,
        chat_id: i64,
        city_code: u32,
        mode: DeliveryMode,
        now: i64,
    ) -> Result<Option<DeliveryMode>, StoreError>;

    /// Sets the mode of an existing subscription; false when the chat has
    /// no subscription to that city (nothing is created).
    fn set_mode(
        &self,
        chat_id: i64,
        city_code: u32,
        mode: DeliveryMode,
    ) -> Result<bool, StoreError>;

    /// A chat's subscriptions with their modes, in code order.
    fn subscription_modes(&self, chat_id: i64) -> Result<Vec<(u32, DeliveryMode)>, StoreError>;

    /// A chat's settings (the defaults when it chose none).
    fn chat_prefs(&self, chat_id: i64) -> Result<ChatPrefs, StoreError>;

    /// Sets a chat's digest hour (0–23).
    fn set_digest_hour(&self, chat_id: i64, hour: u8) -> Result<(), StoreError>;

    /// Sets a chat's quiet-hours choice.
    fn set_quiet_hours(&self, chat_id: i64, quiet: QuietHours) -> Result<(), StoreError>;

    /// Moves a claimed delivery to `due_at` (held for the morning), its
    /// lease ended and its attempts untouched.
    fn postpone_delivery(&self, delivery_id: i64, due_at: i64) -> Result<(), StoreError>;

    /// The chats owed a digest at `now` (articles released to them for
    /// their digest, not yet listed) whose digest of `day` was not sent,
    /// each with its settings.
    fn chats_owed_digest(&self, day: &str, now: i64) -> Result<Vec<(i64, ChatPrefs)>, StoreError>;

    /// Claims the chat's digest of `day` (its local date) for `lease_secs`:
    /// `None` when that day's digest was sent already or another sender
    /// holds it. A chat gets one digest a day, whatever the senders.
    fn claim_digest(
        &self,
        chat_id: i64,
        day: &str,
        lease_secs: i64,
        now: i64,
    ) -> Result<Option<DigestClaim>, StoreError>;

    /// The deliveries a chat's next digest lists: released (due by `now`),
    /// not yet listed nor dropped, articles live; in release order.
    fn owed_digest(&self, chat_id: i64, now: i64) -> Result<Vec<Delivery>, StoreError>;

    /// Records a digest as sent: its messages, and the deliveries it listed
    /// (made, under those messages, so a correction or a retraction of one
    /// of its articles edits the digest).
    fn digest_sent(
        &self,
        digest_id: i64,
        deliveries: &[i64],
        message_ids: &[i32],
        now: i64,
    ) -> Result<(), StoreError>;

    /// Records a failed digest attempt: tried again after `retry_in_secs`.
    fn digest_failed(
        &self,
        digest_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The day a sent digest is of (its local date, as claimed) and the
    /// articles it lists, in its order (in any state now); `None` for no
    /// such digest.
    fn digest_articles(
        &self,
        digest_id: i64,
    ) -> Result<Option<(String, Vec<ArticleId>)>, StoreError>;
}
