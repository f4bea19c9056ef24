//! The Telegram bot: the only module that names teloxide.
//!
//! [`schema`] is the whole update tree, shared by [`run`] and the tests:
//! messages (questions, commands, pushes), button presses, inline queries.
//! Handlers are thin: they extract what was sent, call the
//! [`NewsDesk`], render the reply and send it.

pub mod callback;
pub mod handlers;
mod joining;
mod outbox;
pub mod send;

use crate::commands::COMMANDS;
use crate::config::{AdminIds, Config};
use crate::desk::NewsDesk;
use crate::limits::RateLimiter;
use crate::reply::text::menu_description;
use std::sync::Arc;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

pub use outbox::{
    change_sent, deliver_answers, deliver_due, notify_admins, send_digests, update_reports,
};

/// The error type of handlers.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;
/// What handlers return.
pub type HandlerResult = Result<(), HandlerError>;

/// What every handler gets besides the update.
#[derive(Clone)]
pub struct BotContext {
    /// The core service.
    pub desk: Arc<NewsDesk>,
    /// Per-member message limits.
    pub limiter: Arc<RateLimiter>,
    /// Limits and allowed hosts for `/push https://…`.
    pub fetch_policy: Arc<crate::fetch::FetchPolicy>,
    /// Long pastes still arriving in parts.
    pub pending_pushes: Arc<joining::PendingPushes>,
    /// Albums still arriving in parts.
    pub albums: Arc<joining::Albums>,
}

impl BotContext {
    /// A context over a desk with these admins and the default rate limit.
    pub fn new(desk: Arc<NewsDesk>, admins: AdminIds) -> Self {
        desk.set_admins(admins);
        BotContext {
            desk,
            limiter: Arc::new(RateLimiter::default()),
            fetch_policy: Arc::new(crate::fetch::FetchPolicy::from_env()),
            pending_pushes: Arc::new(joining::PendingPushes::default()),
            albums: Arc::new(joining::Albums::default()),
        }
    }
}

/// Why the bot could not run.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    /// No token configured.
    #[error("TELOXIDE_TOKEN is not set")]
    NoToken,
    /// TELOXIDE_API_URL is not a URL.
    #[error("TELOXIDE_API_URL is not a valid URL: {0}")]
    BadApiUrl(String),
    /// The runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
    /// Another bot leads on the same store, or its lock cannot be taken.
    #[error("{0}")]
    Leader(crate::desk::DeskError),
}

/// How long Telegram may hold a `getUpdates` open when there is nothing new.
/// It must stay below the HTTP client's timeout (teloxide's default client
/// gives up after 17 s), or every quiet poll would end in a timeout error
/// and a back-off pause before the next.
const POLL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The whole update tree.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(handlers::on_message))
        .branch(Update::filter_channel_post().endpoint(handlers::on_channel_post))
        .branch(Update::filter_callback_query().endpoint(handlers::on_callback))
        .branch(Update::filter_inline_query().endpoint(handlers::on_inline))
}

/// The command menu members see: the command table's member commands.
pub fn member_commands() -> Vec<BotCommand> {
    menu(false)
}

/// The longer menu admins see in their private chats.
pub fn admin_commands() -> Vec<BotCommand> {
    menu(true)
}

/// One menu entry per command of the table, with its usage and what it does.
fn menu(for_admin: bool) -> Vec<BotCommand> {
    COMMANDS
        .iter()
        .filter(|c| for_admin || !c.admin_only)
        .map(|c| BotCommand::new(c.name, menu_description(c.kind)))
        .collect()
}

/// Runs the bot with long polling until Ctrl-C or SIGTERM; replies and
/// deliveries in progress are finished before it returns.
pub fn run(config: &Config, desk: NewsDesk) -> Result<(), BotError> {
    let token = config.telegram_token.clone().ok_or(BotError::NoToken)?;
    let mut bot = Bot::new(token);
    if let Some(url) = &config.telegram_api_url {
        let url = url.parse().map_err(|_| BotError::BadApiUrl(url.clone()))?;
        bot = bot.set_api_url(url);
    }
    // One bot per store: this process is now the only sender, and leases
    // taken by one that was killed are released at once.
    let _leadership = desk.lead().map_err(BotError::Leader)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Subscribe links name the bot: its username from Telegram unless
    // `BOT_USERNAME` gives it (a bot started while the network is down
    // writes `/start sub_…` until the next start).
    let desk = match (&config.bot_username, runtime.block_on(own_username(&bot))) {
        (None, Some(username)) => desk.with_bot_username(&username),
        _ => desk,
    };
    runtime.block_on(serve(bot, Arc::new(desk), config.admin_ids.clone()));
    Ok(())
}

async fn serve(bot: Bot, desk: Arc<NewsDesk>, admins: AdminIds) {
    use std::time::Duration;
    use teloxide::update_listeners::Polling;
    let ctx = BotContext::new(desk.clone(), admins);
    let every_admin = desk.admin_ids();
    register_commands(&bot, every_admin).await;
    let (stop_worker, stop) = tokio::sync::watch::channel(false);
    let throttled = bot.clone().throttle(Limits::default());
    let worker = tokio::spawn(outbox::run_worker(throttled, desk, stop));

    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![ctx])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text("a handler failed"))
        .build();
    let shutdown = dispatcher.shutdown_token();
    let (stopping_tx, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        tokio::select! {
            _ = wait_for_sigterm() => tracing::info!("SIGTERM: finishing replies in progress"),
            _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: finishing replies in progress"),
        }
        let _ = stopping_tx.send(true);
        if let Ok(done) = shutdown.shutdown() {
            done.await;
        }
    });
    tracing::info!("bot started; long polling");
    // teloxide's `dispatch` panics when its first call (getMe) fails; a bot
    // started while the network is down should wait for it instead.
    loop {
        let listener = Polling::builder(bot.clone())
            .timeout(POLL_TIMEOUT)
            .delete_webhook()
            .await
            .build();
        let polling_errors = LoggingErrorHandler::with_custom_text("polling failed");
        match dispatcher
            .try_dispatch_with_listener(listener, polling_errors)
            .await
        {
            Ok(()) => break,
            Err(e) => {
                if *stopping.borrow() {
                    break;
                }
                tracing::warn!(error = %e, "cannot reach the Bot API; retrying in 5 s");
                let mut stopping = stopping.clone();
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                    _ = stopping.changed() => break,
                }
            }
        }
    }
    let _ = stop_worker.send(true);
    if let Err(e) = worker.await {
        tracing::error!(error = %e, "delivery worker failed");
    }
    tracing::info!("bot stopped");
}

/// The bot's username, as Telegram says (`getMe`), within a few seconds.
async fn own_username(bot: &Bot) -> Option<String> {
    let asked = tokio::time::timeout(std::time::Duration::from_secs(5), bot.get_me()).await;
    match asked {
        Ok(Ok(me)) => me.user.username.clone(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot ask Telegram for the bot's username");
            None
        }
        Err(_) => {
            tracing::warn!("Telegram did not say the bot's username in time");
            None
        }
    }
}

#[cfg(unix)]
async fn wait_for_sigterm() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            term.recv().await;
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM");
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_sigterm() {
    std::future::pending::<()>().await;
}

/// Registers the Chinese command menus: one for everyone, a longer one in
/// each admin's private chat (`ADMIN_IDS` and the editors the owner added).
/// Failure is logged, not fatal.
async fn register_commands(bot: &Bot, admins: Vec<i64>) {
    if let Err(e) = bot.set_my_commands(member_commands()).await {
        tracing::warn!(error = %e, "cannot register the command menu");
    }
    for admin in admins {
        register_admin_menu(bot, admin, true).await;
    }
}

/// Shows the admin menu in an admin's private chat (or, `false`, takes it
/// back: an editor the owner removed). Failure is logged, not fatal.
pub async fn register_admin_menu(bot: &Bot, admin: i64, shown: bool) {
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(admin)),
    };
    let result = if shown {
        bot.set_my_commands(admin_commands())
            .scope(scope)
            .await
            .map(|_| ())
    } else {
        bot.delete_my_commands().scope(scope).await.map(|_| ())
    };
    if let Err(e) = result {
        tracing::warn!(admin, shown, error = %e, "cannot change the admin menu");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menus_are_the_command_table() {
        let names = |menu: Vec<BotCommand>| -> Vec<String> {
            menu.into_iter().map(|c| c.command).collect()
        };
        let members: Vec<String> = COMMANDS
            .iter()
            .filter(|c| !c.admin_only)
            .map(|c| c.name.to_string())
            .collect();
        let everyone: Vec<String> = COMMANDS.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(names(member_commands()), members);
        assert_eq!(names(admin_commands()), everyone);
        for command in admin_commands() {
            // Telegram takes 1-256 characters of description.
            let length = command.description.chars().count();
            assert!((1..=256).contains(&length), "/{}", command.command);
        }
    }
}
