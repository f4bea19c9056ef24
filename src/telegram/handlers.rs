//! The handlers: extract, call the desk, render, send. Decisions are the desk's.

use crate::desk::{DeskError, NewsDesk};
use crate::limits::Verdict;
use crate::reply::{self, Block, EditAction, ListKind, Reply, text};
use crate::report::PartsLeftOut;
use crate::request::{
    EditorsArgument, IdArgument, PlaceArgument, Request, Sender, Subscription, is_push_command,
};
use crate::telegram::callback::{Callback, keyboard_for, keyboard_in_chat};
use crate::telegram::joining::{JOIN_WINDOW, Part, PushKey, PushStart};
use crate::telegram::send::{Destination, edit_reply, send_reply, with_retry};
use crate::telegram::{BotContext, HandlerResult, outbox};
use std::sync::Arc;
use std::time::Instant;
use teloxide::net::Download;
use teloxide::payloads::AnswerInlineQuerySetters;
use teloxide::prelude::*;
use teloxide::types::{
    InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputMessageContentText, Me,
    MessageId, ParseMode,
};

/// Runs desk work off the async threads (SQLite and tantivy block). A panic
/// in the work is carried on into the handler, where [`guarded`] catches it.
async fn on_desk<T: Send + 'static>(
    desk: &Arc<NewsDesk>,
    work: impl FnOnce(&NewsDesk) -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    let desk = desk.clone();
    match tokio::task::spawn_blocking(move || work(&desk)).await {
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        other => other,
    }
}

/// Runs desk work that can fail, off the async threads; its error, or the
/// task's, comes back as text for the log.
async fn try_on_desk<T: Send + 'static>(
    desk: &Arc<NewsDesk>,
    work: impl FnOnce(&NewsDesk) -> Result<T, DeskError> + Send + 'static,
) -> Result<T, String> {
    match on_desk(desk, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs a handler so that a panic inside it cannot reach the dispatcher:
/// teloxide 0.17 has no guard, and after a panicking handler the next update
/// from the same chat stops the whole dispatcher (teloxide issue 1435). The
/// panic is logged and `apologise` runs instead.
pub async fn guarded<F, A>(handler: F, apologise: impl FnOnce() -> A) -> HandlerResult
where
    F: std::future::Future<Output = HandlerResult>,
    A: std::future::Future<Output = ()>,
{
    use futures::FutureExt;
    match std::panic::AssertUnwindSafe(handler).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_string());
            tracing::error!(panic = %what, "a handler panicked; the bot goes on");
            apologise().await;
            Ok(())
        }
    }
}

/// What identifies an update sent again: its id and its whole content,
/// hashed. Telegram re-sends an update unchanged; a server that reuses ids
/// for new messages (a test server started afresh) is not taken for a replay.
fn update_key(update: &Update) -> i64 {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(update).unwrap_or_default();
    let digest = Sha256::digest(&json);
    let mut key = [0u8; 8];
    key.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(key)
}

/// Handles an update once. One handled already is skipped: after a crash,
/// Telegram sends again the updates it was not told were handled. One handled
/// now is recorded after its reply went out, so a crash in the middle leaves
/// it to be handled again on the next start (pushes are idempotent, so a
/// push stopped half-way is finished, not doubled).
async fn once(
    ctx: &BotContext,
    update: &Update,
    handle: impl Future<Output = HandlerResult>,
) -> HandlerResult {
    let (id, key) = (update.id.0, update_key(update));
    match try_on_desk(&ctx.desk, move |desk| desk.deliveries().update_handled(key)).await {
        Ok(true) => {
            tracing::info!(
                update = id,
                "update handled already (sent again by Telegram); skipped"
            );
            return Ok(());
        }
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(update = id, error = %e, "cannot tell whether an update was handled")
        }
    }
    let result = handle.await;
    if let Err(e) = try_on_desk(&ctx.desk, move |desk| {
        desk.deliveries().mark_update_handled(key)
    })
    .await
    {
        tracing::warn!(update = id, error = %e, "cannot record an update as handled");
    }
    result
}

/// Who sent a message: an admin (of `ADMIN_IDS` or added by the owner),
/// the owner, or a member; the desk decides from the user's own id.
/// Asked off the async threads: it may read the store (editors added
/// at run time).
async fn sender_of(
    ctx: &BotContext,
    chat: ChatId,
    user: Option<&teloxide::types::User>,
) -> Result<Sender, tokio::task::JoinError> {
    let user = user.map(|u| u.id.0 as i64);
    on_desk(&ctx.desk, move |desk| desk.sender(chat.0, user)).await
}

/// True for a request that changes what a chat is sent.
fn changes_deliveries(request: &Request) -> bool {
    matches!(
        request,
        Request::Subscribe(_)
            | Request::Unsubscribe(_)
            | Request::SubscribeInMode(..)
            | Request::Setting(_)
            | Request::StartLink(_)
    )
}

/// The sender, allowed to change what a group is sent when Telegram says
/// they administer it (or they post as the group itself, anonymously).
/// `None` when Telegram could not be asked.
async fn with_group_rights(
    bot: &Bot,
    msg_chat: &teloxide::types::Chat,
    sender_chat: Option<&teloxide::types::Chat>,
    user: Option<&teloxide::types::User>,
    sender: Sender,
) -> Option<Sender> {
    if sender.manages_chat {
        return Some(sender);
    }
    if sender_chat.is_some_and(|c| c.id == msg_chat.id) {
        return Some(sender.managing());
    }
    let Some(user) = user else {
        return Some(sender);
    };
    match with_retry(|| bot.get_chat_member(msg_chat.id, user.id).into_future()).await {
        Ok(member) if member.is_privileged() => Some(sender.managing()),
        Ok(_) => Some(sender),
        Err(e) => {
            tracing::warn!(error = %e, chat = msg_chat.id.0, "cannot ask who administers a group");
            None
        }
    }
}

/// A group upgraded to a supergroup: its subscriptions and what it is owed
/// move to the new chat id. True when the message was such a notice.
async fn on_migration(ctx: &BotContext, msg: &Message) -> bool {
    let (from, to) = match (msg.migrate_to_chat_id(), msg.migrate_from_chat_id()) {
        (Some(to), _) => (msg.chat.id, *to),
        (None, Some(from)) => (*from, msg.chat.id),
        (None, None) => return false,
    };
    match try_on_desk(&ctx.desk, move |desk| desk.move_chat(from.0, to.0)).await {
        Ok(moved) => tracing::info!(
            from = from.0,
            to = to.0,
            moved,
            "a group became a supergroup"
        ),
        Err(e) => {
            tracing::error!(error = %e, from = from.0, to = to.0, "cannot move a group's subscriptions")
        }
    }
    true
}

/// The forum topic of a message (not a reply thread in an ordinary group).
fn topic_of(msg: &Message) -> Option<i32> {
    msg.is_topic_message
        .then_some(msg.thread_id)
        .flatten()
        .map(|thread| thread.0.0)
}

/// The text of a message the bot should answer, or `None` when it should
/// stay quiet: in groups only commands (for this bot), replies to its own
/// messages and mentions are answered, so it works with privacy mode on.
pub fn addressed_text(msg: &Message, text: &str, me: &Me) -> Option<String> {
    if msg.chat.is_private() {
        return Some(text.to_string());
    }
    let username = me.username().to_lowercase();
    if let Some(rest) = text.strip_prefix('/') {
        let word = rest.split(char::is_whitespace).next().unwrap_or("");
        if let Some((_, target)) = word.split_once('@')
            && target.to_lowercase() != username
        {
            return None; // a command for another bot
        }
        return Some(text.to_string());
    }
    let mention = format!("@{username}");
    if text.to_lowercase().contains(&mention) {
        let start = text.to_lowercase().find(&mention)?;
        let mut cleaned = text.to_string();
        if cleaned.is_char_boundary(start) && cleaned.is_char_boundary(start + mention.len()) {
            cleaned.replace_range(start..start + mention.len(), " ");
        }
        return Some(cleaned.trim().to_string());
    }
    let replies_to_bot = msg
        .reply_to_message()
        .and_then(|m| m.from.as_ref())
        .is_some_and(|u| u.id == me.id);
    replies_to_bot.then(|| text.to_string())
}

/// A channel's post: the bot, an admin of the channel, answers only
/// `/subscribe`, `/unsubscribe` and `/subscriptions` (only the channel's
/// admins can post, so the post speaks for the channel); other posts are
/// the channel's own business.
pub async fn on_channel_post(
    bot: Bot,
    update: Update,
    msg: Message,
    me: Me,
    ctx: BotContext,
) -> HandlerResult {
    let handle = guarded(handle_channel_post(bot, msg, me, ctx.clone()), || async {});
    once(&ctx, &update, handle).await
}

async fn handle_channel_post(bot: Bot, msg: Message, me: Me, ctx: BotContext) -> HandlerResult {
    if on_migration(&ctx, &msg).await {
        return Ok(());
    }
    let Some(text) = msg.text().and_then(|text| addressed_text(&msg, text, &me)) else {
        return Ok(());
    };
    if crate::commands::slash_command(&text).is_none() {
        return Ok(()); // a mention in an ordinary post
    }
    let to = Destination {
        chat: msg.chat.id,
        thread: None,
        reply_to: Some(msg.id),
    };
    let sender = Sender::member(msg.chat.id.0, None).managing();
    let reply = on_desk(&ctx.desk, move |desk| match desk.parse(&text) {
        request @ (Request::Subscribe(_) | Request::Unsubscribe(_) | Request::Subscriptions) => {
            desk.handle(&sender, request)
        }
        _ => Reply::text(text::CHANNEL_COMMANDS),
    })
    .await?;
    // `/subscriptions`' buttons work for the channel's admins (a press is
    // checked with getChatMember like a group's).
    send_reply(&bot, to, &reply, keyboard_for(&reply, false)).await?;
    Ok(())
}

/// Where an admin's `/push` page came from.
enum PushSource {
    /// Typed or pasted after the command: may be the first of several parts.
    Typed(String),
    /// A document, a link or a replied message: whole.
    Whole(Request),
}

/// The page of an admin's `/push`: after the command, fetched from the link
/// after it, in a document it captions (text in any encoding the bot reads,
/// Word, a saved web page, a PDF), or in the message it replies to.
async fn push_page(
    bot: &Bot,
    ctx: &BotContext,
    msg: &Message,
    text: &str,
) -> Result<PushSource, Reply> {
    let after = crate::commands::slash_command(text).map_or("", |typed| typed.argument);
    if let Some(pushed) =
        crate::fetch::pushed_link(after, &ctx.fetch_policy, ctx.desk.documents()).await
    {
        return pushed
            .map(PushSource::Whole)
            .map_err(|why| text::push_link_refused(&why));
    }
    if let Some(photo) = largest_photo(msg) {
        // A photo captioned `/push 文章…`: the caption is the page.
        return Ok(PushSource::Whole(Request::push_with_photos(
            after,
            vec![photo],
        )));
    }
    if !after.is_empty() && msg.document().is_none() {
        return Ok(PushSource::Typed(after.to_string()));
    }
    if let Some(document) = msg.document() {
        let name = document.file_name.clone().unwrap_or_default();
        if !crate::document::is_page_file_name(&name) {
            return Err(Reply::text(text::NOT_A_PAGE_FILE));
        }
        if document.file.size as usize > crate::desk::file_byte_limit(&name) {
            return Err(text::file_too_large(
                document.file.size as usize,
                crate::desk::file_byte_limit(&name),
            ));
        }
        let file = bot.get_file(document.file.id.clone()).await.map_err(|e| {
            tracing::warn!(error = %e, "cannot get a pushed document");
            Reply::text(text::SORRY)
        })?;
        let mut bytes: Vec<u8> = Vec::new();
        bot.download_file(&file.path, &mut bytes)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "cannot download a pushed document");
                Reply::text(text::SORRY)
            })?;
        if bytes.len() > crate::desk::file_byte_limit(&name) {
            return Err(text::file_too_large(
                bytes.len(),
                crate::desk::file_byte_limit(&name),
            ));
        }
        // Read in a bounded child, waited for on a blocking thread: the
        // bot goes on answering members meanwhile.
        let reader = ctx.desk.documents().clone();
        let input = crate::document::DocumentInput::file(&name);
        let read = tokio::task::spawn_blocking(move || reader.read(&input, &bytes))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading a pushed document failed");
                Reply::text(text::SORRY)
            })?;
        return read
            .map(|page| PushSource::Whole(Request::push(page.text)))
            .map_err(|e| {
                tracing::info!(file = %name, reason = %e, "a pushed document was refused");
                Reply::text(text::document_refused(&e))
            });
    }
    if let Some(original) = msg.reply_to_message()
        && let Some(page) = original.text().or(original.caption())
    {
        // `/push` replying to a photo (or an album's captioned photo).
        let photos = match original.media_group_id() {
            Some(group) => ctx.albums.take(&group.0),
            None => Vec::new(),
        };
        let photos = if photos.is_empty() {
            largest_photo(original).into_iter().collect()
        } else {
            photos
        };
        return Ok(PushSource::Whole(Request::push_with_photos(page, photos)));
    }
    Ok(PushSource::Typed(String::new()))
}

/// The `file_id` of a photo message's largest size.
fn largest_photo(msg: &Message) -> Option<String> {
    msg.photo()?
        .iter()
        .max_by_key(|size| size.width * size.height)
        .map(|size| size.file.id.0.clone())
}

/// Any message: a question, a command, a push.
pub async fn on_message(
    bot: Bot,
    update: Update,
    msg: Message,
    me: Me,
    ctx: BotContext,
) -> HandlerResult {
    let chat = msg.chat.id;
    let apology_bot = bot.clone();
    let handle = guarded(
        handle_message(bot, msg, me, ctx.clone()),
        move || async move {
            let _ = apology_bot.send_message(chat, text::SORRY).await;
        },
    );
    once(&ctx, &update, handle).await
}

async fn handle_message(bot: Bot, msg: Message, me: Me, ctx: BotContext) -> HandlerResult {
    if on_migration(&ctx, &msg).await {
        return Ok(());
    }
    let to = Destination {
        chat: msg.chat.id,
        thread: msg.thread_id.filter(|_| msg.is_topic_message),
        reply_to: Some(msg.id),
    };
    // An admin's album comes as one update a photo, one of them captioned
    // `/push`: the photos are gathered, and the push waits for the rest.
    let sender = sender_of(&ctx, msg.chat.id, msg.from.as_ref())
        .await?
        .in_thread(topic_of(&msg));
    if sender.is_admin
        && let (Some(group), Some(photo)) = (msg.media_group_id(), largest_photo(&msg))
    {
        ctx.albums.add(&group.0, msg.id.0, photo, Instant::now());
        let captioned_push = msg.caption().is_some_and(is_push_command);
        if !captioned_push {
            return Ok(());
        }
        let text = msg.caption().unwrap_or_default().to_string();
        let group = group.0.clone();
        tokio::spawn(async move {
            tokio::time::sleep(JOIN_WINDOW).await;
            let photos = ctx.albums.take(&group);
            let after = crate::commands::slash_command(&text)
                .map_or(String::new(), |typed| typed.argument.to_string());
            let request = Request::push_with_photos(after, photos);
            if let Err(e) = push_and_report(&bot, &ctx, to, sender, request, None).await {
                tracing::warn!(error = %e, "an album's push failed");
            }
        });
        return Ok(());
    }
    let Some(raw) = msg.text().or(msg.caption()) else {
        if msg.chat.is_private() {
            send_reply(&bot, to, &Reply::text(text::EMPTY), None).await?;
        }
        return Ok(());
    };
    let Some(text) = addressed_text(&msg, raw, &me) else {
        return Ok(());
    };
    let limited = sender.user_id.unwrap_or(sender.chat_id);
    // An admin's page may be in a document or in the message replied to:
    // the front end fetches it. Everything else is read by the desk, off
    // the async threads (parsing resolves places).
    let pushing = sender.is_admin && is_push_command(&text);
    let key: PushKey = (msg.chat.id.0, sender.user_id.unwrap_or_default());
    if sender.is_admin && !pushing && crate::commands::slash_command(&text).is_none() {
        // The next part of a long paste the client split into messages: the
        // paste was counted once, with its `/push`; a part past the join's
        // bounds is counted as any message (and named in the report).
        match ctx.pending_pushes.add(key, &text, Instant::now()) {
            Part::Ordinary => {}
            Part::Joined(generation) => {
                spawn_push_when_quiet(bot, ctx, to, sender, key, generation);
                return Ok(());
            }
            Part::LeftOut(waiting) => {
                // Counted, never answered on its own: the report names it.
                let _ = ctx.limiter.check(limited);
                if let Some(generation) = waiting {
                    spawn_push_when_quiet(bot, ctx, to, sender, key, generation);
                }
                return Ok(());
            }
        }
    }
    match ctx.limiter.check(limited) {
        Verdict::Allow => {}
        Verdict::SlowDown => {
            send_reply(&bot, to, &Reply::text(text::SLOW_DOWN), None).await?;
            return Ok(());
        }
        Verdict::Ignore => return Ok(()),
    }
    if !pushing {
        let editing = sender.is_admin && is_editor_command(&text);
        // An admin's reply to a question's notice (the bot's own message)
        // answers that question; a command in reply is still a command.
        let notice = msg
            .reply_to_message()
            .filter(|_| sender.is_admin && crate::commands::slash_command(&text).is_none())
            .filter(|original| original.from.as_ref().is_some_and(|u| u.id == me.id))
            .and_then(|original| original.text().map(str::to_string));
        let (message_id, name) = (msg.id.0, author_name(msg.from.as_ref()));
        let request = on_desk(&ctx.desk, move |desk| {
            notice
                .and_then(|notice| Request::answer_to(&notice, &text))
                .unwrap_or_else(|| desk.parse(&text))
                .from_message(message_id, &name)
        })
        .await?;
        let sender = if changes_deliveries(&request) {
            let checked = with_group_rights(
                &bot,
                &msg.chat,
                msg.sender_chat.as_ref(),
                msg.from.as_ref(),
                sender,
            )
            .await;
            let Some(sender) = checked else {
                send_reply(&bot, to, &Reply::text(text::GROUP_ADMINS_UNKNOWN), None).await?;
                return Ok(());
            };
            sender
        } else {
            sender
        };
        let editor_change = match (&request, sender.is_owner) {
            (Request::Editors(EditorsArgument::Add(id)), true) => Some((*id, true)),
            (Request::Editors(EditorsArgument::Remove(id)), true) => Some((*id, false)),
            _ => None,
        };
        let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
        let full_text_buttons = !reply.blocks.iter().any(|b| matches!(b, Block::Full(_)));
        let private_chat = (!msg.chat.is_private()).then(|| liuyan_link(&me));
        let keyboard = keyboard_in_chat(&reply, full_text_buttons, private_chat.as_ref());
        send_reply(&bot, to, &reply, keyboard).await?;
        after_liuyan(&bot, &ctx, &reply).await;
        if let Some((editor, added)) = editor_change {
            // The admin menu follows: shown to an editor added, taken back
            // from one removed (unless they are an admin still).
            let shown = on_desk(&ctx.desk, move |desk| desk.is_admin(editor)).await?;
            if shown == added {
                crate::telegram::register_admin_menu(&bot, editor, added).await;
            }
        }
        if editing {
            after_edit(&bot, &ctx).await;
        }
        return Ok(());
    }
    let request = match push_page(&bot, &ctx, &msg, &text).await {
        Ok(PushSource::Whole(request)) => request,
        Ok(PushSource::Typed(page)) => {
            let (earlier, start) = ctx.pending_pushes.start(key, page, Instant::now());
            if let Some(earlier) = earlier {
                // A paste still arriving when the admin pushed again: it is
                // pushed now, whole, before the new one.
                let request = Request::push(earlier.page);
                push_and_report(&bot, &ctx, to, sender, request, earlier.left_out).await?;
            }
            match start {
                PushStart::Now(page) => Request::push(page),
                PushStart::Wait(generation) => {
                    spawn_push_when_quiet(bot, ctx, to, sender, key, generation);
                    return Ok(());
                }
            }
        }
        Err(reply) => {
            send_reply(&bot, to, &reply, None).await?;
            return Ok(());
        }
    };
    push_and_report(&bot, &ctx, to, sender, request, None).await
}

/// Pushes a page, sends the admin the report (first naming the parts of a
/// split paste that were left out), then the deliveries it queued.
async fn push_and_report(
    bot: &Bot,
    ctx: &BotContext,
    to: Destination,
    sender: Sender,
    request: Request,
    left_out: Option<PartsLeftOut>,
) -> HandlerResult {
    let mut reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
    if let Some(left_out) = &left_out {
        reply.blocks.insert(0, text::parts_left_out(left_out));
    }
    let sent = send_reply(bot, to, &reply, keyboard_for(&reply, true)).await?;
    note_push_report(ctx, &reply, to, &sent).await;
    let made = outbox::deliver_due(bot, &ctx.desk).await;
    tracing::info!(made, "deliveries after a push");
    Ok(())
}

/// A sender's display name, for admins' eyes only (a 留言's asker, the
/// admin who answered).
fn author_name(user: Option<&teloxide::types::User>) -> String {
    match user {
        Some(user) => match &user.username {
            Some(username) => format!("{} (@{username})", user.full_name()),
            None => user.full_name(),
        },
        None => String::new(),
    }
}

/// The link that opens the bot's private chat ready for a 留言
/// (`/start liuyan`): the 留言给工会 button in a group.
fn liuyan_link(me: &Me) -> reqwest::Url {
    let mut link = me.tme_url();
    link.set_query(Some("start=liuyan"));
    link
}

/// After a reply that filed a 留言: the question goes to each admin's
/// private chat at once, one notice a question, which a reply answers
/// (claimed through the database, so the sender loop never sends it again).
/// An answer goes to its member the same way, by the sender loop.
async fn after_liuyan(bot: &Bot, ctx: &BotContext, reply: &Reply) {
    if reply.files_question.is_some() {
        let admins = match on_desk(&ctx.desk, |desk| desk.admin_ids()).await {
            Ok(admins) => admins,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the admins");
                return;
            }
        };
        let noticed = outbox::notify_admins(bot, &ctx.desk, &admins).await;
        tracing::info!(noticed, "admins told of new questions");
    }
}

/// True for an editor's command that sends, changes or takes back what
/// subscribers get (`/send`, `/correct`, `/delete` …).
fn is_editor_command(text: &str) -> bool {
    use crate::commands::CommandKind;
    crate::commands::slash_command(text)
        .and_then(|typed| typed.command)
        .is_some_and(|c| {
            matches!(
                c.kind,
                CommandKind::Send
                    | CommandKind::Cancel
                    | CommandKind::Correct
                    | CommandKind::Delete
                    | CommandKind::Restore
                    | CommandKind::Update
                    | CommandKind::Keep
                    | CommandKind::Schedule
            )
        })
}

/// After an editor's command: what it made due goes out now (立即发送),
/// and what it changed reaches the messages already sent, rather than at
/// the sender's next round.
async fn after_edit(bot: &Bot, ctx: &BotContext) {
    let made = outbox::deliver_due(bot, &ctx.desk).await;
    let changed = outbox::change_sent(bot, &ctx.desk).await;
    tracing::info!(
        made,
        changed,
        "deliveries and message changes after an edit"
    );
}

/// Remembers the message that reports on a push (its last part, where
/// the buttons are), so it is edited as the push's deliveries go out.
async fn note_push_report(ctx: &BotContext, reply: &Reply, to: Destination, sent: &[MessageId]) {
    let (Some(push), Some(message)) = (reply.reports_push, sent.last()) else {
        return;
    };
    let (chat, message) = (to.chat.0, message.0);
    let noted = on_desk(&ctx.desk, move |desk| {
        desk.editions().report_sent(push, chat, message)
    })
    .await;
    match noted {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot note a push report"),
        Err(e) => tracing::warn!(error = %e, "cannot note a push report"),
    }
}

/// Waits for the rest of a split paste; when [`JOIN_WINDOW`] passes with no
/// new part, pushes the parts joined (a newer part's waiter does it instead).
fn spawn_push_when_quiet(
    bot: Bot,
    ctx: BotContext,
    to: Destination,
    sender: Sender,
    key: PushKey,
    generation: u64,
) {
    tokio::spawn(async move {
        tokio::time::sleep(JOIN_WINDOW).await;
        let Some(joined) = ctx
            .pending_pushes
            .take_if_quiet(key, generation, Instant::now())
        else {
            return;
        };
        let chat = to.chat;
        let request = Request::push(joined.page);
        let pushed = guarded(
            push_and_report(&bot, &ctx, to, sender, request, joined.left_out),
            || async {
                let _ = bot.send_message(chat, text::SORRY).await;
            },
        )
        .await;
        if let Err(e) = pushed {
            tracing::warn!(error = %e, "a joined push failed");
        }
    });
}

/// A button press: 全文, 上一页, 下一页.
pub async fn on_callback(bot: Bot, q: CallbackQuery, me: Me, ctx: BotContext) -> HandlerResult {
    let id = q.id.clone();
    let apology_bot = bot.clone();
    guarded(handle_callback(bot, q, me, ctx), move || async move {
        let _ = apology_bot
            .answer_callback_query(id)
            .text(text::SORRY)
            .await;
    })
    .await
}

async fn handle_callback(bot: Bot, q: CallbackQuery, me: Me, ctx: BotContext) -> HandlerResult {
    let callback = q.data.as_deref().and_then(Callback::decode);
    let message = q.message.as_ref().and_then(|m| m.regular_message());
    let (Some(callback), Some(message)) = (callback, message) else {
        bot.answer_callback_query(q.id.clone())
            .text(text::STALE_BUTTON)
            .await?;
        return Ok(());
    };
    let sender = sender_of(&ctx, message.chat.id, Some(&q.from))
        .await?
        .in_thread(topic_of(message));
    if let Callback::Vote(answer, vote) = callback {
        // Answered with a notice on the button, not a message in the chat.
        if ctx.limiter.check(q.from.id.0 as i64) != Verdict::Allow {
            bot.answer_callback_query(q.id.clone())
                .text(text::SLOW_DOWN)
                .await?;
            return Ok(());
        }
        let request = Request::Vote { answer, vote };
        let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
        bot.answer_callback_query(q.id.clone())
            .text(reply::to_plain(&reply))
            .await?;
        return Ok(());
    }
    bot.answer_callback_query(q.id.clone()).await?;
    if ctx.limiter.check(q.from.id.0 as i64) == Verdict::Ignore {
        return Ok(());
    }
    let to = Destination {
        chat: message.chat.id,
        thread: message.thread_id.filter(|_| message.is_topic_message),
        reply_to: Some(message.id),
    };
    // What a chat is sent is changed, in a group, by its admins only.
    let changes_deliveries = matches!(
        callback,
        Callback::Setting(_) | Callback::Subscribe(_) | Callback::Unsubscribe(_)
    );
    let sender = if changes_deliveries {
        let checked = with_group_rights(&bot, &message.chat, None, Some(&q.from), sender).await;
        let Some(sender) = checked else {
            send_reply(&bot, to, &Reply::text(text::GROUP_ADMINS_UNKNOWN), None).await?;
            return Ok(());
        };
        sender
    } else {
        sender
    };
    match callback {
        Callback::Vote(..) => {}
        Callback::FeedbackPeriod(days) => {
            // Callback data can be forged: the desk checks the presser is an
            // admin (the sender is built from the presser's own id), and
            // only an admin's press edits the message it is under.
            let is_admin = sender.is_admin;
            let request = Request::Feedback { days };
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            if is_admin {
                edit_reply(&bot, message.chat.id, message.id, &reply).await?;
            } else {
                send_reply(&bot, to, &reply, None).await?;
            }
        }
        Callback::Wordings(days, topic) => {
            let request = Request::Wordings { days, topic };
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
        }
        Callback::ConfirmWord(proposal) => {
            let request = Request::Teach(crate::request::TeachArgument::Confirm(proposal));
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
        }
        Callback::Full(id) => {
            let reply = on_desk(&ctx.desk, move |desk| {
                desk.handle(&sender, Request::article(id))
            })
            .await?;
            send_reply(&bot, to, &reply, None).await?;
        }
        Callback::Page { list, page } => {
            // The question is read from the message the list answers, the
            // way the first page read it.
            let question = message.reply_to_message().and_then(|original| {
                let text = original.text().or(original.caption())?;
                addressed_text(original, text, &me)
            });
            let reply = match (list, question) {
                (ListKind::Search, None) => Reply::text(text::QUESTION_GONE),
                (ListKind::Search, Some(question)) => {
                    on_desk(&ctx.desk, move |desk| match desk.parse(&question) {
                        Request::Search { question, .. } => {
                            desk.handle(&sender, Request::search(&question, page))
                        }
                        _ => Reply::text(text::QUESTION_GONE),
                    })
                    .await?
                }
                (ListKind::City(code), _) => {
                    let request = Request::city_page(code, page);
                    on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?
                }
                (ListKind::Latest, _) => {
                    let request = Request::latest_page(page);
                    on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?
                }
            };
            edit_reply(&bot, message.chat.id, message.id, &reply).await?;
        }
        Callback::Edit(action, id) => {
            // Callback data can be forged: the desk checks the presser is an
            // admin (the sender is built from the presser's own id).
            let id = IdArgument::Id(id);
            let request = match action {
                EditAction::Send => Request::Send(id),
                EditAction::Correct => Request::Correct {
                    id,
                    fields: String::new(),
                },
                EditAction::Retract => Request::Delete(id),
                EditAction::Restore => Request::Restore(id),
                EditAction::Schedule => Request::Schedule {
                    id,
                    when: String::new(),
                },
                EditAction::Update => Request::Update(id),
                EditAction::Keep => Request::Keep(id),
            };
            let is_admin = sender.is_admin;
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
            if is_admin {
                after_edit(&bot, &ctx).await;
            }
        }
        Callback::EventYear(id, year) => {
            let request = Request::Correct {
                id: IdArgument::Id(id),
                fields: text::event_year_field(year),
            };
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
        }
        Callback::LeaveQuestion => {
            // The question is the member's message the pressed reply
            // answers; only its asker may leave it (the presser's id decides).
            let original = message
                .reply_to_message()
                .filter(|original| original.from.as_ref().is_some_and(|u| u.id == q.from.id));
            let Some(original) = original else {
                let refused = if message.reply_to_message().is_some() {
                    text::LEAVE_QUESTION_NOT_YOURS
                } else {
                    text::QUESTION_GONE
                };
                send_reply(&bot, to, &Reply::text(refused), None).await?;
                return Ok(());
            };
            let asked = original
                .text()
                .or(original.caption())
                .and_then(|text| addressed_text(original, text, &me))
                .unwrap_or_default();
            let (message_id, name) = (original.id.0, author_name(Some(&q.from)));
            let reply = on_desk(&ctx.desk, move |desk| {
                // The question as the member wrote it, without a command word.
                let question = match desk.parse(&asked) {
                    Request::Search { question, .. } => question,
                    Request::Liuyan(question) => question.text,
                    _ => asked.trim().to_string(),
                };
                let request = Request::liuyan(&question).from_message(message_id, &name);
                desk.handle(&sender, request)
            })
            .await?;
            send_reply(&bot, to, &reply, None).await?;
            after_liuyan(&bot, &ctx, &reply).await;
        }
        Callback::WithdrawQuestion(number) => {
            // Callback data can be forged: the desk withdraws only the
            // presser's own question.
            let request = Request::Withdraw(Some(number));
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
        }
        Callback::Setting(setting) => {
            // The chat's own settings: the desk refuses a subscription the
            // chat does not have or an hour no button offers, and, in a
            // group, anyone but its admins.
            let request = Request::Setting(setting);
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            if reply.replaces_message {
                edit_reply(&bot, message.chat.id, message.id, &reply).await?;
            } else {
                send_reply(&bot, to, &reply, None).await?;
            }
        }
        Callback::Subscribe(code) | Callback::Unsubscribe(code) => {
            // As the command typed in this chat would: the same rules (in a
            // group, only its admins), the same reply.
            let target = match code {
                crate::store::ALL_CITIES => Subscription::All,
                code => Subscription::Place(PlaceArgument::city_code(code)),
            };
            let request = match callback {
                Callback::Subscribe(_) => Request::Subscribe(target),
                _ => Request::Unsubscribe(target),
            };
            let reply = on_desk(&ctx.desk, move |desk| desk.handle(&sender, request)).await?;
            send_reply(&bot, to, &reply, None).await?;
        }
    }
    Ok(())
}

/// Inline mode: `@bot 湛江 驿站` in any chat offers matching articles.
pub async fn on_inline(bot: Bot, q: InlineQuery, ctx: BotContext) -> HandlerResult {
    guarded(handle_inline(bot, q, ctx), || async {}).await
}

async fn handle_inline(bot: Bot, q: InlineQuery, ctx: BotContext) -> HandlerResult {
    let query = q.query.trim().to_string();
    if query.is_empty() || ctx.limiter.check(q.from.id.0 as i64) == Verdict::Ignore {
        with_retry(|| {
            bot.answer_inline_query(q.id.clone(), Vec::<InlineQueryResult>::new())
                .into_future()
        })
        .await?;
        return Ok(());
    }
    let sender = Sender::member(q.from.id.0 as i64, Some(q.from.id.0 as i64));
    let request = Request::search(&query, 1);
    // Typed a letter at a time: not a question for the log.
    let reply = on_desk(&ctx.desk, move |desk| {
        desk.handle_unlogged(&sender, request)
    })
    .await?;
    let results = inline_results(&reply);
    with_retry(|| {
        bot.answer_inline_query(q.id.clone(), results.clone())
            .cache_time(60)
            .into_future()
    })
    .await?;
    Ok(())
}

/// One inline result per listed article: its title, its summary as the
/// description, and the item as the message to send.
pub fn inline_results(reply: &Reply) -> Vec<InlineQueryResult> {
    reply
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Item(item) => Some(item),
            _ => None,
        })
        .filter_map(|item| {
            let single = Reply {
                blocks: vec![Block::Item(item.clone())],
                ..Default::default()
            };
            let html = reply::to_html(&single).into_iter().next()?;
            let content = InputMessageContentText::new(html)
                .parse_mode(ParseMode::Html)
                .link_preview_options(crate::telegram::send::no_preview());
            Some(InlineQueryResult::Article(
                InlineQueryResultArticle::new(
                    item.id.to_string(),
                    item.title.clone(),
                    InputMessageContent::Text(content),
                )
                .description(crate::summary::shorten(&item.summary, 60)),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sent_again_has_the_same_key_and_a_new_message_under_an_old_id_does_not() {
        use teloxide::types::{UpdateId, UpdateKind};
        let update = |id: u32, text: &str| Update {
            id: UpdateId(id),
            kind: UpdateKind::Message(teloxide_tests::MockMessageText::new().text(text).build()),
        };
        assert_eq!(
            update_key(&update(7, "湛江")),
            update_key(&update(7, "湛江"))
        );
        assert_ne!(
            update_key(&update(7, "湛江")),
            update_key(&update(8, "湛江"))
        );
        assert_ne!(
            update_key(&update(7, "湛江")),
            update_key(&update(7, "吴川"))
        );
    }

    #[tokio::test]
    async fn a_panicking_handler_is_caught_and_apologised_for() {
        let apologised = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = apologised.clone();
        let result = guarded(
            async {
                let pages: Vec<u32> = Vec::new();
                let _ = std::hint::black_box(&pages)[3];
                Ok(())
            },
            move || async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) },
        )
        .await;
        assert!(result.is_ok());
        assert!(apologised.load(std::sync::atomic::Ordering::SeqCst));
        // A handler that does not panic is left alone.
        assert!(
            guarded(async { Ok(()) }, || async { unreachable!() })
                .await
                .is_ok()
        );
    }
    use crate::article::ArticleId;
    use crate::reply::Item;

    #[test]
    fn inline_results_offer_each_listed_article_with_its_summary() {
        let item = |rank: usize, id: &str| {
            Block::Item(Item {
                rank,
                id: ArticleId::parse(id).unwrap(),
                title: format!("标题<{rank}>"),
                summary: "摘要".repeat(50),
                source: "职工报".into(),
                why: None,
                link: None,
            })
        };
        let reply = Reply {
            blocks: vec![
                Block::Heading("找到 2 篇".into()),
                item(1, "1a2b3c4d"),
                item(2, "5e6f7a8b"),
            ],
            ..Default::default()
        };
        let results = inline_results(&reply);
        assert_eq!(results.len(), 2);
        let InlineQueryResult::Article(first) = &results[0] else {
            panic!("not an article result: {:?}", results[0]);
        };
        assert_eq!(first.id, "1a2b3c4d");
        assert_eq!(first.title, "标题<1>");
        assert!(
            first
                .description
                .as_ref()
                .is_some_and(|d| d.chars().count() <= 60)
        );
        let InputMessageContent::Text(content) = &first.input_message_content else {
            panic!("not text content");
        };
        assert!(
            content.message_text.contains("标题&lt;1&gt;"),
            "{}",
            content.message_text
        );
        assert_eq!(content.parse_mode, Some(ParseMode::Html));
    }
}
