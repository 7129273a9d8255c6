//! The application shell: top navigation, view switching, theme and zoom, global search, the open database and
//! its loaded data, and the caches the views read. Views push [`Action`]s; the shell applies them after drawing.

use std::collections::HashSet;
use std::path::PathBuf;

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use super::screenshot::ScreenshotJob;
use super::{Launch, checklist, cities, explorer, fonts, home, regions, search, sources, survey};
use crate::analysis::{EvidenceFilter, ExplorerCache, Facet};
use crate::model::Atlas;
use crate::store::{Counts, OpenOutcome, Store};

/// The views of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Home,
    Explorer,
    Checklist,
    Cities,
    Regions,
    Survey,
    Sources,
}

impl View {
    pub const ALL: [View; 7] =
        [View::Home, View::Explorer, View::Checklist, View::Cities, View::Regions, View::Survey, View::Sources];

    pub fn label(self) -> &'static str {
        match self {
            View::Home => "Home",
            View::Explorer => "Explorer",
            View::Checklist => "Checklist",
            View::Cities => "Cities",
            View::Regions => "Regions",
            View::Survey => "Survey",
            View::Sources => "Sources",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.label().eq_ignore_ascii_case(name.trim()))
    }
}

/// What a view asks the shell to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Go(View),
    ToggleFacet(Facet, String),
    AddFacet(Facet, String),
    ClearFilters,
    /// Open the explorer with exactly this filter.
    Explore(EvidenceFilter),
    /// Open the explorer on one record.
    ShowRecord(String),
    OpenCity(String),
    OpenRegion(String),
}

/// What is restored on the next start (eframe storage, not the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub view: View,
    pub dark: bool,
    pub zoom: f32,
    pub explorer: explorer::ExplorerState,
    pub cities: cities::CitiesState,
    pub regions: regions::RegionsState,
}

impl Default for UiState {
    fn default() -> Self {
        Self {
            view: View::Home,
            dark: false,
            zoom: 1.0,
            explorer: Default::default(),
            cities: Default::default(),
            regions: Default::default(),
        }
    }
}

/// An open database and what was loaded from it.
pub struct Session {
    pub store: Store,
    pub atlas: Atlas,
    pub counts: Counts,
    /// (city id, city name) in display order, for charts.
    pub city_names: Vec<(String, String)>,
}

impl Session {
    fn open(db: Option<&PathBuf>) -> Result<Self, String> {
        let store = match db {
            Some(path) => Store::open(path),
            None => Store::open_default(),
        }
        .map_err(|e| e.to_string())?;
        let atlas = store.load_atlas().map_err(|e| e.to_string())?;
        let counts = store.counts().map_err(|e| e.to_string())?;
        let city_names = atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
        Ok(Self { store, atlas, counts, city_names })
    }

    pub fn outcome_text(&self) -> String {
        match self.store.outcome() {
            OpenOutcome::Created => "created on this start".to_owned(),
            OpenOutcome::Opened => "opened".to_owned(),
            OpenOutcome::Refreshed { .. } => "opened; reference data refreshed from this version's dataset".to_owned(),
        }
    }
}

/// Full-text hits for the explorer's search text, re-queried only when the text changes.
#[derive(Default)]
struct SearchHits {
    text: String,
    hits: Option<HashSet<String>>,
    version: u64,
    error: Option<String>,
}

pub struct AtlasApp {
    pub state: UiState,
    pub session: Option<Session>,
    pub open_error: Option<String>,
    pub explorer_cache: ExplorerCache,
    search_hits: SearchHits,
    pub global_search: search::GlobalSearch,
    pub regions_view: regions::RegionsRuntime,
    open_path_text: String,
    screenshot: Option<ScreenshotJob>,
}

const ZOOM_STEPS: [f32; 9] = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5];

impl AtlasApp {
    /// Builds the app for eframe: fonts, restored UI state (not in screenshot mode), the database.
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        let restore = launch.screenshot_to.is_none();
        let state = if restore {
            Self::load_state(cc.storage)
        } else {
            UiState::default()
        };
        Self::with_state(&cc.egui_ctx, launch, state)
    }

    /// The UI state saved by a previous run, or the defaults.
    pub fn load_state(storage: Option<&dyn eframe::Storage>) -> UiState {
        storage.and_then(|s| eframe::get_value::<UiState>(s, eframe::APP_KEY)).unwrap_or_default()
    }

    /// Builds the app without eframe storage (tests).
    pub fn with_state(ctx: &egui::Context, launch: Launch, mut state: UiState) -> Self {
        ctx.set_fonts(fonts::definitions());
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        if let Some(view) = launch.view.as_deref().and_then(View::from_name) {
            state.view = view;
        }
        let (session, open_error) = match Session::open(launch.db.as_ref()) {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let app = Self {
            state,
            session,
            open_error,
            explorer_cache: ExplorerCache::default(),
            search_hits: SearchHits::default(),
            global_search: search::GlobalSearch::default(),
            regions_view: regions::RegionsRuntime::default(),
            open_path_text: launch.db.map(|p| p.display().to_string()).unwrap_or_default(),
            screenshot: launch.screenshot_to.map(ScreenshotJob::new),
        };
        app.apply_style(ctx);
        app
    }

    fn apply_style(&self, ctx: &egui::Context) {
        ctx.set_theme(if self.state.dark { egui::Theme::Dark } else { egui::Theme::Light });
        ctx.set_zoom_factor(self.state.zoom.clamp(0.5, 3.0));
        ctx.all_styles_mut(|style| {
            style.text_styles.insert(egui::TextStyle::Body, egui::FontId::proportional(15.0));
            style.text_styles.insert(egui::TextStyle::Button, egui::FontId::proportional(15.0));
            style.text_styles.insert(egui::TextStyle::Heading, egui::FontId::proportional(24.0));
            style.text_styles.insert(egui::TextStyle::Small, egui::FontId::proportional(12.0));
            style.text_styles.insert(egui::TextStyle::Monospace, egui::FontId::monospace(14.0));
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        });
    }

    fn zoom(&mut self, ctx: &egui::Context, step: i32) {
        let current = ZOOM_STEPS.iter().position(|z| (*z - self.state.zoom).abs() < 0.01).unwrap_or(2) as i32;
        let next = (current + step).clamp(0, ZOOM_STEPS.len() as i32 - 1) as usize;
        self.state.zoom = ZOOM_STEPS[next];
        self.apply_style(ctx);
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let zoom_in = [
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus),
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals),
        ];
        let zoom_out = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
        let reset = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let (inc, dec, zero, search) = ctx.input_mut(|i| {
            (
                zoom_in.iter().any(|s| i.consume_shortcut(s)),
                i.consume_shortcut(&zoom_out),
                i.consume_shortcut(&reset),
                i.consume_shortcut(&find),
            )
        });
        if inc {
            self.zoom(ctx, 1);
        }
        if dec {
            self.zoom(ctx, -1);
        }
        if zero {
            self.state.zoom = 1.0;
            self.apply_style(ctx);
        }
        if search {
            self.global_search.open();
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Integration Atlas").strong().size(18.0));
                ui.separator();
                for view in View::ALL {
                    let selected = self.state.view == view;
                    if ui.selectable_label(selected, view.label()).clicked() {
                        self.state.view = view;
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let theme = if self.state.dark { "Light theme" } else { "Dark theme" };
                    if ui.button(theme).on_hover_text("Switch between dark and light themes").clicked() {
                        self.state.dark = !self.state.dark;
                        let ctx = ui.ctx().clone();
                        self.apply_style(&ctx);
                    }
                    if ui.button("Zoom in").on_hover_text("Larger text (Ctrl +)").clicked() {
                        let ctx = ui.ctx().clone();
                        self.zoom(&ctx, 1);
                    }
                    ui.label(format!("{:.0}%", self.state.zoom * 100.0));
                    if ui.button("Zoom out").on_hover_text("Smaller text (Ctrl −)").clicked() {
                        let ctx = ui.ctx().clone();
                        self.zoom(&ctx, -1);
                    }
                    if ui.button("Search everything").on_hover_text("Search every record kind (Ctrl+F)").clicked() {
                        self.global_search.open();
                    }
                });
            });
        });
    }

    /// Shown when the database could not be opened: the one-line reason, and a way to open another file.
    fn open_error_ui(&mut self, ui: &mut egui::Ui, error: &str) {
        ui.heading("The database could not be opened");
        ui.add_space(8.0);
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
        ui.label("The file was left untouched.");
        ui.add_space(12.0);
        ui.horizontal(|ui| {
            let label = ui.label("Database file:");
            ui.add(
                egui::TextEdit::singleline(&mut self.open_path_text)
                    .desired_width(480.0)
                    .hint_text("/path/to/atlas.sqlite"),
            )
            .labelled_by(label.id);
            if ui.button("Open this file").clicked() {
                let path = PathBuf::from(self.open_path_text.trim());
                self.reopen(Some(path));
            }
        });
        if ui.button("Open the default database").clicked() {
            self.reopen(None);
        }
    }

    fn reopen(&mut self, db: Option<PathBuf>) {
        match Session::open(db.as_ref()) {
            Ok(s) => {
                self.session = Some(s);
                self.open_error = None;
                self.explorer_cache.invalidate();
                self.search_hits = SearchHits::default();
            }
            Err(e) => self.open_error = Some(e),
        }
    }

    /// Re-runs the full-text search when the explorer's search text changed.
    fn refresh_search_hits(&mut self) {
        let Some(session) = &self.session else { return };
        let text = self.state.explorer.filter.search.trim().to_owned();
        if text == self.search_hits.text && self.search_hits.version > 0 {
            return;
        }
        self.search_hits.version += 1;
        self.search_hits.text = text.clone();
        self.search_hits.error = None;
        self.search_hits.hits = if text.is_empty() {
            None
        } else {
            let mut all = HashSet::new();
            for kind in ["challenge", "practice"] {
                match session.store.search_ids(kind, &text) {
                    Ok(Some(hits)) => all.extend(hits),
                    Ok(None) => {}
                    Err(e) => self.search_hits.error = Some(e.to_string()),
                }
            }
            Some(all)
        };
    }

    fn apply(&mut self, action: Action) {
        let filter = &mut self.state.explorer.filter;
        match action {
            Action::Go(view) => self.state.view = view,
            Action::ToggleFacet(facet, value) => filter.toggle(facet, &value),
            Action::AddFacet(facet, value) => {
                filter.add(facet, &value);
                self.state.view = View::Explorer;
            }
            Action::ClearFilters => *filter = EvidenceFilter::default(),
            Action::Explore(new) => {
                *filter = new;
                self.state.explorer.selected = None;
                self.state.explorer.show_charts = false;
                self.state.view = View::Explorer;
            }
            Action::ShowRecord(id) => {
                self.state.explorer.selected = Some(id);
                self.state.view = View::Explorer;
            }
            Action::OpenCity(id) => {
                self.state.cities.selected = id;
                self.state.view = View::Cities;
            }
            Action::OpenRegion(code) => {
                self.state.regions.focus = Some(code);
                self.state.view = View::Regions;
            }
        }
    }

    /// Draws the current view and returns what it asked for.
    fn view_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(session) = &self.session else { return actions };
        let atlas = &session.atlas;
        match self.state.view {
            View::Home => home::show(ui, session, &mut actions),
            View::Explorer => {
                let results = self.explorer_cache.get(
                    &atlas.evidence,
                    &session.city_names,
                    &self.state.explorer.filter,
                    self.state.explorer.sort,
                    self.search_hits.hits.as_ref(),
                    self.search_hits.version,
                );
                if let Some(error) = &self.search_hits.error {
                    ui.label(RichText::new(format!("Invalid search: {error}")).color(ui.visuals().error_fg_color));
                }
                explorer::show(ui, atlas, &mut self.state.explorer, results, &mut actions);
            }
            View::Checklist => checklist::show(ui, atlas, &mut actions),
            View::Cities => cities::show(ui, atlas, &mut self.state.cities, &mut actions),
            View::Regions => regions::show(ui, atlas, &mut self.state.regions, &mut self.regions_view, &mut actions),
            View::Survey => survey::show(ui, atlas, &mut actions),
            View::Sources => sources::show(ui, atlas, &mut actions),
        }
        actions
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.shortcuts(&ctx);
        self.refresh_search_hits();
        self.top_bar(ui);
        let mut actions = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = self.open_error.clone() {
                self.open_error_ui(ui, &error);
                return;
            }
            actions = self.view_ui(ui);
        });
        if let Some(session) = &self.session {
            actions.extend(self.global_search.show(&ctx, session));
        }
        for action in actions {
            self.apply(action);
        }
        if let Some(job) = &mut self.screenshot {
            job.tick(&ctx);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.screenshot.is_none() {
            eframe::set_value(storage, eframe::APP_KEY, &self.state);
        }
    }
}
