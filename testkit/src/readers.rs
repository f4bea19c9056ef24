//! What the readers of untrusted input promise, checked on any bytes: the
//! Word, web page and PDF readers, the text decoder, the paste reader and a
//! fetched response. Written once for the fuzz targets (`fuzz/`, one target
//! per entry of [`CHECKS`]) and for the test that replays their corpora and
//! findings on the stable toolchain (`tests/documents/fuzz_inputs.rs`).
//!
//! Every check panics, with the broken promise in its message, when the
//! reader breaks its contract; a reader that panics itself fails the same way.

use chrono::NaiveDate;
use union_news_bot::document::{self, DocumentError, DocumentReading};
use union_news_bot::fetch::Fetched;
use union_news_bot::page::encoding::{self, NotText};
use union_news_bot::page::{self, PageDefaults, ParsedPage};
use union_news_bot::reply::Reply;
use union_news_bot::reply::text::full_article;

use crate::telegram_html::render_checked;

/// A check of one input: panics when a promise is broken.
pub type Check = fn(&[u8]);

/// Each fuzz target's name and its check; the name is also the folder of
/// its inputs under `fuzz/regressions/`.
pub const CHECKS: [(&str, Check); 7] = [
    ("docx_text", docx_text),
    ("html_text", html_text),
    ("pdf_text", pdf_text),
    ("encoding_decode", encoding_decode),
    ("paste_parse", paste_parse),
    ("page_parse", page_parse),
    ("fetched_page", fetched_page),
];

/// The check of the fuzz target `name`.
pub fn check(name: &str) -> Option<Check> {
    CHECKS.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
}

/// `document::docx_text`: lines trimmed, none empty; an error only for
/// what is not a readable Word file.
pub fn docx_text(bytes: &[u8]) {
    match document::docx_text(bytes) {
        Ok(text) => lines_are_clean("docx_text", &text),
        Err(e) => known_error("docx_text", bytes, &e),
    }
}

/// `document::html_text_from_bytes`: lines trimmed, none empty; a title,
/// when there is one, is one trimmed line that is not empty.
pub fn html_text(bytes: &[u8]) {
    let page = document::html_text_from_bytes(bytes);
    lines_are_clean("html_text", &page.text);
    if let Some(title) = &page.title {
        assert!(!title.is_empty(), "html_text: an empty title");
        assert_eq!(title, title.trim(), "html_text: title not trimmed");
        assert!(!title.contains('\n'), "html_text: title of several lines");
    }
}

/// `document::pdf_text`: lines trimmed, none empty; an error only for what
/// is not a PDF with a text layer.
pub fn pdf_text(bytes: &[u8]) {
    match document::pdf_text(bytes) {
        Ok(text) => lines_are_clean("pdf_text", &text),
        Err(e) => known_error("pdf_text", bytes, &e),
    }
}

/// `page::encoding::decode`: text in UTF-8 (with or without its mark) is
/// read as UTF-8, unchanged; anything else read is in one of the encodings
/// the bot takes (UTF-16, GBK/GB18030), or refused with a guess that is not
/// one of them.
pub fn encoding_decode(bytes: &[u8]) {
    let result = encoding::decode(bytes);
    let utf8 = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(utf8) {
        let decoded = result.unwrap_or_else(|e| panic!("encoding_decode: UTF-8 refused: {e}"));
        assert_eq!(decoded.encoding, "UTF-8", "encoding_decode: UTF-8 misread");
        assert_eq!(decoded.text, text, "encoding_decode: UTF-8 text changed");
        return;
    }
    match result {
        Ok(decoded) => assert!(
            ["UTF-8", "UTF-16LE", "UTF-16BE", "GBK", "gb18030"].contains(&decoded.encoding),
            "encoding_decode: read as {}",
            decoded.encoding
        ),
        Err(NotText::Unsure { guess }) => assert!(
            !["GBK", "gb18030"].contains(&guess.as_str()),
            "encoding_decode: refused a guess of {guess}"
        ),
        Err(NotText::Invalid { .. }) => {}
    }
}

/// `page::parse` of a paste (any text with its `#` marks taken out, so no
/// line is a heading): at most one article, read as a paste, checked as
/// [`page_parse`] checks every page.
pub fn paste_parse(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes).replace(['#', '＃'], "");
    let page = parse_checked(&text);
    assert!(page.articles.len() <= 1, "paste_parse: several articles");
    for article in &page.articles {
        assert!(article.paste.is_some(), "paste_parse: not read as a paste");
    }
}

/// `page::parse` of any text: every article has a trimmed headline, no
/// empty paragraph, no date after today, and renders in full as valid
/// Telegram HTML; warnings come in line order.
pub fn page_parse(bytes: &[u8]) {
    parse_checked(&String::from_utf8_lossy(bytes));
}

/// A fetched response, from a fuzz input of three header lines and a body:
/// `Content-Type`, `Content-Disposition` (an empty line for a header the
/// server did not send) and the address's path, then the body. What
/// `Fetched::from_response` reads from the headers is what its fields
/// document, and the page's text keeps its reader's promises.
pub fn fetched_page(bytes: &[u8]) {
    let mut parts = bytes.splitn(4, |&b| b == b'\n');
    let mut header = || parts.next().filter(|h| !h.is_empty());
    let (content_type, disposition, path) = (header(), header(), header());
    let body = parts.next().unwrap_or_default().to_vec();
    let base = url::Url::parse("https://news.example.cn/").expect("a base address");
    let final_url = path
        .and_then(|p| base.join(&String::from_utf8_lossy(p)).ok())
        .unwrap_or(base);
    let fetched = Fetched::from_response(final_url, content_type, disposition, body);
    for (field, value) in [
        ("content type", &fetched.content_type),
        ("charset", &fetched.charset),
    ] {
        if let Some(value) = value {
            assert!(!value.is_empty(), "fetched_page: an empty {field}");
            assert_eq!(value, value.trim(), "fetched_page: {field} not trimmed");
            assert_eq!(
                *value,
                value.to_ascii_lowercase(),
                "fetched_page: {field} not lower-cased"
            );
        }
    }
    if let Some(media) = &fetched.content_type {
        assert!(
            !media.contains(';'),
            "fetched_page: parameters in {media:?}"
        );
    }
    if let Some(name) = &fetched.file_name {
        assert!(
            !name.is_empty() && name != "." && name != "..",
            "fetched_page: file name {name:?}"
        );
        assert_eq!(name, name.trim(), "fetched_page: file name not trimmed");
        assert!(
            !name.contains(['/', '\\']) && !name.contains(char::is_control),
            "fetched_page: a path or control character in {name:?}"
        );
    }
    match fetched.page_text() {
        Ok(page) => page_text_is_clean(&page, &fetched.bytes),
        Err(document::Unreadable::Document(e)) => known_error("fetched_page", &fetched.bytes, &e),
        // Text that is no language (noise), refused by the last check.
        Err(document::Unreadable::Text(_) | document::Unreadable::NotLanguage(_)) => {}
        Err(document::Unreadable::Reader(e)) => panic!("fetched_page: no child here, yet {e}"),
    }
}

/// A document's text keeps its reader's promise; a text file's is what
/// the decoder reads.
fn page_text_is_clean(page: &DocumentReading, bytes: &[u8]) {
    match page.read_as.as_str() {
        "Word" | "HTML" | "PDF" => lines_are_clean("fetched_page", &page.text),
        // A gzip body was unpacked first: its bytes are not the text's.
        _ if bytes.starts_with(&[0x1f, 0x8b, 0x08]) => {}
        encoding => {
            let decoded = encoding::decode(bytes).expect("read as text once, read again");
            assert_eq!(decoded.encoding, encoding, "fetched_page: read as");
            assert_eq!(decoded.text, page.text, "fetched_page: text changed");
        }
    }
}

/// The promise of `document`'s module: lines separated by `'\n'`, each
/// trimmed, none empty.
fn lines_are_clean(reader: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    for (n, line) in text.split('\n').enumerate() {
        assert!(!line.is_empty(), "{reader}: line {} is empty", n + 1);
        assert_eq!(line, line.trim(), "{reader}: line {} not trimmed", n + 1);
    }
}

/// An error a reader may give: `Empty` exactly for no bytes.
fn known_error(reader: &str, bytes: &[u8], error: &DocumentError) {
    assert_eq!(
        bytes.is_empty(),
        matches!(error, DocumentError::Empty),
        "{reader}: {error} for {} bytes",
        bytes.len()
    );
}

/// The day the checks' pages are pushed: nothing may be dated after it.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date")
}

fn parse_checked(text: &str) -> ParsedPage {
    let defaults = PageDefaults {
        today: Some(today()),
        received: Some(today()),
        ..PageDefaults::default()
    };
    let page = page::parse(text, &defaults);
    for parsed in &page.articles {
        let headline = &parsed.title.headline;
        assert!(!headline.trim().is_empty(), "an article without a headline");
        assert_eq!(headline, headline.trim(), "headline not trimmed");
        assert!(
            parsed.paragraphs.iter().all(|p| !p.trim().is_empty()),
            "an empty paragraph under {headline:?}"
        );
        // Front matter may name an issue date after the push, and the page's
        // articles take it (though `PageDefaults::today` says no article is
        // dated after today): allowed here until the reader decides.
        let latest = page.source.issue_date.map_or(today(), |d| d.max(today()));
        assert!(
            parsed.date.is_none_or(|d| d <= latest),
            "{headline:?} dated {:?}, after the push and the issue",
            parsed.date
        );
        assert!(parsed.line >= 1, "{headline:?} on line 0");
        let article = union_news_bot::article::Article {
            id: union_news_bot::article::ArticleId::allocated(1),
            title: parsed.title.clone(),
            paragraphs: parsed.paragraphs.clone(),
            byline: parsed.byline.clone(),
            date: parsed.date,
            published: None,
            published_is_push_day: false,
            event_year_known: true,
            photos: Vec::new(),
            cities: Vec::new(),
            source: page.source.clone(),
        };
        let mut reply = Reply::default();
        reply.push(full_article(&article));
        if let Err(e) = render_checked(&reply) {
            panic!("{headline:?}: {e}");
        }
    }
    assert!(
        page.warnings.is_sorted_by_key(|w| w.line),
        "warnings out of line order"
    );
    assert!(
        page.warnings.iter().all(|w| w.line >= 1),
        "a warning on line 0"
    );
    page
}

/// Runs a check under a fuzzer: a panic a reader catches itself (the PDF
/// interpreter's, which `pdf_text` contains) is not a finding, so the
/// fuzzer's hook, which aborts on every panic, is replaced by one that keeps
/// the message; a panic that escapes the check is printed and aborts.
pub fn fuzz(check: Check, data: &[u8]) {
    use std::cell::RefCell;
    use std::panic::{self, AssertUnwindSafe};
    thread_local! {
        static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
    }
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            LAST_PANIC.with(|last| *last.borrow_mut() = info.to_string());
        }));
    });
    if panic::catch_unwind(AssertUnwindSafe(|| check(data))).is_err() {
        LAST_PANIC.with(|last| eprintln!("{}", last.borrow()));
        std::process::abort();
    }
}
