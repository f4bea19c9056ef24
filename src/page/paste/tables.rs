//! Tables in the body of a paste, found before the body is gathered: each
//! row becomes one line, its cells joined by ` | `, that no paragraph
//! joiner glues to its neighbours and no clutter rule drops.
//!
//! A table copied from a web page arrives in one of three shapes:
//!
//! - one row a line, its cells separated by tabs, by runs of two or more
//!   spaces (full-width ones too), or by ` | ` (what the Word and web
//!   readers write for a table's row);
//! - one cell a line: a header row of short cells, then the data rows, each
//!   cell on its own line; the column count is the one that makes every
//!   column alike down the data rows (all with figures or none, lengths of
//!   one kind) while the header differs from them;
//! - a one-column list under a lead-in that ends with a colon (`名单如下：`).
//!
//! A menu is also short items between spaces or bars, so only lines past
//! the first line of prose are read, and a table needs at least two rows of
//! the same number of cells: a menu is one line at the top or bottom of the
//! page. No cell holds a sentence.

use super::PasteLine;
use super::classify::Class;
use crate::page::punctuation::{fold, is_sentence_final, is_space, trim};
use crate::zh::is_han;

/// What a line of the paste is to a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cell {
    /// Not in a table.
    Outside,
    /// The first line of a row: the whole row, its cells joined by ` | `.
    RowStart(String),
    /// A later line of a row laid out one cell a line.
    RowRest,
}

/// The longest cell, in characters: longer is a sentence, not a cell.
const MAX_CELL: usize = 40;
/// The most columns read from a table laid out one cell a line.
const MAX_COLUMNS: usize = 8;

/// Each line's part in a table, for the lines from `body_start` on.
pub(super) fn cells(
    lines: &[PasteLine],
    classes: &[Class],
    body_start: Option<usize>,
) -> Vec<Cell> {
    let mut out = vec![Cell::Outside; lines.len()];
    let Some(start) = body_start else {
        return out;
    };
    let may_be_cell = |i: usize| matches!(classes[i], Class::Text | Class::Nav);
    // One row a line.
    let split: Vec<Option<Vec<String>>> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            (i >= start && may_be_cell(i))
                .then(|| row_cells(&line.text))
                .flatten()
        })
        .collect();
    let mut i = start;
    while i < lines.len() {
        let Some(width) = split[i].as_ref().map(Vec::len) else {
            i += 1;
            continue;
        };
        let end = (i..lines.len())
            .find(|&j| split[j].as_ref().is_none_or(|c| c.len() != width))
            .unwrap_or(lines.len());
        if end - i >= 2 {
            for j in i..end {
                let row = split[j].as_ref().expect("a row of the run");
                out[j] = Cell::RowStart(row.join(" | "));
            }
        }
        i = end;
    }
    // One cell a line, or a one-column list.
    let mut i = start;
    while i < lines.len() {
        let is_cell =
            |j: usize| out[j] == Cell::Outside && may_be_cell(j) && is_short_cell(&lines[j].text);
        if !is_cell(i) {
            i += 1;
            continue;
        }
        let end = (i..lines.len())
            .find(|&j| !is_cell(j))
            .unwrap_or(lines.len());
        let run: Vec<&str> = lines[i..end].iter().map(|l| l.text.as_str()).collect();
        if let Some(columns) = column_count(&run) {
            for (n, row) in run.chunks(columns).enumerate() {
                let first = i + n * columns;
                out[first] =
                    Cell::RowStart(row.iter().map(|c| trim(c)).collect::<Vec<_>>().join(" | "));
                for rest in &mut out[first + 1..first + columns] {
                    *rest = Cell::RowRest;
                }
            }
        } else if run.len() >= 2 && i > start && is_lead_in(&lines[i - 1].text) {
            for (j, text) in (i..end).zip(&run) {
                out[j] = Cell::RowStart(trim(text).to_string());
            }
        }
        i = end;
    }
    out
}

/// The cells of a line laid out as a table's row: split at tabs, at runs of
/// two or more spaces (not those padding a key, `名　　称：`), or at bars;
/// `None` for fewer than two cells or a cell too long or holding a
/// sentence.
fn row_cells(text: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let barred = text.contains(" | ");
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let spaces = chars[i..]
            .iter()
            .take_while(|&&c| is_space(c) && c != '\t')
            .count();
        // Spaces that pad a field's key to width (`名　　称：`) part no cells.
        let padded_key = matches!(chars.get(i + spaces + 1).copied().map(fold), Some(':'));
        let separator = if barred {
            c == '|'
        } else {
            c == '\t' || (spaces >= 2 && !padded_key)
        };
        if separator {
            cells.push(std::mem::take(&mut cell));
            i += spaces.max(1);
            continue;
        }
        cell.push(c);
        i += 1;
    }
    cells.push(cell);
    let cells: Vec<String> = cells
        .iter()
        .map(|c| trim(c).to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let fits = cells.len() >= 2 && cells.iter().all(|c| is_cell_text(c, MAX_CELL));
    fits.then_some(cells)
}

/// Text a table's cell may hold: not too long, no sentence in it.
fn is_cell_text(text: &str, max: usize) -> bool {
    text.chars().count() <= max && !text.chars().any(|c| is_sentence_final(c) && fold(c) != '.')
}

/// A line that may be one cell of a table laid out one cell a line: short,
/// no sentence or clause punctuation, not a lead-in.
fn is_short_cell(text: &str) -> bool {
    let text = trim(text);
    is_cell_text(text, 30)
        && !text.chars().any(|c| matches!(fold(c), ',' | ':' | '、'))
        && text.chars().any(|c| is_han(c) || c.is_alphanumeric())
}

/// A line that leads into a list: a sentence of some length ending with a
/// colon (`命名单位名单如下：`).
fn is_lead_in(text: &str) -> bool {
    let text = trim(text);
    text.chars().last().is_some_and(|c| fold(c) == ':')
        && text.chars().filter(|&c| is_han(c)).count() >= 6
}

/// The columns of a table laid out one cell a line, `None` when the lines
/// read as no table: the smallest count that splits them into a header and
/// at least two data rows, every column alike down the data rows and the
/// header unlike them in some column.
fn column_count(run: &[&str]) -> Option<usize> {
    (2..=MAX_COLUMNS.min(run.len() / 3)).find(|&columns| {
        if !run.len().is_multiple_of(columns) {
            return false;
        }
        let rows: Vec<&[&str]> = run.chunks(columns).collect();
        let (header, data) = rows.split_first().expect("three rows or more");
        let header_plain = header
            .iter()
            .all(|c| c.chars().count() <= 8 && !c.chars().any(|c| c.is_ascii_digit()));
        if !header_plain {
            return false;
        }
        let mut header_differs = false;
        for column in 0..columns {
            let cells: Vec<&str> = data.iter().map(|row| row[column]).collect();
            let figures = |c: &str| c.chars().any(|c| c.is_ascii_digit());
            let lengths: Vec<usize> = cells.iter().map(|c| c.chars().count()).collect();
            let (short, long) = (
                *lengths.iter().min().expect("data rows"),
                *lengths.iter().max().expect("data rows"),
            );
            let alike =
                cells.iter().all(|c| figures(c) == figures(cells[0])) && long <= short * 2 + 2;
            if !alike {
                return false;
            }
            let head = header[column].chars().count();
            header_differs |= figures(cells[0]) || head * 2 <= short || head >= long * 2;
        }
        header_differs
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::paste::classify::class_of;

    fn rows(text: &str) -> Vec<String> {
        let lines: Vec<PasteLine> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| PasteLine {
                number: i + 1,
                text: trim(l).to_string(),
            })
            .collect();
        let classes: Vec<Class> = lines.iter().map(|l| class_of(&l.text)).collect();
        cells(&lines, &classes, Some(0))
            .into_iter()
            .filter_map(|c| match c {
                Cell::RowStart(row) => Some(row),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn rows_split_by_tabs_spaces_or_bars_are_one_line_each() {
        let cases = [
            "工种\t名次\t姓名\n电工\t一等奖\t张三\n焊工\t二等奖\t李四",
            "工种    名次    姓名\n电工    一等奖    张三\n焊工    二等奖    李四",
            "工种\u{3000}\u{3000}名次\u{3000}\u{3000}姓名\n电工\u{3000}\u{3000}一等奖\u{3000}\u{3000}张三\n焊工\u{3000}\u{3000}二等奖\u{3000}\u{3000}李四",
            "工种 | 名次 | 姓名\n电工 | 一等奖 | 张三\n焊工 | 二等奖 | 李四",
        ];
        for text in cases {
            assert_eq!(
                rows(text),
                vec![
                    "工种 | 名次 | 姓名",
                    "电工 | 一等奖 | 张三",
                    "焊工 | 二等奖 | 李四"
                ],
                "case {text:?}"
            );
        }
    }

    #[test]
    fn a_table_laid_out_one_cell_a_line_finds_its_columns() {
        let three = "工作室名称\n领衔人\n所在企业\n\
                     刘某某电机装配创新工作室\n刘某某\n某某电机有限公司\n\
                     周某某服装工艺创新工作室\n周某某\n某某服饰有限公司";
        assert_eq!(
            rows(three),
            vec![
                "工作室名称 | 领衔人 | 所在企业",
                "刘某某电机装配创新工作室 | 刘某某 | 某某电机有限公司",
                "周某某服装工艺创新工作室 | 周某某 | 某某服饰有限公司",
            ]
        );
        let two =
            "补贴项目\n补贴标准\n结婚补贴\n每人800元\n生育补贴\n每胎1000元\n住院补贴\n每次500元";
        assert_eq!(
            rows(two),
            vec![
                "补贴项目 | 补贴标准",
                "结婚补贴 | 每人800元",
                "生育补贴 | 每胎1000元",
                "住院补贴 | 每次500元"
            ]
        );
    }

    #[test]
    fn a_list_under_a_lead_in_keeps_one_item_a_line() {
        let text =
            "命名单位名单如下：\n某某机场有限责任公司工会\n某某街道总工会\n某某商贸城工会联合会";
        assert_eq!(
            rows(text),
            vec![
                "某某机场有限责任公司工会",
                "某某街道总工会",
                "某某商贸城工会联合会"
            ]
        );
    }

    #[test]
    fn lines_that_are_no_table_stay_lines() {
        let cases = [
            // One line of menu items.
            "首页  工会动态  维权服务  职工之家",
            // Rows of different widths.
            "工种\t名次\n电工\t一等奖\t张三",
            // Cells holding sentences.
            "活动很成功。  大家很满意。\n比赛很激烈。  选手很努力。",
            // Keys of a panel padded to width.
            "名\u{3000}\u{3000}称：某某活动\n文\u{3000}\u{3000}号：某某",
            // Names with no header above them.
            "张三\n李四\n王五\n赵六\n孙七\n周八",
        ];
        for text in cases {
            assert!(rows(text).is_empty(), "case {text:?}: {:?}", rows(text));
        }
    }
}
