//! HTML: the main article of a saved web page, parsed with `scraper`
//! (html5ever) and chosen with a readability-style score.
//!
//! The page is first flattened into text *blocks* (one per paragraph-like
//! run of inline content, split at block elements and `<br>`), leaving out
//! scripts, styles, navigation, headers, footers, asides, forms and hidden
//! elements. Each block's text length, prose punctuation and link share is
//! credited to the block's container and, decaying, to the container's
//! ancestors; the best-scoring container (after readability's promotion
//! rules) is the article body. The headline is the heading nearest the body
//! that best matches the page title, and the lines between the headline and
//! the body are the meta lines.

use std::collections::HashMap;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use super::text::{LineBuilder, is_cjk, is_prose_punct, is_space, visible_len};
use crate::page::words::{self, Words};
use std::sync::LazyLock;

/// A page's print, share and font buttons, longer words first: cut out of
/// a short line, they leave only brackets and bars of a tool bar.
static TOOLS: LazyLock<Words> =
    LazyLock::new(|| Words::union(&[&words::PAGE_TOOLS]).longest_first());

/// The text of a web page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlText {
    /// The page title: `og:title` when present, else `<title>`; `None` when
    /// the page has neither (or both are empty).
    pub title: Option<String>,
    /// The main article as lines: the headline first, then the meta lines
    /// (date, source, author) that sit between headline and body, then each
    /// paragraph of the body. Lines are separated by `'\n'`.
    pub text: String,
}

/// Decodes the bytes of a saved page to a string: by BOM, else by the
/// `charset` the page declares in its first 4 KiB, else UTF-8 when the bytes
/// are valid UTF-8, else GB18030 (the usual legacy encoding of Chinese
/// sites, a superset of GBK and GB2312). Undecodable bytes become U+FFFD.
pub fn decode_html(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let declared = declared_charset(&bytes[..bytes.len().min(4096)]);
    let enc = match declared {
        Some(enc) => enc,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::GB18030,
    };
    // A page that says UTF-16 in ASCII cannot be UTF-16: decode as UTF-8.
    let enc = enc.output_encoding();
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len()
            && (lower[i] == b' ' || lower[i] == b'=' || lower[i] == b'"' || lower[i] == b'\'')
        {
            i += 1;
        }
        let start = i;
        while i < lower.len()
            && (lower[i].is_ascii_alphanumeric() || matches!(lower[i], b'-' | b'_' | b':' | b'.'))
        {
            i += 1;
        }
        if i > start
            && let Some(enc) = encoding_rs::Encoding::for_label(&lower[start..i])
        {
            return Some(enc);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// [`decode_html`] then [`html_text`].
pub fn html_text_from_bytes(bytes: &[u8]) -> HtmlText {
    html_text(&decode_html(bytes))
}

/// Extracts the title and the main article of a saved web page.
///
/// Works on pages of news and government sites (articles in `#zoom`,
/// `.TRS_Editor`, table layouts, …) and on saved WeChat articles (title in
/// `#activity-name`/`og:title`, body in `#js_content`), without site-specific
/// rules: the body is the element with the best readability-style score
/// (text length, Chinese punctuation, low link density; class or id names
/// such as `article`, `content`, `main`, `zoom`, `TRS_Editor`,
/// `rich_media_content` add to it). Entities are decoded. Nothing from
/// `<script>`, `<style>`, `<nav>`, `<header>` (outside an article), `<footer>`,
/// `<aside>`, small `<form>`s or hidden elements is returned, nor lists of
/// links, breadcrumbs ("当前位置…"), "上一篇/下一篇" and print/font-size tools.
///
/// A page with no article text gives an empty `text` (or just the title).
pub fn html_text(html: &str) -> HtmlText {
    let doc = Html::parse_document(html);
    let title = page_title(&doc);
    let flat = Flat::build(&doc);
    let text = article_lines(&flat, title.as_deref()).join("\n");
    HtmlText { title, text }
}

// ---------------------------------------------------------------------------
// Title

fn page_title(doc: &Html) -> Option<String> {
    let mut og = None;
    let mut title = None;
    for node in doc.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "meta" if og.is_none() => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .unwrap_or("");
                if key.eq_ignore_ascii_case("og:title") || key.eq_ignore_ascii_case("twitter:title")
                {
                    og = el.attr("content").map(clean).filter(|s| !s.is_empty());
                }
            }
            "title" if title.is_none() => {
                // Not an SVG <title>: those sit inside <svg>.
                let in_svg = node
                    .ancestors()
                    .any(|a| a.value().as_element().is_some_and(|e| e.name() == "svg"));
                if !in_svg {
                    let text: String = ElementRef::wrap(node)
                        .map(|e| e.text().collect())
                        .unwrap_or_default();
                    title = Some(clean(&text)).filter(|s| !s.is_empty());
                }
            }
            _ => {}
        }
    }
    og.or(title)
}

fn clean(s: &str) -> String {
    let mut b = LineBuilder::default();
    b.push_str(s);
    b.take()
}

// ---------------------------------------------------------------------------
// Flattening

/// A block-level element that contains blocks.
struct Elem {
    parent: Option<usize>,
    tag: String,
    /// Lowercased `class` and `id`, space separated.
    names: String,
    /// Blocks `first..end` lie inside this element.
    first: usize,
    end: usize,
    /// Blocks whose innermost block element is this one.
    owned: u32,
    block_children: u32,
}

/// A line of text: the inline content between two block boundaries.
struct Block {
    elem: usize,
    text: String,
    chars: usize,
    link_chars: usize,
    bold_chars: usize,
    punct: usize,
}

struct Flat {
    elems: Vec<Elem>,
    blocks: Vec<Block>,
    /// Prefix sums over blocks: characters, link characters, links.
    chars_ps: Vec<usize>,
    link_ps: Vec<usize>,
    links_ps: Vec<usize>,
}

fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "html"
            | "body"
            | "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "legend"
            | "option"
            | "marquee"
    )
}

fn is_always_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "footer"
            | "aside"
            | "iframe"
            | "frame"
            | "frameset"
            | "svg"
            | "math"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "input"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "dialog"
            | "menu"
            | "link"
            | "meta"
            | "img"
            | "picture"
            | "source"
            | "datalist"
    )
}

fn names_of(el: &scraper::node::Element) -> String {
    let mut s = String::new();
    if let Some(c) = el.attr("class") {
        s.push_str(c);
    }
    if let Some(id) = el.attr("id") {
        s.push(' ');
        s.push_str(id);
    }
    s.to_ascii_lowercase()
}

fn tokens(names: &str) -> impl Iterator<Item = &str> {
    names
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// Class or id names of page furniture that never holds the article.
fn is_unlikely(names: &str) -> bool {
    if names.is_empty() {
        return false;
    }
    const SUBSTR: [&str; 22] = [
        "breadcrumb",
        "crumb",
        "sidebar",
        "footer",
        "copyright",
        "comment",
        "related",
        "relate",
        "share",
        "social",
        "login",
        "navbar",
        "topbar",
        "menu",
        "advert",
        "sponsor",
        "popup",
        "cookie",
        "qrcode",
        "toolbar",
        "pagination",
        "friendlink",
    ];
    const TOKENS: [&str; 12] = [
        "nav", "navi", "foot", "side", "ad", "ads", "banner", "search", "links", "tags", "hot",
        "rank",
    ];
    const RESCUE: [&str; 12] = [
        "article",
        "content",
        "main",
        "body",
        "text",
        "zoom",
        "detail",
        "post",
        "entry",
        "story",
        "rich_media",
        "tit",
    ];
    let unlikely =
        SUBSTR.iter().any(|p| names.contains(p)) || tokens(names).any(|t| TOKENS.contains(&t));
    unlikely && !RESCUE.iter().any(|p| names.contains(p))
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some()
        || el
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") {
            return true;
        }
    }
    false
}

/// Visible text length of a subtree, stopping once `limit` is reached.
fn text_len_at_least(node: ego_tree::NodeRef<'_, Node>, limit: usize) -> bool {
    let mut n = 0;
    let mut skip: Option<NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(child) => {
                if skip.is_some() {
                    continue;
                }
                match child.value() {
                    Node::Element(e)
                        if matches!(e.name(), "script" | "style" | "noscript" | "template") =>
                    {
                        skip = Some(child.id());
                    }
                    Node::Text(t) => {
                        n += visible_len(t);
                        if n >= limit {
                            return true;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(child) => {
                if skip == Some(child.id()) {
                    skip = None;
                }
            }
        }
    }
    false
}

impl Flat {
    fn build(doc: &Html) -> Flat {
        let mut f = Flat {
            elems: Vec::new(),
            blocks: Vec::new(),
            chars_ps: vec![0],
            link_ps: vec![0],
            links_ps: vec![0],
        };
        let mut line = LineBuilder::default();
        let mut cur = (0usize, 0usize, 0usize, 0usize); // link chars, bold chars, punct, links
        let mut stack: Vec<usize> = Vec::new(); // open block elements
        let mut elem_of: HashMap<NodeId, usize> = HashMap::new();
        let mut skip: Option<NodeId> = None;
        let mut link_depth = 0usize;
        let mut bold_depth = 0usize;
        let mut article_depth = 0usize;

        let flush = |f: &mut Flat,
                     line: &mut LineBuilder,
                     cur: &mut (usize, usize, usize, usize),
                     stack: &Vec<usize>| {
            let links = cur.3;
            if line.is_empty() {
                // Links without text (image links) still count for the container.
                if links > 0 {
                    *f.links_ps.last_mut().expect("prefix sums start non-empty") += links;
                    cur.3 = 0;
                }
                return;
            }
            let Some(&elem) = stack.last() else {
                line.take();
                *cur = (0, 0, 0, 0);
                return;
            };
            let chars = line.chars();
            let text = line.take();
            let (link_chars, bold_chars, punct, links) = std::mem::take(cur);
            f.elems[elem].owned += 1;
            f.chars_ps
                .push(f.chars_ps.last().copied().unwrap_or(0) + chars);
            f.link_ps
                .push(f.link_ps.last().copied().unwrap_or(0) + link_chars.min(chars));
            f.links_ps
                .push(f.links_ps.last().copied().unwrap_or(0) + links);
            f.blocks.push(Block {
                elem,
                text,
                chars,
                link_chars: link_chars.min(chars),
                bold_chars,
                punct,
            });
        };

        for edge in doc.root_element().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => {
                            // Whitespace at the edges of a text node separates
                            // elements (a space, as browsers show it); only a
                            // line wrap inside running text vanishes between
                            // CJK characters.
                            let inner = t.trim_matches(is_space);
                            if inner.len() != t.len() && t.starts_with(is_space) {
                                line.space();
                            }
                            for c in inner.chars() {
                                line.push(c);
                                if !is_space(c) {
                                    if link_depth > 0 {
                                        cur.0 += 1;
                                    } else if is_prose_punct(c) {
                                        cur.2 += 1;
                                    }
                                    if bold_depth > 0 {
                                        cur.1 += 1;
                                    }
                                }
                            }
                            if inner.len() != t.len() && t.ends_with(is_space) {
                                line.space();
                            }
                        }
                        Node::Element(el) => {
                            let tag = el.name();
                            let names = names_of(el);
                            let skipped = is_always_skipped(tag)
                                || (tag == "header" && article_depth == 0)
                                || (tag == "form" && !text_len_at_least(node, 200))
                                || is_hidden(el)
                                || (!matches!(tag, "html" | "body" | "article" | "main")
                                    && is_unlikely(&names));
                            if skipped {
                                skip = Some(node.id());
                                continue;
                            }
                            match tag {
                                "br" | "hr" => flush(&mut f, &mut line, &mut cur, &stack),
                                "a" => {
                                    link_depth += 1;
                                    cur.3 += 1;
                                }
                                "b" | "strong" => bold_depth += 1,
                                _ => {}
                            }
                            if matches!(tag, "article" | "main") {
                                article_depth += 1;
                            }
                            if is_block_tag(tag) && tag != "hr" {
                                flush(&mut f, &mut line, &mut cur, &stack);
                                let parent = stack.last().copied();
                                if let Some(p) = parent {
                                    f.elems[p].block_children += 1;
                                }
                                let idx = f.elems.len();
                                f.elems.push(Elem {
                                    parent,
                                    tag: tag.to_owned(),
                                    names,
                                    first: f.blocks.len(),
                                    end: f.blocks.len(),
                                    owned: 0,
                                    block_children: 0,
                                });
                                elem_of.insert(node.id(), idx);
                                stack.push(idx);
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    let Node::Element(el) = node.value() else {
                        continue;
                    };
                    let tag = el.name();
                    match tag {
                        "a" => link_depth = link_depth.saturating_sub(1),
                        "b" | "strong" => bold_depth = bold_depth.saturating_sub(1),
                        "article" | "main" => article_depth = article_depth.saturating_sub(1),
                        _ => {}
                    }
                    if let Some(&idx) = elem_of.get(&node.id()) {
                        flush(&mut f, &mut line, &mut cur, &stack);
                        f.elems[idx].end = f.blocks.len();
                        if stack.last() == Some(&idx) {
                            stack.pop();
                        }
                    }
                }
            }
        }
        flush(&mut f, &mut line, &mut cur, &stack);
        f
    }

    fn chars(&self, e: usize) -> usize {
        self.chars_ps[self.elems[e].end] - self.chars_ps[self.elems[e].first]
    }

    fn link_density(&self, e: usize) -> f64 {
        let chars = self.chars(e);
        if chars == 0 {
            return 1.0;
        }
        let links = self.link_ps[self.elems[e].end] - self.link_ps[self.elems[e].first];
        links as f64 / chars as f64
    }

    fn links(&self, e: usize) -> usize {
        self.links_ps[self.elems[e].end] - self.links_ps[self.elems[e].first]
    }

    /// True for containers that are mostly links: menus, related-news lists.
    fn is_link_list(&self, e: usize) -> bool {
        self.links(e) >= 3 && self.link_density(e) > 0.5
    }

    fn is_ancestor(&self, a: usize, mut e: usize) -> bool {
        loop {
            if e == a {
                return true;
            }
            match self.elems[e].parent {
                Some(p) => e = p,
                None => return false,
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Scoring

fn is_heading_tag(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn tag_weight(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "main" => 5.0,
        "section" => 2.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "th" => -5.0,
        t if is_heading_tag(t).is_some() => -5.0,
        _ => 0.0,
    }
}

fn class_weight(names: &str) -> f64 {
    if names.is_empty() {
        return 0.0;
    }
    const POSITIVE: [&str; 14] = [
        "article",
        "content",
        "main",
        "text",
        "body",
        "entry",
        "post",
        "story",
        "detail",
        "zoom",
        "trs_editor",
        "rich_media",
        "js_content",
        "con_con",
    ];
    const NEGATIVE: [&str; 24] = [
        "comment",
        "foot",
        "sidebar",
        "related",
        "relate",
        "share",
        "banner",
        "sponsor",
        "promo",
        "widget",
        "tool",
        "tags",
        "nav",
        "menu",
        "crumb",
        "copyright",
        "link",
        "list",
        "hot",
        "rank",
        "recommend",
        "login",
        "search",
        "header",
    ];
    let mut w = 0.0;
    if POSITIVE.iter().any(|p| names.contains(p)) {
        w += 25.0;
    }
    if NEGATIVE.iter().any(|p| names.contains(p))
        || tokens(names).any(|t| t == "side" || t == "top")
    {
        w -= 25.0;
    }
    w
}

fn block_score(b: &Block) -> f64 {
    let own = b.chars - b.link_chars;
    if own < 10 {
        return 0.0;
    }
    1.0 + b.punct as f64 + (own as f64 / 100.0).min(3.0)
}

/// Is the element a paragraph (credits its parent) rather than a container?
fn is_paragraph_like(e: &Elem) -> bool {
    match e.tag.as_str() {
        "p" | "li" | "dd" | "dt" | "pre" | "blockquote" | "figcaption" | "address" | "caption"
        | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "summary" | "legend" => true,
        "td" | "th" | "body" | "html" | "article" | "main" => false,
        _ => e.block_children == 0 && e.owned <= 1,
    }
}

/// Picks the article body; returns the chosen block ranges, in order.
fn content_ranges(f: &Flat) -> Vec<(usize, usize)> {
    let n = f.elems.len();
    let mut score: Vec<Option<f64>> = vec![None; n];
    for b in &f.blocks {
        let s = block_score(b);
        if s <= 0.0 {
            continue;
        }
        let owner = &f.elems[b.elem];
        let base = if is_paragraph_like(owner) {
            owner.parent
        } else {
            Some(b.elem)
        };
        let mut cur = base;
        let mut level = 0;
        while let (Some(e), true) = (cur, level < 5) {
            let entry = score[e].get_or_insert_with(|| {
                tag_weight(&f.elems[e].tag) + class_weight(&f.elems[e].names)
            });
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *entry += s / div;
            cur = f.elems[e].parent;
            level += 1;
        }
    }
    let final_score = |e: usize, s: f64| s * (1.0 - f.link_density(e));
    let mut ranked: Vec<(usize, f64)> = score
        .iter()
        .enumerate()
        .filter_map(|(e, s)| s.map(|s| (e, final_score(e, s))))
        .collect();
    if ranked.is_empty() {
        return match f.elems.iter().position(|e| e.tag == "body") {
            Some(b) => vec![(f.elems[b].first, f.elems[b].end)],
            None => vec![(0, f.blocks.len())],
        };
    }
    // Best first; on ties the deeper (later in document order) element wins.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut top = ranked[0].0;
    let top_score = ranked[0].1;

    // Readability: when several near-best candidates share an ancestor, the
    // ancestor is the article (paragraphs each wrapped in their own element).
    let alternatives: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(4)
        .filter(|(e, s)| {
            top_score > 0.0
                && *s >= 0.75 * top_score
                && !f.is_ancestor(*e, top)
                && !f.is_ancestor(top, *e)
        })
        .map(|(e, _)| *e)
        .collect();
    if alternatives.len() >= 2 {
        let mut anc = f.elems[top].parent;
        while let Some(a) = anc {
            if f.elems[a].tag == "body" {
                break;
            }
            let contained = alternatives
                .iter()
                .filter(|&&e| f.is_ancestor(a, e))
                .count();
            if contained >= 2 {
                top = a;
                break;
            }
            anc = f.elems[a].parent;
        }
    }
    // A wrapper with nothing but the candidate is the same article.
    while let Some(p) = f.elems[top].parent {
        let pe = &f.elems[p];
        if pe.block_children == 1 && pe.owned == 0 && !matches!(pe.tag.as_str(), "body" | "html") {
            top = p;
        } else {
            break;
        }
    }
    // Siblings that look like more of the article join it.
    let mut ranges = vec![(f.elems[top].first, f.elems[top].end)];
    if let Some(parent) = f.elems[top].parent {
        let top_final = score[top].map(|s| final_score(top, s)).unwrap_or(0.0);
        let threshold = (top_final * 0.2).max(10.0);
        for (e, el) in f.elems.iter().enumerate() {
            if e == top || el.parent != Some(parent) || el.first == el.end {
                continue;
            }
            let ld = f.link_density(e);
            let own = f.chars(e) as f64 * (1.0 - ld);
            let by_score = score[e].is_some_and(|s| final_score(e, s) >= threshold);
            let by_text = ld < 0.25 && own >= 80.0;
            let by_sentence = ld == 0.0
                && own > 0.0
                && f.blocks[el.first..el.end]
                    .iter()
                    .any(|b| b.text.contains('。') && b.chars >= 20);
            if by_score || by_text || by_sentence {
                ranges.push((el.first, el.end));
            }
        }
    }
    ranges.sort();
    ranges
}

// ---------------------------------------------------------------------------
// Assembly

/// Letters, digits and ideographs only, for comparing headings with titles.
fn norm(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

fn contains_seq(hay: &[char], needle: &[char]) -> bool {
    !needle.is_empty()
        && hay.len() >= needle.len()
        && hay.windows(needle.len()).any(|w| w == needle)
}

/// "发布日期：2024-03-06 来源：…" and the like.
fn is_meta_line(s: &str) -> bool {
    words::META_HINTS.iter().any(|k| s.contains(k)) && has_date(s)
}

fn has_date(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    c.windows(6).any(|w| {
        w[..4].iter().all(char::is_ascii_digit)
            && matches!(w[4], '-' | '/' | '.' | '年')
            && w[5].is_ascii_digit()
    })
}

/// Breadcrumbs, previous/next links, related-news headings, print tools.
fn is_boilerplate(line: &str) -> bool {
    let opens = |list: &[&str]| list.iter().any(|p| line.starts_with(p));
    if opens(&words::BREADCRUMB_OPENERS) || opens(&words::PAGE_LINKS) {
        return true;
    }
    let chars = visible_len(line);
    if chars <= 12 {
        let t = line.trim_end_matches([':', '：', ' ', '>', '》', '›', '»']);
        if words::RELATED_HEADS.iter().any(|h| t.starts_with(h))
            && words::RELATED_TAILS.iter().any(|x| t.ends_with(x))
        {
            return true;
        }
    }
    if chars <= 40 {
        let mut rest = line.to_owned();
        for tool in TOOLS.iter() {
            rest = rest.replace(tool, "");
        }
        if rest.chars().all(|c| {
            is_space(c)
                || matches!(
                    c,
                    ':' | '：'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                        | '·'
                        | '/'
                        | '｜'
                        | '-'
                        | '>'
                        | '【'
                        | '】'
                        | '['
                        | ']'
                        | '|'
                )
        }) {
            return true;
        }
    }
    false
}

fn headline_index(f: &Flat, ranges: &[(usize, usize)], title: Option<&str>) -> Option<usize> {
    let (first, _) = *ranges.first()?;
    let end = ranges.last()?.1;
    let title_n = title.map(norm).unwrap_or_default();
    let mut best: Option<(usize, f64)> = None;
    for (i, b) in f.blocks.iter().enumerate().take(end) {
        if b.chars < 2 || b.chars > 150 || is_boilerplate(&b.text) || is_meta_line(&b.text) {
            continue;
        }
        // Far before the body is the page chrome.
        if i + 40 < first {
            continue;
        }
        let owner = &f.elems[b.elem];
        let parent_names = owner
            .parent
            .map(|p| f.elems[p].names.as_str())
            .unwrap_or("");
        let mut evidence = 0.0;
        evidence += match is_heading_tag(&owner.tag) {
            Some(1) => 30.0,
            Some(2) => 20.0,
            Some(3) => 12.0,
            Some(_) => 6.0,
            None => 0.0,
        };
        let titled =
            |n: &str| n.contains("tit") || n.contains("headline") || n.contains("activity-name");
        if titled(&owner.names) || titled(parent_names) {
            evidence += if owner.names.contains("subtit") {
                4.0
            } else {
                12.0
            };
        }
        let h = norm(&b.text);
        if h.len() >= 4 && !title_n.is_empty() {
            if contains_seq(&title_n, &h) {
                evidence += 60.0 * h.len() as f64 / title_n.len() as f64;
            } else if title_n.len() >= 4
                && title_n.len() * 2 >= h.len()
                && contains_seq(&h, &title_n)
            {
                evidence += 50.0;
            }
        }
        if f.blocks.get(i + 1).is_some_and(|n| is_meta_line(&n.text)) {
            evidence += 20.0;
        }
        if evidence <= 0.0 {
            continue;
        }
        let mut score = evidence;
        if b.bold_chars * 10 >= b.chars * 8 {
            score += 5.0;
        }
        score += (b.chars.min(40) as f64) / 4.0;
        if b.link_chars * 2 > b.chars {
            score -= 15.0;
        }
        let distance = if i < first {
            (first - i - 1) as f64 * 3.0
        } else {
            (i - first) as f64 * 4.0
        };
        score -= distance.min(60.0);
        if score > 0.0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// Blocks inside link lists (menus, related news) within the article.
fn in_link_list(f: &Flat, block: usize, top_first: usize, top_end: usize) -> bool {
    let mut e = Some(f.blocks[block].elem);
    while let Some(i) = e {
        let el = &f.elems[i];
        if el.first <= top_first && el.end >= top_end {
            break; // reached the article container itself
        }
        if f.is_link_list(i) {
            return true;
        }
        e = el.parent;
    }
    false
}

/// The longest cell of a data table, in characters: a longer one holds an
/// article or a menu, and its table lays out a page.
const MAX_DATA_CELL: usize = 60;

/// The longest cell of a data table that holds a sentence (a remark); a
/// longer one is a paragraph of an article laid out in a table.
const MAX_SENTENCE_CELL: usize = 30;

/// The row each block of a data table belongs to, and that row as one line,
/// its cells joined by ` | ` (a cell's blocks joined by a space).
///
/// A data table has two or more rows of the same number (two or more) of
/// cells, besides rows of a single cell (a title across the table); short
/// cells, none a paragraph; no table nested in it; and not mostly links. Anything else is a
/// page laid out with a table (rows holding the article, the menu, the
/// sidebar), whose blocks stay lines of their own.
fn data_table_rows(f: &Flat) -> HashMap<usize, (usize, String)> {
    let parent_tag = |e: usize| f.elems[e].parent.map(|p| f.elems[p].tag.as_str());
    // The table each row and each cell belongs to.
    let table_of_row = |tr: usize| {
        let mut e = f.elems[tr].parent;
        while let Some(p) = e {
            match f.elems[p].tag.as_str() {
                "table" => return Some(p),
                "thead" | "tbody" | "tfoot" => e = f.elems[p].parent,
                _ => return None,
            }
        }
        None
    };
    let mut cells_of_row: HashMap<usize, Vec<usize>> = HashMap::new();
    for (e, el) in f.elems.iter().enumerate() {
        if matches!(el.tag.as_str(), "td" | "th") && parent_tag(e) == Some("tr") {
            let tr = el.parent.expect("a cell's row");
            cells_of_row.entry(tr).or_default().push(e);
        }
    }
    let mut rows_of_table: HashMap<usize, Vec<usize>> = HashMap::new();
    for &tr in cells_of_row.keys() {
        if let Some(table) = table_of_row(tr) {
            rows_of_table.entry(table).or_default().push(tr);
        }
    }
    // Tables holding a table in one of their cells lay out a page.
    let mut layout: Vec<usize> = Vec::new();
    for el in &f.elems {
        if el.tag != "table" {
            continue;
        }
        let mut up = el.parent;
        while let Some(a) = up {
            if matches!(f.elems[a].tag.as_str(), "td" | "th") {
                if let Some(outer) = f.elems[a].parent.and_then(table_of_row) {
                    layout.push(outer);
                }
                break;
            }
            up = f.elems[a].parent;
        }
    }
    let mut out = HashMap::new();
    for (table, mut rows) in rows_of_table {
        if layout.contains(&table) || f.link_density(table) > 0.5 {
            continue;
        }
        rows.sort_by_key(|&tr| f.elems[tr].first);
        let widths: Vec<usize> = rows.iter().map(|tr| cells_of_row[tr].len()).collect();
        let width = widths.iter().copied().max().unwrap_or(0);
        let full = widths.iter().filter(|&&w| w == width).count();
        let regular = widths.iter().all(|&w| w == width || w <= 1);
        let short = rows.iter().flat_map(|tr| &cells_of_row[tr]).all(|&cell| {
            let chars = f.chars(cell);
            let el = &f.elems[cell];
            let sentence = f.blocks[el.first..el.end]
                .iter()
                .any(|b| b.text.contains(['。', '！', '？']));
            chars <= MAX_DATA_CELL && !(sentence && chars > MAX_SENTENCE_CELL)
        });
        if width < 2 || full < 2 || !regular || !short {
            continue;
        }
        for tr in rows {
            let mut cells = cells_of_row[&tr].clone();
            cells.sort_by_key(|&c| f.elems[c].first);
            let texts: Vec<String> = cells
                .iter()
                .map(|&c| {
                    let el = &f.elems[c];
                    let parts: Vec<&str> = f.blocks[el.first..el.end]
                        .iter()
                        .map(|b| b.text.as_str())
                        .collect();
                    parts.join(" ")
                })
                .filter(|t| !t.is_empty())
                .collect();
            let line = texts.join(" | ");
            let el = &f.elems[tr];
            for block in el.first..el.end {
                out.insert(block, (tr, line.clone()));
            }
        }
    }
    out
}

fn article_lines(f: &Flat, title: Option<&str>) -> Vec<String> {
    if f.blocks.is_empty() {
        return title.map(|t| vec![t.to_owned()]).unwrap_or_default();
    }
    let ranges = content_ranges(f);
    let (first, _) = ranges[0];
    let headline = headline_index(f, &ranges, title);
    let mut lines: Vec<String> = Vec::new();
    let mut start_at = first;
    match headline {
        Some(h) => {
            lines.push(f.blocks[h].text.clone());
            if h < first {
                for b in &f.blocks[h + 1..first] {
                    if lines.len() > 6 {
                        break;
                    }
                    if b.chars <= 200 && b.link_chars * 2 <= b.chars && !is_boilerplate(&b.text) {
                        lines.push(b.text.clone());
                    }
                }
            } else {
                start_at = h + 1;
            }
        }
        None => {
            if let Some(t) = title {
                lines.push(strip_site_name(t));
            }
        }
    }
    let headline_text = lines.first().cloned();
    let mut dropped_repeat = false;
    let table_rows = data_table_rows(f);
    let mut last_row = None;
    for &(a, b) in &ranges {
        for i in a.max(start_at)..b {
            let block = &f.blocks[i];
            // Breadcrumbs, tools and 上一篇 / 相关新闻 lines stay: the page
            // reader drops them, and ends the article at the last kind.
            if in_link_list(f, i, a, b) {
                continue;
            }
            if !dropped_repeat && headline_text.as_deref() == Some(block.text.as_str()) {
                dropped_repeat = true;
                continue;
            }
            match table_rows.get(&i) {
                Some((row, _)) if last_row == Some(*row) => {}
                Some((row, line)) => {
                    last_row = Some(*row);
                    lines.push(line.clone());
                }
                None => lines.push(block.text.clone()),
            }
        }
    }
    lines
}

/// "标题_XX市总工会" → "标题".
fn strip_site_name(title: &str) -> String {
    for sep in [" - ", " – ", " — ", " | ", "｜", "_", " -", "--"] {
        if let Some((head, _)) = title.split_once(sep) {
            let head = head.trim();
            if head
                .chars()
                .filter(|c| is_cjk(*c) || c.is_alphanumeric())
                .count()
                >= 4
            {
                return head.to_owned();
            }
        }
    }
    title.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_lines() {
        assert!(is_boilerplate("当前位置：首页 > 工会新闻"));
        assert!(is_boilerplate("【字体：大 中 小】【打印本页】【关闭窗口】"));
        assert!(is_boilerplate("相关新闻"));
        assert!(is_boilerplate("上一篇：某某"));
        assert!(!is_boilerplate(
            "大会强调，要把职工群众的大事小情放在心上。"
        ));
        assert!(!is_boilerplate("中国工会第十八次全国代表大会"));
    }

    #[test]
    fn meta_lines() {
        assert!(is_meta_line("发布日期：2024-03-06 来源：XX市总工会"));
        assert!(is_meta_line("2024年03月06日 10:00 发表于北京 作者：张三"));
        assert!(!is_meta_line("市总工会召开2024年工作会议"));
    }

    #[test]
    fn decodes_gbk_pages() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<html><head><meta charset=\"gb2312\"><title>工会</title></head><body><p>职工之家</p></body></html>");
        let s = decode_html(&bytes);
        assert!(s.contains("职工之家"), "{s}");
        let t = html_text_from_bytes(&bytes);
        assert_eq!(t.title.as_deref(), Some("工会"));
        // Undeclared, not UTF-8: GB18030.
        let (bytes, _, _) = encoding_rs::GBK.encode("<p>职工之家</p>");
        assert_eq!(decode_html(&bytes), "<p>职工之家</p>");
    }

    #[test]
    fn site_name_stripped() {
        assert_eq!(
            strip_site_name("市总工会召开全委会议_XX市总工会"),
            "市总工会召开全委会议"
        );
        assert_eq!(strip_site_name("简短"), "简短");
    }
}

// ---------------------------------------------------------------------------
// Nesting, checked before parsing

/// Deepest element nesting a page may have. html5ever checks scopes by
/// walking the open elements, so a page of 100,000 nested `<div>`s costs
/// time in the square of its depth; real pages nest a few dozen deep, and
/// sloppy ones with unclosed `<font>`s a few hundred.
pub const MAX_HTML_DEPTH: usize = 1_000;

/// The deepest nesting of elements in `html`, counted by a quick scan of
/// its tags (void elements, self-closing tags and the elements the parser
/// closes by itself, such as `<p>` and `<li>`, are not counted; script and
/// style contents are skipped). Stops counting at `limit + 1`.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(&bytes[i..], b"-->").map_or(bytes.len(), |end| i + end + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
            .map_or(bytes.len(), |n| name_start + n);
        if name_end == name_start {
            continue;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = bytes[name_end..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |n| name_end + n);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        i = (tag_end + 1).min(bytes.len());
        if is_raw_text(&name) && !closing {
            let close = format!("</{name}");
            i = find_ignoring_case(&bytes[i..], close.as_bytes()).map_or(bytes.len(), |n| i + n);
            continue;
        }
        if self_closing || is_void_or_self_closed(&name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > limit {
                return deepest;
            }
        }
    }
    deepest
}

fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "noscript"
    )
}

fn is_void_or_self_closed(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
    )
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod nesting_tests {
    use super::*;

    #[test]
    fn nesting_is_counted_the_way_the_parser_nests() {
        let cases = [
            ("<div><div><span>x</span></div></div>", 3),
            ("<p>a<p>b<p>c<ul><li>1<li>2</ul>", 1),
            ("<div><br><img src=x><hr/><input></div>", 1),
            (
                "<script>if (a<b) { x = '<div><div>' }</script><div></div>",
                1,
            ),
            ("<!-- <div><div><div> --><div>", 1),
            ("<x-a><x-b><x-c>", 3),
        ];
        for (html, want) in cases {
            assert_eq!(nesting_depth(html, 100), want, "{html}");
        }
        let deep = "<div>".repeat(5_000);
        assert_eq!(nesting_depth(&deep, MAX_HTML_DEPTH), MAX_HTML_DEPTH + 1);
    }
}
