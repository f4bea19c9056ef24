//! The thin binary: parse the command line, set up logging, run, and turn
//! an error into its chain on stderr and a non-zero exit code.

use clap::Parser;
use std::process::ExitCode;
use union_news_bot::cli::{Cli, Command, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A reader child: standard output is its answer, nothing else.
    if matches!(cli.command, Some(Command::ReadDocument)) {
        let code = union_news_bot::document::serve_child(union_news_bot::desk::MAX_DOCUMENT_BYTES);
        return ExitCode::from(code as u8);
    }
    // The bot logs what it does; the console keeps the terminal for the chat.
    let _ = dotenvy::dotenv();
    let runs_bot = matches!(cli.command, Some(Command::Bot))
        || (cli.command.is_none()
            && std::env::var_os("TELOXIDE_TOKEN").is_some_and(|t| !t.is_empty()));
    // A command whose output goes to a closed pipe (`stats | head`) ends
    // quietly, as command-line tools do, instead of panicking on the write.
    // The bot keeps Rust's default (SIGPIPE ignored), which its sockets need.
    #[cfg(unix)]
    if !runs_bot {
        // SAFETY: restoring a signal's default disposition at start-up,
        // before any other thread exists.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let default_filter = if runs_bot {
        "warn,union_news_bot=info"
    } else {
        "warn"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误: {e:#}");
            ExitCode::FAILURE
        }
    }
}
