//! What a question asks for beyond its words ([`Focus`]: a figure of some
//! kind, a place, a time, names), and the figures in a text that can answer
//! it. Both the question reader (`query`) and the summaries (`summary`) use
//! these, so neither imports the other.

/// What a question wants beyond matching words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Focus {
    /// The question asks for a figure (多少, 几, 多大 …): prefer sentences with numbers.
    pub wants_figure: bool,
    /// The question asks where (哪里, 哪个镇 …): prefer sentences naming a place.
    pub wants_place: bool,
    /// The question asks when (什么时候, 哪天 …): prefer sentences with dates.
    pub wants_time: bool,
    /// The kind of figure a figure question expects (几支 → `支`, 多少钱 → money).
    pub expects: Expect,
    /// A second figure asked in the same question, of another kind (有几多个
    /// 司机代表 几多间平台: people, then `家`).
    #[serde(default)]
    pub also_expects: Option<Expect>,
    /// The question asks which organisations (哪些企业, 哪家公司): prefer
    /// sentences naming companies and bodies.
    pub wants_names: bool,
    /// The question asks for a total (一共, 总共, 现在有多少): prefer the
    /// sentence with the running total over the one with this year's new ones.
    pub wants_total: bool,
    /// The question asks who (谁, 哪位, 冠军是谁): prefer the sentence that
    /// names the person or winner.
    pub wants_person: bool,
    /// The question asks what things (哪些, 有什么, 都有啥, 发了些什么):
    /// prefer the sentence that lists them.
    pub wants_list: bool,
}

/// Words of a question that ask for a total rather than the latest addition.
pub const TOTAL_QUESTION: [&str; 9] = [
    "一共",
    "总共",
    "共有",
    "总数",
    "累计",
    "现在有多少",
    "目前有多少",
    "现有多少",
    "加起来",
];

/// Words of a sentence that give a running total.
pub const TOTAL_SENTENCE: [&str; 11] = [
    "总数",
    "共有",
    "累计",
    "已建成",
    "至此",
    "截至",
    "共计",
    "合计",
    "总计",
    "现有",
    "全市共",
];

/// Words of a sentence that give only what is new.
pub const NEW_SENTENCE: [&str; 4] = ["新建", "新增", "今年新", "新成立"];

/// The kind of figure that answers a figure question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expect {
    /// Any figure that is not a date.
    #[default]
    Any,
    /// A count with this measure word: `几支` → `32支`, `几次` → `6次`.
    Unit(char),
    /// An amount of money: `多少钱`, `奖金多少` → `6000元`.
    Money,
    /// A number of people: `多少人`, `多少会员` → `5800余人`, `326名`.
    People,
    /// A length of time: `多久` → `20天`, `3个月`.
    Duration,
}

impl Expect {
    /// True when a figure is of the expected kind.
    pub fn accepts(self, figure: &Figure) -> bool {
        let unit = figure.unit;
        match self {
            Expect::Any => !figure.is_date(),
            Expect::Unit('%') => figure.number.ends_with('%'),
            Expect::Unit(expected) => {
                unit == Some(expected)
                    || (matches!(expected, '人' | '名' | '位') && Expect::People.accepts(figure))
            }
            Expect::Money => matches!(unit, Some('元' | '块')),
            Expect::People => matches!(unit, Some('人' | '名' | '位')),
            Expect::Duration => {
                matches!(unit, Some('天' | '周' | '小' | '分' | '年')) && !figure.is_date()
                    || (unit == Some('月') && figure.counted)
            }
        }
    }
}

/// A number in a text with the measure word after it: `32支`, `1.2万名`,
/// `5800余人`, `11月`, `三次`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The number as written, with its modifiers (`1.2万`, `400多`).
    pub number: String,
    /// The measure word's first character, if one follows (`支`, `元`, `月`).
    pub unit: Option<char>,
    /// True when the number was written in digits.
    pub digits: bool,
    /// True when `个` stood between number and unit (`3个月` is a duration, not a month).
    pub counted: bool,
}

impl Figure {
    /// True for a calendar date or time of day: `11月`, `3日`, `2024年`, `9时`.
    pub fn is_date(&self) -> bool {
        if self.counted {
            return false;
        }
        match self.unit {
            Some('月' | '日' | '号' | '时' | '点') => true,
            Some('年') => self.digits && self.number.chars().count() == 4,
            _ => false,
        }
    }
}

/// Characters that may follow a number as its measure word.
const MEASURE_WORDS: &str = "支次家名个天场项所条批户位人年月日号时点届台套件元块期篇首部轮组队间座辆吨亩米周岁倍份张本册门栋层";

/// True when a character is a measure word a question can ask for with 几 or 多少.
pub fn is_measure_word(c: char) -> bool {
    MEASURE_WORDS.contains(c) && !matches!(c, '个' | '日' | '号' | '点')
}

/// The figures in a text, in order. Chinese numerals count only with a
/// measure word after them, so `一线` and `一等奖` are not figures.
pub fn figures(text: &str) -> Vec<Figure> {
    const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九十百千";
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let digits = c.is_ascii_digit();
        if !digits && !CHINESE_DIGITS.contains(c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (digits
                    && matches!(chars[i], '.' | ',')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                || (!digits && CHINESE_DIGITS.contains(chars[i])))
        {
            i += 1;
        }
        while i < chars.len() && matches!(chars[i], '万' | '亿' | '千' | '百' | '余' | '多' | '%')
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let ordinal = start > 0 && chars[start - 1] == '第';
        // `一次`, `一名` are mostly the article "a", not an answer.
        let article_one = number == "一";
        let counted = chars.get(i) == Some(&'个');
        let unit_at = if counted { i + 1 } else { i };
        let unit = chars
            .get(unit_at)
            .copied()
            .filter(|c| MEASURE_WORDS.contains(*c));
        let unit = if counted && unit.is_none() {
            Some('个')
        } else {
            unit
        };
        if !ordinal && !article_one && (digits || unit.is_some() || number.ends_with(['万', '亿']))
        {
            out.push(Figure {
                number,
                unit,
                digits,
                counted,
            });
        }
        i = unit_at.max(i + 1).min(chars.len()).max(start + 1);
    }
    out
}

impl Focus {
    /// True when the question asks for a fact (figure, place, time).
    pub fn asks_fact(&self) -> bool {
        self.wants_figure
            || self.wants_place
            || self.wants_time
            || self.wants_names
            || self.wants_person
            || self.wants_list
    }
}
