//! Hostile files, written by code: what an attacker could get into an
//! admin's hands (a forwarded document, a link to a hostile page). Each is
//! small to send and costly to read without limits. None is a copied blob:
//! every byte is made here, so the tests show what they try.

use std::io::Write;

/// A PDF whose one page names itself as its parent and inherits nothing:
/// a reader that looks up the page's media box through `Parent` links
/// follows them for ever.
pub fn pdf_page_is_its_own_parent() -> Vec<u8> {
    let content = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET".to_vec();
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>".to_vec(),
        stream(b"", &content),
    ])
}

/// A PDF whose page content is a Flate stream that unpacks to
/// `unpacked_mb` megabytes (zeros), about a thousand times its size.
pub fn pdf_compressed_bomb(unpacked_mb: usize) -> Vec<u8> {
    let packed = zlib_of_zeros(unpacked_mb << 20);
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream(b"/Filter /FlateDecode", &packed),
    ])
}

/// A PDF whose page lists one content stream `times` times.
pub fn pdf_repeated_content(times: usize) -> Vec<u8> {
    let content = b"BT /F1 12 Tf 72 700 Td (Union news, again and again.) Tj ET ".repeat(40);
    let listed = "4 0 R ".repeat(times);
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [{listed}] >>")
            .into_bytes(),
        stream(b"", &content),
    ])
}

/// A PDF of `pages` pages, each drawing one short line.
pub fn pdf_many_pages(pages: usize) -> Vec<u8> {
    let kids: String = (0..pages).map(|i| format!("{} 0 R ", 5 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream(b"", b"BT /F1 12 Tf 72 700 Td (Union news) Tj ET"),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                .to_vec(),
        );
    }
    pdf(&objects)
}

/// A small PDF whose one page draws `glyphs` characters (a compressed
/// stream of `(aaaa…) Tj` runs): cheap to send, costly to lay out.
pub fn pdf_glyph_flood(glyphs: usize) -> Vec<u8> {
    let run = format!("({}) Tj 0 -12 Td\n", "a".repeat(1000));
    let mut content = b"BT /F1 10 Tf 72 800 Td\n".to_vec();
    for _ in 0..glyphs.div_ceil(1000) {
        content.extend_from_slice(run.as_bytes());
    }
    content.extend_from_slice(b"ET");
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    zlib.write_all(&content).expect("deflate in memory");
    let packed = zlib.finish().expect("deflate in memory");
    pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream(b"/Filter /FlateDecode", &packed),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

/// A Word file whose document part nests `depth` paragraphs, each inside
/// the one before (compressed, a few hundred bytes per 100,000 levels).
pub fn docx_nested(depth: usize) -> Vec<u8> {
    let mut xml = String::with_capacity(depth * 12 + 200);
    xml.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for _ in 0..depth {
        xml.push_str("<w:p>");
    }
    xml.push_str("<w:r><w:t>工会</w:t></w:r>");
    for _ in 0..depth {
        xml.push_str("</w:p>");
    }
    xml.push_str("</w:body></w:document>");
    zip_of(&[("word/document.xml", xml.as_bytes())])
}

/// A web page of `depth` nested `<div>`s around one sentence.
pub fn html_nested(depth: usize) -> Vec<u8> {
    let mut html = String::from("<!DOCTYPE html><html><head><title>x</title></head><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>湛江市总工会开展送清凉活动。</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    html.into_bytes()
}

/// `n` bytes of deterministic noise (xorshift from `seed`).
pub fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// `n` bytes of noise in the printable ASCII range, with line breaks: a
/// binary that passes for text by its bytes.
pub fn ascii_noise(seed: u64, n: usize) -> Vec<u8> {
    noise(seed, n)
        .into_iter()
        .enumerate()
        .map(|(i, b)| if i % 97 == 96 { b'\n' } else { b % 95 + 32 })
        .collect()
}

/// `bytes` gzip-compressed, as a server sends a page with
/// `Content-Encoding: gzip`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory")
}

/// A gzip body that unpacks to `unpacked_mb` megabytes of zeros.
pub fn gzip_bomb(unpacked_mb: usize) -> Vec<u8> {
    let n = unpacked_mb << 20;
    let deflate = deflate_of_zeros(n);
    let mut out = vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend_from_slice(&deflate);
    // CRC-32 of the zeros is not computed: the reader must stop long
    // before it would check it.
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out
}

/// A zlib stream of `n` zeros, made by repeating one compressed block of a
/// mebibyte (each block only refers back to zeros), with a valid checksum.
fn zlib_of_zeros(n: usize) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    out.extend_from_slice(&deflate_of_zeros(n));
    // Adler-32 of n zeros: a stays 1, b adds 1 per byte.
    let adler = (((n % 65521) as u32) << 16) | 1;
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

/// Raw deflate of `n` zeros (`n` a multiple of a mebibyte, or rounded down
/// to one).
fn deflate_of_zeros(n: usize) -> Vec<u8> {
    const BLOCK: usize = 1 << 20;
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let zeros = vec![0u8; BLOCK];
    let mut block = Vec::with_capacity(4096);
    compress
        .compress_vec(&zeros, &mut block, flate2::FlushCompress::Sync)
        .expect("deflate in memory");
    assert_eq!(
        compress.total_in() as usize,
        BLOCK,
        "one call takes the block"
    );
    let mut out = Vec::with_capacity(block.len() * (n / BLOCK) + 2);
    for _ in 0..(n / BLOCK).max(1) {
        out.extend_from_slice(&block);
    }
    // A final, empty block with fixed codes.
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

fn stream(dict_entries: &[u8], content: &[u8]) -> Vec<u8> {
    let mut object = format!("<< /Length {} ", content.len()).into_bytes();
    object.extend_from_slice(dict_entries);
    object.extend_from_slice(b" >>\nstream\n");
    object.extend_from_slice(content);
    object.extend_from_slice(b"\nendstream");
    object
}

/// A PDF of these objects (numbered from 1) with a correct cross-reference
/// table, catalog first.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("zip in memory");
        zip.write_all(bytes).expect("zip in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}
