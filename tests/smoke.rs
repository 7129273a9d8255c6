//! The real binary in a real window under Xvfb: it starts on a fresh database, renders the home screen and writes
//! a screenshot of exactly what is on screen. Needs `xvfb-run` (Debian package `xvfb`), as the README says.

use std::process::Command;

#[test]
fn real_window_renders_the_home_screen_under_xvfb() {
    let available = Command::new("sh").args(["-c", "command -v xvfb-run"]).output().is_ok_and(|o| o.status.success());
    assert!(available, "xvfb-run is missing: install the Debian package xvfb (see README, Tests)");
    let dir = tempfile::tempdir().expect("temp dir");
    let shot = dir.path().join("home.png");
    let runtime = dir.path().join("runtime");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1920x1080x24"])
        .arg(env!("CARGO_BIN_EXE_integration-atlas"))
        .arg("--db")
        .arg(dir.path().join("atlas.sqlite"))
        .arg("--screenshot-to")
        .arg(&shot)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .expect("xvfb-run starts");
    assert!(
        out.status.success(),
        "the app failed under Xvfb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let image = image::open(&shot).expect("a PNG screenshot was written").to_rgba8();
    assert_eq!(image.dimensions(), (1280, 800));
    let distinct: std::collections::HashSet<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    assert!(distinct.len() > 20, "the screenshot is blank");
    assert!(dir.path().join("atlas.sqlite").exists(), "the database was created on first start");
}
