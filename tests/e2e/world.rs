//! `TestWorld`: a temporary data folder with the shipped sample pages loaded,
//! and the helpers that drive the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use union_news_bot::clock::{BotTime, DEFAULT_TIME_ZONE, ManualClock, zone_named};
use union_news_bot::config::AdminIds;
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::{Reply, to_plain};
use union_news_bot::request::Sender;
use union_news_bot::telegram::BotContext;

/// The repository's shipped sample pages.
pub fn sample_pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pages")
}

/// The one world every end-to-end test builds on: a data folder of its own
/// (named after the test), the desk opened on it with the sample pages
/// loaded, and on demand the Telegram stack over the same desk
/// ([`TestWorld::bot`]). Questions are asked as a member unless a test says
/// it is an admin.
pub struct TestWorld {
    dir: tempfile::TempDir,
    pub desk: Arc<NewsDesk>,
    /// The clock the desk reads: it shows the real time at the start and
    /// moves only when a test moves it.
    pub clock: Arc<ManualClock>,
}

/// The admin's Telegram user id in every world's bot.
pub const ADMIN: u64 = 777;
/// The member every plain question comes from.
pub const MEMBER: i64 = 100;

impl TestWorld {
    /// A world named `name` with the sample pages ingested.
    pub fn new(name: &str) -> Self {
        let world = TestWorld::empty(name);
        let added = world
            .desk
            .ingest()
            .sample_pages_if_empty(&sample_pages())
            .expect("load sample pages");
        assert!(added > 40, "{name}: only {added} sample articles loaded");
        world
    }

    /// A world named `name` with nothing stored. Pushes go out at once
    /// (no hold), as with `PUSH_HOLD=0`.
    pub fn empty(name: &str) -> Self {
        TestWorld::with_hold(name, 0)
    }

    /// A world named `name` with nothing stored whose pushes are held
    /// `hold_secs` seconds before their deliveries.
    pub fn with_hold(name: &str, hold_secs: i64) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{name}-"))
            .tempdir()
            .expect("temp dir");
        let clock = Arc::new(ManualClock::at(chrono::Utc::now()));
        let desk = TestWorld::open_desk(dir.path(), &clock, hold_secs);
        TestWorld {
            dir,
            desk: Arc::new(desk),
            clock,
        }
    }

    /// The desk on this world's folder opened again, as after a restart
    /// (the clock and hold kept).
    pub fn reopen(&mut self, hold_secs: i64) {
        let desk = TestWorld::open_desk(self.dir.path(), &self.clock, hold_secs);
        self.desk = Arc::new(desk);
    }

    fn open_desk(dir: &Path, clock: &Arc<ManualClock>, hold_secs: i64) -> NewsDesk {
        let zone = zone_named(DEFAULT_TIME_ZONE).expect("the default zone");
        NewsDesk::open(dir)
            .expect("open desk")
            .with_time(BotTime::new(clock.clone(), zone))
            .with_push_hold(hold_secs)
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The desk's reply to a member's message.
    pub fn ask(&self, message: &str) -> Reply {
        self.ask_as(&Sender::member(MEMBER, Some(MEMBER)), message)
    }

    /// The desk's reply to a message from `sender`.
    pub fn ask_as(&self, sender: &Sender, message: &str) -> Reply {
        self.desk.reply_to(sender, message)
    }

    /// The desk's reply to the admin's message.
    pub fn ask_as_admin(&self, message: &str) -> Reply {
        self.ask_as(&Sender::admin(ADMIN as i64, ADMIN as i64), message)
    }

    /// The plain text of the desk's reply to the admin.
    pub fn ask_plain_as_admin(&self, message: &str) -> String {
        to_plain(&self.ask_as_admin(message))
    }

    /// The plain text of the desk's reply to a member.
    pub fn ask_plain(&self, message: &str) -> String {
        to_plain(&self.ask(message))
    }

    /// The bot's handler context over this world's desk, with [`ADMIN`] as
    /// its admin: what `teloxide_tests` runs the real update tree with.
    pub fn bot(&self) -> BotContext {
        BotContext::new(self.desk.clone(), AdminIds::parse(&ADMIN.to_string()).0)
    }
}

/// The titles of the items a reply lists, in order.
pub fn titles(reply: &Reply) -> Vec<String> {
    reply.item_titles()
}

/// The binary under test, with its data folder and no Telegram token.
pub fn binary(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_union-news-bot"));
    command
        .env("DATA_DIR", data_dir)
        .env("PAGES_DIR", sample_pages())
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "warn")
        .env("PUSH_HOLD", "0")
        .current_dir(data_dir);
    command
}

/// What a run of the binary printed on standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs the binary with arguments and standard input; returns its output.
pub fn run(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = binary(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("binary output")
}

/// Serves `body` as a GBK web page to every request, on a loopback port.
pub fn serve_gbk_page(body: String) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (bytes, _, _) = encoding_rs::GBK.encode(&body);
    let bytes = bytes.into_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                bytes.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&bytes);
        }
    });
    port
}

/// The real handler tree over a mock Bot API (teloxide_tests).
pub type TestBot = teloxide_tests::MockBot<
    union_news_bot::telegram::HandlerError,
    teloxide_tests::mock_bot::DistributionKey,
>;

/// A text message from `user` in their private chat with the bot.
pub fn private(user: u64, text: &str) -> teloxide_tests::MockMessageText {
    use teloxide_tests::{MockMessageText, MockPrivateChat, MockUser};
    MockMessageText::new()
        .text(text)
        .from(MockUser::new().id(user).build())
        .chat(MockPrivateChat::new().id(user as i64).build())
}

/// The buttons of a reply's inline keyboard: label and callback data.
pub fn buttons(markup: &Option<teloxide::types::ReplyMarkup>) -> Vec<(String, String)> {
    match markup {
        Some(teloxide::types::ReplyMarkup::InlineKeyboard(keyboard)) => keyboard
            .inline_keyboard
            .iter()
            .flatten()
            .filter_map(|b| match &b.kind {
                teloxide::types::InlineKeyboardButtonKind::CallbackData(data) => {
                    Some((b.text.clone(), data.clone()))
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
