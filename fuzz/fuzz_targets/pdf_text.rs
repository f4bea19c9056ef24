//! Any bytes as a PDF: `document::pdf_text` never panics (the interpreter's
//! own panics, which it contains, are not findings) or hangs, and gives
//! trimmed lines, none empty.
//! The check is `union_news_testkit::readers::pdf_text`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/pdf_text/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::pdf_text, data));
