//! The answer engine: a [`Question`] in, ranked articles out.
//!
//! Ranking has two stages. The index returns candidates by BM25 over title
//! and body words (title weighing more), restricted to the question's cities.
//! Those are re-ranked by *coverage*: the share of the question's topic words
//! (weighted by rarity) an article contains. Coverage also decides when
//! nothing really matches, so a question about something the paper never
//! covered gets an honest "not found" instead of loosely related articles.

use crate::article::{Article, ArticleId};
use crate::index::{Candidate, IndexError, IndexQuery, NewsIndex, TermKind, WeightedTerm};
use crate::query::Question;
use crate::store::{NewsStore, StoreError};
use crate::summary::FocusWord;
use crate::vocabulary::{Synonyms, Vocabulary};
use crate::when::TimeExpr;
use crate::zh::segment::segmenter;
use chrono::NaiveDate;

/// How many candidates the index hands to the re-ranking stage.
const CANDIDATES: usize = 40;
/// Below this coverage of the question's topic words, an article does not answer it.
pub const MIN_COVERAGE: f32 = 0.5;
/// A result must also cover at least this share of what the best result covers.
const RELATIVE_COVERAGE: f32 = 0.75;

/// What can go wrong while searching.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One ranked article, with why it ranks where it does.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The article.
    pub article: Article,
    /// Final score (higher is better).
    pub score: f32,
    /// Weighted share of the topic words it contains (0–1).
    pub coverage: f32,
    /// The topic words it contains.
    pub matched: Vec<String>,
}

/// The outcome of a search.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Articles that answer the question, best first.
    pub results: Vec<Ranked>,
    /// The topic words with their weights, for summaries.
    pub focus_words: Vec<FocusWord>,
    /// True when the question's place restriction was applied.
    pub restricted_to_places: bool,
    /// The date range the question's time words mean, if any.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// True when nothing matched within [`Outcome::dates`] and the results
    /// come from other times.
    pub outside_dates: bool,
    /// What the member asked about that the archive never mentions
    /// (`围棋比赛`, `加入`): named in the reply.
    pub missing: Vec<String>,
}

/// Inverse document frequency, BM25's flavour: rare words weigh more.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    // Document frequencies count deleted articles until segments merge, so
    // they can exceed the live count: clamp, or a common word weighs < 0.
    let docs = docs.max(1);
    let (df, n) = (doc_freq.min(docs) as f32, docs as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// A topic word with the index terms that find it.
#[derive(Debug, Clone)]
struct QueryWord {
    /// The word as summaries and coverage see it.
    focus: FocusWord,
    /// The index terms that retrieve it.
    terms: Vec<WeightedTerm>,
    /// How much an article that contains it shows it is about the question.
    evidence: Evidence,
    /// For a [`Evidence::Part`], the missing compound it is part of: an
    /// article with every part of it (文艺 and 演出 of 文艺演出) is on topic.
    part_of: Option<String>,
}

/// What a matched word says about an article (see [`search`]'s veto rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// A word of a topic (外卖骑手, 头盔, 陈皮): an article with it is on topic.
    Distinctive,
    /// An everyday word (职工, 比赛, 奖金) or one in many articles (工会):
    /// it ranks, but alone it does not put an article on topic.
    Common,
    /// A part of a word the member typed that the archive never uses
    /// (集体 of 集体婚礼, 电影 of 电影票): weak evidence.
    Part,
    /// A word the archive never uses: it finds nothing, and is named to
    /// the member (未找到：…).
    Missing,
}

impl QueryWord {
    /// A word matched as itself and its synonyms.
    fn words(focus: FocusWord) -> Self {
        let terms = std::iter::once(&focus.text)
            .chain(&focus.also)
            .map(WeightedTerm::word)
            .collect();
        QueryWord {
            focus,
            terms,
            evidence: Evidence::Distinctive,
            part_of: None,
        }
    }

    fn with(mut self, evidence: Evidence) -> Self {
        self.evidence = evidence;
        self
    }
}

/// Dictionary count from which a word is everyday language, as evidence
/// (会员 1196, 职工 5213; 金牌 943, 围棋 473, 头盔 377, 调解 711 are not).
const EVERYDAY_WORD_FREQUENCY: usize = 1000;
/// Dictionary count from which a word is so general (加入 4855, 比赛 11336)
/// that it weighs less than its rarity in the archive says.
const GENERAL_WORD_FREQUENCY: usize = 3000;
/// What a general word's weight is multiplied by.
const GENERAL_WORD_DISCOUNT: f32 = 0.6;
/// Share of the archive's articles from which a word is common there (工会).
const COMMON_SHARE: f64 = 0.2;
/// ... and at least this many (in a handful of articles, share says little).
const COMMON_MIN_ARTICLES: u64 = 5;

/// True when a word is in many of the archive's articles (工会, 职工).
fn widespread(doc_freq: u64, docs: u64) -> bool {
    doc_freq >= COMMON_MIN_ARTICLES && doc_freq as f64 >= COMMON_SHARE * docs as f64
}
/// A word is read as a misspelling of a sound-alike that general text uses
/// this many times as often (波萝 3 → 菠萝 236; not 相亲 64 → 乡亲 469).
const TYPO_RATIO: usize = 20;
/// What a part's weight is multiplied by (its compound was typed, not it).
const PART_DISCOUNT: f32 = 0.5;

/// The word with only the synonyms the archive prints (as words): the
/// others would find nothing and cost a lookup each in every search.
fn only_printed(index: &NewsIndex, mut word: QueryWord) -> QueryWord {
    word.focus.also.retain(|w| index.doc_freq(w) > 0);
    let terms = std::iter::once(&word.focus.text)
        .chain(&word.focus.also)
        .map(WeightedTerm::word)
        .collect();
    QueryWord { terms, ..word }
}

/// A word that is only evidence of a longer one the member typed.
fn weak(mut word: QueryWord) -> QueryWord {
    if word.evidence != Evidence::Part {
        word.focus.weight *= PART_DISCOUNT;
        word.evidence = Evidence::Part;
    }
    word
}

/// Words typed as one with a missing noun (购车补贴: 购车 is missing, so
/// 补贴 alone is weak evidence of what was asked).
fn weaken_compounds(question: &Question, words: &mut [QueryWord]) {
    let text = &question.normalized;
    let missing_nouns: Vec<String> = words
        .iter()
        .filter(|w| w.evidence == Evidence::Missing && segmenter().is_noun(&w.focus.text))
        .map(|w| w.focus.text.clone())
        .collect();
    for word in words.iter_mut() {
        let typed = &word.focus.text;
        // Chinese puts the modifier first: 购车补贴 is a kind of 补贴, while
        // 职工书屋藏书量 asks about the 职工书屋 itself.
        let joined = missing_nouns
            .iter()
            .any(|m| text.contains(&format!("{m}{typed}")));
        // Only a common head (比赛, 补贴) is weakened: 发给快递小哥 still
        // asks about 快递小哥.
        if joined && word.evidence == Evidence::Common && segmenter().is_noun(typed) {
            *word = weak(word.clone());
        }
    }
}

/// True when `parts` cover all characters of `compound` but one, and at
/// least two (文艺 + 演出 of 文艺演出, 羽毛球 of 羽毛球赛, 篮球 of 打篮球).
fn covers_nearly(compound: &str, parts: &[&str]) -> bool {
    let chars: Vec<char> = compound.chars().collect();
    let mut covered = vec![false; chars.len()];
    for part in parts {
        let part: Vec<char> = part.chars().collect();
        for start in 0..chars.len() {
            if chars[start..].starts_with(&part) {
                covered[start..start + part.len()].fill(true);
            }
        }
    }
    let count = covered.iter().filter(|c| **c).count();
    count >= 2 && count + 1 >= chars.len()
}

const GENERIC_FILE: &str = include_str!("../data/lexicon/generic.txt");

static GENERIC: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        GENERIC_FILE
            .lines()
            .map(|line| line.split('#').next().unwrap_or(""))
            .flat_map(str::split_whitespace)
            .collect()
    });

/// True for a word that says what kind of thing is asked about (奖金, 比赛,
/// 补贴, 企业), not which topic (`data/lexicon/generic.txt`).
fn is_generic(word: &str) -> bool {
    GENERIC.contains(word)
}

/// How a word found in the archive counts: everyday, generic or widespread
/// words are common evidence, and the most general ones weigh less. A word
/// whose group holds a generic word is generic too: 厂里 is as common as 企业.
fn classify(mut word: QueryWord, doc_freq: u64, docs: u64) -> QueryWord {
    let frequency = segmenter().frequency(&word.focus.text);
    if frequency >= GENERAL_WORD_FREQUENCY {
        word.focus.weight *= GENERAL_WORD_DISCOUNT;
    }
    let mut group = std::iter::once(&word.focus.text).chain(&word.focus.also);
    let everyday = frequency >= EVERYDAY_WORD_FREQUENCY || group.any(|w| is_generic(w));
    if everyday || widespread(doc_freq, docs) {
        word.evidence = Evidence::Common;
    }
    word
}

/// How much a sound-alike term counts in retrieval beside an exact one.
const SOUND_ALIKE_WEIGHT: f32 = 0.5;
/// A word is taken for a typo of a sound-alike this many times commoner.
const SOUND_ALIKE_RATIO: u64 = 10;

/// The topic words as index terms, each found in the first of these ways
/// that the index knows:
/// 1. a synonym group (`外卖小哥` also finds `外卖骑手`), weighted by its commonest word;
/// 2. the word itself; a much commoner word that sounds the same joins it at
///    a lower weight (`心里` also finds `心理`);
/// 3. the word as a run of characters inside other words (`绒制`);
/// 4. the words that sound like it (`蓝球` → `篮球`) or that it spells in pinyin (`waimai` → `外卖`);
/// 5. the known words inside it (`家电维修` → `家电`, `维修`).
fn query_words(index: &NewsIndex, synonyms: &Synonyms, question: &Question) -> Vec<QueryWord> {
    let docs = index.num_docs();
    let mut out: Vec<QueryWord> = Vec::new();
    let mut push = |word: QueryWord| {
        if !out.iter().any(|w| w.focus.text == word.focus.text) {
            out.push(word);
        }
    };
    // A lone character and its neighbour that together sound like a word of
    // the index (`蓝` + `球赛` → `篮球赛`) stand for that word.
    let mut repaired: Vec<&str> = Vec::new();
    for joined in &question.joined {
        // A phrase of the lexicon (`入` + `工会` → `入工会`, a way to say `入会`).
        let also = synonyms.of(&joined.text);
        let df = also
            .iter()
            .chain(std::iter::once(&joined.text))
            .map(|w| index.doc_freq(w))
            .max()
            .unwrap_or(0);
        // A phrase whose group the archive never uses finds nothing: its
        // parts are looked for instead (托管 + 班 when no 托管班 is printed).
        if !also.is_empty() && df > 0 {
            push(only_printed(
                index,
                QueryWord::words(FocusWord {
                    text: joined.text.clone(),
                    also,
                    weight: idf(df, docs),
                }),
            ));
            repaired.extend(joined.replaces.as_deref());
            continue;
        }
        if index.doc_freq(&joined.text) > 0
            || segmenter().is_known_word(&joined.text)
            || index.substring_freq(&joined.text) > 0
        {
            continue;
        }
        if let Some(word) = sound_alike_word(index, &joined.text, docs) {
            push(word);
            repaired.extend(joined.replaces.as_deref());
        }
    }
    for word in &question.words {
        if repaired.contains(&word.as_str()) {
            continue;
        }
        let df = index.doc_freq(word);
        let also: Vec<String> = synonyms.of(word);
        let group_df = also
            .iter()
            .map(|w| index.doc_freq(w))
            .max()
            .unwrap_or(0)
            .max(df);
        // A group none of whose words the archive uses finds nothing: the
        // word is looked for in the other ways (母婴室 inside 爱心母婴室).
        if !also.is_empty() && group_df > 0 {
            let word = QueryWord::words(FocusWord {
                text: word.clone(),
                also,
                weight: idf(group_df, docs),
            });
            push(only_printed(index, classify(word, group_df, docs)));
            continue;
        }
        if df > 0 {
            let commoner: Vec<(String, u64)> = sound_alikes(index, word)
                .into_iter()
                .filter(|(_, other)| *other >= df * SOUND_ALIKE_RATIO)
                .collect();
            let mut query_word = QueryWord::words(FocusWord::new(word.as_str(), idf(df, docs)));
            for (other, _) in commoner {
                query_word.terms.push(WeightedTerm {
                    weight: SOUND_ALIKE_WEIGHT,
                    ..WeightedTerm::word(other.as_str())
                });
                query_word.focus.also.push(other);
            }
            push(classify(query_word, df, docs));
            continue;
        }
        if word.chars().count() >= 2 {
            let substring_df = index.substring_freq(word);
            if substring_df > 0 {
                let query_word = QueryWord {
                    focus: FocusWord::new(word.as_str(), idf(substring_df, docs)),
                    terms: vec![WeightedTerm {
                        kind: TermKind::Substring,
                        ..WeightedTerm::word(word.as_str())
                    }],
                    evidence: Evidence::Distinctive,
                    part_of: None,
                };
                push(classify(query_word, substring_df, docs));
                continue;
            }
        }
        // A typo makes a non-word; a real word the paper never used is a
        // real question the paper cannot answer.
        if !segmenter().is_known_word(word)
            && let Some(query_word) = sound_alike_word(index, word, docs)
        {
            push(query_word);
            continue;
        }
        // A real word the paper never printed finds nothing: it is named in
        // the reply, and vetoes a result that only common words found.
        // A real word the paper never printed may be a typo of one it did
        // (波萝 → 菠萝): the same sound and length, one character the same.
        if let Some(query_word) = sound_alike_word(index, word, docs).filter(|alike| {
            let typed: Vec<char> = word.chars().collect();
            let other: Vec<char> = alike.focus.text.chars().collect();
            let commoner = segmenter().frequency(&alike.focus.text)
                >= TYPO_RATIO * segmenter().frequency(word).max(1);
            commoner
                && typed.len() == other.len()
                && typed.iter().zip(&other).filter(|(a, b)| a == b).count() + 1 == typed.len()
        }) {
            push(query_word);
            continue;
        }
        // A real word the paper never printed finds nothing: it is named in
        // the reply, and vetoes a result that only common words found.
        let absent = || {
            QueryWord::words(FocusWord::new(word.as_str(), idf(0, docs))).with(Evidence::Missing)
        };
        if word.is_ascii() || (word.chars().count() <= 2 && segmenter().is_known_word(word)) {
            push(absent());
            continue;
        }
        // Unknown to the index: a long word may hold known words; a short
        // one jieba made up from two characters (`产在`) is no evidence either way.
        let parts: Vec<(String, u64)> = segmenter()
            .index_words(word)
            .into_iter()
            .filter(|w| {
                w.text != word && w.text.chars().count() >= 2 && !crate::query::is_stopword(w.text)
            })
            .map(|w| (w.text.to_string(), index.doc_freq(w.text)))
            .filter(|(_, df)| *df > 0)
            .collect();
        if !parts.is_empty() {
            // The compound typed (集体婚礼) is missing; its parts (集体) are
            // weak evidence of it.
            let compound = segmenter().is_known_word(word);
            if compound {
                push(absent());
            }
            for (part, df) in parts {
                let part = QueryWord::words(FocusWord::new(part, idf(df, docs)));
                // A part in many articles (职工 of 女职工) is no sign of the compound.
                push(if compound {
                    QueryWord {
                        part_of: (!widespread(df, docs)).then(|| word.clone()),
                        ..weak(part)
                    }
                } else {
                    classify(part, df, docs)
                });
            }
        } else if segmenter().is_known_word(word) {
            push(absent());
        }
    }
    weaken_compounds(question, &mut out);
    out
}

/// The index's words that sound like `word`, commonest first (at most 3).
fn sound_alikes(index: &NewsIndex, word: &str) -> Vec<(String, u64)> {
    let mut found: Vec<(String, u64)> = index
        .sound_alikes(word)
        .into_iter()
        .map(|w| {
            let df = index.doc_freq(&w);
            (w, df)
        })
        .filter(|(_, df)| *df > 0)
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found.truncate(3);
    found
}

/// The commonest sound-alike of a word, with the others as its alternatives.
fn sound_alike_word(index: &NewsIndex, word: &str, docs: u64) -> Option<QueryWord> {
    let alikes = sound_alikes(index, word);
    let (best, best_df) = alikes.first()?;
    Some(QueryWord::words(FocusWord {
        text: best.clone(),
        also: alikes[1..].iter().map(|(w, _)| w.clone()).collect(),
        weight: idf(*best_df, docs),
    }))
}

/// A place name as a word an article must contain. It says where, not
/// what: alone it puts no article on topic.
fn place_word(index: &NewsIndex, text: &str) -> QueryWord {
    QueryWord::words(FocusWord::new(
        text,
        idf(index.doc_freq(text), index.num_docs()),
    ))
    .with(Evidence::Common)
}

/// The words a member typed that the archive never uses, each with the
/// typed word right after it when there is one (围棋 + 比赛 → `围棋比赛`),
/// as a reply names them.
fn missing_topics(question: &Question, words: &[QueryWord]) -> Vec<String> {
    let text = &question.normalized;
    let mut topics: Vec<String> = Vec::new();
    for word in words.iter().filter(|w| w.evidence == Evidence::Missing) {
        let mut topic = word.focus.text.clone();
        if let Some(at) = text.find(&topic) {
            let after = &text[at + topic.len()..];
            if let Some(next) = question
                .words
                .iter()
                .find(|w| after.starts_with(w.as_str()))
            {
                topic.push_str(next);
            }
        }
        if !topics.iter().any(|t| t.contains(&topic)) {
            topics.push(topic);
        }
    }
    topics
}

/// The best articles read for a typed phrase (and reordered by it).
const PHRASE_WINDOW: usize = 8;
/// Shortest run of Chinese characters read as a phrase the member typed.
const MIN_PHRASE_CHARS: usize = 5;
/// Longest phrase compared (a longer run is a question, not a quotation).
const MAX_PHRASE_CHARS: usize = 16;
/// What an article holding a typed phrase gains: above any article that
/// only shares its words.
const PHRASE_BONUS: f32 = 1.5;

/// The runs of Chinese characters of a question that may be a phrase
/// copied or remembered from an article.
fn typed_phrases(normalized: &str) -> Vec<String> {
    normalized
        .split(|c: char| !crate::zh::is_han(c))
        .filter(|run| (MIN_PHRASE_CHARS..=MAX_PHRASE_CHARS).contains(&run.chars().count()))
        .map(String::from)
        .collect()
}

/// [`PHRASE_BONUS`] when the article holds one of the phrases, exactly or
/// with one character off (a typo); 0 otherwise.
fn phrase_bonus(article: &Article, phrases: &[String]) -> f32 {
    let text: Vec<char> = crate::zh::normalize(&format!(
        "{}{}",
        article.title.headline,
        article.paragraphs.concat()
    ))
    .chars()
    .collect();
    let holds = phrases.iter().any(|phrase| {
        let phrase: Vec<char> = phrase.chars().collect();
        text.windows(phrase.len()).any(|window| {
            window
                .iter()
                .zip(&phrase)
                .filter(|(a, b)| a != b)
                .take(2)
                .count()
                <= 1
        })
    });
    if holds { PHRASE_BONUS } else { 0.0 }
}

/// True for the name of a festival or day (中秋节, 三八节, 端午).
fn is_occasion(word: &str) -> bool {
    word.ends_with('节') || ["中秋", "端午", "元宵", "重阳", "七夕", "国庆"].contains(&word)
}

/// Where and when a ranking pass looks.
#[derive(Debug, Clone, Copy, Default)]
struct Scope<'a> {
    /// Prefecture city codes to restrict to (none: anywhere).
    cities: &'a [u32],
    /// Words every result must contain.
    required: &'a [QueryWord],
    /// District or town names whose own articles rank first.
    local: &'a [String],
    /// Inclusive date range to restrict to.
    dates: Option<(NaiveDate, NaiveDate)>,
    /// Newer articles rank higher, measured back from this date.
    recent_from: Option<NaiveDate>,
    /// Phrases the member typed (runs of Chinese, 5 characters or more):
    /// an article that holds one, exactly or a character off, ranks first.
    phrases: &'a [String],
}

/// Searches for a question; at most `limit` results. Time words are read
/// against `reference` (see [`crate::when::reference_date`]).
pub fn search(
    index: &NewsIndex,
    store: &dyn NewsStore,
    vocabulary: &Vocabulary,
    question: &Question,
    reference: NaiveDate,
    limit: usize,
) -> Result<Outcome, SearchError> {
    let query_words = query_words(index, &vocabulary.synonyms, question);
    tracing::debug!(?query_words, places = ?question.places, time = ?question.time, "searching");
    if query_words.is_empty() {
        return Ok(Outcome::default());
    }
    let dates = question.time.as_ref().and_then(|t| t.span(reference));
    let recent_from = question
        .time
        .as_ref()
        .is_some_and(|t| t.expr == TimeExpr::Recent)
        .then_some(reference);
    let mut outcome = search_in(
        index,
        store,
        question,
        &query_words,
        dates,
        recent_from,
        limit,
    )?;
    outcome.dates = dates;
    if outcome.results.is_empty() && dates.is_some() {
        // Nothing in that time: say so, and show what there is at other times.
        outcome = search_in(index, store, question, &query_words, None, None, limit)?;
        outcome.dates = dates;
        outcome.outside_dates = !outcome.results.is_empty();
    }
    outcome.missing = missing_topics(question, &query_words);
    Ok(outcome)
}

/// What an article of the district or town a question names gains: more
/// than title, BM25 and freshness together can.
const LOCAL_BONUS: f32 = 1.0;

/// How many of the newest articles that use a place's name anywhere the
/// newest-of-a-place lookup reads, looking for those naming it up front.
const LOCAL_CANDIDATES: usize = 30;

/// The newest articles (at most `limit`) of prefecture `city_code` whose
/// headline or first paragraph names the place (`番禺`, `番禺区`): the
/// district's or town's own news, newest first.
pub fn newest_naming(
    index: &NewsIndex,
    store: &dyn NewsStore,
    city_code: u32,
    names: &[&str],
    limit: usize,
) -> Result<Vec<Article>, SearchError> {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut hits: Vec<Candidate> = index
        .newest_with(&names, &[city_code], LOCAL_CANDIDATES)?
        .into_iter()
        .filter(|hit| {
            names
                .iter()
                .any(|n| hit.title.contains(n.as_str()) || hit.lede.contains(n.as_str()))
        })
        .collect();
    hits.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    hits.truncate(limit);
    let ids: Vec<ArticleId> = hits.iter().map(|h| h.id.clone()).collect();
    let mut found = store.articles(&ids)?;
    found.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    Ok(found)
}

fn search_in(
    index: &NewsIndex,
    store: &dyn NewsStore,
    question: &Question,
    query_words: &[QueryWord],
    dates: Option<(NaiveDate, NaiveDate)>,
    recent_from: Option<NaiveDate>,
    limit: usize,
) -> Result<Outcome, SearchError> {
    // A place that names no city (ambiguous, or unknown to the gazetteer)
    // must at least be named by the article.
    let unresolved: Vec<QueryWord> = question
        .places
        .iter()
        .filter(|p| !p.is_province && p.cities.is_empty())
        .map(|p| place_word(index, &p.text))
        .collect();
    let mut words = query_words.to_vec();
    words.extend(unresolved.iter().cloned());
    let cities = question.city_codes();
    // A district or town inside the city filter ranks its own articles first.
    let local: Vec<String> = question
        .places
        .iter()
        .filter(|p| !p.is_province && !p.cities.is_empty())
        .map(|p| p.text.clone())
        .filter(|text| {
            !question
                .places
                .iter()
                .any(|p| p.cities.iter().any(|c| c.short_name() == text))
        })
        .collect();
    // A question (多少, 哪里 …) is not a quotation: only keywords are read
    // as a phrase the member remembers.
    let phrases = if question.focus == crate::focus::Focus::default() {
        typed_phrases(&question.normalized)
    } else {
        Vec::new()
    };
    let scope = Scope {
        cities: &cities,
        required: &unresolved,
        local: &local,
        dates,
        recent_from,
        phrases: &phrases,
    };
    let mut outcome = rank(index, store, &words, scope, limit)?;
    outcome.focus_words = query_words.iter().map(|w| w.focus.clone()).collect();
    outcome.restricted_to_places = !cities.is_empty();
    if outcome.results.is_empty() && !cities.is_empty() {
        // The place may be named in articles whose events happen elsewhere
        // or whose city was not recognised: search everywhere, but require
        // the place's name among the matched words.
        let place_words: Vec<QueryWord> = question
            .places
            .iter()
            .filter(|p| !p.is_province)
            .map(|p| place_word(index, &p.text))
            .collect();
        let mut words = query_words.to_vec();
        words.extend(place_words.iter().cloned());
        let scope = Scope {
            required: &place_words,
            dates,
            recent_from,
            phrases: &phrases,
            ..Scope::default()
        };
        let fallback = rank(index, store, &words, scope, limit)?;
        outcome.results = fallback.results;
        outcome.restricted_to_places = false;
    }
    Ok(outcome)
}

fn rank(
    index: &NewsIndex,
    store: &dyn NewsStore,
    words: &[QueryWord],
    scope: Scope,
    limit: usize,
) -> Result<Outcome, SearchError> {
    let Scope {
        cities,
        required,
        local,
        dates,
        recent_from,
        phrases,
    } = scope;
    let query = IndexQuery {
        terms: words.iter().flat_map(|w| w.terms.iter().cloned()).collect(),
        cities: cities.to_vec(),
        dates,
    };
    let focus: Vec<&FocusWord> = words.iter().map(|w| &w.focus).collect();
    let evidence: Vec<Evidence> = words.iter().map(|w| w.evidence).collect();
    // The veto rule: when the member named something the archive never
    // mentions, an article must match a distinctive word to answer; one
    // that only common words or parts found is about something else.
    let something_missing = evidence.contains(&Evidence::Missing);
    // A festival the archive never mentions (中秋节) names the occasion
    // asked about: it counts as two.
    let missing_nouns: usize = words
        .iter()
        .filter(|w| w.evidence == Evidence::Missing && segmenter().names_a_thing(&w.focus.text))
        .map(|w| if is_occasion(&w.focus.text) { 2 } else { 1 })
        .sum();
    let part_of: Vec<Option<&str>> = words.iter().map(|w| w.part_of.as_deref()).collect();
    let probes: Vec<Vec<String>> = focus
        .iter()
        .map(|w| std::iter::once(&w.text).chain(&w.also).cloned().collect())
        .collect();
    let hits = index.candidates(&query, CANDIDATES, &probes)?;
    let best_bm25 = hits.first().map_or(1.0, |h| h.score.max(f32::EPSILON));
    // Missing words find nothing, so they are no share of what can be
    // covered: the veto above decides whether the rest answers.
    let total_weight: f32 = focus
        .iter()
        .zip(&evidence)
        .filter(|(_, e)| **e != Evidence::Missing)
        .map(|(w, _)| w.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    // Scored from the index alone; the store is read for the results kept.
    let mut scored: Vec<(Candidate, f32, f32, Vec<String>)> = Vec::new();
    for hit in hits {
        let found: Vec<usize> = (0..focus.len())
            .filter(|&i| hit.contains[i] || focus[i].found_in(&hit.title))
            .collect();
        let whole_compound = part_of.iter().flatten().any(|compound| {
            let parts: Vec<&str> = (0..focus.len())
                .filter(|&i| part_of[i] == Some(*compound) && found.contains(&i))
                .map(|i| focus[i].text.as_str())
                .collect();
            covers_nearly(compound, &parts)
        });
        let distinctive = found
            .iter()
            .filter(|&&i| evidence[i] == Evidence::Distinctive)
            .count();
        let on_topic = distinctive > 0 || whole_compound;
        if something_missing && !on_topic {
            continue;
        }
        // 中秋节 and 月饼 asked, only 环卫工 found: the article is about
        // the workers, not the festival the member asked after.
        if missing_nouns >= 2 && distinctive < missing_nouns && !whole_compound {
            continue;
        }
        let matched: Vec<&FocusWord> = found.iter().map(|&i| focus[i]).collect();
        if required
            .iter()
            .any(|r| !matched.iter().any(|m| m.text == r.focus.text))
        {
            continue;
        }
        // One word of several met deep in the body is no evidence of an
        // answer: require a match in the title or lede, or two words. A
        // question of one word (头盔, 粤剧) asks for exactly the articles
        // that use it, wherever they do.
        let prominent = matched
            .iter()
            .any(|w| w.found_in(&hit.title) || w.found_in(&hit.lede));
        if !prominent && matched.len() < 2 && focus.len() > 1 {
            continue;
        }
        let coverage = matched.iter().map(|w| w.weight).sum::<f32>() / total_weight;
        let in_title = focus
            .iter()
            .filter(|w| w.found_in(&hit.title))
            .map(|w| w.weight)
            .sum::<f32>()
            / total_weight;
        let is_local = local
            .iter()
            .any(|place| hit.title.contains(place.as_str()) || hit.lede.contains(place.as_str()));
        // `最近`: a half-life of 45 days.
        let freshness = match (recent_from, hit.date) {
            (Some(reference), Some(date)) => {
                let age = (reference - date).num_days().max(0) as f32;
                0.3 * 0.5f32.powf(age / 45.0)
            }
            _ => 0.0,
        };
        let score = coverage
            + 0.25 * in_title
            + 0.35 * (hit.score / best_bm25)
            // The district or town asked about ranks its own articles first
            // (whatever else scores, the rest is worth less than this).
            + if is_local { LOCAL_BONUS } else { 0.0 }
            + freshness;
        let matched = matched.iter().map(|w| w.text.clone()).collect();
        scored.push((hit, score, coverage, matched));
    }
    tracing::debug!(
        candidates = ?scored
            .iter()
            .map(|(hit, score, coverage, _)| (hit.title.as_str(), *coverage, *score))
            .collect::<Vec<_>>(),
        "ranked"
    );
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| b.0.date.cmp(&a.0.date))
            .then_with(|| a.0.id.cmp(&b.0.id))
    });
    let best_coverage = scored.first().map_or(0.0, |s| s.2);
    if best_coverage < MIN_COVERAGE {
        scored.clear();
    }
    scored.retain(|s| s.2 >= best_coverage * RELATIVE_COVERAGE);
    // A phrase the member typed (a line of the body they remember) is read
    // in the articles themselves: the few best, a few more than asked for.
    // A fixed window, whatever the page: page 2 continues page 1's order.
    let read = if phrases.is_empty() {
        limit
    } else {
        limit.max(PHRASE_WINDOW)
    };
    scored.truncate(read);
    let ids: Vec<ArticleId> = scored.iter().map(|s| s.0.id.clone()).collect();
    let mut articles: std::collections::HashMap<ArticleId, Article> = store
        .articles(&ids)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    if !phrases.is_empty() {
        let window = scored.len().min(PHRASE_WINDOW);
        for entry in scored[..window].iter_mut() {
            if let Some(article) = articles.get(&entry.0.id) {
                entry.1 += phrase_bonus(article, phrases);
            }
        }
        scored[..window].sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| b.0.date.cmp(&a.0.date))
                .then_with(|| a.0.id.cmp(&b.0.id))
        });
        scored.truncate(limit);
    }
    let results = scored
        .into_iter()
        .filter_map(|(hit, score, coverage, matched)| {
            // Deleted between the index read and the store read: skipped.
            let article = articles.remove(&hit.id)?;
            Some(Ranked {
                article,
                score,
                coverage,
                matched,
            })
        })
        .collect();
    Ok(Outcome {
        results,
        focus_words: focus.into_iter().cloned().collect(),
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    fn desk_with(pages: &[&str]) -> crate::desk::NewsDesk {
        let desk = crate::desk::NewsDesk::in_memory().unwrap();
        for page in pages {
            desk.ingest()
                .text(page, "test", &Default::default())
                .unwrap();
        }
        desk
    }

    fn ask(desk: &crate::desk::NewsDesk, text: &str) -> crate::reply::Reply {
        desk.reply_to(&crate::request::Sender::member(1, None), text)
    }

    #[test]
    fn a_homophone_typo_finds_the_word_meant_and_exact_words_still_win() {
        let desk = desk_with(&[
            "# 江门市职工篮球赛开赛\n\n本报讯 11月29日,江门市第十届职工篮球赛开赛。\n",
            "# 白云区为快递小哥送暖心包\n\n本报讯 12月5日,白云区总工会为500名快递员送上暖心包。\n",
        ]);
        let reply = ask(&desk, "江门职工蓝球赛");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
        let reply = ask(&desk, "白云区 快第 暖心包");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
        // A real word the paper never printed is not "corrected" into another.
        assert!(ask(&desk, "职工相亲").listed.is_empty());
    }

    /// Articles on a contest with prize money, collective wage contracts,
    /// riders joining the union, and a lending library.
    fn veto_desk() -> crate::desk::NewsDesk {
        desk_with(&[
            "# 家电产业职工技能大赛决出状元\n\n本报讯 1月10日,容桂街道总工会举办家电产业职工技能比赛,工会为前三名发放奖金6000元。\n",
            "# 三水区食品行业签订工资集体合同\n\n本报讯 1月12日,三水区食品饮料行业职工代表与企业签订工资集体合同。\n",
            "# 番禺区326名外卖骑手集中入会\n\n本报讯 11月6日,番禺区326名外卖骑手现场填写入会申请,成为工会会员。\n",
            "# 东莞职工书屋开放\n\n本报讯 1月8日,东莞职工书屋开放,职工可免费借阅图书、观看电影。\n",
            "# 江门职工篮球赛开赛\n\n本报讯 11月29日,江门市职工篮球比赛开赛,32支球队参加。\n",
        ])
    }

    #[test]
    fn an_article_holding_a_typed_phrase_ranks_first() {
        let desk = desk_with(&[
            "# 快递员享受意外伤害免费保障\n\n本报讯 快递员入会后享受意外伤害免费保障，享受免费体检。\n",
            "# 骑手入会送礼包\n\n本报讯 入会骑手可以享受免费意外伤害互助保障。\n",
        ]);
        let first = |text: &str| ask(&desk, text).item_titles().first().cloned();
        assert_eq!(first("享受免费意外伤害").as_deref(), Some("骑手入会送礼包"));
        // A character off (a typo) still holds it.
        assert_eq!(first("享受免废意外伤害").as_deref(), Some("骑手入会送礼包"));
    }

    #[test]
    fn a_missing_topic_word_vetoes_results_that_only_common_words_found() {
        let desk = veto_desk();
        for (question, topic) in [
            ("围棋比赛 工会 奖金", "围棋"),
            ("职工集体婚礼怎么报名", "集体婚礼"),
            ("工会发电影票吗", "电影票"),
        ] {
            let reply = ask(&desk, question);
            let text = crate::reply::to_plain(&reply);
            assert!(reply.listed.is_empty(), "{question}: {text}");
            assert!(
                text.contains(&format!("没有找到关于「{topic}")),
                "{question}: {text}"
            );
        }
    }

    #[test]
    fn a_missing_word_does_not_veto_a_question_whose_topic_matched() {
        let desk = veto_desk();
        for (question, missing) in [
            ("外卖骑手怎么加盟工会", "加盟"),
            ("请问江门打工人打篮球那个比赛几号开始", ""),
        ] {
            let reply = ask(&desk, question);
            let text = crate::reply::to_plain(&reply);
            assert_eq!(reply.listed.len(), 1, "{question}: {text}");
            if !missing.is_empty() {
                assert!(
                    text.contains(&format!("未找到：{missing}")),
                    "{question}: {text}"
                );
            }
        }
    }

    #[test]
    fn part_of_a_word_finds_the_article() {
        let desk = desk_with(&[
            "# 湛江调研羽绒产业\n\n本报讯 1月11日,调研组走进湛江紫荆羽绒制品有限公司。\n",
        ]);
        for query in ["羽绒", "绒制品", "紫荆"] {
            assert_eq!(ask(&desk, query).listed.len(), 1, "{query}");
        }
    }

    #[test]
    fn a_time_word_keeps_results_to_its_dates_or_says_there_were_none() {
        let desk = desk_with(&[
            "---\ndate: 2024-01-20\n---\n# 东莞劳模慰问活动\n\n本报讯 1月12日,东莞市总工会走访慰问劳模。\n",
            "---\ndate: 2023-11-20\n---\n# 东莞劳模座谈会\n\n本报讯 11月12日,东莞市总工会召开劳模座谈会。\n",
        ]);
        // The archive is older than a month: time words are read from its
        // newest article (12 January 2024).
        let reply = ask(&desk, "东莞这个月 劳模");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
        let text = crate::reply::to_plain(&reply);
        assert!(text.contains("劳模慰问"), "{text}");
        assert!(text.contains("2024年1月"), "the time read is shown: {text}");
        let reply = ask(&desk, "东莞上个月 劳模");
        let text = crate::reply::to_plain(&reply);
        assert!(
            text.contains("没有找到相关报道，以下是其他时间的报道"),
            "{text}"
        );
        assert_eq!(reply.listed.len(), 2, "{reply:?}");
    }

    #[test]
    fn a_members_word_finds_the_papers_word() {
        let desk = crate::desk::NewsDesk::in_memory().unwrap();
        let page =
            "# 番禺区326名外卖骑手集中入会\n\n本报讯 11月5日,番禺区326名外卖骑手集中入会。\n";
        desk.ingest()
            .text(page, "test", &Default::default())
            .unwrap();
        let reply = ask(&desk, "外卖小哥 入会");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
        // A phrase split by segmentation (`入` + `工会`) still meets the lexicon.
        let reply = ask(&desk, "外卖小哥入工会有什么好处");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
    }
}
