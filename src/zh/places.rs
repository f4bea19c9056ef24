//! placeholder
pub fn strip_suffix(s:&str)->&str{s}
