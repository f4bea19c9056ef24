//! Crash safety: the real binary pushes pages (`ask "/push …"`, the admin
//! path) and is killed with SIGKILL at random moments, over and over. Every
//! push whose report was printed (acknowledged) must be stored once and
//! found by search afterwards, and the index must agree with the store.
//! Members subscribed part-way through: every article stored after that has
//! exactly one delivery waiting per member, and the bot, started afterwards,
//! makes each of them once.

use crate::fake_api::{FakeApi, start_bot, stop_bot};
use crate::world::binary;
use std::process::Stdio;
use std::time::{Duration, Instant};
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::to_plain;
use union_news_bot::request::Sender;

const KILLS: usize = 50;
/// Members who subscribe to all news when this many kills remain, so that
/// their deliveries (one a second per chat, Telegram's pace) stay few.
const SUBSCRIBERS: [i64; 3] = [501, 502, 503];
const KILLS_AFTER_SUBSCRIBING: usize = 10;

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
#[ignore = "slow durability test (about a minute): .ci/run runs it with --ignored"]
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
    // Pushes numbered above this came after the members subscribed.
    let mut subscribed_after: Option<usize> = None;
    while (killed < KILLS || completed < 5) && started.elapsed() < Duration::from_secs(240) {
        if subscribed_after.is_none() && killed >= KILLS - KILLS_AFTER_SUBSCRIBING {
            let desk = NewsDesk::open(dir.path()).expect("open to subscribe");
            for chat in SUBSCRIBERS {
                let reply = desk.reply_to(&Sender::member(chat, Some(chat)), "/subscribe 全部");
                assert!(to_plain(&reply).contains("已订阅"), "{reply:?}");
            }
            subscribed_after = Some(push);
        }
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
    assert_eq!(desk.consistency().reconcile().expect("reconcile"), (0, 0));

    // Every article stored after the members subscribed waits for each of
    // them once, whatever the kills interrupted.
    let subscribed_after = subscribed_after.expect("the members subscribed");
    let push_number = |headline: &str| -> usize {
        headline[headline.find("dt").expect("dt") + 2..]
            .parse()
            .expect("number")
    };
    let due: Vec<&String> = titles
        .iter()
        .copied()
        .filter(|t| push_number(t) > subscribed_after)
        .collect();
    assert!(!due.is_empty(), "nothing was stored after subscribing");
    assert_eq!(
        desk.deliveries().pending().expect("outbox"),
        (due.len() * SUBSCRIBERS.len()) as u64,
        "deliveries waiting for {} articles to {} members",
        due.len(),
        SUBSCRIBERS.len()
    );
    drop(desk);

    // The bot, started after all this, makes each delivery once.
    let api = FakeApi::start();
    let bot = start_bot(dir.path(), &api, 1, &dir.path().join("bot.log"));
    let all_delivered = api.wait_for(Duration::from_secs(120), |api| {
        SUBSCRIBERS
            .iter()
            .all(|&chat| due.iter().all(|t| api.sent_to(chat, t) >= 1))
    });
    std::thread::sleep(Duration::from_secs(3)); // room for a duplicate to show
    stop_bot(bot);
    assert!(
        all_delivered,
        "not every delivery was made: {:?}",
        api.sent().len()
    );
    for chat in SUBSCRIBERS {
        for title in &titles {
            let expected = usize::from(push_number(title) > subscribed_after);
            assert_eq!(api.sent_to(chat, title), expected, "{title} to {chat}");
        }
    }
    let desk = NewsDesk::open(dir.path()).expect("open after the bot");
    assert_eq!(desk.deliveries().pending().expect("outbox"), 0);
    eprintln!(
        "{} deliveries made after the kills, each once",
        due.len() * SUBSCRIBERS.len()
    );
}
