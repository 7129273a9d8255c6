//! The desktop window (eframe/egui). See `ARCHITECTURE.md`: the shell owns the open [`atlas_session::Session`] and
//! the per-database [`runtime::Runtime`]; views (one file each, listed in [`views::REGISTRY`]) read them and push
//! [`command::Command`]s; shared widgets live in `widgets/`, windows over the views in `dialogs/`, and the headless
//! tooling (probe, screenshot, renderer choice, off-screen rendering) in `headless/`.

pub mod command;
pub mod dialogs;
pub mod headless;
pub mod runtime;
pub mod shell;
pub mod state;
pub mod views;
pub mod widgets;

use std::process::ExitCode;

pub use command::{Command, ExportKind, Nav, Target};
pub use shell::AtlasApp;
pub use state::{Launch, UiState, View};
pub use views::assess::{AssessState, AssessTab};
pub use views::explorer::{ChartKind, ExplorerState};
pub use views::notes::NotesState;
pub use views::regions::{RegionsMode, RegionsState};
pub use views::responses::{ResponsesCache, ResponsesState};

/// The app id: eframe keeps window size and view state under `$XDG_DATA_HOME/integration-atlas/`.
pub const APP_ID: &str = "integration-atlas";

/// Where the window keeps its size, theme, zoom and views for a database: eframe's `app.ron` beside the default
/// database (both in the platform data folder), and `<file>.window.ron` beside a database opened with `--db`, so two
/// databases never share one window state.
pub fn window_state_path(db: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    let db = db?;
    let mut name = db.file_name()?.to_os_string();
    name.push(".window.ron");
    Some(db.with_file_name(name))
}

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
        .spawn(move || atlas_session::Session::open(db.as_deref()))
        .ok();
    let vulkan_only = headless::renderer::vulkan_only();
    let options = eframe::NativeOptions {
        viewport,
        persist_window: !screenshot,
        persistence_path: window_state_path(launch.db.as_deref()),
        wgpu_options: headless::renderer::wgpu_options(vulkan_only),
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
                None => atlas_session::Session::open(launch.db.as_deref()),
            };
            Ok(Box::new(AtlasApp::with_opened(cc, launch, opened)))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(eframe::Error::Wgpu(err)) if vulkan_only => {
            eprintln!("note: the Vulkan renderer could not start ({err}); starting again with every backend");
            match headless::renderer::relaunch_with_all_backends() {
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    #[test]
    fn each_database_keeps_its_own_window_state_beside_it() {
        assert_eq!(super::window_state_path(None), None, "the default database: eframe's app.ron beside it");
        assert_eq!(
            super::window_state_path(Some(Path::new("/tmp/work/city.sqlite"))),
            Some(PathBuf::from("/tmp/work/city.sqlite.window.ron"))
        );
        assert_ne!(
            super::window_state_path(Some(Path::new("a/one.sqlite"))),
            super::window_state_path(Some(Path::new("a/two.sqlite")))
        );
    }
}
