//! The console chat: the same desk as the bot, over standard input and output.
//!
//! At a terminal it shows a prompt; otherwise it reads one message a line and
//! prints each reply followed by a blank line, so it can be scripted.

use crate::desk::NewsDesk;
use crate::reply::{text, to_plain};
use crate::request::{Request, Sender};
use anyhow::Result;
use std::io::{BufRead, IsTerminal, Write};

/// A line that ends the interactive chat.
const QUIT_WORDS: [&str; 4] = ["/quit", "/exit", "退出", "再见"];

/// Runs the chat until end of input (or `/quit` at a terminal).
pub fn run(desk: &NewsDesk) -> Result<()> {
    // Whoever runs the console owns the data folder: an admin.
    let operator = Sender::operator();
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        writeln!(out, "{}", to_plain(&desk.handle(&operator, Request::Start)))?;
        writeln!(out, "{}", text::CONSOLE_QUIT)?;
    }
    let mut lines = stdin.lock();
    let mut line = String::new();
    loop {
        if interactive {
            write!(out, "\n> ")?;
            out.flush()?;
        }
        line.clear();
        // Read bytes, not a String: a line that is not UTF-8 gets an answer
        // instead of ending the chat.
        let mut bytes = Vec::new();
        if lines.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        line.push_str(&String::from_utf8_lossy(&bytes));
        let message = line.trim();
        if interactive && QUIT_WORDS.contains(&message) {
            break;
        }
        if !interactive && message.is_empty() {
            continue;
        }
        writeln!(out, "{}", to_plain(&reply(desk, &operator, message)))?;
        if !interactive {
            writeln!(out)?;
        }
        out.flush()?;
    }
    Ok(())
}

/// The reply to one typed message, in the console or from `ask`: a `/push`
/// of a link alone fetches the page first, as the bot does
/// ([`crate::fetch::pushed_link`]); everything else goes to the desk as typed.
pub fn reply(desk: &NewsDesk, operator: &Sender, message: &str) -> crate::reply::Reply {
    let after = crate::commands::slash_command(message)
        .filter(|_| crate::request::is_push_command(message))
        .map(|typed| typed.argument);
    if let Some(after) = after {
        let policy = crate::fetch::FetchPolicy::from_env();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        if let Ok(runtime) = runtime
            && let Some(pushed) =
                runtime.block_on(crate::fetch::pushed_link(after, &policy, desk.documents()))
        {
            return match pushed {
                Ok(request) => desk.handle(operator, request),
                Err(why) => crate::reply::text::push_link_refused(&why),
            };
        }
    }
    desk.reply_to(operator, message)
}
