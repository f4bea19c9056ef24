//! Whole-page tests: the seed page article by article, the dev pages by their
//! invariants, awkward inputs, and random text.

use super::*;
use proptest::prelude::*;

const SEED_PAGE: &str = include_str!("../../data/pages/2024-01-16_seed.md");

/// The dev pages, each with its article count counted by hand.
const DEV_PAGES: [(&str, &str, usize); 8] = [
    (
        "2023-11-08_p2.md",
        include_str!("../../data/pages/2023-11-08_p2.md"),
        5,
    ),
    (
        "2023-11-22_p3.md",
        include_str!("../../data/pages/2023-11-22_p3.md"),
        5,
    ),
    (
        "2023-12-06_p2.md",
        include_str!("../../data/pages/2023-12-06_p2.md"),
        4,
    ),
    (
        "2023-12-20_p4.md",
        include_str!("../../data/pages/2023-12-20_p4.md"),
        6,
    ),
    (
        "2024-01-05_p3.md",
        include_str!("../../data/pages/2024-01-05_p3.md"),
        5,
    ),
    (
        "2024-01-17_p2.md",
        include_str!("../../data/pages/2024-01-17_p2.md"),
        5,
    ),
    (
        "2024-01-31_p3.md",
        include_str!("../../data/pages/2024-01-31_p3.md"),
        5,
    ),
    (
        "2024-02-07_p2.md",
        include_str!("../../data/pages/2024-02-07_p2.md"),
        5,
    ),
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn issue(date: NaiveDate) -> PageDefaults {
    PageDefaults {
        issue_date: Some(date),
        ..PageDefaults::default()
    }
}

/// What the ingest command would know from a file named `2024-01-17_p2.md`.
fn defaults_from_file_name(name: &str) -> PageDefaults {
    let (date, page) = name
        .trim_end_matches(".md")
        .split_once("_p")
        .expect("date_pN.md");
    PageDefaults {
        issue_date: Some(date.parse().expect("a date in the file name")),
        page: Some(format!("第{page}版")),
        ..PageDefaults::default()
    }
}

/// No paragraph may be left cut by a column break, nor keep its credit.
fn assert_paragraphs_whole(article: &ParsedArticle, context: &str) {
    for (i, paragraph) in article.paragraphs.iter().enumerate() {
        assert!(
            punctuation::ends_sentence_before_credit(paragraph),
            "{context}: paragraph {i} of “{}” is cut: {paragraph:?}",
            article.title.headline
        );
        assert!(
            byline::split_credit(paragraph).is_none(),
            "{context}: paragraph {i} of “{}” still holds a credit: {paragraph:?}",
            article.title.headline
        );
    }
}

struct SeedArticle {
    kicker: Option<&'static str>,
    organisation: Option<&'static str>,
    headline: &'static str,
    subtitle: Option<&'static str>,
    date: NaiveDate,
    date_is_explicit: bool,
    reporters: &'static [&'static str],
    correspondents: &'static [&'static str],
    credit: Option<&'static str>,
    paragraphs: usize,
    lede_starts: &'static str,
}

#[test]
fn seed_page_reads_as_its_seven_articles() {
    let page = parse(SEED_PAGE, &issue(ymd(2024, 1, 16)));
    let expected = [
        SeedArticle {
            kicker: None,
            organisation: None,
            headline: "潮州德阳两地工会签署友好合作协议",
            subtitle: Some("将健全完善跨省城际间职工服务工作机制"),
            date: ymd(2024, 1, 15),
            date_is_explicit: true,
            reporters: &["林婷玉"],
            correspondents: &["安磊"],
            credit: None,
            paragraphs: 5,
            lede_starts: "为持续深化粤川交流合作,1月15日,",
        },
        SeedArticle {
            kicker: None,
            organisation: None,
            headline: "阳江市总工会研究部署劳资纠纷应急处置工作",
            subtitle: None,
            date: ymd(2024, 1, 16),
            date_is_explicit: false,
            reporters: &[],
            correspondents: &[],
            credit: Some("阳江工"),
            paragraphs: 3,
            lede_starts: "近日,阳江市总工会召开",
        },
        SeedArticle {
            kicker: Some("汕尾市总工会召开班子会议"),
            organisation: None,
            headline: "围绕中心任务 找准工会工作切入点",
            subtitle: None,
            date: ymd(2024, 1, 10),
            date_is_explicit: true,
            reporters: &[],
            correspondents: &[],
            credit: Some("魏瑞远"),
            paragraphs: 2,
            lede_starts: "1月10日,汕尾市总工会召开班子会议",
        },
        SeedArticle {
            kicker: None,
            organisation: None,
            headline: "东莞市石龙镇总工会走访慰问退休劳模",
            subtitle: None,
            date: ymd(2024, 1, 12),
            date_is_explicit: true,
            reporters: &[],
            correspondents: &[],
            credit: Some("石龙工"),
            paragraphs: 3,
            lede_starts: "1月12日,东莞市石龙镇总工会",
        },
        SeedArticle {
            kicker: None,
            organisation: None,
            headline: "茂名市茂南区总工会开展“四史”宣讲活动",
            subtitle: None,
            date: ymd(2024, 1, 16),
            date_is_explicit: false,
            reporters: &[],
            correspondents: &[],
            credit: Some("郭伟静"),
            paragraphs: 3,
            lede_starts: "为进一步增强干部职工",
        },
        SeedArticle {
            kicker: None,
            organisation: None,
            headline: "湛江市总工会开展“劳模工匠助企行”调研",
            subtitle: None,
            date: ymd(2024, 1, 11),
            date_is_explicit: true,
            reporters: &["誉建业"],
            correspondents: &["冉荣华", "罗舒叶", "蔡坤怡"],
            credit: None,
            paragraphs: 4,
            lede_starts: "1月11日,湛江市总工会",
        },
        SeedArticle {
            kicker: Some("工会助力“百千万工程”"),
            organisation: Some("云浮市云城区总工会"),
            headline: "启动职工乡村疗休养示范性活动",
            subtitle: None,
            date: ymd(2024, 1, 12),
            date_is_explicit: true,
            reporters: &["徐亚辉"],
            correspondents: &["云工宣"],
            credit: None,
            paragraphs: 3,
            lede_starts: "1月12日,云浮市云城区总工会",
        },
    ];
    let headlines: Vec<&str> = page
        .articles
        .iter()
        .map(|a| a.title.headline.as_str())
        .collect();
    assert_eq!(
        page.articles.len(),
        expected.len(),
        "seed articles: {headlines:?}"
    );
    assert!(
        page.warnings.is_empty(),
        "seed warnings: {:?}",
        page.warnings
    );
    for (n, (article, want)) in page.articles.iter().zip(&expected).enumerate() {
        let case = format!("seed article {} ({})", n + 1, want.headline);
        let title = &article.title;
        assert_eq!(title.headline, want.headline, "{case}: headline");
        assert_eq!(title.kicker.as_deref(), want.kicker, "{case}: kicker");
        assert_eq!(
            title.organisation.as_deref(),
            want.organisation,
            "{case}: organisation"
        );
        assert_eq!(title.subtitle.as_deref(), want.subtitle, "{case}: subtitle");
        assert_eq!(article.date, Some(want.date), "{case}: date");
        assert_eq!(
            article.date_is_explicit, want.date_is_explicit,
            "{case}: date_is_explicit"
        );
        assert_eq!(
            article.byline.reporters, want.reporters,
            "{case}: reporters"
        );
        assert_eq!(
            article.byline.correspondents, want.correspondents,
            "{case}: correspondents"
        );
        assert_eq!(
            article.byline.credit.as_deref(),
            want.credit,
            "{case}: credit"
        );
        assert_eq!(
            article.paragraphs.len(),
            want.paragraphs,
            "{case}: paragraphs {:#?}",
            article.paragraphs
        );
        assert!(
            article.paragraphs[0].starts_with(want.lede_starts),
            "{case}: lede starts {:?}",
            excerpt(&article.paragraphs[0], 30)
        );
        assert_paragraphs_whole(article, &case);
    }
    assert_eq!(page.source.issue_date, Some(ymd(2024, 1, 16)));
    let lines: Vec<usize> = page.articles.iter().map(|a| a.line).collect();
    assert_eq!(lines, [3, 21, 29, 41, 49, 57, 71], "first heading lines");
}

#[test]
fn seed_page_rejoins_column_breaks_mid_word() {
    let page = parse(SEED_PAGE, &issue(ymd(2024, 1, 16)));
    let body: String = page
        .articles
        .iter()
        .flat_map(|a| a.paragraphs.iter().map(String::as_str))
        .collect();
    for joined in [
        "两地工会工作开展情况、先进经验",
        "新就业形态劳动者权益维护、干部交流培训",
        "核心要义。",
        "“劳模工匠助企行”、劳动和技能竞赛",
        "为企业解答技术创新难题。",
        "牵头草拟了《吴川羽绒行业",
        "示范性活动有关会议精神",
        "将持续深挖本区本土",
        "各县(市、区)总工会",
        "职工(劳模)疗休养",
    ] {
        assert!(body.contains(joined), "the body should contain {joined:?}");
    }
}

#[test]
fn dev_pages_read_cleanly() {
    for (name, text, count) in DEV_PAGES {
        let defaults = defaults_from_file_name(name);
        let issue_date = defaults.issue_date.expect("issue date");
        let page = parse(text, &defaults);
        let headlines: Vec<&str> = page
            .articles
            .iter()
            .map(|a| a.title.headline.as_str())
            .collect();
        assert_eq!(
            page.articles.len(),
            count,
            "{name}: article count, headlines {headlines:#?}"
        );
        assert!(
            page.warnings.is_empty(),
            "{name}: warnings {:#?}",
            page.warnings
        );
        assert_eq!(
            page.source.issue_date,
            Some(issue_date),
            "{name}: issue date"
        );
        for article in &page.articles {
            let case = format!("{name}: “{}”", article.title.headline);
            assert!(
                !trim(&article.title.headline).is_empty(),
                "{case}: empty headline"
            );
            assert!(
                !article.title.headline.contains(' '),
                "{case}: a space left in the headline"
            );
            assert!(!article.paragraphs.is_empty(), "{case}: no paragraphs");
            assert_paragraphs_whole(article, &case);
            let lede = &article.paragraphs[0];
            assert!(
                !lede.starts_with("本报") && !lede.starts_with(['(', '（']),
                "{case}: byline left in the lede {:?}",
                excerpt(lede, 20)
            );
            assert!(
                article.byline.credit.is_some(),
                "{case}: every dev article has a credit"
            );
            let date = article.date.unwrap_or_else(|| panic!("{case}: no date"));
            let age = issue_date - date;
            assert!(
                (0..=45).contains(&age.num_days()),
                "{case}: date {date} is not shortly before the issue {issue_date}"
            );
            if !article.date_is_explicit {
                assert_eq!(
                    date, issue_date,
                    "{case}: a date not in the lede is the issue date"
                );
            }
        }
    }
}

#[test]
fn dev_pages_title_roles_and_bylines() {
    struct Spot {
        page: &'static str,
        article: usize,
        kicker: Option<&'static str>,
        organisation: Option<&'static str>,
        headline: &'static str,
        subtitle: Option<&'static str>,
        correspondents: &'static [&'static str],
        credit: &'static str,
    }
    let spots = [
        Spot {
            page: "2024-01-17_p2.md",
            article: 0,
            kicker: Some("春节暖心行动"),
            organisation: Some("虎门镇总工会"),
            headline: "1200张免费返乡车票送到职工手中",
            subtitle: None,
            correspondents: &["虎工宣", "陈小燕"],
            credit: "虎门工",
        },
        Spot {
            page: "2024-01-17_p2.md",
            article: 1,
            kicker: None,
            organisation: None,
            headline: "广州市总工会启动2024年元旦春节送温暖活动",
            subtitle: None,
            correspondents: &["穗工宣"],
            credit: "穗工",
        },
        Spot {
            page: "2024-01-17_p2.md",
            article: 3,
            kicker: None,
            organisation: None,
            headline: "鹤山市首个货车司机之家在址山镇揭牌",
            subtitle: None,
            correspondents: &["鹤工宣", "李嘉欣"],
            credit: "鹤山工",
        },
        Spot {
            page: "2024-01-05_p3.md",
            article: 1,
            kicker: None,
            organisation: Some("增城区新塘镇总工会"),
            headline: "成功调解一起牛仔服装企业劳资纠纷",
            subtitle: Some("126名职工拿回工资和经济补偿"),
            correspondents: &["增工宣", "钟伟强"],
            credit: "新塘工",
        },
        Spot {
            page: "2023-11-22_p3.md",
            article: 0,
            kicker: None,
            organisation: Some("韶关市总工会"),
            headline: "推动产业工人队伍建设改革向纵深发展",
            subtitle: Some("全市已建成劳模和工匠人才创新工作室28家"),
            correspondents: &["韶工宣"],
            credit: "韶工宣",
        },
        Spot {
            page: "2023-12-20_p4.md",
            article: 2,
            kicker: Some("助力“百千万工程”工会在行动"),
            organisation: None,
            headline: "梅县区劳模工匠进果园为金柚产业支招",
            subtitle: None,
            correspondents: &["梅县工"],
            credit: "梅县工",
        },
        Spot {
            page: "2024-02-07_p2.md",
            article: 2,
            kicker: None,
            organisation: None,
            headline: "江门工会春联进车间翰墨飘香迎新春",
            subtitle: None,
            correspondents: &["江工宣"],
            credit: "江工",
        },
    ];
    for spot in spots {
        let (name, text, _) = DEV_PAGES
            .iter()
            .find(|(name, _, _)| *name == spot.page)
            .expect("a dev page");
        let page = parse(text, &defaults_from_file_name(name));
        let article = &page.articles[spot.article];
        let case = format!("{name} article {}", spot.article + 1);
        assert_eq!(article.title.headline, spot.headline, "{case}: headline");
        assert_eq!(
            article.title.kicker.as_deref(),
            spot.kicker,
            "{case}: kicker"
        );
        assert_eq!(
            article.title.organisation.as_deref(),
            spot.organisation,
            "{case}: organisation"
        );
        assert_eq!(
            article.title.subtitle.as_deref(),
            spot.subtitle,
            "{case}: subtitle"
        );
        assert_eq!(
            article.byline.correspondents, spot.correspondents,
            "{case}: correspondents"
        );
        assert_eq!(
            article.byline.credit.as_deref(),
            Some(spot.credit),
            "{case}: credit"
        );
    }
}

#[test]
fn front_matter_wins_over_defaults_which_fill_gaps() {
    let text =
        "---\ndate: 2023-11-08\nsource: 职工报\n---\n# 标题\n\n本报讯 11月6日,某某工会开会。";
    let defaults = PageDefaults {
        issue_date: Some(ymd(2024, 1, 1)),
        paper: Some("别的报".into()),
        page: Some("第9版".into()),
        ..PageDefaults::default()
    };
    let page = parse(text, &defaults);
    assert_eq!(page.source.issue_date, Some(ymd(2023, 11, 8)));
    assert_eq!(page.source.paper.as_deref(), Some("职工报"));
    assert_eq!(page.source.page.as_deref(), Some("第9版"));
    assert_eq!(page.articles[0].date, Some(ymd(2023, 11, 6)));
}

#[test]
fn line_endings_bom_tabs_and_full_width_spaces_do_not_change_the_articles() {
    let plain = parse(SEED_PAGE, &issue(ymd(2024, 1, 16)));
    let variants = [
        ("CRLF", SEED_PAGE.replace('\n', "\r\n")),
        ("CR", SEED_PAGE.replace('\n', "\r")),
        ("BOM", format!("\u{FEFF}{SEED_PAGE}")),
        (
            "indented",
            SEED_PAGE
                .replace("\n本报讯", "\n\u{3000}\u{3000}本报讯")
                .replace("\n#", "\n\t#"),
        ),
        ("trailing spaces", SEED_PAGE.replace('\n', " \t\u{3000}\n")),
    ];
    for (name, text) in variants {
        let page = parse(&text, &issue(ymd(2024, 1, 16)));
        assert_eq!(page.articles, plain.articles, "{name}: articles differ");
        assert!(
            page.warnings.is_empty(),
            "{name}: warnings {:?}",
            page.warnings
        );
    }
}

/// Awkward pages: how many articles, which headlines, which lines warned.
#[test]
fn awkward_pages_table() {
    struct Case {
        name: &'static str,
        text: &'static str,
        headlines: &'static [&'static str],
        warning_lines: &'static [usize],
    }
    let cases = [
        Case {
            name: "empty page",
            text: "",
            headlines: &[],
            warning_lines: &[],
        },
        Case {
            name: "no headings: the first line becomes the headline",
            text: "潮州德阳两地工会签署友好合作协议\n本报讯 1月15日,两地签约。",
            headlines: &["潮州德阳两地工会签署友好合作协议"],
            warning_lines: &[],
        },
        Case {
            name: "no headings and no title-like line: the first sentence is the headline",
            text: "本报讯 1月15日,两地签约。\n\n第二段。",
            headlines: &["1月15日,两地签约"],
            warning_lines: &[],
        },
        Case {
            name: "text before the first heading is skipped",
            text: "上接第1版,两地签约。\n\n# 标题\n\n本报讯 1月15日,开会。",
            headlines: &["标题"],
            warning_lines: &[1],
        },
        Case {
            name: "only headings",
            text: "# 一\n# 二\n\n## 三",
            headlines: &["一"],
            warning_lines: &[1, 1],
        },
        Case {
            name: "an empty heading between two articles",
            text: "# 一\n正文。\n#\n正文二。\n# 三\n正文三。",
            headlines: &["一", "三"],
            warning_lines: &[3, 4],
        },
        Case {
            name: "an empty heading over a title-like line",
            text: "# 一\n正文。\n##\n二号标题\n正文二。",
            headlines: &["一", "二号标题"],
            warning_lines: &[3, 4],
        },
        Case {
            name: "a cut last paragraph is kept and warned",
            text: "# 一\n\n本报讯 近日,某某工会将持续深挖\n\n# 二\n\n正文。",
            headlines: &["一", "二"],
            warning_lines: &[3],
        },
        Case {
            name: "an impossible date falls back to the issue date",
            text: "# 一\n\n本报讯 2月30日,开会。",
            headlines: &["一"],
            warning_lines: &[3],
        },
        Case {
            name: "front matter that never closes",
            text: "---\ndate: 2024-01-16\n\n# 一\n\n正文。",
            headlines: &["一"],
            warning_lines: &[1],
        },
        Case {
            name: "a bad front matter date",
            text: "---\ndate: 16/01/2024\n---\n# 一\n\n正文。",
            headlines: &["一"],
            warning_lines: &[2],
        },
        Case {
            name: "front matter and nothing else",
            text: "---\ndate: 2024-01-16\n---\n\n",
            headlines: &[],
            warning_lines: &[],
        },
        Case {
            name: "text after the front matter with no headline: its first sentence",
            text: "---\ndate: 2024-01-16\n---\n\n本报讯 近日,开会。",
            headlines: &["近日,开会"],
            warning_lines: &[],
        },
        Case {
            name: "binary junk",
            text: "\u{0}\u{1}\u{7f}\u{FFFD}\u{FFFD}PK\u{3}\u{4}\n\u{FFFD}#\u{0}#\n\u{1b}[0m",
            headlines: &[],
            warning_lines: &[1],
        },
    ];
    for case in cases {
        let page = parse(case.text, &issue(ymd(2024, 1, 16)));
        let headlines: Vec<&str> = page
            .articles
            .iter()
            .map(|a| a.title.headline.as_str())
            .collect();
        let lines: Vec<usize> = page.warnings.iter().map(|w| w.line).collect();
        assert_eq!(headlines, case.headlines, "{}: headlines", case.name);
        assert_eq!(
            lines, case.warning_lines,
            "{}: warning lines {:?}",
            case.name, page.warnings
        );
    }
}

#[test]
fn an_impossible_date_warns_and_uses_the_issue_date() {
    let page = parse("# 一\n\n本报讯 2月30日,开会。", &issue(ymd(2024, 3, 6)));
    let article = &page.articles[0];
    assert_eq!(article.date, Some(ymd(2024, 3, 6)));
    assert!(!article.date_is_explicit);
    assert_eq!(
        page.warnings[0],
        Warning {
            line: 3,
            kind: WarningKind::ImpossibleDate {
                written: "2月30日".into(),
                issue_date_used: true
            }
        },
        "{:?}",
        page.warnings
    );
}

#[test]
fn a_date_without_a_known_year_is_left_empty_with_a_warning() {
    let page = parse("# 一\n\n本报讯 1月15日,开会。", &PageDefaults::default());
    assert_eq!(page.articles[0].date, None);
    assert!(!page.articles[0].date_is_explicit);
    assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
    assert!(
        matches!(&page.warnings[0].kind, WarningKind::DateWithoutYear { written } if written == "1月15日"),
        "{:?}",
        page.warnings
    );

    let page = parse("# 一\n\n本报讯 近日,开会。", &PageDefaults::default());
    assert_eq!(page.articles[0].date, None);
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
}

#[test]
fn ten_thousand_articles_are_all_read() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "## 某某镇总工会\n# 第{i}篇 走访慰问劳模\n\n本报讯(记者甲{i} 通讯员乙)1月{}日,工会开展\n\n活动。(某工)\n\n",
            i % 28 + 1
        ));
    }
    let page = parse(&text, &issue(ymd(2024, 1, 30)));
    assert_eq!(page.articles.len(), 10_000);
    assert!(
        page.warnings.is_empty(),
        "{:?}",
        &page.warnings[..page.warnings.len().min(3)]
    );
    let last = &page.articles[9_999];
    assert_eq!(last.title.headline, "第9999篇走访慰问劳模");
    assert_eq!(last.title.organisation.as_deref(), Some("某某镇总工会"));
    assert_eq!(last.paragraphs, ["1月4日,工会开展活动。"]);
    assert_eq!(last.byline.credit.as_deref(), Some("某工"));
}

#[test]
fn one_huge_line_is_read_once() {
    let text = format!("# 标题\n\n{}", "工会".repeat(500_000));
    let page = parse(&text, &PageDefaults::default());
    assert_eq!(page.articles.len(), 1);
    assert_eq!(page.articles[0].paragraphs[0].len(), 3_000_000);
    let brackets = format!("# 标题\n{}", "(一)".repeat(100_000).replace("一)", "一)\n"));
    let page = parse(&brackets, &PageDefaults::default());
    assert_eq!(page.articles.len(), 1);
}

/// Invariants that hold for any input.
fn assert_page_invariants(text: &str, page: &ParsedPage) -> Result<(), TestCaseError> {
    let line_count = lines::split(text).len().max(1);
    for article in &page.articles {
        prop_assert!(
            !trim(&article.title.headline).is_empty(),
            "empty headline in {article:?}"
        );
        prop_assert!(
            article.paragraphs.iter().all(|p| !p.is_empty()),
            "empty paragraph in {article:?}"
        );
        prop_assert!(
            (1..=line_count).contains(&article.line),
            "article line {}",
            article.line
        );
    }
    for warning in &page.warnings {
        prop_assert!(
            (1..=line_count).contains(&warning.line),
            "warning line {warning:?}"
        );
    }
    Ok(())
}

fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("---".to_string()),
        Just("本报讯(全媒体记者林婷玉 通讯员安磊)1月15日,".to_string()),
        Just("本报讯 近日,".to_string()),
        Just("(阳江工)".to_string()),
        Just("。（鹤山工）".to_string()),
        Just("date: 2024-02-30".to_string()),
        Just("\u{FEFF}\t\u{3000}".to_string()),
        "[#＃]{1,7}[ \t\u{3000}]?[\\p{Han} a-z0-9“”()（）]{0,16}",
        "[\\p{Han}，,。、（）()“”！？；… \u{3000}0-9a-zA-Z]{0,40}",
        "[0-9]{1,3}月[0-9]{1,3}[日号]",
        "[(（][^\n\r]{0,10}[)）]",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_text_never_panics_and_articles_have_headlines(text in any::<String>()) {
        let page = parse(&text, &issue(ymd(2024, 1, 16)));
        assert_page_invariants(&text, &page)?;
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let page = parse(&text, &PageDefaults::default());
        assert_page_invariants(&text, &page)?;
    }

    #[test]
    fn random_pages_never_panic_and_articles_have_headlines(
        lines in proptest::collection::vec(page_line(), 0..40),
        ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        issue_known in any::<bool>(),
    ) {
        let text = lines.join(ending);
        let defaults = if issue_known { issue(ymd(2024, 1, 16)) } else { PageDefaults::default() };
        let page = parse(&text, &defaults);
        assert_page_invariants(&text, &page)?;
    }
}

#[test]
fn a_fingerprint_ignores_whitespace_and_punctuation_width() {
    let a = fingerprint("标题", &["第一段,内容。".into(), "第二段".into()]);
    let b = fingerprint(" 标题 ", &["第一段，内容。 ".into(), "第二段".into()]);
    assert_eq!(a, b);
    assert_eq!(a.as_str().len(), 64);
    assert_ne!(a, fingerprint("标题", &["第一段".into()]));
}

/// What a page's dates should read as, for one article.
struct DatesCase {
    name: &'static str,
    text: &'static str,
    defaults: PageDefaults,
    date: Option<NaiveDate>,
    date_source: DateSource,
    event_year_known: bool,
    published: Option<NaiveDate>,
    published_source: PublishedSource,
}

/// A push on `received`, with today the same day, and no issue date.
fn pushed(received: NaiveDate) -> PageDefaults {
    PageDefaults {
        today: Some(received),
        received: Some(received),
        ..PageDefaults::default()
    }
}

#[test]
fn an_article_gets_its_publication_date_and_never_an_invented_year() {
    let cases = [
        DatesCase {
            name: "a paper's page: the issue date publishes it and gives the lede its year",
            text: "---\ndate: 2024-01-16\n---\n# 标题一\n\n本报讯 1月15日,某某工会开会。",
            defaults: pushed(ymd(2024, 3, 1)),
            date: Some(ymd(2024, 1, 15)),
            date_source: DateSource::LedeInIssueYear,
            event_year_known: true,
            published: Some(ymd(2024, 1, 16)),
            published_source: PublishedSource::Issue,
        },
        DatesCase {
            name: "a page with no issue date: the push publishes it, the lede's year is a guess",
            text: "# 标题一\n\n本报讯 1月15日,某某工会开会。",
            defaults: pushed(ymd(2024, 3, 1)),
            date: Some(ymd(2024, 1, 15)),
            date_source: DateSource::LedeInLatestYear,
            event_year_known: false,
            published: Some(ymd(2024, 3, 1)),
            published_source: PublishedSource::Received,
        },
        DatesCase {
            name: "a lede that writes its year knows it",
            text: "# 标题一\n\n本报讯 2023年12月28日,某某工会开会。",
            defaults: pushed(ymd(2024, 3, 1)),
            date: Some(ymd(2023, 12, 28)),
            date_source: DateSource::LedeWithYear,
            event_year_known: true,
            published: Some(ymd(2024, 3, 1)),
            published_source: PublishedSource::Received,
        },
        DatesCase {
            name: "a paste's printed date publishes it and gives the lede its year",
            text: "区总工会为环卫工人送清凉\n发布日期：2023-08-22 来源：某某区总工会\n8月20日，某某区总工会为一线环卫工人送上防暑降温物品。",
            defaults: pushed(ymd(2026, 3, 1)),
            date: Some(ymd(2023, 8, 20)),
            date_source: DateSource::LedeInPrintedYear,
            event_year_known: true,
            published: Some(ymd(2023, 8, 22)),
            published_source: PublishedSource::Printed,
        },
        DatesCase {
            name: "a site header's day line gives the lede its year, not the push",
            text: "2025年09月19日 星期五\n首页 | 时政 | 民生 | 经济 | 社会\n南宁首批新就业形态劳动者获评职称\n9月18日，南宁市首批新就业形态劳动者职称评审结果公布，120人取得初级职称。",
            defaults: pushed(ymd(2026, 9, 30)),
            date: Some(ymd(2025, 9, 18)),
            date_source: DateSource::LedeInPrintedYear,
            event_year_known: true,
            published: Some(ymd(2025, 9, 19)),
            published_source: PublishedSource::Printed,
        },
        DatesCase {
            name: "an event before the new year of a January publication",
            text: "区总工会走访慰问困难职工\n某某区总工会 2025-01-03 08:00 发表于广东\n12月28日，某某区总工会走访慰问困难职工家庭，送上慰问金和年货。",
            defaults: pushed(ymd(2025, 3, 1)),
            date: Some(ymd(2024, 12, 28)),
            date_source: DateSource::LedeInPrintedYear,
            event_year_known: true,
            published: Some(ymd(2025, 1, 3)),
            published_source: PublishedSource::Printed,
        },
        DatesCase {
            name: "an issue date from the file name dates the events, the printed date publishes",
            text: "区总工会为环卫工人送清凉\n3月5日，某某区总工会为一线环卫工人送上防暑降温物品。\n发布日期：2024-03-06\n上一篇：另一篇报道",
            defaults: PageDefaults {
                issue_date: Some(ymd(2024, 3, 7)),
                ..pushed(ymd(2024, 3, 8))
            },
            date: Some(ymd(2024, 3, 5)),
            date_source: DateSource::LedeInIssueYear,
            event_year_known: true,
            published: Some(ymd(2024, 3, 6)),
            published_source: PublishedSource::Printed,
        },
        DatesCase {
            name: "a paste with no date at all is dated and published on the push day, flagged",
            text: "区总工会为环卫工人送清凉\n近日，某某区总工会为一线环卫工人送上防暑降温物品，职工纷纷点赞。",
            defaults: pushed(ymd(2024, 7, 1)),
            date: Some(ymd(2024, 7, 1)),
            date_source: DateSource::Received,
            event_year_known: false,
            published: Some(ymd(2024, 7, 1)),
            published_source: PublishedSource::Received,
        },
        DatesCase {
            name: "a printed date after today is not taken",
            text: "区总工会为环卫工人送清凉\n发布日期：2030-08-22\n近日，某某区总工会为一线环卫工人送上防暑降温物品，职工纷纷点赞。",
            defaults: pushed(ymd(2024, 7, 1)),
            date: Some(ymd(2024, 7, 1)),
            date_source: DateSource::Received,
            event_year_known: false,
            published: Some(ymd(2024, 7, 1)),
            published_source: PublishedSource::Received,
        },
        DatesCase {
            name: "nothing known dates nothing",
            text: "# 标题一\n\n本报讯 近日,某某工会开会。",
            defaults: PageDefaults::default(),
            date: None,
            date_source: DateSource::Unknown,
            event_year_known: false,
            published: None,
            published_source: PublishedSource::Unknown,
        },
    ];
    for case in cases {
        let page = parse(case.text, &case.defaults);
        let name = case.name;
        assert_eq!(page.articles.len(), 1, "{name}: {:?}", page.articles);
        let article = &page.articles[0];
        assert_eq!(article.date, case.date, "{name}: date");
        assert_eq!(article.date_source, case.date_source, "{name}: date source");
        assert_eq!(
            article.event_year_known, case.event_year_known,
            "{name}: event year known"
        );
        assert_eq!(article.published, case.published, "{name}: published");
        assert_eq!(
            article.published_source, case.published_source,
            "{name}: published source"
        );
    }
}
