//! Hostile files through the reader child, with the limits set low: each is
//! refused with the right reason (never by timing), and the reader answers
//! again at once. Issue 18.

use std::path::PathBuf;
use std::time::Duration;

use union_news_bot::document::{
    DocumentError, DocumentInput, DocumentReader, NotLanguage, Oversize, ReaderFailure,
    ReaderLimits, Unreadable,
};
use union_news_testkit::hostile;

fn limits() -> ReaderLimits {
    ReaderLimits {
        cpu_seconds: 20,
        wall: Duration::from_secs(60),
        memory_bytes: 512 << 20,
        output_bytes: 4 << 20,
        concurrent: 2,
    }
}

/// The bot's own binary as the reader child.
fn reader_with(limits: ReaderLimits) -> DocumentReader {
    DocumentReader::child(PathBuf::from(env!("CARGO_BIN_EXE_union-news-bot")), limits)
}

fn read(name: &str, bytes: &[u8]) -> Result<String, Unreadable> {
    reader_with(limits())
        .read(&DocumentInput::file(name), bytes)
        .map(|reading| reading.text)
}

fn assert_too_large(name: &str, bytes: &[u8], what: fn(&Oversize) -> bool) {
    match read(name, bytes) {
        Err(Unreadable::Document(DocumentError::TooLarge(oversize))) if what(&oversize) => {}
        other => panic!("{name}: expected a refusal as too large, got {other:?}"),
    }
}

#[test]
fn a_pdf_page_that_is_its_own_parent_is_read_or_refused_at_once() {
    let result = read("loop.pdf", &hostile::pdf_page_is_its_own_parent());
    assert!(
        !matches!(result, Err(Unreadable::Reader(_))),
        "the reader had to be stopped: {result:?}"
    );
}

#[test]
fn a_pdf_stream_that_unpacks_to_gigabytes_is_refused() {
    assert_too_large("bomb.pdf", &hostile::pdf_compressed_bomb(300), |o| {
        matches!(o, Oversize::Unpacked { .. })
    });
}

#[test]
fn a_pdf_listing_one_content_stream_200000_times_is_refused() {
    assert_too_large("repeat.pdf", &hostile::pdf_repeated_content(200_000), |o| {
        matches!(o, Oversize::Unpacked { .. })
    });
}

#[test]
fn a_pdf_of_20000_pages_is_refused_by_its_page_count() {
    assert_too_large("pages.pdf", &hostile::pdf_many_pages(20_000), |o| {
        matches!(o, Oversize::Pages { count: 20_000, .. })
    });
}

#[test]
fn a_pdf_of_400_pages_is_read() {
    let text = read("pages.pdf", &hostile::pdf_many_pages(400)).expect("400 short pages");
    assert!(text.contains("Union news"), "{text:.200}");
}

#[test]
fn a_word_file_nested_a_million_deep_is_refused() {
    assert_too_large("nested.docx", &hostile::docx_nested(1_000_000), |o| {
        matches!(o, Oversize::Nesting { .. })
    });
}

#[test]
fn a_web_page_of_100000_nested_divs_is_refused() {
    assert_too_large("nested.html", &hostile::html_nested(100_000), |o| {
        matches!(o, Oversize::Nesting { .. })
    });
    let shallow = read("ok.html", &hostile::html_nested(50)).expect("50 divs deep");
    assert!(shallow.contains("送清凉"), "{shallow}");
}

#[test]
fn binary_files_named_as_pages_are_refused_as_not_language() {
    let mut binary = hostile::noise(3, 200_000);
    binary.splice(0..0, b"<html><body>".iter().copied());
    for (name, bytes) in [
        ("page.html", binary.clone()),
        ("notes.txt", hostile::ascii_noise(5, 100_000)),
        ("notes.md", hostile::ascii_noise(6, 3_000)),
    ] {
        match read(name, &bytes) {
            Err(Unreadable::NotLanguage(_) | Unreadable::Text(_)) => {}
            Ok(text) if text.trim().is_empty() => {}
            other => panic!(
                "{name}: expected a refusal, got {:.300?}",
                other.map(|t| t.len())
            ),
        }
    }
}

#[test]
fn a_gzip_page_is_unpacked_and_a_gzip_bomb_refused() {
    let page = union_news_testkit::documents::html_page(&[
        "湛江市总工会开展送清凉活动",
        "7月17日上午，湛江市总工会走进环卫作业点，为一线职工送去防暑降温物资。",
    ]);
    let input = DocumentInput::fetched("news", Some("text/html"), Some("utf-8"));
    let reading = reader_with(limits())
        .read(&input, &hostile::gzip(page.as_bytes()))
        .expect("a gzip page reads");
    assert!(reading.text.contains("防暑降温"), "{}", reading.text);
    match reader_with(limits()).read(&input, &hostile::gzip_bomb(200)) {
        Err(Unreadable::Document(DocumentError::TooLarge(Oversize::Unpacked { .. }))) => {}
        other => panic!("expected the gzip bomb refused, got {other:?}"),
    }
}

#[test]
fn a_reader_past_its_wall_time_is_stopped_and_named() {
    let impatient = ReaderLimits {
        wall: Duration::ZERO,
        ..limits()
    };
    let result = reader_with(impatient).read(
        &DocumentInput::file("pages.pdf"),
        &hostile::pdf_many_pages(300),
    );
    assert!(
        matches!(
            result,
            Err(Unreadable::Reader(ReaderFailure::TimedOut { .. }))
        ),
        "{result:?}"
    );
}

#[test]
fn a_reader_past_its_memory_is_stopped_and_named() {
    let tiny = ReaderLimits {
        memory_bytes: 96 << 20,
        ..limits()
    };
    // Legal, but its text alone needs more than the limit.
    let paragraph = "湛江市总工会开展送清凉活动，为一线职工送去防暑降温物资。".repeat(40);
    let page = format!(
        "<html><body>{}</body></html>",
        format!("<p>{paragraph}</p>\n").repeat(20_000)
    );
    let result = reader_with(tiny).read(&DocumentInput::file("big.html"), page.as_bytes());
    assert!(
        matches!(
            result,
            Err(Unreadable::Reader(ReaderFailure::OutOfMemory { .. }))
        ),
        "{:?}",
        result.map(|r| r.text.len())
    );
}

#[test]
fn the_reader_answers_again_after_a_refusal() {
    let reader = reader_with(limits());
    let _ = reader.read(
        &DocumentInput::file("bomb.pdf"),
        &hostile::pdf_compressed_bomb(100),
    );
    let page = union_news_testkit::documents::html_page(&["标题", "湛江市总工会开展送清凉活动。"]);
    let reading = reader
        .read(&DocumentInput::file("ok.html"), page.as_bytes())
        .expect("a good page after a bad one");
    assert!(reading.text.contains("送清凉"));
    assert_eq!(reading.read_as, "HTML");
    let _ = NotLanguage::NoWords;
}

#[test]
fn every_shipped_page_and_test_paste_reads_as_language() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("data/pages"), root.join("tests/data/pastes")];
    let mut checked = 0;
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a test folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !(name.ends_with(".md") || name.ends_with(".txt")) || name == "README.md" {
                continue;
            }
            let bytes = std::fs::read(&path).expect("a page file");
            if let Err(e) = union_news_bot::document::page_text(name, &bytes) {
                panic!("{} is refused: {e}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} pages found");
}
