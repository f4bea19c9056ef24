//! Measurements behind `scripts/bench.sh` (`union-news-bot bench …`): each
//! prints one line of JSON for the report. Nothing here is used by the bot.

use crate::eval::parse_questions;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use union_news_bot::desk::{NewsDesk, page_files};
use union_news_bot::page::{self, PageDefaults};
use union_news_bot::reply::to_html;
use union_news_bot::request::Sender;

/// Latency figures of a series of timed runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// How many runs.
    pub count: usize,
    /// Median, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Runs per second of wall time, one after another on one thread.
    pub per_second: f64,
}

impl Latency {
    /// Figures of a series of durations (in the order they ran).
    pub fn of(times: &[Duration]) -> Latency {
        let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            if ms.is_empty() {
                0.0
            } else {
                ms[((ms.len() - 1) as f64 * q).round() as usize]
            }
        };
        let total: f64 = ms.iter().sum();
        Latency {
            count: ms.len(),
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            per_second: if total > 0.0 {
                ms.len() as f64 * 1e3 / total
            } else {
                0.0
            },
        }
    }

    fn json(&self) -> String {
        format!(
            "\"count\":{},\"p50_ms\":{:.3},\"p99_ms\":{:.3},\"per_second\":{:.1}",
            self.count, self.p50_ms, self.p99_ms, self.per_second
        )
    }
}

/// Raw jieba-rs search-mode segmentation (`cut_for_search` with HMM, its
/// stock dictionary) of the page files' text: the yardstick for ingest.
pub fn segment(paths: &[PathBuf]) -> String {
    let texts = read_pages(paths);
    let bytes: usize = texts.iter().map(String::len).sum();
    let jieba = jieba_rs::Jieba::new();
    let start = Instant::now();
    let mut words = 0usize;
    for text in &texts {
        words += jieba.cut_for_search(text, true).len();
    }
    let seconds = start.elapsed().as_secs_f64();
    format!(
        "{{\"bytes\":{bytes},\"words\":{words},\"seconds\":{seconds:.3},\"mb_per_s\":{:.3}}}",
        bytes as f64 / 1e6 / seconds
    )
}

/// The whole answer path (message text → Telegram HTML) for every query of
/// questions files, after one warm-up pass; one thread.
pub fn answers(desk: &NewsDesk, questions: &[PathBuf], rounds: usize) -> String {
    let queries: Vec<String> = questions
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .flat_map(|text| parse_questions(&text))
        .map(|q| q.query)
        .collect();
    let answer = |query: &str| to_html(&desk.reply_to(&Sender::member(1, Some(1)), query)).len();
    for query in &queries {
        answer(query);
    }
    let mut times = Vec::with_capacity(queries.len() * rounds);
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for _ in 0..rounds.max(1) {
        for query in &queries {
            let start = Instant::now();
            std::hint::black_box(answer(query));
            let took = start.elapsed();
            times.push(took);
            slowest.push((took, query));
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, query) in slowest.iter().take(8) {
        eprintln!("slow: {:.2} ms  {query}", took.as_secs_f64() * 1e3);
    }
    format!(
        "{{{},\"rss_mb\":{:.1}}}",
        Latency::of(&times).json(),
        peak_rss_mb()
    )
}

/// Admin pushes of one-article pages: from the push until a member's search
/// for this week's news with its lede's first sentence (`这几天 …`; the generated
/// archive repeats sentences across years) finds the new article. The pushed articles are
/// retracted afterwards. Beside it, `near`: the part of a push that looks for a
/// stored article the page nearly copies (its signature and the band lookup).
pub fn push(desk: &NewsDesk, sources: &[PathBuf], count: usize) -> anyhow::Result<String> {
    let today = desk.time().today();
    // Other pages each run: a page pushed (and retracted) by an earlier run
    // would be known, and measure nothing.
    let seed = 0xB0B ^ desk.time().unix() as u64;
    let pages = crate::synth::sample_pages(sources, count, seed, today)?;
    let mut times = Vec::with_capacity(count);
    let mut near = Vec::with_capacity(count);
    let mut pushed = Vec::new();
    let defaults = union_news_bot::page::PageDefaults {
        today: Some(today),
        received: Some(today),
        ..Default::default()
    };
    for (text, query) in &pages {
        let parsed = union_news_bot::page::parse(text, &defaults);
        if let Some(article) = parsed.articles.first() {
            let start = Instant::now();
            desk.ingest()
                .near_copy_of(&article.title.headline, &article.paragraphs)?;
            near.push(start.elapsed());
        }
        let start = Instant::now();
        let report = desk.editions().push(text, "bench", None, 0, 0)?;
        let ids: Vec<_> = report
            .articles
            .iter()
            .filter(|a| a.is_new)
            .map(|a| a.id.clone())
            .collect();
        loop {
            let found = desk.search_ids(&format!("这几天 {query}"), 100)?;
            if ids.iter().all(|id| found.contains(id)) || start.elapsed() > Duration::from_secs(10)
            {
                break;
            }
        }
        if start.elapsed() > Duration::from_secs(10) {
            eprintln!("push not found by its lede: {query}");
        }
        times.push(start.elapsed());
        pushed.extend(ids);
    }
    for id in &pushed {
        desk.editions().retract(id, 0)?;
    }
    Ok(format!(
        "{{{},\"near\":{{{}}}}}",
        Latency::of(&times).json(),
        Latency::of(&near).json()
    ))
}

/// Every stored article as a line of JSON (`id`, `title`, `body`), for the
/// comparison with other search libraries.
pub fn export(desk: &NewsDesk, out: &Path) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Write;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let mut count = 0;
    let mut failure = None;
    desk.for_each_article(|article| {
        let line = serde_json::json!({
            "id": article.id.as_str(),
            "title": article.title.lines().join(" "),
            "body": article.body_text(),
        });
        if let Err(e) = writeln!(writer, "{line}") {
            failure.get_or_insert(e);
        }
        count += 1;
        Ok(())
    })?;
    if let Some(e) = failure {
        return Err(e).with_context(|| format!("cannot write {}", out.display()));
    }
    writer.flush()?;
    Ok(format!("{{\"articles\":{count}}}"))
}

/// Parse-only throughput of page files (no store, no index), for profiling ingest.
pub fn parse(paths: &[PathBuf]) -> String {
    let texts = read_pages(paths);
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = Instant::now();
    let articles: usize = texts
        .iter()
        .map(|t| page::parse(t, &PageDefaults::default()).articles.len())
        .sum();
    let seconds = start.elapsed().as_secs_f64();
    format!(
        "{{\"bytes\":{bytes},\"articles\":{articles},\"seconds\":{seconds:.3},\"mb_per_s\":{:.3}}}",
        bytes as f64 / 1e6 / seconds
    )
}

/// The text of every page file under the paths (unreadable files skipped).
fn read_pages(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .flat_map(|p| page_files(p))
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

/// The process's peak resident memory so far, in MB (Linux; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_percentiles_come_from_the_sorted_times() {
        let times: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let l = Latency::of(&times);
        assert_eq!(l.count, 100);
        assert_eq!(l.p50_ms.round(), 51.0);
        assert_eq!(l.p99_ms.round(), 99.0);
        assert!((l.per_second - 100.0 / 5.05).abs() < 0.01);
        assert_eq!(Latency::of(&[]).count, 0);
    }
}
