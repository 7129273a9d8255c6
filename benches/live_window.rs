//! The window while the room answers from their phones: the real app (`AtlasApp`, headless and without a
//! rasteriser, timed as in benches/frames.rs) on the Workshop view at 1280×800, with a live round started as its
//! button starts it and its results revealed (so the charts are drawn every frame), while 300 simulated phones answer
//! over loopback HTTP. Each phone connects from its own loopback address (127.0.x.y), as phones in a room each have
//! their own, so the round runs with its ordinary limits. The window runs a frame every 1/60 s, as it repaints while
//! answers arrive. Two waves:
//!
//! 1. the room answers: each of the 300 phones loads the page (joins) and saves 12 scores, 21 ticks and a line, at
//!    a moment drawn at random (seeded) within 5 s (10 client threads);
//! 2. every phone changes its answers, all at once (30 client threads, as in benches/live.rs).
//!
//! Printed per wave: the UI logic per frame (`eframe::App::ui` inside `Context::run_ui`: the arrived answers applied
//! to the tally, the Workshop drawn with its charts) p50/p95/max over the frames while answers arrive; for each
//! answer, the time from the phone sending it (so its arrival at the server, the checks and the commit included) to
//! the end of the first frame whose tally, the numbers the charts draw, includes it, p50/p99/max; and the most frames
//! that started after the phone had its reply before one showed its answer. Then the frame that reads the answers
//! again from the database 2 s after the last one (so Responses and the typed entry see the phones' rows), and the
//! quiet frames after it, first in the default layout (the typed entry, now 300 rows, beside the charts), then with
//! the charts alone (the projector's layout).
//! Goals (issue #16): ≤ 4 ms p95 UI logic per frame; an answer on the chart within one frame and ≤ 100 ms.
//! The client threads run on the same machine as the window and its server and compete for the same cores.
//!
//! `cargo bench --bench live_window`

#[path = "support/mod.rs"]
mod support;

#[path = "../tests/live_support/mod.rs"]
mod live_support;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eframe::egui::{self, Event, Pos2, RawInput, Rect, Vec2};
use integration_atlas::ui::command::RoundCmd;
use integration_atlas::ui::state::{Layout, WorkshopState};
use integration_atlas::ui::{AtlasApp, Command, Launch, UiState, View};
use live_support::{Phone, form};

const SIZE: Vec2 = Vec2::new(1280.0, 800.0);
const PHONES: usize = 300;
/// One frame at 60 Hz.
const FRAME: Duration = Duration::from_micros(16_667);
/// The first wave's phones answer evenly over this long.
const SPREAD: Duration = Duration::from_secs(5);
/// Frames kept running after the last answer (the answers are read again 2 s after it).
const AFTER: Duration = Duration::from_secs(4);
/// Frames after the reading again in the default layout (typed entry and charts); then the charts alone.
const AFTER_RELOAD: usize = 60;
/// The bench stops after this long whatever happens.
const CAP: Duration = Duration::from_secs(120);
/// Frames with the live round open before any phone comes (the idle baseline).
const IDLE_FRAMES: usize = 120;

/// Phone `i`'s own loopback address.
fn source(i: usize) -> Ipv4Addr {
    Ipv4Addr::new(127, 0, 1 + (i / 200) as u8, 2 + (i % 200) as u8)
}

/// Phone `i`'s answers in `wave`: 12 scores, 21 ticks, its name and a line naming the phone and the wave (so a frame
/// can tell which answers its tally holds).
fn answers_of(wave: usize, i: usize, sub: &str) -> String {
    let scores: Vec<(i64, u8)> = (1..=12).map(|o| (o, ((i + wave + o as usize) % 5) as u8)).collect();
    let ticks: Vec<(usize, usize)> =
        (0..42).filter(|t| (t + i + wave).is_multiple_of(2)).take(21).map(|t| (t / 6, t % 6)).collect();
    form(sub, Some(&format!("Bench phone {i}")), &scores, &ticks, Some(&format!("w{wave} p{i}")))
}

/// The (wave, phone) a tally line names.
fn parse_line(text: &str) -> Option<(usize, usize)> {
    let (w, p) = text.strip_prefix('w')?.split_once(" p")?;
    Some((w.parse().ok()?, p.parse().ok()?))
}

/// One answer sent: its wave and phone, when it was sent and when the phone had its reply.
#[derive(Clone, Copy)]
struct Sent {
    wave: usize,
    phone: usize,
    sent: Instant,
    replied: Instant,
}

struct FrameRecord {
    start: Instant,
    end: Instant,
    ui_ms: f64,
    tess_ms: f64,
    /// The window's copy of the answers changed in this frame (a batch of submissions taken in).
    reloaded: bool,
    /// The Workshop showed the charts alone (the projector's layout).
    charts_alone: bool,
}

/// The phones: wave 1 spread over [`SPREAD`], a pause, then wave 2 all at once. Returns every answer sent.
fn phones(address: SocketAddr, page: String, log: Arc<Mutex<Vec<Sent>>>) {
    let post = format!("{page}answers");
    let start = Instant::now();
    // Wave 1: each phone joins and answers at a moment drawn at random within SPREAD (seeded; times not in step
    // with the frames, as phones in a room are not).
    const SPREAD_THREADS: usize = 10;
    let mut rng = support::Rng::new(16);
    let mut offsets: Vec<Duration> =
        (0..PHONES).map(|_| Duration::from_micros(rng.below(SPREAD.as_micros() as usize) as u64)).collect();
    offsets.sort();
    let offsets = &offsets;
    let joined: Vec<(usize, Phone)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..SPREAD_THREADS)
            .map(|t| {
                let (post, page, log) = (&post, &page, &log);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    for i in (t..PHONES).step_by(SPREAD_THREADS) {
                        let at = start + offsets[i];
                        std::thread::sleep(at.saturating_duration_since(Instant::now()));
                        let mut phone = Phone::default();
                        let page_reply = phone.get_from(Some(source(i)), address, page);
                        assert_eq!(page_reply.status, 200, "{}", page_reply.body);
                        let sub = page_reply.submission().expect("the page has a form");
                        let sent = Instant::now();
                        let reply = phone.post_from(Some(source(i)), address, post, &answers_of(1, i, &sub), true);
                        let replied = Instant::now();
                        assert_eq!(reply.status, 200, "{}", reply.body);
                        log.lock().expect("log").push(Sent { wave: 1, phone: i, sent, replied });
                        mine.push((i, phone));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a wave-1 client")).collect()
    });
    std::thread::sleep(Duration::from_secs(1));
    // Wave 2: every phone changes its answers at once.
    const BURST_THREADS: usize = 30;
    let mut chunks: Vec<Vec<(usize, Phone)>> = (0..BURST_THREADS).map(|_| Vec::new()).collect();
    for (n, phone) in joined.into_iter().enumerate() {
        chunks[n % BURST_THREADS].push(phone);
    }
    std::thread::scope(|scope| {
        for chunk in chunks {
            let (post, log) = (&post, &log);
            scope.spawn(move || {
                for (i, mut phone) in chunk {
                    let sent = Instant::now();
                    let reply =
                        phone.post_from(Some(source(i)), address, post, &answers_of(2, i, &format!("w2p{i}")), true);
                    let replied = Instant::now();
                    assert_eq!(reply.status, 200, "{}", reply.body);
                    log.lock().expect("log").push(Sent { wave: 2, phone: i, sent, replied });
                }
            });
        }
    });
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn at(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn ui_line(label: &str, frames: &[&FrameRecord]) {
    let mut ui: Vec<f64> = frames.iter().map(|f| f.ui_ms).collect();
    let mut tess: Vec<f64> = frames.iter().map(|f| f.tess_ms).collect();
    ui.sort_by(f64::total_cmp);
    tess.sort_by(f64::total_cmp);
    println!(
        "  {label:<52} {:>4} frames  UI p50 {:>5.2} ms  p95 {:>5.2} ms  max {:>5.1} ms   tessellation p95 {:>5.2} ms",
        frames.len(),
        at(&ui, 0.5),
        at(&ui, 0.95),
        ui.last().copied().unwrap_or(f64::NAN),
        at(&tess, 0.95),
    );
}

fn main() {
    let shipped = support::shipped();
    let round = shipped.store.create_live_round("Bench room", None).expect("a live round");
    drop(shipped.store);

    let ctx = egui::Context::default();
    let state = UiState {
        view: View::Workshop,
        workshop: WorkshopState { round: Some(round.clone()), ..Default::default() },
        ..UiState::default()
    };
    let launch = Launch { db: Some(shipped.path.clone()), ..Default::default() };
    let mut app = AtlasApp::with_state(&ctx, launch, state);
    let mut frame = eframe::Frame::_new_kittest();
    // What the Workshop's buttons do: let the room answer, and show the results.
    app.command(Command::Rounds(RoundCmd::LiveStart(round.clone())));
    app.command(Command::Rounds(RoundCmd::LiveReveal(true)));
    if let Some(message) = app.message() {
        panic!("the live round did not start: {message}");
    }
    let (address, page) = {
        let live = &app.session().and_then(|s| s.live.as_ref()).expect("the live round runs").round;
        let address = *live.addresses().iter().find(|a| a.ip().is_loopback()).expect("listens on loopback");
        (address, format!("/{}/", live.token()))
    };

    let log = Arc::new(Mutex::new(Vec::new()));
    let done = Arc::new(AtomicBool::new(false));
    let mut driver = None;
    let mut frames: Vec<FrameRecord> = Vec::new();
    let mut shown: HashMap<(usize, usize), usize> = HashMap::new();
    let mut version = app.session().map(|s| s.answers_version);
    let began = Instant::now();
    let mut next = Instant::now();
    let mut finished: Option<Instant> = None;
    let mut i = 0usize;
    loop {
        // One frame per 1/60 s; a late frame starts at once and the next is due a frame after it.
        let now = Instant::now();
        if next > now {
            std::thread::sleep(next - now);
        }
        next = next.max(Instant::now() - FRAME) + FRAME;
        if i == IDLE_FRAMES {
            let (page, log, done) = (page.clone(), log.clone(), done.clone());
            driver = Some(std::thread::spawn(move || {
                phones(address, page, log);
                done.store(true, Ordering::SeqCst);
            }));
        }
        // The pointer sweeps the window in a zigzag, as in benches/frames.rs.
        let t = (i % 300) as f32 / 300.0;
        let pos = Pos2::new(40.0 + (SIZE.x - 80.0) * t, 60.0 + (SIZE.y - 120.0) * ((t * 7.0).fract()));
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SIZE)),
            time: Some(began.elapsed().as_secs_f64()),
            predicted_dt: 1.0 / 60.0,
            events: vec![Event::PointerMoved(pos)],
            ..Default::default()
        };
        let charts_alone = frames.iter().rposition(|f| f.reloaded).is_some_and(|k| frames.len() > k + AFTER_RELOAD);
        app.ui_mut().workshop.layout = if charts_alone { Layout::Results } else { Layout::Both };
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| eframe::App::ui(&mut app, ui, &mut frame));
        let mid = Instant::now();
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        let end = Instant::now();
        let session = app.session().expect("the database stays open");
        let reloaded = version != Some(session.answers_version);
        version = Some(session.answers_version);
        if let Some(live) = &session.live {
            for (_, text) in live.tally.texts() {
                if let Some(key) = parse_line(text) {
                    shown.entry(key).or_insert(frames.len());
                }
            }
        }
        frames.push(FrameRecord { start, end, ui_ms: ms(mid - start), tess_ms: ms(end - mid), reloaded, charts_alone });
        i += 1;
        if finished.is_none() && done.load(Ordering::SeqCst) {
            finished = Some(Instant::now());
        }
        if finished.is_some_and(|f| f.elapsed() >= AFTER) || began.elapsed() >= CAP {
            break;
        }
    }
    if let Some(driver) = driver {
        driver.join().expect("the phones");
    }
    let sent = log.lock().expect("log").clone();
    app.flush_all();

    println!(
        "the window while {PHONES} phones answer (Workshop view, results revealed, 1280x800, headless, a frame every \
         1/60 s; each phone on its own loopback address)"
    );
    let idle: Vec<&FrameRecord> = frames[IDLE_FRAMES / 2..IDLE_FRAMES.min(frames.len())].iter().collect();
    ui_line("idle, live round open, no phone yet", &idle);
    for (wave, what) in [(1, "wave 1: 300 phones join and answer within 5 s"), (2, "wave 2: 300 phones change at once")]
    {
        let answers: Vec<&Sent> = sent.iter().filter(|s| s.wave == wave).collect();
        let Some(first) = answers.iter().map(|s| s.sent).min() else { continue };
        let mut latency = Vec::new();
        let mut frames_after_reply = 0usize;
        let mut last_frame = 0usize;
        let mut missing = 0usize;
        for s in &answers {
            match shown.get(&(wave, s.phone)) {
                Some(&k) => {
                    latency.push(ms(frames[k].end - s.sent));
                    let after = frames[..=k].iter().filter(|f| f.start >= s.replied).count();
                    frames_after_reply = frames_after_reply.max(after);
                    last_frame = last_frame.max(k);
                }
                None => missing += 1,
            }
        }
        let during: Vec<&FrameRecord> = frames[..=last_frame].iter().filter(|f| f.start >= first).collect();
        ui_line(what, &during);
        latency.sort_by(f64::total_cmp);
        let mut submit: Vec<f64> = answers.iter().map(|s| ms(s.replied - s.sent)).collect();
        submit.sort_by(f64::total_cmp);
        println!(
            "    submit (sent → committed → reply read): p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
            at(&submit, 0.5),
            at(&submit, 0.99),
            submit.last().copied().unwrap_or(f64::NAN),
        );
        println!(
            "    sent → first frame charting it: p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms ({} answers{}); frames \
             started after the phone's reply before its answer was shown: at most {frames_after_reply}",
            at(&latency, 0.5),
            at(&latency, 0.99),
            latency.last().copied().unwrap_or(f64::NAN),
            latency.len(),
            if missing > 0 { format!(", {missing} NEVER SHOWN") } else { String::new() },
        );
    }
    let reloads: Vec<String> = frames.iter().filter(|f| f.reloaded).map(|f| format!("{:.1} ms", f.ui_ms)).collect();
    println!("  frames whose copy of the answers changed (counted in the waves above too): {}", reloads.join(", "));
    if let Some(k) = frames.iter().rposition(|f| f.reloaded) {
        let after: Vec<&FrameRecord> = frames[k + 1..].iter().filter(|f| !f.charts_alone).collect();
        ui_line("after it, quiet: typed entry (300 rows) and charts", &after);
        let alone: Vec<&FrameRecord> = frames[k + 1..].iter().filter(|f| f.charts_alone).collect();
        ui_line("after it, quiet: the charts alone (projector)", &alone);
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("?").trim().to_owned();
        println!("  peak RSS of the whole bench process (window, server and clients): {peak}");
    }
}
