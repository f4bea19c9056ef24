//! The command table: every command the bot knows, once. [`Request::parse`],
//! `/help`, the unknown-command hint and the Telegram menus all read
//! [`COMMANDS`], so they cannot drift apart. The words shown for each
//! command (usage, menu text) are in `reply::text::command_words`, a match
//! on [`CommandKind`] that the compiler keeps complete.
//!
//! [`Request::parse`]: crate::request::Request::parse

use crate::zh::fold_width;

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// Welcome and examples.
    Start,
    /// The commands and examples.
    Help,
    /// A question (in groups, where plain text is not for the bot).
    Ask,
    /// A city's newest articles.
    City,
    /// The newest articles overall.
    Latest,
    /// One article in full.
    Article,
    /// Be sent a city's new articles.
    Subscribe,
    /// Stop being sent a city's new articles.
    Unsubscribe,
    /// What this chat subscribed to.
    Subscriptions,
    /// Publish a page (admins).
    Push,
    /// Retract an article (admins).
    Delete,
    /// Send a held push now (admins).
    Send,
    /// Cancel a push's deliveries not yet made (admins).
    Cancel,
    /// Publish an article at a set time (admins).
    Schedule,
    /// Correct an article's fields (admins).
    Correct,
    /// Bring a retracted article back (admins).
    Restore,
    /// Update a stored article with the copy of it just pushed (admins).
    Update,
    /// Keep the copy just pushed as an article of its own (admins).
    Keep,
    /// The outbox, the last pushes, schedules and retractions (admins).
    Status,
    /// Leave a question for the union's people (留言).
    Liuyan,
    /// The member's open questions to the union.
    MyQuestions,
    /// Take back an open question.
    Withdraw,
    /// The open questions to the union (admins).
    Inbox,
    /// Answer a question to the union (admins).
    Answer,
    /// What the bot keeps of a member's questions, and for how long.
    Privacy,
    /// Delete the member's logged questions and votes.
    Forget,
    /// Questions that found nothing and answers marked 👎 (admins).
    Feedback,
    /// Teach a members' word (admins).
    Teach,
    /// The words editors taught (admins).
    Words,
    /// Forget a taught word (admins).
    Unteach,
    /// Manage the editors (the owner).
    Editors,
}

/// One command of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// What it does.
    pub kind: CommandKind,
    /// Its name, typed after `/` (`city`); also the Telegram menu entry.
    pub name: &'static str,
    /// Other names typed after `/` (`城市`). Full-width forms (`／ｃｉｔｙ`)
    /// need no entry: the command word is folded to half width first.
    pub aliases: &'static [&'static str],
    /// Forms a member may type without the slash (`city 湛江`, `帮助`): only
    /// for members' read commands, never for commands that change anything.
    pub spoken: &'static [&'static str],
    /// True when only admins may use it.
    pub admin_only: bool,
}

/// Every command, in the order `/help` and the menus list them.
pub const COMMANDS: [Command; 31] = [
    Command {
        kind: CommandKind::Start,
        name: "start",
        aliases: &[],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Help,
        name: "help",
        aliases: &["帮助"],
        spoken: &["help", "帮助"],
        admin_only: false,
    },
    Command {
        kind: CommandKind::City,
        name: "city",
        aliases: &["城市"],
        spoken: &["city"],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Latest,
        name: "latest",
        aliases: &["最新"],
        spoken: &["latest"],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Article,
        name: "article",
        aliases: &["全文"],
        spoken: &["article"],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Ask,
        name: "ask",
        aliases: &["search", "问"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Subscribe,
        name: "subscribe",
        aliases: &["订阅"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Unsubscribe,
        name: "unsubscribe",
        aliases: &["退订"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Subscriptions,
        name: "subscriptions",
        aliases: &["我的订阅"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Liuyan,
        name: "liuyan",
        aliases: &["留言"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::MyQuestions,
        name: "my_questions",
        aliases: &["我的留言"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Withdraw,
        name: "withdraw",
        aliases: &["撤回留言"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Push,
        name: "push",
        aliases: &["发布"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Delete,
        name: "delete",
        aliases: &["删除", "撤回", "retract"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Send,
        name: "send",
        aliases: &["立即发送"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Schedule,
        name: "schedule",
        aliases: &["定时"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Cancel,
        name: "cancel",
        aliases: &["取消发送"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Correct,
        name: "correct",
        aliases: &["更正"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Restore,
        name: "restore",
        aliases: &["恢复"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Update,
        name: "update",
        aliases: &["更新"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Keep,
        name: "keep",
        aliases: &["另存"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Status,
        name: "status",
        aliases: &["状态"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Privacy,
        name: "privacy",
        aliases: &["隐私"],
        spoken: &["隐私"],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Forget,
        name: "forget",
        aliases: &["忘记我", "删除记录"],
        spoken: &[],
        admin_only: false,
    },
    Command {
        kind: CommandKind::Feedback,
        name: "feedback",
        aliases: &["反馈"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Teach,
        name: "teach",
        aliases: &["教词"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Words,
        name: "words",
        aliases: &["词表"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Unteach,
        name: "unteach",
        aliases: &["删词"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Editors,
        name: "editors",
        aliases: &["编辑"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Inbox,
        name: "inbox",
        aliases: &["留言箱"],
        spoken: &[],
        admin_only: true,
    },
    Command {
        kind: CommandKind::Answer,
        name: "answer",
        aliases: &["答复"],
        spoken: &[],
        admin_only: true,
    },
];

/// The table entry of a command kind.
pub fn command(kind: CommandKind) -> &'static Command {
    COMMANDS
        .iter()
        .find(|c| c.kind == kind)
        .expect("every command kind is in the table")
}

/// A slash command as typed: its word and what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typed<'a> {
    /// The command, when the table has it.
    pub command: Option<&'static Command>,
    /// The command word as typed, without the slash and any `@botname`.
    pub word: &'a str,
    /// The text after the command word (same or next line), trimmed.
    pub argument: &'a str,
}

/// Reads a slash command (`/city 湛江`, `／City@bot\n湛江`): `None` when the
/// text does not start with a slash followed by a word.
pub fn slash_command(text: &str) -> Option<Typed<'_>> {
    let text = text.trim();
    let rest = text.strip_prefix('/').or_else(|| text.strip_prefix('／'))?;
    let (word, argument) = split_word(rest);
    let word = word.split(['@', '＠']).next().unwrap_or("");
    if word.is_empty() {
        return None;
    }
    Some(Typed {
        command: find(word, |c| {
            std::iter::once(c.name).chain(c.aliases.iter().copied())
        }),
        word,
        argument,
    })
}

/// Reads a member's read command typed without the slash (`city 湛江`,
/// `帮助`): only the table's spoken forms, followed by whitespace or nothing.
pub fn spoken_command(text: &str) -> Option<Typed<'_>> {
    let (word, argument) = split_word(text.trim());
    let command = find(word, |c| c.spoken.iter().copied())?;
    // Without the slash the words must read as the command: `帮助 困难职工`
    // and `latest news` are searches, `city` needs a place.
    let fits = match command.kind {
        CommandKind::City | CommandKind::Article => !argument.is_empty(),
        CommandKind::Latest => argument.is_empty() || fold_width(argument).parse::<usize>().is_ok(),
        _ => argument.is_empty(),
    };
    if !fits {
        return None;
    }
    Some(Typed {
        command: Some(command),
        word,
        argument,
    })
}

/// The first word (up to whitespace) and the trimmed rest.
fn split_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim()),
        None => (text, ""),
    }
}

/// The command one of whose `names` is `word`, in any case and width.
fn find<I: Iterator<Item = &'static str>>(
    word: &str,
    names: impl Fn(&'static Command) -> I,
) -> Option<&'static Command> {
    let word = fold_width(word).to_lowercase();
    COMMANDS.iter().find(|c| names(c).any(|name| name == word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_the_table_once_and_names_are_unique() {
        let mut names: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name is used twice");
        for c in &COMMANDS {
            assert_eq!(command(c.kind), c);
        }
    }

    #[test]
    fn commands_that_change_anything_have_no_slashless_form() {
        for c in COMMANDS.iter().filter(|c| c.admin_only) {
            assert!(c.spoken.is_empty(), "/{} has spoken forms", c.name);
        }
        for kind in [
            CommandKind::Subscribe,
            CommandKind::Unsubscribe,
            CommandKind::Push,
            CommandKind::Delete,
        ] {
            assert!(command(kind).spoken.is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn slash_commands_are_read_in_any_width_case_and_with_a_bot_name() {
        let cases = [
            ("/city 湛江", Some(CommandKind::City), "city", "湛江"),
            (
                "／ｃｉｔｙ　湛江",
                Some(CommandKind::City),
                "ｃｉｔｙ",
                "湛江",
            ),
            (
                "/City@union_bot\n湛江 2",
                Some(CommandKind::City),
                "City",
                "湛江 2",
            ),
            ("/城市 吴川", Some(CommandKind::City), "城市", "吴川"),
            ("／push\n# 标题", Some(CommandKind::Push), "push", "# 标题"),
            ("/frobnicate x", None, "frobnicate", "x"),
        ];
        for (text, kind, word, argument) in cases {
            let typed = slash_command(text).unwrap_or_else(|| panic!("{text:?} not read"));
            assert_eq!(typed.command.map(|c| c.kind), kind, "{text:?}");
            assert_eq!((typed.word, typed.argument), (word, argument), "{text:?}");
        }
        assert_eq!(slash_command("/"), None);
        assert_eq!(slash_command("湛江"), None);
    }

    #[test]
    fn spoken_forms_need_a_whole_word() {
        assert_eq!(
            spoken_command("city 湛江").map(|t| (t.command.map(|c| c.kind), t.argument)),
            Some((Some(CommandKind::City), "湛江"))
        );
        assert_eq!(
            spoken_command("帮助")
                .and_then(|t| t.command)
                .map(|c| c.kind),
            Some(CommandKind::Help)
        );
        assert_eq!(spoken_command("citywalk 活动"), None);
        assert_eq!(spoken_command("帮助 困难职工"), None);
        assert_eq!(spoken_command("latest news"), None);
        assert_eq!(spoken_command("city"), None);
        assert!(spoken_command("latest 2").is_some());
        assert_eq!(spoken_command("push 标题"), None);
        assert_eq!(spoken_command("湛江 city"), None);
    }
}
