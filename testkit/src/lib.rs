//! Test support shared by the bot's end-to-end tests and its fuzz targets;
//! never part of the bot itself.
//!
//! - [`telegram_html`]: Telegram's HTML parse mode checked as strictly as the
//!   Bot API documents it, so every rendered reply can be held to it.
//! - [`documents`]: Word files, saved web pages and Chinese PDFs written
//!   from lines of text, as admins push them.
//! - [`hostile`]: hostile files (loops, bombs, deep nesting, noise), made
//!   by code.
//! - [`readers`]: what the readers of untrusted files, pastes and fetched
//!   pages promise, checked on any bytes (the fuzz targets and their replay);
//!   [`fuzz_seeds`]: those targets' first inputs.

pub mod documents;
pub mod fuzz_seeds;
pub mod hostile;
pub mod readers;
pub mod telegram_html;
