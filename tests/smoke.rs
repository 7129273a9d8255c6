//! The real binary in a real window under Xvfb: on a fresh database it renders every view and writes a screenshot
//! of exactly what is on screen (kept in target/smoke-screenshots/ to look at). Needs `xvfb-run` (Debian package
//! `xvfb`), as the README says.

use std::path::Path;
use std::process::Command;

const VIEWS: [&str; 7] = ["home", "explorer", "checklist", "cities", "regions", "survey", "sources"];

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
