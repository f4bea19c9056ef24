//! Tools beside the bot, not part of it: they call the bot's public API the
//! way any other program would.
//!
//! - [`eval`]: answer quality on a questions file (hit@1, hit@3, MRR,
//!   answers, city lists, negatives, latency).
//! - [`near_dup_eval`]: the labelled pairs (same article in two forms,
//!   distinct articles on one subject) behind `near_dup::SAME_ARTICLE`.
//! - [`pastes`]: how admins' pastes are understood (one article, headline,
//!   month, city, clutter) over a folder with a manifest, in every encoding.
//! - [`repush`]: the dates of pushed pages and copies of one article pushed
//!   twice (`tests/data/pastes/dev5`, `heldout5`).
//! - [`synth`]: a deterministic synthetic archive of N distinct articles,
//!   recombined from sample pages, for benchmarks at scale.
//! - [`mod@bench`]: the measurements behind `scripts/bench.sh`, one JSON line each.

pub mod bench;
pub mod eval;
pub mod near_dup_eval;
pub mod pastes;
pub mod repush;
pub mod synth;
