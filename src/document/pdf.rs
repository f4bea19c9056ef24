//! PDF: the text layer, read with `pdf-extract` (which uses `lopdf` and the
//! fonts' ToUnicode maps), then laid out again: glyphs into lines by their
//! baselines, lines into paragraphs by indentation, line fill, spacing and
//! font size.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{
    Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform,
};
use unicode_normalization::UnicodeNormalization;

use super::text::{is_cjk_context, is_space};
use super::{DocumentError, HeadlineCandidate, Oversize};

/// Deepest nesting of form XObjects we let the interpreter follow; deeper
/// (or cyclic) pages are skipped instead of overflowing the stack.
const MAX_FORM_DEPTH: usize = 24;

/// Extracts the text layer of a PDF as paragraphs, one per line.
///
/// Glyphs are decoded with the fonts' encodings and ToUnicode maps (so CJK
/// text set in embedded Type0/Identity-H fonts comes out as the right
/// characters; Kangxi radicals and compatibility ideographs that some
/// generators map to are folded into the ordinary ideographs). Glyphs are
/// grouped into lines in content-stream order; a line continues the previous
/// one's paragraph when it follows at the usual line spacing, is not
/// indented, and the previous line ran to the right edge of its column.
/// Wrapped CJK lines are joined without a space, Latin ones with a space
/// (a hyphen at a line end before a lowercase letter is removed). Page numbers
/// in the top or bottom margin ("- 3 -", "第3页", "3/10") are dropped; a
/// paragraph that runs over a page break is joined.
///
/// Pages the interpreter cannot read (broken content) are skipped if others
/// can be read.
///
/// # Errors
/// [`DocumentError::Empty`] for no bytes; [`DocumentError::Invalid`] when the
/// file cannot be parsed, has no pages, or no page could be read;
/// [`DocumentError::Encrypted`] when it needs a password;
/// [`DocumentError::NoTextLayer`] when it has pages but no extractable text
/// (a scan, or glyphs without any Unicode mapping).
pub fn pdf_text(bytes: &[u8]) -> Result<String, DocumentError> {
    pdf_reading(bytes).map(|reading| reading.text)
}

/// A PDF's text and the lines its largest type sets on its first page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfReading {
    /// The paragraphs, one per line (as [`pdf_text`] gives them).
    pub text: String,
    /// Paragraphs near the top of the first page set in type at least a
    /// fifth larger than the body's, largest first, wrapped lines rejoined.
    pub headlines: Vec<HeadlineCandidate>,
}

/// Reads a PDF like [`pdf_text`], with its headline candidates.
///
/// # Errors
/// As [`pdf_text`], and [`DocumentError::TooLarge`] for more than
/// 500 pages, a compressed stream or a page's content that
/// unpacks to more than its limit, or more text than a push holds.
pub fn pdf_reading(bytes: &[u8]) -> Result<PdfReading, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result,
        Err(_) => Err(invalid("the PDF parser failed on it")),
    }
}

/// Most pages read: far more than any article, far fewer than a hostile
/// file lists.
pub const MAX_PAGES: usize = 500;
/// Most bytes one compressed stream may unpack to.
const MAX_STREAM_UNPACKED: u64 = 64 << 20;
/// Most bytes all streams together may unpack to.
const MAX_UNPACKED: u64 = 256 << 20;
/// Most content one page may draw, counting a stream listed twice twice.
const MAX_PAGE_CONTENT: u64 = 32 << 20;
/// Most glyphs read in all: about 16 MB of text.
const MAX_GLYPHS: usize = 4_000_000;

fn invalid(reason: impl std::fmt::Display) -> DocumentError {
    DocumentError::Invalid(format!("PDF file: {reason}"))
}

fn too_large(what: Oversize) -> DocumentError {
    DocumentError::TooLarge(what)
}

fn extract(bytes: &[u8]) -> Result<PdfReading, DocumentError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| match e {
        pdf_extract::Error::InvalidPassword | pdf_extract::Error::Decryption(_) => {
            DocumentError::Encrypted
        }
        other => invalid(other),
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(DocumentError::Encrypted);
    }
    // The page list, built once (lopdf's walk is bounded by the number of
    // objects); pdf-extract's own per-page call rebuilds it for every page.
    let pages: Vec<ObjectId> = doc.page_iter().take(MAX_PAGES + 1).collect();
    if pages.is_empty() {
        return Err(invalid("it has no pages"));
    }
    if pages.len() > MAX_PAGES {
        return Err(too_large(Oversize::Pages {
            count: doc.page_iter().count(),
            limit: MAX_PAGES,
        }));
    }
    blank_images(&mut doc);
    unpack_streams(&mut doc)?;
    settle_inheritance(&mut doc, &pages);
    // pdf-extract reads page N of the catalog's page tree: point the tree at
    // a one-page node and put each page in it in turn, so each call costs
    // one page, whatever the document's tree looks like.
    let one_page = doc.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Pages".to_vec())),
        ("Kids", Object::Array(Vec::new())),
        ("Count", Object::Integer(1)),
    ]));
    doc.catalog_mut()
        .map_err(|_| invalid("it has no catalog"))?
        .set("Pages", Object::Reference(one_page));

    let mut collector = Collector::default();
    let mut failed = 0usize;
    for &page_id in &pages {
        if page_content_bytes(&doc, page_id) > MAX_PAGE_CONTENT {
            return Err(too_large(Oversize::Unpacked {
                limit_mb: MAX_PAGE_CONTENT >> 20,
            }));
        }
        if !forms_are_shallow(&doc, page_id) {
            failed += 1;
            continue;
        }
        if let Ok(Object::Dictionary(node)) = doc.get_object_mut(one_page) {
            node.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
        }
        let run = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&doc, &mut collector, 1)
        }));
        if !matches!(run, Ok(Ok(()))) {
            failed += 1;
        }
        collector.finish_page();
        if collector.glyph_count > MAX_GLYPHS {
            return Err(too_large(Oversize::Text {
                limit_mb: ((MAX_GLYPHS * 4) >> 20) as u64,
            }));
        }
    }
    let has_text = collector
        .pages
        .iter()
        .any(|p| p.glyphs.iter().any(|g| !g.text.chars().all(is_space)));
    if !has_text {
        return Err(
            if failed == pages.len() || (failed > 0 && collector.glyph_count == 0) {
                invalid("no page could be read")
            } else {
                DocumentError::NoTextLayer
            },
        );
    }
    let laid_out = layout(&collector.pages);
    Ok(PdfReading {
        text: laid_out.lines.join("\n"),
        headlines: laid_out.headlines,
    })
}

/// Unpacks every Flate-compressed stream once, up to the limits: a stream
/// that unpacks past [`MAX_STREAM_UNPACKED`], or all of them past
/// [`MAX_UNPACKED`], is a bomb. Streams without predictors are replaced by
/// their unpacked bytes, so the interpreter does not unpack them again.
fn unpack_streams(doc: &mut Document) -> Result<(), DocumentError> {
    let mut total = 0u64;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let flate_only = match stream.dict.get(b"Filter") {
            Ok(Object::Name(name)) => name == b"FlateDecode",
            Ok(Object::Array(filters)) => {
                filters.len() == 1 && filters[0].as_name().is_ok_and(|n| n == b"FlateDecode")
            }
            _ => false,
        };
        if !flate_only {
            continue;
        }
        let mut unpacked = Vec::new();
        let read = flate2::read::ZlibDecoder::new(stream.content.as_slice())
            .take(MAX_STREAM_UNPACKED + 1)
            .read_to_end(&mut unpacked);
        if unpacked.len() as u64 > MAX_STREAM_UNPACKED {
            return Err(too_large(Oversize::Unpacked {
                limit_mb: MAX_STREAM_UNPACKED >> 20,
            }));
        }
        total += unpacked.len() as u64;
        if total > MAX_UNPACKED {
            return Err(too_large(Oversize::Unpacked {
                limit_mb: MAX_UNPACKED >> 20,
            }));
        }
        if read.is_ok() && !stream.dict.has(b"DecodeParms") {
            stream.dict.remove(b"Filter");
            stream.set_content(unpacked);
        }
    }
    Ok(())
}

/// Bytes of content a page draws, each listed stream counted as often as
/// it is listed (a page may list one stream 200,000 times).
fn page_content_bytes(doc: &Document, page_id: ObjectId) -> u64 {
    doc.get_page_contents(page_id)
        .iter()
        .filter_map(|id| doc.get_object(*id).ok())
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.content.len() as u64 + 1)
        .sum()
}

/// Copies each page's inherited resources and media box onto the page and
/// cuts it from its parent: the interpreter follows `Parent` links without
/// end when a page is its own parent (a loop that spins forever).
fn settle_inheritance(doc: &mut Document, pages: &[ObjectId]) {
    for &page_id in pages {
        let mut inherited: Vec<(&[u8], Object)> = Vec::new();
        for key in [b"Resources".as_slice(), b"MediaBox", b"CropBox", b"Rotate"] {
            if let Some(value) = inherited_value(doc, page_id, key) {
                inherited.push((key, value));
            }
        }
        if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page_id) {
            for (key, value) in inherited {
                page.set(key.to_vec(), value);
            }
            if !page.has(b"MediaBox") {
                // A4, for a page that says nothing of its size.
                page.set(
                    "MediaBox",
                    Object::Array(
                        [0.0f32, 0.0, 595.0, 842.0]
                            .into_iter()
                            .map(Object::Real)
                            .collect(),
                    ),
                );
            }
            page.remove(b"Parent");
        }
    }
}

/// A page attribute from the page or its nearest ancestor that has it,
/// following at most 64 parents and none twice.
fn inherited_value(doc: &Document, page_id: ObjectId, key: &[u8]) -> Option<Object> {
    let mut seen = HashSet::new();
    let mut id = page_id;
    for _ in 0..64 {
        if !seen.insert(id) {
            return None;
        }
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(value) = dict.get(key) {
            return Some(value.clone());
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// Image data is never text; emptying image streams saves memory and keeps
/// the interpreter from trying to read them as content when they are drawn.
fn blank_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            let is_image = stream
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Image");
            if is_image {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.set_content(Vec::new());
            }
        }
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut dict = doc.get_dictionary(page_id).ok()?;
    for _ in 0..32 {
        if let Ok(r) = dict.get(b"Resources") {
            return deref(doc, r)?.as_dict().ok();
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Checks that the form XObjects a page draws neither nest too deep nor
/// refer to themselves (which would recurse without end in the interpreter).
fn forms_are_shallow(doc: &Document, page_id: ObjectId) -> bool {
    let Ok(content) = doc.get_page_content(page_id) else {
        return true;
    };
    if !content.windows(2).any(|w| w == b"Do") {
        return true;
    }
    let resources = page_resources(doc, page_id);
    let mut heights = HashMap::new();
    let mut path = HashSet::new();
    form_height(doc, &content, resources, &mut heights, &mut path)
        .is_some_and(|h| h <= MAX_FORM_DEPTH)
}

/// Height of the tree of forms drawn by `content`; `None` for a cycle.
fn form_height(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    heights: &mut HashMap<ObjectId, usize>,
    path: &mut HashSet<ObjectId>,
) -> Option<usize> {
    if path.len() > MAX_FORM_DEPTH {
        return None;
    }
    let Ok(ops) = pdf_extract::content::Content::decode(content) else {
        return Some(0);
    };
    let xobjects = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| deref(doc, x))
        .and_then(|x| x.as_dict().ok());
    let mut height = 0;
    for op in ops.operations.iter().filter(|op| op.operator == "Do") {
        let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
            continue;
        };
        let Some(Ok(id)) = xobjects
            .and_then(|x| x.get(name).ok())
            .map(Object::as_reference)
        else {
            continue;
        };
        if path.contains(&id) {
            return None;
        }
        let h = match heights.get(&id) {
            Some(&h) => h,
            None => {
                let Ok(Object::Stream(form)) = doc.get_object(id) else {
                    continue;
                };
                if !form
                    .dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|n| n == b"Form")
                {
                    continue;
                }
                let inner = form
                    .decompressed_content()
                    .unwrap_or_else(|_| form.content.clone());
                let own = form
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| deref(doc, r))
                    .and_then(|r| r.as_dict().ok());
                path.insert(id);
                let h = 1 + form_height(doc, &inner, own.or(resources), heights, path)?;
                path.remove(&id);
                heights.insert(id, h);
                h
            }
        };
        height = height.max(h);
    }
    Some(height)
}

// ---------------------------------------------------------------------------
// Collecting glyphs

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    size: f64,
    adv: f64,
    text: String,
}

#[derive(Default)]
struct Page {
    glyphs: Vec<Glyph>,
    /// Lower and upper y of the page (media box).
    bottom: f64,
    top: f64,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    current: Option<Page>,
    glyph_count: usize,
}

impl Collector {
    fn finish_page(&mut self) {
        if let Some(page) = self.current.take() {
            self.pages.push(page);
        }
    }
}

/// Folds the Kangxi radicals, CJK compatibility ideographs and Latin
/// ligatures some PDF generators map glyphs to into ordinary characters.
fn fold(s: &str) -> String {
    if s.chars().any(|c| matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0xFB00..=0xFB06 | 0x2F800..=0x2FA1F)) {
        s.chars()
            .flat_map(|c| {
                if matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0xFB00..=0xFB06 | 0x2F800..=0x2FA1F) {
                    c.to_string().nfkc().collect::<Vec<char>>()
                } else {
                    vec![c]
                }
            })
            .collect()
    } else {
        s.to_owned()
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.finish_page();
        self.current = Some(Page {
            glyphs: Vec::new(),
            bottom: media_box.lly.min(media_box.ury),
            top: media_box.lly.max(media_box.ury),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_page();
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let Some(page) = self.current.as_mut() else {
            return Ok(());
        };
        self.glyph_count += 1;
        if self.glyph_count > MAX_GLYPHS {
            // Stop this page: the caller refuses the document.
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size.abs() * scale).max(0.1);
        let adv = width * size;
        let (x, y) = (trm.m31, trm.m32);
        if !(x.is_finite() && y.is_finite() && size.is_finite() && adv.is_finite())
            || char.is_empty()
        {
            return Ok(());
        }
        let text = fold(char);
        // Simulated bold: the same glyph drawn again a hair's breadth away.
        if let Some(last) = page.glyphs.last()
            && last.text == text
            && (last.x - x).abs() < 0.15 * size
            && (last.y - y).abs() < 0.15 * size
            && !text.chars().all(is_space)
        {
            return Ok(());
        }
        page.glyphs.push(Glyph {
            x,
            y,
            size,
            adv,
            text,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Layout

#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Glyphs to lines, in stream order.
fn lines_of(page: &Page) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut cur: Option<Line> = None;
    let mut pending_space = false;
    let mut last_char: Option<char> = None;
    for g in &page.glyphs {
        let blank = g.text.chars().all(is_space);
        if let Some(line) = cur.as_mut() {
            let size = line.size.max(g.size);
            let same_baseline = (g.y - line.y).abs() <= 0.5 * size;
            let backwards = g.x < line.x1 - 1.5 * size;
            if !same_baseline || backwards {
                lines.push(cur.take().expect("current line"));
                pending_space = false;
                last_char = None;
            }
        }
        if blank {
            if cur.is_some() {
                pending_space = true;
            }
            continue;
        }
        let Some(first) = g.text.chars().next() else {
            continue;
        };
        match cur.as_mut() {
            None => {
                cur = Some(Line {
                    x0: g.x,
                    x1: g.x + g.adv,
                    y: g.y,
                    size: g.size,
                    text: g.text.clone(),
                });
            }
            Some(line) => {
                let gap = g.x - line.x1;
                let cjk_pair = last_char.is_some_and(is_cjk_context) && is_cjk_context(first);
                let threshold = if cjk_pair { 0.8 } else { 0.2 } * line.size.max(g.size);
                if gap > CELL_GAP * line.size.max(g.size) {
                    // Columns of a table: two spaces keep the cells apart
                    // for the paste reader's table rows.
                    let trimmed = line.text.trim_end().len();
                    line.text.truncate(trimmed);
                    line.text.push_str("  ");
                } else if (pending_space || gap > threshold) && !line.text.ends_with(' ') {
                    line.text.push(' ');
                }
                line.text.push_str(&g.text);
                line.x1 = line.x1.max(g.x + g.adv);
                line.size = line.size.max(g.size);
            }
        }
        pending_space = false;
        last_char = g.text.chars().last();
    }
    if let Some(line) = cur {
        lines.push(line);
    }
    let height = (page.top - page.bottom).max(1.0);
    lines
        .into_iter()
        .map(|mut l| {
            l.text = l.text.trim().to_owned();
            l
        })
        .filter(|l| !l.text.is_empty())
        .filter(|l| {
            let in_margin = l.y < page.bottom + 0.12 * height || l.y > page.top - 0.08 * height;
            !(in_margin && is_page_number(&l.text))
        })
        .collect()
}

/// "3", "- 3 -", "—3—", "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10".
fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !is_space(*c)).collect();
    let t = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '·' | '•'));
    if t.is_empty() {
        return false;
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.len() <= 4;
    }
    if let Some((a, b)) = t.split_once('/') {
        return !a.is_empty()
            && !b.is_empty()
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit());
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("page") {
        let rest = rest.replace("of", "");
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit());
    }
    if let Some(rest) = t.strip_prefix('第') {
        let rest = rest.replace(['页', '共', '第'], "");
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit());
    }
    false
}

struct Para {
    text: String,
    first: Line,
    last: Line,
}

struct PageParas {
    paras: Vec<Para>,
    /// Edges of the text column of the first and last line.
    first_indented: bool,
    last_full: bool,
}

fn overlaps(a: &Line, b: &Line) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1
}

fn join_into(text: &mut String, next: &str) {
    let last = text.chars().last();
    let first = next.chars().next();
    // A number a CJK line broke in two (「20」 / 「0余家」) is one number.
    let number_in_cjk = last.is_some_and(|l| l.is_ascii_digit())
        && first.is_some_and(|f| f.is_ascii_digit())
        && text.chars().any(is_cjk_context);
    match (last, first) {
        _ if number_in_cjk => text.push_str(next),
        (Some(l), Some(f)) if is_cjk_context(l) || is_cjk_context(f) => text.push_str(next),
        (Some('-'), Some(f))
            if f.is_lowercase() && text.chars().rev().nth(1).is_some_and(char::is_alphabetic) =>
        {
            text.pop();
            text.push_str(next);
        }
        _ => {
            text.push(' ');
            text.push_str(next);
        }
    }
}

fn paragraphs_of(lines: Vec<Line>, body_size: f64) -> PageParas {
    let n = lines.len();
    // The column edges seen by each line: the extremes of the lines sharing
    // its horizontal extent.
    let mut left = vec![f64::MAX; n];
    let mut right = vec![f64::MIN; n];
    // Quadratic in the lines of a page; a page of more lines than any
    // real one (a hostile file) gets the page's edges instead.
    let pairs = if n <= MAX_LINES_COMPARED { n } else { 0 };
    if pairs == 0 {
        let (l, r) = lines.iter().fold((f64::MAX, f64::MIN), |(l, r), line| {
            (l.min(line.x0), r.max(line.x1))
        });
        left.fill(l);
        right.fill(r);
    }
    for i in 0..pairs {
        for j in 0..pairs {
            if overlaps(&lines[i], &lines[j])
                && (lines[i].size - lines[j].size).abs() <= 0.1 * lines[i].size.max(lines[j].size)
            {
                left[i] = left[i].min(lines[j].x0);
                right[i] = right[i].max(lines[j].x1);
            }
        }
    }
    // Full: it ran to the column's right edge. A CJK line that stops short
    // of it by up to three characters, in the middle of a sentence, ran
    // full too: the next character (or a word in Latin type) did not fit.
    let full = |i: usize| {
        let line = &lines[i];
        line.x1 >= right[i] - 1.6 * line.size
            || (line.x1 >= right[i] - 3.2 * line.size
                && line.text.chars().any(is_cjk_context)
                && !ends_sentence(&line.text))
    };
    let indented = |i: usize| lines[i].x0 > left[i] + 0.8 * lines[i].size;
    // Usual distance between consecutive baselines.
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .filter(|w| overlaps(&w[0], &w[1]))
        .map(|w| (w[0].y - w[1].y) / w[0].size)
        .filter(|g| *g > 0.5 && *g < 3.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let usual = gaps.get(gaps.len() / 2).copied().unwrap_or(1.5);

    let mut paras: Vec<Para> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let continues = i > 0 && {
            let prev = &lines[i - 1];
            let dy = (prev.y - line.y) / prev.size;
            let same_size = (prev.size - line.size).abs() <= 0.15 * prev.size.max(line.size);
            // The same column: a last line as short as the indent above it
            // (「手中」 under a line indented two characters) still is.
            let same_column = line.x0 < prev.x1 && prev.x0 <= line.x1 + 2.0 * prev.size;
            // A table's row (cells apart on one baseline) stands alone.
            let in_table = prev.text.contains("  ") || line.text.contains("  ");
            let body_line = !in_table
                && dy > 0.5
                && dy <= usual * 1.25 + 0.1
                && same_size
                && same_column
                && full(i - 1)
                && !indented(i);
            // A headline wrapped over two or three lines: large type,
            // centred or not, set close together.
            let headline_line = same_size
                && is_headline_size(prev.size, body_size)
                && dy > 0.5
                && dy <= 1.9
                && overlaps(prev, line)
                && !prev.text.ends_with('。');
            body_line || headline_line
        };
        match paras.last_mut() {
            Some(p) if continues => {
                join_into(&mut p.text, &line.text);
                p.last = line.clone();
            }
            _ => paras.push(Para {
                text: line.text.clone(),
                first: line.clone(),
                last: line.clone(),
            }),
        }
    }
    PageParas {
        paras,
        first_indented: n > 0 && indented(0),
        last_full: n > 0 && full(n - 1),
    }
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with([
        '。', '！', '？', '：', '；', '”', '…', '.', '!', '?', ':', ')', '）', '」', '』',
    ])
}

/// A gap on one baseline this many ems wide separates a table's cells.
const CELL_GAP: f64 = 1.8;

/// Type this much larger than the body's sets a headline.
const HEADLINE_SCALE: f64 = 1.2;
/// Lines of a page compared pairwise for column edges.
const MAX_LINES_COMPARED: usize = 2_000;

fn is_headline_size(size: f64, body_size: f64) -> bool {
    size >= HEADLINE_SCALE * body_size
}

/// The body's type size: the size most characters are set in.
fn body_size(pages: &[Page]) -> f64 {
    let mut by_size: HashMap<i64, usize> = HashMap::new();
    for g in pages.iter().flat_map(|p| &p.glyphs) {
        *by_size.entry((g.size * 4.0).round() as i64).or_default() += 1;
    }
    by_size
        .into_iter()
        .max_by_key(|&(size, count)| (count, -size))
        .map_or(10.0, |(size, _)| size as f64 / 4.0)
}

/// Paragraphs, and the headline candidates of the first page with text.
struct Laid {
    lines: Vec<String>,
    headlines: Vec<HeadlineCandidate>,
}

fn layout(pages: &[Page]) -> Laid {
    let body = body_size(pages);
    let mut out: Vec<Para> = Vec::new();
    let mut headlines: Vec<HeadlineCandidate> = Vec::new();
    let mut prev_last_full = false;
    for page in pages {
        let lines = lines_of(page);
        if lines.is_empty() {
            continue;
        }
        let pp = paragraphs_of(lines, body);
        if out.is_empty() {
            headlines = pp
                .paras
                .iter()
                .take(6)
                .filter(|p| is_headline_size(p.first.size, body))
                .map(|p| HeadlineCandidate {
                    text: p.text.trim_matches(is_space).to_owned(),
                    size: (p.first.size / body) as f32,
                })
                .filter(|h| !h.text.is_empty())
                .collect();
            headlines.sort_by(|a, b| b.size.total_cmp(&a.size));
        }
        let mut paras = pp.paras.into_iter();
        if let Some(first) = paras.next() {
            match out.last_mut() {
                Some(last)
                    if prev_last_full
                        && !pp.first_indented
                        && (last.last.size - first.first.size).abs()
                            <= 0.15 * last.last.size.max(first.first.size)
                        && !ends_sentence(&last.text) =>
                {
                    // The paragraph runs over the page break.
                    join_into(&mut last.text, &first.text);
                    last.last = first.last;
                }
                _ => out.push(first),
            }
        }
        out.extend(paras);
        prev_last_full = pp.last_full;
    }
    let lines = out
        .into_iter()
        .map(|p| p.text.trim_matches(is_space).to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    Laid { lines, headlines }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x0: f64, x1: f64, y: f64, text: &str) -> Line {
        Line {
            x0,
            x1,
            y,
            size: 12.0,
            text: text.to_owned(),
        }
    }

    #[test]
    fn joins_wrapped_lines() {
        let lines = vec![
            line(100.0, 300.0, 800.0, "标题"),
            line(72.0, 500.0, 770.0, "第一段第一行，"),
            line(48.0, 500.0, 752.0, "第一段第二行，"),
            line(48.0, 200.0, 734.0, "第一段完。"),
            line(72.0, 500.0, 716.0, "Second paragraph is Eng-"),
            line(48.0, 300.0, 698.0, "lish text."),
        ];
        let pp = paragraphs_of(lines, 12.0);
        let texts: Vec<&str> = pp.paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "标题",
                "第一段第一行，第一段第二行，第一段完。",
                "Second paragraph is English text."
            ]
        );
    }

    #[test]
    fn a_headline_wrapped_over_two_lines_is_one_line() {
        let big = |x0: f64, x1: f64, y: f64, text: &str| Line {
            size: 22.0,
            ..line(x0, x1, y, text)
        };
        let lines = vec![
            big(80.0, 520.0, 800.0, "江汉区总工会开展“送清凉”活动，"),
            big(190.0, 410.0, 772.0, "把关爱送到一线"),
            line(72.0, 500.0, 740.0, "7月17日上午，区总工会走进工地。"),
        ];
        let texts: Vec<String> = paragraphs_of(lines, 12.0)
            .paras
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            texts,
            [
                "江汉区总工会开展“送清凉”活动，把关爱送到一线",
                "7月17日上午，区总工会走进工地。"
            ]
        );
    }

    #[test]
    fn a_last_line_as_short_as_the_indent_above_it_continues_the_paragraph() {
        let lines = vec![
            line(100.0, 504.6, 726.0, "首批物资送到3000余名一线职工"),
            line(72.0, 100.0, 703.6, "手中"),
            line(100.0, 248.6, 675.6, "2025-07-09 10:05:27"),
            line(
                100.0,
                520.0,
                653.2,
                "7月8日，昆明市总工会启动活动，为一线职工送去物资，",
            ),
            line(72.0, 300.0, 630.8, "活动持续一个月。"),
        ];
        let texts: Vec<String> = paragraphs_of(lines, 12.0)
            .paras
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts[0], "首批物资送到3000余名一线职工手中");
        assert_eq!(texts.len(), 3, "{texts:?}");
    }

    #[test]
    fn page_numbers() {
        for s in [
            "3",
            "- 3 -",
            "—12—",
            "第 3 页",
            "第3页 共10页",
            "3/10",
            "Page 3 of 10",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2024年", "第三章", "12345", "页"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn folds_radicals() {
        assert_eq!(fold("⽂件"), "文件");
        assert_eq!(fold("ﬁle"), "file");
        assert_eq!(fold("，。"), "，。");
    }
}
