//! The desktop window (eframe/egui). Views read the in-memory [`crate::model::Atlas`]; none runs SQL.

mod answers_export;
mod app;
mod charts;
mod checklist;
mod cities;
mod explorer;
mod files;
mod fonts;
mod home;
mod import_answers;
mod map;
mod notes;
mod notes_panel;
mod present;
pub mod probe;
mod record_form;
mod regions;
mod renderer;
mod responses;
mod screenshot;
mod search;
mod sources;
mod stories;
mod story_export;
mod survey;
mod widgets;
mod workshop;

use std::path::PathBuf;
use std::process::ExitCode;

pub use app::{Action, AtlasApp, UiState, View};
pub use explorer::{ChartKind, ExplorerState};
pub use notes::{ExportKind, NotesState};
pub use regions::{RegionsMode, RegionsState};
pub use responses::{ResponsesCache, ResponsesState};

/// How the window was asked for on the command line.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    pub db: Option<PathBuf>,
    pub view: Option<String>,
    pub screenshot_to: Option<PathBuf>,
    /// Hidden `--export-story STORY --to DIR`: export the story's slides as PNG, then close.
    pub export_story: Option<(String, PathBuf)>,
}

/// The app id: eframe keeps window size and view state under `$XDG_DATA_HOME/integration-atlas/`.
pub const APP_ID: &str = "integration-atlas";

/// Opens the window and runs until it is closed.
pub fn run(launch: Launch) -> ExitCode {
    let screenshot = launch.screenshot_to.is_some() || launch.export_story.is_some();
    let mut viewport = eframe::egui::ViewportBuilder::default()
        .with_title("Integration Atlas")
        .with_app_id(APP_ID)
        .with_min_inner_size([720.0, 480.0]);
    viewport = if screenshot {
        viewport.with_inner_size([1280.0, 800.0]).with_resizable(false)
    } else {
        viewport.with_inner_size([1280.0, 800.0])
    };
    // The database opens on a thread while the window and its renderer start.
    let db = launch.db.clone();
    let opening = std::thread::Builder::new()
        .name("open-database".to_owned())
        .spawn(move || app::Session::open(db.as_ref()))
        .ok();
    let vulkan_only = renderer::vulkan_only();
    let options = eframe::NativeOptions {
        viewport,
        persist_window: !screenshot,
        wgpu_options: renderer::wgpu_options(vulkan_only),
        ..Default::default()
    };
    let result = eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let opened = match opening {
                Some(thread) => thread
                    .join()
                    .unwrap_or_else(|_| Err("the database could not be opened (internal error)".to_owned())),
                None => app::Session::open(launch.db.as_ref()),
            };
            Ok(Box::new(AtlasApp::with_opened(cc, launch, opened)))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(eframe::Error::Wgpu(err)) if vulkan_only => {
            eprintln!("note: the Vulkan renderer could not start ({err}); starting again with every backend");
            match renderer::relaunch_with_all_backends() {
                Some(status) if status.success() => ExitCode::SUCCESS,
                Some(status) => ExitCode::from(status.code().map_or(3, |c| c.clamp(1, 255) as u8)),
                None => ExitCode::from(3),
            }
        }
        Err(err) => {
            eprintln!("error: cannot open the window: {err}");
            ExitCode::from(3)
        }
    }
}
