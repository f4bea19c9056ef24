//! Keeping the index in step with the store: the store is the source of
//! truth, the index is derived. Every index commit records the store
//! generation it reflects; at open a difference is reconciled (missing
//! articles indexed, stray ones removed) and a missing, unreadable or
//! outdated index is rebuilt.

use super::DeskError;
use crate::article::ArticleId;
use crate::index::{NewsIndex, OpenState};
use crate::store::NewsStore;

/// The consistency work of a desk: reconcile, reindex, commit.
pub struct Consistency<'d> {
    pub(super) store: &'d dyn NewsStore,
    pub(super) index: &'d NewsIndex,
}

impl Consistency<'_> {
    /// Brings an index just opened in step with the store: rebuilt when it
    /// was created afresh over a non-empty store, reconciled when its
    /// recorded generation or size differs from the store's.
    pub(super) fn after_open(&self, state: OpenState) -> Result<(), DeskError> {
        let stored = self.store.count()?;
        match state {
            OpenState::Created(reason) if stored > 0 => {
                tracing::info!(%reason, stored, "rebuilding the search index from the store");
                self.reindex()?;
            }
            OpenState::Existing => {
                let generation = self.store.generation()?;
                let indexed = self.index.committed_generation();
                if indexed == Some(generation) && self.index.num_docs() == stored {
                    return Ok(());
                }
                tracing::warn!(
                    indexed = self.index.num_docs(),
                    stored,
                    ?indexed,
                    generation,
                    "index out of step with the store (a stop between the two commits?)"
                );
                let caught_up = match indexed {
                    Some(from) if from < generation => self.catch_up(from)?,
                    _ => None,
                };
                match caught_up {
                    Some(changes) if self.index.num_docs() == stored => {
                        tracing::info!(changes, "index caught up from the change log");
                    }
                    _ => {
                        let (added, removed) = self.reconcile()?;
                        tracing::info!(added, removed, "index reconciled with the store");
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies the store's changes after generation `from` to the index and
    /// commits it: what a replica's index does to follow the store. `None`
    /// (and nothing done) when the change log no longer reaches back that
    /// far; else how many changes were read.
    pub fn catch_up(&self, from: u64) -> Result<Option<usize>, DeskError> {
        const BATCH: usize = 1000;
        // Net effect per article: the last change wins.
        let mut net: std::collections::BTreeMap<ArticleId, bool> = Default::default();
        let mut after = from;
        let mut read = 0;
        loop {
            let Some(changes) = self.store.changes_since(after, BATCH)? else {
                return Ok(None);
            };
            let Some(last) = changes.last() else {
                break;
            };
            after = last.generation;
            read += changes.len();
            for change in changes {
                net.insert(change.article, change.added);
            }
        }
        let touched: Vec<ArticleId> = net.keys().cloned().collect();
        // Removed first, so an article added again is indexed once.
        self.index.remove_uncommitted(&touched)?;
        let added: Vec<ArticleId> = net
            .into_iter()
            .filter_map(|(id, added)| added.then_some(id))
            .collect();
        self.index_stored(&added)?;
        self.commit_index()?;
        Ok(Some(read))
    }

    /// Brings the index up to the store's latest changes (a correction, a
    /// retraction, a release) and commits it: from the change log, else by
    /// comparing id sets.
    pub fn follow(&self) -> Result<(), DeskError> {
        let generation = self.store.generation()?;
        let caught_up = match self.index.committed_generation() {
            Some(from) if from == generation => return Ok(()),
            Some(from) if from < generation => self.catch_up(from)?,
            _ => None,
        };
        if caught_up.is_none() {
            self.reconcile()?;
        }
        Ok(())
    }

    /// Adds the stored articles with these ids to the index (uncommitted),
    /// a thousand at a time.
    fn index_stored(&self, ids: &[ArticleId]) -> Result<(), DeskError> {
        for chunk in ids.chunks(1000) {
            let docs = self
                .store
                .articles(chunk)?
                .iter()
                .map(|a| self.index.prepare(a))
                .collect();
            self.index.add_prepared(docs)?;
        }
        Ok(())
    }

    /// Commits the index, recording the store generation it now reflects.
    pub(super) fn commit_index(&self) -> Result<(), DeskError> {
        self.index.set_generation(self.store.generation()?);
        Ok(self.index.commit()?)
    }

    /// Brings the index in step with the store without rebuilding it: stored
    /// articles missing from the index are indexed, index entries of
    /// articles no longer stored are removed. Returns (added, removed).
    pub fn reconcile(&self) -> Result<(usize, usize), DeskError> {
        let stored = self.store.ids()?;
        let indexed = self.index.ids()?;
        let missing: Vec<ArticleId> = stored.difference(&indexed).cloned().collect();
        let stray: Vec<ArticleId> = indexed.difference(&stored).cloned().collect();
        self.index.remove_uncommitted(&stray)?;
        self.index_stored(&missing)?;
        self.commit_index()?;
        Ok((missing.len(), stray.len()))
    }

    /// Rebuilds the index from the store; returns how many articles it holds.
    pub fn reindex(&self) -> Result<u64, DeskError> {
        self.index.set_generation(self.store.generation()?);
        let mut rebuild = self.index.rebuild()?;
        crate::store::for_each_article(self.store, |article| {
            rebuild.add(&article).map_err(DeskError::from)
        })?;
        Ok(rebuild.commit()?)
    }
}
