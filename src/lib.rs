//! union-news-bot: union members ask in Chinese, the bot answers from a local
//! index of union newspaper articles with short summaries and their sources.
//!
//! # Code map
//!
//! - [`article`]: domain types (`Article`, `ArticleId`, `Byline`, `City` …), plain data.
//! - [`zh`]: Chinese text: normalisation, segmentation (jieba), the gazetteer of places.
//! - [`page`]: newspaper page text → articles, with warnings instead of failures.
//! - [`store`]: the database, source of truth. [`index`]: the tantivy index, derived.
//! - [`query`], [`search`], [`summary`]: understanding a question, ranking, summaries.
//! - [`request`], [`reply`]: what a message asks; what the bot answers, rendered.
//! - [`desk`]: `NewsDesk`, one message in, one reply out; ingest.
//! - [`telegram`]: the bot; [`config`], [`cli`], [`console`]: the other edges.
//!
//! # Architecture invariants
//!
//! - `desk` and everything below it never name teloxide: the console, `ask`,
//!   the tests and the bot all call [`desk::NewsDesk::handle`], so a message
//!   gets the same answer everywhere.
//! - Only `index` names tantivy, only `store` names the database, only
//!   `zh::segment` names jieba.
//! - `page::parse` never fails: it returns articles plus warnings.
//! - The store is the source of truth; the index can always be rebuilt from
//!   it. An ingest returns only after its transaction commits and the index
//!   has the new articles.
//! - `reply` is the only producer of Telegram HTML; its output is escaped and
//!   within Telegram's limits.

pub mod article;
pub mod cli;
pub mod config;
pub mod console;
pub mod desk;
pub mod index;
pub mod limits;
pub mod page;
pub mod query;
pub mod reply;
pub mod request;
pub mod search;
pub mod store;
pub mod summary;
pub mod telegram;
pub mod when;
pub mod zh;
