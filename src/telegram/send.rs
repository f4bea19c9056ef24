//! Sending replies: HTML parse mode, no link previews, in the asker's forum
//! topic, retried when Telegram says to wait (`RetryAfter`), which teloxide's
//! `Throttle` has let through before.

use crate::reply::{Reply, to_html, to_html_with_caption};
use crate::telegram::callback::keyboard_for;
use std::time::Duration;
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters};
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardMarkup, LinkPreviewOptions, MessageId, ParseMode, ReplyParameters, ThreadId,
};
use teloxide::{ApiError, RequestError};

/// Times a request is retried after `RetryAfter` or a network error.
const ATTEMPTS: u32 = 4;

/// Where a reply goes.
#[derive(Debug, Clone, Copy)]
pub struct Destination {
    /// The chat.
    pub chat: ChatId,
    /// The forum topic, when the question was asked in one.
    pub thread: Option<ThreadId>,
    /// The message answered, when the reply should quote it.
    pub reply_to: Option<MessageId>,
}

/// No link previews: results are text, and previews would push them off screen.
pub fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Runs a request, waiting and retrying when Telegram asks us to slow down
/// or the request failed on the way (`is_transient`); other errors are
/// returned at once.
pub async fn with_retry<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match request().await {
            Err(RequestError::RetryAfter(wait)) if attempt < ATTEMPTS => {
                tracing::warn!(seconds = wait.seconds(), "Telegram asked to retry later");
                tokio::time::sleep(wait.duration()).await;
            }
            Err(e) if attempt < ATTEMPTS && is_transient(&e) => {
                tracing::warn!(error = %e, attempt, "request failed; retrying");
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
            }
            result => return result,
        }
    }
}

/// True for failures worth another try: the network, a server error
/// (Telegram's own 5xx in JSON, or a proxy's page that is not JSON at all),
/// an answer cut short. A message met by one of these was most likely not
/// sent; in the rare case it was, the member sees it twice, which beats
/// never.
fn is_transient(error: &RequestError) -> bool {
    const SERVER_ERRORS: [&str; 4] = [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ];
    match error {
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => true,
        RequestError::Api(ApiError::Unknown(description)) => {
            SERVER_ERRORS.iter().any(|e| description.contains(e))
        }
        _ => false,
    }
}

/// Sends a reply as one or more messages; the keyboard goes under the
/// last. A reply with photos sends them first (one photo, or an album), the
/// text as their caption as far as it fits and the rest as messages after.
/// Returns the ids of the messages sent, in order.
pub async fn send_reply<R>(
    bot: &R,
    to: Destination,
    reply: &Reply,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<Vec<MessageId>, RequestError>
where
    R: Requester<Err = RequestError>,
{
    let mut sent = Vec::new();
    let messages = if reply.photos.is_empty() {
        to_html(reply)
    } else {
        let (caption, rest) = to_html_with_caption(reply);
        let keyboard_here = if rest.is_empty() {
            keyboard.clone()
        } else {
            None
        };
        sent.extend(
            send_photos(
                bot,
                to,
                &reply.photos,
                &caption,
                keyboard_here,
                reply.silent,
            )
            .await?,
        );
        rest
    };
    let last = messages.len().saturating_sub(1);
    for (i, html) in messages.iter().enumerate() {
        let keyboard = if i == last { keyboard.clone() } else { None };
        let message = with_retry(|| {
            let mut request = bot
                .send_message(to.chat, html.clone())
                .parse_mode(ParseMode::Html)
                .link_preview_options(no_preview());
            if let Some(thread) = to.thread {
                request = request.message_thread_id(thread);
            }
            if let (0, Some(id), true) = (i, to.reply_to, sent.is_empty()) {
                request = request
                    .reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
            }
            if let Some(keyboard) = keyboard.clone() {
                request = request.reply_markup(keyboard);
            }
            if reply.silent {
                request = request.disable_notification(true);
            }
            request.into_future()
        })
        .await?;
        sent.push(message.id);
    }
    Ok(sent)
}

/// Sends photos with a caption: one with `sendPhoto` (and the keyboard),
/// several as an album (the caption on its first; an album takes no keyboard).
async fn send_photos<R>(
    bot: &R,
    to: Destination,
    photos: &[String],
    caption: &str,
    keyboard: Option<InlineKeyboardMarkup>,
    silent: bool,
) -> Result<Vec<MessageId>, RequestError>
where
    R: Requester<Err = RequestError>,
{
    use teloxide::payloads::{SendMediaGroupSetters, SendPhotoSetters};
    use teloxide::types::{FileId, InputFile, InputMedia, InputMediaPhoto};
    if let [photo] = photos {
        let message = with_retry(|| {
            let mut request = bot.send_photo(to.chat, InputFile::file_id(FileId(photo.clone())));
            if !caption.is_empty() {
                request = request
                    .caption(caption.to_string())
                    .parse_mode(ParseMode::Html);
            }
            if let Some(thread) = to.thread {
                request = request.message_thread_id(thread);
            }
            if let Some(id) = to.reply_to {
                request = request
                    .reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
            }
            if let Some(keyboard) = keyboard.clone() {
                request = request.reply_markup(keyboard);
            }
            if silent {
                request = request.disable_notification(true);
            }
            request.into_future()
        })
        .await?;
        return Ok(vec![message.id]);
    }
    // Telegram takes 2 to 10 photos an album.
    let media: Vec<InputMedia> = photos
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, photo)| {
            let mut item = InputMediaPhoto::new(InputFile::file_id(FileId(photo.clone())));
            if i == 0 && !caption.is_empty() {
                item = item
                    .caption(caption.to_string())
                    .parse_mode(ParseMode::Html);
            }
            InputMedia::Photo(item)
        })
        .collect();
    let messages = with_retry(|| {
        let mut request = bot.send_media_group(to.chat, media.clone());
        if let Some(thread) = to.thread {
            request = request.message_thread_id(thread);
        }
        if silent {
            request = request.disable_notification(true);
        }
        if let Some(id) = to.reply_to {
            request =
                request.reply_parameters(ReplyParameters::new(id).allow_sending_without_reply());
        }
        request.into_future()
    })
    .await?;
    Ok(messages.into_iter().map(|m| m.id).collect())
}

/// Replaces a photo's caption with `html` (a corrected article sent with
/// its photo). An unchanged caption is not an error.
pub async fn edit_caption_html<R>(
    bot: &R,
    chat: ChatId,
    message: MessageId,
    html: String,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    use teloxide::payloads::EditMessageCaptionSetters;
    let result = with_retry(|| {
        bot.edit_message_caption(chat, message)
            .caption(html.clone())
            .parse_mode(ParseMode::Html)
            .into_future()
    })
    .await;
    match result {
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Replaces a message's text with `html`, under `keyboard` (none: the
/// message loses its buttons). An unchanged text is not an error.
pub async fn edit_text_html<R>(
    bot: &R,
    chat: ChatId,
    message: MessageId,
    html: String,
    keyboard: Option<InlineKeyboardMarkup>,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    let result = with_retry(|| {
        let mut request = bot
            .edit_message_text(chat, message, html.clone())
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(keyboard) = keyboard.clone() {
            request = request.reply_markup(keyboard);
        }
        request.into_future()
    })
    .await;
    match result {
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Replaces a message with another page of a reply (its first message; a
/// page of results always fits one). An unchanged page is not an error.
pub async fn edit_reply<R>(
    bot: &R,
    chat: ChatId,
    message: MessageId,
    reply: &Reply,
) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    let Some(html) = to_html(reply).into_iter().next() else {
        return Ok(());
    };
    let keyboard = keyboard_for(reply, true);
    let result = with_retry(|| {
        let mut request = bot
            .edit_message_text(chat, message, html.clone())
            .parse_mode(ParseMode::Html)
            .link_preview_options(no_preview());
        if let Some(keyboard) = keyboard.clone() {
            request = request.reply_markup(keyboard);
        }
        request.into_future()
    })
    .await;
    match result {
        Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
        other => other.map(|_| ()),
    }
}
