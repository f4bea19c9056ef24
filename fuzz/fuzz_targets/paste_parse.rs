//! Any text without `#` marks, as an admin pastes an article:
//! `page::parse` reads at most one article, with a trimmed headline, no
//! empty paragraph, no date after the push, rendered as valid Telegram HTML.
//! The check is `union_news_testkit::readers::paste_parse`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/paste_parse/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::paste_parse, data));
