//! The real binary, as a newcomer would use it.

use crate::world::{binary, run, sample_pages, serve_gbk_page, stdout};

#[test]
fn ask_loads_the_sample_pages_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["ask", "湛江工会调研了什么行业"], "");
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let first_item = text.lines().find(|l| l.starts_with("1. ")).unwrap_or("");
    assert!(first_item.contains("劳模工匠助企行"), "{text}");
}

#[test]
fn chat_reads_one_message_a_line_from_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &["chat"],
        "/city 吴川\n\n外卖骑手 入会\n/help\n",
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert!(text.contains("湛江"), "{text}");
    assert!(text.contains("外卖骑手"), "{text}");
    assert!(text.contains("使用说明"), "{text}");
}

#[test]
fn no_subcommand_and_no_token_opens_the_console_chat() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &[], "/latest\n");
    assert!(output.status.success(), "{output:?}");
    assert!(stdout(&output).contains("最新报道"), "{}", stdout(&output));
}

#[test]
fn ingesting_the_same_folder_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let pages = sample_pages();
    let pages = pages.to_str().unwrap();
    let first = run(dir.path(), &["ingest", pages], "");
    assert!(first.status.success(), "{first:?}");
    assert!(!stdout(&first).contains("新增 0 篇"), "{}", stdout(&first));
    let second = run(dir.path(), &["ingest", pages], "");
    assert!(second.status.success(), "{second:?}");
    assert!(stdout(&second).contains("新增 0 篇"), "{}", stdout(&second));
    let stats = run(dir.path(), &["stats"], "");
    assert!(stdout(&stats).contains("湛江"), "{}", stdout(&stats));
}

#[test]
fn a_deleted_index_is_rebuilt_on_the_next_question() {
    let dir = tempfile::tempdir().unwrap();
    let before = run(dir.path(), &["ask", "外卖骑手 入会"], "");
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let after = run(dir.path(), &["ask", "外卖骑手 入会"], "");
    assert!(after.status.success(), "{after:?}");
    assert_eq!(stdout(&before), stdout(&after));
    assert!(dir.path().join("index").exists());
}

#[test]
fn ingest_reports_a_file_that_is_not_text_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("in");
    std::fs::create_dir(&pages).unwrap();
    // A JPEG renamed .md: no encoding reads it.
    std::fs::write(
        pages.join("bad.md"),
        [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01,
        ],
    )
    .unwrap();
    std::fs::copy(
        sample_pages().join("2023-11-08_p2.md"),
        pages.join("2023-11-08_p2.md"),
    )
    .unwrap();
    // A "PDF" that is not one is tried and reported; a spreadsheet is no page.
    std::fs::write(pages.join("notes.pdf"), "not a pdf").unwrap();
    std::fs::write(pages.join("names.xlsx"), "skipped").unwrap();
    let output = run(dir.path(), &["ingest", pages.to_str().unwrap()], "");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.md"), "{stderr}");
    assert!(stderr.contains("notes.pdf"), "{stderr}");
    assert!(!stderr.contains("names.xlsx"), "{stderr}");
    assert!(
        stdout(&output).contains("读取 3 个文件") && stdout(&output).contains("失败 2 个文件"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn pages_saved_as_gbk_gb18030_or_utf16_are_read_as_utf8_ones_are() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("in");
    std::fs::create_dir(&pages).unwrap();
    let page = |title: &str| {
        format!("# {title}\r\n\r\n本报讯(通讯员 李明)3月2日,{title},300名职工参加。\r\n")
    };
    let chess = page("韶关市总工会举办职工象棋比赛");
    let (gbk, _, _) = encoding_rs::GBK.encode(&chess);
    std::fs::write(pages.join("2024-03-04_gbk.txt"), &gbk).unwrap();
    let rare = page("清远市总工会开展𠀀字号劳模宣讲");
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&rare);
    std::fs::write(pages.join("2024-03-05_gb18030.txt"), &gb18030).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in page("汕头市总工会为快递员送春茶").encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    std::fs::write(pages.join("2024-03-06_utf16.txt"), &utf16).unwrap();
    let output = run(dir.path(), &["ingest", pages.to_str().unwrap()], "");
    assert!(output.status.success(), "{output:?}");
    for (question, title) in [
        ("韶关 象棋比赛", "韶关市总工会举办职工象棋比赛"),
        ("清远 劳模宣讲", "清远市总工会开展𠀀字号劳模宣讲"),
        ("汕头 快递员 春茶", "汕头市总工会为快递员送春茶"),
    ] {
        let answer = stdout(&run(dir.path(), &["ask", question], ""));
        assert!(answer.contains(title), "{question}: {answer}");
    }
}

#[test]
fn ask_push_with_a_link_fetches_the_page_as_the_chat_does() {
    let dir = tempfile::tempdir().unwrap();
    let page = union_news_testkit::documents::html_page(&[
        "廉江市总工会为高温作业职工送清凉",
        "发布日期：2025-07-21 10:00  来源：廉江市总工会  浏览次数：61",
        "7月20日，廉江市总工会走进建筑工地，为300余名高温作业职工送上防暑降温用品。",
        "上一篇：市总工会召开全委会议",
    ]);
    let port = serve_gbk_page(page);
    let url = format!("http://127.0.0.1:{port}/news/2025/0721.html");
    let output = binary(dir.path())
        .env("PUSH_FETCH_ALLOWED_HOSTS", format!("127.0.0.1:{port}"))
        .args(["ask", &format!("/push {url}")])
        .output()
        .expect("run ask");
    assert!(output.status.success(), "{output:?}");
    let report = stdout(&output);
    assert!(
        report.contains("新增：《廉江市总工会为高温作业职工送清凉》") && report.contains(&url),
        "{report}"
    );
    let found = run(dir.path(), &["ask", "廉江 高温作业 送清凉"], "");
    assert!(
        stdout(&found).contains("廉江市总工会为高温作业职工送清凉"),
        "{}",
        stdout(&found)
    );
}
