//! Text pasted from a web page, a WeChat article, a forum, a portal, or typed
//! bare → one article: its headline, the date and source printed near it,
//! and its body without the page's clutter.
//!
//! A page with no `#` heading is read here. Every line is first classed on
//! its own (`classify::class_of`):
//!
//! - **chrome** is dropped wherever it stands: breadcrumbs (`当前位置：首页 >
//!   …`), menus (`首页 | 工会动态 | …`), font, print and share bars, image
//!   file names and captions (`图为…`, `▲…`), forum and WeChat buttons
//!   (`查看: 56|回复: 0`, `点击上方蓝字关注我们`);
//! - **meta** lines (`发布日期：… 来源：… 作者：… 浏览次数：…`, a government
//!   panel's `索引号：…`, `原创 某某工会 2024-03-06 18:30`, `编辑：… 审核：…`,
//!   an e-edition's `工人日报（2022年06月14日 05版）`, a site header's
//!   `今天是：2024年4月17日 星期三`) are dropped and read: their date, source
//!   and credits fill the article's fields;
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
//!
//! A table in the body (cells between tabs, runs of spaces or bars, or one
//! cell a line) is kept one row a line, its cells joined by ` | `, never
//! glued to the prose around it.
//!
//! The reading goes by stage, one submodule each: `classify` (each line on
//! its own), `body` (where the body starts, which lines it keeps, what
//! trails it), `tables` (the table rows in the body), `headline` (the title
//! block) and `dates` (the date the page prints as its own: near the
//! headline, at the foot, else a site header's day line). The words every
//! stage knows clutter by are lists in `data/reading/`
//! ([`crate::page::words`]).

mod body;
mod classify;
mod dates;
mod headline;
mod tables;

use super::body::Piece;
use crate::article::TitleBlock;
use chrono::NaiveDate;
use classify::{Class, Meta};

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
    /// The date the page prints as its own (`发布日期：…` near the headline
    /// or at the foot, a WeChat account's line, a bare `（2023-06-12）`
    /// closing the body), else a site header's day line
    /// (`2025年09月19日 星期五`).
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

/// Reads a paste's lines (blank lines left out) into one article: lines
/// classed, the body found, the headline chosen, the printed date read.
pub(super) fn read(lines: &[PasteLine]) -> Paste {
    let classes: Vec<Class> = lines.iter().map(|l| classify::class_of(&l.text)).collect();
    let body_start = body::start(lines, &classes);
    let header_end = body_start.unwrap_or(lines.len());
    let title = headline::choose(lines, &classes, header_end);
    let printed = dates::PrintedDates::find(
        &classes,
        header_end,
        title.as_ref().map(|t| t.last),
        body_start,
    );
    let mut paste = Paste::default();
    let cells = tables::cells(lines, &classes, body_start);
    body::gather(
        lines,
        &classes,
        &cells,
        title.as_ref(),
        body_start,
        &mut paste,
    );
    body::drop_trailers(&mut paste);
    let closing = dates::take_closing_date(&mut paste.pieces);
    paste.printed_date = printed.printed.or(closing).or(printed.header);
    paste.title = headline::title_block(lines, &classes, title, &mut paste);
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::page::punctuation::trim;

    /// Reads `text` as a paste, its lines numbered from 1.
    pub(super) fn paste(text: &str) -> Paste {
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

    pub(super) fn headline(p: &Paste) -> &str {
        p.title.as_ref().map_or("", |(t, _)| t.headline.as_str())
    }

    pub(super) fn body(p: &Paste) -> String {
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

    #[test]
    fn a_channel_copy_takes_the_headline_after_its_original_title_key() {
        let p = paste(
            "某某工会\n\
             暖心！这个驿站让师傅歇脚有了好去处\n\
             来源：某某工会微信公众号\n\
             原标题：某某镇建成首个货车司机之家\n\
             2024-04-17 09:32\n\
             本报记者 黄某某 通讯员 李某某\n\
             4月15日，某某镇总工会在物流园入口处建成的司机之家正式启用，24小时开放。",
        );
        assert_eq!(headline(&p), "某某镇建成首个货车司机之家");
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2024, 4, 17));
        assert!(p.authors.contains(&"黄某某".to_string()), "{:?}", p.authors);
        assert!(!body(&p).contains("暖心"), "{}", body(&p));
    }

    #[test]
    fn forum_prompts_and_spam_lines_are_not_the_body() {
        let p = paste(
            "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。\n\
             您需要 登录 才可以下载或查看，没有帐号？立即注册\n\
             社区工会举办亲子运动会\n\
             5月20日，某某社区工会举办亲子运动会，60个职工家庭参加，现场气氛热烈。\n\
             【高息放贷，当天到账，无需抵押】",
        );
        assert_eq!(headline(&p), "社区工会举办亲子运动会");
        assert_eq!(
            body(&p),
            "5月20日，某某社区工会举办亲子运动会，60个职工家庭参加，现场气氛热烈。"
        );
    }

    #[test]
    fn issue_18_a_table_between_paragraphs_keeps_one_row_a_line() {
        let p = paste(
            "市总工会表彰技能大赛获奖选手\n\
             5月5日，市总工会召开职工技能大赛总结表彰会，对获得前三名的选手进行表彰。\n\
             获奖选手名单如下\n\
             工种\t名次\t姓名\n\
             电工\t一等奖\t陈某某\n\
             焊工\t一等奖\t李某某\n\
             按照大赛规定，各工种第一名将由市总工会推荐申报五一劳动奖章。",
        );
        let paragraphs: Vec<String> = crate::page::body::paragraphs(p.pieces)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(
            paragraphs[1..],
            [
                "获奖选手名单如下",
                "工种 | 名次 | 姓名",
                "电工 | 一等奖 | 陈某某",
                "焊工 | 一等奖 | 李某某",
                "按照大赛规定，各工种第一名将由市总工会推荐申报五一劳动奖章。",
            ]
        );
    }

    #[test]
    fn a_date_printed_under_the_body_dates_the_paste() {
        let p = paste(
            "职工书屋进车间\n\
             某某公司职工书屋揭牌，首批藏书2000册，职工可以免费借阅。\n\
             发布日期：2022年08月12日\n\
             上一篇：另一篇报道",
        );
        assert_eq!(p.printed_date, NaiveDate::from_ymd_opt(2022, 8, 12));
    }
}
