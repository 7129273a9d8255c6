//! The command line: `stats`, `query`, `regions`, `survey`, `checklist`, `cities`, `sources`, `findings`,
//! `governance`, `glossary`, `notes`, `check`, `export`, `import`, `answers`, `qda`, `assessment`, `live`; no subcommand opens
//! the desktop window.

pub mod answers;
pub mod assessment;
mod evidence;
pub mod export;
pub mod live;
mod output;
pub mod qda;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::{EvidenceFilter, Facet};
use crate::model::{Atlas, EvidenceKind};
use crate::session::{Load, Session};
use crate::store::Store;
pub use output::Format;
use output::{Table, formats};

#[derive(Debug, Parser)]
#[command(
    name = "integration-atlas",
    version,
    about = "Integration Atlas: the evidence of the OECD study 'Working Together for Local Integration of Migrants \
             and Refugees' (2018), offline.",
    long_about = None
)]
pub struct Cli {
    /// The database file (default: the platform data directory; created on first start).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the window on this view (home).
    #[arg(long, hide = true, value_name = "NAME")]
    pub view: Option<String>,

    /// Render the window, save a PNG screenshot to FILE after it settles, then exit.
    #[arg(long, hide = true, value_name = "FILE")]
    pub screenshot_to: Option<PathBuf>,

    /// Export this story's slides (title or uuid) as 1920×1080 PNG files into the `--to` folder, then exit.
    #[arg(long, hide = true, value_name = "STORY")]
    pub export_story: Option<String>,

    /// The folder for `--export-story`.
    #[arg(long, hide = true, value_name = "DIR")]
    pub to: Option<PathBuf>,

    /// Measure the window and exit: first-frame, idle[:SETTLE[:SECONDS]], paint[:FRAMES] or tour (src/ui/probe.rs).
    #[arg(long, hide = true, value_name = "MODE")]
    pub probe: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Row counts per table and evidence per source tag.
    Stats {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// Challenges or practices, filtered (several values of one option combine with OR, options with AND).
    Query(QueryArgs),
    /// The OECD regional indicators (333 TL2 regions × 7 indicators).
    Regions {
        /// Country: ISO code (AUT) or name (Austria); repeatable.
        #[arg(long)]
        country: Vec<String>,
        /// Indicator code (ShareMig, ChangeShareMig, lengthStay, eduattain, Unemp, PartRate, overQualRate).
        #[arg(long)]
        indicator: Vec<String>,
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// The published figures of the 2017 survey of 72 cities and of later OECD surveys.
    Survey {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// The checklist: 4 blocks and 12 objectives, with how well each title is attested and its sources.
    Checklist {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// The ten case-study cities, or one city's profile (figures, governance, findings, recommendations).
    Cities {
        /// One city: name (Vienna), local name (Wien), code (VIE) or id.
        #[arg(long)]
        city: Option<String>,
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// Every cited source with the records that cite it and the tag of each use.
    Sources {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// The report's own findings, in our words, with their sources and the evidence linked to them.
    Findings {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// Who does what: the countries' levels × policy areas, gaps shown as gaps, challenges between levels and the
    /// co-ordination instruments.
    Governance {
        /// One country: ISO code (AUT), name (Austria) or a case-study city in it (Vienna).
        #[arg(long)]
        country: Option<String>,
        /// md and html: one country's report (with --country), sources listed.
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json", "md", "html"]))]
        format: Format,
    },
    /// Every acronym the evidence uses: what it stands for (or "expansion unknown" where no source we hold says),
    /// what it is, its sources and confidence tag.
    Glossary {
        /// text: one line per term; json: an array of {term, expansion, meaning, sources, confidence, uncertain}.
        #[arg(long, default_value = "text", value_parser = formats(&["text", "json"]))]
        format: Format,
    },
    /// The notes of this database: a table, the CSV export, or the JSON bundle a co-author can import.
    Notes {
        #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
        format: Format,
    },
    /// Integrity and content checks; exits non-zero with a list of problems.
    Check,
    /// Exports: a view's table as CSV/XLSX, a city brief as Markdown, a copy of the database.
    Export(export::ExportArgs),
    /// Check and import a file of survey answers (CSV, XLSX or JSON) as a new round.
    Import(answers::ImportArgs),
    /// Survey answer rounds: list them, export one in the import format, or write the empty template.
    #[command(subcommand)]
    Answers(answers::AnswersCommand),
    /// Exchange with QDA tools (ATLAS.ti, NVivo, MAXQDA, QualCoder, Taguette) through REFI-QDA files.
    #[command(subcommand)]
    Qda(qda::QdaCommand),
    /// Cities' self-assessments against the checklist: list them, or export one as a brief or a workbook.
    #[command(subcommand)]
    Assessment(assessment::AssessmentCommand),
    /// Let the room answer a live round from their phones over the local network (stops on Ctrl+C or SIGTERM).
    Live(live::LiveArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Challenges,
    Practices,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// challenges or practices
    #[arg(value_enum)]
    pub kind: KindArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, default_value = "table", value_parser = formats(&["table", "csv", "json"]))]
    pub format: Format,
}

/// The evidence filters, shared by `query` and `export table` (several values of one option combine with OR,
/// options with AND).
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// City: name (Vienna), local name (Wien), code (VIE) or id.
    #[arg(long)]
    pub city: Vec<String>,
    /// Country: ISO code (AUT) or name (Austria).
    #[arg(long)]
    pub country: Vec<String>,
    /// Gap type: information, policy-coherence, funding, administrative-scale, capacity, objective, accountability.
    #[arg(long)]
    pub gap: Vec<String>,
    /// Level of government, e.g. national, regional/state, municipal, EU.
    #[arg(long)]
    pub level: Vec<String>,
    /// Policy area, e.g. housing, labour, governance.
    #[arg(long)]
    pub area: Vec<String>,
    /// Checklist objective number, 1–12.
    #[arg(long)]
    pub objective: Vec<String>,
    /// Migrant group, e.g. refugees.
    #[arg(long)]
    pub group: Vec<String>,
    /// Full-text search over all text, accent-insensitive ("goteborg" finds Göteborg).
    #[arg(long)]
    pub search: Option<String>,
}

/// Runs a subcommand against the store; prints a one-line error and returns a failure code on bad input.
pub fn run(db: Option<PathBuf>, command: Command) -> ExitCode {
    match run_inner(db, command) {
        Ok(code) => code,
        // A closed pipe (`… | head`) is not an error worth a message.
        Err(message) if message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Full-text hits as record ids for `--search`, or `None` without a search; a search with no searchable words is
/// refused in one line.
fn search_hits(
    session: &Session,
    kinds: &[&str],
    search: Option<&str>,
) -> Result<Option<std::collections::HashSet<String>>, String> {
    match search {
        Some(q) if !q.trim().is_empty() => match session.search_ids(kinds, q)? {
            Some(hits) => Ok(Some(hits)),
            None => Err(format!("--search {q:?}: no searchable words in it")),
        },
        _ => Ok(None),
    }
}

fn open(db: Option<PathBuf>) -> Result<Store, String> {
    match db {
        Some(path) => Store::open(&path),
        None => Store::open_default(),
    }
    .map_err(|e| e.to_string())
}

fn run_inner(db: Option<PathBuf>, command: Command) -> Result<ExitCode, String> {
    let store = open(db)?;
    let mut out = std::io::stdout().lock();
    match command {
        Command::Stats { format } => output::stats(&mut out, &store, format)?,
        Command::Check => {
            let problems = store.check().map_err(|e| e.to_string())?;
            if problems.is_empty() {
                println!("check: ok ({})", store.path().display());
            } else {
                println!("check: {} problem(s) in {}", problems.len(), store.path().display());
                for p in &problems {
                    println!("  {p}");
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Query(args) => {
            // The evidence as the window shows it: the authors' own records among the shipped ones.
            let session = Session::load(store, Load::Evidence).map_err(|e| e.to_string())?;
            let atlas = &session.atlas;
            let (filter, kind) = build_filter(atlas, args.kind, &args.filter)?;
            let hits = search_hits(&session, &[kind.as_str()], args.filter.search.as_deref())?;
            let rows: Vec<_> =
                filter.apply(&atlas.evidence, hits.as_ref()).into_iter().map(|i| &atlas.evidence[i]).collect();
            output::evidence(&mut out, &rows, args.format)?;
        }
        Command::Regions { country, indicator, format } => {
            let atlas = store.load_atlas().map_err(|e| e.to_string())?;
            let countries = resolve_countries(&atlas, &country)?;
            for code in &indicator {
                if atlas.indicator(code).is_none() {
                    let known: Vec<_> = atlas.indicators.iter().map(|i| i.code.as_str()).collect();
                    return Err(format!("--indicator {code:?}: unknown; one of {}", known.join(", ")));
                }
            }
            output::regions(&mut out, &atlas, &countries, &indicator, format)?;
        }
        Command::Survey { format } => {
            let atlas = store.load_atlas().map_err(|e| e.to_string())?;
            output::survey(&mut out, &atlas, format)?;
        }
        Command::Checklist { format } => evidence::checklist(&mut out, &store, format)?,
        Command::Cities { city, format } => evidence::cities(&mut out, &store, city.as_deref(), format)?,
        Command::Sources { format } => evidence::sources(&mut out, &store, format)?,
        Command::Findings { format } => evidence::findings(&mut out, &store, format)?,
        Command::Governance { country, format } => evidence::governance(&mut out, &store, country.as_deref(), format)?,
        Command::Glossary { format } => evidence::glossary(&mut out, &store, format)?,
        Command::Notes { format } => evidence::notes(&mut out, &store, format)?,
        Command::Export(args) => {
            let mut session = Session::load(store, Load::Evidence).map_err(|e| e.to_string())?;
            export::run(&mut out, &mut session, args)?
        }
        Command::Import(args) => return answers::import(&mut out, &store, args),
        Command::Answers(command) => return answers::run(&mut out, &store, command),
        Command::Qda(command) => return qda::run(&mut out, &store, command),
        Command::Assessment(command) => return assessment::run(&mut out, &store, command),
        Command::Live(args) => return live::run(&mut out, &store, args),
    }
    Ok(ExitCode::SUCCESS)
}

fn fold_eq(a: &str, b: &str) -> bool {
    crate::text::fold(a.trim()) == crate::text::fold(b.trim())
}

fn resolve_countries(atlas: &Atlas, inputs: &[String]) -> Result<Vec<String>, String> {
    inputs
        .iter()
        .map(|input| {
            atlas
                .regions
                .iter()
                .find(|r| fold_eq(&r.country, input) || fold_eq(&r.country_name, input))
                .map(|r| r.country.clone())
                .ok_or_else(|| format!("--country {input:?}: not one of the 29 countries of the regional data"))
        })
        .collect()
}

/// Finds a case-study city by id, name, code or local name, accent-insensitively.
fn find_city<'a>(atlas: &'a Atlas, input: &str) -> Result<&'a crate::model::City, String> {
    atlas
        .cities
        .iter()
        .find(|c| {
            fold_eq(&c.id, input)
                || fold_eq(&c.name, input)
                || fold_eq(&c.code, input)
                || c.local_names.iter().any(|n| fold_eq(n, input))
        })
        .ok_or_else(|| {
            let names: Vec<_> = atlas.cities.iter().map(|c| c.name.as_str()).collect();
            format!("--city {input:?}: not a case-study city; one of {}", names.join(", "))
        })
}

/// Turns the filter options into a filter, resolving names to canonical values and refusing unknown ones.
fn build_filter(atlas: &Atlas, kind: KindArg, args: &FilterArgs) -> Result<(EvidenceFilter, EvidenceKind), String> {
    let kind = match kind {
        KindArg::Challenges => EvidenceKind::Challenge,
        KindArg::Practices => EvidenceKind::Practice,
    };
    let mut filter = EvidenceFilter::default();
    filter.add(Facet::Kind, kind.as_str());
    for input in &args.city {
        let city = find_city(atlas, input)?;
        filter.add(Facet::City, &city.id);
    }
    for input in &args.country {
        let city = atlas
            .cities
            .iter()
            .find(|c| fold_eq(&c.country, input) || fold_eq(&c.country_name, input))
            .ok_or_else(|| format!("--country {input:?}: no case-study city in that country"))?;
        filter.add(Facet::Country, &city.country);
    }
    let known = |facet: Facet| -> Vec<String> {
        let mut values: Vec<String> = atlas.evidence.iter().flat_map(|e| facet.values(e)).collect();
        values.sort();
        values.dedup();
        values
    };
    let lists = [
        (Facet::Gap, "--gap", &args.gap),
        (Facet::Level, "--level", &args.level),
        (Facet::Area, "--area", &args.area),
        (Facet::Group, "--group", &args.group),
    ];
    for (facet, flag, inputs) in lists {
        if inputs.is_empty() {
            continue;
        }
        let values = known(facet);
        for input in inputs {
            let value = values.iter().find(|v| fold_eq(v, input)).ok_or_else(|| {
                let shown: Vec<_> = values.iter().take(20).map(String::as_str).collect();
                let more = if values.len() > 20 { ", …" } else { "" };
                format!("{flag} {input:?}: no record has that value; known: {}{more}", shown.join(", "))
            })?;
            filter.add(facet, value);
        }
    }
    for input in &args.objective {
        match input.trim().parse::<i64>() {
            Ok(n) if (1..=12).contains(&n) => filter.add(Facet::Objective, &n.to_string()),
            _ => return Err(format!("--objective {input:?}: a checklist objective is a number from 1 to 12")),
        }
    }
    Ok((filter, kind))
}

impl Table {
    /// Rows of cells with a header, for the table, CSV and JSON printers.
    pub fn new(header: &[&str]) -> Self {
        Self { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }
}
