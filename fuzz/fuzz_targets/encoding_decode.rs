//! Any bytes as a text file: `page::encoding::decode` never panics, reads
//! UTF-8 unchanged, and reads nothing else but UTF-16 and GBK/GB18030.
//! The check is `union_news_testkit::readers::encoding_decode`, which the tests
//! also run on this target's seeds and findings (`fuzz/regressions/encoding_decode/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_testkit::readers;

fuzz_target!(|data: &[u8]| readers::fuzz(readers::encoding_decode, data));
