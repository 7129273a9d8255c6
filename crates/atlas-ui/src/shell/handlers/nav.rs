//! Navigation: switching views, opening a view on a target, the explorer's filters, presenting, quitting.

use eframe::egui;

use crate::command::Nav;
use crate::shell::AtlasApp;
use crate::views::REGISTRY;
use atlas_analysis::EvidenceFilter;

impl AtlasApp {
    pub(in crate::shell) fn nav(&mut self, command: Nav) {
        match command {
            Nav::Go(view) => {
                // A field left by this click has not yet seen itself lose focus: what it holds is written first.
                self.save_unsaved();
                self.state.view = view;
            }
            Nav::Open(target) => {
                self.save_unsaved();
                // The first view that shows such targets takes it; views never write into each other's state.
                if let Some(view) = REGISTRY.iter().find(|v| v.open(&mut self.state, &target)) {
                    self.state.view = view.id();
                }
            }
            Nav::ToggleFacet(facet, value) => self.state.explorer.filter.toggle(facet, &value),
            Nav::ClearFilters => self.state.explorer.filter = EvidenceFilter::default(),
            Nav::Present => self.toggle_presenting(),
            Nav::Glossary => {
                self.help_open = true;
                crate::dialogs::help::open_glossary(&self.ctx);
            }
            Nav::Quit => {
                self.flush_all();
                self.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}
