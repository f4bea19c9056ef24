//! Keeping the index in step with the store: the store is the source of
//! truth, the index is derived. Every index commit records the store
//! generation it reflects; at open a difference is reconciled (missing
//! articles indexed, stray ones removed) and a missing, unreadable or
//! outdated index is rebuilt.

use super::DeskError;
use crate::article::ArticleId;
use crate::index::{NewsIndex, OpenState};
use crate::store::Store;

/// The consistency work of a desk: reconcile, reindex, commit.
pub struct Consistency<'d> {
    pub(super) store: &'d Store,
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
            OpenState::Existing
                if self.index.num_docs() != stored
                    || self.index.committed_generation() != Some(self.store.generation()?) =>
            {
                tracing::warn!(
                    indexed = self.index.num_docs(),
                    stored,
                    "index out of step with the store (a stop between the two commits?); reconciling"
                );
                let (added, removed) = self.reconcile()?;
                tracing::info!(added, removed, "index reconciled with the store");
            }
            _ => {}
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
        for chunk in missing.chunks(1000) {
            let docs = self
                .store
                .articles(chunk)?
                .iter()
                .map(|a| self.index.prepare(a))
                .collect();
            self.index.add_prepared(docs)?;
        }
        self.commit_index()?;
        Ok((missing.len(), stray.len()))
    }

    /// Rebuilds the index from the store; returns how many articles it holds.
    pub fn reindex(&self) -> Result<u64, DeskError> {
        self.index.set_generation(self.store.generation()?);
        let mut rebuild = self.index.rebuild()?;
        self.store
            .for_each_article(|article| rebuild.add(&article).map_err(DeskError::from))?;
        Ok(rebuild.commit()?)
    }
}
