//! Plain text from what admins push, the way a person copying the article out
//! of the document would get it: [`page_text`] for a file (a Telegram
//! document, a file given to `ingest`), [`fetched_text`] for a page fetched
//! from a link. Text files are decoded by [`crate::page::encoding`].
//!
//! Three formats are supported:
//!
//! * **DOCX** ([`docx_text`]): the paragraphs of the main document part
//!   (`word/document.xml`), one per line, in document order, table cells
//!   included.
//! * **HTML** ([`html_text`], [`html_text_from_bytes`]): a saved web page,
//!   reduced to its main article (headline, meta lines, paragraphs) with the
//!   navigation, sidebars, related-news lists and footers left out.
//! * **PDF** ([`pdf_text`]): the text layer, with wrapped lines joined back
//!   into paragraphs, one paragraph per line.
//!
//! [`format_of`] tells which of the three a file is.
//!
//! Every function returns lines separated by `'\n'`, each line trimmed, with no
//! empty lines. None of them panics on bad input: broken files give a
//! [`DocumentError`].

mod docx;
mod html;
mod pdf;
mod text;

pub use docx::docx_text;
pub use html::{HtmlText, decode_html, html_text, html_text_from_bytes};
pub use pdf::pdf_text;

/// The kinds of document this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// An Office Open XML word-processing document (`.docx`).
    Docx,
    /// An HTML page (`.html`, `.htm`, and the `.shtml`/`.xhtml` variants).
    Html,
    /// A PDF file.
    Pdf,
}

/// Why a document could not be turned into text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The input has no bytes at all.
    #[error("the file is empty")]
    Empty,
    /// The input is not a readable file of the expected format (broken,
    /// truncated, not that format at all, or unreasonably large once
    /// decompressed). The string says what was wrong, for logs.
    #[error("the file is not a valid {0}")]
    Invalid(String),
    /// The PDF has pages but no extractable text: it is a scan (images only)
    /// or its fonts carry no Unicode mapping. OCR would be needed.
    #[error("the PDF has no text layer (a scanned document?)")]
    NoTextLayer,
    /// The PDF is encrypted with a password that is not the empty one.
    #[error("the PDF is protected by a password")]
    Encrypted,
}

/// Tells which format a file is, from its magic bytes first and its file name
/// extension second; `None` when it is none of [`Format`]'s.
///
/// Magic bytes: `%PDF-` in the first kilobyte; a zip (`PK\x03\x04`) that names
/// a `word/document.xml` part; text that starts (after an optional BOM,
/// whitespace, comments or an XML declaration) with `<!doctype html`, `<html`
/// or `<head`. Extensions (case-insensitive): `.docx`, `.pdf`, `.html`,
/// `.htm`, `.shtml`, `.xhtml`.
///
/// Contents win over the name, so an HTML error page saved as `x.pdf` is
/// reported as [`Format::Html`]. An empty or unrecognisable file with a known
/// extension is reported by its extension, so that the matching `*_text`
/// function can say what is wrong with it.
pub fn format_of(file_name: &str, bytes: &[u8]) -> Option<Format> {
    sniff(bytes).or_else(|| by_extension(file_name))
}

fn by_extension(file_name: &str) -> Option<Format> {
    let name = file_name.trim().trim_end_matches(['"', '\'']);
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "docx" => Some(Format::Docx),
        "pdf" => Some(Format::Pdf),
        "html" | "htm" | "shtml" | "xhtml" => Some(Format::Html),
        _ => None,
    }
}

fn sniff(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(1024)];
    if memfind(head, b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return memfind(bytes, b"word/document.xml").map(|_| Format::Docx);
    }
    if looks_like_html(head) {
        return Some(Format::Html);
    }
    None
}

fn looks_like_html(head: &[u8]) -> bool {
    // UTF-16 pages are rare; recognise the common byte encodings only.
    let mut s: Vec<u8> = head.to_ascii_lowercase();
    if s.starts_with(b"\xef\xbb\xbf") {
        s.drain(..3);
    }
    let mut rest: &[u8] = &s;
    loop {
        let trimmed = rest.trim_ascii_start();
        if let Some(after) = trimmed.strip_prefix(b"<!--") {
            match memfind(after, b"-->") {
                Some(end) => rest = &after[end + 3..],
                None => return false,
            }
        } else if trimmed.starts_with(b"<?xml") {
            match memfind(trimmed, b"?>") {
                Some(end) => rest = &trimmed[end + 2..],
                None => return false,
            }
        } else {
            return trimmed.starts_with(b"<!doctype html")
                || trimmed.starts_with(b"<html")
                || trimmed.starts_with(b"<head");
        }
    }
}

fn memfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// File names the bot takes as pages: text, Word, web pages and PDF.
const PAGE_EXTENSIONS: [&str; 8] = ["txt", "md", "docx", "html", "htm", "shtml", "xhtml", "pdf"];

/// True when a file's name says it is a page the bot reads.
pub fn is_page_file_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        PAGE_EXTENSIONS
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

/// A document's text, and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    /// The text: one line per paragraph, the headline first when the
    /// document has one.
    pub text: String,
    /// What it was read as: `UTF-8`, `GBK`, `Word`, `HTML`, `PDF` …
    pub read_as: &'static str,
}

/// Why a pushed file or page gives no text.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    /// A Word, web or PDF file that could not be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A text file in no encoding the bot reads.
    #[error("{0}; save it as UTF-8 first")]
    Text(#[from] crate::page::encoding::NotText),
}

/// The text of a file: a Word file, a saved web page (its main article) or
/// a PDF (its text layer), known by its contents first and its name second;
/// anything else is text in UTF-8, UTF-16 or GBK/GB18030.
pub fn page_text(file_name: &str, bytes: &[u8]) -> Result<PageText, Unreadable> {
    Ok(match format_of(file_name, bytes) {
        Some(Format::Docx) => PageText {
            text: docx_text(bytes)?,
            read_as: "Word",
        },
        Some(Format::Pdf) => PageText {
            text: pdf_text(bytes)?,
            read_as: "PDF",
        },
        Some(Format::Html) => PageText {
            text: with_title(html_text_from_bytes(bytes)),
            read_as: "HTML",
        },
        None => {
            let decoded = crate::page::encoding::decode(bytes)?;
            PageText {
                text: decoded.text,
                read_as: decoded.encoding,
            }
        }
    })
}

/// The text of a page fetched from a link: like [`page_text`], with the
/// server's content type deciding an HTML page its address does not name
/// (`https://…/news/123`) and its charset decoding it.
pub fn fetched_text(
    file_name: &str,
    content_type: Option<&str>,
    charset: Option<&str>,
    bytes: &[u8],
) -> Result<PageText, Unreadable> {
    let is_html = matches!(content_type, Some("text/html" | "application/xhtml+xml"));
    if is_html && format_of(file_name, bytes).is_none_or(|f| f == Format::Html) {
        let declared = charset.and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()));
        let page = match declared {
            Some(encoding) if encoding != encoding_rs::UTF_8 => {
                html_text(&encoding.decode_with_bom_removal(bytes).0)
            }
            _ => html_text_from_bytes(bytes),
        };
        return Ok(PageText {
            text: with_title(page),
            read_as: "HTML",
        });
    }
    let name = match content_type {
        Some("application/pdf") => "page.pdf",
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document") => {
            "page.docx"
        }
        _ => file_name,
    };
    page_text(name, bytes)
}

/// A web page's article, with its `<title>` (its part before the site's
/// name: `标题_某某网`) first when the article's first line is prose, not a
/// headline.
fn with_title(page: HtmlText) -> String {
    let first = page.text.lines().next().unwrap_or("");
    let first_is_prose = first.contains('。') || first.chars().count() > 64;
    let title = page.title.as_deref().map(|t| {
        t.split(['_', '|', '｜', '－'])
            .next()
            .unwrap_or(t)
            .split(" - ")
            .next()
            .unwrap_or(t)
            .trim()
    });
    match title {
        Some(title) if first_is_prose && !title.is_empty() => {
            format!("{title}\n{}", page.text)
        }
        _ => page.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_magic() {
        assert_eq!(format_of("a.DOCX", b""), Some(Format::Docx));
        assert_eq!(format_of("报告.Pdf", b""), Some(Format::Pdf));
        assert_eq!(format_of("x.HTM", b""), Some(Format::Html));
        assert_eq!(format_of("x.shtml", b""), Some(Format::Html));
        assert_eq!(format_of("x.txt", b"hello"), None);
        assert_eq!(format_of("noext", b"%PDF-1.7\n..."), Some(Format::Pdf));
        assert_eq!(
            format_of("noext", b"\xef\xbb\xbf  <!DOCTYPE html><html>"),
            Some(Format::Html)
        );
        assert_eq!(
            format_of("noext", b"<!-- saved from url -->\n<html lang=zh>"),
            Some(Format::Html)
        );
        assert_eq!(
            format_of("a.pdf", b"<!doctype html><title>404</title>"),
            Some(Format::Html)
        );
        assert_eq!(
            format_of("noext", b"PK\x03\x04....word/document.xml...."),
            Some(Format::Docx)
        );
        assert_eq!(format_of("noext", b"PK\x03\x04....xl/workbook.xml"), None);
        assert_eq!(format_of("", b""), None);
    }
}
