//! Any bytes as a saved web page: `document::html_text_from_bytes` (its
//! charset sniffing and article extraction) never panics or hangs, and gives
//! trimmed lines, none empty, and a one-line title.
//! The check is `union_news_testkit::readers::html_text`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/html_text/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::html_text, data));
