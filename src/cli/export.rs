//! `export`: the app's exports for scripting — a view's table as CSV or XLSX, a city brief as Markdown, HTML or
//! tagged PDF, a copy of the database.
//!
//! ```text
//! integration-atlas export table explorer --out rows.xlsx --gap funding --city Vienna
//! integration-atlas export table regions --indicator Unemp --country Austria --out regions.csv
//! integration-atlas export table checklist|survey --out FILE
//! integration-atlas export table city --city Vienna --out vienna.xlsx
//! integration-atlas export table compare --city Vienna --city Athens --out pair.xlsx
//! integration-atlas export table governance --country Austria --out austria.xlsx
//! integration-atlas export brief --city vienna --out vienna.md        (--out - prints it)
//! integration-atlas export brief --city vienna --out vienna.pdf --paper letter   (.html: a web page; A4 default)
//! integration-atlas export db-copy /backups/atlas-copy.sqlite
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use super::output::{Format, formats};
use super::{FilterArgs, KindArg, build_filter, find_city, resolve_countries};
use crate::analysis::{Facet, Sort};
use crate::export::{self, Table, tables};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A view's table as CSV or XLSX (XLSX: every table of the view as a sheet, charted ones with a native chart).
    Table(TableArgs),
    /// A city brief: figures, findings, challenges, practices, notes, sources with confidence tags; Markdown, HTML
    /// (.html, .htm) or tagged PDF (.pdf), by the file's extension.
    Brief {
        /// City: name (Vienna), local name (Wien), code (VIE) or id.
        #[arg(long)]
        city: String,
        /// The file to write: .md (or any other extension), .html or .pdf ("-" prints Markdown).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The PDF's paper size: a4 (default) or letter.
        #[arg(long, value_enum, default_value = "a4")]
        paper: PaperArg,
    },
    /// A consistent copy of the whole database (SQLite online backup; safe while the app runs).
    DbCopy {
        /// The new file (replaced only once the copy is whole and checked).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// The paper of a PDF export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

impl From<PaperArg> for export::doc::Paper {
    fn from(p: PaperArg) -> Self {
        match p {
            PaperArg::A4 => Self::A4,
            PaperArg::Letter => Self::Letter,
        }
    }
}

/// The views whose tables can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableView {
    /// The explorer's records (filtered like `query`) and its four chart series.
    Explorer,
    /// One indicator's regions (scatter) and the case-study regions (bars).
    Regions,
    /// The checklist matrix: cities × objectives.
    Checklist,
    /// One city profile: key figures, records, its region.
    City,
    /// Two cities side by side (give --city twice).
    Compare,
    /// The published survey figures.
    Survey,
    /// One country's who does what: the grid, the challenges between levels, the instruments (give --country).
    Governance,
}

#[derive(Debug, Args)]
pub struct TableArgs {
    #[arg(value_enum)]
    pub view: TableView,
    /// The file to write ("-" prints CSV).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// csv (the view's main table) or xlsx (all its tables, with charts); default: from the file's extension.
    #[arg(long, value_parser = formats(&["csv", "xlsx"]))]
    pub format: Option<Format>,
    /// explorer: challenges or practices (default both).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// The explorer's filters, as in `query` (city and compare take --city; regions takes --country).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// regions: indicator code (default Unemp).
    #[arg(long)]
    pub indicator: Option<String>,
}

pub fn run(out: &mut dyn Write, session: &mut Session, args: ExportArgs) -> Result<(), String> {
    match args.what {
        ExportCommand::Table(args) => table(out, session, args),
        ExportCommand::Brief { city, out: path, paper } => brief(out, session, &city, &path, paper),
        ExportCommand::DbCopy { file } => {
            session.save_copy(&file)?;
            writeln!(out, "database copied: {} -> {}", session.path().display(), file.display())
                .map_err(|e| e.to_string())
        }
    }
}

/// Refuses options that do not apply to the chosen view, so a typo'd command does not export the wrong thing.
/// The city brief in the format the file's extension names (Markdown by default).
fn brief(out: &mut dyn Write, session: &Session, city: &str, path: &Path, paper: PaperArg) -> Result<(), String> {
    let (atlas, ws) = (&session.atlas, &session.workspace);
    let city = find_city(atlas, city)?;
    let date = jiff::Zoned::now().date().to_string();
    let doc = export::brief::document(atlas, ws, &city.id, &date)
        .ok_or_else(|| format!("--city {:?}: no profile", city.name))?;
    if path.as_os_str() == "-" {
        let text = export::doc::markdown(&doc);
        return out.write_all(text.as_bytes()).map_err(|e| format!("cannot write the output: {e}"));
    }
    let bytes = match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("pdf") => export::doc::pdf(&doc, paper.into())?,
        Some("html" | "htm") => export::doc::html(&doc).into_bytes(),
        _ => export::doc::markdown(&doc).into_bytes(),
    };
    export::write_atomically(path, &bytes).map_err(|e| e.to_string())?;
    writeln!(out, "brief of {}: {}", city.name, path.display()).map_err(|e| e.to_string())
}

fn check_options(args: &TableArgs) -> Result<(), String> {
    let view = format!("{:?}", args.view).to_lowercase();
    let f = &args.filter;
    let used = [
        ("--kind", args.kind.is_some(), &[TableView::Explorer][..]),
        ("--city", !f.city.is_empty(), &[TableView::Explorer, TableView::City, TableView::Compare][..]),
        ("--country", !f.country.is_empty(), &[TableView::Explorer, TableView::Regions, TableView::Governance][..]),
        ("--gap", !f.gap.is_empty(), &[TableView::Explorer][..]),
        ("--level", !f.level.is_empty(), &[TableView::Explorer][..]),
        ("--area", !f.area.is_empty(), &[TableView::Explorer][..]),
        ("--objective", !f.objective.is_empty(), &[TableView::Explorer][..]),
        ("--group", !f.group.is_empty(), &[TableView::Explorer][..]),
        ("--search", f.search.is_some(), &[TableView::Explorer][..]),
        ("--indicator", args.indicator.is_some(), &[TableView::Regions][..]),
    ];
    for (flag, given, views) in used {
        if given && !views.contains(&args.view) {
            return Err(format!("{flag} does not apply to `export table {view}`"));
        }
    }
    Ok(())
}

fn format_of(args: &TableArgs) -> Result<Format, String> {
    if let Some(f) = args.format {
        return Ok(f);
    }
    if args.out.as_os_str() == "-" {
        return Ok(Format::Csv);
    }
    match args.out.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("xlsx") => Ok(Format::Xlsx),
        Some("csv") => Ok(Format::Csv),
        _ => Err(format!("{}: say --format csv or --format xlsx (or name the file .csv or .xlsx)", args.out.display())),
    }
}

fn table(out: &mut dyn Write, session: &Session, args: TableArgs) -> Result<(), String> {
    check_options(&args)?;
    let format = format_of(&args)?;
    if format == Format::Xlsx && args.out.as_os_str() == "-" {
        return Err("--out -: an XLSX workbook cannot be printed; give a file".to_owned());
    }
    let (atlas, ws) = (&session.atlas, &session.workspace);
    let sheets: Vec<Table> = match args.view {
        TableView::Explorer => explorer(session, &args)?,
        TableView::Regions => {
            let indicator = args.indicator.clone().unwrap_or_else(|| "Unemp".to_owned());
            if atlas.indicator(&indicator).is_none() {
                let known: Vec<_> = atlas.indicators.iter().map(|i| i.code.as_str()).collect();
                return Err(format!("--indicator {indicator:?}: unknown; one of {}", known.join(", ")));
            }
            let countries = resolve_countries(atlas, &args.filter.country)?;
            let order: Vec<usize> = if countries.is_empty() {
                tables::region_order(atlas, &indicator, "")
            } else {
                countries.iter().flat_map(|c| tables::region_order(atlas, &indicator, c)).collect()
            };
            tables::regions(atlas, &indicator, &order)
        }
        TableView::Checklist => {
            let matrix = crate::analysis::checklist::matrix(&atlas.evidence, &atlas.cities);
            vec![tables::checklist(atlas, &matrix)]
        }
        TableView::City => match args.filter.city.as_slice() {
            [one] => tables::city_profile(atlas, Some(ws), find_city(atlas, one)?),
            _ => return Err("export table city: give one --city".to_owned()),
        },
        TableView::Compare => match args.filter.city.as_slice() {
            [a, b] => tables::city_compare(atlas, find_city(atlas, a)?, find_city(atlas, b)?),
            _ => return Err("export table compare: give --city twice".to_owned()),
        },
        TableView::Survey => vec![tables::survey_figures(atlas)],
        TableView::Governance => match args.filter.country.as_slice() {
            [one] => {
                let iso = crate::analysis::governance::find_country(atlas, one).ok_or_else(|| {
                    let known: Vec<String> = crate::analysis::governance::countries(atlas)
                        .into_iter()
                        .map(|(iso, name)| format!("{iso} ({name})"))
                        .collect();
                    format!("--country {one:?}: no who-does-what entries for it; one of {}", known.join(", "))
                })?;
                tables::governance(atlas, &iso)
            }
            _ => return Err("export table governance: give one --country".to_owned()),
        },
    };
    let Some(main) = sheets.first() else { return Err("nothing to export".to_owned()) };
    let rows = main.rows.len();
    if args.out.as_os_str() == "-" {
        return out.write_all(export::csv_string(main).as_bytes()).map_err(|e| format!("cannot write the output: {e}"));
    }
    match format {
        Format::Csv => {
            export::write_csv(&args.out, main).map_err(|e| e.to_string())?;
            writeln!(out, "{rows} rows of {:?}: {} (csv)", main.title, args.out.display()).map_err(|e| e.to_string())
        }
        _ => {
            export::write_xlsx(&args.out, &sheets).map_err(|e| e.to_string())?;
            let charts = sheets.iter().filter(|t| t.chart.is_some() && !t.rows.is_empty()).count();
            writeln!(
                out,
                "{rows} rows of {:?}: {} (xlsx, {} sheet(s), {charts} chart(s))",
                main.title,
                args.out.display(),
                sheets.len()
            )
            .map_err(|e| e.to_string())
        }
    }
}

fn explorer(session: &Session, args: &TableArgs) -> Result<Vec<Table>, String> {
    let (atlas, ws) = (&session.atlas, &session.workspace);
    let (mut filter, kind) = build_filter(atlas, args.kind.unwrap_or(KindArg::Challenges), &args.filter)?;
    let kinds: Vec<&str> = if args.kind.is_some() {
        vec![kind.as_str()]
    } else {
        filter.toggle(Facet::Kind, kind.as_str());
        vec!["challenge", "practice"]
    };
    let hits = super::search_hits(session, &kinds, args.filter.search.as_deref())?;
    let cities: Vec<(String, String)> = atlas.cities.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    let results = crate::analysis::explorer::compute(&atlas.evidence, &cities, &filter, Sort::default(), hits.as_ref());
    Ok(tables::explorer(atlas, Some(ws), &results))
}
