//! union-news-bot: union members ask in Chinese, the bot answers from a local
//! index of union newspaper articles with short summaries and their sources.
//!
//! Code map: `article` domain types · `zh` normalisation, segmentation, places ·
//! `page` newspaper page text → articles.

pub mod article;
pub mod zh;
pub mod page;
pub mod index;
pub mod store;
