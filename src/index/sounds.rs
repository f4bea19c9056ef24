//! The index's vocabulary by sound, for homophone typos and pinyin words.
//!
//! Each segment's title and body dictionaries are read once, when a lookup
//! first meets the segment: every Chinese word of 2–4 characters is filed
//! under a hash of its fuzzy sound key and of its plain pinyin, with its term
//! ordinal (no copy of the word is kept). Segments that merge away are dropped.

use crate::zh::sound::{fuzzy_key, latin_key, plain_key};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use tantivy::index::SegmentId;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, SegmentReader};

/// Sound tables of the live segments.
#[derive(Default)]
pub(super) struct SoundCache {
    segments: Mutex<HashMap<SegmentId, Arc<Vec<FieldSounds>>>>,
}

/// One field of one segment: its dictionary and the words' sounds.
struct FieldSounds {
    terms: Arc<InvertedIndexReader>,
    /// (hash of the fuzzy key, term ordinal), sorted.
    fuzzy: Vec<(u64, u64)>,
    /// (hash of the plain pinyin, term ordinal), sorted.
    plain: Vec<(u64, u64)>,
}

fn hash(key: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

impl FieldSounds {
    fn build(segment: &SegmentReader, field: Field) -> Option<FieldSounds> {
        let terms = segment.inverted_index(field).ok()?;
        let mut fuzzy = Vec::new();
        let mut plain = Vec::new();
        let mut stream = terms.terms().stream().ok()?;
        while stream.advance() {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if let (Some(f), Some(p)) = (fuzzy_key(word), plain_key(word)) {
                fuzzy.push((hash(&f), stream.term_ord()));
                plain.push((hash(&p), stream.term_ord()));
            }
        }
        fuzzy.sort_unstable();
        plain.sort_unstable();
        Some(FieldSounds {
            terms,
            fuzzy,
            plain,
        })
    }

    /// The words filed under a key, checked against the key (hashes may collide).
    fn words(&self, key: &str, latin: bool, out: &mut Vec<String>) {
        let table = if latin { &self.plain } else { &self.fuzzy };
        let wanted = hash(key);
        let start = table.partition_point(|&(h, _)| h < wanted);
        let mut bytes = Vec::new();
        for &(_, ord) in table[start..].iter().take_while(|(h, _)| *h == wanted) {
            bytes.clear();
            if !self
                .terms
                .terms()
                .ord_to_term(ord, &mut bytes)
                .unwrap_or(false)
            {
                continue;
            }
            let Ok(word) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let same = if latin {
                plain_key(word).as_deref() == Some(key)
            } else {
                fuzzy_key(word).as_deref() == Some(key)
            };
            if same && !out.iter().any(|w| w == word) {
                out.push(word.to_string());
            }
        }
    }
}

impl SoundCache {
    /// Words of the searcher's vocabulary that sound like `word`, or that a
    /// Latin `word` spells in pinyin; sorted, without `word` itself.
    pub(super) fn lookup(&self, searcher: &Searcher, fields: &[Field], word: &str) -> Vec<String> {
        let (key, latin) = match (latin_key(word), fuzzy_key(word)) {
            (Some(key), _) => (key, true),
            (None, Some(key)) => (key, false),
            (None, None) => return Vec::new(),
        };
        let mut out = Vec::new();
        for segment in self.segments(searcher, fields) {
            for field in segment.iter() {
                field.words(&key, latin, &mut out);
            }
        }
        out.retain(|w| w != word);
        out.sort();
        out
    }

    fn segments(&self, searcher: &Searcher, fields: &[Field]) -> Vec<Arc<Vec<FieldSounds>>> {
        let mut cache = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        cache.retain(|id, _| live.contains(id));
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                cache
                    .entry(segment.segment_id())
                    .or_insert_with(|| {
                        Arc::new(
                            fields
                                .iter()
                                .filter_map(|&f| FieldSounds::build(segment, f))
                                .collect(),
                        )
                    })
                    .clone()
            })
            .collect()
    }
}
