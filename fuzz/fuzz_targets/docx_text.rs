//! Any bytes as a Word file: `document::docx_text` never panics or hangs,
//! and the text it gives is trimmed lines, none empty.
//! The check is `union_news_testkit::readers::docx_text`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/docx_text/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::docx_text, data));
