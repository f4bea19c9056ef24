//! The date the page prints as its own, the last stage of reading a paste.
//!
//! A page prints its date in its header: a meta line's date counts first
//! before the body, just under the title block, or on the body's first
//! lines; then at the foot of the article, above its end marker (`发布日期：…`
//! over `上一篇`, a bare `（2023-06-12）` closing the body). Dates past that
//! marker belong to other articles (`相关阅读`), replies or the footer; a
//! date inside the body's sentences (`截止日期：…`) is the article's text.
//! A site header's day line (`2025年09月19日 星期五`, `今天是：…`) is the
//! day the page was shown: it dates the page only when nothing else does.

use super::classify::Class;
use crate::page::body::Piece;
use crate::page::date::parse_issue_date;
use crate::page::punctuation::{fold, trim};
use chrono::NaiveDate;

/// The dates a paste's meta lines print, by how far they are trusted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PrintedDates {
    /// The first date of a meta line near the headline, else at the foot.
    pub printed: Option<NaiveDate>,
    /// The first site header's day line before the article's end.
    pub header: Option<NaiveDate>,
}

impl PrintedDates {
    /// Reads the meta lines' dates: near the headline is before the body
    /// (`header_end`), within three lines past the title block's last line,
    /// or on the line after the body's first; failing that, under the body
    /// before its end marker.
    pub(super) fn find(
        classes: &[Class],
        header_end: usize,
        title_last: Option<usize>,
        body_start: Option<usize>,
    ) -> PrintedDates {
        // The article ends at the first end marker past its headline and
        // the start of its body: teasers and comments follow.
        let from = body_start.or(title_last.map(|last| last + 1)).unwrap_or(0);
        let end = classes
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, class)| **class == Class::End)
            .map_or(classes.len(), |(i, _)| i);
        let dated = |header: bool| {
            classes[..end]
                .iter()
                .enumerate()
                .filter_map(move |(i, class)| match class {
                    Class::Meta(meta) if meta.date_is_header == header => {
                        meta.date.map(|date| (i, date))
                    }
                    _ => None,
                })
        };
        let near_headline = |i: usize| {
            i < header_end
                || title_last.is_some_and(|last| i <= last + 3)
                || body_start.is_some_and(|b| i <= b + 1)
        };
        // Some sites print it under the body (`发布日期：…` over `上一篇`).
        let printed = dated(false)
            .find(|&(i, _)| near_headline(i))
            .or_else(|| dated(false).find(|&(i, _)| i >= header_end))
            .map(|(_, date)| date);
        PrintedDates {
            printed,
            header: dated(true).next().map(|(_, date)| date),
        }
    }
}

/// Takes a date in brackets off the end of the body's last line
/// (`…活动圆满结束。（2023-06-12）`): the date the page printed at its foot.
pub(super) fn take_closing_date(pieces: &mut [Piece]) -> Option<NaiveDate> {
    let last = pieces.last_mut().filter(|p| !p.row)?;
    let text = trim(&last.text);
    let closed = text.strip_suffix(')').or_else(|| text.strip_suffix('）'))?;
    let open = closed.rfind(['(', '（'])?;
    let inner = &closed[open..];
    let inner = &inner[inner.chars().next().map_or(0, char::len_utf8)..];
    let date = parse_issue_date(inner)?;
    // A date with a time is fine (`2023-06-12 10:21`); nothing else may be in
    // the brackets.
    let rest = inner
        .chars()
        .map(fold)
        .skip_while(|c| !c.is_whitespace())
        .all(|c| c.is_ascii_digit() || matches!(c, ':' | ' ' | '\u{3000}'));
    let before = trim(&closed[..open]);
    if !rest || before.is_empty() {
        return None;
    }
    last.text = before.to_string();
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{body, headline, paste};
    use chrono::NaiveDate;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// A site page around `meta` (one or more lines, `{}` stands for the
    /// lede), with the clutter a copy brings: breadcrumb, menu, font bar,
    /// counters, previous and next links, related articles with their own
    /// dates, comments and the footer's copyright years.
    fn site_page(header: &str, under_headline: &str, foot: &str) -> String {
        format!(
            "{header}\n\
             当前位置：首页 > 工会新闻 > 基层动态\n\
             首页 | 工会动态 | 维权服务 | 职工之家 | 联系我们\n\
             区总工会为500名环卫工人送清凉\n\
             {under_headline}\n\
             【字体：大 中 小】【打印】【关闭】\n\
             3月5日，某某区总工会来到环卫站点，为一线环卫工人送上防暑降温物品。\n\
             活动中，工作人员详细了解职工的工作和生活情况，叮嘱大家注意防暑，报名截止日期：2024-05-01。\n\
             {foot}\n\
             上一篇：区总工会召开全委会议 2019-01-02\n\
             下一篇：职工书屋揭牌\n\
             相关阅读\n\
             区总工会开展金秋助学活动 2020-08-01\n\
             网友评论\n\
             张三 2021-03-07 10:00\n\
             版权所有 © 2010-2024 某某区总工会  粤ICP备12345678号"
        )
    }

    #[test]
    fn the_page_date_is_read_in_every_form_a_site_prints_it() {
        let cases = [
            ("发布日期：2025-02-18", ymd(2025, 2, 18)),
            (
                "发布时间：2024/03/06 10:21  来源：某某网  浏览次数：356",
                ymd(2024, 3, 6),
            ),
            ("发布时间:2023年5月24日 作者：李四", ymd(2023, 5, 24)),
            ("日期：2022.08.12 浏览：35", ymd(2022, 8, 12)),
            ("时间：2021-5-11 来源：某某区总工会", ymd(2021, 5, 11)),
            ("時間:2023-09-18 來源：某某工會", ymd(2023, 9, 18)),
            ("發佈日期：2023-09-19", ymd(2023, 9, 19)),
            ("29.12.2014", ymd(2014, 12, 29)),
            ("2014.12.29 来源：某某网", ymd(2014, 12, 29)),
            ("12/29/2014 14:05", ymd(2014, 12, 29)),
            (
                "原创 某某区总工会 2024年03月06日 18:30 广东",
                ymd(2024, 3, 6),
            ),
            ("某某工会 2024-03-06 08:00 发表于广东", ymd(2024, 3, 6)),
            ("工人日报（2022年06月14日 05版）", ymd(2022, 6, 14)),
        ];
        for (line, expected) in cases {
            let p = paste(&site_page("某某区总工会", line, "责任编辑：李四"));
            assert_eq!(
                p.printed_date, expected,
                "printed under the headline: {line}"
            );
            assert_eq!(headline(&p), "区总工会为500名环卫工人送清凉", "{line}");
            assert!(!body(&p).contains(line), "{line} left in the body");
        }
    }

    #[test]
    fn a_date_printed_at_the_foot_dates_the_page() {
        let cases = [
            ("发布日期：2023-06-12", ymd(2023, 6, 12)),
            ("（2023-06-12）", ymd(2023, 6, 12)),
            ("發佈日期：2023年6月12日", ymd(2023, 6, 12)),
            ("《工人日报》（2022年06月14日 05版）", ymd(2022, 6, 14)),
        ];
        for (line, expected) in cases {
            let p = paste(&site_page("某某区总工会", "来源：某某区总工会", line));
            assert_eq!(p.printed_date, expected, "printed at the foot: {line}");
        }
    }

    #[test]
    fn a_bare_date_closing_the_last_line_is_taken_off_and_dates_the_page() {
        let p = paste(
            "区总工会为500名环卫工人送清凉\n\
             3月5日，某某区总工会来到环卫站点，为一线环卫工人送上防暑降温物品。\n\
             活动中，工作人员叮嘱大家注意防暑。（2023-06-12）\n\
             相关阅读\n\
             区总工会开展金秋助学活动（2020-08-01）",
        );
        assert_eq!(p.printed_date, ymd(2023, 6, 12));
        assert!(body(&p).ends_with("叮嘱大家注意防暑。"), "{}", body(&p));
        // Brackets holding more than a date are the text's.
        let p = paste(
            "区总工会为500名环卫工人送清凉\n\
             3月5日，某某区总工会来到环卫站点，为一线环卫工人送上防暑降温物品（2023-06-12 起）",
        );
        assert_eq!(p.printed_date, None);
        assert!(body(&p).ends_with("（2023-06-12 起）"), "{}", body(&p));
    }

    #[test]
    fn dates_of_other_articles_comments_deadlines_and_copyrights_are_not_the_page_date() {
        let p = paste(&site_page(
            "某某区总工会",
            "来源：某某区总工会",
            "责任编辑：李四",
        ));
        assert_eq!(p.printed_date, None);
        let short = paste(
            "区总工会为500名环卫工人送清凉\n\
             3月5日，某某区总工会来到环卫站点，为一线环卫工人送上防暑降温物品。\n\
             相关阅读\n\
             区总工会开展金秋助学活动 2023-01-02\n\
             精选留言\n\
             张三 2024-03-07",
        );
        assert_eq!(short.printed_date, None);
    }

    #[test]
    fn a_site_header_day_line_dates_the_page_only_when_nothing_else_does() {
        let headers = [
            ("2025年09月19日 星期五", ymd(2025, 9, 19)),
            ("今天是：2024年4月17日 星期三", ymd(2024, 4, 17)),
            ("欢迎访问某某网！今天是2024年4月17日", ymd(2024, 4, 17)),
            (
                "泸州新闻网　2019年3月5日 星期二　今日多云 9~17℃",
                ymd(2019, 3, 5),
            ),
        ];
        for (header, expected) in headers {
            let alone = paste(&site_page(header, "来源：某某区总工会", "责任编辑：李四"));
            assert_eq!(alone.printed_date, expected, "header alone: {header}");
            assert_eq!(
                headline(&alone),
                "区总工会为500名环卫工人送清凉",
                "{header}"
            );
            let with_printed = paste(&site_page(header, "发布日期：2019-03-04", "责任编辑：李四"));
            assert_eq!(
                with_printed.printed_date,
                ymd(2019, 3, 4),
                "header under a printed date: {header}"
            );
            let with_foot = paste(&site_page(header, "来源：某某区总工会", "（2019-03-04）"));
            assert_eq!(
                with_foot.printed_date,
                ymd(2019, 3, 4),
                "header over a foot date: {header}"
            );
        }
    }

    #[test]
    fn a_notice_line_with_a_weekday_stays_in_the_body() {
        let p = paste(
            "关于举办职工技能大赛的通知\n\
             各基层工会：为提高职工技能水平，市总工会决定举办职工技能大赛。\n\
             活动时间：2024年3月6日（星期三）\n\
             请各单位按时报名。",
        );
        assert!(body(&p).contains("活动时间"), "{}", body(&p));
        assert_eq!(p.printed_date, None);
    }
}
