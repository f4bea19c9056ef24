//! The only place that reads the environment (and `.env`, through dotenvy).
//!
//! Every setting has a default that works on a fresh clone, so the console
//! chat needs no configuration at all. The Telegram token is kept out of
//! `Debug` output and logs.

use std::fmt;
use std::path::PathBuf;

/// Default data folder, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "data";
/// Default home province: ambiguous place names prefer places in it.
pub const DEFAULT_HOME_PROVINCE: &str = "广东省";

/// Settings read from the environment.
#[derive(Clone)]
pub struct Config {
    /// `DATA_DIR`: where the database, the index and the sample pages live.
    pub data_dir: PathBuf,
    /// `PAGES_DIR`: pages loaded when the store is empty (default `DATA_DIR/pages`).
    pub pages_dir: PathBuf,
    /// `HOME_PROVINCE`: the province the paper covers (default 广东省).
    pub home_province: String,
    /// `TELOXIDE_TOKEN`: the bot's token; `None` runs the console chat.
    pub telegram_token: Option<String>,
}

impl Config {
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
        Config {
            pages_dir,
            data_dir,
            home_province: var("HOME_PROVINCE").unwrap_or_else(|| DEFAULT_HOME_PROVINCE.into()),
            telegram_token: var("TELOXIDE_TOKEN"),
        }
    }

    /// Settings for a given data folder, nothing read from the environment (tests).
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        Config {
            pages_dir: data_dir.join("pages"),
            data_dir,
            home_province: DEFAULT_HOME_PROVINCE.into(),
            telegram_token: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("pages_dir", &self.pages_dir)
            .field("home_province", &self.home_province)
            .field(
                "telegram_token",
                &self.telegram_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let mut config = Config::for_data_dir("d");
        config.telegram_token = Some("123456:SECRET".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("redacted"));
    }
}
