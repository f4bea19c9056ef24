//! The date printed near the headline (`发布日期：…`, `原创 某某工会
//! 2024-03-06`), the last stage of reading a paste: a page prints its own
//! date in its header, so a meta line's date counts first before the body,
//! just under the title block, or on the body's first lines; then at the
//! foot of the article, above its end marker. Dates past that marker belong
//! to other articles, replies or the footer.

use super::classify::Class;
use chrono::NaiveDate;

/// The first date of a meta line near the headline: before the body
/// (`header_end`), within three lines past the title block's last line, or
/// on the line after the body's first; failing that, under the body before
/// its end marker.
pub(super) fn printed_date(
    classes: &[Class],
    header_end: usize,
    title_last: Option<usize>,
    body_start: Option<usize>,
) -> Option<NaiveDate> {
    let near = classes
        .iter()
        .enumerate()
        .find_map(|(i, class)| match class {
            Class::Meta(meta) => {
                let near_headline = i < header_end
                    || title_last.is_some_and(|last| i <= last + 3)
                    || body_start.is_some_and(|b| i <= b + 1);
                near_headline.then_some(meta.date).flatten()
            }
            _ => None,
        });
    // Some sites print it under the body (`发布日期：…` over `上一篇`): the
    // first dated meta line after the body begins, before its end marker.
    near.or_else(|| {
        classes
            .iter()
            .skip(header_end)
            .take_while(|c| **c != Class::End)
            .find_map(|c| match c {
                Class::Meta(meta) => meta.date,
                _ => None,
            })
    })
}
