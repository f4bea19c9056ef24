//! The answer engine: a [`Question`] in, ranked articles out.
//!
//! Ranking has two stages. The index returns candidates by BM25 over title
//! and body words (title weighing more), restricted to the question's cities.
//! Those are re-ranked by *coverage*: the share of the question's topic words
//! (weighted by rarity) an article contains. Coverage also decides when
//! nothing really matches, so a question about something the paper never
//! covered gets an honest "not found" instead of loosely related articles.

use crate::article::Article;
use crate::index::{IndexError, IndexQuery, NewsIndex, WeightedTerm};
use crate::query::Question;
use crate::store::{Store, StoreError};
use crate::summary::FocusWord;
use crate::zh::{normalize, segment::segmenter};

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
}

/// Inverse document frequency, BM25's flavour: rare words weigh more.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let (df, n) = (doc_freq as f32, docs.max(1) as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The topic words as index terms. A word in a synonym group also matches
/// the group's other words (`外卖小哥` finds `外卖骑手`), weighted by the
/// commonest of them; a word the index does not know otherwise is replaced by
/// the known words inside it (`家电维修` → `家电`, `维修`).
fn focus_words(index: &NewsIndex, question: &Question) -> Vec<FocusWord> {
    let docs = index.num_docs();
    let mut out: Vec<FocusWord> = Vec::new();
    let mut push = |word: FocusWord| {
        if !out.iter().any(|w| w.text == word.text) {
            out.push(word);
        }
    };
    for word in &question.words {
        let df = index.doc_freq(word);
        let also: Vec<String> = synonyms_of(word);
        if !also.is_empty() {
            let group_df = also
                .iter()
                .map(|w| index.doc_freq(w))
                .max()
                .unwrap_or(0)
                .max(df);
            push(FocusWord {
                text: word.clone(),
                also,
                weight: idf(group_df, docs),
            });
            continue;
        }
        if df > 0
            || (word.chars().count() <= 2 && segmenter().is_known_word(word))
            || word.is_ascii()
        {
            push(FocusWord::new(word.as_str(), idf(df, docs)));
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
            for (part, df) in parts {
                push(FocusWord::new(part, idf(df, docs)));
            }
        } else if segmenter().is_known_word(word) {
            push(FocusWord::new(word.as_str(), idf(0, docs)));
        }
    }
    out
}

const SYNONYMS_FILE: &str = include_str!("../data/lexicon/synonyms.txt");

static SYNONYMS: std::sync::LazyLock<Vec<Vec<&'static str>>> = std::sync::LazyLock::new(|| {
    SYNONYMS_FILE
        .lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .filter(|group| group.len() > 1)
        .collect()
});

/// The other words of the synonym groups a word belongs to.
pub fn synonyms_of(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for group in SYNONYMS.iter().filter(|g| g.contains(&word)) {
        for other in group.iter().filter(|w| **w != word) {
            if !out.iter().any(|o| o == other) {
                out.push(other.to_string());
            }
        }
    }
    out
}

fn place_word(index: &NewsIndex, text: &str) -> FocusWord {
    FocusWord::new(text, idf(index.doc_freq(text), index.num_docs()))
}

/// Searches for a question; at most `limit` results.
pub fn search(
    index: &NewsIndex,
    store: &Store,
    question: &Question,
    limit: usize,
) -> Result<Outcome, SearchError> {
    let focus_words = focus_words(index, question);
    tracing::debug!(?focus_words, places = ?question.places, "searching");
    if focus_words.is_empty() {
        return Ok(Outcome::default());
    }
    // A place that names no city (ambiguous, or unknown to the gazetteer)
    // must at least be named by the article.
    let unresolved: Vec<FocusWord> = question
        .places
        .iter()
        .filter(|p| !p.is_province && p.cities.is_empty())
        .map(|p| place_word(index, &p.text))
        .collect();
    let mut words = focus_words.clone();
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
    let mut outcome = rank(index, store, &words, &cities, &unresolved, &local, limit)?;
    outcome.focus_words = focus_words.clone();
    outcome.restricted_to_places = !cities.is_empty();
    if outcome.results.is_empty() && !cities.is_empty() {
        // The place may be named in articles whose events happen elsewhere
        // or whose city was not recognised: search everywhere, but require
        // the place's name among the matched words.
        let place_words: Vec<FocusWord> = question
            .places
            .iter()
            .filter(|p| !p.is_province)
            .map(|p| place_word(index, &p.text))
            .collect();
        let mut words = focus_words.clone();
        words.extend(place_words.iter().cloned());
        let fallback = rank(index, store, &words, &[], &place_words, &[], limit)?;
        outcome.results = fallback.results;
        outcome.restricted_to_places = false;
    }
    Ok(outcome)
}

fn rank(
    index: &NewsIndex,
    store: &Store,
    words: &[FocusWord],
    cities: &[u32],
    required: &[FocusWord],
    local: &[String],
    limit: usize,
) -> Result<Outcome, SearchError> {
    let query = IndexQuery {
        terms: words
            .iter()
            .flat_map(|w| std::iter::once(&w.text).chain(&w.also))
            .map(|text| WeightedTerm {
                text: text.clone(),
                weight: 1.0,
            })
            .collect(),
        cities: cities.to_vec(),
        dates: None,
    };
    let hits = index.search(&query, CANDIDATES)?;
    let best_bm25 = hits.first().map_or(1.0, |h| h.score.max(f32::EPSILON));
    let ids: Vec<_> = hits.iter().map(|h| h.id.clone()).collect();
    let articles = store.articles(&ids)?;
    let total_weight: f32 = words
        .iter()
        .map(|w| w.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    let mut ranked: Vec<Ranked> = Vec::new();
    for (hit, article) in hits.iter().zip(articles) {
        if hit.id != article.id {
            continue; // deleted between index and store reads; skip
        }
        let title = normalize(&article.title.lines().join(" "));
        let body = normalize(&article.body_text());
        let matched: Vec<&FocusWord> = words
            .iter()
            .filter(|w| w.found_in(&title) || w.found_in(&body))
            .collect();
        if required
            .iter()
            .any(|r| !matched.iter().any(|m| m.text == r.text))
        {
            continue;
        }
        // One word met once deep in the body is no evidence of an answer:
        // require a match in the title or lede, or at least two words.
        let lede = article
            .paragraphs
            .first()
            .map(|p| normalize(p))
            .unwrap_or_default();
        let prominent = matched
            .iter()
            .any(|w| w.found_in(&title) || w.found_in(&lede));
        if !prominent && matched.len() < 2 {
            continue;
        }
        let coverage = matched.iter().map(|w| w.weight).sum::<f32>() / total_weight;
        let in_title = words
            .iter()
            .filter(|w| w.found_in(&title))
            .map(|w| w.weight)
            .sum::<f32>()
            / total_weight;
        let is_local = local
            .iter()
            .any(|place| title.contains(place.as_str()) || lede.contains(place.as_str()));
        let score = coverage
            + 0.25 * in_title
            + 0.35 * (hit.score / best_bm25)
            + if is_local { 0.3 } else { 0.0 };
        ranked.push(Ranked {
            matched: matched.iter().map(|w| w.text.clone()).collect(),
            article,
            score,
            coverage,
        });
    }
    tracing::debug!(
        candidates = ?ranked
            .iter()
            .map(|r| (r.article.title.headline.as_str(), r.coverage, r.score))
            .collect::<Vec<_>>(),
        "ranked"
    );
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.article.sort_date().cmp(&a.article.sort_date()))
            .then_with(|| a.article.id.cmp(&b.article.id))
    });
    let best_coverage = ranked.first().map_or(0.0, |r| r.coverage);
    if best_coverage < MIN_COVERAGE {
        ranked.clear();
    }
    ranked.retain(|r| r.coverage >= best_coverage * RELATIVE_COVERAGE);
    ranked.truncate(limit);
    Ok(Outcome {
        results: ranked,
        focus_words: words.to_vec(),
        restricted_to_places: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonym_groups_are_symmetric_and_exclude_the_word_itself() {
        let also = synonyms_of("外卖小哥");
        assert!(also.contains(&"外卖骑手".to_string()), "{also:?}");
        assert!(!also.contains(&"外卖小哥".to_string()));
        assert!(synonyms_of("外卖骑手").contains(&"外卖小哥".to_string()));
        assert!(synonyms_of("羽绒").is_empty());
    }

    #[test]
    fn a_members_word_finds_the_papers_word() {
        let desk = crate::desk::NewsDesk::in_memory().unwrap();
        let page =
            "# 番禺区326名外卖骑手集中入会\n\n本报讯 11月5日,番禺区326名外卖骑手集中入会。\n";
        desk.ingest_text(page, "test", &Default::default()).unwrap();
        let reply = desk.handle("外卖小哥 入会");
        assert_eq!(reply.listed.len(), 1, "{reply:?}");
    }
}
