//! A long paste split by the Telegram client into several messages, joined
//! back into one push.
//!
//! Telegram's apps cut a message longer than 4,096 characters into several,
//! sent one right after the other. A `/push` whose page is that long opens a
//! [`PendingPush`] for its admin and chat; the admin's next messages that are
//! not commands, arriving within [`JOIN_WINDOW`] of the previous part, are
//! its next parts; when the window passes with nothing new, the parts are
//! pushed as one page. A short `/push` is pushed at once.
//!
//! Nothing here waits or sends: the handler passes the clock in and acts on
//! what it is told, so the rules are tested without a bot.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long after a part the next part may arrive.
pub const JOIN_WINDOW: Duration = Duration::from_secs(3);

/// A first part at least this long (in UTF-16 units, as Telegram counts)
/// may have been cut by the client: wait for more.
pub const SPLIT_LENGTH: usize = 3_500;

/// Whose push: the chat and the admin.
pub type PushKey = (i64, i64);

/// Parts of one push still arriving.
#[derive(Debug, Clone)]
struct PendingPush {
    parts: Vec<String>,
    last: Instant,
    /// Bumped with each part, so a waiter knows whether it is the last.
    generation: u64,
}

/// The pushes still arriving, per chat and admin.
#[derive(Debug, Default)]
pub struct PendingPushes {
    pending: Mutex<HashMap<PushKey, PendingPush>>,
}

/// What the handler does with a `/push` page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushStart {
    /// Push it now.
    Now(String),
    /// Wait: more parts may follow; check back with [`PendingPushes::take_if_quiet`]
    /// after [`JOIN_WINDOW`], with this generation.
    Wait(u64),
}

impl PendingPushes {
    /// A `/push` with its page: pushed at once when short, else held for
    /// the parts that may follow.
    pub fn start(&self, key: PushKey, page: String, now: Instant) -> PushStart {
        if page.encode_utf16().count() < SPLIT_LENGTH {
            return PushStart::Now(page);
        }
        let mut pending = self.lock();
        let generation = pending.get(&key).map_or(0, |p| p.generation + 1);
        pending.insert(
            key,
            PendingPush {
                parts: vec![page],
                last: now,
                generation,
            },
        );
        PushStart::Wait(generation)
    }

    /// A message that is not a command, from an admin: taken as the next
    /// part of their push when one is arriving and the last part came
    /// within [`JOIN_WINDOW`]; the new generation to wait for, or `None`
    /// when it is no part (an ordinary message).
    pub fn add(&self, key: PushKey, text: &str, now: Instant) -> Option<u64> {
        let mut pending = self.lock();
        let push = pending.get_mut(&key)?;
        if now.duration_since(push.last) > JOIN_WINDOW {
            return None;
        }
        push.parts.push(text.to_string());
        push.last = now;
        push.generation += 1;
        Some(push.generation)
    }

    /// The joined page when nothing arrived since `generation`'s part and
    /// the window has passed; `None` while more may come (or when another
    /// waiter took it).
    pub fn take_if_quiet(&self, key: PushKey, generation: u64, now: Instant) -> Option<String> {
        let mut pending = self.lock();
        let push = pending.get(&key)?;
        if push.generation != generation || now.duration_since(push.last) < JOIN_WINDOW {
            return None;
        }
        pending.remove(&key).map(|p| join_parts(&p.parts))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PushKey, PendingPush>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The parts as one text. The client cuts at a line end when it can, so
/// parts are joined with a line break; a part that was cut mid-line is
/// glued back by the page reader, which rejoins a paragraph that does not
/// end a sentence.
fn join_parts(parts: &[String]) -> String {
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: PushKey = (1, 7);

    #[test]
    fn a_short_push_goes_at_once() {
        let pushes = PendingPushes::default();
        let start = pushes.start(KEY, "短文".into(), Instant::now());
        assert_eq!(start, PushStart::Now("短文".into()));
        assert_eq!(pushes.add(KEY, "别的话", Instant::now()), None);
    }

    #[test]
    fn parts_within_the_window_are_joined_and_pushed_when_quiet() {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        let first = "甲".repeat(4_000);
        let PushStart::Wait(g0) = pushes.start(KEY, first.clone(), t0) else {
            panic!("a long first part waits");
        };
        let g1 = pushes
            .add(KEY, "第二部分。", t0 + Duration::from_secs(1))
            .expect("a part");
        // The first waiter is stale; the second wakes too early, then in time.
        assert_eq!(
            pushes.take_if_quiet(KEY, g0, t0 + Duration::from_secs(5)),
            None
        );
        assert_eq!(
            pushes.take_if_quiet(KEY, g1, t0 + Duration::from_secs(2)),
            None
        );
        let page = pushes
            .take_if_quiet(KEY, g1, t0 + Duration::from_secs(4))
            .expect("the joined page");
        assert_eq!(page, format!("{first}\n第二部分。"));
        assert_eq!(
            pushes.take_if_quiet(KEY, g1, t0 + Duration::from_secs(9)),
            None
        );
    }

    #[test]
    fn a_late_message_or_another_admin_is_no_part() {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        assert!(matches!(
            pushes.start(KEY, "乙".repeat(4_000), t0),
            PushStart::Wait(_)
        ));
        assert_eq!(pushes.add((1, 8), "别人的话", t0), None);
        assert_eq!(pushes.add((2, 7), "另一个聊天", t0), None);
        assert_eq!(
            pushes.add(KEY, "太晚了", t0 + Duration::from_secs(10)),
            None
        );
    }
}
