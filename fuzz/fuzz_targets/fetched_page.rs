//! Any response to a fetched link (`Content-Type` and `Content-Disposition`
//! lines, the address's path, then the body): `fetch::Fetched::from_response`
//! reads the headers into what its fields document, and the page's text
//! (`document::fetched_text`) keeps its reader's promises.
//! The check is `union_news_testkit::readers::fetched_page`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/fetched_page/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::fetched_page, data));
