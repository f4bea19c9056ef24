//! `TestWorld`: a temporary data folder with the shipped sample pages loaded.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use union_news_bot::desk::NewsDesk;
use union_news_bot::reply::{Block, Reply, to_plain};

/// The repository's shipped sample pages.
pub fn sample_pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pages")
}

/// A data folder of its own, with the desk opened on it.
pub struct TestWorld {
    dir: tempfile::TempDir,
    pub desk: NewsDesk,
}

impl TestWorld {
    /// A world with the sample pages ingested.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let desk = NewsDesk::open(dir.path()).expect("open desk");
        let added = desk
            .load_sample_pages_if_empty(&sample_pages())
            .expect("load sample pages");
        assert!(added > 40, "only {added} sample articles loaded");
        TestWorld { dir, desk }
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The desk's reply to a message.
    pub fn ask(&self, message: &str) -> Reply {
        self.desk.handle(message)
    }

    /// The plain text of the desk's reply.
    pub fn ask_plain(&self, message: &str) -> String {
        to_plain(&self.ask(message))
    }
}

/// The titles of the items a reply lists, in order.
pub fn titles(reply: &Reply) -> Vec<String> {
    reply
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Item(item) => Some(item.title.clone()),
            _ => None,
        })
        .collect()
}

/// The binary under test, with its data folder and no Telegram token.
pub fn binary(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_union-news-bot"));
    command
        .env("DATA_DIR", data_dir)
        .env("PAGES_DIR", sample_pages())
        .env_remove("TELOXIDE_TOKEN")
        .env("RUST_LOG", "warn")
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
