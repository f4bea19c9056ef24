//! union-news-bot: union members ask in Chinese, the bot answers from a local
//! index of union newspaper articles with short summaries and their sources.
//!
//! # Code map, from the bottom up
//!
//! - [`place_name`], [`article`]: domain types (`Article`, `ArticleId`,
//!   `Fingerprint`, `Byline`, `City` …), plain data that imports nothing of
//!   the crate but the pure rule for shortening place names. [`clock`]: the
//!   one clock the desk reads and the bot's time zone.
//! - [`zh`]: Chinese text: normalisation, segmentation (jieba), sound, the
//!   gazetteer of places (the home province is passed in, never global).
//! - [`page`]: newspaper page text → articles, with warnings instead of
//!   failures; a paste with no `#` heading (a web or WeChat copy) is one
//!   article, its clutter dropped. [`document`]: Word, web and PDF files →
//!   that text, read in a bounded child process and checked to be language.
//! - [`near_dup`]: an article's MinHash signature, to tell the same article
//!   pushed twice in other forms (Word and PDF, another selection of a web
//!   page, traditional characters) from distinct articles on one subject.
//! - [`store`]: the database, source of truth. [`index`]: the tantivy index, derived.
//! - [`vocabulary`]: members' words (Cantonese forms read as Mandarin) and
//!   synonyms, a value the desk owns. [`focus`], [`when`], [`claim`]: what a
//!   question asks for, its time words, a figure the member heard.
//! - [`query`]: the question understood. [`beyond`]: a question about the
//!   member's own rights, or one the bot is not for. [`search`], [`summary`]:
//!   ranking, summaries and answer sentences.
//! - [`chat`]: small talk and wishes by their vocabulary (你好, 唔该晒, 湛江有
//!   新消息提醒我); [`commands`]: the command table; [`request`]: a message as
//!   a typed [`request::Request`] from a [`request::Sender`]; [`followup`]:
//!   那东莞呢 and 第一名系边个 read against the last question, kept as
//!   understood ([`followup::Asked`]), yielding a `Request`.
//! - [`amend`]: what an editor types (correction fields, a time to publish at).
//! - [`report`]: what an ingest or an editor's command did; [`reply`]: the reply model, its
//!   rendering to Telegram HTML and plain text, and every sentence the bot
//!   says ([`reply::text`]).
//! - [`desk`]: [`desk::NewsDesk`], a façade over conversation (answers,
//!   lists, subscriptions, admin, places, the union inbox, and editorial —
//!   the question log, 👍 / 👎, `/feedback`, taught words, editors: one file
//!   each), ingest, editions
//!   (hold, send, schedule, correct, retract, restore, near copies), deliveries
//!   (the outbox, changes to sent messages, push progress), the union inbox
//!   (留言: members' questions answered once by an admin), digests (the
//!   daily digest, the quiet hours) and consistency.
//! - [`fetch`]: `/push https://…`'s page, fetched with address, size,
//!   time and redirect limits; a `Request`, or why not ([`fetch::LinkRefused`],
//!   said by [`reply::text`]).
//! - [`telegram`]; [`config`], [`limits`], [`cli`], [`console`]: the edges.
//!
//! # Architecture invariants
//!
//! Kept by `tests/architecture.rs`, which reads `src/`:
//!
//! - Arrows point down: no module imports one that imports it back, and
//!   nothing below `desk` imports `desk`, `telegram`, `cli` or `console`.
//! - `desk` and everything below it never name teloxide: the console, `ask`,
//!   the tests and the bot all build a `Request` and call
//!   [`desk::NewsDesk::handle`] (or `reply_to`, which parses text first), so
//!   a message gets the same answer everywhere.
//! - Only `index` names tantivy, only `store` names the database, only
//!   `zh::segment` names jieba, only `telegram` names teloxide.
//! - `page::parse` never fails: it returns articles plus warnings.
//! - A Word, web or PDF file or a fetched page is never parsed in the bot's
//!   own process: `document::DocumentReader` reads it in a child under CPU,
//!   memory, time and output limits (`document::read_document` itself is
//!   for that child, the tests and the fuzz targets).
//! - The store is the source of truth; the index can always be rebuilt from
//!   it. An ingest returns only after its transaction commits and the index
//!   has the new articles.
//! - `reply` is the only producer of Telegram HTML; its output is escaped and
//!   within Telegram's limits. `reply::text` holds every sentence the bot
//!   says in a chat (operator output on the command line stays in `cli`).

pub mod amend;
pub mod article;
pub mod beyond;
pub mod chat;
pub mod claim;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod console;
pub mod desk;
pub mod document;
pub mod fetch;
pub mod focus;
pub mod followup;
pub mod index;
pub mod limits;
pub mod near_dup;
pub mod page;
pub mod place_name;
pub mod query;
pub mod reply;
pub mod report;
pub mod request;
pub mod search;
pub mod store;
pub mod summary;
pub mod telegram;
pub mod vocabulary;
pub mod when;
pub mod zh;
