//! The only place that reads the environment (and `.env`, through dotenvy).
//!
//! Every setting has a default that works on a fresh clone, so the console
//! chat needs no configuration at all. The Telegram token is kept out of
//! `Debug` output and logs.

use crate::clock::{BotTime, DEFAULT_TIME_ZONE, SystemClock, zone_named};
use crate::document::{ReaderLimits, ReaderSettings};
use crate::zh::places::{HomeProvince, gazetteer};
use std::fmt;
use std::path::PathBuf;

/// Default data folder, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "data";
pub use crate::zh::places::DEFAULT_HOME_PROVINCE;

/// The line members are sent to when no report answers their question:
/// the national 职工服务热线 (`UNION_HOTLINE` sets another).
pub const DEFAULT_HOTLINE: &str = "12351";
/// How long a push waits for its deliveries by default (`PUSH_HOLD`): two
/// minutes to correct or retract it before any subscriber has it.
pub const DEFAULT_PUSH_HOLD_SECS: i64 = 120;

/// How many days members' questions stay in the log by default
/// (`QUESTION_LOG_DAYS`).
pub const DEFAULT_QUESTION_LOG_DAYS: u32 = 180;

/// Longest `UNION_HOTLINE` kept (it is shown in replies).
const MAX_HOTLINE_CHARS: usize = 40;

/// Settings read from the environment.
#[derive(Clone)]
pub struct Config {
    /// `DATA_DIR`: where the database, the index and the sample pages live.
    pub data_dir: PathBuf,
    /// `PAGES_DIR`: pages loaded when the store is empty (default `DATA_DIR/pages`).
    pub pages_dir: PathBuf,
    /// `HOME_PROVINCE`: the province the paper covers (default 广东省).
    pub home_province: String,
    /// `UNION_HOTLINE`: where a member is sent with a question no report
    /// answers (default 12351, the national 职工服务热线).
    pub hotline: String,
    /// `BOT_USERNAME`: the bot's Telegram username (without `@`), for the
    /// links that subscribe in one tap (`https://t.me/<name>?start=sub_440800`);
    /// without it, replies give the `/start sub_440800` command instead.
    pub bot_username: Option<String>,
    /// `TELOXIDE_TOKEN`: the bot's token; `None` runs the console chat.
    pub telegram_token: Option<String>,
    /// `TELOXIDE_API_URL`: a Bot API server other than Telegram's (a local
    /// server, or a test server).
    pub telegram_api_url: Option<String>,
    /// `ADMIN_IDS`: numeric Telegram user ids allowed to push and delete.
    pub admin_ids: AdminIds,
    /// `PUSH_HOLD`: minutes between a push and its deliveries, to correct
    /// or retract it first (default 2; 0 sends at once).
    pub push_hold_secs: i64,
    /// `QUESTION_LOG_DAYS`: days members' questions stay in the log (180).
    pub question_log_days: u32,
    /// `TZ_NAME`: the bot's time zone for today, schedules and holds
    /// (default Asia/Shanghai, whatever zone the machine is in).
    pub time_zone: chrono_tz::Tz,
    /// How pushed Word, web and PDF files are read: `DOCUMENT_READER_EXE`
    /// (the program started as the reader child; default: this binary),
    /// `READER_CPU_SECONDS` (20), `READER_WALL_SECONDS` (30),
    /// `READER_MEMORY_MB` (1024), `READER_OUTPUT_MB` (16) and
    /// `READER_CONCURRENT` (children at once, 2).
    pub document_reader: ReaderSettings,
}

/// The numeric Telegram user ids of the admins. Only numbers count:
/// usernames can be changed by anyone, ids cannot. The first id as written
/// is the owner, who manages the other editors (`/editors`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminIds {
    ids: Vec<i64>,
    owner: Option<i64>,
}

impl AdminIds {
    /// Parses a comma- or space-separated list; returns the ids and the
    /// entries that are not numeric ids (to be reported, never trusted).
    pub fn parse(list: &str) -> (AdminIds, Vec<String>) {
        let mut ids = Vec::new();
        let mut rejected = Vec::new();
        for entry in list
            .split([',', ' ', ';', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            match entry.parse::<i64>() {
                Ok(id) if id > 0 => ids.push(id),
                _ => rejected.push(entry.to_string()),
            }
        }
        let owner = ids.first().copied();
        ids.sort_unstable();
        ids.dedup();
        (AdminIds { ids, owner }, rejected)
    }

    /// True when the user id is an admin's.
    pub fn contains(&self, user_id: i64) -> bool {
        self.ids.binary_search(&user_id).is_ok()
    }

    /// The ids, ascending.
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    /// The owner: the first id as written.
    pub fn owner(&self) -> Option<i64> {
        self.owner
    }
}

impl Config {
    /// The same configuration on another data folder (`--data-dir`): its
    /// database, index and sample pages.
    pub fn with_data_dir(mut self, dir: PathBuf) -> Self {
        self.pages_dir = dir.join("pages");
        self.data_dir = dir;
        self
    }

    /// `HOME_PROVINCE` as the gazetteer knows it; an unknown name is logged
    /// and the default kept.
    pub fn home(&self) -> HomeProvince {
        gazetteer()
            .home_province(&self.home_province)
            .unwrap_or_else(|| {
                let home = HomeProvince::default();
                tracing::warn!(
                    "HOME_PROVINCE={} is not a province; keeping {}",
                    self.home_province,
                    home.name()
                );
                home
            })
    }

    /// Reads `.env` (if present) and the environment.
    pub fn from_env() -> Self {
        // A missing .env is normal; a malformed one is reported by dotenvy's
        // error only when it exists, which we surface as a warning.
        if let Err(e) = dotenvy::dotenv()
            && !e.not_found()
        {
            tracing::warn!("could not read .env: {e}");
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let pages_dir = var("PAGES_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("pages"));
        let (admin_ids, rejected) = AdminIds::parse(&var("ADMIN_IDS").unwrap_or_default());
        if !rejected.is_empty() {
            tracing::warn!(
                ?rejected,
                "ADMIN_IDS entries that are not numeric user ids are ignored"
            );
        }
        Config {
            pages_dir,
            data_dir,
            home_province: var("HOME_PROVINCE").unwrap_or_else(|| DEFAULT_HOME_PROVINCE.into()),
            hotline: var("UNION_HOTLINE")
                .map(|line| line.trim().chars().take(MAX_HOTLINE_CHARS).collect())
                .filter(|line: &String| !line.is_empty())
                .unwrap_or_else(|| DEFAULT_HOTLINE.into()),
            bot_username: var("BOT_USERNAME")
                .map(|name| name.trim().trim_start_matches('@').to_string())
                .filter(|name| {
                    !name.is_empty()
                        && name.len() <= 64
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                }),
            telegram_token: var("TELOXIDE_TOKEN"),
            telegram_api_url: var("TELOXIDE_API_URL"),
            admin_ids,
            push_hold_secs: push_hold(var("PUSH_HOLD")),
            question_log_days: question_log_days(var("QUESTION_LOG_DAYS")),
            time_zone: time_zone(var("TZ_NAME")),
            document_reader: reader_settings(&var),
        }
    }

    /// Settings for a given data folder, nothing read from the environment (tests).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        Config {
            pages_dir: data_dir.join("pages"),
            data_dir,
            home_province: DEFAULT_HOME_PROVINCE.into(),
            hotline: DEFAULT_HOTLINE.into(),
            bot_username: None,
            telegram_token: None,
            telegram_api_url: None,
            admin_ids: AdminIds::default(),
            push_hold_secs: DEFAULT_PUSH_HOLD_SECS,
            question_log_days: DEFAULT_QUESTION_LOG_DAYS,
            time_zone: time_zone(None),
            document_reader: ReaderSettings::default(),
        }
    }

    /// The clock and time zone the desk reads: the system clock in `TZ_NAME`.
    pub fn bot_time(&self) -> BotTime {
        BotTime::new(std::sync::Arc::new(SystemClock), self.time_zone)
    }
}

/// `QUESTION_LOG_DAYS`: whole days from 1 to ten years; anything else
/// keeps the default.
fn question_log_days(value: Option<String>) -> u32 {
    let Some(value) = value else {
        return DEFAULT_QUESTION_LOG_DAYS;
    };
    match value.trim().parse::<u32>() {
        Ok(days) if (1..=3660).contains(&days) => days,
        _ => {
            tracing::warn!(
                value,
                "QUESTION_LOG_DAYS is not a number of days (1 to 3660): the default is used"
            );
            DEFAULT_QUESTION_LOG_DAYS
        }
    }
}

/// `PUSH_HOLD` in minutes (fractions allowed: `0.5`), as seconds; a value
/// that is not a number of minutes from 0 to a day keeps the default.
fn push_hold(value: Option<String>) -> i64 {
    let Some(value) = value else {
        return DEFAULT_PUSH_HOLD_SECS;
    };
    match value.trim().parse::<f64>() {
        Ok(minutes) if (0.0..=1440.0).contains(&minutes) => (minutes * 60.0).round() as i64,
        _ => {
            tracing::warn!(
                value,
                "PUSH_HOLD is not a number of minutes (0 to 1440): the default is used"
            );
            DEFAULT_PUSH_HOLD_SECS
        }
    }
}

/// `TZ_NAME` as a time zone; an unknown name is logged and the default kept.
fn time_zone(value: Option<String>) -> chrono_tz::Tz {
    let default = zone_named(DEFAULT_TIME_ZONE).unwrap_or(chrono_tz::UTC);
    match value {
        None => default,
        Some(name) => zone_named(&name).unwrap_or_else(|| {
            tracing::warn!(
                name,
                "TZ_NAME is not a time zone name: {DEFAULT_TIME_ZONE} is used"
            );
            default
        }),
    }
}

/// The reader child's program and limits from `DOCUMENT_READER_EXE` and
/// `READER_*`; a value that is not a positive number keeps its default.
fn reader_settings(var: &dyn Fn(&str) -> Option<String>) -> ReaderSettings {
    let number = |name: &str| {
        let value = var(name)?;
        match value.trim().parse::<u64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                tracing::warn!(name, value, "not a positive number: the default is used");
                None
            }
        }
    };
    let mut limits = ReaderLimits::default();
    if let Some(seconds) = number("READER_CPU_SECONDS") {
        limits.cpu_seconds = seconds;
    }
    if let Some(seconds) = number("READER_WALL_SECONDS") {
        limits.wall = std::time::Duration::from_secs(seconds);
    }
    if let Some(megabytes) = number("READER_MEMORY_MB") {
        limits.memory_bytes = megabytes << 20;
    }
    if let Some(megabytes) = number("READER_OUTPUT_MB") {
        limits.output_bytes = (megabytes << 20) as usize;
    }
    if let Some(count) = number("READER_CONCURRENT") {
        limits.concurrent = count as usize;
    }
    ReaderSettings {
        program: var("DOCUMENT_READER_EXE").map(PathBuf::from),
        limits,
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("pages_dir", &self.pages_dir)
            .field("home_province", &self.home_province)
            .field("hotline", &self.hotline)
            .field("bot_username", &self.bot_username)
            .field(
                "telegram_token",
                &self.telegram_token.as_ref().map(|_| "<redacted>"),
            )
            .field("telegram_api_url", &self.telegram_api_url)
            .field("admin_ids", &self.admin_ids)
            .field("push_hold_secs", &self.push_hold_secs)
            .field("question_log_days", &self.question_log_days)
            .field("time_zone", &self.time_zone)
            .field("document_reader", &self.document_reader)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_admin_id_as_written_is_the_owner_and_log_days_are_bounded() {
        let (admins, _) = AdminIds::parse("900, 12, 900");
        assert_eq!(admins.owner(), Some(900));
        assert_eq!(admins.ids(), &[12, 900]);
        assert_eq!(AdminIds::parse("").0.owner(), None);
        assert_eq!(question_log_days(None), DEFAULT_QUESTION_LOG_DAYS);
        assert_eq!(question_log_days(Some("30".into())), 30);
        assert_eq!(
            question_log_days(Some("0".into())),
            DEFAULT_QUESTION_LOG_DAYS
        );
        assert_eq!(
            question_log_days(Some("半年".into())),
            DEFAULT_QUESTION_LOG_DAYS
        );
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let mut config = Config::for_data_dir("d");
        config.telegram_token = Some("123456:SECRET".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn admin_ids_are_numeric_ids_only() {
        let (ids, rejected) = AdminIds::parse(" 42, 7 ,@someone, 42;-3, abc ");
        assert_eq!(ids.ids(), [7, 42]);
        assert_eq!(rejected, ["@someone", "-3", "abc"]);
        assert!(ids.contains(42) && !ids.contains(43));
        assert_eq!(AdminIds::parse("").0, AdminIds::default());
    }

    #[test]
    fn push_hold_is_read_in_minutes_and_a_bad_one_keeps_the_default() {
        assert_eq!(push_hold(None), DEFAULT_PUSH_HOLD_SECS);
        assert_eq!(push_hold(Some("0".into())), 0);
        assert_eq!(push_hold(Some(" 5 ".into())), 300);
        assert_eq!(push_hold(Some("0.5".into())), 30);
        assert_eq!(push_hold(Some("-1".into())), DEFAULT_PUSH_HOLD_SECS);
        assert_eq!(push_hold(Some("两分钟".into())), DEFAULT_PUSH_HOLD_SECS);
        assert_eq!(
            time_zone(Some("Europe/Berlin".into())).name(),
            "Europe/Berlin"
        );
        assert_eq!(time_zone(Some("Mars".into())).name(), "Asia/Shanghai");
    }
}
