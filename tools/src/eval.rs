//! Answer-quality evaluation: a questions file (`id kind query expect
//! answer`, tab-separated, see the corpus's FORMAT.md) run through the same
//! path as a chat message, with figures per kind of question.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::{Block, Reply, to_html, to_plain};
use union_news_bot::request::Sender;
use union_news_testkit::telegram_html::visible_text;

/// One line of a questions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalQuestion {
    /// Its id (`dev-001`).
    pub id: String,
    /// `search`, `question`, `city`, `trad`, `pinyin`, `typo`, `negative` or `chat`.
    pub kind: String,
    /// What the member types.
    pub query: String,
    /// Key phrases of the expected headlines, in order.
    pub expect: Vec<String>,
    /// Words or figures a good reply contains.
    pub answer: Vec<String>,
}

/// Reads a questions file; lines with too few fields are skipped.
pub fn parse_questions(text: &str) -> Vec<EvalQuestion> {
    let split = |s: &str| -> Vec<String> {
        s.split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return None;
            }
            let field = |i: usize| f.get(i).copied().unwrap_or("");
            Some(EvalQuestion {
                id: field(0).trim().to_string(),
                kind: field(1).trim().to_string(),
                query: field(2).to_string(),
                expect: split(field(3)),
                answer: split(field(4)),
            })
        })
        .collect()
}

/// Figures for one kind of question (or all).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindScore {
    /// Questions of this kind.
    pub questions: usize,
    /// Questions whose expected article came first.
    pub hit1: usize,
    /// Questions whose expected article was in the top 3 (city: all expected in order at the top).
    pub hit3: usize,
    /// Sum of reciprocal ranks of the expected article.
    pub reciprocal_ranks: f64,
    /// Answer items expected and found in the reply text.
    pub answers_expected: usize,
    /// Answer items found.
    pub answers_found: usize,
    /// Negative questions answered with "nothing found".
    pub negatives_right: usize,
    /// Chat messages (你好, 怎么用) answered with a greeting or the help.
    pub chat_right: usize,
}

impl KindScore {
    fn ratio(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    }

    /// Share of questions with the expected article first.
    pub fn hit_at_1(&self) -> f64 {
        Self::ratio(self.hit1, self.questions)
    }

    /// Share with the expected article in the top 3.
    pub fn hit_at_3(&self) -> f64 {
        Self::ratio(self.hit3, self.questions)
    }

    /// Mean reciprocal rank.
    pub fn mrr(&self) -> f64 {
        if self.questions == 0 {
            0.0
        } else {
            self.reciprocal_ranks / self.questions as f64
        }
    }

    /// Share of answer items found.
    pub fn answer_recall(&self) -> f64 {
        Self::ratio(self.answers_found, self.answers_expected)
    }

    /// Share of negative questions answered with "nothing found".
    pub fn negative_accuracy(&self) -> f64 {
        Self::ratio(self.negatives_right, self.questions)
    }

    /// Share of chat messages answered with a greeting or the help (for
    /// `subscribe` and `unsubscribe`: with the offer or the command).
    pub fn chat_accuracy(&self) -> f64 {
        Self::ratio(self.chat_right, self.questions)
    }

    fn add(&mut self, other: &KindScore) {
        self.questions += other.questions;
        self.hit1 += other.hit1;
        self.hit3 += other.hit3;
        self.reciprocal_ranks += other.reciprocal_ranks;
        self.answers_expected += other.answers_expected;
        self.answers_found += other.answers_found;
        self.negatives_right += other.negatives_right;
        self.chat_right += other.chat_right;
    }
}

/// The result of an evaluation run.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Figures per kind.
    pub per_kind: BTreeMap<String, KindScore>,
    /// Questions that failed, with what came first instead.
    pub failures: Vec<String>,
    /// Time to answer each question.
    pub latencies: Vec<Duration>,
    /// Characters of each reply as the member sees it in Telegram (all its
    /// messages, tags removed, entities decoded).
    pub visible_chars: Vec<usize>,
    /// Per ranked question id: the first title shown, if any, and whether
    /// it was the expected one.
    pub firsts: BTreeMap<String, (Option<String>, bool)>,
    /// Every word a reply named as not found (未找到：…, 没有找到关于「…」),
    /// with the id of its question.
    pub named_missing: Vec<(String, String)>,
    /// The plain text of each reply, by question id.
    pub replies: BTreeMap<String, String>,
}

impl EvalReport {
    /// Figures over the ranked kinds (everything but `city`, `negative`,
    /// `chat`, `subscribe` and `unsubscribe`).
    pub fn ranked(&self) -> KindScore {
        let mut total = KindScore::default();
        for (kind, score) in &self.per_kind {
            if !UNRANKED.contains(&kind.as_str()) {
                total.add(score);
            }
        }
        total
    }

    /// Figures of one kind (empty when there is none).
    pub fn kind(&self, kind: &str) -> KindScore {
        self.per_kind.get(kind).cloned().unwrap_or_default()
    }

    /// Share of the ranked questions whose id starts with `prefix` (`body`)
    /// that found the expected article first; `None` when there are none.
    pub fn subset_hit_at_1(&self, prefix: &str) -> Option<f64> {
        let hits: Vec<bool> = self
            .firsts
            .iter()
            .filter(|(id, _)| id.starts_with(prefix))
            .map(|(_, (_, hit))| *hit)
            .collect();
        (!hits.is_empty()).then(|| hits.iter().filter(|h| **h).count() as f64 / hits.len() as f64)
    }

    /// Share of paraphrase pairs (`para-001a` and `para-001b`) whose two
    /// questions found the same article first; `None` when there are none.
    pub fn paraphrase_agreement(&self) -> Option<f64> {
        let mut pairs = 0;
        let mut agree = 0;
        for (id, (first, _)) in &self.firsts {
            let Some(stem) = id.strip_suffix('a').filter(|s| s.starts_with("para")) else {
                continue;
            };
            let Some((other, _)) = self.firsts.get(&format!("{stem}b")) else {
                continue;
            };
            pairs += 1;
            agree += usize::from(first.is_some() && first == other);
        }
        (pairs > 0).then(|| agree as f64 / pairs as f64)
    }

    /// The visible length of replies at a percentile (0–100), in characters.
    pub fn visible_percentile(&self, percentile: f64) -> usize {
        let mut sorted = self.visible_chars.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0;
        }
        let rank = ((percentile / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    /// The answer-path latency at a percentile (0–100).
    pub fn latency_percentile(&self, percentile: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((percentile / 100.0) * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    /// The report as a table.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<10} {:>4} {:>7} {:>7} {:>7} {:>9} {:>9}",
            "kind", "n", "hit@1", "hit@3", "MRR", "answers", "neg/chat"
        );
        let row = |out: &mut String, name: &str, s: &KindScore| {
            let answers = if s.answers_expected > 0 {
                format!("{:.3}", s.answer_recall())
            } else {
                "-".into()
            };
            let negative = match name {
                "negative" => format!("{:.3}", s.negative_accuracy()),
                "chat" | "subscribe" | "unsubscribe" => format!("{:.3}", s.chat_accuracy()),
                _ => "-".into(),
            };
            let _ = writeln!(
                out,
                "{:<10} {:>4} {:>7.3} {:>7.3} {:>7.3} {:>9} {:>9}",
                name,
                s.questions,
                s.hit_at_1(),
                s.hit_at_3(),
                s.mrr(),
                answers,
                negative
            );
        };
        for (kind, score) in &self.per_kind {
            row(&mut out, kind, score);
        }
        row(&mut out, "ranked", &self.ranked());
        if let Some(body) = self.subset_hit_at_1("body") {
            let _ = writeln!(out, "body-word searches: hit@1 {body:.3}");
        }
        if let Some(agreement) = self.paraphrase_agreement() {
            let _ = writeln!(out, "paraphrase pairs agreeing: {agreement:.3}");
        }
        let _ = writeln!(
            out,
            "answer path latency: p50 {:.2} ms, p99 {:.2} ms over {} questions",
            self.latency_percentile(50.0).as_secs_f64() * 1000.0,
            self.latency_percentile(99.0).as_secs_f64() * 1000.0,
            self.latencies.len()
        );
        let _ = writeln!(
            out,
            "visible reply length: median {} characters, p95 {}",
            self.visible_percentile(50.0),
            self.visible_percentile(95.0)
        );
        if !self.failures.is_empty() {
            let _ = writeln!(out, "failed ({}):", self.failures.len());
            for failure in &self.failures {
                let _ = writeln!(out, "  {failure}");
            }
        }
        out
    }
}

/// How many characters a reply shows in Telegram: its HTML messages with
/// tags removed and entities decoded, as the member reads them.
pub fn visible_chars(reply: &Reply) -> usize {
    to_html(reply)
        .iter()
        .map(|m| visible_text(m).map_or_else(|_| m.chars().count(), |t| t.chars().count()))
        .sum()
}

/// The item titles of each section of a reply (a heading starts one).
pub fn section_titles(reply: &Reply) -> Vec<Vec<String>> {
    let mut sections: Vec<Vec<String>> = vec![Vec::new()];
    for block in &reply.blocks {
        match block {
            Block::Heading(_) => sections.push(Vec::new()),
            Block::Item(item) => sections
                .last_mut()
                .expect("one section")
                .push(item.title.clone()),
            _ => {}
        }
    }
    sections.retain(|s| !s.is_empty());
    sections
}

/// The kinds that are not ranked by a first article.
const UNRANKED: [&str; 5] = ["city", "negative", "chat", "subscribe", "unsubscribe"];

/// The words a reply names as not found: `未找到：甲、乙（…` and
/// `没有找到关于「甲」、「乙」的报道`.
pub fn named_as_missing(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.split_once("未找到：").map(|(_, r)| r) {
            let list = rest.split('（').next().unwrap_or("");
            words.extend(
                list.split('、')
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .map(String::from),
            );
        }
        if let Some(rest) = line.split_once("没有找到关于").map(|(_, r)| r) {
            let list = rest.split("的报道").next().unwrap_or("");
            words.extend(
                list.split('、')
                    .map(|w| w.trim().trim_start_matches('「').trim_end_matches('」'))
                    .filter(|w| !w.is_empty())
                    .map(String::from),
            );
        }
    }
    words
}

/// What separates the two messages of a `followup` question.
pub const FOLLOW_UP_ARROW: &str = "⟶";

/// Runs every question through [`NewsDesk::reply_to`], each from its own
/// member in their own chat, and scores the replies. A `followup` question
/// (`FIRST ⟶ SECOND`) sends both messages in one chat and is judged on the
/// reply to the second.
pub fn evaluate(desk: &NewsDesk, questions: &[EvalQuestion]) -> EvalReport {
    let mut report = EvalReport::default();
    for (n, q) in questions.iter().enumerate() {
        let member = Sender::member(1_000 + n as i64, Some(1_000 + n as i64));
        let mut message = q.query.as_str();
        if q.kind == "followup"
            && let Some((first, second)) = q.query.split_once(FOLLOW_UP_ARROW)
        {
            desk.reply_to(&member, first.trim());
            message = second.trim();
        }
        let started = Instant::now();
        let reply = desk.reply_to(&member, message);
        report.latencies.push(started.elapsed());
        report.visible_chars.push(visible_chars(&reply));
        let titles = reply.item_titles();
        let plain = to_plain(&reply);
        for word in named_as_missing(&plain) {
            report.named_missing.push((q.id.clone(), word));
        }
        report.replies.insert(q.id.clone(), plain.clone());
        let score = report.per_kind.entry(q.kind.clone()).or_default();
        score.questions += 1;
        let first = titles
            .first()
            .cloned()
            .unwrap_or_else(|| "（无结果）".into());
        // Talk and wishes are judged by what the reply offers, not by articles.
        let talk_right = match q.kind.as_str() {
            "chat" => Some(
                !plain.contains("没有找到")
                    && (plain.contains("可以这样问我") || plain.contains("/help")),
            ),
            "subscribe" | "unsubscribe" => {
                let command = format!("/{}", q.kind);
                let place = q.expect.first().is_none_or(|p| plain.contains(p.as_str()));
                let offered = plain.contains(&command)
                    || (q.kind == "unsubscribe" && plain.contains("没有订阅"));
                Some(offered && place)
            }
            _ => None,
        };
        if let Some(right) = talk_right {
            if titles.is_empty() && right {
                score.chat_right += 1;
            } else {
                report.failures.push(format!(
                    "{} {} → {}",
                    q.id,
                    q.query,
                    plain.lines().next().unwrap_or("")
                ));
            }
            continue;
        }
        if q.kind == "negative" {
            if titles.is_empty() {
                score.negatives_right += 1;
            } else {
                report
                    .failures
                    .push(format!("{} {} → {first}", q.id, q.query));
            }
            continue;
        }
        let Some(expected) = q.expect.first() else {
            continue;
        };
        let position = |phrase: &str| titles.iter().position(|t| t.contains(phrase));
        let rank = position(expected);
        // A city list is read from its own section: `/city 番禺` shows
        // 番禺's own articles above 广州's list, and either may be meant.
        let in_order = section_titles(&reply).iter().any(|section| {
            q.expect
                .iter()
                .enumerate()
                .all(|(i, phrase)| section.get(i).is_some_and(|t| t.contains(phrase.as_str())))
        });
        let hit1 = if q.kind == "city" {
            in_order
        } else {
            rank == Some(0)
        };
        report
            .firsts
            .insert(q.id.clone(), (titles.first().cloned(), hit1));
        let hit3 = if q.kind == "city" {
            in_order
        } else {
            rank.is_some_and(|r| r < 3)
        };
        score.hit1 += usize::from(hit1);
        score.hit3 += usize::from(hit3);
        score.reciprocal_ranks += rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        if !hit1 || !hit3 {
            report
                .failures
                .push(format!("{} {} → {first}", q.id, q.query));
        }
        if !q.answer.is_empty() {
            let text = to_plain(&reply);
            score.answers_expected += q.answer.len();
            let found = q
                .answer
                .iter()
                .filter(|a| text.contains(a.as_str()))
                .count();
            score.answers_found += found;
            if found < q.answer.len() {
                report.failures.push(format!(
                    "{} {}: answer {:?} missing",
                    q.id, q.query, q.answer
                ));
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_files_are_read_by_their_columns() {
        let text = "id\tkind\tquery\texpect\tanswer\n\
                    q1\tquestion\t几个?\t甲|乙\t3个\n\
                    q2\tnegative\t没有\t\t\n\
                    broken line\n";
        let questions = parse_questions(text);
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].expect, ["甲", "乙"]);
        assert_eq!(questions[0].answer, ["3个"]);
        assert!(questions[1].expect.is_empty());
    }

    #[test]
    fn scores_count_hits_ranks_answers_and_negatives() {
        let desk = NewsDesk::in_memory().unwrap();
        desk.ingest()
            .text(
                "# 番禺区326名外卖骑手集中入会\n\n本报讯 11月5日,番禺区326名外卖骑手集中入会。\n",
                "test",
                &union_news_bot::page::PageDefaults {
                    issue_date: "2023-11-08".parse().ok(),
                    ..Default::default()
                },
            )
            .unwrap();
        let questions = parse_questions(
            "id\tkind\tquery\texpect\tanswer\n\
             a\tquestion\t番禺有多少外卖骑手入会\t外卖骑手\t326\n\
             b\tnegative\t火星基地\t\t\n\
             c\tsearch\t外卖骑手\t不存在的标题\t\n\
             d\tchat\t你好呀\t\t\n\
             e\tchat\t外卖骑手\t\t\n",
        );
        let report = evaluate(&desk, &questions);
        let question = report.kind("question");
        assert_eq!((question.hit1, question.answers_found), (1, 1));
        assert_eq!(report.kind("negative").negatives_right, 1);
        assert_eq!(report.kind("search").hit1, 0);
        assert_eq!(report.kind("chat").chat_right, 1, "{:?}", report.failures);
        assert_eq!(report.failures.len(), 2, "{:?}", report.failures);
        assert!(report.render().contains("ranked"));
        assert_eq!(report.latencies.len(), 5);
        assert_eq!(report.visible_chars.len(), 5);
        assert!(report.render().contains("visible reply length"));
        let short = Reply::text("<b>工会</b> & 职工");
        assert_eq!(visible_chars(&short), "<b>工会</b> & 职工".chars().count());
    }

    #[test]
    fn subsets_paraphrase_pairs_and_follow_ups_are_scored() {
        let desk = NewsDesk::in_memory().unwrap();
        desk.ingest()
            .text(
                "# 番禺区326名外卖骑手集中入会\n\n本报讯 11月5日,番禺区326名外卖骑手集中入会。\n",
                "test",
                &Default::default(),
            )
            .unwrap();
        let questions = parse_questions(
            "id\tkind\tquery\texpect\tanswer\n\
             body-1\tsearch\t外卖骑手\t集中入会\t\n\
             para-1a\tquestion\t番禺骑手入会\t集中入会\t\n\
             para-1b\tquestion\t番禺送外卖的入工会\t集中入会\t\n\
             para-2a\tquestion\t番禺骑手入会\t集中入会\t\n\
             para-2b\tquestion\t火星基地\t集中入会\t\n\
             fu-1\tfollowup\t番禺外卖骑手入会 ⟶ 有多少人参加\t集中入会\t326\n",
        );
        let report = evaluate(&desk, &questions);
        assert_eq!(report.subset_hit_at_1("body"), Some(1.0));
        assert_eq!(report.subset_hit_at_1("nothing"), None);
        assert_eq!(report.paraphrase_agreement(), Some(0.5));
        let followup = report.kind("followup");
        assert_eq!(
            (followup.hit1, followup.answers_found),
            (1, 1),
            "{:?}",
            report.failures
        );
    }
}
