//! Writes the fuzz targets' seeds (`union_news_testkit::fuzz_seeds`) to
//! `DIR/<target>/seed-<n>`: `cargo run -p union-news-testkit --example
//! fuzz_seeds -- DIR` (run by `fuzz/seed.sh`).

use std::path::PathBuf;
use union_news_testkit::{fuzz_seeds, readers};

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: fuzz_seeds DIR");
        std::process::exit(2);
    };
    for (target, _) in readers::CHECKS {
        let folder = dir.join(target);
        std::fs::create_dir_all(&folder).expect("a corpus folder");
        let seeds = fuzz_seeds::seeds(target);
        for (n, seed) in seeds.iter().enumerate() {
            std::fs::write(folder.join(format!("seed-{}", n + 1)), seed).expect("a seed file");
        }
        println!("{target}: {} seeds", seeds.len());
    }
}
