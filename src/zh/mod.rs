//! Chinese text: normalisation (traditional → simplified, full-width → half-width,
//! lower case), word segmentation, and the gazetteer of places.
//!
//! Everything that reads Chinese goes through here, so the index, the query
//! and the parser see text the same way.

mod normalize;
pub mod places;
pub mod segment;

pub use normalize::{fold_width, normalize};
