//! A member's claim to check: 「听说番禺骑手入会能保20万 真的吗」. The figure
//! the member heard is read with what it counts (money, people, a share)
//! and whether it is per head (每人); the reply quotes the article's
//! sentence that holds the corresponding fact and says whether the two
//! agree only when they count the same thing the same way.

use crate::focus::{Expect, Figure, figures};

/// Words that make a question a claim to check (after members' words are
/// read: 系咪真嘅 → 是不是真的).
const CLAIM_MARKERS: &[&str] = &[
    "真的吗",
    "真的假的",
    "是不是真的",
    "是真的吗",
    "真不真",
    "真定假",
    "是不是真",
    "是否属实",
    "属实吗",
    "靠谱吗",
    "可信吗",
    "听说",
    "听讲",
    "有人说",
    "有人话",
    "网上说",
    "群里说",
    "转发",
    "据说",
];

/// Words that make a figure per head.
const PER_HEAD: &[&str] = &[
    "每人",
    "每名",
    "人均",
    "每个人",
    "每位",
    "每户",
    "每家",
    "每份",
];

/// Words that make a bare figure (5万) an amount of money.
const MONEY_CONTEXT: &[&str] = &[
    "钱",
    "奖",
    "补贴",
    "补助",
    "资金",
    "投入",
    "投",
    "买",
    "花",
    "工资",
    "保障",
    "保",
    "赔",
    "慰问金",
    "红包",
    "经费",
    "元",
    "块",
];

/// The figure a member heard.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// The figure as typed (`5万`, `一个亿`, `99%`).
    pub figure: String,
    /// Its value (5万 → 50000).
    pub value: f64,
    /// What it counts.
    pub counts: Counts,
    /// True when it is per head (每人奖5万).
    pub per_head: bool,
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Counts {
    /// Money (元).
    Money,
    /// A share (%).
    Share,
    /// People (人, 名).
    People,
    /// Things with this measure word (家, 个).
    Unit(char),
}

impl Counts {
    /// The kind of figure that answers a question about it.
    pub fn expect(self) -> Expect {
        match self {
            Counts::Money => Expect::Money,
            Counts::People => Expect::People,
            Counts::Share => Expect::Unit('%'),
            Counts::Unit(c) => Expect::Unit(c),
        }
    }
}

/// The claim a question makes, if it is one: a claim marker and a figure.
pub fn read(normalized: &str) -> Option<Claim> {
    if !CLAIM_MARKERS.iter().any(|m| normalized.contains(m)) {
        return None;
    }
    let text = normalized.replace("一个亿", "1亿").replace("个亿", "亿");
    let figure = figures(&text).into_iter().find(|f| !f.is_date())?;
    let value = value_of(&figure.number)?;
    let counts = counts_of(&figure, &text)?;
    Some(Claim {
        value,
        counts,
        per_head: PER_HEAD.iter().any(|w| text.contains(w)),
        figure: format!(
            "{}{}",
            figure.number,
            figure.unit.map(String::from).unwrap_or_default()
        ),
    })
}

fn counts_of(figure: &Figure, text: &str) -> Option<Counts> {
    if figure.number.ends_with('%') {
        return Some(Counts::Share);
    }
    match figure.unit {
        Some('元' | '块') => Some(Counts::Money),
        Some('人' | '名' | '位') => Some(Counts::People),
        Some(c) if crate::focus::is_measure_word(c) => Some(Counts::Unit(c)),
        _ if MONEY_CONTEXT.iter().any(|w| text.contains(w)) => Some(Counts::Money),
        _ => None,
    }
}

/// The value of a number as written: `1.56万` → 15600, `一个亿` is read as
/// `1亿`; `余` and `多` are dropped.
pub fn value_of(number: &str) -> Option<f64> {
    let number = number.trim_end_matches(['余', '多', '%']);
    let mut multiplier = 1.0;
    let mut digits = number;
    for (suffix, times) in [("亿", 1e8), ("万", 1e4), ("千", 1e3), ("百", 1e2)] {
        if let Some(rest) = digits.strip_suffix(suffix)
            && !rest.is_empty()
        {
            multiplier *= times;
            digits = rest;
            // 1.2万亿 is rare in union news; one suffix is enough.
            break;
        }
    }
    let plain: String = digits.chars().filter(|c| *c != ',').collect();
    if let Ok(value) = plain.parse::<f64>() {
        return Some(value * multiplier);
    }
    chinese_value(digits).map(|v| v * multiplier)
}

/// A small Chinese numeral: 五, 十二, 三百, 两千.
fn chinese_value(text: &str) -> Option<f64> {
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as f64);
    let mut total = 0.0;
    let mut current = 0.0;
    for c in text.chars() {
        match c {
            '两' => current = 2.0,
            '十' => {
                total += if current == 0.0 { 10.0 } else { current * 10.0 };
                current = 0.0;
            }
            '百' => {
                total += current * 100.0;
                current = 0.0;
            }
            '千' => {
                total += current * 1000.0;
                current = 0.0;
            }
            c => current = digit(c)?,
        }
    }
    Some(total + current)
}

/// Whether the report agrees with the claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The report gives the same figure for the same thing.
    Agrees,
    /// The report gives another figure for the same thing (its figure as written).
    Differs(String),
    /// The report's figure counts something else (总额 vs 每人): no verdict.
    NotComparable,
}

/// Compares the claim with the figures of the article's `sentence`.
pub fn verdict(claim: &Claim, sentence: &str) -> Verdict {
    let expect = claim.counts.expect();
    let sentence_per_head = PER_HEAD.iter().any(|w| sentence.contains(w));
    if sentence_per_head != claim.per_head {
        return Verdict::NotComparable;
    }
    let Some(figure) = figures(sentence)
        .into_iter()
        .find(|f| expect.accepts(f) || (claim.counts == Counts::Share && f.number.ends_with('%')))
    else {
        return Verdict::NotComparable;
    };
    let Some(value) = value_of(&figure.number) else {
        return Verdict::NotComparable;
    };
    let written = format!(
        "{}{}",
        figure.number,
        figure.unit.map(String::from).unwrap_or_default()
    );
    if (value - claim.value).abs() <= claim.value.abs() * 1e-6 {
        Verdict::Agrees
    } else {
        Verdict::Differs(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_with_what_they_count() {
        let claim = read("有人转发话北滘金牌工人每人奖5万 是不是真的").unwrap();
        assert_eq!(
            (claim.value, claim.counts, claim.per_head),
            (5e4, Counts::Money, true)
        );
        let claim = read("听说佛山总工会今年要投一个亿办实事 真的吗").unwrap();
        assert_eq!((claim.value, claim.counts), (1e8, Counts::Money));
        let claim = read("听讲狮山随手拍整改率有99% 真定假").unwrap();
        assert_eq!((claim.value, claim.counts), (99.0, Counts::Share));
        assert_eq!(read("北滘金牌工人奖了多少"), None);
        assert_eq!(read("听说番禺骑手入会了 真的吗"), None);
    }

    #[test]
    fn a_verdict_is_given_only_for_the_same_thing_counted_the_same_way() {
        let claim = read("听说每人奖5万元 真的吗").unwrap();
        assert_eq!(
            verdict(&claim, "对获评者每人奖励1万元"),
            Verdict::Differs("1万元".into())
        );
        assert_eq!(verdict(&claim, "每人奖励5万元"), Verdict::Agrees);
        // A total is not a contradiction of a per-head figure.
        assert_eq!(verdict(&claim, "共发放奖金20万元"), Verdict::NotComparable);
    }

    #[test]
    fn numbers_are_valued_as_written() {
        assert_eq!(value_of("1.56万"), Some(15600.0));
        assert_eq!(value_of("9600万"), Some(9.6e7));
        assert_eq!(value_of("五"), Some(5.0));
        assert_eq!(value_of("十二"), Some(12.0));
        assert_eq!(value_of("96.5%"), Some(96.5));
    }
}
