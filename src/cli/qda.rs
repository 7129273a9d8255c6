//! `integration-atlas qda export|import`: exchange with QDA tools through REFI-QDA (`.qdc` codebooks, `.qdpx`
//! projects). A file that cannot be read or written gets one line on stderr and exit code 1; nothing is written.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum QdaCommand {
    /// Export the codebook (FILE.qdc) or the whole project (FILE.qdpx: records as text sources, codes, coded
    /// passages, notes, own records) in REFI-QDA 1.5.
    Export {
        /// The file to write; its extension (.qdpx or .qdc) chooses what is written.
        file: PathBuf,
        /// The exporting user's name (default: the author set in the app, else "unknown").
        #[arg(long)]
        author: Option<String>,
    },
    /// Import a REFI-QDA codebook (.qdc) or project (.qdpx) from any QDA tool: codes merge by GUID then by name;
    /// codings and notes on this atlas' records come in; everything in one transaction.
    Import {
        file: PathBuf,
        /// Only check the file and say what would be imported; write nothing.
        #[arg(long)]
        check: bool,
    },
}

pub fn run(out: &mut impl Write, store: &Store, command: QdaCommand) -> Result<ExitCode, String> {
    let io = |e: std::io::Error| e.to_string();
    match command {
        QdaCommand::Export { file, author } => {
            let author = match author.filter(|a| !a.trim().is_empty()) {
                Some(a) => a.trim().to_owned(),
                None => store.setting("author").map_err(|e| e.to_string())?.unwrap_or_else(|| "unknown".to_owned()),
            };
            match crate::qda::export_file(store, &file, &author) {
                Ok(line) => writeln!(out, "{line}").map_err(io)?,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
        QdaCommand::Import { file, check } => match crate::qda::import_file(store, &file, check) {
            Ok((summary, plan)) => {
                let verb = if check { "would import" } else { "imported" };
                writeln!(out, "{}: {verb}: {summary}", file.display()).map_err(io)?;
                for s in &plan.skipped {
                    writeln!(out, "  skipped: {s}").map_err(io)?;
                }
                for f in &plan.foreign_sources {
                    writeln!(
                        out,
                        "  not in this atlas: {:?} ({} coded passages; can be added as an own record in the window)",
                        f.name, f.codings
                    )
                    .map_err(io)?;
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(ExitCode::from(1));
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
