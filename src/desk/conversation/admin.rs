//! The admin commands: `/push` a page and what editors do with it after
//! (`/send`, `/schedule`, `/cancel`, `/correct`, `/delete`, `/restore`,
//! `/status`). Whether the sender may is checked before a request reaches
//! them; the work is the editions service's, the words the reply's.

use super::Conversation;
use crate::article::ArticleId;
use crate::desk::editions::Editions;
use crate::desk::ingest::Ingest;
use crate::desk::{DeskError, MAX_PAGE_BYTES};
use crate::reply::{Reply, text};
use crate::report::{CorrectRefused, EditOutcome};
use crate::request::{IdArgument, PushedPage, Sender};

/// Which editor command a reply is for (its words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EditCommand {
    Send,
    Cancel,
    Retract,
    Restore,
    Update,
    Keep,
}

impl Conversation<'_> {
    fn editions(&self) -> Editions<'_> {
        Editions {
            store: self.store,
            ingest: Ingest {
                store: self.store,
                index: self.index,
                home: self.home,
                documents: self.documents,
                time: self.time,
            },
            time: self.time,
            home: self.home,
            push_hold_secs: self.push_hold_secs,
        }
    }

    pub(super) fn push(&self, sender: &Sender, page: &PushedPage) -> Result<Reply, DeskError> {
        if page.text.trim().is_empty() {
            return Ok(Reply::text(text::PUSH_USAGE));
        }
        if self.editions().schedule_refused(&page.text) {
            return Ok(Reply::text(text::SCHEDULE_USAGE));
        }
        let by = editor(sender);
        let origin = format!("push:{by}");
        match self.editions().push_with_photos(
            &page.text,
            &origin,
            page.link.as_deref(),
            by,
            sender.chat_id,
            &page.photos,
        ) {
            Ok(report) => Ok(self.push_report(&report)),
            Err(DeskError::TooLarge { bytes, .. }) => {
                Ok(text::text_too_large(bytes, MAX_PAGE_BYTES))
            }
            Err(e) => Err(e),
        }
    }

    /// The report of a push (or of a copy kept as new), with its buttons.
    fn push_report(&self, report: &crate::report::IngestReport) -> Reply {
        text::push_report(
            report,
            self.time.today(),
            report.deliver_at.map(|at| self.time.wall(at)).as_deref(),
            self.push_hold_secs,
        )
    }

    /// `/send`, `/cancel`, `/delete`, `/restore`, `/update`, `/keep` on one article.
    pub(super) fn edit(
        &self,
        sender: &Sender,
        command: EditCommand,
        id: &IdArgument,
    ) -> Result<Reply, DeskError> {
        let Some(id) = self.id_or_reply(id, command)? else {
            return Ok(Reply::text(text::edit_usage(command_name(command))));
        };
        let id = match id {
            Ok(id) => id,
            Err(reply) => return Ok(reply),
        };
        let by = editor(sender);
        let editions = self.editions();
        let outcome = match command {
            EditCommand::Send => editions.send_now(&id)?,
            EditCommand::Cancel => editions.cancel(&id, by)?,
            EditCommand::Retract => editions.retract(&id, by)?,
            EditCommand::Restore => editions.restore(&id, by)?,
            EditCommand::Update => editions.update_now(&id)?,
            EditCommand::Keep => match editions.keep(&id, by, sender.chat_id)? {
                Ok(report) => return Ok(self.push_report(&report)),
                Err(outcome) => outcome,
            },
        };
        Ok(text::edit_outcome(command_name(command), &id, &outcome))
    }

    pub(super) fn schedule(
        &self,
        sender: &Sender,
        id: &IdArgument,
        when: &str,
    ) -> Result<Reply, DeskError> {
        let id = match self.id_or_reply(id, EditCommand::Send)? {
            Some(Ok(id)) => id,
            Some(Err(reply)) => return Ok(reply),
            None => return Ok(Reply::text(text::SCHEDULE_USAGE)),
        };
        if when.trim().is_empty() {
            // The 定时 button: tomorrow 08:00 as the example to edit.
            let tomorrow = self.time.today() + chrono::Duration::days(1);
            return Ok(text::schedule_form(&id, &format!("{tomorrow} 08:00")));
        }
        Ok(match self.editions().schedule(&id, when, editor(sender))? {
            None => Reply::text(text::SCHEDULE_USAGE),
            Some((EditOutcome::Done { headline, .. }, wall)) => {
                text::scheduled(&id, &headline, &wall)
            }
            Some((outcome, _)) => text::edit_outcome("schedule", &id, &outcome),
        })
    }

    pub(super) fn correct(
        &self,
        sender: &Sender,
        id: &IdArgument,
        fields: &str,
    ) -> Result<Reply, DeskError> {
        let id = match self.id_or_reply(id, EditCommand::Send)? {
            Some(Ok(id)) => id,
            Some(Err(reply)) => return Ok(reply),
            None => return Ok(Reply::text(text::CORRECT_USAGE)),
        };
        let editions = self.editions();
        if fields.trim().is_empty() {
            // The 更正 button: the article's fields, to copy, edit and send.
            return Ok(match editions.record(&id)? {
                Some(record) => text::correction_form(&record.article),
                None => text::no_such_article(id.as_str()),
            });
        }
        Ok(match editions.correct(&id, fields, editor(sender))? {
            Ok((article, messages)) => text::corrected(&article, messages),
            Err(CorrectRefused::Unknown) => text::no_such_article(id.as_str()),
            Err(refused) => text::correction_refused(&refused),
        })
    }

    pub(super) fn status(&self) -> Result<Reply, DeskError> {
        let status = self.editions().status()?;
        Ok(text::status(&status, |at| self.time.wall(at)))
    }

    /// The id of an argument: `None` when missing, the reply to send when
    /// it is not an id.
    fn id_or_reply(
        &self,
        id: &IdArgument,
        _command: EditCommand,
    ) -> Result<Option<Result<ArticleId, Reply>>, DeskError> {
        Ok(match id {
            IdArgument::Id(id) => Some(Ok(id.clone())),
            IdArgument::Missing => None,
            IdArgument::Invalid(shown) => Some(Err(text::no_such_article(shown))),
        })
    }
}

/// Who edits: the admin's user id, else the chat's (the console's 0).
fn editor(sender: &Sender) -> i64 {
    sender.user_id.unwrap_or(sender.chat_id)
}

fn command_name(command: EditCommand) -> &'static str {
    match command {
        EditCommand::Send => "send",
        EditCommand::Cancel => "cancel",
        EditCommand::Retract => "delete",
        EditCommand::Restore => "restore",
        EditCommand::Update => "update",
        EditCommand::Keep => "keep",
    }
}
