//! Title blocks: the run of heading lines above an article's body, resolved
//! into kicker, organisation, main headline and subtitle.
//!
//! Two decisions live here.
//!
//! **Spaces inside a heading.** On paper a long heading is set on two or three
//! lines; the text step turns those breaks into spaces
//! (`阳江市总工会 研究部署劳资纠纷 应急处置工作`). A space is kept only when
//! every part it separates starts with a verb: then the parts are parallel
//! clauses (`围绕中心任务 找准工会工作切入点`). Otherwise the parts are one
//! phrase broken for layout (subject | predicate, verb | object, predicate |
//! prepositional phrase) and are joined, with a space only between Latin
//! letters or digits. The rule prefers joining: a lost space between two
//! clauses still reads, a stray space inside a name does not.
//!
//! **Roles.** The main headline is the line of the highest level present,
//! usually the one `#` line. When several lines share that level (no `#` line
//! and several `##`, or several `#`), it is the first non-organisation line
//! after an organisation line, else the first non-organisation line (so the
//! first of several `#`), else the last line; a warning says which was taken.
//! Lines above the headline are the organisation (a line that is just an
//! organisation's name) or the kicker; lines below it are the subtitle.

use super::punctuation::{excerpt, glue, is_space};
use super::{Warning, WarningKind};
use crate::article::TitleBlock;
use crate::zh::segment::segmenter;

/// Endings of an organisation's name.
const ORGANISATION_ENDINGS: [&str; 19] = [
    "工会",
    "委员会",
    "工委",
    "协会",
    "学会",
    "商会",
    "联合会",
    "促进会",
    "研究会",
    "基金会",
    "党委",
    "党组",
    "政府",
    "办事处",
    "管委会",
    "局",
    "厅",
    "集团",
    "公司",
];

/// Endings of administrative places (`增城区`, `新塘镇`, `容桂街道`), peeled off
/// an organisation's name before looking for verbs, since the segmenter
/// mistags some place names as verbs (`增/v 城区`).
const PLACE_ENDINGS: [&str; 10] = ["省", "市", "区", "县", "镇", "乡", "街道", "村", "州", "旗"];

/// How many characters of a heading part are tagged to find its first word.
const FIRST_WORD_WINDOW: usize = 12;

/// One heading line of a title block, its spaces already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// 1-based line number.
    pub line: usize,
    /// Number of `#`.
    pub level: usize,
    /// The text, see [`join_spaces`].
    pub text: String,
}

/// Resolves a heading's spaces: kept (as one space each) when every part
/// starts with a verb, else joined, with a space only between Latin letters
/// or digits.
pub(super) fn join_spaces(heading: &str) -> String {
    let parts: Vec<&str> = heading.split(is_space).filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return parts.first().map_or_else(String::new, |p| p.to_string());
    }
    let parallel_clauses = parts.iter().all(|p| starts_with_verb(p));
    let mut text = String::with_capacity(heading.len());
    for part in parts {
        if parallel_clauses && !text.is_empty() {
            text.push(' ');
        }
        glue(&mut text, part);
    }
    text
}

/// True when a heading line is just an organisation's name (`云浮市云城区总工会`,
/// `湛江市港口行业工会`): short, no punctuation, ends like an organisation and
/// has no verb (`开平市水口镇成立水暖卫浴行业工会联合会` is a headline).
pub(super) fn is_organisation(text: &str) -> bool {
    let length = text.chars().count();
    if !(2..=24).contains(&length)
        || text.chars().any(|c| !(c.is_alphanumeric() || c == '·'))
        || !ORGANISATION_ENDINGS.iter().any(|e| text.ends_with(e))
    {
        return false;
    }
    let name = strip_places(text);
    !segmenter()
        .tagged(name)
        .iter()
        .any(|&(_, tag)| tag.starts_with('v') && tag != "vn")
}

/// Builds the title block from an article's heading lines. Empty lines are
/// skipped with a warning; `None` when no line has text.
pub(super) fn assemble(headings: &[Heading], warnings: &mut Vec<Warning>) -> Option<TitleBlock> {
    let mut lines = Vec::with_capacity(headings.len());
    for heading in headings {
        if heading.text.is_empty() {
            warnings.push(Warning::new(heading.line, WarningKind::EmptyHeading));
        } else {
            lines.push(heading);
        }
    }
    let top_level = lines.iter().map(|h| h.level).min()?;
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].level == top_level)
        .collect();
    let main = if candidates.len() == 1 {
        candidates[0]
    } else {
        let organisations: Vec<bool> = candidates
            .iter()
            .map(|&i| is_organisation(&lines[i].text))
            .collect();
        let first_organisation = organisations.iter().position(|&o| o);
        let after_organisation =
            first_organisation.and_then(|f| (f + 1..candidates.len()).find(|&k| !organisations[k]));
        let k = after_organisation
            .or_else(|| organisations.iter().position(|&o| !o))
            .unwrap_or(candidates.len() - 1);
        let chosen = lines[candidates[k]];
        let chosen_text = excerpt(&chosen.text, 30);
        let kind = if top_level == 1 {
            WarningKind::SeveralHeadlines {
                count: candidates.len(),
                chosen: chosen_text,
            }
        } else {
            WarningKind::NoTopHeadline {
                chosen: chosen_text,
            }
        };
        warnings.push(Warning::new(chosen.line, kind));
        candidates[k]
    };

    let mut title = TitleBlock {
        headline: lines[main].text.clone(),
        ..TitleBlock::default()
    };
    for heading in &lines[..main] {
        if title.organisation.is_none() && is_organisation(&heading.text) {
            title.organisation = Some(heading.text.clone());
        } else {
            append_line(&mut title.kicker, &heading.text);
        }
    }
    for heading in &lines[main + 1..] {
        append_line(&mut title.subtitle, &heading.text);
    }
    Some(title)
}

/// Adds a heading line to a role that may already hold one, a space standing
/// for the line break.
fn append_line(role: &mut Option<String>, line: &str) {
    match role {
        Some(text) => {
            text.push(' ');
            text.push_str(line);
        }
        None => *role = Some(line.to_string()),
    }
}

/// True when the first word of a heading part (past opening quotes) is a verb.
fn starts_with_verb(part: &str) -> bool {
    let part = part.trim_start_matches(|c: char| !c.is_alphanumeric());
    let window = part
        .char_indices()
        .nth(FIRST_WORD_WINDOW)
        .map_or(part, |(end, _)| &part[..end]);
    segmenter()
        .tagged(window)
        .into_iter()
        .find(|(word, _)| word.chars().any(char::is_alphanumeric))
        .is_some_and(|(_, tag)| tag.starts_with('v'))
}

/// The name with its leading place names peeled off (`增城区新塘镇总工会` →
/// `总工会`).
fn strip_places(mut name: &str) -> &str {
    loop {
        let place_end = name
            .char_indices()
            .skip(1)
            .take(8)
            .map(|(i, c)| i + c.len_utf8())
            .find(|&end| PLACE_ENDINGS.iter().any(|p| name[..end].ends_with(p)));
        match place_end {
            Some(end) if end < name.len() => name = &name[end..],
            _ => return name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_spaces_table() {
        let cases = [
            (
                "阳江市总工会 研究部署劳资纠纷 应急处置工作",
                "阳江市总工会研究部署劳资纠纷应急处置工作",
            ),
            (
                "东莞市石龙镇总工会 走访慰问退休劳模",
                "东莞市石龙镇总工会走访慰问退休劳模",
            ),
            (
                "广州市总工会启动 2024年元旦春节送温暖活动",
                "广州市总工会启动2024年元旦春节送温暖活动",
            ),
            (
                "围绕中心任务 找准工会工作切入点",
                "围绕中心任务 找准工会工作切入点",
            ),
            (
                "茂名市茂南区总工会 开展“四史”宣讲活动",
                "茂名市茂南区总工会开展“四史”宣讲活动",
            ),
            (
                "推动产业工人队伍建设改革 向纵深发展",
                "推动产业工人队伍建设改革向纵深发展",
            ),
            (
                "湛江市总工会为120名劳模 安排免费健康体检",
                "湛江市总工会为120名劳模安排免费健康体检",
            ),
            (
                "高明区为留岗过年职工 送上新春大礼包",
                "高明区为留岗过年职工送上新春大礼包",
            ),
            (
                "开平市水口镇成立 水暖卫浴行业工会联合会",
                "开平市水口镇成立水暖卫浴行业工会联合会",
            ),
            (
                "长安镇总工会 职工心理健康服务站 揭牌运行",
                "长安镇总工会职工心理健康服务站揭牌运行",
            ),
            (
                "吴川市新增15家\u{3000}户外劳动者爱心驿站",
                "吴川市新增15家户外劳动者爱心驿站",
            ),
            ("  多个\t\t空白  ", "多个空白"),
            ("COVID 19 疫情", "COVID 19疫情"),
            ("Union News Today", "Union News Today"),
            ("第 3 版", "第3版"),
            ("", ""),
            ("单独", "单独"),
        ];
        for (heading, expected) in cases {
            assert_eq!(join_spaces(heading), expected, "join_spaces({heading:?})");
        }
    }

    #[test]
    fn organisation_table() {
        let cases = [
            ("云浮市云城区总工会", true),
            ("虎门镇总工会", true),
            ("广州市总工会", true),
            ("增城区新塘镇总工会", true),
            ("顺德区容桂街道总工会", true),
            ("湛江市港口行业工会", true),
            ("广州市白云区总工会", true),
            ("江门市书法家协会", true),
            ("中共广州市委员会", true),
            ("东莞市劳模协会", true),
            ("开平市水口镇成立水暖卫浴行业工会联合会", false),
            ("汕尾市总工会召开班子会议", false),
            ("工会助力“百千万工程”", false),
            ("春节暖心行动", false),
            ("新就业形态劳动者入会集中行动", false),
            ("阳江市总工会 研究部署", false),
            ("工会", true),
            ("", false),
        ];
        for (text, expected) in cases {
            assert_eq!(is_organisation(text), expected, "is_organisation({text:?})");
        }
    }

    fn headings(lines: &[(usize, &str)]) -> Vec<Heading> {
        lines
            .iter()
            .enumerate()
            .map(|(i, &(level, text))| Heading {
                line: i + 1,
                level,
                text: join_spaces(text),
            })
            .collect()
    }

    struct RolesCase {
        lines: &'static [(usize, &'static str)],
        kicker: Option<&'static str>,
        organisation: Option<&'static str>,
        headline: &'static str,
        subtitle: Option<&'static str>,
        warnings: usize,
    }

    #[test]
    fn roles_table() {
        let cases = [
            RolesCase {
                lines: &[
                    (1, "潮州德阳两地工会签署友好合作协议"),
                    (2, "将健全完善跨省城际间职工服务工作机制"),
                ],
                kicker: None,
                organisation: None,
                headline: "潮州德阳两地工会签署友好合作协议",
                subtitle: Some("将健全完善跨省城际间职工服务工作机制"),
                warnings: 0,
            },
            RolesCase {
                lines: &[
                    (2, "工会助力“百千万工程”"),
                    (2, "云浮市云城区总工会"),
                    (1, "启动职工乡村疗休养示范性活动"),
                ],
                kicker: Some("工会助力“百千万工程”"),
                organisation: Some("云浮市云城区总工会"),
                headline: "启动职工乡村疗休养示范性活动",
                subtitle: None,
                warnings: 0,
            },
            RolesCase {
                lines: &[
                    (2, "汕尾市总工会召开班子会议"),
                    (1, "围绕中心任务 找准工会工作切入点"),
                ],
                kicker: Some("汕尾市总工会召开班子会议"),
                organisation: None,
                headline: "围绕中心任务 找准工会工作切入点",
                subtitle: None,
                warnings: 0,
            },
            RolesCase {
                lines: &[(2, "阳江市总工会 研究部署劳资纠纷 应急处置工作")],
                kicker: None,
                organisation: None,
                headline: "阳江市总工会研究部署劳资纠纷应急处置工作",
                subtitle: None,
                warnings: 0,
            },
            RolesCase {
                lines: &[
                    (2, "工会助力“百千万工程”"),
                    (2, "云浮市云城区总工会"),
                    (2, "启动职工乡村疗休养示范性活动"),
                ],
                kicker: Some("工会助力“百千万工程”"),
                organisation: Some("云浮市云城区总工会"),
                headline: "启动职工乡村疗休养示范性活动",
                subtitle: None,
                warnings: 1,
            },
            RolesCase {
                lines: &[
                    (2, "新就业形态劳动者入会集中行动"),
                    (2, "顺德区容桂街道总工会"),
                ],
                kicker: None,
                organisation: None,
                headline: "新就业形态劳动者入会集中行动",
                subtitle: Some("顺德区容桂街道总工会"),
                warnings: 1,
            },
            RolesCase {
                lines: &[(1, "第一条 # 标题"), (1, "第二条"), (3, "小字")],
                kicker: None,
                organisation: None,
                headline: "第一条#标题",
                subtitle: Some("第二条 小字"),
                warnings: 1,
            },
            RolesCase {
                lines: &[(2, "韶关市总工会")],
                kicker: None,
                organisation: None,
                headline: "韶关市总工会",
                subtitle: None,
                warnings: 0,
            },
            RolesCase {
                lines: &[
                    (2, "春节暖心行动"),
                    (2, ""),
                    (2, "虎门镇总工会"),
                    (1, "1200张免费返乡车票送到职工手中"),
                ],
                kicker: Some("春节暖心行动"),
                organisation: Some("虎门镇总工会"),
                headline: "1200张免费返乡车票送到职工手中",
                subtitle: None,
                warnings: 1,
            },
        ];
        for case in cases {
            let lines = case.lines;
            let mut warnings = Vec::new();
            let title = assemble(&headings(lines), &mut warnings).expect("a title");
            assert_eq!(title.kicker.as_deref(), case.kicker, "kicker of {lines:?}");
            assert_eq!(
                title.organisation.as_deref(),
                case.organisation,
                "organisation of {lines:?}"
            );
            assert_eq!(title.headline, case.headline, "headline of {lines:?}");
            assert_eq!(
                title.subtitle.as_deref(),
                case.subtitle,
                "subtitle of {lines:?}"
            );
            assert_eq!(
                warnings.len(),
                case.warnings,
                "warnings of {lines:?}: {warnings:?}"
            );
        }
    }

    #[test]
    fn a_block_of_empty_headings_has_no_title() {
        let mut warnings = Vec::new();
        assert_eq!(
            assemble(&headings(&[(1, ""), (2, " ")]), &mut warnings),
            None
        );
        assert_eq!(warnings.len(), 2);
        assert_eq!(assemble(&[], &mut warnings), None);
    }
}
