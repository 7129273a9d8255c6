//! The real binary in a real window under Xvfb: on a fresh database it renders every view and writes a screenshot
//! of exactly what is on screen (kept in target/smoke-screenshots/ to look at). Needs `xvfb-run` (Debian package
//! `xvfb`), as the README says.

use std::path::Path;
use std::process::Command;

const VIEWS: [&str; 11] = [
    "home",
    "explorer",
    "checklist",
    "cities",
    "regions",
    "survey",
    "responses",
    "sources",
    "notes",
    "stories",
    "workshop",
];

fn shoot(db: &Path, view: &str, out: &Path, state: &Path) {
    let runtime = state.join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let result = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1920x1080x24"])
        .arg(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(db)
        .args(["--view", view, "--screenshot-to"])
        .arg(out)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", state.join("data"))
        .output()
        .expect("xvfb-run starts");
    assert!(result.status.success(), "{view}: the app failed under Xvfb: {}", String::from_utf8_lossy(&result.stderr));
}

#[test]
fn real_window_renders_every_view_under_xvfb() {
    let available = Command::new("sh").args(["-c", "command -v xvfb-run"]).output().is_ok_and(|o| o.status.success());
    assert!(available, "xvfb-run is missing: install the Debian package xvfb (see README, Tests)");
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("smoke-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    for view in VIEWS {
        let shot = shots.join(format!("{view}.png"));
        let _ = std::fs::remove_file(&shot);
        shoot(&db, view, &shot, dir.path());
        let image = image::open(&shot).expect("a PNG screenshot was written").to_rgba8();
        assert_eq!(image.dimensions(), (1280, 800), "{view}");
        let distinct: std::collections::HashSet<[u8; 4]> = image.pixels().map(|p| p.0).collect();
        assert!(distinct.len() > 20, "{view}: the screenshot is blank");
    }
    assert!(db.exists(), "the database was created on first start");
}

/// A story of three slides exported by the real binary as 1920×1080 PNG files (kept in
/// target/tmp/smoke-story/ to look at), rendered off screen by the window's own renderer.
#[test]
fn real_binary_exports_a_story_as_png_slides() {
    use integration_atlas::analysis::Facet;
    use integration_atlas::ui::{UiState, View};
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("atlas.sqlite");
    let store = integration_atlas::store::Store::open(&db).expect("db");
    let story = store.create_story("Smoke story").expect("story");
    let mut explorer = UiState { view: View::Explorer, ..UiState::default() };
    explorer.explorer.filter.add(Facet::Gap, "funding");
    explorer.explorer.show_charts = true;
    for (title, state) in [
        ("Funding gaps by level", explorer),
        ("Regions", UiState { view: View::Regions, ..UiState::default() }),
        ("The checklist", UiState { view: View::Checklist, ..UiState::default() }),
    ] {
        let json = serde_json::to_string(&state).expect("json");
        store.add_slide(&story, None, title, "notes", &json).expect("slide");
    }
    drop(store);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("smoke-story");
    let _ = std::fs::remove_dir_all(&out);
    let runtime = dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let result = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(&db)
        .args(["--export-story", "Smoke story", "--to"])
        .arg(&out)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .expect("xvfb-run starts");
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert!(stdout.contains("Exported 3 slides"), "{stdout}");
    for n in 1..=3 {
        let image = image::open(out.join(format!("slide-{n:02}.png"))).expect("slide PNG").to_rgba8();
        assert_eq!(image.dimensions(), (1920, 1080), "slide {n}");
        let distinct: std::collections::HashSet<[u8; 4]> = image.pixels().map(|p| p.0).collect();
        assert!(distinct.len() > 20, "slide {n} is blank");
    }
}
