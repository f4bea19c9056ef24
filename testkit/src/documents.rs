//! Documents the way admins have them, written by the tests: a Word file,
//! a saved web page and a PDF with Chinese text, made from lines of text.
//!
//! The PDFs embed Droid Sans Fallback (Debian's `fonts-droid-fallback`) for
//! Chinese and DejaVu Sans (`fonts-dejavu-core`) for Latin letters and
//! digits, two fonts on one line as Word's PDF export has them; printpdf
//! writes each as a Type0/Identity-H font with a ToUnicode map.

use std::io::Write;
use std::path::{Path, PathBuf};

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use printpdf::{
    FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem,
};

/// The Chinese font the PDFs embed.
pub const CJK_FONT: &str = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
/// The Latin font the PDFs embed.
pub const LATIN_FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
/// A folder to take both fonts from instead, by their file names: set it to
/// an empty folder to try the tests as a machine without the fonts runs them.
pub const FONTS_DIR_ENV: &str = "UNION_NEWS_TEST_FONTS_DIR";

/// Where a font is read from: `default`, or its file in [`FONTS_DIR_ENV`].
fn font_path(default: &str) -> PathBuf {
    match std::env::var_os(FONTS_DIR_ENV) {
        Some(dir) => Path::new(&dir).join(Path::new(default).file_name().unwrap_or_default()),
        None => PathBuf::from(default),
    }
}

/// True when both fonts are there to be read (quietly: see [`fonts`]).
pub fn have_fonts() -> bool {
    font_path(CJK_FONT).is_file() && font_path(LATIN_FONT).is_file()
}

/// The two fonts' bytes, or `None` (with a loud note) when either is
/// missing; under `CI` a missing font is a failure (`.ci/run` installs them).
pub fn fonts() -> Option<(Vec<u8>, Vec<u8>)> {
    fonts_for("CJK PDF")
}

/// [`fonts`], saying what is skipped without them: `what` names it.
///
/// The note is written to the process's standard error itself, past the
/// test harness's capture, so that a passing run still shows what it left
/// out.
pub fn fonts_for(what: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let (cjk, latin) = (font_path(CJK_FONT), font_path(LATIN_FONT));
    match (std::fs::read(&cjk), std::fs::read(&latin)) {
        (Ok(c), Ok(l)) => Some((c, l)),
        _ => {
            let (cjk, latin) = (cjk.display(), latin.display());
            assert!(
                std::env::var_os("CI").is_none(),
                "{what} needs {cjk} (fonts-droid-fallback) and {latin} (fonts-dejavu-core), \
                 which .ci/run installs"
            );
            let _ = writeln!(
                std::io::stderr(),
                "!!! SKIPPING {what}: needs {cjk} (fonts-droid-fallback) and {latin} \
                 (fonts-dejavu-core); with CI set this fails"
            );
            None
        }
    }
}

/// A line of a paste laid out as a table's row: its cells, split at tabs
/// or at runs of two or more spaces (full-width ones too), but not at the
/// spaces that pad a field's key to width (`名　　称：`); `None` for fewer
/// than two cells.
fn row_cells(line: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = line.chars().collect();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut spaces = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\t' {
            cells.push(std::mem::take(&mut cell));
            spaces.clear();
        } else if c.is_whitespace() {
            spaces.push(c);
        } else {
            let padded_key = matches!(chars.get(i + 1), Some(':' | '：'));
            if spaces.chars().count() >= 2 && !padded_key {
                cells.push(std::mem::take(&mut cell));
            } else {
                cell.push_str(&spaces);
            }
            spaces.clear();
            cell.push(c);
        }
    }
    cells.push(cell);
    cells.retain(|c| !c.trim().is_empty());
    (cells.len() >= 2).then_some(cells)
}

/// A paste's lines as a document has them: paragraphs, and tables where two
/// or more lines in a row split into the same number of cells (a table
/// copied from a page, pasted with tabs or spaces between its cells).
enum Part<'a> {
    Paragraph(&'a str),
    Table(Vec<Vec<String>>),
}

fn parts<'a>(lines: &[&'a str]) -> Vec<Part<'a>> {
    let rows: Vec<Option<Vec<String>>> = lines.iter().map(|l| row_cells(l)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let width = rows[i].as_ref().map_or(0, Vec::len);
        let end = (i..lines.len())
            .find(|&j| rows[j].as_ref().map_or(0, Vec::len) != width)
            .unwrap_or(lines.len());
        if width >= 2 && end - i >= 2 {
            out.push(Part::Table(
                rows[i..end].iter().flatten().cloned().collect(),
            ));
            i = end;
        } else {
            out.push(Part::Paragraph(lines[i]));
            i += 1;
        }
    }
    out
}

/// A Word file with one paragraph per line, and a real table where lines
/// are a table's rows (cells split by tabs or runs of spaces).
pub fn docx(lines: &[&str]) -> Vec<u8> {
    let paragraph = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
    let mut doc = Docx::new();
    for part in parts(lines) {
        doc = match part {
            Part::Paragraph(line) => doc.add_paragraph(paragraph(line)),
            Part::Table(rows) => doc.add_table(Table::new(
                rows.iter()
                    .map(|row| {
                        TableRow::new(
                            row.iter()
                                .map(|cell| TableCell::new().add_paragraph(paragraph(cell)))
                                .collect(),
                        )
                    })
                    .collect(),
            )),
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).expect("a docx in memory");
    out.into_inner()
}

/// A saved page of a union's site: a header with the site's name and menu,
/// a breadcrumb, a sidebar of other headlines, the lines as the article's
/// paragraphs (the first as its `<h1>`; a table's rows, as [`docx`] finds
/// them, as a `<table>`), and a footer.
pub fn html_page(lines: &[&str]) -> String {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let (first, rest) = lines.split_first().map_or(("", &[][..]), |(f, r)| (*f, r));
    let mut html =
        String::from("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n");
    html.push_str(&format!("<title>{}_市总工会</title>\n", escape(first)));
    html.push_str(
        "<style>body{font-size:14px}</style><script>var _hmt=[];</script></head><body>\n",
    );
    html.push_str("<header><div class=\"logo\">市总工会</div><nav><a href=\"/\">首页</a> <a href=\"/news\">工会动态</a> <a href=\"/wq\">维权服务</a> <a href=\"/lm\">劳模风采</a></nav></header>\n");
    html.push_str("<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/news\">工会动态</a></div>\n");
    html.push_str("<div class=\"main\"><div class=\"content\">\n");
    html.push_str(&format!("<h1>{}</h1>\n", escape(first)));
    for part in parts(rest) {
        match part {
            Part::Paragraph(line) => html.push_str(&format!("<p>{}</p>\n", escape(line))),
            Part::Table(rows) => {
                html.push_str("<table border=\"1\">\n");
                for row in rows {
                    html.push_str("<tr>");
                    for cell in row {
                        html.push_str(&format!("<td>{}</td>", escape(&cell)));
                    }
                    html.push_str("</tr>\n");
                }
                html.push_str("</table>\n");
            }
        }
    }
    html.push_str("</div><aside><h3>热点新闻</h3><ul><li><a href=\"/n/1\">市总工会召开全委会议部署全年工作</a></li><li><a href=\"/n/2\">职工书屋建设推进会在我市召开</a></li><li><a href=\"/n/3\">全市职工篮球赛圆满落幕</a></li></ul></aside></div>\n");
    html.push_str("<footer><p>版权所有：市总工会 地址：人民路1号 电话：0000-1234567</p><p>粤ICP备12345678号</p></footer>\n</body></html>\n");
    html
}

/// A PDF of the lines: the first centred as the title, the others as
/// paragraphs, wrapped and flowing over pages; `None` without the fonts.
pub fn pdf(lines: &[&str]) -> Option<Vec<u8>> {
    let (cjk, latin) = fonts()?;
    let mut w = PdfWriter::new(&cjk, &latin);
    let (first, rest) = lines.split_first()?;
    // The title in large type, wrapped over two or three centred lines when
    // long, as Word sets a headline.
    w.centered_wrapped(22.0, first);
    for part in parts(rest) {
        match part {
            Part::Paragraph(line) => w.paragraph(14.0, line),
            Part::Table(rows) => w.table(12.0, &rows),
        }
    }
    Some(w.finish())
}

/// Characters set in the CJK font; everything else goes to the Latin one.
fn in_cjk_font(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF)
}

/// Rough advance of a character in em (for wrapping only).
fn em(c: char) -> f32 {
    if in_cjk_font(c) { 1.0 } else { 0.62 }
}

/// A PDF being written, page by page.
pub struct PdfWriter {
    doc: PdfDocument,
    cjk: FontId,
    latin: FontId,
    /// The pages finished so far.
    pub pages: Vec<PdfPage>,
    ops: Vec<Op>,
    /// Where the next line goes, in points from the bottom.
    pub y: f32,
}

/// Page width, points.
pub const PAGE_W: f32 = 595.0;
/// Left margin.
pub const LEFT: f32 = 72.0;
/// Right edge of the text.
pub const RIGHT: f32 = 523.0;
/// Top of the text.
pub const TOP: f32 = 770.0;
/// Bottom of the text.
pub const BOTTOM: f32 = 90.0;

impl PdfWriter {
    /// A writer embedding these two fonts.
    pub fn new(cjk: &[u8], latin: &[u8]) -> PdfWriter {
        let mut doc = PdfDocument::new("测试文档");
        let cjk =
            doc.add_font(&ParsedFont::from_bytes(cjk, 0, &mut Vec::new()).expect("parse CJK font"));
        let latin = doc.add_font(
            &ParsedFont::from_bytes(latin, 0, &mut Vec::new()).expect("parse Latin font"),
        );
        PdfWriter {
            doc,
            cjk,
            latin,
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
        }
    }

    /// One line of text at (x, y), switching fonts between CJK and Latin runs.
    /// One line of text at (x, y), switching fonts between CJK and Latin runs.
    pub fn line_at(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetTextCursor {
            pos: Point { x: Pt(x), y: Pt(y) },
        });
        let mut run = String::new();
        let mut run_cjk = None;
        let (cjk_font, latin_font) = (self.cjk.clone(), self.latin.clone());
        let flush = |ops: &mut Vec<Op>, run: &mut String, cjk: bool| {
            if run.is_empty() {
                return;
            }
            let font = if cjk {
                cjk_font.clone()
            } else {
                latin_font.clone()
            };
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(std::mem::take(run))],
            });
        };
        for c in text.chars() {
            let is = in_cjk_font(c);
            if run_cjk.is_some_and(|r| r != is) {
                flush(&mut self.ops, &mut run, run_cjk.unwrap());
            }
            run_cjk = Some(is);
            run.push(c);
        }
        if let Some(r) = run_cjk {
            flush(&mut self.ops, &mut run, r);
        }
        self.ops.push(Op::EndTextSection);
    }

    /// Ends the page (with its number in the margin).
    pub fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        // Page number in the bottom margin, to be dropped by the extractor.
        self.line_at(PAGE_W / 2.0 - 15.0, 40.0, 10.0, &format!("- {number} -"));
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
        self.y = TOP;
    }

    /// A centred line.
    pub fn centered(&mut self, size: f32, text: &str) {
        let width: f32 = text.chars().map(em).sum::<f32>() * size;
        let x = LEFT + ((RIGHT - LEFT) - width).max(0.0) / 2.0;
        let y = self.y;
        self.line_at(x, y, size, text);
        self.y -= size * 2.0;
    }

    /// A centred title, wrapped to the column at `size`, its lines close
    /// together.
    pub fn centered_wrapped(&mut self, size: f32, text: &str) {
        let mut lines: Vec<String> = vec![String::new()];
        let mut width = 0.0;
        for c in text.chars() {
            let w = em(c) * size;
            if width + w > RIGHT - LEFT {
                lines.push(String::new());
                width = 0.0;
            }
            lines.last_mut().expect("a line").push(c);
            width += w;
        }
        for line in &lines {
            let line_width: f32 = line.chars().map(em).sum::<f32>() * size;
            let x = LEFT + ((RIGHT - LEFT) - line_width).max(0.0) / 2.0;
            let y = self.y;
            self.line_at(x, y, size, line);
            self.y -= size * 1.3;
        }
        self.y -= size * 0.7;
    }

    /// A table: each row on one baseline, its cells in columns of equal
    /// width (a cell too long for its column runs on, as a cramped table's
    /// does), the rows a line apart.
    pub fn table(&mut self, size: f32, rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let width = (RIGHT - LEFT) / columns as f32;
        for row in rows {
            if self.y < BOTTOM {
                self.new_page();
            }
            let y = self.y;
            for (k, cell) in row.iter().enumerate() {
                self.line_at(LEFT + k as f32 * width, y, size, cell.trim());
            }
            self.y -= size * 1.8;
        }
        self.y -= size * 0.6;
    }

    /// A paragraph wrapped to the column, first line indented two characters,
    /// flowing onto a new page when the column is full.
    pub fn paragraph(&mut self, size: f32, text: &str) {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut width = 2.0 * size; // indent
        for c in text.chars() {
            let w = em(c) * size;
            if width + w > RIGHT - LEFT {
                lines.push(std::mem::take(&mut cur));
                width = 0.0;
            }
            cur.push(c);
            width += w;
        }
        lines.push(cur);
        for (i, line) in lines.iter().enumerate() {
            if self.y < BOTTOM {
                self.new_page();
            }
            let x = if i == 0 { LEFT + 2.0 * size } else { LEFT };
            let y = self.y;
            self.line_at(x, y, size, line);
            self.y -= size * 1.6;
        }
        self.y -= size * 0.4;
    }

    /// The PDF's bytes.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.ops.is_empty() {
            self.new_page();
        }
        let mut warnings = Vec::new();
        self.doc
            .with_pages(self.pages)
            .save(&PdfSaveOptions::default(), &mut warnings)
    }
}
