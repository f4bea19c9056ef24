//! DOCX: the paragraphs of `word/document.xml`, read with `zip` + `quick-xml`.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::text::LineBuilder;
use super::{DocumentError, Oversize};

/// Largest main document part we decompress (a guard against zip bombs):
/// the XML of a 2 MB text is some tens of megabytes.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest element nesting read. Word nests a paragraph in a text box in a
/// table cell a few dozen levels deep at most; a hostile file nests
/// millions, and every level costs memory.
pub const MAX_XML_DEPTH: usize = 256;

/// Extracts the text of a `.docx` file: the paragraphs of the main document,
/// one per line, in document order.
///
/// Headings are paragraphs like any other; a table's row is one line, its
/// cells joined by ` | ` (a cell's paragraphs joined by a space, a table
/// nested in a cell flattened into it), and a row with a single cell gives
/// its paragraphs as lines (a page laid out in a one-column table is not one
/// line); text boxes' paragraphs are included (once, not their
/// fallback copies). Line breaks inside a paragraph (`<w:br/>`) start a new
/// line and tabs become a space. Deleted revisions, moved-from text, hidden
/// runs, field codes and ruby (phonetic) annotations are left out; inserted
/// revisions are kept. Headers, footers, footnotes and comments are not part
/// of the main document and are not read. Automatic list numbers (which Word
/// renders from `numbering.xml`) are not reproduced.
///
/// Empty paragraphs are skipped, so a document without text gives `Ok("")`.
///
/// # Errors
/// [`DocumentError::Empty`] for no bytes; [`DocumentError::Invalid`] when the
/// bytes are not a zip archive (or a truncated one), have no main document
/// part, or that part is not well-formed XML.
pub fn docx_text(bytes: &[u8]) -> Result<String, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    let xml = read_main_part(bytes)?;
    let lines = paragraphs(&xml)?;
    Ok(lines.join("\n"))
}

fn invalid(reason: impl std::fmt::Display) -> DocumentError {
    DocumentError::Invalid(format!("DOCX file: {reason}"))
}

fn read_main_part(bytes: &[u8]) -> Result<String, DocumentError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| invalid(format_args!("not a readable zip archive ({e})")))?;
    let name = if zip.index_for_name("word/document.xml").is_some() {
        "word/document.xml".to_owned()
    } else {
        main_part_from_rels(&mut zip).ok_or_else(|| invalid("no word/document.xml part"))?
    };
    let raw = read_entry(&mut zip, &name)?;
    // XML parts are UTF-8 (or, rarely, UTF-16 with a BOM).
    let (text, _, _) = encoding_rs::UTF_8.decode(&raw);
    Ok(text.into_owned())
}

fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<u8>, DocumentError> {
    let file = zip
        .by_name(name)
        .map_err(|e| invalid(format_args!("cannot open {name} ({e})")))?;
    let too_large = || {
        DocumentError::TooLarge(Oversize::Unpacked {
            limit_mb: MAX_PART_BYTES >> 20,
        })
    };
    if file.size() > MAX_PART_BYTES {
        return Err(too_large());
    }
    let mut raw = Vec::with_capacity(file.size() as usize);
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut raw)
        .map_err(|e| invalid(format_args!("cannot read {name} ({e})")))?;
    if raw.len() as u64 > MAX_PART_BYTES {
        return Err(too_large());
    }
    Ok(raw)
}

/// Finds the main part through `_rels/.rels` when it is not at the usual name.
fn main_part_from_rels(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let raw = read_entry(zip, "_rels/.rels").ok()?;
    let (text, _, _) = encoding_rs::UTF_8.decode(&raw);
    let mut reader = Reader::from_str(&text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    let target = target.trim_start_matches('/').to_owned();
                    return zip.index_for_name(&target).map(|_| target);
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Elements whose whole subtree carries no visible text of the document.
fn is_skipped(local: &str) -> bool {
    matches!(
        local,
        "Fallback"      // mc:Fallback repeats what mc:Choice shows
            | "del"     // deleted revision
            | "moveFrom"
            | "rt"      // ruby text (phonetic guide)
            | "instrText"
            | "delInstrText"
    )
}

/// A table being read: the cells of its open row so far, each a list of
/// its lines.
#[derive(Default)]
struct OpenTable {
    row: Vec<Vec<String>>,
}

/// Where finished lines go: the open table's cell, else the document.
#[derive(Default)]
struct Lines {
    out: Vec<String>,
    tables: Vec<OpenTable>,
}

impl Lines {
    /// Adds a finished line where it belongs: the innermost open cell (a
    /// nested table's row goes into the cell holding the table), else the
    /// document. Empty lines are dropped.
    fn push(&mut self, line: String) {
        if line.is_empty() {
            return;
        }
        match self.tables.iter_mut().rev().find_map(|t| t.row.last_mut()) {
            Some(cell) => cell.push(line),
            None => self.out.push(line),
        }
    }

    fn open(&mut self, local: &str) {
        match local {
            "tbl" => self.tables.push(OpenTable::default()),
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row.push(Vec::new());
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, local: &str) {
        match local {
            "tr" => {
                let Some(t) = self.tables.last_mut() else {
                    return;
                };
                let mut cells: Vec<Vec<String>> = std::mem::take(&mut t.row);
                cells.retain(|c| !c.is_empty());
                if let [cell] = cells.as_mut_slice() {
                    // One cell: its own lines, not one long line.
                    for line in std::mem::take(cell) {
                        self.push(line);
                    }
                } else if !cells.is_empty() {
                    let row: Vec<String> = cells.iter().map(|c| c.join(" ")).collect();
                    self.push(row.join(" | "));
                }
            }
            "tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }
}

fn paragraphs(xml: &str) -> Result<Vec<String>, DocumentError> {
    let mut reader = Reader::from_str(xml);
    let mut lines = Lines::default();
    // Open paragraphs; text boxes nest paragraphs inside paragraphs.
    let mut paras: Vec<LineBuilder> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut skip = 0usize;
    let mut in_text = false;
    let mut hidden_run = false;

    let parent_is_run = |stack: &Vec<String>| stack.last().is_some_and(|n| n == "r");
    loop {
        let event = reader
            .read_event()
            .map_err(|e| invalid(format_args!("broken XML in the document part ({e})")))?;
        match event {
            Event::Start(e) => {
                if stack.len() + skip >= MAX_XML_DEPTH {
                    return Err(DocumentError::TooLarge(Oversize::Nesting {
                        limit: MAX_XML_DEPTH,
                    }));
                }
                let local = e.local_name().as_ref().to_owned();
                if skip > 0 || is_skipped(&local) {
                    skip += 1;
                    continue;
                }
                lines.open(&local);
                match local.as_str() {
                    "p" => paras.push(LineBuilder::default()),
                    "t" => in_text = parent_is_run(&stack),
                    "r" => hidden_run = false,
                    _ => {}
                }
                stack.push(local);
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let local = e.local_name();
                let in_run = parent_is_run(&stack);
                match local.as_ref() {
                    "tab" | "ptab" if in_run => {
                        if let Some(p) = paras.last_mut() {
                            p.space();
                        }
                    }
                    "br" | "cr" if in_run => {
                        if let Some(p) = paras.last_mut() {
                            lines.push(p.take());
                        }
                    }
                    "noBreakHyphen" if in_run => {
                        if let Some(p) = paras.last_mut() {
                            p.push('-');
                        }
                    }
                    "vanish"
                        if stack.last().is_some_and(|n| n == "rPr")
                            && stack.len() >= 2
                            && stack[stack.len() - 2] == "r" =>
                    {
                        let off = attr(&e, "val")
                            .is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
                        hidden_run = !off;
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if skip == 0
                    && in_text
                    && !hidden_run
                    && let Some(p) = paras.last_mut()
                {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if skip == 0
                    && in_text
                    && !hidden_run
                    && let Some(p) = paras.last_mut()
                {
                    p.push_str(&t);
                }
            }
            Event::GeneralRef(r) if skip == 0 && in_text && !hidden_run => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                    Err(_) => None,
                };
                if let (Some(s), Some(p)) = (resolved, paras.last_mut()) {
                    p.push_str(&s);
                }
            }
            Event::End(_) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let Some(local) = stack.pop() else { continue };
                lines.close(&local);
                match local.as_str() {
                    "p" => {
                        if let Some(mut p) = paras.pop() {
                            lines.push(p.take());
                        }
                    }
                    "t" => in_text = false,
                    "r" => hidden_run = false,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.iter().any(|n| n == "body") {
        return Err(invalid("the document part ends early"));
    }
    Ok(lines.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn runs_tabs_breaks_revisions() {
        let xml = doc(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t>第一章</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">总则 &amp; 说明</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r>"#,
            r#"<w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:ins><w:r><w:t>加上的</w:t></w:r></w:ins></w:p>"#,
            r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>可见</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>7</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice>"#,
            r#"<mc:Fallback><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            r#"<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>"#,
        ));
        assert_eq!(
            paragraphs(&xml).unwrap(),
            vec![
                "第一章 总则 & 说明",
                "甲",
                "乙加上的",
                "可见",
                "7",
                "文本框"
            ]
        );
    }

    #[test]
    fn broken_xml_is_invalid() {
        let xml = doc("<w:p><w:r><w:t>半截</w:t></w:r>");
        assert!(matches!(
            paragraphs(&xml[..xml.len() - 30]),
            Err(DocumentError::Invalid(_))
        ));
    }
}
