//! Pictures to look at, not assertions: every view at 1366×768 with 200 % zoom in the dark theme, and at 800×600,
//! rendered into `target/look/` (`cargo test --test look -- --ignored`).

mod common;

use eframe::egui;
use egui_kittest::Harness;
use integration_atlas::ui::{AtlasApp, Launch, UiState, View};

fn render(db: &std::path::Path, state: UiState, size: [f32; 2], dark: bool, name: &str) {
    let db = db.to_owned();
    let theme = if dark { egui::Theme::Dark } else { egui::Theme::Light };
    let mut harness = Harness::builder().with_size(size).with_theme(theme).wgpu().build_eframe(move |cc| {
        AtlasApp::with_state(&cc.egui_ctx, Launch { db: Some(db), ..Default::default() }, state)
    });
    harness.run();
    if std::env::var("LOOK_GLOSSARY").is_ok() {
        harness.state_mut().command(integration_atlas::ui::Command::Nav(integration_atlas::ui::Nav::Glossary));
        harness.run();
    }
    for _ in 0..3 {
        harness.step();
    }
    let image = harness.render().expect("render");
    image.save(format!("target/look/{name}.png")).expect("png");
}

#[test]
#[ignore = "writes pictures to look at"]
fn look_at_every_view_small_and_zoomed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::db_in(&dir);
    std::fs::create_dir_all("target/look").expect("folder");
    let only = std::env::var("LOOK_VIEW").ok();
    for view in View::ALL {
        let name = view.label().to_lowercase().replace(' ', "-");
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let mut state = common::on(view);
        if let Ok(extra) = std::env::var("LOOK_RECORD") {
            state.explorer.selected = Some(extra);
        }
        state.explorer.show_charts = std::env::var("LOOK_CHARTS").is_ok();
        let mut zoomed = state.clone();
        zoomed.zoom = 2.0;
        zoomed.dark = true;
        // 200 % of a 1366×768 window: half as many points, each two pixels.
        render(&db, zoomed, [683.0, 384.0], true, &format!("{name}-200"));
        render(&db, state, [800.0, 600.0], false, &format!("{name}-800x600"));
    }
}
