//! The labelled set behind [`SAME_ARTICLE`]: pairs of articles known to be
//! the same article in two forms (positives) or two distinct articles
//! (negatives), their similarities, and the figures a threshold is chosen
//! by (`union-news-tools near-dup` prints them; `tests/near_dup_quality.rs`
//! holds the floors).
//!
//! The articles are the shipped pages (`data/pages/*.md`) and the pastes
//! of `tests/data/pastes/dev*/` (never a held-out folder), each read with
//! [`page::parse`].
//!
//! - Positives: an article and a [`Variant`] of it, made the way admins
//!   come to push one article twice: as a Word file or a PDF read back
//!   with the bot's [`DocumentReader`] (and the Word file against the PDF
//!   made of the same text), text copied out of a PDF viewer (short lines,
//!   page numbers, a running header), another selection of the web page
//!   (footer lines, the site's info box, the last or first paragraph left
//!   out, all at once), a re-typed headline, paragraphs merged, traditional
//!   characters.
//! - Negatives: every pair of distinct articles of the corpus; among them
//!   the *same-subject* pairs, picked by hand as the hardest: the pairs
//!   with the most shingles in common, and those whose headlines or ledes
//!   share a topic word (送清凉, 篮球, 体检, 慰问 …). And pairs of articles
//!   as gen-corpus recombines them (the shipped pages' sentences with other
//!   places, dates and figures), before any near-duplicate check.

use crate::synth;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use union_news_bot::document::{DocumentInput, DocumentReader};
use union_news_bot::near_dup::{BANDS, HASHES, ROWS, SAME_ARTICLE, SHINGLE_CHARS, Signature};
use union_news_bot::page::{self, PageDefaults};
use union_news_bot::zh;
use zhconv::{Variant as Script, zhconv};

/// One article of the set.
#[derive(Debug, Clone)]
pub struct Text {
    /// Where it comes from (`dev2/03-news.txt#1`, `… as docx`).
    pub label: String,
    /// Its headline.
    pub headline: String,
    /// Its body paragraphs.
    pub paragraphs: Vec<String>,
    /// Its signature.
    pub signature: Signature,
}

impl Text {
    fn new(label: String, headline: String, paragraphs: Vec<String>) -> Text {
        let signature = Signature::of(&headline, &paragraphs);
        Text {
            label,
            headline,
            paragraphs,
            signature,
        }
    }

    /// The headline and paragraphs, one a line.
    fn lines(&self) -> Vec<String> {
        std::iter::once(self.headline.clone())
            .chain(self.paragraphs.iter().cloned())
            .collect()
    }

    fn body_chars(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }
}

/// How a positive pair's second article was made from the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variant {
    /// A Word file of its lines, read back.
    Docx,
    /// A PDF of its lines, read back (only with the fonts).
    Pdf,
    /// The Word file against the PDF of the same lines (both read back).
    DocxAndPdf,
    /// The whole paste, clutter and all, as a Word file, read back.
    PasteAsDocx,
    /// Text copied out of a PDF viewer: short lines, page numbers and a
    /// running header between them.
    PdfCopy,
    /// Footer lines after the body (editor, print and close buttons, ICP).
    Footer,
    /// The site's info box under the headline (来源, 作者, 点击数, 发布时间).
    InfoBox,
    /// The last paragraph left out.
    LastDropped,
    /// The first paragraph left out (articles of at least four paragraphs
    /// and 300 characters).
    FirstDropped,
    /// The headline re-typed: a character left out, two swapped, figures in
    /// full width, 「（图）」 added.
    Headline,
    /// Paragraphs merged two by two.
    Merged,
    /// All in traditional characters.
    Traditional,
    /// Another selection of the page: info box, footer and the last
    /// paragraph left out, at once.
    Selection,
}

impl Variant {
    /// Every variant, in report order.
    pub const ALL: [Variant; 13] = [
        Variant::Docx,
        Variant::Pdf,
        Variant::DocxAndPdf,
        Variant::PasteAsDocx,
        Variant::PdfCopy,
        Variant::Footer,
        Variant::InfoBox,
        Variant::LastDropped,
        Variant::FirstDropped,
        Variant::Headline,
        Variant::Merged,
        Variant::Traditional,
        Variant::Selection,
    ];

    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Docx => "docx",
            Variant::Pdf => "pdf",
            Variant::DocxAndPdf => "docx↔pdf",
            Variant::PasteAsDocx => "paste as docx",
            Variant::PdfCopy => "copied from pdf",
            Variant::Footer => "footer lines",
            Variant::InfoBox => "info box",
            Variant::LastDropped => "last ¶ dropped",
            Variant::FirstDropped => "first ¶ dropped",
            Variant::Headline => "headline re-typed",
            Variant::Merged => "¶ merged",
            Variant::Traditional => "traditional",
            Variant::Selection => "other selection",
        }
    }
}

/// What a labelled pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The same article: the right one is a variant of the left one.
    Same(Variant),
    /// Distinct articles of the corpus on the same subject (picked).
    SameSubject,
    /// Any other two distinct articles of the corpus.
    Corpus,
    /// Two articles as gen-corpus recombines them.
    Generated,
}

impl Kind {
    /// True for the same article.
    pub fn is_positive(self) -> bool {
        matches!(self, Kind::Same(_))
    }
}

/// Two articles of the set and how alike their signatures are.
#[derive(Debug, Clone)]
pub struct Pair {
    /// What the pair is.
    pub kind: Kind,
    /// Index of one article in [`LabelledSet::texts`].
    pub left: usize,
    /// Index of the other.
    pub right: usize,
    /// Their signatures' similarity.
    pub similarity: f64,
    /// True when they share a band key: a store's lookup finds one from
    /// the other.
    pub banded: bool,
}

/// What to put in the set.
#[derive(Debug, Clone)]
pub struct SetOptions {
    /// The repository's root (`data/`, `tests/data/pastes/`).
    pub root: PathBuf,
    /// Make a PDF of every n-th article (0: none). PDFs are slow to write in
    /// a debug build.
    pub pdf_every: usize,
    /// Recombined articles to make (all their pairs are negatives).
    pub generated: usize,
    /// Corpus pairs with the most shingles in common taken as same-subject.
    pub most_alike: usize,
}

/// The set: articles and labelled pairs.
#[derive(Debug, Clone, Default)]
pub struct LabelledSet {
    /// The corpus articles first ([`LabelledSet::corpus`] of them), then
    /// the variants and the recombined articles.
    pub texts: Vec<Text>,
    /// How many of `texts` are the corpus.
    pub corpus: usize,
    /// The pairs.
    pub pairs: Vec<Pair>,
    /// True when PDFs were asked for but the fonts are missing.
    pub pdf_skipped: bool,
}

/// Words of a subject many reports share: two articles whose headlines, or
/// whose ledes, both hold one are a same-subject pair.
pub const TOPIC_WORDS: &[&str] = &[
    "送清凉",
    "高温",
    "篮球",
    "体检",
    "慰问",
    "技能",
    "竞赛",
    "职工书屋",
    "入会",
    "骑手",
    "劳模",
    "困难职工",
    "帮扶",
    "春节",
    "年货",
    "法律援助",
    "欠薪",
    "工资",
    "疗休养",
    "驿站",
    "工匠",
    "环卫",
    "相亲",
    "联谊",
    "农民工",
    "返乡",
    "安全生产",
    "女职工",
    "心理",
];

/// The day every paste is read as pushed on.
fn defaults() -> PageDefaults {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    PageDefaults {
        today: day,
        received: day,
        ..PageDefaults::default()
    }
}

/// The corpus articles, and for each the paste's lines when its file held
/// only it (a web copy, not a page).
pub fn corpus(root: &Path) -> Vec<(Text, Option<Vec<String>>)> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut pages: Vec<PathBuf> = union_news_bot::desk::page_files(&root.join("data/pages"));
    pages.sort();
    for path in pages {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        files.push((format!("pages/{name}"), path.clone()));
    }
    let pastes = root.join("tests/data/pastes");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&pastes)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    // The held-out folders are never read, nor the folders that hold
    // copies of one article on purpose (their manifest's `same_as` column:
    // `dev5`, measured by `repush`): every pair here must be distinct.
    folders.retain(|f| {
        let has_copies = std::fs::read_to_string(f.join("manifest.tsv"))
            .is_ok_and(|m| m.lines().next().is_some_and(|h| h.contains("same_as")));
        f.is_dir()
            && !has_copies
            && f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("dev"))
    });
    folders.sort();
    for folder in folders {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
        names.sort();
        let dir = folder.file_name().unwrap_or_default().to_string_lossy();
        for path in names {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            files.push((format!("{dir}/{name}"), path.clone()));
        }
    }
    let mut out = Vec::new();
    for (label, path) in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let articles = page::parse(&text, &defaults()).articles;
        let is_page = text.starts_with("---") || text.lines().any(|l| l.starts_with("# "));
        let paste_lines = (!is_page && articles.len() == 1).then(|| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
        for (n, article) in articles.into_iter().enumerate() {
            if article.paragraphs.iter().all(|p| p.trim().is_empty()) {
                continue;
            }
            out.push((
                Text::new(
                    format!("{label}#{}", n + 1),
                    article.title.headline,
                    article.paragraphs,
                ),
                paste_lines.clone(),
            ));
        }
    }
    out
}

/// How a variant reaches the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Pasted,
    Docx,
    Pdf,
}

/// The article the bot reads from these lines in this form: the longest
/// one, when it reads more than one.
fn read_back(
    lines: &[String],
    form: Form,
    reader: &DocumentReader,
) -> Option<(String, Vec<String>)> {
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let text = match form {
        Form::Pasted => lines.join("\n"),
        Form::Docx => {
            let bytes = union_news_testkit::documents::docx(&refs);
            reader
                .read(&DocumentInput::file("稿件.docx"), &bytes)
                .ok()?
                .text
        }
        Form::Pdf => {
            let bytes = union_news_testkit::documents::pdf(&refs)?;
            reader
                .read(&DocumentInput::file("稿件.pdf"), &bytes)
                .ok()?
                .text
        }
    };
    page::parse(&text, &defaults())
        .articles
        .into_iter()
        .max_by_key(|a| a.paragraphs.iter().map(|p| p.len()).sum::<usize>())
        .map(|a| (a.title.headline, a.paragraphs))
}

/// Footer lines a web copy brings along, taken two at a time.
const FOOTERS: &[&str] = &[
    "责任编辑：林晓燕",
    "（编辑：陈立 审核：王芳）",
    "扫一扫在手机打开当前页",
    "【打印本页】【关闭窗口】",
    "版权所有：广东省总工会 粤ICP备05012345号",
    "分享到：微信 微博 QQ空间",
];

/// The site's info box, as one line or as several.
fn info_box(n: usize) -> Vec<String> {
    let source = ["湛江市总工会", "职工报", "韶关市总工会", "工人日报"][n % 4];
    let author = ["陈志强", "李明", "梁海燕"][n % 3];
    let clicks = 100 + n * 37 % 900;
    if n.is_multiple_of(2) {
        vec![format!(
            "来源：{source}  作者：{author}  点击数：{clicks}  发布时间：2024-01-{:02} 10:21",
            1 + n % 28
        )]
    } else {
        vec![
            format!("发布时间：2023-12-{:02}", 1 + n % 28),
            format!("来源：{source}"),
            format!("作者：{author}"),
            format!("点击数：{clicks}"),
        ]
    }
}

/// The lines of text copied out of a PDF viewer: each paragraph in lines
/// of 34 characters, a page number and the paper's running header every 38
/// lines.
fn pdf_copy(text: &Text) -> Vec<String> {
    let mut out = vec![text.headline.clone()];
    let mut on_page = 1;
    let mut page = 1;
    for paragraph in &text.paragraphs {
        let chars: Vec<char> = paragraph.chars().collect();
        for line in chars.chunks(34) {
            out.push(line.iter().collect());
            on_page += 1;
            if on_page == 38 {
                out.push(format!("- {page} -"));
                out.push("职工报 2024年1月5日 第3版".to_string());
                page += 1;
                on_page = 0;
            }
        }
    }
    out.push(format!("- {page} -"));
    out
}

/// The headline as someone re-types it.
fn retyped(headline: &str) -> String {
    let mut chars: Vec<char> = headline.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() > 6 {
        chars.remove(chars.len() / 3);
        let at = chars.len() * 2 / 3;
        chars.swap(at, at + 1);
    }
    let mut out: String = chars
        .into_iter()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    out.push_str("（图）");
    out
}

/// The lines of a variant made as text; `None` when it does not apply.
fn variant_lines(text: &Text, variant: Variant, n: usize) -> Option<Vec<String>> {
    let body = &text.paragraphs;
    let footer = || {
        vec![
            FOOTERS[n % FOOTERS.len()].to_string(),
            FOOTERS[(n + 3) % FOOTERS.len()].to_string(),
        ]
    };
    let with = |head: Vec<String>, body: &[String], tail: Vec<String>| -> Vec<String> {
        std::iter::once(text.headline.clone())
            .chain(head)
            .chain(body.iter().cloned())
            .chain(tail)
            .collect()
    };
    Some(match variant {
        Variant::PdfCopy => pdf_copy(text),
        Variant::Footer => with(vec![], body, footer()),
        Variant::InfoBox => with(info_box(n), body, vec![]),
        Variant::LastDropped if body.len() >= 2 => with(vec![], &body[..body.len() - 1], vec![]),
        Variant::FirstDropped if body.len() >= 4 && text.body_chars() >= 300 => {
            with(vec![], &body[1..], vec![])
        }
        Variant::Headline => std::iter::once(retyped(&text.headline))
            .chain(body.iter().cloned())
            .collect(),
        Variant::Merged if body.len() >= 2 => {
            let merged: Vec<String> = body.chunks(2).map(|c| c.concat()).collect();
            with(vec![], &merged, vec![])
        }
        Variant::Traditional => text
            .lines()
            .iter()
            .map(|l| zhconv(l, Script::ZhHant))
            .collect(),
        Variant::Selection if body.len() >= 2 => {
            with(info_box(n + 1), &body[..body.len() - 1], footer())
        }
        _ => return None,
    })
}

/// The set; see the module documentation.
pub fn labelled_set(options: &SetOptions) -> LabelledSet {
    let reader = DocumentReader::in_process();
    let corpus = corpus(&options.root);
    let mut set = LabelledSet {
        corpus: corpus.len(),
        ..LabelledSet::default()
    };
    set.texts = corpus.iter().map(|(t, _)| t.clone()).collect();
    let want_pdf = options.pdf_every > 0;
    let have_fonts =
        want_pdf && union_news_testkit::documents::fonts_for("near-dup PDFs").is_some();
    set.pdf_skipped = want_pdf && !have_fonts;
    let mut positives: Vec<(Kind, usize, usize)> = Vec::new();
    for (n, (original, paste_lines)) in corpus.iter().enumerate() {
        // Adds a variant read back; returns its index.
        let add = |set: &mut LabelledSet,
                   positives: &mut Vec<(Kind, usize, usize)>,
                   variant: Variant,
                   read: Option<(String, Vec<String>)>| {
            let (headline, paragraphs) = read?;
            let label = format!("{} as {}", original.label, variant.name());
            set.texts.push(Text::new(label, headline, paragraphs));
            let at = set.texts.len() - 1;
            positives.push((Kind::Same(variant), n, at));
            Some(at)
        };
        let lines = original.lines();
        let docx = read_back(&lines, Form::Docx, &reader);
        let docx = add(&mut set, &mut positives, Variant::Docx, docx);
        if have_fonts && n.is_multiple_of(options.pdf_every) {
            let pdf = read_back(&lines, Form::Pdf, &reader);
            let pdf = add(&mut set, &mut positives, Variant::Pdf, pdf);
            if let (Some(docx), Some(pdf)) = (docx, pdf) {
                positives.push((Kind::Same(Variant::DocxAndPdf), docx, pdf));
            }
        }
        if let Some(paste) = paste_lines {
            let read = read_back(paste, Form::Docx, &reader);
            add(&mut set, &mut positives, Variant::PasteAsDocx, read);
        }
        for variant in Variant::ALL {
            if let Some(lines) = variant_lines(original, variant, n) {
                let read = read_back(&lines, Form::Pasted, &reader);
                add(&mut set, &mut positives, variant, read);
            }
        }
    }
    for (kind, left, right) in positives {
        set.pairs.push(pair(&set.texts, kind, left, right));
    }
    // Negatives among the corpus: the most alike by shingles and those
    // sharing a topic word are the same-subject ones.
    let shingles: Vec<Vec<u64>> = set.texts[..set.corpus]
        .iter()
        .map(|t| shingle_set(t, SHINGLE_CHARS))
        .collect();
    let mut by_overlap: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..set.corpus {
        for j in i + 1..set.corpus {
            by_overlap.push((jaccard(&shingles[i], &shingles[j]), i, j));
        }
    }
    by_overlap.sort_by(|a, b| b.0.total_cmp(&a.0));
    let most_alike: HashSet<(usize, usize)> = by_overlap
        .iter()
        .take(options.most_alike)
        .map(|&(_, i, j)| (i, j))
        .collect();
    for &(_, i, j) in &by_overlap {
        let kind = if most_alike.contains(&(i, j)) || share_topic(&set.texts[i], &set.texts[j]) {
            Kind::SameSubject
        } else {
            Kind::Corpus
        };
        set.pairs.push(pair(&set.texts, kind, i, j));
    }
    if options.generated > 0 {
        let sources = union_news_bot::desk::page_files(&options.root.join("data/pages"));
        let issue = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date");
        let first = set.texts.len();
        if let Ok(articles) = synth::recombined_articles(&sources, options.generated, 11, issue) {
            for (n, a) in articles.into_iter().enumerate() {
                set.texts.push(Text::new(
                    format!("generated #{n}"),
                    a.title.headline,
                    a.paragraphs,
                ));
            }
        }
        for i in first..set.texts.len() {
            for j in i + 1..set.texts.len() {
                set.pairs.push(pair(&set.texts, Kind::Generated, i, j));
            }
        }
    }
    set
}

fn pair(texts: &[Text], kind: Kind, left: usize, right: usize) -> Pair {
    let (a, b) = (&texts[left].signature, &texts[right].signature);
    Pair {
        kind,
        left,
        right,
        similarity: a.similarity(b),
        banded: a
            .band_keys()
            .iter()
            .zip(b.band_keys())
            .any(|(x, y)| *x == y),
    }
}

/// True when both headlines, or both first paragraphs, hold one topic word.
fn share_topic(a: &Text, b: &Text) -> bool {
    let lede = |t: &Text| t.paragraphs.first().cloned().unwrap_or_default();
    TOPIC_WORDS.iter().any(|w| {
        (a.headline.contains(w) && b.headline.contains(w))
            || (lede(a).contains(w) && lede(b).contains(w))
    })
}

/// The hashes of an article's `k`-character shingles, sorted and distinct,
/// over the same normal form as [`Signature::of`]: for exact Jaccard.
pub fn shingle_set(text: &Text, k: usize) -> Vec<u64> {
    let chars: Vec<char> = std::iter::once(&text.headline)
        .chain(&text.paragraphs)
        .flat_map(|t| zh::fingerprint(t).chars().collect::<Vec<_>>())
        .collect();
    let mut out: Vec<u64> = chars
        .windows(k.min(chars.len()).max(1))
        .map(|w| {
            w.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, c| {
                (h ^ u64::from(*c)).wrapping_mul(0x0100_0000_01B3)
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard of two sorted, distinct sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// The value at quantile `q` (nearest rank) of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// How a class of pairs spreads.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The class's name.
    pub name: String,
    /// Pairs.
    pub pairs: usize,
    /// Least, 1st, 5th, 50th, 95th percentile and greatest similarity.
    pub quantiles: [f64; 6],
    /// Share of pairs sharing a band key.
    pub banded: f64,
}

fn spread<'a>(name: &str, pairs: impl Iterator<Item = &'a Pair>) -> Spread {
    let mut values = Vec::new();
    let mut banded = 0;
    for p in pairs {
        values.push(p.similarity);
        banded += usize::from(p.banded);
    }
    values.sort_by(f64::total_cmp);
    Spread {
        name: name.to_string(),
        pairs: values.len(),
        quantiles: [0.0, 0.01, 0.05, 0.5, 0.95, 1.0].map(|q| {
            if q == 0.0 {
                values.first().copied().unwrap_or(f64::NAN)
            } else {
                quantile(&values, q)
            }
        }),
        banded: if values.is_empty() {
            0.0
        } else {
            banded as f64 / values.len() as f64
        },
    }
}

impl LabelledSet {
    /// Positive pairs.
    pub fn positives(&self) -> impl Iterator<Item = &Pair> {
        self.pairs.iter().filter(|p| p.kind.is_positive())
    }

    /// The spread of every class: each variant, all positives, same-subject,
    /// the other corpus pairs, the recombined ones.
    pub fn spreads(&self) -> Vec<Spread> {
        let mut out: Vec<Spread> = Variant::ALL
            .iter()
            .map(|v| {
                spread(
                    v.name(),
                    self.pairs.iter().filter(|p| p.kind == Kind::Same(*v)),
                )
            })
            .filter(|s| s.pairs > 0)
            .collect();
        out.push(spread("all positives", self.positives()));
        for (name, kind) in [
            ("same-subject", Kind::SameSubject),
            ("other corpus pairs", Kind::Corpus),
            ("recombined (gen-corpus)", Kind::Generated),
        ] {
            out.push(spread(name, self.pairs.iter().filter(|p| p.kind == kind)));
        }
        out
    }

    /// Pairs of `kind` at or above `threshold`.
    pub fn at_or_above(&self, threshold: f64, kind: impl Fn(Kind) -> bool) -> Vec<&Pair> {
        self.pairs
            .iter()
            .filter(|p| kind(p.kind) && p.similarity >= threshold)
            .collect()
    }

    /// Share of positives at or above `threshold`.
    pub fn recall(&self, threshold: f64) -> f64 {
        let all = self.positives().count();
        let found = self.at_or_above(threshold, Kind::is_positive).len();
        if all == 0 {
            1.0
        } else {
            found as f64 / all as f64
        }
    }

    /// Share of the corpus pairs (positives, same-subject and other corpus
    /// pairs) at or above `threshold` that are positives.
    pub fn precision(&self, threshold: f64) -> f64 {
        let found = self.at_or_above(threshold, Kind::is_positive).len();
        let wrong = self
            .at_or_above(threshold, |k| matches!(k, Kind::SameSubject | Kind::Corpus))
            .len();
        if found + wrong == 0 {
            1.0
        } else {
            found as f64 / (found + wrong) as f64
        }
    }

    /// Share of positives whose articles share a band key.
    pub fn band_recall(&self) -> f64 {
        let all = self.positives().count();
        let banded = self.positives().filter(|p| p.banded).count();
        if all == 0 {
            1.0
        } else {
            banded as f64 / all as f64
        }
    }

    /// The report: spreads, precision and recall at candidate thresholds,
    /// and the bands' recall, as Markdown tables.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} corpus articles, {} articles in all; {} positive pairs, {} negative pairs \
             (k = {SHINGLE_CHARS}, {HASHES} hashes, {BANDS} bands × {ROWS} rows){}\n",
            self.corpus,
            self.texts.len(),
            self.positives().count(),
            self.pairs.len() - self.positives().count(),
            if self.pdf_skipped {
                "; PDFs skipped: no fonts"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "| class | pairs | min | p1 | p5 | p50 | p95 | max | banded |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for s in self.spreads() {
            let q = s.quantiles;
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.3} |",
                s.name, s.pairs, q[0], q[1], q[2], q[3], q[4], q[5], s.banded
            );
        }
        let _ = writeln!(
            out,
            "\n| threshold | recall | precision | same-subject ≥ | other corpus ≥ | recombined ≥ |"
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|");
        for t in THRESHOLDS {
            let _ = writeln!(
                out,
                "| {t:.2}{} | {:.3} | {:.3} | {} | {} | {} |",
                if (t - SAME_ARTICLE).abs() < 1e-9 {
                    " *"
                } else {
                    ""
                },
                self.recall(t),
                self.precision(t),
                self.at_or_above(t, |k| k == Kind::SameSubject).len(),
                self.at_or_above(t, |k| k == Kind::Corpus).len(),
                self.at_or_above(t, |k| k == Kind::Generated).len(),
            );
        }
        let _ = writeln!(
            out,
            "\nfound by the bands: {:.3} of positives",
            self.band_recall()
        );
        out
    }

    /// The pairs a reader should look at: positives below the threshold and
    /// negatives at or above it, most surprising first.
    pub fn surprises(&self, threshold: f64) -> Vec<String> {
        let mut pairs: Vec<&Pair> = self
            .pairs
            .iter()
            .filter(|p| p.kind.is_positive() != (p.similarity >= threshold))
            .collect();
        pairs.sort_by(|a, b| {
            let distance = |p: &Pair| (p.similarity - threshold).abs();
            distance(b).total_cmp(&distance(a))
        });
        pairs
            .iter()
            .map(|p| {
                format!(
                    "{:?} {:.2}: {} | {}",
                    p.kind, p.similarity, self.texts[p.left].label, self.texts[p.right].label
                )
            })
            .collect()
    }

    /// The `n` most similar pairs of `kind`, with their headlines.
    pub fn closest(&self, kind: Kind, n: usize) -> Vec<String> {
        let mut pairs: Vec<&Pair> = self.pairs.iter().filter(|p| p.kind == kind).collect();
        pairs.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        pairs
            .iter()
            .take(n)
            .map(|p| {
                let (a, b) = (&self.texts[p.left], &self.texts[p.right]);
                format!(
                    "{:.2} {} 「{}」 | {} 「{}」",
                    p.similarity, a.label, a.headline, b.label, b.headline
                )
            })
            .collect()
    }

    /// How well each shingle length `k` tells the classes apart, by exact
    /// Jaccard: positives' 1st and 5th percentile against the greatest
    /// same-subject, other corpus and recombined pair.
    pub fn shingle_study(&self, ks: &[usize]) -> String {
        let mut out = String::from(
            "| k | positives p1 | positives p5 | same-subject max | other corpus max | recombined p99.9 |\n|---:|---:|---:|---:|---:|---:|\n",
        );
        for &k in ks {
            let sets: Vec<Vec<u64>> = self.texts.iter().map(|t| shingle_set(t, k)).collect();
            let values = |kind: &dyn Fn(Kind) -> bool| -> Vec<f64> {
                let mut v: Vec<f64> = self
                    .pairs
                    .iter()
                    .filter(|p| kind(p.kind))
                    .map(|p| jaccard(&sets[p.left], &sets[p.right]))
                    .collect();
                v.sort_by(f64::total_cmp);
                v
            };
            let positives = values(&Kind::is_positive);
            let same = values(&|k| k == Kind::SameSubject);
            let corpus = values(&|k| k == Kind::Corpus);
            let generated = values(&|k| k == Kind::Generated);
            let _ = writeln!(
                out,
                "| {k} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
                quantile(&positives, 0.01),
                quantile(&positives, 0.05),
                same.last().copied().unwrap_or(0.0),
                corpus.last().copied().unwrap_or(0.0),
                quantile(&generated, 0.999),
            );
        }
        out
    }

    /// How far signatures' similarities are from the exact Jaccard at
    /// [`SHINGLE_CHARS`]: the mean and the greatest absolute error over the
    /// positives and same-subject pairs.
    pub fn estimate_error(&self) -> (f64, f64) {
        let sets: Vec<Vec<u64>> = self
            .texts
            .iter()
            .map(|t| shingle_set(t, SHINGLE_CHARS))
            .collect();
        let errors: Vec<f64> = self
            .pairs
            .iter()
            .filter(|p| p.kind.is_positive() || p.kind == Kind::SameSubject)
            .map(|p| (p.similarity - jaccard(&sets[p.left], &sets[p.right])).abs())
            .collect();
        let mean = errors.iter().sum::<f64>() / errors.len().max(1) as f64;
        (mean, errors.iter().copied().fold(0.0, f64::max))
    }
}

/// Corpus pairs with the most shingles in common taken as same-subject.
pub const MOST_ALIKE: usize = 40;

/// Thresholds the report gives figures at.
pub const THRESHOLDS: [f64; 11] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8];

/// The chance that a pair of this similarity shares a band key.
pub fn band_chance(similarity: f64) -> f64 {
    1.0 - (1.0 - similarity.powi(ROWS as i32)).powi(BANDS as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_counts_common_over_union() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let values = [0.1, 0.2, 0.3, 0.4];
        assert_eq!(quantile(&values, 0.5), 0.2);
        assert_eq!(quantile(&values, 1.0), 0.4);
        assert_eq!(quantile(&values, 0.01), 0.1);
    }

    #[test]
    fn a_retyped_headline_keeps_most_of_its_characters() {
        assert_eq!(
            retyped("番禺区326名外卖骑手集中入会"),
            "番禺区３２名外卖骑集手中入会（图）"
        );
    }

    #[test]
    fn text_copied_from_a_pdf_has_short_lines_and_page_numbers() {
        let text = Text::new("t".into(), "标题".into(), vec!["字".repeat(100)]);
        let lines = pdf_copy(&text);
        assert_eq!(lines.len(), 1 + 3 + 1);
        assert_eq!(lines.last().map(String::as_str), Some("- 1 -"));
    }
}
