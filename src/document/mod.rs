//! Plain text from what admins push, the way a person copying the article out
//! of the document would get it: [`page_text`] for a file (a Telegram
//! document, a file given to `ingest`), [`fetched_text`] for a page fetched
//! from a link. Text files are decoded by [`crate::page::encoding`].
//!
//! Three formats are supported:
//!
//! * **DOCX** ([`docx_text`]): the paragraphs of the main document part
//!   (`word/document.xml`), one per line, in document order; a table's row
//!   is one line, its cells joined by ` | `.
//! * **HTML** ([`html_text`], [`html_text_from_bytes`]): a saved web page,
//!   reduced to its main article (headline, meta lines, paragraphs, a data
//!   table's rows as ` | ` lines) with the navigation, sidebars,
//!   related-news lists and footers left out.
//! * **PDF** ([`pdf_text`]): the text layer, with wrapped lines joined back
//!   into paragraphs, one paragraph per line.
//!
//! [`format_of`] tells which of the three a file is.
//!
//! Every function returns lines separated by `'\n'`, each line trimmed, with no
//! empty lines. None of them panics on bad input: broken files give a
//! [`DocumentError`].

mod child;
mod dates;
mod docx;
mod html;
mod language;
mod pdf;
mod text;

pub use child::{
    CHILD_COMMAND, DocumentReader, ReaderFailure, ReaderLimits, ReaderSettings, serve_child,
};
pub use dates::{DatePlace, DateSeen};
pub use docx::docx_text;
pub use html::{HtmlText, decode_html, html_text, html_text_from_bytes};
pub use language::NotLanguage;
pub use pdf::{PdfReading, pdf_reading, pdf_text};

use serde::{Deserialize, Serialize};
use std::io::Read as _;

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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
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
    /// Some part of the document is beyond what a news article needs, and
    /// reading it would cost unbounded time or memory.
    #[error("the document is too large: {0}")]
    TooLarge(Oversize),
}

/// What was too big in a document, in terms an admin can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Oversize {
    /// More pages than an article has.
    #[error("{count} pages, more than {limit}")]
    Pages {
        /// Pages in the document (counted up to a bound).
        count: usize,
        /// The most read.
        limit: usize,
    },
    /// A compressed part unpacks to more than the limit.
    #[error("a compressed part unpacks to more than {limit_mb} MB")]
    Unpacked {
        /// The limit, in megabytes.
        limit_mb: u64,
    },
    /// Elements nested deeper than any real page nests them.
    #[error("elements nested more than {limit} deep")]
    Nesting {
        /// The deepest nesting read.
        limit: usize,
    },
    /// More text than one push may hold.
    #[error("more than {limit_mb} MB of text")]
    Text {
        /// The limit, in megabytes.
        limit_mb: u64,
    },
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

/// What is known of a pushed file or fetched page besides its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    /// The file name, or the last part of a fetched link's path.
    pub name: String,
    /// A fetched page's content type (`text/html`), lower case, no
    /// parameters; `None` for a file.
    pub content_type: Option<String>,
    /// A fetched page's declared charset.
    pub charset: Option<String>,
}

impl DocumentInput {
    /// A file by its name.
    pub fn file(name: &str) -> Self {
        DocumentInput {
            name: name.to_string(),
            ..DocumentInput::default()
        }
    }

    /// A page fetched from a link, with what its server said of it.
    pub fn fetched(name: &str, content_type: Option<&str>, charset: Option<&str>) -> Self {
        DocumentInput {
            name: name.to_string(),
            content_type: content_type.map(str::to_string),
            charset: charset.map(str::to_string),
        }
    }

    /// The format these bytes are read as; `None` for text.
    fn format(&self, bytes: &[u8]) -> Option<Format> {
        let by_type = match self.content_type.as_deref() {
            Some("text/html" | "application/xhtml+xml") => Some(Format::Html),
            Some("application/pdf") => Some(Format::Pdf),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document") => {
                Some(Format::Docx)
            }
            _ => None,
        };
        // Contents first (an HTML error page served as a PDF is HTML), then
        // what the server said, then the name.
        sniff(bytes)
            .or(by_type)
            .or_else(|| by_extension(&self.name))
    }

    /// True when these bytes are read by a parser that must be isolated: a
    /// Word, web or PDF document, or a compressed body.
    pub(crate) fn needs_isolation(&self, bytes: &[u8]) -> bool {
        self.format(bytes).is_some() || is_gzip(bytes)
    }
}

/// A document's text and what else its reader saw: the structured output
/// of a reader child.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentReading {
    /// The text: one line per paragraph, the headline first when the
    /// document has one.
    pub text: String,
    /// What it was read as: `UTF-8`, `GBK`, `Word`, `HTML`, `PDF` …
    pub read_as: String,
    /// Lines set as headlines, largest type first: a PDF's lines in type
    /// larger than its body's, a page's `<title>`.
    pub headlines: Vec<HeadlineCandidate>,
    /// Every date printed in the text, with where it stood.
    pub dates: Vec<DateSeen>,
}

/// A line a document sets as a headline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineCandidate {
    /// The line, wrapped lines rejoined.
    pub text: String,
    /// Its type size relative to the body's (1.0 = body size; a page's
    /// `<title>` counts as 1.5).
    pub size: f32,
}

/// Why a pushed file or page gives no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Unreadable {
    /// A Word, web or PDF file that could not be read.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A text file in no encoding the bot reads.
    #[error("{0}; save it as UTF-8 first")]
    Text(#[from] crate::page::encoding::NotText),
    /// Text came out, but it is not language: binary data read as text.
    #[error("its text is not language: {0}")]
    NotLanguage(#[from] NotLanguage),
    /// The reader child was stopped or failed.
    #[error(transparent)]
    Reader(#[from] ReaderFailure),
}

/// Most bytes a compressed body may unpack to, and the most it may grow.
const MAX_UNPACKED_BYTES: u64 = 20 << 20;
const MAX_UNPACK_RATIO: u64 = 100;

/// Reads a file or fetched page in this process: the bytes decoded or
/// parsed by their format, a gzip body unpacked first (bounded), and the
/// text checked to be language. The reader child runs this; so do the
/// tests and the fuzz targets. Never call it on a document from outside in
/// the bot's own process: use a [`DocumentReader`].
pub fn read_document(input: &DocumentInput, bytes: &[u8]) -> Result<DocumentReading, Unreadable> {
    if is_gzip(bytes) {
        let unpacked = gunzip(bytes)?;
        return read_document(input, &unpacked);
    }
    let mut reading = match input.format(bytes) {
        Some(Format::Docx) => DocumentReading {
            text: docx_text(bytes)?,
            read_as: "Word".into(),
            ..DocumentReading::default()
        },
        Some(Format::Pdf) => {
            let pdf = pdf_reading(bytes)?;
            DocumentReading {
                text: pdf.text,
                read_as: "PDF".into(),
                headlines: pdf.headlines,
                ..DocumentReading::default()
            }
        }
        Some(Format::Html) => {
            let declared = input
                .charset
                .as_deref()
                .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()));
            let html = match declared {
                Some(encoding) if encoding != encoding_rs::UTF_8 => {
                    encoding.decode_with_bom_removal(bytes).0.into_owned()
                }
                _ => decode_html(bytes),
            };
            if html::nesting_depth(&html, html::MAX_HTML_DEPTH) > html::MAX_HTML_DEPTH {
                return Err(DocumentError::TooLarge(Oversize::Nesting {
                    limit: html::MAX_HTML_DEPTH,
                })
                .into());
            }
            let page = html_text(&html);
            let headlines = page
                .title
                .iter()
                .map(|t| HeadlineCandidate {
                    text: strip_site(t).to_string(),
                    size: 1.5,
                })
                .collect();
            DocumentReading {
                text: with_title(page),
                read_as: "HTML".into(),
                headlines,
                ..DocumentReading::default()
            }
        }
        None => {
            let decoded = crate::page::encoding::decode(bytes)?;
            DocumentReading {
                text: decoded.text,
                read_as: decoded.encoding.to_string(),
                ..DocumentReading::default()
            }
        }
    };
    language::check(&reading.text)?;
    reading.dates = dates::dates_seen(&reading.text, &reading.headlines);
    Ok(reading)
}

/// The text of a file: a Word file, a saved web page (its main article) or
/// a PDF (its text layer), known by its contents first and its name second;
/// anything else is text in UTF-8, UTF-16 or GBK/GB18030. Read in this
/// process: see [`read_document`].
pub fn page_text(file_name: &str, bytes: &[u8]) -> Result<DocumentReading, Unreadable> {
    read_document(&DocumentInput::file(file_name), bytes)
}

/// The text of a page fetched from a link: like [`page_text`], with the
/// server's content type deciding an HTML page its address does not name
/// (`https://…/news/123`) and its charset decoding it.
pub fn fetched_text(
    file_name: &str,
    content_type: Option<&str>,
    charset: Option<&str>,
    bytes: &[u8],
) -> Result<DocumentReading, Unreadable> {
    read_document(
        &DocumentInput::fetched(file_name, content_type, charset),
        bytes,
    )
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b, 0x08])
}

/// Unpacks a gzip body, refusing one that grows past the size or ratio
/// limit (a gzip bomb).
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    let limit = MAX_UNPACKED_BYTES.min((bytes.len() as u64).saturating_mul(MAX_UNPACK_RATIO));
    let mut out = Vec::new();
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes).take(limit + 1);
    std::io::Read::read_to_end(&mut decoder, &mut out)
        .map_err(|e| DocumentError::Invalid(format!("gzip body: {e}")))?;
    if out.len() as u64 > limit {
        return Err(DocumentError::TooLarge(Oversize::Unpacked {
            limit_mb: (limit >> 20).max(1),
        })
        .into());
    }
    if is_gzip(&out) {
        return Err(DocumentError::Invalid("gzip inside gzip".into()).into());
    }
    Ok(out)
}

fn strip_site(title: &str) -> &str {
    title
        .split(['_', '|', '｜', '－'])
        .next()
        .unwrap_or(title)
        .split(" - ")
        .next()
        .unwrap_or(title)
        .trim()
}

/// A web page's article, with its `<title>` (its part before the site's
/// name: `标题_某某网`) first when the article's first line is prose, not a
/// headline.
fn with_title(page: HtmlText) -> String {
    let first = page.text.lines().next().unwrap_or("");
    let first_is_prose = first.contains('。') || first.chars().count() > 64;
    let title = page.title.as_deref().map(strip_site);
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
