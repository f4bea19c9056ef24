//! The search index: the only module that names tantivy.
//!
//! The index is derived from the store and holds only what search needs:
//! the article id, its title and body words (normalised, segmented by
//! [`tokenizer::ZhTokenizer`]), the character bigrams of both (for words the
//! segmentation split differently, [`tokenizer::GramTokenizer`]), its city
//! codes and its date. It lives on disk
//! under `DATA_DIR/index/` and is rebuilt from the store whenever it is
//! missing, unreadable or of an older schema version.
//!
//! Queries are built from terms, never from raw member text, so nothing a
//! member types is ever parsed as query syntax.

mod sounds;
pub mod tokenizer;

use crate::article::{Article, ArticleId};
use crate::zh::normalize;
use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tokenizer::{GRAM_TOKENIZER, GramTokenizer, ZH_TOKENIZER, ZhTokenizer};

/// Bumped whenever the schema or the tokenizer changes; an index written with
/// another version is rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 5;

const VERSION_FILE: &str = "schema-version";
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// What can go wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed to read or write the index.
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be created, cleared or written.
    #[error("search index folder {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// How the index was found when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenState {
    /// A usable index of the current schema version was there.
    Existing,
    /// A new, empty index was created; the reason says why (missing, old, unreadable).
    Created(String),
}

/// A query term with its weight (how much matching it matters).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedTerm {
    /// The normalised word.
    pub text: String,
    /// Relative weight, 1.0 for an ordinary content word.
    pub weight: f32,
    /// How the term is matched.
    pub kind: TermKind,
}

/// How a query term meets the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TermKind {
    /// As a word of the segmentation (or one of a long word's sub-words).
    #[default]
    Word,
    /// As any run of characters, inside or across words (`绒制` in `羽绒制品`).
    Substring,
}

impl WeightedTerm {
    /// A word term of weight 1.
    pub fn word(text: impl Into<String>) -> Self {
        WeightedTerm {
            text: text.into(),
            weight: 1.0,
            kind: TermKind::Word,
        }
    }
}

/// What to search for: terms, and optional restrictions.
#[derive(Debug, Clone, Default)]
pub struct IndexQuery {
    /// Terms, any of which may match (more and rarer matches score higher).
    pub terms: Vec<WeightedTerm>,
    /// When not empty, only articles in one of these prefecture city codes.
    pub cities: Vec<u32>,
    /// When set, only articles dated in this inclusive range.
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

/// One search result: the article id and its relevance score.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexHit {
    /// The article.
    pub id: ArticleId,
    /// BM25 relevance (higher is better); comparable within one query only.
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    grams: Field,
    title_text: Field,
    lede_text: Field,
    city: Field,
    date: Field,
}

/// The on-disk (or in-memory) tantivy index of articles.
pub struct NewsIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    sounds: sounds::SoundCache,
    /// The store generation the next commit records (see [`NewsIndex::set_generation`]).
    generation: std::sync::atomic::AtomicU64,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ZH_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", words.clone()),
        body: builder.add_text_field("body", words),
        grams: builder.add_text_field(
            "grams",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(GRAM_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        // Stored only: what ranking reads of each candidate without the store.
        title_text: builder.add_text_field("title_text", STORED),
        lede_text: builder.add_text_field("lede_text", STORED),
        city: builder.add_u64_field("city", INDEXED),
        date: builder.add_i64_field("date", INDEXED | tantivy::schema::FAST),
    };
    (builder.build(), fields)
}

/// Small doc-store blocks: ranking reads the stored title and lede of ~40
/// random candidates per question, and each read decompresses a whole block
/// (16 KiB by default, 2 KiB here: a few articles).
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: 2048,
        ..Default::default()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl NewsIndex {
    /// Opens the index in `dir`, creating it (empty) when it is missing, of
    /// another schema version, or unreadable. The caller fills a created
    /// index from the store.
    pub fn open(dir: &Path) -> Result<(Self, OpenState), IndexError> {
        let version_path = dir.join(VERSION_FILE);
        let found_version = std::fs::read_to_string(&version_path).ok();
        let state = match found_version.as_deref().map(str::trim) {
            None => OpenState::Created("索引不存在".into()),
            Some(v) if v != SCHEMA_VERSION.to_string() => {
                OpenState::Created(format!("索引版本 {v} 已过时"))
            }
            Some(_) => match Self::open_existing(dir) {
                Ok(index) => return Ok((index, OpenState::Existing)),
                Err(e) => OpenState::Created(format!("索引无法读取: {e}")),
            },
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io_error(dir))?;
        }
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let (schema, _) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_dir(dir)?;
        let news_index = Self::from_index(index)?;
        write_atomically(&version_path, &format!("{SCHEMA_VERSION}\n")).map_err(io_error(dir))?;
        Ok((news_index, state))
    }

    fn open_existing(dir: &Path) -> Result<Self, IndexError> {
        let index = Index::open_in_dir(dir)?;
        let (expected, _) = schema();
        if index.schema() != expected {
            return Err(tantivy::TantivyError::SchemaError("schema differs".into()).into());
        }
        let news_index = Self::from_index(index)?;
        // Reading every segment's metadata catches most torn or truncated files.
        news_index.reader.searcher().segment_readers();
        Ok(news_index)
    }

    /// A fresh index in memory (tests, `eval`).
    pub fn in_memory() -> Result<Self, IndexError> {
        let (schema, _) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        Self::from_index(index)
    }

    fn from_index(index: Index) -> Result<Self, IndexError> {
        index.tokenizers().register(ZH_TOKENIZER, ZhTokenizer);
        index.tokenizers().register(GRAM_TOKENIZER, GramTokenizer);
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(NewsIndex {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
            sounds: sounds::SoundCache::default(),
            generation: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn with_writer<T>(
        &self,
        work: impl FnOnce(&mut IndexWriter) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(self.index.writer(WRITER_MEMORY)?);
        }
        let writer = guard.as_mut().expect("writer was just created");
        let result = work(writer);
        if result.is_err() {
            // Drop what was not committed, so the next call starts clean.
            let _ = writer.rollback();
        }
        result
    }

    fn document(&self, article: &Article) -> TantivyDocument {
        let mut doc = self.document_without_id(article);
        doc.add_text(self.fields.id, article.id.as_str());
        doc
    }

    /// An article's document but for its id (an article being stored gets
    /// its id from the store after this, the costly part, is done).
    fn document_without_id(&self, article: &Article) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::new();
        let title = normalize(&article.title.lines().join("\n"));
        let body = normalize(&article.body_text());
        doc.add_text(f.grams, format!("{title}\n{body}"));
        doc.add_text(f.title_text, normalize(&article.title.lines().join(" ")));
        doc.add_text(
            f.lede_text,
            article
                .paragraphs
                .first()
                .map(|p| normalize(p))
                .unwrap_or_default(),
        );
        doc.add_text(f.title, title);
        doc.add_text(f.body, body);
        for city in &article.cities {
            doc.add_u64(f.city, u64::from(city.code));
        }
        // Time words (上个月的活动) filter on the date of the events.
        if let Some(date) = article.event_date() {
            doc.add_i64(f.date, i64::from(date.num_days_from_ce()));
        }
        doc
    }

    /// Sets the store generation (a count of the store's changes) that the
    /// next commits record with the index, so that at start a difference
    /// between the two shows an index out of step with the store.
    pub fn set_generation(&self, generation: u64) {
        self.generation
            .store(generation, std::sync::atomic::Ordering::SeqCst);
    }

    /// The store generation recorded by the last commit, if any.
    pub fn committed_generation(&self) -> Option<u64> {
        self.index
            .load_metas()
            .ok()?
            .payload
            .and_then(|p| p.trim().parse().ok())
    }

    fn commit_writer(&self, writer: &mut IndexWriter) -> Result<(), IndexError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(
            &self
                .generation
                .load(std::sync::atomic::Ordering::SeqCst)
                .to_string(),
        );
        prepared.commit()?;
        Ok(())
    }

    /// An article made ready for [`Self::add_prepared`]: normalised and laid
    /// out in fields. Pure work, safe to run on many threads at once.
    pub fn prepare(&self, article: &Article) -> IndexDoc {
        IndexDoc {
            id: article.id.clone(),
            doc: self.document_without_id(article),
        }
    }

    /// Adds prepared articles (replacing any with the same id) without
    /// committing: they become searchable at the next [`Self::commit`].
    pub fn add_prepared(&self, docs: Vec<IndexDoc>) -> Result<(), IndexError> {
        if docs.is_empty() {
            return Ok(());
        }
        self.with_writer(|writer| {
            for IndexDoc { id, mut doc } in docs {
                writer.delete_term(Term::from_field_text(self.fields.id, id.as_str()));
                doc.add_text(self.fields.id, id.as_str());
                writer.add_document(doc)?;
            }
            Ok(())
        })
    }

    /// Commits what was added and makes it searchable.
    pub fn commit(&self) -> Result<(), IndexError> {
        self.with_writer(|writer| self.commit_writer(writer))?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds articles and commits, so they are searchable when this returns.
    pub fn add(&self, articles: &[Article]) -> Result<(), IndexError> {
        if articles.is_empty() {
            return Ok(());
        }
        self.with_writer(|writer| {
            for article in articles {
                writer.delete_term(Term::from_field_text(self.fields.id, article.id.as_str()));
                writer.add_document(self.document(article))?;
            }
            self.commit_writer(writer)
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// The ids of every live (not deleted) article in the index, read from
    /// the id field's dictionary: about a second for a million articles.
    pub fn ids(&self) -> Result<std::collections::HashSet<ArticleId>, IndexError> {
        use tantivy::DocSet;
        let searcher = self.reader.searcher();
        let mut ids = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.id)?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while terms.advance() {
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let mut doc = postings.doc();
                let mut alive = false;
                while doc != tantivy::TERMINATED {
                    if !segment.is_deleted(doc) {
                        alive = true;
                        break;
                    }
                    doc = postings.advance();
                }
                if alive
                    && let Some(id) = std::str::from_utf8(terms.key())
                        .ok()
                        .and_then(ArticleId::parse)
                {
                    ids.insert(id);
                }
            }
        }
        Ok(ids)
    }

    /// Removes articles by id without committing (see [`Self::commit`]).
    pub fn remove_uncommitted(&self, ids: &[ArticleId]) -> Result<(), IndexError> {
        self.with_writer(|writer| {
            for id in ids {
                writer.delete_term(Term::from_field_text(self.fields.id, id.as_str()));
            }
            Ok(())
        })
    }

    /// Removes an article and commits.
    pub fn delete(&self, id: &ArticleId) -> Result<(), IndexError> {
        self.with_writer(|writer| {
            writer.delete_term(Term::from_field_text(self.fields.id, id.as_str()));
            self.commit_writer(writer)
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Starts replacing the whole index: add every article to the returned
    /// [`Rebuild`], then commit it. Until the commit, searches see the old index.
    pub fn rebuild(&self) -> Result<Rebuild<'_>, IndexError> {
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(self.index.writer(WRITER_MEMORY)?);
        }
        let writer = guard.as_mut().expect("writer was just created");
        writer.delete_all_documents()?;
        Ok(Rebuild {
            index: self,
            writer: guard,
            count: 0,
            committed: false,
        })
    }

    /// Number of searchable articles.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// In how many articles a normalised word occurs (title or body, the larger).
    pub fn doc_freq(&self, word: &str) -> u64 {
        let searcher = self.reader.searcher();
        [self.fields.title, self.fields.body]
            .into_iter()
            .map(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, word))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    }

    /// In how many articles a normalised text occurs as a run of characters,
    /// whatever the segmentation made of it.
    pub fn substring_freq(&self, text: &str) -> u64 {
        let Some(query) = self.gram_query(text) else {
            return 0;
        };
        self.reader
            .searcher()
            .search(query.as_ref(), &Count)
            .map_or(0, |n| n as u64)
    }

    /// The phrase of grams that finds a text anywhere, or `None` for a text
    /// without letters or digits.
    fn gram_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let grams = tokenizer::grams(text);
        let field = self.fields.grams;
        match grams.as_slice() {
            [] => None,
            [one] => Some(Box::new(TermQuery::new(
                Term::from_field_text(field, &one.text),
                IndexRecordOption::WithFreqs,
            ))),
            many => Some(Box::new(PhraseQuery::new_with_offset(
                many.iter()
                    .map(|g| (g.position, Term::from_field_text(field, &g.text)))
                    .collect(),
            ))),
        }
    }

    /// Words of the index's vocabulary that sound like `word` (a Chinese word
    /// of 2–4 characters) or are spelled by it in pinyin (`waimai`), other
    /// than the word itself.
    pub fn sound_alikes(&self, word: &str) -> Vec<String> {
        let searcher = self.reader.searcher();
        self.sounds
            .lookup(&searcher, &[self.fields.title, self.fields.body], word)
    }

    /// The best `limit` articles for the query, best first. Title matches
    /// weigh three times body matches.
    pub fn search(&self, query: &IndexQuery, limit: usize) -> Result<Vec<IndexHit>, IndexError> {
        Ok(self
            .candidates(query, limit, &[])?
            .into_iter()
            .map(|c| IndexHit {
                id: c.id,
                score: c.score,
            })
            .collect())
    }

    /// The best `limit` articles for the query, best first, each with its
    /// normalised title and lede, its date, and for every probe (a list of
    /// alternative texts) whether the article contains one of them anywhere
    /// as a run of characters. Ranking needs nothing more, so it never reads
    /// the store for candidates it will not show.
    pub fn candidates(
        &self,
        query: &IndexQuery,
        limit: usize,
        probes: &[Vec<String>],
    ) -> Result<Vec<Candidate>, IndexError> {
        if query.terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut any_term: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &query.terms {
            if term.kind == TermKind::Substring {
                if let Some(gram_query) = self.gram_query(&term.text) {
                    any_term.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(gram_query, term.weight)),
                    ));
                }
                continue;
            }
            for (field, boost) in [(f.title, 3.0), (f.body, 1.0)] {
                let term_query = TermQuery::new(
                    Term::from_field_text(field, &term.text),
                    IndexRecordOption::WithFreqs,
                );
                any_term.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term_query), boost * term.weight)),
                ));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(any_term)))];
        clauses.extend(self.in_cities(&query.cities));
        if let Some((from, to)) = query.dates {
            let day = |d: NaiveDate| Term::from_field_i64(f.date, i64::from(d.num_days_from_ce()));
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(day(from)),
                    std::ops::Bound::Included(day(to)),
                )),
            ));
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        self.read_candidates(&searcher, top, probes)
    }

    /// The newest `limit` articles (by date, newest first) in one of
    /// `cities` that hold one of `words` in the title or body. Their score
    /// is 0.
    pub fn newest_with(
        &self,
        words: &[String],
        cities: &[u32],
        limit: usize,
    ) -> Result<Vec<Candidate>, IndexError> {
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let any_word: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .flat_map(|word| [f.title, f.body].map(|field| (field, word)))
            .map(|(field, word)| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(field, word);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                )
            })
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(any_word)))];
        clauses.extend(self.in_cities(cities));
        let searcher = self.reader.searcher();
        let newest: Vec<(Option<i64>, tantivy::DocAddress)> = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_fast_field::<i64>("date", tantivy::Order::Desc),
        )?;
        let top = newest
            .into_iter()
            .map(|(_, address)| (0.0, address))
            .collect();
        self.read_candidates(&searcher, top, &[])
    }

    /// The clause that keeps a search to articles of one of `cities`
    /// (none when the list is empty: anywhere).
    fn in_cities(&self, cities: &[u32]) -> Option<(Occur, Box<dyn Query>)> {
        if cities.is_empty() {
            return None;
        }
        let any_city: Vec<(Occur, Box<dyn Query>)> = cities
            .iter()
            .map(|&code| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_u64(self.fields.city, u64::from(code));
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                )
            })
            .collect();
        Some((Occur::Must, Box::new(BooleanQuery::new(any_city))))
    }

    /// The stored parts of the hits, in their order, with the probes run.
    fn read_candidates(
        &self,
        searcher: &tantivy::Searcher,
        top: Vec<(f32, tantivy::DocAddress)>,
        probes: &[Vec<String>],
    ) -> Result<Vec<Candidate>, IndexError> {
        let f = self.fields;
        let mut out = Vec::with_capacity(top.len());
        let mut addresses = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let Some(id) = doc
                .get_first(f.id)
                .and_then(|v| v.as_str())
                .and_then(ArticleId::parse)
            else {
                continue;
            };
            let date = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .i64("date")
                .ok()
                .and_then(|column| column.first(address.doc_id))
                .and_then(|days| NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?));
            out.push(Candidate {
                id,
                score,
                title: text(f.title_text),
                lede: text(f.lede_text),
                date,
                contains: vec![false; probes.len()],
            });
            addresses.push(address);
        }
        self.probe(searcher, &addresses, probes, &mut out)?;
        Ok(out)
    }

    /// Fills [`Candidate::contains`]: one phrase-of-grams query per probe,
    /// walked to the candidates' documents segment by segment.
    fn probe(
        &self,
        searcher: &tantivy::Searcher,
        addresses: &[tantivy::DocAddress],
        probes: &[Vec<String>],
        out: &mut [Candidate],
    ) -> Result<(), IndexError> {
        use tantivy::query::EnableScoring;
        use tantivy::{DocSet, TERMINATED};
        let mut order: Vec<usize> = (0..addresses.len()).collect();
        order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
        for (p, alternatives) in probes.iter().enumerate() {
            let parts: Vec<(Occur, Box<dyn Query>)> = alternatives
                .iter()
                .filter_map(|text| self.gram_query(text))
                .map(|q| (Occur::Should, q))
                .collect();
            if parts.is_empty() {
                continue;
            }
            let weight =
                BooleanQuery::new(parts).weight(EnableScoring::disabled_from_searcher(searcher))?;
            for group in
                order.chunk_by(|&a, &b| addresses[a].segment_ord == addresses[b].segment_ord)
            {
                let segment = searcher.segment_reader(addresses[group[0]].segment_ord);
                let mut scorer = weight.scorer(segment, 1.0)?;
                for &i in group {
                    let target = addresses[i].doc_id;
                    let mut doc = scorer.doc();
                    if doc < target && doc != TERMINATED {
                        doc = scorer.seek(target);
                    }
                    out[i].contains[p] = doc == target;
                }
            }
        }
        Ok(())
    }
}

/// A search candidate as the index alone knows it (see [`NewsIndex::candidates`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The article.
    pub id: ArticleId,
    /// BM25 relevance.
    pub score: f32,
    /// Its title lines, normalised, joined by spaces.
    pub title: String,
    /// Its first paragraph, normalised.
    pub lede: String,
    /// Its date (the article's, else the issue's).
    pub date: Option<NaiveDate>,
    /// Per probe: whether the article holds one of the probe's texts.
    pub contains: Vec<bool>,
}

/// An article laid out for the index (see [`NewsIndex::prepare`]).
pub struct IndexDoc {
    id: ArticleId,
    doc: TantivyDocument,
}

impl IndexDoc {
    /// The article it stands for.
    pub fn id(&self) -> &ArticleId {
        &self.id
    }

    /// Gives the document the id the store allocated to its article.
    pub fn assign(&mut self, id: ArticleId) {
        self.id = id;
    }
}

/// A rebuild of the whole index in progress; dropped without
/// [`Rebuild::commit`], it changes nothing.
pub struct Rebuild<'a> {
    index: &'a NewsIndex,
    writer: std::sync::MutexGuard<'a, Option<IndexWriter>>,
    count: u64,
    committed: bool,
}

impl Rebuild<'_> {
    fn writer(&mut self) -> &mut IndexWriter {
        self.writer.as_mut().expect("a rebuild holds a writer")
    }

    /// Adds one article.
    pub fn add(&mut self, article: &Article) -> Result<(), IndexError> {
        let doc = self.index.document(article);
        self.writer().add_document(doc)?;
        self.count += 1;
        Ok(())
    }

    /// Commits the new index and makes it searchable; returns its size.
    pub fn commit(mut self) -> Result<u64, IndexError> {
        let index = self.index;
        index.commit_writer(self.writer())?;
        self.committed = true;
        self.index.reader.reload()?;
        Ok(self.count)
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        // Without a commit, discard the half-built index.
        if !self.committed
            && let Some(writer) = self.writer.as_mut()
        {
            let _ = writer.rollback();
        }
    }
}

/// Writes a small file durably: a temp file beside it, fsync, rename.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(headline: &str, body: &str, city: u32, date: &str) -> Article {
        crate::article::testing::article(headline, &[body], date, &[city])
    }

    fn terms(words: &[&str]) -> Vec<WeightedTerm> {
        words.iter().map(|w| WeightedTerm::word(*w)).collect()
    }

    fn sample() -> (NewsIndex, Vec<Article>) {
        let index = NewsIndex::in_memory().unwrap();
        let articles = vec![
            article(
                "湛江市总工会开展调研",
                "走进羽绒制品企业了解经营状况。",
                4408,
                "2024-01-11",
            ),
            article(
                "上海市总工会召开会议",
                "研究部署劳资纠纷工作。",
                3100,
                "2024-01-12",
            ),
            article(
                "番禺区外卖骑手集中入会",
                "326名骑手入会。",
                4401,
                "2023-11-05",
            ),
        ];
        index.add(&articles).unwrap();
        (index, articles)
    }

    #[test]
    fn a_part_of_a_long_name_finds_the_article() {
        let (index, articles) = sample();
        let query = IndexQuery {
            terms: terms(&["总工会"]),
            ..Default::default()
        };
        let hits = index.search(&query, 10).unwrap();
        assert_eq!(hits.len(), 2, "{hits:?}");
        let query = IndexQuery {
            terms: terms(&["羽绒"]),
            ..Default::default()
        };
        assert_eq!(index.search(&query, 10).unwrap()[0].id, articles[0].id);
    }

    #[test]
    fn any_run_of_characters_is_found_through_the_grams() {
        let (index, articles) = sample();
        assert_eq!(index.substring_freq("绒制"), 1);
        assert_eq!(index.substring_freq("制品企业"), 1);
        assert_eq!(index.substring_freq("品企业了"), 1);
        assert_eq!(
            index.substring_freq("企业。了"),
            0,
            "a phrase never spans punctuation"
        );
        assert_eq!(index.substring_freq("没有的词"), 0);
        let query = IndexQuery {
            terms: vec![WeightedTerm {
                kind: TermKind::Substring,
                ..WeightedTerm::word("绒制")
            }],
            ..Default::default()
        };
        let hits = index.search(&query, 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, articles[0].id);
    }

    #[test]
    fn words_that_sound_alike_are_found_in_the_vocabulary() {
        let index = NewsIndex::in_memory().unwrap();
        index
            .add(&[article(
                "职工篮球赛开赛",
                "外卖骑手和快递员参赛。",
                4407,
                "2023-11-29",
            )])
            .unwrap();
        assert!(index.sound_alikes("蓝球").contains(&"篮球".to_string()));
        assert!(index.sound_alikes("快第").contains(&"快递".to_string()));
        assert_eq!(index.sound_alikes("waimai"), ["外卖"]);
        assert!(index.sound_alikes("篮球").iter().all(|w| w != "篮球"));
        assert!(index.sound_alikes("足球").is_empty());
        // A later segment is read too.
        index
            .add(&[article(
                "劳模工匠助企行",
                "劳模走进企业。",
                4408,
                "2024-01-11",
            )])
            .unwrap();
        assert!(index.sound_alikes("劳摸").contains(&"劳模".to_string()));
    }

    #[test]
    fn city_and_date_restrictions_filter_results() {
        let (index, articles) = sample();
        let query = IndexQuery {
            terms: terms(&["工会"]),
            cities: vec![4408],
            ..Default::default()
        };
        let hits = index.search(&query, 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
            [&articles[0].id]
        );
        let query = IndexQuery {
            terms: terms(&["入会", "工会"]),
            dates: Some(("2023-11-01".parse().unwrap(), "2023-11-30".parse().unwrap())),
            ..Default::default()
        };
        let hits = index.search(&query, 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| &h.id).collect::<Vec<_>>(),
            [&articles[2].id]
        );
    }

    #[test]
    fn deleted_articles_are_not_found_and_rebuild_replaces_everything() {
        let (index, articles) = sample();
        index.delete(&articles[0].id).unwrap();
        assert_eq!(index.num_docs(), 2);
        let mut rebuild = index.rebuild().unwrap();
        rebuild.add(&articles[0]).unwrap();
        let count = rebuild.commit().unwrap();
        assert_eq!((count, index.num_docs()), (1, 1));
    }

    #[test]
    fn an_index_of_another_version_or_a_broken_one_is_recreated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let (index, state) = NewsIndex::open(&path).unwrap();
        assert!(matches!(state, OpenState::Created(_)));
        let (_, articles) = sample();
        index.add(&articles).unwrap();
        drop(index);
        let (index, state) = NewsIndex::open(&path).unwrap();
        assert_eq!(state, OpenState::Existing);
        assert_eq!(index.num_docs(), 3);
        drop(index);
        std::fs::write(path.join(VERSION_FILE), "0\n").unwrap();
        let (index, state) = NewsIndex::open(&path).unwrap();
        assert!(matches!(state, OpenState::Created(_)), "{state:?}");
        assert_eq!(index.num_docs(), 0);
        drop(index);
        std::fs::write(path.join("meta.json"), "{ not json").unwrap();
        let (_, state) = NewsIndex::open(&path).unwrap();
        assert!(matches!(state, OpenState::Created(_)), "{state:?}");
    }
}
