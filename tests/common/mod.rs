//! What the test files share: the real app in a headless harness, the real binary, temporary databases.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use integration_atlas::ui::{AtlasApp, Launch, UiState, View};

/// A temporary folder and the path of a database in it (created on first open).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    (dir, db)
}

/// The database path in a temporary folder.
pub fn db_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("atlas.sqlite")
}

/// A new database with the answer catalogue, for import tests (the folder lives as long as it does).
pub struct AnswersDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: integration_atlas::store::Store,
    pub catalogue: Vec<integration_atlas::answers::QuestionDef>,
}

pub fn answers_db() -> AnswersDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("atlas.sqlite");
    let store = integration_atlas::store::Store::open(&path).expect("new database");
    let atlas = store.load_atlas().expect("atlas");
    let catalogue = integration_atlas::answers::catalogue(&atlas);
    AnswersDb { dir, path, store, catalogue }
}

/// The UI state showing `view`.
pub fn on(view: View) -> UiState {
    UiState { view, ..UiState::default() }
}

/// The real app on `db`, in a light theme, at `size` points.
pub fn app_sized(db: &Path, state: UiState, size: [f32; 2]) -> Harness<'static, AtlasApp> {
    let db = db.to_owned();
    Harness::builder().with_size(size).with_theme(egui::Theme::Light).build_eframe(move |cc| {
        AtlasApp::with_state(&cc.egui_ctx, Launch { db: Some(db), ..Default::default() }, state)
    })
}

/// The real app on `db` at 1280 × 800.
pub fn app(db: &Path, state: UiState) -> Harness<'static, AtlasApp> {
    app_sized(db, state, [1280.0, 800.0])
}

/// The real app on the database in `dir` at 1280 × 800.
pub fn app_in(dir: &tempfile::TempDir, state: UiState) -> Harness<'static, AtlasApp> {
    app(&db_in(dir), state)
}

/// Steps frames until `done` (background jobs: imports, opening a database); fails after two minutes. Returns the
/// slowest frame.
pub fn wait_until(harness: &mut Harness<'_, AtlasApp>, done: impl Fn(&Harness<'_, AtlasApp>) -> bool) -> Duration {
    let start = Instant::now();
    let mut slowest = Duration::ZERO;
    while !done(harness) {
        assert!(start.elapsed() < Duration::from_secs(120), "timed out");
        let frame = Instant::now();
        harness.step();
        slowest = slowest.max(frame.elapsed());
        std::thread::sleep(Duration::from_millis(10));
    }
    slowest
}

/// The real binary with `--db DB` and `args`.
pub fn atlas_cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_integration-atlas")).arg("--db").arg(db).args(args).output().expect("runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The author's name, through the command path the author prompt uses.
pub fn set_author(app: &mut AtlasApp, name: &str) {
    use integration_atlas::ui::command::NoteCmd;
    app.command(integration_atlas::ui::Command::Notes(NoteCmd::SetAuthor(name.to_owned())));
}

/// A note (or a memo) with this text, through the commands the Notes view pushes; returns its uuid.
pub fn add_note(app: &mut AtlasApp, kind: &str, id: Option<&str>, text: &str) -> String {
    use integration_atlas::ui::command::NoteCmd;
    let uuids = |app: &AtlasApp| -> Vec<String> {
        app.session().expect("open").workspace.notes.iter().map(|n| n.uuid.clone()).collect()
    };
    let before = uuids(app);
    app.command(integration_atlas::ui::Command::Notes(NoteCmd::Add {
        kind: integration_atlas::store::codings::TargetKind::parse(kind).expect("a kind of record"),
        id: id.map(str::to_owned),
    }));
    let uuid = uuids(app).into_iter().find(|u| !before.contains(u)).expect("a note was added (is the author set?)");
    app.command(integration_atlas::ui::Command::Notes(NoteCmd::EditText { uuid: uuid.clone(), text: text.to_owned() }));
    uuid
}

/// Any other note command, as a view pushes it.
pub fn note_command(app: &mut AtlasApp, command: integration_atlas::ui::command::NoteCmd) {
    app.command(integration_atlas::ui::Command::Notes(command));
}
