//! Frame cost: the real app's UI logic (`eframe::App::ui` inside `egui::Context::run_ui`: layout, widgets, the
//! views' own work) for every view at shipped size, 300 frames each, headless and without rasterising. The
//! pointer moves over the window every frame (hovering rows, bars and map shapes), so each frame does real work.
//! Tessellation (shapes → triangles, done on the CPU before the GPU rasterises) is timed apart.
//! Target: UI logic ≤ 4 ms p95 per view on a 2-core machine.
//!
//! `cargo bench --bench frames` prints a table (p50, p95, max per view, and the vertices of the last frame, to show
//! that the view drew its content); `FRAMES=1000` changes the count, `FRAMES_TRACE=1` lists the frames over 1 ms.

#[path = "support/mod.rs"]
mod support;

use std::time::Instant;

use eframe::egui::{self, Event, Pos2, RawInput, Rect, Vec2};
use integration_atlas::ui::{AtlasApp, Launch, UiState, View};

const SIZE: Vec2 = Vec2::new(1280.0, 800.0);
const RUNS: usize = 3;

fn main() {
    // `cargo bench` passes `--bench`; a name filter may follow.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let frames: usize = std::env::var("FRAMES").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let shipped = support::shipped();
    drop(shipped.store);
    println!("frame cost at shipped size, {frames} frames per view, 1280x800, headless (no rasteriser)");
    println!("(each frame: the fastest of {RUNS} runs of the same input sequence)");
    println!(
        "{:<10} {:>9} {:>9} {:>9}   {:>10} {:>10}   {:>8}",
        "view", "ui p50", "ui p95", "ui max", "tess. p50", "tess. p95", "vertices"
    );
    for view in View::all() {
        if filter.as_deref().is_some_and(|f| !view.label().to_lowercase().contains(&f.to_lowercase())) {
            continue;
        }
        // The same 300 frames are run in RUNS fresh apps and each frame keeps its fastest time, so that a frame
        // the scheduler interrupted (other processes on the machine) does not count as slow.
        let mut ui_ms = vec![f64::MAX; frames];
        let mut tess_ms = vec![f64::MAX; frames];
        let mut vertices = 0usize;
        for _ in 0..RUNS {
            let ctx = egui::Context::default();
            let state = UiState { view, ..UiState::default() };
            let launch = Launch { db: Some(shipped.path.clone()), ..Default::default() };
            let mut app = AtlasApp::with_state(&ctx, launch, state);
            let mut frame = eframe::Frame::_new_kittest();
            for i in 0..frames {
                // The pointer sweeps the window in a zigzag, one step per frame.
                let t = i as f32 / frames as f32;
                let pos = Pos2::new(40.0 + (SIZE.x - 80.0) * t, 60.0 + (SIZE.y - 120.0) * ((t * 7.0).fract()));
                let input = RawInput {
                    screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SIZE)),
                    time: Some(i as f64 / 60.0),
                    predicted_dt: 1.0 / 60.0,
                    events: vec![Event::PointerMoved(pos)],
                    ..Default::default()
                };
                let start = Instant::now();
                let output = ctx.run_ui(input, |ui| eframe::App::ui(&mut app, ui, &mut frame));
                let mid = Instant::now();
                let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
                let end = Instant::now();
                vertices = primitives
                    .iter()
                    .map(|p| match &p.primitive {
                        egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                        egui::epaint::Primitive::Callback(_) => 0,
                    })
                    .sum();
                ui_ms[i] = ui_ms[i].min((mid - start).as_secs_f64() * 1e3);
                tess_ms[i] = tess_ms[i].min((end - mid).as_secs_f64() * 1e3);
            }
            app.flush_all();
        }
        if std::env::var_os("FRAMES_TRACE").is_some() {
            let slow: Vec<String> =
                ui_ms.iter().enumerate().filter(|(_, t)| **t > 1.0).map(|(i, t)| format!("{i}:{t:.1}")).collect();
            eprintln!("{}: frames over 1 ms: {}", view.label(), slow.join(" "));
        }
        let max = ui_ms.iter().copied().fold(0.0, f64::max);
        let (p50, p95) = support::p50_p95(&mut ui_ms);
        let (t50, t95) = support::p50_p95(&mut tess_ms);
        println!(
            "{:<10} {:>6.2} ms {:>6.2} ms {:>6.1} ms   {:>7.2} ms {:>7.2} ms   {:>8}",
            view.label(),
            p50,
            p95,
            max,
            t50,
            t95,
            vertices
        );
    }
    // The app's own memory, without a window or renderer (the real window adds the GPU driver, or under Xvfb
    // the software renderer: see `--probe tour`).
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("?").trim().to_owned();
        println!("peak RSS of this headless process after every view: {peak}");
    }
}
