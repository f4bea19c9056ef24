//! The members' vocabulary: how members write what the paper says.
//!
//! Two parts, both plain data loaded from files and owned by the desk (not
//! global), so that words editors teach can join a desk's vocabulary while
//! it runs:
//!
//! - [`MembersWords`]: words of members' varieties of Chinese read as their
//!   Mandarin meaning (几多 → 多少, 出粮 → 发工资, 人工 → 工资 but not in
//!   人工智能). Applied to members' messages only, before they are
//!   understood — never to articles or the index, so a change needs no
//!   reindex (`data/lexicon/members-words.txt`).
//! - [`Synonyms`]: groups of words that stand for one another in a search
//!   (外卖小哥 also finds 外卖骑手; `data/lexicon/synonyms.txt`).

use crate::zh::normalize;
use crate::zh::segment::segmenter;
use std::collections::HashMap;

const MEMBERS_WORDS_FILE: &str = include_str!("../data/lexicon/members-words.txt");
const SYNONYMS_FILE: &str = include_str!("../data/lexicon/synonyms.txt");

/// What members write and what the paper means by it.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Members' words read as Mandarin.
    pub members: MembersWords,
    /// Words that stand for one another in a search.
    pub synonyms: Synonyms,
}

impl Vocabulary {
    /// The vocabulary shipped with the bot (`data/lexicon/`).
    pub fn shipped() -> Self {
        Vocabulary {
            members: MembersWords::parse(MEMBERS_WORDS_FILE),
            synonyms: Synonyms::parse(SYNONYMS_FILE),
        }
    }

    /// The same vocabulary with words editors taught (members' word, the
    /// paper's): each is read like a shipped entry, replacing one for the
    /// same word.
    pub fn with_taught<'a>(&self, taught: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut vocabulary = self.clone();
        for (word, mandarin) in taught {
            vocabulary.members.add(MembersWord {
                word: normalize(word),
                mandarin: normalize(mandarin),
                except: Vec::new(),
                note: "编辑教的词".into(),
                whole_word: false,
            });
        }
        vocabulary
    }

    /// A member's message as the paper would write it: normalised
    /// (simplified, half-width, lower-case), members' words read as Mandarin.
    pub fn as_mandarin(&self, message: &str) -> String {
        self.members.apply(&normalize(message))
    }
}

/// One members' word and its Mandarin reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembersWord {
    /// The word as members write it (normalised).
    pub word: String,
    /// What the paper would write (may be empty: a particle that is dropped).
    pub mandarin: String,
    /// Longer phrases holding the word that keep their own meaning
    /// (人工智能 for 人工): there the word stays as typed.
    pub except: Vec<String>,
    /// What the entry means, for editors (the comment of its line).
    pub note: String,
    /// Read only where it is a word of its own as jieba cuts the message
    /// (`~` in the file): Mandarin words hold it (人工 in 工人工资, 点解 in
    /// 重点解决, 出年 in 评出年度).
    pub whole_word: bool,
}

/// Members' words, looked up longest first.
#[derive(Debug, Clone, Default)]
pub struct MembersWords {
    /// Entries by their first character.
    by_first: HashMap<char, Vec<MembersWord>>,
    /// Number of entries.
    len: usize,
}

/// Why a line of a members' words file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct BadEntry {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl MembersWords {
    /// Reads entries, one a line: `WORD = MANDARIN [! PHRASE …] # note`.
    /// Blank lines and `#` comments are skipped; a malformed line is
    /// skipped too (the shipped file is checked by a test to have none).
    pub fn parse(text: &str) -> Self {
        let mut words = MembersWords::default();
        for (n, line) in text.lines().enumerate() {
            if let Ok(Some(entry)) = Self::parse_line(n + 1, line) {
                words.add(entry);
            }
        }
        words
    }

    /// The lines of a file that are not entries nor comments.
    pub fn check(text: &str) -> Vec<BadEntry> {
        text.lines()
            .enumerate()
            .filter_map(|(n, line)| Self::parse_line(n + 1, line).err())
            .collect()
    }

    fn parse_line(line_number: usize, line: &str) -> Result<Option<MembersWord>, BadEntry> {
        let (body, note) = match line.split_once('#') {
            Some((body, note)) => (body, note.trim()),
            None => (line, ""),
        };
        let body = body.trim();
        if body.is_empty() {
            return Ok(None);
        }
        let bad = |reason: &str| BadEntry {
            line: line_number,
            reason: reason.to_string(),
        };
        let (word, rest) = body.split_once('=').ok_or_else(|| bad("no `=`"))?;
        let (mandarin, except) = match rest.split_once('!') {
            Some((mandarin, except)) => (mandarin, except),
            None => (rest, ""),
        };
        let word = word.trim();
        let whole_word = word.starts_with('~');
        let word = normalize(word.trim_start_matches('~'));
        if word.is_empty() || word.contains(char::is_whitespace) {
            return Err(bad("the word must be one word"));
        }
        if note.is_empty() {
            return Err(bad("every entry says what it means in a `#` comment"));
        }
        let except: Vec<String> = except.split_whitespace().map(normalize).collect();
        if let Some(phrase) = except.iter().find(|p| !p.contains(&word)) {
            return Err(bad(&format!("the exception {phrase} does not hold {word}")));
        }
        Ok(Some(MembersWord {
            word,
            mandarin: normalize(mandarin.trim()),
            except,
            note: note.to_string(),
            whole_word,
        }))
    }

    /// Adds an entry (a taught word); an entry for the same word is replaced.
    pub fn add(&mut self, entry: MembersWord) {
        let Some(first) = entry.word.chars().next() else {
            return;
        };
        let list = self.by_first.entry(first).or_default();
        match list.iter_mut().find(|e| e.word == entry.word) {
            Some(old) => *old = entry,
            None => {
                list.push(entry);
                self.len += 1;
            }
        }
        // Longest first: 乜嘢 before 乜.
        list.sort_by_key(|e| std::cmp::Reverse(e.word.chars().count()));
    }

    /// The entry for a word, if any.
    pub fn entry(&self, word: &str) -> Option<&MembersWord> {
        self.by_first
            .get(&word.chars().next()?)?
            .iter()
            .find(|e| e.word == word)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every entry (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = &MembersWord> {
        self.by_first.values().flatten()
    }

    /// `text` (already normalised) with each members' word replaced by its
    /// Mandarin, longest word first, left to right; a word inside one of its
    /// exceptions stays, and a whole-word entry (人工, 点解) is read only
    /// where it starts and ends a word of the text as jieba cuts it (not in
    /// 工人工资, 重点解决).
    pub fn apply(&self, text: &str) -> String {
        if self.is_empty() {
            return text.to_string();
        }
        // Cut once, when a word that needs it is first met.
        let mut bounds: Option<Vec<usize>> = None;
        let mut on_bounds = |start: usize, end: usize| {
            let bounds = bounds.get_or_insert_with(|| segmenter().cuts(text));
            bounds.binary_search(&start).is_ok() && bounds.binary_search(&end).is_ok()
        };
        let mut out = String::with_capacity(text.len() + 8);
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            let c = rest.chars().next().expect("not at the end");
            let found = self.by_first.get(&c).and_then(|entries| {
                entries.iter().find(|e| {
                    rest.starts_with(&e.word)
                        && !Self::excepted(text, at, e)
                        && (!e.whole_word || on_bounds(at, at + e.word.len()))
                })
            });
            match found {
                Some(entry) => {
                    out.push_str(&entry.mandarin);
                    at += entry.word.len();
                }
                None => {
                    out.push(c);
                    at += c.len_utf8();
                }
            }
        }
        out
    }

    /// True when the word of `entry` at byte `at` of `text` lies inside one
    /// of its exceptions.
    fn excepted(text: &str, at: usize, entry: &MembersWord) -> bool {
        let end = at + entry.word.len();
        entry.except.iter().any(|phrase| {
            text.match_indices(phrase.as_str())
                .any(|(start, _)| start <= at && end <= start + phrase.len())
        })
    }
}

/// Groups of words that stand for one another in a search.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    by_word: HashMap<String, Vec<usize>>,
}

impl Synonyms {
    /// Reads groups, one a line, words separated by spaces; `#` comments.
    pub fn parse(text: &str) -> Self {
        let mut synonyms = Synonyms::default();
        for line in text.lines() {
            let group: Vec<String> = line
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .map(String::from)
                .collect();
            synonyms.add_group(group);
        }
        synonyms
    }

    /// Adds a group (of two words or more; a shorter one is ignored).
    pub fn add_group(&mut self, group: Vec<String>) {
        if group.len() < 2 {
            return;
        }
        let n = self.groups.len();
        for word in &group {
            let of_word = self.by_word.entry(word.clone()).or_default();
            if !of_word.contains(&n) {
                of_word.push(n);
            }
        }
        self.groups.push(group);
    }

    /// The other words of the groups a word belongs to, in file order.
    pub fn of(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &n in self.by_word.get(word).into_iter().flatten() {
            for other in self.groups[n].iter().filter(|w| *w != word) {
                if !out.contains(other) {
                    out.push(other.clone());
                }
            }
        }
        out
    }

    /// The first word of the first group a word belongs to: the name
    /// questions in other words of the group are counted under.
    pub fn head(&self, word: &str) -> Option<&str> {
        let n = *self.by_word.get(word)?.first()?;
        self.groups[n].first().map(String::as_str)
    }

    /// Every group.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_have_no_malformed_line() {
        assert_eq!(MembersWords::check(MEMBERS_WORDS_FILE), []);
        assert!(Vocabulary::shipped().members.len() > 80);
    }

    #[test]
    fn cantonese_is_read_as_mandarin() {
        let vocabulary = Vocabulary::shipped();
        let cases = [
            ("湛江几多人参加送清凉", "湛江多少人参加送清凉"),
            ("第一名系边个", "第一名是谁"),
            ("边度可以攞", "哪里可以领"),
            ("厂里两个月冇出粮", "厂里两个月没有发工资"),
            ("揾工", "找工作"),
            ("老细唔畀人工", "老板不给工资"),
            ("乜嘢时候开始", "什么时候开始"),
            ("咩嚟㗎", "什么来"),
            ("係咪真嘅", "是不是真的"),
            ("佢哋喺边度返工", "他们在哪里上班"),
        ];
        for (typed, mandarin) in cases {
            assert_eq!(vocabulary.as_mandarin(typed), mandarin, "{typed}");
        }
    }

    /// Every question of the Mandarin question sets (the dev set, the
    /// held-out sets) reads the same after the members' words step: the
    /// map only touches what Mandarin does not write.
    #[test]
    fn mandarin_questions_pass_through_unchanged() {
        let mut sets = vec![
            include_str!("../tests/data/heldout-members.tsv").to_string(),
            include_str!("../tests/data/heldout-members-2.tsv").to_string(),
            include_str!("../tools/tests/heldout-questions.tsv").to_string(),
        ];
        let dev = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/dev/questions.tsv"
        );
        match std::fs::read_to_string(dev) {
            Ok(text) => sets.push(text),
            Err(e) if std::env::var_os("CI").is_some() => panic!("{dev} is missing in CI: {e}"),
            Err(_) => eprintln!("{dev} not readable; the dev set is checked in CI"),
        }
        let vocabulary = Vocabulary::shipped();
        let mut changed = Vec::new();
        let mut questions = 0;
        for set in &sets {
            for line in set.lines().skip(1) {
                let Some(query) = line.split('\t').nth(2) else {
                    continue;
                };
                for message in query.split('⟶') {
                    questions += 1;
                    let normalized = normalize(message);
                    let read = vocabulary.as_mandarin(message);
                    if read != normalized {
                        changed.push(format!("{normalized} → {read}"));
                    }
                }
            }
        }
        assert!(questions > 450, "only {questions} questions read");
        assert!(changed.is_empty(), "changed: {changed:#?}");
    }

    /// Mandarin that holds a members' word inside its own words stays as it
    /// is: the archive's headlines and ledes, and sentences of the kind.
    #[test]
    fn mandarin_holding_a_members_word_inside_its_words_stays() {
        let vocabulary = Vocabulary::shipped();
        for text in [
            "拖欠工人工资",
            "个人工作室",
            "评出年度最美职工",
            "推出年货节",
            "重点解决职工难题",
            "要点解读",
            "试点样板",
            "海边度假",
            "解散工会",
            "而家庭困难的职工",
            "职工之家等阵地",
            "土地盘活",
        ] {
            assert_eq!(vocabulary.as_mandarin(text), normalize(text), "{text}");
        }
        let mut changed = Vec::new();
        for page in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data/pages")).unwrap() {
            let text = std::fs::read_to_string(page.unwrap().path()).unwrap();
            let mut lede_next = false;
            for line in text.lines() {
                let headline = line.starts_with("# ");
                if headline || (lede_next && !line.trim().is_empty()) {
                    let normalized = normalize(line);
                    let read = vocabulary.as_mandarin(line);
                    if read != normalized {
                        changed.push(format!("{normalized} → {read}"));
                    }
                    lede_next = headline;
                }
            }
        }
        assert!(changed.is_empty(), "{changed:#?}");
    }

    #[test]
    fn a_word_inside_an_exception_stays() {
        let vocabulary = Vocabulary::shipped();
        for text in ["人工智能培训", "人工湖边", "劳动仲裁"] {
            assert_eq!(vocabulary.as_mandarin(text), text);
        }
        assert_eq!(vocabulary.as_mandarin("人工几多"), "工资多少");
    }

    #[test]
    fn entries_can_be_added_while_running_and_replace_their_word() {
        let mut words = MembersWords::parse("跑滴滴 = 网约车司机 # ride-hailing\n");
        assert_eq!(words.apply("我系跑滴滴嘅"), "我系网约车司机嘅");
        words.add(MembersWord {
            word: "跑滴滴".into(),
            mandarin: "开网约车".into(),
            except: vec![],
            note: "taught".into(),
            whole_word: false,
        });
        assert_eq!(words.len(), 1);
        assert_eq!(words.apply("跑滴滴"), "开网约车");
    }

    #[test]
    fn malformed_lines_are_reported() {
        let bad =
            MembersWords::check("几多 多少 # no equals\n人工 = 工资 ! 智能 # bad\n咩 = 什么\n");
        let lines: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [1, 2, 3]);
    }

    #[test]
    fn synonyms_are_found_both_ways() {
        let synonyms = Vocabulary::shipped().synonyms;
        assert!(synonyms.of("外卖小哥").contains(&"外卖骑手".to_string()));
        assert!(synonyms.of("外卖骑手").contains(&"外卖小哥".to_string()));
        assert!(synonyms.of("羽绒").is_empty());
    }
}
