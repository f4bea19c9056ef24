//! Crash safety: the real binary pushes pages (`ask "/push …"`, the admin
//! path) and is killed with SIGKILL at random moments, over and over. Every
//! push whose report was printed (acknowledged) must be stored once and
//! found by search afterwards, and the index must agree with the store.

use crate::world::binary;
use std::process::Stdio;
use std::time::{Duration, Instant};
use union_news_bot::desk::NewsDesk;

const KILLS: usize = 50;

/// A small deterministic generator for kill delays.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn acknowledged_pushes_survive_sigkill_at_random_moments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Lcg(0x5EED);
    let mut acknowledged: Vec<String> = Vec::new();
    let (mut killed, mut completed) = (0, 0);
    let mut push = 0;
    // One run to the end first: how long a push takes here (the first run
    // also loads the sample pages); kills then fall anywhere in that span.
    let probe = Instant::now();
    let output = binary(dir.path())
        .args([
            "ask",
            "/push\n# 断电测试快讯dt0000\n\n本报讯 3月1日,断电测试工会举办 dt0000 号活动。\n",
        ])
        .output()
        .expect("run the binary");
    assert!(String::from_utf8_lossy(&output.stdout).contains("新增 1 篇"));
    acknowledged.push("断电测试快讯dt0000".to_string());
    // Kills fall anywhere in a run's span; about one run in ten finishes.
    let span = (probe.elapsed().as_millis() as u64 * 11 / 10).max(50);
    let started = Instant::now();
    while (killed < KILLS || completed < 5) && started.elapsed() < Duration::from_secs(240) {
        push += 1;
        // `dt0042`: a word of its own, so a search for it finds exactly this push.
        let headline = format!("断电测试快讯dt{push:04}");
        let page = format!(
            "/push\n# {headline}\n\n本报讯 3月{}日,断电测试工会举办 dt{push:04} 号活动,职工参加。\n",
            push % 28 + 1
        );
        let mut child = binary(dir.path())
            .args(["ask", &page])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the binary");
        // Most runs are killed somewhere between start-up and the reply;
        // some finish. The first run also loads the sample pages.
        let deadline = Instant::now() + Duration::from_millis(rng.below(span));
        let mut finished = false;
        while Instant::now() < deadline {
            if child.try_wait().expect("wait").is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if !finished {
            let _ = child.kill(); // SIGKILL
            killed += 1;
        }
        let output = child.wait_with_output().expect("output");
        let text = String::from_utf8_lossy(&output.stdout);
        if finished && text.contains("新增 1 篇") {
            completed += 1;
            acknowledged.push(headline);
        }
    }
    assert!(killed >= KILLS, "only {killed} kills in the time allowed");
    assert!(completed >= 5, "only {completed} pushes completed");
    eprintln!("{push} pushes, {killed} killed, {completed} acknowledged");

    // The next start reconciles the index with the store; then every
    // acknowledged push is there, once, and found by search.
    let desk = NewsDesk::open(dir.path()).expect("open after the kills");
    let mut stored: Vec<(String, union_news_bot::article::ArticleId)> = Vec::new();
    desk.for_each_article(|a| {
        if a.title.headline.starts_with("断电测试") {
            stored.push((a.title.headline, a.id));
        }
        Ok(())
    })
    .expect("walk the store");
    for headline in &acknowledged {
        let copies: Vec<_> = stored.iter().filter(|(t, _)| t == headline).collect();
        assert_eq!(
            copies.len(),
            1,
            "{headline}: {} copies stored",
            copies.len()
        );
        let token = &headline[headline.find("dt").unwrap_or(0)..];
        let found = desk.search_ids(token, 10).expect("search");
        assert_eq!(
            found,
            [copies[0].1.clone()],
            "{headline} is stored but not found"
        );
    }
    let mut titles: Vec<&String> = stored.iter().map(|(t, _)| t).collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), stored.len(), "a push was stored twice");
    // Index and store agree: nothing is left to reconcile.
    assert_eq!(desk.reconcile().expect("reconcile"), (0, 0));
}
