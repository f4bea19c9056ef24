//! The fuzz targets' inputs on the stable toolchain: every seed
//! (`union_news_testkit::fuzz_seeds`) and every finding kept under
//! `fuzz/regressions/<target>/` goes through the target's own check
//! (`union_news_testkit::readers`), so a fixed crash or hang stays fixed
//! without nightly or cargo-fuzz.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};
use union_news_testkit::{fuzz_seeds, readers};

/// Longer than any input may take in a debug build; the fuzzers allow 10 s
/// in an optimised one.
const SLOW: Duration = Duration::from_secs(30);

/// Runs each input through `check`; the names of those that fail or take
/// too long.
fn failures(check: fn(&[u8]), inputs: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut failed = Vec::new();
    for (name, bytes) in inputs {
        let start = Instant::now();
        if catch_unwind(AssertUnwindSafe(|| check(bytes))).is_err() {
            failed.push(format!("{name}: failed"));
        } else if start.elapsed() > SLOW {
            failed.push(format!("{name}: took {:?}", start.elapsed()));
        }
    }
    failed
}

#[test]
fn every_fuzz_seed_keeps_its_readers_promise() {
    let mut failed = Vec::new();
    for (target, check) in readers::CHECKS {
        let seeds: Vec<(String, Vec<u8>)> = fuzz_seeds::seeds(target)
            .into_iter()
            .enumerate()
            .map(|(n, bytes)| (format!("{target} seed {}", n + 1), bytes))
            .collect();
        assert!(!seeds.is_empty(), "{target}: no seeds");
        failed.extend(failures(check, &seeds));
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn every_fuzz_finding_stays_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut failed = Vec::new();
    let mut targets = std::fs::read_dir(&root)
        .expect("fuzz/regressions")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .collect::<Vec<_>>();
    targets.sort();
    for folder in targets {
        let target = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let check = readers::check(target)
            .unwrap_or_else(|| panic!("fuzz/regressions/{target}: no such fuzz target"));
        let inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
            .expect("a regressions folder")
            .map(|entry| entry.expect("an entry").path())
            .map(|path| {
                let bytes = std::fs::read(&path).expect("a finding");
                (path.display().to_string(), bytes)
            })
            .collect();
        failed.extend(failures(check, &inputs));
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
