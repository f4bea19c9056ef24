//! Per-member rate limiting: a member sending many messages in a short time
//! gets one polite "please wait" and then silence until the window passes,
//! instead of unbounded work.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What to do with one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Handle it.
    Allow,
    /// Over the limit for the first time in this window: say 请稍后再试.
    SlowDown,
    /// Still over the limit: drop it quietly.
    Ignore,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    count: u32,
    warned: bool,
}

/// A fixed-window counter per key (a user or chat id).
#[derive(Debug)]
pub struct RateLimiter {
    max: u32,
    window: Duration,
    windows: Mutex<HashMap<i64, Window>>,
}

impl RateLimiter {
    /// Allows `max` messages per `window` per key.
    pub fn new(max: u32, window: Duration) -> Self {
        RateLimiter {
            max,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a message from `key` at `now` and says what to do with it.
    pub fn check_at(&self, key: i64, now: Instant) -> Verdict {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            // Forget finished windows so the map stays small.
            windows.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        let w = windows.entry(key).or_insert(Window {
            started: now,
            count: 0,
            warned: false,
        });
        if now.duration_since(w.started) >= self.window {
            *w = Window {
                started: now,
                count: 0,
                warned: false,
            };
        }
        w.count += 1;
        if w.count <= self.max {
            Verdict::Allow
        } else if !w.warned {
            w.warned = true;
            Verdict::SlowDown
        } else {
            Verdict::Ignore
        }
    }

    /// Counts a message from `key` now.
    pub fn check(&self, key: i64) -> Verdict {
        self.check_at(key, Instant::now())
    }
}

impl Default for RateLimiter {
    /// 20 messages a minute: more than a person types (a member pasting a
    /// burst of questions still has each answered), less than a script.
    fn default() -> Self {
        RateLimiter::new(20, Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_gets_one_warning_then_silence_then_a_fresh_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        let verdicts: Vec<Verdict> = (0..6).map(|_| limiter.check_at(1, t0)).collect();
        use Verdict::*;
        assert_eq!(verdicts, [Allow, Allow, Allow, SlowDown, Ignore, Ignore]);
        assert_eq!(
            limiter.check_at(2, t0),
            Allow,
            "other members are not affected"
        );
        assert_eq!(limiter.check_at(1, t0 + Duration::from_secs(11)), Allow);
    }
}
