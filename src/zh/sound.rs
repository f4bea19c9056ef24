//! How a word sounds: keys for matching homophone typos (`蓝球` for `篮球`,
//! `快第` for `快递`) and words typed in pinyin (`waimai` for `外卖`).
//!
//! The *fuzzy* key drops tones and folds the sounds that speakers of southern
//! dialects (and hurried thumbs) mix up: `zh/z`, `ch/c`, `sh/s`, `n/l`,
//! `ing/in`, `eng/en`. The *plain* key is the toneless pinyin, joined.

use super::is_han;
use pinyin::ToPinyin;

/// The longest word, in characters, that gets a sound key.
pub const MAX_SOUND_CHARS: usize = 4;

fn syllables(word: &str) -> Option<Vec<&'static str>> {
    let count = word.chars().count();
    if !(2..=MAX_SOUND_CHARS).contains(&count) || !word.chars().all(is_han) {
        return None;
    }
    word.to_pinyin()
        .map(|p| p.map(|p| p.plain()))
        .collect::<Option<Vec<_>>>()
}

/// The toneless pinyin of a Chinese word of 2–4 characters: `篮球` → `lanqiu`.
pub fn plain_key(word: &str) -> Option<String> {
    syllables(word).map(|s| s.concat())
}

/// The fuzzy sound of a Chinese word of 2–4 characters: `篮球` and `蓝球`
/// share `lanqiu`; `心理` and `心里` share `xinli`; `zhuanye` and `zuanye` meet.
pub fn fuzzy_key(word: &str) -> Option<String> {
    syllables(word).map(|s| s.iter().map(|syllable| fuzzy_syllable(syllable)).collect())
}

fn fuzzy_syllable(syllable: &str) -> String {
    let (initial, rest) = ["zh", "ch", "sh"]
        .iter()
        .find(|i| syllable.starts_with(*i))
        .map(|i| (&i[..1], &syllable[2..]))
        .unwrap_or_else(|| match syllable.strip_prefix('n') {
            Some(rest) if !rest.is_empty() && !rest.starts_with('g') => ("l", rest),
            _ => ("", syllable),
        });
    let rest = rest
        .strip_suffix("ng")
        .filter(|r| r.ends_with('i') || r.ends_with('e'))
        .map_or_else(|| rest.to_string(), |r| format!("{r}n"));
    format!("{initial}{rest}")
}

/// The key a word typed in Latin letters is looked up by: `Wai Mai` → `waimai`.
pub fn latin_key(word: &str) -> Option<String> {
    let key: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (key.len() >= 4
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || " '".contains(c)))
    .then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homophones_share_a_fuzzy_key() {
        for (typed, meant) in [
            ("蓝球", "篮球"),
            ("心里", "心理"),
            ("快第", "快递"),
            ("劳摸", "劳模"),
            ("职公", "职工"),
            ("专叶", "专业"),
        ] {
            assert_eq!(fuzzy_key(typed), fuzzy_key(meant), "{typed} / {meant}");
        }
    }

    #[test]
    fn different_words_keep_different_keys() {
        assert_ne!(fuzzy_key("篮球"), fuzzy_key("足球"));
        assert_ne!(fuzzy_key("工会"), fuzzy_key("工资"));
    }

    #[test]
    fn only_short_chinese_words_have_keys() {
        assert_eq!(plain_key("外卖"), Some("waimai".into()));
        assert_eq!(plain_key("羽"), None);
        assert_eq!(plain_key("abc"), None);
        assert_eq!(plain_key("产业工人队伍"), None);
        assert_eq!(latin_key("Wai Mai"), Some("waimai".into()));
        assert_eq!(latin_key("5g"), None);
    }

    #[test]
    fn fuzzy_syllables_fold_the_usual_confusions() {
        for (a, b) in [
            ("zhi", "zi"),
            ("neng", "leng"),
            ("xing", "xin"),
            ("sheng", "sen"),
        ] {
            assert_eq!(fuzzy_syllable(a), fuzzy_syllable(b), "{a} / {b}");
        }
        assert_eq!(fuzzy_syllable("ng"), "ng");
        assert_eq!(fuzzy_syllable("ang"), "ang");
    }
}
