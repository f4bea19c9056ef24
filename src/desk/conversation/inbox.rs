//! Questions to the union (留言) in the conversation: the requests handed
//! to the desk's inbox, and the 留言给工会 offer under a reply that cannot
//! answer (nothing found, a member's own rights).

use super::Conversation;
use crate::desk::DeskError;
use crate::desk::inbox::Inbox;
use crate::reply::{Block, Offer, Reply, text};
use crate::request::{Request, Sender};

impl Conversation<'_> {
    fn inbox(&self) -> Inbox<'_> {
        Inbox {
            store: self.store,
            time: self.time,
        }
    }

    /// The reply to a 留言 request (`Liuyan`, `MyQuestions`, `Withdraw`,
    /// `Inbox`, `Answer`); `None` for any other request.
    pub(super) fn inbox_reply(
        &self,
        sender: &Sender,
        request: &Request,
    ) -> Result<Option<Reply>, DeskError> {
        let inbox = self.inbox();
        Ok(Some(match request {
            Request::Liuyan(question) => inbox.file(sender, question)?,
            Request::MyQuestions => inbox.mine(sender)?,
            Request::Withdraw(number) => inbox.withdraw(sender, *number)?,
            Request::Inbox => inbox.list(sender)?,
            Request::Answer {
                number,
                text,
                by_name,
            } => inbox.answer(sender, *number, text, by_name.as_deref())?,
            _ => return Ok(None),
        }))
    }
}

/// A reply that cannot answer, with the offer to leave the question for
/// the union's people (a button, and the same in words).
pub(super) fn offering_liuyan(mut reply: Reply) -> Reply {
    reply.push(Block::Hint(text::LEAVE_QUESTION_HINT.into()));
    reply.offers.push(Offer::LeaveQuestion);
    reply
}
