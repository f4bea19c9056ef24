//! The one clock the core reads, and the bot's time zone.
//!
//! Every time the desk needs (today's date for 上个月, a push's hold, a
//! schedule, when a member last asked) comes from the [`BotTime`] it owns:
//! the system clock in the bot, a [`ManualClock`] that tests move forward.
//! The store never reads a clock: it is handed times as arguments. Dates a
//! member or an editor means (「明天早上8点」, today) are in the bot's time
//! zone, `TZ_NAME` (Asia/Shanghai by default), whatever zone the machine runs in.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, Mutex};

/// The time zone of the bot when `TZ_NAME` names none.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Where the present time comes from.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: tests set it and advance it.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn at(now: DateTime<Utc>) -> Self {
        ManualClock {
            now: Mutex::new(now),
        }
    }

    /// Sets the time.
    pub fn set(&self, now: DateTime<Utc>) {
        *self.lock() = now;
    }

    /// Moves the time forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.lock();
        *now += by;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

/// A clock and a time zone: what the desk reads every time from.
#[derive(Clone)]
pub struct BotTime {
    clock: Arc<dyn Clock>,
    zone: Tz,
}

impl Default for BotTime {
    /// The system clock in [`DEFAULT_TIME_ZONE`].
    fn default() -> Self {
        BotTime::new(Arc::new(SystemClock), default_zone())
    }
}

impl std::fmt::Debug for BotTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BotTime({}, {})", self.now(), self.zone)
    }
}

impl BotTime {
    /// `clock` read in `zone`.
    pub fn new(clock: Arc<dyn Clock>, zone: Tz) -> Self {
        BotTime { clock, zone }
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Now, in Unix seconds (what the store is handed).
    pub fn unix(&self) -> i64 {
        self.now().timestamp()
    }

    /// Today's date in the bot's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.zone).date_naive()
    }

    /// The bot's time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// A moment (Unix seconds) as the bot's wall time: `2024-08-22 08:00`.
    pub fn wall(&self, unix: i64) -> String {
        match Utc.timestamp_opt(unix, 0).single() {
            Some(at) => at
                .with_timezone(&self.zone)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            None => unix.to_string(),
        }
    }

    /// A wall time in the bot's zone as Unix seconds; `None` for a time the
    /// zone skips. A time the zone repeats takes its first occurrence.
    pub fn unix_of(&self, wall: NaiveDateTime) -> Option<i64> {
        self.zone
            .from_local_datetime(&wall)
            .earliest()
            .map(|at| at.timestamp())
    }
}

/// Reads a time zone name (`Asia/Shanghai`); `None` when it names none.
pub fn zone_named(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

fn default_zone() -> Tz {
    zone_named(DEFAULT_TIME_ZONE).unwrap_or(chrono_tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_bot_zones_whatever_the_machines() {
        // 2024-08-21 17:30 UTC is already the 22nd in Shanghai.
        let clock = Arc::new(ManualClock::at(
            Utc.with_ymd_and_hms(2024, 8, 21, 17, 30, 0).unwrap(),
        ));
        let time = BotTime::new(clock.clone(), zone_named("Asia/Shanghai").unwrap());
        assert_eq!(time.today(), NaiveDate::from_ymd_opt(2024, 8, 22).unwrap());
        assert_eq!(time.wall(time.unix()), "2024-08-22 01:30");
        clock.advance(chrono::Duration::hours(24));
        assert_eq!(time.today(), NaiveDate::from_ymd_opt(2024, 8, 23).unwrap());
        let wall = NaiveDate::from_ymd_opt(2024, 8, 22)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        assert_eq!(time.wall(time.unix_of(wall).unwrap()), "2024-08-22 08:00");
        assert_eq!(zone_named("Mars/Olympus"), None);
    }
}
