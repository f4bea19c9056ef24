//! Any bytes as a newspaper page: the parser never panics or hangs, every
//! article it returns has a trimmed headline, no empty paragraph and no date
//! after the push, and each renders in full as valid Telegram HTML.
//! The check is `union_news_testkit::readers::page_parse`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/page_parse/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::page_parse, data));
