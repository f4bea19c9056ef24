//! The admin commands: `/push` a page, `/delete` an article. Whether the
//! sender may is checked before a request reaches them.

use super::Conversation;
use crate::desk::ingest::Ingest;
use crate::desk::{DeskError, MAX_PAGE_BYTES};
use crate::reply::{Reply, text};
use crate::request::{IdArgument, PushedPage, Sender};

impl Conversation<'_> {
    fn ingest(&self) -> Ingest<'_> {
        Ingest {
            store: self.store,
            index: self.index,
            home: self.home,
            documents: self.documents,
        }
    }

    pub(super) fn push(&self, sender: &Sender, page: &PushedPage) -> Result<Reply, DeskError> {
        if page.text.trim().is_empty() {
            return Ok(Reply::text(text::PUSH_USAGE));
        }
        let origin = format!("push:{}", sender.user_id.unwrap_or(sender.chat_id));
        match self
            .ingest()
            .push(&page.text, &origin, page.link.as_deref())
        {
            Ok(report) => Ok(text::push_report(&report)),
            Err(DeskError::TooLarge { bytes, .. }) => {
                Ok(text::text_too_large(bytes, MAX_PAGE_BYTES))
            }
            Err(e) => Err(e),
        }
    }

    pub(super) fn delete(&self, id: &IdArgument) -> Result<Reply, DeskError> {
        let id = match id {
            IdArgument::Id(id) => id,
            IdArgument::Missing => return Ok(Reply::text(text::DELETE_USAGE)),
            IdArgument::Invalid(shown) => return Ok(text::no_such_article(shown)),
        };
        let title = self.store.article(id)?.map(|a| a.title.headline);
        Ok(match title {
            Some(title) if self.ingest().delete(id)? => text::deleted(id, &title),
            _ => text::no_such_article(id.as_str()),
        })
    }
}
