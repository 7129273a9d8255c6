//! The application shell: top bar, view switching, theme and zoom, the open database and its loaded data.

use std::path::PathBuf;

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use super::screenshot::ScreenshotJob;
use super::{Launch, fonts, home};
use crate::model::Atlas;
use crate::store::{Counts, OpenOutcome, Store};

/// The views of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Home,
}

impl View {
    pub const ALL: [View; 1] = [View::Home];

    pub fn label(self) -> &'static str {
        match self {
            View::Home => "Home",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.label().eq_ignore_ascii_case(name.trim()))
    }
}

/// What is restored on the next start (eframe storage, not the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub view: View,
    pub dark: bool,
    pub zoom: f32,
}

impl Default for UiState {
    fn default() -> Self {
        Self { view: View::Home, dark: false, zoom: 1.0 }
    }
}

/// An open database and what was loaded from it.
pub struct Session {
    pub store: Store,
    pub atlas: Atlas,
    pub counts: Counts,
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
        Ok(Self { store, atlas, counts })
    }

    pub fn outcome_text(&self) -> String {
        match self.store.outcome() {
            OpenOutcome::Created => "created on this start".to_owned(),
            OpenOutcome::Opened => "opened".to_owned(),
            OpenOutcome::Refreshed { .. } => "opened; reference data refreshed from this version's dataset".to_owned(),
        }
    }
}

pub struct AtlasApp {
    pub state: UiState,
    pub session: Option<Session>,
    pub open_error: Option<String>,
    open_path_text: String,
    screenshot: Option<ScreenshotJob>,
}

const ZOOM_STEPS: [f32; 9] = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5];

impl AtlasApp {
    /// Builds the app for eframe: fonts, restored UI state (not in screenshot mode), the database.
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        let restore = launch.screenshot_to.is_none();
        let state = if restore {
            cc.storage.and_then(|s| eframe::get_value::<UiState>(s, eframe::APP_KEY)).unwrap_or_default()
        } else {
            UiState::default()
        };
        Self::with_state(&cc.egui_ctx, launch, state)
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
        let (inc, dec, zero) = ctx.input_mut(|i| {
            (
                zoom_in.iter().any(|s| i.consume_shortcut(s)),
                i.consume_shortcut(&zoom_out),
                i.consume_shortcut(&reset),
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
            }
            Err(e) => self.open_error = Some(e),
        }
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.shortcuts(&ctx);
        self.top_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = self.open_error.clone() {
                self.open_error_ui(ui, &error);
                return;
            }
            let Some(session) = &self.session else { return };
            match self.state.view {
                View::Home => home::show(ui, session),
            }
        });
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
