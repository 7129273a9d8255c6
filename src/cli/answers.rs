//! `import FILE`: check and import survey answers; `answers`: list rounds, export a round, write the template.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::answers::{self, FileFormat};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The answer file: .csv, .xlsx or .json (see `answers template`).
    pub file: PathBuf,
    /// Import the valid rows even when some rows have problems (they are listed and skipped).
    #[arg(long)]
    pub valid_only: bool,
    /// Add cities the database does not know instead of skipping their rows.
    #[arg(long)]
    pub add_cities: bool,
    /// Only check the file; write nothing.
    #[arg(long)]
    pub check: bool,
    /// The round's title (default: the file's round title, else its name).
    #[arg(long)]
    pub title: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AnswersCommand {
    /// List the rounds in the database.
    Rounds,
    /// Write one round in the import format (the format follows the extension: .csv, .xlsx, .json).
    Export {
        /// Round title or uuid.
        #[arg(long)]
        round: String,
        out: PathBuf,
    },
    /// Write the empty answer template with every known question.
    Template { out: PathBuf },
}

fn format_of(path: &std::path::Path) -> Result<FileFormat, String> {
    FileFormat::from_path(path).ok_or_else(|| format!("{}: the name must end in .csv, .xlsx or .json", path.display()))
}

pub fn import(out: &mut impl Write, store: &Store, args: ImportArgs) -> Result<ExitCode, String> {
    let atlas = store.load_atlas().map_err(|e| e.to_string())?;
    let catalogue = answers::catalogue(&atlas);
    let known = store.known_city_names().map_err(|e| e.to_string())?;
    let mut plan = answers::plan_import(&args.file, &catalogue, &known).map_err(|e| e.to_string())?;
    if let Some(title) = args.title {
        plan.title = title;
    }
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(|e| e.to_string());
    w(out, plan.summary_for(args.add_cities))?;
    for issue in &plan.issues {
        // With --add-cities an unknown city is not a problem: the summary names the cities that will be added.
        if args.add_cities && issue.unknown_city {
            continue;
        }
        w(out, format!("  {issue}"))?;
    }
    if plan.issues_left_out > 0 {
        w(out, format!("  … and {} more problems, not listed", plan.issues_left_out))?;
    }
    let blocking = plan.hard_issues().count() + if args.add_cities { 0 } else { plan.unknown_cities.len() };
    if args.check {
        return Ok(if blocking == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    if blocking > 0 && !args.valid_only {
        w(
            out,
            format!(
                "nothing imported: fix the rows above, or use --valid-only{}",
                if plan.unknown_cities.is_empty() { "" } else { " (and --add-cities to add the unknown cities)" }
            ),
        )?;
        return Ok(ExitCode::from(1));
    }
    if plan.importable_count(args.add_cities) == 0 {
        w(out, "nothing imported: no valid rows".to_owned())?;
        return Ok(ExitCode::from(1));
    }
    let outcome = store
        .import_answers(&plan, args.add_cities, &mut |_, _| true)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "the import was cancelled".to_owned())?;
    w(out, outcome.summary(&plan.file))?;
    if args.add_cities && outcome.cities_added > 0 {
        w(out, format!("  cities added: {}", plan.new_cities()))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(out: &mut impl Write, store: &Store, command: AnswersCommand) -> Result<ExitCode, String> {
    let atlas = store.load_atlas().map_err(|e| e.to_string())?;
    let catalogue = answers::catalogue(&atlas);
    match command {
        AnswersCommand::Template { out: path } => {
            answers::write::write_template(&catalogue, &path, format_of(&path)?)?;
            writeln!(out, "answer template written to {}", path.display()).map_err(|e| e.to_string())?;
        }
        AnswersCommand::Rounds => {
            let set = store.load_answers(&catalogue).map_err(|e| e.to_string())?;
            if set.rounds.is_empty() {
                writeln!(out, "no rounds: no answers have been imported or entered").map_err(|e| e.to_string())?;
            }
            for (i, r) in set.rounds.iter().enumerate() {
                let respondents = set.respondents.iter().filter(|x| x.round == i).count();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{} respondents",
                    r.uuid,
                    r.kind,
                    r.held_on.as_deref().unwrap_or("-"),
                    r.title,
                    respondents
                )
                .map_err(|e| e.to_string())?;
            }
        }
        AnswersCommand::Export { round, out: path } => {
            let set = store.load_answers(&catalogue).map_err(|e| e.to_string())?;
            let matches: Vec<usize> = (0..set.rounds.len())
                .filter(|i| set.rounds[*i].uuid == round || set.rounds[*i].title == round)
                .collect();
            let index = match matches.as_slice() {
                [one] => *one,
                [] => return Err(format!("--round {round:?}: no such round (see `answers rounds`)")),
                _ => return Err(format!("--round {round:?}: several rounds have that title; give the uuid")),
            };
            let n = answers::write::write_round(&set, index, &path, format_of(&path)?)?;
            writeln!(out, "{n} answers written to {}", path.display()).map_err(|e| e.to_string())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
