//! The shell: owns the open database (its [`Session`] and per-database [`Runtime`]), the UI state, presenting, and
//! the frame order — keys, top bar, the current view, dialogs, then the commands the view pushed, applied by one
//! short handler per area (`handlers/`). Only the shell calls the session's write methods.

mod answers_export;
pub mod fonts;
mod handlers;
pub mod present;
mod slides;
pub mod story_export;
pub mod style;
mod top_bar;

use std::path::PathBuf;
use std::thread::JoinHandle;

use eframe::egui::{self, RichText};

use super::command::{Command, Commands, Nav};
use super::dialogs::files::Files;
use super::dialogs::{author, help, record_form};
use super::headless::screenshot::ScreenshotJob;
use super::runtime::Runtime;
use super::state::{Launch, UiState, View};
use super::views::{self, ViewCx};
use atlas_session::Session;

/// An open database and the window's runtime state for it: built together, dropped together.
pub struct Db {
    pub session: Session,
    pub rt: Runtime,
}

impl Db {
    fn new(session: Session) -> Self {
        Self { session, rt: Runtime::default() }
    }
}

/// A database being opened on a thread (File ▸ Open database…), the window staying responsive meanwhile.
struct Opening {
    path: PathBuf,
    job: JoinHandle<Result<Session, String>>,
    /// Asked for in the Open database window, which stays open (showing the error) until the result is known.
    from_dialog: bool,
}

pub struct AtlasApp {
    state: UiState,
    db: Option<Db>,
    open_error: Option<String>,
    opening: Option<Opening>,
    /// The outcome of the last export or import, shown until dismissed.
    message: Option<String>,
    open_path_text: String,
    screenshot: Option<ScreenshotJob>,
    /// The save and open window (exports, database copy, open database).
    files: Files,
    /// For background jobs that wake the window.
    ctx: egui::Context,
    /// Presentation mode, and the story playing in it.
    present: Option<present::Presenting>,
    /// The footer of the slide being played, with the view state it was made for.
    slide_footer: atlas_analysis::Memo<UiState, String>,
    /// The last view that was not the Stories view: what "Add to story" saves.
    last_view: View,
    /// Hidden `--export-story`: export a story's slides, then close.
    export_story_job: Option<(String, PathBuf)>,
    /// A PNG export asked for by the Stories view, run at the end of the frame (it needs the renderer).
    pending_png_export: Option<(String, String)>,
    /// False for the hidden one-shot modes (screenshot, story export): they never overwrite the saved UI state.
    persist: bool,
    /// The Help window (F1).
    help_open: bool,
}

impl AtlasApp {
    /// Builds the app, opening the database now.
    pub fn new(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        let opened = Session::open(launch.db.as_deref());
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
        let opened = Session::open(launch.db.as_deref());
        Self::with_session(ctx, launch, state, opened)
    }

    fn with_session(ctx: &egui::Context, launch: Launch, mut state: UiState, opened: Result<Session, String>) -> Self {
        let persist = launch.screenshot_to.is_none() && launch.export_story.is_none();
        ctx.set_fonts(fonts::definitions());
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        if let Some(view) = launch.view.as_deref().and_then(View::from_name) {
            state.view = view;
        }
        let (db, open_error) = match opened {
            Ok(s) => (Some(Db::new(s)), None),
            Err(e) => (None, Some(e)),
        };
        let app = Self {
            state,
            db,
            open_error,
            opening: None,
            message: None,
            open_path_text: launch.db.map(|p| p.display().to_string()).unwrap_or_default(),
            screenshot: launch.screenshot_to.map(ScreenshotJob::new),
            files: Files::default(),
            ctx: ctx.clone(),
            present: None,
            slide_footer: Default::default(),
            last_view: View::Home,
            export_story_job: launch.export_story.clone(),
            pending_png_export: None,
            persist,
            help_open: false,
        };
        app.apply_style();
        app
    }

    // ── what tests and embedders read ──────────────────────────────────────────────────────────

    /// The UI state (view, filters, selections).
    pub fn ui(&self) -> &UiState {
        &self.state
    }

    pub fn ui_mut(&mut self) -> &mut UiState {
        &mut self.state
    }

    /// The open database, if any.
    /// What the open database holds, read-only (the read model the views receive); `None` while none is open.
    pub fn session(&self) -> Option<&atlas_session::ReadModel> {
        self.db.as_ref().map(|d| &*d.session)
    }

    /// The open session itself, for the shell's own reads that query the database (searches, names).
    pub(crate) fn open_session(&self) -> Option<&Session> {
        self.db.as_ref().map(|d| &d.session)
    }

    pub(crate) fn session_mut(&mut self) -> Option<&mut Session> {
        self.db.as_mut().map(|d| &mut d.session)
    }

    /// The per-database runtime state (caches, dialogs), if a database is open.
    pub fn runtime(&self) -> Option<&Runtime> {
        self.db.as_ref().map(|d| &d.rt)
    }

    /// The message line (outcome of the last export, import or switch).
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The open-database error shown instead of the views, if any.
    pub fn open_error(&self) -> Option<&str> {
        self.open_error.as_deref()
    }

    /// Whether a database is being opened in the background.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    pub fn is_presenting(&self) -> bool {
        self.present.is_some()
    }

    /// Applies a command as if a view had pushed it (tests and the probe).
    pub fn command(&mut self, command: Command) {
        self.apply(command);
    }

    /// Writes every pending edit now (on exit).
    /// Writes what is typed into any view and not yet saved (see [`crate::views::AtlasView::unsaved`]).
    pub(in crate::shell) fn save_unsaved(&mut self) {
        let Some(db) = &self.db else { return };
        let cx = crate::views::ReadCx { session: &db.session, state: &self.state, rt: &db.rt };
        let commands: Commands = views::REGISTRY.iter().flat_map(|v| v.unsaved(&cx)).collect();
        self.apply_all(commands);
    }

    pub fn flush_all(&mut self) {
        self.save_unsaved();
        if let Some(db) = &mut self.db {
            db.session.flush(true);
        }
    }

    // ── the frame ────────────────────────────────────────────────────────────────────────────────

    fn apply_style(&self) {
        style::style_context(&self.ctx, &self.state, self.present.is_some());
    }

    /// Applies commands in the order pushed.
    fn apply_all(&mut self, commands: Commands) {
        for command in commands {
            self.apply(command);
        }
    }

    fn apply(&mut self, command: Command) {
        match command {
            Command::Nav(c) => self.nav(c),
            Command::Notes(c) => self.notes(c),
            Command::Stories(c) => self.stories(c),
            Command::Files(c) => self.files(c),
            Command::Answers(c) => self.answers(c),
            Command::Rounds(c) => self.rounds(c),
            Command::Codings(c) => self.codings(c),
            Command::Assess(c) => self.assess(c),
            Command::Say(line) => self.message = Some(line),
        }
    }

    /// Work that reads the database before anything is drawn (so no view runs a query while drawing).
    fn before_drawing(&mut self) {
        let Some(db) = &mut self.db else { return };
        // Own records merged into the atlas when they changed (the explorer's cache follows the records' revision).
        db.session.sync_records();
        db.rt.search_hits.refresh(&db.session, &self.state.explorer.filter.search);
        db.rt.global_search.refresh(&db.session);
        // Phones' answers: charted at once; the answers are read again a little after the last one.
        if db.session.poll_live() {
            self.ctx.request_repaint_after(std::time::Duration::from_millis(500));
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
                self.start_opening(Some(path), false);
            }
        });
        if ui.button("Open the default database").clicked() {
            self.start_opening(None, false);
        }
    }

    /// Starts opening a database on a thread; the open one stays until the new one is loaded.
    fn start_opening(&mut self, path: Option<PathBuf>, from_dialog: bool) {
        self.flush_all();
        let shown = path.clone().or_else(atlas_session::default_path).unwrap_or_default();
        let ctx = self.ctx.clone();
        let job = std::thread::Builder::new().name("open-database".to_owned()).spawn(move || {
            let opened = Session::open(path.as_deref());
            ctx.request_repaint();
            opened
        });
        match job {
            Ok(job) => self.opening = Some(Opening { path: shown, job, from_dialog }),
            Err(e) => self.message = Some(format!("Cannot open {}: {e}", shown.display())),
        }
    }

    /// Takes the opened database when its thread is done: the old session and all its runtime state go.
    fn poll_opening(&mut self) {
        if !self.opening.as_ref().is_some_and(|o| o.job.is_finished()) {
            return;
        }
        let Some(Opening { path, job, from_dialog }) = self.opening.take() else { return };
        let opened = job.join().unwrap_or_else(|_| Err(format!("{}: could not be opened", path.display())));
        let result = match opened {
            Ok(session) => {
                self.db = Some(Db::new(session));
                self.open_error = None;
                Ok(format!("Opened {}", path.display()))
            }
            Err(e) if self.db.is_some() => {
                let still = self.session().map(|s| format!("; still using {}", s.path().display()));
                Err(format!("{e}{}", still.unwrap_or_default()))
            }
            Err(e) => {
                self.open_error = Some(e.clone());
                Err(e)
            }
        };
        let line = if from_dialog { self.files.finish(result) } else { Some(result.unwrap_or_else(|e| e)) };
        if line.is_some() {
            self.message = line;
        }
    }

    /// The message line, the write error, and the progress of a database being opened.
    fn status_lines(&mut self, ui: &mut egui::Ui) {
        // A slide shows its content only: no "Added slide 2" banner over it.
        if crate::widgets::on_slide(ui.ctx()) {
            return;
        }
        if let Some(o) = &self.opening {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Opening {}…", o.path.display()));
            });
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
        }
        if let Some(message) = self.message.clone() {
            // Wrapped: a long message (a path, a list of problems) takes more lines, never more width.
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(message).strong());
                if ui.small_button("Dismiss").clicked() {
                    self.message = None;
                }
            });
        }
        if let Some(e) = self.db.as_ref().and_then(|d| d.session.workspace.write_error.clone()) {
            ui.label(RichText::new(e).color(ui.visuals().error_fg_color));
        }
    }

    /// Draws the current view and returns what it asked for.
    fn view_ui(&mut self, ui: &mut egui::Ui) -> Commands {
        let mut commands = Vec::new();
        let Some(db) = &mut self.db else { return commands };
        let mut cx = ViewCx {
            session: &db.session,
            state: &mut self.state,
            rt: &mut db.rt,
            commands: &mut commands,
            last_view: self.last_view,
        };
        views::get(cx.state.view).ui(ui, &mut cx);
        if self.present.as_ref().is_some_and(|p| p.player.is_some()) {
            // A played slide shows what was saved: a click on a chart bar, a matrix cell or a link while pointing
            // at it does not filter or navigate (the keys and the presenter's buttons change slides).
            commands.retain(|c| {
                !matches!(c, Command::Nav(Nav::Open(_) | Nav::ToggleFacet(..) | Nav::ClearFilters | Nav::Go(_)))
            });
        }
        commands
    }

    /// The dialogs over the views: global search, the record form, the author prompt, Help.
    fn dialogs_ui(&mut self, ctx: &egui::Context) -> Commands {
        let mut commands = Vec::new();
        if let Some(db) = &mut self.db {
            db.rt.global_search.show(ctx, &db.session, &mut commands);
            if let Some(form) = &mut db.rt.record_form
                && !record_form::show(ctx, &db.session.atlas, &db.session.workspace, form, &mut commands)
            {
                db.rt.record_form = None;
            }
            if let Some(prompt) = &mut db.rt.author_prompt {
                author::show(ctx, prompt, &mut commands);
            }
        }
        let glossary = self.db.as_ref().map_or(&[][..], |d| &d.session.atlas.glossary[..]);
        help::show(ctx, &mut self.help_open, glossary);
        commands
    }

    /// The import window and the save/open window: what they ask for is applied after the views' commands.
    fn late_dialogs_ui(&mut self, ctx: &egui::Context) -> Commands {
        let mut commands = Vec::new();
        self.files.show(ctx, &mut commands);
        if let Some(db) = &mut self.db
            && let Some(dialog) = &mut db.rt.import
        {
            dialog.show(ctx, db.session.path(), &db.session.catalogue, &db.rt.known_cities, &mut commands);
        }
        commands
    }

    /// The save/open window's result for a command it asked for.
    pub(in crate::shell) fn finish_file(&mut self, result: Result<String, String>) {
        if let Some(message) = self.files.finish(result) {
            self.message = Some(message);
        }
    }
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.state.view != View::Stories {
            self.last_view = self.state.view;
        }
        self.poll_opening();
        let playing = self.present.as_ref().is_some_and(|p| p.player.is_some());
        crate::widgets::set_on_slide(&ctx, playing);
        crate::widgets::set_presenting(&ctx, self.present.is_some());
        self.presenter_keys();
        self.shortcuts(&ctx);
        self.before_drawing();
        let mut commands = Vec::new();
        if self.present.is_some() {
            commands.extend(self.presenter_bars(ui));
        } else {
            commands.extend(self.top_bar(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = self.open_error.clone() {
                self.status_lines(ui);
                self.open_error_ui(ui, &error);
                return;
            }
            self.status_lines(ui);
            commands.extend(self.view_ui(ui));
        });
        commands.extend(self.dialogs_ui(&ctx));
        self.apply_all(commands);
        let late = self.late_dialogs_ui(&ctx);
        self.apply_all(late);
        self.dropped_files(&ctx);
        // Typing is written within a second; keep waking up until it is.
        if let Some(db) = &mut self.db
            && db.session.flush(false)
        {
            ctx.request_repaint_after(atlas_session::annotate::SAVE_DELAY);
        }
        if let Some(job) = &mut self.screenshot {
            job.tick(&ctx);
        }
        super::headless::probe::tick(&ctx, &mut self.state.view);
        self.run_slide_exports(frame);
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
