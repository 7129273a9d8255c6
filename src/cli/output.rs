//! Printing: aligned text tables, CSV and JSON.

use std::io::Write;

use clap::ValueEnum;

use crate::dataset::tag_label;
use crate::model::{Atlas, Evidence};
use crate::store::Store;

/// The one output format of every command; each command accepts the subset it can write (see [`formats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned text table for reading in a terminal.
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// JSON.
    Json,
    /// An Excel workbook (only `export table`, to a file).
    Xlsx,
    /// A report in Markdown (only `governance --country`).
    Md,
    /// A report as one HTML page (only `governance --country`).
    Html,
    /// Plain text, one line per record (only `glossary`).
    Text,
}

/// A clap parser that accepts only the listed formats of [`Format`], so `--help` and errors name exactly those.
pub fn formats(allowed: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed)
        .map(|s| <Format as ValueEnum>::from_str(&s, true).unwrap_or(Format::Table))
}

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

const MAX_CELL: usize = 48;

pub fn io(err: std::io::Error) -> String {
    format!("cannot write the output: {err}")
}

impl Table {
    pub fn print(&self, out: &mut dyn Write, format: Format) -> Result<(), String> {
        match format {
            // Reports are written from their documents, never as a bare table: a plain table is the honest fallback.
            Format::Table | Format::Md | Format::Html | Format::Text => {
                let clip = |s: &str| -> String {
                    if s.chars().count() > MAX_CELL {
                        let mut c: String = s.chars().take(MAX_CELL - 1).collect();
                        c.push('…');
                        c
                    } else {
                        s.to_owned()
                    }
                };
                let cells: Vec<Vec<String>> = std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|r| r.iter().map(|c| clip(c)).collect())
                    .collect();
                let widths: Vec<usize> = (0..self.header.len())
                    .map(|i| cells.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0))
                    .collect();
                for (n, row) in cells.iter().enumerate() {
                    let line: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}", w = *w)).collect();
                    writeln!(out, "{}", line.join("  ").trim_end()).map_err(io)?;
                    if n == 0 {
                        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
                        writeln!(out, "{}", rule.join("  ")).map_err(io)?;
                    }
                }
                writeln!(out, "({} rows)", self.rows.len()).map_err(io)?;
            }
            Format::Csv | Format::Xlsx => {
                let mut w = csv::Writer::from_writer(out);
                let safe = |cells: &[String]| -> Vec<String> {
                    cells.iter().map(|c| crate::input::csv_cell(c).into_owned()).collect()
                };
                w.write_record(safe(&self.header)).map_err(|e| e.to_string())?;
                for row in &self.rows {
                    w.write_record(safe(row)).map_err(|e| e.to_string())?;
                }
                w.flush().map_err(io)?;
            }
            Format::Json => {
                let objects: Vec<serde_json::Map<String, serde_json::Value>> = self
                    .rows
                    .iter()
                    .map(|row| {
                        self.header
                            .iter()
                            .cloned()
                            .zip(row.iter().map(|c| serde_json::Value::String(c.clone())))
                            .collect()
                    })
                    .collect();
                let text = serde_json::to_string_pretty(&objects).map_err(|e| e.to_string())?;
                writeln!(out, "{text}").map_err(io)?;
            }
        }
        Ok(())
    }
}

pub fn stats(out: &mut dyn Write, store: &Store, format: Format) -> Result<(), String> {
    let counts = store.counts().map_err(|e| e.to_string())?;
    if format == Format::Json {
        let text = serde_json::to_string_pretty(&counts).map_err(|e| e.to_string())?;
        return writeln!(out, "{text}").map_err(io);
    }
    if format == Format::Table {
        writeln!(out, "database: {}", store.path().display()).map_err(io)?;
        for t in &counts.by_tag {
            let plural = if t.kind == "challenge" { "challenges" } else { "practices" };
            writeln!(
                out,
                "{plural} {}, of which {} rest on OECD text, {} on OECD reported by a third party, {} on other OECD \
                 publications, {} on external context only",
                t.total, t.oecd, t.oecd_via, t.oecd_other, t.external
            )
            .map_err(io)?;
        }
        writeln!(out).map_err(io)?;
    }
    let mut table = Table::new(&["table", "rows"]);
    for (name, n) in &counts.tables {
        table.rows.push(vec![name.clone(), n.to_string()]);
    }
    table.print(out, format)
}

pub fn evidence(out: &mut dyn Write, rows: &[&Evidence], format: Format) -> Result<(), String> {
    if format == Format::Json {
        let text = serde_json::to_string_pretty(rows).map_err(|e| e.to_string())?;
        return writeln!(out, "{text}").map_err(io);
    }
    let mut header = vec!["id", "city", "title", "gap", "levels", "areas", "objective", "source tag"];
    if format == Format::Csv {
        header.extend([
            "description",
            "migrant groups",
            "objective basis",
            "year started",
            "instrument",
            "sources",
            "uncertain",
        ]);
    }
    let mut table = Table::new(&header);
    for e in rows {
        let mut row = vec![
            e.id.clone(),
            e.city_name.clone(),
            e.title.clone(),
            e.gap_type.clone(),
            e.levels.join("; "),
            e.policy_areas.join("; "),
            e.objective.map(|o| o.to_string()).unwrap_or_default(),
            e.confidence.clone(),
        ];
        if format == Format::Csv {
            row.extend([
                e.description.clone(),
                e.migrant_groups.join("; "),
                e.objective_basis.clone().unwrap_or_default(),
                e.year_started.clone().unwrap_or_default(),
                e.instrument_kind.clone().unwrap_or_default(),
                e.sources.iter().map(|s| format!("{} [{}]", s.url, s.tag)).collect::<Vec<_>>().join(" ; "),
                e.uncertain.join(" | "),
            ]);
        }
        table.rows.push(row);
    }
    table.print(out, format)
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "n/a".to_owned())
}

pub fn regions(
    out: &mut dyn Write,
    atlas: &Atlas,
    countries: &[String],
    indicators: &[String],
    format: Format,
) -> Result<(), String> {
    let mut table = Table::new(&[
        "indicator",
        "region",
        "name",
        "country",
        "foreign-born",
        "comparison",
        "difference",
        "country mean difference",
        "quartile",
    ]);
    for v in &atlas.region_values {
        if !indicators.is_empty() && !indicators.contains(&v.indicator) {
            continue;
        }
        let Some(region) = atlas.region(&v.region) else { continue };
        if !countries.is_empty() && !countries.contains(&region.country) {
            continue;
        }
        table.rows.push(vec![
            v.indicator.clone(),
            region.code.clone(),
            region.name.clone(),
            region.country.clone(),
            num(v.fb),
            num(v.comparison),
            num(v.diff),
            num(v.country_mean_diff),
            v.quartile.map(|q| q.to_string()).unwrap_or_else(|| "n/a".to_owned()),
        ]);
    }
    table.print(out, format)?;
    if format == Format::Table {
        writeln!(out, "{}", atlas.info.regions_note).map_err(io)?;
    }
    Ok(())
}

pub fn survey(out: &mut dyn Write, atlas: &Atlas, format: Format) -> Result<(), String> {
    if format == Format::Json {
        let text = serde_json::to_string_pretty(&atlas.survey_figures).map_err(|e| e.to_string())?;
        return writeln!(out, "{text}").map_err(io);
    }
    if format == Format::Table {
        for s in &atlas.surveys {
            let total = s.respondent_count.map_or_else(|| "unknown".to_owned(), |n| n.to_string());
            let who = if s.named_respondents.is_empty() && s.unnamed_respondents == 0 {
                "none named in any available source".to_owned()
            } else {
                format!("{} named, {} unnamed: names never published", s.named_respondents.len(), s.unnamed_respondents)
            };
            writeln!(out, "{}: {total} respondents ({who})", s.title).map_err(io)?;
            if let Some(summary) = &s.summary {
                writeln!(out, "  {summary}").map_err(io)?;
            }
        }
        writeln!(out).map_err(io)?;
    }
    let mut table = Table::new(&["id", "survey", "value", "measures", "denominator", "kind", "source tag", "source"]);
    for f in &atlas.survey_figures {
        table.rows.push(vec![
            f.id.clone(),
            f.survey.clone(),
            f.value_text.clone(),
            f.measures.clone(),
            f.denominator.clone().unwrap_or_default(),
            f.kind.clone().unwrap_or_default(),
            if format == Format::Table { tag_label(&f.confidence).to_owned() } else { f.confidence.clone() },
            f.sources.first().map(|s| s.url.clone()).unwrap_or_default(),
        ]);
    }
    table.print(out, format)
}
