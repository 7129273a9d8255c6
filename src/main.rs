use std::process::ExitCode;

use clap::Parser;
use integration_atlas::cli::{self, Cli};
use integration_atlas::ui;

fn main() -> ExitCode {
    ui::headless::probe::mark_start();
    let args = Cli::parse();
    if let (None, Some(probe)) = (&args.command, &args.probe)
        && let Err(message) = ui::headless::probe::install(probe)
    {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    match args.command {
        Some(command) => cli::run(args.db, command),
        None => ui::run(ui::Launch {
            db: args.db,
            view: args.view,
            screenshot_to: args.screenshot_to,
            export_story: args.export_story.map(|story| (story, args.to.unwrap_or_else(|| ".".into()))),
        }),
    }
}
