//! What editors learn from members and change while the bot runs: the
//! question log (and `/privacy`, `/forget`), 👍 / 👎, `/feedback`, the
//! words editors teach (`/teach`, `/words`, `/unteach`) and `/editors`.
//!
//! Members are logged as opaque numbers ([`Conversation::member_key`]);
//! feedback never changes ranking: it is shown to editors, who decide.

use super::Conversation;
use crate::article::ArticleId;
use crate::desk::DeskError;
use crate::query::Question;
use crate::reply::{Reply, text};
use crate::report::{ChangedAnswer, WordPreview, WordRefused};
use crate::request::{EditorsArgument, Sender, TeachArgument, topic_key};
use crate::store::{LoggedQuestion, TaughtWord, Vote};
use crate::vocabulary::Vocabulary;
use crate::zh::normalize;
use crate::zh::places::{CityLookup, gazetteer};
use crate::zh::segment::segmenter;

/// Longest members' word an editor may teach, in characters.
const MAX_TAUGHT_WORD: usize = 12;
/// Longest paper's word, in characters.
const MAX_TAUGHT_MANDARIN: usize = 24;
/// The paper writes a word "often" from this many articles on (or one in
/// a hundred, in a large archive).
const PAPER_WORD_ARTICLES: u64 = 3;
/// jieba's count from which a word is everyday Chinese (工资 4976, 职工
/// 5213, 可以 70958; 司机 1455 and 外卖 20 are not).
const COMMON_WORD_FREQUENCY: usize = 2000;
/// Logged questions tried against a taught word before it is saved.
const QUESTIONS_TRIED: usize = 40;
/// Topics `/feedback` shows.
const FEEDBACK_TOPICS: usize = 12;
/// Wordings a topic's button shows.
const WORDINGS_SHOWN: usize = 15;
/// Longest question text kept in the log, in characters.
const LOGGED_CHARS: usize = 300;

impl Conversation<'_> {
    /// The opaque number a member is logged under: their id hashed with
    /// this database's secret, so the log names no one and `/forget` can
    /// still find their rows.
    fn member_key(&self, sender: &Sender) -> Result<i64, DeskError> {
        self.opaque(b"member", sender.user_id.unwrap_or(sender.chat_id))
    }

    /// The opaque number a chat is logged under (votes count only in the
    /// chat the answer was given in).
    fn chat_key(&self, sender: &Sender) -> Result<i64, DeskError> {
        self.opaque(b"chat", sender.chat_id)
    }

    /// An id hashed with this database's secret and what it identifies.
    fn opaque(&self, kind: &[u8], id: i64) -> Result<i64, DeskError> {
        use sha2::{Digest, Sha256};
        let salt = self.store.member_salt()?;
        let mut hasher = Sha256::new();
        hasher.update(salt.to_le_bytes());
        hasher.update(kind);
        hasher.update(id.to_le_bytes());
        let digest = hasher.finalize();
        let mut key = [0u8; 8];
        key.copy_from_slice(&digest[..8]);
        Ok(i64::from_le_bytes(key))
    }

    /// Logs a member's question and what it found, and puts the log's
    /// number on the reply for 👍 / 👎 when it found something. A failure
    /// is logged: it costs the record, never the answer.
    pub(super) fn log_question(&self, sender: &Sender, message: &str, reply: &mut Reply) {
        if !self.log_questions {
            return;
        }
        let question = self
            .understood
            .borrow_mut()
            .take()
            .unwrap_or_else(|| self.understand(message));
        let found = !reply.listed.is_empty();
        let now = self.time.unix();
        let keys = self
            .member_key(sender)
            .and_then(|member| Ok((member, self.chat_key(sender)?)));
        let logged = match keys {
            Ok((member, chat)) => LoggedQuestion {
                member,
                chat,
                asked_at: now,
                text: message.trim().chars().take(LOGGED_CHARS).collect(),
                understood: understood_words(&question),
                topic: self.topic(&question),
                found,
                first: reply.listed.first().cloned(),
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot log a question");
                return;
            }
        };
        let forget_before = now - i64::from(self.question_log_days) * 86_400;
        match self.store.log_question(&logged, forget_before) {
            Ok(id) if found => reply.votes = Some(id),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot log a question"),
        }
    }

    /// A question's topic, what `/feedback` groups by: the thing it asks
    /// about — of its topic words that name a thing (or that the dictionary
    /// does not know: 跑滴滴), the one fewest archived articles hold, then
    /// the rarest in everyday Chinese (养老金 in 退休了养老金咋算 工会管不管, not
    /// 工会) — named as the first word of its synonym group (外卖小哥 and 骑手
    /// are one topic); without topic words, its places and time; else its text.
    fn topic(&self, question: &Question) -> String {
        let segmenter = segmenter();
        let things: Vec<&String> = question
            .words
            .iter()
            .filter(|w| !segmenter.is_known_word(w) || segmenter.names_a_thing(w))
            .collect();
        let candidates = if things.is_empty() {
            question.words.iter().collect()
        } else {
            things
        };
        let specific = candidates
            .into_iter()
            .min_by_key(|w| (self.index.substring_freq(w), segmenter.frequency(w)));
        if let Some(word) = specific {
            return self
                .vocabulary
                .synonyms
                .head(word)
                .unwrap_or(word)
                .to_string();
        }
        let mut words: Vec<String> = question.places.iter().map(|p| p.text.clone()).collect();
        words.extend(question.time.iter().map(|t| t.text.clone()));
        if words.is_empty() {
            return question.normalized.chars().take(20).collect();
        }
        words.join(" ")
    }

    /// 👍 or 👎 on a logged answer: one per member, changeable.
    pub(super) fn vote(
        &self,
        sender: &Sender,
        answer: i64,
        vote: Vote,
    ) -> Result<Reply, DeskError> {
        let voter = self.member_key(sender)?;
        let chat = self.chat_key(sender)?;
        Ok(
            match self
                .store
                .vote(answer, chat, voter, vote, self.time.unix())?
            {
                None => Reply::text(text::VOTE_GONE),
                Some(_) if vote == Vote::Helpful => Reply::text(text::VOTE_THANKS_HELPFUL),
                Some(_) => Reply::text(text::VOTE_THANKS_MISSED),
            },
        )
    }

    /// `/privacy`.
    pub(super) fn privacy(&self) -> Reply {
        text::privacy(self.question_log_days)
    }

    /// `/forget`: the member's logged questions, votes, conversations and
    /// questions to the union (留言, which carry their name).
    pub(super) fn forget(&self, sender: &Sender) -> Result<Reply, DeskError> {
        // Conversations first: forgetting the log empties the write-ahead
        // log file too, with both deletions in it.
        let mut rows = match sender.user_id {
            Some(user) => {
                self.store.forget_conversations(user)? + self.store.forget_questions(user)?
            }
            None => 0,
        };
        rows += self.store.forget_member(self.member_key(sender)?)?;
        tracing::info!(rows, "a member's questions were forgotten at their request");
        // In a group, how much there was is the member's own business.
        Ok(text::forgotten(rows, sender.chat_id > 0))
    }

    /// `/feedback`: the period's missed topics, most first.
    pub(super) fn feedback(&self, days: u32) -> Result<Reply, DeskError> {
        let since = self.time.unix() - i64::from(days) * 86_400;
        let summary = self.store.log_summary(since)?;
        let topics = self.store.missed_topics(since, FEEDBACK_TOPICS)?;
        Ok(text::feedback(days, &summary, &topics))
    }

    /// A `/feedback` topic's button: members' own wordings of it.
    pub(super) fn wordings(&self, days: u32, key: u64) -> Result<Reply, DeskError> {
        let since = self.time.unix() - i64::from(days) * 86_400;
        // The button carries the topic's key: find the topic it names.
        let topic = self
            .store
            .missed_topics(since, 200)?
            .into_iter()
            .find(|t| topic_key(&t.topic) == key)
            .map(|t| t.topic);
        let Some(topic) = topic else {
            return Ok(text::wordings("", days, &[]));
        };
        let wordings = self.store.wordings(&topic, since, WORDINGS_SHOWN)?;
        Ok(text::wordings(&topic, days, &wordings))
    }

    /// `/teach`: a proposal with what it would reach and change, a refusal
    /// with its reason, or (confirmed) the word saved.
    pub(super) fn teach(
        &self,
        sender: &Sender,
        argument: &TeachArgument,
    ) -> Result<Reply, DeskError> {
        let (word, mandarin) = match argument {
            TeachArgument::Missing => return Ok(text::teach_usage(None)),
            TeachArgument::Malformed(typed) => return Ok(text::teach_usage(Some(typed))),
            TeachArgument::Confirm(id) => return self.confirm_word(*id),
            TeachArgument::Pair { word, mandarin } => (normalize(word), normalize(mandarin)),
        };
        if let Err(why) = self.judge_word(&word, &mandarin) {
            tracing::info!(word, mandarin, ?why, "a taught word was refused");
            return Ok(text::word_refused(&word, &mandarin, &why));
        }
        let now = self.time.unix();
        let taught = TaughtWord {
            word: word.clone(),
            mandarin: mandarin.clone(),
            by: sender.user_id.unwrap_or(sender.chat_id),
            at: now,
        };
        let proposal = self.store.propose_word(&taught)?;
        let preview = WordPreview {
            reach: self.index.substring_freq(&mandarin),
            reach_before: self.index.substring_freq(&word),
            changed: self.changed_answers(&word, &mandarin)?,
            replaces: self
                .vocabulary
                .members
                .entry(&word)
                .map(|e| e.mandarin.clone())
                .filter(|old| *old != mandarin),
            word,
            mandarin,
            proposal,
        };
        Ok(text::word_preview(&preview))
    }

    /// Saves a proposal (once).
    fn confirm_word(&self, proposal: i64) -> Result<Reply, DeskError> {
        let Some(word) = self.store.take_proposal(proposal)? else {
            return Ok(Reply::text(text::PROPOSAL_GONE));
        };
        // Judged again: the archive may have grown since.
        if let Err(why) = self.judge_word(&word.word, &word.mandarin) {
            return Ok(text::word_refused(&word.word, &word.mandarin, &why));
        }
        self.store.teach(&word)?;
        tracing::info!(
            word = word.word,
            mandarin = word.mandarin,
            by = word.by,
            "a word was taught"
        );
        Ok(text::word_taught(&word.word, &word.mandarin))
    }

    /// Whether a members' word may be taught as the paper's `mandarin`:
    /// never a place read as a topic, a word the paper itself writes often,
    /// everyday Chinese, or one of the paper's own synonyms for something else.
    fn judge_word(&self, word: &str, mandarin: &str) -> Result<(), WordRefused> {
        let (word_chars, mandarin_chars) = (word.chars().count(), mandarin.chars().count());
        if !(2..=MAX_TAUGHT_WORD).contains(&word_chars)
            || !(1..=MAX_TAUGHT_MANDARIN).contains(&mandarin_chars)
            || word.contains(char::is_whitespace)
        {
            return Err(WordRefused::Length);
        }
        if word == mandarin {
            return Err(WordRefused::Same);
        }
        let synonyms = self.vocabulary.synonyms.of(word);
        if synonyms.iter().any(|s| s == mandarin) {
            return Err(WordRefused::AlreadyKnown);
        }
        if let Some(place) = place_named(word, self.home)
            && place_named(mandarin, self.home).is_none()
        {
            return Err(WordRefused::Place { place });
        }
        if !synonyms.is_empty() {
            return Err(WordRefused::PaperSynonym {
                group: synonyms.into_iter().take(4).collect(),
            });
        }
        if segmenter().frequency(word) >= COMMON_WORD_FREQUENCY {
            return Err(WordRefused::CommonWord);
        }
        let articles = self.index.substring_freq(word);
        let often = PAPER_WORD_ARTICLES.max(self.index.num_docs() / 100);
        if articles >= often {
            return Err(WordRefused::PaperWord { articles });
        }
        Ok(())
    }

    /// Up to two logged questions holding `word` whose first answer would
    /// change if members' `word` were read as `mandarin`.
    fn changed_answers(&self, word: &str, mandarin: &str) -> Result<Vec<ChangedAnswer>, DeskError> {
        let since = self.time.unix() - i64::from(self.question_log_days) * 86_400;
        let taught: Vocabulary = self.vocabulary.with_taught([(word, mandarin)]);
        let with_word = self.with_vocabulary(&taught);
        let mut changed = Vec::new();
        for (question, before) in self.store.questions_holding(word, since, QUESTIONS_TRIED)? {
            let after = with_word.first_answer(&question)?;
            if after != before {
                changed.push(ChangedAnswer {
                    question,
                    before: self.headline(before.as_ref())?,
                    after: self.headline(after.as_ref())?,
                });
                if changed.len() == 2 {
                    break;
                }
            }
        }
        Ok(changed)
    }

    /// The first article the answer to a question lists, if any.
    fn first_answer(&self, question: &str) -> Result<Option<ArticleId>, DeskError> {
        let understood = self.understand(question);
        Ok(self.answer(&understood, 1)?.listed.into_iter().next())
    }

    /// The headline of an article, if it is live.
    fn headline(&self, id: Option<&ArticleId>) -> Result<Option<String>, DeskError> {
        Ok(match id {
            Some(id) => self.store.article(id)?.map(|a| a.title.headline),
            None => None,
        })
    }

    /// `/words`.
    pub(super) fn words(&self) -> Result<Reply, DeskError> {
        let taught = self.store.taught_words()?;
        let shipped = Vocabulary::shipped().members.len();
        Ok(text::words(&taught, shipped, |at| self.time.wall(at)))
    }

    /// `/unteach`.
    pub(super) fn unteach(&self, sender: &Sender, word: &str) -> Result<Reply, DeskError> {
        let word = normalize(word.trim());
        if word.is_empty() {
            return Ok(Reply::text(text::UNTEACH_USAGE));
        }
        let by = sender.user_id.unwrap_or(sender.chat_id);
        let removed = self.store.unteach(&word, by, self.time.unix())?;
        let shipped = Vocabulary::shipped().members.entry(&word).is_some();
        if removed {
            tracing::info!(word, by, "a taught word was removed");
        }
        Ok(text::word_untaught(&word, removed, shipped))
    }

    /// `/editors`: the owner lists, adds and removes editors.
    pub(super) fn editors(
        &self,
        sender: &Sender,
        argument: &EditorsArgument,
    ) -> Result<Reply, DeskError> {
        if !sender.is_owner {
            tracing::warn!(user = ?sender.user_id, "an admin who is not the owner tried /editors");
            return Ok(Reply::text(text::OWNER_ONLY));
        }
        let by = sender.user_id.unwrap_or(sender.chat_id);
        let now = self.time.unix();
        let bootstrap = |id: i64| self.admins.contains(id);
        Ok(match argument {
            EditorsArgument::List => text::editors(
                self.admins.owner(),
                self.admins.ids(),
                &self.store.editors()?,
                &self.store.editor_log(8)?,
                |at| self.time.wall(at),
            ),
            EditorsArgument::Malformed(typed) => text::editors_usage(typed),
            EditorsArgument::Add(id) => {
                let changed = !bootstrap(*id) && self.store.add_editor(*id, by, now)?;
                if changed {
                    tracing::info!(editor = id, by, "an editor was added");
                }
                text::editor_changed(*id, true, changed, bootstrap(*id))
            }
            EditorsArgument::Remove(id) => {
                let changed = !bootstrap(*id) && self.store.remove_editor(*id, by, now)?;
                if changed {
                    tracing::info!(editor = id, by, "an editor was removed");
                }
                text::editor_changed(*id, false, changed, bootstrap(*id))
            }
        })
    }
}

/// How a question was understood, in words, for the log: its topic words,
/// places and time.
fn understood_words(question: &Question) -> String {
    let mut parts: Vec<String> = question.words.clone();
    parts.extend(question.places.iter().map(|p| p.text.clone()));
    parts.extend(question.time.iter().map(|t| t.text.clone()));
    parts.join(" ")
}

/// The city or province a word names, when it is one's name (湛江,
/// 湛江市, 广东): a town's name that is also a word is left alone.
fn place_named(word: &str, home: crate::zh::places::HomeProvince) -> Option<String> {
    match gazetteer().resolve_city(word, home) {
        CityLookup::City(city) if word == city.name || word == city.short_name() => Some(city.name),
        CityLookup::Province(name, _) => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::config::AdminIds;
    use crate::desk::NewsDesk;
    use crate::reply::{Reply, to_plain};
    use crate::request::{Request, Sender};
    use crate::store::Vote;

    const OWNER: i64 = 900;

    fn desk() -> NewsDesk {
        let desk = NewsDesk::in_memory().unwrap();
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pages");
        desk.ingest().sample_pages_if_empty(&pages).unwrap();
        desk.set_admins(AdminIds::parse(&format!("{OWNER}, 901")).0);
        desk
    }

    fn member(id: i64) -> Sender {
        Sender::member(id, Some(id))
    }

    fn ask_plain(desk: &NewsDesk, sender: &Sender, text: &str) -> String {
        to_plain(&desk.reply_to(sender, text))
    }

    #[test]
    fn questions_are_logged_voted_on_once_per_member_and_grouped_by_topic() {
        let desk = desk();
        // Asked in a group, where every member sees the answer and may vote.
        let in_group = |who: i64| Sender::member(-100, Some(who));
        let answered: Reply = desk.reply_to(&in_group(1), "劳模体检");
        let answer = answered
            .votes
            .expect("an answer that found articles gets 👍 / 👎");
        for (text, who) in [
            ("公积金怎么提取", 1),
            ("公积金 咋个取", 2),
            ("住房公积金提取", 3),
        ] {
            let reply = desk.reply_to(&member(who), text);
            assert!(
                reply.votes.is_none(),
                "{text}: nothing found, nothing to vote on"
            );
        }
        let vote =
            |who: i64, vote: Vote| desk.handle(&in_group(who), Request::Vote { answer, vote });
        vote(1, Vote::Missed);
        vote(1, Vote::Missed);
        vote(2, Vote::Helpful);
        let forged = desk.handle(
            &member(3),
            Request::Vote {
                answer: answer + 999,
                vote: Vote::Missed,
            },
        );
        assert!(to_plain(&forged).contains("过期"), "{}", to_plain(&forged));
        // A forged button in another chat counts nothing either.
        let forged = desk.handle(
            &member(3),
            Request::Vote {
                answer,
                vote: Vote::Missed,
            },
        );
        assert!(to_plain(&forged).contains("过期"), "{}", to_plain(&forged));

        let admin = Sender::admin(OWNER, OWNER);
        let feedback = ask_plain(&desk, &admin, "/feedback");
        assert!(
            feedback.contains("提问 4 次，没找到 3 次，👍 1 次，👎 1 次"),
            "{feedback}"
        );
        let lines: Vec<&str> = feedback.lines().collect();
        let first = lines
            .iter()
            .position(|l| l.starts_with("1. "))
            .expect(&feedback);
        assert!(
            lines[first].contains("公积金") && lines[first].contains("没找到 3 次"),
            "{feedback}"
        );
        assert!(
            feedback.contains("2. ") && feedback.contains("👎 1 次"),
            "{feedback}"
        );
        // A member cannot read it.
        assert!(ask_plain(&desk, &member(1), "/feedback").contains("管理员"));
        // The topic's button shows members' wordings.
        let reply = desk.reply_to(&admin, "/feedback");
        let topic = reply
            .offers
            .iter()
            .find_map(|o| match o {
                crate::reply::Offer::Wordings { topic, .. } => Some(*topic),
                _ => None,
            })
            .expect("a wordings button");
        let wordings = to_plain(&desk.handle(&admin, Request::Wordings { days: 7, topic }));
        assert!(
            wordings.contains("公积金 咋个取") && wordings.contains("住房公积金提取"),
            "{wordings}"
        );
    }

    #[test]
    fn forget_leaves_no_trace_of_a_members_questions() {
        let desk = desk();
        let answer = desk.reply_to(&member(5), "劳模体检").votes.unwrap();
        desk.reply_to(&member(5), "公积金怎么提取");
        desk.handle(
            &member(5),
            Request::Vote {
                answer,
                vote: Vote::Missed,
            },
        );
        desk.reply_to(&member(6), "社保断缴怎么办");
        let forgotten = ask_plain(&desk, &member(5), "/forget");
        assert!(forgotten.contains("已删除"), "{forgotten}");
        let admin = Sender::admin(OWNER, OWNER);
        let feedback = ask_plain(&desk, &admin, "/feedback");
        assert!(feedback.contains("提问 1 次"), "{feedback}");
        assert!(
            !feedback.contains("公积金") && !feedback.contains("👎 1"),
            "{feedback}"
        );
        // Nor a follow-up context: 那东莞呢 has nothing to follow.
        let follow = desk.reply_to(&member(5), "那东莞呢");
        assert!(
            !to_plain(&follow).contains("劳模体检"),
            "{}",
            to_plain(&follow)
        );
        assert!(ask_plain(&desk, &member(8), "/forget").contains("没有"));
        assert!(ask_plain(&desk, &member(5), "/privacy").contains("180 天"));
    }

    #[test]
    fn a_taught_word_is_previewed_confirmed_and_read_at_once() {
        let desk = desk();
        let member = member(7);
        let before = desk.reply_to(&member, "职工躺平游");
        assert!(before.listed.is_empty(), "{}", to_plain(&before));
        let admin = Sender::admin(OWNER, OWNER);
        let preview = desk.reply_to(&admin, "/teach 躺平游 = 疗休养");
        let shown = to_plain(&preview);
        assert!(
            shown.contains("能找到") && shown.contains("现在 0 篇"),
            "{shown}"
        );
        assert!(
            shown.contains("职工躺平游") && shown.contains("没有找到 →"),
            "{shown}"
        );
        let proposal = preview
            .offers
            .iter()
            .find_map(|o| match o {
                crate::reply::Offer::ConfirmWord { proposal } => Some(*proposal),
                _ => None,
            })
            .expect("a save button");
        // Not saved until confirmed; a member cannot confirm.
        assert!(desk.reply_to(&member, "职工躺平游").listed.is_empty());
        let forged = ask_plain(&desk, &member, &format!("/teach 确认 {proposal}"));
        assert!(forged.contains("管理员"), "{forged}");
        let saved = ask_plain(&desk, &admin, &format!("/teach 确认 {proposal}"));
        assert!(saved.contains("已保存"), "{saved}");
        assert!(ask_plain(&desk, &admin, &format!("/teach 确认 {proposal}")).contains("过期"));
        let after = desk.reply_to(&member, "职工躺平游");
        assert!(!after.listed.is_empty(), "{}", to_plain(&after));
        let words = ask_plain(&desk, &admin, "/words");
        assert!(
            words.contains("躺平游 = 疗休养") && words.contains(&OWNER.to_string()),
            "{words}"
        );
        assert!(ask_plain(&desk, &admin, "/unteach 躺平游").contains("已删除"));
        assert!(desk.reply_to(&member, "职工躺平游").listed.is_empty());
        assert!(ask_plain(&desk, &admin, "/unteach 几多").contains("随机器人发布"));
    }

    #[test]
    fn a_word_that_would_turn_a_common_word_into_a_topic_is_refused_with_its_reason() {
        let desk = desk();
        let admin = Sender::admin(OWNER, OWNER);
        let cases = [
            ("/teach 工会 = 外卖", "报纸自己就常用「工会」"),
            ("/teach 湛江 = 外卖", "是地名"),
            ("/teach 可以 = 外卖", "很常见的词"),
            ("/teach 驿站 = 外卖", "报纸的说法"),
            (
                "/teach 跑滴滴 = 网约车司机",
                "已经把「跑滴滴」读作「网约车司机」",
            ),
            ("/teach 外 = 外卖", "2 到 12 个字"),
            ("/teach 外卖 = 外卖", "同一个词"),
            ("/teach 外卖", "用法"),
        ];
        for (typed, reason) in cases {
            let reply = ask_plain(&desk, &admin, typed);
            assert!(reply.contains(reason), "{typed}: {reply}");
            assert!(!reply.contains("已保存"), "{typed}: {reply}");
        }
        assert!(ask_plain(&desk, &admin, "/words").contains("编辑教的词：0 个"));
    }

    #[test]
    fn only_the_owner_manages_editors_and_an_added_editor_is_an_admin_at_once() {
        let desk = desk();
        let owner = desk.sender(OWNER, Some(OWNER));
        assert!(owner.is_admin && owner.is_owner);
        let other_admin = desk.sender(901, Some(901));
        assert!(other_admin.is_admin && !other_admin.is_owner);
        assert!(ask_plain(&desk, &other_admin, "/editors add 555").contains("所有者"));
        assert!(!desk.sender(555, Some(555)).is_admin);
        assert!(ask_plain(&desk, &owner, "/editors add 555").contains("已添加编辑 555"));
        let editor = desk.sender(555, Some(555));
        assert!(editor.is_admin && !editor.is_owner);
        assert!(desk.admin_ids().contains(&555));
        let listed = ask_plain(&desk, &owner, "/editors");
        assert!(
            listed.contains("所有者：900") && listed.contains(&format!("555（{OWNER} 于")),
            "{listed}"
        );
        assert!(ask_plain(&desk, &owner, "/editors remove 901").contains("ADMIN_IDS"));
        assert!(ask_plain(&desk, &owner, "/editors remove 555").contains("已移除"));
        assert!(!desk.sender(555, Some(555)).is_admin);
        assert!(ask_plain(&desk, &owner, "/editors add 张三").contains("看不懂"));
        let log = ask_plain(&desk, &owner, "/editors");
        assert!(
            log.contains("添加 555") && log.contains("移除 555"),
            "{log}"
        );
    }
}

#[cfg(test)]
mod shared_store {
    use crate::desk::{DATABASE_FILE, NewsDesk};
    use crate::request::Sender;
    use crate::store::{SqliteStore, TaughtWord, TaughtWords};

    #[test]
    fn a_word_taught_by_another_process_on_the_store_is_read_without_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let desk = NewsDesk::open(dir.path()).unwrap();
        let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pages");
        desk.ingest().sample_pages_if_empty(&pages).unwrap();
        let member = Sender::member(7, Some(7));
        assert!(desk.reply_to(&member, "职工躺平游").listed.is_empty());
        // Another process (a second replica, `ask` in a shell) teaches it.
        let other = SqliteStore::open(&dir.path().join(DATABASE_FILE)).unwrap();
        other
            .teach(&TaughtWord {
                word: "躺平游".into(),
                mandarin: "疗休养".into(),
                by: 1,
                at: 0,
            })
            .unwrap();
        assert!(!desk.reply_to(&member, "职工躺平游").listed.is_empty());
        other.unteach("躺平游", 1, 1).unwrap();
        assert!(desk.reply_to(&member, "职工躺平游").listed.is_empty());
    }
}
