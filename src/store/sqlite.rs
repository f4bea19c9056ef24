//! The store on SQLite: the only file that names the database.
//!
//! SQLite in WAL mode holds every article with all its fields, the raw page
//! each came from, a log of what was ingested, subscriptions, the outbox,
//! the change log and the handled updates. The search index is derived from
//! it and can always be rebuilt from it.

use super::{
    ALL_CITIES, ArticleRecord, ArticleSignature, ArticleState, ArticleStore, CHANGES_KEPT, Change,
    ChangeLog, ConversationKey, Conversations, Delivery, Edit, InboundUpdates, IngestLogEntry,
    LastQuestion, LeaderLock, Leadership, MessageAction, MessageActionKind, Outbox, PageToStore,
    PendingUpdate, PushProgress, PushToStore, Pushes, StoreError, StoreStats, StoredArticle,
    StoredPage, Subscriptions,
};
use crate::article::{Article, ArticleId, Fingerprint};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod editorial;

mod inbox;

/// Schema migrations, applied in order; `PRAGMA user_version` counts how many ran.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE pages (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    origin      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    text        TEXT NOT NULL
);
CREATE TABLE articles (
    id        TEXT PRIMARY KEY,
    seq       INTEGER NOT NULL UNIQUE,
    page_id   INTEGER NOT NULL REFERENCES pages(id),
    headline  TEXT NOT NULL,
    sort_date TEXT,
    added_at  TEXT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX articles_by_date ON articles(sort_date DESC, seq DESC);
CREATE TABLE article_cities (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    city_code  INTEGER NOT NULL,
    rank       INTEGER NOT NULL,
    PRIMARY KEY (article_id, city_code)
);
CREATE INDEX article_cities_by_city ON article_cities(city_code);
CREATE TABLE ingest_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    origin   TEXT NOT NULL,
    page_id  INTEGER REFERENCES pages(id),
    added    INTEGER NOT NULL,
    known    INTEGER NOT NULL,
    warnings TEXT NOT NULL
);
"#,
    r#"
CREATE TABLE subscriptions (
    chat_id    INTEGER NOT NULL,
    city_code  INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, city_code)
);
CREATE INDEX subscriptions_by_city ON subscriptions(city_code);
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    due_at        INTEGER NOT NULL,
    claimed_until INTEGER,
    delivered_at  TEXT,
    last_error    TEXT,
    UNIQUE (chat_id, article_id)
);
CREATE INDEX outbox_due ON outbox(delivered_at, due_at);
"#,
    // A city's newest articles straight from one index, and its article
    // count kept up to date, so `/city` costs the same at any archive size.
    r#"
ALTER TABLE article_cities ADD COLUMN sort_date TEXT;
ALTER TABLE article_cities ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE article_cities SET
    sort_date = (SELECT sort_date FROM articles WHERE articles.id = article_id),
    seq = (SELECT seq FROM articles WHERE articles.id = article_id);
CREATE INDEX article_cities_newest ON article_cities(city_code, sort_date DESC, seq DESC);
CREATE TABLE city_counts (
    city_code INTEGER PRIMARY KEY,
    articles  INTEGER NOT NULL
);
INSERT INTO city_counts (city_code, articles)
    SELECT city_code, COUNT(*) FROM article_cities GROUP BY city_code;
CREATE TRIGGER city_counts_up AFTER INSERT ON article_cities BEGIN
    INSERT INTO city_counts (city_code, articles) VALUES (NEW.city_code, 1)
        ON CONFLICT (city_code) DO UPDATE SET articles = articles + 1;
END;
CREATE TRIGGER city_counts_down AFTER DELETE ON article_cities BEGIN
    UPDATE city_counts SET articles = articles - 1 WHERE city_code = OLD.city_code;
END;
"#,
    // The generation: how many times articles were added or removed. The
    // index records the generation it has seen at each commit, so a stop
    // between the store's commit and the index's shows at the next start.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('generation', (SELECT COUNT(*) FROM articles));
CREATE TRIGGER generation_on_insert AFTER INSERT ON articles BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
END;
CREATE TRIGGER generation_on_delete AFTER DELETE ON articles BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
END;
"#,
    // Telegram updates already handled, by key (id and content, hashed):
    // after a crash Telegram sends again the updates whose handling it was
    // not told of, and one handled twice must not answer, push or notify twice.
    r#"
CREATE TABLE handled_updates (
    update_key INTEGER PRIMARY KEY,
    handled_at INTEGER NOT NULL
);
CREATE INDEX handled_updates_by_time ON handled_updates (handled_at);
"#,
    // The change log: each addition and removal under the generation it
    // made, so an index (one per replica) catches up from its own.
    r#"
CREATE TABLE changes (
    generation INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    added      INTEGER NOT NULL
);
DROP TRIGGER generation_on_insert;
DROP TRIGGER generation_on_delete;
CREATE TRIGGER generation_on_insert AFTER INSERT ON articles BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, NEW.id, 1 FROM meta WHERE key = 'generation';
END;
CREATE TRIGGER generation_on_delete AFTER DELETE ON articles BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, OLD.id, 0 FROM meta WHERE key = 'generation';
END;
"#,
    // Each member's last question per chat and forum topic (follow-ups).
    r#"
CREATE TABLE conversations (
    chat_id   INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    thread_id INTEGER NOT NULL,
    question  TEXT NOT NULL,
    first_id  TEXT,
    asked_at  INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id, thread_id)
);
CREATE INDEX conversations_by_time ON conversations (asked_at);
"#,
    // Issue 20: ids allocated by the store and fingerprints apart; live,
    // scheduled and retracted articles; the published and the event date;
    // pushes with their reports; revisions; deliveries that remember the
    // messages they sent (no longer deleted with their article), and the
    // edits and retractions owed to those messages. Only live articles are
    // changes the index sees.
    r#"
ALTER TABLE articles ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN release_at INTEGER;
ALTER TABLE articles ADD COLUMN push_id INTEGER;
ALTER TABLE articles ADD COLUMN retracted_by INTEGER;
ALTER TABLE articles ADD COLUMN retracted_at INTEGER;
ALTER TABLE articles ADD COLUMN event_date TEXT;
UPDATE articles SET event_date = sort_date;
CREATE INDEX articles_by_event ON articles(event_date);
CREATE INDEX articles_scheduled ON articles(release_at) WHERE state = 1;
CREATE TABLE fingerprints (
    fingerprint TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX fingerprints_by_article ON fingerprints(article_id);
INSERT INTO meta (key, value) VALUES ('next_id', 1);
CREATE TABLE pushes (
    id             INTEGER PRIMARY KEY,
    by             INTEGER NOT NULL,
    chat_id        INTEGER NOT NULL,
    at             INTEGER NOT NULL,
    deliver_at     INTEGER NOT NULL,
    report_chat    INTEGER,
    report_message INTEGER,
    reported       TEXT,
    reported_at    INTEGER
);
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    at         INTEGER NOT NULL,
    by         INTEGER NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT
);
CREATE INDEX revisions_by_article ON revisions(article_id);
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    article_id    TEXT NOT NULL,
    push_id       INTEGER,
    created_at    INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    claimed_until INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       INTEGER,
    message_ids   TEXT,
    dropped       TEXT,
    last_error    TEXT,
    UNIQUE (chat_id, article_id)
);
INSERT INTO deliveries (id, chat_id, article_id, created_at, due_at, claimed_until, attempts,
                        sent_at, dropped, last_error)
    SELECT id, chat_id, article_id, COALESCE(CAST(strftime('%s', created_at) AS INTEGER), 0),
           due_at, claimed_until, attempts,
           CASE WHEN delivered_at IS NULL OR delivered_at = 'dropped' THEN NULL
                ELSE COALESCE(CAST(strftime('%s', delivered_at) AS INTEGER), 0) END,
           CASE WHEN delivered_at = 'dropped' THEN COALESCE(last_error, 'dropped') END,
           last_error
    FROM outbox;
DROP TABLE outbox;
CREATE INDEX deliveries_due ON deliveries(due_at) WHERE sent_at IS NULL AND dropped IS NULL;
CREATE INDEX deliveries_by_article ON deliveries(article_id);
CREATE INDEX deliveries_by_push ON deliveries(push_id);
CREATE TABLE message_actions (
    id            INTEGER PRIMARY KEY,
    delivery_id   INTEGER NOT NULL,
    action        TEXT NOT NULL,
    due_at        INTEGER NOT NULL,
    claimed_until INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    done_at       INTEGER,
    last_error    TEXT
);
CREATE INDEX message_actions_due ON message_actions(due_at) WHERE done_at IS NULL;
DROP TRIGGER generation_on_insert;
DROP TRIGGER generation_on_delete;
CREATE TRIGGER generation_on_insert AFTER INSERT ON articles WHEN NEW.state = 0 BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, NEW.id, 1 FROM meta WHERE key = 'generation';
END;
CREATE TRIGGER generation_on_delete AFTER DELETE ON articles WHEN OLD.state = 0 BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, OLD.id, 0 FROM meta WHERE key = 'generation';
END;
CREATE TRIGGER generation_on_state AFTER UPDATE OF state ON articles
    WHEN (OLD.state = 0) <> (NEW.state = 0) BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, NEW.id, NEW.state = 0 FROM meta WHERE key = 'generation';
END;
CREATE TRIGGER generation_on_correct AFTER UPDATE OF data ON articles
    WHEN NEW.state = 0 AND OLD.state = 0 BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'generation';
    INSERT INTO changes (generation, article_id, added)
        SELECT value, NEW.id, 1 FROM meta WHERE key = 'generation';
END;
"#,
    // Near-duplicates: each article's MinHash signature and its band keys,
    // so the articles that may be the same as a new one are found by a few
    // index lookups; pushed texts nearly the same as a stored article, held
    // for the admin's choice.
    r#"
ALTER TABLE articles ADD COLUMN signature BLOB;
CREATE TABLE article_bands (
    band_key   INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
CREATE INDEX article_bands_by_article ON article_bands(article_id);
CREATE TABLE pending_updates (
    target  TEXT PRIMARY KEY,
    data    TEXT NOT NULL,
    by      INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    due_at  INTEGER NOT NULL
);
CREATE INDEX pending_updates_due ON pending_updates(due_at);
"#,
    // A push's progress is its own message under the report (the report
    // keeps its text and buttons), edited as deliveries go out.
    r#"
ALTER TABLE pushes ADD COLUMN progress_message INTEGER;
"#,
    // Questions to the union (留言): each member's question, its notice to
    // the admins and its one answer (state 0 open, 1 answered, 2 withdrawn)
    // with the answer's delivery to the member, both leased like a
    // subscriber delivery.
    r#"
CREATE TABLE questions (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    message_id       INTEGER,
    name             TEXT NOT NULL,
    text             TEXT NOT NULL,
    asked_at         INTEGER NOT NULL,
    state            INTEGER NOT NULL DEFAULT 0,
    withdrawn_at     INTEGER,
    answer           TEXT,
    answered_by      INTEGER,
    answered_by_name TEXT,
    answered_at      INTEGER,
    due_at           INTEGER,
    claimed_until    INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    sent_at          INTEGER,
    sent_message     INTEGER,
    dropped          TEXT,
    last_error       TEXT,
    notified_at      INTEGER,
    notice_claimed   INTEGER,
    UNIQUE (chat_id, message_id)
);
CREATE INDEX questions_by_state ON questions(state, id);
CREATE INDEX questions_by_member ON questions(user_id, asked_at);
CREATE INDEX questions_owed ON questions(due_at)
    WHERE state = 1 AND sent_at IS NULL AND dropped IS NULL;
CREATE INDEX questions_unnoticed ON questions(id) WHERE notified_at IS NULL;
"#,
    // Issue 21: the question log (members as opaque numbers, hashed with a
    // secret of this database) and members' votes on answers; the words
    // editors teach, with their log and proposals awaiting confirmation;
    // the editors the owner adds at run time, with their log.
    r#"
CREATE TABLE question_log (
    id         INTEGER PRIMARY KEY,
    member     INTEGER NOT NULL,
    chat       INTEGER NOT NULL,
    asked_at   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    understood TEXT NOT NULL,
    topic      TEXT NOT NULL,
    found      INTEGER NOT NULL,
    first_id   TEXT
);
CREATE INDEX question_log_by_time ON question_log(asked_at);
CREATE INDEX question_log_by_member ON question_log(member);
CREATE INDEX question_log_by_topic ON question_log(topic, asked_at);
CREATE TABLE answer_votes (
    log_id  INTEGER NOT NULL,
    voter   INTEGER NOT NULL,
    helpful INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (log_id, voter)
);
CREATE INDEX answer_votes_by_voter ON answer_votes(voter);
INSERT INTO meta (key, value) VALUES ('member_salt', random());
CREATE TABLE taught_words (
    word     TEXT PRIMARY KEY,
    mandarin TEXT NOT NULL,
    by       INTEGER NOT NULL,
    at       INTEGER NOT NULL
);
CREATE TABLE word_proposals (
    id       INTEGER PRIMARY KEY,
    word     TEXT NOT NULL,
    mandarin TEXT NOT NULL,
    by       INTEGER NOT NULL,
    at       INTEGER NOT NULL
);
CREATE TABLE word_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    by       INTEGER NOT NULL,
    action   TEXT NOT NULL,
    word     TEXT NOT NULL,
    mandarin TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('words_generation', 0);
CREATE TABLE editors (
    user_id  INTEGER PRIMARY KEY,
    added_by INTEGER NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE TABLE editor_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    by      INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    added   INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('editors_generation', 0);
"#,
    // Deliveries members control: each subscription's mode (each, digest,
    // paused); a chat's digest hour and quiet-hours choice; a delivery owed
    // to a digest (`digest` 0) and the digest that listed it; one digest a
    // chat and local day, claimed with a lease, and the articles it lists.
    r#"
ALTER TABLE subscriptions ADD COLUMN mode TEXT NOT NULL DEFAULT 'each';
CREATE TABLE chat_prefs (
    chat_id     INTEGER PRIMARY KEY,
    digest_hour INTEGER NOT NULL DEFAULT 8,
    quiet       TEXT NOT NULL DEFAULT 'silent'
);
ALTER TABLE deliveries ADD COLUMN digest INTEGER;
CREATE INDEX deliveries_owed_digest ON deliveries(chat_id, due_at)
    WHERE digest = 0 AND sent_at IS NULL AND dropped IS NULL;
CREATE TABLE digests (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    day           TEXT NOT NULL,
    claimed_until INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    sent_at       INTEGER,
    message_ids   TEXT,
    last_error    TEXT,
    UNIQUE (chat_id, day)
);
CREATE TABLE digest_articles (
    digest_id   INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    delivery_id INTEGER NOT NULL,
    PRIMARY KEY (digest_id, position)
);
"#,
];

mod delivery_prefs;

/// The lock file beside the database that the leader holds.
pub const LOCK_FILE: &str = "bot.lock";

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(Box::new(e))
    }
}

/// The article database. Cheap to share: one connection behind a mutex
/// (SQLite serialises writers anyway; reads are sub-millisecond).
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// The leader's lock file (beside the database file; none in memory).
    lock_path: Option<PathBuf>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file, in WAL mode with foreign
    /// keys on, runs pending migrations and a quick integrity check.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let lock_path = path.parent().map(|dir| dir.join(LOCK_FILE));
        Self::init(conn, lock_path)
    }

    /// Opens a private in-memory database (tests, `eval`).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, lock_path: Option<PathBuf>) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted rows are overwritten, not left in free pages: what a
        // member asks `/forget` to delete must not stay readable in the file.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Integrity(check));
        }
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", i + 1)?;
            tx.commit()?;
        }
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            lock_path,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions
        // roll back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes a consistent copy of the database at `database` to `target`
/// while other processes (a running bot) keep writing to it: SQLite's
/// online backup, a hundred pages at a time, started again by SQLite when a
/// write lands mid-copy. The copy is written beside `target` and renamed
/// into place once whole and checked, so `target` is never half a database.
/// Returns the number of pages copied.
pub fn backup_database(database: &Path, target: &Path) -> Result<u64, StoreError> {
    let source = Connection::open_with_flags(
        database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    source.busy_timeout(std::time::Duration::from_secs(10))?;
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let pages = {
        let mut copy = Connection::open(&partial)?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut copy)?;
            backup.run_to_completion(100, std::time::Duration::from_millis(5), None)?;
        }
        let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Integrity(check));
        }
        copy.query_row("PRAGMA page_count", [], |r| r.get::<_, u64>(0))?
    };
    std::fs::rename(&partial, target).map_err(|e| StoreError::Database(Box::new(e)))?;
    Ok(pages)
}

/// Puts a backup made by [`backup_database`] back as the database at
/// `database`, after checking it is whole. The caller holds the leader lock
/// (no bot may run on the folder meanwhile) and rebuilds the index.
pub fn restore_database(backup: &Path, database: &Path) -> Result<(), StoreError> {
    let copy = Connection::open_with_flags(backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Integrity(check));
    }
    let articles: Result<i64, _> =
        copy.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0));
    if articles.is_err() {
        return Err(StoreError::Integrity(format!(
            "{} is not a backup of this bot's database",
            backup.display()
        )));
    }
    drop(copy);
    let mut target = Connection::open(database)?;
    target.busy_timeout(std::time::Duration::from_secs(10))?;
    target.restore(
        rusqlite::DatabaseName::Main,
        backup,
        None::<fn(rusqlite::backup::Progress)>,
    )?;
    Ok(())
}

impl LeaderLock for SqliteStore {
    /// The leader holds `bot.lock` beside the database file, locked; the
    /// system drops the lock when the process ends, however it ends. A
    /// store in memory has no one to share it with: it always leads.
    fn lead(&self) -> Result<Leadership, StoreError> {
        match &self.lock_path {
            Some(path) => lead_with(path),
            None => Ok(Leadership::held_by(())),
        }
    }
}

/// Takes the leader lock of the database at `database` without opening it
/// (a restore over a database too broken to open).
pub fn lead_database_folder(database: &Path) -> Result<Leadership, StoreError> {
    match database.parent() {
        Some(dir) => lead_with(&dir.join(LOCK_FILE)),
        None => Ok(Leadership::held_by(())),
    }
}

fn lead_with(path: &Path) -> Result<Leadership, StoreError> {
    let lock_error = |source| StoreError::Lock {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(lock_error)?;
    match file.try_lock() {
        Ok(()) => Ok(Leadership::held_by(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::LeaderElsewhere(
            path.parent().unwrap_or(path).display().to_string(),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(lock_error(e)),
    }
}

/// The condition of a live article.
const LIVE: &str = "state = 0";

impl ArticleStore for SqliteStore {
    fn articles_after(&self, after: u64, limit: usize) -> Result<Vec<(u64, Article)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, id, data FROM articles WHERE seq > ?1 AND state = 0 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![after as i64, limit as i64], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, data) = row?;
            out.push((seq, decode(&id, &data)?));
        }
        Ok(out)
    }

    fn store_pages(
        &self,
        pages: &[PageToStore],
        push: Option<&PushToStore>,
        now: i64,
    ) -> Result<Vec<StoredPage>, StoreError> {
        let received = rfc3339(now);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut next_seq: i64 =
            tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles", [], |r| {
                r.get(0)
            })?;
        let push_id: Option<i64> = match push {
            Some(push) => {
                tx.prepare_cached(
                    "INSERT INTO pushes (by, chat_id, at, deliver_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    push.by,
                    push.chat_id,
                    now,
                    push.release_at
                        .unwrap_or(push.deliver_at)
                        .max(push.deliver_at)
                ])?;
                Some(tx.last_insert_rowid())
            }
            None => None,
        };
        let state = match push.and_then(|p| p.release_at) {
            Some(_) => ArticleState::Scheduled,
            None => ArticleState::Live,
        };
        let mut results = Vec::with_capacity(pages.len());
        for page in pages {
            let page_hash = hex::encode(Sha256::digest(page.text.as_bytes()));
            tx.prepare_cached(
                "INSERT OR IGNORE INTO pages (sha256, origin, received_at, text) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![page_hash, page.origin, received, page.text])?;
            let page_id: i64 = tx
                .prepare_cached("SELECT id FROM pages WHERE sha256 = ?1")?
                .query_row([&page_hash], |r| r.get(0))?;
            let mut result = StoredPage {
                push: push_id,
                ..Default::default()
            };
            for (i, (article, fingerprint)) in
                page.articles.iter().zip(page.fingerprints).enumerate()
            {
                if let Some(known) = known_fingerprint(&tx, fingerprint)? {
                    result.articles.push(known);
                    continue;
                }
                if let Some(Some(like)) = page.near_duplicates.get(i) {
                    let state: Option<i64> = tx
                        .prepare_cached("SELECT state FROM articles WHERE id = ?1")?
                        .query_row([like.as_str()], |r| r.get(0))
                        .optional()?;
                    if let Some(state) = state {
                        result.articles.push(StoredArticle::NearDuplicate(
                            like.clone(),
                            ArticleState::from_code(state),
                        ));
                        continue;
                    }
                }
                let id = allocate_id(&tx)?;
                let mut article = article.clone();
                article.id = id.clone();
                let data = encode(&article)?;
                tx.prepare_cached(
                    "INSERT INTO articles (id, seq, page_id, headline, sort_date, event_date, added_at,
                                           data, state, release_at, push_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
                .execute(params![
                    id.as_str(),
                    next_seq,
                    page_id,
                    article.title.headline,
                    article.sort_date().map(|d| d.to_string()),
                    article.event_date().map(|d| d.to_string()),
                    received,
                    data,
                    state.code(),
                    push.and_then(|p| p.release_at),
                    push_id,
                ])?;
                next_seq += 1;
                tx.prepare_cached(
                    "INSERT INTO fingerprints (fingerprint, article_id) VALUES (?1, ?2)",
                )?
                .execute(params![fingerprint.as_str(), id.as_str()])?;
                if let Some(signature) = page.signatures.get(i) {
                    put_signature(&tx, &id, signature)?;
                }
                if state == ArticleState::Live {
                    insert_cities(&tx, &article, next_seq - 1)?;
                }
                if let Some(push) = push {
                    let due = push
                        .release_at
                        .unwrap_or(push.deliver_at)
                        .max(push.deliver_at);
                    result.queued += queue_deliveries(&tx, &article, push_id, due, now)?;
                }
                result.articles.push(StoredArticle::Added(id));
            }
            tx.prepare_cached(
                "INSERT INTO ingest_log (at, origin, page_id, added, known, warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                received,
                page.origin,
                page_id,
                result.added().len(),
                result.known().len(),
                page.warnings.join("\n")
            ])?;
            results.push(result);
        }
        tx.execute(
            "DELETE FROM changes WHERE generation <= (SELECT value FROM meta WHERE key = 'generation') - ?1",
            [CHANGES_KEPT as i64],
        )?;
        tx.commit()?;
        Ok(results)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError> {
        let conn = self.conn();
        let data: Option<String> = conn
            .prepare_cached("SELECT data FROM articles WHERE id = ?1 AND state = 0")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?;
        data.map(|d| decode(id.as_str(), &d)).transpose()
    }

    fn article_record(&self, id: &ArticleId) -> Result<Option<ArticleRecord>, StoreError> {
        let conn = self.conn();
        read_record(&conn, id)
    }

    fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare_cached("SELECT data FROM articles WHERE id = ?1 AND state = 0")?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let data: Option<String> = stmt.query_row([id.as_str()], |r| r.get(0)).optional()?;
            if let Some(data) = data {
                out.push(decode(id.as_str(), &data)?);
            }
        }
        Ok(out)
    }

    fn latest(&self, limit: usize, offset: usize) -> Result<Vec<Article>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, data FROM articles WHERE state = 0
             ORDER BY sort_date DESC, seq DESC LIMIT ?1 OFFSET ?2",
        )?;
        query_articles(&mut stmt, params![limit as i64, offset as i64])
    }

    fn latest_in_city(
        &self,
        city_code: u32,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError> {
        let conn = self.conn();
        let total: u64 = conn.query_row(
            "SELECT COALESCE((SELECT articles FROM city_counts WHERE city_code = ?1), 0)",
            [city_code],
            |r| r.get(0),
        )?;
        // Only live articles have city rows.
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.data FROM article_cities c JOIN articles a ON a.id = c.article_id
             WHERE c.city_code = ?1 ORDER BY c.sort_date DESC, c.seq DESC LIMIT ?2 OFFSET ?3",
        )?;
        let articles = query_articles(&mut stmt, params![city_code, limit as i64, offset as i64])?;
        Ok((articles, total))
    }

    fn ids(&self) -> Result<std::collections::HashSet<ArticleId>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM articles WHERE state = 0")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut ids = std::collections::HashSet::new();
        for row in rows {
            if let Some(id) = ArticleId::parse(&row?) {
                ids.insert(id);
            }
        }
        Ok(ids)
    }

    fn newest_date(&self) -> Result<Option<NaiveDate>, StoreError> {
        let newest: Option<String> = self.conn().query_row(
            "SELECT MAX(sort_date) FROM articles WHERE state = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(newest.and_then(|d| d.parse().ok()))
    }

    fn latest_between(
        &self,
        cities: &[u32],
        (from, to): (NaiveDate, NaiveDate),
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Article>, u64), StoreError> {
        let conn = self.conn();
        // City codes are numbers, never member text: safe to write inline.
        let city_filter = if cities.is_empty() {
            String::new()
        } else {
            let codes: Vec<String> = cities.iter().map(u32::to_string).collect();
            format!(
                " AND a.id IN (SELECT article_id FROM article_cities WHERE city_code IN ({}))",
                codes.join(",")
            )
        };
        let range = "a.event_date >= ?1 AND a.event_date <= ?2 AND a.state = 0";
        let (from, to) = (from.to_string(), to.to_string());
        let total: u64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM articles a WHERE {range}{city_filter}"),
            params![from, to],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(&format!(
            "SELECT a.id, a.data FROM articles a WHERE {range}{city_filter}
             ORDER BY a.event_date DESC, a.seq DESC LIMIT ?3 OFFSET ?4"
        ))?;
        let articles = query_articles(&mut stmt, params![from, to, limit as i64, offset as i64])?;
        Ok((articles, total))
    }

    fn correct(
        &self,
        corrected: &Article,
        fingerprint: &Fingerprint,
        signature: &ArticleSignature,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let Some(before) = read_record(&tx, &corrected.id)? else {
            return Ok(false);
        };
        log_revision(
            &tx,
            &corrected.id,
            Edit::Correct,
            by,
            now,
            Some(&before.article),
        )?;
        let seq: i64 = tx.query_row(
            "SELECT seq FROM articles WHERE id = ?1",
            [corrected.id.as_str()],
            |r| r.get(0),
        )?;
        tx.prepare_cached(
            "UPDATE articles SET headline = ?2, sort_date = ?3, event_date = ?4, data = ?5 WHERE id = ?1",
        )?
        .execute(params![
            corrected.id.as_str(),
            corrected.title.headline,
            corrected.sort_date().map(|d| d.to_string()),
            corrected.event_date().map(|d| d.to_string()),
            encode(corrected)?,
        ])?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO fingerprints (fingerprint, article_id) VALUES (?1, ?2)",
        )?
        .execute(params![fingerprint.as_str(), corrected.id.as_str()])?;
        put_signature(&tx, &corrected.id, signature)?;
        if before.state == ArticleState::Live {
            tx.execute(
                "DELETE FROM article_cities WHERE article_id = ?1",
                [corrected.id.as_str()],
            )?;
            insert_cities(&tx, corrected, seq)?;
        }
        if before.article.cities != corrected.cities
            && let Some(push) = before.push
        {
            // Other cities, other subscribers: those of the new cities are
            // owed it (when the push is due), those of the old ones only
            // are no longer, unless they have it already.
            let due: i64 = tx.query_row(
                "SELECT MAX(deliver_at, ?2) FROM pushes WHERE id = ?1",
                params![push, now],
                |r| r.get(0),
            )?;
            queue_deliveries(&tx, corrected, Some(push), due, now)?;
            let codes: Vec<String> = std::iter::once(ALL_CITIES)
                .chain(corrected.cities.iter().map(|c| c.code))
                .map(|c| c.to_string())
                .collect();
            tx.execute(
                &format!(
                    "UPDATE deliveries SET dropped = 'cities corrected', claimed_until = NULL
                     WHERE article_id = ?1 AND sent_at IS NULL AND dropped IS NULL
                       AND chat_id NOT IN (SELECT chat_id FROM subscriptions
                                           WHERE city_code IN ({}))",
                    codes.join(",")
                ),
                [corrected.id.as_str()],
            )?;
        }
        queue_actions(&tx, &corrected.id, "edit", now)?;
        tx.commit()?;
        Ok(true)
    }

    fn retract(&self, id: &ArticleId, by: i64, now: i64) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE articles SET state = 2, retracted_by = ?2, retracted_at = ?3
             WHERE id = ?1 AND state IN (0, 1)",
            params![id.as_str(), by, now],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        log_revision(&tx, id, Edit::Retract, by, now, None)?;
        tx.execute(
            "DELETE FROM article_cities WHERE article_id = ?1",
            [id.as_str()],
        )?;
        tx.execute(
            "UPDATE deliveries SET dropped = 'retracted', claimed_until = NULL
             WHERE article_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            [id.as_str()],
        )?;
        queue_actions(&tx, id, "retract", now)?;
        tx.commit()?;
        Ok(true)
    }

    fn restore(&self, id: &ArticleId, by: i64, now: i64) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // A scheduled article withdrawn before its time goes back to waiting.
        let changed = tx.execute(
            "UPDATE articles SET state = CASE WHEN release_at > ?2 THEN 1 ELSE 0 END,
                    retracted_by = NULL, retracted_at = NULL
             WHERE id = ?1 AND state = 2",
            params![id.as_str(), now],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        log_revision(&tx, id, Edit::Restore, by, now, None)?;
        // Messages not yet taken back stay; those taken back, and the
        // deliveries the retraction dropped, are owed again.
        tx.execute(
            "UPDATE message_actions SET done_at = ?2, last_error = 'restored'
             WHERE done_at IS NULL AND action = 'retract'
               AND (claimed_until IS NULL OR claimed_until <= ?2)
               AND delivery_id IN (SELECT id FROM deliveries WHERE article_id = ?1)",
            params![id.as_str(), now],
        )?;
        tx.execute(
            "UPDATE deliveries SET sent_at = NULL, message_ids = NULL, dropped = NULL,
                    claimed_until = NULL, due_at = MAX(due_at, ?2),
                    digest = CASE WHEN digest IS NULL THEN NULL ELSE 0 END
             WHERE article_id = ?1
               AND (dropped IN ('retracted', 'cancelled')
                    OR id IN (SELECT delivery_id FROM message_actions
                              WHERE action = 'retract' AND done_at IS NOT NULL
                                AND last_error IS NULL))",
            params![id.as_str(), now],
        )?;
        let (seq, data, state): (i64, String, i64) = tx.query_row(
            "SELECT seq, data, state FROM articles WHERE id = ?1",
            [id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if state == 0 {
            insert_cities(&tx, &decode(id.as_str(), &data)?, seq)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn schedule(
        &self,
        id: &ArticleId,
        release_at: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let sent: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM deliveries WHERE article_id = ?1 AND sent_at IS NOT NULL)",
            [id.as_str()],
            |r| r.get(0),
        )?;
        if sent {
            return Ok(false);
        }
        let changed = tx.execute(
            "UPDATE articles SET state = 1, release_at = ?2 WHERE id = ?1 AND state IN (0, 1)",
            params![id.as_str(), release_at],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        log_revision(&tx, id, Edit::Schedule, by, now, None)?;
        tx.execute(
            "DELETE FROM article_cities WHERE article_id = ?1",
            [id.as_str()],
        )?;
        tx.execute(
            "UPDATE deliveries SET due_at = ?2 WHERE article_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            params![id.as_str(), release_at],
        )?;
        tx.execute(
            "UPDATE pushes SET deliver_at = ?2
             WHERE id = (SELECT push_id FROM articles WHERE id = ?1)",
            params![id.as_str(), release_at],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn release_due(&self, now: i64) -> Result<Vec<ArticleId>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let due: Vec<(String, i64, String)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, seq, data FROM articles WHERE state = 1 AND release_at <= ?1",
            )?;
            stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut released = Vec::with_capacity(due.len());
        for (id, seq, data) in due {
            tx.execute(
                "UPDATE articles SET state = 0, release_at = NULL WHERE id = ?1",
                [&id],
            )?;
            insert_cities(&tx, &decode(&id, &data)?, seq)?;
            released.extend(ArticleId::parse(&id));
        }
        tx.commit()?;
        Ok(released)
    }

    fn count(&self) -> Result<u64, StoreError> {
        Ok(self.conn().query_row(
            &format!("SELECT COUNT(*) FROM articles WHERE {LIVE}"),
            [],
            |r| r.get(0),
        )?)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let conn = self.conn();
        let articles = conn.query_row(
            &format!("SELECT COUNT(*) FROM articles WHERE {LIVE}"),
            [],
            |r| r.get(0),
        )?;
        let pages = conn.query_row("SELECT COUNT(*) FROM pages", [], |r| r.get(0))?;
        let newest: Option<String> = conn.query_row(
            &format!("SELECT MAX(sort_date) FROM articles WHERE {LIVE}"),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(
            "SELECT city_code, articles FROM city_counts WHERE articles > 0 ORDER BY articles DESC, city_code",
        )?;
        let per_city = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StoreStats {
            articles,
            pages,
            newest: newest.and_then(|d| d.parse().ok()),
            per_city,
        })
    }

    fn ingest_log(&self, limit: usize) -> Result<Vec<IngestLogEntry>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, origin, added, known, warnings FROM ingest_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(IngestLogEntry {
                at: r.get(0)?,
                origin: r.get(1)?,
                added: r.get(2)?,
                known: r.get(3)?,
                warnings: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn unfingerprinted(&self, limit: usize) -> Result<Vec<Article>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.data FROM articles a
             WHERE a.signature IS NULL
                OR NOT EXISTS (SELECT 1 FROM fingerprints f WHERE f.article_id = a.id)
             ORDER BY a.seq LIMIT ?1",
        )?;
        query_articles(&mut stmt, [limit as i64])
    }

    fn add_fingerprint(
        &self,
        id: &ArticleId,
        fingerprint: &Fingerprint,
        signature: &ArticleSignature,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // Two stored articles with one text (ids were hashes of the text,
        // so only a collision can do that) share the first one's.
        tx.prepare_cached(
            "INSERT OR IGNORE INTO fingerprints (fingerprint, article_id) VALUES (?1, ?2)",
        )?
        .execute(params![fingerprint.as_str(), id.as_str()])?;
        put_signature(&tx, id, signature)?;
        tx.commit()?;
        Ok(())
    }

    fn near_candidates(
        &self,
        band_keys: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleState, Vec<u8>)>, StoreError> {
        if band_keys.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let mut shared: std::collections::HashMap<String, usize> = Default::default();
        let mut stmt =
            conn.prepare_cached("SELECT article_id FROM article_bands WHERE band_key = ?1")?;
        for key in band_keys {
            for id in stmt.query_map([*key as i64], |r| r.get::<_, String>(0))? {
                *shared.entry(id?).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, usize)> = shared.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut read = conn.prepare_cached(
            "SELECT state, signature FROM articles WHERE id = ?1 AND signature IS NOT NULL",
        )?;
        let mut out = Vec::new();
        for (id, _) in ranked.into_iter().take(limit) {
            let row: Option<(i64, Vec<u8>)> = read
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let (Some((state, bytes)), Some(id)) = (row, ArticleId::parse(&id)) {
                out.push((id, ArticleState::from_code(state), bytes));
            }
        }
        Ok(out)
    }

    fn hold_update(&self, update: &PendingUpdate) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO pending_updates (target, data, by, chat_id, due_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                update.target.as_str(),
                encode(&update.article)?,
                update.by,
                update.chat_id,
                update.due_at
            ])?;
        Ok(())
    }

    fn take_update(&self, target: &ArticleId) -> Result<Option<PendingUpdate>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let update = read_update(&tx, "target = ?1", params![target.as_str()])?.pop();
        tx.execute(
            "DELETE FROM pending_updates WHERE target = ?1",
            [target.as_str()],
        )?;
        tx.commit()?;
        Ok(update)
    }

    fn take_due_updates(&self, now: i64) -> Result<Vec<PendingUpdate>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let due = read_update(&tx, "due_at <= ?1", params![now])?;
        tx.execute("DELETE FROM pending_updates WHERE due_at <= ?1", [now])?;
        tx.commit()?;
        Ok(due)
    }

    fn scheduled(&self, limit: usize) -> Result<Vec<(ArticleId, String, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, headline, release_at FROM articles WHERE state = 1
             ORDER BY release_at, seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, headline, at) = row?;
            if let Some(id) = ArticleId::parse(&id) {
                out.push((id, headline, at.unwrap_or(0)));
            }
        }
        Ok(out)
    }

    fn retracted(&self, limit: usize) -> Result<Vec<(ArticleId, String, i64, i64)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, headline, retracted_by, retracted_at FROM articles WHERE state = 2
             ORDER BY retracted_at DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, headline, by, at) = row?;
            if let Some(id) = ArticleId::parse(&id) {
                out.push((id, headline, by.unwrap_or(0), at.unwrap_or(0)));
            }
        }
        Ok(out)
    }
}

/// Keeps an article's signature and its band keys (replacing earlier ones).
fn put_signature(
    conn: &Connection,
    id: &ArticleId,
    signature: &ArticleSignature,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE articles SET signature = ?2 WHERE id = ?1")?
        .execute(params![id.as_str(), signature.bytes])?;
    conn.prepare_cached("DELETE FROM article_bands WHERE article_id = ?1")?
        .execute([id.as_str()])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO article_bands (band_key, article_id) VALUES (?1, ?2)",
    )?;
    for key in &signature.band_keys {
        insert.execute(params![*key as i64, id.as_str()])?;
    }
    Ok(())
}

/// The held updates a condition selects.
fn read_update(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<PendingUpdate>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT target, data, by, chat_id, due_at FROM pending_updates WHERE {condition}"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (target, data, by, chat_id, due_at) = row?;
        let Some(target) = ArticleId::parse(&target) else {
            continue;
        };
        out.push(PendingUpdate {
            article: decode(target.as_str(), &data)?,
            target,
            by,
            chat_id,
            due_at,
        });
    }
    Ok(out)
}

/// The article stored under a fingerprint, if any, and its state.
fn known_fingerprint(
    conn: &Connection,
    fingerprint: &Fingerprint,
) -> Result<Option<StoredArticle>, StoreError> {
    let known: Option<(String, i64)> = conn
        .prepare_cached(
            "SELECT a.id, a.state FROM fingerprints f JOIN articles a ON a.id = f.article_id
             WHERE f.fingerprint = ?1",
        )?
        .query_row([fingerprint.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(known.and_then(|(id, state)| {
        ArticleId::parse(&id).map(|id| StoredArticle::Known(id, ArticleState::from_code(state)))
    }))
}

/// The next free id: allocation numbers are handed out once (the counter
/// lives in the database, so processes sharing it never hand out the same
/// one) and each is checked against the ids of articles stored before ids
/// were allocated.
fn allocate_id(conn: &Connection) -> Result<ArticleId, StoreError> {
    loop {
        let n: i64 = conn
            .prepare_cached(
                "UPDATE meta SET value = value + 1 WHERE key = 'next_id' RETURNING value - 1",
            )?
            .query_row([], |r| r.get(0))?;
        let id = ArticleId::allocated(n as u64);
        let taken: bool = conn
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)")?
            .query_row([id.as_str()], |r| r.get(0))?;
        if !taken && !id.is_unassigned() {
            return Ok(id);
        }
    }
}

/// The city rows of a live article (its `/city` lists and counts).
fn insert_cities(conn: &Connection, article: &Article, seq: i64) -> Result<(), StoreError> {
    for (rank, city) in article.cities.iter().enumerate() {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO article_cities (article_id, city_code, rank, sort_date, seq)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            article.id.as_str(),
            city.code,
            rank,
            article.sort_date().map(|d| d.to_string()),
            seq
        ])?;
    }
    Ok(())
}

/// A delivery of its own due at `?1`, not yet sent, dropped nor claimed.
const OWED_NOW: &str = "sent_at IS NULL AND dropped IS NULL AND digest IS NULL AND due_at <= ?1
    AND (claimed_until IS NULL OR claimed_until <= ?1)";

/// A subscription of the delivery's chat to the article's city (or to all
/// news) in the mode that follows.
const WANTED: &str = "SELECT 1 FROM subscriptions s WHERE s.chat_id = deliveries.chat_id
    AND (s.city_code = 0 OR s.city_code IN
         (SELECT city_code FROM article_cities ac WHERE ac.article_id = deliveries.article_id))
    AND s.mode =";

/// One delivery per subscriber of the article's cities or of all news.
fn queue_deliveries(
    conn: &Connection,
    article: &Article,
    push: Option<i64>,
    due_at: i64,
    now: i64,
) -> Result<usize, StoreError> {
    let codes: Vec<String> = article.cities.iter().map(|c| c.code.to_string()).collect();
    // City codes are numbers from the gazetteer: safe to write inline.
    let sql = format!(
        // A chat with several matching subscriptions gets the article once:
        // in a message of its own if any of them is `each`, else in its
        // digest; paused subscriptions get nothing.
        "INSERT OR IGNORE INTO deliveries (chat_id, article_id, push_id, created_at, due_at, digest)
         SELECT s.chat_id, ?1, ?2, ?3, ?4, CASE WHEN MAX(s.mode = 'each') THEN NULL ELSE 0 END
         FROM subscriptions s
         WHERE s.city_code IN ({}) AND s.mode <> 'paused'
         GROUP BY s.chat_id",
        std::iter::once(ALL_CITIES.to_string())
            .chain(codes)
            .collect::<Vec<_>>()
            .join(",")
    );
    Ok(conn
        .prepare_cached(&sql)?
        .execute(params![article.id.as_str(), push, now, due_at])?)
}

/// Queues `action` for every message already sent for an article.
fn queue_actions(
    conn: &Connection,
    id: &ArticleId,
    action: &str,
    now: i64,
) -> Result<usize, StoreError> {
    // A retraction supersedes an edit still waiting.
    if action == "retract" {
        conn.execute(
            "UPDATE message_actions SET done_at = ?2, last_error = 'superseded'
             WHERE done_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?2)
               AND delivery_id IN (SELECT id FROM deliveries WHERE article_id = ?1)",
            params![id.as_str(), now],
        )?;
    }
    Ok(conn.execute(
        "INSERT INTO message_actions (delivery_id, action, due_at)
         SELECT id, ?2, ?3 FROM deliveries
         WHERE article_id = ?1 AND sent_at IS NOT NULL AND message_ids IS NOT NULL",
        params![id.as_str(), action, now],
    )?)
}

fn log_revision(
    conn: &Connection,
    id: &ArticleId,
    edit: Edit,
    by: i64,
    now: i64,
    before: Option<&Article>,
) -> Result<(), StoreError> {
    let before = before.map(encode).transpose()?;
    conn.prepare_cached(
        "INSERT INTO revisions (article_id, at, by, action, before) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id.as_str(), now, by, edit.name(), before])?;
    Ok(())
}

fn read_record(conn: &Connection, id: &ArticleId) -> Result<Option<ArticleRecord>, StoreError> {
    type Row = (
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT data, state, push_id, release_at, retracted_by, retracted_at
             FROM articles WHERE id = ?1",
        )?
        .query_row([id.as_str()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?;
    let Some((data, state, push, release_at, by, at)) = row else {
        return Ok(None);
    };
    Ok(Some(ArticleRecord {
        article: decode(id.as_str(), &data)?,
        state: ArticleState::from_code(state),
        push,
        release_at,
        retracted: by.zip(at),
    }))
}

fn encode(article: &Article) -> Result<String, StoreError> {
    serde_json::to_string(article).map_err(|source| StoreError::Corrupt {
        id: article.id.to_string(),
        source,
    })
}

/// A moment as RFC 3339 (UTC), as the text columns keep it.
fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339()
}

impl Subscriptions for SqliteStore {
    fn subscribe(&self, chat_id: i64, city_code: u32, now: i64) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "INSERT OR IGNORE INTO subscriptions (chat_id, city_code, created_at) VALUES (?1, ?2, ?3)",
            params![chat_id, city_code, rfc3339(now)],
        )? > 0)
    }

    fn unsubscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM subscriptions WHERE chat_id = ?1 AND city_code = ?2",
            params![chat_id, city_code],
        )? > 0)
    }

    fn unsubscribe_all(&self, chat_id: i64, reason: &str) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let ended = tx.execute("DELETE FROM subscriptions WHERE chat_id = ?1", [chat_id])?;
        tx.execute(
            "UPDATE deliveries SET dropped = ?2, claimed_until = NULL
             WHERE chat_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            params![chat_id, reason],
        )?;
        tx.commit()?;
        Ok(ended)
    }

    fn move_chat(&self, from: i64, to: i64) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let moved = tx.execute(
            "INSERT OR IGNORE INTO subscriptions (chat_id, city_code, created_at, mode)
             SELECT ?2, city_code, created_at, mode FROM subscriptions WHERE chat_id = ?1",
            params![from, to],
        )?;
        tx.execute("DELETE FROM subscriptions WHERE chat_id = ?1", [from])?;
        // Its digest hour and quiet hours, and its digests (so a day's
        // digest sent to the old id is not sent again to the new one).
        tx.execute(
            "UPDATE OR IGNORE chat_prefs SET chat_id = ?2 WHERE chat_id = ?1",
            params![from, to],
        )?;
        tx.execute(
            "UPDATE OR IGNORE digests SET chat_id = ?2 WHERE chat_id = ?1",
            params![from, to],
        )?;
        // What was owed to the old chat is owed to the new one (unless it
        // is owed there already).
        tx.execute(
            "UPDATE OR IGNORE deliveries SET chat_id = ?2
             WHERE chat_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            params![from, to],
        )?;
        // What stays on the old id is owed to the new one already: never
        // sent to the dead chat again.
        tx.execute(
            "UPDATE deliveries SET dropped = 'migrated', claimed_until = NULL
             WHERE chat_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            [from],
        )?;
        tx.commit()?;
        Ok(moved)
    }

    fn subscriptions(&self, chat_id: i64) -> Result<Vec<u32>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT city_code FROM subscriptions WHERE chat_id = ?1 ORDER BY city_code",
        )?;
        let codes = stmt
            .query_map([chat_id], |r| r.get(0))?
            .collect::<Result<Vec<u32>, _>>()?;
        Ok(codes)
    }
}

impl Outbox for SqliteStore {
    fn release_delivery_claims(&self) -> Result<usize, StoreError> {
        let conn = self.conn();
        let deliveries = conn.execute(
            "UPDATE deliveries SET claimed_until = NULL
             WHERE sent_at IS NULL AND dropped IS NULL AND claimed_until IS NOT NULL",
            [],
        )?;
        let actions = conn.execute(
            "UPDATE message_actions SET claimed_until = NULL
             WHERE done_at IS NULL AND claimed_until IS NOT NULL",
            [],
        )?;
        Ok(deliveries + actions)
    }

    fn claim_due_deliveries(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // A chat that paused, unsubscribed or moved the article's city to its
        // digest since the article was queued: what is due goes to the
        // digest, or is not sent at all.
        tx.prepare_cached(&format!(
            "UPDATE deliveries SET digest = 0 WHERE {OWED_NOW} AND NOT EXISTS ({WANTED} 'each')
               AND EXISTS ({WANTED} 'digest')"
        ))?
        .execute([now])?;
        tx.prepare_cached(&format!(
            "UPDATE deliveries SET dropped = 'unsubscribed', claimed_until = NULL
             WHERE {OWED_NOW} AND NOT EXISTS ({WANTED} 'each')"
        ))?
        .execute([now])?;
        let due: Vec<Delivery> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, chat_id, article_id, attempts, push_id FROM deliveries d
                 WHERE sent_at IS NULL AND dropped IS NULL AND due_at <= ?1 AND digest IS NULL
                   AND (claimed_until IS NULL OR claimed_until <= ?1)
                   AND EXISTS (SELECT 1 FROM articles a WHERE a.id = d.article_id AND a.state = 0)
                 ORDER BY due_at, id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![now, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?;
            let mut due = Vec::new();
            for row in rows {
                let (id, chat_id, article_id, attempts, push) = row?;
                if let Some(article_id) = ArticleId::parse(&article_id) {
                    due.push(Delivery {
                        id,
                        chat_id,
                        article_id,
                        attempts,
                        push,
                    });
                }
            }
            due
        };
        for delivery in &due {
            tx.prepare_cached("UPDATE deliveries SET claimed_until = ?1 WHERE id = ?2")?
                .execute(params![now + lease_secs, delivery.id])?;
        }
        tx.commit()?;
        Ok(due)
    }

    fn mark_delivered(
        &self,
        delivery_id: i64,
        message_ids: &[i32],
        now: i64,
    ) -> Result<(), StoreError> {
        let ids = serde_json::to_string(message_ids).unwrap_or_else(|_| "[]".into());
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.prepare_cached(
            "UPDATE deliveries SET sent_at = ?1, message_ids = ?2, claimed_until = NULL
             WHERE id = ?3",
        )?
        .execute(params![now, ids, delivery_id])?;
        // Sent while a retraction (or a cancel) went through: it was claimed
        // before, so nothing queued its taking back. Queue it now.
        tx.prepare_cached(
            "INSERT INTO message_actions (delivery_id, action, due_at)
             SELECT d.id, 'retract', ?2 FROM deliveries d JOIN articles a ON a.id = d.article_id
             WHERE d.id = ?1 AND (d.dropped IS NOT NULL OR a.state = 2)",
        )?
        .execute(params![delivery_id, now])?;
        tx.commit()?;
        Ok(())
    }

    fn mark_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?1, claimed_until = NULL,
                    due_at = ?2 WHERE id = ?3",
            params![error, now + retry_in_secs, delivery_id],
        )?;
        Ok(())
    }

    fn drop_delivery(&self, delivery_id: i64, reason: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE deliveries SET dropped = ?1, last_error = ?1, claimed_until = NULL WHERE id = ?2",
            params![reason, delivery_id],
        )?;
        Ok(())
    }

    fn deliver_now(&self, id: &ArticleId, now: i64) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // A scheduled article is released now, too.
        let scheduled: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, data FROM articles WHERE id = ?1 AND state = 1",
                [id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((seq, data)) = scheduled {
            tx.execute(
                "UPDATE articles SET state = 0, release_at = NULL WHERE id = ?1",
                [id.as_str()],
            )?;
            insert_cities(&tx, &decode(id.as_str(), &data)?, seq)?;
        }
        let made_due = tx.execute(
            "UPDATE deliveries SET due_at = ?2
             WHERE article_id = ?1 AND sent_at IS NULL AND dropped IS NULL AND due_at > ?2",
            params![id.as_str(), now],
        )?;
        tx.execute(
            "UPDATE pushes SET deliver_at = MIN(deliver_at, ?2)
             WHERE id = (SELECT push_id FROM articles WHERE id = ?1)",
            params![id.as_str(), now],
        )?;
        tx.commit()?;
        Ok(made_due)
    }

    fn cancel_deliveries(&self, id: &ArticleId) -> Result<usize, StoreError> {
        Ok(self.conn().execute(
            "UPDATE deliveries SET dropped = 'cancelled', claimed_until = NULL
             WHERE article_id = ?1 AND sent_at IS NULL AND dropped IS NULL",
            [id.as_str()],
        )?)
    }

    fn pending_deliveries(&self) -> Result<u64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM deliveries WHERE sent_at IS NULL AND dropped IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    fn sent_count(&self, id: &ArticleId) -> Result<usize, StoreError> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM deliveries WHERE article_id = ?1 AND sent_at IS NOT NULL",
            [id.as_str()],
            |r| r.get(0),
        )?)
    }

    fn claim_due_actions(
        &self,
        limit: usize,
        lease_secs: i64,
        now: i64,
    ) -> Result<Vec<MessageAction>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        type Row = (
            i64,
            String,
            u32,
            i64,
            String,
            Option<String>,
            Option<i64>,
            Option<i64>,
        );
        let rows: Vec<Row> = {
            let mut stmt = tx.prepare_cached(
                "SELECT m.id, m.action, m.attempts, d.chat_id, d.article_id, d.message_ids, d.sent_at,
                        d.digest
                 FROM message_actions m JOIN deliveries d ON d.id = m.delivery_id
                 WHERE m.done_at IS NULL AND m.due_at <= ?1
                   AND (m.claimed_until IS NULL OR m.claimed_until <= ?1)
                   -- One change at a time a delivery, oldest first: an edit
                   -- under way finishes before a retraction marks the message.
                   AND NOT EXISTS (SELECT 1 FROM message_actions e
                                   WHERE e.delivery_id = m.delivery_id AND e.done_at IS NULL
                                     AND e.id < m.id)
                 ORDER BY m.due_at, m.id LIMIT ?2",
            )?;
            stmt.query_map(params![now, limit as i64], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })?
            .collect::<Result<_, _>>()?
        };
        let mut due = Vec::with_capacity(rows.len());
        for (id, action, attempts, chat_id, article_id, message_ids, sent_at, digest) in rows {
            tx.prepare_cached("UPDATE message_actions SET claimed_until = ?1 WHERE id = ?2")?
                .execute(params![now + lease_secs, id])?;
            let message_ids: Vec<i32> = message_ids
                .and_then(|ids| serde_json::from_str(&ids).ok())
                .unwrap_or_default();
            let Some(article_id) = ArticleId::parse(&article_id) else {
                continue;
            };
            due.push(MessageAction {
                id,
                chat_id,
                message_ids,
                article_id,
                kind: if action == "retract" {
                    MessageActionKind::Retract
                } else {
                    MessageActionKind::Edit
                },
                sent_at: sent_at.unwrap_or(0),
                attempts,
                digest: digest.filter(|d| *d > 0),
            });
        }
        tx.commit()?;
        Ok(due)
    }

    fn finish_action(
        &self,
        action_id: i64,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE message_actions SET done_at = ?1, last_error = ?2, claimed_until = NULL WHERE id = ?3",
            params![now, error, action_id],
        )?;
        Ok(())
    }

    fn retry_action(
        &self,
        action_id: i64,
        error: &str,
        retry_in_secs: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE message_actions SET attempts = attempts + 1, last_error = ?1,
                    claimed_until = NULL, due_at = ?2 WHERE id = ?3",
            params![error, now + retry_in_secs, action_id],
        )?;
        Ok(())
    }
}

impl Pushes for SqliteStore {
    fn set_push_report(&self, push: i64, chat_id: i64, message_id: i32) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE pushes SET report_chat = ?2, report_message = ?3 WHERE id = ?1",
            params![push, chat_id, message_id],
        )?;
        Ok(())
    }

    fn push_progress(&self, push: i64) -> Result<Option<PushProgress>, StoreError> {
        let conn = self.conn();
        progress(&conn, push)
    }

    fn recent_pushes(&self, limit: usize) -> Result<Vec<PushProgress>, StoreError> {
        let conn = self.conn();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM pushes ORDER BY id DESC LIMIT ?1")?
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(progress(&conn, id)?);
        }
        Ok(out)
    }

    fn pushes_to_report(&self, now: i64, every_secs: i64) -> Result<Vec<PushProgress>, StoreError> {
        let conn = self.conn();
        // Pushes of the last two days with a report, past their hold, not
        // edited in the last `every_secs`: the desk compares what each
        // would show with what it showed.
        let ids: Vec<i64> = conn
            .prepare_cached(
                "SELECT id FROM pushes
                 WHERE report_message IS NOT NULL AND at >= ?1 - 172800 AND deliver_at <= ?1
                   AND COALESCE(reported_at, 0) <= ?1 - ?2
                 ORDER BY id LIMIT 50",
            )?
            .query_map(params![now, every_secs], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for id in ids {
            out.extend(progress(&conn, id)?);
        }
        Ok(out)
    }

    fn set_progress_message(&self, push: i64, message_id: i32) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE pushes SET progress_message = ?2 WHERE id = ?1",
            params![push, message_id],
        )?;
        Ok(())
    }

    fn push_reported(&self, push: i64, shown: &str, now: i64) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE pushes SET reported = ?2, reported_at = ?3 WHERE id = ?1",
            params![push, shown, now],
        )?;
        Ok(())
    }
}

/// How one push's deliveries stand.
fn progress(conn: &Connection, push: i64) -> Result<Option<PushProgress>, StoreError> {
    type Row = (
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<i32>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT by, at, deliver_at, report_chat, report_message, reported, progress_message
             FROM pushes WHERE id = ?1",
        )?
        .query_row([push], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .optional()?;
    let Some((by, at, deliver_at, chat, message, reported, progress_message)) = row else {
        return Ok(None);
    };
    let (sent, pending): (u64, u64) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(sent_at IS NOT NULL), 0),
                    COALESCE(SUM(sent_at IS NULL AND dropped IS NULL), 0)
             FROM deliveries WHERE push_id = ?1",
        )?
        .query_row([push], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let failed: Vec<(String, u64)> = conn
        .prepare_cached(
            "SELECT dropped, COUNT(*) FROM deliveries WHERE push_id = ?1 AND dropped IS NOT NULL
             GROUP BY dropped ORDER BY COUNT(*) DESC, dropped",
        )?
        .query_map([push], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let articles: Vec<(ArticleId, String)> = conn
        .prepare_cached("SELECT id, headline FROM articles WHERE push_id = ?1 ORDER BY seq")?
        .query_map([push], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|row| {
            row.map(|(id, headline)| ArticleId::parse(&id).map(|id| (id, headline)))
                .transpose()
        })
        .collect::<Result<_, _>>()?;
    Ok(Some(PushProgress {
        push,
        by,
        at,
        deliver_at,
        sent,
        pending,
        failed,
        report: chat.zip(message.map(|m| m as i32)),
        progress_message,
        last_reported: reported,
        articles,
    }))
}

impl ChangeLog for SqliteStore {
    fn changes_since(
        &self,
        generation: u64,
        limit: usize,
    ) -> Result<Option<Vec<Change>>, StoreError> {
        let conn = self.conn();
        let (current, oldest): (u64, Option<u64>) = conn.query_row(
            "SELECT (SELECT value FROM meta WHERE key = 'generation'),
                    (SELECT MIN(generation) FROM changes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if generation >= current {
            return Ok(Some(Vec::new()));
        }
        // The log must hold the very next change, or some were never logged
        // (older databases) or were pruned.
        if oldest.is_none_or(|oldest| oldest > generation + 1) {
            return Ok(None);
        }
        let mut stmt = conn.prepare_cached(
            "SELECT generation, article_id, added FROM changes
             WHERE generation > ?1 ORDER BY generation LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![generation as i64, limit as i64], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (generation, id, added) = row?;
            if let Some(article) = ArticleId::parse(&id) {
                changes.push(Change {
                    generation,
                    article,
                    added,
                });
            }
        }
        Ok(Some(changes))
    }

    fn generation(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = 'generation'", [], |r| {
                r.get(0)
            })?)
    }
}

impl InboundUpdates for SqliteStore {
    fn update_handled(&self, update_key: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM handled_updates WHERE update_key = ?1",
                [update_key],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn mark_update_handled(
        &self,
        update_key: i64,
        keep_secs: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.execute(
            "INSERT OR IGNORE INTO handled_updates (update_key, handled_at) VALUES (?1, ?2)",
            params![update_key, now],
        )?;
        conn.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?1",
            [now - keep_secs],
        )?;
        Ok(())
    }
}

impl Conversations for SqliteStore {
    fn remember_question(
        &self,
        key: &ConversationKey,
        last: &LastQuestion,
        forget_before: i64,
    ) -> Result<(), StoreError> {
        let conn = self.conn();
        conn.prepare_cached(
            "INSERT OR REPLACE INTO conversations \
             (chat_id, user_id, thread_id, question, first_id, asked_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            key.chat_id,
            key.user_id,
            key.thread_id,
            last.question,
            last.first.as_ref().map(ArticleId::as_str),
            last.asked_at
        ])?;
        // Stale conversations are forgotten now and then, not on every
        // question (the read ignores them anyway).
        if last.asked_at % FORGET_EVERY_SECONDS == 0 {
            conn.prepare_cached("DELETE FROM conversations WHERE asked_at < ?1")?
                .execute([forget_before])?;
        }
        Ok(())
    }

    fn last_question(
        &self,
        key: &ConversationKey,
        since: i64,
    ) -> Result<Option<LastQuestion>, StoreError> {
        let conn = self.conn();
        let row = conn
            .prepare_cached(
                "SELECT question, first_id, asked_at FROM conversations \
                 WHERE chat_id = ?1 AND user_id = ?2 AND thread_id = ?3 AND asked_at >= ?4",
            )?
            .query_row(
                params![key.chat_id, key.user_id, key.thread_id, since],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map(|(question, first, asked_at)| LastQuestion {
            question,
            first: first.and_then(|id| ArticleId::parse(&id)),
            asked_at,
        }))
    }

    fn forget_conversations(&self, user_id: i64) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM conversations WHERE user_id = ?1", [user_id])? as u64)
    }
}

/// How often, in seconds of asking time, stale conversations are deleted.
const FORGET_EVERY_SECONDS: i64 = 60;

/// Runs a query whose rows are `(id, data)` and decodes their articles.
fn query_articles(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<Article>, StoreError> {
    let rows = stmt.query_map(params, |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (id, data) = row?;
        decode(&id, &data)
    })
    .collect()
}

fn decode(id: &str, data: &str) -> Result<Article, StoreError> {
    serde_json::from_str(data).map_err(|source| StoreError::Corrupt {
        id: id.to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(headline: &str, date: &str, city: u32) -> Article {
        let body = format!("{headline}的正文。");
        crate::article::testing::article(headline, &[&body], date, &[city])
    }

    #[test]
    fn last_questions_are_per_member_and_topic_expire_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.sqlite3");
        let key = |user, thread| ConversationKey {
            chat_id: -100,
            user_id: user,
            thread_id: thread,
        };
        let asked = |question: &str, at| LastQuestion {
            question: question.into(),
            first: ArticleId::parse("1a2b3c4d"),
            asked_at: at,
        };
        {
            let store = SqliteStore::open(&path).unwrap();
            store
                .remember_question(&key(1, 0), &asked("湛江劳模体检", 1_000), 0)
                .unwrap();
            store
                .remember_question(&key(2, 0), &asked("东莞年货节", 1_100), 0)
                .unwrap();
            store
                .remember_question(&key(1, 5), &asked("江门篮球赛", 1_200), 0)
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let recalled = store.last_question(&key(1, 0), 0).unwrap().unwrap();
        assert_eq!(recalled, asked("湛江劳模体检", 1_000));
        assert_eq!(
            store
                .last_question(&key(2, 0), 0)
                .unwrap()
                .unwrap()
                .question,
            "东莞年货节"
        );
        assert_eq!(
            store
                .last_question(&key(1, 5), 0)
                .unwrap()
                .unwrap()
                .question,
            "江门篮球赛"
        );
        assert_eq!(store.last_question(&key(3, 0), 0).unwrap(), None);
        // Too old to follow up on.
        assert_eq!(store.last_question(&key(1, 0), 1_001).unwrap(), None);
        // A newer question replaces the old one; now and then (here: at a
        // whole minute) stale ones are forgotten.
        store
            .remember_question(&key(1, 0), &asked("吴川驿站", 2_040), 1_150)
            .unwrap();
        assert_eq!(
            store
                .last_question(&key(1, 0), 0)
                .unwrap()
                .unwrap()
                .question,
            "吴川驿站"
        );
        assert_eq!(store.last_question(&key(2, 0), 0).unwrap(), None);
        assert!(store.last_question(&key(1, 5), 0).unwrap().is_some());
    }

    /// Stores `articles` as one page (a push by admin 1 in chat 1 when
    /// `push` gives its delivery time) at time `now`; returns them with the
    /// ids the store gave them (known ones with their stored id).
    fn put(store: &SqliteStore, articles: &[Article], push: Option<i64>, now: i64) -> Vec<Article> {
        let fingerprints: Vec<Fingerprint> = articles
            .iter()
            .map(|a| crate::page::fingerprint(&a.title.headline, &a.paragraphs))
            .collect();
        let signatures: Vec<ArticleSignature> = articles
            .iter()
            .map(|a| {
                let signature = crate::near_dup::Signature::of(&a.title.headline, &a.paragraphs);
                ArticleSignature {
                    bytes: signature.to_bytes(),
                    band_keys: signature.band_keys(),
                }
            })
            .collect();
        let page = PageToStore {
            origin: "p",
            text: "page",
            articles,
            fingerprints: &fingerprints,
            signatures: &signatures,
            near_duplicates: &[],
            warnings: &[],
        };
        let push = push.map(|deliver_at| PushToStore {
            by: 1,
            chat_id: 1,
            deliver_at,
            release_at: None,
        });
        let stored = store.store_pages(&[page], push.as_ref(), now).unwrap();
        articles
            .iter()
            .zip(&stored[0].articles)
            .map(|(a, outcome)| Article {
                id: outcome.id().clone(),
                ..a.clone()
            })
            .collect()
    }

    #[test]
    fn the_same_page_stored_twice_adds_nothing_the_second_time() {
        let store = SqliteStore::open_in_memory().unwrap();
        let articles = [
            article("甲", "2024-01-02", 4408),
            article("乙", "2024-01-03", 4408),
        ];
        let first = put(&store, &articles, None, 1_000);
        assert_ne!(first[0].id, first[1].id);
        assert!(first.iter().all(|a| !a.id.is_unassigned()));
        let second = put(&store, &articles, None, 2_000);
        assert_eq!(
            second.iter().map(|a| &a.id).collect::<Vec<_>>(),
            first.iter().map(|a| &a.id).collect::<Vec<_>>(),
            "known by fingerprint, under the ids first given"
        );
        assert_eq!(store.count().unwrap(), 2);
        assert_eq!(store.ingest_log(10).unwrap().len(), 2);
    }

    #[test]
    fn ids_are_allocated_once_and_never_collide_with_ids_stored_before_them() {
        let store = SqliteStore::open_in_memory().unwrap();
        // An id an older version gave (a hash of the text) that the
        // allocator would hand out first.
        let mut old = article("旧", "2024-01-02", 4408);
        old.id = ArticleId::allocated(1);
        store
            .conn()
            .execute(
                "INSERT INTO pages (sha256, origin, received_at, text) VALUES ('x', 'p', 'now', 'page')",
                [],
            )
            .unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO articles (id, seq, page_id, headline, added_at, data) VALUES (?1, 1, 1, '旧', 'now', ?2)",
                params![old.id.as_str(), serde_json::to_string(&old).unwrap()],
            )
            .unwrap();
        let new = put(&store, &[article("新", "2024-01-03", 4408)], None, 1_000);
        assert_eq!(new[0].id, ArticleId::allocated(2));
        assert_eq!(store.count().unwrap(), 2);
        assert_eq!(store.unfingerprinted(10).unwrap().len(), 1, "the old one");
    }

    #[test]
    #[ignore = "slow: 300,000 articles (run by .ci/run)"]
    fn three_hundred_thousand_distinct_articles_are_each_stored_and_found() {
        let store = SqliteStore::open_in_memory().unwrap();
        const TOTAL: usize = 300_000;
        let mut ids = std::collections::HashSet::with_capacity(TOTAL);
        let mut seq = 0;
        for _ in 0..TOTAL / 10_000 {
            let articles: Vec<Article> = (0..10_000)
                .map(|_| {
                    seq += 1;
                    crate::article::testing::article(&format!("第{seq}篇"), &[], "", &[])
                })
                .collect();
            // Ids and fingerprints only: the fingerprint stands for the text.
            let fingerprints: Vec<Fingerprint> = (seq - 10_000 + 1..=seq)
                .map(|n| Fingerprint::of_parts([format!("{n}").as_str()]))
                .collect();
            let page = PageToStore {
                origin: "p",
                text: "page",
                articles: &articles,
                fingerprints: &fingerprints,
                signatures: &[],
                near_duplicates: &[],
                warnings: &[],
            };
            let stored = store.store_pages(&[page], None, 1_000).unwrap();
            for outcome in &stored[0].articles {
                assert!(matches!(outcome, StoredArticle::Added(_)), "{outcome:?}");
                ids.insert(outcome.id().clone());
            }
        }
        assert_eq!(ids.len(), TOTAL, "every id distinct");
        assert_eq!(store.count().unwrap(), TOTAL as u64);
        assert_eq!(store.ids().unwrap(), ids, "every one found");
    }

    #[test]
    fn an_archive_of_an_older_version_migrates_with_its_ids_and_deliveries_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.sqlite3");
        let mut old = article("旧文章", "2024-01-02", 4408);
        old.id = ArticleId::parse("3fa9c2d1").unwrap();
        {
            // The database as the version before ids were allocated left it.
            let mut conn = Connection::open(&path).unwrap();
            for (i, migration) in MIGRATIONS.iter().enumerate().take(7) {
                let tx = conn.transaction().unwrap();
                tx.execute_batch(migration).unwrap();
                tx.pragma_update(None, "user_version", i + 1).unwrap();
                tx.commit().unwrap();
            }
            conn.execute_batch(&format!(
                "INSERT INTO pages (sha256, origin, received_at, text) VALUES ('x', 'p', '2024-01-02T00:00:00+00:00', 'page');
                 INSERT INTO articles (id, seq, page_id, headline, sort_date, added_at, data)
                     VALUES ('3fa9c2d1', 1, 1, '旧文章', '2024-01-02', '2024-01-02T00:00:00+00:00', '{}');
                 INSERT INTO article_cities (article_id, city_code, rank, sort_date, seq)
                     VALUES ('3fa9c2d1', 4408, 0, '2024-01-02', 1);
                 INSERT INTO subscriptions (chat_id, city_code, created_at) VALUES (7, 4408, 'x');
                 INSERT INTO outbox (chat_id, article_id, created_at, due_at, delivered_at)
                     VALUES (7, '3fa9c2d1', '2024-01-02T00:00:00+00:00', 0, '2024-01-02T00:05:00+00:00');
                 INSERT INTO outbox (chat_id, article_id, created_at, due_at)
                     VALUES (8, '3fa9c2d1', '2024-01-02T00:00:00+00:00', 0);",
                serde_json::to_string(&old).unwrap().replace('\'', "''")
            ))
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(
            store.article(&old.id).unwrap().unwrap().title.headline,
            "旧文章"
        );
        assert_eq!(store.latest_in_city(4408, 10, 0).unwrap().1, 1);
        assert_eq!(
            store.sent_count(&old.id).unwrap(),
            1,
            "the delivery made stays made"
        );
        assert_eq!(
            store.pending_deliveries().unwrap(),
            1,
            "the one owed is still owed"
        );
        // The desk gives it its fingerprint at open; the same text is then known.
        assert_eq!(store.unfingerprinted(10).unwrap().len(), 1);
        let fingerprint = crate::page::fingerprint(&old.title.headline, &old.paragraphs);
        store
            .add_fingerprint(&old.id, &fingerprint, &ArticleSignature::default())
            .unwrap();
        assert_eq!(
            put(&store, std::slice::from_ref(&old), None, 1_000)[0].id,
            old.id
        );
        assert_eq!(store.count().unwrap(), 1);
        // New articles get new ids, never the old one's.
        let new = put(
            &store,
            &[article("新文章", "2024-01-03", 4408)],
            None,
            1_000,
        );
        assert_ne!(new[0].id, old.id);
    }

    #[test]
    fn city_lists_are_newest_first_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.sqlite3");
        {
            let store = SqliteStore::open(&path).unwrap();
            let articles = [
                article("旧", "2023-12-01", 4408),
                article("新", "2024-01-15", 4408),
                article("别处", "2024-01-20", 4401),
            ];
            put(&store, &articles, None, 1_000);
        }
        let store = SqliteStore::open(&path).unwrap();
        let (list, total) = store.latest_in_city(4408, 10, 0).unwrap();
        let titles: Vec<_> = list.iter().map(|a| a.title.headline.as_str()).collect();
        assert_eq!(titles, ["新", "旧"]);
        assert_eq!(total, 2);
        assert_eq!(store.latest(1, 0).unwrap()[0].title.headline, "别处");
    }

    #[test]
    fn lists_sort_by_published_date_and_periods_filter_by_event_date() {
        let store = SqliteStore::open_in_memory().unwrap();
        let mut early_event = article("早办晚发", "2024-01-05", 4408);
        early_event.published = "2024-02-20".parse().ok();
        let late = article("晚办", "2024-02-10", 4408);
        put(&store, &[early_event, late], None, 1_000);
        let titles = |list: Vec<Article>| -> Vec<String> {
            list.into_iter().map(|a| a.title.headline).collect()
        };
        assert_eq!(titles(store.latest(10, 0).unwrap()), ["早办晚发", "晚办"]);
        let january = ("2024-01-01".parse().unwrap(), "2024-01-31".parse().unwrap());
        let (list, total) = store.latest_between(&[], january, 10, 0).unwrap();
        assert_eq!((titles(list), total), (vec!["早办晚发".to_string()], 1));
    }

    #[test]
    fn a_retracted_article_leaves_lists_keeps_its_row_and_comes_back_when_restored() {
        let store = SqliteStore::open_in_memory().unwrap();
        let a = put(&store, &[article("甲", "2024-01-02", 4408)], None, 1_000).remove(0);
        assert!(store.retract(&a.id, 42, 2_000).unwrap());
        assert!(!store.retract(&a.id, 42, 2_001).unwrap(), "once");
        assert_eq!(store.latest_in_city(4408, 10, 0).unwrap().1, 0);
        assert!(store.article(&a.id).unwrap().is_none());
        assert_eq!(store.count().unwrap(), 0);
        let record = store.article_record(&a.id).unwrap().unwrap();
        assert_eq!(record.state, ArticleState::Retracted);
        assert_eq!(record.retracted, Some((42, 2_000)));
        // Pushed again: known, and known as retracted.
        let again = store
            .store_pages(
                &[PageToStore {
                    origin: "p",
                    text: "page",
                    articles: std::slice::from_ref(&a),
                    fingerprints: &[crate::page::fingerprint(&a.title.headline, &a.paragraphs)],
                    signatures: &[],
                    near_duplicates: &[],
                    warnings: &[],
                }],
                None,
                3_000,
            )
            .unwrap();
        assert_eq!(
            again[0].articles,
            [StoredArticle::Known(a.id.clone(), ArticleState::Retracted)]
        );
        assert!(store.restore(&a.id, 42, 4_000).unwrap());
        assert_eq!(store.latest_in_city(4408, 10, 0).unwrap().1, 1);
        assert!(store.article(&a.id).unwrap().is_some());
        let changes: Vec<bool> = store
            .changes_since(0, 10)
            .unwrap()
            .unwrap()
            .iter()
            .map(|c| c.added)
            .collect();
        assert_eq!(changes, [true, false, true], "the index follows");
    }

    #[test]
    fn a_chat_that_pauses_or_moves_to_the_digest_during_the_hold_is_not_sent_the_article() {
        use crate::store::{DeliveryMode, DeliveryPrefs};
        let store = SqliteStore::open_in_memory().unwrap();
        for chat in [1, 2, 3, 4] {
            store.subscribe(chat, 4408, 0).unwrap();
        }
        let article = crate::article::testing::article("暂停", &["正文。"], "2024-01-02", &[4408]);
        put(&store, &[article], Some(1_120), 1_000);
        // During the hold: one pauses, one moves to the digest, one leaves.
        store.set_mode(1, 4408, DeliveryMode::Paused).unwrap();
        store.set_mode(2, 4408, DeliveryMode::Digest).unwrap();
        store.unsubscribe(3, 4408).unwrap();
        let due = store.claim_due_deliveries(10, 60, 1_120).unwrap();
        let chats: Vec<i64> = due.iter().map(|d| d.chat_id).collect();
        assert_eq!(chats, [4], "only the chat that still wants each article");
        assert_eq!(
            store.pending_deliveries().unwrap(),
            2,
            "chat 4's and chat 2's digest"
        );
        // A group upgraded to a supergroup keeps each subscription's mode.
        store.subscribe(-5, 4401, 0).unwrap();
        store.set_mode(-5, 4401, DeliveryMode::Paused).unwrap();
        store.move_chat(-5, -1005).unwrap();
        assert_eq!(store.subscriptions(-1005).unwrap(), [4401]);
        store.subscribe(-1005, 4401, 0).unwrap();
        let article = crate::article::testing::article("茂名", &["正文。"], "2024-01-03", &[4401]);
        put(&store, &[article], Some(2_000), 2_000);
        assert!(
            store
                .claim_due_deliveries(10, 60, 2_000)
                .unwrap()
                .iter()
                .all(|d| d.chat_id != -1005),
            "still paused after the move"
        );
    }

    #[test]
    fn a_push_queues_one_delivery_per_subscriber_due_when_its_hold_ends() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, 4408, 0).unwrap();
        store.subscribe(1, 4401, 0).unwrap();
        store.subscribe(2, ALL_CITIES, 0).unwrap();
        store.subscribe(3, 4403, 0).unwrap();
        assert!(!store.subscribe(1, 4408, 0).unwrap(), "already subscribed");
        let two_cities =
            crate::article::testing::article("两地", &["正文。"], "2024-01-02", &[4408, 4401]);
        put(
            &store,
            std::slice::from_ref(&two_cities),
            Some(1_120),
            1_000,
        );
        assert!(
            store
                .claim_due_deliveries(10, 60, 1_119)
                .unwrap()
                .is_empty(),
            "held"
        );
        let due = store.claim_due_deliveries(10, 60, 1_120).unwrap();
        let mut chats: Vec<i64> = due.iter().map(|d| d.chat_id).collect();
        chats.sort_unstable();
        assert_eq!(chats, [1, 2]);
        assert!(
            store
                .claim_due_deliveries(10, 60, 1_121)
                .unwrap()
                .is_empty(),
            "claimed ones are leased"
        );
        for (i, d) in due.iter().enumerate() {
            store
                .mark_delivered(d.id, &[100 + i as i32], 1_130)
                .unwrap();
        }
        assert_eq!(store.pending_deliveries().unwrap(), 0);
        let progress = store.push_progress(due[0].push.unwrap()).unwrap().unwrap();
        assert_eq!((progress.sent, progress.pending), (2, 0));
        // Pushing the same article again queues nothing.
        put(&store, &[two_cities], Some(2_000), 2_000);
        assert_eq!(store.pending_deliveries().unwrap(), 0);
    }

    #[test]
    fn send_now_ends_the_hold_and_cancel_drops_what_was_not_sent() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, ALL_CITIES, 0).unwrap();
        let a = put(
            &store,
            &[article("甲", "2024-01-02", 4408)],
            Some(5_000),
            1_000,
        )
        .remove(0);
        assert_eq!(store.deliver_now(&a.id, 1_010).unwrap(), 1);
        let due = store.claim_due_deliveries(10, 60, 1_010).unwrap();
        assert_eq!(due.len(), 1);
        store.mark_delivered(due[0].id, &[1], 1_011).unwrap();
        let b = put(
            &store,
            &[article("乙", "2024-01-02", 4408)],
            Some(5_000),
            1_000,
        )
        .remove(0);
        assert_eq!(store.cancel_deliveries(&b.id).unwrap(), 1);
        assert!(
            store
                .claim_due_deliveries(10, 60, 9_000)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn corrections_keep_the_id_queue_edits_and_the_old_text_stays_known() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, ALL_CITIES, 0).unwrap();
        let a = put(
            &store,
            &[article("错标题", "2024-01-02", 4408)],
            Some(1_000),
            1_000,
        )
        .remove(0);
        let due = store.claim_due_deliveries(10, 60, 1_000).unwrap();
        store.mark_delivered(due[0].id, &[77], 1_001).unwrap();
        let mut fixed = a.clone();
        fixed.title.headline = "对标题".into();
        let fingerprint = crate::page::fingerprint(&fixed.title.headline, &fixed.paragraphs);
        assert!(
            store
                .correct(
                    &fixed,
                    &fingerprint,
                    &ArticleSignature::default(),
                    42,
                    2_000
                )
                .unwrap()
        );
        assert_eq!(
            store.article(&a.id).unwrap().unwrap().title.headline,
            "对标题"
        );
        let edits = store.claim_due_actions(10, 60, 2_000).unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(
            (edits[0].chat_id, &edits[0].message_ids, edits[0].kind),
            (1, &vec![77], MessageActionKind::Edit)
        );
        store.finish_action(edits[0].id, None, 2_001).unwrap();
        // The original text pushed again is still this article.
        let again = put(&store, std::slice::from_ref(&a), None, 3_000);
        assert_eq!(again[0].id, a.id);
        assert_eq!(store.count().unwrap(), 1);
        // A retraction after a restart still reaches the sent message.
        assert!(store.retract(&a.id, 42, 4_000).unwrap());
        let takes_back = store.claim_due_actions(10, 60, 4_000).unwrap();
        assert_eq!(takes_back.len(), 1);
        assert_eq!(takes_back[0].kind, MessageActionKind::Retract);
        assert_eq!(takes_back[0].sent_at, 1_001);
    }

    #[test]
    fn a_message_sent_while_its_article_was_retracted_is_taken_back_and_a_restore_sends_again() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, ALL_CITIES, 0).unwrap();
        store.subscribe(2, ALL_CITIES, 0).unwrap();
        let a = put(
            &store,
            &[article("甲", "2024-01-02", 4408)],
            Some(1_000),
            1_000,
        )
        .remove(0);
        // Claimed for chat 1 (in flight), then retracted, then sent.
        let claimed = store.claim_due_deliveries(1, 60, 1_000).unwrap();
        assert!(store.retract(&a.id, 9, 1_001).unwrap());
        store.mark_delivered(claimed[0].id, &[70], 1_002).unwrap();
        let back = store.claim_due_actions(10, 60, 1_002).unwrap();
        assert_eq!(back.len(), 1, "the message sent after the retraction");
        assert_eq!(
            (back[0].kind, &back[0].message_ids),
            (MessageActionKind::Retract, &vec![70])
        );
        assert!(
            store
                .claim_due_deliveries(10, 60, 1_003)
                .unwrap()
                .is_empty()
        );
        // Restored: the one dropped unsent is owed again, the one being
        // taken back is left alone.
        store.finish_action(back[0].id, None, 1_004).unwrap();
        assert!(store.restore(&a.id, 9, 1_005).unwrap());
        let again = store.claim_due_deliveries(10, 60, 1_005).unwrap();
        let mut chats: Vec<i64> = again.iter().map(|d| d.chat_id).collect();
        chats.sort_unstable();
        assert_eq!(chats, [1, 2], "both are owed it again");
    }

    #[test]
    fn changes_to_one_message_go_one_at_a_time_oldest_first() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, ALL_CITIES, 0).unwrap();
        let a = put(
            &store,
            &[article("甲", "2024-01-02", 4408)],
            Some(1_000),
            1_000,
        )
        .remove(0);
        let due = store.claim_due_deliveries(1, 60, 1_000).unwrap();
        store.mark_delivered(due[0].id, &[70], 1_000).unwrap();
        let fingerprint = crate::page::fingerprint("乙", &a.paragraphs);
        let mut fixed = a.clone();
        fixed.title.headline = "乙".into();
        store
            .correct(&fixed, &fingerprint, &ArticleSignature::default(), 9, 1_001)
            .unwrap();
        let edit = store.claim_due_actions(10, 60, 1_001).unwrap();
        assert_eq!(edit.len(), 1);
        // Retracted while the edit is under way: the retraction waits for it.
        store.retract(&a.id, 9, 1_002).unwrap();
        assert!(store.claim_due_actions(10, 60, 1_002).unwrap().is_empty());
        store.finish_action(edit[0].id, None, 1_003).unwrap();
        let next = store.claim_due_actions(10, 60, 1_003).unwrap();
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].kind, MessageActionKind::Retract);
    }

    #[test]
    fn a_scheduled_article_is_hidden_until_its_time_and_can_be_moved() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, ALL_CITIES, 0).unwrap();
        let a = article("定时", "2024-01-02", 4408);
        let fingerprints = [crate::page::fingerprint(&a.title.headline, &a.paragraphs)];
        let push = PushToStore {
            by: 1,
            chat_id: 1,
            deliver_at: 1_120,
            release_at: Some(5_000),
        };
        let stored = store
            .store_pages(
                &[PageToStore {
                    origin: "p",
                    text: "page",
                    articles: &[a],
                    fingerprints: &fingerprints,
                    signatures: &[],
                    near_duplicates: &[],
                    warnings: &[],
                }],
                Some(&push),
                1_000,
            )
            .unwrap();
        let id = stored[0].articles[0].id().clone();
        assert_eq!(store.count().unwrap(), 0);
        assert!(store.article(&id).unwrap().is_none());
        assert_eq!(store.generation().unwrap(), 0, "the index sees nothing yet");
        assert!(
            store
                .claim_due_deliveries(10, 60, 4_999)
                .unwrap()
                .is_empty()
        );
        assert!(store.schedule(&id, 6_000, 1, 2_000).unwrap());
        assert!(store.release_due(5_500).unwrap().is_empty(), "moved");
        assert_eq!(store.scheduled(5).unwrap()[0].2, 6_000);
        assert_eq!(store.release_due(6_000).unwrap(), std::slice::from_ref(&id));
        assert_eq!(store.count().unwrap(), 1);
        assert_eq!(store.latest_in_city(4408, 10, 0).unwrap().1, 1);
        assert_eq!(store.claim_due_deliveries(10, 60, 6_000).unwrap().len(), 1);
    }

    #[test]
    fn failed_deliveries_come_back_and_blocked_chats_are_counted() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(7, ALL_CITIES, 0).unwrap();
        let a = crate::article::testing::article("甲", &["正文。"], "2024-01-02", &[4408]);
        put(&store, &[a], Some(1_000), 1_000);
        let due = store.claim_due_deliveries(10, 60, 1_000).unwrap();
        store.mark_failed(due[0].id, "502", 0, 1_000).unwrap();
        let again = store.claim_due_deliveries(10, 60, 1_000).unwrap();
        assert_eq!((again.len(), again[0].attempts), (1, 1));
        assert_eq!(store.unsubscribe_all(7, "blocked").unwrap(), 1);
        assert_eq!(store.pending_deliveries().unwrap(), 0);
        assert!(store.subscriptions(7).unwrap().is_empty());
        let progress = store.push_progress(due[0].push.unwrap()).unwrap().unwrap();
        assert_eq!(progress.failed, [("blocked".to_string(), 1)]);
    }

    #[test]
    fn leases_of_a_dead_sender_are_released_and_delivered_ones_stay_delivered() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(7, ALL_CITIES, 0).unwrap();
        store.subscribe(8, ALL_CITIES, 0).unwrap();
        let a = crate::article::testing::article("甲", &["正文。"], "2024-01-02", &[4408]);
        put(&store, &[a], Some(1_000), 1_000);
        let claimed = store.claim_due_deliveries(10, 3600, 1_000).unwrap();
        assert_eq!(claimed.len(), 2);
        store.mark_delivered(claimed[0].id, &[1], 1_001).unwrap();
        assert!(
            store
                .claim_due_deliveries(10, 3600, 1_002)
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.release_delivery_claims().unwrap(), 1);
        let again = store.claim_due_deliveries(10, 3600, 1_003).unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].id, claimed[1].id);
    }

    #[test]
    fn handled_updates_are_remembered_until_they_are_too_old_to_come_back() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert!(!store.update_handled(41).unwrap());
        store.mark_update_handled(41, 3600, 10_000).unwrap();
        store.mark_update_handled(41, 3600, 10_000).unwrap();
        assert!(store.update_handled(41).unwrap());
        assert!(!store.update_handled(42).unwrap());
        // Two hours later, an hour's memory no longer holds 41.
        store.mark_update_handled(43, 3600, 17_200).unwrap();
        assert!(!store.update_handled(41).unwrap());
        assert!(store.update_handled(43).unwrap());
    }

    #[test]
    fn the_change_log_numbers_every_addition_and_removal_by_generation() {
        let store = SqliteStore::open_in_memory().unwrap();
        let stored = put(
            &store,
            &[
                article("甲", "2024-01-02", 4408),
                article("乙", "2024-01-03", 4408),
            ],
            None,
            1_000,
        );
        let (a, b) = (&stored[0], &stored[1]);
        store.retract(&a.id, 1, 2_000).unwrap();
        assert_eq!(store.generation().unwrap(), 3);
        let changes = store
            .changes_since(0, 10)
            .unwrap()
            .expect("the log reaches back");
        let seen: Vec<(u64, &str, bool)> = changes
            .iter()
            .map(|c| (c.generation, c.article.as_str(), c.added))
            .collect();
        assert_eq!(
            seen,
            [
                (1, a.id.as_str(), true),
                (2, b.id.as_str(), true),
                (3, a.id.as_str(), false)
            ]
        );
        assert_eq!(store.changes_since(2, 10).unwrap().unwrap().len(), 1);
        assert_eq!(store.changes_since(1, 1).unwrap().unwrap().len(), 1);
        assert!(store.changes_since(3, 10).unwrap().unwrap().is_empty());
        // A database whose early changes were never logged says so.
        store
            .conn()
            .execute("DELETE FROM changes WHERE generation < 3", [])
            .unwrap();
        assert_eq!(store.changes_since(0, 10).unwrap(), None);
        assert_eq!(store.changes_since(2, 10).unwrap().unwrap().len(), 1);
    }

    #[test]
    fn articles_are_walked_in_arrival_order_a_batch_at_a_time() {
        let store = SqliteStore::open_in_memory().unwrap();
        let articles: Vec<Article> = (0..5)
            .map(|i| article(&format!("第{i}篇"), "2024-01-02", 4408))
            .collect();
        let articles = put(&store, &articles, None, 1_000);
        let first = store.articles_after(0, 2).unwrap();
        let rest = store.articles_after(first[1].0, 10).unwrap();
        let walked: Vec<ArticleId> = first
            .iter()
            .chain(&rest)
            .map(|(_, a)| a.id.clone())
            .collect();
        let stored: Vec<ArticleId> = articles.iter().map(|a| a.id.clone()).collect();
        assert_eq!(walked, stored);
        let mut visited = Vec::new();
        crate::store::for_each_article(&store, |a| {
            visited.push(a.id);
            Ok::<_, StoreError>(())
        })
        .unwrap();
        assert_eq!(visited, stored);
    }

    #[test]
    fn one_process_leads_a_database_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("news.sqlite3");
        let (one, two) = (
            SqliteStore::open(&path).unwrap(),
            SqliteStore::open(&path).unwrap(),
        );
        let leading = one.lead().expect("the first leads");
        let refused = two.lead().expect_err("the second must wait");
        assert!(
            matches!(refused, StoreError::LeaderElsewhere(_)),
            "{refused}"
        );
        assert!(refused.to_string().contains("already running"), "{refused}");
        drop(leading);
        two.lead()
            .expect("the lock is free once the leader lets go");
        SqliteStore::open_in_memory()
            .unwrap()
            .lead()
            .expect("memory always leads");
    }
}
