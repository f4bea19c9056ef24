//! Telegram faults: the real binary polls a fake Bot API server
//! ([`FakeApi`]) that answers 429, 500, 502, malformed JSON, drops
//! connections, answers late or never. The bot must keep polling, answer
//! every member, deliver each subscriber notification exactly once (also
//! across a SIGKILL in the middle of delivering and a replay of handled
//! updates), never spin, and stop cleanly on SIGTERM.

use crate::fake_api::{FakeApi, Fault, start_bot, stop_bot};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};
use union_news_bot::desk::NewsDesk;

const ADMIN: u64 = 777;
const MEMBERS: [u64; 8] = [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008];
/// Long enough for teloxide's 10 s pause after each 5xx, plus our retries.
const PATIENCE: Duration = Duration::from_secs(120);

fn start(dir: &Path, api: &FakeApi, log: &str) -> Child {
    start_bot(&dir.join("data"), api, ADMIN, &dir.join(log))
}

/// Fails the test with the bot's log when `done` does not come in time.
fn expect(api: &FakeApi, dir: &Path, what: &str, done: impl Fn(&FakeApi) -> bool) {
    if !api.wait_for(PATIENCE, done) {
        let mut log = String::new();
        for name in ["bot-1.log", "bot-2.log"] {
            log += &std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        }
        let tail: Vec<&str> = log.lines().rev().take(60).collect();
        panic!(
            "{what}: not within {PATIENCE:?}\nsent: {:#?}\nbot log (last lines first):\n{}",
            api.sent()
                .iter()
                .map(|s| (s.chat, s.text.chars().take(40).collect::<String>()))
                .collect::<Vec<_>>(),
            tail.join("\n")
        );
    }
}

fn page(tag: &str) -> String {
    format!(
        "/push\n# 湛江市总工会故障演练快讯{tag}\n\n本报讯 11月20日，湛江市总工会在霞山区开展{tag}号应急演练，\
         200名职工参加，演练持续两个小时。\n"
    )
}

#[test]
#[ignore = "slow durability test (about a minute): .ci/run runs it with --ignored"]
fn the_bot_rides_out_telegram_faults_and_delivers_each_notification_exactly_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let api = FakeApi::start();
    let started = Instant::now();
    // Polling meets every kind of fault before its first batch.
    api.inject(
        "getUpdates",
        [
            Fault::Drop,
            Fault::MalformedJson,
            Fault::TooManyRequests(1),
            Fault::BadGatewayJson,
            Fault::Slow(Duration::from_secs(2)),
            Fault::ServerErrorHtml,
        ],
    );
    // And replies meet them too.
    api.inject(
        "sendMessage",
        [
            Fault::TooManyRequests(1),
            Fault::Drop,
            Fault::MalformedJson,
            Fault::Slow(Duration::from_secs(2)),
            Fault::ServerErrorHtml,
            Fault::BadGatewayJson,
        ],
    );
    let mut bot = start(dir.path(), &api, "bot-1.log");

    // 1. Members subscribe and ask, all through the faults.
    for member in MEMBERS {
        api.message(member, "/subscribe 湛江");
        api.message(member, "外卖骑手 入会");
    }
    expect(&api, dir.path(), "every member answered twice", |api| {
        MEMBERS.iter().all(|&m| {
            api.sent_to(m as i64, "订阅") >= 1
                && api.sent().iter().filter(|s| s.chat == m as i64).count() >= 2
        })
    });
    assert_eq!(api.faults_left("getUpdates"), 0, "polling met every fault");
    assert_eq!(api.faults_left("sendMessage"), 0, "replies met every fault");

    // 2. A push reaches every subscriber once, though deliveries fail: five
    // drops in a row outlast one delivery's retries and leave it to the
    // outbox, to be retried later; others meet one fault each.
    api.inject_for("sendMessage", MEMBERS[0] as i64, [Fault::Drop; 5]);
    api.inject_for(
        "sendMessage",
        MEMBERS[1] as i64,
        [Fault::TooManyRequests(2)],
    );
    api.inject_for("sendMessage", MEMBERS[2] as i64, [Fault::MalformedJson]);
    api.inject_for("sendMessage", MEMBERS[3] as i64, [Fault::BadGatewayJson]);
    api.inject_for("sendMessage", MEMBERS[4] as i64, [Fault::ServerErrorHtml]);
    api.message(ADMIN, &page("ft0001"));
    expect(&api, dir.path(), "the push acknowledged", |api| {
        api.sent_to(ADMIN as i64, "新增 1 篇") == 1
    });
    expect(&api, dir.path(), "every subscriber notified", |api| {
        MEMBERS
            .iter()
            .all(|&m| api.sent_to(m as i64, "ft0001") >= 1)
    });

    // 3. Telegram sends every handled update again: nothing is answered,
    // pushed or delivered twice.
    // Answers, reports and notifications; a push's progress (its own
    // message under the report, edited as deliveries go out) is not an
    // answer to an update and may come at any moment.
    let answers = |api: &FakeApi| {
        api.sent()
            .iter()
            .filter(|s| s.method == "sendmessage" && !s.text.contains("推送进度"))
            .count()
    };
    let sent_before = answers(&api);
    let polls_before = api.calls("getUpdates");
    api.replay_everything();
    expect(&api, dir.path(), "the replay polled past", |api| {
        api.calls("getUpdates") >= polls_before + 2
    });
    assert_eq!(
        answers(&api),
        sent_before,
        "handled updates were handled again"
    );
    let log = std::fs::read_to_string(dir.path().join("bot-1.log")).expect("log");
    assert!(log.contains("handled already"), "the replay was not seen");
    // teloxide's HTTP client gives up after 17 s: a poll Telegram may hold
    // longer would fail whenever members are quiet.
    assert!(
        (1..17).contains(&api.longest_poll()),
        "long polls of {} s",
        api.longest_poll()
    );
    // Quiet polls end quietly: the only polling errors are the injected ones
    // (a poll held open longer than the HTTP client waits would fail too).
    let polling_errors = log.matches("polling failed").count();
    assert!(
        polling_errors <= 6,
        "{polling_errors} polling errors for 6 faults"
    );

    // 4. SIGKILL while deliveries hang: the next start sends each once.
    let members: Vec<i64> = MEMBERS.iter().map(|&m| m as i64).collect();
    api.hold_sends_except(&[ADMIN as i64]);
    api.message(ADMIN, &page("ft0002"));
    expect(&api, dir.path(), "a delivery in flight", |api| {
        api.sent_to(ADMIN as i64, "ft0002") == 1 && api.held() >= 1
    });
    bot.kill().expect("SIGKILL");
    bot.wait().expect("reaped");
    api.release_sends();
    // Telegram may send the push again too: it never learnt it was handled.
    api.replay_everything();
    let bot = start(dir.path(), &api, "bot-2.log");
    expect(
        &api,
        dir.path(),
        "deliveries resumed after the kill",
        |api| members.iter().all(|&m| api.sent_to(m, "ft0002") >= 1),
    );
    let log = std::fs::read_to_string(dir.path().join("bot-2.log")).expect("log");
    assert!(
        log.contains("due again"),
        "the killed run's delivery leases were not released"
    );
    // Let any duplicate show itself.
    std::thread::sleep(Duration::from_secs(6));
    for &member in &members {
        assert_eq!(api.sent_to(member, "ft0001"), 1, "ft0001 to {member}");
        assert_eq!(api.sent_to(member, "ft0002"), 1, "ft0002 to {member}");
    }
    assert_eq!(
        api.sent_to(ADMIN as i64, "新增 1 篇"),
        2,
        "two pushes, two reports"
    );

    // Never spinning: long polling, with pauses after errors.
    let seconds = started.elapsed().as_secs_f64();
    let polls = api.calls("getUpdates");
    assert!(
        (polls as f64) < 4.0 * seconds + 20.0,
        "{polls} polls in {seconds:.0} s"
    );

    // 5. SIGTERM: a clean stop.
    stop_bot(bot);

    // The store has each push once, and no delivery is left.
    let desk = NewsDesk::open(&dir.path().join("data")).expect("open");
    for tag in ["ft0001", "ft0002"] {
        assert_eq!(desk.search_ids(tag, 10).expect("search").len(), 1, "{tag}");
    }
    assert_eq!(desk.deliveries().pending().expect("outbox"), 0);
}

#[test]
fn a_second_bot_on_the_same_data_folder_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let api = FakeApi::start();
    let first = start(dir.path(), &api, "bot-1.log");
    expect(&api, dir.path(), "the first bot polling", |api| {
        api.calls("getUpdates") >= 1
    });
    let mut second = start(dir.path(), &api, "bot-2.log");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = second.try_wait().expect("status") {
            break status;
        }
        assert!(Instant::now() < deadline, "the second bot kept running");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!status.success());
    let log = std::fs::read_to_string(dir.path().join("bot-2.log")).expect("log");
    assert!(log.contains("another bot is already running"), "{log}");
    stop_bot(first);
}
