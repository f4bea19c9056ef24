//! Place names without their administrative suffix (`湛江市` → `湛江`,
//! `广西壮族自治区` → `广西`): pure string rules, below the domain types, so
//! [`crate::article::City`] and the gazetteer share them without either
//! importing the other.

/// Endings in `区` that are not administrative suffixes to strip
/// (`湛江经济技术开发区` stays whole).
const WHOLE_NAME_ENDINGS: &[&str] = &[
    "开发区",
    "园区",
    "管理区",
    "工业区",
    "试验区",
    "示范区",
    "合作区",
];

/// Administrative suffixes by their last character, longest first; the
/// first that leaves at least two characters is stripped.
fn suffixes_ending_in(last: char) -> &'static [&'static str] {
    match last {
        '区' => &[
            "特别行政区",
            "自治区",
            "地区",
            "林区",
            "新区",
            "特区",
            "矿区",
            "区",
        ],
        '州' => &["自治州"],
        '县' => &["自治县", "县"],
        '旗' => &["自治旗", "旗"],
        '处' => &["街道办事处"],
        '道' => &["街道"],
        '乡' => &["民族乡", "乡"],
        '镇' => &["民族镇", "镇"],
        '木' => &["民族苏木", "苏木"],
        '省' => &["省"],
        '市' => &["市"],
        '盟' => &["盟"],
        _ => &[],
    }
}

/// China's ethnic minorities, as they appear in autonomous place names.
const ETHNIC_GROUPS: &[&str] = &[
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// The name without its administrative suffix: `湛江市` → `湛江`, `梅县区` →
/// `梅县`, `容桂街道` → `容桂`, `广西壮族自治区` → `广西`, `浦东新区` → `浦东`,
/// `大坪瑶族乡` → `大坪`. At least two characters are kept (`和县` stays
/// whole); names that end in a non-administrative word (`…开发区`) and names
/// without a suffix are returned unchanged.
pub fn strip_suffix(name: &str) -> &str {
    let Some(last) = name.chars().next_back() else {
        return name;
    };
    if last == '区' && WHOLE_NAME_ENDINGS.iter().any(|e| name.ends_with(e)) {
        return name;
    }
    for suffix in suffixes_ending_in(last) {
        let Some(rest) = name.strip_suffix(suffix) else {
            continue;
        };
        if !has_two_chars(rest) {
            continue;
        }
        return match *suffix {
            // 巴音郭楞蒙古自治州, 伊犁哈萨克自治州: group names without 族.
            "自治区" | "自治州" | "自治县" | "自治旗" => {
                strip_ethnic_groups(rest, true)
            }
            "镇" | "乡" | "苏木" => strip_ethnic_groups(rest, false),
            _ => rest,
        };
    }
    name
}

fn has_two_chars(text: &str) -> bool {
    text.chars().nth(1).is_some()
}

/// Strips trailing ethnic group names (`延边朝鲜族` → `延边`, with `bare`
/// also `巴音郭楞蒙古` → `巴音郭楞`), keeping at least two characters. A
/// group name without `族` is stripped only when it has two characters or
/// more (`西藏` keeps its `藏`).
fn strip_ethnic_groups(name: &str, bare: bool) -> &str {
    let mut rest = name;
    loop {
        let next = match rest.strip_suffix('族') {
            Some(stem) => ETHNIC_GROUPS.iter().find_map(|g| stem.strip_suffix(g)),
            None if bare => ETHNIC_GROUPS
                .iter()
                .filter(|g| has_two_chars(g))
                .find_map(|g| rest.strip_suffix(g)),
            None => None,
        };
        match next.filter(|r| has_two_chars(r)) {
            Some(shorter) => rest = shorter,
            None => return rest,
        }
    }
}
