//! Broken, truncated, random and empty input gives a `DocumentError`, never
//! a panic.

use std::io::{Cursor, Write};

use union_news_bot::document::{
    DocumentError, Format, docx_text, format_of, html_text, html_text_from_bytes, pdf_text,
};

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    union_news_testkit::hostile::noise(seed, n)
}

/// CJK text that does not compress to nothing.
fn varied_text(n: usize) -> String {
    random_bytes(n * 2, 99)
        .chunks(2)
        .map(|c| char::from_u32(0x4E00 + ((c[0] as u32) << 4 | (c[1] as u32 & 0x0F))).unwrap())
        .collect()
}

fn small_docx() -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(
            docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(varied_text(3000))),
        )
        .build()
        .pack(&mut buf)
        .unwrap();
    buf.into_inner()
}

fn small_pdf() -> Vec<u8> {
    use printpdf::*;
    let ops = vec![
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point {
                x: Pt(72.0),
                y: Pt(700.0),
            },
        },
        Op::SetFont {
            font: PdfFontHandle::Builtin(BuiltinFont::Helvetica),
            size: Pt(12.0),
        },
        Op::ShowText {
            items: vec![TextItem::Text("Hello".into())],
        },
        Op::EndTextSection,
    ];
    PdfDocument::new("t")
        .with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops)])
        .save(
            &PdfSaveOptions {
                optimize: false,
                ..Default::default()
            },
            &mut Vec::new(),
        )
}

#[test]
fn empty_input() {
    assert!(matches!(docx_text(b""), Err(DocumentError::Empty)));
    assert!(matches!(pdf_text(b""), Err(DocumentError::Empty)));
    assert_eq!(html_text("").text, "");
    assert_eq!(html_text_from_bytes(b"").text, "");
    assert_eq!(format_of("a.docx", b""), Some(Format::Docx));
}

#[test]
fn random_bytes_are_invalid() {
    for seed in 1..=20u64 {
        let bytes = random_bytes(4096 * seed as usize, seed * 7919);
        assert!(
            matches!(docx_text(&bytes), Err(DocumentError::Invalid(_))),
            "seed {seed}"
        );
        assert!(
            matches!(pdf_text(&bytes), Err(DocumentError::Invalid(_))),
            "seed {seed}"
        );
        let _ = html_text_from_bytes(&bytes);
        let _ = html_text(&String::from_utf8_lossy(&bytes));
    }
    // Random bytes behind the right magic numbers.
    let mut fake_pdf = b"%PDF-1.7\n".to_vec();
    fake_pdf.extend(random_bytes(10_000, 42));
    assert!(matches!(
        pdf_text(&fake_pdf),
        Err(DocumentError::Invalid(_))
    ));
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend(random_bytes(10_000, 43));
    assert!(matches!(
        docx_text(&fake_zip),
        Err(DocumentError::Invalid(_))
    ));
}

#[test]
fn truncated_docx_is_invalid() {
    let bytes = small_docx();
    assert!(docx_text(&bytes).is_ok());
    for cut in [10, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 30] {
        let r = docx_text(&bytes[..cut]);
        assert!(
            matches!(r, Err(DocumentError::Invalid(_))),
            "cut at {cut}: {r:?}"
        );
    }
}

#[test]
fn corrupted_docx_is_invalid() {
    // Damage the compressed document.xml but keep the zip directory intact.
    let mut bytes = small_docx();
    let name = b"word/document.xml";
    let pos = (30..bytes.len() - name.len())
        .find(|&p| &bytes[p..p + name.len()] == name && &bytes[p - 30..p - 26] == b"PK\x03\x04")
        .expect("local header of word/document.xml");
    for b in &mut bytes[pos + name.len() + 20..pos + name.len() + 120] {
        *b ^= 0x5a;
    }
    let r = docx_text(&bytes);
    assert!(matches!(r, Err(DocumentError::Invalid(_))), "{r:?}");
}

#[test]
fn zip_without_document_is_invalid() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("xl/workbook.xml", opts).unwrap();
    zip.write_all(b"<workbook/>").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(format_of("book.xlsx", &bytes), None);
    assert!(matches!(docx_text(&bytes), Err(DocumentError::Invalid(_))));
}

#[test]
fn broken_pdfs_do_not_panic() {
    let bytes = small_pdf();
    assert!(pdf_text(&bytes).unwrap().contains("Hello"));
    for cut in [
        8,
        64,
        bytes.len() / 4,
        bytes.len() / 2,
        bytes.len() * 3 / 4,
        bytes.len() - 10,
    ] {
        let r = pdf_text(&bytes[..cut]);
        eprintln!(
            "PDF cut at {cut}/{}: {:?}",
            bytes.len(),
            r.as_ref().map(|s| s.len())
        );
        if cut < bytes.len() / 2 {
            assert!(r.is_err(), "cut at {cut}: {r:?}");
        }
    }
    // Flipped bytes all over the file.
    for seed in 1..=10u64 {
        let mut damaged = bytes.clone();
        let noise = random_bytes(damaged.len(), seed);
        for (i, b) in damaged.iter_mut().enumerate() {
            if noise[i] < 8 {
                *b = noise[i].wrapping_mul(31);
            }
        }
        let _ = pdf_text(&damaged);
    }
}
