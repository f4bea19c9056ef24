//! Near-duplicate articles: the same article pushed twice in slightly
//! different forms (a Word file and the PDF made of it, the same web page
//! copied with another selection, a re-typed headline, traditional
//! characters) gets nearly the same [`Signature`]; two distinct articles on
//! the same subject do not.
//!
//! Pure: no I/O, no store. A store keeps each article's signature
//! ([`Signature::to_bytes`]) and indexes it by its band keys
//! ([`Signature::band_keys`]); a new article's candidates are the articles
//! sharing a band key with it, and a candidate at or above
//! [`SAME_ARTICLE`] ([`Signature::similarity`]) is the same article.
//!
//! # How
//!
//! The headline and paragraphs are read as one run of letters and digits,
//! normalised as [`zh::fingerprint`] does (full-width forms folded,
//! traditional characters made simplified, Latin in lower case), so
//! punctuation, spaces and line or paragraph breaks (a PDF's short lines,
//! paragraphs merged) change nothing. Its shingles are the runs of
//! [`SHINGLE_CHARS`] characters, each hashed with FNV-1a and MurmurHash3's
//! finaliser: fixed functions, the same in every build and process.
//!
//! The signature is a one-permutation MinHash of [`HASHES`] bins: a
//! shingle's hash picks a bin with its top 32 bits, and the bin keeps the
//! least of its shingles' low 32 bits; an empty bin (short text) copies
//! the value of a filled bin found by a fixed sequence of probes (optimal
//! densification, Shrivastava 2017). Two signatures agree in a bin with a
//! chance equal to the Jaccard similarity of their shingle sets, as they
//! would with 120 separate hash functions, at the cost of one hash per
//! shingle (one signature of a 1,000-character article takes about 10 µs
//! in a release build, most of it normalising). The similarity is the
//! share of agreeing bins: its standard error is √(J(1−J)/120), 0.046 at
//! 0.5; on the labelled set below it is off the exact Jaccard by 0.008 on
//! average, 0.116 at most.
//!
//! # Bands
//!
//! [`BANDS`] bands of [`ROWS`] bins: a pair shares a band key with chance
//! 1 − (1 − J³)⁴⁰.
//!
//! | similarity | 0.05 | 0.1 | 0.2 | 0.3 | 0.4 | 0.45 | **0.5** | 0.6 | 0.7 |
//! |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
//! | found by the bands | 0.005 | 0.039 | 0.27 | 0.67 | 0.93 | 0.978 | **0.995** | 0.9999 | 1.0 |
//!
//! Measured on random shingle sets (the unit test
//! `estimates_and_bands_follow_the_s_curve`, 2,000 pairs each): 0.998 at
//! 0.5 with 450 shingles each, 0.995 with 60 (densified), 0.282 at 0.2.
//! Distinct articles of the corpus are at 0.00 (median) to 0.12, where a
//! pair shares a key with a chance of 0.07; 32 bands of 4 rows would find
//! only 0.87 of the pairs at 0.5.
//!
//! # The shingle length and the threshold, measured
//!
//! On the labelled set of `union-news-tools near-dup` (tools/src/
//! near_dup_eval.rs): the 177 articles of `data/pages` and the paste folders
//! `tests/data/pastes/dev*`; 2,176 positive pairs (an article and its Word
//! file, its PDF, the two against each other, the whole paste as a Word
//! file, text copied out of a PDF viewer, footer lines, the site's info
//! box, the last paragraph left out, the first one left out, the headline
//! re-typed, paragraphs merged, traditional characters, info box, footer
//! and last paragraph at once); 15,576 pairs of distinct corpus articles,
//! 1,106 of them picked as same-subject (the 40 with most shingles in
//! common, and those whose headlines or ledes share a topic word: 送清凉,
//! 篮球, 体检, 慰问 …); 79,800 pairs of 400 articles as gen-corpus recombines
//! the pages' sentences with other places, dates and figures.
//!
//! Exact Jaccard by shingle length (positives' 1st percentile against the
//! most alike distinct pair): longer shingles set distinct articles
//! further apart and lose little on the positives; 5 keeps a character
//! changed by re-typing or by a traditional form from costing more than
//! five shingles.
//!
//! | k | positives p1 | same-subject max | other corpus max | recombined p99.9 |
//! |---:|---:|---:|---:|---:|
//! | 2 | 0.619 | 0.243 | 0.171 | 0.224 |
//! | 3 | 0.596 | 0.166 | 0.084 | 0.186 |
//! | 4 | 0.586 | 0.124 | 0.055 | 0.174 |
//! | **5** | 0.576 | 0.094 | 0.040 | 0.164 |
//! | 6 | 0.563 | 0.073 | 0.033 | 0.159 |
//! | 8 | 0.551 | 0.052 | 0.023 | 0.151 |
//!
//! Signature similarity by class (k = 5):
//!
//! | class | pairs | min | p1 | p5 | p50 | max |
//! |---|---:|---:|---:|---:|---:|---:|
//! | Word, PDF, Word↔PDF, paste as Word | 646 | 0.97 | 1.00 | 1.00 | 1.00 | 1.00 |
//! | copied from a PDF viewer | 177 | 0.39 | 0.53 | 0.59 | 0.84 | 1.00 |
//! | footer lines, info box, ¶ merged | 531 | 0.97 | 1.00 | 1.00 | 1.00 | 1.00 |
//! | last ¶ left out | 177 | 0.23 | 0.28 | 0.59 | 0.79 | 1.00 |
//! | first ¶ left out | 114 | 0.67 | 0.67 | 0.68 | 0.78 | 0.97 |
//! | headline re-typed | 177 | 0.88 | 0.90 | 0.91 | 0.95 | 1.00 |
//! | traditional | 177 | 0.79 | 0.86 | 0.89 | 0.98 | 1.00 |
//! | another selection (all at once) | 177 | 0.23 | 0.28 | 0.59 | 0.79 | 1.00 |
//! | **all positives** | 2,176 | 0.23 | 0.57 | 0.71 | 1.00 | 1.00 |
//! | same-subject | 1,106 | 0.00 | 0.00 | 0.00 | 0.00 | 0.12 |
//! | other corpus pairs | 14,470 | 0.00 | 0.00 | 0.00 | 0.00 | 0.06 |
//! | recombined (gen-corpus) | 79,800 | 0.00 | 0.00 | 0.00 | 0.02 | 0.28 |
//!
//! | threshold | 0.25 | 0.3 | 0.4 | 0.45 | **0.5** | 0.55 | 0.6 | 0.7 | 0.8 |
//! |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
//! | recall | 0.999 | 0.998 | 0.998 | 0.998 | **0.995** | 0.992 | 0.988 | 0.958 | 0.848 |
//! | precision (corpus pairs) | 1.0 | 1.0 | 1.0 | 1.0 | **1.0** | 1.0 | 1.0 | 1.0 | 1.0 |
//! | recombined pairs at or above | 1 | 0 | 0 | 0 | **0** | 0 | 0 | 0 | 0 |
//!
//! [`SAME_ARTICLE`] is 0.5: every distinct pair is at 0.28 or below (0.12
//! among real articles on one subject), so a wrong merge needs an article
//! sharing half its shingles with another, while 99.5% of the positives
//! reach it. The 11 below it are five short articles whose last paragraph
//! held about half their text or more, left out alone and with the rest of
//! another selection, and one PDF-viewer copy that the paste reader cut in
//! half (it took a line from the middle as the headline). The floors are in
//! `tools/tests/near_dup_quality.rs`.

use crate::zh;
use std::fmt;

/// Characters in a shingle.
pub const SHINGLE_CHARS: usize = 5;
/// MinHash values (bins) in a signature.
pub const HASHES: usize = 120;
/// Values hashed together into one band key.
pub const ROWS: usize = 3;
/// Band keys of a signature.
pub const BANDS: usize = HASHES / ROWS;
/// First byte of [`Signature::to_bytes`]: changes whenever the
/// normalisation, the shingle length, the hashes or the bins change, so
/// signatures written by an older build are refused and computed again.
const FORMAT: u8 = 1;

/// Two articles at or above this similarity are the same article.
pub const SAME_ARTICLE: f64 = 0.5;

/// The MinHash signature of an article: for each of [`HASHES`] bins, the
/// least value of the article's shingles in it (see the module's
/// documentation).
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    values: [u32; HASHES],
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("first", &&self.values[..4])
            .field("empty", &self.is_empty())
            .finish_non_exhaustive()
    }
}

impl Signature {
    /// The signature of an article's text: its headline and body paragraphs.
    ///
    /// The text is read as one run of letters and digits, normalised as
    /// [`zh::fingerprint`] does (full-width forms folded, traditional
    /// characters made simplified, Latin lower case), so punctuation,
    /// spaces, line and paragraph breaks change nothing. Text shorter than a
    /// shingle is one shingle; text with no letter or digit gives the empty
    /// signature, similar to nothing.
    pub fn of(headline: &str, paragraphs: &[String]) -> Signature {
        let mut chars: Vec<char> = Vec::new();
        for text in std::iter::once(headline).chain(paragraphs.iter().map(String::as_str)) {
            chars.extend(
                zh::normalize(text)
                    .chars()
                    .filter(|c| is_letter_or_digit(*c)),
            );
        }
        let mut shingles = Vec::with_capacity(chars.len());
        for_each_shingle(&chars, |shingle| shingles.push(shingle));
        Signature::of_shingles(&shingles)
    }

    /// The signature of a set of shingle hashes (repeats change nothing):
    /// one-permutation MinHash. A shingle's hash picks its bin (the top 32
    /// bits) and its value (the low 32 bits); each bin keeps its least
    /// value. An empty bin takes the value of the first filled bin that a
    /// fixed sequence of probes for it reaches (optimal densification), so
    /// two signatures agree in a bin with a chance equal to the Jaccard of
    /// their sets, empty bins or not.
    fn of_shingles(shingles: &[u64]) -> Signature {
        let mut values = [u32::MAX; HASHES];
        let mut filled = [false; HASHES];
        for &shingle in shingles {
            let bin = bin_of(shingle >> 32);
            values[bin] = values[bin].min(shingle as u32);
            filled[bin] = true;
        }
        if !filled.contains(&true) {
            return Signature { values };
        }
        for bin in 0..HASHES {
            if filled[bin] {
                continue;
            }
            // Probes depend on the bin and the attempt only, never on the
            // text: two texts with the same filled bins copy the same one.
            let mut attempt = 0u64;
            let from = loop {
                attempt += 1;
                let probe = bin_of(mix(((bin as u64) << 32) | attempt) >> 32);
                if filled[probe] {
                    break probe;
                }
            };
            values[bin] = values[from];
        }
        Signature { values }
    }

    /// Estimated similarity (Jaccard of shingles) in 0.0..=1.0: the share
    /// of bins whose values agree. An empty signature is similar to
    /// nothing, itself included.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let mut same = 0;
        for (a, b) in self.values.iter().zip(&other.values) {
            same += usize::from(a == b);
        }
        same as f64 / HASHES as f64
    }

    /// The band keys for LSH lookup: one u64 per band, band index mixed in,
    /// so a store can index (band_key) -> article. Two signatures share a
    /// key only when the same band of both agrees. The empty signature has
    /// no keys.
    pub fn band_keys(&self) -> Vec<u64> {
        if self.is_empty() {
            return Vec::new();
        }
        self.values
            .chunks_exact(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                rows.iter().fold(mix(BAND_SEED ^ band as u64), |key, v| {
                    mix(key ^ u64::from(*v))
                })
            })
            .collect()
    }

    /// Bytes to store and read back: a format byte, then each value in
    /// little-endian order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(1 + 4 * HASHES);
        bytes.push(FORMAT);
        for value in self.values {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    /// A signature from [`Signature::to_bytes`]; `None` for bytes of another
    /// length or format (written by a build that shingled or hashed
    /// otherwise: compute the signature again).
    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        let (&format, rest) = bytes.split_first()?;
        if format != FORMAT || rest.len() != 4 * HASHES {
            return None;
        }
        let mut values = [0u32; HASHES];
        for (value, chunk) in values.iter_mut().zip(rest.chunks_exact(4)) {
            *value = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature { values })
    }

    /// True for the signature of text with no letter or digit.
    fn is_empty(&self) -> bool {
        // The first value alone is u32::MAX for text with one chance in 2³².
        self.values[0] == u32::MAX && self.values.iter().all(|v| *v == u32::MAX)
    }
}

/// [`char::is_alphanumeric`] (what [`zh::fingerprint`] keeps), answered
/// without its tables for what Chinese text is mostly made of: the common
/// ideographs (all letters), general punctuation (“” — …) and CJK
/// punctuation (、。《》「」【】), none of which is.
fn is_letter_or_digit(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{4E00}'..='\u{9FFF}' => true,
        '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// Calls `f` with the hash of each run of [`SHINGLE_CHARS`] characters, or
/// of the whole text when it is shorter (and not empty).
fn for_each_shingle(chars: &[char], mut f: impl FnMut(u64)) {
    if chars.is_empty() {
        return;
    }
    for window in chars.windows(SHINGLE_CHARS.min(chars.len())) {
        // FNV-1a over the characters, then a finaliser to spread the bits.
        let hash = window.iter().fold(0xCBF2_9CE4_8422_2325u64, |h, c| {
            (h ^ u64::from(*c)).wrapping_mul(0x0100_0000_01B3)
        });
        f(mix(hash));
    }
}

/// MurmurHash3's 64-bit finaliser: every input bit reaches every output bit.
const fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

/// Mixed into every band key before its band's index.
const BAND_SEED: u64 = 0x6E65_6172_5F64_7570;

/// The bin of 32 bits of a hash: their share of 2³² scaled to the bins.
fn bin_of(bits: u64) -> usize {
    (((bits & 0xFFFF_FFFF) * HASHES as u64) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(headline: &str, body: &[&str]) -> Signature {
        let paragraphs: Vec<String> = body.iter().map(|p| p.to_string()).collect();
        Signature::of(headline, &paragraphs)
    }

    const HEADLINE: &str = "湛江市总工会为120名劳模安排免费健康体检";
    const BODY: [&str; 3] = [
        "11月1日起,湛江市总工会组织全市120名省级以上劳动模范分批到市区三家定点医院进行免费健康体检,体检活动将持续到11月底。",
        "据介绍,今年的劳模体检套餐在往年基础上增加了心脑血管风险筛查、低剂量螺旋CT、骨密度检测等项目,人均体检标准提高到1200元。",
        "体检结束后,市总工会将为每位劳模建立健康档案,对体检中发现的健康问题,联系专科医生进行跟踪随访。",
    ];

    #[test]
    fn the_same_text_is_the_same_signature() {
        assert_eq!(of(HEADLINE, &BODY), of(HEADLINE, &BODY));
        assert_eq!(of(HEADLINE, &BODY).similarity(&of(HEADLINE, &BODY)), 1.0);
    }

    #[test]
    fn breaks_spaces_widths_and_traditional_characters_change_nothing() {
        let original = of(HEADLINE, &BODY);
        let (line, rest) = BODY[0].split_at(BODY[0].char_indices().nth(20).unwrap().0);
        let cases: [(&str, Signature); 4] = [
            ("paragraphs merged", of(HEADLINE, &[&BODY.concat()])),
            (
                "lines broken, spaces added",
                of(&format!("{HEADLINE} "), &[line, rest, BODY[1], BODY[2]]),
            ),
            (
                "full-width figures and punctuation",
                of(
                    "湛江市总工会为１２０名劳模安排免费健康体检",
                    &[
                        &BODY[0].replace(',', "，").replace("120", "１２０"),
                        BODY[1],
                        BODY[2],
                    ],
                ),
            ),
            (
                "traditional",
                of(
                    "湛江市總工會為120名勞模安排免費健康體檢",
                    &[
                        BODY[0],
                        BODY[1],
                        "體檢結束後,市總工會將為每位勞模建立健康檔案,對體檢中發現的健康問題,聯繫專科醫生進行跟蹤隨訪。",
                    ],
                ),
            ),
        ];
        for (case, variant) in cases {
            let similarity = original.similarity(&variant);
            assert!(similarity >= 0.95, "{case}: {similarity}");
        }
    }

    #[test]
    fn a_dropped_paragraph_stays_similar_and_another_article_does_not() {
        let original = of(HEADLINE, &BODY);
        let shorter = of(HEADLINE, &BODY[..2]);
        assert!(original.similarity(&shorter) >= SAME_ARTICLE);
        let other = of(
            "兴宁市12家新建职工书屋挂牌开放",
            &[
                "近日,兴宁市总工会在宁新街道一家电子企业举行职工书屋集中挂牌仪式,今年新建的12家职工书屋同步向职工开放。",
            ],
        );
        assert!(original.similarity(&other) < 0.1);
    }

    /// Pairs of random shingle sets of the given Jaccard: the mean
    /// estimate, and the share found by the bands.
    fn trials(common: usize, apart: usize, pairs: u64) -> (f64, f64) {
        let mut state = 0x5EED_u64;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix(state)
        };
        let (mut sum, mut banded) = (0.0, 0);
        for _ in 0..pairs {
            let shared: Vec<u64> = (0..common).map(|_| next()).collect();
            let mut a = shared.clone();
            let mut b = shared;
            a.extend((0..apart).map(|_| next()));
            b.extend((0..apart).map(|_| next()));
            let (a, b) = (Signature::of_shingles(&a), Signature::of_shingles(&b));
            sum += a.similarity(&b);
            banded += usize::from(
                a.band_keys()
                    .iter()
                    .zip(b.band_keys())
                    .any(|(x, y)| *x == y),
            );
        }
        (sum / pairs as f64, banded as f64 / pairs as f64)
    }

    #[test]
    fn estimates_and_bands_follow_the_s_curve() {
        // (shared, apart in each, Jaccard, chance of sharing a band): long
        // articles, short ones (most bins filled by densification), and a
        // distinct pair.
        let cases = [
            (300, 150, 0.5, 0.995),
            (40, 20, 0.5, 0.995),
            (100, 200, 0.2, 0.275),
            (60, 30, 0.5, 0.995),
        ];
        for (common, apart, jaccard, chance) in cases {
            let (mean, banded) = trials(common, apart, 2000);
            assert!(
                (mean - jaccard).abs() < 0.01,
                "{common}+{apart}: mean estimate {mean}, Jaccard {jaccard}"
            );
            assert!(
                (banded - chance).abs() < 0.03,
                "{common}+{apart}: banded {banded}, expected {chance}"
            );
        }
    }

    #[test]
    fn letters_and_digits_are_what_the_fingerprint_keeps() {
        for c in ('\u{0}'..='\u{FFFF}').chain('\u{20000}'..='\u{2A6DF}') {
            assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn bytes_read_back_and_other_bytes_are_refused() {
        let signature = of(HEADLINE, &BODY);
        let bytes = signature.to_bytes();
        assert_eq!(Signature::from_bytes(&bytes), Some(signature));
        assert_eq!(Signature::from_bytes(&bytes[..bytes.len() - 1]), None);
        assert_eq!(Signature::from_bytes(&[]), None);
        let mut other_format = bytes.clone();
        other_format[0] = FORMAT + 1;
        assert_eq!(Signature::from_bytes(&other_format), None);
    }

    #[test]
    fn band_keys_are_per_band_and_equal_bands_give_equal_keys() {
        let signature = of(HEADLINE, &BODY);
        let keys = signature.band_keys();
        assert_eq!(keys.len(), BANDS);
        assert_eq!(keys, of(HEADLINE, &BODY).band_keys());
        // The band's index is mixed in: equal values in two bands are two keys.
        let flat = Signature {
            values: [7; HASHES],
        };
        let flat_keys = flat.band_keys();
        assert_ne!(flat_keys[0], flat_keys[1]);
    }

    #[test]
    fn text_without_letters_is_similar_to_nothing() {
        let empty = of("", &["——。,!".to_string().as_str()]);
        assert_eq!(empty.similarity(&empty), 0.0);
        assert!(empty.band_keys().is_empty());
        // Short text is one shingle.
        assert_eq!(of("工会", &[]).similarity(&of("工会", &[])), 1.0);
    }

    #[test]
    fn signatures_are_the_same_in_every_build() {
        // Pinned: if this changes, bump FORMAT so stored signatures are redone.
        let keys = of("工会", &[]).band_keys();
        assert_eq!(
            keys[0], 0xc1da_f34b_c488_d3d9,
            "first band key changed: {:#x}",
            keys[0]
        );
    }
}
