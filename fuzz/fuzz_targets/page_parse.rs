//! Any bytes as a newspaper page: the parser never panics or hangs, every
//! article it returns has a headline and a body, and each renders in full as
//! valid Telegram HTML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use union_news_bot::article::Article;
use union_news_bot::page::{self, PageDefaults, parse};
use union_news_bot::reply::Reply;
use union_news_bot::reply::text::full_article;
use union_news_testkit::telegram_html::render_checked;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let page = parse(&text, &PageDefaults::default());
    for parsed in &page.articles {
        assert!(
            !parsed.title.headline.trim().is_empty(),
            "an article without a headline"
        );
        let article = Article {
            id: page::article_id(&parsed.title.headline, &parsed.paragraphs),
            title: parsed.title.clone(),
            paragraphs: parsed.paragraphs.clone(),
            byline: parsed.byline.clone(),
            date: parsed.date,
            cities: Vec::new(),
            source: page.source.clone(),
        };
        let mut reply = Reply::default();
        reply.push(full_article(&article));
        if let Err(e) = render_checked(&reply) {
            panic!("{e}");
        }
    }
    for warning in &page.warnings {
        assert!(warning.line >= 1, "a warning on line 0");
    }
});
