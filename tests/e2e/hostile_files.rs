//! Hostile files pushed to the real bot over the fake Bot API and given to
//! `ingest`, with the reader's limits set low (issue 18): each is refused
//! with its reason, nothing is stored, and members are answered while a
//! file is being read.

use crate::fake_api::{FakeApi, start_bot_with, stop_bot};
use crate::world::{TestWorld, run, stdout};
use std::time::Duration;
use union_news_bot::desk::NewsDesk;
use union_news_testkit::hostile;

const ADMIN: u64 = 777;
const MEMBER: u64 = 1001;
const PATIENCE: Duration = Duration::from_secs(90);

/// Low limits, so that a file the reader must be stopped on is stopped soon.
const LOW_LIMITS: [(&str, &str); 4] = [
    ("READER_CPU_SECONDS", "3"),
    ("READER_WALL_SECONDS", "4"),
    ("READER_MEMORY_MB", "512"),
    ("READER_OUTPUT_MB", "4"),
];

fn article_count(data_dir: &std::path::Path) -> u64 {
    NewsDesk::open(data_dir)
        .expect("open the data folder")
        .article_count()
        .expect("count")
}

#[test]
fn hostile_documents_pushed_to_the_bot_are_refused_while_members_are_answered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let api = FakeApi::start();
    let log = dir.path().join("bot.log");
    let bot = start_bot_with(&data, &api, ADMIN, &log, &LOW_LIMITS);
    let wait = |what: &str, done: &dyn Fn(&FakeApi) -> bool| {
        assert!(
            api.wait_for(PATIENCE, done),
            "{what}: not within {PATIENCE:?}; sent {:#?}\nlog:\n{}",
            api.sent(),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    };
    let first = api.message(MEMBER, "湛江 羽绒");
    wait("the first answer", &|api| api.reply_to(first).is_some());

    // A small PDF that takes the reader longer than its limit; meanwhile a
    // member asks and is answered first.
    let flood = api.document(
        ADMIN,
        "flood.pdf",
        "/push",
        hostile::pdf_glyph_flood(3_000_000),
    );
    let question = api.message(MEMBER, "外卖骑手 入会");
    wait("both answers", &|api| {
        api.reply_to(flood).is_some() && api.reply_to(question).is_some()
    });
    let sent = api.sent();
    let position = |needle: &str| sent.iter().position(|s| s.text.contains(needle));
    let refusal = api.reply_to(flood).expect("the push is answered");
    assert!(
        refusal.text.contains("这个文件读不了"),
        "{}\n{}",
        refusal.text,
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let answer = api.reply_to(question).expect("the member is answered");
    assert!(
        position(&answer.text) < position(&refusal.text),
        "the member waited for the file: {sent:#?}"
    );

    // Every other kind: refused with its reason, one after another.
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("loop.pdf", hostile::pdf_page_is_its_own_parent(), "打不开"),
        ("bomb.pdf", hostile::pdf_compressed_bomb(200), "解开后超过"),
        (
            "repeat.pdf",
            hostile::pdf_repeated_content(200_000),
            "解开后超过",
        ),
        ("nested.docx", hostile::docx_nested(1_000_000), "嵌套超过"),
        ("nested.html", hostile::html_nested(100_000), "嵌套超过"),
        ("notes.txt", hostile::ascii_noise(9, 50_000), "乱码"),
    ];
    for (name, bytes, reason) in cases {
        let id = api.document(ADMIN, name, "/push", bytes);
        wait(name, &|api| api.reply_to(id).is_some());
        let reply = api.reply_to(id).expect("answered").text;
        assert!(reply.contains(reason), "{name}: {reply}");
        assert!(!reply.contains("新增"), "{name}: {reply}");
    }
    let after = api.message(MEMBER, "/latest");
    wait("a list after the files", &|api| {
        api.reply_to(after).is_some()
    });
    stop_bot(bot);

    let sample = TestWorld::new("hostile_documents_sample_count").desk;
    assert_eq!(
        article_count(&data),
        sample.article_count().expect("count"),
        "a hostile file was stored"
    );
}

#[test]
fn ingest_stores_the_good_files_of_a_folder_and_names_the_bad_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(&pages).expect("pages dir");
    let bad: [(&str, Vec<u8>); 5] = [
        ("loop.pdf", hostile::pdf_page_is_its_own_parent()),
        ("bomb.pdf", hostile::pdf_compressed_bomb(200)),
        ("nested.docx", hostile::docx_nested(1_000_000)),
        ("nested.html", hostile::html_nested(100_000)),
        ("binary.html", hostile::noise(4, 100_000)),
    ];
    for (name, bytes) in &bad {
        std::fs::write(pages.join(name), bytes).expect("write a hostile file");
    }
    std::fs::write(
        pages.join("good.txt"),
        "遂溪县总工会举办职工篮球赛\n\n本报讯 10月12日，遂溪县总工会在县体育馆举办职工篮球赛，\
         全县28支代表队参加，比赛持续三天。\n",
    )
    .expect("write a good page");
    let mut command = crate::world::binary(&data);
    command.args(["ingest", pages.to_str().expect("utf-8 path")]);
    for (name, value) in LOW_LIMITS {
        command.env(name, value);
    }
    let output = command.output().expect("run ingest");
    let printed = format!(
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    assert!(printed.contains("新增 1 篇"), "{printed}");
    for (name, _) in &bad {
        assert!(
            printed
                .lines()
                .any(|l| l.contains("跳过") && l.contains(name)),
            "{name} is not named: {printed}"
        );
    }
    let asked = run(&data, &["ask", "遂溪 篮球赛"], "");
    assert!(stdout(&asked).contains("篮球赛"), "{}", stdout(&asked));
}
