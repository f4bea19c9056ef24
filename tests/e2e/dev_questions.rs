//! Answer quality on the dev questions (`../shared/corpus/dev/questions.tsv`),
//! measured by the same code as `union-news-bot eval`; floors hold what was reached.

use crate::world::TestWorld;
use std::path::Path;
use union_news_bot::eval::{evaluate, parse_questions};

#[test]
fn dev_questions_put_the_expected_article_first() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dev/questions.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "{} not found beside the repository; skipped",
            path.display()
        );
        return;
    };
    let world = TestWorld::new();
    let report = evaluate(&world.desk, &parse_questions(&text));
    eprintln!("{}", report.render());
    let ranked = report.ranked();
    assert!(ranked.hit_at_1() >= 0.90, "hit@1 {:.3}", ranked.hit_at_1());
    assert!(ranked.hit_at_3() >= 0.90, "hit@3 {:.3}", ranked.hit_at_3());
    assert!(
        report.kind("city").hit_at_3() >= 0.95,
        "city lists {:.3}",
        report.kind("city").hit_at_3()
    );
    let negative = report.kind("negative").negative_accuracy();
    assert!(negative >= 0.90, "negatives {negative:.3}");
    let answers = report.kind("question").answer_recall();
    assert!(answers >= 0.75, "answers {answers:.3}");
}
