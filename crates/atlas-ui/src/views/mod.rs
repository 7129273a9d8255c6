//! The views: one file (or folder) each, behind one small trait, listed once in [`REGISTRY`].
//!
//! A view reads the open [`ReadModel`] and its own part of [`UiState`] and of the per-database [`Runtime`], draws, and
//! pushes [`Command`]s for anything that changes data or other views. It never holds the store, never runs a query
//! and never writes: the shell applies its commands after drawing. Adding a view is one file here, one line in
//! [`REGISTRY`], and its variant and label in [`View`] (`ui/state.rs`, with its part of the saved state if any).

pub mod agreement;
pub mod assess;
pub mod checklist;
pub mod cities;
pub mod codes;
pub mod explorer;
pub mod governance;
pub mod home;
pub mod notes;
pub mod regions;
pub mod responses;
pub mod sources;
pub mod stories;
pub mod survey;
pub mod workshop;

use eframe::egui;

use super::command::{Commands, Target};
use super::runtime::Runtime;
use super::state::{UiState, View};
use atlas_core::dataset::Source;
use atlas_export::Table;
use atlas_session::ReadModel;

/// The full-text hits of a search, as record ids (the shell runs the search before drawing; views never query).
pub type SearchIds = std::collections::HashSet<String>;

/// What a view draws with.
pub struct ViewCx<'a> {
    pub session: &'a ReadModel,
    pub state: &'a mut UiState,
    pub rt: &'a mut Runtime,
    pub commands: &'a mut Commands,
    /// The last view that was not the Stories view (what "Add to story" saves).
    pub last_view: View,
}

/// What a view reads for its exports and slides (nothing mutable).
pub struct ReadCx<'a> {
    pub session: &'a ReadModel,
    pub state: &'a UiState,
    pub rt: &'a Runtime,
}

/// One view of the app.
pub trait AtlasView: Sync {
    fn id(&self) -> View;

    /// The name in the top bar (also the accessible label of its button).
    fn label(&self) -> &'static str {
        self.id().label()
    }

    /// What the view is for, in one or two sentences (the Help window lists them).
    fn purpose(&self) -> &'static str;

    /// Draws the view.
    fn ui(&self, ui: &mut egui::Ui, cx: &mut ViewCx<'_>);

    /// Points the view's own state at `target`; true if this view shows such targets (the shell then switches to
    /// it). Views never write into another view's state: the shell asks each view in turn.
    fn open(&self, _state: &mut UiState, _target: &Target) -> bool {
        false
    }

    /// Whether [`Self::tables`] gives tables (the File menu's "Export this view's table…").
    fn has_tables(&self) -> bool {
        false
    }

    /// The view's tables as its own export buttons give them: `(file name, tables)`; `None` when it has none.
    fn tables(&self, _cx: &ReadCx<'_>) -> Option<(String, Vec<Table>)> {
        None
    }

    /// Text typed into the view and not yet written (a field that still has focus, or one left by a click that
    /// changed the view before the field saw it lose focus), as the commands that write it. The shell applies them
    /// before quitting, before switching views or databases, and when the window closes, so typing is never lost.
    fn unsaved(&self, _cx: &ReadCx<'_>) -> Commands {
        Vec::new()
    }

    /// A slide title for the view as it is, in words.
    fn slide_title(&self, _session: Option<&ReadModel>, _state: &UiState) -> String {
        self.label().to_owned()
    }

    /// What a slide of this view shows, in words, and the sources of what is on it (for the handout).
    fn slide_text(
        &self,
        _session: &ReadModel,
        _state: &UiState,
        _hits: Option<&SearchIds>,
    ) -> (Vec<String>, Vec<Source>) {
        (vec![format!("{} view", self.label())], Vec::new())
    }
}

/// Every view, once, in the order of the top bar.
pub static REGISTRY: [&dyn AtlasView; 15] = [
    &home::Home,
    &explorer::Explorer,
    &checklist::Checklist,
    &cities::Cities,
    &regions::Regions,
    &governance::Governance,
    &survey::Survey,
    &responses::Responses,
    &workshop::Workshop,
    &sources::Sources,
    &notes::Notes,
    &codes::Codes,
    &agreement::Agreement,
    &stories::Stories,
    &assess::Assess,
];

/// The view with this id.
pub fn get(view: View) -> &'static dyn AtlasView {
    REGISTRY.iter().copied().find(|v| v.id() == view).unwrap_or(REGISTRY[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_is_registered_once_with_a_unique_label() {
        let ids: std::collections::HashSet<View> = REGISTRY.iter().map(|v| v.id()).collect();
        assert_eq!(ids.len(), REGISTRY.len());
        let mut labels: Vec<&str> = REGISTRY.iter().map(|v| v.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), REGISTRY.len());
        for (v, id) in REGISTRY.iter().zip(View::ALL) {
            assert_eq!(v.id(), id, "the registry lists the views in the order of View::ALL");
            assert_eq!(View::from_name(v.label()), Some(v.id()));
            assert!(!v.purpose().is_empty());
        }
    }
}
