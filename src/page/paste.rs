//! Text pasted from a web page, a WeChat article, a forum, a portal, or typed
//! bare → one article: its headline, the date and source printed near it,
//! and its body without the page's clutter.
//!
//! A page with no `#` heading is read here. Every line is first classed on
//! its own ([`class_of`]):
//!
//! - **chrome** is dropped wherever it stands: breadcrumbs (`当前位置：首页 >
//!   …`), menus (`首页 | 工会动态 | …`), font, print and share bars, image
//!   file names and captions (`图为…`, `▲…`), forum and WeChat buttons
//!   (`查看: 56|回复: 0`, `点击上方蓝字关注我们`);
//! - **meta** lines (`发布日期：… 来源：… 作者：… 浏览次数：…`, a government
//!   panel's `索引号：…`, `原创 某某工会 2024-03-06 18:30`, `编辑：… 审核：…`)
//!   are dropped and read: their date, source and credits fill the article's
//!   fields;
//! - an **end** marker (`上一篇`, `相关新闻`, `往期推荐`, `阅读原文`, a
//!   copyright or ICP line) after the body has begun ends the article: what
//!   follows is other articles' teasers and the site's footer;
//! - everything else is **text**.
//!
//! The body begins at the first line of prose (a sentence that ends with
//! `。`, or a long line with commas). The headline is the line a reader sees
//! above it: among the headline-like text lines before the body (ordinary
//! punctuation allowed; not a site name, an organisation or a slogan), the
//! last run of them before the body, whose first line is the headline
//! unless it is a short kicker; a line opening with `——` is the subtitle.
//! `原标题：`, `转发：` and `（图）` decorations are taken off. A paste with no
//! such line takes its first line, or failing that its first sentence, so a
//! paste is never lost for want of a title.

use super::body::Piece;
use super::date::printed_date;
use super::punctuation::{excerpt, fold, is_sentence_final, is_space, trim};
use super::title::is_organisation;
use crate::article::TitleBlock;
use crate::zh::is_han;
use chrono::NaiveDate;

/// One non-blank line of the paste, cleaned and trimmed.
#[derive(Debug, Clone)]
pub(super) struct PasteLine {
    /// 1-based line number.
    pub number: usize,
    /// Its text.
    pub text: String,
}

/// What a paste holds, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Paste {
    /// The title block and the line of its headline; `None` only for a
    /// paste with no text.
    pub title: Option<(TitleBlock, usize)>,
    /// True when no line read as a headline and the first sentence was used.
    pub title_from_body: bool,
    /// The body lines, clutter removed, in order.
    pub pieces: Vec<Piece>,
    /// The date printed near the headline (`发布日期：…`).
    pub printed_date: Option<NaiveDate>,
    /// `来源：…`, `转载自…`, or the WeChat account's name.
    pub source: Option<String>,
    /// `作者：…`, `记者：…`, `文/…`.
    pub authors: Vec<String>,
    /// `编辑：…`, `责编：…`, `审核：…`, as written.
    pub credits: Vec<String>,
    /// How many lines were removed as clutter.
    pub removed: usize,
}

/// How one line of a paste is read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Class {
    /// Prose, a headline, or anything not known as clutter.
    Text,
    /// Page furniture, dropped.
    Chrome,
    /// A breadcrumb or a menu: dropped, and no headline runs across it.
    Nav,
    /// Date, source and credits, dropped and read.
    Meta(Meta),
    /// Where the article ends, once its body has begun.
    End,
    /// `原标题：…`: the original headline.
    OriginalTitle(String),
}

/// What a meta line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Meta {
    date: Option<NaiveDate>,
    source: Option<String>,
    authors: Vec<String>,
    credits: Vec<String>,
}

/// What a `key：value` field of a meta line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// A date: only trusted near the headline.
    Date,
    /// Where the article comes from.
    Source,
    /// Who wrote it.
    Author,
    /// Who edited, checked, photographed it.
    Credit,
    /// View counts, panel fields, font bars: nothing to keep.
    Noise,
}

/// Keys of `key：value` fields, longest first where one contains another.
const FIELDS: &[(&str, Field)] = &[
    ("发布日期", Field::Date),
    ("发布时间", Field::Date),
    ("发表时间", Field::Date),
    ("更新时间", Field::Date),
    ("更新日期", Field::Date),
    ("成文日期", Field::Date),
    ("生成日期", Field::Date),
    ("发文日期", Field::Date),
    ("上传时间", Field::Date),
    ("时间", Field::Date),
    ("日期", Field::Date),
    ("信息来源", Field::Source),
    ("文章来源", Field::Source),
    ("稿件来源", Field::Source),
    ("新闻来源", Field::Source),
    ("消息来源", Field::Source),
    ("来源", Field::Source),
    ("出处", Field::Source),
    ("转载自", Field::Source),
    ("转自", Field::Source),
    ("发布机构", Field::Source),
    ("发文机关", Field::Source),
    ("作者", Field::Author),
    ("撰稿", Field::Author),
    ("撰文", Field::Author),
    ("文字", Field::Author),
    ("记者", Field::Author),
    ("通讯员", Field::Author),
    ("供稿", Field::Author),
    ("责任编辑", Field::Credit),
    ("值班编辑", Field::Credit),
    ("网络编辑", Field::Credit),
    ("编辑", Field::Credit),
    ("责编", Field::Credit),
    ("编审", Field::Credit),
    ("审核", Field::Credit),
    ("审校", Field::Credit),
    ("审签", Field::Credit),
    ("校对", Field::Credit),
    ("初审", Field::Credit),
    ("复审", Field::Credit),
    ("终审", Field::Credit),
    ("统筹", Field::Credit),
    ("监制", Field::Credit),
    ("排版", Field::Credit),
    ("美编", Field::Credit),
    ("摄影", Field::Credit),
    ("图片", Field::Credit),
    ("图文", Field::Credit),
    ("视频", Field::Credit),
    ("浏览次数", Field::Noise),
    ("浏览量", Field::Noise),
    ("浏览", Field::Noise),
    ("阅读量", Field::Noise),
    ("阅读数", Field::Noise),
    ("阅读", Field::Noise),
    ("点击数", Field::Noise),
    ("点击量", Field::Noise),
    ("点击", Field::Noise),
    ("访问量", Field::Noise),
    ("访问次数", Field::Noise),
    ("查看", Field::Noise),
    ("回复", Field::Noise),
    ("字体", Field::Noise),
    ("字号", Field::Noise),
    ("索引号", Field::Noise),
    ("主题词", Field::Noise),
    ("主题分类", Field::Noise),
    ("体裁分类", Field::Noise),
    ("文号", Field::Noise),
    ("发文字号", Field::Noise),
    ("公开方式", Field::Noise),
    ("公开范围", Field::Noise),
    ("有效性", Field::Noise),
    ("分类", Field::Noise),
    ("所属栏目", Field::Noise),
    ("栏目", Field::Noise),
    ("标签", Field::Noise),
    ("关键词", Field::Noise),
    ("分享到", Field::Noise),
    ("微信号", Field::Noise),
    ("公众号", Field::Noise),
    ("分享", Field::Noise),
];

/// Words that, alone on a short line, are page furniture.
const CHROME_WORDS: &[&str] = &[
    "点击上方蓝字关注我们",
    "点击上方蓝字",
    "点击蓝字关注我们",
    "点击蓝字",
    "关注我们",
    "长按识别二维码",
    "长按二维码",
    "识别二维码",
    "扫码关注",
    "微信扫一扫",
    "扫一扫在手机打开当前页",
    "扫一扫在手机上查看当前页面",
    "扫一扫",
    "在手机打开",
    "向上滑动看下一个",
    "打印本页",
    "打印本文",
    "打印",
    "关闭窗口",
    "关闭本页",
    "关闭",
    "收藏本文",
    "收藏",
    "点赞",
    "在看",
    "分享",
    "转发",
    "推荐",
    "复制链接",
    "电梯直达",
    "只看该作者",
    "只看楼主",
    "楼主",
    "沙发",
    "板凳",
    "举报",
    "回复",
    "引用",
    "评分",
    "返回顶部",
    "返回首页",
    "返回",
    "字体",
    "字号",
    "放大",
    "缩小",
    "默认",
    "大",
    "中",
    "小",
    "微信",
    "微博",
    "QQ空间",
    "QQ",
    "朋友圈",
    "积分",
    "帖子",
    "主题",
    "精华",
    "在线时间",
    "注册时间",
    "最后登录",
    "小时",
    "阅读模式",
    "听全文",
    "播放",
    "暂停",
    "图片",
    "视频",
    "原创",
    "置顶",
    "关注",
    "已关注",
    "注册会员",
    "高级会员",
    "中级会员",
    "初级会员",
    "金牌会员",
    "新手上路",
    "超级版主",
    "版主",
    "管理员",
    "发消息",
    "加好友",
    "串个门",
    "打招呼",
    "离线",
    "在线",
    "倒序查看",
    "倒序浏览",
    "正序浏览",
    "阅读模式",
    "打赏",
    "只看该作者",
];

/// Words of a forum member's stats line (`UID 88231 帖子 1402 积分 2875`).
const FORUM_STATS: [&str; 12] = [
    "uid",
    "帖子",
    "积分",
    "精华",
    "主题",
    "注册时间",
    "在线时间",
    "阅读权限",
    "威望",
    "金钱",
    "贡献",
    "最后登录",
];

/// Opening words of a line that says who wrote or edited the post, or which
/// account the article comes from: dropped, its date and source read.
const POST_NOTES: [&str; 6] = [
    "发表于",
    "发布于",
    "编辑于",
    "最后编辑于",
    "本帖最后由",
    "以下文章来源于",
];

/// Lines that end the article once its body has begun: the site's lists of
/// other articles, its buttons and its footer. Matched at the line's start.
const END_OPENERS: &[&str] = &[
    "上一篇",
    "下一篇",
    "上一条",
    "下一条",
    "上一页",
    "下一页",
    "相关新闻",
    "相关阅读",
    "相关链接",
    "相关文章",
    "相关推荐",
    "相关报道",
    "新闻推荐",
    "推荐阅读",
    "往期推荐",
    "往期回顾",
    "往期精彩",
    "热点推荐",
    "热点新闻",
    "热门文章",
    "热门推荐",
    "精彩推荐",
    "更多精彩",
    "延伸阅读",
    "猜你喜欢",
    "喜欢此内容的人还喜欢",
    "阅读原文",
    "写留言",
    "留言",
    "精选留言",
    "返回列表",
    "发布新帖",
    "版权所有",
    "版权声明",
    "主办单位",
    "主办：",
    "承办单位",
    "技术支持",
    "网站地图",
    "联系我们",
    "关于我们",
    "网站标识码",
    "免责声明",
    "网友评论",
    "发表评论",
    "全部评论",
    "热门评论",
    "评论区",
    "我要评论",
    "copyright",
    "©",
    "(c)",
    "-end-",
    "—end—",
    "end",
    "(完)",
    "【完】",
];

/// Forum buttons and floor names that open the replies under a post: once
/// the body has begun, other people's replies follow.
const REPLY_MARKERS: &[&str] = &[
    "回复举报",
    "举报",
    "回复",
    "沙发",
    "板凳",
    "地板",
    "地下室",
    "引用",
    "支持反对",
];

/// Words of a repost's disclaimer or credit note, a line of its own under the
/// article (`本文转载仅为传递信息，如有侵权请联系删除`).
const DISCLAIMER_MARKS: &[&str] = &[
    "侵权",
    "转载请注明",
    "转载此文",
    "原文刊于",
    "原文链接",
    "阅读原文",
    "版权归原作者",
    "版权归作者",
    "免责声明",
    "不代表本",
    "禁止转载",
    "未经授权",
    "请勿转载",
    "收到请回复",
    "请相互转告",
];

/// Words anywhere in a short line that make it a footer.
const FOOTER_MARKS: &[&str] = &[
    "icp备",
    "icp证",
    "公网安备",
    "网安备",
    "版权所有",
    "copyright",
    "©",
    "网站标识码",
    "技术支持",
    "建议使用",
    "分辨率",
];

/// Endings of a site's or an account's name, not a headline.
const SITE_ENDINGS: &[&str] = &[
    "网",
    "中心",
    "日报",
    "晚报",
    "电视台",
    "融媒",
    "头条",
    "官网",
    "门户",
    "门户网站",
    "网站",
    "客户端",
    "公众号",
    "平台",
    "频道",
    "在线",
    "之家",
    "发布",
    "新闻网",
];

/// Opening words of a breadcrumb.
const BREADCRUMB_OPENERS: &[&str] = &[
    "当前位置",
    "您现在的位置",
    "您的位置",
    "你的位置",
    "你现在的位置",
    "所在位置",
    "位置:",
    "首页>",
    "首页 >",
    "首页»",
    "首页/",
];

/// Decorations before a headline (`原标题：`, `转发：`).
const TITLE_PREFIXES: &[&str] = &[
    "【转发】",
    "[转发]",
    "转发:",
    "转载:",
    "转:",
    "[转载]",
    "[转]",
    "【转载】",
    "【转】",
    "【原创】",
    "[原创]",
];

/// Decorations after a headline (`（图）`).
const TITLE_SUFFIXES: &[&str] = &[
    "(图)",
    "(组图)",
    "(附图)",
    "(图文)",
    "(视频)",
    "[图]",
    "[组图]",
    "[图文]",
    "【图】",
    "【组图】",
    "【视频】",
];

/// Reads a paste's lines (blank lines left out) into one article.
pub(super) fn read(lines: &[PasteLine]) -> Paste {
    let classes: Vec<Class> = lines.iter().map(|l| class_of(&l.text)).collect();
    let body_start = lines
        .iter()
        .zip(&classes)
        .position(|(line, class)| *class == Class::Text && is_prose(&line.text));
    let header_end = body_start.unwrap_or(lines.len());

    let mut paste = Paste::default();
    let original = classes.iter().find_map(|c| match c {
        Class::OriginalTitle(title) => Some(title.clone()),
        _ => None,
    });
    let title = choose_title(lines, &classes, header_end);

    // Header meta: date, source, credits; the date only here.
    for (i, class) in classes.iter().enumerate() {
        if let Class::Meta(meta) = class {
            let near_headline = i < header_end
                || title.as_ref().is_some_and(|t| i <= t.last + 3)
                || body_start.is_some_and(|b| i <= b + 1);
            if near_headline && paste.printed_date.is_none() {
                paste.printed_date = meta.date;
            }
        }
    }

    let (headline_index, used) = match &title {
        Some(t) => (Some(t.headline), t.used.clone()),
        None => (None, Vec::new()),
    };
    let mut ended = false;
    let mut seen_body = false;
    for (i, (line, class)) in lines.iter().zip(&classes).enumerate() {
        if used.contains(&i) {
            continue;
        }
        let before_headline = headline_index.is_some_and(|h| i < h);
        match class {
            Class::Meta(meta) => {
                paste.removed += 1;
                take_credits(&mut paste, meta, ended);
            }
            Class::Chrome | Class::Nav | Class::OriginalTitle(_) => paste.removed += 1,
            Class::End if seen_body => {
                ended = true;
                paste.removed += 1;
            }
            Class::End => paste.removed += 1,
            Class::Text if ended || before_headline => {
                paste.removed += 1;
                // A credit line after the end marker still names the source.
                if ended && let Class::Meta(meta) = credit_line(&line.text) {
                    take_credits(&mut paste, &meta, false);
                }
            }
            Class::Text => {
                if i < header_end && is_account_name(&line.text) {
                    paste.removed += 1;
                    if paste.source.is_none() {
                        paste.source = Some(line.text.clone());
                    }
                    continue;
                }
                if let Class::Meta(meta) = credit_line(&line.text) {
                    paste.removed += 1;
                    take_credits(&mut paste, &meta, false);
                    continue;
                }
                seen_body |= body_start.is_some_and(|b| i >= b);
                paste.pieces.push(Piece {
                    line: line.number,
                    text: line.text.clone(),
                });
            }
        }
    }
    // The account's name or the paper's, signed under the body; headlines
    // of other articles left after it (a list whose heading was lost).
    let prose_pieces = paste.pieces.iter().filter(|p| is_prose(&p.text)).count();
    let mut trailing_prose = prose_pieces;
    while let Some(last) = paste.pieces.last() {
        let teaser = trailing_prose > 0 && !is_prose(&last.text) && is_headline_like(&last.text);
        if teaser || is_organisation(&last.text) || is_account_name(&last.text) {
            if is_prose(&last.text) {
                trailing_prose -= 1;
            }
            paste.pieces.pop();
            paste.removed += 1;
        } else {
            break;
        }
    }

    paste.title = match title {
        Some(t) => Some((t.block, lines[t.headline].number)),
        None => original
            .map(|headline| {
                let number = lines
                    .iter()
                    .zip(&classes)
                    .find(|(_, c)| matches!(c, Class::OriginalTitle(_)))
                    .map_or(1, |(l, _)| l.number);
                (
                    TitleBlock {
                        headline,
                        ..TitleBlock::default()
                    },
                    number,
                )
            })
            .or_else(|| {
                // Text with no Chinese at all (binary junk) is no article.
                let han = paste
                    .pieces
                    .iter()
                    .flat_map(|p| p.text.chars())
                    .filter(|&c| is_han(c));
                if han.take(2).count() < 2 {
                    return None;
                }
                let first = paste.pieces.first()?;
                paste.title_from_body = true;
                let headline = first_sentence(&first.text);
                Some((
                    TitleBlock {
                        headline,
                        ..TitleBlock::default()
                    },
                    first.line,
                ))
            }),
    };
    paste
}

/// Adds a meta line's source (the first one read wins) and, before the
/// article's end, its writers and credits to the paste.
fn take_credits(paste: &mut Paste, meta: &Meta, after_end: bool) {
    if let Some(source) = &meta.source
        && paste.source.is_none()
    {
        paste.source = Some(source.clone());
    }
    if after_end {
        return;
    }
    for author in &meta.authors {
        if !paste.authors.contains(author) {
            paste.authors.push(author.clone());
        }
    }
    for credit in &meta.credits {
        if !paste.credits.contains(credit) {
            paste.credits.push(credit.clone());
        }
    }
}

/// The headline chosen, its title block, and the lines it used.
struct ChosenTitle {
    block: TitleBlock,
    /// Index of the headline line.
    headline: usize,
    /// Index of the last line of the title block.
    last: usize,
    /// Indices of all lines of the title block.
    used: Vec<usize>,
}

/// Picks the headline among the text lines before the body (see the module
/// comment).
fn choose_title(lines: &[PasteLine], classes: &[Class], header_end: usize) -> Option<ChosenTitle> {
    let candidate = |i: usize| classes[i] == Class::Text && is_headline_like(&lines[i].text);
    // Runs of candidate lines: only chrome may stand between two of a run.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for (i, class) in classes.iter().enumerate().take(header_end) {
        if candidate(i) {
            current.push(i);
        } else if *class != Class::Chrome && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    // A forum poster's name or a column's (`金州老汪`, `最新公告`) is no
    // headline when a longer line is there to be one.
    let short = |run: &Vec<usize>| run.iter().all(|&i| lines[i].text.chars().count() < 7);
    if runs.iter().any(|run| !short(run)) {
        runs.retain(|run| !short(run));
    }
    // A headline is where the page prints its date: a run whose last line
    // is followed (past furniture) by a dated meta line wins over the runs
    // after it (a forum poster's name, a WeChat account).
    let dated = |run: &Vec<usize>| {
        let last = *run.last().unwrap_or(&0);
        classes[last + 1..]
            .iter()
            .take_while(|c| matches!(c, Class::Chrome | Class::Meta(_)))
            .any(|c| matches!(c, Class::Meta(meta) if meta.date.is_some()))
    };
    if let Some(at) = runs.iter().position(dated) {
        let long_enough = runs[at].iter().any(|&i| lines[i].text.chars().count() >= 8);
        if long_enough {
            runs.truncate(at + 1);
        }
    }
    // With no prose at all (a short paste), the first line is the headline.
    let no_body = header_end == lines.len();
    let mut run = if no_body {
        runs.first()?.clone()
    } else {
        let last = runs.pop()?;
        if last.len() == 1 && is_subtitle(&lines[last[0]].text) {
            let mut run = runs.pop().unwrap_or_default();
            run.extend(last);
            run
        } else {
            last
        }
    };
    // Three or more headline-like lines in a row: a list of other articles
    // ends in the headline (and its dashed subtitle).
    if run.len() > 2 {
        let keep = if is_subtitle(&lines[run[run.len() - 1]].text) {
            2
        } else {
            1
        };
        run = run.split_off(run.len() - keep);
    }
    if no_body && lines.len() > 1 {
        run.truncate(1);
    }
    let (subtitles, main): (Vec<usize>, Vec<usize>) =
        run.iter().partition(|&&i| is_subtitle(&lines[i].text));
    let (kicker, headline) = match main.as_slice() {
        [] => return None,
        [only] => (None, *only),
        [first, second, ..] => {
            let (a, b) = (&lines[*first].text, &lines[*second].text);
            let short = a.chars().count() <= 12 && b.chars().count() > a.chars().count();
            if short || a.ends_with(['：', ':']) {
                (Some(*first), *second)
            } else {
                (None, *first)
            }
        }
    };
    let subtitle_lines: Vec<usize> = subtitles
        .iter()
        .copied()
        .chain(
            main.iter()
                .copied()
                .filter(|&i| i != headline && Some(i) != kicker),
        )
        .collect();
    let subtitle = (!subtitle_lines.is_empty()).then(|| {
        subtitle_lines
            .iter()
            .map(|&i| {
                lines[i]
                    .text
                    .trim_start_matches(['—', '-', '─', ' '])
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut used: Vec<usize> = run.clone();
    let mut headline_text = clean_headline(&lines[headline].text);
    // A headline wrapped by a PDF or a narrow column leaves its last
    // characters on a line of their own (`…一线职工` / `手中`).
    if let Some(next) = lines.get(headline + 1)
        && classes[headline + 1] == Class::Text
        && !used.contains(&(headline + 1))
        && next.text.chars().count() <= 4
        && lines[headline].text.chars().count() >= 20
        && next.text.chars().all(is_han)
        && !is_account_name(&next.text)
        && !next.text.ends_with("工会")
    {
        headline_text.push_str(&next.text);
        used.push(headline + 1);
    }
    used.sort_unstable();
    Some(ChosenTitle {
        block: TitleBlock {
            kicker: kicker.map(|i| lines[i].text.clone()),
            headline: headline_text,
            subtitle,
            ..TitleBlock::default()
        },
        headline,
        last: *used.last().unwrap_or(&headline),
        used,
    })
}

/// A headline without `转发：` before it or `（图）` after it, runs of spaces
/// made one.
pub(super) fn clean_headline(text: &str) -> String {
    let folded: String = text.chars().map(fold).collect();
    let mut start = 0;
    for prefix in TITLE_PREFIXES {
        if folded.starts_with(prefix) {
            start = prefix.chars().count();
            break;
        }
    }
    let mut chars: Vec<char> = text.chars().skip(start).collect();
    let folded_rest: String = folded.chars().skip(start).collect();
    for suffix in TITLE_SUFFIXES {
        if folded_rest.ends_with(suffix) {
            chars.truncate(chars.len() - suffix.chars().count());
            break;
        }
    }
    let text: String = chars.into_iter().collect();
    // The space a site prints between a headline's two parts stays, once,
    // as printed (a full-width one stays full-width).
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in trim(&text).chars() {
        if is_space(c) {
            if !in_space {
                out.push(if c == '\u{3000}' { c } else { ' ' });
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Classes one line on its own.
fn class_of(text: &str) -> Class {
    let folded: String = text.chars().map(fold).collect::<String>().to_lowercase();
    let length = folded.chars().count();
    if let Some(rest) = folded
        .strip_prefix("原标题:")
        .or_else(|| folded.strip_prefix("原题:"))
        .or_else(|| folded.strip_prefix("原标题 "))
    {
        let skip = length - rest.chars().count();
        let original: String = text.chars().skip(skip).collect();
        return Class::OriginalTitle(clean_headline(&original));
    }
    if is_breadcrumb(&folded) || is_menu(&folded) {
        return Class::Nav;
    }
    if is_image_line(&folded, length)
        || is_column_label(&folded, length)
        || is_forum_stats(&folded, length)
    {
        return Class::Chrome;
    }
    let compact_title: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if [
        "标题:",
        "题目:",
        "信息名称:",
        "文件名称:",
        "文章标题:",
        "名称:",
    ]
    .iter()
    .any(|k| compact_title.starts_with(k))
    {
        let at = text.find(['：', ':']).map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let title = clean_headline(&text[at..]);
        if !title.is_empty() {
            return Class::OriginalTitle(title);
        }
    }
    if is_end(&folded, length) {
        return Class::End;
    }
    if let Some(meta) = meta_line(text, &folded, length) {
        return Class::Meta(meta);
    }
    if is_chrome(&folded, length) {
        return Class::Chrome;
    }
    Class::Text
}

/// `当前位置：首页 > 工会新闻 > 基层动态`.
fn is_breadcrumb(folded: &str) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if BREADCRUMB_OPENERS
        .iter()
        .any(|o| compact.starts_with(&o.replace(' ', "")))
    {
        return true;
    }
    let is_arrow = |c: char| matches!(c, '>' | '›' | '»' | '→' | '＞' | '〉');
    let arrows = folded.chars().filter(|&c| is_arrow(c)).count();
    if arrows >= 1 && compact.contains("首页") && folded.chars().count() <= 80 {
        return true;
    }
    // `人民网>>黑龙江频道>>原创稿`: three or more short parts between arrows.
    let parts: Vec<&str> = compact.split(is_arrow).filter(|p| !p.is_empty()).collect();
    parts.len() >= 3
        && parts.iter().all(|p| p.chars().count() <= 12)
        && !compact.chars().any(is_sentence_final)
}

/// `首页 | 工会动态 | 维权服务 | …`: several short items, no sentence.
fn is_menu(folded: &str) -> bool {
    if folded.chars().any(|c| is_sentence_final(c) || c == ',') {
        return false;
    }
    let items: Vec<&str> = folded
        .split(|c: char| is_space(c) || matches!(c, '|' | '·' | '/' | '丨' | '｜' | '•'))
        .filter(|s| !s.is_empty())
        .collect();
    let short = items.iter().all(|s| s.chars().count() <= 6);
    let bars = folded
        .chars()
        .filter(|c| matches!(c, '|' | '丨' | '｜' | '•'))
        .count();
    short
        && (items.len() >= 5
            || (items.len() >= 3 && bars >= 2)
            || (items.len() >= 3 && items.contains(&"首页")))
}

/// An image's file name, a photo's number, or its caption.
fn is_image_line(folded: &str, length: usize) -> bool {
    const EXTENSIONS: [&str; 7] = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif"];
    if length <= 80 && EXTENSIONS.iter().any(|e| folded.contains(e)) {
        return true;
    }
    if folded.starts_with("微信图片") || folded.starts_with("img_") || folded.starts_with("dsc")
    {
        return length <= 60;
    }
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let photo_number = ["图片", "图", "组图", "[图片]", "(图片)"].iter().any(|p| {
        compact.strip_prefix(p).is_some_and(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')'))
        })
    });
    if photo_number {
        return true;
    }
    let caption_start = ['▲', '△', '▼', '↑', '↓', '▶'];
    if folded.starts_with(caption_start) && length <= 120 {
        return true;
    }
    // A photo's credit closes its caption: `（记者 李红 摄）`, `王海 摄`.
    let credit = compact.trim_end_matches([')', '）', ']', '】']);
    if length <= 90
        && (credit.ends_with("摄") || credit.ends_with("摄影"))
        && !compact.ends_with("拍摄")
    {
        return true;
    }
    [
        "图为",
        "图:",
        "图片:",
        "摄影:",
        "(摄影",
        "(图片来源",
        "图片来源",
        "(图/",
        "图/",
    ]
    .iter()
    .any(|p| compact.starts_with(p))
        && length <= 100
}

/// A column's label alone on its line: `【工会观察】`, `[基层动态]`.
fn is_column_label(folded: &str, length: usize) -> bool {
    let inner = folded
        .strip_prefix(['【', '['])
        .and_then(|rest| rest.strip_suffix(['】', ']']));
    length <= 14 && inner.is_some_and(|i| !i.is_empty() && !i.contains(['【', '[', '】', ']']))
}

/// A forum member's stats: several of `UID 帖子 积分 精华 注册时间 …`.
fn is_forum_stats(folded: &str, length: usize) -> bool {
    length <= 200
        && FORUM_STATS.iter().filter(|w| folded.contains(*w)).count() >= 2
        && !folded.contains('。')
}

/// The start of the site's other articles, buttons or footer.
fn is_end(folded: &str, length: usize) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let core = compact.trim_matches(|c: char| "-—─_=~·*#".contains(c));
    if ["end", "theend", "完", "(完)", "全文完"].contains(&core) {
        return true;
    }
    let opens = END_OPENERS.iter().any(|o| {
        compact.starts_with(o)
            && compact[o.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_han(c) || length <= 12)
    });
    if opens && (length <= 60 || compact.starts_with("上一篇") || compact.starts_with("下一篇"))
    {
        return true;
    }
    if length <= 200 && DISCLAIMER_MARKS.iter().any(|m| compact.contains(m)) {
        return true;
    }
    let floor = compact.trim_start_matches('#');
    let floor_digits = floor.chars().take_while(char::is_ascii_digit).count();
    let opens_a_floor = floor_digits > 0
        && (floor[floor_digits..].starts_with('楼') || floor[floor_digits..].starts_with('#'));
    let reply_marker = opens_a_floor
        || REPLY_MARKERS.contains(&compact.as_str())
        || compact
            .strip_suffix(['楼', '#'])
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    reply_marker
        || (length <= 160
            && !folded.contains('。')
            && FOOTER_MARKS.iter().any(|m| compact.contains(m)))
}

/// A line of page furniture: after taking out its buttons, its digits,
/// punctuation and spaces, at most two letters are left.
fn is_chrome(folded: &str, length: usize) -> bool {
    if length > 60 {
        return false;
    }
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let asks_to_follow = [
        "点击播报",
        "收听本文",
        "听全文",
        "打开app",
        "点击上方",
        "点击蓝字",
        "长按",
        "关注我们",
        "订阅",
        "星标",
        "置顶公众号",
    ]
    .iter()
    .any(|w| compact.contains(w));
    if asks_to_follow && length <= 40 {
        return true;
    }
    let mut rest = folded.to_string();
    for word in CHROME_WORDS {
        rest = rest.replace(word, " ");
    }
    let letters = rest.chars().filter(|&c| c.is_alphabetic()).count();
    // Forum user stats: `积分 123 帖子 45 主题 6`.
    letters <= 1 || (letters <= 2 && rest.chars().any(|c| c.is_ascii_digit()) && length <= 24)
}

/// A line of `key：value` fields (or a WeChat `原创 …` line, or a bare date
/// line) before or after the body. `None` when the line is text.
fn meta_line(text: &str, folded: &str, length: usize) -> Option<Meta> {
    if length > 160 || folded.contains('。') && length > 60 {
        return None;
    }
    let fields = fields_of(text, folded);
    let date = printed_date(text);
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    let wechat = compact.starts_with("原创") && (date.is_some() || length <= 40);
    let forum = POST_NOTES.iter().any(|n| compact.starts_with(n)) || compact.starts_with("posted");
    // A line holding only a date (and a time, and a weekday).
    let bare_date = date.is_some() && {
        let letters = folded
            .chars()
            .filter(|&c| {
                is_han(c)
                    && !matches!(
                        c,
                        '年' | '月'
                            | '日'
                            | '星'
                            | '期'
                            | '周'
                            | '一'
                            | '二'
                            | '三'
                            | '四'
                            | '五'
                            | '六'
                            | '天'
                            | '上'
                            | '下'
                            | '午'
                    )
            })
            .count();
        letters == 0
    };
    if fields.is_empty() && !wechat && !forum && !bare_date {
        // `某某市总工会 2023年07月12日 09:15`, `2023-10-26 17:05·某某融媒体
        // 中心官方账号`: an account and a date, no sentence.
        if let Some(date) = date
            && length <= 60
            && !folded.contains([',', '。', ';'])
            // `活动时间：…` is a notice's line, not an account's.
            && !folded
                .char_indices()
                .any(|(i, c)| c == ':' && folded[..i].chars().next_back().is_some_and(is_han))
        {
            let names: Vec<&str> = text
                .split(|c: char| {
                    c.is_ascii_digit() || is_space(c) || matches!(c, '·' | '|' | '｜' | '-' | ':')
                })
                .map(trim)
                .filter(|s| s.chars().filter(|&c| is_han(c)).count() >= 2)
                .collect();
            let name = names.first().copied()?;
            if names.len() > 2 || name.chars().count() > 24 {
                return None;
            }
            return Some(Meta {
                date: Some(date),
                source: Some(name.trim_end_matches("官方账号").to_string()),
                ..Meta::default()
            });
        }
        return None;
    }
    let mut meta = Meta {
        date,
        ..Meta::default()
    };
    for (field, value) in &fields {
        match field {
            Field::Source if meta.source.is_none() && !value.is_empty() => {
                meta.source = Some(value.clone());
            }
            Field::Author if !value.is_empty() => meta.authors.extend(split_names(value)),
            Field::Credit if !value.is_empty() => meta.credits.push(value.clone()),
            _ => {}
        }
    }
    if let Some(rest) = compact.strip_prefix("以下文章来源于") {
        // `以下文章来源于某某工会 ，作者某某`: the account it was shared from.
        let account: String = rest
            .chars()
            .take_while(|&c| !matches!(c, ',' | '，' | ' '))
            .collect();
        if !account.is_empty() {
            meta.source = Some(account);
        }
    }
    if wechat && meta.source.is_none() {
        // `原创 某某工会 某某市总工会 2024-03-06 18:30 广东`: the account.
        meta.source = text
            .split(is_space)
            .skip(1)
            .find(|s| s.chars().filter(|&c| is_han(c)).count() >= 2 && !s.contains("原创"))
            .map(str::to_string);
    }
    Some(meta)
}

/// The `key：value` fields of a line, when it is made of them: the line
/// starts with a field (past brackets, a date or a few letters) and its
/// fields cover it.
fn fields_of(text: &str, folded: &str) -> Vec<(Field, String)> {
    let chars: Vec<char> = folded.chars().collect();
    let original: Vec<char> = text.chars().collect();
    if chars.len() != original.len() {
        return Vec::new();
    }
    // Where each field's key starts.
    let mut starts: Vec<(usize, usize, Field)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let found = FIELDS.iter().find(|(key, _)| {
            let key: Vec<char> = key.chars().collect();
            chars[i..].starts_with(&key) && {
                let mut j = i + key.len();
                while chars.get(j).is_some_and(|&c| is_space(c)) {
                    j += 1;
                }
                matches!(chars.get(j), Some(':' | '：' | '|' | '/'))
                    || (matches!(key.as_slice(), ['转', '载', '自'] | ['转', '自']))
                    || (j > i + key.len()
                        && key.len() >= 2
                        && chars.get(j).is_some_and(|&c| !is_sentence_final(c)))
                        && matches!(
                            key.as_slice(),
                            ['记', '者']
                                | ['通', '讯', '员']
                                | ['编', '辑']
                                | ['责', '编']
                                | ['审', '核']
                                | ['作', '者']
                        )
            }
        });
        match found {
            Some((key, field)) if i == 0 || !is_han(chars[i - 1]) || is_value_end(&chars, i) => {
                let len = key.chars().count();
                starts.push((i, i + len, *field));
                i += len;
            }
            _ => i += 1,
        }
    }
    let Some(&(first, _, first_field)) = starts.first() else {
        return Vec::new();
    };
    // What stands before the first key: brackets, a date, or a short name.
    let before: String = chars[..first].iter().collect();
    let before_letters = before.chars().filter(|&c| is_han(c)).count();
    if before_letters > 6 && printed_date(&before).is_none() {
        return Vec::new();
    }
    if first > 0 && before_letters > 0 && first_field == Field::Date && starts.len() == 1 {
        // `活动时间：…` is a line of a notice, not the page's date.
        return Vec::new();
    }
    let mut fields = Vec::new();
    for (n, &(_, key_end, field)) in starts.iter().enumerate() {
        let value_end = starts.get(n + 1).map_or(chars.len(), |s| s.0);
        let mut value: String = original[key_end..value_end].iter().collect();
        value = value
            .trim_start_matches(|c: char| is_space(c) || matches!(fold(c), ':' | '|' | '/'))
            .to_string();
        let value = value
            .split(['|', '｜', '【', '[', '】', ']'])
            .next()
            .unwrap_or("")
            .split("  ")
            .next()
            .unwrap_or("");
        let value = trim(value)
            .trim_end_matches(|c: char| matches!(fold(c), ',' | ';' | ')' | '('))
            .to_string();
        fields.push((field, value));
    }
    // A long line whose single field is a date is a sentence, not meta.
    let letters = chars.iter().filter(|&&c| is_han(c)).count();
    if fields.len() == 1 && letters > 30 {
        return Vec::new();
    }
    fields
}

/// True when a key at `i` follows a value's end (`作者：张三编辑：李四` has
/// none, `来源：某某 作者：` has a space).
fn is_value_end(chars: &[char], i: usize) -> bool {
    i > 0 && (is_space(chars[i - 1]) || matches!(chars[i - 1], '|' | ']' | '】' | ')' | ';' | ','))
}

/// A short line that names the writer or the editors without a colon:
/// `记者 张三 通讯员 李四`, `文/张三 图/李四`, `（编辑：王五）`.
fn credit_line(text: &str) -> Class {
    let folded: String = text.chars().map(fold).collect();
    let inner = trim(folded.trim_start_matches('(').trim_end_matches(')'));
    if inner.chars().count() > 40 || inner.contains('。') || inner.contains(',') {
        return Class::Text;
    }
    let opens = [
        "记者",
        "通讯员",
        "文/",
        "文|",
        "图/",
        "图|",
        "文 ",
        "文图/",
        "图文/",
        "作者",
        "编辑",
        "责编",
        "审核",
        "来源",
        "供稿",
    ]
    .iter()
    .any(|o| inner.starts_with(o));
    if !opens {
        return Class::Text;
    }
    let mut meta = Meta::default();
    let fields = fields_of(inner, inner);
    if fields.is_empty() {
        let names: Vec<String> = inner
            .split(|c: char| is_space(c) || matches!(c, '/' | '|'))
            .filter(|s| {
                !s.is_empty() && !["记者", "通讯员", "文", "图", "文图", "图文"].contains(s)
            })
            .map(str::to_string)
            .collect();
        if names.is_empty() || names.iter().any(|n| n.chars().count() > 4) {
            return Class::Text;
        }
        meta.authors = names;
        return Class::Meta(meta);
    }
    for (field, value) in fields {
        match field {
            Field::Source => meta.source = Some(value),
            Field::Author => meta.authors.extend(split_names(&value)),
            _ => meta.credits.push(value),
        }
    }
    Class::Meta(meta)
}

/// Names in a credit (`张三 李四`, `张三、李四`).
fn split_names(value: &str) -> Vec<String> {
    value
        .split(|c: char| is_space(c) || matches!(fold(c), '、' | ',' | '/'))
        .map(trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A line of prose: a sentence ended by `。`, or a long line with commas.
fn is_prose(text: &str) -> bool {
    let han = text.chars().filter(|&c| is_han(c)).count();
    if han < 8 {
        return false;
    }
    let folded: String = text.chars().map(fold).collect();
    let full_stops = folded.matches('。').count();
    let commas = folded.matches([',', ';']).count();
    let length = folded.chars().count();
    (full_stops >= 1 && (length >= 24 || !folded.ends_with('。') || full_stops >= 2))
        || (commas >= 2 && length >= 45)
        || length > 80
}

/// A line a reader could take for a headline: 4 to 64 characters, mostly
/// letters, not a sentence, not a name of a site, an account or an office.
fn is_headline_like(text: &str) -> bool {
    let length = text.chars().count();
    let han = text.chars().filter(|&c| is_han(c)).count();
    if !(4..=64).contains(&length) || han < 4 || han * 2 < length {
        return false;
    }
    let folded: String = text.chars().map(fold).collect();
    if folded.ends_with('。') || folded.matches('。').count() >= 1 {
        return false;
    }
    // A list item: a teaser of another article.
    let bullets = ['·', '•', '●', '○', '■', '□', '◆', '◇', '★', '☆', '>', '◎'];
    if folded.starts_with(bullets)
        || folded.split_once(['.', '、']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
        })
    {
        return false;
    }
    if ["本报讯", "本报", "记者", "通讯员", "近日"]
        .iter()
        .any(|p| folded.starts_with(p))
    {
        return false;
    }
    !(is_organisation(text) || is_site_name(&folded))
}

/// A site's or an account's name or slogan line: `某某工人网`,
/// `某某市总工会 欢迎您`, `云上某某`.
fn is_site_name(folded: &str) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if compact.contains("欢迎") || compact.contains("官方网站") || compact.contains("公众号")
    {
        return true;
    }
    compact.chars().count() <= 12
        && SITE_ENDINGS.iter().any(|e| compact.ends_with(e))
        && !compact.contains(',')
}

/// A short line that is the publishing account or office alone
/// (`某某市总工会`, `某某工人网`).
fn is_account_name(text: &str) -> bool {
    let folded: String = text.chars().map(fold).collect();
    text.chars().count() <= 20 && (is_organisation(text) || is_site_name(&folded))
}

/// A subtitle line: `——某某市总工会开展…侧记`.
fn is_subtitle(text: &str) -> bool {
    text.starts_with(['—', '─', '－']) || text.starts_with("--")
}

/// The first sentence of a paragraph past its `本报讯` byline, at most 30
/// characters: the headline of a paste whose lines hold none. Never empty.
fn first_sentence(text: &str) -> String {
    let (_, text) = super::byline::take_byline(text);
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = text
        .char_indices()
        .find(|&(_, c)| is_sentence_final(c))
        .map_or(text.len(), |(i, _)| i);
    let sentence = excerpt(trim(&text[..end]), 30);
    if sentence.is_empty() {
        "（无标题）".to_string()
    } else {
        sentence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paste(text: &str) -> Paste {
        let lines: Vec<PasteLine> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| PasteLine {
                number: i + 1,
                text: trim(l).to_string(),
            })
            .collect();
        read(&lines)
    }

    fn headline(p: &Paste) -> &str {
        p.title.as_ref().map_or("", |(t, _)| t.headline.as_str())
    }

    fn body(p: &Paste) -> String {
        p.pieces
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_site_page_gives_its_headline_date_and_body_without_clutter() {
        let p = paste(
            "当前位置：首页 > 工会新闻 > 基层动态\n\
             某某市总工会\n\
             首页 | 工会动态 | 维权服务 | 职工之家 | 联系我们\n\
             暖心！市总工会为500名环卫工人送清凉（图）\n\
             发布日期：2022-08-22 10:21  来源：某某市总工会  作者：张三  浏览次数：356\n\
             【字体：大 中 小】【打印】【关闭】\n\
             8月20日，某某市总工会来到环卫站点，为一线环卫工人送上防暑降温物品。\n\
             IMG_2034.JPG\n\
             图为活动现场。\n\
             活动中，工作人员详细了解职工的工作和生活情况，叮嘱大家注意防暑。\n\
             责任编辑：李四\n\
             上一篇：市总工会召开全委会议\n\
             下一篇：职工书屋揭牌\n\
             相关新闻\n\
             市总工会开展金秋助学活动\n\
             版权所有：某某市总工会  粤ICP备12345678号",
        );
        assert_eq!(headline(&p), "暖心！市总工会为500名环卫工人送清凉");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2022, 8, 22));
        assert_eq!(p.source.as_deref(), Some("某某市总工会"));
        assert_eq!(p.authors, vec!["张三"]);
        assert_eq!(p.credits, vec!["李四"]);
        let text = body(&p);
        assert!(text.starts_with("8月20日"), "{text}");
        for clutter in [
            "IMG_",
            "图为",
            "责任编辑",
            "上一篇",
            "金秋助学",
            "ICP",
            "字体",
        ] {
            assert!(!text.contains(clutter), "{clutter} left in {text}");
        }
        assert_eq!(p.pieces.len(), 2);
    }

    #[test]
    fn a_channel_path_without_home_is_a_breadcrumb_not_a_headline() {
        let p = paste(
            "人民网>>某某频道>>原创稿\n\
             某某市第十二届职工职业技能大赛决赛落幕\n\
             46名选手“车”出毫米间的较量\n\
             韩某某\n\
             2021年05月11日09:37 | 来源：人民网－某某频道\n\
             5月10日，某某市第十二届职工职业技能大赛决赛落下帷幕，46名选手同台竞技。",
        );
        assert_eq!(headline(&p), "某某市第十二届职工职业技能大赛决赛落幕");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2021, 5, 11));
    }

    #[test]
    fn a_wechat_copy_starts_at_its_headline() {
        let p = paste(
            "首团出发！23户职工家庭开启疗休养之旅\n\
             原创 某某工会 某某市总工会 2024-03-06 18:30 广东\n\
             点击上方蓝字关注我们\n\
             3月5日上午，23户职工家庭从市工人文化宫出发，开始为期三天的疗休养。\n\
             这是今年首个职工家庭疗休养团。\n\
             来源：某某市总工会\n\
             编辑：王五\n\
             审核：赵六\n\
             往期推荐\n\
             我市举办职工篮球赛\n\
             阅读原文\n\
             分享 收藏 点赞 在看",
        );
        assert_eq!(headline(&p), "首团出发！23户职工家庭开启疗休养之旅");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2024, 3, 6));
        assert_eq!(body(&p).lines().count(), 2, "{}", body(&p));
        assert!(!body(&p).contains("篮球赛"));
        assert_eq!(p.credits, vec!["王五", "赵六"]);
    }

    #[test]
    fn a_bare_paste_takes_its_first_line() {
        let p = paste(
            "湛江举办职工篮球赛\n\n8月 2 日，湛江市总工会举办职工篮球赛，120名职工参赛。\n\n比赛为期三天。",
        );
        assert_eq!(headline(&p), "湛江举办职工篮球赛");
        assert_eq!(p.printed_date, None);
        assert_eq!(p.pieces.len(), 2);
        assert_eq!(p.removed, 0);
    }

    #[test]
    fn a_paste_without_a_headline_line_takes_its_first_sentence() {
        let p = paste("近日，湛江市总工会举办职工篮球赛，120名职工参赛。比赛为期三天。");
        assert!(p.title_from_body);
        assert_eq!(
            headline(&p),
            "近日，湛江市总工会举办职工篮球赛，120名职工参赛"
        );
        assert_eq!(p.pieces.len(), 1);
    }

    #[test]
    fn a_forum_repost_loses_its_chrome() {
        let p = paste(
            "转发：社区工会举办亲子运动会\n\
             发表于 2023-5-24 08:10:44\n\
             查看: 56|回复: 0\n\
             [复制链接]\n\
             楼主\n\
             5月20日，某某社区工会举办亲子运动会，60个职工家庭参加，现场气氛热烈。\n\
             回复 举报\n\
             返回列表 发布新帖",
        );
        assert_eq!(headline(&p), "社区工会举办亲子运动会");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2023, 5, 24));
        assert_eq!(
            body(&p),
            "5月20日，某某社区工会举办亲子运动会，60个职工家庭参加，现场气氛热烈。"
        );
    }

    #[test]
    fn a_notice_line_with_a_time_field_stays_in_the_body() {
        let p = paste(
            "关于举办职工技能大赛的通知\n\
             各基层工会：为提高职工技能水平，市总工会决定举办职工技能大赛。\n\
             活动时间：2024年3月6日\n\
             请各单位按时报名。",
        );
        assert!(body(&p).contains("活动时间"), "{}", body(&p));
    }

    #[test]
    fn a_kicker_and_a_subtitle_stay_apart_from_the_headline() {
        let p = paste(
            "凝心聚力 共建家园\n\
             某某区总工会开展职工文化节系列活动\n\
             ——一线职工唱主角\n\
             2024年03月06日 08:32  来源：工人日报\n\
             3月5日，某某区总工会职工文化节开幕，全区200多名职工参加开幕式。",
        );
        let (title, _) = p.title.clone().unwrap();
        assert_eq!(title.headline, "某某区总工会开展职工文化节系列活动");
        assert_eq!(title.subtitle.as_deref(), Some("一线职工唱主角"));
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2024, 3, 6));
        assert_eq!(p.source.as_deref(), Some("工人日报"));
    }

    #[test]
    fn a_government_panel_before_the_headline() {
        let p = paste(
            "某某市人民政府门户网站\n\
             首页 > 政务公开 > 部门动态\n\
             索引号：11370200MB1234567X/2023-00123\n\
             发文机关：某某市总工会\n\
             成文日期：2023-06-12\n\
             发布日期：2023-06-13\n\
             主题分类：劳动、人事、监察\n\
             【打印本页】【关闭窗口】\n\
             市总工会举办新就业形态劳动者集中入会活动\n\
             6月12日，市总工会举办新就业形态劳动者集中入会活动，200余名快递员、外卖骑手现场加入工会。\n\
             主办单位：某某市人民政府办公厅  网站标识码：3702000001",
        );
        assert_eq!(headline(&p), "市总工会举办新就业形态劳动者集中入会活动");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2023, 6, 12));
    }

    #[test]
    fn a_repost_whose_headline_is_only_on_its_original_title_line() {
        let p = paste(
            "来源：某某日报\n\
             原标题：快递小哥有了“暖心驿站”\n\
             近日，某某区总工会在商圈建成12个户外劳动者服务站，快递小哥可以在这里喝水、充电、歇脚。\n\
             责任编辑：张三",
        );
        assert_eq!(headline(&p), "快递小哥有了“暖心驿站”");
        assert_eq!(p.source.as_deref(), Some("某某日报"));
    }

    #[test]
    fn an_emoji_headline_keeps_its_emoji() {
        let p = paste(
            "💗暖心！环卫工人的“爱心早餐”来了\n\
             某某区总工会 2024年01月12日 08:30\n\
             1月11日清晨，某某区总工会为200名环卫工人送上热腾腾的早餐。",
        );
        assert_eq!(headline(&p), "💗暖心！环卫工人的“爱心早餐”来了");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2024, 1, 12));
    }

    #[test]
    fn a_date_line_of_its_own_after_the_headline() {
        let p = paste(
            "职工书屋进车间\n\
             2024年3月6日\n\
             3月5日，某某公司职工书屋揭牌，首批藏书2000册。",
        );
        assert_eq!(headline(&p), "职工书屋进车间");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2024, 3, 6));
    }
}
