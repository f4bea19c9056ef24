//! Who wrote an article: the byline at the start of the lede
//! (`本报讯(全媒体记者林婷玉 通讯员安磊)`) and the credit that may close it
//! (`(阳江工)`).
//!
//! The byline's parenthesis is taken only when it names a role (记者, 通讯员,
//! 实习生 …); names are split on spaces, `、`, commas and slashes. A closing
//! credit is a short parenthesis (at most [`CREDIT_MAX_CHARS`] letters, no
//! punctuation) right after the article's last sentence end, so `各县(市、区)`
//! or `职工(劳模)疗休养` are never taken.

use super::punctuation::{
    ends_sentence_before_credit, is_close_paren, is_open_paren, is_space, trim,
};

/// Longest closing credit, in characters, between its parentheses.
pub(super) const CREDIT_MAX_CHARS: usize = 8;

/// Words that open a lede before its byline.
const LEDE_OPENERS: [&str; 4] = ["本报讯", "本报消息", "本刊讯", "本网讯"];

/// Role words, longest first where one contains another.
const ROLES: [(&str, Role); 14] = [
    ("全媒体记者", Role::Reporter),
    ("融媒体记者", Role::Reporter),
    ("本报记者", Role::Reporter),
    ("见习记者", Role::Reporter),
    ("特约记者", Role::Reporter),
    ("实习记者", Role::Reporter),
    ("首席记者", Role::Reporter),
    ("驻站记者", Role::Reporter),
    ("摄影记者", Role::Reporter),
    ("记者", Role::Reporter),
    ("实习生", Role::Reporter),
    ("特约通讯员", Role::Correspondent),
    ("本报通讯员", Role::Correspondent),
    ("通讯员", Role::Correspondent),
];

/// The longest parenthesis searched for a byline, in characters.
const BYLINE_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Reporter,
    Correspondent,
}

/// The people a lede's byline names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LedeByline {
    /// 记者 and the like.
    pub reporters: Vec<String>,
    /// 通讯员.
    pub correspondents: Vec<String>,
}

/// Takes `本报讯` and a byline parenthesis off the start of a lede: returns
/// the names and the lede's own text (`为持续深化粤川交流合作,1月15日,…`).
/// A lede with neither is returned unchanged.
pub(super) fn take_byline(lede: &str) -> (LedeByline, &str) {
    let mut rest = trim(lede);
    let mut taken = false;
    if let Some(after) = LEDE_OPENERS.iter().find_map(|o| rest.strip_prefix(o)) {
        rest = after.trim_start_matches(is_space);
        taken = true;
    }
    let mut byline = LedeByline::default();
    if let Some((inside, after)) = leading_parenthesis(rest)
        && let Some(parsed) = parse_names(inside)
    {
        byline = parsed;
        rest = after;
        taken = true;
    }
    if taken {
        rest =
            rest.trim_start_matches(|c: char| is_space(c) || matches!(c, ':' | '：' | ',' | '，'));
    }
    (byline, rest)
}

/// Splits a closing credit off the end of `text`: the text before it and the
/// credit's name, or `None` when `text` does not end with one.
pub(super) fn split_credit(text: &str) -> Option<(&str, &str)> {
    let text = trim(text);
    let inner_end = text.strip_suffix(is_close_paren)?;
    let mut open = None;
    for (count, (i, c)) in inner_end.char_indices().rev().enumerate() {
        if is_open_paren(c) {
            open = Some(i);
            break;
        }
        let allowed = c.is_alphanumeric() || c == '·' || c == ' ' || c == '\u{3000}';
        if count >= CREDIT_MAX_CHARS || !allowed {
            return None;
        }
    }
    let open = open?;
    let name = trim(&inner_end[open + inner_end[open..].chars().next()?.len_utf8()..]);
    if name.is_empty() {
        return None;
    }
    let before = trim(&text[..open]);
    (before.is_empty() || ends_sentence_before_credit(before)).then_some((before, name))
}

/// `(…)` at the start of `text`: its inside and what follows it.
fn leading_parenthesis(text: &str) -> Option<(&str, &str)> {
    let first = text.chars().next().filter(|&c| is_open_paren(c))?;
    let inner = &text[first.len_utf8()..];
    let (close, c) = inner
        .char_indices()
        .take(BYLINE_MAX_CHARS)
        .find(|&(_, c)| is_close_paren(c) || is_open_paren(c))?;
    if !is_close_paren(c) {
        return None;
    }
    Some((&inner[..close], &inner[close + c.len_utf8()..]))
}

/// Reads `全媒体记者誉建业 通讯员冉荣华 罗舒叶` into reporters and
/// correspondents; `None` when no role is named or it reads like a sentence.
fn parse_names(inside: &str) -> Option<LedeByline> {
    if inside.contains(['。', '！', '？', '!', '?']) {
        return None;
    }
    let mut byline = LedeByline::default();
    let mut role = None;
    let mut pending = String::new();
    let mut rest = inside;
    let mut any_role = false;
    while let Some(c) = rest.chars().next() {
        if let Some((word, next_role)) = ROLES.iter().find(|(word, _)| rest.starts_with(word)) {
            push_names(&mut byline, role, &pending);
            pending.clear();
            role = Some(*next_role);
            any_role = true;
            rest = &rest[word.len()..];
        } else {
            pending.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    push_names(&mut byline, role, &pending);
    any_role.then_some(byline)
}

fn push_names(byline: &mut LedeByline, role: Option<Role>, names: &str) {
    let Some(role) = role else { return };
    let list = match role {
        Role::Reporter => &mut byline.reporters,
        Role::Correspondent => &mut byline.correspondents,
    };
    let separators =
        |c: char| is_space(c) || matches!(c, '、' | ',' | '，' | ';' | '；' | '/' | '／');
    for name in names.split(separators) {
        let name = name.trim_end_matches("报道");
        if !name.is_empty() && name.chars().count() <= 12 {
            list.push(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_byline_table() {
        struct Case {
            lede: &'static str,
            reporters: &'static [&'static str],
            correspondents: &'static [&'static str],
            rest: &'static str,
        }
        let cases = [
            Case {
                lede: "本报讯(全媒体记者林婷玉 通讯员安磊)为持续深化粤川交流合作,1月15日,",
                reporters: &["林婷玉"],
                correspondents: &["安磊"],
                rest: "为持续深化粤川交流合作,1月15日,",
            },
            Case {
                lede: "本报讯（通讯员鹤工宣 李嘉欣）1月11日，鹤山市",
                reporters: &[],
                correspondents: &["鹤工宣", "李嘉欣"],
                rest: "1月11日，鹤山市",
            },
            Case {
                lede: "本报讯(全媒体记者誉建业 通讯员冉荣华 罗舒叶 蔡坤怡)1月11日,",
                reporters: &["誉建业"],
                correspondents: &["冉荣华", "罗舒叶", "蔡坤怡"],
                rest: "1月11日,",
            },
            Case {
                lede: "本报讯 近日,阳江市总工会召开会议。",
                reporters: &[],
                correspondents: &[],
                rest: "近日,阳江市总工会召开会议。",
            },
            Case {
                lede: "本报讯(通讯员虎工宣 陈小燕)1月15日,",
                reporters: &[],
                correspondents: &["虎工宣", "陈小燕"],
                rest: "1月15日,",
            },
            Case {
                lede: "本报讯（本报记者张三、李四，通讯员王五）近日",
                reporters: &["张三", "李四"],
                correspondents: &["王五"],
                rest: "近日",
            },
            Case {
                lede: "本报讯 (记者 张三 实习生李四) 1月3日",
                reporters: &["张三", "李四"],
                correspondents: &[],
                rest: "1月3日",
            },
            Case {
                lede: "(通讯员兴工宣全媒体记者梁海燕)近日,",
                reporters: &["梁海燕"],
                correspondents: &["兴工宣"],
                rest: "近日,",
            },
            Case {
                lede: "本报讯（综合）近日",
                reporters: &[],
                correspondents: &[],
                rest: "（综合）近日",
            },
            Case {
                lede: "各县(市、区)总工会参加。",
                reporters: &[],
                correspondents: &[],
                rest: "各县(市、区)总工会参加。",
            },
            Case {
                lede: "本报讯(全媒体记者林婷玉",
                reporters: &[],
                correspondents: &[],
                rest: "(全媒体记者林婷玉",
            },
            Case {
                lede: "本报讯",
                reporters: &[],
                correspondents: &[],
                rest: "",
            },
        ];
        for case in cases {
            let (byline, rest) = take_byline(case.lede);
            let lede = case.lede;
            assert_eq!(byline.reporters, case.reporters, "reporters of {lede:?}");
            assert_eq!(
                byline.correspondents, case.correspondents,
                "correspondents of {lede:?}"
            );
            assert_eq!(rest, case.rest, "rest of {lede:?}");
        }
    }

    #[test]
    fn split_credit_table() {
        let cases = [
            (
                "坚持依法依规解决欠薪问题。(阳江工)",
                Some(("坚持依法依规解决欠薪问题。", "阳江工")),
            ),
            ("磅礴力量。(魏瑞远)", Some(("磅礴力量。", "魏瑞远"))),
            (
                "再建设2个司机之家。（鹤山工）",
                Some(("再建设2个司机之家。", "鹤山工")),
            ),
            ("“娘家人”。(石龙工) ", Some(("“娘家人”。", "石龙工"))),
            ("心里暖乎乎的。”(吴工)", Some(("心里暖乎乎的。”", "吴工"))),
            ("(阳江工)", Some(("", "阳江工"))),
            ("各县(市、区)", None),
            ("纳入职工(劳模)", None),
            ("签约仪式。(一二三四五六七八九)", None),
            ("签约仪式。(记者 张三)", Some(("签约仪式。", "记者 张三"))),
            ("签约仪式。()", None),
            ("签约仪式。(a,b)", None),
            ("没有括号。", None),
            ("）", None),
        ];
        for (text, expected) in cases {
            assert_eq!(split_credit(text), expected, "split_credit({text:?})");
        }
    }
}
