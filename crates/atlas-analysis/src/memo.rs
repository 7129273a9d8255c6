//! The one cache protocol of the window and the exports: a derived value is kept with the key it was computed from
//! — the inputs that matter, and the [`Revision`] of the data — and computed again only when the key differs.
//! The session tells the caches that data changed by moving a revision on; nothing compares pointers or JSON.

/// Which data a value was derived from: the open database (its session's id, so one database's cache never
/// matches another's) and a counter the session moves on with every change of that data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Revision {
    pub database: u64,
    pub change: u64,
}

/// A value and the key it was computed from.
#[derive(Debug, Clone)]
pub struct Memo<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// The value for `key`: the kept one if it was computed for an equal key, else `compute()`'s, kept.
    pub fn get_or(&mut self, key: K, compute: impl FnOnce() -> V) -> &mut V {
        if !self.is_fresh(&key) {
            self.entry = Some((key, compute()));
        }
        &mut self.entry.as_mut().expect("just filled").1
    }

    /// Whether the kept value was computed for `key`.
    pub fn is_fresh(&self, key: &K) -> bool {
        self.entry.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// The kept value, whatever its key (an export reads what was last drawn).
    pub fn last(&self) -> Option<&V> {
        self.entry.as_ref().map(|(_, v)| v)
    }

    /// Forgets the value: the next call computes it again.
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_computed_again_only_when_its_key_changes() {
        let mut memo = Memo::default();
        let mut runs = 0;
        let rev = Revision { database: 1, change: 1 };
        for _ in 0..3 {
            memo.get_or((rev, "AT"), || {
                runs += 1;
                runs
            });
        }
        assert_eq!(runs, 1);
        let next = Revision { change: 2, ..rev };
        assert_eq!(*memo.get_or((next, "AT"), || 10), 10, "the data changed");
        assert_eq!(memo.last(), Some(&10));
        memo.clear();
        assert!(!memo.is_fresh(&(next, "AT")));
    }
}
