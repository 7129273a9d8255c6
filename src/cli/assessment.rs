//! `assessment list`: every city's self-assessments; `assessment export`: one as a Markdown or HTML brief, an XLSX
//! workbook or a CSV of the scores.
//!
//! ```text
//! integration-atlas assessment list [--format table|csv|json]
//! integration-atlas assessment export --city Vienna [--date 2026-03-01] --out vienna.md|.html|.xlsx|.csv
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::output::{Format, Table};
use crate::analysis::assessment::{self as analysis, mean_score, same_city};
use crate::export::{self, assessment as brief};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AssessmentCommand {
    /// Every self-assessment: city, date, assessor, mean score, objectives scored, weak objectives, source.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One assessment as a brief (.md, .html), a workbook (.xlsx) or its scores (.csv).
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The assessed city, as named in `assessment list` (case-study cities also by local name or code).
    #[arg(long)]
    pub city: String,
    /// The assessment's date, YYYY-MM-DD (default: the city's latest).
    #[arg(long)]
    pub date: Option<String>,
    /// The file to write: .md, .html, .xlsx or .csv ("-" prints the Markdown brief).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Today's date on this computer (for overdue and stalled actions).
fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

pub fn run(out: &mut impl Write, store: &Store, command: AssessmentCommand) -> Result<ExitCode, String> {
    let mut atlas = store.load_atlas().map_err(|e| e.to_string())?;
    let assessments = store.assessments().map_err(|e| e.to_string())?;
    match command {
        AssessmentCommand::List { format } => {
            let mut table = Table::new(&[
                "city",
                "country",
                "date",
                "assessor",
                "mean score",
                "scored",
                "weak objectives",
                "source",
                "uuid",
            ]);
            let mut live: Vec<_> = assessments.iter().filter(|a| a.deleted_at.is_none()).collect();
            live.sort_by(|a, b| {
                crate::text::fold(&a.city).cmp(&crate::text::fold(&b.city)).then(a.assessed_on.cmp(&b.assessed_on))
            });
            for a in live {
                let weak: Vec<String> = a
                    .scores
                    .iter()
                    .filter(|s| s.score.is_some_and(|v| v <= analysis::WEAK_SCORE))
                    .map(|s| s.objective.to_string())
                    .collect();
                let row = vec![
                    a.city.clone(),
                    analysis::city_country(&atlas, a).unwrap_or_default(),
                    a.assessed_on.clone(),
                    a.assessor.clone(),
                    mean_score(a).map_or_else(String::new, |m| format!("{m:.1}")),
                    a.scores.iter().filter(|s| s.score.is_some()).count().to_string(),
                    weak.join(" "),
                    if a.round_uuid.is_some() { "workshop round".to_owned() } else { "entered".to_owned() },
                    a.uuid.clone(),
                ];
                let row = if format == Format::Csv {
                    row.iter().map(|c| brief::csv_safe(c)).collect::<Vec<String>>()
                } else {
                    row
                };
                table.rows.push(row);
            }
            if table.rows.is_empty() && format == Format::Table {
                writeln!(out, "no assessments: none has been entered or adopted from a workshop round")
                    .map_err(|e| e.to_string())?;
                return Ok(ExitCode::SUCCESS);
            }
            table.print(out, format)?;
        }
        AssessmentCommand::Export(args) => {
            let ext = if args.out.as_os_str() == "-" {
                "-".to_owned()
            } else {
                args.out.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
            };
            if !["md", "html", "htm", "xlsx", "csv", "-"].contains(&ext.as_str()) {
                return Err(format!("{}: the name must end in .md, .html, .xlsx or .csv", args.out.display()));
            }
            if let Some(d) = &args.date
                && !crate::store::assessments::is_date(d)
            {
                return Err(format!("--date {d:?}: a date is written YYYY-MM-DD"));
            }
            let of_city: Vec<_> = assessments
                .iter()
                .filter(|a| a.deleted_at.is_none() && same_city(&atlas, &a.city, &args.city))
                .collect();
            if of_city.is_empty() {
                let mut names: Vec<String> =
                    analysis::latest_by_city(&atlas, &assessments).iter().map(|a| a.city.clone()).collect();
                names.dedup();
                let known = if names.is_empty() {
                    "none is assessed yet".to_owned()
                } else {
                    format!("assessed: {}", names.join(", "))
                };
                return Err(format!("--city {:?}: no assessment of that city; {known}", args.city));
            }
            let chosen = match &args.date {
                Some(d) => of_city
                    .iter()
                    .filter(|a| &a.assessed_on == d)
                    .max_by(|a, b| a.created_at.cmp(&b.created_at))
                    .ok_or_else(|| {
                        let dates: Vec<&str> = of_city.iter().map(|a| a.assessed_on.as_str()).collect();
                        format!(
                            "--date {d}: {} was not assessed that day; its assessments: {}",
                            of_city[0].city,
                            dates.join(", ")
                        )
                    })?,
                None => of_city
                    .iter()
                    .max_by(|a, b| {
                        (a.assessed_on.as_str(), a.created_at.as_str())
                            .cmp(&(b.assessed_on.as_str(), b.created_at.as_str()))
                    })
                    .ok_or_else(|| "no assessment".to_owned())?,
            };
            atlas = crate::session::evidence_with_own(store).map_err(|e| e.to_string())?.0;
            let indicators = store.city_indicators().map_err(|e| e.to_string())?;
            let actions = store.city_actions().map_err(|e| e.to_string())?;
            let catalogue = crate::answers::catalogue(&atlas);
            let answers = store.load_answers(&catalogue).map_err(|e| e.to_string())?;
            let report = analysis::report(
                &atlas,
                &atlas.evidence,
                &assessments,
                &indicators,
                &actions,
                Some(&answers),
                &chosen.uuid,
                &today(),
            )
            .ok_or_else(|| "the assessment could not be read".to_owned())?;
            let written = match ext.as_str() {
                "-" => {
                    write!(out, "{}", brief::markdown(&atlas, &report)).map_err(|e| e.to_string())?;
                    return Ok(ExitCode::SUCCESS);
                }
                "md" => export::write_atomically(&args.out, brief::markdown(&atlas, &report).as_bytes()),
                "html" | "htm" => export::write_atomically(&args.out, brief::html(&atlas, &report).as_bytes()),
                "csv" => export::write_atomically(&args.out, brief::scores_csv(&atlas, &report).as_bytes()),
                _ => export::write_xlsx(&args.out, &brief::tables(&atlas, &report)),
            };
            written.map_err(|e| e.to_string())?;
            writeln!(
                out,
                "assessment of {} on {} written to {}",
                report.assessment.city,
                report.assessment.assessed_on,
                args.out.display()
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
