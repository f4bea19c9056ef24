//! The body of a paste, the second stage: where it starts (the first line
//! of prose), which lines it keeps (text that is not the title block, not
//! above the headline and not past an end marker), and what trails it (the
//! account's name signed under it, teasers of other articles).

use super::classify::{Class, credit_line};
use super::headline::{ChosenTitle, is_account_name, is_headline_like};
use super::{Paste, PasteLine, take_credits};
use crate::page::body::Piece;
use crate::page::punctuation::fold;
use crate::page::title::is_organisation;
use crate::zh::is_han;

/// Index of the body's first line: the first text line of prose.
pub(super) fn start(lines: &[PasteLine], classes: &[Class]) -> Option<usize> {
    lines
        .iter()
        .zip(classes)
        .position(|(line, class)| *class == Class::Text && is_prose(&line.text))
}

/// Keeps the body's lines in `paste.pieces`, reads the meta and credit
/// lines among them, and counts every line dropped.
pub(super) fn gather(
    lines: &[PasteLine],
    classes: &[Class],
    title: Option<&ChosenTitle>,
    body_start: Option<usize>,
    paste: &mut Paste,
) {
    let header_end = body_start.unwrap_or(lines.len());
    let (headline_index, used) = match title {
        Some(t) => (Some(t.headline), t.used.clone()),
        None => (None, Vec::new()),
    };
    let mut ended = false;
    let mut seen_body = false;
    for (i, (line, class)) in lines.iter().zip(classes).enumerate() {
        if used.contains(&i) {
            continue;
        }
        let before_headline = headline_index.is_some_and(|h| i < h);
        match class {
            Class::Meta(meta) => {
                paste.removed += 1;
                take_credits(paste, meta, ended);
            }
            Class::Chrome | Class::Nav | Class::OriginalTitle(_) => paste.removed += 1,
            Class::End if seen_body => {
                ended = true;
                paste.removed += 1;
            }
            Class::End => paste.removed += 1,
            Class::Text if ended || before_headline => {
                paste.removed += 1;
                // A credit line after the end marker still names the source.
                if ended && let Class::Meta(meta) = credit_line(&line.text) {
                    take_credits(paste, &meta, false);
                }
            }
            Class::Text => {
                if i < header_end && is_account_name(&line.text) {
                    paste.removed += 1;
                    if paste.source.is_none() {
                        paste.source = Some(line.text.clone());
                    }
                    continue;
                }
                if let Class::Meta(meta) = credit_line(&line.text) {
                    paste.removed += 1;
                    take_credits(paste, &meta, false);
                    continue;
                }
                seen_body |= body_start.is_some_and(|b| i >= b);
                paste.pieces.push(Piece {
                    line: line.number,
                    text: line.text.clone(),
                });
            }
        }
    }
}

/// Drops what trails the body: the account's name or the paper's, signed
/// under it; headlines of other articles left after it (a list whose
/// heading was lost).
pub(super) fn drop_trailers(paste: &mut Paste) {
    let prose_pieces = paste.pieces.iter().filter(|p| is_prose(&p.text)).count();
    let mut trailing_prose = prose_pieces;
    while let Some(last) = paste.pieces.last() {
        let teaser = trailing_prose > 0 && !is_prose(&last.text) && is_headline_like(&last.text);
        if teaser || is_organisation(&last.text) || is_account_name(&last.text) {
            if is_prose(&last.text) {
                trailing_prose -= 1;
            }
            paste.pieces.pop();
            paste.removed += 1;
        } else {
            break;
        }
    }
}

/// A line of prose: a sentence ended by `。`, or a long line with commas.
pub(super) fn is_prose(text: &str) -> bool {
    let han = text.chars().filter(|&c| is_han(c)).count();
    if han < 8 {
        return false;
    }
    let folded: String = text.chars().map(fold).collect();
    let full_stops = folded.matches('。').count();
    let commas = folded.matches([',', ';']).count();
    let length = folded.chars().count();
    (full_stops >= 1 && (length >= 24 || !folded.ends_with('。') || full_stops >= 2))
        || (commas >= 2 && length >= 45)
        || length > 80
}
