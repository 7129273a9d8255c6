//! `integration-atlas live --round TITLE [--port N]`: a live round answered from phones, without the window. Opens
//! (or creates) the round, prints the URLs, the join code and the QR code, logs joins and answers as lines, and
//! stops cleanly on Ctrl+C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::Args;

use crate::live::{LiveConfig, LiveEvent, LiveRound, qr};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct LiveArgs {
    /// The live round's title: the latest live round of that title, else a new one.
    #[arg(long, value_name = "TITLE")]
    pub round: String,
    /// The port to listen on (default: one the system chooses).
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Listen on this machine's loopback address only (for trying it out alone).
    #[arg(long)]
    pub loopback_only: bool,
    /// The date a new round is held on, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

fn now() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

/// Sets `flag` on Ctrl+C or SIGTERM (a thread with a small runtime waits for either).
fn stop_on_signal(flag: Arc<AtomicBool>) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| format!("cannot wait for Ctrl+C: {e}"))?;
    std::thread::Builder::new()
        .name("live-signals".to_owned())
        .spawn(move || {
            runtime.block_on(async {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    match signal(SignalKind::terminate()) {
                        Ok(mut term) => {
                            tokio::select! {
                                _ = tokio::signal::ctrl_c() => {}
                                _ = term.recv() => {}
                            }
                        }
                        Err(_) => {
                            let _ = tokio::signal::ctrl_c().await;
                        }
                    }
                }
                #[cfg(not(unix))]
                {
                    let _ = tokio::signal::ctrl_c().await;
                }
            });
            flag.store(true, Ordering::SeqCst);
        })
        .map_err(|e| format!("cannot wait for Ctrl+C: {e}"))?;
    Ok(())
}

pub fn run(out: &mut dyn Write, store: &Store, args: LiveArgs) -> Result<ExitCode, String> {
    let title = args.round.trim();
    if title.is_empty() {
        return Err("--round: give the round a title".to_owned());
    }
    let atlas = store.load_atlas().map_err(|e| e.to_string())?;
    let held_on = match args.date.as_deref().map(str::trim) {
        Some(d) => match crate::answer_format::parse_date(d) {
            Some(date) => date,
            None => return Err(format!("--date: {d:?} is not a date (YYYY-MM-DD)")),
        },
        None => jiff::Zoned::now().date().to_string(),
    };
    let (uuid, created) = store.open_or_create_live_round(title, &held_on).map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    stop_on_signal(stop.clone())?;
    let config = LiveConfig { port: args.port.unwrap_or(0), loopback_only: args.loopback_only, ..Default::default() };
    let (live, events) = LiveRound::start(store.path(), &atlas, &uuid, config).map_err(|e| e.to_string())?;
    let io = |e: std::io::Error| e.to_string();
    let before = live.counts().answered;
    let state =
        if created { format!("new round, held on {held_on}") } else { format!("{} answered before", phones(before)) };
    writeln!(out, "Live round \"{}\" ({state})", live.title()).map_err(io)?;
    writeln!(out, "Phones answer at:").map_err(io)?;
    let urls = live.urls();
    for url in &urls {
        writeln!(out, "  {url}").map_err(io)?;
    }
    if live.addresses().iter().all(|a| a.ip().is_loopback()) {
        writeln!(out, "  (no network found: only this machine can open it)").map_err(io)?;
    }
    writeln!(out, "Join code: {}", live.join_code()).map_err(io)?;
    if let Some(url) = urls.first() {
        // Black on white set explicitly on a terminal (it scans on light and dark themes alike); plain blocks when
        // the output goes to a file or a pipe.
        let code =
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) { qr::qr_ansi(url)? } else { qr::qr_text(url)? };
        writeln!(out, "{code}").map_err(io)?;
    }
    for url in live.short_urls() {
        writeln!(out, "Phones that cannot scan: open {url} and type the join code.").map_err(io)?;
    }
    writeln!(out, "Answering is open. Ctrl+C or SIGTERM stops the server.").map_err(io)?;
    out.flush().map_err(io)?;
    while !stop.load(Ordering::SeqCst) {
        let event = match events.recv_timeout(Duration::from_millis(200)) {
            Ok(event) => event,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let line = match event {
            LiveEvent::Joined { joined } => format!("opened the page: {}", phones(joined)),
            LiveEvent::Answered { respondent, previous, answers, joined, answered, .. } => {
                let renamed = match previous {
                    Some(p) if p != respondent => format!(" (was {p})"),
                    _ => String::new(),
                };
                let line = if answers.text.is_some() { ", a line to review" } else { "" };
                format!(
                    "answered: {respondent}{renamed}: {}, {}{line} ({answered} answered, {joined} opened the page)",
                    count(answers.scored(), "score", "scores"),
                    count(answers.ticked(), "tick", "ticks"),
                )
            }
            LiveEvent::Removed { respondent } => format!("removed: {respondent}"),
            LiveEvent::Refused { reason } => format!("refused: {reason}"),
            LiveEvent::Answering { open, .. } => {
                format!("answering {}", if open { "open" } else { "closed" })
            }
        };
        writeln!(out, "{} {line}", now()).map_err(io)?;
        out.flush().map_err(io)?;
    }
    let counts = live.counts();
    live.end();
    writeln!(out, "Stopped: {} answered; the answers are in the round \"{title}\".", phones(counts.answered))
        .map_err(io)?;
    Ok(ExitCode::SUCCESS)
}

/// "1 phone", "3 phones".
fn phones(n: usize) -> String {
    count(n, "phone", "phones")
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}
