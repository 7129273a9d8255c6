//! Everything the window derives from or types into one open database that is not saved: caches, edit buffers,
//! search results, the round cache, open dialogs. It is built with its [`Session`](atlas_session::Session) and
//! dropped with it, so nothing of one database can show while another is open.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};

use super::dialogs::author::AuthorPrompt;
use super::dialogs::import_answers::ImportDialog;
use super::dialogs::record_form::RecordForm;
use super::dialogs::search::GlobalSearch;
use super::state::View;
use atlas_analysis::ExplorerCache;
use atlas_session::Session;

/// Full-text hits for the explorer's search text, re-queried only when the text changes.
#[derive(Default)]
pub struct SearchHits {
    pub text: String,
    pub hits: Option<HashSet<String>>,
    pub version: u64,
    pub error: Option<String>,
}

impl SearchHits {
    /// Re-runs the search when `text` changed since the last call (before the frame is drawn, never while).
    pub fn refresh(&mut self, session: &Session, text: &str) {
        let text = text.trim();
        if text == self.text && self.version > 0 {
            return;
        }
        self.version += 1;
        self.text = text.to_owned();
        self.error = None;
        self.hits = match session.search_ids(&["challenge", "practice"], text) {
            Ok(hits) if !text.is_empty() => Some(hits.unwrap_or_default()),
            Ok(_) => None,
            Err(e) => {
                self.error = Some(e);
                Some(HashSet::new())
            }
        };
    }
}

/// The per-database runtime state of the window.
#[derive(Default)]
pub struct Runtime {
    pub explorer: ExplorerCache,
    pub search_hits: SearchHits,
    pub global_search: GlobalSearch,
    /// Each view's own runtime state, keyed by the view that owns it and the state's type (a view asks for its
    /// own with [`Runtime::view`]), so two views holding the same kind of state (the Explorer and Cities both show
    /// coded text) never share it.
    views: HashMap<(View, TypeId), Box<dyn Any>>,
    /// The survey answer import window, when open.
    pub import: Option<ImportDialog>,
    /// Cities answers may name, folded (read when the import window opens).
    pub known_cities: HashSet<String>,
    /// The own-record form, when open.
    pub record_form: Option<RecordForm>,
    /// A note waiting for the author's name (asked once, then remembered in the database).
    pub author_prompt: Option<AuthorPrompt>,
}

impl Runtime {
    /// The runtime state of type `T` that view `owner` keeps, made on first use.
    pub fn view<T: Default + 'static>(&mut self, owner: View) -> &mut T {
        self.views
            .entry((owner, TypeId::of::<T>()))
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut()
            .expect("keyed by its own type")
    }

    /// A view's runtime state, if it was made (exports and tests read it).
    pub fn view_ref<T: 'static>(&self, owner: View) -> Option<&T> {
        self.views.get(&(owner, TypeId::of::<T>())).and_then(|b| b.downcast_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_views_keeping_the_same_kind_of_state_each_have_their_own() {
        let mut rt = Runtime::default();
        rt.view::<Vec<u32>>(View::Explorer).push(1);
        assert!(rt.view::<Vec<u32>>(View::Cities).is_empty(), "the Cities view does not see the Explorer's state");
        assert_eq!(rt.view_ref::<Vec<u32>>(View::Explorer), Some(&vec![1]));
        assert_eq!(rt.view_ref::<Vec<u32>>(View::Notes), None);
    }
}
