//! DOCX round trips: documents written in the test (with docx-rs, and by
//! zipping a hand-written document.xml), read back with `docx_text`.

use std::io::{Cursor, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, Hyperlink, HyperlinkType, Paragraph, Run, Style, StyleType,
    Table, TableCell, TableRow,
};
use union_news_bot::document::{Format, docx_text, format_of};

const HEADLINE: &str = "市总工会召开2024年全市工会工作会议";
const META: &str = "发布日期：2024-03-06 来源：XX市总工会";
const PARAS: [&str; 3] = [
    "3月5日，XX市总工会召开2024年全市工会工作会议，总结2023年工作，部署2024年重点任务。",
    "会议指出，一年来，全市各级工会组织团结动员广大职工建功新时代，职工群众的获得感、幸福感、安全感不断增强。",
    "会议强调，要深化劳动和技能竞赛，维护职工合法权益，持续擦亮“工会帮扶”品牌。",
];

fn pack(docx: Docx) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).expect("pack docx");
    buf.into_inner()
}

pub fn article_docx() -> Vec<u8> {
    let heading = Style::new("Heading1", StyleType::Paragraph)
        .name("Heading 1")
        .bold()
        .size(44);
    let mut docx = Docx::new()
        .add_style(heading)
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("市总工会召开"))
                .add_run(Run::new().add_text("2024").bold())
                .add_run(Run::new().add_text("年全市工会工作会议")),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(META).size(21)),
        )
        .add_paragraph(Paragraph::new());
    for (i, p) in PARAS.iter().enumerate() {
        // Split each paragraph into several runs, as Word does.
        let cut = p.char_indices().nth(10).map(|(b, _)| b).unwrap_or(p.len());
        let mut para = Paragraph::new().add_run(Run::new().add_text(&p[..cut]));
        if i == 1 {
            para = para.add_run(Run::new().add_text(&p[cut..]).bold());
        } else {
            para = para.add_run(Run::new().add_text(&p[cut..]));
        }
        docx = docx.add_paragraph(para);
    }
    pack(docx)
}

#[test]
fn headline_meta_and_paragraphs_round_trip() {
    let bytes = article_docx();
    assert_eq!(format_of("会议纪要.docx", &bytes), Some(Format::Docx));
    assert_eq!(format_of("upload.bin", &bytes), Some(Format::Docx));
    let text = docx_text(&bytes).expect("docx text");
    let got: Vec<&str> = text.lines().collect();
    let mut want = vec![HEADLINE, META];
    want.extend(PARAS);
    assert_eq!(got, want);
    assert!(
        !text.contains('<') && !text.contains("w:"),
        "no XML leftovers: {text}"
    );
}

#[test]
fn tables_links_and_breaks() {
    let cell = |lines: &[&str]| {
        lines.iter().fold(TableCell::new(), |c, l| {
            c.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)))
        })
    };
    let table = Table::new(vec![
        TableRow::new(vec![cell(&["姓名"]), cell(&["单位"])]),
        TableRow::new(vec![cell(&["张三"]), cell(&["市总工会", "宣教部"])]),
    ]);
    let docx = Docx::new()
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("附表：先进个人名单")))
        .add_table(table)
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("详见"))
                .add_hyperlink(
                    Hyperlink::new("https://example.org/", HyperlinkType::External)
                        .add_run(Run::new().add_text("市总工会网站")),
                )
                .add_run(Run::new().add_text("。")),
        )
        .add_paragraph(
            Paragraph::new().add_run(
                Run::new()
                    .add_text("第一行")
                    .add_break(BreakType::TextWrapping)
                    .add_text("第二行"),
            ),
        )
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("甲").add_tab().add_text("乙")),
        );
    let text = docx_text(&pack(docx)).expect("docx text");
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(
        got,
        vec![
            "附表：先进个人名单",
            "姓名 | 单位",
            "张三 | 市总工会 宣教部",
            "详见市总工会网站。",
            "第一行",
            "第二行",
            "甲 乙"
        ]
    );
}

#[test]
fn issue_18_a_table_row_is_one_line_and_a_one_cell_layout_keeps_its_paragraphs() {
    let cell = |lines: &[&str]| {
        lines.iter().fold(TableCell::new(), |c, l| {
            c.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)))
        })
    };
    let nested = Table::new(vec![
        TableRow::new(vec![cell(&["一等奖"]), cell(&["3人"])]),
        TableRow::new(vec![cell(&["二等奖"]), cell(&["5人"])]),
    ]);
    let awards = Table::new(vec![
        TableRow::new(vec![cell(&["工种"]), cell(&["名次"]), cell(&["姓名"])]),
        TableRow::new(vec![cell(&["电工"]), cell(&["一等奖"]), cell(&["陈某某"])]),
        TableRow::new(vec![cell(&["焊工"]), cell(&[]), cell(&["李某某"])]),
        TableRow::new(vec![
            cell(&["合计"]),
            TableCell::new().add_table(nested),
            cell(&["8人"]),
        ]),
    ]);
    // A page laid out in a one-column table: each paragraph a line.
    let layout = Table::new(vec![TableRow::new(vec![cell(&[
        "市总工会举办职工技能大赛",
        "5月5日，市总工会举办职工技能大赛。",
        "大赛共设三个工种。",
    ])])]);
    let docx = Docx::new()
        .add_table(layout)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("获奖名单如下：")))
        .add_table(awards)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("比赛圆满结束。")));
    let text = docx_text(&pack(docx)).expect("docx text");
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(
        got,
        vec![
            "市总工会举办职工技能大赛",
            "5月5日，市总工会举办职工技能大赛。",
            "大赛共设三个工种。",
            "获奖名单如下：",
            "工种 | 名次 | 姓名",
            "电工 | 一等奖 | 陈某某",
            "焊工 | 李某某",
            "合计 | 一等奖 | 3人 二等奖 | 5人 | 8人",
            "比赛圆满结束。",
        ]
    );
}

/// The smallest .docx Word accepts: a content-types part and document.xml.
fn hand_zipped(document_xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document_xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn hand_written_document_xml() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:body>
    <w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{HEADLINE}</w:t></w:r></w:p>
    <w:p><w:r><w:t xml:space="preserve">发布日期：2024-03-06 </w:t></w:r><w:r><w:t>来源：XX市总工会</w:t></w:r></w:p>
    <w:p><w:r><w:t>{p0}</w:t></w:r></w:p>
    <w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格一</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>单元格二</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    <w:p><w:r><w:t>“引号” &amp; &lt;尖括号&gt; &#x4E2D;</w:t></w:r></w:p>
    <w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>
  </w:body>
</w:document>"#,
        p0 = PARAS[0]
    );
    let text = docx_text(&hand_zipped(&xml)).expect("docx text");
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(
        got,
        vec![
            HEADLINE,
            META,
            PARAS[0],
            "单元格一 | 单元格二",
            "“引号” & <尖括号> 中"
        ]
    );
}
