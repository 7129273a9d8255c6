//! The application shell: top navigation, view switching, theme and zoom, global search, the open database and
//! its loaded data, and the caches the views read. Views push [`Action`]s; the shell applies them after drawing.

use std::collections::HashSet;
use std::path::PathBuf;

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use super::files::{self, Files, Outcome, Task};
use super::import_answers::{ImportDialog, ImportEvent};
use super::notes::ExportKind;
use super::record_form::RecordForm;
use super::screenshot::ScreenshotJob;
use super::{
    Launch, answers_export, checklist, cities, explorer, fonts, home, notes, record_form, regions, responses, search,
    sources, survey,
};
use super::{present, stories, story_export};
use crate::analysis::{EvidenceFilter, ExplorerCache, Facet};
use crate::annotate::{RecordDraft, Workspace, export, user_evidence};
use crate::answers::{FileFormat, QuestionDef};
use crate::model::{AnswerSet, Atlas};
use crate::store::notes::Note;
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
    Responses,
    Workshop,
    Sources,
    Notes,
    Stories,
}

impl View {
    pub const ALL: [View; 11] = [
        View::Home,
        View::Explorer,
        View::Checklist,
        View::Cities,
        View::Regions,
        View::Survey,
        View::Responses,
        View::Workshop,
        View::Sources,
        View::Notes,
        View::Stories,
    ];

    pub fn label(self) -> &'static str {
        match self {
            View::Home => "Home",
            View::Explorer => "Explorer",
            View::Checklist => "Checklist",
            View::Cities => "Cities",
            View::Regions => "Regions",
            View::Survey => "Survey",
            View::Responses => "Responses",
            View::Workshop => "Workshop",
            View::Sources => "Sources",
            View::Notes => "Notes",
            View::Stories => "Stories",
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
    /// A new note on a record, or a memo (asks for the author's name first, once).
    AddNote {
        kind: String,
        id: Option<String>,
    },
    Export {
        kind: ExportKind,
        path: String,
    },
    ImportBundle(String),
    ResolveConflict {
        id: i64,
        keep: Note,
    },
    NewRecord,
    EditRecord(String),
    DeleteRecord(String),
    /// Export tables as CSV or XLSX (the File window asks where).
    ExportTables {
        name: String,
        tables: Vec<crate::export::Table>,
    },
    /// Save the chart drawn in this rect (points) this frame as PNG, exactly as on screen.
    SaveChart {
        name: String,
        rect: egui::Rect,
    },
    /// Export a city's brief as Markdown.
    ExportBrief(String),
    /// File menu: the current view's table.
    ExportViewTables,
    OpenDatabase,
    SaveDatabaseCopy,
    /// Presentation mode on or off (F5).
    Present,
    /// Play a story from slide `index`, full screen.
    PlayStory(String, usize),
    /// Show a slide's saved view in the window (not presenting).
    ShowSlide(String, usize),
    /// Save the view the user came from as a new slide of the active story.
    AddToStory,
    NewStory,
    RenameStory(String, String),
    DeleteStory(String),
    UpdateSlide(crate::store::stories::Slide),
    /// Replace a slide's saved view with the view the user came from.
    ReplaceSlideView(String),
    MoveSlide(String, usize),
    DuplicateSlide(String, usize),
    DeleteSlide(String),
    ExportStoryPngs {
        story: String,
        path: String,
    },
    ExportStoryHandout {
        story: String,
        path: String,
    },
    /// A live self-assessment round's write (Workshop view).
    Workshop(super::workshop::WorkshopAction),
    /// Open the survey answer import window, optionally on a file.
    OpenImport(Option<String>),
    ExportAnswerTemplate {
        format: FileFormat,
        path: String,
    },
    ExportRound {
        round: String,
        format: FileFormat,
        path: String,
    },
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
    pub notes: notes::NotesState,
    pub responses: responses::ResponsesState,
    pub workshop: super::workshop::WorkshopState,
    /// Presentation scale (1.5–2.5) and whether presenting uses the high-contrast theme.
    pub present_scale: f32,
    pub high_contrast: bool,
    /// The story "Add to story" adds to.
    pub story: Option<String>,
    /// The source whose notes are open in the Sources view.
    pub sources_selected: Option<String>,
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
            notes: Default::default(),
            responses: Default::default(),
            workshop: Default::default(),
            present_scale: 1.75,
            high_contrast: false,
            story: None,
            sources_selected: None,
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
    /// The checklist matrix, recomputed when the evidence changes.
    pub matrix: crate::analysis::checklist::Matrix,
    /// The authors' notes, codes and own records.
    pub workspace: Workspace,
    /// How many of `atlas.evidence` are shipped (the rest are own records).
    shipped: usize,
    records_seen: u64,
    /// Imported and live survey answers, and the questions they may answer.
    pub answers: AnswerSet,
    pub catalogue: Vec<QuestionDef>,
    /// Bumped whenever `answers` is reloaded (caches key on it).
    pub answers_version: u64,
    /// The stories saved in this database.
    pub stories: Vec<crate::store::stories::Story>,
}

impl Session {
    /// Opens (creating if needed) and loads a database; the window starts this on a thread while its renderer
    /// starts.
    pub fn open(db: Option<&PathBuf>) -> Result<Self, String> {
        let store = match db {
            Some(path) => Store::open(path),
            None => Store::open_default(),
        }
        .map_err(|e| e.to_string())?;
        let atlas = store.load_atlas().map_err(|e| e.to_string())?;
        let counts = store.counts().map_err(|e| e.to_string())?;
        let city_names = atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
        let workspace = Workspace::load(&store).map_err(|e| e.to_string())?;
        let shipped = atlas.evidence.len();
        let catalogue = crate::answers::catalogue(&atlas);
        let answers = store.load_answers(&catalogue).map_err(|e| e.to_string())?;
        let stories = store.stories().map_err(|e| e.to_string())?;
        let mut session = Self {
            store,
            atlas,
            counts,
            city_names,
            matrix: Default::default(),
            workspace,
            shipped,
            records_seen: u64::MAX,
            answers,
            catalogue,
            answers_version: 1,
            stories,
        };
        session.sync_records();
        Ok(session)
    }

    /// Puts the authors' own records among the evidence when they changed; true if they did.
    fn sync_records(&mut self) -> bool {
        if self.records_seen == self.workspace.records_version {
            return false;
        }
        self.records_seen = self.workspace.records_version;
        self.atlas.evidence.truncate(self.shipped);
        let own = user_evidence(&self.workspace.records, &self.atlas.cities);
        self.atlas.evidence.extend(own);
        self.matrix = crate::analysis::checklist::matrix(&self.atlas.evidence, &self.atlas.cities);
        true
    }

    /// Reads the answers again after an import or a live-round edit.
    pub fn reload_answers(&mut self) -> Result<(), String> {
        self.answers = self.store.load_answers(&self.catalogue).map_err(|e| e.to_string())?;
        self.answers_version += 1;
        Ok(())
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
    notes_runtime: notes::NotesRuntime,
    record_form: Option<RecordForm>,
    /// A note waiting for the author's name (asked once, then remembered in the database).
    author_prompt: Option<(String, Option<String>)>,
    author_text: String,
    /// The outcome of the last export or import, shown until dismissed.
    pub message: Option<String>,
    open_path_text: String,
    screenshot: Option<ScreenshotJob>,
    /// The File menu's window (exports, database copy, open database).
    files: Files,
    pub responses_cache: responses::ResponsesCache,
    /// The survey answer import window, when open.
    pub import: Option<ImportDialog>,
    /// Cities answers may name, folded (read when the import window opens).
    known_cities: HashSet<String>,
    /// For background jobs that wake the window.
    ctx: egui::Context,
    /// Presentation mode, and the story playing in it.
    pub present: Option<present::Presenting>,
    /// The last view that was not the Stories view: what "Add to story" saves.
    last_view: View,
    /// Stories view: the slide selected for editing.
    pub stories_ui: stories::StoriesRuntime,
    /// Hidden `--export-story`: export a story's slides, then close.
    export_story_job: Option<(String, PathBuf)>,
    /// A PNG export asked for by the Stories view, run at the end of the frame (it needs the renderer).
    pending_png_export: Option<(String, String)>,
    /// False for the hidden one-shot modes (screenshot, story export): they never overwrite the saved UI state.
    persist: bool,
}

const ZOOM_STEPS: [f32; 9] = [0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5];

/// Fonts sizes, theme and zoom for a context; presenting multiplies the zoom by the presentation scale (so plot
/// labels, ticks and legends grow with everything else) and may use the high-contrast theme.
pub fn style_context(ctx: &egui::Context, state: &UiState, presenting: bool) {
    let theme = if state.dark { egui::Theme::Dark } else { egui::Theme::Light };
    ctx.set_theme(theme);
    let scale = if presenting { state.present_scale.clamp(1.0, 3.0) } else { 1.0 };
    ctx.set_zoom_factor((state.zoom.clamp(0.5, 3.0) * scale).clamp(0.5, 6.0));
    let visuals = if presenting && state.high_contrast {
        present::high_contrast(state.dark)
    } else if state.dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    ctx.set_visuals_of(theme, visuals);
    ctx.all_styles_mut(|style| {
        style.text_styles.insert(egui::TextStyle::Body, egui::FontId::proportional(15.0));
        style.text_styles.insert(egui::TextStyle::Button, egui::FontId::proportional(15.0));
        style.text_styles.insert(egui::TextStyle::Heading, egui::FontId::proportional(24.0));
        style.text_styles.insert(egui::TextStyle::Small, egui::FontId::proportional(12.0));
        style.text_styles.insert(egui::TextStyle::Monospace, egui::FontId::monospace(14.0));
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

impl AtlasApp {
    /// Builds the app for eframe: fonts, restored UI state (not in screenshot mode), the database.
    /// Builds the app, opening the database now.
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        let opened = Session::open(launch.db.as_ref());
        Self::with_opened(cc, launch, opened)
    }

    /// Builds the app on a database opened beforehand (`Session::open`, run while the renderer started).
    pub fn with_opened(cc: &eframe::CreationContext<'_>, launch: Launch, opened: Result<Session, String>) -> Self {
        let restore = launch.screenshot_to.is_none() && launch.export_story.is_none();
        let state = if restore { Self::load_state(cc.storage) } else { UiState::default() };
        Self::with_session(&cc.egui_ctx, launch, state, opened)
    }

    /// The UI state saved by a previous run, or the defaults.
    pub fn load_state(storage: Option<&dyn eframe::Storage>) -> UiState {
        storage.and_then(|s| eframe::get_value::<UiState>(s, eframe::APP_KEY)).unwrap_or_default()
    }

    /// Builds the app without eframe storage (tests).
    pub fn with_state(ctx: &egui::Context, launch: Launch, state: UiState) -> Self {
        let opened = Session::open(launch.db.as_ref());
        Self::with_session(ctx, launch, state, opened)
    }

    fn with_session(ctx: &egui::Context, launch: Launch, mut state: UiState, opened: Result<Session, String>) -> Self {
        let persist = launch.screenshot_to.is_none() && launch.export_story.is_none();
        ctx.set_fonts(fonts::definitions());
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        if let Some(view) = launch.view.as_deref().and_then(View::from_name) {
            state.view = view;
        }
        let (session, open_error) = match opened {
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
            notes_runtime: notes::NotesRuntime::default(),
            record_form: None,
            author_prompt: None,
            author_text: String::new(),
            message: None,
            open_path_text: launch.db.map(|p| p.display().to_string()).unwrap_or_default(),
            screenshot: launch.screenshot_to.map(ScreenshotJob::new),
            files: Files::default(),
            responses_cache: Default::default(),
            import: None,
            known_cities: HashSet::new(),
            ctx: ctx.clone(),
            present: None,
            last_view: View::Home,
            stories_ui: Default::default(),
            export_story_job: launch.export_story.clone(),
            pending_png_export: None,
            persist,
        };
        app.apply_style(ctx);
        app
    }

    fn apply_style(&self, ctx: &egui::Context) {
        style_context(ctx, &self.state, self.present.is_some());
    }

    /// Starts presenting (or switches the story being played), full screen.
    fn start_presenting(&mut self, player: Option<present::Player>) {
        let ctx = self.ctx.clone();
        match &mut self.present {
            Some(p) => {
                p.notes_window |= player.is_some() && !ctx.embed_viewports();
                p.player = player;
            }
            None => {
                // A second window for the notes where the system has one; otherwise it would cover the slide.
                let notes_window = player.is_some() && !ctx.embed_viewports();
                self.present = Some(present::Presenting { before: self.state.clone(), player, notes_window });
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
            }
        }
        self.show_current_slide();
        self.apply_style(&ctx);
    }

    /// Leaves presentation mode: the window, view and filters return exactly as they were.
    fn stop_presenting(&mut self) {
        let Some(p) = self.present.take() else { return };
        let (scale, contrast) = (self.state.present_scale, self.state.high_contrast);
        self.state = p.before;
        self.state.present_scale = scale;
        self.state.high_contrast = contrast;
        self.ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        let ctx = self.ctx.clone();
        self.apply_style(&ctx);
    }

    /// Puts the playing slide's saved view on screen (a copy: interacting does not change the slide).
    fn show_current_slide(&mut self) {
        let Some(present::Presenting { player: Some(player), .. }) = &self.present else { return };
        let Some(session) = &self.session else { return };
        let Some(slide) =
            session.stories.iter().find(|s| s.uuid == player.story).and_then(|s| s.slides.get(player.index))
        else {
            return;
        };
        self.load_slide_view(&slide.view_state.clone());
    }

    /// Applies a saved view; the presenter's own settings (theme, scale, contrast, active story) stay.
    fn load_slide_view(&mut self, json: &str) {
        match serde_json::from_str::<UiState>(json) {
            Ok(mut saved) => {
                saved.dark = self.state.dark;
                saved.present_scale = self.state.present_scale;
                saved.high_contrast = self.state.high_contrast;
                saved.story = self.state.story.clone();
                self.state = saved;
                let ctx = self.ctx.clone();
                self.apply_style(&ctx);
            }
            Err(e) => {
                self.message = Some(format!("This slide's saved view could not be read ({e}); it was left as is."))
            }
        }
    }

    /// The view "Add to story" saves: the current one, or the one before the Stories view.
    fn slide_view_json(&self) -> String {
        let mut state = self.state.clone();
        if state.view == View::Stories {
            state.view = self.last_view;
        }
        serde_json::to_string(&state).unwrap_or_default()
    }

    fn presenter_keys(&mut self) {
        let Some(p) = &self.present else { return };
        let playing = p.player.is_some();
        for key in present::keys(&self.ctx, playing) {
            match key {
                present::PresentKey::Leave => self.stop_presenting(),
                present::PresentKey::Larger | present::PresentKey::Smaller => {
                    let step = if key == present::PresentKey::Larger { 1 } else { -1 };
                    self.state.present_scale = present::step_scale(self.state.present_scale, step);
                    let ctx = self.ctx.clone();
                    self.apply_style(&ctx);
                }
                present::PresentKey::ToggleContrast => {
                    self.state.high_contrast = !self.state.high_contrast;
                    let ctx = self.ctx.clone();
                    self.apply_style(&ctx);
                }
                step => self.step_slide(step),
            }
        }
    }

    fn step_slide(&mut self, key: present::PresentKey) {
        let count = match (&self.present, &self.session) {
            (Some(present::Presenting { player: Some(pl), .. }), Some(session)) => {
                session.stories.iter().find(|s| s.uuid == pl.story).map_or(0, |s| s.slides.len())
            }
            _ => return,
        };
        let Some(present::Presenting { player: Some(player), .. }) = &mut self.present else { return };
        let last = count.saturating_sub(1);
        let next = match key {
            present::PresentKey::Next => (player.index + 1).min(last),
            present::PresentKey::Previous => player.index.saturating_sub(1),
            present::PresentKey::First => 0,
            present::PresentKey::Last => last,
            _ => player.index,
        };
        if next != player.index {
            player.index = next;
            self.show_current_slide();
        }
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
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F5)) {
            if self.present.is_some() {
                self.stop_presenting();
            } else {
                self.start_presenting(None);
            }
        }
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = [
            KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
            KeyboardShortcut::new(Modifiers::COMMAND, Key::Y),
        ];
        // While a text field has the keyboard, Ctrl+Z belongs to the text field.
        let typing = ctx.egui_wants_keyboard_input();
        let (inc, dec, zero, search, redo_pressed, undo_pressed) = ctx.input_mut(|i| {
            (
                zoom_in.iter().any(|s| i.consume_shortcut(s)),
                i.consume_shortcut(&zoom_out),
                i.consume_shortcut(&reset),
                i.consume_shortcut(&find),
                !typing && redo.iter().any(|s| i.consume_shortcut(s)),
                !typing && i.consume_shortcut(&undo),
            )
        });
        if let Some(session) = &mut self.session {
            if undo_pressed {
                session.workspace.undo(&session.store);
            }
            if redo_pressed {
                session.workspace.redo(&session.store);
            }
        }
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
        let mut actions = Vec::new();
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Integration Atlas").strong().size(17.0));
                ui.separator();
                ui.menu_button("File", |ui| {
                    if ui.button("Open database…").clicked() {
                        actions.push(Action::OpenDatabase);
                    }
                    if ui.button("Save a copy of the database…").clicked() {
                        actions.push(Action::SaveDatabaseCopy);
                    }
                    ui.separator();
                    let table = egui::Button::new("Export this view's table…");
                    if ui.add_enabled(files::has_view_tables(self.state.view), table).clicked() {
                        actions.push(Action::ExportViewTables);
                    }
                    ui.separator();
                    if ui.button("Import survey answers…").clicked() {
                        actions.push(Action::OpenImport(None));
                    }
                    if ui.button("Co-authors’ bundles (Notes view)…").clicked() {
                        actions.push(Action::Go(View::Notes));
                    }
                });
                for view in View::ALL {
                    let selected = self.state.view == view;
                    if ui.selectable_label(selected, view.label()).clicked() {
                        self.state.view = view;
                    }
                }
                // The controls follow the navigation and wrap onto a second line in a narrow window.
                ui.separator();
                if ui.button("Search").on_hover_text("Search every record kind (Ctrl+F)").clicked() {
                    self.global_search.open();
                }
                if ui.button("Add to story").on_hover_text("Save this view as a slide of the story").clicked() {
                    actions.push(Action::AddToStory);
                }
                if ui
                    .button("Present")
                    .on_hover_text("Full screen, large text, no navigation (F5; Esc leaves)")
                    .clicked()
                {
                    actions.push(Action::Present);
                }
                if ui.button("Zoom out").on_hover_text("Smaller text (Ctrl −)").clicked() {
                    let ctx = ui.ctx().clone();
                    self.zoom(&ctx, -1);
                }
                ui.label(format!("{:.0}%", self.state.zoom * 100.0));
                if ui.button("Zoom in").on_hover_text("Larger text (Ctrl +)").clicked() {
                    let ctx = ui.ctx().clone();
                    self.zoom(&ctx, 1);
                }
                let theme = if self.state.dark { "Light theme" } else { "Dark theme" };
                if ui.button(theme).on_hover_text("Switch between dark and light themes").clicked() {
                    self.state.dark = !self.state.dark;
                    let ctx = ui.ctx().clone();
                    self.apply_style(&ctx);
                }
            });
        });
        for action in actions {
            self.apply(action);
        }
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
                self.responses_cache.invalidate();
                self.import = None;
                self.search_hits = SearchHits::default();
            }
            Err(e) => self.open_error = Some(e),
        }
    }

    /// Switches to another database; a file that is not one is refused in one line and the open one stays.
    fn switch_database(&mut self, path: PathBuf) -> Result<String, String> {
        self.flush_all();
        let previous = self.open_error.take();
        self.reopen(Some(path.clone()));
        if let Some(error) = self.open_error.take() {
            self.open_error = previous;
            let still = self.session.as_ref().map(|s| format!("; still using {}", s.store.path().display()));
            return Err(format!("{error}{}", still.unwrap_or_default()));
        }
        self.regions_view = Default::default();
        self.notes_runtime = Default::default();
        Ok(format!("Opened {}", path.display()))
    }

    /// The File window: what it wrote, or the copy and the switch it asks for.
    fn files_ui(&mut self, ctx: &egui::Context) {
        let result = match self.files.show(ctx) {
            Outcome::None => return,
            Outcome::Done(message) => Ok(message),
            Outcome::SaveCopy(path) => match &mut self.session {
                Some(session) => {
                    session.workspace.flush(&session.store, true);
                    match session.store.save_copy(&path) {
                        Ok(()) => Ok(format!("Saved a copy of the database to {}", path.display())),
                        Err(e) => Err(e.to_string()),
                    }
                }
                None => Err("No database is open.".to_owned()),
            },
            Outcome::Open(path) => self.switch_database(path),
        };
        if let Some(message) = self.files.finish(result) {
            self.message = Some(message);
        }
    }

    /// Writes every pending edit now (on exit).
    pub fn flush_all(&mut self) {
        if let Some(session) = &mut self.session {
            session.workspace.flush(&session.store, true);
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
            Action::AddNote { kind, id } => {
                let Some(session) = &mut self.session else { return };
                if session.workspace.author.is_none() {
                    self.author_prompt = Some((kind, id));
                } else {
                    let uuid = session.workspace.add_note(&session.store, &kind, id.as_deref());
                    if kind == "memo" {
                        self.state.notes.selected = Some(uuid);
                    }
                }
            }
            Action::Export { kind, path } => self.message = Some(self.export(&kind, &path)),
            Action::ImportBundle(path) => {
                let Some(session) = &mut self.session else { return };
                self.message = Some(match session.store.import_bundle_file(std::path::Path::new(&path)) {
                    Ok(summary) => match session.workspace.reload(&session.store) {
                        Ok(()) => format!("Imported {path}: {summary}"),
                        Err(e) => e.to_string(),
                    },
                    Err(e) => e.to_string(),
                });
            }
            Action::ResolveConflict { id, keep } => {
                let Some(session) = &mut self.session else { return };
                let result =
                    session.store.resolve_conflict(id, &keep).and_then(|()| session.workspace.reload(&session.store));
                if let Err(e) = result {
                    self.message = Some(e.to_string());
                }
            }
            Action::NewRecord => {
                self.record_form = Some(RecordForm { draft: RecordDraft::new("challenge"), problems: Vec::new() });
            }
            Action::EditRecord(uuid) => {
                let Some(session) = &self.session else { return };
                if let Some(r) = session.workspace.records.iter().find(|r| r.uuid == uuid) {
                    self.record_form = Some(RecordForm { draft: RecordDraft::from_record(r), problems: Vec::new() });
                }
            }
            Action::DeleteRecord(uuid) => {
                let Some(session) = &mut self.session else { return };
                session.workspace.delete_record(&session.store, &uuid);
                self.state.explorer.selected = None;
            }
            Action::ExportTables { name, tables } => self.files.open(Task::Tables { name, tables }),
            Action::SaveChart { name, rect } => self.files.request_chart(name, rect),
            Action::ExportBrief(city) => {
                let Some(session) = &self.session else { return };
                let date = jiff::Zoned::now().date().to_string();
                match crate::export::brief::markdown(&session.atlas, &session.workspace, &city, &date) {
                    Some(text) => self.files.open(Task::Brief { name: crate::export::brief::file_name(&city), text }),
                    None => self.message = Some(format!("No city profile {city:?}.")),
                }
            }
            Action::ExportViewTables => {
                let Some(session) = &self.session else { return };
                let hits = self.search_hits.hits.as_ref();
                match files::view_tables(self.state.view, session, &self.state, hits, &self.regions_view) {
                    Some((name, tables)) => self.files.open(Task::Tables { name, tables }),
                    None => self.message = Some("This view has no table to export.".to_owned()),
                }
            }
            Action::OpenDatabase => self.files.open(Task::OpenDb),
            Action::SaveDatabaseCopy => self.files.open(Task::DbCopy),
            Action::Workshop(edit) => {
                let Some(session) = &mut self.session else { return };
                if let Err(e) = super::workshop::apply(session, &mut self.state.workshop, edit) {
                    self.message = Some(e);
                }
            }
            Action::OpenImport(path) => self.open_import(path),
            Action::Present => {
                if self.present.is_some() {
                    self.stop_presenting();
                } else {
                    self.start_presenting(None);
                }
            }
            Action::PlayStory(story, index) => {
                self.state.story = Some(story.clone());
                self.start_presenting(Some(present::Player { story, index }));
            }
            Action::ShowSlide(story, index) => {
                let json = self.session.as_ref().and_then(|s| {
                    s.stories
                        .iter()
                        .find(|x| x.uuid == story)
                        .and_then(|x| x.slides.get(index))
                        .map(|x| x.view_state.clone())
                });
                if let Some(json) = json {
                    self.load_slide_view(&json);
                }
            }
            Action::AddToStory => self.add_to_story(),
            Action::NewStory => {
                let n = self.session.as_ref().map_or(0, |s| s.stories.len()) + 1;
                if let Some(uuid) = self.story_write(|store| store.create_story(&format!("Story {n}"))) {
                    self.state.story = Some(uuid);
                }
            }
            Action::RenameStory(uuid, title) => {
                self.story_write(|store| store.rename_story(&uuid, &title));
            }
            Action::DeleteStory(uuid) => {
                self.story_write(|store| store.delete_story(&uuid));
                if self.state.story.as_deref() == Some(uuid.as_str()) {
                    self.state.story = None;
                }
            }
            Action::UpdateSlide(slide) => {
                self.story_write(|store| store.update_slide(&slide));
            }
            Action::ReplaceSlideView(uuid) => {
                let json = self.slide_view_json();
                let slide = self
                    .session
                    .as_ref()
                    .and_then(|s| s.stories.iter().flat_map(|x| x.slides.iter()).find(|x| x.uuid == uuid).cloned());
                if let Some(mut slide) = slide {
                    slide.view_state = json;
                    self.story_write(|store| store.update_slide(&slide));
                    self.message = Some(format!(
                        "Slide “{}” now shows the {} view as it is.",
                        slide.title,
                        self.last_view.label()
                    ));
                }
            }
            Action::MoveSlide(uuid, to) => {
                self.story_write(|store| store.move_slide(&uuid, to));
            }
            Action::DuplicateSlide(story, index) => {
                let slide = self.session.as_ref().and_then(|s| {
                    s.stories.iter().find(|x| x.uuid == story).and_then(|x| x.slides.get(index)).cloned()
                });
                if let Some(slide) = slide {
                    let title = format!("{} (copy)", slide.title);
                    self.story_write(|store| {
                        store.add_slide(&story, Some(index), &title, &slide.speaker_notes, &slide.view_state)
                    });
                }
            }
            Action::DeleteSlide(uuid) => {
                self.story_write(|store| store.delete_slide(&uuid));
            }
            Action::ExportStoryPngs { story, path } => self.pending_png_export = Some((story, path)),
            Action::ExportStoryHandout { story, path } => {
                let Some(session) = &self.session else { return };
                self.message = Some(story_export::handout_to(session, &story, &path));
            }
            Action::ExportAnswerTemplate { format, path } => {
                let Some(session) = &self.session else { return };
                self.message = Some(answers_export::template(&session.catalogue, format, &path));
            }
            Action::ExportRound { round, format, path } => {
                let Some(session) = &self.session else { return };
                self.message = Some(answers_export::round(&session.answers, &round, format, &path));
            }
        }
    }

    /// The bars around the view while presenting: the slide title and counter on top, the keys and large
    /// buttons below, and the speaker notes window.
    fn presenter_bars(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(p) = &mut self.present else { return actions };
        let story = match (&p.player, &self.session) {
            (Some(pl), Some(session)) => {
                session.stories.iter().find(|s| s.uuid == pl.story).cloned().map(|s| (s, pl.index))
            }
            _ => None,
        };
        let scale = self.state.present_scale;
        let mut step = None;
        let mut leave = false;
        let mut save_slide = None;
        egui::Panel::bottom("present_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                if story.is_some() {
                    if ui.button("◀ Back").on_hover_text("Previous slide (←)").clicked() {
                        step = Some(present::PresentKey::Previous);
                    }
                    if ui.button("Next ▶").on_hover_text("Next slide (→)").clicked() {
                        step = Some(present::PresentKey::Next);
                    }
                    ui.checkbox(&mut p.notes_window, "Speaker notes window");
                    if let Some((story, index)) = &story
                        && let Some(slide) = story.slides.get(*index)
                        && ui
                            .button("Save this view to the slide")
                            .on_hover_text("Slides change only when you ask: this keeps what you changed on screen")
                            .clicked()
                    {
                        save_slide = Some(slide.uuid.clone());
                    }
                }
                if ui.button("Leave presentation").on_hover_text("Esc").clicked() {
                    leave = true;
                }
                present::hint(ui, story.is_some(), scale);
            });
        });
        if let Some((story, index)) = &story {
            egui::Panel::top("slide_title").show(ui, |ui| present::slide_header(ui, story, *index));
            if p.notes_window && !present::speaker_notes(&self.ctx, story, *index) {
                p.notes_window = false;
            }
        }
        if leave {
            actions.push(Action::Present);
        }
        if let Some(uuid) = save_slide {
            actions.push(Action::ReplaceSlideView(uuid));
        }
        if let Some(key) = step {
            self.step_slide(key);
        }
        actions
    }

    /// Renders every slide of a story off screen at 1920×1080, as presented (title, counter, the view at the
    /// presentation scale), into PNG files in the folder `path`. The window's own view is left as it was.
    fn export_story_pngs_with(&mut self, frame: &eframe::Frame, story_key: &str, path: &str) {
        let Some(render_state) = frame.wgpu_render_state() else {
            self.message =
                Some("Export failed: slides need the GPU renderer, which this window does not have".to_owned());
            return;
        };
        let Some(story) = self
            .session
            .as_ref()
            .and_then(|s| s.stories.iter().find(|x| x.uuid == story_key || x.title == story_key).cloned())
        else {
            self.message = Some(format!(
                "Export failed: no story {story_key:?} in {} ({} stories)",
                self.session.as_ref().map(|s| s.store.path().display().to_string()).unwrap_or_default(),
                self.session.as_ref().map_or(0, |s| s.stories.len())
            ));
            return;
        };
        let dir = match story_export::png_folder(path) {
            Ok(d) => d,
            Err(e) => {
                self.message = Some(format!("Export failed: {e}"));
                return;
            }
        };
        let mut offscreen = story_export::Offscreen::new(render_state);
        let saved = self.state.clone();
        let message = self.message.take();
        let [w, h] = story_export::SLIDE_SIZE;
        let mut written = 0;
        let mut problems = Vec::new();
        for (i, slide) in story.slides.iter().enumerate() {
            match serde_json::from_str::<UiState>(&slide.view_state) {
                Ok(mut state) => {
                    state.dark = saved.dark;
                    state.present_scale = saved.present_scale;
                    state.high_contrast = saved.high_contrast;
                    self.state = state;
                }
                Err(e) => {
                    problems.push(format!("slide {}: saved view unreadable ({e})", i + 1));
                    continue;
                }
            }
            let ctx = egui::Context::default();
            ctx.set_fonts(fonts::definitions());
            style_context(&ctx, &self.state, true);
            let mut raw = egui::RawInput {
                screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w as f32, h as f32))),
                ..Default::default()
            };
            raw.viewports.entry(egui::ViewportId::ROOT).or_default().native_pixels_per_point = Some(1.0);
            // A few passes so that fonts, layout and sizes settle, as they do over the window's first frames.
            let mut output = None;
            for _ in 0..4 {
                if let Some(mut previous) = output.take() {
                    let previous: &mut egui::FullOutput = &mut previous;
                    offscreen.textures(&mut previous.textures_delta);
                }
                // The screen size egui sees is in points: the pixel size divided by the zoom.
                let zoom = ctx.zoom_factor();
                raw.screen_rect =
                    Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w as f32, h as f32) / zoom));
                output = Some(ctx.run_ui(raw.clone(), |ui| {
                    egui::Panel::top("slide_title").show(ui, |ui| present::slide_header(ui, &story, i));
                    egui::CentralPanel::default().show(ui, |ui| {
                        let _ = self.view_ui(ui);
                    });
                }));
            }
            let Some(output) = output else { continue };
            match offscreen.render(&ctx, output, [w, h]) {
                Ok(image) => {
                    let file = dir.join(format!("slide-{:02}.png", i + 1));
                    match super::screenshot::save_png(&file, &image) {
                        Ok(()) => written += 1,
                        Err(e) => problems.push(format!("{}: {e}", file.display())),
                    }
                }
                Err(e) => problems.push(format!("slide {}: {e}", i + 1)),
            }
        }
        self.state = saved;
        self.message = message;
        self.message = Some(if problems.is_empty() {
            format!("Exported {written} slides of “{}” as PNG to {}", story.title, dir.display())
        } else {
            format!("Export: {written} slides written to {}; {}", dir.display(), problems.join("; "))
        });
    }

    /// Runs a story write, then reloads the stories; a failure becomes the message line.
    fn story_write<T>(&mut self, write: impl FnOnce(&Store) -> Result<T, crate::store::StoreError>) -> Option<T> {
        let session = self.session.as_mut()?;
        let result = write(&session.store);
        let reloaded = session.store.stories();
        match (result, reloaded) {
            (Ok(value), Ok(stories)) => {
                session.stories = stories;
                Some(value)
            }
            (Err(e), _) | (_, Err(e)) => {
                self.message = Some(e.to_string());
                None
            }
        }
    }

    /// Saves the current view as a new slide at the end of the active story (made if there is none).
    fn add_to_story(&mut self) {
        let Some(session) = &self.session else { return };
        let active = self.state.story.clone().filter(|u| session.stories.iter().any(|s| &s.uuid == u));
        let story = match active.or_else(|| session.stories.first().map(|s| s.uuid.clone())) {
            Some(uuid) => uuid,
            None => match self.story_write(|store| store.create_story("My story")) {
                Some(uuid) => uuid,
                None => return,
            },
        };
        self.state.story = Some(story.clone());
        let view = if self.state.view == View::Stories { self.last_view } else { self.state.view };
        let title = story_export::default_title(view, &self.state);
        let json = self.slide_view_json();
        if self.story_write(|store| store.add_slide(&story, None, &title, "", &json)).is_some() {
            let (name, n) = self
                .session
                .as_ref()
                .and_then(|s| s.stories.iter().find(|x| x.uuid == story))
                .map_or((String::new(), 0), |s| (s.title.clone(), s.slides.len()));
            self.message = Some(format!("Added slide {n} “{title}” to “{name}”."));
        }
    }

    /// Opens the import window (on `path` if given, checking it at once).
    fn open_import(&mut self, path: Option<String>) {
        let Some(session) = &self.session else { return };
        match session.store.known_city_names() {
            Ok(names) => self.known_cities = names,
            Err(e) => {
                self.message = Some(e.to_string());
                return;
            }
        }
        let mut dialog = ImportDialog::new(path.clone());
        if path.is_some() {
            dialog.start_reading(&self.ctx, session.catalogue.clone(), self.known_cities.clone());
        }
        self.import = Some(dialog);
        self.state.view = View::Responses;
    }

    /// Draws the import window and applies what it reports.
    fn import_ui(&mut self, ctx: &egui::Context) {
        let (Some(dialog), Some(session)) = (&mut self.import, &mut self.session) else { return };
        let event = dialog.show(ctx, session.store.path(), &session.catalogue, &self.known_cities);
        match event {
            ImportEvent::None => {}
            ImportEvent::Close => self.import = None,
            ImportEvent::Imported(line) => {
                self.message = Some(match session.reload_answers() {
                    Ok(()) => line,
                    Err(e) => e,
                });
                if let Ok(names) = session.store.known_city_names() {
                    self.known_cities = names;
                }
            }
        }
    }

    /// Files dropped on the window: answer files open the import window, annotation bundles are merged.
    fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_owned()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        for path in dropped {
            let text = path.display().to_string();
            let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let answers = match FileFormat::from_path(&path) {
                Some(FileFormat::Json) => {
                    std::fs::read(&path).map(|b| crate::answers::read::json_is_answers(&b)).unwrap_or(true)
                }
                Some(_) => true,
                None => false,
            };
            if answers {
                self.open_import(Some(text));
            } else if is_json {
                self.apply(Action::ImportBundle(text));
            } else {
                self.message = Some(format!("{text}: not a file Integration Atlas can import (.csv, .xlsx, .json)"));
            }
        }
    }

    /// Writes an export to `path` (a folder gets a dated file name); the message says where, or why not.
    fn export(&mut self, kind: &ExportKind, path: &str) -> String {
        let Some(session) = &mut self.session else { return "No database is open.".to_owned() };
        let (ext, text) = match kind {
            ExportKind::MarkdownByCity => {
                ("md", Ok(export::markdown(&session.atlas, &session.workspace, export::Grouping::City)))
            }
            ExportKind::MarkdownByCode => {
                ("md", Ok(export::markdown(&session.atlas, &session.workspace, export::Grouping::Code)))
            }
            ExportKind::Csv => ("csv", export::csv(&session.atlas, &session.workspace)),
            ExportKind::Bundle => {
                session.workspace.flush(&session.store, true);
                let author = session.workspace.author.clone().unwrap_or_default();
                (
                    "json",
                    session
                        .store
                        .export_bundle(&author)
                        .map_err(|e| e.to_string())
                        .and_then(|b| serde_json::to_string_pretty(&b).map_err(|e| e.to_string())),
                )
            }
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => return format!("Export failed: {e}"),
        };
        let mut target = PathBuf::from(path);
        if path.is_empty() {
            return "Export failed: give a folder or a file path.".to_owned();
        }
        if target.is_dir() {
            let stem = match kind {
                ExportKind::MarkdownByCity => "atlas-notes-by-city",
                ExportKind::MarkdownByCode => "atlas-notes-by-code",
                ExportKind::Csv => "atlas-notes",
                ExportKind::Bundle => "atlas-bundle",
            };
            target = target.join(format!("{stem}.{ext}"));
        }
        match std::fs::write(&target, text) {
            Ok(()) => format!("Exported to {}", target.display()),
            Err(e) => format!("Export failed: {}: {e}", target.display()),
        }
    }

    /// Asks for the author's name once; the pending note is created when it is given.
    fn author_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some((kind, id)) = self.author_prompt.clone() else { return };
        let mut done = false;
        let mut cancel = false;
        egui::Window::new("Your name").collapsible(false).resizable(false).show(ctx, |ui| {
            ui.label("Notes carry their author's name. It is asked once and remembered in this database.");
            ui.horizontal(|ui| {
                let l = ui.label("Your name:");
                let r =
                    ui.add(egui::TextEdit::singleline(&mut self.author_text).desired_width(220.0)).labelled_by(l.id);
                if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    done = true;
                }
            });
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.author_text.trim().is_empty(), egui::Button::new("Save name")).clicked() {
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
        if cancel {
            self.author_prompt = None;
        }
        if done && !self.author_text.trim().is_empty() {
            self.author_prompt = None;
            if let Some(session) = &mut self.session {
                if let Err(e) = session.workspace.set_author(&session.store, &self.author_text) {
                    self.message = Some(e.to_string());
                    return;
                }
            }
            self.apply(Action::AddNote { kind, id });
        }
    }

    /// Draws the current view and returns what it asked for.
    fn view_ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(session) = &mut self.session else { return actions };
        if session.sync_records() {
            self.explorer_cache.invalidate();
        }
        if let Some(message) = self.message.clone() {
            ui.horizontal(|ui| {
                ui.label(RichText::new(message).strong());
                if ui.small_button("Dismiss").clicked() {
                    self.message = None;
                }
            });
        }
        if let Some(e) = &session.workspace.write_error {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
        if self.state.view == View::Home {
            home::show(ui, session, &mut actions);
            return actions;
        }
        let Session {
            store,
            atlas,
            workspace,
            city_names,
            matrix,
            answers,
            answers_version,
            stories: session_stories,
            ..
        } = session;
        let atlas: &Atlas = atlas;
        match self.state.view {
            View::Home => {}
            View::Explorer => {
                let results = self.explorer_cache.get(
                    &atlas.evidence,
                    city_names,
                    &self.state.explorer.filter,
                    self.state.explorer.sort,
                    self.search_hits.hits.as_ref(),
                    self.search_hits.version,
                );
                if let Some(error) = &self.search_hits.error {
                    ui.label(RichText::new(format!("Invalid search: {error}")).color(ui.visuals().error_fg_color));
                }
                explorer::show(ui, atlas, store, workspace, &mut self.state.explorer, results, &mut actions);
            }
            View::Checklist => checklist::show(ui, atlas, matrix, store, workspace, &mut actions),
            View::Cities => cities::show(ui, atlas, store, workspace, &mut self.state.cities, &mut actions),
            View::Regions => {
                regions::show(ui, atlas, workspace, &mut self.state.regions, &mut self.regions_view, &mut actions)
            }
            View::Survey => survey::show(ui, atlas, store, workspace, &mut actions),
            View::Stories => stories::show(
                ui,
                &session_stories,
                &mut self.state.story,
                &mut self.stories_ui,
                self.last_view,
                &mut actions,
            ),
            View::Responses => responses::show(
                ui,
                answers,
                *answers_version,
                &mut self.state.responses,
                &mut self.responses_cache,
                &mut actions,
            ),
            View::Workshop => {
                super::workshop::show(ui, atlas, answers, *answers_version, &mut self.state.workshop, &mut actions)
            }
            View::Sources => sources::show(ui, atlas, store, workspace, &mut self.state.sources_selected, &mut actions),
            View::Notes => {
                notes::show(ui, atlas, store, workspace, &mut self.state.notes, &mut self.notes_runtime, &mut actions)
            }
        }
        actions
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.state.view != View::Stories {
            self.last_view = self.state.view;
        }
        self.presenter_keys();
        self.shortcuts(&ctx);
        self.refresh_search_hits();
        let mut actions = Vec::new();
        if self.present.is_some() {
            actions.extend(self.presenter_bars(ui));
        } else {
            self.top_bar(ui);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = self.open_error.clone() {
                self.open_error_ui(ui, &error);
                return;
            }
            actions.extend(self.view_ui(ui));
        });
        if let Some(session) = &self.session {
            actions.extend(self.global_search.show(&ctx, session));
        }
        if let (Some(form), Some(session)) = (&mut self.record_form, &mut self.session) {
            if !record_form::show(&ctx, &session.atlas, &session.store, &mut session.workspace, form) {
                self.record_form = None;
            }
        }
        for action in actions {
            self.apply(action);
        }
        self.author_prompt_ui(&ctx);
        self.files_ui(&ctx);
        self.import_ui(&ctx);
        self.dropped_files(&ctx);
        // Typing is written within a second; keep waking up until it is.
        if let Some(session) = &mut self.session {
            if session.workspace.flush(&session.store, false) {
                ctx.request_repaint_after(crate::annotate::SAVE_DELAY);
            }
        }
        if let Some(job) = &mut self.screenshot {
            job.tick(&ctx);
        }
        super::probe::tick(&ctx, &mut self.state.view);
        if let Some((story, dir)) = self.export_story_job.take() {
            self.export_story_pngs_with(frame, &story, &dir.display().to_string());
            match &self.message {
                Some(m) if m.starts_with("Exported") => println!("{m}"),
                Some(m) => eprintln!("error: {m}"),
                None => {}
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.pending_png_export = self.pending_png_export.take().and_then(|(story, path)| {
            self.export_story_pngs_with(frame, &story, &path);
            None
        });
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.flush_all();
        if self.persist {
            let state = match &self.present {
                // Never remember the presented copy of a slide as the user's own view.
                Some(p) => &p.before,
                None => &self.state,
            };
            eframe::set_value(storage, eframe::APP_KEY, state);
        }
    }

    fn on_exit(&mut self) {
        self.flush_all();
    }
}
