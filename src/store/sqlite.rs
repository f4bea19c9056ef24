//! The store on SQLite: the only file that names the database.
//!
//! SQLite in WAL mode holds every article with all its fields, the raw page
//! each came from, a log of what was ingested, subscriptions, the outbox,
//! the change log and the handled updates. The search index is derived from
//! it and can always be rebuilt from it.

use super::{
    ALL_CITIES, ArticleStore, CHANGES_KEPT, Change, ChangeLog, ConversationKey, Conversations,
    Delivery, InboundUpdates, IngestLogEntry, LastQuestion, LeaderLock, Leadership, Outbox,
    PageToStore, StoreError, StoreStats, StoredPage, Subscriptions,
};
use crate::article::{Article, ArticleId};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
];

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

    /// Stores a page and its articles in one transaction: the raw page once
    /// (by content hash), each article once (by id). With `notify`, the same
    /// transaction queues one delivery per subscriber of each new article's
    /// cities (or of all news), so a push and its deliveries commit together.
    /// Returns which articles were new. Nothing is visible until the whole
    /// page is committed.
    pub fn store_page(
        &self,
        origin: &str,
        page_text: &str,
        articles: &[Article],
        warnings: &[String],
        notify: bool,
    ) -> Result<StoredPage, StoreError> {
        let page = PageToStore {
            origin,
            text: page_text,
            articles,
            warnings,
        };
        let mut stored = self.store_pages(&[page], notify)?;
        Ok(stored.pop().unwrap_or_default())
    }
}

impl LeaderLock for SqliteStore {
    /// The leader holds `bot.lock` beside the database file, locked; the
    /// system drops the lock when the process ends, however it ends. A
    /// store in memory has no one to share it with: it always leads.
    fn lead(&self) -> Result<Leadership, StoreError> {
        let Some(path) = &self.lock_path else {
            return Ok(Leadership::held_by(()));
        };
        let lock_error = |source| StoreError::Lock {
            path: path.clone(),
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
}

impl ArticleStore for SqliteStore {
    fn articles_after(&self, after: u64, limit: usize) -> Result<Vec<(u64, Article)>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, id, data FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
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
        notify: bool,
    ) -> Result<Vec<StoredPage>, StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut next_seq: i64 =
            tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles", [], |r| {
                r.get(0)
            })?;
        let mut results = Vec::with_capacity(pages.len());
        for page in pages {
            let page_hash = hex::encode(Sha256::digest(page.text.as_bytes()));
            tx.prepare_cached(
                "INSERT OR IGNORE INTO pages (sha256, origin, received_at, text) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![page_hash, page.origin, now, page.text])?;
            let page_id: i64 = tx
                .prepare_cached("SELECT id FROM pages WHERE sha256 = ?1")?
                .query_row([&page_hash], |r| r.get(0))?;
            let mut result = StoredPage::default();
            for article in page.articles {
                let exists: bool = tx
                    .prepare_cached("SELECT EXISTS(SELECT 1 FROM articles WHERE id = ?1)")?
                    .query_row([article.id.as_str()], |r| r.get(0))?;
                if exists || result.added.contains(&article.id) {
                    result.known.push(article.id.clone());
                    continue;
                }
                let data =
                    serde_json::to_string(article).map_err(|source| StoreError::Corrupt {
                        id: article.id.to_string(),
                        source,
                    })?;
                tx.prepare_cached(
                    "INSERT INTO articles (id, seq, page_id, headline, sort_date, added_at, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    article.id.as_str(),
                    next_seq,
                    page_id,
                    article.title.headline,
                    article.sort_date().map(|d| d.to_string()),
                    now,
                    data
                ])?;
                next_seq += 1;
                for (rank, city) in article.cities.iter().enumerate() {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO article_cities (article_id, city_code, rank, sort_date, seq)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        article.id.as_str(),
                        city.code,
                        rank,
                        article.sort_date().map(|d| d.to_string()),
                        next_seq - 1
                    ])?;
                }
                if notify {
                    result.queued += tx
                        .prepare_cached(
                            "INSERT OR IGNORE INTO outbox (chat_id, article_id, created_at, due_at)
                             SELECT DISTINCT s.chat_id, ?1, ?2, ?3 FROM subscriptions s
                             WHERE s.city_code = ?4
                                OR s.city_code IN (SELECT city_code FROM article_cities WHERE article_id = ?1)",
                        )?
                        .execute(params![article.id.as_str(), now, unix_now(), ALL_CITIES])?;
                }
                result.added.push(article.id.clone());
            }
            tx.prepare_cached(
                "INSERT INTO ingest_log (at, origin, page_id, added, known, warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                now,
                page.origin,
                page_id,
                result.added.len(),
                result.known.len(),
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
            .query_row(
                "SELECT data FROM articles WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        data.map(|d| decode(id.as_str(), &d)).transpose()
    }

    fn articles(&self, ids: &[ArticleId]) -> Result<Vec<Article>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT data FROM articles WHERE id = ?1")?;
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
            "SELECT id, data FROM articles ORDER BY sort_date DESC, seq DESC LIMIT ?1 OFFSET ?2",
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
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.data FROM article_cities c JOIN articles a ON a.id = c.article_id
             WHERE c.city_code = ?1 ORDER BY c.sort_date DESC, c.seq DESC LIMIT ?2 OFFSET ?3",
        )?;
        let articles = query_articles(&mut stmt, params![city_code, limit as i64, offset as i64])?;
        Ok((articles, total))
    }

    fn ids(&self) -> Result<std::collections::HashSet<ArticleId>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM articles")?;
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
        let newest: Option<String> =
            self.conn()
                .query_row("SELECT MAX(sort_date) FROM articles", [], |r| r.get(0))?;
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
        let range = "a.sort_date >= ?1 AND a.sort_date <= ?2";
        let (from, to) = (from.to_string(), to.to_string());
        let total: u64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM articles a WHERE {range}{city_filter}"),
            params![from, to],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(&format!(
            "SELECT a.id, a.data FROM articles a WHERE {range}{city_filter}
             ORDER BY a.sort_date DESC, a.seq DESC LIMIT ?3 OFFSET ?4"
        ))?;
        let articles = query_articles(&mut stmt, params![from, to, limit as i64, offset as i64])?;
        Ok((articles, total))
    }

    fn delete(&self, id: &ArticleId) -> Result<bool, StoreError> {
        let conn = self.conn();
        Ok(conn.execute("DELETE FROM articles WHERE id = ?1", [id.as_str()])? > 0)
    }

    fn count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let conn = self.conn();
        let articles = conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
        let pages = conn.query_row("SELECT COUNT(*) FROM pages", [], |r| r.get(0))?;
        let newest: Option<String> =
            conn.query_row("SELECT MAX(sort_date) FROM articles", [], |r| r.get(0))?;
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
}

impl Subscriptions for SqliteStore {
    fn subscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        Ok(self.conn().execute(
            "INSERT OR IGNORE INTO subscriptions (chat_id, city_code, created_at) VALUES (?1, ?2, ?3)",
            params![chat_id, city_code, now],
        )? > 0)
    }

    fn unsubscribe(&self, chat_id: i64, city_code: u32) -> Result<bool, StoreError> {
        Ok(self.conn().execute(
            "DELETE FROM subscriptions WHERE chat_id = ?1 AND city_code = ?2",
            params![chat_id, city_code],
        )? > 0)
    }

    fn unsubscribe_all(&self, chat_id: i64) -> Result<usize, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let ended = tx.execute("DELETE FROM subscriptions WHERE chat_id = ?1", [chat_id])?;
        tx.execute(
            "DELETE FROM outbox WHERE chat_id = ?1 AND delivered_at IS NULL",
            [chat_id],
        )?;
        tx.commit()?;
        Ok(ended)
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
        Ok(self.conn().execute(
            "UPDATE outbox SET claimed_until = NULL
             WHERE delivered_at IS NULL AND claimed_until IS NOT NULL",
            [],
        )?)
    }

    fn claim_due_deliveries(
        &self,
        limit: usize,
        lease_secs: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let now = unix_now();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let due: Vec<Delivery> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id, chat_id, article_id, attempts FROM outbox
                 WHERE delivered_at IS NULL AND due_at <= ?1
                   AND (claimed_until IS NULL OR claimed_until <= ?1)
                 ORDER BY due_at, id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![now, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                ))
            })?;
            let mut due = Vec::new();
            for row in rows {
                let (id, chat_id, article_id, attempts) = row?;
                if let Some(article_id) = ArticleId::parse(&article_id) {
                    due.push(Delivery {
                        id,
                        chat_id,
                        article_id,
                        attempts,
                    });
                }
            }
            due
        };
        for delivery in &due {
            tx.execute(
                "UPDATE outbox SET claimed_until = ?1 WHERE id = ?2",
                params![now + lease_secs, delivery.id],
            )?;
        }
        tx.commit()?;
        Ok(due)
    }

    fn mark_delivered(&self, delivery_id: i64) -> Result<(), StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        self.conn().execute(
            "UPDATE outbox SET delivered_at = ?1, claimed_until = NULL WHERE id = ?2",
            params![now, delivery_id],
        )?;
        Ok(())
    }

    fn mark_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_in_secs: i64,
    ) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, claimed_until = NULL,
                    due_at = ?2 WHERE id = ?3",
            params![error, unix_now() + retry_in_secs, delivery_id],
        )?;
        Ok(())
    }

    fn drop_delivery(&self, delivery_id: i64, reason: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "UPDATE outbox SET delivered_at = 'dropped', last_error = ?1, claimed_until = NULL WHERE id = ?2",
            params![reason, delivery_id],
        )?;
        Ok(())
    }

    fn pending_deliveries(&self) -> Result<u64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }
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

    fn mark_update_handled(&self, update_key: i64, keep_secs: i64) -> Result<(), StoreError> {
        let now = unix_now();
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
}

/// How often, in seconds of asking time, stale conversations are deleted.
const FORGET_EVERY_SECONDS: i64 = 60;

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

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

    #[test]
    fn the_same_page_stored_twice_adds_nothing_the_second_time() {
        let store = SqliteStore::open_in_memory().unwrap();
        let articles = [
            article("甲", "2024-01-02", 4408),
            article("乙", "2024-01-03", 4408),
        ];
        let first = store
            .store_page("a.md", "page", &articles, &[], false)
            .unwrap();
        assert_eq!(first.added.len(), 2);
        let second = store
            .store_page("a.md", "page", &articles, &[], false)
            .unwrap();
        assert!(second.added.is_empty());
        assert_eq!(second.known.len(), 2);
        assert_eq!(store.count().unwrap(), 2);
        assert_eq!(store.ingest_log(10).unwrap().len(), 2);
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
            store
                .store_page("p", "page", &articles, &[], false)
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let (list, total) = store.latest_in_city(4408, 10, 0).unwrap();
        let titles: Vec<_> = list.iter().map(|a| a.title.headline.as_str()).collect();
        assert_eq!(titles, ["新", "旧"]);
        assert_eq!(total, 2);
        assert_eq!(store.latest(1, 0).unwrap()[0].title.headline, "别处");
    }

    #[test]
    fn deleting_removes_the_article_and_its_cities() {
        let store = SqliteStore::open_in_memory().unwrap();
        let a = article("甲", "2024-01-02", 4408);
        store
            .store_page("p", "page", std::slice::from_ref(&a), &[], false)
            .unwrap();
        assert!(store.delete(&a.id).unwrap());
        assert!(!store.delete(&a.id).unwrap());
        assert_eq!(store.latest_in_city(4408, 10, 0).unwrap().1, 0);
        assert!(store.article(&a.id).unwrap().is_none());
    }

    #[test]
    fn a_push_queues_one_delivery_per_subscriber_even_with_two_subscribed_cities() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(1, 4408).unwrap();
        store.subscribe(1, 4401).unwrap();
        store.subscribe(2, ALL_CITIES).unwrap();
        store.subscribe(3, 4403).unwrap();
        assert!(!store.subscribe(1, 4408).unwrap(), "already subscribed");
        let two_cities =
            crate::article::testing::article("两地", &["正文。"], "2024-01-02", &[4408, 4401]);
        store
            .store_page("push", "p", std::slice::from_ref(&two_cities), &[], true)
            .unwrap();
        let due = store.claim_due_deliveries(10, 60).unwrap();
        let mut chats: Vec<i64> = due.iter().map(|d| d.chat_id).collect();
        chats.sort_unstable();
        assert_eq!(chats, [1, 2]);
        assert!(
            store.claim_due_deliveries(10, 60).unwrap().is_empty(),
            "claimed ones are leased"
        );
        for d in &due {
            store.mark_delivered(d.id).unwrap();
        }
        assert_eq!(store.pending_deliveries().unwrap(), 0);
        // Pushing the same article again queues nothing.
        store
            .store_page("push", "p", &[two_cities], &[], true)
            .unwrap();
        assert_eq!(store.pending_deliveries().unwrap(), 0);
    }

    #[test]
    fn failed_deliveries_come_back_and_blocked_chats_lose_everything() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(7, ALL_CITIES).unwrap();
        let a = crate::article::testing::article("甲", &["正文。"], "2024-01-02", &[4408]);
        store.store_page("push", "p", &[a], &[], true).unwrap();
        let due = store.claim_due_deliveries(10, 60).unwrap();
        store.mark_failed(due[0].id, "502", 0).unwrap();
        let again = store.claim_due_deliveries(10, 60).unwrap();
        assert_eq!((again.len(), again[0].attempts), (1, 1));
        assert_eq!(store.unsubscribe_all(7).unwrap(), 1);
        assert_eq!(store.pending_deliveries().unwrap(), 0);
        assert!(store.subscriptions(7).unwrap().is_empty());
    }

    #[test]
    fn leases_of_a_dead_sender_are_released_and_delivered_ones_stay_delivered() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.subscribe(7, ALL_CITIES).unwrap();
        store.subscribe(8, ALL_CITIES).unwrap();
        let a = crate::article::testing::article("甲", &["正文。"], "2024-01-02", &[4408]);
        store.store_page("push", "p", &[a], &[], true).unwrap();
        let claimed = store.claim_due_deliveries(10, 3600).unwrap();
        assert_eq!(claimed.len(), 2);
        store.mark_delivered(claimed[0].id).unwrap();
        assert!(store.claim_due_deliveries(10, 3600).unwrap().is_empty());
        assert_eq!(store.release_delivery_claims().unwrap(), 1);
        let again = store.claim_due_deliveries(10, 3600).unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].id, claimed[1].id);
    }

    #[test]
    fn handled_updates_are_remembered_until_they_are_too_old_to_come_back() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert!(!store.update_handled(41).unwrap());
        store.mark_update_handled(41, 3600).unwrap();
        store.mark_update_handled(41, 3600).unwrap();
        assert!(store.update_handled(41).unwrap());
        assert!(!store.update_handled(42).unwrap());
        // Two hours later, an hour's memory no longer holds 41.
        store
            .conn()
            .execute(
                "UPDATE handled_updates SET handled_at = handled_at - 7200",
                [],
            )
            .unwrap();
        store.mark_update_handled(43, 3600).unwrap();
        assert!(!store.update_handled(41).unwrap());
        assert!(store.update_handled(43).unwrap());
    }

    #[test]
    fn the_change_log_numbers_every_addition_and_removal_by_generation() {
        let store = SqliteStore::open_in_memory().unwrap();
        let (a, b) = (
            article("甲", "2024-01-02", 4408),
            article("乙", "2024-01-03", 4408),
        );
        store
            .store_page("p", "page", &[a.clone(), b.clone()], &[], false)
            .unwrap();
        store.delete(&a.id).unwrap();
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
        store
            .store_page("p", "page", &articles, &[], false)
            .unwrap();
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
