//! The headline, the third stage of reading a paste: the line a reader
//! sees above the body (see the parent module), its kicker and subtitle;
//! failing that the `原标题：` line, failing that the first sentence.

use super::classify::{Class, clean_headline};
use super::{Paste, PasteLine};
use crate::article::TitleBlock;
use crate::page::punctuation::{excerpt, fold, is_sentence_final, is_space, trim};
use crate::page::title::is_organisation;
use crate::page::words;
use crate::zh::is_han;

/// The headline chosen, its title block, and the lines it used.
pub(super) struct ChosenTitle {
    /// The kicker, headline and subtitle.
    pub block: TitleBlock,
    /// Index of the headline line.
    pub headline: usize,
    /// Index of the last line of the title block.
    pub last: usize,
    /// Indices of all lines of the title block.
    pub used: Vec<usize>,
}

/// Picks the headline among the text lines before the body (see the
/// parent module's comment).
pub(super) fn choose(
    lines: &[PasteLine],
    classes: &[Class],
    header_end: usize,
) -> Option<ChosenTitle> {
    let chosen = choose_on_page(lines, classes, header_end);
    // A repost's `原标题：` line holds the article's own headline: it wins
    // over the reposting channel's, whoever reposted it (a channel's teaser
    // line, a portal's edited headline). Above the body, it is the title
    // block (what stands before it is the channel's); below, its words
    // replace the channel's headline, which is still taken out of the text.
    let Some((at, original)) = classes.iter().enumerate().find_map(|(i, c)| match c {
        Class::OriginalTitle(title) if !title.is_empty() => Some((i, title.clone())),
        _ => None,
    }) else {
        return chosen;
    };
    let block = TitleBlock {
        headline: original,
        ..TitleBlock::default()
    };
    match chosen {
        Some(mut chosen) if at >= header_end => {
            chosen.block = block;
            Some(chosen)
        }
        _ => Some(ChosenTitle {
            block,
            headline: at,
            last: at,
            used: vec![at],
        }),
    }
}

/// The headline the page itself shows above the body.
fn choose_on_page(
    lines: &[PasteLine],
    classes: &[Class],
    header_end: usize,
) -> Option<ChosenTitle> {
    let candidate = |i: usize| classes[i] == Class::Text && is_headline_like(&lines[i].text);
    // Runs of candidate lines: only chrome may stand between two of a run.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for (i, class) in classes.iter().enumerate().take(header_end) {
        if candidate(i) {
            current.push(i);
        } else if *class != Class::Chrome && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    // A forum poster's name or a column's (`金州老汪`, `最新公告`) is no
    // headline when a longer line is there to be one.
    let short = |run: &Vec<usize>| run.iter().all(|&i| lines[i].text.chars().count() < 7);
    if runs.iter().any(|run| !short(run)) {
        runs.retain(|run| !short(run));
    }
    // A headline is where the page prints its date: a run whose last line
    // is followed (past furniture) by a dated meta line wins over the runs
    // after it (a forum poster's name, a WeChat account). A site header's
    // day line (`今天是：…`) follows the site's name, not a headline.
    let dated = |run: &Vec<usize>| {
        let last = *run.last().unwrap_or(&0);
        classes[last + 1..]
            .iter()
            .take_while(|c| matches!(c, Class::Chrome | Class::Meta(_)))
            .any(|c| match c {
                Class::Meta(meta) => meta.date.is_some() && !meta.date_is_header,
                _ => false,
            })
    };
    if let Some(at) = runs.iter().position(dated) {
        let long_enough = runs[at].iter().any(|&i| lines[i].text.chars().count() >= 8);
        if long_enough {
            runs.truncate(at + 1);
        }
    }
    // With no prose at all (a short paste), the first line is the headline.
    let no_body = header_end == lines.len();
    let mut run = if no_body {
        runs.first()?.clone()
    } else {
        let last = runs.pop()?;
        if last.len() == 1 && is_subtitle(&lines[last[0]].text) {
            let mut run = runs.pop().unwrap_or_default();
            run.extend(last);
            run
        } else {
            last
        }
    };
    // Three or more headline-like lines in a row: a list of other articles
    // ends in the headline (and its dashed subtitle).
    if run.len() > 2 {
        let keep = if is_subtitle(&lines[run[run.len() - 1]].text) {
            2
        } else {
            1
        };
        run = run.split_off(run.len() - keep);
    }
    if no_body && lines.len() > 1 {
        run.truncate(1);
    }
    let (subtitles, main): (Vec<usize>, Vec<usize>) =
        run.iter().partition(|&&i| is_subtitle(&lines[i].text));
    let (kicker, headline) = match main.as_slice() {
        [] => return None,
        [only] => (None, *only),
        [first, second, ..] => {
            let (a, b) = (&lines[*first].text, &lines[*second].text);
            let short = a.chars().count() <= 12 && b.chars().count() > a.chars().count();
            if short || a.ends_with(['：', ':']) {
                (Some(*first), *second)
            } else {
                (None, *first)
            }
        }
    };
    let subtitle_lines: Vec<usize> = subtitles
        .iter()
        .copied()
        .chain(
            main.iter()
                .copied()
                .filter(|&i| i != headline && Some(i) != kicker),
        )
        .collect();
    let subtitle = (!subtitle_lines.is_empty()).then(|| {
        subtitle_lines
            .iter()
            .map(|&i| {
                lines[i]
                    .text
                    .trim_start_matches(['—', '-', '─', ' '])
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut used: Vec<usize> = run.clone();
    let mut headline_text = clean_headline(&lines[headline].text);
    // A headline wrapped by a PDF or a narrow column leaves its last
    // characters on a line of their own (`…一线职工` / `手中`).
    if let Some(next) = lines.get(headline + 1)
        && classes[headline + 1] == Class::Text
        && !used.contains(&(headline + 1))
        && next.text.chars().count() <= 4
        && lines[headline].text.chars().count() >= 20
        && next.text.chars().all(is_han)
        && !is_account_name(&next.text)
        && !next.text.ends_with("工会")
    {
        headline_text.push_str(&next.text);
        used.push(headline + 1);
    }
    used.sort_unstable();
    Some(ChosenTitle {
        block: TitleBlock {
            kicker: kicker.map(|i| lines[i].text.clone()),
            headline: headline_text,
            subtitle,
            ..TitleBlock::default()
        },
        headline,
        last: *used.last().unwrap_or(&headline),
        used,
    })
}

/// A line a reader could take for a headline: 4 to 64 characters, mostly
/// letters, not a sentence, not a name of a site, an account or an office.
pub(super) fn is_headline_like(text: &str) -> bool {
    let length = text.chars().count();
    let han = text.chars().filter(|&c| is_han(c)).count();
    if !(4..=64).contains(&length) || han < 4 || han * 2 < length {
        return false;
    }
    let folded: String = text.chars().map(fold).collect();
    if folded.ends_with('。') || folded.matches('。').count() >= 1 {
        return false;
    }
    // A list item: a teaser of another article.
    let bullets = ['·', '•', '●', '○', '■', '□', '◆', '◇', '★', '☆', '>', '◎'];
    if folded.starts_with(bullets)
        || folded.split_once(['.', '、']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
        })
    {
        return false;
    }
    if ["本报讯", "本报", "记者", "通讯员", "近日"]
        .iter()
        .any(|p| folded.starts_with(p))
    {
        return false;
    }
    !(is_organisation(text) || is_site_name(&folded))
}

/// A site's or an account's name or slogan line: `某某工人网`,
/// `某某市总工会 欢迎您`, `云上某某`.
fn is_site_name(folded: &str) -> bool {
    let compact: String = folded.chars().filter(|&c| !is_space(c)).collect();
    if compact.contains("欢迎") || compact.contains("官方网站") || compact.contains("公众号")
    {
        return true;
    }
    compact.chars().count() <= 12
        && words::SITE_ENDINGS.iter().any(|e| compact.ends_with(e))
        && !compact.contains(',')
}

/// A short line that is the publishing account or office alone
/// (`某某市总工会`, `某某工人网`).
pub(super) fn is_account_name(text: &str) -> bool {
    let folded: String = text.chars().map(fold).collect();
    text.chars().count() <= 20 && (is_organisation(text) || is_site_name(&folded))
}

/// A subtitle line: `——某某市总工会开展…侧记`.
fn is_subtitle(text: &str) -> bool {
    text.starts_with(['—', '─', '－']) || text.starts_with("--")
}

/// The first sentence of a paragraph past its `本报讯` byline, at most 30
/// characters: the headline of a paste whose lines hold none. Never empty.
fn first_sentence(text: &str) -> String {
    let (_, text) = crate::page::byline::take_byline(text);
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = text
        .char_indices()
        .find(|&(_, c)| is_sentence_final(c))
        .map_or(text.len(), |(i, _)| i);
    let sentence = excerpt(trim(&text[..end]), 30);
    if sentence.is_empty() {
        "（无标题）".to_string()
    } else {
        sentence
    }
}

/// The paste's title block and its line number: the chosen headline, or
/// the `原标题：` line, or the first sentence of the body (then
/// `title_from_body` is set). `None` for a paste with no Chinese text.
pub(super) fn title_block(
    lines: &[PasteLine],
    classes: &[Class],
    title: Option<ChosenTitle>,
    paste: &mut Paste,
) -> Option<(TitleBlock, usize)> {
    let original = classes.iter().find_map(|c| match c {
        Class::OriginalTitle(title) | Class::TitleField(title) => Some(title.clone()),
        _ => None,
    });
    match title {
        Some(t) => Some((t.block, lines[t.headline].number)),
        None => original
            .map(|headline| {
                let number = lines
                    .iter()
                    .zip(classes)
                    .find(|(_, c)| matches!(c, Class::OriginalTitle(_) | Class::TitleField(_)))
                    .map_or(1, |(l, _)| l.number);
                (
                    TitleBlock {
                        headline,
                        ..TitleBlock::default()
                    },
                    number,
                )
            })
            .or_else(|| {
                // Text with no Chinese at all (binary junk) is no article.
                let han = paste
                    .pieces
                    .iter()
                    .flat_map(|p| p.text.chars())
                    .filter(|&c| is_han(c));
                if han.take(2).count() < 2 {
                    return None;
                }
                let first = paste.pieces.first()?;
                paste.title_from_body = true;
                let headline = first_sentence(&first.text);
                Some((
                    TitleBlock {
                        headline,
                        ..TitleBlock::default()
                    },
                    first.line,
                ))
            }),
    }
}
