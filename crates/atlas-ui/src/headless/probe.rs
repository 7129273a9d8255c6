//! Hidden measuring modes of the real window (`--probe MODE`), used by `scripts/startup-compare.sh` and for the
//! README's performance table. Each prints one line per result on standard output, then closes the window.
//!
//! - `first-frame`: close as soon as the first frame has been rendered; prints the time since the first line of
//!   `main` at the first `ui` call and when the first frame was presented (the start of the second frame).
//! - `idle[:SETTLE[:SECONDS]]`: without any input, count the frames the app runs (egui frames) during SECONDS
//!   (default 10) that start SETTLE (default 5) seconds after the first frame, and the CPU time of the whole process
//!   in that window (utime + stime of `/proc/self/stat`, 10 ms resolution).
//! - `paint[:FRAMES]`: repaint continuously for FRAMES (100) frames and print the wall time per rendered frame
//!   (UI logic, tessellation, rasterisation and presenting) and the process's CPU use.
//! - `tour`: open every view in turn, a few frames each, printing the resident memory after each, then the peak
//!   (`VmHWM` of `/proc/self/status`).
//!
//! Nothing here runs unless `--probe` was given: [`tick`] is a no-op otherwise.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use eframe::egui::{Context, ViewportCommand};

use crate::state::View;

static START: OnceLock<Instant> = OnceLock::new();
/// Frames the app ran since start (while a probe is on).
static FRAMES: AtomicU64 = AtomicU64::new(0);
static PROBE: Mutex<Option<Probe>> = Mutex::new(None);

/// Frames each view is shown for in the tour.
const TOUR_FRAMES: u32 = 5;

/// What to measure.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    FirstFrame,
    Idle {
        settle: Duration,
        window: Duration,
    },
    Tour,
    /// Repaint continuously for this many frames (after 5 to settle) and report the time per rendered frame.
    Paint(u64),
}

impl Mode {
    /// `first-frame`, `idle`, `idle:5`, `idle:5:10` or `tour`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.trim().split(':');
        let name = parts.next().unwrap_or_default();
        let mut seconds = |default: f64| -> Result<Duration, String> {
            match parts.next() {
                None => Ok(Duration::from_secs_f64(default)),
                Some(s) => match s.parse::<f64>() {
                    Ok(v) if v.is_finite() && (0.0..=3600.0).contains(&v) => Ok(Duration::from_secs_f64(v)),
                    _ => Err(format!("--probe {text}: {s:?} is not a number of seconds (0–3600)")),
                },
            }
        };
        match name {
            "first-frame" => Ok(Mode::FirstFrame),
            "idle" => {
                let settle = seconds(5.0)?;
                let window = seconds(10.0)?;
                Ok(Mode::Idle { settle, window })
            }
            "tour" => Ok(Mode::Tour),
            "paint" => match parts.next().map(str::parse::<u64>) {
                None => Ok(Mode::Paint(100)),
                Some(Ok(n @ 1..=100_000)) => Ok(Mode::Paint(n)),
                Some(_) => Err(format!("--probe {text}: paint takes a number of frames (1–100000)")),
            },
            _ => Err(format!("--probe {text}: expected first-frame, idle[:SETTLE[:SECONDS]], tour or paint[:FRAMES]")),
        }
    }
}

struct Probe {
    mode: Mode,
    frames: u64,
    /// `cumulative_frame_nr` of the last frame seen.
    last_frame: Option<u64>,
    first_ui: Duration,
    /// Paint: when the measured frames began, and the CPU time then.
    paint_start: Option<(Instant, Option<u64>)>,
    /// Tour: the view being shown and its frames so far.
    tour_view: usize,
    tour_frames: u32,
}

/// Notes the start of the process; call first thing in `main`.
pub fn mark_start() {
    START.get_or_init(Instant::now);
}

fn since_start() -> Duration {
    START.get().map_or(Duration::ZERO, Instant::elapsed)
}

/// Turns a probe on for this run of the window.
pub fn install(text: &str) -> Result<(), String> {
    let mode = Mode::parse(text)?;
    let probe = Probe {
        mode,
        frames: 0,
        last_frame: None,
        first_ui: Duration::ZERO,
        paint_start: None,
        tour_view: 0,
        tour_frames: 0,
    };
    match PROBE.lock() {
        Ok(mut slot) => {
            *slot = Some(probe);
            Ok(())
        }
        Err(_) => Err("--probe: cannot be set up".to_owned()),
    }
}

/// Called by the app once per frame (at the end of its `ui`); may switch the view (tour).
pub fn tick(ctx: &Context, view: &mut View) {
    let Ok(mut slot) = PROBE.lock() else { return };
    let Some(probe) = slot.as_mut() else { return };
    // egui may run `ui` twice in one frame (a sizing pass); count frames, not passes.
    let frame_nr = ctx.cumulative_frame_nr();
    if probe.last_frame == Some(frame_nr) {
        return;
    }
    probe.last_frame = Some(frame_nr);
    probe.frames += 1;
    FRAMES.fetch_add(1, Ordering::Relaxed);
    match probe.mode.clone() {
        Mode::FirstFrame => {
            if probe.frames == 1 {
                probe.first_ui = since_start();
                // The first frame is painted when its `ui` returns; the next frame starts after it was presented.
                ctx.request_repaint();
            } else if probe.frames == 2 {
                let presented = since_start();
                say(format_args!(
                    "first-frame: {:.1} ms since start (first ui call at {:.1} ms)",
                    presented.as_secs_f64() * 1e3,
                    probe.first_ui.as_secs_f64() * 1e3
                ));
                say(format_args!("memory: {}", memory()));
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
        Mode::Idle { settle, window } => {
            if probe.frames == 1 {
                say(format_args!(
                    "idle: first frame at {:.1} ms; waiting {:.0} s without input",
                    ms(since_start()),
                    secs(settle)
                ));
                let ctx = ctx.clone();
                std::thread::spawn(move || measure_idle(&ctx, settle, window));
            }
        }
        Mode::Paint(n) => {
            const SETTLE: u64 = 5;
            if probe.frames == SETTLE {
                probe.paint_start = Some((Instant::now(), cpu_ticks()));
            } else if let (Some((start, cpu0)), true) = (probe.paint_start, probe.frames == SETTLE + n) {
                let elapsed = start.elapsed().as_secs_f64();
                let cpu = match (cpu0, cpu_ticks()) {
                    (Some(a), Some(b)) => format!("{:.0}% CPU", b.saturating_sub(a) as f64 / 100.0 / elapsed * 100.0),
                    _ => "CPU unknown".to_owned(),
                };
                say(format_args!(
                    "paint: {:.2} ms per rendered frame ({n} frames repainted continuously on {}), {cpu}",
                    elapsed * 1e3 / n as f64,
                    view.label()
                ));
                ctx.send_viewport_cmd(ViewportCommand::Close);
                return;
            }
            ctx.request_repaint();
        }
        Mode::Tour => {
            if probe.frames == 1 {
                // Whatever view was restored, the tour starts from the first.
                *view = View::Home;
                ctx.request_repaint();
                return;
            }
            probe.tour_frames += 1;
            if probe.tour_frames < TOUR_FRAMES {
                ctx.request_repaint();
                return;
            }
            say(format_args!("tour: {:<10} {}", view.label(), memory()));
            probe.tour_frames = 0;
            probe.tour_view += 1;
            match View::all().nth(probe.tour_view) {
                Some(next) => {
                    *view = next;
                    ctx.request_repaint();
                }
                None => {
                    say(format_args!("tour: peak after every view: {}", memory()));
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
            }
        }
    }
}

fn measure_idle(ctx: &Context, settle: Duration, window: Duration) {
    std::thread::sleep(settle);
    let (frames0, cpu0, t0) = (FRAMES.load(Ordering::Relaxed), cpu_ticks(), Instant::now());
    std::thread::sleep(window);
    let (frames1, cpu1, t1) = (FRAMES.load(Ordering::Relaxed), cpu_ticks(), Instant::now());
    let elapsed = (t1 - t0).as_secs_f64();
    let frames = frames1 - frames0;
    let cpu = match (cpu0, cpu1) {
        // Clock ticks of 1/100 s (USER_HZ).
        (Some(a), Some(b)) => format!("{:.2}% CPU", (b.saturating_sub(a)) as f64 / 100.0 / elapsed * 100.0),
        _ => "CPU unknown (no /proc)".to_owned(),
    };
    say(format_args!(
        "idle: {:.2} frames/s ({frames} frames in {elapsed:.1} s, starting {:.0} s after the first frame), {cpu}",
        frames as f64 / elapsed,
        secs(settle)
    ));
    ctx.send_viewport_cmd(ViewportCommand::Close);
    ctx.request_repaint();
}

/// Prints a result line; a closed pipe (`| head -1`) is not an error worth a panic.
fn say(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(line).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// utime + stime of this process, in clock ticks.
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Resident memory now and at its peak, from `/proc/self/status`.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return "unknown (no /proc)".to_owned() };
    let field = |name: &str| -> String {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or_else(|| "?".to_owned(), |kb| format!("{:.1} MB", kb / 1024.0))
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse() {
        assert_eq!(Mode::parse("first-frame"), Ok(Mode::FirstFrame));
        assert_eq!(Mode::parse("tour"), Ok(Mode::Tour));
        assert_eq!(
            Mode::parse("idle"),
            Ok(Mode::Idle { settle: Duration::from_secs(5), window: Duration::from_secs(10) })
        );
        assert_eq!(
            Mode::parse("idle:2:3"),
            Ok(Mode::Idle { settle: Duration::from_secs(2), window: Duration::from_secs(3) })
        );
        assert!(Mode::parse("idle:x").is_err());
        assert!(Mode::parse("idle:-1").is_err());
        assert!(Mode::parse("fast").is_err());
        assert_eq!(Mode::parse("paint:30"), Ok(Mode::Paint(30)));
        assert!(Mode::parse("paint:0").is_err());
    }

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        assert!(cpu_ticks().is_some());
        assert!(memory().contains("VmHWM"));
    }
}
