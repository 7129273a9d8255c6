//! Any table as CSV or XLSX.
//!
//! A view (or the CLI) builds a [`Table`] — a title, a header and rows of [`Cell`]s — from what it shows, and
//! optionally a [`ChartSpec`] saying which columns it charts. [`write_csv`] writes one table; [`write_xlsx`] writes
//! one or more tables as the sheets of one workbook, numbers as numbers, the header bold and frozen, and where a
//! table has a chart, a native Excel chart of the same cells beside them.
//!
//! ```no_run
//! use atlas_export::{Cell, ChartKind, ChartSpec, Table, write_csv, write_xlsx};
//!
//! let mut table = Table::new("Answers per question", &["question", "answers"]);
//! table.push(vec![Cell::from("Q1"), Cell::from(12)]);
//! table.push(vec![Cell::from("Q2"), Cell::from(7.5)]);
//! table.chart = Some(ChartSpec::new(ChartKind::Bar, "Answers per question", 0, vec![1]));
//! write_csv(std::path::Path::new("answers.csv"), &table)?;
//! write_xlsx(std::path::Path::new("answers.xlsx"), &[table])?;
//! # Ok::<(), atlas_export::ExportError>(())
//! ```

use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, DocProperties, Format, Workbook};

use atlas_core::file::{ExportError, check_target, write_atomically};

/// One cell: text, a number (a number cell in XLSX), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// The cell as CSV text: whole numbers without a decimal point, others in their shortest exact form.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if !n.is_finite() => String::new(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }
}

impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&String> for Cell {
    fn from(v: &String) -> Self {
        Cell::Text(v.clone())
    }
}
impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Number(v as f64)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Number(f64::from(v))
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Number(v as f64)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// The kind of native Excel chart drawn beside a table's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars, first category on top (as the app draws them).
    Bar,
    /// Horizontal bars, the series stacked.
    StackedBar,
    /// Vertical columns.
    Column,
    /// Vertical columns, the series stacked.
    StackedColumn,
    /// Points: the category column holds the x values, each series column the y values.
    Scatter,
}

/// Which columns of a table a chart shows: one category (or x) column and one or more value columns, each value
/// column a series named by its header.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: String,
    /// Column index of the category labels (or x values, for a scatter).
    pub categories: usize,
    /// Column indices of the values, one series each.
    pub series: Vec<usize>,
    pub x_title: Option<String>,
    pub y_title: Option<String>,
}

impl ChartSpec {
    pub fn new(kind: ChartKind, title: &str, categories: usize, series: Vec<usize>) -> Self {
        Self { kind, title: title.to_owned(), categories, series, x_title: None, y_title: None }
    }

    /// Names the axes (x = the category or horizontal axis as the chart is drawn).
    pub fn with_axes(mut self, x: &str, y: &str) -> Self {
        self.x_title = Some(x.to_owned());
        self.y_title = Some(y.to_owned());
        self
    }
}

/// A table to export: what a view shows, as cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Names the sheet in XLSX (shortened to Excel's 31 characters) and the workbook.
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A native Excel chart of some of the columns (XLSX only).
    pub chart: Option<ChartSpec>,
}

impl Table {
    pub fn new(title: &str, header: &[&str]) -> Self {
        Self {
            title: title.to_owned(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            chart: None,
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// The table as CSV text (RFC 4180: header line, then one line per row; fields quoted where needed).
pub fn csv_string(table: &Table) -> String {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    // Writing into memory cannot fail.
    // Text that a spreadsheet would run as a formula is neutralised (`atlas_core::input::csv_cell`); numbers stay.
    let _ = w.write_record(table.header.iter().map(|h| atlas_core::input::csv_cell(h).into_owned()));
    for row in &table.rows {
        let _ = w.write_record(row.iter().map(|cell| match cell {
            Cell::Text(t) => atlas_core::input::csv_cell(t).into_owned(),
            other => other.text(),
        }));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the table as a CSV file (UTF-8). Any existing file at `path` is replaced only once the new one is whole.
pub fn write_csv(path: &Path, table: &Table) -> Result<(), ExportError> {
    write_atomically(path, csv_string(table).as_bytes())
}

/// Writes the tables as the sheets of one XLSX workbook, each with its chart if it has one.
pub fn write_xlsx(path: &Path, tables: &[Table]) -> Result<(), ExportError> {
    check_target(path)?;
    let bytes =
        xlsx_bytes(tables).map_err(|detail| ExportError::Build { path: path.to_owned(), what: "workbook", detail })?;
    write_atomically(path, &bytes)
}

/// Excel's limits: a cell holds at most 32,767 characters, a sheet name 31 and none of `[]:*?/\`.
const MAX_CELL_CHARS: usize = 32_767;
const MAX_SHEET_NAME: usize = 31;

fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String =
        title.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect::<String>().trim().to_owned();
    let clean = clean.trim_matches('\'').to_owned();
    let base = if clean.is_empty() { "Sheet".to_owned() } else { clean };
    let fit = |s: &str, max: usize| -> String { s.chars().take(max).collect::<String>().trim_end().to_owned() };
    let mut name = fit(&base, MAX_SHEET_NAME);
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", fit(&base, MAX_SHEET_NAME - suffix.chars().count()));
        n += 1;
    }
    name
}

/// The workbook as bytes (the error is the reason, without the path).
pub fn xlsx_bytes(tables: &[Table]) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    if let Some(first) = tables.first() {
        workbook.set_properties(&DocProperties::new().set_title(&first.title).set_company("Integration Atlas"));
    }
    let bold = Format::new().set_bold();
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let name = sheet_name(&table.title, &names);
        names.push(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name).map_err(|e| e.to_string())?;
        for (c, h) in table.header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c)?, clip(h), &bold).map_err(|e| e.to_string())?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| "too many rows for one sheet".to_owned())?;
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) if !t.is_empty() => {
                        sheet.write_string(r, col(c)?, clip(t)).map_err(|e| e.to_string())?;
                    }
                    Cell::Number(n) if n.is_finite() => {
                        sheet.write_number(r, col(c)?, *n).map_err(|e| e.to_string())?;
                    }
                    _ => {}
                }
            }
        }
        if !table.header.is_empty() {
            sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        }
        sheet.set_autofit_max_width(360).autofit();
        if let Some(spec) = &table.chart
            && let Some(chart) = chart(spec, &name, table)
        {
            let at = col(table.header.len() + 1)?;
            sheet.insert_chart(1, at, &chart).map_err(|e| e.to_string())?;
        }
    }
    if tables.is_empty() {
        workbook.add_worksheet();
    }
    workbook.save_to_buffer().map_err(|e| e.to_string())
}

fn col(c: usize) -> Result<u16, String> {
    u16::try_from(c).ok().filter(|c| *c < 16_384).ok_or_else(|| "too many columns for one sheet".to_owned())
}

fn clip(text: &str) -> String {
    if text.chars().count() > MAX_CELL_CHARS {
        let mut t: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
        t.push('…');
        t
    } else {
        text.to_owned()
    }
}

/// The native chart for a table, or `None` when there is nothing to chart (no rows, bad column indices).
fn chart(spec: &ChartSpec, sheet: &str, table: &Table) -> Option<Chart> {
    let width = table.header.len();
    if table.rows.is_empty() || spec.categories >= width || spec.series.is_empty() {
        return None;
    }
    if spec.series.iter().any(|s| *s >= width) {
        return None;
    }
    let last = u32::try_from(table.rows.len()).ok()?;
    let kind = match spec.kind {
        ChartKind::Bar => ChartType::Bar,
        ChartKind::StackedBar => ChartType::BarStacked,
        ChartKind::Column => ChartType::Column,
        ChartKind::StackedColumn => ChartType::ColumnStacked,
        ChartKind::Scatter => ChartType::Scatter,
    };
    let mut chart = Chart::new(kind);
    let cat = spec.categories as u16;
    for s in &spec.series {
        let s = *s as u16;
        chart
            .add_series()
            .set_name((sheet, 0, s))
            .set_categories((sheet, 1, cat, last, cat))
            .set_values((sheet, 1, s, last, s));
    }
    chart.title().set_name(&spec.title);
    // For bar charts Excel's x axis is the vertical category axis; the app draws the first category on top.
    let horizontal = matches!(spec.kind, ChartKind::Bar | ChartKind::StackedBar);
    if horizontal {
        chart.x_axis().set_reverse();
    }
    if let Some(x) = &spec.x_title {
        if horizontal { chart.y_axis() } else { chart.x_axis() }.set_name(x);
    }
    if let Some(y) = &spec.y_title {
        if horizontal { chart.x_axis() } else { chart.y_axis() }.set_name(y);
    }
    if spec.series.len() == 1 && spec.kind != ChartKind::Scatter {
        chart.legend().set_hidden();
    }
    let rows = table.rows.len() as u32;
    let height = if horizontal { (rows * 22 + 90).clamp(288, 1400) } else { 360 };
    chart.set_width(640).set_height(height);
    Some(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_plainly_in_csv_and_text_is_quoted_where_needed() {
        let mut t = Table::new("T", &["name", "n"]);
        t.push(vec!["Wien, Austria".into(), 12.into()]);
        t.push(vec!["x \"y\"".into(), 0.25.into()]);
        t.push(vec![Cell::Empty, Cell::from(None::<f64>)]);
        assert_eq!(csv_string(&t), "name,n\n\"Wien, Austria\",12\n\"x \"\"y\"\"\",0.25\n,\n");
    }

    #[test]
    fn sheet_names_are_cleaned_shortened_and_unique() {
        let a = sheet_name("Explorer: rows [filtered]", &[]);
        assert_eq!(a, "Explorer- rows -filtered-");
        let long = "A very long title that Excel would never accept";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert!(second.ends_with(" (2)") && second.chars().count() <= 31, "{second}");
    }
}
