//! The fuzz targets' first inputs, written from the repository's own pages
//! and pastes: Word files, web pages (UTF-8 and GBK), PDFs, text in every
//! encoding admins save, and fetched responses with their headers.
//! `fuzz/seed.sh` writes them to the corpora (through the `fuzz_seeds`
//! example); the replay test runs them through [`crate::readers`] too.

use std::path::{Path, PathBuf};

use printpdf::{Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};

use crate::documents;

/// The repository's root.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files of a folder of the repository with this extension, by name.
fn files(folder: &str, extension: &str) -> Vec<String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(repo().join(folder))
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// The first pastes of the first development set: enough variety (site,
/// WeChat, portal, forum, government portal, bare, repost), few bytes.
fn pastes() -> Vec<String> {
    files("tests/data/pastes/dev", "txt")
        .into_iter()
        .take(7)
        .collect()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A page in GBK that says so, as older Chinese sites serve them.
fn gbk_page(paste: &str) -> Vec<u8> {
    let html = documents::html_page(&lines(paste)).replace("charset=\"utf-8\"", "charset=\"gbk\"");
    encoding_rs::GBK.encode(&html).0.into_owned()
}

/// A PDF of Latin lines in the standard Helvetica font (no font file
/// needed), its streams left uncompressed for the fuzzer to change.
pub fn latin_pdf(lines: &[&str]) -> Vec<u8> {
    let mut ops = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        ops.push(Op::StartTextSection);
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(72.0),
                y: Pt(700.0 - 20.0 * i as f32),
            },
        });
        ops.push(Op::SetFont {
            font: PdfFontHandle::Builtin(printpdf::BuiltinFont::Helvetica),
            size: Pt(12.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(line.to_string())],
        });
        ops.push(Op::EndTextSection);
    }
    let options = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    PdfDocument::new("seed")
        .with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops)])
        .save(&options, &mut Vec::new())
}

/// PDFs: Latin text in a standard font and, where the CJK fonts are
/// installed, a short Chinese paste.
fn pdfs() -> Vec<Vec<u8>> {
    let mut out = vec![
        latin_pdf(&[
            "Annual Report",
            "The union held its annual",
            "meeting on 6 March 2024.",
        ]),
        latin_pdf(&[
            "- 3 -",
            "Page 3 of 10",
            "A line that runs on and on to the right edge of its column",
            "and on.",
        ]),
    ];
    if documents::have_fonts() {
        let paste = &pastes()[0];
        let short: Vec<&str> = lines(paste).into_iter().take(6).collect();
        out.extend(documents::pdf(&short));
    }
    out
}

/// Text in the encodings [`union_news_bot::page::encoding::decode`] reads,
/// and in two it refuses (Big5, Latin-1).
fn encoded() -> Vec<Vec<u8>> {
    let text = &pastes()[1];
    let mut out = vec![text.as_bytes().to_vec()];
    let mut bom_crlf = b"\xef\xbb\xbf".to_vec();
    bom_crlf.extend(text.replace('\n', "\r\n").as_bytes());
    out.push(bom_crlf);
    for encoding in [encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::BIG5] {
        out.push(encoding.encode(text).0.into_owned());
    }
    let mut utf16le = vec![0xFF, 0xFE];
    utf16le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out.push(utf16le);
    out.push(text.encode_utf16().flat_map(u16::to_be_bytes).collect());
    out.push(
        encoding_rs::WINDOWS_1252
            .encode("Caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e\n")
            .0
            .into_owned(),
    );
    out
}

/// A fetched response as the `fetched_page` target reads it: the
/// `Content-Type` line, the `Content-Disposition` line, the path, the body.
fn response(content_type: &str, disposition: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{content_type}\n{disposition}\n{path}\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn responses() -> Vec<Vec<u8>> {
    let pastes = pastes();
    let page = documents::html_page(&lines(&pastes[0]));
    let docx = documents::docx(&lines(&pastes[2]));
    let pdf = latin_pdf(&["Notice", "The union office moves on 1 July."]);
    vec![
        response(
            "text/html; charset=utf-8",
            "",
            "/news/2024/0306/1.html",
            page.as_bytes(),
        ),
        response(
            "text/html; charset=GBK",
            "",
            "/news/123",
            &gbk_page(&pastes[1]),
        ),
        response("application/xhtml+xml", "", "/a/b/", page.as_bytes()),
        response(
            "application/pdf",
            "attachment; filename=\"%E9%80%9A%E7%9F%A5.pdf\"",
            "/files/download?id=7",
            &pdf,
        ),
        response(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment; filename*=UTF-8''%E6%96%B0%E9%97%BB.docx; filename=\"x.docx\"",
            "/d",
            &docx,
        ),
        response(
            "text/plain; charset=\"gb18030\"",
            "inline",
            "/files/%E7%A8%BF%E4%BB%B6.txt",
            &encoding_rs::GB18030.encode(&pastes[3]).0,
        ),
        response("", "", "", pastes[4].as_bytes()),
    ]
}

/// The seeds of the fuzz target `name` (see [`crate::readers::CHECKS`]);
/// empty for a target this module does not seed.
pub fn seeds(name: &str) -> Vec<Vec<u8>> {
    let pastes = pastes();
    match name {
        "docx_text" => {
            let mut out: Vec<Vec<u8>> = pastes
                .iter()
                .take(3)
                .map(|p| documents::docx(&lines(p)))
                .collect();
            out.push(documents::docx(&[]));
            out
        }
        "html_text" => {
            let mut out: Vec<Vec<u8>> = pastes
                .iter()
                .take(3)
                .map(|p| documents::html_page(&lines(p)).into_bytes())
                .collect();
            out.push(gbk_page(&pastes[3]));
            out
        }
        "pdf_text" => pdfs(),
        "encoding_decode" => encoded(),
        "paste_parse" => pastes.into_iter().map(String::into_bytes).collect(),
        "page_parse" => files("data/pages", "md")
            .into_iter()
            .map(String::into_bytes)
            .collect(),
        "fetched_page" => responses(),
        _ => Vec::new(),
    }
}
