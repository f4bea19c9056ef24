//! Answer quality, measured by the same code as `union-news-tools eval`, on
//! the dev questions (`../shared/corpus/dev/questions.tsv`) and on a held-out
//! set written separately from them (`tools/tests/heldout-questions.tsv`),
//! both over the shipped pages. The floors are issue 4's.

use std::path::Path;
use union_news_bot::desk::NewsDesk;
use union_news_tools::eval::{EvalReport, evaluate, parse_questions};

/// The least each measure must reach.
struct Floors {
    hit_at_1: f64,
    hit_at_3: f64,
    city_lists: f64,
    negatives: f64,
    answers: f64,
}

const ISSUE_FLOORS: Floors = Floors {
    hit_at_1: 0.90,
    hit_at_3: 0.97,
    city_lists: 0.95,
    // Issue 19: every set's negatives floor rose from 0.90 (0.85, 0.88) to 0.95.
    negatives: 0.95,
    answers: 0.85,
};

/// The workspace root, where the shipped sample pages are.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn measure(text: &str) -> EvalReport {
    let desk = NewsDesk::in_memory().expect("an in-memory desk");
    let added = desk
        .ingest()
        .sample_pages_if_empty(&root().join("data/pages"))
        .expect("the sample pages load");
    assert!(added > 40, "only {added} sample articles loaded");
    let report = evaluate(&desk, &parse_questions(text));
    eprintln!("{}", report.render());
    report
}

fn hold(report: &EvalReport, floors: &Floors) {
    let ranked = report.ranked();
    assert!(
        ranked.hit_at_1() >= floors.hit_at_1,
        "hit@1 {:.3}",
        ranked.hit_at_1()
    );
    assert!(
        ranked.hit_at_3() >= floors.hit_at_3,
        "hit@3 {:.3}",
        ranked.hit_at_3()
    );
    // For city lists, "hit@3" is all expected articles in order at the top.
    let city = report.kind("city").hit_at_3();
    assert!(city >= floors.city_lists, "city lists {city:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= floors.negatives, "negatives {negative:.3}");
    let answers = report.kind("question").answer_recall();
    assert!(answers >= floors.answers, "answers {answers:.3}");
}

#[test]
fn dev_questions_are_answered_first_time() {
    let path = root().join("../shared/corpus/dev/questions.tsv");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // CI always has shared/ beside the clone: a missing file there is a
        // broken set-up, not a reason to pass without measuring anything.
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("{} is missing in CI: {e}", path.display())
        }
        Err(e) => {
            eprintln!("{} not readable ({e}); skipped outside CI", path.display());
            return;
        }
    };
    hold(&measure(&text), &ISSUE_FLOORS);
}

#[test]
fn held_out_questions_are_answered_first_time() {
    let text = include_str!("heldout-questions.tsv");
    hold(&measure(text), &ISSUE_FLOORS);
}

/// Members' own words (`tests/data/heldout-members.tsv`, 194 questions
/// written apart from the code): issue 12's floors.
#[test]
fn members_own_words_meet_the_issue_floors() {
    let report = measure(include_str!("../../tests/data/heldout-members.tsv"));
    let ranked = report.ranked().hit_at_1();
    assert!(ranked >= 0.90, "ranked hit@1 {ranked:.3}");
    let body = report.subset_hit_at_1("body").expect("body-word searches");
    assert!(body >= 0.95, "body-word searches hit@1 {body:.3}");
    let agreement = report.paraphrase_agreement().expect("paraphrase pairs");
    assert!(
        agreement >= 0.90,
        "paraphrase pairs agreeing {agreement:.3}"
    );
    let answers = report.kind("question").answer_recall();
    assert!(answers >= 0.85, "answers {answers:.3}");
    let city = report.kind("city").hit_at_3();
    assert!(city >= 0.95, "city lists {city:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= 0.95, "negatives {negative:.3}");
    let chat = report.kind("chat").chat_accuracy();
    assert!(chat >= 1.0, "chat {chat:.3}");
    let followups = report.kind("followup").hit_at_1();
    assert!(followups >= 0.90, "follow-ups {followups:.3}");
    // Three results fit a phone screen.
    let p95 = report.visible_percentile(95.0);
    assert!(p95 <= 500, "visible reply length p95 {p95}");
}

/// A second set in members' words (`tests/data/heldout-members-2.tsv`,
/// written by someone who read no code, after the first set was in use):
/// what was reached on it is kept. It is harder than the first; the issue's
/// floors are not all met on it (see BENCHMARKS.md).
#[test]
fn a_second_members_set_keeps_what_was_reached() {
    let report = measure(include_str!("../../tests/data/heldout-members-2.tsv"));
    let ranked = report.ranked().hit_at_1();
    assert!(ranked >= 0.93, "ranked hit@1 {ranked:.3}");
    let body = report.subset_hit_at_1("body").expect("body-word searches");
    assert!(body >= 0.95, "body-word searches hit@1 {body:.3}");
    let city = report.kind("city").hit_at_3();
    assert!(city >= 0.95, "city lists {city:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= 0.95, "negatives {negative:.3}");
    let chat = report.kind("chat").chat_accuracy();
    assert!(chat >= 1.0, "chat {chat:.3}");
    let followups = report.kind("followup").hit_at_1();
    assert!(followups >= 0.90, "follow-ups {followups:.3}");
}

/// Question words and particles, Mandarin and Cantonese: never named as
/// a topic the archive lacks (未找到：几多).
const QUESTION_WORDS: &[&str] = &[
    "几多",
    "几耐",
    "几时",
    "边个",
    "边度",
    "边间",
    "边位",
    "点样",
    "点解",
    "点搞",
    "咩",
    "乜",
    "乜嘢",
    "咩嘢",
    "嘅",
    "咗",
    "啲",
    "㗎",
    "嚟",
    "喺",
    "係",
    "系",
    "冇",
    "唔",
    "嘢",
    "咁",
    "佢",
    "嗰",
    "呢",
    "喎",
    "吖",
    "啦",
    "咯",
    "嘞",
    "什么",
    "多少",
    "哪里",
    "哪个",
    "谁",
    "怎么",
    "怎样",
    "为什么",
    "吗",
    "呢",
    "啊",
    "呀",
    "的",
    "了",
    "是",
    "不",
    "没有",
    "有没有",
    "是不是",
    "真的",
    "起码",
    "最多",
    "几成",
];

/// The floors of a Guangdong set: ranked hit@1 and answers as given;
/// negatives 0.95, small talk and wishes 1.0, follow-ups 0.90.
fn hold_guangdong(report: &EvalReport, hit_at_1: f64, answers: f64) {
    let ranked = report.ranked().hit_at_1();
    assert!(ranked >= hit_at_1, "ranked hit@1 {ranked:.3}");
    let recall = report.kind("question").answer_recall();
    assert!(recall >= answers, "answers {recall:.3}");
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= 0.95, "negatives {negative:.3}");
    for kind in ["chat", "subscribe", "unsubscribe"] {
        let right = report.kind(kind).chat_accuracy();
        assert!(right >= 1.0, "{kind} {right:.3}");
    }
    let followups = report.kind("followup").hit_at_1();
    assert!(followups >= 0.90, "follow-ups {followups:.3}");
}

/// Members in Guangdong (`tests/data/heldout-guangdong.tsv`, 256 messages
/// written apart from the code in their ways of writing: Cantonese forms,
/// homophone typos, voice run-ons, forwarded claims, captions, small talk,
/// wishes, follow-ups, questions the news cannot answer): issue 19's floors.
#[test]
fn members_in_guangdong_meet_the_issue_floors() {
    let report = measure(include_str!("../../tests/data/heldout-guangdong.tsv"));
    hold_guangdong(&report, 0.92, 0.85);
    let city = report.kind("city").hit_at_3();
    assert!(city >= 0.95, "city lists {city:.3}");
    // Questions the news cannot answer say where to ask instead.
    for (id, reply) in report
        .replies
        .iter()
        .filter(|(id, _)| id.starts_with("neg-rights"))
    {
        assert!(
            reply.contains("12351") || reply.contains("热线"),
            "{id}: {reply}"
        );
    }
}

/// A second set in Guangdong members' ways of writing
/// (`tests/data/heldout-guangdong-2.tsv`, written apart from the code and
/// from the first; its first score, on the first commit of issue 19, was
/// chat 0.72, negatives 0.886, follow-ups 0.85): what was reached is kept.
#[test]
fn a_second_guangdong_set_keeps_what_was_reached() {
    let report = measure(include_str!("../../tests/data/heldout-guangdong-2.tsv"));
    hold_guangdong(&report, 0.95, 0.90);
}

/// No reply of any set names a question word or particle as not found.
#[test]
fn no_reply_names_a_question_word_as_not_found() {
    let mut named = Vec::new();
    for set in [
        include_str!("../../tests/data/heldout-guangdong.tsv"),
        include_str!("../../tests/data/heldout-guangdong-2.tsv"),
        include_str!("../../tests/data/heldout-members.tsv"),
        include_str!("../../tests/data/heldout-members-2.tsv"),
        include_str!("heldout-questions.tsv"),
    ] {
        let report = measure(set);
        named.extend(
            report
                .named_missing
                .into_iter()
                .filter(|(_, word)| QUESTION_WORDS.contains(&word.as_str())),
        );
    }
    assert!(
        named.is_empty(),
        "question words named as not found: {named:?}"
    );
}
