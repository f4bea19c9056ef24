//! PDF text extraction. The CJK PDFs are generated here with `printpdf`,
//! embedding Droid Sans Fallback (Debian package `fonts-droid-fallback`) for
//! the Chinese characters and DejaVu Sans (`fonts-dejavu-core`) for Latin
//! letters and digits, which Droid Sans Fallback lacks — two fonts on one
//! line, as in PDFs exported from Word. printpdf writes each font as a
//! Type0/Identity-H font with a ToUnicode map.

use printpdf::{Mm, Op, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};
use union_news_bot::document::{DocumentError, Format, format_of, pdf_text};
use union_news_testkit::documents::{BOTTOM, PdfWriter, TOP, fonts};

const HEADLINE: &str = "市总工会召开2024年全市工会工作会议";
const META: &str = "发布日期：2024-03-06 来源：XX市总工会";
const PARAS: [&str; 4] = [
    "3月5日，XX市总工会召开2024年全市工会工作会议。会议以习近平新时代中国特色社会主义思想为指导，全面总结2023年全市工会工作，安排部署2024年重点任务。",
    "会议指出，一年来，全市各级工会组织团结动员广大职工建功新时代，扎实推进职工之家建设，全年新建基层工会组织326家，发展会员2.1万人，为困难职工发放帮扶资金1800余万元，职工群众的获得感、幸福感、安全感不断增强。",
    "会议强调，新的一年，要紧扣中心大局，深化劳动和技能竞赛，推进产业工人队伍建设改革；要维护职工合法权益，健全劳动关系协调机制，加强新就业形态劳动者权益保障；要服务职工群众，办好职工关心的实事，持续擦亮“工会帮扶”品牌；要加强自身建设，推进基层工会规范化建设，不断提升工会工作的质量和水平，以优异成绩迎接新中国成立75周年。",
    "会议还通报了2023年度工会工作考核结果，并为先进单位颁奖。The meeting was held in Hall A, Building 3.",
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn cjk_pdf(cjk: &[u8], latin: &[u8]) -> Vec<u8> {
    let mut w = PdfWriter::new(cjk, latin);
    w.y = TOP;
    w.centered(18.0, HEADLINE);
    w.centered(12.0, META);
    w.y -= 10.0;
    for p in PARAS {
        w.paragraph(14.0, p);
    }
    w.finish()
}

#[test]
fn cjk_text_pdf_round_trip() {
    let Some((cjk, latin)) = fonts() else { return };
    // Put the page break inside the third paragraph: a short page.
    let bytes = {
        let mut w = PdfWriter::new(&cjk, &latin);
        w.centered(18.0, HEADLINE);
        w.centered(12.0, META);
        w.y -= 10.0;
        w.paragraph(14.0, PARAS[0]);
        w.paragraph(14.0, PARAS[1]);
        // Leave room for two lines of the third paragraph on page 1.
        w.y = BOTTOM + 14.0 * 1.6 + 1.0;
        w.paragraph(14.0, PARAS[2]);
        w.paragraph(14.0, PARAS[3]);
        w.finish()
    };
    assert_eq!(format_of("会议.pdf", &bytes), Some(Format::Pdf));
    let text = pdf_text(&bytes).expect("text PDF");
    let got: Vec<String> = text.lines().map(squash).collect();
    let mut want: Vec<String> = vec![squash(HEADLINE), squash(META)];
    want.extend(PARAS.iter().map(|p| squash(p)));
    assert_eq!(got, want, "extracted:\n{text}");
    // Words stay apart where the PDF has spaces.
    assert!(text.contains("Hall A, Building 3."), "{text}");
    assert!(text.contains("2024-03-06 来源"), "{text}");
}

#[test]
fn single_page_cjk() {
    let Some((cjk, latin)) = fonts() else { return };
    let bytes = cjk_pdf(&cjk, &latin);
    let text = pdf_text(&bytes).expect("text PDF");
    let got: Vec<String> = text.lines().map(squash).collect();
    assert_eq!(got[0], squash(HEADLINE), "{text}");
    assert_eq!(got[1], squash(META), "{text}");
    assert_eq!(got.len(), 6, "{text}");
    for (g, p) in got[2..].iter().zip(PARAS) {
        assert_eq!(g, &squash(p), "{text}");
    }
}

#[test]
fn rectangle_only_page_has_no_text_layer() {
    let mut doc = PdfDocument::new("scan");
    let ops = vec![Op::DrawRectangle {
        rectangle: Rect::from_xywh(Pt(50.0), Pt(50.0), Pt(400.0), Pt(600.0)),
    }];
    let bytes = doc
        .with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops)])
        .save(&PdfSaveOptions::default(), &mut Vec::new());
    assert!(
        matches!(pdf_text(&bytes), Err(DocumentError::NoTextLayer)),
        "{:?}",
        pdf_text(&bytes)
    );
}

/// Adds an A4 page with these resources and content to `doc`, under the
/// page tree `pages_id`; its reference.
fn add_page(
    doc: &mut pdf_extract::Document,
    pages_id: pdf_extract::ObjectId,
    resources: pdf_extract::Dictionary,
    content_id: pdf_extract::ObjectId,
) -> pdf_extract::Object {
    use pdf_extract::{Dictionary, Object};
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content_id));
    Object::Reference(doc.add_object(page))
}

/// Writes the page tree `pages_id` with these pages and a catalog, and
/// saves the document.
fn save_with_pages(
    mut doc: pdf_extract::Document,
    pages_id: pdf_extract::ObjectId,
    kids: Vec<pdf_extract::Object>,
) -> Vec<u8> {
    use pdf_extract::{Dictionary, Object};
    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set("Count", kids.len() as i64);
    pages_dict.set("Kids", kids);
    doc.objects.insert(pages_id, Object::Dictionary(pages_dict));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// A scan: pages that only paint an image XObject (built with lopdf).
fn image_only_pdf(pages: usize) -> Vec<u8> {
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for _ in 0..pages {
        let mut img = Dictionary::new();
        img.set("Type", Object::Name(b"XObject".to_vec()));
        img.set("Subtype", Object::Name(b"Image".to_vec()));
        img.set("Width", 100);
        img.set("Height", 100);
        img.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
        img.set("BitsPerComponent", 8);
        img.set("Filter", Object::Name(b"DCTDecode".to_vec()));
        // Not a real JPEG: the extractor must not need to decode images.
        let img_id = doc.add_object(Stream::new(
            img,
            b"\xff\xd8\xff\xe0 BT (not text) Tj ET \xff\xd9".to_vec(),
        ));
        let mut xobjects = Dictionary::new();
        xobjects.set("Im0", Object::Reference(img_id));
        let mut resources = Dictionary::new();
        resources.set("XObject", Object::Dictionary(xobjects));
        let content_id = doc.add_object(Stream::new(
            Dictionary::new(),
            b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
        ));
        kids.push(add_page(&mut doc, pages_id, resources, content_id));
    }
    save_with_pages(doc, pages_id, kids)
}

#[test]
fn scanned_pages_have_no_text_layer() {
    let bytes = image_only_pdf(3);
    assert!(
        matches!(pdf_text(&bytes), Err(DocumentError::NoTextLayer)),
        "{:?}",
        pdf_text(&bytes)
    );
}

#[test]
fn self_referencing_form_does_not_overflow() {
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let form_id = doc.new_object_id();
    let mut xobjects = Dictionary::new();
    xobjects.set("Fm0", Object::Reference(form_id));
    let mut resources = Dictionary::new();
    resources.set("XObject", Object::Dictionary(xobjects));
    let mut form = Dictionary::new();
    form.set("Type", Object::Name(b"XObject".to_vec()));
    form.set("Subtype", Object::Name(b"Form".to_vec()));
    form.set("BBox", vec![0.into(), 0.into(), 10.into(), 10.into()]);
    form.set("Resources", Object::Dictionary(resources.clone()));
    doc.objects.insert(
        form_id,
        Object::Stream(Stream::new(form, b"/Fm0 Do".to_vec())),
    );
    let content_id = doc.add_object(Stream::new(Dictionary::new(), b"/Fm0 Do".to_vec()));
    let page = add_page(&mut doc, pages_id, resources, content_id);
    let bytes = save_with_pages(doc, pages_id, vec![page]);
    assert!(pdf_text(&bytes).is_err());
}

#[test]
fn builtin_font_latin_pdf() {
    // No font files needed: the standard Helvetica font.
    let bytes = union_news_testkit::fuzz_seeds::latin_pdf(&[
        "Annual Report",
        "The union held its annual",
        "meeting on 6 March 2024.",
    ]);
    let text = pdf_text(&bytes).expect("text");
    assert!(text.contains("Annual Report"), "{text}");
    assert!(text.contains("meeting on 6 March 2024."), "{text}");
}

#[test]
fn two_hundred_pages_time() {
    let Some((cjk, latin)) = fonts() else { return };
    let start = std::time::Instant::now();
    let mut w = PdfWriter::new(&cjk, &latin);
    w.centered(18.0, HEADLINE);
    while w.pages.len() < 200 {
        for p in PARAS {
            w.paragraph(14.0, p);
        }
    }
    let pages = w.pages.len() + 1;
    let bytes = w.finish();
    eprintln!(
        "generated a {pages}-page PDF ({:.1} MB) in {:?}",
        bytes.len() as f64 / 1e6,
        start.elapsed()
    );
    let start = std::time::Instant::now();
    let text = pdf_text(&bytes).expect("text");
    eprintln!(
        "pdf_text on 200 pages: {:?}, {} lines, {} chars",
        start.elapsed(),
        text.lines().count(),
        text.chars().count()
    );
    assert!(text.starts_with(&squash(HEADLINE)));
    assert!(text.lines().count() > 500);
}

/// Pages whose content shows `text` with font /F1 (built with lopdf).
fn pdf_with_pages(pages: &[(&str, Option<&str>)]) -> Vec<u8> {
    use pdf_extract::{Dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (text, subtype) in pages {
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        if let Some(s) = subtype {
            font.set("Subtype", Object::Name(s.as_bytes().to_vec()));
        }
        font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Reference(doc.add_object(font)));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let content = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        kids.push(add_page(&mut doc, pages_id, resources, content_id));
    }
    save_with_pages(doc, pages_id, kids)
}

#[test]
fn interpreter_panics_are_contained() {
    // A font without /Subtype makes pdf-extract panic; that page is skipped.
    let bytes = pdf_with_pages(&[("Broken page", None), ("Good page", Some("Type1"))]);
    assert_eq!(pdf_text(&bytes).expect("the good page"), "Good page");
    let bytes = pdf_with_pages(&[("Broken page", None)]);
    assert!(
        matches!(pdf_text(&bytes), Err(DocumentError::Invalid(_))),
        "{:?}",
        pdf_text(&bytes)
    );
}
