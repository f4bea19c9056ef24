//! The command line: `bot`, `chat`, `ask`, `ingest`, `reindex`, `backup`,
//! `restore`, `stats`. Each arm
//! opens the desk, calls it, and prints; decisions live in the desk.

use crate::config::Config;
use crate::console;
use crate::desk::{NewsDesk, page_files};
use crate::document::DocumentReader;
use crate::page::PageDefaults;
use crate::reply::text::page_warning;
use crate::reply::to_plain;
use crate::request::Sender;
use crate::zh::places::{HomeProvince, gazetteer};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// union-news-bot: ask about trade-union news in Chinese.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Data folder (database, index, sample pages); overrides DATA_DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do; with none, runs the bot when TELOXIDE_TOKEN is set, else the console chat.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Telegram bot (long polling; needs TELOXIDE_TOKEN).
    Bot,
    /// Chat in the terminal (one message a line when input is not a terminal).
    Chat,
    /// Answer one message and print the reply.
    Ask {
        /// The message, e.g. "湛江工会调研了什么行业" or "/city 吴川".
        #[arg(required = true, num_args = 1..)]
        message: Vec<String>,
    },
    /// Add page files (or folders of *.md / *.txt pages) to the store and index.
    Ingest {
        /// Issue date for pages without one in their front matter or file name.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Paper name for pages without one.
        #[arg(long, value_name = "NAME")]
        source: Option<String>,
        /// Page label for pages without one (e.g. 第2版）.
        #[arg(long, value_name = "LABEL")]
        page: Option<String>,
        /// An article nearly the same as a stored one (another copy of it)
        /// updates the stored one; without this it is listed and left out.
        #[arg(long)]
        update: bool,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Rebuild the search index from the store.
    Reindex,
    /// Write a consistent copy of the database to FILE, even while the bot runs.
    Backup {
        /// Where the copy goes (replaced if it exists).
        file: PathBuf,
    },
    /// Put a backup back as the database and rebuild the index (stop the bot first).
    Restore {
        /// A file written by `backup`.
        file: PathBuf,
    },
    /// Show how many articles there are, per city, and the newest date.
    Stats,
    /// (internal) Read one document from standard input as a bounded reader
    /// child; started by the bot itself.
    #[command(name = "read-document", hide = true)]
    ReadDocument,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let mut config = Config::from_env();
    if let Some(dir) = cli.data_dir {
        config = config.with_data_dir(dir);
    }
    let home = config.home();
    let default = if config.telegram_token.is_some() {
        Command::Bot
    } else {
        Command::Chat
    };
    match cli.command.unwrap_or(default) {
        Command::Bot => {
            if config.telegram_token.is_none() {
                anyhow::bail!(
                    "TELOXIDE_TOKEN is not set: create a bot with @BotFather and put its token in .env (see README)"
                );
            }
            let desk = open_with_sample(&config, home)?;
            crate::telegram::run(&config, desk).context("the bot stopped with an error")
        }
        Command::Chat => {
            let desk = open_with_sample(&config, home)?;
            console::run(&desk)
        }
        Command::Ask { message } => {
            let desk = open_with_sample(&config, home)?;
            // As in the console chat: `ask "/push https://…"` fetches the page.
            let reply = console::reply(&desk, &Sender::operator(), &message.join(" "));
            println!("{}", to_plain(&reply));
            Ok(())
        }
        Command::Ingest {
            date,
            source,
            page,
            update,
            paths,
        } => {
            let desk = open(&config, home)?;
            let defaults = PageDefaults {
                issue_date: date,
                paper: source,
                page,
                ..PageDefaults::default()
            };
            ingest(&desk, &defaults, &paths, update)
        }
        Command::Reindex => {
            let desk = open(&config, home)?;
            let count = desk.consistency().reindex().context("reindexing failed")?;
            println!("索引已重建：{count} 篇报道。");
            Ok(())
        }
        Command::Backup { file } => {
            let pages = NewsDesk::backup(&config.data_dir, &file).with_context(|| {
                format!(
                    "cannot back up {} to {}",
                    config.data_dir.display(),
                    file.display()
                )
            })?;
            println!("已备份到 {}（{pages} 页）。", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            let desk = NewsDesk::restore(&config.data_dir, &file).with_context(|| {
                format!(
                    "cannot restore {} into {}",
                    file.display(),
                    config.data_dir.display()
                )
            })?;
            println!(
                "已从 {} 恢复：{} 篇报道，索引已重建。",
                file.display(),
                desk.article_count()?
            );
            Ok(())
        }
        Command::Stats => {
            let desk = open(&config, home)?;
            print_stats(&desk)
        }
        Command::ReadDocument => {
            let code = crate::document::serve_child(crate::desk::MAX_DOCUMENT_BYTES);
            std::process::exit(code);
        }
    }
}

fn open(config: &Config, home: HomeProvince) -> Result<NewsDesk> {
    let desk = NewsDesk::open(&config.data_dir)
        .with_context(|| format!("cannot open the data folder {}", config.data_dir.display()))?;
    let desk = match &config.bot_username {
        Some(name) => desk.with_bot_username(name),
        None => desk,
    };
    desk.set_admins(config.admin_ids.clone());
    Ok(desk
        .with_home_province(home)
        .with_hotline(&config.hotline)
        .with_time(config.bot_time())
        .with_push_hold(config.push_hold_secs)
        .with_question_log_days(config.question_log_days)
        .with_document_reader(DocumentReader::from_settings(&config.document_reader)))
}

/// Opens the desk and, when the store is empty, loads the sample pages.
fn open_with_sample(config: &Config, home: HomeProvince) -> Result<NewsDesk> {
    let desk = open(config, home)?;
    let added = desk
        .ingest()
        .sample_pages_if_empty(&config.pages_dir)
        .context("loading the sample pages failed")?;
    if added > 0 {
        tracing::info!(added, dir = %config.pages_dir.display(), "loaded the sample pages");
    }
    Ok(desk)
}

fn ingest(desk: &NewsDesk, defaults: &PageDefaults, paths: &[PathBuf], update: bool) -> Result<()> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            anyhow::bail!("{} does not exist", path.display());
        }
        let found = page_files(path);
        if path.is_dir() && found.is_empty() {
            eprintln!("{}: no *.md or *.txt pages in this folder", path.display());
        }
        files.extend(found);
    }
    let bar = ProgressBar::new(files.len() as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} 页 {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut added, mut known, mut failed) = (0, 0, 0);
    let mut warnings = Vec::new();
    let mut near = Vec::new();
    desk.ingest()
        .files_updating(&files, defaults, update, |file, outcome| {
            match outcome {
                Ok(report) => {
                    added += report.added();
                    known += report.known();
                    near.extend(report.articles.iter().filter_map(|a| {
                        let (target, headline) = a.near_duplicate_of.as_ref()?;
                        Some(format!(
                            "{}: 《{}》与已有的《{headline}》（编号 {target}）几乎相同，{}",
                            file.display(),
                            a.title,
                            if update {
                                "已用它更新"
                            } else {
                                "未导入"
                            }
                        ))
                    }));
                    warnings.extend(
                        report
                            .warnings
                            .iter()
                            .map(|w| format!("{}: {}", file.display(), page_warning(w))),
                    );
                }
                Err(e) => {
                    failed += 1;
                    let why = match &e {
                        crate::desk::DeskError::NotText { reason, .. } => {
                            crate::reply::text::document_refused(reason)
                        }
                        other => other.to_string(),
                    };
                    bar.suspend(|| eprintln!("跳过 {}: {why}", file.display()));
                }
            }
            bar.set_message(format!("新增 {added} 篇"));
            bar.inc(1);
        })?;
    bar.finish_and_clear();
    for warning in &warnings {
        eprintln!("警告 {warning}");
    }
    for line in &near {
        println!("近似重复 {line}");
    }
    if !near.is_empty() && !update {
        println!("（加 --update 用这些文字更新已有的报道，编号不变。）");
    }
    println!(
        "读取 {} 个文件：新增 {added} 篇，已有 {known} 篇，警告 {} 条，失败 {failed} 个文件。",
        files.len(),
        warnings.len()
    );
    if failed > 0 && failed == files.len() {
        anyhow::bail!("no file could be ingested");
    }
    Ok(())
}

fn print_stats(desk: &NewsDesk) -> Result<()> {
    let stats = desk.stats()?;
    println!("报道：{} 篇（来自 {} 个版面）", stats.articles, stats.pages);
    match stats.newest {
        Some(date) => println!("最新：{}", crate::reply::text::chinese_date(date)),
        None => println!("最新：无"),
    }
    if !stats.per_city.is_empty() {
        println!("按城市：");
        for (code, count) in &stats.per_city {
            let name = gazetteer()
                .city_by_code(*code)
                .map(|c| c.name)
                .unwrap_or_else(|| code.to_string());
            println!("  {name}\t{count}");
        }
    }
    Ok(())
}
