//! A synthetic archive for benchmarks (`union-news-bot gen-corpus`): any
//! number of distinct articles, as page files in the corpus format, made by
//! recombining the shipped pages' headlines, ledes and sentences with other
//! places, dates and figures.
//!
//! The output is deterministic for a seed. Every page written is parsed back
//! with the real parser before it is kept, so ingesting the folder gives
//! exactly the number of articles asked for. No two articles are the same
//! article to the near-duplicate detector: each article read back is looked
//! up by its signature's band keys among those written, and one at or above
//! [`SAME_ARTICLE`] to any of them (recombined from mostly the same
//! sentences) is written anew.
//!
//! The check's cost grows with the square of the archive: recombined
//! articles share boilerplate, so a new article shares a band key with
//! about 0.27% of those written (half of these candidates through keys
//! that a hundred articles or more share) and each is compared. From the
//! sample pages, in a release build on the 2-core machine: 20,000
//! articles in 1.3 s instead of 0.85 s (7 written anew), 100,000 in 10 s
//! instead of 4 s (32), 1,000,000 in 452 s and 1.5 GB instead of 51 s and
//! 154 MB (1,450).

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use union_news_bot::article::Fingerprint;
use union_news_bot::near_dup::{SAME_ARTICLE, Signature};
use union_news_bot::page::{self, PageDefaults};
use union_news_bot::query::is_stopword;
use union_news_bot::zh::normalize;
use union_news_bot::zh::places::{HomeProvince, Level, Place, gazetteer};
use union_news_bot::zh::segment::segmenter;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// How many distinct articles.
    pub articles: usize,
    /// Seed of the generator; the same seed gives the same files.
    pub seed: u64,
    /// Folder to write into (one sub-folder per year).
    pub out: PathBuf,
    /// Page files to take the material from.
    pub sources: Vec<PathBuf>,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SynthReport {
    /// Articles written.
    pub articles: usize,
    /// Page files written.
    pub pages: usize,
    /// Bytes of page text written.
    pub bytes: u64,
    /// Questions written to `queries.tsv`.
    pub queries: usize,
    /// Articles written anew because they were near-duplicates of one
    /// already written.
    pub near_duplicates: usize,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The source pages held no articles to learn from.
    #[error("no articles in the source pages ({0} files read; pass --from DIR or set PAGES_DIR)")]
    NoMaterial(usize),
    /// Writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The generator kept producing pages the parser reads differently, or
    /// articles that are near-duplicates of those written (too little
    /// material for so many articles).
    #[error(
        "could not generate a page of distinct articles that parses as intended ({0}; \
         {1} articles written)"
    )]
    Unparsable(String, usize),
}

/// The first and last issue dates: ten years.
const FIRST_DAY: (i32, u32, u32) = (2015, 1, 1);
const DAYS: i64 = 3653;
/// Most articles on one page.
const PER_PAGE: usize = 6;
/// Provinces besides Guangdong whose city papers are in the archive.
const OTHER_PROVINCES: &[&str] = &["广西壮族自治区", "湖南省", "江西省", "福建省", "四川省"];

/// SplitMix64: small, fast, good enough for test data, and stable across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn range(&mut self, from: usize, to: usize) -> usize {
        from + self.below(to - from + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A piece of recombinable text.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// A place of this level, written with its suffix (`湛江市`) or without (`湛江`).
    Place(Level, bool),
    /// A `M月D日` date.
    Day,
    /// A number of this many digits.
    Number(usize),
}

type Template = Vec<Piece>;

/// Where an article happens.
struct Target<'a> {
    city: &'a Place,
    county: &'a Place,
    town: Option<&'a Place>,
}

/// Everything learnt from the source pages.
struct Material {
    headlines: Vec<Template>,
    subtitles: Vec<Template>,
    kickers: Vec<Template>,
    ledes: Vec<Template>,
    sentences: Vec<Template>,
    names: Vec<String>,
}

fn template(text: &str) -> Template {
    let text = normalize(text);
    let mut out = Vec::new();
    let mut at = 0;
    for mention in gazetteer().mentions(&text, HomeProvince::default()) {
        if mention.is_province || mention.start < at {
            continue;
        }
        let Some(level) = mention.places.first().map(|p| p.level) else {
            continue;
        };
        split_figures(&text[at..mention.start], &mut out);
        let full = mention
            .places
            .first()
            .is_some_and(|p| p.name == mention.text);
        out.push(Piece::Place(level, full));
        at = mention.end;
    }
    split_figures(&text[at..], &mut out);
    out
}

/// Splits text into plain runs, `M月D日` dates and digit runs.
fn split_figures(text: &str, out: &mut Template) {
    let chars: Vec<char> = text.chars().collect();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            plain.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        // `11月3日`: a date.
        if chars.get(i) == Some(&'月') {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && chars.get(j) == Some(&'日') {
                flush(&mut plain, out);
                out.push(Piece::Day);
                i = j + 1;
                continue;
            }
        }
        // Years and decimals stay as written.
        if digits == 4 && chars.get(i) == Some(&'年') || chars.get(i) == Some(&'.') {
            plain.extend(&chars[start..i]);
            continue;
        }
        flush(&mut plain, out);
        out.push(Piece::Number(digits));
    }
    flush(&mut plain, out);
}

fn flush(plain: &mut String, out: &mut Template) {
    if !plain.is_empty() {
        out.push(Piece::Text(std::mem::take(plain)));
    }
}

/// A lede without its opening date (`11月3日,` or `近日,`), which the generator writes itself.
fn lede_template(sentence: &str) -> Option<Template> {
    let mut t = template(sentence);
    match t.first() {
        Some(Piece::Day) => {
            t.remove(0);
        }
        Some(Piece::Text(s)) if s.starts_with("近日") => {
            let rest = s.trim_start_matches("近日").to_string();
            t[0] = Piece::Text(rest);
        }
        _ => return None,
    }
    if let Some(Piece::Text(s)) = t.first_mut() {
        *s = s
            .trim_start_matches(['晚', ',', '，', ' '])
            .trim_start_matches("上午")
            .trim_start_matches("下午")
            .trim_start_matches([',', '，'])
            .to_string();
    }
    Some(t)
}

impl Material {
    fn learn(sources: &[PathBuf]) -> Result<Material, SynthError> {
        let mut m = Material {
            headlines: Vec::new(),
            subtitles: Vec::new(),
            kickers: Vec::new(),
            ledes: Vec::new(),
            sentences: Vec::new(),
            names: Vec::new(),
        };
        for path in sources {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            for article in page::parse(&text, &PageDefaults::default()).articles {
                m.headlines.push(template(&article.title.headline));
                m.subtitles
                    .extend(article.title.subtitle.as_deref().map(template));
                m.kickers
                    .extend(article.title.kicker.as_deref().map(template));
                m.names.extend(
                    article
                        .byline
                        .reporters
                        .iter()
                        .chain(&article.byline.correspondents)
                        .filter(|n| (2..=3).contains(&n.chars().count()))
                        .cloned(),
                );
                for (p, paragraph) in article.paragraphs.iter().enumerate() {
                    for (s, sentence) in union_news_bot::summary::sentences(paragraph)
                        .into_iter()
                        .enumerate()
                    {
                        if p == 0 && s == 0 {
                            m.ledes.extend(lede_template(sentence));
                        } else if sentence.chars().count() >= 12 {
                            m.sentences.push(template(sentence));
                        }
                    }
                }
            }
        }
        if m.headlines.is_empty() || m.ledes.is_empty() || m.sentences.is_empty() {
            return Err(SynthError::NoMaterial(sources.len()));
        }
        if m.names.is_empty() {
            m.names.push("李明".to_string());
        }
        Ok(m)
    }
}

/// The places articles happen in: Guangdong's counties (four in five
/// articles) and those of a few other provinces, with their towns.
struct Geography {
    home: Vec<&'static Place>,
    other: Vec<&'static Place>,
    towns: HashMap<u32, Vec<&'static Place>>,
}

impl Geography {
    fn new() -> Geography {
        let places = gazetteer().places();
        let counties = |province: &str| -> Vec<&'static Place> {
            places
                .iter()
                .filter(|p| p.level == Level::County && p.province == province && p.city.is_some())
                .collect()
        };
        let mut towns: HashMap<u32, Vec<&'static Place>> = HashMap::new();
        for town in places.iter().filter(|p| p.level == Level::Town) {
            towns.entry(town.code / 1000).or_default().push(town);
        }
        Geography {
            home: counties("广东省"),
            other: OTHER_PROVINCES.iter().flat_map(|p| counties(p)).collect(),
            towns,
        }
    }

    fn pick(&self, rng: &mut Rng) -> Target<'static> {
        let county = if rng.chance(80) || self.other.is_empty() {
            *rng.pick(&self.home)
        } else {
            *rng.pick(&self.other)
        };
        let city_code = county.city.as_ref().map_or(0, |c| c.code);
        let city = gazetteer().place_by_code(city_code).unwrap_or(county);
        let town = self
            .towns
            .get(&county.code)
            .filter(|t| !t.is_empty())
            .map(|t| *rng.pick(t));
        Target { city, county, town }
    }
}

struct Writer<'a> {
    material: &'a Material,
    geography: &'a Geography,
    rng: Rng,
}

impl Writer<'_> {
    fn render(&mut self, template: &Template, target: &Target, out: &mut String) {
        for piece in template {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Place(level, full) => {
                    let place = match level {
                        Level::Province | Level::Prefecture => target.city,
                        Level::County => target.county,
                        Level::Town => target.town.unwrap_or(target.county),
                    };
                    out.push_str(if *full {
                        place.name
                    } else {
                        place.short_name()
                    });
                }
                Piece::Day => {
                    let (m, d) = (self.rng.range(1, 12), self.rng.range(1, 28));
                    let _ = write!(out, "{m}月{d}日");
                }
                Piece::Number(digits) => {
                    let digits = (*digits).min(6);
                    let low = 10usize.pow(digits as u32 - 1).max(1);
                    let _ = write!(out, "{}", self.rng.range(low, low * 10 - 1));
                }
            }
        }
    }

    /// One article's title block and body, in the page format.
    fn article(&mut self, date: NaiveDate, out: &mut String) {
        let material = self.material;
        let target = self.geography.pick(&mut self.rng);
        let abbr: String = target.city.short_name().chars().take(1).collect();
        if self.rng.chance(25) {
            out.push_str("## ");
            let kicker = self.rng.pick(&material.kickers).clone();
            self.render(&kicker, &target, out);
            out.push_str("\n\n");
        }
        if self.rng.chance(30) {
            let _ = write!(out, "## {}总工会\n\n", target.county.name);
        }
        out.push_str("# ");
        let headline = self.rng.pick(&material.headlines).clone();
        self.render(&headline, &target, out);
        out.push_str("\n\n");
        if self.rng.chance(20) {
            out.push_str("## ");
            let subtitle = self.rng.pick(&material.subtitles).clone();
            self.render(&subtitle, &target, out);
            out.push_str("\n\n");
        }
        let reporter = self.rng.pick(&material.names).clone();
        let correspondent = self.rng.pick(&material.names).clone();
        let start = out.len();
        let _ = write!(
            out,
            "本报讯(全媒体记者{reporter} 通讯员{abbr}工宣 {correspondent}){}月{}日,",
            date.month(),
            date.day()
        );
        let lede = self.rng.pick(&material.ledes).clone();
        self.render(&lede, &target, out);
        let length = self.rng.range(300, 1500);
        let mut in_paragraph = 1;
        let mut paragraph_size = self.rng.range(1, 3);
        while out[start..].chars().count() < length {
            let sentence = self.rng.pick(&material.sentences).clone();
            let mut text = String::new();
            self.render(&sentence, &target, &mut text);
            if out[start..].chars().count() + text.chars().count() > 1500 {
                break;
            }
            if in_paragraph >= paragraph_size {
                out.push_str("\n\n");
                in_paragraph = 0;
                paragraph_size = self.rng.range(2, 4);
            }
            out.push_str(&text);
            in_paragraph += 1;
        }
        if self.rng.chance(50) {
            let _ = write!(out, "({abbr}工)");
        }
        out.push_str("\n\n");
    }
}

/// The day a generated article is dated: its issue's day or up to three days before.
fn article_date(issue: NaiveDate, rng: &mut Rng) -> NaiveDate {
    issue - Duration::days(rng.below(4) as i64)
}

/// Writes the archive; see the module documentation.
pub fn generate(options: &SynthOptions) -> Result<SynthReport, SynthError> {
    let material = Material::learn(&options.sources)?;
    let geography = Geography::new();
    let mut writer = Writer {
        material: &material,
        geography: &geography,
        rng: Rng(options.seed),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthError::Io { path, source }
    };
    std::fs::create_dir_all(&options.out).map_err(io(&options.out))?;
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("valid date");
    let mut written = Written::distinct();
    let mut report = SynthReport::default();
    let mut queries = String::from("id\tkind\tquery\texpect\tanswer\n");
    let query_every = (options.articles / 2000).max(1);
    let n = options.articles as i64;
    for day in 0..DAYS {
        let today = (day + 1) * n / DAYS - day * n / DAYS;
        if today == 0 {
            continue;
        }
        let issue = first + Duration::days(day);
        let year_dir = options.out.join(issue.year().to_string());
        std::fs::create_dir_all(&year_dir).map_err(io(&year_dir))?;
        let mut left = today as usize;
        let mut page_number = 1;
        while left > 0 {
            let count = left.min(PER_PAGE);
            let (text, headlines) =
                write_page(&mut writer, issue, page_number, count, &mut written)?;
            let path = year_dir.join(format!("{issue}_p{page_number}.md"));
            std::fs::write(&path, &text).map_err(io(&path))?;
            for headline in headlines {
                if report.articles % query_every == 0 {
                    report.queries +=
                        push_query(&mut queries, report.articles, &headline, &mut writer.rng);
                }
                report.articles += 1;
            }
            report.pages += 1;
            report.bytes += text.len() as u64;
            left -= count;
            page_number += 1;
        }
    }
    let path = options.out.join("queries.tsv");
    std::fs::write(&path, queries).map_err(io(&path))?;
    report.near_duplicates = written.near_duplicates;
    Ok(report)
}

/// `count` one-article pages dated `issue`, as an admin would push them, each
/// with a query that finds its article (its lede's first sentence; the
/// generated archive repeats headlines), for benchmarks of the push path.
pub fn sample_pages(
    sources: &[PathBuf],
    count: usize,
    seed: u64,
    issue: NaiveDate,
) -> Result<Vec<(String, String)>, SynthError> {
    let material = Material::learn(sources)?;
    let geography = Geography::new();
    let mut writer = Writer {
        material: &material,
        geography: &geography,
        rng: Rng(seed),
    };
    let mut written = Written::distinct();
    (0..count)
        .map(|i| {
            let (text, _) = write_page(&mut writer, issue, i + 1, 1, &mut written)?;
            let defaults = PageDefaults {
                issue_date: Some(issue),
                ..Default::default()
            };
            let parsed = page::parse(&text, &defaults);
            let query = parsed
                .articles
                .first()
                .and_then(|a| a.paragraphs.first())
                .and_then(|p| {
                    union_news_bot::summary::sentences(p)
                        .first()
                        .map(|s| s.to_string())
                })
                .unwrap_or_default();
            Ok((text, query))
        })
        .collect()
}

/// `count` articles as the generator recombines them, parsed back, all
/// dated `issue`, before any near-duplicate check: material for measuring
/// how alike recombined articles are.
pub fn recombined_articles(
    sources: &[PathBuf],
    count: usize,
    seed: u64,
    issue: NaiveDate,
) -> Result<Vec<page::ParsedArticle>, SynthError> {
    let material = Material::learn(sources)?;
    let geography = Geography::new();
    let mut writer = Writer {
        material: &material,
        geography: &geography,
        rng: Rng(seed),
    };
    let mut written = Written::default();
    let defaults = PageDefaults {
        issue_date: Some(issue),
        ..Default::default()
    };
    let mut articles = Vec::with_capacity(count);
    let mut page_number = 1;
    while articles.len() < count {
        let on_page = (count - articles.len()).min(PER_PAGE);
        let (text, _) = write_page(&mut writer, issue, page_number, on_page, &mut written)?;
        articles.extend(page::parse(&text, &defaults).articles);
        page_number += 1;
    }
    Ok(articles)
}

/// Tries at writing one page before giving up.
const PAGE_ATTEMPTS: usize = 100;

/// The articles written so far: their identities, and their signatures
/// indexed by band key, so that a new article that is the same article as
/// one of them is found without comparing it with all.
#[derive(Default)]
struct Written {
    /// When false, only identities are checked: articles as recombined.
    distinct: bool,
    ids: HashSet<Fingerprint>,
    signatures: Vec<Signature>,
    /// Band key → the first article with it (most keys have one), and
    /// the later ones in `more_by_band`: a `Vec` per key would double the
    /// memory of a large archive.
    by_band: HashMap<u64, u32>,
    more_by_band: HashMap<u64, Vec<u32>>,
    /// Articles refused as near-duplicates.
    near_duplicates: usize,
}

impl Written {
    /// Articles that must be distinct to the near-duplicate detector.
    fn distinct() -> Written {
        Written {
            distinct: true,
            ..Written::default()
        }
    }

    /// True when `signature` is at or above [`SAME_ARTICLE`] to an article
    /// written (one sharing a band key with it) or to one of `also`.
    fn is_near_duplicate(&self, signature: &Signature, also: &[Signature]) -> bool {
        if !self.distinct {
            return false;
        }
        also.iter().any(|s| s.similarity(signature) >= SAME_ARTICLE)
            || signature.band_keys().iter().any(|key| {
                let first = self.by_band.get(key).into_iter();
                let more = self.more_by_band.get(key).into_iter().flatten();
                first
                    .chain(more)
                    .any(|&i| self.signatures[i as usize].similarity(signature) >= SAME_ARTICLE)
            })
    }

    /// Records an article kept.
    fn add(&mut self, id: Fingerprint, signature: Signature) {
        self.ids.insert(id);
        if self.distinct {
            let at = self.signatures.len() as u32;
            for key in signature.band_keys() {
                match self.by_band.entry(key) {
                    Entry::Vacant(first) => {
                        first.insert(at);
                    }
                    Entry::Occupied(_) => self.more_by_band.entry(key).or_default().push(at),
                }
            }
            self.signatures.push(signature);
        }
    }
}

/// One page of `count` new articles, checked with the parser; returns its
/// text and its articles' headlines. An article read back as one already
/// written (the same identity, or a near-duplicate) is written anew, the
/// others kept.
fn write_page(
    writer: &mut Writer,
    issue: NaiveDate,
    page_number: usize,
    count: usize,
    written: &mut Written,
) -> Result<(String, Vec<String>), SynthError> {
    let defaults = PageDefaults {
        issue_date: Some(issue),
        ..Default::default()
    };
    let front_matter =
        format!("---\ndate: {issue}\nsource: 职工报\npage: 第{page_number}版\n---\n\n");
    let new_article = |writer: &mut Writer| {
        let mut text = String::new();
        let date = article_date(issue, &mut writer.rng);
        writer.article(date, &mut text);
        text
    };
    let mut articles: Vec<String> = (0..count).map(|_| new_article(writer)).collect();
    for _ in 0..PAGE_ATTEMPTS {
        let text = format!("{front_matter}{}", articles.concat());
        let parsed = page::parse(&text, &defaults);
        if parsed.articles.len() != count {
            // Which article ran into which is not known: all are new.
            articles = (0..count).map(|_| new_article(writer)).collect();
            continue;
        }
        let mut ids: Vec<Fingerprint> = Vec::with_capacity(count);
        let mut signatures: Vec<Signature> = Vec::with_capacity(count);
        let mut refused = Vec::new();
        for (n, article) in parsed.articles.iter().enumerate() {
            let id = page::fingerprint(&article.title.headline, &article.paragraphs);
            let signature = Signature::of(&article.title.headline, &article.paragraphs);
            if written.ids.contains(&id) || ids.contains(&id) {
                refused.push(n);
            } else if written.is_near_duplicate(&signature, &signatures) {
                written.near_duplicates += 1;
                refused.push(n);
            } else {
                ids.push(id);
                signatures.push(signature);
            }
        }
        if refused.is_empty() {
            for (id, signature) in ids.into_iter().zip(signatures) {
                written.add(id, signature);
            }
            let headlines = parsed
                .articles
                .into_iter()
                .map(|a| a.title.headline)
                .collect();
            return Ok((text, headlines));
        }
        for n in refused {
            articles[n] = new_article(writer);
        }
    }
    Err(SynthError::Unparsable(
        format!("{issue} 第{page_number}版"),
        written.ids.len(),
    ))
}

/// A member's query about an article, in the questions-file format; returns 1.
fn push_query(out: &mut String, n: usize, headline: &str, rng: &mut Rng) -> usize {
    let normalized = normalize(headline);
    let words: Vec<&str> = segmenter()
        .words(&normalized)
        .into_iter()
        .map(|w| w.text)
        .filter(|w| w.chars().count() >= 2 && !is_stopword(w))
        .collect();
    let (kind, query) = match (rng.below(4), words.as_slice()) {
        (0, [a, .., b]) => ("search", format!("{a} {b}")),
        (1, [.., a, b]) => ("question", format!("{a}{b}是怎么回事")),
        (2, [a, b, ..]) => ("question", format!("最近{a}有什么{b}活动")),
        (_, [a, ..]) => ("search", (*a).to_string()),
        _ => ("search", normalized.chars().take(6).collect()),
    };
    let expect: String = headline
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(12)
        .collect();
    let _ = writeln!(out, "gen-{n:07}\t{kind}\t{query}\t{expect}\t");
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Vec<PathBuf> {
        union_news_bot::desk::page_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/pages"),
        )
    }

    #[test]
    fn templates_keep_text_and_mark_places_dates_and_figures() {
        let t = template("11月3日,顺德区容桂街道37家企业的186名职工参赛。");
        assert_eq!(t[0], Piece::Day);
        assert!(t.contains(&Piece::Place(Level::County, true)), "{t:?}");
        assert!(t.contains(&Piece::Number(3)), "{t:?}");
        let years = template("2024年度合同");
        assert_eq!(years, [Piece::Text("2024年度合同".into())]);
    }

    #[test]
    fn exactly_the_articles_asked_for_are_written_and_read_back() {
        let out = tempfile::tempdir().unwrap();
        let options = SynthOptions {
            articles: 120,
            seed: 7,
            out: out.path().join("corpus"),
            sources: sources(),
        };
        let report = generate(&options).unwrap();
        assert_eq!(report.articles, 120);
        let desk = union_news_bot::desk::NewsDesk::in_memory().unwrap();
        let mut added = 0;
        for file in union_news_bot::desk::page_files(&options.out) {
            added += desk
                .ingest()
                .file(&file, &PageDefaults::default())
                .unwrap()
                .added();
        }
        assert_eq!(added, 120);
        // Lengths are realistic.
        let stats = desk.stats().unwrap();
        assert_eq!(stats.articles, 120);
        assert!(report.queries > 0);
    }

    #[test]
    fn no_two_articles_written_are_the_same_article() {
        // One page of material: recombined articles often share most
        // sentences, so the check has near-duplicates to refuse.
        let out = tempfile::tempdir().unwrap();
        let options = SynthOptions {
            articles: 2000,
            seed: 5,
            out: out.path().to_path_buf(),
            sources: sources().into_iter().take(1).collect(),
        };
        let report = generate(&options).unwrap();
        assert!(report.near_duplicates > 0, "{report:?}");
        let mut articles = Vec::new();
        for file in union_news_bot::desk::page_files(out.path()) {
            let text = std::fs::read_to_string(&file).unwrap();
            articles.extend(page::parse(&text, &PageDefaults::default()).articles);
        }
        assert_eq!(articles.len(), 2000);
        let signatures: Vec<Signature> = articles
            .iter()
            .map(|a| Signature::of(&a.title.headline, &a.paragraphs))
            .collect();
        // Every pair a store's band lookup would find, and every other pair.
        let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut candidates = 0;
        for (i, signature) in signatures.iter().enumerate() {
            for key in signature.band_keys() {
                let found = by_band.entry(key).or_default();
                for &j in found.iter() {
                    candidates += 1;
                    let similarity = signature.similarity(&signatures[j]);
                    assert!(
                        similarity < SAME_ARTICLE,
                        "{similarity}: {} | {}",
                        articles[i].title.headline,
                        articles[j].title.headline
                    );
                }
                found.push(i);
            }
        }
        assert!(candidates > 0);
        // The bands find a pair at SAME_ARTICLE with a chance of 0.995
        // (near_dup's S-curve) and one at 0.6 with 0.99994: compared all
        // with all, a few pairs just above the threshold escape them.
        let mut missed = Vec::new();
        for (i, a) in signatures.iter().enumerate() {
            for b in &signatures[..i] {
                let similarity = a.similarity(b);
                if similarity >= SAME_ARTICLE {
                    missed.push(similarity);
                }
            }
        }
        assert!(
            missed.len() <= 3 && missed.iter().all(|s| *s < 0.6),
            "pairs the bands missed: {missed:?}"
        );
    }

    #[test]
    fn the_same_seed_writes_the_same_files() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for dir in [&a, &b] {
            let options = SynthOptions {
                articles: 30,
                seed: 42,
                out: dir.path().to_path_buf(),
                sources: sources(),
            };
            generate(&options).unwrap();
        }
        let read = |dir: &Path| -> Vec<String> {
            union_news_bot::desk::page_files(dir)
                .iter()
                .map(|p| std::fs::read_to_string(p).unwrap())
                .collect()
        };
        assert_eq!(read(a.path()), read(b.path()));
    }
}
