//! Any text as a chat message, from a member, an admin or the console, to a
//! desk holding the shipped pages: the whole core path (request parsing,
//! query understanding, search, summaries, pushes, rendering) never panics
//! or hangs, and every reply is non-empty valid Telegram HTML within the
//! limits, with button data that fits Telegram's 64 bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use teloxide::types::InlineKeyboardButtonKind;
use union_news_bot::desk::NewsDesk;
use union_news_bot::request::{Request, Sender};
use union_news_bot::telegram::callback::{CALLBACK_DATA_LIMIT, Callback, keyboard_for};
use union_news_testkit::telegram_html::render_checked;

fn desk() -> &'static NewsDesk {
    static DESK: OnceLock<NewsDesk> = OnceLock::new();
    DESK.get_or_init(|| {
        let desk = NewsDesk::in_memory().expect("an in-memory desk");
        let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/pages");
        desk.ingest()
            .sample_pages_if_empty(&pages)
            .expect("the shipped pages load");
        desk
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&who, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let sender = match who % 4 {
        0 => Sender::operator(),
        1 => Sender::admin(7, 7),
        _ => Sender::member(i64::from(who), Some(i64::from(who))),
    };
    let reply = if who % 4 == 3 {
        // A member pressing 下一页 under the results for this text.
        let request = Request::search(&text, usize::from(who / 4 % 3) + 1);
        desk().handle(&sender, request)
    } else {
        desk().reply_to(&sender, &text)
    };
    let visible = render_checked(&reply).unwrap_or_else(|e| panic!("{e}"));
    assert!(!visible.is_empty(), "no message for {text:?}");
    let buttons = keyboard_for(&reply, true)
        .map(|k| k.inline_keyboard)
        .unwrap_or_default();
    for button in buttons.iter().flatten() {
        if let InlineKeyboardButtonKind::CallbackData(data) = &button.kind {
            assert!(data.len() <= CALLBACK_DATA_LIMIT, "button data {data:?}");
            assert!(Callback::decode(data).is_some(), "undecodable {data:?}");
        }
    }
});
