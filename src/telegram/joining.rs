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
//! A join is bounded: at most [`MAX_PARTS`] parts, [`MAX_JOIN_BYTES`] bytes,
//! and parts arriving within [`MAX_JOIN_TIME`] of the first. A part past a
//! bound is left out, and so is every part after it (the page never gets a
//! hole in its middle); the push's report names them ([`PartsLeftOut`]).
//! Only a part taken into the join is free of the per-member rate limit
//! (the paste counts once, as its `/push`): the handler asks here first.
//!
//! Nothing here waits or sends: the handler passes the clock in and acts on
//! what it is told, so the rules are tested without a bot.

use crate::report::{JoinBound, PartsLeftOut};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long after a part the next part may arrive.
pub const JOIN_WINDOW: Duration = Duration::from_secs(3);

/// A first part at least this long (in UTF-16 units, as Telegram counts)
/// may have been cut by the client: wait for more.
pub const SPLIT_LENGTH: usize = 3_500;

/// Most parts one push joins, its `/push` message included: a part holds
/// up to 4,096 characters, so this is more than [`MAX_JOIN_BYTES`] of
/// Chinese text needs.
pub const MAX_PARTS: usize = 256;

/// Most bytes the joined page may have: what the desk takes in one push, so
/// a join never builds a page the desk refuses whole.
pub const MAX_JOIN_BYTES: usize = crate::desk::MAX_PAGE_BYTES;

/// Parts are taken only this long after the first: the app sends a split
/// paste within seconds, even a long one on a slow network.
pub const MAX_JOIN_TIME: Duration = Duration::from_secs(180);

/// Parts left out that are named one by one in the report (more are counted).
const LEFT_OUT_NAMED: usize = 5;

/// Characters of a left-out part kept to name it.
const OPENING_CHARS: usize = 20;

/// Whose push: the chat and the admin.
pub type PushKey = (i64, i64);

/// Parts of one push still arriving.
#[derive(Debug, Clone)]
struct PendingPush {
    parts: Vec<String>,
    /// Bytes of the joined page so far (parts and the line breaks between).
    bytes: usize,
    started: Instant,
    last: Instant,
    /// Bumped with each part, so a waiter knows whether it is the last.
    generation: u64,
    /// Set when a bound was reached: what was left out from then on.
    left_out: Option<PartsLeftOut>,
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

/// What a message from an admin is to their push still arriving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// No part: no push of theirs is arriving, or the window passed. An
    /// ordinary message, counted and answered as any.
    Ordinary,
    /// The next part, joined: check back with this generation. Not counted
    /// against the rate limit (the paste was, once, with its `/push`).
    Joined(u64),
    /// A part past a bound of the join: left out and named in the report;
    /// counted against the rate limit like any message. With a generation
    /// when the join waits for it too (a bound of size: more parts may
    /// follow, and are left out as well); none past the time bound, where
    /// the join ends at its last joined part.
    LeftOut(Option<u64>),
}

/// A push whose parts stopped arriving.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedPush {
    /// The parts joined, as one page.
    pub page: String,
    /// The parts left out, if a bound was reached.
    pub left_out: Option<PartsLeftOut>,
}

impl PendingPushes {
    /// A `/push` with its page: pushed at once when short, else held for
    /// the parts that may follow. A join this admin still had open in this
    /// chat is handed back first, whole, to be pushed now: a new `/push`
    /// ends it, and none of its parts is lost.
    pub fn start(
        &self,
        key: PushKey,
        page: String,
        now: Instant,
    ) -> (Option<JoinedPush>, PushStart) {
        let mut pending = self.lock();
        let earlier = pending.remove(&key);
        // Generations go on from the earlier join's, so its waiter never
        // takes this one.
        let generation = earlier.as_ref().map_or(0, |p| p.generation + 1);
        let earlier = earlier.map(|p| JoinedPush {
            page: join_parts(&p.parts),
            left_out: p.left_out,
        });
        if page.encode_utf16().count() < SPLIT_LENGTH {
            return (earlier, PushStart::Now(page));
        }
        pending.insert(
            key,
            PendingPush {
                bytes: page.len(),
                parts: vec![page],
                started: now,
                last: now,
                generation,
                left_out: None,
            },
        );
        (earlier, PushStart::Wait(generation))
    }

    /// A message that is not a command, from an admin: the next part of
    /// their push when one is arriving and the last part came within
    /// [`JOIN_WINDOW`], joined when within the join's bounds, else left out.
    pub fn add(&self, key: PushKey, text: &str, now: Instant) -> Part {
        let mut pending = self.lock();
        let Some(push) = pending.get_mut(&key) else {
            return Part::Ordinary;
        };
        if now.duration_since(push.last) > JOIN_WINDOW {
            return Part::Ordinary;
        }
        let number = push.parts.len() + push.left_out.as_ref().map_or(0, |l| l.count) + 1;
        let bound = if let Some(left_out) = &push.left_out {
            Some(left_out.why)
        } else if now.duration_since(push.started) > MAX_JOIN_TIME {
            Some(JoinBound::Time(MAX_JOIN_TIME))
        } else if push.parts.len() >= MAX_PARTS {
            Some(JoinBound::Parts(MAX_PARTS))
        } else if push.bytes + 1 + text.len() > MAX_JOIN_BYTES {
            Some(JoinBound::Bytes(MAX_JOIN_BYTES))
        } else {
            None
        };
        let Some(why) = bound else {
            push.parts.push(text.to_string());
            push.bytes += 1 + text.len();
            push.last = now;
            push.generation += 1;
            return Part::Joined(push.generation);
        };
        let left_out = push.left_out.get_or_insert_with(|| PartsLeftOut {
            why,
            first: Vec::new(),
            count: 0,
            total: 0,
        });
        left_out.count += 1;
        left_out.total = number;
        if left_out.first.len() < LEFT_OUT_NAMED {
            left_out.first.push((number, opening(text)));
        }
        if matches!(why, JoinBound::Time(_)) {
            return Part::LeftOut(None);
        }
        push.last = now;
        push.generation += 1;
        Part::LeftOut(Some(push.generation))
    }

    /// The joined page when nothing arrived since `generation`'s part and
    /// the window has passed; `None` while more may come (or when another
    /// waiter took it).
    pub fn take_if_quiet(&self, key: PushKey, generation: u64, now: Instant) -> Option<JoinedPush> {
        let mut pending = self.lock();
        let push = pending.get(&key)?;
        if push.generation != generation || now.duration_since(push.last) < JOIN_WINDOW {
            return None;
        }
        pending.remove(&key).map(|p| JoinedPush {
            page: join_parts(&p.parts),
            left_out: p.left_out,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PushKey, PendingPush>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The first words of a part, to name it: its first line's start.
fn opening(text: &str) -> String {
    let first_line = text.trim().lines().next().unwrap_or("");
    first_line.chars().take(OPENING_CHARS).collect()
}

/// The parts as one text. The client cuts at a line end when it can, so
/// parts are joined with a line break; a part that was cut mid-line is
/// glued back by the page reader, which rejoins a paragraph that does not
/// end a sentence.
fn join_parts(parts: &[String]) -> String {
    parts.join("\n")
}

/// How long an album's photos are kept waiting for the `/push` that
/// captions one of them (Telegram sends an album's parts within a second).
const ALBUM_KEPT: Duration = Duration::from_secs(60);

/// The photos of albums arriving from admins, by `media_group_id`: an
/// album's parts come as separate updates, one of them captioned `/push`.
#[derive(Debug, Default)]
pub struct Albums {
    parts: Mutex<HashMap<String, AlbumParts>>,
}

/// When an album's first photo came, and its photos (message id, `file_id`).
type AlbumParts = (Instant, Vec<(i32, String)>);

impl Albums {
    /// Records one photo (its message id and `file_id`) of album `group`;
    /// albums older than a minute are forgotten.
    pub fn add(&self, group: &str, message_id: i32, file_id: String, now: Instant) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        parts.retain(|_, (first, _)| now.duration_since(*first) < ALBUM_KEPT);
        let (_, photos) = parts
            .entry(group.to_string())
            .or_insert_with(|| (now, Vec::new()));
        if photos.len() < 10 && !photos.iter().any(|(id, _)| *id == message_id) {
            photos.push((message_id, file_id));
        }
    }

    /// The photos of album `group`, in message order, and forgets it.
    pub fn take(&self, group: &str) -> Vec<String> {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        let mut photos = parts.remove(group).map(|(_, p)| p).unwrap_or_default();
        photos.sort_by_key(|(id, _)| *id);
        photos.into_iter().map(|(_, file)| file).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: PushKey = (1, 7);

    fn opened(pushes: &PendingPushes, first: &str, at: Instant) -> u64 {
        match pushes.start(KEY, first.to_string(), at) {
            (None, PushStart::Wait(generation)) => generation,
            (Some(_), _) => panic!("no join was open"),
            (None, PushStart::Now(_)) => panic!("a long first part waits"),
        }
    }

    #[test]
    fn a_short_push_goes_at_once() {
        let pushes = PendingPushes::default();
        let start = pushes.start(KEY, "短文".into(), Instant::now());
        assert_eq!(start, (None, PushStart::Now("短文".into())));
        assert_eq!(pushes.add(KEY, "别的话", Instant::now()), Part::Ordinary);
    }

    #[test]
    fn a_new_push_hands_back_the_join_still_open_whole() {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        let long = "长".repeat(SPLIT_LENGTH);
        let first = opened(&pushes, &long, t0);
        let ms = Duration::from_millis;
        assert!(matches!(
            pushes.add(KEY, "第二段", t0 + ms(500)),
            Part::Joined(_)
        ));
        // Another long /push a second later: the first join comes back
        // whole to be pushed now, and the new one waits for its own parts.
        let (earlier, start) = pushes.start(KEY, long.clone(), t0 + ms(1500));
        let earlier = earlier.expect("the open join is handed back");
        assert_eq!(earlier.page, format!("{long}\n第二段"));
        let PushStart::Wait(second) = start else {
            panic!("a long push waits");
        };
        assert!(second > first, "a new generation");
        // The first waiter finds nothing; the second takes its own page.
        assert_eq!(pushes.take_if_quiet(KEY, first, t0 + ms(9000)), None);
        let joined = pushes
            .take_if_quiet(KEY, second, t0 + ms(9000))
            .expect("the second push");
        assert_eq!(joined.page, long);
        // A short push after an open join: both go, the join first.
        let third = opened(&pushes, &long, t0 + ms(10_000));
        let (earlier, start) = pushes.start(KEY, "短文".into(), t0 + ms(10_500));
        assert_eq!(earlier.map(|j| j.page), Some(long.clone()));
        assert_eq!(start, PushStart::Now("短文".into()));
        assert_eq!(pushes.take_if_quiet(KEY, third, t0 + ms(20_000)), None);
    }

    #[test]
    fn parts_within_the_window_are_joined_and_pushed_when_quiet() {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        let first = "甲".repeat(4_000);
        let g0 = opened(&pushes, &first, t0);
        let Part::Joined(g1) = pushes.add(KEY, "第二部分。", t0 + Duration::from_secs(1))
        else {
            panic!("a part");
        };
        // The first waiter is stale; the second wakes too early, then in time.
        assert_eq!(
            pushes.take_if_quiet(KEY, g0, t0 + Duration::from_secs(5)),
            None
        );
        assert_eq!(
            pushes.take_if_quiet(KEY, g1, t0 + Duration::from_secs(2)),
            None
        );
        let joined = pushes
            .take_if_quiet(KEY, g1, t0 + Duration::from_secs(4))
            .expect("the joined page");
        assert_eq!(joined.page, format!("{first}\n第二部分。"));
        assert_eq!(joined.left_out, None);
        assert_eq!(
            pushes.take_if_quiet(KEY, g1, t0 + Duration::from_secs(9)),
            None
        );
    }

    #[test]
    fn a_late_message_or_another_admin_is_no_part() {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        opened(&pushes, &"乙".repeat(4_000), t0);
        assert_eq!(pushes.add((1, 8), "别人的话", t0), Part::Ordinary);
        assert_eq!(pushes.add((2, 7), "另一个聊天", t0), Part::Ordinary);
        assert_eq!(
            pushes.add(KEY, "太晚了", t0 + Duration::from_secs(10)),
            Part::Ordinary
        );
    }

    /// Feeds parts `step` apart after a long first part; the join's
    /// verdicts and what it ends with.
    fn paste(parts: &[String], step: Duration) -> (Vec<Part>, JoinedPush) {
        let pushes = PendingPushes::default();
        let t0 = Instant::now();
        let mut generation = opened(&pushes, &"丙".repeat(4_000), t0);
        let mut verdicts = Vec::new();
        let mut at = t0;
        for part in parts {
            at += step;
            let verdict = pushes.add(KEY, part, at);
            if let Part::Joined(g) | Part::LeftOut(Some(g)) = verdict {
                generation = g;
            }
            verdicts.push(verdict);
        }
        let joined = pushes
            .take_if_quiet(KEY, generation, at + JOIN_WINDOW)
            .expect("the join ends when quiet");
        (verdicts, joined)
    }

    #[test]
    fn a_part_past_a_bound_and_every_part_after_it_are_left_out_and_named() {
        // Bytes: the part that would pass the limit, and the small one after it.
        let big = "丁".repeat(MAX_JOIN_BYTES / 3);
        let parts = [
            "第二段。".to_string(),
            format!("大段开头{big}"),
            "第四段开头的话，很短。".to_string(),
        ];
        let (verdicts, joined) = paste(&parts, Duration::from_secs(1));
        assert_eq!(verdicts[0], Part::Joined(1));
        assert!(
            matches!(verdicts[1], Part::LeftOut(Some(_))),
            "{verdicts:?}"
        );
        assert!(
            matches!(verdicts[2], Part::LeftOut(Some(_))),
            "{verdicts:?}"
        );
        assert!(joined.page.ends_with("第二段。"), "no hole in the page");
        let left_out = joined.left_out.expect("parts left out");
        assert_eq!(left_out.why, JoinBound::Bytes(MAX_JOIN_BYTES));
        assert_eq!((left_out.count, left_out.total), (2, 4));
        assert_eq!(left_out.first[0].0, 3);
        assert!(
            left_out.first[0].1.starts_with("大段开头丁"),
            "{left_out:?}"
        );
        assert_eq!(left_out.first[1], (4, "第四段开头的话，很短。".to_string()));

        // Parts: the one past the count.
        let parts: Vec<String> = (2..=MAX_PARTS + 2).map(|n| format!("第{n}段。")).collect();
        let (verdicts, joined) = paste(&parts, Duration::from_millis(100));
        assert_eq!(
            verdicts
                .iter()
                .filter(|v| matches!(v, Part::Joined(_)))
                .count(),
            MAX_PARTS - 1
        );
        let left_out = joined.left_out.expect("parts left out");
        assert_eq!(left_out.why, JoinBound::Parts(MAX_PARTS));
        assert_eq!(left_out.count, 2);
        assert_eq!(
            left_out.first[0],
            (MAX_PARTS + 1, format!("第{}段。", MAX_PARTS + 1))
        );
        assert_eq!(left_out.first.len(), 2);
    }

    #[test]
    fn parts_after_the_time_bound_are_left_out_and_the_join_ends_with_its_last_part() {
        // One part a second: those after the bound, until the window after
        // the last joined part passes, are left out.
        let seconds = MAX_JOIN_TIME.as_secs() as usize + 3;
        let parts: Vec<String> = (2..=seconds + 1).map(|n| format!("第{n}段。")).collect();
        let (verdicts, joined) = paste(&parts, Duration::from_secs(1));
        let last_joined = verdicts
            .iter()
            .rposition(|v| matches!(v, Part::Joined(_)))
            .expect("joined parts");
        assert!(
            verdicts[last_joined + 1..]
                .iter()
                .all(|v| *v == Part::LeftOut(None)),
            "{:?}",
            &verdicts[last_joined..]
        );
        let left_out = joined.left_out.expect("parts left out");
        assert_eq!(left_out.why, JoinBound::Time(MAX_JOIN_TIME));
        assert_eq!(left_out.count, 3);
        assert_eq!(left_out.first[0].1, format!("第{}段。", seconds - 1));
    }

    #[test]
    fn an_albums_photos_come_back_in_message_order_once() {
        let albums = Albums::default();
        let t0 = Instant::now();
        albums.add("g", 12, "second".into(), t0);
        albums.add("g", 11, "first".into(), t0);
        albums.add("g", 11, "first".into(), t0);
        albums.add("other", 1, "x".into(), t0);
        assert_eq!(albums.take("g"), ["first", "second"]);
        assert!(albums.take("g").is_empty());
        albums.add("late", 1, "y".into(), t0 + Duration::from_secs(120));
        assert!(albums.take("other").is_empty(), "forgotten after a minute");
    }
}
